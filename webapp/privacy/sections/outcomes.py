"""FIT scores and the groups the citizen took part in."""

from sqlalchemy import select

from ...groups import vocab as gv
from ...groups.models import GroupAttendance, GroupEnrolment, GroupMeeting
from ...outcomes.models import FitScore
from ..registry import Section, insight_section
from .common import rows


@insight_section("fit", "Målinger af udbytte (FIT)", models=(FitScore,), order=50)
def fit(citizen, **_) -> Section:
    statement = select(FitScore).where(FitScore.citizen_id == citizen.id).order_by(FitScore.session_at)
    items = [{
        "Tidspunkt": score.session_at,
        "Skala": score.scale,
        "Sprunget over": score.skipped,
        "Spørgsmål 1": None if score.item1 is None else score.item1 / 10,
        "Spørgsmål 2": None if score.item2 is None else score.item2 / 10,
        "Spørgsmål 3": None if score.item3 is None else score.item3 / 10,
        "Spørgsmål 4": None if score.item4 is None else score.item4 / 10,
        "Samlet score": None if score.total_tenths is None else score.total_tenths / 10,
        "Udfyldt på papir": score.on_paper,
    } for score in rows(statement)]
    return Section("Målinger af udbytte (FIT)",
                   "Dine svar på skalaerne om, hvordan du har det (ORS), og hvordan samtalen var (SRS/GSRS).",
                   items)


@insight_section("groups", "Grupper", models=(GroupEnrolment, GroupAttendance), order=55)
def groups(citizen, **_) -> Section:
    items = []
    enrolments = select(GroupEnrolment).where(GroupEnrolment.citizen_id == citizen.id).order_by(
        GroupEnrolment.start_date)
    for enrolment in rows(enrolments):
        items.append({
            "Gruppe": enrolment.run.theme.name,
            "Hold": enrolment.run.team_number,
            "Tilmeldt fra": enrolment.start_date,
            "Stoppet": enrolment.stop_date,
            "På venteliste": enrolment.waiting,
        })
    attendance = (select(GroupAttendance, GroupMeeting).join(GroupMeeting, GroupMeeting.id == GroupAttendance.meeting_id)
                  .where(GroupAttendance.citizen_id == citizen.id).order_by(GroupMeeting.starts_at))
    from ...extensions import db

    for row, meeting in db.session.execute(attendance):
        items.append({
            "Gruppemøde": meeting.run.theme.name,
            "Tidspunkt": meeting.starts_at,
            "Fremmøde": _coded(row.status),
        })
    return Section("Grupper", "De grupper, du har været tilmeldt, og dit fremmøde.", items)


def _coded(status):
    from ..registry import coded

    return coded(status, gv.ATTENDANCE)
