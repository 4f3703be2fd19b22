"""Fixtures for the local XSOAR runtime tests: a clean platform state per test, recorders, a UTC clock."""

import os
import time
from collections.abc import Iterator
from typing import Any

import CommonServerPython as csp
import demistomock as demisto
import pytest


@pytest.fixture(autouse=True)
def fresh_platform_state(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Module-level state of the runtime (calling context, cached version, log buffer, env) never leaks between tests."""
    saved_environ = dict(os.environ)
    saved_cwd = os.getcwd()
    monkeypatch.setattr(demisto, "callingContext", {})
    monkeypatch.setattr(demisto, "integrationContext", {})
    monkeypatch.setattr(csp.get_demisto_version, "_version", None)
    monkeypatch.setattr(csp.LOG, "messages", [])
    monkeypatch.setattr(csp.LOG, "replace_strs", list(csp.LOG.replace_strs))
    yield
    os.chdir(saved_cwd)
    if dict(os.environ) != saved_environ:
        os.environ.clear()
        os.environ.update(saved_environ)


@pytest.fixture
def results_calls(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every argument given to demisto.results, in order."""
    calls: list[Any] = []
    monkeypatch.setattr(demisto, "results", calls.append)
    return calls


@pytest.fixture
def info_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message given to demisto.info."""
    messages: list[str] = []
    monkeypatch.setattr(demisto, "info", lambda msg, *args: messages.append(msg))
    return messages


@pytest.fixture
def debug_messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every message given to demisto.debug."""
    messages: list[str] = []
    monkeypatch.setattr(demisto, "debug", lambda msg, *args: messages.append(msg))
    return messages


@pytest.fixture
def utc_tz() -> Iterator[None]:
    """The process time zone is UTC (the reference outputs were produced with TZ=UTC)."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = previous
    time.tzset()


@pytest.fixture
def server_version(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Set the server version the runtime sees: `server_version('6.10.0', '1')`."""

    def set_version(version: str, build: str = "12345") -> None:
        monkeypatch.setattr(demisto, "demistoVersion", lambda: {"version": version, "buildNumber": build})
        monkeypatch.setattr(csp.get_demisto_version, "_version", None)

    return set_version
