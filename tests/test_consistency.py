"""YAML, code and README of the integration stay in step.

A command, argument or output that exists in one of them and not in the others fails here.
"""

import dataclasses
import functools
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
INTEGRATION_DIR = ROOT / "Packs" / "SentinelOne" / "Integrations" / "SentinelOne_V2"
sys.path.insert(0, str(INTEGRATION_DIR))

import SentinelOne_V2 as s1  # noqa: E402

YAML_DOC = yaml.safe_load((INTEGRATION_DIR / "SentinelOne_V2.yml").read_text(encoding="utf-8"))
YAML_COMMANDS = {c["name"]: c for c in YAML_DOC["script"]["commands"]}
SOURCE = (INTEGRATION_DIR / "SentinelOne_V2.py").read_text(encoding="utf-8")
README = INTEGRATION_DIR / "README.md"


def reachable_strings(obj: Any, seen: set[int] | None = None) -> set[str]:
    """String constants reachable from a handler: its code, nested lambdas, closures, and the module-level
    functions, specs and tables of the integration that it refers to."""
    seen = set() if seen is None else seen
    if id(obj) in seen:
        return set()
    seen.add(id(obj))
    found: set[str] = set()
    if isinstance(obj, str):
        return {obj}
    if isinstance(obj, dict):
        for key, value in obj.items():
            found |= reachable_strings(key, seen) | reachable_strings(value, seen)
    elif isinstance(obj, list | tuple | set | frozenset):
        for item in obj:
            found |= reachable_strings(item, seen)
    elif isinstance(obj, functools.partial):
        found |= reachable_strings(obj.func, seen) | reachable_strings(obj.args, seen) | reachable_strings(obj.keywords, seen)
    elif dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        for field in dataclasses.fields(obj):
            found |= reachable_strings(getattr(obj, field.name), seen)
    elif isinstance(obj, types.FunctionType) and obj.__module__ == s1.__name__:
        found |= _code_strings(obj.__code__, obj.__globals__, seen)
        for cell in obj.__closure__ or ():
            try:
                found |= reachable_strings(cell.cell_contents, seen)
            except ValueError:  # empty cell
                pass
        for default in obj.__defaults__ or ():
            found |= reachable_strings(default, seen)
        for default in (obj.__kwdefaults__ or {}).values():
            found |= reachable_strings(default, seen)
    elif isinstance(obj, classmethod | staticmethod):
        found |= reachable_strings(obj.__func__, seen)
    elif isinstance(obj, type) and obj.__module__ == s1.__name__:
        found |= reachable_strings(dict(vars(obj)), seen)
    elif getattr(type(obj), "__module__", None) == s1.__name__ and hasattr(obj, "__dict__"):
        found |= reachable_strings(vars(obj), seen)
    return found


def _code_strings(code: types.CodeType, module_globals: dict[str, Any], seen: set[int]) -> set[str]:
    found: set[str] = set()
    for const in code.co_consts:
        if isinstance(const, str):
            found.add(const)
        elif isinstance(const, types.CodeType):
            found |= _code_strings(const, module_globals, seen)
        elif isinstance(const, tuple):
            found |= {c for c in const if isinstance(c, str)}
    for name in code.co_names:
        target = module_globals.get(name)
        if target is not None and not isinstance(target, types.ModuleType):
            found |= reachable_strings(target, seen)
    return found


def test_every_yaml_command_is_dispatched_and_every_dispatched_command_is_in_the_yaml():
    """
    Given the YAML commands and the dispatch map
    When they are compared
    Then they name the same commands.
    """
    assert sorted(set(YAML_COMMANDS) - set(s1.COMMANDS)) == []
    assert sorted(set(s1.COMMANDS) - set(YAML_COMMANDS)) == []


