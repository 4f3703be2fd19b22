"""The playbooks and test playbooks: documented, tested, and naming only what exists.

The public pack shipped a playbook calling commands its integration never had (newer-public-pack.md, defect 22). The
end-to-end tests run every playbook (tests/e2e/test_e2e_playbooks.py); these checks also cover branches a run does not
take: every command and argument a task names exists in the integration YAML, every script is one the runner (and the
platform) has, every sub-playbook exists, and every playbook has its README, image and a test playbook.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from xsoar_local import builtins
from xsoar_local.playbook import load_playbook
from xsoar_local.playbook_context import path_parts, references, split_key

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "Packs" / "SentinelOne"
INTEGRATION = yaml.safe_load((PACK / "Integrations" / "SentinelOne_V2" / "SentinelOne_V2.yml").read_text())
BRAND = INTEGRATION["commonfields"]["id"]
COMMANDS = {command["name"]: command for command in INTEGRATION["script"]["commands"]}
DECLARED_OUTPUTS = {output["contextPath"] for command in COMMANDS.values() for output in command.get("outputs") or []}
# Read by playbooks, written by the integration, but missing from the YAML's outputs: the integration's YAML should
# declare it (the lead adds it at merge; this set then empties, and the last test below says so).
PLAYBOOK_FILES = sorted((PACK / "Playbooks").glob("*.yml"))
TEST_PLAYBOOK_FILES = sorted((PACK / "TestPlaybooks").glob("*.yml"))
PLAYBOOKS = {path: load_playbook(path) for path in PLAYBOOK_FILES}
TEST_PLAYBOOKS = {path: load_playbook(path) for path in TEST_PLAYBOOK_FILES}
ALL = {**PLAYBOOKS, **TEST_PLAYBOOKS}
BY_NAME = {playbook.name: playbook for playbook in ALL.values()}
DOCUMENTS = {path: yaml.safe_load(path.read_text()) for path in [*PLAYBOOK_FILES, *TEST_PLAYBOOK_FILES]}


def test_the_pack_ships_the_playbooks_of_the_issue() -> None:
    assert sorted(playbook.name for playbook in PLAYBOOKS.values()) == [
        "SentinelOne - Endpoint Data Collection",
        "SentinelOne - Fetch File From Endpoint",
        "SentinelOne - Get Agent Network Status",
        "SentinelOne - Get Fetched File Upload",
        "SentinelOne - Get Remote Script Task Status",
        "SentinelOne - Hunt With Power Query",
        "SentinelOne - Isolate or Release Endpoint",
        "SentinelOne - Run Remote Script",
        "SentinelOne - Threat Triage",
    ]


@pytest.mark.parametrize("path", PLAYBOOK_FILES, ids=lambda path: path.stem)
def test_a_playbook_is_documented(path: Path) -> None:
    document = DOCUMENTS[path]
    assert document["id"] == document["name"] == PLAYBOOKS[path].name
    assert path.name == f"playbook-{document['name'].replace(' ', '_')}.yml"
    assert len(document["description"]) > 80
    assert document["inputs"] and all(item["description"] for item in document["inputs"])
    assert document["outputs"] and all(item["description"] for item in document["outputs"])
    assert document["fromversion"] == INTEGRATION["fromversion"]
    assert (path.parent / f"{path.stem}_README.md").is_file()
    assert (PACK / "doc_files" / f"{path.stem.removeprefix('playbook-')}.png").is_file()


@pytest.mark.parametrize("path", PLAYBOOK_FILES, ids=lambda path: path.stem)
def test_a_playbook_names_test_playbooks_that_run_it(path: Path) -> None:
    tests = DOCUMENTS[path]["tests"]
    assert tests
    for name in tests:
        assert name in BY_NAME and BY_NAME[name] in TEST_PLAYBOOKS.values()
        assert PLAYBOOKS[path].name in called_playbooks(BY_NAME[name]), f"{name} does not run {PLAYBOOKS[path].name}"


def called_playbooks(playbook: Any) -> set[str]:
    """The playbooks a playbook runs, directly or through its sub-playbooks."""
    found: set[str] = set()
    pending = [playbook]
    while pending:
        for task in pending.pop().tasks.values():
            if task.type == "playbook" and task.target not in found:
                found.add(task.target)
                pending.append(BY_NAME[task.target])
    return found


def test_every_playbook_is_run_by_a_test_playbook() -> None:
    covered = set().union(*(called_playbooks(playbook) for playbook in TEST_PLAYBOOKS.values()))
    assert sorted(playbook.name for playbook in PLAYBOOKS.values() if playbook.name not in covered) == []


@pytest.mark.parametrize("path", [*PLAYBOOK_FILES, *TEST_PLAYBOOK_FILES], ids=lambda path: path.stem)
def test_every_task_names_an_existing_command_script_or_playbook_with_existing_arguments(path: Path) -> None:
    for task in ALL[path].tasks.values():
        where = f"{path.stem} task {task.id}"
        if task.type == "playbook":
            sub = BY_NAME.get(task.target)
            assert sub is not None, where
            assert set(task.arguments) <= set(sub.input_keys()), where
            continue
        if not task.target:
            continue
        brand, separator, name = task.target.rpartition("|||")
        if not separator:
            assert name in builtins.SCRIPTS, where
        elif brand == builtins.BUILTIN_BRAND:
            assert name in builtins.COMMANDS, where
        else:
            assert brand == BRAND, where  # a playbook of this pack names its integration
            arguments = {argument["name"] for argument in COMMANDS[name].get("arguments") or []}
            assert set(task.arguments) <= arguments, (where, sorted(set(task.arguments) - arguments))


@pytest.mark.parametrize("path", [*PLAYBOOK_FILES, *TEST_PLAYBOOK_FILES], ids=lambda path: path.stem)
def test_every_input_a_playbook_reads_is_declared_and_every_declared_input_is_read(path: Path) -> None:
    text = path.read_text()
    read = set(re.findall(r"inputs\.(\w+)", text))
    assert read == set(ALL[path].input_keys())


def test_no_playbook_calls_the_commands_the_public_pack_misspelt() -> None:
    """Defect 22: the public Remote Script playbook called sentinelone-get-remote-script-status/-results."""
    text = "\n".join(path.read_text() for path in [*PLAYBOOK_FILES, *TEST_PLAYBOOK_FILES])
    for name in ("sentinelone-get-remote-script-status", "sentinelone-get-remote-script-results", "so-agents-query"):
        assert name not in text
    script = BY_NAME["SentinelOne - Run Remote Script"]
    used = {task.target.rpartition("|||")[2] for playbook in (script, BY_NAME["SentinelOne - Get Remote Script Task Status"])
            for task in playbook.tasks.values()}  # fmt: skip
    assert {
        "sentinelone-run-remote-script",
        "sentinelone-get-remote-script-task-status",
        "sentinelone-get-remote-script-task-results",
    } <= used


def test_test_playbooks_start_from_an_empty_context_and_fail_on_a_wrong_output() -> None:
    for path, playbook in TEST_PLAYBOOKS.items():
        first = playbook.tasks[playbook.tasks[playbook.start].next_tasks["#none#"][0]]
        assert (first.target, first.arguments) == ("DeleteContext", {"all": {"simple": "yes"}}), path.stem
        conditions = [task for task in playbook.tasks.values() if task.type == "condition"]
        assert conditions, path.stem
        for task in conditions:
            (failure,) = task.next_tasks["#default#"]
            assert playbook.tasks[failure].target == "PrintErrorEntry", (path.stem, task.id)


def context_paths_read(node: Any) -> set[str]:
    """The context paths a playbook document reads: `${...}` references, complex roots with their accessors, and
    context operands (`iscontext`) of conditions and filters, without their DT selectors and item indexes."""
    found: set[str] = set()
    if isinstance(node, dict):
        if isinstance(node.get("root"), str):
            found.add(f"{node['root']}.{node['accessor']}" if node.get("accessor") else node["root"])
        if node.get("iscontext") and isinstance((node.get("value") or {}).get("simple"), str):
            found.add(node["value"]["simple"])
        for value in node.values():
            found |= context_paths_read(value)
    elif isinstance(node, list):
        for value in node:
            found |= context_paths_read(value)
    elif isinstance(node, str):
        found.update(references(node))
    return {".".join(split_key(part)[0] for part in path_parts(path) if not part.startswith("[")) for path in found}


@pytest.mark.parametrize("path", [*PLAYBOOK_FILES, *TEST_PLAYBOOK_FILES], ids=lambda path: path.stem)
def test_every_integration_output_a_playbook_reads_or_declares_is_in_the_integration_yaml(path: Path) -> None:
    """A playbook reading `SentinelOne.X.Y` that no command declares relies on what the integration never promised
    (and a branch the end-to-end runs do not take would not show it)."""
    document = DOCUMENTS[path]
    declared = {output["contextPath"] for output in document.get("outputs") or []}
    paths = {item for item in context_paths_read(document["tasks"]) | declared if item.startswith("SentinelOne.")}
    known = {output.rsplit(".", depth)[0] for output in DECLARED_OUTPUTS for depth in range(output.count(".") + 1)}
    assert sorted(paths - known) == []
