"""A local stand-in for the XSOAR platform: runs one integration command the way the server does.

The runtime modules the integration imports (demistomock, CommonServerPython, ...) live in `xsoar_local/platform/`;
this package runs integrations on top of them: `python -m xsoar_local ...` from a terminal, or from Python:

    from xsoar_local import run_command, run_mirroring
"""

from xsoar_local.integration import DEFAULT_INTEGRATION, IntegrationError, UsageError
from xsoar_local.runner import MirroredIncident, MirrorResult, Notice, RunResult, run_command, run_mirroring

__all__ = [
    "DEFAULT_INTEGRATION",
    "IntegrationError",
    "MirrorResult",
    "MirroredIncident",
    "Notice",
    "RunResult",
    "UsageError",
    "run_command",
    "run_mirroring",
]
