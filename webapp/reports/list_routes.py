"""The lists behind the key figures (restricted, audited) and the exports (XLSX, committee PDF)."""

from . import bp  # noqa: F401
