"""command_examples has a usable example of every integration command, and nothing else.

Each line is `!<command> name=value ...` as typed in the XSOAR CLI; a value with spaces is quoted with "..." or with
triple backticks (for S1QL queries that contain double quotes).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
INTEGRATION_DIR = ROOT / "Packs" / "SentinelOne" / "Integrations" / "SentinelOne_V2"
COMMANDS: dict[str, dict[str, Any]] = {
    command["name"]: command
    for command in yaml.safe_load((INTEGRATION_DIR / "SentinelOne_V2.yml").read_text(encoding="utf-8"))["script"]["commands"]
}
LINES = [line for line in (INTEGRATION_DIR / "command_examples").read_text(encoding="utf-8").splitlines() if line.strip()]
ARGUMENT = re.compile(r'\s+([A-Za-z_][\w]*)=(```.*?```|"(?:[^"\\]|\\.)*"|\S+)')


def parse_example(line: str) -> tuple[str, dict[str, str]]:
    match = re.match(r"!(\S+)", line)
    assert match, f"not a command line: {line!r}"
    rest, arguments = line[match.end() :], {}
    while rest.strip():
        argument = ARGUMENT.match(rest)
        assert argument, f"cannot parse the arguments {rest!r} of {line!r}"
        name, value = argument.groups()
        assert name not in arguments, f"{name} given twice in {line!r}"
        arguments[name] = value.strip("`") if value.startswith("```") else value.strip('"')
        rest = rest[argument.end() :]
    return match.group(1), arguments


EXAMPLES = [parse_example(line) for line in LINES]


def test_every_yaml_command_has_exactly_one_example_and_no_other_command_is_named():
    counts = Counter(command for command, _ in EXAMPLES)
    assert sorted(counts) == sorted(COMMANDS)
    assert [command for command, count in counts.items() if count != 1] == []


@pytest.mark.parametrize(("command", "arguments"), EXAMPLES, ids=[command for command, _ in EXAMPLES])
def test_example_uses_declared_arguments_required_ones_and_allowed_values(command, arguments):
    declared = {argument["name"]: argument for argument in COMMANDS[command].get("arguments") or []}
    assert sorted(set(arguments) - set(declared)) == []
    required = [name for name, argument in declared.items() if argument.get("required") and "defaultValue" not in argument]
    assert sorted(set(required) - set(arguments)) == []
    for name, value in arguments.items():
        allowed = declared[name].get("predefined")
        if allowed:
            values = value.split(",") if declared[name].get("isArray") else [value]
            assert set(values) <= set(map(str, allowed)), f"{command} {name}={value}: allowed {allowed}"


def test_parser_reads_quoted_and_backtick_values():
    assert parse_example('!cmd a=1 b="two words" c=```x = "y"```') == ("cmd", {"a": "1", "b": "two words", "c": 'x = "y"'})
