"""A large unit's agenda: each section shows its first items and the rest on request."""

from webapp.meeting.routes import AGENDA_SECTION_LIMIT
from webapp.meeting.rules import meeting_date_for, previous_meeting_date
from webapp.timeutil import today_local

from ..factories import make_citizen
from ..handover.factories import at, make_guide_conversation


def test_a_long_section_is_cut_with_a_link_to_all_of_it(login):
    meeting = meeting_date_for(today_local())
    since = previous_meeting_date(meeting)
    total = AGENDA_SECTION_LIMIT + 5
    for i in range(total):
        make_guide_conversation(make_citizen(f"Borger{i:02d}", "Test"), at(since, 9))
    leader = login("leader", username="lene")
    html = leader.get(f"/fredagsmoede?dato={meeting.isoformat()}").get_data(as_text=True)
    assert f"Vis alle {total} i afsnittet" in html
    assert "Borger00 T." in html and f"Borger{total - 1:02d} T." not in html
    html = leader.get(f"/fredagsmoede?dato={meeting.isoformat()}&alle=new_citizens").get_data(as_text=True)
    assert f"Borger{total - 1:02d} T." in html
