"""Benchmark figures for the secretariat's desk (issue #11):

- key_figures_year_p95_ms: the key-figures page for the last whole year (≤ 100 ms at 2,000,000
  contacts / 100,000 citizens), looked at again while nothing changes (the figures are kept per
  value of the live change counter);
- key_figures_year_after_change_p95_ms: the same page right after a contact is logged – every
  figure computed anew in SQL, the price of the first look after any change;
- key_figures_all_p95_ms / key_figures_all_after_change_p95_ms: the same for ten years (≤ 1,000 ms);
- economics_year_p95_ms: the economics page for the last year;
- bilag6_pdf_ms / committee_pdf_ms: one documentation-form PDF of a closed course and the
  committee's PDF report for the last year (median of a few runs: PDFs are slow by nature).

On the large database the catalogue of offers, shadow assessments for three in four closed courses
and disability categories on half the citizens are seeded in bulk, so the sums stay indexed."""

import secrets
import statistics
import time
from datetime import date, timedelta

from sqlalchemy import func, insert, select, update

from webapp.tools.bench import SeedContext, p95, timed, timed_after_change

OFFERS = [
    ("Socialpædagogisk støtte", "SEL § 85", 180_000, False),
    ("Aktivitets- og samværstilbud", "SEL § 104", 95_000, False),
    ("Beskyttet beskæftigelse", "SEL § 103", 120_000, False),
    ("Midlertidigt botilbud", "SEL § 107", 620_000, True),
    ("Længerevarende botilbud", "SEL § 108", 780_000, True),
    ("Ledsageordning", "SEL § 97", 40_000, False),
    ("Kontaktperson", "SEL § 98", 60_000, False),
    ("Mentor", "LAB § 31", 50_000, False),
]
BATCH = 20_000
PDF_RUNS = 3


def seed(ctx: SeedContext) -> None:
    from webapp.citizens.models import Citizen, Course
    from webapp.citizens.vocab import DISABILITY_CATEGORIES
    from webapp.documentation.models import CourseDocumentation, MunicipalOffer, ShadowLine
    from webapp.extensions import db

    offer_ids = db.session.scalars(insert(MunicipalOffer).returning(MunicipalOffer.id, sort_by_parameter_order=True), [
        {"name": name, "law_section": law, "yearly_tariff": tariff, "is_housing": housing}
        for name, law, tariff, housing in OFFERS]).all()
    if ctx.n_citizens:
        db.session.execute(
            update(Citizen).where(Citizen.id % 2 == 0)
            .values(disability_category=DISABILITY_CATEGORIES[0]))
    closed = db.session.execute(
        select(Course.id, Course.end_date).where(Course.end_date.is_not(None)).order_by(Course.id)).all()
    docs = [{"course_id": course_id, "shadow_assessed_on": end, "after_recorded_on": end, "filled_on": end}
            for n, (course_id, end) in enumerate(closed) if n % 4]
    doc_ids: list[int] = []
    for start in range(0, len(docs), BATCH):
        doc_ids += db.session.scalars(
            insert(CourseDocumentation).returning(CourseDocumentation.id, sort_by_parameter_order=True),
            docs[start:start + BATCH]).all()
    lines = []
    for n, doc_id in enumerate(doc_ids):
        if n % 7 < 4:  # four in seven would have received an offer
            name, law, tariff, _ = OFFERS[n % len(OFFERS)]
            lines.append({"documentation_id": doc_id, "scenario": "uden", "slot": 1, "offer_id": offer_ids[n % len(OFFERS)],
                          "offer_name": name, "law_section": law, "yearly_tariff": tariff, "percent": 50 + n % 51})
        if n % 7 == 0:  # one in seven actually did
            name, law, tariff, _ = OFFERS[(n + 1) % len(OFFERS)]
            lines.append({"documentation_id": doc_id, "scenario": "efter", "slot": 1,
                          "offer_id": offer_ids[(n + 1) % len(OFFERS)], "offer_name": name, "law_section": law,
                          "yearly_tariff": tariff, "percent": 100})
        if len(lines) >= BATCH:
            db.session.execute(insert(ShadowLine), lines)
            lines = []
    if lines:
        db.session.execute(insert(ShadowLine), lines)
    db.session.commit()
    db.session.execute(select(func.count()).select_from(ShadowLine))  # touch: statistics are current


def _last_year(today: date) -> tuple[str, str]:
    return date(today.year - 1, 1, 1).isoformat(), date(today.year - 1, 12, 31).isoformat()


def measure(app, visitor, runs: int) -> dict:
    from webapp.citizens.models import Course
    from webapp.extensions import db
    from webapp.timeutil import today_local

    figures: dict[str, float] = {}
    today = today_local()
    first, last = _last_year(today)
    ten_years = (today - timedelta(days=3652)).isoformat()

    def get(url: str, status: int = 200):
        response = visitor.client.get(url)
        assert response.status_code == status, (url, response.status_code)
        return response

    def log_contact():
        response = visitor.post("/henvendelser", {"kind": "phone", "tap_token": secrets.token_urlsafe(18)},
                                headers={"HX-Request": "true"})
        assert response.status_code == 201, response.status_code

    year_url = f"/noegletal?periode=valgt&fra={first}&til={last}"
    figures["key_figures_year_p95_ms"] = p95(timed(lambda: get(year_url), runs))
    figures["key_figures_year_after_change_p95_ms"] = p95(timed_after_change(log_contact, lambda: get(year_url), runs))
    all_url = f"/noegletal?periode=valgt&fra={ten_years}&til={today.isoformat()}"
    figures["key_figures_all_p95_ms"] = p95(timed(lambda: get(all_url), max(5, runs // 4)))
    figures["key_figures_all_after_change_p95_ms"] = p95(
        timed_after_change(log_contact, lambda: get(all_url), max(5, runs // 4)))
    views = app.view_functions
    if "reports.economics" in views:
        economics_url = f"/oekonomi?periode=valgt&fra={first}&til={last}"
        figures["economics_year_p95_ms"] = p95(timed(lambda: get(economics_url), runs))

    def median_ms(url: str) -> float:
        get(url)  # warm fonts and templates
        samples = []
        for _ in range(PDF_RUNS):
            start = time.perf_counter()
            get(url)
            samples.append((time.perf_counter() - start) * 1000)
        return round(statistics.median(samples), 1)

    if "documentation.course_pdf" in views:
        with app.app_context():
            course_id = db.session.scalar(
                select(Course.id).where(Course.end_date.is_not(None)).order_by(Course.id.desc()).limit(1))
        if course_id:
            figures["bilag6_pdf_ms"] = median_ms(f"/forloeb/{course_id}/dokumentation.pdf")
    if "reports.key_figures_pdf" in views:
        figures["committee_pdf_ms"] = median_ms(f"/noegletal.pdf?periode=valgt&fra={first}&til={last}")
    return figures
