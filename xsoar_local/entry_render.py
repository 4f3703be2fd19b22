"""War Room entries as terminal text."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from xsoar_local.markdown_text import markdown_to_text

ENTRY_TYPE_ERROR = 4
ENTRY_TYPE_WARNING = 11
ENTRY_TYPE_EXECUTION_METRICS = 19


def as_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def render_entry(entry: Mapping[str, Any], saved_files: Mapping[str, Path] | None = None, *, show_context: bool = False) -> str:
    """One entry as text; '' when the War Room would show nothing for it."""
    entry_type = entry.get("Type")
    if not any(key in entry for key in ("Type", "Contents", "HumanReadable")):
        body = as_json(dict(entry))  # not an entry but an object given to demisto.results (e.g. a mirrored incident)
    elif entry.get("FileID"):
        body = _file_line(entry, saved_files or {})
    elif entry_type == ENTRY_TYPE_ERROR:
        body = marked("ERROR", _plain_contents(entry))
    elif entry_type == ENTRY_TYPE_WARNING:
        body = marked("WARNING", _body(entry))
    elif entry_type == ENTRY_TYPE_EXECUTION_METRICS:
        body = _metrics_line(entry)
    else:
        body = _body(entry)
        if body and entry.get("Note"):
            body = marked("NOTE", body)
    context = entry.get("EntryContext")
    if show_context and context:
        body = "\n".join(part for part in (body, "Context:\n" + as_json(context)) if part)
    return body


def marked(label: str, body: str) -> str:
    """`LABEL: text`, with the label on its own line when the text has several lines."""
    return f"{label}:\n{body}" if "\n" in body else f"{label}: {body}"


def _body(entry: Mapping[str, Any]) -> str:
    readable = entry.get("HumanReadable")
    if readable not in (None, ""):
        return markdown_to_text(str(readable))
    contents = entry.get("Contents")
    if contents in (None, ""):
        return ""
    if isinstance(contents, str):
        return markdown_to_text(contents) if entry.get("ContentsFormat") == "markdown" else contents.rstrip("\n")
    return as_json(contents)


def _plain_contents(entry: Mapping[str, Any]) -> str:
    contents = entry.get("Contents")
    return contents if isinstance(contents, str) else as_json(contents)


def _file_line(entry: Mapping[str, Any], saved_files: Mapping[str, Path]) -> str:
    name = entry.get("File") or entry.get("FileID")
    path = saved_files.get(str(entry.get("FileID")))
    return f"File: {name} saved to {path}" if path else f"File: {name} (no file was written for it)"


def _metrics_line(entry: Mapping[str, Any]) -> str:
    metrics = entry.get("APIExecutionMetrics") or []
    counts = ", ".join(f"{item.get('Type')}={item.get('APICallsCount')}" for item in metrics if isinstance(item, dict))
    return f"API execution metrics: {counts}" if counts else ""
