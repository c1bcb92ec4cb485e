"""Fixtures for the FIT and coaching tests."""

from .factories import clock  # noqa: F401 - the frozen clock fixture
