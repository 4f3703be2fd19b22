"""Threat and alert state changes: mitigation, verdicts, incident status (bumping updatedAt), notes, 2.0 actions."""

from __future__ import annotations

from typing import Any

import pytest
from sim_api import START_TEXT, Api, error_of

LATER = "2024-05-01T12:05:00.000000Z"


def pick(api: Api, predicate: Any = lambda threat: True, count: int = 1) -> list[str]:
    chosen = [threat_id for threat_id, threat in api.store.threats.items() if predicate(threat)][:count]
    assert len(chosen) == count
    return chosen


def threat(api: Api, threat_id: str, version: str = "2.1") -> dict:
    items = api.data("threats", version, ids=threat_id)
    assert len(items) == 1
    return items[0]


def test_quarantine_mitigates_and_records_the_action(api: Api) -> None:
    [threat_id] = pick(api, lambda t: t["threatInfo"]["mitigationStatus"] == "not_mitigated")
    api.advance(300)

    response = api.post("threats/mitigate/quarantine", {"filter": {"ids": [threat_id]}})

    assert response.status_code == 200
    details = response.get_json()["data"]["details"]
    assert response.get_json()["data"]["affected"] == 1
    assert details[0]["threatId"] == threat_id and details[0]["skipped"] == []
    assert details[0]["reports"][0]["action"] == "quarantine" and details[0]["reports"][0]["status"] == "success"
    after = threat(api, threat_id)
    assert after["threatInfo"]["mitigationStatus"] == "mitigated"
    assert after["threatInfo"]["mitigationStatusDescription"] == "Mitigated"
    assert after["threatInfo"]["updatedAt"] == LATER
    assert [record["action"] for record in after["mitigationStatus"]][-1] == "quarantine"
    flat = threat(api, threat_id, "2.0")
    assert flat["mitigationStatus"] == "mitigated"
    assert flat["mitigationReport"]["quarantine"] == {"status": "success"}
    assert flat["inQuarantine"] is True


def test_un_quarantine_sets_not_mitigated(api: Api) -> None:
    [threat_id] = pick(api, lambda t: t["threatInfo"]["mitigationStatus"] == "mitigated")

    assert api.post("threats/mitigate/un-quarantine", {"filter": {"ids": [threat_id]}}, "2.0").get_json() == {
        "data": {"affected": 1}
    }
    assert threat(api, threat_id)["threatInfo"]["mitigationStatus"] == "not_mitigated"
    assert threat(api, threat_id, "2.0")["mitigationStatus"] == "active"


def test_rollback_is_skipped_off_windows(api: Api) -> None:
    [threat_id] = pick(api, lambda t: api.store.agents[t["_sim"]["agentId"]]["osType"] == "linux")

    data = api.post("threats/mitigate/rollback-remediation", {"filter": {"ids": [threat_id]}}).get_json()["data"]

    assert data["affected"] == 0
    assert data["details"][0]["skipped"] == [
        {"action": "rollback", "reason": "not_supported", "description": "Rollback is Windows only"}
    ]


def test_unknown_mitigation_action_and_empty_filter(api: Api) -> None:
    assert error_of(api.post("threats/mitigate/vaporize", {"filter": {"ids": ["1"]}}))["detail"] == (
        "action: Must be one of: kill, quarantine, remediate, rollback-remediation, un-quarantine, network-quarantine."
    )
    assert error_of(api.post("threats/mitigate/kill", {"filter": {}}))["detail"] == (
        "filter: At least one filter field is required."
    )
    assert error_of(api.post("threats/mitigate/kill", {"filter": {"ids": []}, "data": {}}))["detail"] == (
        "filter: At least one filter field is required."
    )
    assert error_of(api.post("threats/mitigate/kill", {}))["detail"] == "filter: Missing data for required field."


def test_network_quarantine_disconnects_the_agent(api: Api) -> None:
    [threat_id] = pick(api, lambda t: api.store.agents[t["_sim"]["agentId"]]["networkStatus"] == "connected")
    agent_id = api.store.threats[threat_id]["_sim"]["agentId"]

    api.post("threats/mitigate/network-quarantine", {"filter": {"ids": [threat_id]}})

    assert api.store.agents[agent_id]["networkStatus"] == "disconnecting"


