"""Threats: list (2.0 flat / 2.1 nested), mitigation, verdict and incident status, 2.0 mark-as-threat/resolved,
notes, timeline, fetch-file, summary and analysis.

A threat is stored once, in 2.1 form minus `agentRealtimeInfo` (which is built from the agent's current state when
rendered) plus `_sim` bookkeeping (agent id, the 2.0 rank). `render_v21` and `render_v20` are the only functions that
know the two layouts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from s1sim.api.activities import ACTIVITY_SORTS
from s1sim.api.agents import disconnect
from s1sim.api.common import VALIDATED_BOOLEAN, accepted, existing, public
from s1sim.api.routing import V20, V21, Call, Routes, affected, envelope, require_nonempty_filter, success
from s1sim.errors import not_found, validation_error
from s1sim.filters import (
    AnyOf,
    BooleanIs,
    Contains,
    Custom,
    Equals,
    Filter,
    FreeText,
    NumberCompare,
    ParamSource,
    Predicate,
    lower,
    path,
    status_key,
    time_filters,
)
from s1sim.listing import ListSpec
from s1sim.seed import DISPLAY_INCIDENT_STATUS, DISPLAY_MITIGATION_STATUS, DISPLAY_VERDICT, add_note, mitigation_record
from s1sim.store import Download, Record, Store
from s1sim.uploads import file_content, request_threat_file, validate_password

routes = Routes()

# The 2.0 API reported the status with the older vocabulary; filters accept both.
MITIGATION_STATUS_V20 = {"mitigated": "mitigated", "not_mitigated": "active", "marked_as_benign": "mitigated"}
MITIGATION_ACTIONS = {
    # URL action → (mitigationStatus[].action, resulting threatInfo.mitigationStatus or None for "unchanged")
    "kill": ("kill", "mitigated"),
    "quarantine": ("quarantine", "mitigated"),
    "remediate": ("remediate", "mitigated"),
    "rollback-remediation": ("rollback", "mitigated"),
    "un-quarantine": ("unquarantine", "not_mitigated"),
    "network-quarantine": ("network_quarantine", None),
}
REPORT_ACTIONS = ("kill", "network_quarantine", "quarantine", "remediate", "rollback", "unquarantine")


# --- rendering ---------------------------------------------------------------------------------------------------
def threat_agent(store: Store, threat: Record) -> Record:
    return store.agents[threat["_sim"]["agentId"]]


def realtime_info(store: Store, agent: Record) -> Record:
    return {
        "accountId": agent["accountId"],
        "accountName": agent["accountName"],
        "activeThreats": agent["activeThreats"],
        "agentComputerName": agent["computerName"],
        "agentDecommissionedAt": None,
        "agentDomain": agent["domain"],
        "agentId": agent["id"],
        "agentInfected": agent["infected"],
        "agentIsActive": agent["isActive"],
        "agentIsDecommissioned": agent["isDecommissioned"],
        "agentMachineType": agent["machineType"],
        "agentMitigationMode": agent["mitigationMode"],
        "agentNetworkStatus": agent["networkStatus"],
        "agentOsName": agent["osName"],
        "agentOsRevision": agent["osRevision"],
        "agentOsType": agent["osType"],
        "agentUuid": agent["uuid"],
        "agentVersion": agent["agentVersion"],
        "groupId": agent["groupId"],
        "groupName": agent["groupName"],
        "networkInterfaces": [
            {key: interface[key] for key in ("id", "inet", "inet6", "name", "physical")}
            for interface in agent["networkInterfaces"]
        ],
        "operationalState": agent["operationalState"],
        "rebootRequired": False,
        "scanAbortedAt": agent["scanAbortedAt"],
        "scanFinishedAt": agent["scanFinishedAt"],
        "scanStartedAt": agent["scanStartedAt"],
        "scanStatus": agent["scanStatus"],
        "siteId": agent["siteId"],
        "siteName": agent["siteName"],
        "storageName": agent["storageName"],
        "storageType": agent["storageType"],
        "userActionsNeeded": list(agent["userActionsNeeded"]),
    }


def render_v21(store: Store, threat: Record) -> Record:
    rendered = public(threat)
    rendered["agentRealtimeInfo"] = realtime_info(store, threat_agent(store, threat))
    return dict(sorted(rendered.items()))


def render_v20(store: Store, threat: Record) -> Record:
    info = threat["threatInfo"]
    agent = threat_agent(store, threat)
    status = info["mitigationStatus"]
    done = {record["action"]: record["status"] for record in threat["mitigationStatus"]}
    file_name = info["filePath"].replace("\\", "/").rsplit("/", 1)[-1]
    engine = "static" if info["detectionType"] == "static" else "behavioral"
    mitigation_phrase = "not mitigated yet" if status == "not_mitigated" else "mitigated"
    return {
        "accountId": agent["accountId"],
        "accountName": agent["accountName"],
        "agentComputerName": agent["computerName"],
        "agentDomain": agent["domain"],
        "agentId": agent["id"],
        "agentInfected": agent["infected"],
        "agentIp": agent["externalIp"],
        "agentIsActive": agent["isActive"],
        "agentIsDecommissioned": agent["isDecommissioned"],
        "agentMachineType": agent["machineType"],
        "agentNetworkStatus": agent["networkStatus"],
        "agentOsType": agent["osType"],
        "agentVersion": agent["agentVersion"],
        "annotation": None,
        "automaticallyResolved": info["automaticallyResolved"],
        "browserType": info["browserType"],
        "certId": info["certificateId"],
        "classification": info["classification"],
        "classificationSource": info["classificationSource"],
        "classifierName": "STATIC" if info["detectionType"] == "static" else "BEHAVIORAL",
        "cloudVerdict": info["cloudFilesHashVerdict"],
        "collectionId": info["collectionId"],
        "commandId": None,
        "createdAt": info["createdAt"],
        "createdDate": info["createdAt"],
        "description": f"malware detected - {mitigation_phrase} ({engine} engine)",
        "engines": [engine.lower() for engine in info["engines"]],
        "external_ticket_id": info["externalTicketId"],
        "fileContentHash": info["sha1"],
        "fileCreatedDate": None,
        "fileDisplayName": file_name,
        "fileExtensionType": info["fileExtensionType"],
        "fileIsDotNet": None,
        "fileIsExecutable": info["fileExtensionType"] == "Executable",
        "fileIsSystem": False,
        "fileMaliciousContent": None,
        "fileObjectId": threat["agentDetectionInfo"]["agentUuid"][:16],
        "filePath": info["filePath"],
        "fileSha256": info["sha256"],
        "fileVerificationType": info["fileVerificationType"],
        "fromCloud": False,
        "fromScan": info["initiatedBy"] == "full_disk_scan",
        "id": threat["id"],
        "inQuarantine": "quarantine" in done and "unquarantine" not in done,
        "indicators": sorted({number for indicator in threat["indicators"] for number in indicator["ids"]}),
        "initiatedBy": "agentPolicy" if info["initiatedBy"] == "agent_policy" else info["initiatedBy"],
        "initiatedByDescription": info["initiatedByDescription"],
        "initiatingUserId": info["initiatingUserId"],
        "isCertValid": info["isValidCertificate"],
        "isInteractiveSession": False,
        "isPartialStory": False,
        "maliciousGroupId": info["storyline"],
        "maliciousProcessArguments": info["maliciousProcessArguments"],
        "markedAsBenign": status == "marked_as_benign",
        "mitigationMode": threat["agentDetectionInfo"]["agentMitigationMode"],
        "mitigationReport": {action: {"status": done.get(action)} for action in REPORT_ACTIONS},
        "mitigationStatus": MITIGATION_STATUS_V20[status],
        "publisher": info["publisherName"],
        "rank": threat["_sim"]["rank"],
        "resolved": info["incidentStatus"] == "resolved",
        "siteId": agent["siteId"],
        "siteName": agent["siteName"],
        "threatAgentVersion": threat["agentDetectionInfo"]["agentVersion"],
        "threatName": info["threatName"],
        "updatedAt": info["updatedAt"],
        "username": info["processUser"],
        "whiteningOptions": list(threat["whiteningOptions"]),
    }


def render(call: Call, threat: Record) -> Record:
    return render_v21(call.store, threat) if call.version == "2.1" else render_v20(call.store, threat)


# --- listing -----------------------------------------------------------------------------------------------------
def info(key: str) -> Callable[[Record], Any]:
    return path("threatInfo", key)


def threat_filters(store: Store, version: str) -> dict[str, Filter]:
    def agent_field(key: str) -> Callable[[Record], Any]:
        return lambda threat: threat_agent(store, threat)[key]

    def mitigation_aliases(threat: Record) -> list[str]:
        status = threat["threatInfo"]["mitigationStatus"]
        return [status, MITIGATION_STATUS_V20[status]]

    def note_exists(source: ParamSource, name: str) -> Predicate | None:
        wanted = source.boolean(name)
        if wanted is None:
            return None
        return lambda threat: bool(store.notes.get(threat["id"])) == wanted

    filters: dict[str, Filter] = {
        "ids": AnyOf(path("id")),
        "agentIds": AnyOf(path("_sim", "agentId")),
        "siteIds": AnyOf(agent_field("siteId")),
        "groupIds": AnyOf(agent_field("groupId")),
        "accountIds": AnyOf(agent_field("accountId")),
        "resolved": BooleanIs(lambda threat: threat["threatInfo"]["incidentStatus"] == "resolved"),
        "incidentStatuses": AnyOf(info("incidentStatus"), status_key),
        "incidentStatusesNin": AnyOf(info("incidentStatus"), status_key, negate=True),
        "mitigationStatuses": AnyOf(mitigation_aliases, status_key),
        "mitigationStatusesNin": AnyOf(mitigation_aliases, status_key, negate=True),
        "analystVerdicts": AnyOf(info("analystVerdict"), status_key),
        "analystVerdictsNin": AnyOf(info("analystVerdict"), status_key, negate=True),
        "classifications": AnyOf(info("classification"), lower),
        "classificationsNin": AnyOf(info("classification"), lower, negate=True),
        "classificationSources": AnyOf(info("classificationSource"), lower),
        "classificationSourcesNin": AnyOf(info("classificationSource"), lower, negate=True),
        "confidenceLevels": AnyOf(info("confidenceLevel"), lower),
        "confidenceLevelsNin": AnyOf(info("confidenceLevel"), lower, negate=True),
        "contentHashes": AnyOf(info("sha1"), lower),
        "contentHash__contains": Contains(info("sha1")),
        "computerName__contains": Contains(agent_field("computerName")),
        "filePath__contains": Contains(info("filePath")),
        "threatDetails__contains": Contains(info("threatName")),
        "storyline__contains": Contains(info("storyline")),
        "storylines": AnyOf(info("storyline"), lower),
        "collectionIds": AnyOf(info("collectionId")),
        "externalTicketIds": AnyOf(info("externalTicketId")),
        "externalTicketId__contains": Contains(info("externalTicketId")),
        "publisherName__contains": Contains(info("publisherName")),
        "originatedProcess__contains": Contains(info("originatorProcess")),
        "uuid__contains": Contains(agent_field("uuid")),
        "displayName": Equals(info("threatName"), lower),
        "query": FreeText(
            lambda threat: (
                threat["id"],
                threat["threatInfo"]["threatName"],
                threat["threatInfo"]["sha1"],
                threat["threatInfo"]["sha256"],
                threat["threatInfo"]["filePath"],
                threat["threatInfo"]["storyline"],
                threat["threatInfo"]["classification"],
                threat_agent(store, threat)["computerName"],
                threat_agent(store, threat)["uuid"],
            )
        ),
        "engines": AnyOf(info("engines"), lower),
        "enginesNin": AnyOf(info("engines"), lower, negate=True),
        "detectionEngines": AnyOf(lambda threat: [engine["key"] for engine in threat["threatInfo"]["detectionEngines"]], lower),
        "initiatedBy": AnyOf(info("initiatedBy"), lower),
        "initiatedByNin": AnyOf(info("initiatedBy"), lower, negate=True),
        "osTypes": AnyOf(agent_field("osType"), lower),
        "osTypesNin": AnyOf(agent_field("osType"), lower, negate=True),
        "osNames": AnyOf(agent_field("osName"), lower),
        "agentMachineTypes": AnyOf(agent_field("machineType"), lower),
        "agentMachineTypesNin": AnyOf(agent_field("machineType"), lower, negate=True),
        "agentVersions": AnyOf(agent_field("agentVersion")),
        "agentIsActive": BooleanIs(agent_field("isActive")),
        "noteExists": Custom(note_exists),
        "pendingActions": BooleanIs(info("pendingActions")),
        "failedActions": BooleanIs(info("failedActions")),
        "rebootRequired": BooleanIs(info("rebootRequired")),
        "mitigatedPreemptively": BooleanIs(info("mitigatedPreemptively")),
        "externalTicketExists": BooleanIs(info("externalTicketExists")),
        "tenant": VALIDATED_BOOLEAN,
        "hasAgentTags": VALIDATED_BOOLEAN,
        **time_filters("createdAt", info("createdAt")),
        **time_filters("updatedAt", info("updatedAt")),
        **accepted(
            "countsFor",
            "agentTagsData",
            "osArchs",
            "osNamesNin",
            "cloudProvider",
            "cloudProviderNin",
            "initiatedByUsername__contains",
            "commandLineArguments__contains",
            "realtimeAgentVersion__contains",
            "detectionAgentVersion__contains",
            "detectionAgentDomain__contains",
            "detectionEnginesNin",
        ),
    }
    if version == "2.0":
        # 2.0 only: the rank filter (taken as a minimum, as clients use it) and the partial display-name match.
        filters["rank"] = NumberCompare(path("_sim", "rank"), "gte")
        filters["displayName__like"] = Contains(info("threatName"))
    return filters


def threats_spec(store: Store, version: str) -> ListSpec:
    return ListSpec(
        filters=threat_filters(store, version),
        sorts={
            "id": path("id"),
            "createdAt": info("createdAt"),
            "updatedAt": info("updatedAt"),
            "threatName": info("threatName"),
            "classification": info("classification"),
            "confidenceLevel": info("confidenceLevel"),
            "mitigationStatus": info("mitigationStatus"),
            "incidentStatus": info("incidentStatus"),
            "analystVerdict": info("analystVerdict"),
            "filePath": info("filePath"),
            "agentComputerName": lambda threat: threat_agent(store, threat)["computerName"],
            "rank": path("_sim", "rank"),
        },
    )


def find_threat(store: Store, threat_id: str) -> Record:
    return existing(store.threats, threat_id, "Threat")


def targeted_threats(call: Call) -> list[Record]:
    source = call.body_filter()
    require_nonempty_filter(source)
    return threats_spec(call.store, call.version).matching(call.store.threats.values(), source)


def touch(store: Store, threat: Record) -> None:
    threat["threatInfo"]["updatedAt"] = store.now_text()


def refresh_agent_threats(store: Store) -> None:
    """`activeThreats` / `infected` of every agent follow its threats' incident and mitigation status."""
    for agent in store.agents.values():
        agent["activeThreats"] = 0
        agent["infected"] = False
    for threat in store.threats.values():
        agent = threat_agent(store, threat)
        if threat["threatInfo"]["incidentStatus"] != "resolved":
            agent["activeThreats"] += 1
            if threat["threatInfo"]["mitigationStatus"] == "not_mitigated":
                agent["infected"] = True


