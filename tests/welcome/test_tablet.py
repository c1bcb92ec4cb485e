"""The discreet welcome tablet (#14): each board slot states what the room may read.

The host's page and /dagstavle?visning=tablet show counts and each item's discreet line (a time and
a first name + surname initial, or initials, at most), never a partner, topic, note or birth date
beside a person; staff workstations keep the full board."""

import re
from datetime import date, timedelta

import pytest

from webapp.board import board_slots
from webapp.cache import clear_caches
from webapp.timeutil import format_date, today_local
from webapp.welcome import vocab

from ..factories import make_citizen, make_contact, make_user
from ..handover.factories import at, make_consent, make_course, make_handover, make_meeting, make_outreach

BG = {"HX-Request": "true", "X-Background": "1"}
# "Anden"/"Andet" (other) are ordinary words; every other partner and topic label must not show.
PARTNER_WORDS = [w for w in vocab.PARTNERS.values() if w != "Anden"]
TOPIC_WORDS = [w for w in vocab.TOPICS.values() if w != "Andet"]


def words_found(text: str, words) -> list[str]:
    """The labels that stand as words in the text (case-insensitive), and any mention of psychiatry."""
    found = [w for w in words if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.I)]
    return found + (["psykiatri"] if "psykiatri" in text.lower() else [])


def visible_text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S))


def birth_date_spellings(born: date) -> list[str]:
    return [born.strftime("%d.%m.%Y"), born.strftime("%d-%m-%Y"), born.isoformat(), born.strftime("%d%m%y"),
            f"{born.day}.{born.month}.{born.year}", format_date(born)]


def assert_discreet(line: str, surname: str = "", born: date | None = None) -> None:
    assert line, "a slot item with a person must state its discreet line"
    assert not words_found(line, PARTNER_WORDS + TOPIC_WORDS), f"a partner or topic beside a person: {line!r}"
    if surname:
        assert surname not in line
    for spelling in birth_date_spellings(born) if born else []:
        assert spelling not in line
    assert not re.search(r"\b(19|20)\d\d\b", line), f"a year (a date) beside a person: {line!r}"


def slot(heading: str, day: date | None = None):
    return board_slots(day or today_local())[heading]


@pytest.fixture
def host(login):
    return login("staff", username="vera")


@pytest.fixture
def lise():
    """Lise, born 2 January 1990, whom the local psychiatry asked us to visit at home."""
    citizen = make_citizen("Lise", "Hemmeligsen", birth_date=date(1990, 1, 2))
    make_outreach(today_local() - timedelta(days=20), citizen_id=citizen.id, partner_code="lokalpsykiatri",
                  partner_name="Distriktspsykiatrien Vest", reason="Angst, kommer ikke ud")
    return citizen


# --- each provider states its discreet line -------------------------------------------------------


def test_outreach_names_the_person_never_the_partner(lise):
    make_outreach(today_local() - timedelta(days=1), citizen_first_name="Kasper", partner_code="hospitalspsykiatri")
    items = slot("Udekørende funktion").items
    assert "Lokalpsykiatri" in items[0].text  # the workstation's line keeps the partner
    assert [i.discreet for i in items] == ["Lise H.", "Kasper"]
    for item in items:
        assert_discreet(item.discreet, "Hemmeligsen", lise.birth_date)
    assert slot("Udekørende funktion").folded
    assert slot("Udekørende funktion").count_label == "2 anmodninger, heraf 1 forsinket"


def test_course_milestones_name_the_person_without_dates_or_weeks():
    nancy = make_citizen("Nancy", "Berggren", birth_date=date(1948, 12, 25))
    make_course(nancy, today_local() - timedelta(days=30))  # the first follow-up is overdue
    follow_ups = slot("Opfølgninger i dag og denne uge")
    assert follow_ups.items and follow_ups.items[0].urgent
    assert "opfølgning" in follow_ups.items[0].text
    assert follow_ups.items[0].discreet == "Nancy B."
    assert_discreet(follow_ups.items[0].discreet, "Berggren", nancy.birth_date)
    assert follow_ups.folded and follow_ups.count_label == "1 opfølgning, heraf 1 forsinket"
    assert slot("Uge 10-vurderinger").folded and slot("Forløb der slutter inden for to uger").folded


def test_unanswered_handovers_name_the_person_only():
    anna = make_citizen("Anna", "Andersen", birth_date=date(1985, 5, 17))
    course = make_course(anna, today_local() - timedelta(days=60))
    mads = make_user("mads")
    make_handover(course, status="sendt", sent_at=at(today_local() - timedelta(days=2)), sent_by_id=mads.id,
                  consent_id=make_consent(anna).id)
    handovers = slot("Overdragelser uden kvittering")
    assert "sendt" in handovers.items[0].text
    assert handovers.items[0].discreet == "Anna A."
    assert_discreet(handovers.items[0].discreet, "Andersen", anna.birth_date)
    assert handovers.folded


