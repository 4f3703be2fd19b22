"""Agents: list/count, actions (connect, disconnect, broadcast, shutdown, uninstall, scans, fetch-logs), installed
applications, the obsolete process list, and fetching files from an agent."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import Response

from s1sim.api.common import VALIDATED_BOOLEAN, accepted, existing
from s1sim.api.routing import V20, V21, Call, Routes, affected, envelope, require_nonempty_filter, success
from s1sim.clock import format_timestamp
from s1sim.errors import not_found, validation_error
from s1sim.filters import (
    AnyOf,
    BooleanIs,
    Contains,
    Equals,
    FreeText,
    NumberCompare,
    ParamSource,
    lower,
    path,
    time_filters,
)
from s1sim.listing import ListSpec
from s1sim.seed import refresh_counters
from s1sim.store import Record, Store
from s1sim.uploads import MAX_FILES_PER_REQUEST, request_agent_files, upload_bytes, validate_password

routes = Routes()

NETWORK_CHANGE_SECONDS = 3.0
SHUTDOWN_SECONDS = 2.0
UNINSTALL_SECONDS = 5.0
SCAN_SECONDS = 10.0
BROADCAST_MAX_LENGTH = 140


def interface_values(key: str) -> Callable[[Record], list[Any]]:
    def get(agent: Record) -> list[Any]:
        values: list[Any] = []
        for interface in agent["networkInterfaces"]:
            value = interface.get(key)
            values.extend(value if isinstance(value, list) else [value])
        return values

    return get


def tag_values(agent: Record) -> list[str]:
    return [f"{tag['key']}:{tag['value']}" for tag in agent["tags"]["sentinelone"]]


AGENT_SORTS = {
    "id": path("id"),
    "computerName": path("computerName"),
    "createdAt": path("createdAt"),
    "updatedAt": path("updatedAt"),
    "lastActiveDate": path("lastActiveDate"),
    "registeredAt": path("registeredAt"),
    "activeThreats": path("activeThreats"),
    "agentVersion": path("agentVersion"),
    "osType": path("osType"),
    "osName": path("osName"),
    "networkStatus": path("networkStatus"),
    "siteName": path("siteName"),
    "groupName": path("groupName"),
    "machineType": path("machineType"),
    "domain": path("domain"),
}

AGENTS = ListSpec(
    filters={
        "ids": AnyOf(path("id")),
        "uuid": Equals(path("uuid"), lower),
        "uuids": AnyOf(path("uuid"), lower),
        "uuid__contains": Contains(path("uuid")),
        "computerName": Equals(path("computerName"), lower),
        "computerName__like": Contains(path("computerName")),
        "computerName__contains": Contains(path("computerName")),
        "query": FreeText(
            lambda agent: [
                agent["computerName"],
                agent["uuid"],
                agent["externalIp"],
                agent["lastLoggedInUserName"],
                agent["domain"],
                agent["osName"],
                *interface_values("inet")(agent),
            ]
        ),
        "siteIds": AnyOf(path("siteId")),
        "groupIds": AnyOf(path("groupId")),
        "filteredSiteIds": AnyOf(path("siteId")),
        "filteredGroupIds": AnyOf(path("groupId")),
        "accountIds": AnyOf(path("accountId")),
        "osTypes": AnyOf(path("osType"), lower),
        "osTypesNin": AnyOf(path("osType"), lower, negate=True),
        "osArch": Equals(path("osArch"), lower),
        "osVersion__contains": Contains(lambda agent: f"{agent['osName']} {agent['osRevision']}"),
        "networkStatuses": AnyOf(path("networkStatus"), lower),
        "networkStatusesNin": AnyOf(path("networkStatus"), lower, negate=True),
        "networkQuarantineEnabled": AnyOf(path("networkQuarantineEnabled"), lower),
        "isActive": BooleanIs(path("isActive")),
        "isDecommissioned": AnyOf(path("isDecommissioned"), lower),
        "isUninstalled": AnyOf(path("isUninstalled"), lower),
        "isPendingUninstall": BooleanIs(path("isPendingUninstall")),
        "isUpToDate": BooleanIs(path("isUpToDate")),
        "infected": BooleanIs(path("infected")),
        "encryptedApplications": BooleanIs(path("encryptedApplications")),
        "firewallEnabled": AnyOf(path("firewallEnabled"), lower),
        "hasTags": BooleanIs(lambda agent: bool(agent["tags"]["sentinelone"])),
        "tagsData": Contains(tag_values),
        "activeThreats": NumberCompare(path("activeThreats"), "eq"),
        "activeThreats__gt": NumberCompare(path("activeThreats"), "gt"),
        "scanStatus": Equals(path("scanStatus"), lower),
        "scanStatuses": AnyOf(path("scanStatus"), lower),
        "scanStatusesNin": AnyOf(path("scanStatus"), lower, negate=True),
        "machineTypes": AnyOf(path("machineType"), lower),
        "machineTypesNin": AnyOf(path("machineType"), lower, negate=True),
        "domains": AnyOf(path("domain"), lower),
        "domainsNin": AnyOf(path("domain"), lower, negate=True),
        "agentVersions": AnyOf(path("agentVersion")),
        "agentVersionsNin": AnyOf(path("agentVersion"), negate=True),
        "installerTypes": AnyOf(path("installerType"), lower),
        "installerTypesNin": AnyOf(path("installerType"), lower, negate=True),
        "mitigationMode": Equals(path("mitigationMode"), lower),
        "mitigationModeSuspicious": Equals(path("mitigationModeSuspicious"), lower),
        "userActionsNeeded": AnyOf(path("userActionsNeeded")),
        "appsVulnerabilityStatuses": AnyOf(path("appsVulnerabilityStatus")),
        "rangerStatus": Equals(path("rangerStatus"), lower),
        "rangerStatuses": AnyOf(path("rangerStatus"), lower),
        "operationalStates": AnyOf(path("operationalState")),
        "consoleMigrationStatuses": AnyOf(path("consoleMigrationStatus")),
        "externalIp__contains": Contains(path("externalIp")),
        "externalId__contains": Contains(path("externalId")),
        "lastLoggedInUserName__contains": Contains(path("lastLoggedInUserName")),
        "serialNumber__contains": Contains(path("serialNumber")),
        "cpuId__contains": Contains(path("cpuId")),
        "networkInterfaceInet__contains": Contains(interface_values("inet")),
        "networkInterfacePhysical__contains": Contains(interface_values("physical")),
        "networkInterfaceGatewayMacAddress__contains": Contains(interface_values("gatewayMacAddress")),
        "gatewayIp": Equals(lambda agent: interface_values("gatewayIp")(agent)),
        "coreCount__gt": NumberCompare(path("coreCount"), "gt"),
        "coreCount__gte": NumberCompare(path("coreCount"), "gte"),
        "coreCount__lt": NumberCompare(path("coreCount"), "lt"),
        "coreCount__lte": NumberCompare(path("coreCount"), "lte"),
        "totalMemory__gt": NumberCompare(path("totalMemory"), "gt"),
        "totalMemory__gte": NumberCompare(path("totalMemory"), "gte"),
        "totalMemory__lt": NumberCompare(path("totalMemory"), "lt"),
        "totalMemory__lte": NumberCompare(path("totalMemory"), "lte"),
        **time_filters("createdAt", path("createdAt")),
        **time_filters("updatedAt", path("updatedAt")),
        **time_filters("lastActiveDate", path("lastActiveDate")),
        **time_filters("registeredAt", path("registeredAt")),
        **time_filters("lastSuccessfulScanDate", path("lastSuccessfulScanDate")),
        "tenant": VALIDATED_BOOLEAN,
        "hasLocalConfiguration": VALIDATED_BOOLEAN,
        "hasContainerizedWorkload": VALIDATED_BOOLEAN,
        "remoteOpsForensicsSupported": VALIDATED_BOOLEAN,
        "threatHidden": VALIDATED_BOOLEAN,
        "threatResolved": VALIDATED_BOOLEAN,
        "locationEnabled": VALIDATED_BOOLEAN,
        **accepted(
            "adQuery",
            "csvFilterId",
            "filterId",
            "migrationStatus",
            "rsoLevel",
            "threatContentHash",
            "threatMitigationStatus",
            "threatRebootRequired",
            "locationIds",
            "locationIdsNin",
            "missingPermissions",
            "missingPermissionsNin",
            "cloudProvider",
            "cloudProviderNin",
            "remoteProfilingStates",
            "remoteProfilingStatesNin",
            "rangerVersions",
            "rangerVersionsNin",
            "agentVersion__gt",
            "agentVersion__gte",
            "agentVersion__lt",
            "agentVersion__lte",
            "agentVersion__between",
            "threatCreatedAt__gt",
            "threatCreatedAt__gte",
            "threatCreatedAt__lt",
            "threatCreatedAt__lte",
            "threatCreatedAt__between",
            "decommissionedAt__gt",
            "decommissionedAt__gte",
            "decommissionedAt__lt",
            "decommissionedAt__lte",
            "decommissionedAt__between",
        ),
    },
    sorts=AGENT_SORTS,
)


def find_agent(store: Store, agent_id: str) -> Record:
    return existing(store.agents, agent_id, "Agent")


def touch(store: Store, agent: Record, at: datetime | None = None) -> None:
    agent["updatedAt"] = format_timestamp(at or store.now())


@routes.route("agents")
def list_agents(call: Call) -> dict[str, Any]:
    page, pagination = AGENTS.select(call.store.agents.values(), call.query)
    return envelope([dict(agent) for agent in page], pagination)


@routes.route("agents/count")
def count_agents(call: Call) -> dict[str, Any]:
    return {"data": {"total": len(AGENTS.matching(call.store.agents.values(), call.query))}}


# --- actions -----------------------------------------------------------------------------------------------------
def connect(store: Store, agent: Record) -> None:
    if agent["networkStatus"] in ("connected", "connecting"):
        return
    agent["networkStatus"] = "connecting"
    touch(store, agent)

    def finish(due: datetime) -> None:
        if agent["networkStatus"] != "connecting":
            return
        agent.update({"networkStatus": "connected", "networkQuarantineEnabled": False})
        touch(store, agent, due)
        store.add_activity(1002, f"Agent {agent['computerName']} was connected to network.", at=due, agent=agent)

    store.schedule(NETWORK_CHANGE_SECONDS, finish)


def disconnect(store: Store, agent: Record) -> None:
    if agent["networkStatus"] in ("disconnected", "disconnecting"):
        return
    agent["networkStatus"] = "disconnecting"
    touch(store, agent)

    def finish(due: datetime) -> None:
        if agent["networkStatus"] != "disconnecting":
            return
        agent.update({"networkStatus": "disconnected", "networkQuarantineEnabled": True})
        touch(store, agent, due)
        store.add_activity(1001, f"Agent {agent['computerName']} was disconnected from network.", at=due, agent=agent)

    store.schedule(NETWORK_CHANGE_SECONDS, finish)


def shutdown(store: Store, agent: Record) -> None:
    def finish(due: datetime) -> None:
        agent.update({"isActive": False})
        touch(store, agent, due)

    store.schedule(SHUTDOWN_SECONDS, finish)


def uninstall(store: Store, agent: Record) -> None:
    agent["isPendingUninstall"] = True
    touch(store, agent)

    def finish(due: datetime) -> None:
        agent.update({"isPendingUninstall": False, "isUninstalled": True, "isActive": False})
        touch(store, agent, due)
        store.add_activity(51, f"Agent {agent['computerName']} was uninstalled.", at=due, agent=agent)
        refresh_counters(store)

    store.schedule(UNINSTALL_SECONDS, finish)


def initiate_scan(store: Store, agent: Record) -> None:
    now = store.now_text()
    agent.update({"scanStatus": "started", "scanStartedAt": now, "scanFinishedAt": None, "scanAbortedAt": None})
    touch(store, agent)
    started = now

    def finish(due: datetime) -> None:
        if agent["scanStatus"] != "started" or agent["scanStartedAt"] != started:
            return
        agent.update(
            {"scanStatus": "finished", "scanFinishedAt": format_timestamp(due), "lastSuccessfulScanDate": format_timestamp(due)}
        )
        touch(store, agent, due)

    store.schedule(SCAN_SECONDS, finish)


def abort_scan(store: Store, agent: Record) -> None:
    if agent["scanStatus"] == "started":
        agent.update({"scanStatus": "aborted", "scanAbortedAt": store.now_text()})
        touch(store, agent)


def decommission(store: Store, agent: Record) -> None:
    agent.update({"isDecommissioned": True, "isActive": False})
    touch(store, agent)
    refresh_counters(store)


def no_change(store: Store, agent: Record) -> None:
    return None


AGENT_ACTIONS: dict[str, Callable[[Store, Record], None]] = {
    "connect": connect,
    "disconnect": disconnect,
    "shutdown": shutdown,
    "uninstall": uninstall,
    "initiate-scan": initiate_scan,
    "abort-scan": abort_scan,
    "decommission": decommission,
    "fetch-logs": no_change,
    "restart-machine": no_change,
}


def require_agent_filter(source: ParamSource) -> None:
    """`tenant: true` alone is the explicit "every agent in scope"; otherwise the filter must select by something
    (an empty filter is refused rather than taken for every agent)."""
    if source.boolean("tenant") is not True:
        require_nonempty_filter(source)


@routes.route("agents/actions/<action>", methods=("POST",))
def agent_action(call: Call, action: str) -> dict[str, Any]:
    store = call.store
    if action == "broadcast":
        return broadcast(call)
    apply = AGENT_ACTIONS.get(action)
    if apply is None:
        raise not_found(f"Unknown agent action {action}")
    source = call.body_filter()
    require_agent_filter(source)
    call.data_object(required=False)
    agents = AGENTS.matching(store.agents.values(), source)
    if action == "shutdown":
        agents = [agent for agent in agents if agent["isActive"]]
    for agent in agents:
        apply(store, agent)
    return affected(len(agents))


def broadcast(call: Call) -> dict[str, Any]:
    data = call.data_object()
    message = data.get("message")
    if not isinstance(message, str) or not message:
        raise validation_error("message: Missing data for required field.")
    if len(message) > BROADCAST_MAX_LENGTH:
        raise validation_error(f"message: Longer than maximum length {BROADCAST_MAX_LENGTH}.")
    source = call.body_filter()
    require_agent_filter(source)
    agents = AGENTS.matching(call.store.agents.values(), source)
    # Only Windows and macOS agents display broadcast messages.
    return affected(sum(1 for agent in agents if agent["osType"] in ("windows", "macos")))


# --- inventory ---------------------------------------------------------------------------------------------------
@routes.route("agents/applications")
def installed_applications(call: Call) -> dict[str, Any]:
    ids = call.query.listed("ids")
    unknown = [name for name in call.query.names() if name != "ids"]
    if unknown:
        raise validation_error(f"{unknown[0]}: Unknown field.")
    if not ids:
        raise validation_error("ids: Missing data for required field.")
    applications = [dict(app) for agent_id in ids for app in call.store.applications.get(agent_id, [])]
    return {"data": applications}


@routes.route("agents/processes", versions=V20)
def agent_processes(call: Call) -> dict[str, Any]:
    # Obsolete on the real console: always an empty list.
    return {"data": []}


# --- fetch files -------------------------------------------------------------------------------------------------
@routes.route("agents/<agent_id>/actions/fetch-files", methods=("POST",), versions=V21)
def fetch_files(call: Call, agent_id: str) -> dict[str, Any]:
    agent = find_agent(call.store, agent_id)
    data = call.data_object()
    password = validate_password(data.get("password"))
    files = data.get("files")
    if not isinstance(files, list) or not files or not all(isinstance(item, str) and item for item in files):
        raise validation_error("files: Must be a non-empty list of file paths.")
    if len(files) > MAX_FILES_PER_REQUEST:
        raise validation_error(f"files: At most {MAX_FILES_PER_REQUEST} files per request.")
    if any(char in item for item in files for char in "*?"):
        raise validation_error("files: Wildcards are not supported.")
    request_agent_files(call.store, agent, password, files)
    return success()


@routes.route("agents/<agent_id>/uploads/<activity_id>")
def download_upload(call: Call, agent_id: str, activity_id: str) -> Response:
    upload = upload_bytes(call.store, agent_id, activity_id)
    assert upload.content is not None
    return Response(
        upload.content,
        mimetype="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{upload.file_name}"'},
    )
