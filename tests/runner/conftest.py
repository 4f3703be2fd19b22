"""Shared setup for the runner tests: run a fake integration with its state and files in tmp_path."""

from pathlib import Path
from typing import Any

import pytest

from xsoar_local.runner import RunResult, run_command

FIXTURES = Path(__file__).parent / "fixtures"


def fixture_integration(name: str) -> Path:
    return FIXTURES / f"{name}_integration.py"


@pytest.fixture
def run_fake(tmp_path: Path):
    """`run_fake('basic', 'fake-echo', {...}, {...})`: run_command on a fake integration, no polling waits."""

    def run(
        integration: str, command: str, args: dict[str, Any] | None = None, params: dict[str, Any] | None = None, **options: Any
    ) -> RunResult:
        options.setdefault("state_dir", tmp_path / "state")
        options.setdefault("files_dir", tmp_path / "files")
        options.setdefault("poll_speed", 0)
        return run_command(command, args, params, integration=fixture_integration(integration), **options)

    return run
