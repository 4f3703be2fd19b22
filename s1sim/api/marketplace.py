"""Installed Singularity Marketplace applications and service users (2.1).

Both follow the public pack's paging rule: the first page is asked with `limit`, following pages with `cursor`
only; `limit` together with `cursor` is refused.
"""

from __future__ import annotations

from typing import Any

from s1sim.api.routing import V21, Call, Routes, envelope
from s1sim.errors import validation_error
from s1sim.filters import AnyOf, Contains, Equals, ParamSource, path
from s1sim.listing import ListSpec
from s1sim.store import Record, Store

routes = Routes()

CATALOG = (
    ("Okta SSO", "1700000000000000001"),
    ("Splunk Forwarder", "1700000000000000002"),
    ("ServiceNow Ticketing", "1700000000000000003"),
)
ROLES = (("1600000000000000001", "Viewer"), ("1600000000000000002", "IR Team"), ("1600000000000000003", "Admin"))


def refuse_limit_with_cursor(source: ParamSource) -> None:
    if source.text("cursor") and source.text("limit"):
        raise validation_error("limit: Cannot be used together with cursor.")


def scope_ids(item: Record) -> list[str]:
    return [scope["scopeId"] for scope in item["scopes"]] + [scope["accountId"] for scope in item["scopes"]]


APPLICATIONS = ListSpec(
    filters={
        "accountIds": AnyOf(scope_ids),
        "siteIds": AnyOf(scope_ids),
        "applicationCatalogId": Equals(path("applicationCatalogId")),
        "creator__contains": Contains(lambda item: [scope["creator"] for scope in item["scopes"]]),
        "id": AnyOf(path("id")),
        "ids": AnyOf(path("id")),
        "name__contains": Contains(path("name")),
    },
    sorts={"id": path("id"), "name": path("name")},
)

SERVICE_USERS = ListSpec(
    filters={
        "ids": AnyOf(path("id")),
        "accountIds": AnyOf(lambda user: [role["accountId"] for role in user["scopeRoles"]]),
        "siteIds": AnyOf(lambda user: [role.get("siteId") for role in user["scopeRoles"]]),
        "roleIds": AnyOf(lambda user: [role["roleId"] for role in user["scopeRoles"]]),
    },
    sorts={"id": path("id"), "name": path("name"), "createdAt": path("createdAt")},
)


def applications(store: Store) -> list[Record]:
    """Installed apps: one per catalog entry, installed on each account (built from the tenant, not stored)."""
    items = []
    for index, (name, catalog_id) in enumerate(CATALOG):
        scopes = []
        for number, account in enumerate(store.accounts.values()):
            scopes.append(
                {
                    "account": account["name"],
                    "accountId": account["id"],
                    "alertMessage": None,
                    "applicationInstanceName": f"{name} ({account['name']})",
                    "createdAt": account["createdAt"],
                    "creator": store.user.full_name,
                    "creatorId": store.user.id,
                    "desiredStatus": "active",
                    "hasAlert": False,
                    "id": str(int(catalog_id) + 1000 * (number + 1)),
                    "lastEntityCreatedAt": account["updatedAt"],
                    "modifier": store.user.full_name,
                    "modifierId": store.user.id,
                    "scopeId": account["id"],
                    "scopeLevel": "account",
                    "status": "active" if index != 2 else "disabled",
                    "updatedAt": account["updatedAt"],
                }
            )
        items.append({"applicationCatalogId": catalog_id, "id": str(int(catalog_id) + 500), "name": name, "scopes": scopes})
    return items


def service_users(store: Store) -> list[Record]:
    users = []
    for index, account in enumerate(store.accounts.values()):
        role_id, role_name = ROLES[index % len(ROLES)]
        users.append(
            {
                "apiToken": {"createdAt": account["createdAt"], "expiresAt": None},
                "createdAt": account["createdAt"],
                "createdBy": {"id": store.user.id, "name": store.user.full_name},
                "description": f"Automation for {account['name']}",
                "id": str(1500000000000000001 + index),
                "lastActivation": account["updatedAt"],
                "name": f"xsoar-{account['name'].lower().replace(' ', '-')}",
                "scope": "account",
                "scopeRoles": [
                    {
                        "accountId": account["id"],
                        "accountName": account["name"],
                        "id": account["id"],
                        "roleId": role_id,
                        "roleName": role_name,
                    }
                ],
                "updatedAt": account["updatedAt"],
                "updatedBy": {"id": store.user.id, "name": store.user.full_name},
            }
        )
    return users


@routes.route("singularity-marketplace/applications", versions=V21)
def list_applications(call: Call) -> dict[str, Any]:
    refuse_limit_with_cursor(call.query)
    page, pagination = APPLICATIONS.select(applications(call.store), call.query)
    return envelope(page, pagination)


@routes.route("service-users", versions=V21)
def list_service_users(call: Call) -> dict[str, Any]:
    refuse_limit_with_cursor(call.query)
    page, pagination = SERVICE_USERS.select(service_users(call.store), call.query)
    return envelope(page, pagination)
