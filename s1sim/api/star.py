"""STAR custom detection rules (`cloud-detection/rules`, 2.1): list, create, update, enable, disable, delete."""

from __future__ import annotations

from typing import Any

from s1sim.api.common import VALIDATED_BOOLEAN, existing, public
from s1sim.api.routing import V21, Call, Routes, affected, envelope, require_nonempty_filter
from s1sim.clock import format_timestamp
from s1sim.errors import validation_error
from s1sim.filters import AnyOf, BooleanIs, Contains, Equals, FreeText, ParamSource, lower, path
from s1sim.listing import ListSpec
from s1sim.store import Record, Store

routes = Routes()

SEVERITIES = ("Low", "Medium", "High", "Critical")
QUERY_TYPES = ("events", "processes", "correlation")
EXPIRATION_MODES = ("Permanent", "Temporary")
TREAT_AS_THREAT = ("UNDEFINED", "Suspicious", "Malicious")
STATUSES = ("Draft", "Activating", "Active", "Disabling", "Disabled", "Deleting", "Deleted")
QUERY_LANGUAGES = ("1.0", "2.0")


def scope_ids(rule: Record) -> list[str]:
    return [value for value in (rule["scopeId"], rule["siteId"], rule["accountId"]) if value]


RULES = ListSpec(
    filters={
        "ids": AnyOf(path("id")),
        "status": AnyOf(path("status"), lower),
        "queryType": Equals(path("queryType"), lower),
        "expirationMode": Equals(path("expirationMode"), lower),
        "expired": BooleanIs(path("expired")),
        "reachedLimit": BooleanIs(path("reachedLimit")),
        "activeResponse": BooleanIs(path("activeResponse")),
        "name__contains": Contains(path("name")),
        "creator__contains": Contains(path("creator")),
        "description__contains": Contains(path("description")),
        "s1ql__contains": Contains(path("s1ql")),
        "query": FreeText(lambda rule: (rule["name"], rule["description"], rule["s1ql"])),
        "scopes": AnyOf(path("scope"), lower),
        "siteIds": AnyOf(scope_ids),
        "groupIds": AnyOf(scope_ids),
        "accountIds": AnyOf(scope_ids),
        "disablePagination": VALIDATED_BOOLEAN,
    },
    sorts={
        "id": path("id"),
        "name": path("name"),
        "createdAt": path("createdAt"),
        "updatedAt": path("updatedAt"),
        "severity": path("severity"),
        "status": path("status"),
        "generatedAlerts": path("generatedAlerts"),
        "lastAlertTime": path("lastAlertTime"),
        "expiration": path("expiration"),
    },
)


def refresh_expiry(store: Store) -> None:
    now = store.now_text()
    for rule in store.star_rules.values():
        rule["expired"] = rule["expirationMode"] == "Temporary" and bool(rule["expiration"]) and rule["expiration"] < now


def canonical(data: Record, name: str, values: tuple[str, ...], default: str | None = None) -> str:
    """The value in its canonical spelling; matching is case-insensitive."""
    raw = data.get(name, default)
    if raw is None or raw == "":
        raise validation_error(f"{name}: Missing data for required field.")
    for value in values:
        if str(raw).lower() == value.lower():
            return value
    raise validation_error(f"{name}: Must be one of: {', '.join(values)}.")


def required_text(data: Record, name: str) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise validation_error(f"{name}: Missing data for required field.")
    return value


