"""The key figures' period: presets and a custom from/til, refused in plain Danish."""

from datetime import date

import pytest

from webapp.reports import periods

TODAY = date(2026, 12, 2)


def test_presets():
    assert periods.from_args({}, TODAY) == periods.Period("aar", date(2026, 1, 1), TODAY)
    assert periods.from_args({"periode": "aar"}, TODAY).start == date(2026, 1, 1)
    last = periods.from_args({"periode": "sidste-aar"}, TODAY)
    assert (last.start, last.end) == (date(2025, 1, 1), date(2025, 12, 31))
    report = periods.from_args({"periode": "rapport"}, TODAY)
    assert (report.start, report.end) == (date(2016, 9, 9), date(2017, 12, 3))
    assert report.end.isocalendar()[:2] == (2017, 48)


def test_custom_period():
    period = periods.from_args({"periode": "valgt", "fra": "2017-01-01", "til": " 2017-03-31 "}, TODAY)
    assert (period.code, period.start, period.end) == ("valgt", date(2017, 1, 1), date(2017, 3, 31))
    one_day = periods.custom("2017-01-01", "2017-01-01")
    assert one_day.start == one_day.end
    assert periods.custom("2000-02-29", "2050-02-28").end == date(2050, 2, 28)


@pytest.mark.parametrize("args, message", [
    ({"periode": "valgt", "fra": "2017-03-01", "til": "2017-01-01"}, "før startdatoen"),
    ({"periode": "valgt", "fra": "1950-01-01", "til": "2001-01-02"}, "højst være 50 år"),
    ({"periode": "valgt", "fra": "1800-01-01", "til": "2001-01-02"}, "uden for"),
    ({"periode": "valgt", "fra": "2017-01-01", "til": "2200-01-01"}, "uden for"),
    ({"periode": "valgt", "fra": "31-01-2017", "til": "2017-02-01"}, "kan ikke læses"),
    ({"periode": "valgt", "fra": "2017-02-30", "til": "2017-03-01"}, "kan ikke læses"),
    ({"periode": "valgt", "fra": "", "til": "2017-03-01"}, "Skriv en fradato"),
    ({"periode": "valgt", "fra": "2017-01-01"}, "Skriv en tildato"),
    ({"periode": "kvartal"}, "Ukendt periode"),
])
def test_bad_periods_are_refused_in_danish(app, args, message):
    with pytest.raises(periods.PeriodError, match=message):
        periods.from_args(args, TODAY)