@routes.route("threats")
def list_threats(call: Call) -> dict[str, Any]:
    page, pagination = threats_spec(call.store, call.version).select(call.store.threats.values(), call.query)
    return envelope([render(call, threat) for threat in page], pagination)


# --- state changes -----------------------------------------------------------------------------------------------
@routes.route("threats/mitigate/<action>", methods=("POST",))
def mitigate(call: Call, action: str) -> dict[str, Any]:
    if action not in MITIGATION_ACTIONS:
        raise validation_error(f"action: Must be one of: {', '.join(MITIGATION_ACTIONS)}.")
    store = call.store
    record_action, new_status = MITIGATION_ACTIONS[action]
    threats = targeted_threats(call)
    details = []
    count = 0
    for threat in threats:
        agent = threat_agent(store, threat)
        skipped = []
        if action == "rollback-remediation" and not agent["osType"].startswith("windows"):
            skipped.append({"action": record_action, "reason": "not_supported", "description": "Rollback is Windows only"})
        elif action == "remediate" and agent["osType"] == "linux":
            skipped.append({"action": record_action, "reason": "not_supported", "description": "Remediate is macOS/Windows only"})
        report = []
        if not skipped:
            count += 1
            now = store.now_text()
            report = [mitigation_record(record_action, now)]
            threat["mitigationStatus"] = [item for item in threat["mitigationStatus"] if item["action"] != record_action] + report
            if new_status is not None:
                threat["threatInfo"]["mitigationStatus"] = new_status
                threat["threatInfo"]["mitigationStatusDescription"] = DISPLAY_MITIGATION_STATUS[new_status]
            if action == "network-quarantine":
                disconnect(store, agent)
            touch(store, threat)
        details.append({"reports": report, "skipped": skipped, "threatId": threat["id"]})
    refresh_agent_threats(store)
    if call.version == "2.0":
        return affected(count)
    return {"data": {"affected": count, "details": details}}


