/* Assessment page: select a passage in an answer, then choose what it is evidence for.
 *
 * Each answer's text sits in a container [data-answer-id] holding exactly the text (with
 * <mark> wrappers only), so the character offset of a selection is the length of the text
 * from the container's start to the selection. Offsets count Unicode code points, like
 * Python's str indices on the server. The chosen button fills the answer's manual quote
 * fields (start, end, target) and submits the page's one form with that answer's quote
 * button, so unsaved levels and justifications are saved along with the quote.
 *
 * The redirect after a quote names the section it concerns (#component-KUN, …). The browser
 * scrolls there by itself; this moves focus there too, so keyboard and screen-reader users
 * go on from that section rather than from the top of the page.
 */
(function () {
  "use strict";

  function focusSection() {
    var id = window.location.hash.slice(1);
    var section = null;
    try { section = id ? document.getElementById(decodeURIComponent(id)) : null; }
    catch (error) { return; } // a malformed fragment: nothing to focus
    if (!section || !section.hasAttribute("data-assess-section")) { return; }
    if (section.contains(document.activeElement)) { return; }
    section.focus({ preventScroll: true }); // no scrolling beyond the browser's own
  }
  focusSection();
  window.addEventListener("hashchange", focusSection);

  var form = document.getElementById("assess-form");
  var toolbar = document.getElementById("quote-toolbar");
  if (!form || !toolbar) { return; }
  var current = null; // {answerId, start, end}

  function codePoints(text) { return Array.from(text).length; }

  function offsetIn(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }

  function containerOf(node) {
    var element = node && (node.nodeType === 1 ? node : node.parentElement);
    return element ? element.closest("[data-answer-id]") : null;
  }

  function hide() { toolbar.hidden = true; current = null; }

  function show(range) {
    var rect = range.getBoundingClientRect();
    toolbar.hidden = false;
    toolbar.style.top = (window.scrollY + rect.bottom + 6) + "px";
    toolbar.style.left = Math.max(8, window.scrollX + rect.left) + "px";
  }

  function onSelection() {
    var selection = window.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { hide(); return; }
    var range = selection.getRangeAt(0);
    var container = containerOf(range.startContainer);
    if (!container || container !== containerOf(range.endContainer)) { hide(); return; }
    var start = offsetIn(container, range.startContainer, range.startOffset);
    var end = offsetIn(container, range.endContainer, range.endOffset);
    if (end <= start) { hide(); return; }
    current = { answerId: container.getAttribute("data-answer-id"), start: start, end: end };
    show(range);
  }

  function field(answerId, name) {
    return document.getElementById(name + "-" + answerId);
  }

  function use(target) {
    if (!current) { return; }
    var id = current.answerId;
    var start = field(id, "start"), end = field(id, "end"), select = field(id, "target");
    var button = form.querySelector('button[name="quote_answer"][value="' + id + '"]');
    if (!start || !end || !select || !button) { return; }
    start.value = String(current.start);
    end.value = String(current.end);
    select.value = target;
    if (form.requestSubmit) { form.requestSubmit(button); } else { button.click(); }
  }

  document.addEventListener("mouseup", function (event) {
    if (toolbar.contains(event.target)) { return; }
    window.setTimeout(onSelection, 0);
  });
  document.addEventListener("keyup", function (event) {
    if (toolbar.contains(event.target)) { return; }
    if (event.key === "Escape") { hide(); return; }
    if (event.shiftKey) { onSelection(); }
  });
  toolbar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-target]");
    if (button) { use(button.getAttribute("data-target")); }
  });
  toolbar.addEventListener("mousedown", function (event) { event.preventDefault(); });
})();
