"""Exclusions (allow list), restrictions (blocklist) and hash verdicts.

Scope: an item belongs to the tenant (global), an account, a site or a group. Listing with `tenant=true` and no ids
gives the global items; with `siteIds` / `groupIds` / `accountIds` the items of those scopes. `includeParents` adds
the scopes above (account, global), `includeChildren` the scopes below. Without any scope parameter every item is
listed.
"""

from __future__ import annotations

import re
from typing import Any

from s1sim.api.common import VALIDATED_BOOLEAN, accepted
from s1sim.api.routing import V21, Call, Routes, affected, envelope
from s1sim.errors import already_exists, validation_error
from s1sim.filters import AnyOf, BooleanIs, Contains, Equals, Filter, FreeText, ParamSource, Predicate, lower, path, time_filters
from s1sim.listing import ListSpec
from s1sim.seed import make_list_item, scope_fields
from s1sim.store import Record, Store

routes = Routes()

EXCLUSION_TYPES = ("path", "certificate", "browser", "file_type", "white_hash")
EXCLUSION_MODES = (
    "suppress",
    "suppress_dynamic_only",
    "suppress_dfi_only",
    "disable_in_process_monitor",
    "disable_in_process_monitor_deep",
    "disable_all_monitors",
    "disable_all_monitors_deep",
    "suppress_app_control",
)
PATH_EXCLUSION_TYPES = ("file", "folder", "subfolders")
OS_TYPES = ("windows", "windows_legacy", "macos", "linux")
SOURCES = ("user", "cloud", "action_from_threat", "catalog")
SCOPE_PARAMETERS = ("tenant", "siteIds", "groupIds", "accountIds", "includeChildren", "includeParents")
SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
SHA256 = re.compile(r"^[0-9a-fA-F]{64}$")
HASH = re.compile(r"^(?:[0-9a-fA-F]{32}|[0-9a-fA-F]{40}|[0-9a-fA-F]{64}|[0-9a-fA-F]{128})$")


