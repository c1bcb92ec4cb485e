"""The reminders' settings are checked at start-up with clear errors."""

import pytest

from webapp import config


def _config(**overrides) -> dict:
    values = config.defaults("testing", "instance")
    values.update(overrides)
    return values


@pytest.mark.parametrize(("overrides", "message"), [
    ({"REMINDER_HOUR": 24}, "DININDGANG_REMINDER_HOUR"),
    ({"REMINDER_HOUR": "17"}, "DININDGANG_REMINDER_HOUR"),
    ({"REMINDER_TWO_HOURS_BEFORE": "ja"}, "DININDGANG_REMINDER_TWO_HOURS_BEFORE"),
    ({"MESSAGE_SENDER_NAME": "Din Indgang Fredericia"}, "1-11"),
    ({"MESSAGE_SENDER_NAME": ""}, "1-11"),
    ({"SMTP_URL": "mail.example.dk:587"}, "DININDGANG_SMTP_URL"),
    ({"SMTP_URL": "smtp://mail.example.dk:99999"}, "bad port"),
    ({"SMS_URL": "ftp://gateway"}, "DININDGANG_SMS_URL"),
    ({"SMS_URL": "https://gatewayapi.com/rest/mtsms"}, "DININDGANG_SMS_TOKEN"),
    ({"MESSAGE_MAX_ATTEMPTS": 0}, "DININDGANG_MESSAGE_MAX_ATTEMPTS"),
    ({"MESSAGE_LEASE_SECONDS": 30, "MESSAGE_TIMEOUT_SECONDS": 10}, "three times"),
])
def test_bad_settings_are_refused_with_a_clear_error(overrides, message):
    with pytest.raises(config.ConfigError, match=message):
        config.check(_config(**overrides))


def test_good_settings_pass():
    config.check(_config(SMTP_URL="smtp://u:p@mail.example.dk:587", SMS_URL="https://gatewayapi.com/rest/mtsms",
                         SMS_TOKEN="abc", REMINDER_HOUR=8, REMINDER_TWO_HOURS_BEFORE=True, MESSAGE_SENDER_NAME="Kommunen"))
