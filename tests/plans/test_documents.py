"""The printed Min Plan (citizen's copy and journal copy) and the closing letter, read back with pypdf."""

import re
from datetime import date
from io import BytesIO

import pypdf
import pytest
from markupsafe import Markup

from webapp import pdf
from webapp.plans import services

from .factories import FOLLOW_UPS, FULL_PLAN, NANCY_CPR, make_course, make_plan


def pages_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(BytesIO(data)).pages]


def squash(text: str) -> str:
    """Text extraction breaks lines where the PDF does; compare words, not line breaks."""
    return re.sub(r"\s+", " ", text)


def get_pdf(visitor, url):
    response = visitor.client.get(url, follow_redirects=True)  # ?udgave=journal moves to its own URL
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_data()
    assert data.startswith(b"%PDF-")
    return data


@pytest.fixture
def closed_course(clock):
    return make_course(start=date(2027, 1, 4), end=date(2027, 1, 29), goal_attainment=4)


@pytest.fixture
def full_plan(clock):
    course = make_course(start=date(2026, 9, 7), end=date(2027, 1, 22), goal_attainment=3.5)
    follow_ups = [dict(row, follow_up_date=row["follow_up_date"].replace(year=2026, month=m))
                  for row, m in zip(FOLLOW_UPS, (10, 11, 12), strict=True)]
    for row in follow_ups:
        row["next_follow_up"] = None
    fields = dict(FULL_PLAN, goal_date=date(2026, 9, 14), next_follow_up=date(2026, 10, 1),
                  future_date=date(2027, 1, 22))
    make_plan(course, follow_ups=follow_ups, **fields)
    return course


# --- the citizen's copy ------------------------------------------------------------------------


def test_citizens_copy_in_plain_first_person_without_cpr(staff, full_plan, audit_watch):
    data = get_pdf(staff, f"/forloeb/{full_plan.id}/plan.pdf?udgave=borger")
    event = audit_watch.one("plan_printed", full_plan.citizen_id)
    assert event.details == f"forløb={full_plan.id} udgave=borger"
    pages = pages_text(data)
    text = squash(" ".join(pages))
    for heading in ("Min plan", "Mit mål", "Opfølgning", "Min Fremtid"):
        assert heading in text
    assert "Nancy Berggren" in text
    assert FULL_PLAN["goal"] in text
    assert "Min søster Åse vil gerne være med til en samtale." in text  # æøå survive
    assert "I hvor høj grad er mit mål nået 3,5 I høj grad" in text
    # No CPR digits at all, on any page.
    digits = re.sub(r"\D", "", " ".join(pages))
    assert NANCY_CPR not in digits and "251248" not in text and "9996" not in text
    # How to reach Din Indgang, and the door stays open after a closed course.
    assert "Havnegade 12, 7000 Fredericia" in text and "72 10 60 00" in text
    assert "Du er altid velkommen tilbage i Din Indgang." in text
    assert "Side 1 af" in pages[0]


def test_citizens_copy_shows_only_what_was_written(staff, clock):
    course = make_course()  # open
    make_plan(course, goal="Jeg vil sove bedre", follow_ups=[{"follow_up_date": date(2027, 2, 1),
                                                               "succeeded": "At gå en tur hver dag"}])
    text = squash(" ".join(pages_text(get_pdf(staff, f"/forloeb/{course.id}/plan.pdf?udgave=borger"))))
    assert "Jeg vil sove bedre" in text and "At gå en tur hver dag" in text
    assert "Hvad er jeg lykkedes med, under forløbet i Din Indgang" in text
    for empty in ("Mine delmål", "Succeskriterier", "Min Fremtid", "Hvad har jeg opnået", "Mine grunde"):
        assert empty not in text
    assert "Du er altid velkommen tilbage" not in text  # the course is still open


def test_an_empty_plan_prints_a_calm_page(staff, course):
    text = squash(pages_text(get_pdf(staff, f"/forloeb/{course.id}/plan.pdf"))[0])
    assert "Der er ikke skrevet noget i planen endnu." in text


def test_the_welcome_back_line_on_a_closed_course(staff, closed_course):
    make_plan(closed_course, achieved="Et budget")
    text = squash(" ".join(pages_text(get_pdf(staff, f"/forloeb/{closed_course.id}/plan.pdf?udgave=borger"))))
    assert "Du er altid velkommen tilbage i Din Indgang." in text


# --- the journal copy --------------------------------------------------------------------------


