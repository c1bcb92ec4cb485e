"""PDF documents: Jinja templates in templates/pdf/ printed by WeasyPrint.

A document may load our own static files (fonts, images) and nothing else. Documents carry personal
data and user text, so a stray `<img src="file:///…">` or `http://…` must never read a local file
into a PDF or reach the network: the fetcher refuses every URL that is not under our static prefix.

Templates refer to static files relative to the document, e.g. `url("static/fonts/x.woff2")` or
`<img src="static/img/favicon.svg">`; the document's base URL is a fixed fake origin under the
reserved `.invalid` domain, so no relative URL can ever resolve to a real host.
"""

import logging
import mimetypes
import threading
import time
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template, send_file
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

BASE_HOST = "dinindgang.invalid"
BASE_URL = f"https://{BASE_HOST}/"
STATIC_PREFIX = "/static/"
STATIC_URL = BASE_URL + STATIC_PREFIX.lstrip("/")
PDF_MIMETYPE = "application/pdf"


class FetchRefused(ValueError):
    """A document asked for a URL outside our static files."""


@dataclass
class FetchLog:
    """The URLs a render asked for: what was served from static/ and what was refused."""

    served: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


class StaticFilesOnly(URLFetcher):
    """WeasyPrint 70 URL fetcher: a `URLFetcher` subclass whose `fetch(url, headers)` is the one
    entry point for every resource (stylesheets, images, @font-face, attachments; `__call__` and
    `open` both lead here). It never opens a connection or a file outside `static_folder`, so there
    is nothing a redirect could bypass; the parent is also built with no protocols and no redirect
    handler in case anything ever reaches `URLFetcher.fetch`."""

    def __init__(self, static_folder: str | Path, fetch_log: FetchLog | None = None):
        super().__init__(allowed_protocols=(), allow_redirects=False, fail_on_errors=False)
        self.static_root = Path(static_folder).resolve()
        self.log = fetch_log if fetch_log is not None else FetchLog()

    def fetch(self, url, headers=None):
        path = self.static_path(url)
        if path is None:
            self.log.refused.append(url)
            log.warning("PDF: refused to fetch %.200s", url)
            raise FetchRefused(f"only our static files may be loaded, not {url[:200]}")
        self.log.served.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})

    def static_path(self, url: str) -> Path | None:
        """The file under static/ that `url` names, or None for anything else."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme != "https" or parts.netloc != BASE_HOST or not parts.path.startswith(STATIC_PREFIX):
            return None
        # Decode %2e%2e and friends first, then resolve (also symlinks) and check it stays inside.
        relative = unquote(parts.path[len(STATIC_PREFIX) :])
        if not relative or "\x00" in relative:
            return None
        candidate = (self.static_root / relative).resolve()
        if not candidate.is_relative_to(self.static_root) or not candidate.is_file():
            return None
        return candidate


_font_config: FontConfiguration | None = None
# WeasyPrint does not promise that one FontConfiguration (a Fontconfig/Pango font map) may be used
# by two renders at once; a threaded server would otherwise share it. Renders are short and rare.
_render_lock = threading.Lock()


def font_config() -> FontConfiguration:
    """The one FontConfiguration reused by every render: @font-face files are fetched and
    registered once per process, not per document. Made on first use, so forking servers and
    importing this module stay cheap."""
    global _font_config
    if _font_config is None:
        _font_config = FontConfiguration()
    return _font_config


def html_to_pdf(html: str, *, fetch_log: FetchLog | None = None, fonts: FontConfiguration | None = None) -> bytes:
    """Print an HTML string (inside an app context). `fonts` is for tests that need a fresh font
    cache; everything else uses the shared one."""
    fetcher = StaticFilesOnly(current_app.static_folder, fetch_log)
    with _render_lock:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher)
        # Tagged PDF: headings, paragraphs and tables stay readable by screen readers.
        return document.write_pdf(font_config=fonts if fonts is not None else font_config(), pdf_tags=True)


def render_pdf(template_name: str, /, *, fetch_log: FetchLog | None = None, **context) -> bytes:
    """Render `templates/<template_name>` (e.g. "pdf/min_plan.html") with Flask's autoescaping
    Jinja environment and print it. Call inside an app or request context."""
    return html_to_pdf(render_template(template_name, **context), fetch_log=fetch_log)


def pdf_response(data: bytes, filename: str, *, download: bool = False):
    """A response for a rendered PDF (inside a request): shown in the browser unless `download`."""
    return send_file(
        BytesIO(data),
        mimetype=PDF_MIMETYPE,
        as_attachment=download,
        download_name=filename,
        max_age=0,
    )


def pdf_floor_ms(repeat: int = 5) -> float:
    """The fastest of `repeat` renders of a one-line document, in milliseconds, after one warm-up
    render (which loads fonts): the floor under every PDF the app makes. For `flask bench`."""
    render_pdf("pdf/test_document.html", title="Din Indgang")
    best = float("inf")
    for _ in range(max(repeat, 1)):
        started = time.perf_counter()
        render_pdf("pdf/test_document.html", title="Din Indgang")
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)
