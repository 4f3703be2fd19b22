"""demistomock: inputs from the environment and .args_command.json, and the defaults every function returns."""

import json
import logging
import re
import uuid
from pathlib import Path
from typing import Any

import demistomock as demisto
import pytest


@pytest.fixture
def args_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / ".args_command.json"
    monkeypatch.setattr(demisto, "ARGS_COMMAND_PATH", str(path))
    return path


def test_args_command_path_is_beside_the_module() -> None:
    assert str(Path(demisto.__file__).resolve().parent / ".args_command.json") == demisto.ARGS_COMMAND_PATH


def test_params_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMISTO_PARAMS", raising=False)
    assert demisto.params() == {}
    monkeypatch.setenv("DEMISTO_PARAMS", '{"url": "https://x", "insecure": true}')
    assert demisto.params() == {"url": "https://x", "insecure": True}
    assert demisto.getParam("url") == "https://x"
    assert demisto.getParam("missing") is None
    monkeypatch.setenv("DEMISTO_PARAMS", "not json")
    assert demisto.params() == {}


def test_command_and_args_from_the_file(args_file: Path) -> None:
    assert (demisto.command(), demisto.args(), demisto.getArg("id")) == ("", {}, None)
    args_file.write_text(json.dumps({"cmd": "sentinelone-get-agent", "agent_id": "1"}))
    assert demisto.command() == "sentinelone-get-agent"
    assert demisto.args() == {"agent_id": "1"}
    assert demisto.getArg("agent_id") == "1"


def test_bad_or_partial_args_file(args_file: Path) -> None:
    args_file.write_text("{not json")
    assert (demisto.command(), demisto.args()) == ("", {})
    args_file.write_text('{"a": 1}')
    assert (demisto.command(), demisto.args()) == ("", {"a": 1})


def test_last_runs_are_constant() -> None:
    assert demisto.getLastRun() == {"lastRun": "2018-10-24T14:13:20+00:00"}
    assert demisto.setLastRun({"time": "x"}) is None  # type: ignore[func-returns-value]
    assert demisto.getLastRun() == {"lastRun": "2018-10-24T14:13:20+00:00"}
    assert demisto.getAssetsLastRun() == {"lastRun": "2018-10-24T14:13:20+00:00"}
    assert demisto.setAssetsLastRun({}) is None  # type: ignore[func-returns-value]
    assert demisto.getLastMirrorRun() == {}
    assert demisto.setLastMirrorRun({"a": 1}) is None  # type: ignore[func-returns-value]


def test_integration_context_is_the_module_global() -> None:
    assert demisto.getIntegrationContext() == {}
    context = {"token": "t"}
    demisto.setIntegrationContext(context)
    assert demisto.integrationContext is context
    assert demisto.getIntegrationContextVersioned() is context
    demisto.setIntegrationContextVersioned({"v": 1}, version=3, sync=True)
    assert demisto.getIntegrationContext() == {"v": 1}


def test_logging_functions(caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]) -> None:
    caplog.set_level(logging.INFO)
    demisto.debug("dbg %s", 1)
    demisto.info("inf")
    demisto.log("lg")
    assert [(record.levelname, record.getMessage()) for record in caplog.records] == [
        ("INFO", "dbg 1"),
        ("INFO", "inf"),
        ("INFO", "lg"),
    ]
    demisto.error("bad", "thing")
    assert capsys.readouterr().out == "bad thing\n"


