"""Read a form out of a rendered page as a browser would post it: for the version-check tests,
where two people load the same form and each posts what they loaded plus their own changes."""

from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlsplit


class _FormReader(HTMLParser):
    def __init__(self, action: str | None):
        super().__init__(convert_charrefs=True)
        self.action = action
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._textarea: str | None = None
        self._select: str | None = None
        self._first_option: str | None = None
        self._option_value: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = {"action": urlsplit(unescape(a.get("action", ""))).path, "data": {}}
            return
        if self._form is None:
            return
        data = self._form["data"]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    data[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self._first_option = None
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option_value = value
            if self._first_option is None:
                self._first_option = value or ""
                data.setdefault(self._select, value or "")
            if "selected" in a:
                data[self._select] = value or ""

    def handle_data(self, text):
        if self._form is not None and self._textarea:
            self._form["data"][self._textarea] += text

    def handle_endtag(self, tag):
        if tag == "textarea":
            if self._form is not None and self._textarea:
                # Browsers drop the one line break that may follow <textarea>.
                value = self._form["data"][self._textarea]
                for newline in ("\r\n", "\n"):
                    if value.startswith(newline):
                        value = value[len(newline):]
                        break
                self._form["data"][self._textarea] = value
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None


def form_data(html: str, action: str) -> dict[str, str]:
    """What the form posting to `action` (a path) would send as it stands."""
    reader = _FormReader(action)
    reader.feed(html)
    for form in reader.forms:
        if form["action"] == action:
            return dict(form["data"])
    raise AssertionError(f"no form posting to {action} in the page")