# --- scope -------------------------------------------------------------------------------------------------------
class ScopeFilter:
    """All scope parameters together make one predicate (built when the first of them is seen)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        present = [parameter for parameter in SCOPE_PARAMETERS if parameter in source]
        if name != present[0]:
            return None
        tenant = source.boolean("tenant")
        include_children = bool(source.boolean("includeChildren"))
        include_parents = bool(source.boolean("includeParents"))
        sites, groups, accounts = set(source.listed("siteIds")), set(source.listed("groupIds")), set(source.listed("accountIds"))
        if not (sites or groups or accounts):
            if tenant:
                return (lambda item: True) if include_children else (lambda item: scope_level(item)[0] == "global")
            return None
        store = self.store
        wanted: set[tuple[str, str]] = {("site", site) for site in sites} | {("group", group) for group in groups}
        wanted |= {("account", account) for account in accounts}
        if tenant:
            wanted.add(("global", ""))
        if include_parents:
            for group in groups:
                site_id = store.groups[group]["siteId"] if group in store.groups else ""
                sites_of_groups = {site_id} if site_id else set()
                wanted |= {("site", site) for site in sites_of_groups}
                sites = sites | sites_of_groups
            for site in sites:
                if site in store.sites:
                    wanted.add(("account", store.sites[site]["accountId"]))
            wanted.add(("global", ""))
        if include_children:
            child_sites = {site["id"] for site in store.sites.values() if site["accountId"] in accounts} | sites
            wanted |= {("site", site) for site in child_sites}
            wanted |= {("group", group["id"]) for group in store.groups.values() if group["siteId"] in child_sites}
        return lambda item: scope_level(item) in wanted


def scope_level(item: Record) -> tuple[str, str]:
    scope = item["scope"]
    for level, key in (("group", "groupIds"), ("site", "siteIds"), ("account", "accountIds")):
        if scope.get(key):
            return (level, scope[key][0])
    return ("global", "")


def list_filters(store: Store) -> dict[str, Filter]:
    scope = ScopeFilter(store)
    return {
        "ids": AnyOf(path("id")),
        "type": Equals(path("type"), lower),
        "types": AnyOf(path("type"), lower),
        "osTypes": AnyOf(path("osType"), lower),
        "value": Equals(path("value")),  # case-sensitive, as on the console
        "value__contains": Contains(path("value")),
        "source": AnyOf(path("source"), lower),
        "userIds": AnyOf(path("userId")),
        "user__contains": Contains(path("userName")),
        "description__contains": Contains(path("description")),
        "query": FreeText(lambda item: (*item_hashes(item), item["description"], item["userName"], item["scopeName"])),
        "imported": BooleanIs(path("imported")),
        **dict.fromkeys(SCOPE_PARAMETERS, scope),
        **time_filters("createdAt", path("createdAt")),
        **time_filters("updatedAt", path("updatedAt")),
        "unified": VALIDATED_BOOLEAN,
        **accepted("recommendations"),
    }


LIST_SORTS = {
    "id": path("id"),
    "createdAt": path("createdAt"),
    "updatedAt": path("updatedAt"),
    "value": path("value"),
    "type": path("type"),
    "osType": path("osType"),
    "description": path("description"),
    "scopeName": path("scopeName"),
    "source": path("source"),
    "userName": path("userName"),
}


def exclusions_spec(store: Store) -> ListSpec:
    filters = list_filters(store)
    filters.update(
        {
            "modes": AnyOf(path("mode"), lower),
            "pathExclusionTypes": AnyOf(path("pathExclusionType"), lower),
            "applicationName__contains": Contains(path("applicationName")),
            "inAppInventory": BooleanIs(path("inAppInventory")),
            **accepted("modeType"),
        }
    )
    return ListSpec(filters=filters, sorts=LIST_SORTS)


def item_hashes(item: Record) -> list[str]:
    """The hashes of a blocklist item: its SHA1 `value` and its `sha256Value`, whichever it has."""
    return [value for value in (item.get("value"), item.get("sha256Value")) if value]


def restrictions_spec(store: Store) -> ListSpec:
    filters = list_filters(store)
    # A SHA256 item keeps its hash in `sha256Value`; the console's value filters find it there too.
    filters.update({"value": Equals(item_hashes), "value__contains": Contains(item_hashes)})
    return ListSpec(filters=filters, sorts=LIST_SORTS)


def scope_from_filter(store: Store, source: ParamSource) -> list[Record]:
    """One scope per id in the body filter (`siteIds` / `groupIds` / `accountIds`), or the global scope."""
    unknown = [name for name in source.names() if name not in ("tenant", "siteIds", "groupIds", "accountIds")]
    if unknown:
        raise validation_error(f"{unknown[0]}: Unknown field.")
    tenant = bool(source.boolean("tenant"))
    scopes: list[Record] = []
    for name, collection in (("groupIds", store.groups), ("siteIds", store.sites), ("accountIds", store.accounts)):
        for scope_id in source.listed(name):
            if scope_id not in collection:
                raise validation_error(f"{name}: {scope_id} is not a valid id.")
            if name == "groupIds":
                scopes.append(scope_fields(store, group_ids=[scope_id]))
            elif name == "siteIds":
                scopes.append(scope_fields(store, site_ids=[scope_id]))
            else:
                scopes.append(scope_fields(store, account_ids=[scope_id]))
    if not scopes:
        if not tenant:
            raise validation_error("filter: Give tenant=true or at least one of siteIds, groupIds, accountIds.")
        scopes.append(scope_fields(store, tenant=True))
    return scopes


def text_field(data: Record, name: str, required: bool = False) -> str | None:
    value = data.get(name)
    if value is None or value == "":
        if required:
            raise validation_error(f"{name}: Missing data for required field.")
        return None
    if not isinstance(value, str):
        raise validation_error(f"{name}: Not a valid string.")
    return value


def one_of(data: Record, name: str, values: tuple[str, ...], required: bool = False) -> str | None:
    value = text_field(data, name, required)
    if value is not None and value not in values:
        raise validation_error(f"{name}: Must be one of: {', '.join(values)}.")
    return value


# --- exclusions --------------------------------------------------------------------------------------------------
@routes.route("exclusions")
def list_exclusions(call: Call) -> dict[str, Any]:
    page, pagination = exclusions_spec(call.store).select(call.store.exclusions.values(), call.query)
    return envelope([dict(item) for item in page], pagination)


def create_exclusions(call: Call, data: Record) -> list[Record]:
    item_type = one_of(data, "type", EXCLUSION_TYPES, required=True)
    value = text_field(data, "value", required=True)
    assert item_type is not None and value is not None
    fields: Record = {
        "type": item_type,
        "value": value,
        "osType": one_of(data, "osType", OS_TYPES, required=True),
        "description": text_field(data, "description"),
        "source": one_of(data, "source", SOURCES) or "user",
        "mode": one_of(data, "mode", EXCLUSION_MODES),
        "pathExclusionType": one_of(data, "pathExclusionType", PATH_EXCLUSION_TYPES),
        "applicationName": text_field(data, "applicationName"),
    }
    if item_type == "white_hash" and not SHA1.match(value):
        raise validation_error("value: A white_hash exclusion needs a SHA1 hash.")
    if item_type == "path" and fields["pathExclusionType"] is None:
        fields["pathExclusionType"] = "file"
    scopes = scope_from_filter(call.store, call.body_filter())
    return [make_list_item(call.store, "exclusion", fields, scope, call.store.now()) for scope in scopes]


@routes.route("exclusions", methods=("POST",))
def add_exclusion(call: Call) -> dict[str, Any]:
    return {"data": [dict(item) for item in create_exclusions(call, call.data_object())]}


def delete_items(call: Call, collection: dict[str, Record]) -> dict[str, Any]:
    data = call.data_object()
    ids = ParamSource.from_body(data).listed("ids")
    if not ids:
        raise validation_error("ids: Missing data for required field.")
    item_type = data.get("type")
    doomed = [item_id for item_id in ids if item_id in collection and (not item_type or collection[item_id]["type"] == item_type)]
    return affected(call.store.delete_records(collection, doomed))


@routes.route("exclusions", methods=("DELETE",))
def delete_exclusions(call: Call) -> dict[str, Any]:
    return delete_items(call, call.store.exclusions)


# --- restrictions (blocklist, 2.1) -------------------------------------------------------------------------------
@routes.route("restrictions", versions=V21)
def list_restrictions(call: Call) -> dict[str, Any]:
    page, pagination = restrictions_spec(call.store).select(call.store.restrictions.values(), call.query)
    return envelope([dict(item) for item in page], pagination)


@routes.route("restrictions", methods=("POST",), versions=V21)
def add_restriction(call: Call) -> dict[str, Any]:
    data = call.data_object()
    if data.get("type") != "black_hash":
        # "The type must be black_hash - any other value will create an Exclusion."
        return {"data": [dict(item) for item in create_exclusions(call, data)]}
    # One item holds a SHA1 (`value`), a SHA256 (`sha256Value`) or both.
    value, sha256 = text_field(data, "value"), text_field(data, "sha256Value")
    if value is None and sha256 is None:
        raise validation_error("value: Missing data for required field (or give sha256Value).")
    if value is not None and not SHA1.match(value):
        raise validation_error("value: Must be a SHA1 hash.")
    if sha256 is not None and not SHA256.match(sha256):
        raise validation_error("sha256Value: Must be a SHA256 hash.")
    os_type = one_of(data, "osType", OS_TYPES, required=True)
    fields = {
        "type": "black_hash",
        "value": value,
        "sha256Value": sha256,
        "osType": os_type,
        "description": text_field(data, "description"),
        "source": text_field(data, "source") or "user",
    }
    scopes = scope_from_filter(call.store, call.body_filter())
    for scope in scopes:
        for item in call.store.restrictions.values():
            blocked = {hash_value.lower() for hash_value in item_hashes(item)}
            same_hash = [hash_value for hash_value in (value, sha256) if hash_value and hash_value.lower() in blocked]
            if same_hash and item["osType"] == os_type and item["scope"] == scope["scope"]:
                raise already_exists(f"A blocklist item for {same_hash[0]} ({os_type}) already exists in {scope['scopeName']}.")
    created = [make_list_item(call.store, "restriction", fields, scope, call.store.now()) for scope in scopes]
    return {"data": [dict(item) for item in created]}


@routes.route("restrictions", methods=("DELETE",), versions=V21)
def delete_restrictions(call: Call) -> dict[str, Any]:
    return delete_items(call, call.store.restrictions)


# --- hashes ------------------------------------------------------------------------------------------------------
def hash_verdict(store: Store, value: str) -> str:
    """`malicious` if blocklisted or a malicious threat's file; `non-malicious` if allow-listed or known good."""
    value = value.lower()
    if any(value in (hash_value.lower() for hash_value in item_hashes(item)) for item in store.restrictions.values()):
        return "malicious"
    for threat in store.threats.values():
        info = threat["threatInfo"]
        if value in (info["sha1"], info["sha256"], info["md5"]):
            return "malicious" if info["confidenceLevel"] == "malicious" else "unknown"
    if value in store.known_good_hashes or any(
        item["type"] == "white_hash" and item["value"].lower() == value for item in store.exclusions.values()
    ):
        return "non-malicious"
    return "unknown"


