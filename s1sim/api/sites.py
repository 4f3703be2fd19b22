"""Accounts, sites and groups (including site expire/reactivate, group delete and move-agents)."""

from __future__ import annotations

from typing import Any

from s1sim.api.agents import AGENTS
from s1sim.api.common import VALIDATED_BOOLEAN, accepted, existing
from s1sim.api.routing import V21, Call, Routes, envelope, require_nonempty_filter, success
from s1sim.clock import format_timestamp, parse_timestamp
from s1sim.errors import validation_error
from s1sim.filters import (
    AnyOf,
    BooleanIs,
    Contains,
    Custom,
    Equals,
    FreeText,
    NumberCompare,
    ParamSource,
    Predicate,
    lower,
    path,
    time_filters,
)
from s1sim.listing import ListSpec
from s1sim.seed import refresh_counters
from s1sim.store import Record, Store

routes = Routes()


def timestamp_equals(field: str) -> Custom:
    def build(source: ParamSource, name: str) -> Predicate | None:
        moment = source.timestamp(name)
        if moment is None:
            return None
        return lambda item: item.get(field) is not None and parse_timestamp(item[field]) == moment

    return Custom(build)


ACCOUNTS = ListSpec(
    filters={
        "ids": AnyOf(path("id")),
        "accountIds": AnyOf(path("id")),
        "name": Equals(path("name")),
        "query": FreeText(lambda account: (account["name"],)),
        "states": AnyOf(path("state"), lower),
        "accountType": Equals(path("accountType"), lower),
        "isDefault": BooleanIs(path("isDefault")),
        "usageType": Equals(path("usageType")),
        "billingMode": Equals(path("billingMode")),
        "createdAt": timestamp_equals("createdAt"),
        "updatedAt": timestamp_equals("updatedAt"),
        **accepted("features", "expiration", "activeLicenses", "totalLicenses"),
    },
    sorts={
        "id": path("id"),
        "name": path("name"),
        "createdAt": path("createdAt"),
        "updatedAt": path("updatedAt"),
        "state": path("state"),
        "accountType": path("accountType"),
        "activeAgents": path("activeAgents"),
        "numberOfSites": path("numberOfSites"),
    },
)

SITES = ListSpec(
    filters={
        "siteIds": AnyOf(path("id")),
        "accountId": Equals(path("accountId")),
        "accountIds": AnyOf(path("accountId")),
        "name": Equals(path("name")),
        "name__contains": Contains(path("name")),
        "accountName__contains": Contains(path("accountName")),
        "description__contains": Contains(path("description")),
        "description": Equals(path("description")),
        "query": FreeText(lambda site: (site["name"], site["accountName"])),
        "state": Equals(path("state"), lower),
        "states": AnyOf(path("state"), lower),
        "siteType": Equals(path("siteType"), lower),
        "suite": Equals(path("suite"), lower),
        "sku": Equals(path("sku"), lower),
        "isDefault": BooleanIs(path("isDefault")),
        "healthStatus": BooleanIs(path("healthStatus")),
        "externalId": Equals(path("externalId")),
        "registrationToken": Equals(path("registrationToken")),
        "createdAt": timestamp_equals("createdAt"),
        "updatedAt": timestamp_equals("updatedAt"),
        "adminOnly": VALIDATED_BOOLEAN,
        "availableMoveSites": VALIDATED_BOOLEAN,
        **accepted("features", "module", "expiration", "activeLicenses", "totalLicenses"),
    },
    sorts={
        "id": path("id"),
        "name": path("name"),
        "createdAt": path("createdAt"),
        "updatedAt": path("updatedAt"),
        "expiration": path("expiration"),
        "state": path("state"),
        "accountName": path("accountName"),
        "siteType": path("siteType"),
        "activeLicenses": path("activeLicenses"),
        "totalLicenses": path("totalLicenses"),
    },
)


def group_account(store: Store) -> Any:
    return lambda group: store.sites[group["siteId"]]["accountId"]


def groups_spec(store: Store) -> ListSpec:
    return ListSpec(
        filters={
            "groupIds": AnyOf(path("id")),
            "id": Equals(path("id")),
            "siteIds": AnyOf(path("siteId")),
            "accountIds": AnyOf(group_account(store)),
            "type": Equals(path("type"), lower),
            "types": AnyOf(path("type"), lower),
            "isDefault": BooleanIs(path("isDefault")),
            "name": Equals(path("name")),
            "query": FreeText(lambda group: (group["name"], group["description"])),
            "rank": NumberCompare(path("rank"), "eq"),
            "description": Equals(path("description")),
            "registrationToken": Equals(path("registrationToken")),
            **time_filters("updatedAt", path("updatedAt")),
        },
        sorts={
            "id": path("id"),
            "name": path("name"),
            "createdAt": path("createdAt"),
            "updatedAt": path("updatedAt"),
            "rank": path("rank"),
            "type": path("type"),
            "totalAgents": path("totalAgents"),
        },
        max_limit=300,
    )


