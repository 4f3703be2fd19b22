"""Response shapes per version (2.0 flat vs 2.1 nested threats), version-only endpoints, id and timestamp formats."""

from __future__ import annotations

import re

import pytest
from sim_api import Api, error_of

ID = re.compile(r"^\d{18,19}$")
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def test_21_threat_is_nested(api: Api) -> None:
    threat = api.data("threats", limit=1)[0]

    assert set(threat) == {
        "agentDetectionInfo",
        "agentRealtimeInfo",
        "containerInfo",
        "ecsInfo",
        "id",
        "indicators",
        "kubernetesInfo",
        "mitigationStatus",
        "threatInfo",
        "whiteningOptions",
    }
    info = threat["threatInfo"]
    assert info["threatId"] == threat["id"]
    assert info["mitigationStatus"] in ("mitigated", "not_mitigated", "marked_as_benign")
    assert isinstance(threat["mitigationStatus"], list)
    assert info["incidentStatus"] in ("unresolved", "in_progress", "resolved")
    assert info["analystVerdict"] in ("undefined", "true_positive", "false_positive", "suspicious")
    assert info["confidenceLevel"] in ("malicious", "suspicious")
    assert re.fullmatch(r"[0-9a-f]{40}", info["sha1"]) and re.fullmatch(r"[0-9a-f]{64}", info["sha256"])
    assert re.fullmatch(r"[0-9A-F]{16}", info["storyline"])
    realtime = threat["agentRealtimeInfo"]
    agent = api.store.agents[realtime["agentId"]]
    assert realtime["agentComputerName"] == agent["computerName"]
    assert realtime["agentNetworkStatus"] == agent["networkStatus"]
    assert realtime["siteId"] == agent["siteId"]
    assert "_sim" not in threat


def test_20_threat_is_flat_with_the_20_fields(api: Api) -> None:
    nested = api.data("threats", limit=1)[0]

    flat = api.data("threats", "2.0", limit=1)[0]

    assert flat["id"] == nested["id"]
    assert "threatInfo" not in flat and "agentRealtimeInfo" not in flat
    info = nested["threatInfo"]
    assert flat["fileContentHash"] == info["sha1"]
    assert flat["fileSha256"] == info["sha256"]
    assert flat["createdAt"] == info["createdAt"]
    assert flat["classification"] == info["classification"]
    assert flat["threatName"] == info["threatName"]
    assert flat["username"] == info["processUser"]
    assert flat["agentComputerName"] == nested["agentRealtimeInfo"]["agentComputerName"]
    assert flat["agentId"] == nested["agentRealtimeInfo"]["agentId"]
    assert flat["siteId"] == nested["agentRealtimeInfo"]["siteId"]
    assert flat["resolved"] == (info["incidentStatus"] == "resolved")
    assert flat["mitigationStatus"] in ("mitigated", "active")
    assert isinstance(flat["rank"], int) and 0 <= flat["rank"] <= 10
    assert flat["markedAsBenign"] == (info["mitigationStatus"] == "marked_as_benign")
    assert set(flat["mitigationReport"]) == {"kill", "network_quarantine", "quarantine", "remediate", "rollback", "unquarantine"}
    assert all(isinstance(number, int) for number in flat["indicators"])
    for key in ("description", "fileDisplayName", "inQuarantine", "fileMaliciousContent"):
        assert key in flat


@pytest.mark.parametrize(
    ("method", "path", "only"),
    [
        ("POST", "threats/mark-as-threat", "2.0"),
        ("POST", "threats/mark-as-resolved", "2.0"),
        ("GET", "agents/processes?ids=1", "2.0"),
        ("GET", "private/threats/summary", "2.1"),
        ("POST", "threats/analyst-verdict", "2.1"),
        ("POST", "threats/incident", "2.1"),
        ("POST", "threats/notes", "2.1"),
        ("GET", "cloud-detection/alerts", "2.1"),
        ("GET", "cloud-detection/rules", "2.1"),
        ("GET", "restrictions", "2.1"),
        ("GET", "threat-intelligence/iocs", "2.1"),
        ("POST", "dv/events/pq", "2.1"),
        ("GET", "dv/events/pq-ping?queryId=x", "2.1"),
        ("GET", "remote-scripts", "2.1"),
        ("GET", "accounts", "2.1"),
    ],
)
def test_version_only_endpoints_are_404_on_the_other_version(api: Api, method: str, path: str, only: str) -> None:
    other = "2.1" if only == "2.0" else "2.0"

    response = api.client.open(f"/web/api/v{other}/{path}", method=method, json={}, headers=api.headers)

    assert response.status_code == 404
    assert error_of(response) == {
        "code": 4040010,
        "detail": f"This endpoint is not available in API version {other}",
        "title": "Resource not found",
    }


def test_unsupported_api_version_is_a_404(api: Api) -> None:
    assert api.get("threats", "2.2").status_code == 404


