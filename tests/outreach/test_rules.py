from datetime import date, timedelta

import pytest

from webapp.outreach.rules import (
    OUTCOMES,
    STATES,
    IllegalTransition,
    action_due_by,
    allowed_transitions,
    is_overdue,
    last_action_date,
    next_state,
    overdue_since,
    validate_visit,
)

D = date.fromisoformat


# --- flow -------------------------------------------------------------------------------------


def test_states_and_outcomes_in_order_with_danish_labels():
    assert list(STATES) == ["modtaget", "tildelt", "besoeg", "afsluttet"]
    assert OUTCOMES == {
        "kom_til_din_indgang": "Kom til Din Indgang",
        "kort_afklaring": "Kort afklaring i hjemmet",
        "overdraget": "Overdraget",
        "ikke_truffet": "Ikke truffet efter flere forsøg",
        "oensker_ikke_hjaelp": "Ønsker ikke hjælp",
    }


@pytest.mark.parametrize(
    ("current", "action", "outcome", "expected"),
    [
        ("modtaget", "assign", None, "tildelt"),
        ("tildelt", "assign", None, "tildelt"),  # handed to a colleague
        ("tildelt", "visit", None, "besoeg"),
        ("besoeg", "visit", None, "besoeg"),  # one or more visits
        ("besoeg", "assign", None, "besoeg"),
        ("tildelt", "close", "oensker_ikke_hjaelp", "afsluttet"),
        *[("besoeg", "close", outcome, "afsluttet") for outcome in OUTCOMES],
    ],
)
def test_legal_moves(current, action, outcome, expected):
    assert next_state(current, action, outcome) == expected


@pytest.mark.parametrize(
    ("current", "action", "outcome", "message"),
    [
        (
            "modtaget",
            "visit",
            None,
            "»Registrér besøg« er ikke muligt, når anmodningen har status »Modtaget«. "
            "Tildel den først til en medarbejder.",
        ),
        ("modtaget", "close", "overdraget", "Tildel den først til en medarbejder."),
        ("afsluttet", "assign", None, "Opret en ny anmodning"),
        ("afsluttet", "visit", None, "har status »Afsluttet«"),
        ("afsluttet", "close", "overdraget", "har status »Afsluttet«"),
        ("besoeg", "close", None, "Vælg et udfald for at afslutte anmodningen."),
        ("besoeg", "close", "", "Vælg et udfald"),
        ("besoeg", "close", "forsvundet", "Ukendt udfald: »forsvundet«."),
        ("tildelt", "visit", "overdraget", "Et udfald kan kun angives, når anmodningen afsluttes."),
        ("tildelt", "reopen", None, "Ukendt handling: »reopen«."),
        ("lukket", "assign", None, "Ukendt status: »lukket«."),
    ],
)
def test_illegal_moves_raise_a_danish_message(current, action, outcome, message):
    with pytest.raises(IllegalTransition, match=message):
        next_state(current, action, outcome)


def test_illegal_transition_is_a_value_error():
    assert issubclass(IllegalTransition, ValueError)


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        ("modtaget", {"assign": "tildelt"}),
        ("tildelt", {"assign": "tildelt", "visit": "besoeg", "close": "afsluttet"}),
        ("besoeg", {"assign": "besoeg", "visit": "besoeg", "close": "afsluttet"}),
        ("afsluttet", {}),
    ],
)
def test_allowed_transitions(current, expected):
    assert allowed_transitions(current) == expected


def test_allowed_transitions_returns_a_copy():
    allowed_transitions("modtaget")["close"] = "afsluttet"
    assert allowed_transitions("modtaget") == {"assign": "tildelt"}


@pytest.mark.parametrize("current", list(STATES))
@pytest.mark.parametrize("action", ["assign", "visit", "close"])
def test_next_state_agrees_with_allowed_transitions(current, action):
    outcome = "kort_afklaring" if action == "close" else None
    allowed = allowed_transitions(current)
    if action in allowed:
        assert next_state(current, action, outcome) == allowed[action]
    else:
        with pytest.raises(IllegalTransition):
            next_state(current, action, outcome)


# --- visits -----------------------------------------------------------------------------------

RECEIVED = D("2026-11-23")
TODAY = D("2026-11-26")


@pytest.mark.parametrize("visit_date", ["2026-11-23", "2026-11-25", "2026-11-26"])
@pytest.mark.parametrize("minutes", [1, 90, 480])
def test_valid_visit(visit_date, minutes):
    assert validate_visit(RECEIVED, D(visit_date), minutes, TODAY) == {}


def test_visit_before_the_request():
    assert validate_visit(RECEIVED, D("2026-11-22"), 60, TODAY) == {
        "visit_date": "Besøget kan ikke ligge før anmodningen (23. nov 2026)."
    }


def test_visit_in_the_future():
    errors = validate_visit(RECEIVED, D("2026-11-27"), 60, TODAY)
    assert errors["visit_date"].startswith("Besøget kan ikke ligge i fremtiden.")


def test_visit_without_date():
    assert validate_visit(RECEIVED, None, 60, TODAY) == {"visit_date": "Angiv datoen for besøget."}


@pytest.mark.parametrize("minutes", [0, -5, 481, 1000, True, 60.0, "60"])
def test_visit_duration_out_of_range(minutes):
    assert validate_visit(RECEIVED, TODAY, minutes, TODAY) == {
        "duration_minutes": "Varigheden skal være mellem 1 og 480 minutter."
    }


