"""The FIT figure and the disability counts on a hand-built data set (tests/reports/fixtures.py)."""

from webapp.reports import figures

from .fixtures import END, START, disability_people, fit_people


def rows(figure) -> dict:
    return {row.label: (row.count, row.share) for row in figure.rows}


def test_fit_first_and_last_ors_of_the_courses_closed_in_the_period(app):
    fit_people()
    figure = figures.fit_outcomes(START, END)
    assert rows(figure) == {
        "Forløb målt (grundlaget)": (4, None),  # Anna, Bo, Dora, Gitte
        "Pålidelig forbedring": (2, 50.0),  # Anna +6, Gitte +5 (Bo +4,9 is not)
        "Under grænsen (25) ved start": (3, 75.0),  # Anna 20, Dora 24,9, Gitte 20
        "Under grænsen (25) ved slut": (1, 25.0),  # Dora 19,9 (Gitte's 25,0 is on the line, not under)
    }
    assert "mindst to udfyldte ORS-målinger" in figure.definition
    notes = [row.note for row in figure.rows]
    assert all(notes) and "mindst 5 point højere" in notes[1]


def test_fit_follows_the_configured_thresholds(app):
    fit_people()
    app.config["FIT_THRESHOLDS"] = {"ors_cutoff": 28, "ors_reliable_change": 6}
    try:
        figure = figures.fit_outcomes(START, END)
    finally:
        del app.config["FIT_THRESHOLDS"]
    assert rows(figure)["Pålidelig forbedring"] == (1, 25.0)  # only Anna's +6
    assert rows(figure)["Under grænsen (28) ved slut"] == (3, 75.0)  # Anna 26, Dora 19,9, Gitte 25,0


def test_fit_with_nothing_measured_is_zero(app):
    assert [row.count for row in figures.fit_outcomes(START, END).rows] == [0, 0, 0, 0]


def test_disability_counts_citizens_in_course_once_by_category(app):
    disability_people()
    figure = figures.disability_categories(START, END)
    assert figure.total == 4
    counted = rows(figure)
    assert counted["ADHD"] == (2, 50.0)
    assert counted["Autist"] == (1, 25.0)
    assert counted["Ikke angivet"] == (1, 25.0)
    assert counted["Asperger"] == (0, 0.0)
    assert len(figure.rows) == 16  # the 15 categories of Bilag 6 and »Ikke angivet«


def test_the_disability_counts_are_only_in_the_restricted_set(app):
    assert "disability_categories" not in [f.key for f in figures.key_figures(START, END)]
    assert "disability_categories" in [f.key for f in figures.key_figures(START, END, restricted=True)]
    assert "fit_outcomes" in [f.key for f in figures.key_figures(START, END)]
