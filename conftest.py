"""Root pytest configuration.

- Puts the local XSOAR runtime (xsoar_local/platform) on sys.path (pyproject's `pythonpath` does too; this keeps
  `pytest <file>` from any folder working).
- Loads the SentinelOne simulator fixtures (s1sim.pytest_plugin).
- For the pack's unit tests, enforces what the real XSOAR test harness enforces: a test fails if it logged anything at
  WARNING or above, or wrote to stdout/stderr (demistomock.error prints to stdout, so error paths must be mocked).
"""

import logging
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parent
for path in (ROOT, ROOT / "xsoar_local" / "platform"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

pytest_plugins = ["s1sim.pytest_plugin"]

PACKS = ROOT / "Packs"


@pytest.fixture(autouse=True)
def platform_harness_rules(request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]):
    """Pack unit tests: no WARNING+ log records and no stdout/stderr output, like the real harness."""
    if PACKS not in Path(str(request.node.fspath)).parents:
        yield
        return
    caplog.set_level(logging.INFO)
    yield
    loud = [f"{r.levelname}: {r.getMessage()}" for r in caplog.get_records("call") if r.levelno >= logging.WARNING]
    captured = capsys.readouterr()
    problems = []
    if loud:
        problems.append("logged at WARNING or above:\n" + "\n".join(loud))
    if captured.out or captured.err:
        problems.append(f"wrote to stdout/stderr:\n{captured.out}{captured.err}")
    if problems:
        pytest.fail("; ".join(problems), pytrace=False)
