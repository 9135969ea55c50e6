/* The kinds of autosaved field on the answer form and how to read, write and describe
   their values: "text" (an answer's textarea or single-line input), "choice" (an answer's
   radio group), "multi" (an answer's checkboxes, saved as the checked values one per
   line), "self" (a self-assessment's level and evidence), "tags" (rights areas).
   The question type (data-qtype) refines "text": an amount shows "167 000", not "167000".
   Loaded before answer.js, which uses window.MRAnswerFields. */
(function () {
  "use strict";
  var numbers = new Intl.NumberFormat("sv-SE");

  function radios(box) { return box.querySelectorAll('input[type="radio"]'); }
  function checkboxes(box) { return box.querySelectorAll('input[type="checkbox"]'); }
  function checkedValue(box, initially) {
    var value = null;
    radios(box).forEach(function (radio) {
      if (initially ? radio.defaultChecked : radio.checked) value = radio.value;
    });
    return value;
  }
  // The checked boxes' values in page order, which is the question's order of options.
  function checkedValues(box, initially) {
    return Array.prototype.filter.call(checkboxes(box), function (input) {
      return initially ? input.defaultChecked : input.checked;
    }).map(function (input) { return input.value; });
  }
  function isAmount(field) { return field.box.dataset.qtype === "amount"; }
  // A stored amount ("167000") as the input shows it ("167 000"); other text as it is.
  function shown(field, value) {
    return isAmount(field) && /^\d+$/.test(value) ? numbers.format(parseInt(value, 10)) : value;
  }

  var kinds = {
    text: {
      value: function (field) { return field.area.value; },
      serverValue: function (field) { return field.area.defaultValue; },
      setValue: function (field, value) { field.area.value = shown(field, value); },
      describe: function (field, value) {
        if (!value) return "–";
        return isAmount(field) && /^\d+$/.test(value) ? shown(field, value) + "\u00a0kr" : value;
      }
    },
    choice: {
      value: function (field) { return checkedValue(field.box, false) || ""; },
      serverValue: function (field) { return checkedValue(field.box, true) || ""; },
      setValue: function (field, value) {
        radios(field.box).forEach(function (radio) { radio.checked = radio.value === value; });
      },
      describe: function (field, value) { return value || "Inget svar"; }
    },
    multi: {
      value: function (field) { return checkedValues(field.box, false).join("\n"); },
      serverValue: function (field) { return checkedValues(field.box, true).join("\n"); },
      setValue: function (field, value) {
        var chosen = (value || "").split("\n");
        checkboxes(field.box).forEach(function (box) {
          box.checked = chosen.indexOf(box.value) !== -1;
        });
      },
      describe: function (field, value) {
        return value ? value.split("\n").join(", ") : "Inget svar";
      }
    },
    self: {
      value: function (field) {
        var level = checkedValue(field.box, false);
        return { level: level === null ? null : parseInt(level, 10), evidence: field.area.value };
      },
      serverValue: function (field) {
        var level = checkedValue(field.box, true);
        return { level: level === null ? null : parseInt(level, 10),
                 evidence: field.area.defaultValue };
      },
      setValue: function (field, value) {
        radios(field.box).forEach(function (radio) {
          radio.checked = value.level !== null && parseInt(radio.value, 10) === value.level;
        });
        field.area.value = value.evidence || "";
      },
      describe: function (field, value) {
        var label = "Ingen nivå vald";
        radios(field.box).forEach(function (radio) {
          if (value.level !== null && parseInt(radio.value, 10) === value.level) {
            label = radio.labels[0].textContent.trim();
          }
        });
        return "Nivå: " + label + "\nMotivering: " + (value.evidence || "–");
      }
    },
    tags: {
      value: function (field) {
        return Array.prototype.map.call(field.box.querySelectorAll('input[type="checkbox"]:checked'),
          function (box) { return parseInt(box.value, 10); });
      },
      serverValue: function (field) {
        var ids = [];
        checkboxes(field.box).forEach(function (box) {
          if (box.defaultChecked) ids.push(parseInt(box.value, 10));
        });
        return ids;
      },
      setValue: function (field, value) {
        checkboxes(field.box).forEach(function (box) {
          box.checked = value.indexOf(parseInt(box.value, 10)) !== -1;
        });
      },
      describe: function (field, value) {
        var names = [];
        checkboxes(field.box).forEach(function (box) {
          if (value.indexOf(parseInt(box.value, 10)) !== -1) names.push(box.labels[0].textContent);
        });
        return names.length ? names.join(", ") : "Inga områden valda";
      }
    }
  };

  function kind(field) { return kinds[field.kind] || kinds.tags; }

  // The element whose text is typed: an answer's textarea or input, or the evidence.
  function area(box, name) {
    if (name === "text") return box.querySelector("textarea.answer-input, input.answer-input");
    if (name === "self") return box.querySelector("textarea.evidence-input");
    return null;
  }

  // After a save, an input shows the stored form of what was sent ("167 tkr" becomes
  // "167 000", "5/3/2024" becomes "2024-03-05"), but only once the user has left it.
  function settle(field, sent, stored) {
    field.pending = null;
    if (!field.area || field.area.tagName !== "INPUT" || typeof stored !== "string" ||
        stored === sent) return;
    field.pending = { sent: sent, stored: stored };
    if (document.activeElement !== field.area) tidy(field);
  }
  function tidy(field) {
    var pending = field.pending;
    field.pending = null;
    if (!pending || field.area.value !== pending.sent) return;
    field.area.value = pending.stored;
    field.lastSaved = JSON.stringify(pending.stored);
  }

  // Mark the field invalid (a 422 from the server) or, once saved, valid again: then the
  // error the page was rendered with is out of date too.
  function invalid(field, yes) {
    field.box.classList.toggle("field-invalid", yes);
    var inputs = field.kind === "choice" ? radios(field.box) :
      field.kind === "multi" ? checkboxes(field.box) : (field.area ? [field.area] : []);
    Array.prototype.forEach.call(inputs, function (input) {
      if (yes) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
    });
    if (!yes) {
      field.box.classList.remove("field-error");
      var rendered = field.box.querySelector(".error-message");
      if (rendered) rendered.hidden = true;
    }
  }

  // Enter in a single-line answer saves it instead of posting the whole form.
  function wire(field) {
    if (!field.area || field.area.tagName !== "INPUT") return;
    field.area.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        field.save();
      }
    });
  }

  window.MRAnswerFields = {
    area: area,
    value: function (field) { return kind(field).value(field); },
    serverValue: function (field) { return kind(field).serverValue(field); },
    setValue: function (field, value) { kind(field).setValue(field, value); },
    describe: function (field, value) { return kind(field).describe(field, value); },
    settle: settle,
    tidy: tidy,
    invalid: invalid,
    wire: wire
  };
})();