def test_journal_copy_like_the_paper_form(staff, full_plan, audit_watch):
    data = get_pdf(staff, f"/forloeb/{full_plan.id}/plan-journal.pdf")
    event = audit_watch.one("plan_printed", full_plan.citizen_id)
    assert event.details == f"forløb={full_plan.id} udgave=journal"
    pages = pages_text(data)
    assert len(pages) == 3  # like the paper form
    for number, page in enumerate(pages, start=1):
        flat = squash(page)
        assert "Min plan for Nancy Berggren 251248-9996" in flat
        assert "Gothersgade 20, 7000 Fredericia | 22334455" in flat
        assert "Udskrevet: 1. feb 2027 kl. 10:42" in flat
        assert f"side {number} af 3" in flat.lower()
    text = squash(" ".join(pages))
    for heading in ("Mit mål", "Opfølgning", "Min Fremtid", "Afslutningsdato 22. jan 2027"):
        assert heading in text
    assert text.count("Opfølgning Dato") == 3  # a section's title stays with its first row
    assert FULL_PLAN["goal"] in text
    assert "Hvem kan være noget for mig, og kan jeg være noget for andre" in text
    assert "I hvor høj grad er mit mål nået 3,5 I høj grad" in text


def test_journal_copy_shows_empty_fields_too(staff, course):
    make_plan(course, goal="Kun målet")
    text = squash(" ".join(pages_text(get_pdf(staff, f"/forloeb/{course.id}/plan-journal.pdf"))))
    assert "Mit mål Kun målet" in text
    for label in ("Mine grunde og motivation for at henvende mig til Din Indgang", "Mine delmål", "Succeskriterier",
                  "Andre emner", "Næste opfølgning", "Min Fremtid", "Hvad har jeg opnået", "Min fremtidige plan"):
        assert label in text
    assert "Min plan for Nancy Berggren 251248-9996" in text
    assert "side 1 af" in text.lower()


def test_an_unknown_edition_is_404(staff, course):
    assert staff.client.get(f"/forloeb/{course.id}/plan.pdf?udgave=alle").status_code == 404


# --- the closing letter -----------------------------------------------------------------------


def test_closing_letter(staff, closed_course, audit_watch):
    make_plan(closed_course, achieved="Jeg har lavet et budget.", future_plan="Frivilliggruppen ved havnen.")
    audit_watch.start()
    data = get_pdf(staff, f"/forloeb/{closed_course.id}/afslutning.pdf")
    audit_watch.one("closing_letter_printed", closed_course.citizen_id)
    pages = pages_text(data)
    assert len(pages) == 1
    text = squash(pages[0])
    assert "Tak for dit forløb i Din Indgang" in text
    assert "Kære Nancy" in text
    assert "Dit forløb i Din Indgang sluttede den 29. jan 2027." in text
    assert "I hvor høj grad er mit mål nået 4,0 I høj grad" in text
    assert "Jeg har lavet et budget." in text and "Frivilliggruppen ved havnen." in text
    assert "Du er altid velkommen tilbage i Din Indgang." in text
    assert "72 10 60 00" in text
    assert "251248" not in text


# --- user text is text ------------------------------------------------------------------------


def test_typed_html_and_urls_are_shown_as_text_and_never_fetched(staff, course, monkeypatch):
    fetched = []
    original = pdf.StaticFilesOnly.fetch

    def watching(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticFilesOnly, "fetch", watching)
    make_plan(
        course,
        goal='<img src="file:///etc/passwd">',
        sub_goals='<img src="http://example.com/x.png"> se http://example.com/y.css',
        follow_ups=[{"follow_up_date": date(2027, 2, 1), "my_goal": '<link rel="stylesheet" href="http://e.com/a">'}],
    )
    def solid(text):  # where a long line wraps depends on the layout; compare without blanks
        return re.sub(r"\s+", "", text)

    for edition in ("borger", "journal"):
        text = solid(" ".join(pages_text(get_pdf(staff, f"/forloeb/{course.id}/plan.pdf?udgave={edition}"))))
        assert solid('<img src="file:///etc/passwd">') in text
        assert solid('<img src="http://example.com/x.png"> se http://example.com/y.css') in text
        assert solid('<link rel="stylesheet" href="http://e.com/a">') in text
        assert "root:" not in text
    assert all(url.startswith(pdf.STATIC_URL) for url in fetched)  # fonts at most, nothing typed


# --- the FIT chart slot -----------------------------------------------------------------------


def test_the_fit_chart_shows_when_outcomes_provides_it(staff, course, monkeypatch):
    make_plan(course, goal="Mål")
    calls = []

    def chart(course_id, width=640):
        calls.append((course_id, width))
        return Markup('<svg xmlns="http://www.w3.org/2000/svg" width="640" height="80">'
                      '<text x="10" y="40">FIT-kurve for forløbet</text></svg>')

    monkeypatch.setattr(services, "course_chart", chart)
    for edition in ("borger", "journal"):
        text = squash(" ".join(pages_text(get_pdf(staff, f"/forloeb/{course.id}/plan.pdf?udgave={edition}"))))
        assert "FIT-kurve for forløbet" in text
    assert calls == [(course.id, 640), (course.id, 640)]


def test_no_fit_chart_block_without_outcomes(staff, course):
    make_plan(course, goal="Mål")
    text = squash(" ".join(pages_text(get_pdf(staff, f"/forloeb/{course.id}/plan-journal.pdf"))))
    assert "FIT" not in text
