"""End to end: fetch-incidents run again and again by the local runner (which keeps lastRun between runs, as the platform
does) against the SentinelOne simulator, while threats and alerts keep arriving. Every threat and every alert must
become exactly one incident, whatever happens between runs.

The expected sets come from the simulator's own API (read with the token), never from the integration.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from s1sim.clock import format_timestamp, parse_timestamp
from xsoar_local.runner import RunResult, run_command

INSTANCE = "SentinelOne_e2e_fetch"
EVERY_STATUS = ["UNRESOLVED", "IN_PROGRESS", "RESOLVED"]


class FetchSchedule:
    """The platform's fetch loop for one instance: the same parameters (changeable between runs), one state folder."""

    def __init__(self, sim: Any, tmp_path: Path, **params: Any) -> None:
        self.sim = sim
        self.tmp_path = tmp_path
        self.params: dict[str, Any] = {
            "url": sim.url,
            "credentials": {"password": sim.token},
            "api_version": "2.1",
            "isFetch": True,
            "fetch_time": "30 days",
            "fetch_threat_incident_statuses": EVERY_STATUS,
            "fetch_incidentStatus": EVERY_STATUS,
            **params,
        }
        self.incidents: list[dict[str, Any]] = []
        self.last_result: RunResult | None = None
        self.session = requests.Session()
        self.session.trust_env = False  # loopback simulator: no proxies from the environment
        self.session.headers["Authorization"] = f"ApiToken {sim.token}"

    def run(self, command: str = "fetch-incidents", **param_changes: Any) -> RunResult:
        self.params.update(param_changes)
        result = run_command(
            command,
            {},
            self.params,
            instance_name=INSTANCE,
            state_dir=self.tmp_path / "state",
            files_dir=self.tmp_path / "files",
            poll_speed=0,
        )
        if command == "fetch-incidents":
            self.incidents.extend(result.incidents)
            self.last_result = result
        return result

    def fetch(self, **param_changes: Any) -> list[str]:
        """One successful fetch run: the mirror ids of its incidents."""
        result = self.run(**param_changes)
        assert result.errors == []
        return [incident["dbotMirrorId"] for incident in result.incidents]

    def drain(self, **param_changes: Any) -> int:
        """Fetch until a run brings nothing; returns the number of runs that brought something."""
        for runs in range(100):
            if not self.fetch(**param_changes):
                return runs
        raise AssertionError("fetch never ran dry")

    def console_items(self, path: str, version: str = "2.1") -> list[dict[str, Any]]:
        """Everything the console holds in `path`, read with the API's own cursor."""
        items: list[dict[str, Any]] = []
        params: dict[str, Any] = {"limit": 1000}
        while True:
            response = self.session.get(self.sim.api_url(version) + path, params=params, timeout=10)
            response.raise_for_status()
            body = response.json()
            items += body["data"]
            if not body["pagination"]["nextCursor"]:
                return items
            params["cursor"] = body["pagination"]["nextCursor"]

    def mirror_ids(self) -> Counter[str]:
        return Counter(incident["dbotMirrorId"] for incident in self.incidents)


def later(moment: str, seconds: float) -> str:
    return format_timestamp(parse_timestamp(moment) + timedelta(seconds=seconds))


def test_fetch_every_threat_and_alert_exactly_once(s1sim, tmp_path):
    """
    Given a console with a backlog of threats and alerts several times fetch_limit, a group of threats and a group of
    alerts sharing one creation time (larger than a page), items arriving between runs (one created late, inside the
    look-back window), a run that fails part way, and fetch_type changed back and forth
    When the platform runs fetch-incidents again and again until nothing is left
    Then every threat and every alert on the console became exactly one incident, and the failed run changed nothing.
    """
    control = s1sim.control
    now = control.freeze_clock()
    # Groups sharing one creation time, larger than fetch_limit, after the seeded backlog (which ends 5 minutes ago).
    control.add_threats(count=12, created_at=later(now, -60))
    control.add_alerts(count=13, created_at=later(now, -60))
    schedule = FetchSchedule(s1sim, tmp_path, fetch_type="Threats", fetch_limit="10", mirror_direction="Incoming And Outgoing")

    first = schedule.fetch()
    assert len(first) == 10
    assert all(not mirror_id.startswith("alert:") for mirror_id in first)
    schedule.fetch()
    control.add_threats(count=4)  # all at the frozen "now": another group sharing one timestamp
    control.advance_clock(60)
    schedule.fetch()

    # Alerts join; threats continue from their own state.
    both = schedule.fetch(fetch_type="Both")
    assert sum(mirror_id.startswith("alert:") for mirror_id in both) == 10
    assert sum(not mirror_id.startswith("alert:") for mirror_id in both) == 10

    # A run whose alert request fails after the threats were read: no incidents, no state change.
    assert schedule.last_result is not None
    state_before = schedule.last_result.last_run
    control.clear_requests()
    control.add_fault("cloud-detection/alerts", status=400, times=1)
    failed = schedule.run()
    assert failed.errors and "SentinelOne API error [400]" in failed.errors[0]
    assert failed.incidents == []
    assert failed.last_run == state_before
    assert [(r["path"], r["status"]) for r in control.requests()] == [
        ("/web/api/v2.1/threats", 200),
        ("/web/api/v2.1/cloud-detection/alerts", 400),
    ]

    # A threat indexed late: created two minutes before the threat watermark, inside the look-back window.
    watermark = state_before["threat"]["watermark"]
    late = control.add_threats(count=1, created_at=later(watermark, -120))[0]["id"]
    assert late in schedule.fetch()

    schedule.fetch(fetch_type="Alerts")
    control.add_alerts(count=3)
    control.advance_clock(30)
    schedule.fetch(fetch_type="Threats")
    control.add_threats(count=2)
    assert schedule.drain(fetch_type="Both") >= 2

    fetched = schedule.mirror_ids()
    assert [mirror_id for mirror_id, count in fetched.items() if count > 1] == []
    threat_ids = {threat["id"] for threat in schedule.console_items("threats")}
    alert_ids = {f"alert:{alert['alertInfo']['alertId']}" for alert in schedule.console_items("cloud-detection/alerts")}
    expected = threat_ids | alert_ids
    assert len(expected) >= 100
    assert set(fetched) == expected