def checked_hash(value: str) -> str:
    if not HASH.match(value):
        raise validation_error("hash: Not a valid MD5, SHA1, SHA256 or SHA512 hash.")
    return value


@routes.route("hashes/<file_hash>/verdict")
def get_hash_verdict(call: Call, file_hash: str) -> dict[str, Any]:
    return {"data": {"verdict": hash_verdict(call.store, checked_hash(file_hash))}}


@routes.route("hashes/<file_hash>/reputation")
def get_hash_reputation(call: Call, file_hash: str) -> dict[str, Any]:
    # Deprecated on the console; the rank is 1-10 (5-10 malicious) and an unknown hash gives an empty object.
    verdict = hash_verdict(call.store, checked_hash(file_hash))
    ranks = {"malicious": "8", "non-malicious": "1"}
    return {"data": {"rank": ranks[verdict]} if verdict in ranks else {}}


@routes.route("hashes/<file_hash>/classification")
def get_hash_classification(call: Call, file_hash: str) -> dict[str, Any]:
    checked_hash(file_hash)
    for threat in call.store.threats.values():
        info = threat["threatInfo"]
        if file_hash.lower() in (info["sha1"], info["sha256"], info["md5"]):
            return {"data": {"classification": info["classification"], "classificationSource": info["classificationSource"]}}
    return {"data": {}}
