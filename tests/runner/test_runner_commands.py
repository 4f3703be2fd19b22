"""run_command on fake integrations: entries, context, defaults, errors, exit codes, state, files, isolation."""

import json
import os
import shutil
import sys
from pathlib import Path

import demistomock
import pytest

from xsoar_local import UsageError, run_command

FIXTURES = Path(__file__).parent / "fixtures"


def test_table_entry_with_context_and_yaml_argument_default(run_fake):
    result = run_fake("basic", "fake-list-items", params={"url": "http://x"})
    assert result.exit_code == 0
    assert result.errors == []
    assert result.args == {"limit": "2"}
    [entry] = result.entries
    assert entry["EntryContext"] == {
        "Fake.Item(val.ID && val.ID == obj.ID)": [
            {"ID": "1", "Name": "host-a", "Tags": ["x", "y"]},
            {"ID": "2", "Name": "b|c", "Tags": []},
        ]
    }
    assert result.render() == ("Items\n-----\nID  Name    Tags\n--  ------  ----\n1   host-a  x,\n            y\n\n2   b|c")


def test_context_rendering_adds_the_entry_context_json(run_fake):
    result = run_fake("basic", "fake-list-items", {"limit": "1"})
    assert result.render(show_context=True) == (
        "Items\n-----\nID  Name    Tags\n--  ------  ----\n1   host-a  x,\n            y\n"
        "Context:\n"
        + json.dumps({"Fake.Item(val.ID && val.ID == obj.ID)": [{"ID": "1", "Name": "host-a", "Tags": ["x", "y"]}]}, indent=2)
    )


def test_integration_sees_params_with_defaults_args_with_defaults_brand_instance_and_a_modern_server(run_fake):
    result = run_fake(
        "basic", "fake-echo", {"query": "q"}, {"url": "http://x", "credentials": {"password": "tok"}}, instance_name="Mine"
    )
    echoed = result.entries[0]["EntryContext"]["Fake.Echo"]
    assert echoed == {
        "params": {
            "url": "http://x",
            "credentials": {"password": "tok"},
            "insecure": False,
            "max_fetch": "10",
            "statuses": ["new", "in_progress"],
        },
        "args": {"query": "q", "page_size": "50", "verbose": "true"},
        "brand": "FakeBasic",
        "instance": "Mine",
        "version": "8.9.0-123456",
        "__name__": "__main__",
        "annotation": "<class 'int'>",
    }


def test_test_module_ok_renders_the_text(run_fake):
    result = run_fake("basic", "test-module")
    assert result.entries == [{"Type": 1, "ContentsFormat": "text", "Contents": "ok"}]
    assert result.render() == "ok"


def test_integration_context_persists_between_runs_in_the_state_folder(run_fake, tmp_path):
    counts = [run_fake("basic", "fake-count").render() for _ in range(3)]
    assert counts == ["count is 1", "count is 2", "count is 3"]
    stored = json.loads((tmp_path / "state" / "integration_context.json").read_text())
    assert stored == {"context": {"count": 3}, "version": 3}


def test_a_stale_versioned_write_is_refused_with_a_value_error_and_the_retry_succeeds(run_fake, tmp_path):
    assert run_fake("basic", "fake-versioned-count").render() == "count is 1 after 1 attempt(s)"
    # The first write names version 0 while version 1 is stored: the server refuses it with a ValueError.
    assert run_fake("basic", "fake-versioned-count", {"stale": "true"}).render() == "count is 2 after 2 attempt(s)"
    stored = json.loads((tmp_path / "state" / "integration_context.json").read_text())
    assert stored == {"context": {"count": 2}, "version": 2}


def test_separate_state_folders_do_not_share_context(run_fake, tmp_path):
    run_fake("basic", "fake-count", state_dir=tmp_path / "a")
    assert run_fake("basic", "fake-count", state_dir=tmp_path / "b").render() == "count is 1"


def test_notes_and_warnings_are_marked(run_fake):
    result = run_fake("basic", "fake-note-and-warning")
    assert result.exit_code == 0
    assert result.render() == "NOTE: remember this\n\nWARNING: careful now"


