"""The runner's Python API: run one integration command (following its polling schedule) or one mirroring cycle.

    result = run_command("sentinelone-list-agents", {"limit": "5"}, {"url": url, "credentials": {"password": token}},
                         state_dir=tmp / "state", files_dir=tmp / "files", poll_speed=0)
    result.exit_code, result.entries, result.errors, result.render()

Each call reads the integration afresh and runs it in a fresh setting; runs share only the state folder.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xsoar_local.entry_render import as_json, render_entry
from xsoar_local.execution import Execution, IntegrationLog, execute
from xsoar_local.instance_params import build_args, build_params
from xsoar_local.integration import DEFAULT_INTEGRATION, IntegrationSpec, UsageError, load_integration
from xsoar_local.markdown_text import format_columns
from xsoar_local.state import InstanceState

DEFAULT_INSTANCE = "SentinelOne_instance_1"
DEFAULT_STATE_ROOT = Path(".xsoar-local") / "state"
DEFAULT_FILES_DIR = Path(".xsoar-local") / "files"
# What the platform allows a polling sequence when ScheduledCommand names no timeout.
DEFAULT_POLLING_TIMEOUT_SECONDS = 600.0
FETCH_COMMAND = "fetch-incidents"
TEST_MODULE_COMMAND = "test-module"
INCIDENT_COLUMNS = ("name", "occurred", "severity", "type", "dbotMirrorId")


@dataclass(frozen=True)
class Notice:
    """A line the runner itself adds to the transcript (polling progress, polling timeout)."""

    text: str
    is_error: bool = False


TranscriptItem = Execution | Notice


@dataclass
class RunResult:
    """Everything one `run_command` produced, in order: executions (several when polling) and runner notices."""

    command: str
    args: dict[str, Any]
    transcript: list[TranscriptItem] = field(default_factory=list)
    last_run: dict[str, Any] = field(default_factory=dict)

    @property
    def executions(self) -> list[Execution]:
        return [item for item in self.transcript if isinstance(item, Execution)]

    @property
    def entries(self) -> list[dict[str, Any]]:
        return [entry for execution in self.executions for entry in execution.entries]

    @property
    def incidents(self) -> list[dict[str, Any]]:
        return [incident for execution in self.executions for incident in execution.incidents]

    @property
    def files(self) -> list[Path]:
        return [path for execution in self.executions for path in execution.saved_files.values()]

    @property
    def errors(self) -> list[str]:
        messages = [message for execution in self.executions for message in execution.errors]
        return messages + [item.text for item in self.transcript if isinstance(item, Notice) and item.is_error]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def render(self, *, show_context: bool = False) -> str:
        parts = [render_transcript_item(item, show_context=show_context) for item in self.transcript]
        if self.command == FETCH_COMMAND and not self.errors:
            parts.append(render_last_run(self.last_run))
        return "\n\n".join(part for part in parts if part)

    def to_json(self) -> dict[str, Any]:
        """The raw material: entries, incidents, lastRun, errors and saved files."""
        return {
            "command": self.command,
            "args": self.args,
            "entries": self.entries,
            "incidents": self.incidents,
            "lastRun": self.last_run,
            "files": [str(path) for path in self.files],
            "errors": self.errors,
            "exitCode": self.exit_code,
        }


def render_transcript_item(item: TranscriptItem, *, show_context: bool = False) -> str:
    if isinstance(item, Notice):
        return f"ERROR: {item.text}" if item.is_error else item.text
    parts = [
        render_entry(entry, item.saved_files, show_context=show_context) for entry in item.entries if not _hidden(item, entry)
    ]
    if item.command == FETCH_COMMAND and not item.failure:
        parts.append(render_incidents(item.incidents))
    if item.failure:
        parts.append(f"ERROR: {item.failure}")
    return "\n\n".join(part for part in parts if part)


def render_incidents(incidents: list[dict[str, Any]]) -> str:
    if not incidents:
        return "No incidents created."
    rows = [[_cell(incident.get(column)) for column in INCIDENT_COLUMNS] for incident in incidents]
    title = f"{len(incidents)} incident{'s' if len(incidents) != 1 else ''} created:"
    return "\n".join([title, *format_columns(list(INCIDENT_COLUMNS), rows)])


def render_last_run(last_run: Mapping[str, Any]) -> str:
    return "lastRun: " + json.dumps(last_run, ensure_ascii=False, sort_keys=True, default=str)


def _cell(value: Any) -> str:
    return "" if value is None else str(value).replace("\n", " ")


def _hidden(execution: Execution, entry: Mapping[str, Any]) -> bool:
    """An intermediate polling entry of a run that asked for hidden polling output."""
    hide = execution.args.get("hide_polling_output")
    return bool(entry.get("PollingCommand")) and (hide is True or str(hide).lower() == "true")


@dataclass
class RunSettings:
    """Where and how executions happen; shared by run_command and run_mirroring."""

    spec: IntegrationSpec
    params: dict[str, Any]
    state: InstanceState
    files_dir: Path
    instance_name: str
    log: IntegrationLog

    def execute(self, command: str, args: Mapping[str, Any], *, polling_retry: bool = False) -> Execution:
        return execute(
            self.spec,
            command,
            build_args(self.spec, command, args),
            self.params,
            state=self.state,
            files_dir=self.files_dir,
            instance_name=self.instance_name,
            log=self.log,
            polling_retry=polling_retry,
        )


def prepare(
    params: Mapping[str, Any] | None = None,
    *,
    integration: str | Path = DEFAULT_INTEGRATION,
    instance_name: str = DEFAULT_INSTANCE,
    state_dir: str | Path | None = None,
    files_dir: str | Path = DEFAULT_FILES_DIR,
    verbose: bool = False,
) -> RunSettings:
    spec = load_integration(integration)
    state = InstanceState(state_dir if state_dir is not None else DEFAULT_STATE_ROOT / instance_name)
    return RunSettings(
        spec=spec,
        params=build_params(spec, params),
        state=state,
        files_dir=Path(files_dir).resolve(),
        instance_name=instance_name,
        log=IntegrationLog(state.log_path, sys.stderr if verbose else None),
    )


def check_command(spec: IntegrationSpec, command: str) -> None:
    if command not in spec.valid_commands:
        listing = "\n".join(f"  {name}" for name in spec.valid_commands)
        raise UsageError(f"unknown command {command!r} for integration {spec.brand!r}. Valid commands:\n{listing}")


def run_command(
    command: str,
    args: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    *,
    integration: str | Path = DEFAULT_INTEGRATION,
    instance_name: str = DEFAULT_INSTANCE,
    state_dir: str | Path | None = None,
    files_dir: str | Path = DEFAULT_FILES_DIR,
    poll_speed: float = 1.0,
    verbose: bool = False,
    sleep: Callable[[float], object] = time.sleep,
    on_event: Callable[[TranscriptItem], None] | None = None,
) -> RunResult:
    """Run `command` like the platform, then follow its ScheduledCommand (if any) until the polling ends.

    `params` are the instance parameters (YAML defaults fill the missing ones); `args` the command arguments (YAML
    defaults likewise). Between polls the runner calls `sleep(NextRun * poll_speed)` (not at all when that is 0); tests
    against a simulator can pass the simulator clock's `advance` as `sleep` with poll_speed=1, so that simulated time
    moves on without real waiting. The polling timeout is counted in scheduled seconds, as the platform counts it.
    `on_event` sees each execution and notice as it happens. Raises UsageError for an unknown command or an unusable
    integration.
    """
    if poll_speed < 0:
        raise UsageError(f"poll speed must be 0 or more, got {poll_speed}")
    settings = prepare(
        params, integration=integration, instance_name=instance_name, state_dir=state_dir, files_dir=files_dir, verbose=verbose
    )
    check_command(settings.spec, command)
    result = RunResult(command=command, args=build_args(settings.spec, command, args or {}))

    def record(item: TranscriptItem) -> None:
        result.transcript.append(item)
        if on_event is not None:
            on_event(item)

    execution = settings.execute(command, result.args)
    record(execution)
    if command == TEST_MODULE_COMMAND and not execution.errors and not _test_passed(execution):
        # The platform fails the instance test on any answer but the exact string 'ok'.
        record(Notice("test-module did not return 'ok': the instance test failed", is_error=True))
    waited = 0.0  # the platform's clock: the sum of the scheduled intervals, whatever poll_speed makes us wait
    run_number = 1
    while not execution.errors:
        schedule = next((entry for entry in reversed(execution.entries) if entry.get("PollingCommand")), None)
        if schedule is None:
            break
        next_command = str(schedule["PollingCommand"])
        next_run = _seconds(schedule.get("NextRun"), 0.0)
        timeout = _seconds(schedule.get("Timeout"), DEFAULT_POLLING_TIMEOUT_SECONDS)
        waited += next_run
        if waited > timeout:
            record(
                Notice(
                    f"polling {next_command} timed out: no final result within {_format_seconds(timeout)}s "
                    f"(after {run_number} run{'s' if run_number != 1 else ''})",
                    is_error=True,
                )
            )
            break
        run_number += 1
        record(Notice(f"[poll {run_number}] {next_command} … next run in {_format_seconds(next_run)}s"))
        if next_run * poll_speed > 0:
            sleep(next_run * poll_speed)
        polling_args = schedule.get("PollingArgs")
        execution = settings.execute(next_command, polling_args if isinstance(polling_args, dict) else {}, polling_retry=True)
        record(execution)
    result.last_run = settings.state.get_last_run()
    return result


def _test_passed(execution: Execution) -> bool:
    return [entry.get("Contents") for entry in execution.entries] == ["ok"]


def _seconds(value: Any, default: float) -> float:
    try:
        return float(value) if value not in (None, "") else default
    except (TypeError, ValueError):
        return default


def _format_seconds(seconds: float) -> str:
    return str(int(seconds)) if float(seconds).is_integer() else f"{seconds:g}"


# ----------------------------------------------------------------------------------------------------- mirroring

MODIFIED_COMMAND = "get-modified-remote-data"
REMOTE_DATA_COMMAND = "get-remote-data"


@dataclass
class MirroredIncident:
    """One get-remote-data run: the updated remote object and the entries (close, reopen, notes) for the incident."""

    remote_id: str
    execution: Execution

    @property
    def _payload(self) -> list[Any] | None:
        for value in self.execution.raw_results:
            if isinstance(value, list) and value:
                return value
        return None

    @property
    def mirrored_object(self) -> dict[str, Any] | None:
        payload = self._payload
        return payload[0] if payload and isinstance(payload[0], dict) else None

    @property
    def entries(self) -> list[dict[str, Any]]:
        payload = self._payload
        return [entry for entry in payload[1:] if isinstance(entry, dict)] if payload else []

    @property
    def closes(self) -> bool:
        return any(_contents_flag(entry, "dbotIncidentClose") for entry in self.entries)

    @property
    def reopens(self) -> bool:
        return any(_contents_flag(entry, "dbotIncidentReopen") for entry in self.entries)


@dataclass
class MirrorResult:
    """One incoming mirroring cycle: get-modified-remote-data, then get-remote-data per modified ID."""

    last_update: str
    modified: Execution
    modified_ids: list[str] = field(default_factory=list)
    incidents: list[MirroredIncident] = field(default_factory=list)
    skipped_ids: list[str] = field(default_factory=list)  # beyond the limit

    @property
    def errors(self) -> list[str]:
        return self.modified.errors + [
            f"{REMOTE_DATA_COMMAND} {incident.remote_id}: {message}"
            for incident in self.incidents
            for message in incident.execution.errors
        ]

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    def render(self, *, show_context: bool = False) -> str:
        if self.modified.errors:
            return render_transcript_item(self.modified, show_context=show_context)
        lines = [f"{MODIFIED_COMMAND} (lastUpdate {self.last_update}): {len(self.modified_ids)} modified"]
        if self.modified_ids:
            lines[0] += ": " + ", ".join(self.modified_ids)
        if self.skipped_ids:
            lines.append(f"not fetched (over the limit): {', '.join(self.skipped_ids)}")
        sections = ["\n".join(lines)]
        sections.extend(render_mirrored_incident(incident, show_context=show_context) for incident in self.incidents)
        return "\n\n".join(sections)

    def to_json(self) -> dict[str, Any]:
        return {
            "lastUpdate": self.last_update,
            "modifiedIds": self.modified_ids,
            "skippedIds": self.skipped_ids,
            "incidents": [
                {
                    "id": incident.remote_id,
                    "mirroredObject": incident.mirrored_object,
                    "entries": incident.entries,
                    "errors": incident.execution.errors,
                }
                for incident in self.incidents
            ],
            "errors": self.errors,
            "exitCode": self.exit_code,
        }


def render_mirrored_incident(incident: MirroredIncident, *, show_context: bool = False) -> str:
    header = f"Remote incident {incident.remote_id}"
    execution = incident.execution
    if execution.errors:
        return header + "\n" + render_transcript_item(execution, show_context=show_context)
    mirrored = incident.mirrored_object
    if mirrored is None:
        return header + ": no changes"
    lines = [f"{header}: updated object with {len(mirrored)} field{'s' if len(mirrored) != 1 else ''}"]
    lines.extend(f"  {key}: {_short_value(value)}" for key, value in mirrored.items())
    for entry in incident.entries:
        lines.append(_mirror_entry_line(entry, execution, show_context))
    return "\n".join(lines)


def _mirror_entry_line(entry: Mapping[str, Any], execution: Execution, show_context: bool) -> str:
    contents = entry.get("Contents")
    if _contents_flag(entry, "dbotIncidentClose"):
        assert isinstance(contents, dict)
        details = [f"{key}={contents[key]}" for key in ("closeReason", "closeNotes") if contents.get(key) not in (None, "")]
        return "CLOSE incident" + (f" ({', '.join(details)})" if details else "")
    if _contents_flag(entry, "dbotIncidentReopen"):
        return "REOPEN incident"
    return render_entry(entry, execution.saved_files, show_context=show_context)


def _contents_flag(entry: Mapping[str, Any], flag: str) -> bool:
    contents = entry.get("Contents")
    return isinstance(contents, dict) and bool(contents.get(flag))


def _short_value(value: Any, limit: int = 100) -> str:
    """One line of at most `limit` characters: strings as they are, anything else as collapsed JSON."""
    text = value.replace("\n", " ") if isinstance(value, str) else " ".join(as_json(value).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def run_mirroring(
    last_update: str,
    params: Mapping[str, Any] | None = None,
    *,
    limit: int | None = None,
    integration: str | Path = DEFAULT_INTEGRATION,
    instance_name: str = DEFAULT_INSTANCE,
    state_dir: str | Path | None = None,
    files_dir: str | Path = DEFAULT_FILES_DIR,
    verbose: bool = False,
) -> MirrorResult:
    """What the platform does each minute for incoming mirroring, once: modified IDs, then each one's remote data."""
    if limit is not None and limit < 0:
        raise UsageError(f"limit must be 0 or more, got {limit}")
    settings = prepare(
        params, integration=integration, instance_name=instance_name, state_dir=state_dir, files_dir=files_dir, verbose=verbose
    )
    for command in (MODIFIED_COMMAND, REMOTE_DATA_COMMAND):
        check_command(settings.spec, command)
    modified = settings.execute(MODIFIED_COMMAND, {"lastUpdate": last_update})
    result = MirrorResult(last_update=last_update, modified=modified)
    if modified.errors:
        return result
    result.modified_ids = _modified_ids(modified)
    selected = result.modified_ids if limit is None else result.modified_ids[:limit]
    result.skipped_ids = result.modified_ids[len(selected) :]
    for remote_id in selected:
        execution = settings.execute(REMOTE_DATA_COMMAND, {"id": remote_id, "lastUpdate": last_update})
        result.incidents.append(MirroredIncident(remote_id=remote_id, execution=execution))
    return result


def _modified_ids(execution: Execution) -> list[str]:
    for entry in execution.entries:
        contents = entry.get("Contents")
        if isinstance(contents, list):
            return [str(item) for item in contents]
    return []
