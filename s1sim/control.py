"""`SimulatorControl`: a small Python client for the /_sim control surface, for tests and the demo."""

from __future__ import annotations

from typing import Any

import requests


class SimulatorControlError(RuntimeError):
    pass


class SimulatorControl:
    """Drive a running simulator. `base_url` is the server root, e.g. `http://127.0.0.1:8443`.

    Over HTTPS, pass `verify=<the server's certificate file>` (or False).
    """

    def __init__(self, base_url: str, verify: bool | str = True, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        # The simulator is on loopback: no proxies from the environment, and REQUESTS_CA_BUNDLE must not override
        # the simulator's own certificate.
        self.session.trust_env = False
        self.verify = verify
        self.timeout = timeout

    def _call(self, method: str, path: str, json: Any = None, params: dict[str, Any] | None = None) -> Any:
        response = self.session.request(
            method, f"{self.base_url}/_sim{path}", json=json, params=params, timeout=self.timeout, verify=self.verify
        )
        if response.status_code >= 400:
            raise SimulatorControlError(f"{method} /_sim{path} → HTTP {response.status_code}: {response.text}")
        return response.json()

    # --- state and clock ---------------------------------------------------------------------------------------
    def summary(self) -> dict[str, Any]:
        return self._call("GET", "/")

    def now(self) -> str:
        return self._call("GET", "/clock")["now"]

    def advance_clock(self, seconds: float) -> str:
        """Move simulated time forward; returns the new time (ISO). Due state changes are applied."""
        return self._call("POST", "/clock/advance", {"seconds": seconds})["now"]

    def freeze_clock(self, frozen: bool = True) -> str:
        return self._call("POST", "/clock/freeze", {"frozen": frozen})["now"]

    def reset(self) -> None:
        self._call("POST", "/reset")

    # --- objects -----------------------------------------------------------------------------------------------
    def add_threats(
        self,
        count: int = 1,
        created_at: str | None = None,
        agent_id: str | None = None,
        threat_info: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        """New threats (2.1 shape). With `created_at`, all of them share that `createdAt`."""
        body: dict[str, Any] = {"count": count}
        if created_at is not None:
            body["createdAt"] = created_at
        if agent_id is not None:
            body["agentId"] = agent_id
        if threat_info:
            body["threatInfo"] = threat_info
        return self._call("POST", "/threats", body)["data"]

    def update_threat(self, threat_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Deep-merge `changes` into the stored threat (e.g. `{"threatInfo": {"incidentStatus": "resolved"}}`); bumps
        `threatInfo.updatedAt` unless given, which is what incoming mirroring picks up."""
        return self._call("PATCH", f"/threats/{threat_id}", changes)["data"]

    def add_timeline_items(self, threat_id: str, count: int) -> int:
        """Add `count` items to a threat's timeline; returns how many the timeline now holds."""
        return int(self._call("POST", f"/threats/{threat_id}/timeline", {"count": count})["total"])

    def add_alerts(
        self,
        count: int = 1,
        created_at: str | None = None,
        agent_id: str | None = None,
        rule_id: str | None = None,
        alert_info: dict[str, Any] | None = None,
    ) -> list[dict[str, Any]]:
        body: dict[str, Any] = {"count": count}
        for key, value in (("createdAt", created_at), ("agentId", agent_id), ("ruleId", rule_id), ("alertInfo", alert_info)):
            if value is not None:
                body[key] = value
        return self._call("POST", "/alerts", body)["data"]

    def add_many_alerts(self, count: int, created_at: str | None = None, alert_info: dict[str, Any] | None = None) -> list[str]:
        """Many new alerts at once (tens of thousands in about a second): their alert IDs. The alerts of one agent and
        rule share their process details."""
        body: dict[str, Any] = {"count": count, "bulk": True}
        for key, value in (("createdAt", created_at), ("alertInfo", alert_info)):
            if value is not None:
                body[key] = value
        return self._call("POST", "/alerts", body)["data"]

    def update_alert(self, alert_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self._call("PATCH", f"/alerts/{alert_id}", changes)["data"]

    def alert_update_filter(self) -> str:
        """What the alert list does with an `updatedAt__*` filter: "reject" (the default), "honour" or "ignore"."""
        return self._call("GET", "/alert-update-filter")["mode"]

    def set_alert_update_filter(self, mode: str) -> str:
        """Play a console that rejects (400), honours or silently ignores `updatedAt__*` on the alert list."""
        return self._call("PUT", "/alert-update-filter", {"mode": mode})["mode"]

    def update_agent(self, agent_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self._call("PATCH", f"/agents/{agent_id}", changes)["data"]

    # --- UAM alerts (the unifiedalerts/graphql endpoint) ---------------------------------------------------------
    def add_uam_alerts(
        self, count: int = 1, created_at: str | None = None, fields: dict[str, Any] | None = None
    ) -> list[dict[str, Any]]:
        """New UAM alerts (full node shape): endpoint (EDR) alerts on random agents, status NEW, verdict UNDEFINED,
        `updatedAt` = `createdAt`. With `created_at` (ISO) all share that createdAt (to the millisecond); `fields`
        is deep-merged into each, e.g. `{"attackSurfaces": ["IDENTITY"], "severity": "LOW",
        "realTime": {"scope": {"site": {"id": "..."}}}}`."""
        body: dict[str, Any] = {"count": count}
        if created_at is not None:
            body["createdAt"] = created_at
        if fields:
            body["fields"] = fields
        return self._call("POST", "/uam-alerts", body)["data"]

    def update_uam_alert(self, alert_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Deep-merge `changes` into the stored UAM alert; bumps `updatedAt` to now unless `changes` sets it."""
        return self._call("PATCH", f"/uam-alerts/{alert_id}", changes)["data"]

    def add_uam_note(self, alert_id: str, text: str, author: dict[str, Any] | None = None) -> dict[str, Any]:
        """A note written in the console (by default by "Console Analyst", not the API token's user); bumps the
        alert's `updatedAt`."""
        body: dict[str, Any] = {"text": text}
        if author is not None:
            body["author"] = author
        return self._call("POST", f"/uam-alerts/{alert_id}/notes", body)["data"]

    def uam_alert(self, alert_id: str) -> dict[str, Any]:
        """The stored UAM alert node, for assertions."""
        return self._call("GET", f"/uam-alerts/{alert_id}")["data"]

    # --- faults ------------------------------------------------------------------------------------------------
    def add_fault(
        self,
        path: str,
        *,
        status: int | None = None,
        method: str | None = None,
        body: Any = None,
        latency: float = 0.0,
        retry_after: int | None = None,
        malformed: bool = False,
        drop: bool = False,
        every_nth: int = 1,
        times: int | None = None,
    ) -> dict[str, Any]:
        """Inject a fault on `path` (glob on the API path without version, e.g. `threats`, `agents/*/uploads/*`; or a
        full path starting with `/`). Returns the rule, with its `id`."""
        rule: dict[str, Any] = {"path": path, "latency": latency, "malformed": malformed, "drop": drop, "everyNth": every_nth}
        for key, value in (("status", status), ("method", method), ("body", body), ("retryAfter", retry_after), ("times", times)):
            if value is not None:
                rule[key] = value
        return self._call("POST", "/faults", rule)["data"]

    def faults(self) -> list[dict[str, Any]]:
        return self._call("GET", "/faults")["data"]

    def remove_fault(self, fault_id: int) -> None:
        self._call("DELETE", f"/faults/{fault_id}")

    def clear_faults(self) -> None:
        self._call("DELETE", "/faults")

    # --- request log -------------------------------------------------------------------------------------------
    def requests(self, limit: int | None = None, path: str | None = None, method: str | None = None) -> list[dict[str, Any]]:
        """The last requests (oldest first): `{"seq", "at", "method", "path", "query": {name: [values]}, "body", "status"}`."""
        params = {key: value for key, value in (("limit", limit), ("path", path), ("method", method)) if value is not None}
        return self._call("GET", "/requests", params=params)["requests"]

    def request_counts(self) -> dict[str, int]:
        return self._call("GET", "/requests")["counts"]

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")

    # --- rate limits -------------------------------------------------------------------------------------------
    def rate_limits(self) -> dict[str, Any]:
        return self._call("GET", "/rate-limits")

    def set_rate_limits(self, enabled: bool | None = None, limits: dict[str, dict[str, float]] | None = None) -> dict[str, Any]:
        """Switch rate limiting and/or override table entries, e.g. `{"threats": {"requests": 2, "perSeconds": 1}}`."""
        body: dict[str, Any] = {}
        if enabled is not None:
            body["enabled"] = enabled
        if limits:
            body["limits"] = limits
        return self._call("PUT", "/rate-limits", body)