def test_coaching_shows_time_and_initials_without_the_relative():
    from ..outcomes.factories import make_relative

    anna = make_citizen("Anna", "Andersen", birth_date=date(1985, 5, 17))
    course = make_course(anna, today_local() - timedelta(days=10))
    make_meeting(anna, at(today_local(), 13), status="planlagt", course=course,
                 relative_id=make_relative(anna).id)
    coaching = slot("Coachende samtaler i dag")
    assert "med pårørende" in coaching.items[0].text
    assert coaching.items[0].discreet == "13:00 A.A."
    assert_discreet(coaching.items[0].discreet, "Andersen", anna.birth_date)
    assert not coaching.folded  # the host greets whoever arrives


def test_every_slot_item_that_names_a_citizen_has_a_discreet_line(lise):
    make_course(make_citizen("Nancy", "Berggren"), today_local() - timedelta(days=30))
    named = [(s, i) for s in board_slots(today_local()).values() for i in s.items if i.citizen_id]
    assert len(named) >= 2
    for _slot, item in named:
        assert_discreet(item.discreet)


# --- the tablet renders them; the workstation keeps the full board --------------------------------


def test_the_hosts_page_and_the_tablet_poll_are_discreet(host, lise):
    make_contact(note="Har det svært med angsten", citizen_id=lise.id, from_type="samarbejdspartner",
                 partner="lokalpsykiatri", kind="phone")
    make_contact(kind="ad_hoc", topics="mitid,brev", citizen_id=lise.id)
    pages = {"/": host.get("/").get_data(as_text=True),
             "tablet": host.get("/dagstavle?visning=tablet", headers=BG).get_data(as_text=True)}
    for name, html in pages.items():
        assert 'data-discreet="1"' in html, name
        assert "Lise H." in html and "L.H." in html  # the outreach item, folded; the timeline's initials
        assert "1 anmodning, heraf 1 forsinket" in html and "data-refold-after=" in html
        text = visible_text(html)
        assert not words_found(text, PARTNER_WORDS + TOPIC_WORDS + ["angsten", "Hemmeligsen", "1990"]), name


def test_the_workstation_keeps_the_full_board(host, lise):
    make_contact(citizen_id=lise.id, from_type="samarbejdspartner", partner="lokalpsykiatri", kind="phone")
    for html in (host.get("/dagstavle").get_data(as_text=True),
                 host.get("/dagstavle?visning=arbejdsplads", headers=BG).get_data(as_text=True)):
        assert 'data-discreet="1"' not in html and "slot-fold" not in html
        assert "Lise (Lokalpsykiatri" in html  # the outreach line
        assert '<span class="t-from">Lokalpsykiatri</span>' in html  # the timeline row


def test_a_slot_item_without_a_discreet_line_is_counted_never_listed_on_the_tablet(host):
    from webapp.board import BOARD_SLOT_PROVIDERS, Slot, SlotItem

    def secret_slot(day):
        return Slot("Hemmelig liste", [SlotItem("Ida I. – noget privat", citizen_id=None)], folded=False)

    BOARD_SLOT_PROVIDERS.append(secret_slot)
    clear_caches()  # the slots are cached per change counter
    try:
        html = host.get("/").get_data(as_text=True)
        assert "Hemmelig liste" in html and "1 vises kun på arbejdspladsen" in html
        assert "Ida I." not in html
        assert "Ida I. – noget privat" in host.get("/dagstavle").get_data(as_text=True)
    finally:
        BOARD_SLOT_PROVIDERS.remove(secret_slot)
        clear_caches()


def test_search_results_on_the_tablet_show_the_birth_year_only(host):
    make_citizen("Anna", "Andersen", birth_date=date(1990, 1, 2))
    make_citizen("Anna", "Aagaard", birth_date=date(1971, 7, 9))
    contact = make_contact(kind="visit")
    html = host.post(f"/henvendelser/{contact.id}/borger/soeg", {"q": "Anna"}).get_data(as_text=True)
    assert "Anna A. · f. 1990" in html and "Anna A. · f. 1971" in html
    assert "02.01.1990" not in html and "09.07.1971" not in html


def test_the_note_and_the_search_clear_themselves_after_the_configured_time(host, app):
    contact = make_contact(kind="visit")
    html = host.get(f"/henvendelser/{contact.id}/panel", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert html.count(f'data-idle-clear="{app.config["TABLET_CLEAR_SECONDS"]}"') == 2  # the note, the search
    assert "data-idle-empty" in html and "data-idle-keep" in html
