"""Every control shown on a restricted citizen's page works (GDPR art. 18; "a link that answers 403
is a bug", and so is one that answers 423). For each role that sees the citizen, open the citizen's
page, collect every link, `hx-get` and form on it and on the pages one click away, follow the GETs
and submit the forms as they stand (with the page's CSRF token): nothing may answer 403, 404, 423
or a 5xx. A form the page shows must not lead to the calm 423 page that a stale form gets."""

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from sqlalchemy import func, select

from webapp.citizens.models import Citizen, Course
from webapp.extensions import db
from webapp.handover.models import Handover
from webapp.outreach.models import OutreachRequest
from webapp.plans.models import Plan
from webapp.privacy.restriction import restrict
from webapp.testing import CSRF_RE
from webapp.tools.demo import DEMO_PASSWORD, DEMO_USERS
from webapp.volunteers.bridge_models import VolunteerRequest

from ..conftest import Visitor
from ..walk import url_shape

pytestmark = pytest.mark.demo_data

SKIP = ("/static/", "/logout", "/laast")
PER_SHAPE = 2
MAX_GETS = 120
REFUSED = {403, 404, 423}


@dataclass
class Form:
    method: str
    action: str
    data: dict = field(default_factory=dict)
    htmx: bool = False


class _Controls(HTMLParser):
    """Links, `hx-get`s and forms (with the values a browser would send) of one page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []  # (url, is an hx-get)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], False))
        if a.get("hx-get"):
            self.links.append((a["hx-get"], True))
        if tag == "form":
            post = (a.get("method") or "get").lower() == "post" or "hx-post" in a
            self._form = Form("post" if post else "get", a.get("hx-post") or a.get("action") or "",
                              htmx="hx-post" in a)
            self.forms.append(self._form)
            return
        if a.get("hx-post") and self._form is None:  # a button that posts by itself
            self.forms.append(Form("post", a["hx-post"], htmx=True))
        if self._form is None:
            return
        name = a.get("name")
        if tag == "button" and a.get("formaction"):
            self.forms.append(Form("post", a["formaction"], self._form.data))
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._form.data[name] = a.get("value", "on")
            elif kind not in ("submit", "button", "file"):
                self._form.data[name] = a.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self._form.data[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and (self._select not in self._form.data or "selected" in a):
            self._form.data[self._select] = a.get("value", "")

    def handle_data(self, text):
        if self._form is not None and self._textarea:
            self._form.data[self._textarea] += text

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None
        elif tag == "form":
            self._form = None


def _local(base: str, href: str) -> str | None:
    parts = urlsplit(urljoin(base, href))
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
        return None
    path = parts.path + ("?" + parts.query if parts.query else "")
    return None if path.startswith(SKIP) else path


@pytest.fixture(scope="module")
def restricted_id(app, demo) -> int:
    """A demo citizen with an open course, a plan and as much else as the demo gives, restricted."""
    with app.test_request_context():
        def has(model, column):
            return func.coalesce(select(func.count()).where(column == Citizen.id).scalar_subquery(), 0)

        plans = select(Course.citizen_id).join(Plan, Plan.course_id == Course.id).where(Course.end_date.is_(None))
        score = (has(Handover, Handover.citizen_id) + has(OutreachRequest, OutreachRequest.citizen_id)
                 + has(VolunteerRequest, VolunteerRequest.citizen_id))
        citizen = db.session.scalars(select(Citizen).where(Citizen.id.in_(plans), Citizen.erased_at.is_(None),
                                                           Citizen.restricted_at.is_(None))
                                     .order_by(score.desc(), Citizen.id)).first()
        assert citizen is not None, "the demo data has a citizen with an open course and a plan"
        restrict(citizen)
        db.session.commit()
        return citizen.id


def _start(visitor: Visitor, citizen_id: int) -> str | None:
    """The citizen's page this role sees: the citizen page, or the coordinator's view of them."""
    for url in (f"/borgere/{citizen_id}", f"/frivillige/borgere/{citizen_id}"):
        if visitor.get(url).status_code == 200:
            return url
    return None


@pytest.mark.parametrize("username", [u for u, *_rest in DEMO_USERS])
def test_every_control_around_a_restricted_citizen_works(app, restricted_id, username):
    visitor = Visitor(app.test_client())
    assert visitor.login(username, DEMO_PASSWORD).status_code == 302
    start = _start(visitor, restricted_id)
    if start is None:
        pytest.skip(f"{username} does not see the citizen")
    problems: list[str] = []
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    posted: set[str] = set()

    def visit(url: str, shown_on: str, depth: int, htmx: bool = False) -> None:
        key = ("hx " if htmx else "") + url
        shape = ("hx " if htmx else "") + url_shape(url)
        if key in seen or shapes.get(shape, 0) >= PER_SHAPE or len(seen) >= MAX_GETS:
            return
        seen.add(key)
        shapes[shape] = shapes.get(shape, 0) + 1
        response = visitor.client.get(url, headers={"HX-Request": "true"} if htmx else {}, follow_redirects=True)
        if response.status_code in REFUSED or response.status_code >= 500:
            problems.append(f"GET {key} answered {response.status_code} (shown on {shown_on})")
            return
        if response.mimetype != "text/html" or depth > 1:
            return  # a PDF, an SVG chart, a CSV
        html = response.get_data(as_text=True)
        if found := CSRF_RE.search(html):
            visitor.token = found.group(1)
        controls = _Controls()
        controls.feed(html)
        for form in controls.forms:
            target = _local(url, form.action or url)
            if target is None:
                continue
            if form.method == "get":
                visit(target.split("?")[0] + "?" + urlencode(form.data), url, depth + 1)
                continue
            if url_shape(target) in posted:
                continue
            posted.add(url_shape(target))
            answer = visitor.post(target, dict(form.data), headers={"HX-Request": "true"} if form.htmx else {})
            if answer.status_code in REFUSED or answer.status_code >= 500:
                problems.append(f"POST {target} answered {answer.status_code} (form on {url})")
        for href, htmx_link in controls.links:
            if (target := _local(url, href)) is not None:
                visit(target, url, depth + 1, htmx=htmx_link)

    visit(start, "(start)", 0)
    print(f"\n{username}: {len(seen)} pages, {len(posted)} forms posted")
    assert len(seen) > 10 and posted, (seen, posted)
    assert not problems, "\n".join(problems)
    with app.app_context():
        assert db.session.get(Citizen, restricted_id).restricted_at is not None
