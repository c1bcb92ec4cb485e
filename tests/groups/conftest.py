"""Fixtures for the groups tests."""

from ..outcomes.factories import clock  # noqa: F401 - the frozen clock fixture
