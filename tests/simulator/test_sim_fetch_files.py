"""Fetching files: activity 81, then 80 with a download link, a ZipCrypto zip stdlib `zipfile` opens, retention."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from sim_api import Api, error_of

PASSWORD = "Sim-Passw0rd!"


def fetch(api: Api, agent_id: str, files: list[str], password: str = PASSWORD) -> None:
    response = api.post(f"agents/{agent_id}/actions/fetch-files", {"data": {"password": password, "files": files}})
    assert response.get_json() == {"data": {"success": True}}, response.get_json()


def upload_activity(api: Api, agent_id: str) -> dict:
    [activity] = api.data("activities", activityTypes=80, agentIds=agent_id, sortBy="createdAt", sortOrder="desc", limit=1)
    return activity


def test_fetch_files_flow_and_zip(api: Api) -> None:
    agent = next(iter(api.store.agents.values()))
    files = ["C:\\Users\\alice\\Desktop\\notes.txt", "C:\\Windows\\Temp\\dump.log"]

    fetch(api, agent["id"], files)

    [requested] = api.data("activities", activityTypes=81, agentIds=agent["id"])
    assert requested["primaryDescription"] == (
        "The management user Sim Analyst initiated a fetch file command to the agent "
        f"{agent['computerName']} ({agent['externalIp']})."
    )
    assert api.data("activities", activityTypes=80, agentIds=agent["id"]) == []
    api.advance(5)
    uploaded = upload_activity(api, agent["id"])
    assert uploaded["createdAt"] == "2024-05-01T12:00:05.000000Z"
    assert uploaded["data"]["commandBatchUuid"] == requested["data"]["commandBatchUuid"]
    assert uploaded["data"]["downloadUrl"] == f"/agents/{agent['id']}/uploads/{uploaded['id']}"

    response = api.get(uploaded["data"]["downloadUrl"])

    assert response.status_code == 200
    assert response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == ["manifest.json", "C/Users/alice/Desktop/notes.txt", "C/Windows/Temp/dump.log"]
    assert all(info.flag_bits & 0x1 for info in archive.infolist())
    content = archive.read("C/Users/alice/Desktop/notes.txt", pwd=PASSWORD.encode())
    assert content.startswith(b"Simulated content of C:\\Users\\alice\\Desktop\\notes.txt\n")
    manifest = json.loads(archive.read("manifest.json", pwd=PASSWORD.encode()))
    assert [entry["path"] for entry in manifest["files"]] == files
    assert manifest["agentId"] == agent["id"]
    with pytest.raises(RuntimeError, match="Bad password"):
        archive.read("manifest.json", pwd=b"Wrong-Passw0rd!")
    with pytest.raises(RuntimeError, match="password required"):
        archive.read("manifest.json")


def test_same_upload_is_served_identically(api: Api) -> None:
    agent_id = next(iter(api.store.agents))
    fetch(api, agent_id, ["/etc/hosts"])
    api.advance(5)
    url = upload_activity(api, agent_id)["data"]["downloadUrl"]

    first, second = api.get(url).data, api.get(url).data

    assert first == second
    assert zipfile.ZipFile(io.BytesIO(first)).namelist() == ["manifest.json", "etc/hosts"]


def test_upload_expires_after_three_days(api: Api) -> None:
    agent_id = next(iter(api.store.agents))
    fetch(api, agent_id, ["C:\\a.txt"])
    api.advance(5)
    url = upload_activity(api, agent_id)["data"]["downloadUrl"]
    assert api.get(url).status_code == 200

    api.advance(3 * 86400 + 1)
    response = api.get(url)

    assert response.status_code == 410
    assert error_of(response) == {
        "code": 4100010,
        "detail": "The requested files do not exist. "
        "Fetched files are deleted after 3 days, or earlier if more than 30 files are fetched.",
        "title": "Resource not found",
    }


def test_more_than_30_fetched_files_delete_the_oldest_upload(api: Api) -> None:
    agent_id = next(iter(api.store.agents))
    fetch(api, agent_id, [f"C:\\first\\{number}.txt" for number in range(10)])
    api.advance(5)
    oldest = upload_activity(api, agent_id)["data"]["downloadUrl"]
    for batch in range(3):
        fetch(api, agent_id, [f"C:\\batch{batch}\\{number}.txt" for number in range(10)])
        api.advance(5)
    newest = upload_activity(api, agent_id)["data"]["downloadUrl"]

    assert api.get(oldest).status_code == 410
    assert api.get(newest).status_code == 200


def test_wrong_agent_or_activity_is_404(api: Api) -> None:
    agent_ids = list(api.store.agents)
    fetch(api, agent_ids[0], ["C:\\a.txt"])
    api.advance(5)
    activity_id = upload_activity(api, agent_ids[0])["id"]

    assert api.get(f"agents/{agent_ids[1]}/uploads/{activity_id}").status_code == 404
    assert api.get(f"agents/{agent_ids[0]}/uploads/1").status_code == 404
    assert api.get(f"agents/{agent_ids[0]}/uploads/{activity_id}", "2.0").status_code == 200


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        (
            {"password": "short1!A", "files": ["C:\\a"]},
            "password: Must be 10 to 256 characters and contain 3 of: upper-case, lower-case, digits, symbols.",
        ),
        (
            {"password": "alllowercaseletters", "files": ["C:\\a"]},
            "password: Must be 10 to 256 characters and contain 3 of: upper-case, lower-case, digits, symbols.",
        ),
        ({"password": PASSWORD, "files": []}, "files: Must be a non-empty list of file paths."),
        ({"password": PASSWORD, "files": [f"C:\\{n}" for n in range(11)]}, "files: At most 10 files per request."),
        ({"password": PASSWORD, "files": ["C:\\*.txt"]}, "files: Wildcards are not supported."),
        ({"files": ["C:\\a"]}, "password: Missing data for required field."),
    ],
)
def test_fetch_files_validation(api: Api, data: dict, detail: str) -> None:
    agent_id = next(iter(api.store.agents))

    assert error_of(api.post(f"agents/{agent_id}/actions/fetch-files", {"data": data}))["detail"] == detail


def test_fetch_files_is_21_only_and_needs_a_known_agent(api: Api) -> None:
    agent_id = next(iter(api.store.agents))
    body = {"data": {"password": PASSWORD, "files": ["C:\\a"]}}

    assert api.post(f"agents/{agent_id}/actions/fetch-files", body, "2.0").status_code == 404
    assert error_of(api.post("agents/1/actions/fetch-files", body))["detail"] == "Agent 1 does not exist"


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_fetch_threat_file_through_the_timeline(api: Api, version: str) -> None:
    threat_id, threat = next(iter(api.store.threats.items()))
    agent_id = threat["_sim"]["agentId"]

    assert api.post(
        "threats/fetch-file", {"data": {"password": PASSWORD}, "filter": {"ids": [threat_id]}}, version
    ).get_json() == {"data": {"affected": 1}}
    assert [item for item in api.data(f"threats/{threat_id}/timeline", version) if item["data"].get("downloadUrl")] == []
    api.advance(5)

    timeline = api.data(f"threats/{threat_id}/timeline", version, sortOrder="desc", limit=30)

    link = timeline[0]["data"]["downloadUrl"]
    assert link.startswith(f"/agents/{agent_id}/uploads/")
    archive = zipfile.ZipFile(io.BytesIO(api.get(link, version).data))
    [member] = [name for name in archive.namelist() if name != "manifest.json"]
    assert member.startswith("C/") or not member.startswith("/")
    assert archive.read(member, pwd=PASSWORD.encode()).startswith(b"Simulated content of ")
