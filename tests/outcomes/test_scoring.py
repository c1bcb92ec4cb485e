from decimal import Decimal as D

import pytest

from webapp.outcomes.scoring import (
    DEFAULT_THRESHOLDS,
    RECOVERED_LABEL,
    SCORE_ERROR_MESSAGE,
    SESSION_SUGGESTION,
    ChangeStatus,
    ClinicalSide,
    ScoreError,
    Thresholds,
    average,
    format_score,
    ors_change,
    ors_clinical_side,
    parse_optional_score,
    parse_score,
    session_feedback_prompt,
    total,
)

SRS_LABELS = {
    "relationship": "Relation",
    "goals_topics": "Mål og emner",
    "approach_method": "Tilgang eller metode",
    "overall": "Generelt",
}


def session(relationship="10", goals_topics="10", approach_method="10", overall="10"):
    values = {"relationship": relationship, "goals_topics": goals_topics, "approach_method": approach_method,
              "overall": overall}
    return {key: None if value is None else D(value) for key, value in values.items()}


# --- parse_score ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", D("7.0")),
        ("7.5", D("7.5")),
        ("7,5", D("7.5")),
        (" 7,5 ", D("7.5")),
        ("0", D("0.0")),
        ("0,0", D("0.0")),
        ("10", D("10.0")),
        ("10,0", D("10.0")),
        ("09,9", D("9.9")),
    ],
)
def test_parse_score_accepts_whole_numbers_and_one_decimal_with_comma_or_point(text, expected):
    value = parse_score(text)
    assert value == expected
    assert value.as_tuple().exponent == -1  # always stored with one decimal


@pytest.mark.parametrize(
    "text",
    ["", "   ", None, "7,55", "7.25", "10,1", "11", "100", "-1", "-0,5", "+5", "7,", ",5", "1e1", "NaN",
     "Infinity", "7,5,1", "seks", "٣", "7 5", "5%"],
)
def test_parse_score_rejects_with_the_danish_message(text):
    with pytest.raises(ScoreError) as error:
        parse_score(text)
    assert str(error.value) == SCORE_ERROR_MESSAGE == "Skriv et tal mellem 0 og 10 med højst én decimal."


def test_score_error_is_a_value_error_for_form_validators():
    assert issubclass(ScoreError, ValueError)


@pytest.mark.parametrize(("text", "expected"), [("", None), ("  ", None), (None, None), ("4,2", D("4.2"))])
def test_parse_optional_score_treats_blank_as_skipped_not_zero(text, expected):
    assert parse_optional_score(text) == expected


def test_parse_optional_score_still_rejects_bad_input():
    with pytest.raises(ScoreError):
        parse_optional_score("12")


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("23.5"), "23,5"), (D("25"), "25,0"), (7, "7,0"), (0.1 + 0.2, "0,3"), (D("24.95"), "25,0"), (None, "–")],
)
def test_format_score_uses_danish_comma_and_one_decimal(value, expected):
    assert format_score(value) == expected


# --- total and average ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ({"a": D("7.5"), "b": D("8.1"), "c": D("0"), "d": D("10")}, D("25.6")),
        ([D("10"), D("10"), D("10"), D("10")], D("40.0")),
        ([D("0"), D("0"), D("0"), D("0")], D("0.0")),
        ([D("0.1"), D("0.2"), D("0.3"), D("0.4")], D("1.0")),
    ],
)
def test_total_adds_the_items(items, expected):
    assert total(items) == expected


@pytest.mark.parametrize(
    "items",
    [
        {},
        [],
        {"a": D("7"), "b": None, "c": D("8"), "d": D("9")},
        [None, None, None, None],
        [D("0"), D("0"), D("0"), None],
    ],
)
def test_a_skipped_form_has_no_total_never_zero(items):
    assert total(items) is None


def test_average_leaves_skipped_forms_out_and_rounds_half_up():
    assert average([D("36"), None, D("37"), D("38.5")]) == D("37.2")  # 111.5 / 3 = 37.1666…
    assert average([D("30.05"), D("30.1")]) == D("30.1")  # 30.075 -> 30.1
    assert average([None, None]) is None
    assert average([]) is None


# --- ORS clinical cut-off ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ors_total", "side"),
    [
        (D("0"), ClinicalSide.CLINICAL),
        (D("24.9"), ClinicalSide.CLINICAL),
        (D("25.0"), ClinicalSide.NON_CLINICAL),  # exactly at the cut-off counts as over it
        (D("25"), ClinicalSide.NON_CLINICAL),
        (D("25.1"), ClinicalSide.NON_CLINICAL),
        (D("40"), ClinicalSide.NON_CLINICAL),
    ],
)
def test_ors_clinical_side_at_the_cutoff(ors_total, side):
    assert ors_clinical_side(ors_total) is side


