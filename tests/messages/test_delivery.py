"""Delivery to real providers on loopback: an SMTP server (aiosmtpd) and an HTTP server shaped like
GatewayAPI's send endpoint. The clock starts at Wednesday 2 December 2026, 13:00 in Copenhagen;
most bookings are for tomorrow, so their reminders are due today at 17:00 (`DUE`), where the
tests move the clock before sending."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from webapp.audit import AuditEvent
from webapp.extensions import db
from webapp.messages import sender
from webapp.messages.transports import message_id

from .factories import book_guide, book_meeting, enrol, local_at, make_group, make_reminded_citizen, outbox

THU_10 = local_at(2026, 12, 3, 10)  # tomorrow 10:00: reminded today at 17:00 CET (16:00 UTC)
DUE = datetime(2026, 12, 2, 16, 0, tzinfo=UTC)
CPR_LIKE = re.compile(r"\d{6}-?\d{4}")


def _at(clock, when):
    clock.move_to(when)


def test_an_email_arrives_with_plain_headers_and_nothing_personal_beyond_name_time_and_place(
        app, clock, smtp, providers):
    providers(smtp=smtp)
    anna = make_reminded_citizen("Anna", preference="email", email="anna@example.dk", cpr="0101901234",
                                 last_name="Hemmeligsen")
    run, _meeting = make_group(THU_10, theme_name="Følelseshåndtering")
    enrol(run, anna, datetime(2026, 11, 1).date())
    book_meeting(anna, local_at(2026, 12, 3, 14), kind="coaching")
    _at(clock, DUE)
    outcome = sender.send_due()
    assert (outcome.sent, outcome.retried, outcome.failed) == (2, 0, 0)
    assert len(smtp.messages) == 2
    rows = {r.idempotency_key: r for r in outbox(anna.id)}
    for mail in smtp.messages:
        key = next(k for k in rows if message_id(k, app.config["MAIL_FROM"]) == mail["Message-ID"])
        row = rows[key]
        assert (row.status, row.provider_id, row.sent_at) == ("sendt", mail["Message-ID"], DUE)
        assert mail["From"] == "Din Indgang <noreply@dinindgang.invalid>"
        assert mail["To"] == "anna@example.dk"
        assert mail["Subject"].startswith("Påmindelse: din aftale torsdag 3. december kl. ")
        body = mail.get_content().replace("\r\n", "\n")
        assert body.startswith("Hej Anna\n")
        assert "Kan du ikke komme, så ring til os på 72 10 60 00." in body
        assert "Havnegade 12, 7000 Fredericia" in body
        whole = str(mail)
        assert not CPR_LIKE.search(whole) and "0101901234" not in whole
        for secret in ("Hemmeligsen", "Følelseshåndtering", "H-2026-01", "oaching", "pfølgning", "gruppe"):
            assert secret not in whole
    assert smtp.envelopes[0].rcpt_tos == ["anna@example.dk"]
    audit_rows = db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == "reminder_sent")).all()
    assert sorted(a.citizen_id for a in audit_rows) == [anna.id, anna.id]
    assert sender.send_due().sent == 0  # nothing twice


def test_an_sms_reaches_the_gateway_as_json_with_the_token_and_the_key(app, clock, gateway, providers):
    providers(gateway=gateway)
    bo = make_reminded_citizen("Bo", phone="+45 20 11 22 33", cpr="0202801234")
    gc = book_guide(bo, THU_10)
    _at(clock, DUE)
    assert sender.send_due().sent == 1
    [(headers, payload)] = gateway.requests
    key = f"r:guide:{gc.id}:{bo.id}:dagen_foer"
    assert headers["authorization"] == "Token loopback-token"
    assert headers["idempotency-key"] == key
    assert headers["content-type"] == "application/json"
    assert payload == {
        "sender": "Din Indgang",
        "message": "Hej Bo\nHusk din aftale torsdag 3. december kl. 10.00.\n"
                   "Sted: Din Indgang, Havnegade 12, 7000 Fredericia.\n"
                   "Kan du ikke komme, så ring til os på 72 10 60 00.\nVenlig hilsen Din Indgang",
        "recipients": [{"msisdn": 4520112233}],
        "userref": key,
    }
    [row] = outbox(bo.id)
    assert (row.status, row.provider_id, row.attempts) == ("sendt", "1001", 1)


def test_without_providers_messages_stay_queued_and_the_citizen_page_says_why(app, clock, login, providers):
    providers()
    anna = make_reminded_citizen()
    book_guide(anna, THU_10)
    _at(clock, DUE)
    outcome = sender.send_due()
    assert (outcome.sent, outcome.retried) == (0, 0)
    assert [(r.status, r.attempts) for r in outbox(anna.id)] == [("venter", 0)]
    assert sender.waiting_without_provider(set()) == {"sms": 1}
    page = login("staff").get(f"/borgere/{anna.id}").get_data(as_text=True)
    assert "Venter: der er ikke sat en SMS-udbyder op" in page
    assert "Husk din aftale" not in page  # never the message itself


def test_smtp_down_stays_queued_is_retried_and_delivered_once_when_back(app, clock, providers):
    from webapp.tools.loopback import LoopbackSmtp

    down = LoopbackSmtp()  # a port nobody listens on yet
    providers(smtp=down)
    anna = make_reminded_citizen(preference="email")
    book_guide(anna, THU_10)
    _at(clock, DUE)
    first = sender.send_due()
    [row] = outbox(anna.id)
    assert (first.sent, first.retried) == (0, 1)
    assert (row.status, row.attempts, row.next_attempt_at) == ("venter", 1, DUE + timedelta(minutes=1))
    assert row.last_error.startswith("ConnectionRefusedError")
    down.start()
    try:
        assert sender.send_due().sent == 0  # not yet: backoff
        _at(clock, DUE + timedelta(minutes=1))
        assert sender.send_due().sent == 1
        assert sender.send_due().sent == 0
        assert len(down.messages) == 1
        assert outbox(anna.id)[0].status == "sendt"
    finally:
        down.stop()


def test_gateway_errors_are_retried_with_backoff_and_delivered_once(app, clock, gateway, providers):
    providers(gateway=gateway)
    gateway.faults = ["500", "500"]
    bo = make_reminded_citizen("Bo")
    book_guide(bo, THU_10)
    _at(clock, DUE)
    assert sender.send_due().retried == 1
    assert outbox(bo.id)[0].next_attempt_at == DUE + timedelta(minutes=1)
    _at(clock, DUE + timedelta(minutes=1))
    assert sender.send_due().retried == 1
    [row] = outbox(bo.id)
    assert (row.attempts, row.next_attempt_at, row.last_error) == (
        2, DUE + timedelta(minutes=3), "HTTPError 500")
    _at(clock, DUE + timedelta(minutes=3))
    assert sender.send_due().sent == 1
    assert len(gateway.requests) == 3 and len(gateway.delivered) == 1
    assert outbox(bo.id)[0].status == "sendt"


def test_a_gateway_timing_out_is_retried_with_the_same_key_and_delivered_once(app, clock, gateway, providers):
    providers(gateway=gateway, MESSAGE_TIMEOUT_SECONDS=1)
    gateway.faults = ["slow"]  # takes the message, answers after the sender gave up
    bo = make_reminded_citizen("Bo")
    book_guide(bo, THU_10)
    _at(clock, DUE)
    first = sender.send_due()
    assert (first.sent, first.retried) == (0, 1)
    assert outbox(bo.id)[0].last_error.startswith("TimeoutError")
    _at(clock, DUE + timedelta(minutes=1))
    assert sender.send_due().sent == 1
    keys = [h["idempotency-key"] for h, _ in gateway.requests]
    assert len(keys) == 2 and keys[0] == keys[1]
    assert len(gateway.delivered) == 1  # the gateway honoured the key: the citizen got one SMS


def test_a_refused_recipient_fails_at_once_and_too_many_tries_fail(app, clock, gateway, providers):
    providers(gateway=gateway, MESSAGE_MAX_ATTEMPTS=2)
    gateway.faults = ["400", "500", "500"]
    anna, bo = make_reminded_citizen("Anna"), make_reminded_citizen("Bo")
    book_guide(anna, THU_10)
    _at(clock, DUE)
    assert sender.send_due().failed == 1
    assert [(r.status, r.last_error) for r in outbox(anna.id)] == [("fejlet", "HTTPError 400")]
    book_guide(bo, local_at(2026, 12, 3, 11))
    sender.send_due()
    _at(clock, DUE + timedelta(minutes=1))
    assert sender.send_due().failed == 1
    assert [(r.status, r.attempts) for r in outbox(bo.id)] == [("fejlet", 2)]
    assert len(gateway.delivered) == 0


def test_a_moved_meeting_is_reminded_at_its_new_time_only(app, clock, gateway, providers):
    providers(gateway=gateway)
    bo = make_reminded_citizen("Bo")
    meeting = book_meeting(bo, local_at(2026, 12, 8, 10))  # Tuesday: reminded Monday 17:00
    meeting.starts_at = local_at(2026, 12, 11, 10)  # moved to Friday: reminded Thursday 17:00
    db.session.commit()
    _at(clock, datetime(2026, 12, 7, 16, 5, tzinfo=UTC))
    assert sender.send_due().sent == 0
    _at(clock, datetime(2026, 12, 10, 16, 5, tzinfo=UTC))
    assert sender.send_due().sent == 1
    [(_headers, payload)] = gateway.requests
    assert "fredag 11. december kl. 10.00" in payload["message"]


def test_a_reminder_left_waiting_past_its_event_is_never_sent(app, clock, gateway, providers):
    providers()
    bo = make_reminded_citizen("Bo")
    book_guide(bo, THU_10)
    _at(clock, datetime(2026, 12, 3, 9, 30, tzinfo=UTC))  # 10:30: the conversation has begun
    providers(gateway=gateway)
    assert sender.send_due().cancelled == 1
    assert [(r.status, r.cancel_reason) for r in outbox(bo.id)] == [("annulleret", "for_sent")]
    assert gateway.requests == []


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_smtp_login_from_the_url_is_used(app, clock, providers):
    from aiosmtpd.smtp import AuthResult

    from webapp.tools.loopback import LoopbackSmtp

    logins = []

    def authenticator(_server, _session, _envelope, mechanism, data):
        logins.append((mechanism, data.login, data.password))
        return AuthResult(success=(data.login, data.password) == (b"paamind", b"hemmelig kode"))

    server = LoopbackSmtp(authenticator=authenticator, auth_required=True, auth_require_tls=False).start()
    try:
        providers(smtp=server, SMTP_URL=f"smtp://paamind:hemmelig%20kode@127.0.0.1:{server.port}")
        anna = make_reminded_citizen(preference="email")
        book_guide(anna, THU_10)
        _at(clock, DUE)
        assert sender.send_due().sent == 1
        assert [login for _m, login, _p in logins] == [b"paamind"] and len(server.messages) == 1
    finally:
        server.stop()
