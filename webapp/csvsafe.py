"""CSV for spreadsheets without formula injection: every export writes through here.

Excel and LibreOffice run a cell that starts with `=`, `+`, `-` or `@` (and, after a tab or carriage
return, the same) as a formula, so a name typed as `=HYPERLINK(...)` would act when the file is
opened. Such a cell gets a leading apostrophe, which spreadsheets show as plain text (OWASP's advice).
"""

import csv
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _SafeWriter:
    def __init__(self, out, **fmtparams):
        self._writer = csv.writer(out, **fmtparams)

    def writerow(self, row: Iterable[object]):
        return self._writer.writerow([cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out, **fmtparams) -> _SafeWriter:
    """Like `csv.writer`, with every cell made safe."""
    return _SafeWriter(out, **fmtparams)
