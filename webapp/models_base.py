"""Column helpers shared by the feature models."""

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.orm import mapped_column

from .timeutil import utcnow


def created_at_column():
    return mapped_column(DateTime(timezone=True), default=utcnow, nullable=False)


def aware(value: datetime | None) -> datetime | None:
    from .timeutil import as_utc

    return None if value is None else as_utc(value)
