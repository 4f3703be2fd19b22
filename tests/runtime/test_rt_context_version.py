"""Server version checks (cached) and the version-dependent integration context helpers."""

import json
from typing import Any

import CommonServerPython as csp
import demistomock as demisto
import pytest
from CommonServerPython import (
    get_demisto_version,
    get_demisto_version_as_str,
    get_integration_context,
    get_integration_context_with_version,
    is_demisto_version_ge,
    set_integration_context,
    set_to_integration_context_with_retries,
)


@pytest.mark.parametrize(
    ("version", "build", "expected"),
    [
        ("5.0.0", "", True),
        ("5.5.0", "", True),
        ("5.5.0", "12345", True),
        ("5.5.0", "12346", False),
        ("6.0.0", "", False),
        ("5.10.0", "", False),
        ("5.5", "", True),
        ("4.9.9", "99999", True),
    ],
)
def test_is_demisto_version_ge_with_the_mock_version(version: str, build: str, expected: bool) -> None:
    assert is_demisto_version_ge(version, build) is expected


def test_two_digit_components_compare_as_numbers(server_version: Any) -> None:
    server_version("6.10.0")
    assert is_demisto_version_ge("6.9.0") is True
    assert is_demisto_version_ge("6.10.0") is True
    assert is_demisto_version_ge("6.11.0") is False


def test_version_is_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_demisto_version() == {"version": "5.5.0", "buildNumber": "12345"}
    monkeypatch.setattr(demisto, "demistoVersion", lambda: {"version": "8.0.0", "buildNumber": "1"})
    assert get_demisto_version()["version"] == "5.5.0"
    assert is_demisto_version_ge("6.0.0") is False
    get_demisto_version._version = None
    assert is_demisto_version_ge("6.0.0") is True


def test_version_as_str() -> None:
    assert get_demisto_version_as_str() == "5.5.0-12345"


def test_missing_demisto_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(demisto, "demistoVersion")
    assert is_demisto_version_ge("5.0.0") is False
    assert get_demisto_version_as_str() == "Unknown"
    with pytest.raises(AttributeError):
        is_demisto_version_ge("4.5.0")


def test_non_numeric_version_logs_and_passes(server_version: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    logged: list[str] = []
    monkeypatch.setattr(demisto, "log", logged.append)
    server_version("master", "dev")
    assert is_demisto_version_ge("6.0.0") is True
    assert len(logged) == 1
    assert logged[0].startswith("is_demisto_version_ge: ValueError. \n input: server version: 6.0.0 build number: \n")


def test_integration_context_before_6(debug_messages: list[str]) -> None:
    set_integration_context({"token": "t"})
    assert demisto.integrationContext == {"token": "t"}
    assert get_integration_context() == {"token": "t"}
    assert debug_messages == ["Setting integration context"]


def test_integration_context_versioned_with_the_mock_returns_empty(server_version: Any) -> None:
    server_version("6.5.0")
    set_integration_context({"token": "t"})
    assert demisto.integrationContext == {"token": "t"}
    assert get_integration_context() == {}  # the mock stores the raw dict, without the {'context': ...} wrapper


def test_integration_context_versioned(server_version: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server_version("6.5.0")
    calls: list[tuple[Any, ...]] = []
    monkeypatch.setattr(demisto, "getIntegrationContextVersioned", lambda refresh=False: {"context": {"a": 1}, "version": 4})
    monkeypatch.setattr(
        demisto, "setIntegrationContextVersioned", lambda context, version=-1, sync=False: calls.append((context, version, sync))
    )
    assert get_integration_context() == {"a": 1}
    assert get_integration_context(with_version=True) == {"context": {"a": 1}, "version": 4}
    set_integration_context({"b": 2}, sync=False, version=4)
    assert calls == [({"b": 2}, 4, False)]


def test_integration_context_with_version_before_6_is_the_raw_context_and_no_version() -> None:
    demisto.integrationContext = {"token": "t"}
    assert get_integration_context_with_version() == ({"token": "t"}, -1)


def test_integration_context_with_version_unwraps_the_versioned_context(
    server_version: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_version("6.5.0")
    refreshes: list[bool] = []

    def versioned(refresh: bool = False) -> dict[str, Any]:
        refreshes.append(refresh)
        return {"context": {"a": 1}, "version": 4}

    monkeypatch.setattr(demisto, "getIntegrationContextVersioned", versioned)
    assert get_integration_context_with_version() == ({"a": 1}, 4)
    # Without sync there is no version to write against: -1 (the server then skips the version check).
    assert get_integration_context_with_version(sync=False) == ({"a": 1}, -1)
    assert refreshes == [True, False]


def test_integration_context_with_version_of_an_empty_versioned_context(
    server_version: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_version("6.5.0")
    monkeypatch.setattr(demisto, "getIntegrationContextVersioned", lambda refresh=False: {})
    assert get_integration_context_with_version() == ({}, 0)


def test_set_to_integration_context_with_retries_encodes_values() -> None:
    demisto.integrationContext = {"users": json.dumps([{"id": 1, "n": "a"}, {"id": 2, "n": "b"}])}
    set_to_integration_context_with_retries(
        {"users": [{"id": 2, "n": "B"}, {"id": 3, "n": "c"}, {"id": 1, "remove": True}], "token": "t"},
        object_keys={"users": "id"},
    )
    assert json.loads(demisto.integrationContext["users"]) == [{"id": 2, "n": "B"}, {"id": 3, "n": "c"}]
    assert demisto.integrationContext["token"] == '"t"'


def test_set_to_integration_context_with_retries_gives_up(server_version: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    server_version("6.5.0")
    attempts: list[int] = []

    def refuse(context: Any, version: int = -1, sync: bool = False) -> None:
        attempts.append(version)
        raise ValueError("DB version mismatch")

    monkeypatch.setattr(demisto, "getIntegrationContextVersioned", lambda refresh=False: {"context": {}, "version": 7})
    monkeypatch.setattr(demisto, "setIntegrationContextVersioned", refuse)
    monkeypatch.setattr(csp.time, "sleep", lambda seconds: None)
    with pytest.raises(Exception, match=r"^Failed updating integration context\. Max retry attempts exceeded\.$"):
        set_to_integration_context_with_retries({"a": 1}, max_retry_times=2)
    assert attempts == [7, 7]


def test_feed_last_run_by_version(server_version: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    demisto.integrationContext = {"old": 1}
    assert csp.get_feed_last_run() == {"old": 1}
    csp.set_feed_last_run({"new": 2})
    assert demisto.integrationContext == {"new": 2}
    server_version("6.1.0")
    stored: list[Any] = []
    monkeypatch.setattr(demisto, "setLastRun", stored.append)
    assert csp.get_feed_last_run() == {"lastRun": "2018-10-24T14:13:20+00:00"}
    csp.set_feed_last_run({"new": 3})
    assert stored == [{"new": 3}]