def rule_fields(call: Call) -> Record:
    """Validated rule fields and scope from a create / update body."""
    store = call.store
    data = call.data_object()
    expiration_mode = canonical(data, "expirationMode", EXPIRATION_MODES, default="Permanent")
    expiration = None
    if expiration_mode == "Temporary":
        moment = ParamSource.from_body(data).timestamp("expiration")
        if moment is None:
            raise validation_error("expiration: Required when expirationMode is Temporary.")
        expiration = format_timestamp(moment)
    network_quarantine = ParamSource.from_body(data).boolean("networkQuarantine")
    fields: Record = {
        "name": required_text(data, "name"),
        "description": data.get("description"),
        "s1ql": required_text(data, "s1ql"),
        "queryType": canonical(data, "queryType", QUERY_TYPES),
        "queryLang": canonical(data, "queryLang", QUERY_LANGUAGES, default="1.0"),
        "severity": canonical(data, "severity", SEVERITIES),
        "status": canonical(data, "status", ("Draft", "Active"), default="Draft"),
        "expirationMode": expiration_mode,
        "expiration": expiration,
        "networkQuarantine": bool(network_quarantine),
        "treatAsThreat": canonical(data, "treatAsThreat", TREAT_AS_THREAT, default="UNDEFINED"),
    }
    source = call.body_filter(required=False)
    unknown = [name for name in source.names() if name not in ("tenant", "siteIds", "groupIds", "accountIds")]
    if unknown:
        raise validation_error(f"{unknown[0]}: Unknown field.")
    for name, collection in (("siteIds", store.sites), ("groupIds", store.groups), ("accountIds", store.accounts)):
        for scope_id in source.listed(name):
            if scope_id not in collection:
                raise validation_error(f"{name}: {scope_id} is not a valid id.")
    fields.update({"scope": "global", "scopeId": None, "siteId": None, "siteName": None, "accountId": None, "accountName": None})
    if source.listed("groupIds"):
        group = store.groups[source.listed("groupIds")[0]]
        site = store.sites[group["siteId"]]
        fields.update({"scope": "group", "scopeId": group["id"], "siteId": site["id"], "siteName": site["name"]})
        fields.update({"accountId": site["accountId"], "accountName": site["accountName"]})
    elif source.listed("siteIds"):
        site = store.sites[source.listed("siteIds")[0]]
        fields.update({"scope": "site", "scopeId": site["id"], "siteId": site["id"], "siteName": site["name"]})
        fields.update({"accountId": site["accountId"], "accountName": site["accountName"]})
    elif source.listed("accountIds"):
        account = store.accounts[source.listed("accountIds")[0]]
        fields.update({"scope": "account", "scopeId": account["id"], "accountId": account["id"], "accountName": account["name"]})
    return fields


@routes.route("cloud-detection/rules", versions=V21)
def list_rules(call: Call) -> dict[str, Any]:
    refresh_expiry(call.store)
    page, pagination = RULES.select(call.store.star_rules.values(), call.query)
    return envelope([public(rule) for rule in page], pagination)


@routes.route("cloud-detection/rules", methods=("POST",), versions=V21)
def create_rule(call: Call) -> dict[str, Any]:
    store = call.store
    fields = rule_fields(call)
    now = store.now_text()
    rule = {
        "activeResponse": False,
        "createdAt": now,
        "creator": store.user.full_name,
        "creatorId": store.user.id,
        "editable": True,
        "expired": False,
        "generatedAlerts": 0,
        "id": store.ids.numeric_id(),
        "lastAlertTime": None,
        "reachedLimit": False,
        "statusReason": None,
        "updatedAt": now,
        "updaterId": store.user.id,
        **fields,
    }
    store.star_rules[rule["id"]] = rule
    refresh_expiry(store)
    return {"data": public(rule)}


@routes.route("cloud-detection/rules/<rule_id>", methods=("PUT",), versions=V21)
def update_rule(call: Call, rule_id: str) -> dict[str, Any]:
    store = call.store
    rule = existing(store.star_rules, rule_id, "Rule")
    fields = rule_fields(call)
    if "status" not in call.data_object():
        fields["status"] = rule["status"]
    rule.update(fields)
    rule.update({"updatedAt": store.now_text(), "updaterId": store.user.id})
    refresh_expiry(store)
    return {"data": public(rule)}


def targeted_rules(call: Call) -> list[Record]:
    source = call.body_filter()
    require_nonempty_filter(source)
    return RULES.matching(call.store.star_rules.values(), source)


def set_status(call: Call, status: str) -> dict[str, Any]:
    rules = targeted_rules(call)
    for rule in rules:
        rule.update({"status": status, "statusReason": None, "updatedAt": call.store.now_text()})
    return affected(len(rules))


@routes.route("cloud-detection/rules/enable", methods=("PUT",), versions=V21)
def enable_rules(call: Call) -> dict[str, Any]:
    return set_status(call, "Active")


@routes.route("cloud-detection/rules/disable", methods=("PUT",), versions=V21)
def disable_rules(call: Call) -> dict[str, Any]:
    return set_status(call, "Disabled")


@routes.route("cloud-detection/rules", methods=("DELETE",), versions=V21)
def delete_rules(call: Call) -> dict[str, Any]:
    rules = targeted_rules(call)
    return affected(call.store.delete_records(call.store.star_rules, [rule["id"] for rule in rules]))
