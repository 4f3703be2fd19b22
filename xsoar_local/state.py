"""Per-instance state the platform keeps between runs: lastRun, integration context, last mirror run."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

LAST_RUN_FILE = "last_run.json"
INTEGRATION_CONTEXT_FILE = "integration_context.json"
LAST_MIRROR_RUN_FILE = "last_mirror_run.json"
LOG_FILE = "integration.log"


class IntegrationContextVersionConflict(ValueError):
    """A versioned set named a version other than the stored one (the server refuses such a write).

    A ValueError, as on the server: CSP's set_to_integration_context_with_retries (and integrations that write with
    the version they read) catch ValueError to read again and retry."""


class InstanceState:
    """JSON files in one folder; every getter returns a fresh copy, every setter writes through at once."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory).resolve()

    @property
    def log_path(self) -> Path:
        return self.directory / LOG_FILE

    def get_last_run(self) -> dict[str, Any]:
        return self._read(LAST_RUN_FILE, {})

    def set_last_run(self, value: Any) -> None:
        self._write(LAST_RUN_FILE, value)

    def get_last_mirror_run(self) -> dict[str, Any]:
        return self._read(LAST_MIRROR_RUN_FILE, {})

    def set_last_mirror_run(self, value: Any) -> None:
        self._write(LAST_MIRROR_RUN_FILE, value)

    def get_integration_context(self) -> dict[str, Any]:
        return self._versioned_context()["context"]

    def get_integration_context_versioned(self) -> dict[str, Any]:
        """The server's shape: `{'context': {...}, 'version': n}`; version 0 before the first write."""
        return self._versioned_context()

    def set_integration_context(self, context: Any, version: int | None = -1) -> None:
        current = self._versioned_context()["version"]
        if version not in (None, -1) and int(version) != current:
            raise IntegrationContextVersionConflict(
                f"integration context version conflict: stored version is {current}, the write named {version}"
            )
        self._write(INTEGRATION_CONTEXT_FILE, {"context": context, "version": current + 1})

    def _versioned_context(self) -> dict[str, Any]:
        stored = self._read(INTEGRATION_CONTEXT_FILE, {})
        context = stored.get("context") if isinstance(stored, dict) else None
        version = stored.get("version") if isinstance(stored, dict) else None
        return {"context": context if context is not None else {}, "version": version if isinstance(version, int) else 0}

    def _read(self, name: str, empty: Any) -> Any:
        path = self.directory / name
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return empty

    def _write(self, name: str, value: Any) -> None:
        text = json.dumps(value, indent=2, sort_keys=True)  # raises TypeError for what the server could not store either
        self.directory.mkdir(parents=True, exist_ok=True)
        # Write then rename, so an interrupted run never leaves a half-written state file behind.
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                file.write(text + "\n")
            os.replace(temporary, self.directory / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