def test_prints_and_logs_go_to_the_log_file_not_stdout(run_fake, tmp_path, capsys):
    result = run_fake("basic", "fake-noisy")
    assert result.render() == "done"
    captured = capsys.readouterr()
    assert (captured.out, captured.err) == ("", "")
    log = (tmp_path / "state" / "integration.log").read_text()
    assert "DEBUG [fake-noisy] debug from fake-noisy\n" in log
    assert "ERROR [fake-noisy] an error line\n" in log
    assert "[fake-noisy] output of the integration:\nprinted by the integration\n" in log


def test_verbose_sends_the_log_to_stderr_too(run_fake, capsys):
    run_fake("basic", "fake-noisy", verbose=True)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "DEBUG [fake-noisy] debug from fake-noisy\n" in captured.err


def test_an_exception_escaping_the_integration_is_an_error_with_its_traceback_logged(run_fake, tmp_path):
    result = run_fake("basic", "fake-crash")
    assert result.exit_code == 1
    assert result.errors == ["RuntimeError: kaboom"]
    assert result.render() == "ERROR: RuntimeError: kaboom"
    log = (tmp_path / "state" / "integration.log").read_text()
    assert "Traceback (most recent call last):" in log
    assert "RuntimeError: kaboom" in log


def test_return_error_gives_an_error_entry_and_exit_1(run_fake):
    result = run_fake("error", "fake-fail")
    assert result.exit_code == 1
    assert result.entries == [
        {
            "Type": 4,
            "ContentsFormat": "text",
            "Contents": "Failed to execute fake-fail command. Error: bad input for fake-fail",
            "EntryContext": None,
        }
    ]
    assert result.errors == ["Failed to execute fake-fail command. Error: bad input for fake-fail"]
    assert result.render() == "ERROR: Failed to execute fake-fail command. Error: bad input for fake-fail"


def test_return_error_in_fetch_raises_and_is_reported_as_the_message(run_fake):
    result = run_fake("error", "fetch-incidents")
    assert result.exit_code == 1
    assert result.entries == []
    assert result.errors == ["Failed to execute fetch-incidents command. Error: bad input for fetch-incidents"]


def test_a_non_zero_exit_status_is_an_error(run_fake):
    result = run_fake("error", "fake-exit")
    assert result.errors == ["the integration exited with status 3"]
    assert result.exit_code == 1


def test_unknown_command_is_a_usage_error_listing_the_valid_commands(run_fake):
    with pytest.raises(UsageError) as raised:
        run_fake("fetch", "nope")
    assert str(raised.value) == (
        "unknown command 'nope' for integration 'FakeFetch'. Valid commands:\n  fetch-incidents\n  test-module"
    )


def test_negative_poll_speed_is_a_usage_error(run_fake):
    with pytest.raises(UsageError, match="poll speed must be 0 or more, got -1"):
        run_fake("basic", "test-module", poll_speed=-1)


