"""End to end: Unified Alert Management (UAM) alerts through the runner against the simulator's GraphQL endpoint.

fetch-incidents run again and again over a large backlog with ties and a failing run; UAM, threats and alerts fetched
together; a mirroring cycle in each direction; each UAM command changing the console; GraphQL errors, rate limits and
server errors. The expected sets and states come from the simulator's own API (read with the token), never from the
integration.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from e2e_support import incident_of, note_texts
from test_e2e_mirroring import OUTGOING_PREFIX, MirrorLab

from s1sim.clock import format_timestamp, parse_timestamp
from xsoar_local.runner import RunResult

GRAPHQL_PATH = "/web/api/v2.1/unifiedalerts/graphql"
CONSOLE_ALERT_IDS = """
query ConsoleIds($after: String, $viewType: ViewType) {
  alerts(first: 1000, after: $after, viewType: $viewType, sort: {by: "createdAt", order: ASC}) {
    edges { node { id } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CONSOLE_NOTES = "query ConsoleNotes($id: ID!) { alertNotes(alertId: $id) { data { text author { fullName } } } }"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"


def later(moment: str, seconds: float) -> str:
    return format_timestamp(parse_timestamp(moment) + timedelta(seconds=seconds))


class UamLab(MirrorLab):
    """A mirroring lab (one integration instance and its state folder) that fetches UAM alerts alone, keeps every
    incident it fetched and runs the UAM commands; reads the console through GraphQL for comparison."""

    def __init__(self, sim: Any, tmp_path: Path) -> None:
        super().__init__(sim, tmp_path)
        self.params.update(fetch_type="", fetch_uam_alert_type="ALL", fetch_time="30 days")  # fetch_type cleared: UAM alone
        self.incidents: list[dict[str, Any]] = []

    def run(self, command: str, args: dict[str, Any] | None = None) -> RunResult:
        result = super().run(command, args)
        if command == "fetch-incidents":
            self.incidents.extend(result.incidents)
        return result

    def ok(self, command: str, args: dict[str, Any] | None = None) -> RunResult:
        result = self.run(command, args)
        assert result.errors == []
        return result

    def drain(self) -> int:
        """Fetch until a run brings nothing; the number of runs that brought something."""
        for runs in range(100):
            if not self.fetch():
                return runs
        raise AssertionError("fetch never ran dry")

    def graphql(self, document: str, **variables: Any) -> dict[str, Any]:
        response = self.session.post(
            self.sim.api_url("2.1") + "unifiedalerts/graphql", json={"query": document, "variables": variables}, timeout=30
        )
        response.raise_for_status()
        answer = response.json()
        assert "errors" not in answer, answer
        return answer["data"]

    def console_ids(self, view_type: str = "ALL") -> list[str]:
        """Every UAM alert id of the view on the console, oldest first."""
        ids: list[str] = []
        after = None
        while True:
            connection = self.graphql(CONSOLE_ALERT_IDS, after=after, viewType=view_type)["alerts"]
            ids += [edge["node"]["id"] for edge in connection["edges"]]
            if not connection["pageInfo"]["hasNextPage"]:
                return ids
            after = connection["pageInfo"]["endCursor"]

    def uam_notes(self, alert_id: str) -> list[tuple[str, str]]:
        return [(n["text"], n["author"]["fullName"]) for n in self.graphql(CONSOLE_NOTES, id=alert_id)["alertNotes"]["data"]]

    def graphql_requests(self) -> list[tuple[int, list[str]]]:
        """(status, the document's first word and operation name) of each logged GraphQL request."""
        logged = self.sim.control.requests(path=GRAPHQL_PATH)
        return [(r["status"], r["body"]["query"].split("(")[0].split()) for r in logged]


@pytest.fixture
def lab(s1sim: Any, tmp_path: Path) -> Iterator[UamLab]:
    yield UamLab(s1sim, tmp_path)


def test_a_uam_backlog_with_ties_is_fetched_exactly_once_across_runs_and_a_failure(lab: UamLab) -> None:
    """
    Given 5,000 UAM alerts behind the seeded ones: 44 groups of 100 sharing one millisecond each and one group of 600
    sharing one millisecond (more than fetch_limit and than a page), with alerts arriving between runs
    When the platform runs fetch-incidents (200 per run) until nothing is left, while one run fails on a GraphQL error
    and another meets a 503 that the query's retry absorbs
    Then every UAM alert on the console became exactly one incident; the failed run returned nothing and kept lastRun.
    """
    control = lab.sim.control
    now = control.freeze_clock()
    for group in range(44):
        control.add_uam_alerts(count=100, created_at=later(now, -60 + group))
    control.add_uam_alerts(count=600, created_at=later(now, -30.5))

    for _ in range(5):
        assert len(lab.fetch()) == 200

    # A failing run: the console answers the query with a GraphQL error; nothing is returned or committed.
    state_before = lab.ok("fetch-incidents").last_run
    control.clear_requests()
    error_body = {"errors": [{"message": "simulated resolver failure"}], "data": None}
    control.add_fault("unifiedalerts/graphql", status=200, body=error_body, times=1)
    failed = lab.run("fetch-incidents")
    assert failed.errors == [
        "Failed to execute fetch-incidents command. Error: SentinelOne UAM GraphQL error: simulated resolver failure"
    ]
    assert (failed.incidents, failed.last_run) == ([], state_before)
    # A 503: the query only reads, so it is retried within the run, which then goes on from the same state.
    control.add_fault("unifiedalerts/graphql", status=503, times=1)
    assert len(lab.fetch()) == 200
    logged = control.requests(path=GRAPHQL_PATH)
    assert [request["status"] for request in logged[:2]] == [200, 503]
    assert logged[2]["body"] == logged[1]["body"]  # the same query again
    assert {request["status"] for request in logged[2:]} == {200}

    # Alerts arriving between runs: new ones, and some indexed late, created at the saved lower bound (`since`,
    # inclusive; at this volume the bounded seen_ids keep the look-back to the last 1000 alerts read).
    control.add_uam_alerts(count=30)
    since = lab.ok("fetch-incidents").last_run["uam"]["since"]
    control.add_uam_alerts(count=3, created_at=since)
    control.advance_clock(60)
    assert lab.drain() >= 10

    fetched = Counter(incident["dbotMirrorId"] for incident in lab.incidents)
    assert [mirror_id for mirror_id, count in fetched.items() if count > 1] == []
    expected = {f"uam:{alert_id}" for alert_id in lab.console_ids()}
    assert len(expected) >= 5_033
    assert set(fetched) == expected


def test_uam_threats_and_alerts_are_fetched_together_each_exactly_once(lab: UamLab) -> None:
    """
    Given fetch_type Both and UAM alerts of every view, 10 per stream per run, and fetch_type switched to Threats and
    back while new threats, alerts and UAM alerts arrive
    When the platform fetches until nothing is left
    Then every threat, alert and UAM alert became exactly one incident, and lastRun keeps one state per stream.
    """
    control = lab.sim.control
    lab.params.update(fetch_type="Both", fetch_limit="10", fetch_threat_incident_statuses=[])
    first = lab.fetch()
    assert Counter(mirror_id.split(":")[0] if ":" in mirror_id else "threat" for mirror_id in first) == {
        "threat": 10,
        "alert": 10,
        "uam": 10,
    }
    lab.params["fetch_type"] = "Threats"
    lab.fetch()
    control.add_uam_alerts(count=12, fields={"attackSurfaces": ["IDENTITY"], "severity": "LOW"})
    control.add_alerts(count=3)
    control.add_threats(count=2)
    control.advance_clock(30)
    lab.params["fetch_type"] = "Both"
    assert lab.drain() >= 2
    last_run = lab.ok("fetch-incidents").last_run
    assert set(last_run) == {"threat", "alert", "uam"}

    fetched = Counter(incident["dbotMirrorId"] for incident in lab.incidents)
    assert [mirror_id for mirror_id, count in fetched.items() if count > 1] == []
    uam_ids = {f"uam:{alert_id}" for alert_id in lab.console_ids()}
    uam_fetched = {mirror_id for mirror_id in fetched if mirror_id.startswith("uam:")}
    assert uam_fetched == uam_ids and len(uam_ids) >= 52
    by_type = Counter(incident["type"] for incident in lab.incidents)
    assert by_type["SentinelOne UAM Alert"] == len(uam_ids)
    assert by_type["SentinelOne Threat"] >= 52 and by_type["SentinelOne Alert"] >= 33


def new_uam_incident(lab: UamLab, **fields: Any) -> str:
    """A new UAM alert on the console, fetched into an incident: its ID."""
    (alert,) = lab.sim.control.add_uam_alerts(count=1, fields=fields or None)
    lab.drain()
    assert f"uam:{alert['id']}" in {incident["dbotMirrorId"] for incident in lab.incidents}
    return str(alert["id"])


def test_uam_changes_in_sentinelone_reach_the_incident(lab: UamLab) -> None:
    """
    Given a fetched UAM alert incident, mirroring in and close_xsoar_incident
    When an analyst resolves the alert in the console as a false positive and writes a note, then sets it back to New
    Then each cycle reports exactly uam:<id>; the mirrored object carries the labels; the incident is closed (False
    Positive) and gets the note once; an idle cycle reports nothing; setting it back reopens the incident.
    """
    control = lab.sim.control
    alert_id = new_uam_incident(lab)
    remote_id = f"uam:{alert_id}"
    start = control.now()
    control.update_uam_alert(alert_id, {"status": "RESOLVED", "analystVerdict": "FALSE_POSITIVE_BENIGN"})
    control.add_uam_note(alert_id, "Approved admin tool.")

    first = lab.cycle(start)

    assert (first.errors, first.modified_ids) == ([], [remote_id])
    incident = incident_of(first, remote_id)
    mirrored = incident.mirrored_object
    assert (mirrored["id"], mirrored["mirror_id"], mirrored["incident_type"]) == (alert_id, remote_id, "SentinelOne UAM Alert")
    assert (mirrored["status"], mirrored["status_label"]) == ("RESOLVED", "Resolved")
    assert mirrored["analyst_verdict_label"] == "False positive - Benign"
    assert incident.closes and not incident.reopens
    close = incident.entries[0]["Contents"]
    assert (close["closeReason"], close["closeNotes"]) == (
        "False Positive",
        "Resolved in SentinelOne. Analyst verdict: False positive - Benign.",
    )
    assert note_texts(incident.entries) == ["Approved admin tool."]

    idle = lab.cycle(start)
    assert (idle.errors, idle.modified_ids) == ([], [])

    control.update_uam_alert(alert_id, {"status": "NEW"})
    third = lab.cycle(start)
    assert third.modified_ids == [remote_id]
    reopened = incident_of(third, remote_id)
    assert reopened.reopens and not reopened.closes
    assert note_texts(reopened.entries) == []  # the note came in once
    # A cycle costs one request per 1000 changes, and each alert read one more only when it has notes.
    control.clear_requests()
    lab.cycle(start)
    assert [operation for _, operation in lab.graphql_requests()] == [["query", "UamAlerts"]]


def test_incident_changes_in_xsoar_reach_the_uam_alert(lab: UamLab) -> None:
    """
    Given a fetched UAM alert incident with outgoing mirroring and close_out
    When the analyst sets the status and verdict fields and writes a tagged note, then closes the incident as a false
    positive
    Then the console's alert takes status and verdict (one mutation), gets the note, a closing note and the audit note
    of each change (written by the API token's user), and ends resolved as False positive - Undefined; the next
    incoming cycle brings none of those notes back.
    """
    control = lab.sim.control
    alert_id = new_uam_incident(lab)
    remote_id = f"uam:{alert_id}"
    start = control.now()
    control.clear_requests()

    changed = lab.update_remote(
        remote_id,
        delta={"uamStatus": "In progress", "uamAnalystVerdict": "True positive - Malware"},
        entries=[{"id": "5@2", "contents": "Asked the user about the tool.", "user": "alice", "tags": ["comment"]}],
    )
    assert (changed.errors, [entry["Contents"] for entry in changed.entries]) == ([], [remote_id])
    # the changes, then (accepted) their audit notes
    assert lab.graphql_requests() == [(200, ["mutation", "UamAlertTriggerActions"])] * 2
    alert = control.uam_alert(alert_id)
    assert (alert["status"], alert["analystVerdict"]) == ("IN_PROGRESS", "TRUE_POSITIVE_MALWARE")

    closed = lab.update_remote(
        remote_id,
        status=2,
        delta={"closeReason": "False Positive"},
        data={"closeReason": "False Positive", "closeNotes": "Test."},
    )
    assert closed.errors == []
    alert = control.uam_alert(alert_id)
    assert (alert["status"], alert["analystVerdict"]) == ("RESOLVED", "FALSE_POSITIVE_UNDEFINED")
    token_user = control.summary()["user"]
    assert [(text, author) for text, author in lab.uam_notes(alert_id)] == [
        (f"{OUTGOING_PREFIX}alice: Asked the user about the tool.", token_user["fullName"]),
        ("XSOAR - Updated the alert analyst verdict to True positive - Malware", token_user["fullName"]),
        ("XSOAR - Updated the alert status to In progress", token_user["fullName"]),
        (f"{OUTGOING_PREFIX}Incident closed. Close reason: False Positive.", token_user["fullName"]),
        ("XSOAR - Updated the alert analyst verdict to False positive - Undefined", token_user["fullName"]),
        ("XSOAR - Marked as resolved\nTest.", token_user["fullName"]),
    ]

    incoming = lab.cycle(start)
    assert incoming.modified_ids == [remote_id]
    assert note_texts(incident_of(incoming, remote_id).entries) == []


def test_a_public_pack_uam_incident_keeps_mirroring_by_its_bare_id(lab: UamLab) -> None:
    """
    Given an incident the public pack created for a UAM alert (mirror ID = the bare alert ID)
    When the platform asks for its remote data and sends a status change
    Then the alert is read and changed through GraphQL, and the mirror ID stays the bare ID.
    """
    alert_id = lab.console_ids()[0]
    remote = lab.ok("get-remote-data", {"id": alert_id, "lastUpdate": lab.sim.control.now()})
    (mirrored,) = remote.entries  # the runner shows the mirrored object as it is
    assert (mirrored["id"], mirrored["mirror_id"]) == (alert_id, alert_id)
    changed = lab.update_remote(alert_id, delta={"sentineloneuamalertstatus": "Resolved"})
    assert [entry["Contents"] for entry in changed.entries] == [alert_id]
    assert lab.sim.control.uam_alert(alert_id)["status"] == "RESOLVED"


def test_each_uam_command_changes_the_console(lab: UamLab) -> None:
    """
    Given UAM alerts on the console
    When the analyst lists identity alerts, sets the status and verdict of two alerts (and one unknown ID), and adds a
    note
    Then the list is the console's identity view; each update reaches the console and reports per alert (the unknown
    one not updated); the note is on both alerts.
    """
    control = lab.sim.control
    identity = lab.ok("sentinelone-get-uam-alerts", {"view_type": "identity", "limit": "1000"})
    listed = [entry["ID"] for entry in identity.entries[0]["EntryContext"]["SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)"]]
    assert sorted(listed) == sorted(lab.console_ids("IDENTITY")) and listed

    first, second = (alert["id"] for alert in control.add_uam_alerts(count=2))
    ids = f"{first},uam:{second},{UNKNOWN_ID}"
    status = lab.ok("sentinelone-update-uam-alert-status", {"alert_ids": ids, "status": "In progress"})
    assert status.entries[0]["EntryContext"]["SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)"] == [
        {"ID": first, "Status": "In progress", "Updated": True},
        {"ID": second, "Status": "In progress", "Updated": True},
        {"ID": UNKNOWN_ID, "Status": "In progress", "Updated": False},
    ]
    assert f"Alert {UNKNOWN_ID} not found" in status.entries[0]["HumanReadable"]
    verdict = lab.ok(
        "sentinelone-update-uam-alert-verdict",
        {"alert_ids": f"{first},{second}", "analyst_verdict": "TRUE_POSITIVE_PHISHING_ATTACK"},
    )
    assert all(
        entry["Updated"] for entry in verdict.entries[0]["EntryContext"]["SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)"]
    )
    lab.ok("sentinelone-add-uam-alert-note", {"alert_ids": f"{first},{second}", "note": "Phishing campaign 42."})
    for alert_id in (first, second):
        alert = control.uam_alert(alert_id)
        assert (alert["status"], alert["analystVerdict"], alert["noteExists"]) == (
            "IN_PROGRESS",
            "TRUE_POSITIVE_PHISHING_ATTACK",
            True,
        )
        assert [text for text, _ in lab.uam_notes(alert_id)] == ["Phishing campaign 42."]
    again = lab.ok("sentinelone-update-uam-alert-status", {"alert_ids": first, "status": "IN_PROGRESS"})
    assert "skipped" in again.entries[0]["HumanReadable"]  # already in progress: reported, still Updated


def test_graphql_errors_are_quoted_and_rate_limits_and_server_errors_handled(lab: UamLab) -> None:
    """
    Given a console that refuses a document (an undecodable cursor), then rate-limits a query, then fails a query and a
    mutation with 503
    When UAM commands run
    Then the GraphQL error is quoted; the 429 is retried after Retry-After; the query's 503 is retried, the mutation's
    is not (it could act twice) and its error is reported after one request.
    """
    control = lab.sim.control
    refused = lab.run("sentinelone-get-uam-alerts", {"cursor": "not-a-cursor"})
    (error,) = refused.errors
    assert error.startswith("Failed to execute sentinelone-get-uam-alerts command. Error: SentinelOne UAM GraphQL error: ")
    assert "cursor" in error

    control.clear_requests()
    control.add_fault("unifiedalerts/graphql", status=429, retry_after=1, times=1)
    lab.ok("sentinelone-get-uam-alerts", {"limit": "1"})
    control.add_fault("unifiedalerts/graphql", status=503, times=1)
    lab.ok("sentinelone-get-uam-alerts", {"limit": "1"})
    assert [status for status, _ in lab.graphql_requests()] == [429, 200, 503, 200]

    alert_id = control.add_uam_alerts(count=1)[0]["id"]
    control.clear_requests()
    control.add_fault("unifiedalerts/graphql", status=503, times=1)
    failed = lab.run("sentinelone-update-uam-alert-status", {"alert_ids": alert_id, "status": "Resolved"})
    assert failed.errors == [
        "Failed to execute sentinelone-update-uam-alert-status command. Error: SentinelOne API error [503]: "
        "Internal server error: Server could not process the request."
    ]
    assert lab.graphql_requests() == [(503, ["mutation", "UamAlertTriggerActions"])]
    assert control.uam_alert(alert_id)["status"] == "NEW"  # the fault answered before the console acted


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, "ok"),
        ({"fetch_uam_alert_type": "CUSTOM_ALERTS", "fetch_site_ids": "1", "fetch_severity": "Low"}, "ok"),
        (
            {"api_version": "2.0"},
            "Fetch settings: fetch_uam_alert_type: UAM alerts can only be fetched with API version 2.1; this instance "
            "uses API version 2.0. Clear it or switch the API version.",
        ),
    ],
)
def test_test_module_checks_the_uam_fetch(lab: UamLab, params: dict[str, Any], expected: str) -> None:
    """
    Given UAM fetching with good settings, or on API 2.0
    When test-module runs through the runner
    Then it says ok after probing the UAM query, or names fetch_uam_alert_type and the version.
    """
    lab.params.update(params)
    lab.sim.control.clear_requests()
    result = lab.run("test-module")
    assert [entry["Contents"] for entry in result.entries] == [expected]
    probes = lab.graphql_requests()
    assert probes == ([(200, ["query", "UamAlerts"])] if expected == "ok" else [])
