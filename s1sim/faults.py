"""Injected faults, per path: an error status, latency, `Retry-After`, a malformed body or a dropped connection,
on every request or every Nth one, forever or a limited number of times."""

from __future__ import annotations

import fnmatch
import itertools
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from s1sim.errors import validation_error


@dataclass
class FaultRule:
    """`path` is a glob over the API path without the version prefix (`threats`, `agents/*/uploads/*`), or over the
    full request path when it starts with `/` (`/web/api/v2.0/threats`, `/downloads/*`)."""

    path: str
    method: str | None = None
    status: int | None = None
    body: Any = None  # JSON body to answer with; default: the API error envelope for `status`
    latency: float = 0.0  # seconds, before answering (or before handling, when nothing else is set)
    retry_after: int | None = None
    malformed: bool = False  # 200 (or `status`) with a truncated JSON body
    drop: bool = False  # close the connection without an answer
    every_nth: int = 1
    times: int | None = None  # activations left; None = unlimited
    id: int = 0
    seen: int = 0
    fired: int = 0

    def matches(self, method: str, full_path: str, api_path: str | None) -> bool:
        if self.method and self.method.upper() != method.upper():
            return False
        if self.path.startswith("/"):
            return fnmatch.fnmatchcase(full_path, self.path)
        return api_path is not None and fnmatch.fnmatchcase(api_path, self.path.strip("/"))

    @property
    def answers(self) -> bool:
        """True if the fault replaces the normal answer (latency-only faults do not; Retry-After alone means 429)."""
        return self.status is not None or self.retry_after is not None or self.malformed or self.drop

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "method": self.method,
            "status": self.status,
            "body": self.body,
            "latency": self.latency,
            "retryAfter": self.retry_after,
            "malformed": self.malformed,
            "drop": self.drop,
            "everyNth": self.every_nth,
            "times": self.times,
            "seen": self.seen,
            "fired": self.fired,
        }


FIELD_NAMES = {
    "path": "path",
    "method": "method",
    "status": "status",
    "body": "body",
    "latency": "latency",
    "retryAfter": "retry_after",
    "malformed": "malformed",
    "drop": "drop",
    "everyNth": "every_nth",
    "times": "times",
}


def fault_from_json(payload: dict[str, Any]) -> FaultRule:
    unknown = set(payload) - set(FIELD_NAMES)
    if unknown:
        raise validation_error(f"{sorted(unknown)[0]}: Unknown field.")
    if not isinstance(payload.get("path"), str) or not payload["path"]:
        raise validation_error("path: Missing data for required field.")
    arguments = {FIELD_NAMES[name]: value for name, value in payload.items()}
    rule = FaultRule(**arguments)
    if rule.every_nth < 1:
        raise validation_error("everyNth: Must be at least 1.")
    if rule.status is not None and not 100 <= int(rule.status) <= 599:
        raise validation_error("status: Must be an HTTP status code.")
    if not (rule.answers or rule.latency > 0):
        raise validation_error("status: Give at least one of status, latency, retryAfter, malformed, drop.")
    return rule


@dataclass
class FaultBook:
    rules: list[FaultRule] = field(default_factory=list)
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, rule: FaultRule) -> FaultRule:
        with self._lock:
            rule.id = next(self._ids)
            self.rules.append(rule)
            return rule

    def remove(self, rule_id: int) -> bool:
        with self._lock:
            before = len(self.rules)
            self.rules = [rule for rule in self.rules if rule.id != rule_id]
            return len(self.rules) != before

    def clear(self) -> None:
        with self._lock:
            self.rules.clear()

    def snapshot(self) -> list[dict[str, Any]]:
        with self._lock:
            return [rule.as_json() for rule in self.rules]

    def fire(self, method: str, full_path: str, api_path: str | None) -> list[FaultRule]:
        """The rules that fire for this request, in the order they were added (copies, safe to read unlocked)."""
        fired: list[FaultRule] = []
        with self._lock:
            for rule in self.rules:
                if not rule.matches(method, full_path, api_path):
                    continue
                rule.seen += 1
                if rule.seen % rule.every_nth != 0 or rule.times == 0:
                    continue
                if rule.times is not None:
                    rule.times -= 1
                rule.fired += 1
                fired.append(FaultRule(**{key: value for key, value in asdict(rule).items()}))
        return fired
