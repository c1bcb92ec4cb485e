"""Hours per activity type in a period (Bilag 6 types), summed in the database: hours with the
citizen, and beside them the staff hours. Mirrors outcomes.coaching.hours_by_activity, per period
instead of per citizen, and adds the outreach visits (udekørende funktion).

Hours with the citizen: meetings held (by kind), guide conversations held, group meetings attended
(mødt or gik undervejs, at the meeting's length, per participant; a theme's hours type decides NADA),
ad hoc help (a contact with a duration and a known citizen, marked ad hoc as figures.py decides) and
outreach visits. Staff hours: a meeting or guide conversation counts once per staff member on it (at
least once), a group meeting once per facilitator (at least once) whatever the number present, ad hoc
help and outreach visits once."""

from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import and_, func, select

from ..citizens.models import GuideConversation, Meeting
from ..extensions import db
from ..groups.models import GroupAttendance, GroupMeeting, GroupRun, GroupTheme
from ..groups.vocab import ATTENDED
from ..outcomes.coaching import ACTIVITY_LABELS, MEETING_KIND_ACTIVITY, staff_count
from ..outreach.models import OutreachVisit
from ..timeutil import day_bounds
from .figures import Figure, Row, _share, contact_cells


def _minutes(start: date, end: date) -> tuple[Counter, Counter]:
    """(minutes with the citizen, staff minutes) per activity key of ACTIVITY_LABELS."""
    first, _ = day_bounds(start)
    _, after = day_bounds(end)
    citizen, staff = Counter(), Counter()

    for kind, with_citizen, staff_minutes in db.session.execute(
        select(Meeting.kind, func.sum(Meeting.duration_minutes),
               func.sum(Meeting.duration_minutes * staff_count(Meeting.staff1_id, Meeting.staff2_id)))
        .where(Meeting.starts_at >= first, Meeting.starts_at < after, Meeting.status == "afholdt")
        .group_by(Meeting.kind)
    ):
        activity = MEETING_KIND_ACTIVITY.get(kind, "other")
        citizen[activity] += with_citizen or 0
        staff[activity] += staff_minutes or 0

    with_citizen, staff_minutes = db.session.execute(
        select(func.sum(GuideConversation.duration_minutes),
               func.sum(GuideConversation.duration_minutes
                        * staff_count(GuideConversation.staff1_id, GuideConversation.staff2_id)))
        .where(GuideConversation.scheduled_at >= first, GuideConversation.scheduled_at < after,
               GuideConversation.status == "afholdt", GuideConversation.citizen_id.is_not(None))
    ).one()
    citizen["guide_conversation"] += with_citizen or 0
    staff["guide_conversation"] += staff_minutes or 0

    in_period = and_(GroupMeeting.starts_at >= first, GroupMeeting.starts_at < after,
                     GroupMeeting.cancelled.is_(False))
    for activity, total in db.session.execute(
        select(GroupTheme.hours_activity, func.sum(GroupMeeting.duration_minutes))
        .select_from(GroupAttendance)
        .join(GroupMeeting, GroupMeeting.id == GroupAttendance.meeting_id)
        .join(GroupRun, GroupRun.id == GroupMeeting.run_id)
        .join(GroupTheme, GroupTheme.id == GroupRun.theme_id)
        .where(in_period, GroupAttendance.status.in_(ATTENDED))
        .group_by(GroupTheme.hours_activity)
    ):
        citizen[activity if activity in ACTIVITY_LABELS else "groups"] += total or 0
    for activity, total in db.session.execute(
        select(GroupTheme.hours_activity,
               func.sum(GroupMeeting.duration_minutes * staff_count(GroupRun.facilitator1_id, GroupRun.facilitator2_id)))
        .select_from(GroupMeeting)
        .join(GroupRun, GroupRun.id == GroupMeeting.run_id)
        .join(GroupTheme, GroupTheme.id == GroupRun.theme_id)
        .where(in_period)
        .group_by(GroupTheme.hours_activity)
    ):
        staff[activity if activity in ACTIVITY_LABELS else "groups"] += total or 0

    ad_hoc = sum(cell.minutes for cell in contact_cells(start, end) if cell.ad_hoc and cell.with_citizen)
    outreach = db.session.scalar(
        select(func.sum(OutreachVisit.duration_minutes))
        .where(OutreachVisit.visit_date >= start, OutreachVisit.visit_date <= end)
    ) or 0
    for counter in (citizen, staff):
        counter["ad_hoc"] += ad_hoc
        counter["outreach"] += outreach
    return citizen, staff


def minutes_with_citizens(start: date, end: date) -> Counter:
    """Minutes with the citizens per activity key in the period, unrounded (behind the hours figure)."""
    return _minutes(start, end)[0]


def _hours(minutes: int) -> float:
    """Hours with one decimal, halves rounded up as people do (15 minutes are 0,3 hours)."""
    return float((Decimal(minutes) / 60).quantize(Decimal("0.1"), ROUND_HALF_UP))


def _figure(key, title, definition, minutes: Counter) -> Figure:
    total = sum(minutes.values())
    rows = [Row(label, _hours(minutes[code]), _share(minutes[code], total)) for code, label in ACTIVITY_LABELS.items()]
    return Figure(key, title, definition, rows, _hours(total))


def hours_figures(start: date, end: date) -> list[Figure]:
    citizen, staff = _minutes(start, end)
    return [
        _figure(
            "hours_with_citizens", "Timer med borgerne fordelt på aktivitet",
            "Timer (med én decimal) med borgerne i perioden: afholdte møder og guidesamtaler, gruppemøder "
            "hver deltager er mødt til (NADA-temaer som NADA), ad hoc-hjælp med varighed og udekørende besøg.",
            citizen,
        ),
        _figure(
            "staff_hours", "Medarbejdertimer fordelt på aktivitet",
            "De samme aktiviteter i medarbejdertimer: et møde eller en guidesamtale med to medarbejdere tæller "
            "dobbelt, et gruppemøde tæller én gang pr. facilitator, uanset hvor mange borgere der deltog.",
            staff,
        ),
    ]
