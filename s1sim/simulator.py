"""Everything one running simulator holds: configuration, clock, tenant, faults, rate limits, request log."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import datetime

from s1sim.clock import SimClock
from s1sim.faults import FaultBook
from s1sim.ratelimit import RateLimiter
from s1sim.requestlog import RequestLog
from s1sim.seed import build_tenant
from s1sim.store import Store, TenantSize


@dataclass(frozen=True)
class SimulatorConfig:
    token: str = "demo-token"
    seed: int = 0
    size: TenantSize = field(default_factory=TenantSize)
    start: datetime | None = None  # the clock's start; None = the wall clock at creation, to the second
    frozen_clock: bool = False
    rate_limits: bool = False
    request_log_size: int = 1000


class Simulator:
    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.clock = SimClock(self.config.start, frozen=self.config.frozen_clock)
        self.faults = FaultBook()
        self.rate_limiter = RateLimiter(self.clock, self.config.rate_limits)
        self.request_log = RequestLog(self.config.request_log_size)
        self._reset_lock = threading.Lock()
        self.store: Store = build_tenant(self.clock, self.config.seed, self.config.size)

    def reset(self) -> None:
        """Back to the seeded state: clock at its start, the seeded tenant, no faults, default rate limits, empty log."""
        with self._reset_lock:
            with self.store.lock:
                self.clock.reset()
                self.clock.set_frozen(self.config.frozen_clock)
                self.store = build_tenant(self.clock, self.config.seed, self.config.size)
            self.faults.clear()
            self.rate_limiter.restore_defaults(self.config.rate_limits)
            self.request_log.clear()
