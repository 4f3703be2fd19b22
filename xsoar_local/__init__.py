"""A local stand-in for the XSOAR platform: runs integration commands and playbooks the way the server does.

The runtime modules the integration imports (demistomock, CommonServerPython, ...) live in `xsoar_local/platform/`;
this package runs integrations and playbooks on top of them: `python -m xsoar_local ...` from a terminal, or from
Python:

    from xsoar_local import run_command, run_mirroring, run_playbook

docs/playbook-runner.md describes the playbook runner.
"""

from xsoar_local.incident import incident_from_fetch
from xsoar_local.integration import DEFAULT_INTEGRATION, IntegrationError, UsageError
from xsoar_local.playbook import PlaybookResult, PlaybookRunner, load_playbook, run_playbook
from xsoar_local.runner import MirroredIncident, MirrorResult, Notice, RunResult, run_command, run_mirroring

__all__ = [
    "DEFAULT_INTEGRATION",
    "IntegrationError",
    "MirrorResult",
    "MirroredIncident",
    "Notice",
    "PlaybookResult",
    "PlaybookRunner",
    "RunResult",
    "UsageError",
    "incident_from_fetch",
    "load_playbook",
    "run_command",
    "run_mirroring",
    "run_playbook",
]