def verdict_value(value: object, name: str = "analystVerdict") -> str:
    if not isinstance(value, str) or status_key(value) not in DISPLAY_VERDICT:
        raise validation_error(f"{name}: Must be one of: {', '.join(DISPLAY_VERDICT)}.")
    return status_key(value)


def incident_status_value(value: object) -> str:
    if not isinstance(value, str) or status_key(value) not in DISPLAY_INCIDENT_STATUS:
        raise validation_error(f"incidentStatus: Must be one of: {', '.join(DISPLAY_INCIDENT_STATUS)}.")
    return status_key(value)


def set_verdict(threat: Record, verdict: str) -> bool:
    info_record = threat["threatInfo"]
    if info_record["analystVerdict"] == verdict:
        return False
    info_record["analystVerdict"] = verdict
    info_record["analystVerdictDescription"] = DISPLAY_VERDICT[verdict]
    return True


def set_incident_status(threat: Record, status: str) -> bool:
    info_record = threat["threatInfo"]
    if info_record["incidentStatus"] == status:
        return False
    info_record["incidentStatus"] = status
    info_record["incidentStatusDescription"] = DISPLAY_INCIDENT_STATUS[status]
    return True


def set_triage(threat: Record, verdict: object = None, status: object = None) -> bool:
    """Set a verdict and/or an incident status given in any spelling (`False positive`, `FALSE_POSITIVE`, ...), with
    their descriptions, as the verdict and status endpoints do; whether anything changed."""
    changed = False
    if status is not None:
        changed = set_incident_status(threat, incident_status_value(status)) or changed
    if verdict is not None:
        changed = set_verdict(threat, verdict_value(verdict)) or changed
    return changed


