"""End to end: mirroring cycles through the runner against the SentinelOne simulator, the way the platform drives them.

Incidents come from a real fetch-incidents run. Incoming: a change made on the simulator (status, verdict, a note) must
be reported by get-modified-remote-data and reach the incident through get-remote-data (mirrored object and entries).
Outgoing: update-remote-system, called with what the platform sends for a changed or closed incident, must change the
threat or alert on the simulator. Also: thousands of modified items in one cycle, and rate-limited cycles.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from e2e_support import incident_of, note_texts

from xsoar_local.runner import MirrorResult, RunResult, run_command, run_mirroring

OUTGOING_PREFIX = "[Cortex XSOAR] "


class MirrorLab:
    """One integration instance (its state folder) mirroring against the simulator; reads the console for comparison."""

    def __init__(self, sim: Any, tmp_path: Path) -> None:
        self.sim = sim
        self.tmp_path = tmp_path
        self.params: dict[str, Any] = {
            "url": sim.url,
            "credentials": {"password": sim.token},
            "api_version": "2.1",
            "isFetch": True,
            "fetch_type": "Both",
            "fetch_limit": "200",
            "fetch_threat_incident_statuses": [],
            "fetch_incidentStatus": [],
            "mirror_direction": "Incoming And Outgoing",
            "close_xsoar_incident": True,
            "close_out": True,
            "comment_tag": "comment",
        }
        self.session = requests.Session()
        self.session.trust_env = False  # loopback simulator: no proxies from the environment
        self.session.headers["Authorization"] = f"ApiToken {sim.token}"

    def run(self, command: str, args: dict[str, Any] | None = None) -> RunResult:
        return run_command(
            command, args or {}, self.params, state_dir=self.tmp_path / "state", files_dir=self.tmp_path / "files", poll_speed=0
        )

    def fetch(self) -> dict[str, dict[str, Any]]:
        """Fetch once; the new incidents by their mirror ID."""
        result = self.run("fetch-incidents")
        assert result.errors == []
        return {incident["dbotMirrorId"]: incident for incident in result.incidents}

    def cycle(self, last_update: str, limit: int | None = None) -> MirrorResult:
        return run_mirroring(
            last_update, self.params, limit=limit, state_dir=self.tmp_path / "state", files_dir=self.tmp_path / "files"
        )

    def update_remote(self, remote_id: str, **args: Any) -> RunResult:
        platform_args = {"remoteId": remote_id, "incidentChanged": True, "delta": {}, "data": {}, "entries": [], "status": 1}
        return self.run("update-remote-system", {**platform_args, **args})

    def now(self) -> str:
        return self.sim.control.now()

    def api(self, path: str, **params: Any) -> Any:
        response = self.session.get(self.sim.api_url("2.1") + path, params=params, timeout=30)
        response.raise_for_status()
        return response.json()

    def api_post(self, path: str, body: dict[str, Any]) -> Any:
        response = self.session.post(self.sim.api_url("2.1") + path, json=body, timeout=60)
        response.raise_for_status()
        return response.json()

    def threat(self, threat_id: str) -> dict[str, Any]:
        return self.api("threats", ids=threat_id)["data"][0]

    def alert(self, alert_id: str) -> dict[str, Any]:
        return self.api("cloud-detection/alerts", ids=alert_id)["data"][0]

    def notes(self, threat_id: str) -> list[str]:
        return [note["text"] for note in self.api(f"threats/{threat_id}/notes", limit=1000)["data"]]


@pytest.fixture
def lab(s1sim: Any, tmp_path: Path) -> Iterator[MirrorLab]:
    yield MirrorLab(s1sim, tmp_path)


def new_threat_incident(lab: MirrorLab) -> str:
    """A new unresolved threat on the console, fetched into an incident: its ID."""
    (threat,) = lab.sim.control.add_threats(threat_info={"incidentStatus": "unresolved", "analystVerdict": "undefined"})
    assert threat["id"] in lab.fetch()
    return str(threat["id"])


def new_alert_incidents(lab: MirrorLab, count: int) -> list[str]:
    """New unresolved alerts on the console, fetched into incidents: their alert IDs."""
    alerts = lab.sim.control.add_alerts(count=count, alert_info={"incidentStatus": "Unresolved", "analystVerdict": "Undefined"})
    alert_ids = [str(alert["alertInfo"]["alertId"]) for alert in alerts]
    incidents = lab.fetch()
    assert all(f"alert:{alert_id}" in incidents for alert_id in alert_ids)
    return alert_ids


def test_threat_changes_in_sentinelone_reach_the_incident(lab: MirrorLab) -> None:
    """
    Given threat incidents fetched with incoming mirroring and close_xsoar_incident
    When an analyst resolves one threat in SentinelOne as a false positive and writes a note, then un-resolves it
    Then each cycle reports exactly that threat; the incident gets the new verdict and status, a close (False Positive)
    and the note once; an idle cycle reports nothing; un-resolving reopens the incident.
    """
    threat_id = new_threat_incident(lab)
    start = lab.now()
    lab.sim.control.update_threat(threat_id, {"threatInfo": {"incidentStatus": "resolved", "analystVerdict": "false_positive"}})
    lab.api_post("threats/notes", {"data": {"text": "Benign admin tool, approved by IT."}, "filter": {"ids": [threat_id]}})

    first = lab.cycle(start)

    assert first.errors == []
    assert first.modified_ids == [threat_id]
    incident = incident_of(first, threat_id)
    mirrored = incident.mirrored_object
    assert (mirrored["id"], mirrored["mirror_id"], mirrored["incident_type"]) == (threat_id, threat_id, "SentinelOne Threat")
    assert (mirrored["threatInfo"]["incidentStatus"], mirrored["threatInfo"]["analystVerdict"]) == ("resolved", "false_positive")
    assert incident.closes and not incident.reopens
    close = incident.entries[0]["Contents"]
    assert (close["closeReason"], close["closeNotes"]) == (
        "False Positive",
        "Resolved in SentinelOne. Analyst verdict: False positive.",
    )
    assert note_texts(incident.entries) == ["Benign admin tool, approved by IT."]

    idle = lab.cycle(start)
    assert (idle.errors, idle.modified_ids) == ([], [])

    lab.sim.control.update_threat(threat_id, {"threatInfo": {"incidentStatus": "unresolved"}})
    third = lab.cycle(start)
    assert third.modified_ids == [threat_id]
    reopened = incident_of(third, threat_id)
    assert reopened.reopens and not reopened.closes
    assert note_texts(reopened.entries) == []  # the note came in once


def test_incident_changes_in_xsoar_reach_the_threat(lab: MirrorLab) -> None:
    """
    Given a fetched threat incident with outgoing mirroring
    When the analyst sets verdict and status and writes a note tagged for mirroring, then closes the incident as a
    false positive (close_out on)
    Then the threat on the console takes the verdict and status, gets an audit note after each change it accepted, the
    note and a closing note, and ends resolved as a false positive; the next incoming cycle reports the threat but
    brings none of those notes back.
    """
    threat_id = new_threat_incident(lab)
    start = lab.now()

    changed = lab.update_remote(
        threat_id,
        delta={"analystVerdict": "Suspicious", "incidentStatus": "In progress"},
        entries=[{"id": "5@2", "contents": "Asked the user about the download.", "user": "alice", "tags": ["comment"]}],
    )
    assert (changed.errors, [entry["Contents"] for entry in changed.entries]) == ([], [threat_id])
    info = lab.threat(threat_id)["threatInfo"]
    assert (info["analystVerdict"], info["incidentStatus"]) == ("suspicious", "in_progress")

    closed = lab.update_remote(
        threat_id,
        status=2,
        delta={"closeReason": "False Positive"},
        data={"closeReason": "False Positive", "closeNotes": "Test file."},
    )
    assert closed.errors == []
    info = lab.threat(threat_id)["threatInfo"]
    assert (info["analystVerdict"], info["incidentStatus"]) == ("false_positive", "resolved")
    assert lab.notes(threat_id)[-6:] == [
        "XSOAR - Updated the threat analyst verdict to Suspicious",
        "XSOAR - Updated the threat status to In progress",
        f"{OUTGOING_PREFIX}alice: Asked the user about the download.",
        "XSOAR - Updated the threat analyst verdict to False positive",
        "XSOAR - Marked as resolved\nTest file.",
        f"{OUTGOING_PREFIX}Incident closed. Close reason: False Positive.",
    ]

    incoming = lab.cycle(start)
    assert incoming.modified_ids == [threat_id]
    assert note_texts(incident_of(incoming, threat_id).entries) == []


def test_alert_changes_mirror_both_ways(lab: MirrorLab) -> None:
    """
    Given alert incidents fetched with mirroring both ways
    When SentinelOne resolves one alert as a true positive, and XSOAR changes another alert's verdict and status
    Then the cycle reports the first alert as alert:<id> and closes its incident (Resolved), and the console shows the
    second alert's new verdict and status.
    """
    alert_id, other_id = new_alert_incidents(lab, 2)
    start = lab.now()
    lab.sim.control.update_alert(alert_id, {"alertInfo": {"incidentStatus": "Resolved", "analystVerdict": "True positive"}})

    cycle = lab.cycle(start)

    assert cycle.errors == []
    assert cycle.modified_ids == [f"alert:{alert_id}"]
    incident = incident_of(cycle, f"alert:{alert_id}")
    assert incident.mirrored_object["alertInfo"]["incidentStatus"] == "Resolved"
    assert (incident.mirrored_object["id"], incident.mirrored_object["incident_type"]) == (alert_id, "SentinelOne Alert")
    assert [entry["Contents"]["closeReason"] for entry in incident.entries] == ["Resolved"]

    changed = lab.update_remote(
        f"alert:{other_id}", delta={"sentinelonealertanalystverdict": "False positive", "sentinelonealertstatus": "In progress"}
    )
    assert changed.errors == []
    info = lab.alert(other_id)["alertInfo"]
    assert (info["analystVerdict"], info["incidentStatus"]) == ("False positive", "In progress")


def test_thousands_of_modified_threats_and_alerts_are_all_reported(lab: MirrorLab) -> None:
    """
    Given 2500 new threats and 1500 new alerts, all changed in bulk after the last cycle, on a console that honours the
    alert list's update-time filter
    When one cycle runs
    Then get-modified-remote-data reports every one of them (several pages each, after the alert list's probe), and the
    next cycle none.
    """
    lab.sim.control.set_alert_update_filter("honour")
    lab.fetch()
    created = lab.now()
    threats = lab.sim.control.add_threats(count=2500, created_at=created, threat_info={"incidentStatus": "unresolved"})
    alerts = lab.sim.control.add_alerts(count=1500, created_at=created, alert_info={"incidentStatus": "Unresolved"})
    start = lab.now()
    lab.api_post("threats/incident", {"data": {"incidentStatus": "in_progress"}, "filter": {"createdAt__gte": created}})
    lab.api_post(
        "cloud-detection/alerts/incident", {"data": {"incidentStatus": "IN_PROGRESS"}, "filter": {"createdAt__gte": created}}
    )

    lab.sim.control.clear_requests()

    cycle = lab.cycle(start, limit=0)

    assert cycle.errors == []
    assert sorted(cycle.modified_ids) == sorted(
        [threat["id"] for threat in threats] + [f"alert:{alert['alertInfo']['alertId']}" for alert in alerts]
    )
    threat_pages = lab.sim.control.requests(path="/web/api/v2.1/threats")
    assert [bool(request["query"].get("cursor")) for request in threat_pages] == [False, True, True]
    alert_pages = lab.sim.control.requests(path="/web/api/v2.1/cloud-detection/alerts")
    assert [(request["query"]["limit"], bool(request["query"].get("cursor"))) for request in alert_pages] == [
        (["1"], False),
        (["1000"], False),
        (["1000"], True),
    ]
    assert lab.cycle(start, limit=0).modified_ids == []


def test_a_rate_limited_cycle_backs_off_and_loses_nothing(lab: MirrorLab) -> None:
    """
    Given a changed threat and a console answering 429 to threat queries
    When a cycle runs, then get-remote-data runs, then the limit lifts and a cycle runs again
    Then the failing runs say "API rate limit" (get-modified-remote-data also "skip update") after one request each (the
    platform does the backing off), and the cycle after reports the change.
    """
    threat_id = new_threat_incident(lab)
    start = lab.now()
    lab.sim.control.update_threat(threat_id, {"threatInfo": {"analystVerdict": "true_positive"}})
    lab.sim.control.clear_requests()
    lab.sim.control.add_fault("threats", status=429, retry_after=1)

    limited = lab.cycle(start)
    remote = lab.run("get-remote-data", {"id": threat_id, "lastUpdate": start})

    (modified_error,) = limited.errors
    assert modified_error.startswith("skip update. error: ")
    assert "API rate limit" in modified_error
    assert "API rate limit" in remote.errors[0]
    assert len(lab.sim.control.requests(path="/web/api/v2.1/threats")) == 2

    lab.sim.control.clear_faults()
    after = lab.cycle(start)
    assert after.errors == []
    assert after.modified_ids == [threat_id]
    assert incident_of(after, threat_id).mirrored_object["threatInfo"]["analystVerdict"] == "true_positive"


def test_update_remote_system_on_api_20_answers_unchanged_incidents_and_refuses_changes(lab: MirrorLab) -> None:
    """
    Given an instance on API 2.0 (no verdict, status or note endpoints)
    When the platform runs update-remote-system for an unchanged incident, then sends an outgoing change
    Then the first returns the remote ID without error, the second fails saying outgoing mirroring needs 2.1, and the
    console gets no request.
    """
    lab.params["api_version"] = "2.0"
    lab.sim.control.clear_requests()
    unchanged = lab.update_remote("1", incidentChanged=False)
    assert (unchanged.errors, [entry["Contents"] for entry in unchanged.entries]) == ([], ["1"])
    result = lab.update_remote("1", delta={"analystVerdict": "True positive"})
    assert result.errors == [
        "Failed to execute update-remote-system command. Error: Outgoing mirroring needs API version 2.1: the verdict, "
        "status and note endpoints do not exist in API version 2.0, which this instance uses. Set the API Version "
        "parameter to 2.1, or the mirroring direction to Incoming."
    ]
    assert lab.sim.control.requests() == []
