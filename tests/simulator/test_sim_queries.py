"""Deep Visibility, Power Query and remote scripts moving with simulated time."""

from __future__ import annotations

import io
import zipfile

import pytest
from sim_api import Api, error_of

WINDOW = {"fromDate": "2024-04-30T00:00:00.000000Z", "toDate": "2024-05-01T12:00:00.000000Z"}


def start_dv(api: Api, query: str = 'EventType = "Process Creation"', **extra: object) -> str:
    response = api.post("dv/init-query", {"query": query, **WINDOW, **extra})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert data["queryModeInfo"] == {"lastActivatedAt": "2024-05-01T12:00:00.000000Z", "mode": "scalyr"}
    return data["queryId"]


def status(api: Api, query_id: str, parameter: str = "queryId") -> dict:
    return api.data("dv/query-status", **{parameter: query_id})


@pytest.mark.parametrize("version", ["2.0", "2.1"])
def test_dv_query_runs_then_finishes_with_the_clock(api: Api, version: str) -> None:
    query_id = api.post("dv/init-query", {"query": "AgentName IS NOT EMPTY", **WINDOW}, version).get_json()["data"]["queryId"]

    assert len(query_id) == 33 and query_id.startswith("q")
    first = api.data("dv/query-status", version, queryId=query_id)
    assert (first["responseState"], first["progressStatus"]) == ("RUNNING", 0)
    api.advance(2.5)
    assert (status(api, query_id)["responseState"], status(api, query_id)["progressStatus"]) == ("RUNNING", 50)
    assert error_of(api.get("dv/events", version, queryId=query_id))["detail"] == "queryId: The query is still running."
    api.advance(2.5)
    done = status(api, query_id, "query_id")
    assert (done["responseState"], done["progressStatus"]) == ("FINISHED", 100)

    events = api.walk("dv/events", version, queryId=query_id, limit=7)

    assert len(events) > 0
    assert len({event["id"] for event in events}) == len(events)
    assert all(WINDOW["fromDate"] <= event["createdAt"] <= WINDOW["toDate"] for event in events)
    assert {event["objectType"] for event in events} <= {"process", "file", "ip", "dns", "url", "registry"}


def test_dv_process_events_and_fields(api: Api) -> None:
    query_id = start_dv(api)
    api.advance(5)

    everything = api.walk("dv/events", queryId=query_id, limit=100)
    processes = api.walk("dv/events/process", query_id=query_id, limit=100)

    assert processes == [event for event in everything if event["objectType"] == "process"]
    event = processes[0]
    required = ["pid", "processName", "processCmd", "processImageSha1Hash", "parentPid", "parentProcessName", "srcProcUid"]
    required += ["processUniqueKey", "processIntegrityLevel", "processSubSystem", "agentName", "siteName", "eventType", "user"]
    for key in required:
        assert event[key] is not None, key
    assert event["eventTime"].endswith("Z") and len(event["eventTime"]) == 24


def test_dv_query_scoped_to_a_named_agent(api: Api) -> None:
    agent = next(iter(api.store.agents.values()))
    query_id = start_dv(api, f'AgentName = "{agent["computerName"]}"')
    api.advance(5)

    assert {event["agentId"] for event in api.walk("dv/events", queryId=query_id, limit=100)} == {agent["id"]}


def test_dv_events_are_deterministic(api: Api) -> None:
    query_id = start_dv(api)
    api.advance(5)
    first = api.walk("dv/events", queryId=query_id, limit=100)
    api.simulator.reset()
    query_id_again = start_dv(api)
    api.advance(5)

    assert query_id_again == query_id
    assert api.walk("dv/events", queryId=query_id, limit=100) == first


def test_dv_errors(api: Api) -> None:
    not_found = api.get("dv/query-status", queryId="q" + "0" * 32)
    assert not_found.status_code == 404
    assert error_of(not_found) == {"code": 4040010, "detail": "Query Not Found", "title": "Resource not found"}
    too_old = api.post("dv/init-query", {"query": "x", "fromDate": "2024-01-01T00:00:00Z", "toDate": WINDOW["toDate"]})
    assert error_of(too_old)["detail"] == "fromDate: Queries can look back at most 93 days."
    assert error_of(api.post("dv/init-query", {"query": "", **WINDOW}))["detail"] == "query: Missing data for required field."
    reversed_window = {"query": "x", "fromDate": WINDOW["toDate"], "toDate": WINDOW["fromDate"]}
    assert error_of(api.post("dv/init-query", reversed_window))["detail"] == "fromDate: Must be earlier than toDate."
    assert error_of(api.get("dv/events/telepathy", queryId="q1"))["detail"].startswith("event_type: Must be one of: process")


