"""Per-token, per-path rate limits (the published SentinelOne table, sentinelone-api.md §2.4) as token buckets.

Buckets refill on the simulated clock, so a test can exhaust `dv/init-query` (1 call per minute), advance the clock
a minute and call again. A refused request gets HTTP 429 with `Retry-After` (whole seconds until a token is back).
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from datetime import datetime

from s1sim.clock import SimClock


@dataclass(frozen=True)
class RateLimit:
    requests: int  # tokens added per `per_seconds`
    per_seconds: float
    burst: int  # bucket size

    @property
    def refill_per_second(self) -> float:
        return self.requests / self.per_seconds

    def as_json(self) -> dict[str, float | int]:
        return {"requests": self.requests, "perSeconds": self.per_seconds, "burst": self.burst}


def per_second(requests: int, burst: int | None = None) -> RateLimit:
    return RateLimit(requests, 1.0, burst or requests)


def per_minute(requests: int) -> RateLimit:
    return RateLimit(requests, 60.0, requests)


# Path prefixes relative to /web/api/v2.x/. The longest matching prefix wins; `threats/*` is the per-threat
# sub-path bucket (notes, timeline, ...), distinct from the `threats` list/action bucket.
DEFAULT_LIMITS: dict[str, RateLimit] = {
    "threats": per_second(10, burst=50),
    "threats/*": per_second(100, burst=1000),
    "agents": per_second(25),
    "activities": per_second(10, burst=30),
    "accounts": per_second(100),
    "sites": per_second(100),
    "exclusions": per_second(25),
    "cloud-detection/rules": per_minute(30),
    "threat-intelligence": per_minute(30),
    "dv/init-query": per_minute(1),
    "dv/query-status": per_second(1),
    "dv/events/pq": per_second(4),
    "dv/events/pq-ping": per_second(4),
    "remote-scripts": per_second(1, burst=30),
    "remote-ops": per_second(1),
    "export": per_second(1),
    "upload": per_second(1),
    "users": per_second(40),
    "users/login": per_second(1),
    "system/status": per_second(2),
    "service-users": per_second(5),
    "singularity-marketplace": per_second(5),
    "licenses": per_second(10),
    "rbac": per_second(50),
    "xdr": per_second(25),
    # Not in the published table: the UAM GraphQL endpoint is given the threat list's limit.
    "unifiedalerts/graphql": per_second(10, burst=50),
}

# Fixed-name second segments under threats/ that are actions, not a threat id (they stay in the `threats` bucket).
THREAT_ACTION_SEGMENTS = frozenset(
    {"mitigate", "analyst-verdict", "incident", "notes", "fetch-file", "mark-as-threat", "mark-as-resolved", "mitigation-report"}
)


def bucket_for(api_path: str, limits: dict[str, RateLimit]) -> str | None:
    """The table entry that governs `api_path` (e.g. `threats/123/notes` → `threats/*`), or None."""
    parts = api_path.strip("/").split("/")
    if len(parts) >= 2 and parts[0] == "threats" and parts[1] not in THREAT_ACTION_SEGMENTS and "threats/*" in limits:
        return "threats/*"
    for length in range(len(parts), 0, -1):
        prefix = "/".join(parts[:length])
        if prefix in limits:
            return prefix
    return None


@dataclass
class Bucket:
    tokens: float
    updated: datetime


class RateLimiter:
    def __init__(self, clock: SimClock, enabled: bool) -> None:
        self.clock = clock
        self.enabled = enabled
        self.limits: dict[str, RateLimit] = dict(DEFAULT_LIMITS)
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._lock = threading.Lock()

    def configure(self, enabled: bool | None = None, limits: dict[str, RateLimit] | None = None) -> None:
        with self._lock:
            if enabled is not None:
                self.enabled = enabled
            if limits:
                self.limits.update(limits)
            self._buckets.clear()

    def restore_defaults(self, enabled: bool) -> None:
        with self._lock:
            self.enabled = enabled
            self.limits = dict(DEFAULT_LIMITS)
            self._buckets.clear()

    def check(self, caller: str, api_path: str) -> int | None:
        """Take one token; None if allowed, else the Retry-After seconds."""
        if not self.enabled:
            return None
        with self._lock:
            name = bucket_for(api_path, self.limits)
            if name is None:
                return None
            limit = self.limits[name]
            now = self.clock.now()
            bucket = self._buckets.get((caller, name))
            if bucket is None:
                bucket = self._buckets[(caller, name)] = Bucket(float(limit.burst), now)
            elapsed = max((now - bucket.updated).total_seconds(), 0.0)
            bucket.tokens = min(float(limit.burst), bucket.tokens + elapsed * limit.refill_per_second)
            bucket.updated = now
            if bucket.tokens >= 1.0:
                bucket.tokens -= 1.0
                return None
            return max(1, math.ceil((1.0 - bucket.tokens) / limit.refill_per_second))
