import socket
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from urllib.request import HTTPRedirectHandler

import pypdf
import pytest
from flask import render_template_string
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from webapp import pdf
from webapp.pdf import BASE_URL, STATIC_URL, FetchLog, FetchRefused, StaticFilesOnly, html_to_pdf, render_pdf

FONT_URLS = {
    STATIC_URL + "fonts/AtkinsonHyperlegible-Regular.ttf",
    STATIC_URL + "fonts/AtkinsonHyperlegible-Bold.ttf",
}


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(BytesIO(data)).pages]


def font_names(data: bytes) -> set[str]:
    names = set()
    for page in pypdf.PdfReader(BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def no_network(monkeypatch):
    """Fails the test if anything tries to resolve a name or open a connection."""
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access in a PDF test")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


# --- what the documents say ------------------------------------------------------------------------


def test_danish_letters_survive_text_extraction():
    data = render_pdf(
        "pdf/test_document.html",
        title="Min plan",
        paragraphs=["Hvad bringer dig herved? æøå ÆØÅ", "Łukasz Şahin Đorđe Müller"],
    )
    assert data.startswith(b"%PDF-")
    (text,) = pages_text(data)
    assert "æøå ÆØÅ" in text
    assert "Łukasz Şahin Đorđe Müller" in text  # latin-ext names from the same bundled font


def test_footer_counts_pages_and_header_repeats():
    data = render_pdf(
        "pdf/test_document.html",
        title="Min plan",
        header="Min plan for Nancy Berggren",
        printed_at=datetime(2027, 2, 3, 14, 2, tzinfo=UTC),
        second_page="Min Fremtid",
    )
    first, second = pages_text(data)
    assert "side 1 af 2" in first.lower()
    assert "side 2 af 2" in second.lower()
    for text in (first, second):
        assert "Min plan for Nancy Berggren" in text
        assert "Udskrevet: 3. feb 2027 kl. 15:02" in text  # Copenhagen time
    assert "Min Fremtid" in second


def test_one_page_document_says_side_1_af_1():
    (text,) = pages_text(render_pdf("pdf/test_document.html", title="Kort"))
    assert "Side 1 af 1" in text


def test_document_metadata():
    reader = pypdf.PdfReader(BytesIO(render_pdf("pdf/test_document.html", title="Min plan for Anne")))
    assert reader.metadata.title == "Min plan for Anne"
    assert reader.metadata.author == "Din Indgang"


def test_user_text_is_shown_escaped_and_never_fetched(no_network):
    log = FetchLog()
    hostile = '<img src="file:///etc/passwd">'
    data = render_pdf(
        "pdf/test_document.html",
        fetch_log=log,
        title=hostile,
        header=hostile,
        paragraphs=[hostile, '<link rel="stylesheet" href="http://example.com/x.css">'],
    )
    (text,) = pages_text(data)
    assert text.count('<img src="file:///etc/passwd">') == 3
    assert '<link rel="stylesheet" href="http://example.com/x.css">' in text
    assert log.refused == []
    assert all(url.startswith(STATIC_URL) for url in log.served)
    assert no_network == []


# --- the fetcher inside a real render --------------------------------------------------------------

HOSTILE_TEMPLATE = """{% extends "pdf/base.html" %}
{% block style %}
<link rel="stylesheet" href="http://example.com/evil.css">
<style>
  @import url("https://example.com/import.css");
  @font-face { font-family: Evil; src: url("http://example.com/evil.woff2"); }
  .bg { background: url("file:///etc/hostname"); font-family: Evil; }
</style>
{% endblock %}
{% block content %}
<h1>Fjendtlig skabelon</h1>
<p class="bg">Tekst</p>
<img src="file:///etc/passwd" alt="">
<img src="http://example.com/x.png" alt="">
<img src="//example.com/protocol-relative.png" alt="">
<img src="static/../../../etc/passwd" alt="">
<img src="static/%2e%2e/%2e%2e/%2e%2e/etc/passwd" alt="">
<img src="static/..%2f..%2fwebapp/pdf.py" alt="">
<img src="https://dinindgang.invalid/etc/passwd" alt="">
<img src="https://user@dinindgang.invalid/static/img/favicon.svg" alt="">
<img src="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E" alt="">
<a rel="attachment" href="file:///etc/passwd">vedhæftning</a>
<img src="static/img/favicon.svg" alt="logo">
{% endblock %}"""


def test_a_template_cannot_reach_files_or_the_network(no_network):
    log = FetchLog()
    data = html_to_pdf(render_template_string(HOSTILE_TEMPLATE), fetch_log=log)

    refused = set(log.refused)
    for url in (
        "http://example.com/evil.css",
        "https://example.com/import.css",
        "http://example.com/evil.woff2",
        "file:///etc/hostname",
        "file:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/protocol-relative.png",
        BASE_URL + "etc/passwd",  # ../ is resolved by URL joining before the fetcher sees it
        STATIC_URL + "%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        STATIC_URL + "..%2f..%2fwebapp/pdf.py",
        "https://user@dinindgang.invalid/static/img/favicon.svg",
    ):
        assert url in refused, url
    assert any(url.startswith("data:") for url in refused)
    assert log.refused.count("file:///etc/passwd") == 2  # the image, and the attachment at write time
    assert set(log.served) - FONT_URLS == {STATIC_URL + "img/favicon.svg"}
    assert no_network == []

    reader = pypdf.PdfReader(BytesIO(data))
    assert reader.attachments == {}
    text = "".join(page.extract_text() for page in reader.pages)
    assert "root:" not in text
    assert "Fjendtlig skabelon" in text


def test_bundled_fonts_are_served_from_static_and_embedded():
    log = FetchLog()
    # A fresh font cache: the shared one has already registered the fonts in an earlier test.
    data = html_to_pdf(
        render_template_string(
            '{% extends "pdf/base.html" %}{% block content %}<p>Hej <b>med dig</b></p>{% endblock %}'
        ),
        fetch_log=log,
        fonts=FontConfiguration(),
    )
    assert set(log.served) >= FONT_URLS
    assert log.refused == []
    names = font_names(data)
    assert any(name.endswith("+Atkinson-Hyperlegible") for name in names), names
    assert any(name.endswith("+Atkinson-Hyperlegible-Bold") for name in names), names


def test_the_font_configuration_is_shared():
    assert pdf.font_config() is pdf.font_config()
    render_pdf("pdf/test_document.html", title="En")
    log = FetchLog()
    render_pdf("pdf/test_document.html", title="To", fetch_log=log)
    assert log.served == []  # fonts were registered once for the process


# --- the fetcher on its own ------------------------------------------------------------------------


@pytest.fixture
def static_root(tmp_path):
    root = tmp_path / "static"
    (root / "img").mkdir(parents=True)
    (root / "img" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (root / "print.css").write_text("p { color: black }")
    (tmp_path / "secret.txt").write_text("hemmeligt")
    (root / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (root / "outside").symlink_to(tmp_path, target_is_directory=True)
    return root


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        (STATIC_URL + "img/logo.svg", "image/svg+xml"),
        (STATIC_URL + "print.css", "text/css"),
        (STATIC_URL + "img/logo.svg?v=2#x", "image/svg+xml"),
        (STATIC_URL + "img/../print.css", "text/css"),  # stays inside static/
        (STATIC_URL + "img%2Flogo.svg", "image/svg+xml"),
    ],
)
def test_fetcher_serves_static_files(static_root, url, content_type):
    fetcher = StaticFilesOnly(static_root)
    response = fetcher.fetch(url)
    assert response.content_type == content_type
    assert response.read()
    response.close()
    assert fetcher.log.served == [url]


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://example.com/x.png",
        "https://example.com/static/img/logo.svg",
        "http://dinindgang.invalid/static/img/logo.svg",  # not our scheme
        "https://dinindgang.invalid:443/static/img/logo.svg",
        "https://dinindgang.invalid.example.com/static/img/logo.svg",
        "https://dinindgang.invalid/static/",
        "https://dinindgang.invalid/static/img",  # a directory
        "https://dinindgang.invalid/static/missing.png",
        "https://dinindgang.invalid/img/logo.svg",
        "https://dinindgang.invalid/static/../secret.txt",
        "https://dinindgang.invalid/static/%2e%2e/secret.txt",
        "https://dinindgang.invalid/static/%2E%2E%2Fsecret.txt",
        "https://dinindgang.invalid/static//etc/passwd",
        "https://dinindgang.invalid/static/%2Fetc%2Fpasswd",
        "https://dinindgang.invalid/static/escape.txt",  # symlink out of static/
        "https://dinindgang.invalid/static/outside/secret.txt",
        "https://dinindgang.invalid/static/img/logo.svg%00.png",
        "data:text/plain,hello",
        "ftp://example.com/x",
        "https://[::1/static/x",  # malformed
    ],
)
def test_fetcher_refuses_everything_else(static_root, url):
    fetcher = StaticFilesOnly(static_root)
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.log.refused == [url]
    assert fetcher.log.served == []


