"""return_results / return_error / return_warning / return_outputs / fileResult and the entry enumerations."""

import os
from pathlib import Path
from typing import Any

import CommonServerPython as csp
import demistomock as demisto
import pytest
from CommonServerPython import (
    CommandResults,
    EntryFormat,
    EntryType,
    ErrorTypes,
    GetMappingFieldsResponse,
    GetModifiedRemoteDataResponse,
    GetRemoteDataResponse,
    IncidentSeverity,
    IncidentStatus,
    PollResult,
    SchemeTypeMapping,
    entryTypes,
    file_result_existing_file,
    fileResult,
    formats,
    return_error,
    return_outputs,
    return_results,
    return_warning,
)

UUID = "2e4d9921-0000-4000-8000-000000000001"


def test_return_results_none(results_calls: list[Any]) -> None:
    return_results(None)
    assert results_calls == [None]


def test_return_results_command_results(results_calls: list[Any]) -> None:
    results = CommandResults(readable_output="a")
    return_results(results)
    assert results_calls == [results.to_context()]


def test_return_results_mixed_list(results_calls: list[Any]) -> None:
    first, last = CommandResults(readable_output="a"), CommandResults(readable_output="b")
    return_results([first, {"Type": 1, "Contents": "d"}, "s", last])
    assert results_calls == [first.to_context(), last.to_context(), [{"Type": 1, "Contents": "d"}, "s"]]


def test_return_results_empty_list(results_calls: list[Any]) -> None:
    return_results([])
    assert results_calls == [[]]


@pytest.mark.parametrize("value", ["text", {"Type": 1}, 5])
def test_return_results_other_values_unchanged(results_calls: list[Any], value: Any) -> None:
    return_results(value)
    assert results_calls == [value]


def test_return_results_poll_result_is_passed_as_is(results_calls: list[Any]) -> None:
    poll = PollResult("x")
    return_results(poll)
    assert results_calls == [poll]


def test_return_results_mirroring_objects(results_calls: list[Any], info_messages: list[str]) -> None:
    mapping = GetMappingFieldsResponse([SchemeTypeMapping("T1", {"f": "d"})])
    return_results(mapping)
    return_results(GetRemoteDataResponse({"id": "1"}, [{"Contents": "note"}]))
    return_results(GetModifiedRemoteDataResponse(["1", "2"]))
    assert results_calls == [
        {"T1": {"f": "d"}},
        [{"id": "1"}, {"Contents": "note"}],
        {"Contents": ["1", "2"], "Type": 1, "ContentsFormat": "json"},
    ]
    assert info_messages == ["Modified incidents: ['1', '2']"]


def test_return_results_object_with_to_entry(results_calls: list[Any]) -> None:
    class Widget:
        def to_entry(self) -> dict[str, Any]:
            return {"Type": 17}

    return_results(Widget())
    assert results_calls == [{"Type": 17}]


def test_return_results_base_widget(results_calls: list[Any]) -> None:
    class Number(csp.BaseWidget):
        def to_display(self) -> Any:
            return "42"

    return_results(Number())
    assert results_calls == ["42"]


def test_scripts_drop_execution_metrics(results_calls: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demisto, "callingContext", {"context": {"ExecutedCommands": [{"moduleBrand": "Scripts"}]}})
    return_results(CommandResults(execution_metrics=[{"Type": "Successful", "APICallsCount": 1}]))
    assert results_calls == []


def test_return_error(results_calls: list[Any]) -> None:
    with pytest.raises(SystemExit) as exited:
        return_error("boom")
    assert exited.value.code == 0
    assert results_calls == [{"Type": 4, "ContentsFormat": "text", "Contents": "boom", "EntryContext": None}]


def test_return_error_inside_an_exception_handler(results_calls: list[Any], info_messages: list[str]) -> None:
    try:
        raise ValueError("inner")
    except ValueError as error:
        with pytest.raises(SystemExit):
            return_error(f"Failed to execute command. Error: {error}", error=error)
    assert results_calls == [
        {"Type": 4, "ContentsFormat": "text", "Contents": "Failed to execute command. Error: inner", "EntryContext": None}
    ]
    assert len(info_messages) == 1
    assert info_messages[0].startswith("Full Integration Log:\nFailed to execute command. Error: inner\ninner\nTraceback")
    assert 'raise ValueError("inner")' in info_messages[0]


