"""Hostile input: ids that name nothing or overflow a column, and every form the role walk finds
posted with NUL and control characters, 100,000 characters, RTL, emoji and combining marks,
impossible and extreme dates, huge and negative numbers, wrong types and repeated parameters.

Every answer is 2xx/3xx/4xx – never a 5xx – and a refused form says so in Danish and shows the
typed text again. PostgreSQL matters most (NUL and int4 limits only show there)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from webapp.tools.demo import DEMO_PASSWORD

from ..conftest import Visitor
from ..hostile import LONG, TEXT_KINDS, FoundForm, forms_in, hostile_posts
from ..walk import PAGE_CHECKS, Page, WalkResult, walk

pytestmark = pytest.mark.demo_data

BAD_IDS = ["0", "-1", "2147483648", "9223372036854775808", "100000000000000000000", "abc"]
# Forms are posted as these demo users: the leader meets every form a medarbejder does, and more;
# the administrator has forms of its own.
POSTERS = ["leder", "admin"]
# Never posted: leaving the session.
SKIP_ACTIONS = ("/logout", "/laast")
DANISH = ("Skriv", "skal", "Vælg", "ugyldig", "Ugyldig", "for lang", "kontroltegn", "Datoen", "Tallet", "findes",
          "ikke", "Feltet", "Ukendt", "vælg")
TRIED: dict[str, int] = {}


def _id_urls(app):
    for rule in app.url_map.iter_rules():
        names = [n for n, c in rule._converters.items() if isinstance(c, IntegerConverter)]
        if not names:
            continue
        for bad in BAD_IDS:
            values = {}
            for name, converter in rule._converters.items():
                values[name] = 1 if isinstance(converter, IntegerConverter) else {"date_text": "2026-12-04"}.get(
                    name, "ORS" if name in ("scale", "code") else "maal" if name == "section" else "coaching")
            _domain, path = rule.build(values, append_unknown=False)
            # Put the bad value in place of the first id.
            first = names[0]
            marker = f"/{values[first]}"
            index = path.find(marker)
            bad_path = path[:index] + "/" + bad + path[index + len(marker):] if index >= 0 else path
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, bad_path


def test_every_id_route_answers_404_to_ids_that_name_nothing(app, demo):
    """404 for whoever may use the route; 403 (the role gate comes first) for whoever may not."""
    from webapp.auth.models import User
    from webapp.extensions import db
    from webapp.permissions import role_allows

    adapter = app.url_map.bind("localhost")
    tried, wrong = 0, []
    for username in ("admin", "leder"):
        who = Visitor(app.test_client())
        who.login(username, DEMO_PASSWORD)
        user = db.session.scalar(db.select(User).where(User.username == username))
        for method, path in _id_urls(app):
            endpoint = _endpoint(adapter, path, method)
            with app.test_request_context():
                expected = 404 if endpoint is None or role_allows(endpoint, user) else 403
            response = who.client.open(path, method=method, data={"csrf_token": who.token})
            tried += 1
            if response.status_code != expected:
                wrong.append(f"{username}: {method} {path}: {response.status_code}, expected {expected}")
    TRIED["ids"] = tried
    assert tried > 600
    assert not wrong, "\n".join(wrong)


@pytest.fixture(scope="module")
def found_forms(app, visitors) -> dict[str, list[FoundForm]]:
    """The POST forms each poster meets on the pages of a role walk, one per shape."""
    found: dict[str, list[FoundForm]] = {}
    for username in POSTERS:
        visitor = visitors[username]
        forms: dict[str, FoundForm] = {}

        def collect(_role: str, page: Page, _result: WalkResult, forms=forms) -> None:
            if page.content_type == "text/html":
                for form in forms_in(page.url, page.body):
                    if not form.action.startswith(SKIP_ACTIONS):
                        forms.setdefault(form.shape(), form)

        PAGE_CHECKS.append(collect)
        try:
            with app.app_context():
                walk(app, visitor.client, username, max_pages=250)
        finally:
            PAGE_CHECKS.remove(collect)
        found[username] = list(forms.values())
    return found


def _check(response, label: str, form: FoundForm, data, wrong: list[str]) -> None:
    where = f"{form.action} [{label}] (form on {form.page})"
    if response.status_code >= 500:
        wrong.append(f"{response.status_code} on {where}")
        return
    if response.status_code not in (400, 409, 422) or response.mimetype != "text/html":
        return
    body = response.get_data(as_text=True)
    if not any(word in body for word in DANISH):
        wrong.append(f"no Danish message on {where}")
    # What was typed is shown again (the long text and the RTL/emoji text are printable).
    secret = {f.name for f in form.fields if f.kind == "password"}  # never shown again, by design
    typed = [v for n, v in data if n not in secret and (v == LONG or v.startswith("\u202e"))]
    if typed and response.status_code == 422 and not any(str(escape(v)) in body or v in body for v in typed):
        wrong.append(f"typed text not kept on {where}")


def _endpoint(adapter, path: str, method: str) -> str | None:
    try:
        return adapter.match(path, method=method)[0]
    except HTTPException:
        return None


@pytest.fixture(scope="module")
def visitors(app, demo) -> dict[str, Visitor]:
    logged_in = {}
    for username in POSTERS:
        logged_in[username] = Visitor(app.test_client())
        logged_in[username].login(username, DEMO_PASSWORD)
    return logged_in


@pytest.mark.parametrize("username", POSTERS)
def test_every_form_survives_hostile_values(app, found_forms, visitors, username):
    visitor = visitors[username]
    forms = found_forms[username]
    assert forms, "the walk found no forms"
    wrong: list[str] = []
    posts = 0
    for form in forms:
        for label, data in hostile_posts(form):
            data = [(n, visitor.token if n == "csrf_token" else v) for n, v in data]
            if not any(n == "csrf_token" for n, _ in data):
                data.append(("csrf_token", visitor.token))
            response = visitor.client.post(form.action, data=MultiDict(data), headers={"X-CSRFToken": visitor.token})
            posts += 1
            _check(response, label, form, data, wrong)
            response.close()
    TRIED[f"forms {username}"] = len(forms)
    TRIED[f"posts {username}"] = posts
    print(f"\nhostile input as {username}: {len(forms)} forms, {posts} posts")
    assert not wrong, "\n".join(wrong)


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300)


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_forms_take_any_text(app, found_forms, visitors, data):
    """Hypothesis draws a form of the leader's and any text for all its text fields."""
    forms = [f for f in found_forms["leder"] if any(fl.kind in TEXT_KINDS for fl in f.fields)]
    form = data.draw(st.sampled_from(forms), label="form")
    text = data.draw(texts, label="text")
    visitor = visitors["leder"]
    values = [(f.name, text if f.kind in TEXT_KINDS else v) for f, (_n, v) in
              zip([fl for fl in form.fields if fl.kind not in ("checkbox", "radio", "file", "submit")],
                  form.valid_data(), strict=True)]
    values = [(n, visitor.token if n == "csrf_token" else v) for n, v in values]
    response = visitor.client.post(form.action, data=MultiDict(values), headers={"X-CSRFToken": visitor.token})
    assert response.status_code < 500, f"{response.status_code} on {form.action} with {text!r}"


def test_summary(capsys):
    with capsys.disabled():
        print("\nhostile input tried:", TRIED)
