from datetime import date

import pytest
import time_machine

from webapp.citizens.cpr import (
    MSG_DATE,
    MSG_FORMAT,
    MSG_FUTURE,
    Cpr,
    CprError,
    cpr_search_key,
    derive_search_key,
    looks_like_cpr,
    mask_cpr,
    parse_cpr,
)

TODAY = date(2025, 6, 1)
FAR_FUTURE = date(2060, 1, 1)  # lets the 2036/2057 branches be tested as past dates
KEY = derive_search_key("test-secret-key-that-is-long-enough-0123456789")


def passes_modulus_11(digits: str) -> bool:
    weights = (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


@pytest.mark.parametrize(
    ("text", "birth_date"),
    [
        # seventh digit 0-3: always 1900-1999
        ("010100-0000", date(1900, 1, 1)),
        ("311299-1000", date(1999, 12, 31)),
        ("150536-2000", date(1936, 5, 15)),
        ("150557-3000", date(1957, 5, 15)),
        # 4 and 9: 2000-2036 if YY <= 36, else 1937-1999
        ("010100-4000", date(2000, 1, 1)),
        ("311236-4000", date(2036, 12, 31)),
        ("010137-4000", date(1937, 1, 1)),
        ("311299-4000", date(1999, 12, 31)),
        ("010100-9000", date(2000, 1, 1)),
        ("311236-9000", date(2036, 12, 31)),
        ("010137-9000", date(1937, 1, 1)),
        ("251248-9996", date(1948, 12, 25)),  # the fictitious citizen on the paper Min Plan
        # 5-8: 2000-2057 if YY <= 57, else 1858-1899
        ("010100-5000", date(2000, 1, 1)),
        ("311257-5000", date(2057, 12, 31)),
        ("010158-5000", date(1858, 1, 1)),
        ("311299-6000", date(1899, 12, 31)),
        ("150530-7000", date(2030, 5, 15)),
        ("150580-7000", date(1880, 5, 15)),
        ("010157-8000", date(2057, 1, 1)),
        ("010158-8000", date(1858, 1, 1)),
    ],
)
def test_century_comes_from_the_seventh_digit_and_the_year(text, birth_date):
    assert parse_cpr(text, today=FAR_FUTURE).birth_date == birth_date


@pytest.mark.parametrize(
    ("text", "birth_date"),
    [
        ("290200-4000", date(2000, 2, 29)),  # 2000 is a leap year
        ("290200-9000", date(2000, 2, 29)),
        ("290200-5000", date(2000, 2, 29)),
        ("290260-5000", date(1860, 2, 29)),
        ("290296-1000", date(1996, 2, 29)),
        ("290204-4000", date(2004, 2, 29)),
    ],
)
def test_29_february_in_leap_years(text, birth_date):
    assert parse_cpr(text, today=TODAY).birth_date == birth_date


@pytest.mark.parametrize(
    "text",
    [
        "290200-1000",  # 1900 was no leap year
        "290200-3000",
        "290297-1000",
        "290299-4000",  # 1999
        "290259-5000",  # 1859
        "290237-9000",  # 1937
        "310490-1234",  # 31 April
        "310690-1234",
        "310990-1234",
        "311190-1234",
        "300290-1234",
        "000190-1234",
        "320190-1234",
        "011390-1234",
        "010090-1234",
    ],
)
def test_impossible_dates_are_refused(text):
    with pytest.raises(CprError) as raised:
        parse_cpr(text, today=TODAY)
    assert str(raised.value) == MSG_DATE


@pytest.mark.parametrize("text", ["010190-1234", "251248-9996", "010190-1237", "311299-1000"])
def test_numbers_failing_modulus_11_are_valid(text):
    assert not passes_modulus_11(text.replace("-", ""))
    assert parse_cpr(text, today=TODAY).digits == text.replace("-", "")


def test_numbers_passing_modulus_11_are_valid_too():
    assert passes_modulus_11("0707614285")  # the textbook example
    assert parse_cpr("070761-4285", today=TODAY).birth_date == date(1961, 7, 7)


def test_29_january_1900_is_an_ordinary_date():
    # DDMMYY: 290100 is 29 January; the leap-year case for 1900 is 290200.
    assert parse_cpr("290100-1000", today=TODAY).birth_date == date(1900, 1, 29)


@pytest.mark.parametrize(
    "text",
    [
        "010190-1234",
        "0101901234",
        "010190 1234",
        "  010190-1234  ",
        "\t0101901234\n",
        "010190–1234",  # en dash pasted from a letter
    ],
)
def test_accepted_spellings(text):
    cpr = parse_cpr(text, today=TODAY)
    assert cpr.digits == "0101901234"
    assert cpr.formatted == "010190-1234"
    assert cpr.birth_date == date(1990, 1, 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "12345",
        "010190",
        "010190-123",
        "010190-12345",
        "01019012345",
        "010190123",
        "010190--1234",
        "0101-90-1234",
        "01 01 90 1234",
        "01019O-1234",  # letter O
        "010190-12a4",
        "abcdef-ghij",
        "CPR 010190-1234",
        "٠١٠١٩٠١٢٣٤",  # Arabic-Indic digits are not CPR digits
        None,
        1011901234,
    ],
)
def test_bad_formats_are_refused_with_a_clear_message(text):
    with pytest.raises(CprError) as raised:
        parse_cpr(text, today=TODAY)
    assert str(raised.value) == MSG_FORMAT == "CPR-nummeret skal have 10 cifre, fx 010190-1234."


