"""One execution of one integration command, set up the way the platform sets up a fresh docker run.

The integration talks to the platform only through the `demistomock` module (imported as `demisto`). For the
duration of one execution this module replaces the functions of that module with ones backed by the runner: the
instance parameters, the arguments, a collector for War Room entries and incidents, and the instance state folder.
Everything it changes (module attributes, cached modules, cwd, stdout/stderr, environment) is put back afterwards,
so sequential executions in one process share nothing except the state folder.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import io
import logging
import os
import shutil
import sys
import tempfile
import traceback
import uuid
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import CodeType, ModuleType
from typing import Any, TextIO

from xsoar_local.entry_render import ENTRY_TYPE_ERROR
from xsoar_local.integration import IntegrationSpec
from xsoar_local.state import InstanceState

PLATFORM_DIR = Path(__file__).resolve().parent / "platform"
INVESTIGATION_ID = "1"
# A modern server: CSP then uses the versioned integration context and allows getLastMirrorRun (>= 6.6).
SERVER_VERSION = {"version": "8.9.0", "buildNumber": "123456", "platform": "xsoar"}
# Modules a real run imports fresh in its own container; dropped before and restored after each execution.
PLATFORM_MODULES = ("CommonServerPython", "CommonServerUserPython", "DemistoClassApiModule")

ENTRY_TYPE_NOTE = 1


class IntegrationLog:
    """Where `demisto.debug/info/error` and anything the integration prints go: a log file, or stderr when verbose."""

    def __init__(self, path: Path | None, stream: TextIO | None = None) -> None:
        self.path = path
        # Bound now: during an execution sys.stderr is redirected into the log itself.
        self.stream = stream

    def write(self, level: str, message: str, command: str = "") -> None:
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        line = f"{stamp} {level:<5} [{command}] {message}\n" if command else f"{stamp} {level:<5} {message}\n"
        if self.stream is not None:
            self.stream.write(line)
            self.stream.flush()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line)


@dataclass
class Execution:
    """What one run of the integration file produced."""

    command: str
    args: dict[str, Any]
    entries: list[dict[str, Any]] = field(default_factory=list)
    raw_results: list[Any] = field(default_factory=list)  # each argument given to demisto.results, as given
    incidents: list[dict[str, Any]] = field(default_factory=list)
    saved_files: dict[str, Path] = field(default_factory=dict)  # FileID -> where the file was saved
    failure: str | None = None  # the integration raised or exited non-zero

    @property
    def errors(self) -> list[str]:
        messages = [entry_text(entry) for entry in self.entries if entry.get("Type") == ENTRY_TYPE_ERROR]
        if self.failure:
            messages.append(self.failure)
        return messages


def entry_text(entry: dict[str, Any]) -> str:
    return str(entry.get("Contents"))


def ensure_platform_importable() -> None:
    """Make `import demistomock` work also when PYTHONPATH does not name the platform folder."""
    if str(PLATFORM_DIR) not in sys.path:
        sys.path.append(str(PLATFORM_DIR))


def execute(
    spec: IntegrationSpec,
    command: str,
    args: dict[str, Any],
    params: dict[str, Any],
    *,
    state: InstanceState,
    files_dir: Path,
    instance_name: str,
    log: IntegrationLog,
    polling_retry: bool = False,
) -> Execution:
    """Run the integration file once as `__main__` for `command` and collect what it returned."""
    ensure_platform_importable()
    demistomock = importlib.import_module("demistomock")
    execution = Execution(command=command, args=copy.deepcopy(args))
    caller_cwd = Path.cwd()
    files_dir = files_dir.resolve()

    with tempfile.TemporaryDirectory(prefix="xsoar-local-run-") as work_dir:
        replacements = _platform_functions(
            demistomock,
            execution,
            spec=spec,
            params=params,
            state=state,
            files_dir=files_dir,
            caller_cwd=caller_cwd,
            instance_name=instance_name,
            log=log,
            polling_retry=polling_retry,
        )
        captured = io.StringIO()
        with _isolated_process_state(spec, work_dir), _patched(demistomock, replacements):
            try:
                with contextlib.redirect_stdout(captured), contextlib.redirect_stderr(captured):
                    run_as_main(spec.code_path)
            except SystemExit as exit_request:
                # return_error ends with sys.exit(0); any other status is a failure of the run itself.
                if exit_request.code not in (None, 0):
                    execution.failure = f"the integration exited with status {exit_request.code}"
            except Exception as error:
                execution.failure = str(error) if type(error) is Exception else f"{type(error).__name__}: {error}"
                log.write("ERROR", "".join(traceback.format_exception(error)).rstrip(), command)
            finally:
                if captured.getvalue():
                    log.write("INFO", "output of the integration:\n" + captured.getvalue().rstrip(), command)
        execution.saved_files = _save_files(Path(work_dir), execution.entries, files_dir)
    return execution


def run_as_main(code_path: Path) -> None:
    """Execute the file as the `__main__` module, as `python <file>` (and runpy.run_path) would, but compile it once
    per file version: the integration is thousands of lines, and a polling or mirroring session runs it many times."""
    path = str(code_path)
    stat = code_path.stat()
    code = _compiled(path, stat.st_mtime_ns, stat.st_size)
    module = ModuleType("__main__")
    module.__dict__.update(__file__=path, __cached__=None, __loader__=None, __package__=None, __spec__=None)
    saved_main, saved_argv = sys.modules.get("__main__"), list(sys.argv)
    sys.modules["__main__"] = module
    sys.argv[:1] = [path]
    try:
        exec(code, module.__dict__)
    finally:
        sys.argv[:] = saved_argv
        if saved_main is None:
            sys.modules.pop("__main__", None)
        else:
            sys.modules["__main__"] = saved_main


@functools.lru_cache(maxsize=8)
def _compiled(path: str, modified_ns: int, size: int) -> CodeType:
    # dont_inherit: this module's `from __future__ import annotations` must not change how the integration compiles.
    return compile(Path(path).read_bytes(), path, "exec", dont_inherit=True)


def _platform_functions(
    demistomock: ModuleType,
    execution: Execution,
    *,
    spec: IntegrationSpec,
    params: dict[str, Any],
    state: InstanceState,
    files_dir: Path,
    caller_cwd: Path,
    instance_name: str,
    log: IntegrationLog,
    polling_retry: bool,
) -> dict[str, Any]:
    command = execution.command
    original_incidents = demistomock.incidents

    def results(value: Any) -> None:
        value = _copied(value)
        execution.raw_results.append(value)
        execution.entries.extend(_as_entries(value))

    def incidents(value: Any = None) -> Any:
        if value is None:
            return original_incidents()  # a read of the current incidents, not a fetch result
        execution.incidents.extend(_copied(list(value)))
        return None

    def logger(level: str) -> Callable[..., None]:
        def write(message: Any, *format_args: Any) -> None:
            text = str(message)
            if format_args:
                try:
                    text = text % format_args
                except (TypeError, ValueError):
                    text = " ".join([text, *map(str, format_args)])
            log.write(level, text, command)

        return write

    def get_file_path(entry_id: str) -> dict[str, str]:
        for candidate in (files_dir / str(entry_id), caller_cwd / str(entry_id)):
            if candidate.is_file():
                return {"id": str(entry_id), "path": str(candidate), "name": candidate.name}
        raise ValueError(f"no file for entry ID {entry_id!r} (looked in {files_dir} and {caller_cwd})")

    context: dict[str, Any] = {
        "IntegrationBrand": spec.brand,
        "IntegrationInstance": instance_name,
        "ScriptName": "",
        "ExecutedCommands": [{"moduleBrand": spec.brand, "name": command}],
    }
    if polling_retry:
        context["ParentEntry"] = {"polling": True}

    return {
        "params": lambda: copy.deepcopy(params),
        "args": lambda: copy.deepcopy(execution.args),
        "command": lambda: command,
        "results": results,
        "incidents": incidents,
        "getLastRun": state.get_last_run,
        "setLastRun": state.set_last_run,
        "getIntegrationContext": state.get_integration_context,
        "setIntegrationContext": lambda context: state.set_integration_context(context),
        "getIntegrationContextVersioned": lambda refresh=False: state.get_integration_context_versioned(),
        "setIntegrationContextVersioned": lambda context, version=-1, sync=False: state.set_integration_context(context, version),
        "getLastMirrorRun": state.get_last_mirror_run,
        "setLastMirrorRun": state.set_last_mirror_run,
        "demistoVersion": lambda: dict(SERVER_VERSION),
        "callingContext": {"context": context, "integration": True, "command": command, "args": copy.deepcopy(execution.args)},
        "investigation": lambda: {"id": INVESTIGATION_ID},
        "integrationInstance": lambda: instance_name,
        "uniqueFile": lambda: str(uuid.uuid4()),
        "getFilePath": get_file_path,
        "debug": logger("DEBUG"),
        "info": logger("INFO"),
        "log": logger("INFO"),
        "error": logger("ERROR"),
    }


def _copied(value: Any) -> Any:
    # Entries may share dicts with the integration's own objects (e.g. PollingArgs is the args dict): freeze them.
    try:
        return copy.deepcopy(value)
    except Exception:
        return value


def _as_entries(value: Any) -> list[dict[str, Any]]:
    """What the War Room would show for one `demisto.results` call."""
    if value is None:
        return []
    if isinstance(value, list):
        return [entry for item in value for entry in _as_entries(item)]
    if isinstance(value, dict):
        return [value]
    return [{"Type": ENTRY_TYPE_NOTE, "ContentsFormat": "text", "Contents": str(value)}]


@contextlib.contextmanager
def _patched(module: ModuleType, replacements: dict[str, Any]) -> Iterator[None]:
    missing = object()
    originals = {name: getattr(module, name, missing) for name in replacements}
    for name, value in replacements.items():
        setattr(module, name, value)
    try:
        yield
    finally:
        for name, value in originals.items():
            if value is missing:
                delattr(module, name)
            else:
                setattr(module, name, value)


@contextlib.contextmanager
def _isolated_process_state(spec: IntegrationSpec, work_dir: str) -> Iterator[None]:
    """Fresh platform modules, cwd in the run's own folder, and no leaks of what CSP changes at import time."""
    module_names = (*PLATFORM_MODULES, spec.code_path.stem)
    saved_modules = {name: sys.modules.pop(name) for name in module_names if name in sys.modules}
    saved_environ = dict(os.environ)
    saved_raise_exceptions = logging.raiseExceptions
    saved_cwd = os.getcwd()
    code_dir = str(spec.code_path.parent)
    sys.path.insert(0, code_dir)  # a docker run has the integration's folder as its working directory
    os.chdir(work_dir)
    try:
        with warnings.catch_warnings():  # CSP replaces warnings.showwarning at import
            yield
    finally:
        os.chdir(saved_cwd)
        with contextlib.suppress(ValueError):
            sys.path.remove(code_dir)
        for name in module_names:
            sys.modules.pop(name, None)
        sys.modules.update(saved_modules)
        if dict(os.environ) != saved_environ:
            os.environ.clear()
            os.environ.update(saved_environ)
        logging.raiseExceptions = saved_raise_exceptions


def _save_files(work_dir: Path, entries: list[dict[str, Any]], files_dir: Path) -> dict[str, Path]:
    """Move the files fileResult wrote (`<investigation>_<FileID>`) to files_dir under their real names."""
    saved: dict[str, Path] = {}
    for entry in entries:
        file_id, name = entry.get("FileID"), entry.get("File")
        if not file_id or file_id in saved:
            continue
        written = work_dir / f"{INVESTIGATION_ID}_{file_id}"
        if written.is_file():
            saved[str(file_id)] = _move_without_overwriting(written, files_dir, Path(str(name or file_id)).name or str(file_id))
    for leftover in sorted(work_dir.iterdir()):
        if leftover.is_file():  # written by the integration without an entry: kept, under the name it had
            _move_without_overwriting(leftover, files_dir, leftover.name)
    return saved


def _move_without_overwriting(source: Path, directory: Path, name: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    stem, suffix = Path(name).stem, Path(name).suffix
    counter = 1
    while target.exists():
        target = directory / f"{stem}-{counter}{suffix}"
        counter += 1
    shutil.move(str(source), str(target))
    return target
