"""Incidents for playbooks: what `${incident.*}` reads.

An incident is a flat dict of fields by cli name (custom fields and the platform's own, e.g. `name`, `type`,
`dbotMirrorId`); `${incident.CustomFields.x}` reads the custom fields too. `incident_from_fetch` turns an incident
that fetch-incidents created into one, as the platform does at ingestion: the pack's classifier picks the incident type
from rawJSON and the type's incoming mapper fills the fields.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from xsoar_local.integration import REPO_ROOT, UsageError
from xsoar_local.playbook_context import get_path, is_empty
from xsoar_local.playbook_values import resolve_complex

DEFAULT_PACK = REPO_ROOT / "Packs" / "SentinelOne"
# The fetched incident's own keys that stay fields of the incident (the rest is ingestion plumbing).
INCIDENT_KEYS = ("name", "type", "severity", "occurred", "details", "dbotMirrorId", "dbotMirrorDirection", "dbotMirrorInstance")
# The mapping section that applies to every incident type, besides the type's own.
ALL_TYPES_MAPPING = "dbot_classification_incident_type_all"


@dataclass(frozen=True)
class PackContent:
    """The incident fields, classifier and incoming mapper of a pack."""

    field_names: dict[str, str]  # field name → cli name
    classifier: dict[str, Any] | None
    incoming_mapper: dict[str, Any] | None

    @property
    def custom_fields(self) -> frozenset[str]:
        return frozenset(self.field_names.values())


@functools.lru_cache(maxsize=4)
def load_pack_content(pack_dir: str | Path = DEFAULT_PACK) -> PackContent:
    pack = Path(pack_dir)
    field_names: dict[str, str] = {}
    for path in sorted((pack / "IncidentFields").glob("*.json")):
        item = _read_json(path)
        field_names[str(item["name"])] = str(item["cliName"])
    classifier = mapper = None
    for path in sorted((pack / "Classifiers").glob("*.json")):
        item = _read_json(path)
        if item.get("type") == "classification":
            classifier = item
        elif item.get("type") == "mapping-incoming":
            mapper = item
    return PackContent(field_names=field_names, classifier=classifier, incoming_mapper=mapper)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}")
    if not isinstance(data, dict):
        raise UsageError(f"{path} does not hold a JSON object")
    return data


def incident_from_fetch(fetched: Mapping[str, Any], content: PackContent | None = None) -> dict[str, Any]:
    """Classify and map an incident as fetch-incidents returned it (with `rawJSON`)."""
    content = content or load_pack_content()
    raw_text = fetched.get("rawJSON")
    try:
        raw = json.loads(raw_text) if isinstance(raw_text, str) else dict(raw_text or {})
    except json.JSONDecodeError as error:
        raise UsageError(f"the incident's rawJSON is not JSON: {error}")
    incident = {key: fetched[key] for key in INCIDENT_KEYS if fetched.get(key) not in (None, "")}
    incident_type = classify(raw, content) or incident.get("type")
    if incident_type:
        incident["type"] = incident_type
    mapping = (content.incoming_mapper or {}).get("mapping") or {}
    for section in (ALL_TYPES_MAPPING, incident_type):
        rules = (mapping.get(section) or {}).get("internalMapping") or {}
        for target, rule in rules.items():
            value = _mapped_value(rule, raw)
            if not is_empty(value):
                incident[content.field_names.get(target, target)] = value
    return incident


def classify(raw: Mapping[str, Any], content: PackContent) -> str | None:
    classifier = content.classifier
    if not classifier:
        return None
    key = _mapped_value(classifier.get("transformer") or {}, raw)
    key_map = classifier.get("keyTypeMap") or {}
    found = key_map.get(str(key)) if key is not None else None
    return found or classifier.get("defaultIncidentType") or None


def _mapped_value(rule: Mapping[str, Any], raw: Mapping[str, Any]) -> Any:
    def lookup(path: str) -> Any:
        return get_path(raw, path)

    if rule.get("complex"):
        return resolve_complex(rule["complex"], lookup)
    simple = rule.get("simple")
    return get_path(raw, str(simple)) if simple else None


def incident_from_fields(fields: Mapping[str, Any]) -> dict[str, Any]:
    """An incident given as its fields; a `CustomFields` object is flattened in, as the platform shows it."""
    incident = {key: value for key, value in fields.items() if key != "CustomFields"}
    custom = fields.get("CustomFields")
    if isinstance(custom, Mapping):
        incident.update(custom)
    return incident


def load_incident_file(path: str | Path) -> dict[str, Any]:
    """An incident from a JSON file: an incident fetch-incidents created (with rawJSON), or the incident's fields."""
    data = _read_json(Path(path))
    return incident_from_fetch(data) if "rawJSON" in data else incident_from_fields(data)


def incident_view(incident: Mapping[str, Any], custom_fields: frozenset[str]) -> dict[str, Any]:
    """What `${incident}` reads: the fields, plus `CustomFields` holding the custom ones."""
    return {**incident, "CustomFields": {key: value for key, value in incident.items() if key in custom_fields}}