def test_results_are_logged_as_sorted_json(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    assert demisto.results({"b": 1, "a": 2}) is None  # type: ignore[func-returns-value]
    demisto.results({"contents": "only this"})
    assert [record.getMessage() for record in caplog.records] == [
        'demisto results: {\n    "a": 2,\n    "b": 1\n}',
        'demisto results: "only this"',
    ]


def test_incidents(monkeypatch: pytest.MonkeyPatch) -> None:
    incidents = demisto.incidents()
    assert len(incidents) == 1
    incident = demisto.incident()
    assert incident is incidents[0]
    assert (incident["id"], incident["name"], incident["severity"], incident["status"], incident["type"]) == (
        "1",
        "1",
        0,
        1,
        "Unclassified",
    )
    assert incident["CustomFields"] == {}
    sent: list[Any] = []
    monkeypatch.setattr(demisto, "results", sent.append)
    assert demisto.incidents([{"name": "n"}]) is None
    assert sent == [{"Type": 1, "Contents": '[{"name": "n"}]', "ContentsFormat": "json"}]


def test_server_facts() -> None:
    assert demisto.investigation() == {"id": "1"}
    assert demisto.demistoVersion() == {"version": "5.5.0", "buildNumber": "12345"}
    assert demisto.getFilePath("7@1") == {"id": "7@1", "path": "test/test.txt", "name": "test.txt"}
    assert demisto.demistoUrls()["server"] == "https://test-address:8443"
    assert sorted(demisto.demistoUrls()) == [
        "evidenceBoard",
        "investigation",
        "relatedIncidents",
        "server",
        "warRoom",
        "workPlan",
    ]
    assert demisto.getLicenseCustomField("Http_Connector.url") == "<ReplaceWithURL>"
    assert demisto.getLicenseCustomField("Nope.url") is None
    assert demisto.getAutoFocusApiKey() == "1234"


def test_unique_file_is_a_uuid4() -> None:
    first, second = demisto.uniqueFile(), demisto.uniqueFile()
    assert first != second
    assert uuid.UUID(first).version == 4
    assert re.fullmatch(r"[0-9a-f-]{36}", first)


def test_execute_command_canned_entries() -> None:
    assert demisto.executeCommand("getIncidents", {}) is demisto.exampleIncidents
    assert demisto.executeCommand("getContext", {}) is demisto.exampleContext
    assert demisto.executeCommand("getUsers", {}) is demisto.exampleUsers
    assert demisto.executeCommand("other", {}) == ""


def test_dotted_get() -> None:
    assert demisto.get({"a": {"b": 1}}, "a.b") == 1
    assert demisto.get({"a": {"b": 1}}, "a.c", "d") == "d"
    assert demisto.get({}, "a") is None
    assert demisto.gets({"a": {"b": 1}}, "a.b") == "1"


def test_internal_http_request() -> None:
    response = demisto.internalHttpRequest("GET", "/x")
    assert (response["statusCode"], response["status"], response["body"]) == (
        404,
        "404 Not Found",
        "This is a mock. Your request was not found.",
    )
    assert isinstance(response["headers"], dict)


@pytest.mark.parametrize(
    ("call", "expected"),
    [
        (lambda: demisto.context(), {}),
        (lambda: demisto.dt({}, "x"), ""),
        (lambda: demisto.setContext("a", 1), {"status": True}),
        (lambda: demisto.integrationInstance(), ""),
        (lambda: demisto.getLicenseID(), ""),
        (lambda: demisto.getIndexHash(), ""),
        (lambda: demisto.createIncidents([]), []),
        (lambda: demisto.createIndicators([]), ""),
        (lambda: demisto.searchIndicators(query="x"), {}),
        (lambda: demisto.searchRelationships({}), {"data": []}),
        (lambda: demisto.mapObject({"a": 1}, "m", "t"), {"a": 1}),
        (lambda: demisto.updateModuleHealth("x"), ""),
        (lambda: demisto.addEntry("1", "e"), ""),
        (lambda: demisto.mirrorInvestigation("1", "all"), ""),
        (lambda: demisto.directMessage("m"), ""),
        (lambda: demisto.findUser(), {}),
        (lambda: demisto.handleEntitlementForUser("1", "g", "e", "c"), {}),
        (lambda: demisto.credentials({}), None),
        (lambda: demisto.getAllSupportedCommands(), {}),
        (lambda: demisto.getModules(), {}),
        (lambda: demisto.get_incidents(), {}),
        (lambda: demisto.parentEntry(), {}),
        (lambda: demisto._apiCall(name="x"), {}),
        (lambda: demisto.isTimeSensitive(), False),
        (lambda: demisto.initialize(), None),
    ],
)
def test_default_returns(call: Any, expected: Any) -> None:
    assert call() == expected


def test_module_attributes() -> None:
    assert demisto.is_debug is False
    assert demisto.exampleAutoFocusApiKey == "1234"
    assert isinstance(demisto.contentSecrets, dict)
