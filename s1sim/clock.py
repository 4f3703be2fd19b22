"""Simulated time and the timestamp formats the SentinelOne API uses.

The simulator never reads the wall clock directly: every timestamp it writes comes from a `SimClock`, so tests can
freeze time, jump it forward (to finish Deep Visibility queries, complete remote-script tasks, expire uploads, refill
rate-limit buckets) and reset it.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

UTC = timezone.utc
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
ONE_MILLISECOND = timedelta(milliseconds=1)

# `2019-09-15T12:05:49.095889Z`: six-digit microseconds and a `Z` suffix, as every real timestamp field has.
TIMESTAMP_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def format_timestamp(moment: datetime) -> str:
    """Render `moment` the way the API renders timestamps (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


@functools.lru_cache(maxsize=1 << 18)
def parse_timestamp(text: str) -> datetime:
    """Parse an ISO-8601 timestamp as clients send it; naive values are UTC.

    Accepts `2024-01-01T10:00:00.000000Z`, `2024-01-01T10:00:00Z`, `2024-01-01T10:00:00+00:00`, a space instead of
    the `T` (what `str(datetime)` produces) and a bare date. Raises ValueError otherwise. Cached: time filters parse
    the same stored timestamps on every request (datetimes are immutable, so sharing them is safe).
    """
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def epoch_millis(moment: datetime) -> int:
    """Epoch milliseconds of `moment` (naive means UTC), in integer arithmetic: through the float timestamp, about one
    value in two hundred comes out a millisecond short."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - EPOCH) // ONE_MILLISECOND


def from_epoch_millis(millis: int) -> datetime:
    return EPOCH + millis * ONE_MILLISECOND


class SimClock:
    """The simulator's notion of "now".

    A running clock follows real elapsed time from `start`; a frozen clock stands still. Both move forward on
    `advance`. `reset` returns to `start` (and restarts the real-time count), so a reset simulator sees the same
    timestamps it was seeded with.
    """

    def __init__(
        self,
        start: datetime | None = None,
        frozen: bool = False,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if start is None:
            start = datetime.now(UTC).replace(microsecond=0)
        elif start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self.start = start.astimezone(UTC)
        self.frozen = frozen
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._anchor = monotonic()
        self._offset = 0.0

    def now(self) -> datetime:
        with self._lock:
            elapsed = 0.0 if self.frozen else self._monotonic() - self._anchor
            return self.start + timedelta(seconds=elapsed + self._offset)

    def advance(self, seconds: float) -> datetime:
        if seconds < 0:
            raise ValueError("seconds: the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    def set_frozen(self, frozen: bool) -> None:
        """Freeze or unfreeze without a jump: the current simulated time is kept."""
        with self._lock:
            if frozen == self.frozen:
                return
            now_monotonic = self._monotonic()
            if frozen:
                self._offset += now_monotonic - self._anchor
            self._anchor = now_monotonic
            self.frozen = frozen

    def reset(self) -> None:
        with self._lock:
            self._anchor = self._monotonic()
            self._offset = 0.0