# --- accounts (2.1) ----------------------------------------------------------------------------------------------
@routes.route("accounts", versions=V21)
def list_accounts(call: Call) -> dict[str, Any]:
    page, pagination = ACCOUNTS.select(call.store.accounts.values(), call.query)
    return envelope([dict(account) for account in page], pagination)


@routes.route("accounts/<account_id>", versions=V21)
def get_account(call: Call, account_id: str) -> dict[str, Any]:
    return {"data": dict(existing(call.store.accounts, account_id, "Account"))}


# --- sites -------------------------------------------------------------------------------------------------------
def find_site(store: Store, site_id: str) -> Record:
    return existing(store.sites, site_id, "Site")


@routes.route("sites")
def list_sites(call: Call) -> dict[str, Any]:
    page, pagination = SITES.select(call.store.sites.values(), call.query)
    every_site = call.store.sites.values()
    all_sites = {
        "activeLicenses": sum(site["activeLicenses"] for site in every_site),
        "totalLicenses": sum(site["totalLicenses"] for site in every_site),
    }
    return {"data": {"allSites": all_sites, "sites": [dict(site) for site in page]}, "pagination": pagination}


@routes.route("sites/<site_id>")
def get_site(call: Call, site_id: str) -> dict[str, Any]:
    return {"data": dict(find_site(call.store, site_id))}


@routes.route("sites/<site_id>/expire-now", methods=("POST",))
def expire_site(call: Call, site_id: str) -> dict[str, Any]:
    site = find_site(call.store, site_id)
    now = call.store.now_text()
    site.update({"state": "expired", "expiration": now, "unlimitedExpiration": False, "updatedAt": now})
    return {"data": dict(site)}


@routes.route("sites/<site_id>/reactivate", methods=("PUT",))
def reactivate_site(call: Call, site_id: str) -> dict[str, Any]:
    site = find_site(call.store, site_id)
    data = call.data_object()
    unlimited = ParamSource.from_body(data).boolean("unlimited")
    expiration = ParamSource.from_body(data).timestamp("expiration")
    if not unlimited and expiration is None:
        raise validation_error("expiration: Required unless unlimited is true.")
    if expiration is not None and expiration <= call.store.now():
        raise validation_error("expiration: Must be in the future.")
    site.update(
        {
            "state": "active",
            "expiration": None if unlimited else format_timestamp(expiration) if expiration else None,
            "unlimitedExpiration": bool(unlimited),
            "updatedAt": call.store.now_text(),
        }
    )
    return success()


# --- groups ------------------------------------------------------------------------------------------------------
def find_group(store: Store, group_id: str) -> Record:
    return existing(store.groups, group_id, "Group")


@routes.route("groups")
def list_groups(call: Call) -> dict[str, Any]:
    page, pagination = groups_spec(call.store).select(call.store.groups.values(), call.query)
    return envelope([dict(group) for group in page], pagination)


@routes.route("groups/<group_id>")
def get_group(call: Call, group_id: str) -> dict[str, Any]:
    return {"data": dict(find_group(call.store, group_id))}


def place_agent(store: Store, agent: Record, group: Record) -> None:
    site = store.sites[group["siteId"]]
    now = store.now_text()
    agent.update(
        {
            "groupId": group["id"],
            "groupName": group["name"],
            "groupUpdatedAt": now,
            "siteId": site["id"],
            "siteName": site["name"],
            "accountId": site["accountId"],
            "accountName": site["accountName"],
            "updatedAt": now,
        }
    )


@routes.route("groups/<group_id>", methods=("DELETE",))
def delete_group(call: Call, group_id: str) -> dict[str, Any]:
    store = call.store
    group = find_group(store, group_id)
    if group["isDefault"]:
        raise validation_error("The default group of a site cannot be deleted.")
    default = store.default_group(group["siteId"])
    for agent in store.agents_in("groupId", group_id):
        place_agent(store, agent, default)
    del store.groups[group_id]
    refresh_counters(store)
    return success()


@routes.route("groups/<group_id>/move-agents", methods=("PUT",))
def move_agents(call: Call, group_id: str) -> dict[str, Any]:
    store = call.store
    group = find_group(store, group_id)
    if group["type"] != "static":
        raise validation_error(f"Agents can only be moved to a static group; {group['name']} is {group['type']}.")
    source = call.body_filter()
    if "agentIds" in source and "ids" not in source:
        # The older V3 integration named the agent ids `agentIds`.
        source = ParamSource.from_body({"ids": source.raw("agentIds")})
    require_nonempty_filter(source)
    agents = AGENTS.matching(store.agents.values(), source)
    for agent in agents:
        place_agent(store, agent, group)
    refresh_counters(store)
    return {"data": {"agentsMoved": len(agents)}}
