"""`python -m xsoar_local playbook <file.yml>`: what it prints and how it exits."""

from __future__ import annotations

import io
import json
from pathlib import Path

from playbook_support import FAKE_INTEGRATION, an_input, playbook, save, simple, task

from xsoar_local.cli import main

B = "FakePlaybook|||"


def echo_playbook(folder: Path) -> Path:
    return save(
        folder,
        playbook(
            "cli",
            {
                0: task("start", nxt=1),
                1: task(
                    name="Echo",
                    target=B + "pb-echo",
                    nxt=2,
                    scriptarguments={"text": simple("${inputs.Text} ${incident.sentineloneagentid}")},
                ),
                2: task("title", name="Done"),
            },
            inputs=[an_input("Text", required=True)],
        ),
    )


def run_cli(folder: Path, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(
        [
            "playbook",
            *args,
            "--integration",
            str(FAKE_INTEGRATION),
            "--state-dir",
            str(folder / "state"),
            "--files-dir",
            str(folder / "files"),
        ],
        out,
        err,
    )
    return code, out.getvalue(), err.getvalue()


def test_each_task_is_printed_as_it_ends_and_the_context_on_request(tmp_path: Path) -> None:
    path = echo_playbook(tmp_path)
    code, out, err = run_cli(
        tmp_path, str(path), "--input", "Text=hello", "--incident-field", "sentineloneagentid=42", "--context"
    )
    assert (code, err) == (0, "")
    lines = out.split("Context:\n")[0].splitlines()
    assert lines == [
        "Playbook cli",
        "[0] start: done",
        "[1] Echo (pb-echo): completed",
        "[2] Done: done",
        "Playbook completed: 3 tasks run",
    ]
    assert json.loads(out.split("Context:\n")[1]) == {"Fake": {"Echo": {"text": "hello 42", "mode": "normal"}}}


def test_the_war_room_option_prints_each_tasks_entries_under_it(tmp_path: Path) -> None:
    code, out, _ = run_cli(tmp_path, str(echo_playbook(tmp_path)), "--input", "Text=hi", "--war-room")
    assert code == 0
    assert "[1] Echo (pb-echo): completed\n    echo hi\n[2] Done: done" in out


def test_the_incident_may_come_from_a_fetched_incident_file(tmp_path: Path) -> None:
    raw = {"id": "7", "incident_type": "SentinelOne Threat", "agentRealtimeInfo": {"agentId": "99"}}
    incident = tmp_path / "incident.json"
    incident.write_text(json.dumps({"name": "n", "rawJSON": json.dumps(raw)}))
    code, out, _ = run_cli(
        tmp_path, str(echo_playbook(tmp_path)), "--input", "Text=agent", "--incident", str(incident), "--context"
    )
    assert code == 0
    assert json.loads(out.split("Context:\n")[1])["Fake"]["Echo"]["text"] == "agent 99"


def test_a_failed_task_exits_1_with_the_error_on_stderr(tmp_path: Path) -> None:
    path = save(tmp_path, playbook("fails", {0: task("start", nxt=1), 1: task(name="Boom", target=B + "pb-fail")}))
    code, out, err = run_cli(tmp_path, str(path))
    assert code == 1
    message = "playbook 'fails', task [1] Boom: Failed to execute pb-fail command. Error: failed on purpose: no reason"
    assert err == f"ERROR: {message}\n"
    assert out.splitlines()[-2:] == [
        "[1] Boom (pb-fail): ERROR: Failed to execute pb-fail command. Error: failed on purpose: no reason",
        f"Playbook failed: {message}",
    ]


def test_usage_errors_exit_2_before_anything_runs(tmp_path: Path) -> None:
    path = echo_playbook(tmp_path)
    assert run_cli(tmp_path, str(path)) == (
        2,
        "",
        "python -m xsoar_local playbook: error: playbook 'cli': the required input Text has no value\n",
    )
    code, _, err = run_cli(tmp_path, str(path), "--input", "Txet=1")
    assert (code, err) == (2, "python -m xsoar_local playbook: error: playbook 'cli' has no input Txet (its inputs: Text)\n")
    code, _, err = run_cli(tmp_path, str(tmp_path / "missing.yml"))
    assert code == 2 and err.startswith(f"python -m xsoar_local playbook: error: cannot read playbook {tmp_path / 'missing.yml'}")
    code, _, err = run_cli(tmp_path, str(path), "--input", "novalue")
    assert (code, err) == (2, "python -m xsoar_local playbook: error: expected name=value, got 'novalue'\n")
    assert not (tmp_path / "state").exists()
