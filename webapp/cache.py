"""Per-process caches of results that change only with the live change counter (`live.py`)."""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from .extensions import db

# Set in `Session.info` by `live.bump()` (and by every flush a live view would show) until the
# transaction ends: the counters it will move at commit. Until then the session reads data that may
# still roll back, under a counter value that does not name it, so nothing is read from or kept in
# a cache.
UNCOMMITTED_CHANGE = "live_uncommitted_change"


class VersionedCache:
    """A small per-process LRU of results keyed by (database, key, change counter value).

    Only for results that are a function of their key and of data whose changes bump the counter:
    a stale entry is never read, since a change makes a new counter value. Keep plain data in it
    (no ORM objects: they expire at commit and detach when the request ends)."""

    def __init__(self, size: int = 4):
        self.size = size
        self._entries: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()
        _CACHES.append(self)

    def get(self, key: Hashable, version: int, compute: Callable[[], object]):
        if db.session.info.get(UNCOMMITTED_CHANGE):
            return compute()
        full_key = (str(db.engine.url), key, version)
        with self._lock:
            if full_key in self._entries:
                self._entries.move_to_end(full_key)
                return self._entries[full_key]
        value = compute()
        if db.session.info.get(UNCOMMITTED_CHANGE):  # compute's autoflush wrote a pending change
            return value
        with self._lock:
            self._entries[full_key] = value
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


_CACHES: list[VersionedCache] = []


def clear_caches() -> None:
    """Forget every cached result (tests that wipe the database, which resets the counters)."""
    for cache in _CACHES:
        cache.clear()
