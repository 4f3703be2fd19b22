"""Run a playbook the way the platform runs it, with the integration's commands executed by the local runner.

    result = run_playbook("Packs/SentinelOne/Playbooks/playbook-X.yml", {"ThreatID": "123"}, params,
                          incident={"sentineloneagentid": "42"}, state_dir=tmp / "state", files_dir=tmp / "files")
    result.exit_code, result.context, result.tasks, result.war_room, result.render()

What it executes:
- Task types `start`, `title`, `section` (nothing to do), `regular` (an integration command `Brand|||command` or
  `|||command`, a server command `Builtin|||setIncident`, or a script by name; see xsoar_local/builtins.py for the
  scripts), `condition` (built-in conditions, or a script whose answer names the branch) and `playbook` (a
  sub-playbook with its inputs, its own context when `separatecontext` is set (its declared outputs are then copied
  back), and `loop` with an exit condition, `max` iterations and `wait` seconds between them).
- Branches: `#none#` after a task, the condition labels and `#default#` (else), `#error#` after a task that failed with
  `continueonerror` and `continueonerrortype: errorPath`. A task with several parents runs once every parent has
  either run or been left out by a branch not taken; a task whose parents were all left out is left out too.
- Arguments: `simple` (with `${path}` references; `${incident.x}` reads the incident, `${inputs.x}` the playbook's
  inputs) and `complex` (xsoar_local/playbook_values.py). An argument that resolves to nothing is not passed.
- Integration commands run through `run_command` (polling followed to the end); every entry's EntryContext merges
  into the context (xsoar_local/playbook_context.py), a file entry adds a `File` object.
- `quietmode` (1 on, 2 off, 0 the playbook's `quiet`) keeps a task's entries out of the War Room, not its context;
  `continueonerror` lets the playbook go on after the task fails; `skipunavailable` skips a task whose command,
  script or sub-playbook does not exist.

What makes a run fail, with an error naming the playbook and task: an error entry or an integration failure; a
required argument of a command that resolved to nothing; an unknown command, script or sub-playbook (unless
`skipunavailable`); an unsupported construct (manual tasks and conditions, data collection, for-each loops, field
mapping, timers, evidence and timeline records, marketplace-specific variants, error handling other than errorPath,
unknown operators, transformers or DT expressions); a condition outcome with no branch; a required input with no
value. The first such error stops the run (the platform stops the failing branch; this runner is sequential and
stops everything, so a run never reports success past an error). `continueonerror` goes on past a task's failure,
but never past an unsupported construct: the platform would have run it, the runner did not.
"""

from __future__ import annotations

import functools
import hashlib
import re
import time
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from xsoar_local import builtins
from xsoar_local.entry_render import ENTRY_TYPE_ERROR, as_json, render_entry
from xsoar_local.execution import INVESTIGATION_ID
from xsoar_local.incident import DEFAULT_PACK, PackContent, incident_view, load_pack_content
from xsoar_local.integration import DEFAULT_INTEGRATION, UsageError, load_integration
from xsoar_local.playbook_context import Context, ContextError, Unsupported, get_path, is_empty, path_parts, to_text
from xsoar_local.playbook_values import holds, resolve
from xsoar_local.runner import DEFAULT_FILES_DIR, DEFAULT_INSTANCE, Notice, TranscriptItem, run_command

NONE_BRANCH = "#none#"
ELSE_BRANCH = "#default#"
ERROR_BRANCH = "#error#"
NOTHING_TO_DO = ("start", "title", "section")
DEFAULT_LOOP_MAX = 100
QUIET_INHERIT, QUIET_ON, QUIET_OFF = 0, 1, 2
FILE_CONTEXT_KEY = "File(val.EntryID && val.EntryID == obj.EntryID)"


class PlaybookFormatError(UsageError):
    """A playbook file the runner cannot read."""


class TaskFailure(Exception):
    """The current task failed; the message says why."""


class TaskUnavailable(TaskFailure):
    """The task's command, script or sub-playbook does not exist (`skipunavailable` skips such a task)."""


class UnsupportedTask(TaskFailure, Unsupported):
    """The task uses a construct the runner does not execute (playbook_context.Unsupported: the run stops)."""


class PlaybookStopped(Exception):
    """A task failed without `continueonerror`: the run ends with this message."""


# --------------------------------------------------------------------------------------------------- the model


class _Yaml12Loader(yaml.SafeLoader):
    """YAML as the platform and demisto-sdk read playbooks: only true/false are booleans (`yes` is a label)."""


_Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


