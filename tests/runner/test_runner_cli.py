"""The command line: `python -m xsoar_local ...`, in-process through main() and as a real subprocess."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from xsoar_local.cli import main

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def fake(name: str) -> str:
    return str(FIXTURES / f"{name}_integration.py")


@pytest.fixture
def cli(tmp_path):
    """Run main() with the state and files in tmp_path; returns (exit status, stdout, stderr)."""

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        status = main(["--state-dir", str(tmp_path / "state"), "--files-dir", str(tmp_path / "files"), *argv], out, err)
        return status, out.getvalue(), err.getvalue()

    return run


def run_module(*argv: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "xsoar_local", *argv], cwd=cwd, env=environment, capture_output=True, text=True, timeout=60
    )


# ----------------------------------------------------------------------------------------------- real subprocess


def test_module_prints_the_rendered_entries_and_exits_0(tmp_path):
    completed = run_module("--integration", fake("basic"), "--param", "url=http://x", "fake-list-items", "limit=1", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout == "Items\n-----\nID  Name    Tags\n--  ------  ----\n1   host-a  x,\n            y\n"
    assert completed.stderr == ""
    assert list(tmp_path.iterdir()) == []  # nothing logged, no state set, no files: nothing written


def test_module_error_exits_1_with_the_error_on_stdout_and_stderr(tmp_path):
    completed = run_module("--integration", fake("error"), "fake-fail", cwd=tmp_path)
    assert completed.returncode == 1
    message = "ERROR: Failed to execute fake-fail command. Error: bad input for fake-fail\n"
    assert completed.stdout == message
    assert completed.stderr == message


def test_module_unknown_command_exits_2_listing_valid_commands(tmp_path):
    completed = run_module("--integration", fake("fetch"), "nope", cwd=tmp_path)
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert completed.stderr == (
        "python -m xsoar_local: error: unknown command 'nope' for integration 'FakeFetch'. "
        "Valid commands:\n  fetch-incidents\n  test-module\n"
    )


def test_module_reads_params_from_the_env_named_file(tmp_path):
    params_file = tmp_path / "params.json"
    params_file.write_text(json.dumps({"url": "http://from-env"}))
    completed = run_module(
        "--integration", fake("basic"), "--raw", "fake-echo", cwd=tmp_path, env={"XSOAR_PARAMS_FILE": str(params_file)}
    )
    assert completed.returncode == 0, completed.stderr
    [entry] = json.loads(completed.stdout)
    assert entry["EntryContext"]["Fake.Echo"]["params"]["url"] == "http://from-env"


# --------------------------------------------------------------------------------------------------- in-process


def test_params_file_flag_with_param_overrides(cli, tmp_path):
    params_file = tmp_path / "p.json"
    params_file.write_text(json.dumps({"url": "http://file", "credentials": {"identifier": "u"}}))
    status, out, _ = cli(
        "--integration", fake("basic"), "--params-file", str(params_file), "--param", "credentials.password=tok",
        "--param", "proxy=true", "--raw", "fake-echo", "query=a=b",
    )  # fmt: skip
    assert status == 0
    echoed = json.loads(out)[0]["EntryContext"]["Fake.Echo"]
    assert echoed["params"]["credentials"] == {"identifier": "u", "password": "tok"}
    assert echoed["params"]["proxy"] is True
    assert echoed["args"] == {"query": "a=b", "page_size": "50", "verbose": "true"}


def test_options_may_follow_the_command(cli):
    status, out, _ = cli("--integration", fake("basic"), "fake-list-items", "limit=1", "--context")
    assert status == 0
    context = {"Fake.Item(val.ID && val.ID == obj.ID)": [{"ID": "1", "Name": "host-a", "Tags": ["x", "y"]}]}
    assert out.endswith("  y\nContext:\n" + json.dumps(context, indent=2) + "\n")


def test_fetch_incidents_prints_incidents_and_the_new_last_run(cli):
    status, out, _ = cli("--integration", fake("fetch"), "--param", "max_fetch=1", "fetch-incidents")
    assert status == 0
    assert out == (
        "1 incident created:\n"
        "name                   occurred              severity  type                  dbotMirrorId\n"
        "---------------------  --------------------  --------  --------------------  ------------\n"
        "S1 Threat: Threat one  2024-01-01T00:00:00Z  3         SentinelOne Incident  101\n"
        "\n"
        'lastRun: {"fetches": 1, "offset": 1}\n'
    )


def test_fetch_incidents_json(cli):
    status, out, _ = cli("--integration", fake("fetch"), "fetch-incidents", "--json")
    assert status == 0
    document = json.loads(out)
    assert [incident["dbotMirrorId"] for incident in document["incidents"]] == ["101", "102"]
    assert document["lastRun"] == {"offset": 2, "fetches": 1}


def test_json_for_other_commands_is_the_whole_result(cli, tmp_path):
    status, out, _ = cli("--integration", fake("file"), "--json", "fake-report")
    assert status == 0
    document = json.loads(out)
    assert document["files"] == [str(tmp_path / "files" / "report.txt")]
    assert (document["command"], document["errors"], document["exitCode"]) == ("fake-report", [], 0)
    assert [entry.get("File") for entry in document["entries"]] == [None, "report.txt"]


def test_polling_progress_streams_to_stdout_and_to_stderr_in_json_modes(cli):
    status, out, err = cli("--integration", fake("polling"), "--poll-speed", "0", "fake-scan", "scan_id=4")
    assert status == 0
    assert out == (
        "Scan 4: attempt 1, still running\n\n[poll 2] fake-scan … next run in 20s\n\n"
        "[poll 3] fake-scan … next run in 20s\n\nScan 4 finished after 3 runs\n"
    )
    assert err == ""
    status, out, err = cli("--integration", fake("polling"), "--poll-speed", "0", "--raw", "fake-scan", "scan_id=4")
    assert [entry["HumanReadable"] for entry in json.loads(out)] == [
        "Scan 4: attempt 1, still running",
        "Scan 4: attempt 2, still running",
        "Scan 4 finished after 3 runs",
    ]
    assert err == "[poll 2] fake-scan … next run in 20s\n[poll 3] fake-scan … next run in 20s\n"


def test_polling_timeout_exits_1(cli):
    status, out, err = cli("--integration", fake("polling"), "--poll-speed", "0", "fake-forever")
    assert status == 1
    message = "ERROR: polling fake-forever timed out: no final result within 90s (after 4 runs)\n"
    assert out.endswith("\n\n" + message)
    assert err == message


def test_update_remote_system_with_args_json(cli, tmp_path):
    status, out, _ = cli(
        "--integration", fake("mirror"), "update-remote-system", "--args-json", '{"remoteId": "t7", "status": 2, "delta": {}}'
    )
    assert (status, out) == (0, "t7\n")
    args_file = tmp_path / "args.json"
    args_file.write_text('{"remoteId": "t8"}')
    status, out, _ = cli("--integration", fake("mirror"), "update-remote-system", "--args-json", f"@{args_file}", "remoteId=t9")
    assert (status, out) == (0, "t9\n")  # name=value pairs override the JSON


def test_mirror_command(cli):
    status, out, err = cli("--integration", fake("mirror"), "mirror", "--last-update", "2024-05-01T00:00:00Z", "--limit", "1")
    assert status == 0
    assert out.startswith(
        "get-modified-remote-data (lastUpdate 2024-05-01T00:00:00Z): 4 modified: t1, t2, t3, t4\n"
        "not fetched (over the limit): t2, t3, t4\n\nRemote incident t1: updated object with 4 fields\n"
    )
    assert err == ""
    status, out, err = cli("--integration", fake("mirror"), "mirror", "--last-update", "2024-05-01T00:00:00Z", "--json")
    assert status == 1
    assert json.loads(out)["errors"] == [
        "get-remote-data t4: Failed to execute get-remote-data command. Error: threat t4 not found"
    ]
    assert err == "ERROR: get-remote-data t4: Failed to execute get-remote-data command. Error: threat t4 not found\n"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["mirror"], "mirror needs --last-update ISO"),
        (["fake-count", "--limit", "3"], "--last-update and --limit belong to the mirror command"),
        (["fake-count", "--raw", "--json"], "--raw and --json cannot be combined"),
        (["fake-count", "oops"], "expected name=value, got 'oops'"),
        (["fake-count", "--args-json", "[1]"], "--args-json must be a JSON object"),
        (["fake-count", "--args-json", "{"], "--args-json is not valid JSON: Expecting property name enclosed in double quotes"),
        (["fake-count", "--params-file", "/nonexistent/p.json"], "cannot read params file /nonexistent/p.json: No such file"),
        (["fake-count", "--poll-speed", "-2"], "poll speed must be 0 or more, got -2.0"),
        (["nope"], "unknown command 'nope' for integration 'FakeBasic'"),
    ],
)
def test_usage_errors_exit_2(cli, argv, message):
    status, out, err = cli("--integration", fake("basic"), *argv)
    assert status == 2
    assert out == ""
    assert err.startswith(f"python -m xsoar_local: error: {message}")


def test_missing_integration_is_a_usage_error(cli, tmp_path):
    status, _, err = cli("--integration", str(tmp_path / "none.py"), "test-module")
    assert status == 2
    assert err == f"python -m xsoar_local: error: integration code not found: {tmp_path / 'none.py'}\n"


def test_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as raised:
        main([])
    assert raised.value.code == 2
    assert "the following arguments are required: command" in capsys.readouterr().err