def test_cpr_error_is_a_value_error():
    assert issubclass(CprError, ValueError)


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("010625-4000", True),  # born today
        ("310525-4000", True),
        ("020625-4000", False),  # tomorrow
        ("010126-4000", False),
        ("010157-5000", False),  # 2057
        ("010158-5000", True),  # 1858
    ],
)
def test_birth_dates_in_the_future_are_refused(text, ok):
    if ok:
        assert parse_cpr(text, today=TODAY)
    else:
        with pytest.raises(CprError) as raised:
            parse_cpr(text, today=TODAY)
        assert str(raised.value) == MSG_FUTURE


@pytest.fixture
def time_machine_at():
    travellers = []

    def _at(moment):
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield _at
    for traveller in travellers:
        traveller.stop()


def test_today_defaults_to_copenhagen_today(time_machine_at):
    time_machine_at("2025-06-01 23:30:00+00:00")  # already 2 June in Copenhagen
    assert parse_cpr("020625-4000").birth_date == date(2025, 6, 2)
    with pytest.raises(CprError):
        parse_cpr("030625-4000")


def test_masking():
    cpr = parse_cpr("251248-9996", today=TODAY)
    assert cpr.masked == "251248-xxxx"
    assert str(cpr) == "251248-xxxx"
    assert "9996" not in repr(cpr)
    assert repr(cpr) == "Cpr('251248-xxxx')"


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        ("", ""),
        ("2512489996", "251248-xxxx"),
        ("251248-9996", "251248-xxxx"),
        ("garbage", "xxxxxx-xxxx"),
        ("12345", "xxxxxx-xxxx"),
    ],
)
def test_mask_cpr(value, shown):
    assert mask_cpr(value) == shown


@pytest.mark.parametrize(("text", "even"), [("010190-1234", True), ("010190-1235", False)])
def test_sex_digit(text, even):
    assert parse_cpr(text, today=TODAY).sex_digit_is_even is even


def test_cpr_is_frozen():
    cpr = parse_cpr("010190-1234", today=TODAY)
    with pytest.raises(AttributeError):
        cpr.digits = "0202901234"
    assert cpr == Cpr(digits="0101901234", birth_date=date(1990, 1, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("010190-1234", True),
        ("0101901234", True),
        (" 010190 1234 ", True),
        ("310490-1234", True),  # the shape of a CPR number; parse_cpr then says what is wrong
        ("Hansen", False),
        ("Anne 0101901234", False),
        ("010190", False),
        ("010190-12", False),
        ("01019012345", False),
        ("", False),
    ],
)
def test_looks_like_cpr(text, expected):
    assert looks_like_cpr(text) is expected


def test_search_key_is_the_same_for_every_spelling():
    keys = {cpr_search_key(text, KEY) for text in ("010190-1234", "0101901234", " 010190 1234 ")}
    keys.add(cpr_search_key(parse_cpr("010190-1234", today=TODAY), KEY))
    assert len(keys) == 1
    (key,) = keys
    assert len(key) == 64
    assert int(key, 16) >= 0
    assert "0101901234" not in key


def test_search_key_depends_on_the_number_and_the_key():
    other_key = derive_search_key("another-secret-key-that-is-long-enough-987654")
    assert cpr_search_key("0101901234", KEY) != cpr_search_key("0101901235", KEY)
    assert cpr_search_key("0101901234", KEY) != cpr_search_key("0101901234", other_key)
    assert derive_search_key("test-secret-key-that-is-long-enough-0123456789") == KEY
    assert derive_search_key(b"test-secret-key-that-is-long-enough-0123456789") == KEY


@pytest.mark.parametrize("bad", ["12345", "Hansen", ""])
def test_search_key_refuses_non_cpr_text(bad):
    with pytest.raises(CprError):
        cpr_search_key(bad, KEY)


def test_search_key_needs_a_key():
    with pytest.raises(ValueError, match="key"):
        cpr_search_key("0101901234", b"")
