"""End to end: incoming alert mirroring on a tenant of 50,000 alerts, against each kind of console the simulator plays
for the alert list's undocumented `updatedAt` filter (honours it, refuses it with a 400, ignores it).

What a cycle costs is read from the simulator's request log: one request per stream on an honouring console; on the
others, what the alert incidents still open in XSOAR need (250 per request), never what the tenant holds. A change to
an alert created long before mirroring began is reported on both, and nothing is lost across a failed cycle.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from test_e2e_mirroring import MirrorLab, incident_of

from s1sim.clock import format_timestamp, parse_timestamp

ALERTS_PATH = "/web/api/v2.1/cloud-detection/alerts"
THREATS_PATH = "/web/api/v2.1/threats"
TENANT_ALERTS = 50_000
OLD_OPEN_ALERTS = 30


class AlertLab(MirrorLab):
    """A console holding 50,000 resolved alerts created two years ago, and 30 unresolved ones as old, fetched (with
    the seeded recent ones) into incidents that mirror both ways."""

    def __init__(self, sim: Any, tmp_path: Path, mode: str) -> None:
        super().__init__(sim, tmp_path)
        sim.control.set_alert_update_filter(mode)
        long_ago = format_timestamp(parse_timestamp(self.now()) - timedelta(days=730))
        sim.control.add_many_alerts(TENANT_ALERTS, created_at=long_ago, alert_info={"incidentStatus": "Resolved"})
        self.old_open = sim.control.add_many_alerts(
            OLD_OPEN_ALERTS, created_at=long_ago, alert_info={"incidentStatus": "Unresolved"}
        )
        self.params.update(
            fetch_time="3 years", fetch_incidentStatus=["UNRESOLVED"], fetch_threat_incident_statuses=["UNRESOLVED"]
        )
        self.incidents = self.fetch()
        self.open_alerts = sorted(remote_id.split(":", 1)[1] for remote_id in self.incidents if remote_id.startswith("alert:"))

    def first_cycle_alert_requests(self, start: str) -> list[dict[str, Any]]:
        """Mirroring's first cycle, which finds nothing: the requests it sent to the alert list (the probe first)."""
        self.sim.control.clear_requests()
        first = self.cycle(start)
        assert (first.errors, first.modified_ids) == ([], [])
        alert_requests = self.sim.control.requests(path=ALERTS_PATH)
        assert [probe_of(request) for request in alert_requests] == [True, False]
        return alert_requests

    def idle_cycle_requests(self, start: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """One cycle that finds nothing: the requests it sent to the threat and the alert list."""
        self.sim.control.clear_requests()
        cycle = self.cycle(start)
        assert (cycle.errors, cycle.modified_ids) == ([], [])
        return self.sim.control.requests(path=THREATS_PATH), self.sim.control.requests(path=ALERTS_PATH)


@pytest.fixture
def honouring(s1sim: Any, tmp_path: Path) -> Iterator[AlertLab]:
    yield AlertLab(s1sim, tmp_path, "honour")


@pytest.fixture
def refusing(s1sim: Any, tmp_path: Path) -> Iterator[AlertLab]:
    yield AlertLab(s1sim, tmp_path, "reject")


def probe_of(request: dict[str, Any]) -> bool:
    return request["query"].get("limit") == ["1"] and "updatedAt__gte" in request["query"]


def test_on_an_honouring_console_a_cycle_costs_one_request_per_stream(honouring: AlertLab) -> None:
    """
    Given a console that honours the update-time filter, 50,000 alerts and alert incidents fetched from two years back
    When mirroring begins, then runs idle, then an alert created two years ago (before mirroring began) is resolved
    Then the first cycle asks the console once (the probe) and reads the changes with one request; an idle cycle sends
    one request per stream; the change to the old alert is reported and closes its incident.
    """
    lab = honouring
    start = lab.now()
    alert_requests = lab.first_cycle_alert_requests(start)
    assert alert_requests[1]["query"]["updatedAt__gte"] == [
        lab.sim.control.requests(path=THREATS_PATH)[0]["query"]["updatedAt__gte"][0]
    ]

    threat_requests, alert_requests = lab.idle_cycle_requests(start)
    assert (len(threat_requests), len(alert_requests)) == (1, 1)
    assert alert_requests[0]["query"]["sortBy"] == ["alertInfoUpdatedAt"]

    old_alert = lab.old_open[0]
    lab.sim.control.update_alert(old_alert, {"alertInfo": {"incidentStatus": "Resolved", "analystVerdict": "True positive"}})
    lab.sim.control.clear_requests()
    changed = lab.cycle(start)
    assert changed.errors == []
    assert changed.modified_ids == [f"alert:{old_alert}"]
    assert incident_of(changed, f"alert:{old_alert}").closes
    assert len(lab.sim.control.requests(path=ALERTS_PATH)) == 2  # the change, then get-remote-data's read of the alert


def test_on_a_refusing_console_a_cycle_reads_only_the_open_alert_incidents(refusing: AlertLab) -> None:
    """
    Given a console that refuses the update-time filter (400), 50,000 alerts, and open alert incidents of the seeded
    alerts and of 30 alerts created two years ago
    When mirroring begins and runs idle, an old alert is resolved in SentinelOne, and another incident is closed in XSOAR
    Then the first cycle probes once and then, like every cycle, reads the open alert incidents by ID in one request;
    the change to the old alert is reported and closes its incident; the next cycles read neither that alert nor the
    incident closed in XSOAR.
    """
    lab = refusing
    assert set(lab.old_open) <= set(lab.open_alerts)
    start = lab.now()
    alert_requests = lab.first_cycle_alert_requests(start)
    assert (alert_requests[0]["status"], sorted(alert_requests[1]["query"]["ids"][0].split(","))) == (400, lab.open_alerts)

    threat_requests, alert_requests = lab.idle_cycle_requests(start)
    assert (len(threat_requests), len(alert_requests)) == (1, 1)

    resolved, closed_in_xsoar = lab.old_open[0], lab.old_open[1]
    lab.sim.control.update_alert(resolved, {"alertInfo": {"incidentStatus": "Resolved", "analystVerdict": "False positive"}})
    changed = lab.cycle(start)
    assert changed.errors == []
    assert changed.modified_ids == [f"alert:{resolved}"]
    assert [entry["Contents"]["closeReason"] for entry in incident_of(changed, f"alert:{resolved}").entries] == ["False Positive"]
    assert lab.update_remote(f"alert:{closed_in_xsoar}", status=2, delta={"closeReason": "Other"}).errors == []

    _threat_requests, alert_requests = lab.idle_cycle_requests(start)
    still_open = sorted(set(lab.open_alerts) - {resolved, closed_in_xsoar})
    assert [sorted(request["query"]["ids"][0].split(",")) for request in alert_requests] == [still_open]


def test_a_refusing_consoles_cycle_grows_with_the_open_alert_incidents_not_the_tenant(refusing: AlertLab) -> None:
    """
    Given the same tenant, and 300 more open alert incidents fetched
    When a cycle runs idle
    Then it reads them in two requests (250 IDs per request), however many alerts the console holds.
    """
    lab = refusing
    start = lab.now()
    lab.cycle(start)
    lab.sim.control.add_many_alerts(300, alert_info={"incidentStatus": "Unresolved"})
    lab.params["fetch_limit"] = "200"
    new = {**lab.fetch(), **lab.fetch()}
    assert len(new) == 300

    _threat_requests, alert_requests = lab.idle_cycle_requests(start)
    assert [len(request["query"]["ids"][0].split(",")) for request in alert_requests] == [250, len(lab.open_alerts) + 300 - 250]


@pytest.mark.parametrize("mode", ["honour", "reject", "ignore"])
def test_nothing_is_lost_across_a_failed_cycle(s1sim: Any, tmp_path: Path, mode: str) -> None:
    """
    Given alert incidents on a console of each kind, and a change to one alert
    When the first cycle's probe is rate-limited, and the next cycle's read of the alerts too
    Then both fail saying "API rate limit" and remember nothing, and the cycle after asks the console again and
    reports the change.
    """
    lab = MirrorLab(s1sim, tmp_path)
    lab.params["fetch_time"] = "15 days"  # the seeded alerts lie in the two weeks before the simulator's start
    s1sim.control.set_alert_update_filter(mode)
    alert_id = next(remote_id.split(":", 1)[1] for remote_id in lab.fetch() if remote_id.startswith("alert:"))
    start = lab.now()
    s1sim.control.update_alert(alert_id, {"alertInfo": {"analystVerdict": "Suspicious"}})
    s1sim.control.add_fault("cloud-detection/alerts", status=429, retry_after=1, times=1)

    probe_failed = lab.cycle(start)
    assert ["API rate limit" in error for error in probe_failed.errors] == [True]
    s1sim.control.clear_requests()
    s1sim.control.add_fault("cloud-detection/alerts", status=429, retry_after=1, every_nth=2, times=1)
    read_failed = lab.cycle(start)
    assert ["API rate limit" in error for error in read_failed.errors] == [True]
    probe, read = s1sim.control.requests(path=ALERTS_PATH)
    assert (probe_of(probe), probe["status"] != 429, read["status"]) == (True, True, 429)  # the failed probe left no answer

    after = lab.cycle(start)
    assert after.errors == []
    assert after.modified_ids == [f"alert:{alert_id}"]
    assert incident_of(after, f"alert:{alert_id}").mirrored_object["alertInfo"]["analystVerdict"] == "Suspicious"