@routes.route("threats/analyst-verdict", methods=("POST",), versions=V21)
def analyst_verdict(call: Call) -> dict[str, Any]:
    verdict = verdict_value(call.data_object().get("analystVerdict"))
    threats = targeted_threats(call)
    details = []
    for threat in threats:
        changed = set_verdict(threat, verdict)
        if changed:
            touch(call.store, threat)
        details.append({"result": "updated" if changed else "not_changed", "threatId": threat["id"]})
    return {"data": {"affected": len(threats), "details": details}}


@routes.route("threats/incident", methods=("POST",), versions=V21)
def incident_status(call: Call) -> dict[str, Any]:
    data = call.data_object()
    status = incident_status_value(data.get("incidentStatus"))
    verdict = verdict_value(data["analystVerdict"]) if data.get("analystVerdict") is not None else None
    threats = targeted_threats(call)
    details = []
    for threat in threats:
        changed = set_incident_status(threat, status)
        if verdict is not None:
            changed = set_verdict(threat, verdict) or changed
        if changed:
            touch(call.store, threat)
        details.append(
            {
                "analystVerdict": threat["threatInfo"]["analystVerdict"],
                "result": "updated" if changed else "not_changed",
                "threatId": threat["id"],
            }
        )
    refresh_agent_threats(call.store)
    return {"data": {"affected": len(threats), "details": details}}


