"""End to end: the commands whose work takes time on the console, run by the local runner against the simulator.

The runner follows each polling command to completion the way the platform does. The simulator's clock stands still
in these tests, and the runner's waits between runs move it forward instead of sleeping (`sleep=control.advance_clock`):
uploads arrive, remote-script tasks end and power queries finish in simulated time only, so what each run sees does
not depend on how fast the machine is. Tests that need nothing to happen wait without moving the clock.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Analyst as BaseAnalyst

from xsoar_local.runner import Notice, RunResult

PASSWORD = "E2e-Passw0rd!"
RESULTS_KEY = "SentinelOne.RemoteScriptResults(val.taskId && val.taskId == obj.taskId)"
THREAT_KEY = "SentinelOne.Threat(val.ID && val.ID == obj.ID)"


class Analyst(BaseAnalyst):
    """Runs commands to the end of their polling; each wait advances the simulated clock (or nothing, when frozen)."""

    def __init__(self, sim: Any, tmp_path: Path) -> None:
        super().__init__(sim, tmp_path, poll_speed=1.0, sleep=sim.control.advance_clock)

    def run(  # type: ignore[override]
        self, command: str, args: dict[str, Any], *, version: str = "2.1", clock_moves: bool = True
    ) -> RunResult:
        return super().run(command, args, version, sleep=None if clock_moves else (lambda _seconds: None))

    def active_agents(self, count: int) -> list[dict[str, Any]]:
        """`count` active Windows agents of one account."""
        account_id = self.api("agents", isActive="true", osTypes="windows", limit=1)["data"][0]["accountId"]
        agents = self.api("agents", isActive="true", osTypes="windows", accountIds=account_id, limit=count)["data"]
        assert len(agents) == count
        return agents

    def requests_to(self, path: str, method: str = "POST") -> list[dict[str, Any]]:
        return self.sim.control.requests(path=path, method=method)


@pytest.fixture
def analyst(s1sim: Any, tmp_path: Path) -> Iterator[Analyst]:
    # A running clock would let real time pass between runs: on a slow machine an upload or a task could then be due
    # at a run that the test expects to find it pending. Frozen, only the runner's waits (and the test) move it.
    s1sim.control.freeze_clock(True)
    try:
        yield Analyst(s1sim, tmp_path)
    finally:
        s1sim.control.freeze_clock(False)


def context_of(result: RunResult) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for entry in result.entries:
        merged.update(entry.get("EntryContext") or {})
    return merged


def progress_lines(result: RunResult) -> list[str]:
    return [item.text for item in result.transcript if isinstance(item, Notice) and not item.is_error]


def readable(result: RunResult) -> str:
    return "\n".join(str(entry.get("HumanReadable") or "") for entry in result.entries)


def saved(result: RunResult) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in result.files}


# --- fetch-file and download-fetched-file ---


def test_fetch_a_file_from_an_agent_and_download_it(analyst: Analyst) -> None:
    """
    Given an active Windows agent
    When the analyst fetches a file from it, waits for the agent's upload activity (type 80), and downloads the upload
    Then the fetch request carries the path and password, and the download returns the file under its real name with
    the agent's content (the password-protected zip was opened in memory).
    """
    agent = analyst.active_agents(1)[0]
    file_path = "C:\\Users\\Public\\Documents\\q3 report.txt"
    fetched = analyst.run("sentinelone-fetch-file", {"agent_id": agent["id"], "file_path": file_path, "password": PASSWORD})
    assert fetched.errors == []
    assert f"Fetch of {file_path} from agent {agent['id']} was requested" in readable(fetched)
    [request] = analyst.requests_to(f"/web/api/v2.1/agents/{agent['id']}/actions/fetch-files")
    assert request["body"] == {"data": {"password": PASSWORD, "files": [file_path]}}

    analyst.sim.control.advance_clock(10)  # the agent uploads a few seconds later
    [upload] = analyst.api("activities", activityTypes="80", agentIds=agent["id"])["data"]

    downloaded = analyst.run(
        "sentinelone-download-fetched-file", {"agent_id": agent["id"], "activity_id": upload["id"], "password": PASSWORD}
    )
    assert downloaded.errors == []
    files = saved(downloaded)
    assert list(files) == ["q3 report.txt"]
    assert files["q3 report.txt"].startswith(f"Simulated content of {file_path}\n".encode())
    assert f"agent: {agent['computerName']} ({agent['id']})".encode() in files["q3 report.txt"]
    assert "| q3 report.txt | C:\\Users\\Public\\Documents\\q3 report.txt |" in readable(downloaded)


def test_download_fetched_file_wrong_password_and_expired_upload(analyst: Analyst) -> None:
    """
    Given an upload an agent made
    When the analyst downloads it with another password, then again after the console's 3-day retention
    Then the first run fails as a wrong password and the second as an expired upload, each with exit status 1.
    """
    agent = analyst.active_agents(1)[0]
    analyst.run("sentinelone-fetch-file", {"agent_id": agent["id"], "file_path": "C:\\a.txt", "password": PASSWORD})
    analyst.sim.control.advance_clock(10)
    [upload] = analyst.api("activities", activityTypes="80", agentIds=agent["id"])["data"]
    args = {"agent_id": agent["id"], "activity_id": upload["id"]}

    wrong = analyst.run("sentinelone-download-fetched-file", {**args, "password": "Other-Passw0rd!"})
    assert wrong.exit_code == 1
    assert wrong.errors == [
        "Failed to execute sentinelone-download-fetched-file command. Error: Could not open the upload: wrong password. "
        "Use the password the fetch was requested with."
    ]

    analyst.sim.control.advance_clock(3 * 24 * 3600 + 60)
    expired = analyst.run("sentinelone-download-fetched-file", {**args, "password": PASSWORD})
    assert expired.exit_code == 1
    assert expired.errors == [
        "Failed to execute sentinelone-download-fetched-file command. Error: "
        f"The files agent {agent['id']} uploaded in activity {upload['id']} have expired: SentinelOne deletes fetched files "
        "after 3 days, or earlier once more than 30 files were fetched. Fetch them again with sentinelone-fetch-file."
    ]


def test_weak_password_is_refused_before_the_console_is_asked(analyst: Analyst) -> None:
    agent = analyst.active_agents(1)[0]
    result = analyst.run("sentinelone-fetch-file", {"agent_id": agent["id"], "file_path": "C:\\a.txt", "password": "weakpass"})
    assert result.exit_code == 1
    assert "password: expected 10 to 256 characters" in result.errors[0]
    assert analyst.requests_to(f"/web/api/v2.1/agents/{agent['id']}/actions/fetch-files") == []


# --- fetch-threat-file (polling) ---


@pytest.mark.parametrize("version", ["2.1", "2.0"])
def test_fetch_threat_file_polls_until_the_upload_and_returns_the_zip(analyst: Analyst, version: str) -> None:
    """
    Given a threat (API 2.1 or 2.0)
    When the analyst fetches its file twice, with two passwords
    Then each run polls the threat's timeline until the agent's upload appears and returns <threat id>.zip, which opens
    with that run's password: the second run does not take the first run's older upload.
    """
    threat = analyst.api("threats", limit=1)["data"][0]
    zips = []
    for password in (PASSWORD, "Second-Passw0rd?"):
        result = analyst.run("sentinelone-fetch-threat-file", {"threat_id": threat["id"], "password": password}, version=version)
        assert result.errors == []
        assert progress_lines(result) == ["[poll 2] sentinelone-fetch-threat-file … next run in 30s"]
        assert context_of(result)[THREAT_KEY] == {"ID": threat["id"], "Downloadable": True, "ZippedFile": f"{threat['id']}.zip"}
        archive = zipfile.ZipFile(io.BytesIO(saved(result)[f"{threat['id']}.zip"]))
        members = archive.namelist()
        assert members[0] == "manifest.json"
        assert archive.read(members[1], pwd=password.encode()).startswith(b"Simulated content of ")
        zips.append(archive)
    # A wrong ZipCrypto password fails the one-byte header check ("Bad password"), or once in 256 passes it and then
    # fails the CRC or the inflate: either way the second upload does not open with the first password.
    with pytest.raises((RuntimeError, zipfile.BadZipFile, zlib.error)):
        zips[1].read("manifest.json", pwd=PASSWORD.encode())


def test_fetch_threat_file_times_out_as_not_downloadable(analyst: Analyst) -> None:
    """
    Given a console whose clock does not move between runs, so that the agent never uploads
    When the analyst fetches a threat's file with a 60 s timeout and 30 s interval
    Then the command polls twice more and ends with Downloadable false and the reason (not an error).
    """
    threat = analyst.api("threats", limit=1)["data"][0]
    result = analyst.run(
        "sentinelone-fetch-threat-file",
        {"threat_id": threat["id"], "password": PASSWORD, "interval": "30", "timeout": "60"},
        clock_moves=False,
    )
    assert result.errors == []
    assert len(result.executions) == 3
    assert context_of(result)[THREAT_KEY] == {
        "ID": threat["id"],
        "Downloadable": False,
        "ZippedFile": f"The file of threat {threat['id']} was not uploaded within 60 seconds; the agent may be offline. "
        "Run the command again later.",
    }


def test_a_polling_interval_below_the_platform_minimum_is_raised(analyst: Analyst) -> None:
    """
    Given a playbook written for the public pack that polls every 5 seconds, on a console whose agent never uploads
    When the analyst fetches a threat's file with interval 5 and timeout 20
    Then the runs are scheduled 10 seconds apart (so three runs fit in 20 seconds, not five), the first entry says the
    interval was raised, and nothing fails.
    """
    threat = analyst.api("threats", limit=1)["data"][0]
    result = analyst.run(
        "sentinelone-fetch-threat-file",
        {"threat_id": threat["id"], "password": PASSWORD, "interval": "5", "timeout": "20"},
        clock_moves=False,
    )
    assert result.errors == []
    assert len(result.executions) == 3
    assert "Note: interval 5 is below the platform's minimum of 10 seconds for a scheduled command; 10 is used." in readable(
        result
    )


# --- remote scripts ---


def script_args(analyst: Analyst, agents: list[dict[str, Any]], **extra: str) -> dict[str, str]:
    [script] = analyst.api("remote-scripts", query="Collect Running Processes")["data"]
    return {
        "account_ids": agents[0]["accountId"],
        "agent_ids": ",".join(agent["id"] for agent in agents),
        "output_destination": "SentinelCloud",
        "task_description": "e2e collection",
        "script_id": script["id"],
        **extra,
    }


def test_run_remote_script_starts_tasks_on_every_agent(analyst: Analyst) -> None:
    agents = analyst.active_agents(2)
    result = analyst.run("sentinelone-run-remote-script", script_args(analyst, agents))
    assert result.errors == []
    started = context_of(result)["SentinelOne.RunRemoteScript"]
    assert started["affected"] == 2
    assert started["pending"] is False
    tasks = analyst.api("remote-scripts/status", parentTaskId=started["parentTaskId"])["data"]
    assert sorted(task["agentId"] for task in tasks) == sorted(agent["id"] for agent in agents)
    [request] = analyst.requests_to("/web/api/v2.1/remote-scripts/execute")
    assert request["body"]["data"] == {
        "scriptId": script_args(analyst, agents)["script_id"],
        "taskDescription": "e2e collection",
        "outputDestination": "SentinelCloud",
        "scriptRuntimeTimeoutSeconds": 3600,
        "requiresApproval": False,
    }


def test_remote_script_automate_results_runs_to_completion_and_returns_the_files(analyst: Analyst) -> None:
    """
    Given two active agents
    When the analyst runs a data-collection script with automatic results (interval 10 s)
    Then the runner polls until both tasks completed and gets one results zip per task, downloaded from the links.
    """
    agents = analyst.active_agents(2)
    result = analyst.run("sentinelone-remote-script-automate-results", script_args(analyst, agents, interval="10"))
    assert result.errors == []
    assert progress_lines(result) == ["[poll 2] sentinelone-remote-script-automate-results … next run in 10s"]
    entries = context_of(result)[RESULTS_KEY]
    assert len(entries) == 2
    parent_task_id = result.executions[-1].args["parent_task_id"]
    tasks = {task["id"]: task for task in analyst.api("remote-scripts/status", parentTaskId=parent_task_id)["data"]}
    assert sorted(entry["taskId"] for entry in entries) == sorted(tasks)
    files = saved(result)
    for entry in entries:
        task = tasks[entry["taskId"]]
        assert entry["fileName"] == f"{task['agentComputerName']}_{task['id']}.zip"
        output = zipfile.ZipFile(io.BytesIO(files[entry["fileName"]])).read("output.txt").decode()
        assert f"Endpoint: {task['agentComputerName']}" in output


def test_remote_script_automate_results_reports_failed_tasks(analyst: Analyst) -> None:
    """
    Given one agent that goes offline after the script was sent (its task fails) and one that stays active
    When the analyst runs the script with automatic results
    Then the results of the completed task come back, and the failed task is listed with its status.
    """
    agents = analyst.active_agents(2)
    analyst.sim.control.update_agent(agents[1]["id"], {"isActive": False})
    result = analyst.run("sentinelone-remote-script-automate-results", script_args(analyst, agents, interval="10"))
    assert result.errors == []
    [entry] = context_of(result)[RESULTS_KEY]
    assert entry["fileName"].startswith(f"{agents[0]['computerName']}_")
    assert f"| {agents[1]['computerName']} | failed | Agent is offline |" in readable(result)


def test_remote_script_automate_results_fails_when_no_task_completes(analyst: Analyst) -> None:
    agents = analyst.active_agents(1)
    analyst.sim.control.update_agent(agents[0]["id"], {"isActive": False})
    result = analyst.run("sentinelone-remote-script-automate-results", script_args(analyst, agents, interval="10"))
    assert result.exit_code == 1
    parent_task_id = result.executions[-1].args["parent_task_id"]
    assert result.errors == [
        "Failed to execute sentinelone-remote-script-automate-results command. Error: No task of remote script parent task "
        f"{parent_task_id} completed: {agents[0]['computerName']}: failed (Agent is offline)."
    ]


def test_remote_script_automate_results_times_out(analyst: Analyst) -> None:
    """
    Given a console whose clock does not move between runs, so that the tasks never end
    When the analyst runs the script with interval 10 s and timeout 20 s
    Then the third run stops with a timeout error naming the task states.
    """
    agents = analyst.active_agents(1)
    result = analyst.run(
        "sentinelone-remote-script-automate-results", script_args(analyst, agents, interval="10", timeout="20"), clock_moves=False
    )
    assert len(result.executions) == 3
    parent_task_id = result.executions[-1].args["parent_task_id"]
    assert result.errors == [
        "Failed to execute sentinelone-remote-script-automate-results command. Error: The tasks of remote script parent task "
        f"{parent_task_id} did not end within 20 seconds: {agents[0]['computerName']}: created (Pending agent). Follow them "
        f"with sentinelone-get-remote-script-task-status parent_task_id={parent_task_id}."
    ]


def test_remote_script_waiting_for_approval_is_reported_without_polling(analyst: Analyst) -> None:
    agents = analyst.active_agents(1)
    result = analyst.run("sentinelone-remote-script-automate-results", script_args(analyst, agents, requires_approval="true"))
    assert result.errors == []
    assert len(result.executions) == 1
    started = context_of(result)["SentinelOne.RunRemoteScript"]
    assert started["pending"] is True
    assert f"The execution waits for approval (pending execution {started['pendingExecutionId']})" in readable(result)


# --- power queries ---

PQ_ARGS = {
    "query": "event.type = 'Process Creation' | columns endpoint.name, src.process.name | limit 5",
    "from_date": "30 days",
    "to_date": "now",
}


def test_get_power_query_results_polls_until_the_rows_arrive(analyst: Analyst) -> None:
    """
    Given a power query with two columns and a limit of 5 rows
    When the analyst runs get-power-query-results
    Then the runner pings until the query finished and the rows map the column names to values.
    """
    result = analyst.run("sentinelone-get-power-query-results", PQ_ARGS)
    assert result.errors == []
    assert progress_lines(result) == ["[poll 2] sentinelone-get-power-query-results … next run in 10s"]
    rows = context_of(result)["SentinelOne.PowerQuery"]
    assert 1 <= len(rows) <= 5
    assert all(set(row) == {"endpoint.name", "src.process.name"} for row in rows)
    [start] = analyst.requests_to("/web/api/v2.1/dv/events/pq")
    assert start["body"]["query"] == PQ_ARGS["query"]
    assert start["body"]["limit"] == 1000
    assert len(analyst.requests_to("/web/api/v2.1/dv/events/pq-ping", method="GET")) == 1


def test_get_power_query_results_times_out_within_300_seconds(analyst: Analyst) -> None:
    result = analyst.run("sentinelone-get-power-query-results", {**PQ_ARGS, "timeout": "20"}, clock_moves=False)
    assert len(result.executions) == 3
    query_id = result.executions[-1].args["query_id"]
    assert result.errors == [
        f"Failed to execute sentinelone-get-power-query-results command. Error: Power query {query_id} did not finish "
        "within 20 seconds (status RUNNING, 0% done). Narrow the query or the dates, or ping it later with query_id."
    ]


def test_deprecated_create_and_ping_power_query(analyst: Analyst) -> None:
    """
    Given the deprecated pair of commands
    When the analyst creates a power query, then pings it after the console finished it
    Then create returns the query ID and ping the rows.
    """
    created = analyst.run("sentinelone-create-power-query", PQ_ARGS)
    assert created.errors == []
    query_id = context_of(created)["SentinelOne.PowerQuery"]["queryId"]
    assert query_id.startswith("pq")
    analyst.sim.control.advance_clock(10)
    pinged = analyst.run("sentinelone-ping-power-query", {"queryId": query_id})
    assert pinged.errors == []
    rows = context_of(pinged)["SentinelOne.PowerQuery"]
    assert rows and all(set(row) == {"endpoint.name", "src.process.name"} for row in rows)
