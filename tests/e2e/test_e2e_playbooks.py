"""End to end: the pack's playbooks and test playbooks, run by the local playbook runner against the simulator.

Each playbook runs as the platform would run it: its commands through the integration, its loops and the integration's
polling waiting in simulated time (the runner's waits advance the simulator's frozen clock). The tests check the final
context, what the console now holds, and the exact requests the playbook made.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from e2e_support import Analyst

from xsoar_local.incident import incident_from_fetch
from xsoar_local.playbook import Playbook, PlaybookResult, PlaybookRunner, loads_playbook
from xsoar_local.runner import run_command

PACK = Path(__file__).resolve().parents[2] / "Packs" / "SentinelOne"
PLAYBOOKS = PACK / "Playbooks"
TEST_PLAYBOOKS = PACK / "TestPlaybooks"
API = "/web/api/v2.1/"
PASSWORD = "Pb-Passw0rd!x"


class PlaybookAnalyst(Analyst):
    """Runs playbooks on one integration instance; every wait moves the simulator's (frozen) clock."""

    def __init__(self, sim: Any, tmp_path: Path) -> None:
        super().__init__(sim, tmp_path, poll_speed=1.0, sleep=sim.control.advance_clock)

    def playbook(
        self, name: str, inputs: dict[str, Any] | None = None, *, incident: dict[str, Any] | None = None, **options: Any
    ) -> PlaybookResult:
        folder = TEST_PLAYBOOKS if name.endswith(" - Test") or name.endswith("-test") else PLAYBOOKS
        path = next(path for path in folder.glob("*.yml") if yaml.safe_load(path.read_text())["name"] == name)
        return self.run_document(path, inputs, incident=incident, **options)

    def run_document(self, playbook: Any, inputs: dict[str, Any] | None = None, **options: Any) -> PlaybookResult:
        self.runs += 1
        options.setdefault("sleep", self.sleep)
        runner = PlaybookRunner(
            self.instance(),
            state_dir=self.tmp_path / "state",
            files_dir=self.tmp_path / f"files-{self.runs}",
            poll_speed=self.poll_speed,
            **options,
        )
        return runner.run(playbook, inputs)

    def agent(self, **filters: Any) -> dict[str, Any]:
        return self.api("agents", limit=1, **filters)["data"][0]

    def requests_to(self, path: str, method: str = "POST") -> list[dict[str, Any]]:
        return self.sim.control.requests(path=API + path, method=method)


@pytest.fixture
def analyst(s1sim: Any, tmp_path: Path) -> Iterator[PlaybookAnalyst]:
    s1sim.control.freeze_clock(True)
    try:
        yield PlaybookAnalyst(s1sim, tmp_path)
    finally:
        s1sim.control.freeze_clock(False)


def ok(result: PlaybookResult) -> PlaybookResult:
    assert result.errors == [], result.render()
    return result


