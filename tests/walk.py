"""The role walk: a person with one role clicks through everything their pages offer.

Starting at the home page, it follows every same-origin link and every `data-hx-get` it is shown
(bounded: a few URLs of each shape), renders each page, and records what it finds. Every control a
page shows must work for the person it is shown to: a link or `data-hx-get` answering 403/404 is a
finding, and so is a POST form whose target the person may not use (checked with `may`, without
submitting it). `PAGE_CHECKS` holds extra checks run on every page walked (accessibility checks
plug in here)."""

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from werkzeug.exceptions import HTTPException

# Paths never followed: leaving the session, and the per-process static files.
SKIP_PREFIXES = ("/static/", "/logout")
PER_SHAPE = 2
MAX_PAGES = 400


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    body: str
    shown_on: str  # the page whose control led here
    htmx: bool


@dataclass
class WalkResult:
    role: str
    pages: list[Page] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def add(self, problem: str) -> None:
        self.problems.append(problem)


PageCheck = Callable[[str, Page, WalkResult], None]
PAGE_CHECKS: list[PageCheck] = []
# The pages each role's walk in tests/core/test_role_walk.py reached, for later checks in the same
# run (tests/core/test_valid_html.py) that would otherwise walk every role again.
WALKED_PAGES: dict[str, list[Page]] = {}


class _Controls(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []  # (url, is_htmx)
        self.post_forms: list[str] = []
        self.has_title = False
        self.html_lang = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "title":
            self.has_title = True
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], False))
        if a.get("data-hx-get"):
            self.links.append((a["data-hx-get"], True))
        if a.get("data-hx-post"):
            self.post_forms.append(a["data-hx-post"])
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self.post_forms.append(a.get("action") or "")
        if tag == "button" and a.get("formaction"):
            self.post_forms.append(a["formaction"])


def url_shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$|\.)", "/<id>", parts.path)
    path = re.sub(r"/\d{4}-\d{2}-\d{2}(?=/|$)", "/<date>", path)
    keys = sorted({kv.split("=")[0] for kv in parts.query.split("&") if kv})
    return path + ("?" + "&".join(keys) if keys else "")


def walk(app, client, role: str, start: str = "/", may_post: Callable[[str], bool] | None = None,
         max_pages: int = MAX_PAGES) -> WalkResult:
    """Walk as the logged-in `client`; `may_post(path)` answers whether a POST to path is allowed."""
    result = WalkResult(role)
    seen: set[str] = set()
    shapes: dict[str, int] = {}
    queue: deque[tuple[str, str, bool]] = deque([(start, "(start)", False)])
    checked_posts: set[str] = set()
    while queue and len(result.pages) < max_pages:
        url, shown_on, htmx = queue.popleft()
        key = ("hx " if htmx else "") + url
        if key in seen:
            continue
        shape = ("hx " if htmx else "") + url_shape(url)
        if shapes.get(shape, 0) >= PER_SHAPE:
            continue
        seen.add(key)
        shapes[shape] = shapes.get(shape, 0) + 1
        headers = {"HX-Request": "true"} if htmx else {}
        response = client.get(url, headers=headers, follow_redirects=True)
        body = response.get_data(as_text=True) if response.mimetype.startswith("text/") else ""
        page = Page(url, response.status_code, response.mimetype, body, shown_on, htmx)
        result.pages.append(page)
        if response.status_code >= 500:
            result.add(f"{response.status_code} on {key} (shown on {shown_on})")
            continue
        if response.status_code in (403, 404):
            result.add(f"{response.status_code} on {key}: a control shown on {shown_on} that does not work")
            continue
        if response.mimetype != "text/html":
            continue
        parser = _Controls()
        parser.feed(body)
        full_page = not htmx
        if full_page and (not parser.has_title or not parser.html_lang):
            result.add(f"full page without <title> or <html lang>: {url}")
        for check in PAGE_CHECKS:
            check(role, page, result)
        here = response.request.path + (("?" + response.request.query_string.decode())
                                        if response.request.query_string else "")
        for href, is_htmx in parser.links:
            target = _same_origin(urljoin(here, href))
            if target and not target.startswith(SKIP_PREFIXES):
                queue.append((target, url, is_htmx))
        if may_post is not None:
            for action in parser.post_forms:
                target = _same_origin(urljoin(here, action or here))
                if target and target not in checked_posts:
                    checked_posts.add(target)
                    if not may_post(target):
                        result.add(f"POST form to {target} shown on {url} but not allowed for {role}")
    return result


def _same_origin(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme not in ("", "http", "https") or parts.netloc not in ("", "localhost"):
        return None
    if parts.path.startswith("//"):
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def post_checker(app, user) -> Callable[[str], bool]:
    """`may_post(path)`: whether `user` may POST to `path`, asked of the app's own rules."""
    from webapp.permissions import may

    adapter = app.url_map.bind("localhost")

    def may_post(path: str) -> bool:
        try:
            endpoint, values = adapter.match(urlsplit(path).path, method="POST")
        except HTTPException:
            return False
        with app.test_request_context(path, method="POST"):
            return may(endpoint, user=user, **values)

    return may_post