def test_fetch_incident_fields_through_the_runner(s1sim, tmp_path):
    """
    Given one threat and one alert created on the console, mirroring Incoming and an incident type parameter
    When fetch-incidents runs from a first fetch time just before them
    Then the incidents carry the mirror fields and the type, the threat is named after its classification and name,
    and the runner prints the incidents and the kept lastRun.
    """
    control = s1sim.control
    now = control.freeze_clock()
    threat = control.add_threats(count=1, threat_info={"classification": "Ransomware", "threatName": "locker.exe"})[0]
    alert = control.add_alerts(count=1)[0]
    schedule = FetchSchedule(
        s1sim, tmp_path, fetch_type="Both", fetch_time=later(now, -1), mirror_direction="Incoming", incidentType="Phishing"
    )
    result = schedule.run()
    assert result.errors == []
    by_id = {incident["dbotMirrorId"]: incident for incident in result.incidents}
    alert_id = alert["alertInfo"]["alertId"]
    assert set(by_id) == {threat["id"], f"alert:{alert_id}"}
    threat_incident = by_id[threat["id"]]
    assert threat_incident["name"] == "SentinelOne Threat: Ransomware - locker.exe"
    assert threat_incident["occurred"] == threat["threatInfo"]["createdAt"]
    assert (threat_incident["type"], threat_incident["dbotMirrorDirection"], threat_incident["dbotMirrorInstance"]) == (
        "Phishing",
        "In",
        INSTANCE,
    )
    assert by_id[f"alert:{alert_id}"]["name"] == f"SentinelOne Alert: {alert['ruleInfo']['name']} - {alert_id}"
    assert set(result.last_run) == {"threat", "alert"}
    rendered = result.render()
    assert "2 incidents created:" in rendered
    assert "SentinelOne Threat: Ransomware - locker.exe" in rendered
    assert rendered.splitlines()[-1].startswith('lastRun: {"alert": {"seen_ids": {"' + alert_id)


def test_fetch_api_20_threats_exactly_once_with_rank_filter(s1sim, tmp_path):
    """
    Given API 2.0, fetch_threat_rank 6 (filtered by the integration, so pages hold threats it passes over), fetch_limit 6,
    and a group of 15 threats sharing one creation time after the seeded backlog
    When fetch-incidents runs until nothing is left, with more threats added half way
    Then every 2.0 threat ranked 6 or more became exactly one incident, and runs followed the cursor to later pages.
    """
    control = s1sim.control
    now = control.freeze_clock()
    control.add_threats(count=15, created_at=later(now, -60))
    schedule = FetchSchedule(s1sim, tmp_path, api_version="2.0", fetch_threat_rank="6", fetch_limit="6")
    control.clear_requests()
    schedule.fetch()
    schedule.fetch()
    control.add_threats(count=6)
    control.advance_clock(10)
    schedule.drain()

    fetched = schedule.mirror_ids()
    assert [mirror_id for mirror_id, count in fetched.items() if count > 1] == []
    ranked = schedule.console_items("threats", version="2.0")
    assert set(fetched) == {threat["id"] for threat in ranked if threat["rank"] >= 6}
    assert 0 < len(fetched) < len(ranked)
    assert any("cursor" in r["query"] for r in control.requests(path="/web/api/v2.0/threats"))
    assert '"s1_api_version": "2.0"' in schedule.incidents[0]["rawJSON"]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"fetch_type": "Both"}, "ok"),
        (
            {"fetch_type": "Alerts", "api_version": "2.0"},
            "Fetch settings: fetch_type: Alerts can only be fetched with API version 2.1",
        ),
        ({"fetch_limit": "many"}, "Fetch settings: fetch_limit: expected an integer of at least 1, got 'many'"),
    ],
)
def test_test_module_checks_fetch_settings(s1sim, tmp_path, params, expected):
    """
    Given fetching enabled with good or bad fetch settings
    When test-module runs through the runner
    Then it says ok, or fails with a message naming the parameter.
    """
    result = FetchSchedule(s1sim, tmp_path, **params).run("test-module")
    assert len(result.entries) == 1
    assert str(result.entries[0]["Contents"]).startswith(expected)
    assert result.exit_code == (0 if expected == "ok" else 1)