@pytest.mark.parametrize("command", sorted(YAML_COMMANDS))
def test_every_yaml_argument_is_read_by_the_handler(command):
    """
    Given a command's YAML arguments
    When the strings reachable from its handler are collected
    Then each argument name is among them (the handler reads it).
    """
    entry = s1.COMMANDS.get(command)
    if entry is None:
        pytest.fail(f"{command} is not in the dispatch map")
    strings = reachable_strings(entry.handler)
    unread = [a["name"] for a in YAML_COMMANDS[command].get("arguments") or [] if a["name"] not in strings]
    assert unread == [], f"{command}: YAML arguments its handler never reads: {unread}"


def _code_output_prefixes() -> set[str]:
    prefixes = set(re.findall(r"""(?:outputs_prefix|prefix)\s*=\s*["']([A-Za-z][\w.]*)["']""", SOURCE))
    return {p for p in prefixes if p.startswith("SentinelOne")}


def test_every_output_prefix_used_in_code_is_declared_in_the_yaml():
    """
    Given the output prefixes written in the integration code
    When they are compared with the YAML context paths
    Then each prefix is the root of at least one declared output.
    """
    declared = {o["contextPath"] for c in YAML_COMMANDS.values() for o in c.get("outputs") or []}
    undeclared = sorted(p for p in _code_output_prefixes() if not any(path.startswith(p + ".") for path in declared))
    assert undeclared == []


def _readme_sections() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    parts = re.split(r"^### ", text, flags=re.MULTILINE)
    return {part.splitlines()[0].strip(): part for part in parts[1:]}


def test_readme_documents_exactly_the_yaml_commands_arguments_and_outputs():
    """
    Given the generated integration README
    When it is compared with the YAML
    Then it documents every command, argument and output of the YAML and no other command.
    """
    assert README.exists(), "the integration README is missing: run make docs"
    sections = _readme_sections()
    command_sections = {name for name, body in sections.items() if "#### Base Command" in body}
    # demisto-sdk generate-docs leaves deprecated commands out of the README on purpose (they stay callable).
    documented = {name: c for name, c in YAML_COMMANDS.items() if not c.get("deprecated")}
    assert sorted(set(documented) - command_sections) == []
    assert sorted(command_sections - set(documented)) == []
    problems = []
    for name, command in documented.items():
        body = sections[name]
        for argument in command.get("arguments") or []:
            # generate-docs leaves hidden arguments (the state a polling command hands to its next run) out.
            if not argument.get("hidden") and f"| {argument['name']} |" not in body:
                problems.append(f"{name}: argument {argument['name']} not in README")
        for output in command.get("outputs") or []:
            if f"| {output['contextPath']} |" not in body:
                problems.append(f"{name}: output {output['contextPath']} not in README")
    assert problems == []


def test_yaml_parameters_have_sections_and_defaults_match_the_code_fallbacks():
    """
    Given the YAML instance parameters
    When their sections and defaults are checked
    Then every parameter has a section of the declared section order, and the API version default is the code's.
    """
    order = YAML_DOC["sectionorder"]
    assert [p["name"] for p in YAML_DOC["configuration"] if p.get("section") not in order] == []
    api_version = next(p for p in YAML_DOC["configuration"] if p["name"] == "api_version")
    assert api_version["defaultvalue"] == s1.V21


def test_reachable_strings_sees_reads_and_nothing_invented():
    """
    Given the get-agent handler, which reads agent_id only
    When the strings reachable from it are collected
    Then agent_id is among them and an argument it never reads is not.
    """
    strings = reachable_strings(s1.COMMANDS["sentinelone-get-agent"].handler)
    assert "agent_id" in strings
    assert "no_such_argument_anywhere" not in strings


SPEC_COVERAGE = ROOT.parent / "shared" / "tools" / "spec_coverage.py"


@pytest.mark.skipif(not SPEC_COVERAGE.exists(), reason="the specification (../shared) is not beside this checkout")
def test_yaml_covers_the_whole_specification():
    """
    Given the user's specification beside the checkout
    When its coverage tool compares it with the integration YAML
    Then every parameter, command, argument, default, predefined value and output is present as specified.
    """
    import subprocess

    result = subprocess.run(
        [sys.executable, str(SPEC_COVERAGE), str(INTEGRATION_DIR / "SentinelOne_V2.yml")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