def test_analyst_verdict_updates_and_bumps_updated_at(api: Api) -> None:
    ids = pick(api, lambda t: t["threatInfo"]["analystVerdict"] != "true_positive", count=2)
    api.advance(300)

    body = {"data": {"analystVerdict": "true_positive"}, "filter": {"ids": ids, "tenant": "true"}}
    data = api.post("threats/analyst-verdict", body).get_json()["data"]

    assert data == {
        "affected": 2,
        "details": [{"result": "updated", "threatId": ids[0]}, {"result": "updated", "threatId": ids[1]}],
    }
    for threat_id in ids:
        info = threat(api, threat_id)["threatInfo"]
        assert (info["analystVerdict"], info["analystVerdictDescription"], info["updatedAt"]) == (
            "true_positive",
            "True positive",
            LATER,
        )
    again = api.post("threats/analyst-verdict", body).get_json()["data"]
    assert again["details"][0]["result"] == "not_changed"


def test_verdict_value_is_validated(api: Api) -> None:
    response = api.post("threats/analyst-verdict", {"data": {"analystVerdict": "guilty"}, "filter": {"ids": ["1"]}})

    assert error_of(response) == {
        "code": 4000010,
        "detail": "analystVerdict: Must be one of: undefined, true_positive, false_positive, suspicious.",
        "title": "Validation Error",
    }


def test_incident_status_update_drives_mirroring_queries(api: Api) -> None:
    [threat_id] = pick(api, lambda t: t["threatInfo"]["incidentStatus"] == "unresolved")
    api.advance(300)
    assert threat_id not in {item["id"] for item in api.walk("threats", limit=1000, updatedAt__gte=LATER)}

    data = api.post("threats/incident", {"data": {"incidentStatus": "resolved"}, "filter": {"ids": [threat_id]}}).get_json()[
        "data"
    ]

    assert data["affected"] == 1 and data["details"][0]["result"] == "updated"
    assert [item["id"] for item in api.walk("threats", limit=1000, updatedAt__gte=LATER)] == [threat_id]
    info = threat(api, threat_id)["threatInfo"]
    assert (info["incidentStatus"], info["incidentStatusDescription"]) == ("resolved", "Resolved")
    assert threat(api, threat_id, "2.0")["resolved"] is True


def test_incident_status_with_verdict_and_upper_case(api: Api) -> None:
    [threat_id] = pick(api)

    body = {"data": {"incidentStatus": "IN_PROGRESS", "analystVerdict": "SUSPICIOUS"}, "filter": {"ids": [threat_id]}}
    data = api.post("threats/incident", body).get_json()["data"]

    assert data["details"][0]["analystVerdict"] == "suspicious"
    info = threat(api, threat_id)["threatInfo"]
    assert (info["incidentStatus"], info["analystVerdict"]) == ("in_progress", "suspicious")


def test_resolving_all_threats_of_an_agent_clears_active_threats(api: Api) -> None:
    agent_id = max(api.store.agents.values(), key=lambda agent: agent["activeThreats"])["id"]
    ids = [threat_id for threat_id, t in api.store.threats.items() if t["_sim"]["agentId"] == agent_id]

    api.post("threats/incident", {"data": {"incidentStatus": "resolved"}, "filter": {"ids": ids}})

    assert api.data("agents", ids=agent_id)[0]["activeThreats"] == 0


def test_20_mark_as_threat_and_mark_as_resolved(api: Api) -> None:
    [threat_id] = pick(api, lambda t: t["threatInfo"]["incidentStatus"] != "resolved")

    assert api.post(
        "threats/mark-as-threat", {"filter": {"ids": [threat_id]}, "data": {"targetScope": "site"}}, "2.0"
    ).get_json() == {"data": {"affected": 1}}
    assert api.store.threats[threat_id]["threatInfo"]["analystVerdict"] == "true_positive"
    assert api.post("threats/mark-as-resolved", {"filter": {"ids": [threat_id]}}, "2.0").get_json() == {"data": {"affected": 1}}
    assert threat(api, threat_id, "2.0")["resolved"] is True
    bad_scope = api.post("threats/mark-as-threat", {"filter": {"ids": [threat_id]}, "data": {"targetScope": "world"}}, "2.0")
    assert error_of(bad_scope)["detail"] == "targetScope: Must be one of: site, tenant."


