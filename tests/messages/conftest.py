from datetime import UTC, datetime

import pytest
import time_machine

from webapp.tools.loopback import LoopbackGateway, LoopbackSmtp

# Wednesday 2 December 2026, 13:00 in Copenhagen.
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def smtp():
    server = LoopbackSmtp().start()
    yield server
    server.stop()


@pytest.fixture
def gateway():
    server = LoopbackGateway().start()
    yield server
    server.stop()


@pytest.fixture
def providers(app, monkeypatch):
    """Point the app at loopback providers: providers(smtp=..., gateway=...)."""

    def _set(smtp=None, gateway=None, **settings):
        monkeypatch.setitem(app.config, "SMTP_URL", smtp.url if smtp else None)
        monkeypatch.setitem(app.config, "SMS_URL", gateway.url if gateway else None)
        monkeypatch.setitem(app.config, "SMS_TOKEN", gateway.token if gateway else None)
        for name, value in settings.items():
            monkeypatch.setitem(app.config, name, value)

    return _set
