"""Unified exclusions (2.1, `unified-exclusions`): list with filters and cursors, create, delete by id and type.

Kept apart from the legacy `exclusions` list, as the console shows them in their own view. An item carries the legacy
scope fields (`scope`, `scopeName`, `scopePath`), so the scope filters are the legacy list's. Create takes the scope
as `{"tenant": true}` or `{"scopeLevel": "account"|"site"|"group", "scopeLevelId": "<id>"}` and answers a list
holding the new item; delete takes `{"data": {"exclusions": [{"id", "type"}]}}` and removes an item only when its
type is the one given.
"""

from __future__ import annotations

from typing import Any

from s1sim.api.common import accepted
from s1sim.api.lists import (
    EXCLUSION_TYPES,
    OS_TYPES,
    PATH_EXCLUSION_TYPES,
    SCOPE_PARAMETERS,
    ScopeFilter,
    item_hashes,
    one_of,
    text_field,
)
from s1sim.api.routing import V21, Call, Routes, affected, envelope
from s1sim.errors import already_exists, validation_error
from s1sim.filters import AnyOf, Contains, FreeText, lower, path, time_filters
from s1sim.listing import ListSpec
from s1sim.seed import make_unified_exclusion, scope_fields
from s1sim.store import Record, Store

routes = Routes()

MODE_TYPES = ("suppression", "interoperability", "performance")
SCOPE_LEVELS = ("account", "site", "group")
HASH_TYPE = "white_hash"


def unified_spec(store: Store) -> ListSpec:
    scope = ScopeFilter(store)
    return ListSpec(
        filters={
            "ids": AnyOf(path("id")),
            "exclusionName__contains": Contains(path("exclusionName")),
            "types": AnyOf(path("type"), lower),
            "osTypes": AnyOf(path("osType"), lower),
            "modeTypes": AnyOf(path("modeType"), lower),
            "value__contains": Contains(item_hashes),
            "query": FreeText(lambda item: (item["exclusionName"], *item_hashes(item), item["description"], item["scopeName"])),
            **dict.fromkeys(SCOPE_PARAMETERS, scope),
            **time_filters("createdAt", path("createdAt")),
            **time_filters("updatedAt", path("updatedAt")),
            **accepted("source"),
        },
        sorts={
            "id": path("id"),
            "createdAt": path("createdAt"),
            "updatedAt": path("updatedAt"),
            "exclusionName": path("exclusionName"),
            "type": path("type"),
            "osType": path("osType"),
        },
    )


@routes.route("unified-exclusions", versions=V21)
def list_unified_exclusions(call: Call) -> dict[str, Any]:
    page, pagination = unified_spec(call.store).select(call.store.unified_exclusions.values(), call.query)
    return envelope([dict(item) for item in page], pagination)


def unified_scope(store: Store, source: Record) -> Record:
    """The scope fields of a create's `filter`: the tenant, or one account, site or group."""
    unknown = [name for name in source if name not in ("tenant", "scopeLevel", "scopeLevelId")]
    if unknown:
        raise validation_error(f"{unknown[0]}: Unknown field.")
    level = one_of(source, "scopeLevel", SCOPE_LEVELS)
    if level is None:
        if source.get("tenant") is not True:
            raise validation_error("filter: Give tenant=true or scopeLevel with scopeLevelId.")
        return scope_fields(store, tenant=True)
    scope_id = text_field(source, "scopeLevelId", required=True)
    collection = {"account": store.accounts, "site": store.sites, "group": store.groups}[level]
    if scope_id not in collection:
        raise validation_error(f"scopeLevelId: {scope_id} is not a valid {level} id.")
    if level == "account":
        return scope_fields(store, account_ids=[scope_id])
    if level == "site":
        return scope_fields(store, site_ids=[scope_id])
    return scope_fields(store, group_ids=[scope_id])


@routes.route("unified-exclusions", methods=("POST",), versions=V21)
def create_unified_exclusion(call: Call) -> dict[str, Any]:
    data = call.data_object()
    raw_filter = call.body.get("filter")
    if not isinstance(raw_filter, dict):
        raise validation_error("filter: Missing data for required field.")
    item_type = one_of(data, "type", EXCLUSION_TYPES, required=True)
    value = text_field(data, "value", required=True)
    assert item_type is not None and value is not None
    path_type = one_of(data, "pathExclusionType", PATH_EXCLUSION_TYPES)
    if path_type is not None and item_type != "path":
        raise validation_error("pathExclusionType: Only valid for path exclusions.")
    fields: Record = {
        "exclusionName": text_field(data, "exclusionName", required=True),
        "type": item_type,
        "value": value,
        "osType": one_of(data, "osType", OS_TYPES, required=True),
        "modeType": one_of(data, "modeType", MODE_TYPES, required=True),
        "pathExclusionType": path_type or ("file" if item_type == "path" else None),
        "reason": text_field(data, "reason"),
        "description": text_field(data, "description"),
        "threatType": text_field(data, "threatType") or "EDR",
    }
    if item_type == HASH_TYPE and len(value) == 64:  # a SHA256 hash exclusion keeps its hash in sha256Value
        fields["value"], fields["sha256Value"] = None, value
    scope = unified_scope(call.store, raw_filter)
    for item in call.store.unified_exclusions.values():
        same_value = value.lower() in (hash_value.lower() for hash_value in item_hashes(item))
        if same_value and (item["type"], item["osType"], item["scope"]) == (item_type, fields["osType"], scope["scope"]):
            raise already_exists(f"An exclusion of {value} ({fields['osType']}) already exists in {scope['scopeName']}.")
    created = make_unified_exclusion(call.store, fields, scope, call.store.now())
    return {"data": [dict(created)]}


@routes.route("unified-exclusions", methods=("DELETE",), versions=V21)
def delete_unified_exclusions(call: Call) -> dict[str, Any]:
    exclusions = call.data_object().get("exclusions")
    if not isinstance(exclusions, list) or not exclusions:
        raise validation_error("exclusions: Missing data for required field.")
    doomed = []
    for pair in exclusions:
        if not isinstance(pair, dict) or not pair.get("id") or not pair.get("type"):
            raise validation_error("exclusions: Each item needs an id and a type.")
        one_of(pair, "type", EXCLUSION_TYPES, required=True)
        item = call.store.unified_exclusions.get(str(pair["id"]))
        if item is not None and item["type"] == pair["type"]:
            doomed.append(str(pair["id"]))
    return affected(call.store.delete_records(call.store.unified_exclusions, dict.fromkeys(doomed)))
