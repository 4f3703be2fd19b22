"""The simulated tenant's in-memory state.

Objects are kept as plain dicts in the API's own field names, so list endpoints can filter and render them directly.
Threats are the exception: they are stored once in a 2.1-like form (see `api/threats.py`) and rendered per version.
Sim-only bookkeeping lives under an `_sim` key that renderers strip.

Things that "happen later" on a real console (an agent finishing a disconnect, an upload arriving, a remote-script
task completing) are scheduled here and applied, in due order, before each request is handled (`run_due`).
"""

from __future__ import annotations

import heapq
import itertools
import random
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from s1sim.clock import SimClock, format_timestamp
from s1sim.ids import IdFactory
from s1sim.uam import UamAlerts

Record = dict[str, Any]
ScheduledAction = Callable[[datetime], None]


@dataclass(frozen=True)
class TenantSize:
    agents: int = 20
    threats: int = 50
    alerts: int = 30
    uam_alerts: int = 40


@dataclass(frozen=True)
class ConsoleUser:
    """The management user that owns the API token; written into creator / userId fields."""

    id: str
    full_name: str
    email: str


@dataclass
class Upload:
    """A password-protected zip an agent "uploaded" (fetch-files, fetch-threat-file)."""

    activity_id: str
    agent_id: str
    password: str
    files: list[str]
    created_at: datetime
    file_name: str
    threat_id: str | None = None
    content: bytes | None = None
    deleted: bool = False


@dataclass
class Download:
    """A file served without auth at an absolute URL (remote-script results), like a presigned link."""

    file_name: str
    content: bytes
    content_type: str = "application/zip"


@dataclass
class Store:
    clock: SimClock
    ids: IdFactory
    rng: random.Random
    user: ConsoleUser
    seed: int = 0
    size: TenantSize = field(default_factory=TenantSize)
    lock: threading.RLock = field(default_factory=threading.RLock)
    accounts: dict[str, Record] = field(default_factory=dict)
    sites: dict[str, Record] = field(default_factory=dict)
    groups: dict[str, Record] = field(default_factory=dict)
    agents: dict[str, Record] = field(default_factory=dict)
    applications: dict[str, list[Record]] = field(default_factory=dict)
    threats: dict[str, Record] = field(default_factory=dict)
    notes: dict[str, list[Record]] = field(default_factory=dict)
    alerts: dict[str, Record] = field(default_factory=dict)
    activities: dict[str, Record] = field(default_factory=dict)
    # The activities of each threat (its timeline), in creation order: a timeline page reads its threat's, not all.
    threat_activities: dict[str, list[Record]] = field(default_factory=dict)
    exclusions: dict[str, Record] = field(default_factory=dict)
    restrictions: dict[str, Record] = field(default_factory=dict)
    unified_exclusions: dict[str, Record] = field(default_factory=dict)
    known_good_hashes: set[str] = field(default_factory=set)
    # What the alert list does with an `updatedAt` filter: "reject" | "honour" | "ignore" (see api/alerts.py).
    alert_update_filter: str = "reject"
    star_rules: dict[str, Record] = field(default_factory=dict)
    iocs: dict[str, Record] = field(default_factory=dict)
    remote_scripts: dict[str, Record] = field(default_factory=dict)
    remote_tasks: dict[str, Record] = field(default_factory=dict)
    pending_executions: dict[str, Record] = field(default_factory=dict)
    uploads: dict[str, Upload] = field(default_factory=dict)
    downloads: dict[str, Download] = field(default_factory=dict)
    dv_queries: dict[str, Record] = field(default_factory=dict)
    power_queries: dict[str, Record] = field(default_factory=dict)
    uam: UamAlerts = field(default_factory=UamAlerts)  # Unified Alert Management alerts and notes (s1sim/uam.py)
    _schedule: list[tuple[datetime, int, ScheduledAction]] = field(default_factory=list)
    _sequence: itertools.count[int] = field(default_factory=itertools.count)

    # --- time ---------------------------------------------------------------------------------------------------
    def now(self) -> datetime:
        return self.clock.now()

    def now_text(self) -> str:
        return format_timestamp(self.clock.now())

    def schedule(self, delay_seconds: float, action: ScheduledAction) -> datetime:
        """Run `action(due_time)` once the simulated clock reaches now + delay."""
        due = self.now() + timedelta(seconds=delay_seconds)
        heapq.heappush(self._schedule, (due, next(self._sequence), action))
        return due

    def run_due(self) -> None:
        now = self.now()
        while self._schedule and self._schedule[0][0] <= now:
            due, _, action = heapq.heappop(self._schedule)
            action(due)

    def pending_actions(self) -> int:
        return len(self._schedule)

    # --- lookups ------------------------------------------------------------------------------------------------
    def agent_scope(self, agent: Record) -> tuple[Record, Record, Record]:
        """(account, site, group) of an agent."""
        return self.accounts[agent["accountId"]], self.sites[agent["siteId"]], self.groups[agent["groupId"]]

    def default_group(self, site_id: str) -> Record:
        return next(group for group in self.groups.values() if group["siteId"] == site_id and group["isDefault"])

    def agents_in(self, key: str, value: str) -> list[Record]:
        return [agent for agent in self.agents.values() if agent[key] == value]

    # --- activities ---------------------------------------------------------------------------------------------
    def add_activity(
        self,
        activity_type: int,
        primary_description: str,
        *,
        at: datetime | None = None,
        agent: Record | None = None,
        threat_id: str | None = None,
        site_id: str | None = None,
        account_id: str | None = None,
        data: Record | None = None,
        secondary_description: str | None = None,
        by_user: bool = False,
    ) -> Record:
        moment = format_timestamp(at or self.now())
        activity_id = self.ids.numeric_id()
        site = self.sites.get(agent["siteId"] if agent else site_id or "")
        group = self.groups.get(agent["groupId"]) if agent else None
        account = self.accounts.get(site["accountId"] if site else account_id or "")
        activity = {
            "accountId": account["id"] if account else None,
            "accountName": account["name"] if account else None,
            "activityType": activity_type,
            "activityUuid": self.ids.uuid(),
            "agentId": agent["id"] if agent else None,
            "agentUpdatedVersion": None,
            "comments": None,
            "createdAt": moment,
            "data": dict(data or {}),
            "description": None,
            "groupId": group["id"] if group else None,
            "groupName": group["name"] if group else None,
            "hash": None,
            "id": activity_id,
            "osFamily": agent["osType"] if agent else None,
            "primaryDescription": primary_description,
            "secondaryDescription": secondary_description,
            "siteId": site["id"] if site else None,
            "siteName": site["name"] if site else None,
            "threatId": threat_id,
            "updatedAt": moment,
            "userId": self.user.id if by_user else None,
        }
        self.activities[activity_id] = activity
        if threat_id is not None:
            self.threat_activities.setdefault(threat_id, []).append(activity)
        return activity

    def delete_records(self, collection: dict[str, Record], ids: Iterable[str]) -> int:
        removed = 0
        for record_id in list(ids):
            if collection.pop(record_id, None) is not None:
                removed += 1
        return removed
