"""Threat-intelligence IOCs (2.1): list, create (per account), delete."""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from typing import Any

from s1sim.api.common import VALIDATED_BOOLEAN, public
from s1sim.api.routing import V21, Call, Routes, affected, envelope
from s1sim.clock import format_timestamp, parse_timestamp
from s1sim.errors import validation_error
from s1sim.filters import AnyOf, Contains, Equals, lower, path, same, time_filters
from s1sim.listing import ListSpec
from s1sim.seed import make_ioc
from s1sim.store import Record

routes = Routes()

IOC_TYPES = ("DNS", "IPV4", "IPV6", "MD5", "SHA1", "SHA256", "URL")
IOC_METHODS = ("EQUALS",)
# Default and maximum validity: 14 days for IPs, 90 for URLs and DNS names, 180 for hashes.
VALIDITY_DAYS = {"IPV4": 14, "IPV6": 14, "URL": 90, "DNS": 90, "MD5": 180, "SHA1": 180, "SHA256": 180}
HASH_LENGTHS = {"MD5": 32, "SHA1": 40, "SHA256": 64}

IOCS = ListSpec(
    filters={
        "accountIds": AnyOf(path("scopeId")),
        "uuids": AnyOf(path("uuid"), lower),
        "type": Equals(path("type"), lower),
        "value": Equals(path("value"), same),
        "batchId": Equals(path("batchId")),
        "source": AnyOf(path("source")),
        "externalId": Equals(path("externalId")),
        "name__contains": Contains(path("name")),
        "creator__contains": Contains(path("creator")),
        "description__contains": Contains(path("description")),
        "category__in": AnyOf(path("category"), lower),
        "tenant": VALIDATED_BOOLEAN,
        **time_filters("uploadTime", path("uploadTime")),
        **time_filters("updatedAt", path("updatedAt")),
        **time_filters("creationTime", path("creationTime")),
    },
    sorts={
        "id": path("uuid"),
        "uuid": path("uuid"),
        "uploadTime": path("uploadTime"),
        "creationTime": path("creationTime"),
        "updatedAt": path("updatedAt"),
        "validUntil": path("validUntil"),
        "name": path("name"),
        "type": path("type"),
        "value": path("value"),
    },
    item_id=path("uuid"),
)


@routes.route("threat-intelligence/iocs", versions=V21)
def list_iocs(call: Call) -> dict[str, Any]:
    page, pagination = IOCS.select(call.store.iocs.values(), call.query)
    return envelope([public(ioc) for ioc in page], pagination)


def check_value(ioc_type: str, value: str, index: int) -> None:
    valid = True
    if ioc_type in HASH_LENGTHS:
        valid = bool(re.fullmatch(rf"[0-9a-fA-F]{{{HASH_LENGTHS[ioc_type]}}}", value))
    elif ioc_type in ("IPV4", "IPV6"):
        try:
            address = ipaddress.ip_address(value)
            valid = address.version == (4 if ioc_type == "IPV4" else 6)
        except ValueError:
            valid = False
    elif ioc_type == "URL":
        valid = bool(re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://\S+$", value))
    if not valid:
        raise validation_error(f"data.{index}.value: Not a valid {ioc_type} value.")


def normalised_ioc(call: Call, item: object, index: int) -> Record:
    if not isinstance(item, dict):
        raise validation_error(f"data.{index}: Invalid input type.")
    for name in ("source", "type", "value", "method"):
        if not isinstance(item.get(name), str) or not item[name].strip():
            raise validation_error(f"data.{index}.{name}: Missing data for required field.")
    if item["type"] not in IOC_TYPES:
        raise validation_error(f"data.{index}.type: Must be one of: {', '.join(IOC_TYPES)}.")
    if item["method"] not in IOC_METHODS:
        raise validation_error(f"data.{index}.method: Must be one of: {', '.join(IOC_METHODS)}.")
    check_value(item["type"], item["value"], index)
    now = call.store.now()
    longest = now + timedelta(days=VALIDITY_DAYS[item["type"]])
    valid_until = longest
    if item.get("validUntil"):
        try:
            valid_until = min(parse_timestamp(str(item["validUntil"])), longest)
        except ValueError:
            raise validation_error(f"data.{index}.validUntil: Not a valid datetime.")
    return {**item, "validUntil": format_timestamp(valid_until)}


@routes.route("threat-intelligence/iocs", methods=("POST",), versions=V21)
def create_iocs(call: Call) -> dict[str, Any]:
    store = call.store
    source = call.body_filter()
    account_ids = source.listed("accountIds")
    if not account_ids:
        raise validation_error("filter.accountIds: Missing data for required field.")
    for account_id in account_ids:
        if account_id not in store.accounts:
            raise validation_error(f"filter.accountIds: {account_id} is not a valid id.")
    data = call.body_data()
    if not isinstance(data, list) or not data:
        raise validation_error("data: Must be a non-empty list of IOCs.")
    items = [normalised_ioc(call, item, index) for index, item in enumerate(data)]
    batch = store.ids.hex_string(32)
    created = [
        make_ioc(store, store.rng, store.accounts[account_id], {**item, "batchId": batch}, store.now())
        for account_id in account_ids
        for item in items
    ]
    return {"data": [public(ioc) for ioc in created]}


@routes.route("threat-intelligence/iocs", methods=("DELETE",), versions=V21)
def delete_iocs(call: Call) -> dict[str, Any]:
    source = call.body_filter()
    if not source.listed("accountIds"):
        raise validation_error("filter.accountIds: Missing data for required field.")
    others = [name for name in source.names() if name != "accountIds" and source.has_value(name)]
    if not others:
        raise validation_error("filter: Give accountIds and at least one other field.")
    doomed = IOCS.matching(call.store.iocs.values(), source)
    return affected(call.store.delete_records(call.store.iocs, [ioc["uuid"] for ioc in doomed]))