def test_dv_cancel(api: Api) -> None:
    query_id = start_dv(api)

    assert api.post("dv/cancel-query", {"queryId": query_id}).get_json() == {"data": {"success": True}}
    assert status(api, query_id)["responseState"] == "QUERY_CANCELLED"


def test_power_query_runs_then_returns_rows(api: Api) -> None:
    body = {"query": "event.type = 'Process Creation' | columns eventTime, agentUuid, src.process.name | limit 5", **WINDOW}

    started = api.post("dv/events/pq", body).get_json()["data"]

    assert started["queryId"].startswith("pq") and len(started["queryId"]) == 34
    assert (started["status"], started["progress"], started["columns"], started["data"]) == ("RUNNING", 0, [], [])
    api.advance(1.5)
    assert api.data("dv/events/pq-ping", queryId=started["queryId"])["progress"] == 50
    api.advance(1.5)
    done = api.data("dv/events/pq-ping", queryId=started["queryId"])
    assert (done["status"], done["progress"]) == ("FINISHED", 100)
    assert done["columns"] == [
        {"name": "eventTime", "type": "INTEGER"},
        {"name": "agentUuid", "type": "STRING"},
        {"name": "src.process.name", "type": "STRING"},
    ]
    assert len(done["data"]) == 5
    uuids = {agent["uuid"] for agent in api.store.agents.values()}
    for event_time, agent_uuid, process in done["data"]:
        assert isinstance(event_time, int) and 1714435200000 <= event_time <= 1714564800000
        assert agent_uuid in uuids and isinstance(process, str)
    assert done["recommendations"] == []


def test_power_query_default_columns_and_errors(api: Api) -> None:
    started = api.post("dv/events/pq", {"query": "*", **WINDOW, "limit": 3}).get_json()["data"]
    api.advance(3)

    done = api.data("dv/events/pq-ping", queryId=started["queryId"])

    assert [column["name"] for column in done["columns"]] == [
        "eventTime",
        "agentUuid",
        "siteId",
        "endpoint.name",
        "event.type",
        "src.process.name",
    ]
    assert len(done["data"]) == 3
    assert api.get("dv/events/pq-ping", queryId="pq" + "0" * 32).status_code == 404
    assert error_of(api.post("dv/events/pq", {"query": "*", **WINDOW, "limit": 0}))["detail"] == (
        "limit: Limit must be greater than or equals to 1 and less than equals to 100000"
    )


