"""What the end-to-end tests share: an analyst who runs integration commands through the local runner against the
simulator, and reads the console's own API (with the token) to compare with what the integration reported."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from xsoar_local.runner import MirrorResult, RunResult, run_command


def merged_context(result: RunResult) -> dict[str, Any]:
    """The EntryContext of every entry of a run, merged (later entries win)."""
    context: dict[str, Any] = {}
    for entry in result.entries:
        context.update(entry.get("EntryContext") or {})
    return context


def readable_output(result: RunResult) -> str:
    return "\n".join(str(entry.get("HumanReadable") or "") for entry in result.entries)


def incident_of(result: MirrorResult, remote_id: str) -> Any:
    """The one incident of a mirroring cycle with this remote ID, whose get-remote-data succeeded."""
    (incident,) = [incident for incident in result.incidents if incident.remote_id == remote_id]
    assert incident.execution.errors == []
    return incident


def note_texts(entries: list[dict[str, Any]]) -> list[str]:
    """The texts of the SentinelOne notes among get-remote-data's entries (after the "... by <author>:" line)."""
    return [entry["Contents"].split("\n\n", 1)[1] for entry in entries if entry.get("Note")]


class Analyst:
    """Runs commands on one integration instance (its own state folder) against the simulator `sim`.

    Runs follow polling to the end; `poll_speed=0` (the default) never waits, `poll_speed=1` passes each scheduled
    interval to `sleep` (give it the simulator clock's advance to let simulated time pass without real waiting).
    """

    def __init__(self, sim: Any, tmp_path: Path, *, poll_speed: float = 0.0, sleep: Callable[[float], Any] | None = None):
        self.sim = sim
        self.tmp_path = tmp_path
        self.poll_speed = poll_speed
        self.sleep = sleep
        self.session = requests.Session()
        self.session.trust_env = False  # loopback simulator: no proxies from the environment
        self.session.headers["Authorization"] = f"ApiToken {sim.token}"
        self.runs = 0

    def instance(self, version: str = "2.1", **params: Any) -> dict[str, Any]:
        return {"url": self.sim.url, "credentials": {"password": self.sim.token}, "api_version": version, **params}

    def run(
        self,
        command: str,
        args: dict[str, Any] | None = None,
        version: str = "2.1",
        *,
        sleep: Callable[[float], Any] | None = None,
        **params: Any,
    ) -> RunResult:
        self.runs += 1
        return run_command(
            command,
            args or {},
            self.instance(version, **params),
            state_dir=self.tmp_path / "state",
            files_dir=self.tmp_path / f"files-{self.runs}",  # each run's files apart: no renaming of equal names
            poll_speed=self.poll_speed,
            sleep=sleep or self.sleep or time.sleep,
        )

    def ok(
        self, command: str, args: dict[str, Any] | None = None, version: str = "2.1", **params: Any
    ) -> tuple[dict[str, Any], str]:
        """Run a command that must succeed: (its merged context, its readable output)."""
        result = self.run(command, args, version, **params)
        assert result.errors == []
        return merged_context(result), readable_output(result)

    def fails(self, command: str, args: dict[str, Any] | None = None, version: str = "2.1", **params: Any) -> str:
        """Run a command that must fail: its one error message."""
        result = self.run(command, args, version, **params)
        assert len(result.errors) == 1, result.errors
        return result.errors[0]

    def api(self, path: str, version: str = "2.1", **params: Any) -> Any:
        """GET a console path; the whole JSON answer."""
        response = self.session.get(self.sim.api_url(version) + path, params=params, timeout=10)
        response.raise_for_status()
        return response.json()

    def api_post(self, path: str, body: dict[str, Any], version: str = "2.1") -> Any:
        response = self.session.post(self.sim.api_url(version) + path, json=body, timeout=10)
        response.raise_for_status()
        return response.json()