def test_every_entry_point_of_the_fetcher_refuses(static_root, no_network):
    from urllib.request import Request

    fetcher = StaticFilesOnly(static_root)
    assert isinstance(fetcher, URLFetcher)
    for call in (
        lambda: fetcher("http://example.com/a"),
        lambda: fetcher.open("http://example.com/b"),
        lambda: fetcher.open(Request("http://example.com/c")),
    ):
        with pytest.raises(FetchRefused):
            call()
    assert fetcher.log.refused == ["http://example.com/a", "http://example.com/b", "http://example.com/c"]
    # Nothing could follow a redirect even if the parent's opener were reached.
    assert not any(isinstance(handler, HTTPRedirectHandler) for handler in fetcher.handlers)
    assert no_network == []


def test_fetcher_uses_the_apps_static_folder(app):
    fetcher = StaticFilesOnly(app.static_folder)
    assert fetcher.static_root == Path(app.static_folder).resolve()
    response = fetcher.fetch(STATIC_URL + "fonts/AtkinsonHyperlegible-Regular.ttf")
    assert response.read(4) == b"\x00\x01\x00\x00"  # a TrueType font
    response.close()


# --- helpers for routes and the benchmark ----------------------------------------------------------


@pytest.mark.parametrize(("download", "disposition"), [(False, "inline"), (True, "attachment")])
def test_pdf_response(app, download, disposition):
    with app.test_request_context():
        response = pdf.pdf_response(b"%PDF-1.7 test", "min-plan-æøå.pdf", download=download)
        response.direct_passthrough = False
        assert response.mimetype == "application/pdf"
        assert response.headers["Content-Disposition"].startswith(disposition)
        assert "filename*=UTF-8''min-plan-%C3%A6%C3%B8%C3%A5.pdf" in response.headers["Content-Disposition"]
        assert response.get_data() == b"%PDF-1.7 test"
        response.close()


def test_pdf_floor_ms():
    floor = pdf.pdf_floor_ms(repeat=2)
    assert isinstance(floor, float)
    assert floor > 0
