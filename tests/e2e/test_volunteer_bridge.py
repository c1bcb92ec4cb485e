"""The volunteer bridge in a real browser (Debian's Chromium), end to end: a medarbejder asks for a
volunteer activity from the citizen page; the volunteer coordinator proposes one from her queue,
records the contact with the organisation (the citizen's consent allows it) and books the kick-off
from her home; `flask messages send` then delivers the kick-off reminder to a real SMTP server on
loopback – plain Danish, the time and the place, no CPR number, no note."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from webapp.audit import AuditEvent
from webapp.citizens.models import Meeting
from webapp.extensions import db
from webapp.handover.consents import record_consent
from webapp.messages.models import OutboxMessage
from webapp.timeutil import local, today_local, utcnow
from webapp.tools.loopback import LoopbackSmtp

from ..citizens.factories import make_citizen_with_cpr, make_course
from ..factories import make_user, refresh
from ..volunteers.factories import make_activity, make_organisation
from .helpers import log_in

pytestmark = pytest.mark.e2e

NOTE = "Bekymret for søvnen efter skilsmissen"  # a note that must never leave the house


@pytest.fixture
def smtp(app, monkeypatch):
    server = LoopbackSmtp().start()
    monkeypatch.setitem(app.config, "SMTP_URL", server.url)
    yield server
    server.stop()


def test_staff_ask_the_coordinator_matches_books_the_kickoff_and_the_reminder_arrives(live_server, browser, app,
                                                                                       runner, smtp):
    mette = make_user("mette", roles=("staff",), full_name="Mette Madsen", initials="MM")
    make_user("frida", roles=("volunteer_coordinator",), full_name="Frida Frivillig", initials="FF")
    nancy = make_citizen_with_cpr("Nancy", "Berggren", email="nancy@example.dk", contact_preference="email",
                                  contact_consent=True, contact_consent_at=utcnow())
    today = today_local()
    course = make_course(nancy, start=today - timedelta(days=7 * 15))  # week 16: a kick-off is due
    record_consent(nancy.id, basis="samtykke", purpose="Brobygning til frivilligt tilbud",
                   recipient_code="frivillig_organisation", given_on=today - timedelta(days=1), user=mette)
    db.session.commit()
    walk = make_activity(make_organisation("Idrætsforeningen Vold-Motion"), "Gå-makker", "motion", "Voldene")

    # A medarbejder asks for an activity from the citizen page.
    staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK").new_page()
    log_in(staff, live_server, "mette")
    staff.goto(f"{live_server}/borgere/{nancy.id}")
    staff.get_by_role("link", name="Efterlys frivilligt tilbud").click()
    staff.get_by_label("Hvad kunne borgeren have lyst til?").fill("En makker at gå tur med om morgenen")
    staff.get_by_label("Hvad skal der tages hensyn til?").fill(NOTE)
    staff.get_by_label("Motion").check()
    staff.get_by_role("button", name="Send efterlysningen").click()
    expect(staff.get_by_text("Efterlysningen er sendt til frivilligkoordinatoren.")).to_be_visible()
    staff.context.close()

    # The coordinator finds it in her queue and proposes the walking buddy.
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK").new_page()
    log_in(page, live_server, "frida")
    expect(page.get_by_role("heading", name="Åbne efterlysninger")).to_be_visible()
    page.get_by_role("link", name="Efterlysninger", exact=True).first.click()
    item = page.locator("article, section").filter(has_text="Nancy Berggren").filter(
        has=page.get_by_role("button", name="Foreslå aktivitet")).first
    item.get_by_label("Aktivitet").select_option(str(walk.id))
    item.get_by_role("button", name="Foreslå aktivitet").click()
    expect(page.get_by_text("»Gå-makker« er foreslået for Nancy.")).to_be_visible()

    # She calls the club: the citizen's consent lets her give them Nancy's name.
    page.get_by_label("Næste skridt").select_option("kontakt_etableret")
    page.get_by_label("Dag").fill(today.isoformat())
    page.get_by_role("button", name="Gem skridtet").click()
    expect(page.get_by_text("Skridtet »Kontakt etableret« er registreret.")).to_be_visible()

    # Her home proposes the kick-off; she books it for three hours from now.
    page.get_by_role("link", name="Forside").click()
    proposals = page.locator("li").filter(has_text="Nancy Berggren").filter(
        has=page.get_by_role("link", name="Book kick-off"))
    proposals.get_by_role("link", name="Book kick-off").click()
    starts = (local(utcnow()) + timedelta(hours=3)).replace(second=0, microsecond=0)
    page.get_by_label("Dato").fill(starts.date().isoformat())
    page.get_by_label("Kl.").fill(f"{starts:%H:%M}")
    page.get_by_label("Borgerens medarbejder (holder mødet)").select_option(label="Mette Madsen")
    page.get_by_role("button", name="Book kick-off-mødet").click()
    expect(page.get_by_text("frivilligkoordinatoren er inviteret")).to_be_visible()
    expect(page.get_by_role("heading", name="Kick-off denne og næste uge")).to_be_visible()
    page.context.close()

    refresh()
    meeting = db.session.scalar(select(Meeting).where(Meeting.kind == "kickoff", Meeting.course_id == course.id))
    assert meeting is not None and meeting.staff2.username == "frida"
    pending = db.session.scalars(select(OutboxMessage).where(OutboxMessage.citizen_id == nancy.id)).all()
    assert [(m.channel, m.status) for m in pending] == [("email", "venter")]

    # The cron job's command delivers what is due to the loopback SMTP server.
    result = runner.invoke(args=["messages", "send"])
    assert result.exit_code == 0, result.output
    assert len(smtp.messages) == 1
    mail = smtp.messages[0]
    assert mail["To"] == "nancy@example.dk"
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert "Nancy" in body and f"kl. {starts:%H.%M}" in body and "Havnegade 12" in body
    assert "Kan du ikke komme" in body and "72 10 60 00" in body
    for secret in (nancy.cpr, nancy.cpr[:6], NOTE, "kick", "Kick", "frivillig", "Gå-makker"):
        assert secret not in body and secret not in str(mail["Subject"])
    assert not re.search(r"\d{6}-?\d{4}", body)
    refresh()
    sent = db.session.scalar(select(OutboxMessage).where(OutboxMessage.citizen_id == nancy.id))
    assert sent.status == "sendt" and sent.sent_at is not None
    assert db.session.scalar(select(AuditEvent.citizen_id).where(AuditEvent.action == "reminder_sent")) == nancy.id
    assert db.session.scalar(select(AuditEvent.citizen_id).where(
        AuditEvent.action == "volunteer_contact_disclosed")) == nancy.id
    assert runner.invoke(args=["messages", "send"]).exit_code == 0 and len(smtp.messages) == 1  # at most once
    assert isinstance(starts, datetime)