def test_visit_duration_missing():
    assert validate_visit(RECEIVED, TODAY, None, TODAY) == {"duration_minutes": "Angiv besøgets varighed i minutter."}


def test_every_problem_is_reported_at_once():
    assert set(validate_visit(RECEIVED, D("2026-11-01"), 0, TODAY)) == {"visit_date", "duration_minutes"}


# --- last action ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("assigned_on", "visits", "expected"),
    [
        (None, [], "2026-11-23"),
        ("2026-11-24", [], "2026-11-24"),
        ("2026-11-24", ["2026-12-01", "2026-11-26"], "2026-12-01"),
        (None, ["2026-11-25"], "2026-11-25"),
    ],
)
def test_last_action_date(assigned_on, visits, expected):
    assigned = D(assigned_on) if assigned_on else None
    assert last_action_date(RECEIVED, assigned, (D(v) for v in visits)) == D(expected)


# --- overdue ----------------------------------------------------------------------------------
# Convention: overdue when today is MORE than 5 working days after the last action.


@pytest.mark.parametrize(
    ("last_action", "today", "overdue"),
    [
        # received Monday 23 Nov 2026: working days 1-5 are 24-27 Nov and Monday 30 Nov
        ("2026-11-23", "2026-11-23", False),
        ("2026-11-23", "2026-11-27", False),
        ("2026-11-23", "2026-11-29", False),
        ("2026-11-23", "2026-11-30", False),  # the 5th working day: still on time
        ("2026-11-23", "2026-12-01", True),  # the 6th working day: overdue
        # across a weekend: Friday 27 Nov -> 5th working day is Friday 4 Dec
        ("2026-11-27", "2026-12-04", False),
        ("2026-11-27", "2026-12-06", False),  # Sunday
        ("2026-11-27", "2026-12-07", True),
        # an action on a Saturday counts like the Friday before
        ("2026-11-28", "2026-12-04", False),
        ("2026-11-28", "2026-12-07", True),
        # Christmas 2026: 22, 23, 28, 29, 30 Dec are the 5 working days
        ("2026-12-21", "2026-12-30", False),
        ("2026-12-21", "2026-12-31", False),  # closed day
        ("2026-12-21", "2027-01-03", False),
        ("2026-12-21", "2027-01-04", True),
        # Easter 2026: 1, 7, 8, 9, 10 Apr
        ("2026-03-31", "2026-04-10", False),
        ("2026-03-31", "2026-04-13", True),
        # Easter 2027: 24, 30, 31 Mar, 1, 2 Apr
        ("2027-03-23", "2027-04-02", False),
        ("2027-03-23", "2027-04-05", True),
        # Kristi himmelfart 2026 (Thursday 14 May): 13, 15, 18, 19, 20 May
        ("2026-05-12", "2026-05-20", False),
        ("2026-05-12", "2026-05-21", True),
    ],
)
def test_is_overdue(last_action, today, overdue):
    assert is_overdue(D(last_action), None, False, D(today)) is overdue


@pytest.mark.parametrize(
    ("last_action", "since"),
    [
        ("2026-11-23", "2026-12-01"),
        ("2026-11-27", "2026-12-07"),
        ("2026-12-21", "2027-01-04"),
        ("2026-03-31", "2026-04-13"),
        ("2027-03-23", "2027-04-05"),
        ("2026-05-12", "2026-05-21"),
    ],
)
def test_overdue_since_is_the_first_overdue_day(last_action, since):
    last, first = D(last_action), D(since)
    assert overdue_since(last, None, False, first) == first
    assert overdue_since(last, None, False, D("2027-06-30")) == first
    assert overdue_since(last, None, False, first - timedelta(days=1)) is None
    assert action_due_by(last, None) < first
    assert is_overdue(last, None, False, action_due_by(last, None)) is False


def test_a_later_action_resets_the_clock():
    assert is_overdue(RECEIVED, D("2026-11-30"), False, D("2026-12-01")) is False
    assert overdue_since(RECEIVED, D("2026-11-30"), False, D("2026-12-08")) == D("2026-12-08")


def test_a_last_action_before_the_received_date_is_ignored():
    assert overdue_since(RECEIVED, D("2026-11-01"), False, D("2026-12-01")) == D("2026-12-01")


def test_a_closed_request_is_never_overdue():
    assert is_overdue(RECEIVED, None, True, D("2027-06-30")) is False
    assert overdue_since(RECEIVED, None, True, D("2027-06-30")) is None


@pytest.mark.parametrize(
    ("limit", "today", "overdue"),
    [(0, "2026-11-24", True), (0, "2026-11-23", False), (10, "2026-12-07", False), (10, "2026-12-08", True)],
)
def test_custom_limit(limit, today, overdue):
    assert is_overdue(RECEIVED, None, False, D(today), limit) is overdue


def test_extra_closed_days_can_be_switched_off():
    # without juleaftensdag closed: 22, 23, 24, 28, 29 Dec -> overdue from 30 Dec
    assert overdue_since(D("2026-12-21"), None, False, D("2026-12-30"), extra_closed={}) == D("2026-12-30")


def test_negative_limit_is_refused():
    with pytest.raises(ValueError, match="limit"):
        is_overdue(RECEIVED, None, False, TODAY, -1)