def threat_on_a_connected_agent(analyst: PlaybookAnalyst, confidence: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """An unresolved threat of the given confidence whose agent is active and connected."""
    for threat in analyst.api("threats", limit=100, confidenceLevels=confidence, incidentStatuses="unresolved")["data"]:
        agent = analyst.api("agents", ids=threat["agentRealtimeInfo"]["agentId"])["data"][0]
        if agent["isActive"] and agent["networkStatus"] == "connected":
            return threat, agent
    raise AssertionError(f"no {confidence} threat on a connected agent in the seed")


# --- threat triage ---------------------------------------------------------------------------------------------------


def test_triage_sets_the_verdict_from_the_reputation_mitigates_isolates_and_writes_a_note(analyst: PlaybookAnalyst) -> None:
    threat, agent = threat_on_a_connected_agent(analyst, "malicious")
    sha1 = threat["threatInfo"]["sha1"]
    result = ok(
        analyst.playbook("SentinelOne - Threat Triage", {"ThreatID": threat["id"], "AutoMitigate": "true", "AutoIsolate": "true"})
    )

    assert result.context["SentinelOneTriage"] == {
        "AgentID": agent["id"],
        "FileHash": sha1,
        "Verdict": "true_positive",
        "VerdictNote": "set to true_positive",
    }
    assert result.context["DBotScore"]["Score"] == 3
    assert result.context["SentinelOneNetworkIsolation"] == {"ExpectedStatus": "disconnected", "Confirmed": "true"}
    assert result.incident == {"sentinelonethreatanalystverdict": "True positive"}
    # What the console holds now.
    assert analyst.api("threats", ids=threat["id"])["data"][0]["threatInfo"]["analystVerdict"] == "true_positive"
    assert analyst.api("agents", ids=agent["id"])["data"][0]["networkStatus"] == "disconnected"
    note = (
        f"Triaged by Cortex XSOAR. Verdict set to true_positive. File: {sha1}. "
        f"Endpoint: {agent['computerName']} (network disconnected)."
    )
    assert note in [item["text"] for item in analyst.api(f"threats/{threat['id']}/notes")["data"]]
    assert [request["body"] for request in analyst.requests_to("threats/notes")] == [
        {"data": {"text": note}, "filter": {"ids": [threat["id"]]}}
    ]
    # The requests that changed it.
    assert [request["body"] for request in analyst.requests_to("threats/analyst-verdict")] == [
        {"data": {"analystVerdict": "true_positive"}, "filter": {"ids": [threat["id"]], "tenant": True}}
    ]
    assert [request["body"] for request in analyst.requests_to("threats/mitigate/quarantine")] == [
        {"filter": {"ids": [threat["id"]]}}
    ]
    assert [request["body"] for request in analyst.requests_to("agents/actions/disconnect")] == [
        {"filter": {"ids": [agent["id"]]}}
    ]
    assert result.ran() == ["0", "1", "2", "3", "4", "6", "7", "8", "10", "11", "12", "13", "14", "16", "17", "19", "20", "30",
                            "21", "22", "23", "24", "25", "26", "27", "28"]  # fmt: skip


def test_triage_of_a_fetched_incident_takes_its_inputs_from_the_incident_fields(analyst: PlaybookAnalyst) -> None:
    fetched = run_command(
        "fetch-incidents",
        {},
        analyst.instance(isFetch=True, fetch_type="Threats", fetch_limit="3", fetch_time="30 days"),
        state_dir=analyst.tmp_path / "state",
        files_dir=analyst.tmp_path / "files",
    )
    assert fetched.errors == [] and fetched.incidents
    incident = incident_from_fetch(fetched.incidents[0])
    analyst.sim.control.clear_requests()

    result = ok(analyst.playbook("SentinelOne - Threat Triage", incident=incident))

    assert result.inputs["ThreatID"] == incident["sentinelonethreatid"]
    assert result.inputs["AgentID"] == incident["sentineloneagentid"]
    assert result.inputs["FileHash"] == incident["sentinelonethreatfilesha1"]
    assert result.context["SentinelOneTriage"]["AgentID"] == incident["sentineloneagentid"]  # the given one, not read back
    assert result.ran()[4:6] == ["4", "5"]
    assert analyst.requests_to("threats/mitigate/quarantine") == []  # AutoMitigate and AutoIsolate default to false
    assert analyst.requests_to("agents/actions/disconnect") == []
    assert len(analyst.requests_to("threats/notes")) == 1


def test_triage_leaves_the_verdict_alone_when_the_file_is_not_known_as_malicious(analyst: PlaybookAnalyst) -> None:
    threat, _ = threat_on_a_connected_agent(analyst, "suspicious")
    result = ok(analyst.playbook("SentinelOne - Threat Triage", {"ThreatID": threat["id"], "AutoMitigate": "true"}))
    assert result.context["DBotScore"]["Score"] == 0
    assert "Verdict" not in result.context["SentinelOneTriage"]
    assert result.context["SentinelOneTriage"]["VerdictNote"] == "left unchanged"
    assert result.task("16").outcome == "else"
    assert analyst.requests_to("threats/analyst-verdict") == []
    assert analyst.requests_to("threats/mitigate/quarantine") == []  # no true_positive verdict: no mitigation
    assert result.incident == {}


# --- isolate and release ---------------------------------------------------------------------------------------------


def test_isolating_then_releasing_an_endpoint_waits_for_each_status(analyst: PlaybookAnalyst) -> None:
    agent = analyst.agent(isActive="true", networkStatuses="connected")
    isolated = ok(analyst.playbook("SentinelOne - Isolate or Release Endpoint", {"AgentID": agent["id"], "Action": "isolate"}))
    assert isolated.context["SentinelOneNetworkIsolation"] == {"ExpectedStatus": "disconnected", "Confirmed": "true"}
    assert isolated.context["SentinelOne"]["Agent"]["NetworkStatus"] == "disconnected"
    loop = isolated.task("7")
    assert loop.outcome == "completed (exit condition met after 2 iterations)"  # disconnecting first, 30 s later disconnected
    assert analyst.api("agents", ids=agent["id"])["data"][0]["networkStatus"] == "disconnected"

    released = ok(analyst.playbook("SentinelOne - Isolate or Release Endpoint", {"AgentID": agent["id"], "Action": "RELEASE"}))
    assert released.context["SentinelOneNetworkIsolation"] == {"ExpectedStatus": "connected", "Confirmed": "true"}
    assert analyst.api("agents", ids=agent["id"])["data"][0]["networkStatus"] == "connected"
    assert [request["body"] for request in analyst.requests_to("agents/actions/connect")] == [{"filter": {"ids": [agent["id"]]}}]


def test_an_isolation_the_agent_never_confirms_fails_after_ten_checks(analyst: PlaybookAnalyst) -> None:
    agent = analyst.agent(isActive="true", networkStatuses="connected")
    analyst.sim.control.clear_requests()
    result = analyst.playbook("SentinelOne - Isolate or Release Endpoint", {"AgentID": agent["id"]}, sleep=lambda _seconds: None)
    assert result.errors == [
        f"playbook 'SentinelOne - Isolate or Release Endpoint', task [10] Report the unconfirmed status: Agent {agent['id']} did "
        "not reach the network status disconnected within 5 minutes (its status: disconnecting). The agent may be offline: check "
        "it in the SentinelOne console."
    ]
    assert result.task("7").outcome == "completed (10 iterations, the maximum, exit condition not met)"
    reads = analyst.sim.control.requests(path=API + "agents", method="GET")
    assert [read["query"] for read in reads] == [{"ids": [agent["id"]], "limit": ["1"]}] * 11  # the disconnect's own, then 10


def test_an_unknown_action_fails(analyst: PlaybookAnalyst) -> None:
    result = analyst.playbook("SentinelOne - Isolate or Release Endpoint", {"AgentID": "1", "Action": "quarantine"})
    assert result.errors == [
        "playbook 'SentinelOne - Isolate or Release Endpoint', task [11] Report the unknown action: "
        "Action must be isolate or release, got 'quarantine'."
    ]
    assert analyst.requests_to("agents/actions/disconnect") == []


# --- fetch a file ----------------------------------------------------------------------------------------------------


def test_fetching_a_file_by_hostname_puts_the_zip_in_the_war_room(analyst: PlaybookAnalyst) -> None:
    agent = analyst.agent(isActive="true", osTypes="windows")
    path = "C:\\Windows\\System32\\drivers\\etc\\hosts"
    result = ok(
        analyst.playbook(
            "SentinelOne - Fetch File From Endpoint",
            {"AgentID": "", "Hostname": agent["computerName"].lower(), "FilePath": path, "Password": PASSWORD},
        )
    )
    fetch = result.context["SentinelOneFetchFile"]
    assert fetch["AgentID"] == agent["id"]
    (upload,) = analyst.api("activities", agentIds=agent["id"], activityTypes="80")["data"]
    assert fetch["UploadActivityID"] == upload["id"]
    (file_path,) = result.files  # the integration opens the password-protected zip: the War Room gets the file itself
    assert file_path.name == "hosts"
    assert file_path.read_text().startswith(f"Simulated content of {path}\nagent: {agent['computerName']} ({agent['id']})\n")
    assert result.context["File"]["Name"] == "hosts" and result.context["File"]["Size"] == file_path.stat().st_size
    assert [request["body"] for request in analyst.requests_to(f"agents/{agent['id']}/actions/fetch-files")] == [
        {"data": {"files": [path], "password": PASSWORD}}
    ]
    assert result.task("11").outcome == "completed (exit condition met after 2 iterations)"


def test_without_a_path_the_threats_file_is_fetched_with_the_polling_command(analyst: PlaybookAnalyst) -> None:
    threat, _ = threat_on_a_connected_agent(analyst, "malicious")
    result = ok(
        analyst.playbook(
            "SentinelOne - Fetch File From Endpoint", {"Password": PASSWORD}, incident={"sentinelonethreatid": threat["id"]}
        )
    )
    assert result.context["SentinelOne"]["Threat"] == {
        "ID": threat["id"],
        "Downloadable": True,
        "ZippedFile": f"{threat['id']}.zip",
    }
    (zipped,) = result.files
    assert zipped.name == f"{threat['id']}.zip"
    with zipfile.ZipFile(io.BytesIO(zipped.read_bytes())) as archive:
        archive.setpassword(PASSWORD.encode())
        assert "manifest.json" in archive.namelist()
        assert json.loads(archive.read("manifest.json"))  # the password opens it
    assert [request["body"] for request in analyst.requests_to("threats/fetch-file")] == [
        {"data": {"password": PASSWORD}, "filter": {"ids": [threat["id"]]}}
    ]
    assert result.ran() == ["0", "1", "18", "19", "20", "21", "17"]


def test_a_threat_file_the_agent_never_uploads_fails(analyst: PlaybookAnalyst) -> None:
    threat, _ = threat_on_a_connected_agent(analyst, "malicious")
    result = analyst.playbook(
        "SentinelOne - Fetch File From Endpoint", {"ThreatID": threat["id"], "Password": PASSWORD}, sleep=lambda _seconds: None
    )
    assert result.errors == [
        "playbook 'SentinelOne - Fetch File From Endpoint', task [22] Report the missing threat file: The agent did not upload "
        f"the file of threat {threat['id']} within 10 minutes; it may be offline."
    ]
    assert result.context["SentinelOne"]["Threat"]["Downloadable"] is False


def test_fetching_from_an_unknown_hostname_fails_before_any_request(analyst: PlaybookAnalyst) -> None:
    result = analyst.playbook(
        "SentinelOne - Fetch File From Endpoint", {"Hostname": "no-such-host", "FilePath": "C:\\x", "Password": PASSWORD}
    )
    assert result.errors == [
        "playbook 'SentinelOne - Fetch File From Endpoint', task [16] Report the unknown computer name: "
        "No SentinelOne agent has the computer name 'no-such-host'."
    ]
    assert analyst.sim.control.requests(method="POST") == []


# --- remote scripts --------------------------------------------------------------------------------------------------


def library_script(analyst: PlaybookAnalyst) -> dict[str, Any]:
    return analyst.api("remote-scripts", query="Collect Running Processes")["data"][0]


def test_running_a_remote_script_waits_for_the_tasks_and_downloads_the_results(analyst: PlaybookAnalyst) -> None:
    agent = analyst.agent(isActive="true", osTypes="windows")
    script = library_script(analyst)
    result = ok(
        analyst.playbook(
            "SentinelOne - Run Remote Script",
            {"AgentIDs": agent["id"], "AccountIDs": agent["accountId"], "ScriptID": script["id"]},
        )
    )
    parent = result.context["SentinelOneRemoteScript"]["ParentTaskID"]
    (task,) = analyst.api("remote-scripts/status", parentTaskId=parent)["data"]
    assert task["status"] == "completed"
    assert result.context["SentinelOneRemoteScript"]["CompletedTaskIDs"] == task["id"]
    assert result.context["SentinelOne"]["GetRemoteScript"]["status"] == "completed"
    assert result.context["SentinelOne"]["RemoteScriptResults"]["taskId"] == task["id"]
    assert len(result.files) == 1
    (request,) = analyst.requests_to("remote-scripts/execute")
    assert request["body"]["filter"] == {"accountIds": [agent["accountId"]], "ids": [agent["id"]]}
    assert request["body"]["data"]["scriptId"] == script["id"]
    assert request["body"]["data"]["taskDescription"] == "Run by Cortex XSOAR"
    assert result.task("5").outcome == "completed (exit condition met after 2 iterations)"


def test_a_remote_script_that_completes_nowhere_fails_with_the_statuses(analyst: PlaybookAnalyst) -> None:
    agent = analyst.agent(isActive="false", osTypes="windows")
    result = analyst.playbook(
        "SentinelOne - Run Remote Script",
        {"AgentIDs": agent["id"], "AccountIDs": agent["accountId"], "ScriptID": library_script(analyst)["id"]},
    )
    (message,) = result.errors
    assert message.startswith("playbook 'SentinelOne - Run Remote Script', task [9] Report the tasks that did not complete: ")
    assert message.endswith("completed within 20 minutes. Task statuses: failed.")


# --- hunting ---------------------------------------------------------------------------------------------------------


def test_hunting_for_file_hashes_builds_the_query_and_counts_the_rows(analyst: PlaybookAnalyst) -> None:
    result = ok(analyst.playbook("SentinelOne - Hunt With Power Query", {"FileSHA1": " AB12 ,cd34,ab12", "FromDate": "1 day"}))
    query = "tgt.file.sha1 in ('ab12', 'cd34') | columns endpoint.name, src.process.name, tgt.file.path, tgt.file.sha1"
    assert result.context["SentinelOneHunt"]["Query"] == query
    (request,) = analyst.requests_to("dv/events/pq")
    assert request["body"]["query"] == query
    rows = result.context["SentinelOne"]["PowerQuery"]
    assert result.context["SentinelOneHunt"]["ResultCount"] == len(rows) > 0
    assert set(rows[0]) == {"endpoint.name", "src.process.name", "tgt.file.path", "tgt.file.sha1"}


def test_a_hunt_needs_a_query_or_hashes(analyst: PlaybookAnalyst) -> None:
    result = analyst.playbook("SentinelOne - Hunt With Power Query")
    assert result.errors == [
        "playbook 'SentinelOne - Hunt With Power Query', task [10] Report the missing query: Give Query or FileSHA1."
    ]


# --- endpoint data collection ----------------------------------------------------------------------------------------


def test_endpoint_data_collection_reads_the_endpoint_its_applications_and_activities(analyst: PlaybookAnalyst) -> None:
    agent = analyst.agent(osTypes="windows")
    result = ok(
        analyst.playbook("SentinelOne - Endpoint Data Collection", {"IPAddress": agent["networkInterfaces"][0]["inet"][0]})
    )
    assert result.context["Endpoint"]["ID"] == agent["id"]
    assert result.context["Endpoint"]["Hostname"] == agent["computerName"]
    assert result.context["SentinelOneEndpoint"]["AgentIDs"] == agent["id"]
    applications = analyst.api("agents/applications", ids=agent["id"])["data"]
    assert len(result.context["SentinelOne"]["Application"]) == len(applications)
    (activities,) = analyst.sim.control.requests(path=API + "activities", method="GET")
    assert activities["query"]["agentIds"] == [agent["id"]]
    assert activities["query"]["limit"] == ["20"]


def test_endpoint_data_collection_without_an_endpoint_does_nothing(analyst: PlaybookAnalyst) -> None:
    result = ok(analyst.playbook("SentinelOne - Endpoint Data Collection"))
    assert result.ran() == ["0", "1", "7"]
    assert analyst.sim.control.requests() == []


# --- test playbooks --------------------------------------------------------------------------------------------------

TEST_PLAYBOOK_NAMES = sorted(yaml.safe_load(path.read_text())["name"] for path in TEST_PLAYBOOKS.glob("*.yml"))


@pytest.mark.parametrize("name", TEST_PLAYBOOK_NAMES)
def test_every_test_playbook_passes(analyst: PlaybookAnalyst, name: str) -> None:
    inputs = None
    if name == "SentinelOne - Run Remote Script - Test":
        agent = analyst.agent(isActive="true", osTypes="windows")
        inputs = {"ScriptID": library_script(analyst)["id"], "AgentID": agent["id"], "AccountID": agent["accountId"]}
    result = ok(analyst.playbook(name, inputs))
    assert result.ran()[-1] == next(task.id for task in result.playbook.tasks.values() if task.name in ("Test done", "Test Done"))


# --- broken copies of a shipped playbook fail naming the task --------------------------------------------------------


def broken_triage(old: str, new: str) -> Playbook:
    path = PLAYBOOKS / "playbook-SentinelOne_-_Threat_Triage.yml"
    text = path.read_text()
    assert old in text
    return loads_playbook(text.replace(old, new), path)


def test_a_misspelt_command_in_the_triage_fails_naming_the_task(analyst: PlaybookAnalyst) -> None:
    threat, _ = threat_on_a_connected_agent(analyst, "malicious")
    result = analyst.run_document(
        broken_triage("|||sentinelone-get-agent", "|||sentinelone-get-agnet"), {"ThreatID": threat["id"]}
    )
    assert result.errors == [
        "playbook 'SentinelOne - Threat Triage', task [7] Get the agent: SentinelOne V2 has no command 'sentinelone-get-agnet'"
    ]
    assert analyst.requests_to("threats/notes") == []


def test_a_wrong_context_path_in_the_triage_fails_naming_the_task_and_the_path(analyst: PlaybookAnalyst) -> None:
    threat, _ = threat_on_a_connected_agent(analyst, "malicious")
    result = analyst.run_document(
        broken_triage("simple: ${SentinelOneTriage.AgentID}", "simple: ${SentinelOneTriage.AgentId}"), {"ThreatID": threat["id"]}
    )
    assert result.errors == [
        "playbook 'SentinelOne - Threat Triage', task [7] Get the agent: sentinelone-get-agent: missing required argument "
        "agent_id; these references resolved to nothing: ${SentinelOneTriage.AgentId}"
    ]


def test_the_context_is_json(analyst: PlaybookAnalyst) -> None:
    result = ok(analyst.playbook("SentinelOne - Endpoint Data Collection", {"EndpointID": analyst.agent()["id"]}))
    assert json.loads(json.dumps(result.context)) == result.context