def run_script(api: Api, agent_ids: list[str], **data: object) -> dict:
    script = next(s for s in api.store.remote_scripts.values() if s["scriptName"] == "Collect Running Processes")
    body = {
        "filter": {"accountIds": [], "ids": agent_ids},
        "data": {
            "scriptId": script["id"],
            "taskDescription": "collect",
            "outputDestination": "SentinelCloud",
            "scriptRuntimeTimeoutSeconds": 3600,
            "requiresApproval": False,
            **data,
        },
    }
    response = api.post("remote-scripts/execute", body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def tasks(api: Api, parent_id: str) -> list[dict]:
    return api.walk("remote-scripts/status", parentTaskId=parent_id, limit=50)


def test_remote_script_tasks_complete_and_results_download_without_auth(api: Api) -> None:
    active = [agent["id"] for agent in api.store.agents.values() if agent["isActive"]][:2]
    inactive = next(agent["id"] for agent in api.store.agents.values() if not agent["isActive"])

    started = run_script(api, [*active, inactive])

    assert (started["affected"], started["pending"], started["pendingExecutionId"]) == (3, False, None)
    parent = started["parentTaskId"]
    assert {task["status"] for task in tasks(api, parent)} == {"created"}
    api.advance(2)
    assert {task["status"] for task in tasks(api, parent)} == {"in_progress"}
    api.advance(6)
    by_agent = {task["agentId"]: task for task in tasks(api, parent)}
    assert [by_agent[agent_id]["status"] for agent_id in active] == ["completed", "completed"]
    assert by_agent[active[0]]["detailedStatus"] == "Execution completed successfully"
    assert by_agent[active[0]]["updatedAt"] == "2024-05-01T12:00:08.000000Z"
    assert (by_agent[inactive]["status"], by_agent[inactive]["detailedStatus"]) == ("failed", "Agent is offline")

    task_ids = [by_agent[agent_id]["id"] for agent_id in [*active, inactive]]
    results = api.post("remote-scripts/fetch-files", {"data": {"taskIds": task_ids}}).get_json()["data"]

    assert [link["taskId"] for link in results["download_links"]] == task_ids[:2]
    assert results["errors"] == [{"errorString": "No results are available for this task", "taskId": task_ids[2]}]
    link = results["download_links"][0]
    assert link["downloadUrl"] == f"http://localhost/downloads/rs-{task_ids[0]}/{link['fileName']}"
    download = api.client.get(link["downloadUrl"].replace("http://localhost", ""))
    assert download.status_code == 200
    output = zipfile.ZipFile(io.BytesIO(download.data)).read("output.txt").decode()
    assert output.startswith("Script: Collect Running Processes\n")


def test_remote_script_results_with_a_password_are_encrypted(api: Api) -> None:
    agent_id = next(agent["id"] for agent in api.store.agents.values() if agent["isActive"])
    parent = run_script(api, [agent_id], password="Script-Passw0rd!")["parentTaskId"]
    api.advance(8)
    [task] = tasks(api, parent)

    link = api.post("remote-scripts/fetch-files", {"data": {"taskIds": [task["id"]]}}).get_json()["data"]["download_links"][0]
    archive = zipfile.ZipFile(io.BytesIO(api.client.get(link["downloadUrl"].replace("http://localhost", "")).data))

    assert archive.read("exit_code.txt", pwd=b"Script-Passw0rd!") == b"0\n"


def test_remote_script_status_needs_a_parent_task(api: Api) -> None:
    response = api.get("remote-scripts/status")

    assert error_of(response)["detail"] == "parent_task_id or parent_task_id__in query parameter is mandatory"


def test_remote_script_status_filters_and_spellings(api: Api) -> None:
    agents = [agent for agent in api.store.agents.values() if agent["isActive"]][:3]
    parent = run_script(api, [agent["id"] for agent in agents])["parentTaskId"]

    assert len(api.data("remote-scripts/status", parent_task_id=parent)) == 3
    assert len(api.data("remote-scripts/status", parentTaskId__in=parent)) == 3
    named = api.data("remote-scripts/status", parentTaskId=parent, computerName__contains=agents[0]["computerName"])
    assert [task["agentId"] for task in named] == [agents[0]["id"]]
    assert api.get("remote-scripts/status", parentTaskId=parent, countOnly="true").get_json()["pagination"]["totalItems"] == 3


def test_remote_script_approval_and_validation(api: Api) -> None:
    agent_id = next(iter(api.store.agents))

    pending = run_script(api, [agent_id], requiresApproval=True)

    assert (pending["affected"], pending["parentTaskId"], pending["pending"]) == (0, None, True)
    assert pending["pendingExecutionId"] in api.store.pending_executions
    bad = api.post("remote-scripts/execute", {"filter": {"ids": [agent_id]}, "data": {"scriptId": "1", "taskDescription": "x"}})
    assert error_of(bad)["detail"] == "scriptId: Unknown script."
    script_id = next(iter(api.store.remote_scripts))
    no_destination = {"filter": {"ids": [agent_id]}, "data": {"scriptId": script_id, "taskDescription": "x"}}
    assert error_of(api.post("remote-scripts/execute", no_destination))["detail"] == (
        "outputDestination: Must be one of: SentinelCloud, Local, None, SingularityXDR, DataSetCloud."
    )


def test_remote_script_library(api: Api) -> None:
    scripts = api.data("remote-scripts", osTypes="linux", limit=50)

    assert {script["scriptName"] for script in scripts} == {
        "Collect Running Processes",
        "Kill Process by Name",
        "Network Connections Snapshot",
    }
    assert all(script["creator"] == "SentinelOne" and script["creatorId"] == "-1" for script in scripts)
