"""Every list, board and queue leaves a restricted citizen out (GDPR art. 18) and shows them again
when the leader lifts the restriction: on the demo data, for each list, a citizen who is on it is
restricted (gone), then lifted (back). The key figures never change (test_restriction.py)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from webapp.citizens.models import Citizen
from webapp.documentation.missing import missing_shadow
from webapp.extensions import db
from webapp.groups.models import GroupRun
from webapp.groups.services import enrolments
from webapp.handover.services import inbox
from webapp.meeting.agenda import assemble_agenda
from webapp.outreach.services import open_requests as outreach_queue
from webapp.outreach.services import recently_closed as outreach_closed
from webapp.privacy.restriction import lift, restrict
from webapp.timeutil import today_local
from webapp.volunteers.bridge import matches_by_state
from webapp.volunteers.bridge import open_requests as volunteer_queue
from webapp.volunteers.continuing import continuing_runs
from webapp.volunteers.kickoff import kickoff_candidates, kickoffs_between
from webapp.welcome.services import board

from ..factories import refresh

pytestmark = pytest.mark.demo_data


def _agenda() -> set:
    today = today_local()
    return {i.citizen_id for day in (today, today + timedelta(days=(4 - today.weekday()) % 7))
            for i in assemble_agenda(day).items}


LISTS = {
    "welcome board timeline": lambda: {c.citizen_id for c in board(today_local()).timeline},
    "welcome board slots": lambda: set(board(today_local()).named_citizens(slot_limit=1000)),
    "friday agenda": _agenda,
    "outreach queue": lambda: {r.citizen_id for r in outreach_queue(today_local())}
    | {r.citizen_id for r in outreach_closed(1000)},
    "volunteer request queue": lambda: {r.citizen_id for r in volunteer_queue()},
    "volunteer matches": lambda: {m.citizen_id for rows in matches_by_state().values() for m in rows},
    "kick-offs to book": lambda: {c.citizen_id for c in kickoff_candidates(today_local())},
    "kick-offs booked": lambda: {k.citizen_id for k in kickoffs_between(today_local() - timedelta(days=60),
                                                                         today_local() + timedelta(days=60))},
    "handover inbox": lambda: {h.citizen_id for h in inbox()},
    "group participants": lambda: {e.citizen_id for run_id in db.session.scalars(select(GroupRun.id))
                                   for e in enrolments(run_id)},
    "missing shadow assessment": lambda: {r.citizen_id for r in missing_shadow(size=1000).rows},
    "groups carrying on (named to the organisation)": lambda: {c.id for run in continuing_runs(today_local())
                                                               for c in run.consenting},
}


@pytest.mark.parametrize("name", LISTS)
def test_a_restricted_citizen_leaves_the_list_and_comes_back_when_lifted(app, demo, name):
    on_list = LISTS[name]
    with app.test_request_context():
        candidates = sorted(i for i in on_list() if i is not None)
        citizen = db.session.scalars(select(Citizen).where(Citizen.id.in_(candidates), Citizen.restricted_at.is_(None),
                                                           Citizen.erased_at.is_(None)).order_by(Citizen.id)).first()
        assert citizen is not None, f"the demo data has nobody on the {name}"
        citizen_id = citizen.id
        restrict(citizen)
        db.session.commit()
        refresh()
        assert citizen_id not in on_list(), f"a restricted citizen is still on the {name}"
        lift(db.session.get(Citizen, citizen_id))
        db.session.commit()
        refresh()
        assert citizen_id in on_list(), f"a lifted restriction did not bring the citizen back on the {name}"
