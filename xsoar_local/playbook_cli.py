"""`python -m xsoar_local playbook <file.yml>`: run a playbook as the platform does and print each task as it ends.

Exit status: 0 the playbook completed; 1 a task failed (the error names the playbook and the task); 2 usage error
(unreadable playbook, unknown or missing required input, bad options).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from xsoar_local.cli_options import add_instance_options
from xsoar_local.entry_render import as_json
from xsoar_local.incident import incident_from_fields, load_incident_file
from xsoar_local.instance_params import command_line_params, parse_assignment
from xsoar_local.integration import UsageError, load_integration
from xsoar_local.playbook import PlaybookEvent, PlaybookRunner, indent, load_playbook, war_room_texts

USAGE_ERROR = 2

DESCRIPTION = """\
Run a playbook the way the XSOAR platform does: its integration commands through the runner (polling included), its
conditions, sub-playbooks and loops, and the built-in scripts it calls. Each task is printed as it ends.

  python -m xsoar_local playbook [options] <playbook.yml> [--input name=value ...]

Inputs not given take the playbook's defaults (which may read ${incident.*}). The incident comes from --incident (a
JSON file: an incident fetch-incidents created, classified and mapped by the pack, or the incident's fields by cli
name) and --incident-field. Sub-playbooks are found in the playbook's folder, --playbooks-dir folders and the pack's
Playbooks/ and TestPlaybooks/."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m xsoar_local playbook", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("playbook", help="the playbook YAML file")
    parser.add_argument("--input", action="append", default=[], metavar="name=value", help="a playbook input; repeatable")
    parser.add_argument("--incident", metavar="FILE", help="the incident as JSON (fetched incident or fields)")
    parser.add_argument(
        "--incident-field", action="append", default=[], metavar="name=value", help="an incident field by cli name; repeatable"
    )
    parser.add_argument(
        "--playbooks-dir", action="append", default=[], metavar="DIR", help="another folder of sub-playbooks; repeatable"
    )
    add_instance_options(parser, waits="polling and loop waits")
    parser.add_argument("--war-room", action="store_true", help="also print each task's War Room entries")
    parser.add_argument("--context", action="store_true", help="print the final context (JSON)")
    return parser


def main(argv: Sequence[str], stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    err = stderr or sys.stderr
    options = build_parser().parse_args(list(argv))
    try:
        return _run(options, out, err)
    except UsageError as error:
        err.write(f"python -m xsoar_local playbook: error: {error}\n")
        return USAGE_ERROR


def _run(options: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    playbook = load_playbook(options.playbook)
    params = command_line_params(load_integration(options.integration), options.params_file, options.param)
    incident: dict[str, Any] = load_incident_file(options.incident) if options.incident else {}
    incident.update(incident_from_fields(dict(parse_assignment(text) for text in options.incident_field)))

    def on_event(event: PlaybookEvent) -> None:
        _write(out, event.text)
        if event.task is not None and options.war_room:
            for text in war_room_texts(event.task):
                _write(out, indent(text, event.depth + 2))

    runner = PlaybookRunner(
        params,
        integration=options.integration,
        playbook_folders=options.playbooks_dir,
        incident=incident,
        instance_name=options.instance,
        state_dir=options.state_dir,
        files_dir=options.files_dir,
        poll_speed=options.poll_speed,
        on_event=on_event,
        verbose=options.verbose,
    )
    result = runner.run(playbook, dict(parse_assignment(text) for text in options.input))
    if options.context:
        _write(out, "Context:\n" + as_json(result.context))
    for message in result.errors:
        _write(err, f"ERROR: {message}")
    return result.exit_code


def _write(stream: TextIO, text: str) -> None:
    stream.write(text + "\n")
    stream.flush()
