"""The economics of the shadow assessment (skyggevisitation) for the courses closed in a period."""

from . import bp  # noqa: F401
