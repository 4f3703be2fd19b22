"""The /_sim control surface through `SimulatorControl`, against the live session fixture over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from s1sim.control import SimulatorControl, SimulatorControlError
from s1sim.pytest_plugin import SimulatorHandle


def api_get(handle: SimulatorHandle, path: str, **params: Any) -> requests.Response:
    return requests.get(handle.api_url() + path, params=params, headers={"Authorization": f"ApiToken {handle.token}"}, timeout=10)


def test_add_many_threats_with_one_created_at(s1sim: SimulatorHandle) -> None:
    created_at = "2024-06-01T08:00:00.000000Z"

    threats = s1sim.control.add_threats(count=30, created_at=created_at)

    assert len(threats) == 30
    assert {threat["threatInfo"]["createdAt"] for threat in threats} == {created_at}
    ids, cursor = [], None
    while True:
        params = {"createdAt__gte": created_at, "createdAt__lte": created_at, "limit": 7, "sortBy": "createdAt"}
        payload = api_get(s1sim, "threats", **params, **({"cursor": cursor} if cursor else {})).json()
        ids += [item["id"] for item in payload["data"]]
        cursor = payload["pagination"]["nextCursor"]
        if cursor is None:
            break
    assert sorted(ids) == sorted(threat["id"] for threat in threats)


def test_add_threats_for_an_agent_with_overrides(s1sim: SimulatorHandle) -> None:
    agent_id = api_get(s1sim, "agents", limit=1).json()["data"][0]["id"]

    [threat] = s1sim.control.add_threats(
        agent_id=agent_id, threat_info={"classification": "Ransomware", "incidentStatus": "unresolved"}
    )

    assert threat["agentRealtimeInfo"]["agentId"] == agent_id
    assert threat["threatInfo"]["classification"] == "Ransomware"
    assert api_get(s1sim, "threats", ids=threat["id"]).json()["data"][0]["threatInfo"]["classification"] == "Ransomware"


def test_update_threat_creates_mirroring_traffic(s1sim: SimulatorHandle) -> None:
    threat_id = api_get(s1sim, "threats", limit=1).json()["data"][0]["id"]
    now = s1sim.control.advance_clock(120)

    updated = s1sim.control.update_threat(
        threat_id, {"threatInfo": {"incidentStatus": "resolved", "analystVerdict": "true_positive"}}
    )

    assert updated["threatInfo"]["incidentStatus"] == "resolved"
    assert updated["threatInfo"]["updatedAt"] >= now
    modified = api_get(s1sim, "threats", updatedAt__gte=now, limit=1000).json()["data"]
    assert [item["id"] for item in modified] == [threat_id]


def test_add_and_update_alerts(s1sim: SimulatorHandle) -> None:
    [alert] = s1sim.control.add_alerts(created_at="2024-06-02T00:00:00.000000Z", alert_info={"incidentStatus": "Unresolved"})
    alert_id = alert["alertInfo"]["alertId"]

    s1sim.control.update_alert(alert_id, {"alertInfo": {"incidentStatus": "Resolved"}})

    listed = api_get(s1sim, "cloud-detection/alerts", ids=alert_id).json()["data"]
    assert listed[0]["alertInfo"]["incidentStatus"] == "Resolved"
    assert listed[0]["alertInfo"]["createdAt"] == "2024-06-02T00:00:00.000000Z"


@pytest.mark.parametrize(
    "verdict, status, verdict_label, status_label",
    [
        ("false_positive", "in_progress", "False positive", "In progress"),
        ("TRUE_POSITIVE", "Resolved", "True positive", "Resolved"),
    ],
)
def test_verdict_and_status_changes_carry_their_descriptions(
    s1sim: SimulatorHandle, verdict: str, status: str, verdict_label: str, status_label: str
) -> None:
    [threat] = s1sim.control.add_threats(threat_info={"analystVerdict": "suspicious", "incidentStatus": "unresolved"})
    added = threat["threatInfo"]
    assert (added["analystVerdictDescription"], added["incidentStatusDescription"]) == ("Suspicious", "Unresolved")

    s1sim.control.update_threat(threat["id"], {"threatInfo": {"analystVerdict": verdict, "incidentStatus": status}})

    info = api_get(s1sim, "threats", ids=threat["id"]).json()["data"][0]["threatInfo"]
    assert (info["analystVerdict"], info["analystVerdictDescription"]) == (verdict.lower(), verdict_label)
    assert (info["incidentStatus"], info["incidentStatusDescription"]) == (status.lower(), status_label)


def test_alert_verdict_and_status_changes_are_stored_as_the_console_shows_them(s1sim: SimulatorHandle) -> None:
    [alert] = s1sim.control.add_alerts(alert_info={"analystVerdict": "true_positive", "incidentStatus": "IN_PROGRESS"})
    assert (alert["alertInfo"]["analystVerdict"], alert["alertInfo"]["incidentStatus"]) == ("True positive", "In progress")
    alert_id = alert["alertInfo"]["alertId"]

    s1sim.control.update_alert(alert_id, {"alertInfo": {"analystVerdict": "false_positive", "incidentStatus": "resolved"}})

    info = api_get(s1sim, "cloud-detection/alerts", ids=alert_id).json()["data"][0]["alertInfo"]
    assert (info["analystVerdict"], info["incidentStatus"]) == ("False positive", "Resolved")


def test_an_unknown_verdict_is_refused_by_the_control_surface(s1sim: SimulatorHandle) -> None:
    threat_id = api_get(s1sim, "threats", limit=1).json()["data"][0]["id"]
    with pytest.raises(SimulatorControlError, match="analystVerdict: Must be one of"):
        s1sim.control.update_threat(threat_id, {"threatInfo": {"analystVerdict": "malicious"}})


def test_update_agent(s1sim: SimulatorHandle) -> None:
    agent_id = api_get(s1sim, "agents", limit=1).json()["data"][0]["id"]

    s1sim.control.update_agent(agent_id, {"networkStatus": "disconnected"})

    assert api_get(s1sim, "agents", ids=agent_id).json()["data"][0]["networkStatus"] == "disconnected"


def test_request_log_records_method_path_query_body_status(s1sim: SimulatorHandle) -> None:
    s1sim.control.clear_requests()
    api_get(s1sim, "threats", sortBy="createdAt", siteIds="1,2", limit=5)
    requests.post(
        s1sim.api_url() + "threats/notes",
        json={"data": {"text": "hello"}, "filter": {"ids": ["1"]}},
        headers={"Authorization": f"ApiToken {s1sim.token}"},
        timeout=10,
    )

    entries = s1sim.control.requests()

    assert [(entry["method"], entry["path"], entry["status"]) for entry in entries] == [
        ("GET", "/web/api/v2.1/threats", 200),
        ("POST", "/web/api/v2.1/threats/notes", 200),
    ]
    assert entries[0]["query"] == {"sortBy": ["createdAt"], "siteIds": ["1,2"], "limit": ["5"]}
    assert entries[1]["body"] == {"data": {"text": "hello"}, "filter": {"ids": ["1"]}}
    assert s1sim.control.request_counts() == {"/web/api/v2.1/threats": 1, "/web/api/v2.1/threats/notes": 1}
    assert s1sim.control.requests(limit=1)[0]["path"] == "/web/api/v2.1/threats/notes"
    assert len(s1sim.control.requests(path="/web/api/v2.1/threats")) == 1


def test_faults_over_http_drop_the_connection(s1sim: SimulatorHandle) -> None:
    s1sim.control.add_fault("threats", drop=True, times=1)

    with pytest.raises(requests.ConnectionError):
        api_get(s1sim, "threats")

    assert api_get(s1sim, "threats").status_code == 200
    assert [entry["status"] for entry in s1sim.control.requests(path="/web/api/v2.1/threats")] == [None, 200]


def test_clock_and_reset(s1sim: SimulatorHandle) -> None:
    before = s1sim.control.summary()
    s1sim.control.add_threats(count=3)
    s1sim.control.add_fault("agents", status=500)
    moved = s1sim.control.advance_clock(3600)

    assert moved > before["now"]
    assert s1sim.control.summary()["counts"]["threats"] == 53
    s1sim.control.reset()
    after = s1sim.control.summary()
    assert after["counts"] == before["counts"]
    assert s1sim.control.faults() == []
    assert api_get(s1sim, "agents").status_code == 200
    assert s1sim.control.now() < moved


def test_freeze_clock(s1sim: SimulatorHandle) -> None:
    frozen_at = s1sim.control.freeze_clock(True)

    assert s1sim.control.now() == frozen_at
    assert s1sim.control.advance_clock(5) > frozen_at
    s1sim.control.freeze_clock(False)


def test_rate_limits_switch_on_in_a_test(s1sim: SimulatorHandle) -> None:
    assert s1sim.control.rate_limits()["enabled"] is False
    s1sim.control.set_rate_limits(enabled=True, limits={"sites": {"requests": 1, "perSeconds": 60, "burst": 1}})

    assert api_get(s1sim, "sites").status_code == 200
    refused = api_get(s1sim, "sites")

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["Retry-After"]) <= 60


def test_control_errors_raise(s1sim: SimulatorHandle) -> None:
    with pytest.raises(SimulatorControlError, match="HTTP 404"):
        s1sim.control.update_threat("123", {"threatInfo": {}})
    with pytest.raises(SimulatorControlError, match="count: Must be an integer from 1 to 100000."):
        s1sim.control.add_threats(count=0)
    with pytest.raises(SimulatorControlError, match="agentId: Agent 9 does not exist."):
        s1sim.control.add_threats(agent_id="9")


def test_control_is_not_under_the_api_and_needs_no_token(s1sim: SimulatorHandle) -> None:
    assert requests.get(s1sim.url + "/_sim/clock", timeout=10).status_code == 200
    assert requests.get(s1sim.url + "/web/api/v2.1/_sim/clock", timeout=10).status_code == 401
    assert SimulatorControl(s1sim.url).summary()["seed"] == 0