@dataclass(frozen=True)
class Task:
    id: str
    type: str
    name: str
    target: str  # 'Brand|||command', '|||command', a script name, or a sub-playbook name/id
    arguments: dict[str, Any]
    next_tasks: dict[str, list[str]]
    conditions: list[Any]
    loop: dict[str, Any] | None
    separate_context: bool
    quiet_mode: int
    continue_on_error: bool
    error_path: bool
    skip_unavailable: bool
    raw: dict[str, Any]

    @property
    def label(self) -> str:
        return f"[{self.id}] {self.name or self.type}"


@dataclass(frozen=True)
class PlaybookInput:
    key: str
    value: Any
    required: bool
    query: Any


@dataclass(frozen=True)
class Playbook:
    id: str
    name: str
    path: Path | None
    start: str
    tasks: dict[str, Task]
    inputs: tuple[PlaybookInput, ...]
    outputs: tuple[str, ...]
    quiet: bool

    def input_keys(self) -> list[str]:
        return [item.key for item in self.inputs]


def load_playbook(path: str | Path) -> Playbook:
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise PlaybookFormatError(f"cannot read playbook {file}: {error.strerror}")
    return loads_playbook(text, file)


def loads_playbook(text: str, path: Path | None = None) -> Playbook:
    """A playbook from its YAML text (`path` only names it in errors and locates its sub-playbooks)."""
    try:
        document = yaml.load(text, Loader=_Yaml12Loader)
    except yaml.YAMLError as error:
        raise PlaybookFormatError(f"cannot parse playbook {path or 'text'}: {error}")
    return parse_playbook(document, path)


def parse_playbook(document: Any, path: Path | None = None) -> Playbook:
    where = str(path) if path else "playbook"
    if not isinstance(document, dict) or not isinstance(document.get("tasks"), dict):
        raise PlaybookFormatError(f"{where}: not a playbook (no tasks)")
    name = str(document.get("name") or document.get("id") or where)
    tasks = {str(key): _parse_task(str(key), value, name) for key, value in document["tasks"].items()}
    start = str(document.get("starttaskid", ""))
    if start not in tasks:
        raise PlaybookFormatError(f"playbook {name!r}: the start task {start!r} does not exist")
    for task in tasks.values():
        for label, targets in task.next_tasks.items():
            missing = [target for target in targets if target not in tasks]
            if missing:
                raise PlaybookFormatError(
                    f"playbook {name!r}: task {task.label} leads ({label}) to tasks that do not exist: {', '.join(missing)}"
                )
    _check_acyclic(name, start, tasks)
    inputs = tuple(
        PlaybookInput(
            key=str(item["key"]),
            value=item.get("value"),
            required=bool(item.get("required")),
            query=item.get("playbookInputQuery"),
        )
        for item in document.get("inputs") or []
        if isinstance(item, dict) and item.get("key")
    )
    outputs = tuple(
        str(item["contextPath"]) for item in document.get("outputs") or [] if isinstance(item, dict) and item.get("contextPath")
    )
    return Playbook(
        id=str(document.get("id") or name),
        name=name,
        path=path,
        start=start,
        tasks=tasks,
        inputs=inputs,
        outputs=outputs,
        quiet=bool(document.get("quiet")),
    )


def _parse_task(key: str, raw: Any, playbook: str) -> Task:
    if not isinstance(raw, dict) or not isinstance(raw.get("task"), dict):
        raise PlaybookFormatError(f"playbook {playbook!r}: task {key} has no 'task' section")
    body = raw["task"]
    kind = str(raw.get("type") or body.get("type") or "")
    target = body.get("playbookName") or body.get("playbookId") if kind == "playbook" else None
    target = target or body.get("script") or body.get("scriptName") or ""
    next_tasks = {str(label): [str(item) for item in targets or []] for label, targets in (raw.get("nexttasks") or {}).items()}
    return Task(
        id=key,
        type=kind,
        name=str(body.get("name") or ""),
        target=str(target),
        arguments=dict(raw.get("scriptarguments") or {}),
        next_tasks=next_tasks,
        conditions=list(raw.get("conditions") or []),
        loop=raw.get("loop") or None,
        separate_context=bool(raw.get("separatecontext")),
        quiet_mode=int(raw.get("quietmode") or 0),
        continue_on_error=bool(raw.get("continueonerror")),
        error_path=raw.get("continueonerrortype") == "errorPath",
        skip_unavailable=bool(raw.get("skipunavailable")),
        raw=raw,
    )