@routes.route("threats/mark-as-threat", methods=("POST",), versions=V20)
def mark_as_threat(call: Call) -> dict[str, Any]:
    scope = call.data_object(required=False).get("targetScope", "site")
    if scope not in ("site", "tenant"):
        raise validation_error("targetScope: Must be one of: site, tenant.")
    threats = targeted_threats(call)
    for threat in threats:
        threat["threatInfo"]["confidenceLevel"] = "malicious"
        set_verdict(threat, "true_positive")
        touch(call.store, threat)
    return affected(len(threats))


@routes.route("threats/mark-as-resolved", methods=("POST",), versions=V20)
def mark_as_resolved(call: Call) -> dict[str, Any]:
    threats = targeted_threats(call)
    for threat in threats:
        if set_incident_status(threat, "resolved"):
            touch(call.store, threat)
    refresh_agent_threats(call.store)
    return affected(len(threats))


# --- notes -------------------------------------------------------------------------------------------------------
NOTES = ListSpec(
    filters={
        "creatorId": Equals(path("creatorId")),
        "creator__like": Contains(path("creator")),
    },
    sorts={"id": path("id"), "createdAt": path("createdAt"), "updatedAt": path("updatedAt")},
)


@routes.route("threats/notes", methods=("POST",), versions=V21)
def add_notes(call: Call) -> dict[str, Any]:
    text = call.data_object().get("text")
    if not isinstance(text, str) or not text.strip():
        raise validation_error("text: Missing data for required field.")
    threats = targeted_threats(call)
    for threat in threats:
        add_note(call.store, threat["id"], text)
    return affected(len(threats))


