"""The second factor's rules (webapp/auth/totp.py): the code window, replay, recovery codes."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from webapp.auth import totp

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOW = datetime(2026, 12, 13, 10, 0, 15, tzinfo=UTC)


def code_at(moment: datetime) -> str:
    return pyotp.TOTP(SECRET).at(moment)


def test_the_current_code_gives_its_step():
    assert totp.matching_step(SECRET, code_at(NOW), NOW, None) == totp.step_at(NOW)


@pytest.mark.parametrize("offset", [-30, 30])
def test_one_step_either_side_is_accepted(offset):
    code = code_at(NOW + timedelta(seconds=offset))
    assert totp.matching_step(SECRET, code, NOW, None) == totp.step_at(NOW) + offset // 30


@pytest.mark.parametrize("offset", [-60, 60, -3600])
def test_two_steps_away_is_refused(offset):
    code = code_at(NOW + timedelta(seconds=offset))
    if code in {code_at(NOW + timedelta(seconds=s)) for s in (-30, 0, 30)}:
        pytest.skip("the codes happen to coincide")
    assert totp.matching_step(SECRET, code, NOW, None) is None


def test_a_step_is_accepted_once():
    step = totp.matching_step(SECRET, code_at(NOW), NOW, None)
    assert totp.matching_step(SECRET, code_at(NOW), NOW, step) is None
    # Nor an earlier one, still inside the window: steps only move forward.
    assert totp.matching_step(SECRET, code_at(NOW - timedelta(seconds=30)), NOW, step) is None
    # The next step's code works.
    later = NOW + timedelta(seconds=30)
    assert totp.matching_step(SECRET, code_at(later), later, step) == step + 1


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", "12 34 5"])
def test_what_is_not_six_digits_is_refused(typed):
    assert totp.matching_step(SECRET, typed, NOW, None) is None


def test_spaces_and_dashes_in_a_code_are_ignored():
    code = code_at(NOW)
    assert totp.matching_step(SECRET, f" {code[:3]} {code[3:]} ", NOW, None) is not None
    assert totp.matching_step(SECRET, f"{code[:3]}-{code[3:]}", NOW, None) is not None


def test_a_new_secret_is_160_bits_of_base32():
    secret = totp.new_secret()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    assert secret != totp.new_secret()


def test_the_secret_is_shown_in_groups_of_four():
    assert totp.grouped("ABCDEFGHIJKLMNOP") == "ABCD EFGH IJKL MNOP"


def test_provisioning_uri_names_the_product_and_the_user():
    uri = totp.provisioning_uri(SECRET, "vera")
    assert uri.startswith("otpauth://totp/Din%20Indgang:vera?")
    assert f"secret={SECRET}" in uri and "issuer=Din%20Indgang" in uri


def test_the_qr_code_is_an_svg_without_style_or_script():
    svg = totp.qr_svg(totp.provisioning_uri(SECRET, "vera"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "style" not in svg and "<script" not in svg and "href" not in svg
    assert "<title>QR-kode til godkendelsesappen</title>" in svg


def test_ten_recovery_codes_distinct_and_readable():
    codes = totp.new_recovery_codes()
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", code)
        assert not set(code) & set("ilo01")
        assert totp.looks_like_recovery_code(code)
        assert not totp.looks_like_totp(code)


def test_a_recovery_code_hashes_the_same_however_it_is_typed():
    code = totp.new_recovery_codes(1)[0]
    assert totp.recovery_hash(code) == totp.recovery_hash(code.upper().replace("-", " "))
    assert totp.recovery_hash(code) != totp.recovery_hash(totp.new_recovery_codes(1)[0])
    assert re.fullmatch(r"[0-9a-f]{64}", totp.recovery_hash(code))
