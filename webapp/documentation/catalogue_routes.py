"""The catalogue of municipal offers (name, section of the law, yearly tariff)."""

from . import bp  # noqa: F401
