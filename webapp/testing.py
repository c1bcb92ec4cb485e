"""Helpers shared by the test suite and the benchmark."""

import contextvars
import re

from flask.testing import FlaskClient

CSRF_RE = re.compile(r'(?:name="csrf_token" type="hidden" value|data-csrf-token)="([^"]+)"')


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as on a real server: it never shares the caller's
    application context, `g` or database session."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class Visitor:
    """A person at a browser: keeps the CSRF token the pages hand out and posts with it."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        if found := CSRF_RE.search(response.get_data(as_text=True)):
            self.token = found.group(1)
        return response

    def post(self, url, data=None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.token)
        return self.client.post(url, data=data, **kwargs)

    def login(self, username, password):
        self.get("/login")
        response = self.post("/login", {"username": username, "password": password})
        if response.status_code == 302:
            self.get("/", follow_redirects=True)  # the authority role is sent on to its inbox
        return response

    def logout(self):
        return self.post("/logout")
