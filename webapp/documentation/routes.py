"""The documentation form per course (Bilag 6): derived part, typed part, PDF, missing list."""

from . import bp  # noqa: F401
