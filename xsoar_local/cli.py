"""`python -m xsoar_local`: run one integration command from a terminal, the way the platform runs it.

Exit status: 0 success; 1 an error entry was returned, the integration raised, or polling timed out; 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from xsoar_local import playbook_cli
from xsoar_local.cli_options import add_instance_options
from xsoar_local.entry_render import as_json
from xsoar_local.execution import Execution
from xsoar_local.instance_params import command_line_params, parse_assignment
from xsoar_local.integration import UsageError, load_integration
from xsoar_local.runner import (
    FETCH_COMMAND,
    Notice,
    TranscriptItem,
    render_last_run,
    render_transcript_item,
    run_command,
    run_mirroring,
)

MIRROR_COMMAND = "mirror"
PLAYBOOK_COMMAND = "playbook"
USAGE_ERROR = 2

DESCRIPTION = """\
Run one integration command the way the XSOAR platform does, and show its War Room entries.

  python -m xsoar_local [options] <command> [name=value ...]
  python -m xsoar_local [options] mirror --last-update ISO [--limit N]
  python -m xsoar_local playbook [options] <playbook.yml> [--input name=value ...]   (see: playbook --help)

Instance parameters come from --params-file (or $XSOAR_PARAMS_FILE) and --param flags; the YAML defaults fill
in the rest. lastRun, the integration context and the last mirror run persist in the state folder."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m xsoar_local", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", help="the integration command, e.g. sentinelone-list-agents, or 'mirror'")
    parser.add_argument("assignments", nargs="*", metavar="name=value", help="command arguments")
    add_instance_options(parser)
    parser.add_argument("--args-json", metavar="JSON", help="command arguments as a JSON object, or @FILE holding one")
    parser.add_argument("--context", action="store_true", help="also print each entry's EntryContext")
    parser.add_argument("--raw", action="store_true", help="print the raw entries as JSON")
    parser.add_argument("--json", action="store_true", help="print the result (incidents and lastRun for fetch) as JSON")
    parser.add_argument(
        "--last-update", metavar="ISO", help="mirror: the lastUpdate time (ISO 8601) given to the mirroring commands"
    )
    parser.add_argument("--limit", type=int, metavar="N", help="mirror: run get-remote-data for at most N modified IDs")
    return parser


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == [PLAYBOOK_COMMAND]:
        return playbook_cli.main(arguments[1:], out, err)
    options = build_parser().parse_intermixed_args(arguments)
    try:
        return _run(options, out, err)
    except UsageError as error:
        err.write(f"python -m xsoar_local: error: {error}\n")
        return USAGE_ERROR


def _run(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if options.raw and options.json:
        raise UsageError("--raw and --json cannot be combined")
    is_mirror = options.command == MIRROR_COMMAND
    if is_mirror and not options.last_update:
        raise UsageError("mirror needs --last-update ISO")
    if not is_mirror and (options.last_update or options.limit is not None):
        raise UsageError("--last-update and --limit belong to the mirror command")
    params = command_line_params(load_integration(options.integration), options.params_file, options.param)
    common: dict[str, Any] = {
        "integration": options.integration,
        "instance_name": options.instance,
        "state_dir": options.state_dir,
        "files_dir": options.files_dir,
        "verbose": options.verbose,
    }

    if is_mirror:
        if options.assignments or options.args_json:
            raise UsageError("mirror takes no command arguments")
        mirror = run_mirroring(options.last_update, params, limit=options.limit, **common)
        _write(out, as_json(mirror.to_json()) if options.json or options.raw else mirror.render(show_context=options.context))
        _report_errors(err, mirror.errors)
        return mirror.exit_code

    args = _arguments(options)
    streaming = not (options.raw or options.json)
    printed_any = False

    def on_event(item: TranscriptItem) -> None:
        nonlocal printed_any
        if streaming:
            text = render_transcript_item(item, show_context=options.context)
            if text:
                _write(out, ("\n" if printed_any else "") + text)
                printed_any = True
        elif isinstance(item, Notice) and not item.is_error:
            _write(err, item.text)  # progress stays visible without spoiling the JSON on stdout
        _report_errors(err, _item_errors(item))

    result = run_command(options.command, args, params, poll_speed=options.poll_speed, on_event=on_event, **common)
    if options.raw:
        _write(out, as_json(result.entries))
    elif options.json:
        document = (
            {"incidents": result.incidents, "lastRun": result.last_run} if options.command == FETCH_COMMAND else result.to_json()
        )
        _write(out, as_json(document))
    elif options.command == FETCH_COMMAND and not result.errors:
        _write(out, "\n" + render_last_run(result.last_run))
    return result.exit_code


def _arguments(options: argparse.Namespace) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if options.args_json:
        text = options.args_json
        if text.startswith("@"):
            try:
                text = Path(text[1:]).read_text(encoding="utf-8")
            except OSError as error:
                raise UsageError(f"cannot read --args-json file {text[1:]}: {error.strerror}")
        try:
            loaded = json.loads(text)
        except json.JSONDecodeError as error:
            raise UsageError(f"--args-json is not valid JSON: {error}")
        if not isinstance(loaded, dict):
            raise UsageError("--args-json must be a JSON object")
        args.update(loaded)
    args.update(parse_assignment(text) for text in options.assignments)
    return args


def _item_errors(item: TranscriptItem) -> list[str]:
    if isinstance(item, Execution):
        return item.errors
    return [item.text] if item.is_error else []


def _report_errors(err: TextIO, messages: list[str]) -> None:
    for message in messages:
        _write(err, f"ERROR: {message}")


def _write(stream: TextIO, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()
