"""Small helpers for serving a page and its htmx fragment from one URL."""

from flask import make_response, render_template, request


def htmx_request() -> bool:
    return request.headers.get("HX-Request") == "true"


def partial_or_page(page: str, partial: str, status: int = 200, **context):
    """The full page for a normal GET, its partial for htmx (boosted navigation gets the page)."""
    wants_partial = htmx_request() and request.headers.get("HX-Boosted") != "true"
    response = make_response(render_template(partial if wants_partial else page, **context), status)
    response.vary.add("HX-Request")
    return response