def _check_acyclic(name: str, start: str, tasks: Mapping[str, Task]) -> None:
    """The platform refuses playbooks whose tasks lead back to themselves; so does the runner."""
    state: dict[str, int] = {}  # 1 on the current path, 2 finished

    def visit(task_id: str, trail: list[str]) -> None:
        state[task_id] = 1
        for targets in tasks[task_id].next_tasks.values():
            for target in targets:
                if state.get(target) == 1:
                    cycle = [*trail[trail.index(target) :], target] if target in trail else [task_id, target]
                    raise PlaybookFormatError(f"playbook {name!r}: tasks lead back to themselves: {' → '.join(cycle)}")
                if target not in state:
                    visit(target, [*trail, target])
        state[task_id] = 2

    visit(start, [start])


class PlaybookLibrary:
    """The playbooks a run can call as sub-playbooks, by id or name, from YAML files in some folders."""

    def __init__(self, folders: Iterable[str | Path]) -> None:
        self.folders = [Path(folder) for folder in folders]
        self._by_key: dict[str, Path] | None = None

    def add_first(self, folder: Path) -> None:
        """Search `folder` before the others (a playbook's own folder holds its sub-playbooks first)."""
        if folder not in self.folders[:1]:
            self.folders.insert(0, folder)
            self._by_key = None

    def find(self, name: str) -> Playbook | None:
        if self._by_key is None:
            self._by_key = {}
            for folder in self.folders:
                for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
                    document = _peek_identity(path)
                    for key in document:
                        self._by_key.setdefault(key, path)
        found = self._by_key.get(name)
        return _cached_playbook(str(found), found.stat().st_mtime_ns) if found else None


def _peek_identity(path: Path) -> list[str]:
    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=_Yaml12Loader)
    except (OSError, yaml.YAMLError):
        return []
    if not isinstance(document, dict) or "tasks" not in document:
        return []
    return [str(document[key]) for key in ("id", "name") if document.get(key)]


@functools.lru_cache(maxsize=64)
def _cached_playbook(path: str, modified_ns: int) -> Playbook:
    return load_playbook(path)


# ------------------------------------------------------------------------------------------------- the results


@dataclass
class WarRoomEntry:
    entry_id: str
    task: str  # "<playbook> [id] name"
    entry: dict[str, Any]
    file: Path | None = None


@dataclass
class TaskRun:
    """One task as it ran (or was skipped): what it ran, how it ended, and what it wrote to the War Room."""

    playbook: str
    task: Task
    depth: int
    kind: str = ""  # command, builtin, script, condition, playbook, nothing
    outcome: str = ""  # completed, a branch label, skipped, error
    error: str | None = None
    entries: list[WarRoomEntry] = field(default_factory=list)
    iterations: int = 0

    @property
    def failed(self) -> bool:
        return self.error is not None

    def line(self) -> str:
        target = self.task.target.rpartition("|||")[2]
        what = f" ({target})" if target and self.kind != "condition" else ""
        outcome = f"ERROR: {self.error}" if self.error else self.outcome
        if self.error and self.task.continue_on_error:
            outcome += " (continueonerror: the playbook goes on)"
        return f"{'  ' * self.depth}{self.task.label}{what}: {outcome}"