def test_ors_clinical_side_labels_and_skipped_form():
    assert ClinicalSide.CLINICAL.label == "I klinisk område"
    assert ClinicalSide.NON_CLINICAL.label == "Over grænsen"
    assert ors_clinical_side(None) is None


@pytest.mark.parametrize(
    ("ors_total", "side"), [(D("27.9"), ClinicalSide.CLINICAL), (D("28"), ClinicalSide.NON_CLINICAL)]
)
def test_ors_cutoff_is_configurable_for_example_for_adolescents(ors_total, side):
    assert ors_clinical_side(ors_total, Thresholds(ors_cutoff=28)) is side


# --- ORS change ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("series", "status", "difference"),
    [
        ([D("15"), D("20")], ChangeStatus.RELIABLY_IMPROVED, D("5")),  # exactly 5 points up
        ([D("15"), D("19.9")], ChangeStatus.NO_RELIABLE_CHANGE, D("4.9")),
        ([D("20"), D("15")], ChangeStatus.RELIABLY_DETERIORATED, D("-5")),  # exactly 5 points down
        ([D("20"), D("15.1")], ChangeStatus.NO_RELIABLE_CHANGE, D("-4.9")),
        ([D("20"), D("20")], ChangeStatus.NO_RELIABLE_CHANGE, D("0")),
        ([D("10"), D("30"), D("12")], ChangeStatus.NO_RELIABLE_CHANGE, D("2")),  # first vs latest, not the peak
        ([D("10"), D("3"), D("16")], ChangeStatus.RELIABLY_IMPROVED, D("6")),
    ],
)
def test_ors_change_compares_first_and_latest(series, status, difference):
    result = ors_change(series)
    assert result.status is status
    assert result.difference == difference
    assert result.first == series[0]
    assert result.latest == series[-1]
    assert result.scored_count == len(series)


@pytest.mark.parametrize("series", [[], [None], [None, None], [D("18")], [None, D("18"), None]])
def test_no_change_is_reported_before_two_scored_forms(series):
    result = ors_change(series)
    assert result.status is ChangeStatus.TOO_FEW_SCORES
    assert result.difference is None
    assert result.recovered is False
    assert result.label == "For få målinger til at vurdere ændring"


def test_one_score_only_keeps_it_as_first():
    result = ors_change([None, D("18")])
    assert result.first == D("18")
    assert result.latest is None
    assert result.scored_count == 1


def test_skipped_forms_are_ignored_at_both_ends_and_in_between():
    result = ors_change([None, D("14"), None, D("17"), D("21.5"), None])
    assert (result.first, result.latest, result.difference) == (D("14"), D("21.5"), D("7.5"))
    assert result.status is ChangeStatus.RELIABLY_IMPROVED
    assert result.scored_count == 3


def test_a_skipped_form_is_not_a_zero_that_would_look_like_deterioration():
    assert ors_change([D("20"), None]).status is ChangeStatus.TOO_FEW_SCORES
    assert ors_change([D("20"), D("21"), None]).status is ChangeStatus.NO_RELIABLE_CHANGE


@pytest.mark.parametrize(
    ("first", "latest", "recovered"),
    [
        (D("20"), D("25"), True),  # improved by exactly 5 and lands exactly on the cut-off
        (D("19.9"), D("25.1"), True),
        (D("20"), D("24.9"), False),  # not reliably improved (4.9) and still below
        (D("15"), D("24.9"), False),  # reliably improved but still in the clinical range
        (D("25"), D("32"), False),  # started at the cut-off: not in the clinical range to begin with
        (D("24.9"), D("29.9"), True),
        (D("26"), D("35"), False),  # started over the cut-off
    ],
)
def test_recovered_needs_reliable_improvement_across_the_cutoff(first, latest, recovered):
    result = ors_change([first, latest])
    assert result.recovered is recovered
    assert (result.label == RECOVERED_LABEL) is recovered


def test_change_labels_are_danish():
    assert ors_change([D("10"), D("16")]).label == "Pålidelig forbedring"
    assert ors_change([D("16"), D("10")]).label == "Pålidelig forværring"
    assert ors_change([D("16"), D("17")]).label == "Ingen pålidelig ændring"
    assert ors_change([D("20"), D("26")]).label == "Klinisk signifikant forbedring"


def test_reliable_change_threshold_is_configurable():
    thresholds = Thresholds(ors_reliable_change="6")
    assert ors_change([D("10"), D("15.9")], thresholds).status is ChangeStatus.NO_RELIABLE_CHANGE
    assert ors_change([D("10"), D("16")], thresholds).status is ChangeStatus.RELIABLY_IMPROVED