def test_notes_are_stored_and_listed(api: Api) -> None:
    ids = pick(api, lambda t: not api.store.notes.get(t["id"]), count=2)
    api.advance(60)

    assert api.post("threats/notes", {"data": {"text": "XSOAR - looked at it"}, "filter": {"ids": ids}}).get_json() == {
        "data": {"affected": 2}
    }

    notes = api.get(f"threats/{ids[0]}/notes").get_json()
    assert notes["pagination"] == {"totalItems": 1, "nextCursor": None}
    note = notes["data"][0]
    assert note["text"] == "XSOAR - looked at it"
    assert note["createdAt"] == note["updatedAt"] == "2024-05-01T12:01:00.000000Z"
    assert note["creator"] == "Sim Analyst" and note["edited"] is False
    assert set(note) == {"createdAt", "creator", "creatorId", "edited", "id", "text", "updatedAt"}
    assert ids[0] in {t["id"] for t in api.walk("threats", limit=1000, noteExists="true")}
    assert api.delete(f"threats/{ids[0]}/notes/{note['id']}").get_json() == {"data": {"success": True}}
    assert api.data(f"threats/{ids[0]}/notes") == []


def test_notes_paging_and_unknown_threat(api: Api) -> None:
    [threat_id] = pick(api)
    for number in range(12):
        api.post("threats/notes", {"data": {"text": f"note {number}"}, "filter": {"ids": [threat_id]}})

    texts = [note["text"] for note in api.walk(f"threats/{threat_id}/notes", limit=5, sortBy="id")]

    assert texts[-12:] == [f"note {number}" for number in range(12)]
    assert api.get("threats/42/notes").status_code == 404
    assert error_of(api.post("threats/notes", {"data": {"text": " "}, "filter": {"ids": [threat_id]}}))["detail"] == (
        "text: Missing data for required field."
    )


def test_threat_summary_counts(api: Api) -> None:
    summary = api.data("private/threats/summary")
    infos = [t["threatInfo"] for t in api.store.threats.values()]

    assert summary["total"] == 50
    assert summary["resolved"] == sum(1 for info in infos if info["incidentStatus"] == "resolved")
    assert summary["notResolved"] == 50 - summary["resolved"]
    assert summary["inProgress"] == sum(1 for info in infos if info["incidentStatus"] == "in_progress")
    assert summary["notMitigated"] == sum(1 for info in infos if info["mitigationStatus"] == "not_mitigated")
    group_id = next(iter(api.store.agents.values()))["groupId"]
    assert api.data("private/threats/summary", groupIds=group_id)["total"] == sum(
        1 for t in api.store.threats.values() if api.store.agents[t["_sim"]["agentId"]]["groupId"] == group_id
    )


def test_threat_analysis_is_the_21_threat(api: Api) -> None:
    [threat_id] = pick(api)

    assert api.data(f"private/threats/{threat_id}/analysis") == threat(api, threat_id)


@pytest.mark.parametrize(
    ("field", "value", "display"),
    [("incidentStatus", "RESOLVED", "Resolved"), ("analystVerdict", "false_positive", "False positive")],
)
def test_alert_updates_change_display_values_and_updated_at(api: Api, field: str, value: str, display: str) -> None:
    alert_id = next(a_id for a_id, alert in api.store.alerts.items() if alert["alertInfo"][field] != display)
    api.advance(300)
    path = "cloud-detection/alerts/incident" if field == "incidentStatus" else "cloud-detection/alerts/analyst-verdict"

    response = api.post(path, {"data": {field: value}, "filter": {"ids": [alert_id], "tenant": True}})

    assert response.get_json() == {"data": {"affected": 1}}
    alert = api.data("cloud-detection/alerts", ids=alert_id)[0]
    assert alert["alertInfo"][field] == display
    assert alert["alertInfo"]["updatedAt"] == LATER
    assert alert["alertInfo"]["createdAt"] < START_TEXT