@dataclass
class PlaybookResult:
    playbook: Playbook
    inputs: dict[str, Any]
    context: dict[str, Any] = field(default_factory=dict)
    incident: dict[str, Any] = field(default_factory=dict)
    tasks: list[TaskRun] = field(default_factory=list)
    war_room: list[WarRoomEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.errors else 0

    @property
    def files(self) -> list[Path]:
        return [entry.file for entry in self.war_room if entry.file is not None]

    def task(self, task_id: str, playbook: str | None = None) -> TaskRun:
        """The (first) run of a task of the top-level playbook, or of the named sub-playbook."""
        name = playbook or self.playbook.name
        for run in self.tasks:
            if run.task.id == task_id and run.playbook == name:
                return run
        raise KeyError(f"task {task_id} of {name} did not run")

    def ran(self, playbook: str | None = None) -> list[str]:
        """The ids of the tasks of a playbook (the top-level one by default) that ran, in order."""
        name = playbook or self.playbook.name
        return [run.task.id for run in self.tasks if run.playbook == name]

    def render(self, *, show_context: bool = False, show_war_room: bool = False) -> str:
        lines = [f"Playbook {self.playbook.name}"]
        for run in self.tasks:
            lines.append(run.line())
            if show_war_room:
                lines.extend(indent(text, run.depth + 2) for text in war_room_texts(run))
        lines.append(self.summary())
        if show_context:
            lines.append("Context:\n" + as_json(self.context))
        return "\n".join(lines)

    def summary(self) -> str:
        if self.errors:
            return "Playbook failed: " + "; ".join(self.errors)
        return f"Playbook completed: {len(self.tasks)} tasks run"


def war_room_texts(run: TaskRun) -> list[str]:
    """What the War Room shows for a task's entries, one text per entry."""
    texts = []
    for item in run.entries:
        text = render_entry(item.entry, {str(item.entry.get("FileID")): item.file} if item.file else None)
        if text:
            texts.append(text)
    return texts


def indent(text: str, depth: int) -> str:
    return "\n".join("  " * depth + line for line in text.splitlines())


@dataclass(frozen=True)
class PlaybookEvent:
    """A line of progress: a task that ended (or a sub-playbook that starts), or a polling/loop notice."""

    text: str
    depth: int
    task: TaskRun | None = None
    is_error: bool = False


# -------------------------------------------------------------------------------------------------- the runner


@dataclass
class _Scope:
    """Where the tasks of one playbook read from: its context, its inputs and the incident."""

    playbook: Playbook
    context: Context
    inputs: dict[str, Any]
    depth: int


class PlaybookRunner:
    def __init__(
        self,
        params: Mapping[str, Any] | None = None,
        *,
        integration: str | Path = DEFAULT_INTEGRATION,
        pack: str | Path = DEFAULT_PACK,
        playbook_folders: Iterable[str | Path] = (),
        incident: Mapping[str, Any] | None = None,
        instance_name: str = DEFAULT_INSTANCE,
        state_dir: str | Path | None = None,
        files_dir: str | Path = DEFAULT_FILES_DIR,
        poll_speed: float = 1.0,
        sleep: Callable[[float], object] = time.sleep,
        on_event: Callable[[PlaybookEvent], None] | None = None,
        verbose: bool = False,
    ) -> None:
        if poll_speed < 0:
            raise UsageError(f"poll speed must be 0 or more, got {poll_speed}")
        self.integration = integration
        self.spec = load_integration(integration)
        self.params = dict(params or {})
        self.content: PackContent = load_pack_content(str(pack))
        pack_dir = Path(pack)
        self.library = PlaybookLibrary([*playbook_folders, pack_dir / "Playbooks", pack_dir / "TestPlaybooks"])
        self.incident: dict[str, Any] = dict(incident or {})
        self.instance_name = instance_name
        self.state_dir = state_dir
        self.files_dir = Path(files_dir)
        self.poll_speed = poll_speed
        self.sleep = sleep
        self.on_event = on_event
        self.verbose = verbose
        self._entry_count = 0
        self._result: PlaybookResult | None = None

    # ---- entry point

    def run(self, playbook: Playbook | str | Path, inputs: Mapping[str, Any] | None = None) -> PlaybookResult:
        """Run a playbook; `inputs` (by key) override the defaults. A required input left empty is a UsageError."""
        if not isinstance(playbook, Playbook):
            playbook = load_playbook(playbook)
        if playbook.path is not None:
            self.library.add_first(playbook.path.parent)
        unknown = sorted(set(inputs or {}) - set(playbook.input_keys()))
        if unknown:
            raise UsageError(
                f"playbook {playbook.name!r} has no input {', '.join(unknown)} "
                f"(its inputs: {', '.join(playbook.input_keys()) or 'none'})"
            )
        context = Context()
        scope = _Scope(playbook, context, {}, 0)
        try:
            scope.inputs = self._inputs(playbook, dict(inputs or {}), self._lookup(scope))
        except TaskFailure as error:
            raise UsageError(str(error))
        result = self._result = PlaybookResult(playbook=playbook, inputs=scope.inputs, incident=self.incident)
        self._emit(PlaybookEvent(f"Playbook {playbook.name}", 0))
        try:
            self._run_tasks(scope)
        except PlaybookStopped as stop:
            result.errors.append(str(stop))
        result.context = context.data
        self._emit(PlaybookEvent(result.summary(), 0, is_error=bool(result.errors)))
        return result

    # ---- playbooks and inputs

    def _inputs(self, playbook: Playbook, given: Mapping[str, Any], lookup: Callable[[str], Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for item in playbook.inputs:
            if item.query:
                raise UnsupportedTask(f"playbook {playbook.name!r}: input {item.key} is an indicator query (unsupported)")
            value = given.get(item.key)
            if is_empty(value):
                try:
                    value = resolve(item.value, lookup)
                except (ValueError, ContextError) as error:
                    failure = UnsupportedTask if isinstance(error, Unsupported) else TaskFailure
                    raise failure(f"playbook {playbook.name!r}: the default of input {item.key}: {error}")
            if item.required and is_empty(value):
                raise TaskFailure(f"playbook {playbook.name!r}: the required input {item.key} has no value")
            values[item.key] = value
        return values

    def _lookup(self, scope: _Scope) -> Callable[[str], Any]:
        def lookup(path: str) -> Any:
            parts = path_parts(path)
            head, rest = parts[0], ".".join(parts[1:])
            if head == "incident":
                view = incident_view(self.incident, self.content.custom_fields)
                return get_path(view, rest) if rest else view
            if head == "inputs":
                return get_path(scope.inputs, rest) if rest else scope.inputs
            return scope.context.get(path)

        return lookup

    def _run_tasks(self, scope: _Scope) -> None:
        """Run the tasks of one playbook from its start task, following the branches taken."""
        tasks = scope.playbook.tasks
        reachable = _reachable(scope.playbook)
        incoming: dict[str, list[tuple[str, str]]] = {task_id: [] for task_id in tasks}
        for source in reachable:
            for label, targets in tasks[source].next_tasks.items():
                for target in targets:
                    incoming[target].append((source, label))
        taken: dict[tuple[str, str, str], bool] = {}
        queue: deque[str] = deque([scope.playbook.start])
        settled: set[str] = {scope.playbook.start}

        def follow(source: str, chosen: set[str]) -> None:
            candidates: list[str] = []
            for label, targets in tasks[source].next_tasks.items():
                for target in targets:
                    taken[(source, label, target)] = label in chosen
                    candidates.append(target)
            for target in dict.fromkeys(candidates):
                if target in settled:
                    continue
                states = [taken.get((parent, label, target)) for parent, label in incoming[target]]
                if None in states:
                    continue  # another parent has still to run or to be left out
                settled.add(target)
                if any(states):
                    queue.append(target)
                else:
                    follow(target, set())  # left out: so are the branches below it that have no other way in

        while queue:
            task = tasks[queue.popleft()]
            follow(task.id, self._run_task(task, scope))

    # ---- one task

    def _run_task(self, task: Task, scope: _Scope) -> set[str]:
        run = TaskRun(playbook=scope.playbook.name, task=task, depth=scope.depth)
        assert self._result is not None
        self._result.tasks.append(run)
        try:
            branch = self._execute(task, scope, run)
        except TaskUnavailable as error:
            if not task.skip_unavailable:
                return self._failed(run, scope, str(error))
            run.outcome = f"skipped ({error}; skipunavailable)"
            branch = NONE_BRANCH
        except (TaskFailure, ValueError, ContextError) as error:
            return self._failed(run, scope, str(error), stop=isinstance(error, Unsupported))
        except PlaybookStopped:
            run.error, run.outcome = "a task of the sub-playbook failed", "error"
            self._emit(PlaybookEvent(run.line(), scope.depth, run, is_error=True))
            raise
        self._emit(PlaybookEvent(run.line(), scope.depth, run))
        return {branch}

    def _failed(self, run: TaskRun, scope: _Scope, message: str, *, stop: bool = False) -> set[str]:
        """A failed task: the run stops unless the task has `continueonerror`; `stop` for what the runner cannot
        execute, which stops the run even then."""
        run.error = message
        run.outcome = "error"
        self._emit(PlaybookEvent(run.line(), scope.depth, run, is_error=True))
        where = f"playbook {scope.playbook.name!r}, task {run.task.label}"
        if stop or not run.task.continue_on_error:
            raise PlaybookStopped(f"{where}: {message}")
        return {ERROR_BRANCH} if run.task.error_path else {NONE_BRANCH}

    def _execute(self, task: Task, scope: _Scope, run: TaskRun) -> str:
        _refuse_unsupported(task)
        if task.type in NOTHING_TO_DO:
            run.kind, run.outcome = "nothing", "done"
            return NONE_BRANCH
        if task.type == "condition":
            run.kind = "condition"
            label = self._condition(task, scope, run)
            run.outcome = "else" if label == ELSE_BRANCH else label
            return label
        if task.type == "playbook":
            run.kind = "playbook"
            self._sub_playbook(task, scope, run)
            return NONE_BRANCH
        if task.type == "regular":
            if not task.target:
                raise UnsupportedTask(
                    "a manual task (no command or script): it waits for an analyst, which this runner cannot do"
                )
            self._action(task, scope, run)
            run.outcome = "completed"
            return NONE_BRANCH
        raise UnsupportedTask(f"unsupported task type {task.type!r}")

    def _condition(self, task: Task, scope: _Scope, run: TaskRun) -> str:
        if task.conditions:
            lookup = self._lookup(scope)
            label = next(
                (str(item.get("label")) for item in task.conditions if holds(item.get("condition") or [], lookup)),
                ELSE_BRANCH,
            )
        elif task.target:
            entries = self._action(task, scope, run)
            answer = to_text(entries[-1].get("Contents")) if entries else ""
            matches = [label for label in task.next_tasks if label.lower() == answer.strip().lower()]
            label = matches[0] if matches else ELSE_BRANCH
        else:
            raise UnsupportedTask("a manual condition (no conditions and no script): it waits for an analyst to choose a branch")
        if not task.next_tasks.get(label):
            shown = "else" if label == ELSE_BRANCH else label
            raise TaskFailure(f"the condition's outcome is {shown!r}, and the task has no branch for it")
        return label

    # ---- commands and scripts

    def _action(self, task: Task, scope: _Scope, run: TaskRun) -> list[dict[str, Any]]:
        """Run the task's integration command, server command or script; its entries (errors raise TaskFailure)."""
        brand, separator, name = task.target.rpartition("|||")
        unresolved: list[str] = []
        args = self._arguments(task.arguments, scope, unresolved)
        if not separator and name in builtins.SCRIPTS:
            run.kind = "script"
            return self._builtin(builtins.SCRIPTS[name], args, scope, run)
        if separator and (brand == builtins.BUILTIN_BRAND or (not brand and name not in self.spec.valid_commands)):
            if name not in builtins.COMMANDS:
                raise TaskUnavailable(f"no server command {name!r}")
            run.kind = "builtin"
            return self._builtin(builtins.COMMANDS[name], args, scope, run)
        if separator and brand in ("", self.spec.brand) and name in self.spec.valid_commands:
            run.kind = "command"
            return self._command(name, args, scope, run, unresolved)
        if separator:
            if brand not in ("", self.spec.brand):
                raise TaskUnavailable(f"no integration with brand {brand!r} (the runner has {self.spec.brand!r})")
            raise TaskUnavailable(f"{self.spec.brand} has no command {name!r}")
        raise TaskUnavailable(f"no script {name!r} (the runner has {', '.join(sorted(builtins.SCRIPTS))})")

    def _arguments(self, specs: Mapping[str, Any], scope: _Scope, unresolved: list[str]) -> dict[str, Any]:
        lookup = self._lookup(scope)

        def tracked(path: str) -> Any:
            value = lookup(path)
            if value is None:
                unresolved.append(path)
            return value

        args: dict[str, Any] = {}
        for name, spec in specs.items():
            value = resolve(spec, tracked)
            if not is_empty(value):
                args[str(name)] = value
        return args

    def _command(
        self, command: str, args: dict[str, Any], scope: _Scope, run: TaskRun, unresolved: list[str]
    ) -> list[dict[str, Any]]:
        command_spec = self.spec.commands.get(command)
        if command_spec is not None:
            missing = [name for name in command_spec.required if name not in args and name not in command_spec.argument_defaults]
            if missing:
                detail = f"; these references resolved to nothing: {', '.join('${' + path + '}' for path in unresolved)}"
                raise TaskFailure(
                    f"{command}: missing required argument{'s' if len(missing) > 1 else ''} {', '.join(missing)}"
                    + (detail if unresolved else "")
                )

        def notice(item: TranscriptItem) -> None:
            if isinstance(item, Notice):
                self._emit(PlaybookEvent("  " * (scope.depth + 1) + item.text, scope.depth + 1, is_error=item.is_error))

        result = run_command(
            command,
            args,
            self.params,
            integration=self.integration,
            instance_name=self.instance_name,
            state_dir=self.state_dir,
            files_dir=self.files_dir,
            poll_speed=self.poll_speed,
            sleep=self.sleep,
            on_event=notice,
            verbose=self.verbose,
        )
        entries: list[dict[str, Any]] = []
        for execution in result.executions:
            hide = str(execution.args.get("hide_polling_output")).lower() == "true"
            for entry in execution.entries:
                saved = execution.saved_files.get(str(entry.get("FileID"))) if entry.get("FileID") else None
                hidden = hide and bool(entry.get("PollingCommand"))
                self._record(entry, scope, run, saved, in_war_room=not hidden)
                entries.append(entry)
        if result.errors:
            raise TaskFailure("; ".join(result.errors))
        return entries

    def _builtin(self, builtin: builtins.Builtin, args: dict[str, Any], scope: _Scope, run: TaskRun) -> list[dict[str, Any]]:
        call = builtins.BuiltinCall(args, scope.context, self.incident, self.content.custom_fields)
        try:
            entries = builtin(call)
        except builtins.BuiltinError as error:
            raise TaskFailure(str(error))
        for entry in entries:
            self._record(entry, scope, run, None, in_war_room=True)
        errors = [to_text(entry.get("Contents")) for entry in entries if entry.get("Type") == ENTRY_TYPE_ERROR]
        if errors:
            raise TaskFailure("; ".join(errors))
        return entries

    def _record(self, entry: dict[str, Any], scope: _Scope, run: TaskRun, file: Path | None, *, in_war_room: bool) -> None:
        """An entry the task produced: its context merges in, and the War Room shows it unless the task is quiet."""
        self._entry_count += 1
        entry_id = f"{self._entry_count}@{INVESTIGATION_ID}"
        if entry.get("Type") != ENTRY_TYPE_ERROR:
            scope.context.merge(entry.get("EntryContext"))
        if file is not None:
            scope.context.merge({FILE_CONTEXT_KEY: file_context(file, entry_id)})
        quiet = run.task.quiet_mode == QUIET_ON or (run.task.quiet_mode == QUIET_INHERIT and scope.playbook.quiet)
        if in_war_room and (not quiet or entry.get("Type") == ENTRY_TYPE_ERROR):
            item = WarRoomEntry(entry_id, f"{scope.playbook.name} {run.task.label}", entry, file)
            run.entries.append(item)
            assert self._result is not None
            self._result.war_room.append(item)

    # ---- sub-playbooks

    def _sub_playbook(self, task: Task, scope: _Scope, run: TaskRun) -> None:
        playbook = self.library.find(task.target)
        if playbook is None:
            raise TaskUnavailable(f"no playbook {task.target!r}")
        undeclared = sorted(set(task.arguments) - set(playbook.input_keys()))
        if undeclared:
            raise TaskFailure(f"playbook {playbook.name!r} has no input {', '.join(undeclared)}")
        parent_lookup = self._lookup(scope)
        loop = task.loop or {}
        maximum = int(loop.get("max") or DEFAULT_LOOP_MAX) if task.loop else 1
        wait = float(loop.get("wait") or 0)
        exit_condition = loop.get("builtincondition") or None
        self._emit(PlaybookEvent(f"{'  ' * scope.depth}{task.label}: playbook {playbook.name}", scope.depth))
        inner = "  " * (scope.depth + 1)
        while True:
            run.iterations += 1
            if task.loop:
                self._emit(PlaybookEvent(f"{inner}[loop {run.iterations}]", scope.depth + 1))
            given = {name: resolve(spec, parent_lookup) for name, spec in task.arguments.items()}
            child = _Scope(playbook, Context() if task.separate_context else scope.context, {}, scope.depth + 1)
            child.inputs = self._inputs(playbook, given, parent_lookup)
            self._run_tasks(child)
            if task.separate_context:
                _copy_outputs(playbook, child.context, scope.context)
            if not task.loop:
                run.outcome = "completed"
                return
            if exit_condition and holds(exit_condition, parent_lookup):
                run.outcome = f"completed (exit condition met after {_times(run.iterations)})"
                return
            if run.iterations >= maximum:
                unmet = ", exit condition not met" if exit_condition else ""
                run.outcome = f"completed ({_times(run.iterations)}, the maximum{unmet})"
                return
            self._emit(PlaybookEvent(f"{inner}exit condition not met: next iteration in {wait:g}s", scope.depth + 1))
            if wait * self.poll_speed > 0:
                self.sleep(wait * self.poll_speed)

    def _emit(self, event: PlaybookEvent) -> None:
        if self.on_event is not None:
            self.on_event(event)


def _times(count: int) -> str:
    return f"{count} iteration{'s' if count != 1 else ''}"


def _reachable(playbook: Playbook) -> set[str]:
    seen = {playbook.start}
    stack = [playbook.start]
    while stack:
        for targets in playbook.tasks[stack.pop()].next_tasks.values():
            for target in targets:
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
    return seen


def _copy_outputs(playbook: Playbook, child: Context, parent: Context) -> None:
    """A sub-playbook with its own context hands back what its outputs declare, each value replacing the parent's.

    An output path that runs through a list in the child (`SentinelOne.Agent.ID` when there are several agents) is
    copied from that list on (`SentinelOne.Agent`); so is a path that runs through a list in the parent."""
    copied: list[list[str]] = []
    for path in sorted(playbook.outputs, key=lambda item: len(path_parts(item))):
        parts = _copied_part(path_parts(path), child.data)
        if not parts or any(parts[: len(done)] == done for done in copied):
            continue
        node: Any = parent.data
        for depth, part in enumerate(parts[:-1]):
            node = node.get(part) if isinstance(node, dict) else None
            if node is not None and not isinstance(node, dict):
                parts = parts[: depth + 1]
                break
        parent.set(".".join(parts), child.get(".".join(parts)))
        copied.append(parts)


def _copied_part(parts: list[str], data: dict[str, Any]) -> list[str]:
    """The part of an output path to copy from the child: up to the first list on it; [] when the child has nothing."""
    node: Any = data
    for depth, part in enumerate(parts):
        if not isinstance(node, dict) or node.get(part) is None:
            return []
        node = node[part]
        if isinstance(node, list):
            return parts[: depth + 1]
    return parts


_UNSUPPORTED_KEYS = {
    "form": "a data collection form",
    "message": "a communication task message",
    "fieldMapping": "field mapping of the task's outputs",
    "timertriggers": "timer triggers",
    "evidencedata": "marking the task's entries as evidence",
}
# `scriptarguments:xsoar_saas`, `form:marketplacev2`, ...: the platform takes the variant of its own marketplace.
_MARKETPLACE_VARIANT = re.compile(r"^(\w+):(\w+)$")
_ERROR_HANDLING = ("", "errorPath")


def _refuse_unsupported(task: Task) -> None:
    raw = task.raw
    for key, what in _UNSUPPORTED_KEYS.items():
        if raw.get(key):
            raise UnsupportedTask(f"unsupported construct: {what} ({key})")
    if (raw.get("timelineRecord") or {}).get("shouldMarkAsRecord"):
        raise UnsupportedTask("unsupported construct: marking the task's entries as a timeline record (timelineRecord)")
    variants = [key for key in raw if _MARKETPLACE_VARIANT.match(str(key))]
    if variants:
        raise UnsupportedTask(f"unsupported construct: a marketplace-specific variant ({', '.join(variants)})")
    if (raw.get("continueonerrortype") or "") not in _ERROR_HANDLING:
        raise UnsupportedTask(
            f"unsupported construct: continueonerrortype {raw['continueonerrortype']!r} (the runner knows errorPath)"
        )
    if task.quiet_mode not in (QUIET_INHERIT, QUIET_ON, QUIET_OFF):
        raise UnsupportedTask(f"unsupported construct: quietmode {task.quiet_mode} (0, 1 or 2)")
    loop = task.loop
    if loop and task.type != "playbook":
        raise UnsupportedTask("unsupported construct: a loop on a task that is not a sub-playbook")
    if loop and (loop.get("forEach") or loop.get("iscommand") or loop.get("scriptId") or loop.get("exitCondition")):
        raise UnsupportedTask("unsupported construct: a for-each loop or a loop exit script (only built-in exit conditions)")
    if task.type == "condition" and task.conditions:
        for item in task.conditions:
            if not isinstance(item, dict) or "label" not in item:
                raise UnsupportedTask("a condition without a label")


def file_context(path: Path, entry_id: str) -> dict[str, Any]:
    """The File object the platform adds to the context for a file entry."""
    data = path.read_bytes()
    context: dict[str, Any] = {
        "Name": path.name,
        "EntryID": entry_id,
        "Size": len(data),
        "MD5": hashlib.md5(data).hexdigest(),
        "SHA1": hashlib.sha1(data).hexdigest(),
        "SHA256": hashlib.sha256(data).hexdigest(),
        "SHA512": hashlib.sha512(data).hexdigest(),
    }
    if path.suffix:
        context["Extension"] = path.suffix[1:]
    return context


def run_playbook(
    playbook: Playbook | str | Path,
    inputs: Mapping[str, Any] | None = None,
    params: Mapping[str, Any] | None = None,
    **options: Any,
) -> PlaybookResult:
    """Run one playbook with a fresh `PlaybookRunner` (options as for the runner: incident, state_dir, files_dir,
    poll_speed, sleep, on_event, playbook_folders, integration, pack, instance_name, verbose)."""
    return PlaybookRunner(params, **options).run(playbook, inputs)
