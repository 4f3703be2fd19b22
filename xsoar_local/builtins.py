"""The scripts and server commands the pack's playbooks call besides the integration, implemented locally.

Each one takes the arguments its real counterpart documents and changes the context or the incident the way it does:

- `Set` (script, CommonScripts): key*, value, append (false), stringify (false), force (false). Puts `value` at `key`;
  with append, merges it in as an entry context would.
- `DeleteContext` (script, CommonScripts): key, all (no), subplaybook (auto), keysToKeep, index. Deletes `key`, item
  `index` of it, or (all=yes) everything but `keysToKeep`; always in the context of the playbook that runs it.
- `Print` (script, CommonScripts): value*. A War Room note.
- `PrintErrorEntry` (script, CommonScripts): message*. An error entry: the task fails.
- `setIncident` (server command, brand `Builtin`): any incident field by cli name. Sets the incident's fields; a name
  that is neither a platform field nor a field of the pack is an error.

Anything else is unknown: the runner reports it as an error of the task that calls it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from xsoar_local.entry_render import ENTRY_TYPE_ERROR
from xsoar_local.playbook_context import Context, ContextError, to_text

ENTRY_TYPE_NOTE = 1
BUILTIN_BRAND = "Builtin"
# Incident fields every incident has, besides the custom fields of the installed packs (setIncident accepts both).
SYSTEM_INCIDENT_FIELDS = frozenset(
    {"name", "details", "severity", "owner", "type", "labels", "phase", "occurred", "closeReason", "closeNotes",
     "dbotMirrorDirection", "dbotMirrorId", "dbotMirrorInstance", "dbotMirrorTags"}
)  # fmt: skip


class BuiltinError(ValueError):
    """Bad arguments for a built-in (the real script would return an error entry)."""


@dataclass
class BuiltinCall:
    """What a built-in sees: its arguments, the context of the playbook running it, and the incident."""

    args: dict[str, Any]
    context: Context
    incident: dict[str, Any]
    custom_fields: frozenset[str] = field(default_factory=frozenset)


Builtin = Callable[[BuiltinCall], list[dict[str, Any]]]


def note(text: str, entry_context: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {
        "Type": ENTRY_TYPE_NOTE,
        "ContentsFormat": "text",
        "Contents": text,
        "HumanReadable": text,
        "EntryContext": dict(entry_context or {}),
    }


def error_entry(text: str) -> dict[str, Any]:
    return {"Type": ENTRY_TYPE_ERROR, "ContentsFormat": "text", "Contents": text, "EntryContext": None}


def _flag(args: Mapping[str, Any], name: str, default: bool) -> bool:
    value = args.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    text = to_text(value).strip().lower()
    if text in ("true", "yes"):
        return True
    if text in ("false", "no"):
        return False
    raise BuiltinError(f"{name}: expected true or false (yes or no), got {value!r}")


def _required(args: Mapping[str, Any], name: str) -> Any:
    value = args.get(name)
    if value is None or value == "":
        raise BuiltinError(f"{name}: this argument is required")
    return value


def set_script(call: BuiltinCall) -> list[dict[str, Any]]:
    key = to_text(_required(call.args, "key"))
    value = call.args.get("value")
    if _flag(call.args, "stringify", False) and not isinstance(value, str) and value is not None:
        value = json.dumps(value, ensure_ascii=False)
    if (value is None or value == "") and not _flag(call.args, "force", False):
        return [note(f"Key {key} not set: the value is empty")]
    try:
        if _flag(call.args, "append", False):
            call.context.merge({key: value})
        else:
            call.context.set(key, value)
    except ContextError as error:
        raise BuiltinError(f"key: {error}")
    return [note(f"Key {key} set")]


def delete_context(call: BuiltinCall) -> list[dict[str, Any]]:
    args = call.args
    if _flag(args, "all", False):
        keep = [item.strip() for item in to_text(args.get("keysToKeep")).split(",") if item.strip()]
        call.context.clear(keep)
        return [note("Context cleared" + (f" (kept {', '.join(keep)})" if keep else ""))]
    key = to_text(_required(args, "key"))
    index = args.get("index")
    if index not in (None, ""):
        current = call.context.get(key)
        items = current if isinstance(current, list) else ([] if current is None else [current])
        try:
            position = int(to_text(index))
        except ValueError:
            raise BuiltinError(f"index: expected a number, got {index!r}")
        if not 0 <= position < len(items):
            return [note(f"Key {key} has no item {position}")]
        del items[position]
        if items:
            call.context.set(key, items)
        else:
            call.context.delete(key)
        return [note(f"Item {position} of key {key} deleted")]
    deleted = call.context.delete(key)
    return [note(f"Key {key} deleted" if deleted else f"Key {key} not found")]


def print_script(call: BuiltinCall) -> list[dict[str, Any]]:
    return [note(to_text(_required(call.args, "value")))]


def print_error_entry(call: BuiltinCall) -> list[dict[str, Any]]:
    return [error_entry(to_text(_required(call.args, "message")))]


def set_incident(call: BuiltinCall) -> list[dict[str, Any]]:
    unknown = sorted(name for name in call.args if name not in SYSTEM_INCIDENT_FIELDS and name not in call.custom_fields)
    if unknown:
        raise BuiltinError(f"no incident field named {', '.join(unknown)} (use the field's cli name)")
    changed = {name: value for name, value in call.args.items() if value is not None}
    call.incident.update(changed)
    return [note("Incident fields set: " + ", ".join(f"{name}={to_text(value)}" for name, value in changed.items()))]


SCRIPTS: dict[str, Builtin] = {
    "Set": set_script,
    "DeleteContext": delete_context,
    "Print": print_script,
    "PrintErrorEntry": print_error_entry,
}
COMMANDS: dict[str, Builtin] = {"setIncident": set_incident}