# --- SRS / GSRS feedback prompt ------------------------------------------------------------------


def test_a_good_session_gives_no_prompt():
    result = session_feedback_prompt(session("9", "9", "9", "9"), previous_total=D("36.9"))
    assert result.total == D("36.0")
    assert result.talk is False
    assert result.reasons == ()
    assert result.suggestion == ""


@pytest.mark.parametrize(
    ("items", "talk"),
    [
        (session("9", "9", "9", "9"), False),  # total exactly 36, every item exactly 9
        (session("9", "9", "9", "8.9"), True),  # total 35.9 and an item below 9
        (session("10", "10", "7", "8.9"), True),  # total 35.9
        (session("10", "10", "10", "6"), True),  # total 36 but one item below 9
    ],
)
def test_session_total_cutoff_36_and_item_cutoff_9(items, talk):
    assert session_feedback_prompt(items).talk is talk


def test_total_below_36_reason():
    result = session_feedback_prompt(session("10", "10", "7", "8.9"))
    assert "Den samlede vurdering er 35,9 (under 36,0)." in result.reasons
    assert result.suggestion == SESSION_SUGGESTION
    assert "anderledes næste gang" in result.suggestion


@pytest.mark.parametrize(("score", "low"), [("8.9", True), ("9", False), ("9.0", False), ("0", True)])
def test_item_exactly_9_is_not_low(score, low):
    result = session_feedback_prompt(session(goals_topics=score), labels=SRS_LABELS)
    assert (result.low_items == ("goals_topics",)) is low
    assert any("»Mål og emner«" in reason for reason in result.reasons) is low


def test_low_item_reason_names_the_item_and_the_score():
    result = session_feedback_prompt(session(approach_method="8.5"), labels=SRS_LABELS)
    assert result.reasons == ("»Tilgang eller metode« fik 8,5 (under 9,0).",)


def test_item_key_is_used_when_no_labels_are_given():
    result = session_feedback_prompt(session(overall="3"))
    assert "»overall« fik 3,0 (under 9,0)." in result.reasons


@pytest.mark.parametrize(
    ("previous", "current_overall", "dropped"),
    [
        (D("40"), "9", True),  # 40 -> 39: a drop of exactly 1.0
        (D("40"), "9.1", False),  # 40 -> 39.1: 0.9
        (D("39.5"), "8.5", True),  # 39.5 -> 38.5, also an item below 9
        (D("38"), "10", False),  # went up
        (None, "9", False),  # no previous session
    ],
)
def test_a_drop_of_one_point_or_more_since_last_time(previous, current_overall, dropped):
    result = session_feedback_prompt(session(overall=current_overall), previous_total=previous)
    assert (result.dropped_by is not None) is dropped
    assert any("faldet" in reason for reason in result.reasons) is dropped


def test_drop_reason_wording():
    result = session_feedback_prompt(session(overall="9"), previous_total=D("40"))
    assert result.reasons == ("Vurderingen er faldet 1,0 point siden sidst (fra 40,0 til 39,0).",)
    assert result.dropped_by == D("1.0")
    assert result.talk


def test_every_reason_is_listed_together():
    result = session_feedback_prompt(session("8", "8", "10", "9"), previous_total=D("38"), labels=SRS_LABELS)
    assert len(result.reasons) == 4  # total 35, two low items, a drop of 3
    assert result.low_items == ("relationship", "goals_topics")


def test_a_skipped_session_form_gives_no_total_and_no_drop():
    result = session_feedback_prompt(session(overall=None), previous_total=D("40"))
    assert result.total is None
    assert result.dropped_by is None
    assert result.talk is False


def test_a_partly_skipped_form_still_mentions_its_low_item():
    result = session_feedback_prompt(session(relationship=None, goals_topics="5"), labels=SRS_LABELS)
    assert result.total is None
    assert result.reasons == ("»Mål og emner« fik 5,0 (under 9,0).",)


def test_session_thresholds_are_configurable():
    thresholds = Thresholds(session_total_cutoff=30, session_item_cutoff=5, session_drop=2)
    result = session_feedback_prompt(session("6", "6", "10", "10"), previous_total=D("33.5"), thresholds=thresholds)
    assert result.talk is False  # 32: above 30, items above 5, a drop of 1.5 < 2


def test_default_thresholds_are_the_published_values():
    published = Thresholds(
        ors_cutoff=D("25"), ors_reliable_change=D("5"), session_total_cutoff=D("36"), session_item_cutoff=D("9"),
        session_drop=D("1"),
    )
    assert published == DEFAULT_THRESHOLDS
    assert all(isinstance(value, D) for value in vars(Thresholds(ors_cutoff=25.0)).values())
