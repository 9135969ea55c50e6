"""What a browser sends for a page's form when the user touches nothing: its hidden and text
inputs, the ticked checkboxes and radios, the textareas' text (no submit button's value;
the test adds the button it presses)."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.fields: dict[str, list[str]] = {}
        self._textarea: str | None = None

    def _add(self, name: str, value: str) -> None:
        self.fields.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.inside = a.get("id") == self.form_id
            return
        if not self.inside or not a.get("name") or "disabled" in a:
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    value = a.get("value")
                    self._add(a["name"], "on" if value is None else value)
            elif kind not in ("submit", "button", "image", "file", "reset"):
                self._add(a["name"], a.get("value") or "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(a["name"], "")

    def handle_data(self, data):
        if self._textarea is not None:
            self.fields[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self.inside = False


def untouched_form(html: str, form_id: str) -> dict[str, list[str]]:
    """The fields of the form with this id as a browser would post them, untouched."""
    reader = _FormReader(form_id)
    reader.feed(html)
    return reader.fields
