"""The command-line options both command lines share (`python -m xsoar_local` and its `playbook` command): which
integration runs, with which instance parameters, and where its state and files go."""

from __future__ import annotations

import argparse

from xsoar_local.integration import DEFAULT_INTEGRATION
from xsoar_local.runner import DEFAULT_FILES_DIR, DEFAULT_INSTANCE, DEFAULT_STATE_ROOT


def add_instance_options(parser: argparse.ArgumentParser, *, waits: str = "polling waits") -> None:
    """--integration, --params-file, --param, --instance, --state-dir, --files-dir, --poll-speed (scaling `waits`)
    and --verbose."""
    parser.add_argument(
        "--integration", default=str(DEFAULT_INTEGRATION), metavar="PATH", help="integration .py (its .yml sits beside it)"
    )
    parser.add_argument(
        "--params-file", metavar="FILE", help="instance parameters as a JSON object (default: $XSOAR_PARAMS_FILE)"
    )
    parser.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="name=value",
        help="instance parameter; dotted names nest (credentials.password=x); repeatable",
    )
    parser.add_argument(
        "--instance", default=DEFAULT_INSTANCE, metavar="NAME", help=f"instance name (default {DEFAULT_INSTANCE})"
    )
    parser.add_argument("--state-dir", metavar="DIR", help=f"state folder (default {DEFAULT_STATE_ROOT}/<instance>)")
    parser.add_argument(
        "--files-dir",
        default=str(DEFAULT_FILES_DIR),
        metavar="DIR",
        help=f"where file entries are saved (default {DEFAULT_FILES_DIR})",
    )
    parser.add_argument(
        "--poll-speed", type=float, default=1.0, metavar="FACTOR", help=f"scale {waits} (0: do not wait; default 1.0)"
    )
    parser.add_argument("--verbose", action="store_true", help="also show the integration's log on stderr")