def test_runs_leave_no_trace_in_the_process(run_fake, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("FAKE_BASIC_LEAK", raising=False)
    original_params = demistomock.params
    original_context = demistomock.callingContext
    had_csp = "CommonServerPython" in sys.modules
    before_path = list(sys.path)
    main_module, argv0 = sys.modules["__main__"], sys.argv[0]

    run_fake("basic", "fake-noisy")

    assert sys.modules["__main__"] is main_module
    assert sys.argv[0] == argv0

    assert demistomock.params is original_params
    assert demistomock.callingContext is original_context
    assert ("CommonServerPython" in sys.modules) == had_csp
    assert "basic_integration" not in sys.modules
    assert sys.path == before_path
    assert os.getcwd() == str(tmp_path)
    assert "FAKE_BASIC_LEAK" not in os.environ
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state"]  # no stray files in the caller's directory


def test_an_edited_integration_file_is_run_as_edited(tmp_path):
    """The compiled code is reused only while the file is unchanged."""
    code = tmp_path / "edited_integration.py"
    shutil.copy(FIXTURES / "basic_integration.yml", tmp_path / "edited_integration.yml")
    original = (FIXTURES / "basic_integration.py").read_text()
    options = {"integration": code, "state_dir": tmp_path / "state", "files_dir": tmp_path / "files"}
    code.write_text(original)
    assert run_command("fake-count", **options).render() == "count is 1"

    code.write_text(original.replace('readable_output=f"count is ', 'readable_output=f"edited: count is '))
    assert run_command("fake-count", **options).render() == "edited: count is 2"


def test_sequential_runs_see_only_their_own_params(run_fake):
    first = run_fake("basic", "fake-echo", params={"url": "http://one"})
    second = run_fake("basic", "fake-echo", params={"url": "http://two"})
    assert first.entries[0]["EntryContext"]["Fake.Echo"]["params"]["url"] == "http://one"
    assert second.entries[0]["EntryContext"]["Fake.Echo"]["params"]["url"] == "http://two"


def test_default_state_and_files_folders_are_under_xsoar_local_in_the_cwd(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_command("fake-count", integration=FIXTURES / "basic_integration.py", instance_name="inst")
    assert result.render() == "count is 1"
    assert (tmp_path / ".xsoar-local" / "state" / "inst" / "integration_context.json").is_file()


# ------------------------------------------------------------------------------------------------ fetch-incidents


def test_fetch_creates_incidents_and_advances_last_run(run_fake, tmp_path):
    first = run_fake("fetch", "fetch-incidents")
    assert first.exit_code == 0
    assert [incident["dbotMirrorId"] for incident in first.incidents] == ["101", "102"]
    assert first.last_run == {"offset": 2, "fetches": 1}
    assert first.render() == (
        "2 incidents created:\n"
        "name                   occurred              severity  type                  dbotMirrorId\n"
        "---------------------  --------------------  --------  --------------------  ------------\n"
        "S1 Threat: Threat one  2024-01-01T00:00:00Z  3         SentinelOne Incident  101\n"
        "S1 Threat: Threat two  2024-01-02T00:00:00Z  1         SentinelOne Incident  102\n\n"
        'lastRun: {"fetches": 1, "offset": 2}'
    )

    second = run_fake("fetch", "fetch-incidents")
    assert [incident["name"] for incident in second.incidents] == ["S1 Threat: Threat three"]
    assert second.last_run == {"offset": 3, "fetches": 2}
    assert json.loads((tmp_path / "state" / "last_run.json").read_text()) == {"offset": 3, "fetches": 2}

    third = run_fake("fetch", "fetch-incidents")
    assert third.incidents == []
    assert third.render() == 'No incidents created.\n\nlastRun: {"fetches": 3, "offset": 3}'


def test_failed_fetch_reports_the_error_and_keeps_last_run(run_fake):
    run_fake("fetch", "fetch-incidents")
    failed = run_fake("fetch", "fetch-incidents", params={"fail_fetch": True})
    assert failed.exit_code == 1
    assert failed.errors == ["Failed to execute fetch-incidents command. Error: the API is down"]
    assert failed.last_run == {"offset": 2, "fetches": 1}
    assert failed.render() == "ERROR: Failed to execute fetch-incidents command. Error: the API is down"


# ----------------------------------------------------------------------------------------------------- file entries


def test_file_results_are_saved_under_their_names_without_overwriting(run_fake, tmp_path):
    files = tmp_path / "files"
    first = run_fake("file", "fake-report")
    assert first.files == [files / "report.txt"]
    assert (files / "report.txt").read_text() == "hello report"
    # return_results sends the CommandResults at once and the collected file entry after it, as CSP does.
    assert first.render() == f"report ready\n\nFile: report.txt saved to {files / 'report.txt'}"

    second = run_fake("file", "fake-report")
    assert second.files == [files / "report-1.txt"]
    assert sorted(p.name for p in files.iterdir()) == ["report-1.txt", "report.txt"]


def test_get_file_path_finds_saved_files_by_name(run_fake):
    run_fake("file", "fake-report")
    assert run_fake("file", "fake-read-file", {"entry_id": "report.txt"}).render() == "report.txt: hello report"
    missing = run_fake("file", "fake-read-file", {"entry_id": "nothing.txt"})
    assert missing.exit_code == 1
    assert missing.errors[0].startswith("Failed to execute fake-read-file command. Error: no file for entry ID 'nothing.txt'")


def test_test_module_answering_anything_but_ok_fails_like_the_platform(run_fake):
    result = run_fake("basic", "test-module", params={"url": "http://x"}, args={"answer": "Authorization failed"})
    assert result.exit_code == 1
    assert result.errors == ["test-module did not return 'ok': the instance test failed"]
    assert result.render() == "Authorization failed\n\nERROR: test-module did not return 'ok': the instance test failed"