def test_return_error_in_debug_mode_appends_the_traceback(results_calls: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demisto, "is_debug", True)
    monkeypatch.setattr(demisto, "debug", lambda msg, *args: None)
    try:
        raise ValueError("inner")
    except ValueError:
        with pytest.raises(SystemExit):
            return_error("failed")
    contents = results_calls[0]["Contents"]
    assert contents.startswith("failed\n\nTraceback (most recent call last):\n")
    assert contents.endswith("ValueError: inner\n")


def test_return_error_with_outputs(results_calls: list[Any]) -> None:
    with pytest.raises(SystemExit):
        return_error("boom", outputs={"A": 1})
    assert results_calls[0]["EntryContext"] == {"A": 1}


@pytest.mark.parametrize("command", ["fetch-incidents", "fetch-credentials", "long-running-execution", "fetch-indicators"])
def test_return_error_raises_for_server_handled_commands(
    results_calls: list[Any], monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    monkeypatch.setattr(demisto, "command", lambda: command)
    with pytest.raises(Exception) as raised:
        return_error("fetch failed")
    assert type(raised.value) is Exception
    assert str(raised.value) == "fetch failed"
    assert results_calls == []


def test_return_error_during_get_modified_remote_data(results_calls: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demisto, "command", lambda: "get-modified-remote-data")
    with pytest.raises(SystemExit):
        return_error("oops")
    assert results_calls[0]["Contents"] == "skip update. error: oops"


def test_return_error_not_implemented_during_get_modified_remote_data(
    results_calls: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demisto, "command", lambda: "get-modified-remote-data")
    try:
        raise NotImplementedError("no")
    except NotImplementedError as error:
        with pytest.raises(SystemExit):
            return_error("not supported", error=error)
    assert results_calls[0]["Contents"] == "not supported"


def test_return_error_truncates_long_messages(results_calls: list[Any]) -> None:
    message = "a" * 25000 + "b" * 10 + "c" * 25000
    with pytest.raises(SystemExit):
        return_error(message)
    contents = results_calls[0]["Contents"]
    assert len(contents) == 50035
    assert contents == "a" * 25000 + "...This error body was truncated..." + "c" * 25000


def test_return_error_keeps_a_message_of_the_maximum_length(results_calls: list[Any]) -> None:
    with pytest.raises(SystemExit):
        return_error("x" * 50000)
    assert results_calls[0]["Contents"] == "x" * 50000


def test_return_error_masks_secrets(results_calls: list[Any]) -> None:
    csp.add_sensitive_log_strs("s3cr3t-token")
    with pytest.raises(SystemExit):
        return_error("auth failed with s3cr3t-token")
    assert results_calls[0]["Contents"] == "auth failed with <XX_REPLACED>"


def test_return_error_non_string_message(results_calls: list[Any]) -> None:
    with pytest.raises(SystemExit):
        return_error(ValueError("bad value"))
    assert results_calls[0]["Contents"] == "bad value"


def test_return_warning(results_calls: list[Any]) -> None:
    return_warning("careful")
    assert results_calls == [
        {"Type": 11, "ContentsFormat": "text", "IgnoreAutoExtract": False, "Contents": "careful", "EntryContext": None}
    ]


def test_return_warning_with_exit(results_calls: list[Any]) -> None:
    with pytest.raises(SystemExit) as exited:
        return_warning(5, exit=True, outputs={"A": 1}, ignore_auto_extract=True)
    assert exited.value.code == 0
    assert results_calls == [
        {"Type": 11, "ContentsFormat": "text", "IgnoreAutoExtract": True, "Contents": "5", "EntryContext": {"A": 1}}
    ]


def test_return_outputs_readable_only(results_calls: list[Any]) -> None:
    return_outputs("md")
    assert results_calls == [
        {
            "Type": 1,
            "HumanReadable": "md",
            "ContentsFormat": "text",
            "Contents": "md",
            "EntryContext": None,
            "IgnoreAutoExtract": False,
            "IndicatorTimeline": None,
        }
    ]
    assert list(results_calls[0]) == [
        "Type",
        "HumanReadable",
        "ContentsFormat",
        "Contents",
        "EntryContext",
        "IgnoreAutoExtract",
        "IndicatorTimeline",
    ]


def test_return_outputs_with_outputs(results_calls: list[Any]) -> None:
    return_outputs("md", {"A": 1})
    entry = results_calls[0]
    assert (entry["ContentsFormat"], entry["Contents"], entry["EntryContext"]) == ("json", {"A": 1}, {"A": 1})


def test_return_outputs_with_raw_response_and_timeline(results_calls: list[Any]) -> None:
    return_outputs("md", {"A": 1}, raw_response="raw", timeline={"Value": "v"})
    entry = results_calls[0]
    assert (entry["ContentsFormat"], entry["Contents"]) == ("text", "raw")
    assert entry["IndicatorTimeline"] == [{"Value": "v", "Category": "Integration Update"}]


def test_file_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(demisto, "uniqueFile", lambda: UUID)
    monkeypatch.setattr(demisto, "debug", lambda msg, *args: None)
    entry = fileResult("../../report.txt", "héllo")
    assert entry == {"Contents": "", "ContentsFormat": "text", "Type": 3, "File": "report.txt", "FileID": UUID}
    assert (tmp_path / f"1_{UUID}").read_bytes() == b"h\xc3\xa9llo"


def test_file_result_bytes_and_type(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    entry = fileResult("a.bin", b"\x00\x01", file_type=EntryType.ENTRY_INFO_FILE)
    assert entry["Type"] == 9
    assert entry["File"] == "a.bin"
    assert (tmp_path / f"1_{entry['FileID']}").read_bytes() == b"\x00\x01"
    assert len(entry["FileID"]) == 36


def test_file_result_existing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(demisto, "uniqueFile", lambda: UUID)
    (tmp_path / "out.txt").write_text("data")
    entry = file_result_existing_file("out.txt", saveFilename="saved.txt")
    assert entry == {"Contents": "", "ContentsFormat": "text", "Type": 3, "File": "saved.txt", "FileID": UUID}
    assert sorted(os.listdir(tmp_path)) == [f"1_{UUID}"]


def test_entry_enumerations() -> None:
    assert {name: value for name, value in vars(EntryType).items() if name.isupper()} == {
        "NOTE": 1,
        "DOWNLOAD_AGENT": 2,
        "FILE": 3,
        "ERROR": 4,
        "PINNED": 5,
        "USER_MANAGEMENT": 6,
        "IMAGE": 7,
        "PLAYGROUND_ERROR": 8,
        "ENTRY_INFO_FILE": 9,
        "VIDEO_FILE": 10,
        "WARNING": 11,
        "STATIC_VIDEO_FILE": 12,
        "MAP_ENTRY_TYPE": 15,
        "WIDGET": 17,
        "EXECUTION_METRICS": 19,
    }
    assert (EntryFormat.HTML, EntryFormat.TABLE, EntryFormat.JSON, EntryFormat.TEXT) == ("html", "table", "json", "text")
    assert (EntryFormat.DBOT_RESPONSE, EntryFormat.MARKDOWN) == ("dbotCommandResponse", "markdown")
    assert EntryFormat.is_valid_type("markdown") is True
    assert EntryFormat.is_valid_type("bogus") is False
    assert entryTypes == {
        "note": 1,
        "downloadAgent": 2,
        "file": 3,
        "error": 4,
        "pinned": 5,
        "userManagement": 6,
        "image": 7,
        "playgroundError": 8,
        "entryInfoFile": 9,
        "warning": 11,
        "map": 15,
        "debug": 16,
        "widget": 17,
    }
    assert formats == {
        "html": "html",
        "table": "table",
        "json": "json",
        "text": "text",
        "dbotResponse": "dbotCommandResponse",
        "markdown": "markdown",
    }
    assert (IncidentStatus.PENDING, IncidentStatus.ACTIVE, IncidentStatus.DONE, IncidentStatus.ARCHIVE) == (0, 1, 2, 3)
    assert (IncidentSeverity.UNKNOWN, IncidentSeverity.INFO, IncidentSeverity.LOW) == (0, 0.5, 1)
    assert (IncidentSeverity.MEDIUM, IncidentSeverity.HIGH, IncidentSeverity.CRITICAL) == (2, 3, 4)
    assert {name: value for name, value in vars(ErrorTypes).items() if name.isupper()} == {
        "SUCCESS": "Successful",
        "QUOTA_ERROR": "QuotaError",
        "GENERAL_ERROR": "GeneralError",
        "AUTH_ERROR": "AuthError",
        "SERVICE_ERROR": "ServiceError",
        "CONNECTION_ERROR": "ConnectionError",
        "PROXY_ERROR": "ProxyError",
        "SSL_ERROR": "SSLError",
        "TIMEOUT_ERROR": "TimeoutError",
        "RETRY_ERROR": "RetryError",
    }
