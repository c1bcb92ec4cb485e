from io import BytesIO

import pypdf
from sqlalchemy import select

from webapp.citizens.models import Citizen, Course
from webapp.extensions import db
from webapp.tools.bench import plans as bench


def test_bench_prints_a_full_three_page_plan(app, staff):
    figures = bench.measure(app, staff, runs=2)
    assert set(figures) == {"minplan_pdf_ms", "pdf_floor_ms"}
    assert figures["minplan_pdf_ms"] > 0 and figures["pdf_floor_ms"] > 0
    db.session.rollback()
    course_id = db.session.scalar(select(Course.id).join(Citizen).where(Citizen.first_name == bench.BENCH_CITIZEN))
    data = staff.client.get(f"/forloeb/{course_id}/plan-journal.pdf").get_data()
    assert len(pypdf.PdfReader(BytesIO(data)).pages) == 3
    again = bench.measure(app, staff, runs=1)  # seeds once
    assert set(again) == set(figures)
    assert db.session.scalar(select(db.func.count()).select_from(Citizen)) == 1