@routes.route("threats/<threat_id>/notes", versions=V21)
def list_notes(call: Call, threat_id: str) -> dict[str, Any]:
    find_threat(call.store, threat_id)
    page, pagination = NOTES.select(call.store.notes.get(threat_id, []), call.query)
    return envelope([dict(note) for note in page], pagination)


@routes.route("threats/<threat_id>/notes/<note_id>", methods=("DELETE",), versions=V21)
def delete_note(call: Call, threat_id: str, note_id: str) -> dict[str, Any]:
    find_threat(call.store, threat_id)
    notes = call.store.notes.get(threat_id, [])
    remaining = [note for note in notes if note["id"] != note_id]
    if len(remaining) == len(notes):
        raise not_found(f"Note {note_id} does not exist")
    call.store.notes[threat_id] = remaining
    return success()


# --- files and timeline ------------------------------------------------------------------------------------------
@routes.route("threats/fetch-file", methods=("POST",))
def fetch_threat_file(call: Call) -> dict[str, Any]:
    password = validate_password(call.data_object().get("password"))
    threats = targeted_threats(call)
    for threat in threats:
        request_threat_file(call.store, threat, password)
    return affected(len(threats))


TIMELINE = ListSpec(
    filters={
        "activityTypes": AnyOf(path("activityType")),
        "accountIds": AnyOf(path("accountId")),
        "groupIds": AnyOf(path("groupId")),
        "siteIds": AnyOf(path("siteId")),
        "query": FreeText(lambda activity: (activity["primaryDescription"], activity["secondaryDescription"])),
    },
    sorts=ACTIVITY_SORTS,
    default_sort="createdAt",
)


@routes.route("threats/<threat_id>/timeline")
def timeline(call: Call, threat_id: str) -> dict[str, Any]:
    find_threat(call.store, threat_id)
    page, pagination = TIMELINE.select(call.store.threat_activities.get(threat_id, []), call.query)
    return envelope([dict(activity) for activity in page], pagination)


@routes.route("threats/<threat_id>/download-from-cloud", versions=V21)
def download_from_cloud(call: Call, threat_id: str) -> dict[str, Any]:
    store = call.store
    threat = find_threat(store, threat_id)
    if not threat["_sim"]["cloudFile"]:
        raise not_found("File not available for Download from BinaryVault")
    key = f"vault-{threat_id}"
    file_name = f"{threat['threatInfo']['sha256']}.bin"
    store.downloads[key] = Download(
        file_name, file_content(threat_agent(store, threat), threat["threatInfo"]["filePath"]), "application/octet-stream"
    )
    return {"data": {"downloadUrl": call.absolute_url(f"/downloads/{key}/{file_name}"), "fileName": file_name}}


# --- private endpoints (2.1) -------------------------------------------------------------------------------------
SUMMARY_FILTERS = ("groupIds", "siteIds", "accountIds")


@routes.route("private/threats/summary", versions=V21)
def threat_summary(call: Call) -> dict[str, Any]:
    filters = {name: value for name, value in threat_filters(call.store, call.version).items() if name in SUMMARY_FILTERS}
    threats = ListSpec(filters=filters, sorts={"id": path("id")}).matching(call.store.threats.values(), call.query)

    def count(predicate: Callable[[Record], bool]) -> int:
        return sum(1 for threat in threats if predicate(threat["threatInfo"]))

    def not_resolved(item: Record) -> bool:
        return item["incidentStatus"] != "resolved"

    return {
        "data": {
            "inProgress": count(lambda item: item["incidentStatus"] == "in_progress"),
            "maliciousNotResolved": count(lambda item: item["confidenceLevel"] == "malicious" and not_resolved(item)),
            "notMitigated": count(lambda item: item["mitigationStatus"] == "not_mitigated"),
            "notMitigatedNotResolved": count(lambda item: item["mitigationStatus"] == "not_mitigated" and not_resolved(item)),
            "notResolved": count(not_resolved),
            "resolved": count(lambda item: item["incidentStatus"] == "resolved"),
            "suspiciousNotMitigatedNotResolved": count(
                lambda item: (
                    item["confidenceLevel"] == "suspicious" and item["mitigationStatus"] == "not_mitigated" and not_resolved(item)
                )
            ),
            "suspiciousNotResolved": count(lambda item: item["confidenceLevel"] == "suspicious" and not_resolved(item)),
            "total": len(threats),
        }
    }


@routes.route("private/threats/<threat_id>/analysis", versions=V21)
def threat_analysis(call: Call, threat_id: str) -> dict[str, Any]:
    return {"data": render_v21(call.store, find_threat(call.store, threat_id))}