def test_ids_and_timestamps_have_the_console_formats(api: Api) -> None:
    agent = api.data("agents", limit=1)[0]
    activity = api.data("activities", limit=1)[0]
    group = api.data("groups", limit=1)[0]
    threat = api.data("threats", limit=1)[0]

    for value in (agent["id"], agent["siteId"], agent["groupId"], agent["accountId"], activity["id"], group["id"], threat["id"]):
        assert ID.match(value), value
    for value in (agent["createdAt"], agent["registeredAt"], activity["createdAt"], threat["threatInfo"]["createdAt"]):
        assert TIMESTAMP.match(value), value
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", agent["uuid"])
    interface = agent["networkInterfaces"][0]
    assert re.fullmatch(r"(?:[0-9a-f]{2}:){5}[0-9a-f]{2}", interface["physical"])
    assert isinstance(interface["inet"], list)
    assert agent["osType"] in ("windows", "macos", "linux", "windows_legacy")
    assert agent["networkStatus"] in ("connected", "disconnected", "connecting", "disconnecting")
    assert isinstance(agent["tags"]["sentinelone"], list)


def test_sites_list_has_the_all_sites_wrapper(api: Api) -> None:
    payload = api.get("sites", limit=2).get_json()

    assert set(payload["data"]) == {"allSites", "sites"}
    assert payload["data"]["allSites"] == {"activeLicenses": 20, "totalLicenses": 400}
    assert len(payload["data"]["sites"]) == 2
    assert payload["pagination"]["totalItems"] == 4


def test_single_objects_and_unknown_ids(api: Api) -> None:
    site_id = next(iter(api.store.sites))
    account_id = next(iter(api.store.accounts))

    assert api.data(f"sites/{site_id}")["id"] == site_id
    assert api.data(f"accounts/{account_id}")["numberOfSites"] == 2
    response = api.get("sites/123456789012345678")
    assert response.status_code == 404
    assert error_of(response)["detail"] == "Site 123456789012345678 does not exist"


UNKNOWN = "123456789012345678"


@pytest.mark.parametrize(
    ("method", "path", "detail"),
    [
        ("GET", f"accounts/{UNKNOWN}", f"Account {UNKNOWN} does not exist"),
        ("GET", f"groups/{UNKNOWN}", f"Group {UNKNOWN} does not exist"),
        ("DELETE", f"groups/{UNKNOWN}", f"Group {UNKNOWN} does not exist"),
        ("POST", f"sites/{UNKNOWN}/expire-now", f"Site {UNKNOWN} does not exist"),
        ("GET", f"threats/{UNKNOWN}/notes", f"Threat {UNKNOWN} does not exist"),
        ("GET", f"threats/{UNKNOWN}/timeline", f"Threat {UNKNOWN} does not exist"),
        ("PUT", f"cloud-detection/rules/{UNKNOWN}", f"Rule {UNKNOWN} does not exist"),
    ],
)
def test_unknown_ids_are_404_naming_the_object(api: Api, method: str, path: str, detail: str) -> None:
    response = api.send(method, path, {"data": {}} if method == "PUT" else None)

    assert response.status_code == 404
    assert error_of(response) == {"code": 4040010, "detail": detail, "title": "Resource not found"}


@pytest.mark.parametrize(
    ("path", "detail"),
    [("threats", "Threat"), ("alerts", "Alert"), ("agents", "Agent")],
)
def test_control_updates_of_unknown_ids_are_404_naming_the_object(api: Api, path: str, detail: str) -> None:
    response = api.client.patch(f"/_sim/{path}/{UNKNOWN}", json={})

    assert response.status_code == 404
    assert error_of(response) == {"code": 4040010, "detail": f"{detail} {UNKNOWN} does not exist", "title": "Resource not found"}


def test_alert_shape(api: Api) -> None:
    alert = api.data("cloud-detection/alerts", limit=1)[0]

    assert set(alert) >= {"alertInfo", "ruleInfo", "agentRealtimeInfo", "agentDetectionInfo", "sourceProcessInfo"}
    assert "id" not in alert
    assert alert["alertInfo"]["incidentStatus"] in ("Unresolved", "In progress", "Resolved")
    assert alert["alertInfo"]["analystVerdict"] in ("Undefined", "True positive", "False positive", "Suspicious")
    assert alert["ruleInfo"]["severity"] in ("Low", "Medium", "High", "Critical")
    assert alert["sourceProcessInfo"]["pidStarttime"].endswith("Z")
    assert set(alert["agentRealtimeInfo"]) == {
        "id",
        "infected",
        "isActive",
        "isDecommissioned",
        "machineType",
        "name",
        "os",
        "uuid",
    }


def test_applications_and_obsolete_processes(api: Api) -> None:
    agent_id = next(iter(api.store.agents))

    applications = api.data("agents/applications", ids=agent_id)
    assert applications == api.store.applications[agent_id]
    assert set(applications[0]) == {"installedDate", "name", "publisher", "size", "version"}
    assert api.data("agents/processes", "2.0", ids=agent_id) == []
    assert error_of(api.get("agents/applications"))["detail"] == "ids: Missing data for required field."


def test_activity_types_catalogue(api: Api) -> None:
    types = {item["id"]: item for item in api.data("activities/types")}

    assert types[80] == {
        "action": "Agent Uploaded Fetched Files",
        "descriptionTemplate": "Agent {{ computer_name }} ({{ external_ip }}) successfully uploaded {{ filename }}.",
        "id": 80,
    }
    assert types[81]["action"] == "User Requested Fetch Files"
