"""Playbooks for the runner tests, written as compact Python and saved as YAML the way the platform exports them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from xsoar_local.playbook import PlaybookResult, PlaybookRunner

FIXTURES = Path(__file__).parent / "fixtures"
FAKE_INTEGRATION = FIXTURES / "playbook_integration.py"


def task(kind: str = "regular", name: str = "", target: str = "", nxt: Any = None, **extra: Any) -> dict[str, Any]:
    """One task: `target` is 'Brand|||command', a script name, or (kind 'playbook') a sub-playbook name; `nxt` is a
    task id, a list of ids (the #none# branch) or a {label: ids} map."""
    body: dict[str, Any] = {"name": name, "type": kind, "iscommand": "|||" in target}
    if kind == "playbook":
        body["playbookName"] = target
    elif target:
        body["script" if "|||" in target else "scriptName"] = target
    raw: dict[str, Any] = {"type": kind, "task": body}
    if nxt is not None:
        if isinstance(nxt, dict):
            raw["nexttasks"] = {
                label: [str(item) for item in (ids if isinstance(ids, list) else [ids])] for label, ids in nxt.items()
            }
        else:
            raw["nexttasks"] = {"#none#": [str(item) for item in (nxt if isinstance(nxt, list) else [nxt])]}
    raw.update(extra)
    return raw


def simple(value: Any) -> dict[str, Any]:
    return {"simple": value}


def ctx(path: str) -> dict[str, Any]:
    return {"value": {"simple": path}, "iscontext": True}


def lit(value: Any) -> dict[str, Any]:
    return {"value": {"simple": value}}


def condition(operator: str, left: dict[str, Any], right: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    item = {"operator": operator, "left": left, **extra}
    if right is not None:
        item["right"] = right
    return item


def playbook(
    name: str,
    tasks: dict[Any, dict[str, Any]],
    *,
    inputs: list[dict[str, Any]] | None = None,
    outputs: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    return {
        "id": name,
        "name": name,
        "version": -1,
        "starttaskid": "0",
        "tasks": {str(key): value for key, value in tasks.items()},
        "inputs": inputs or [],
        "outputs": [{"contextPath": path, "description": path} for path in outputs or []],
        **extra,
    }


def an_input(key: str, default: Any = None, *, required: bool = False) -> dict[str, Any]:
    return {"key": key, "value": default if default is not None else {}, "required": required, "description": key}


def save(folder: Path, document: dict[str, Any]) -> Path:
    path = folder / f"playbook-{document['id'].replace(' ', '_')}.yml"
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return path


def run(
    folder: Path,
    document: dict[str, Any],
    inputs: dict[str, Any] | None = None,
    *,
    subs: list[dict[str, Any]] = (),  # type: ignore[assignment]
    **options: Any,
) -> PlaybookResult:
    """Save the playbook (and its sub-playbooks) in `folder` and run it on the fake integration, without waiting."""
    for sub in subs:
        save(folder, sub)
    path = save(folder, document)
    options.setdefault("integration", FAKE_INTEGRATION)
    options.setdefault("state_dir", folder / "state")
    options.setdefault("files_dir", folder / "files")
    options.setdefault("poll_speed", 0)
    return PlaybookRunner({"url": "https://fake"}, **options).run(path, inputs)
