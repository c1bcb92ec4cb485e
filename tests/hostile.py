"""Forms as a browser finds them, and the hostile values the hostile-input run posts to them."""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit


@dataclass
class FormField:
    name: str
    kind: str  # text, textarea, date, time, number, hidden, select, checkbox, radio, file, password …
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class FoundForm:
    action: str
    page: str
    fields: list[FormField] = field(default_factory=list)

    def valid_data(self) -> list[tuple[str, str]]:
        """What a person submitting the form untouched would send."""
        data = []
        for f in self.fields:
            if f.kind in ("checkbox", "radio", "file", "submit"):
                continue
            if f.kind == "select":
                data.append((f.name, f.value or (f.options[0] if f.options else "")))
            else:
                data.append((f.name, f.value))
        return data

    def shape(self) -> str:
        """The same form on another record's page is the same form: ids don't make a new one."""
        path = re.sub(r"/\d+(?=/|$)", "/<id>", self.action.split("?")[0])
        return path + " " + ",".join(sorted({f.name for f in self.fields}))


class FormParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[FoundForm] = []
        self._form: FoundForm | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            method = (a.get("method") or "get").lower()
            action = a.get("action") or a.get("data-hx-post") or self.page
            self._form = FoundForm(urljoin(self.page, action), self.page) if method == "post" else None
            if self._form is not None:
                self.forms.append(self._form)
            return
        if self._form is None or not a.get("name"):
            if tag == "option" and self._select is not None:
                self._select.options.append(a.get("value", ""))
                if "selected" in a:
                    self._select.value = a.get("value", "")
            return
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._form.fields.append(FormField(a["name"], kind, "", [a.get("value", "on")]))
                return
            self._form.fields.append(FormField(a["name"], kind, a.get("value", "")))
        elif tag == "textarea":
            self._textarea = FormField(a["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "select":
            self._select = FormField(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._form.fields.append(FormField(a["name"], "submit", a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_in(page_url: str, html: str) -> list[FoundForm]:
    parser = FormParser(page_url)
    parser.feed(html)
    for form in parser.forms:
        parts = urlsplit(form.action)
        form.action = parts.path + ("?" + parts.query if parts.query else "")
    return parser.forms


# --- hostile values --------------------------------------------------------------------------------
LONG = "Å" * 100_000
TEXT_VALUES = [
    "ab\x00cd før\x01\x02\x1b[31m\x7fefter",  # NUL (PostgreSQL refuses it) and other control characters
    LONG,  # far longer than any column
    "\u202eRTL \u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627 👩‍👩‍👧 e\u0301\u0301\u0301 Z̷̧̛a̶̢l̵g̸o"
    " <script>alert(1)</script>' OR 1=1 --",  # RTL, emoji, combining marks, markup
]
DATE_VALUES = ["0001-01-01", "9999-12-31", "2026-02-31", "31-02-2026", "x"]
TIME_VALUES = ["25:99", "-1:00", "x"]
NUMBER_VALUES = ["-1", "2147483648", "9223372036854775808", "1" * 5000, "1e999", "٣"]
ID_VALUES = ["0", "-1", "2147483648", "100000000000000000000", "²"]
CHOICE_VALUES = ["999999999999", "x\x00"]

TEXT_KINDS = {"text", "textarea", "search", "email", "tel", "url", "password"}


def hostile_posts(form: FoundForm) -> list[tuple[str, list[tuple[str, str]]]]:
    """(label, data) pairs: every field of a kind gets a hostile value at once, the rest valid."""
    valid = form.valid_data()
    kinds = {f.name: f.kind for f in form.fields}

    def with_values(kind_set: set[str], value: str) -> list[tuple[str, str]]:
        names = {n for n, k in kinds.items() if k in kind_set and n != "csrf_token"}
        if not names:
            return []
        return [(n, value if n in names else v) for n, v in valid]

    posts = []
    for value in TEXT_VALUES:
        if data := with_values(TEXT_KINDS, value):
            posts.append((f"text={value[:12]!r}", data))
    for kind_set, values in (({"date"}, DATE_VALUES), ({"time"}, TIME_VALUES), ({"number"}, NUMBER_VALUES),
                             ({"hidden"}, ID_VALUES), ({"select", "radio", "checkbox"}, CHOICE_VALUES)):
        for value in values:
            if data := with_values(kind_set, value):
                posts.append((f"{'/'.join(sorted(kind_set))}={value[:12]!r}", data))
    # Repeated parameters: every field sent twice, the second time hostile.
    posts.append(("repeated", valid + [(n, "2147483648\x00") for n, _v in valid if n != "csrf_token"]))
    # Wrong types: a file where text is expected, and every field missing.
    posts.append(("missing fields", [(n, v) for n, v in valid if n == "csrf_token"]))
    return posts
