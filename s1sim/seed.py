"""Deterministic synthetic tenant: the same seed and sizes always give the same objects, ids and timestamps.

Timestamps are placed relative to the clock's start (threats and alerts over the previous two weeks), so a tenant
seeded "now" is found by an integration's "first fetch 3 days" window, and a tenant seeded with a fixed `--start`
is byte-for-byte reproducible. The builders (`make_agent`, `make_threat`, `make_alert`) are also used by the control
surface to add objects at run time.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from s1sim.catalog import APPLICATIONS, OS_PROFILES, OS_WEIGHTS, REMOTE_SCRIPTS, STAR_RULES, THREAT_KINDS, USER_NAMES
from s1sim.clock import SimClock, format_timestamp, parse_timestamp
from s1sim.ids import IdFactory
from s1sim.store import ConsoleUser, Record, Store, TenantSize
from s1sim.uam_seed import seed_uam_alerts

SEEDED_HISTORY = timedelta(days=14)
DISPLAY_INCIDENT_STATUS = {"unresolved": "Unresolved", "in_progress": "In progress", "resolved": "Resolved"}
DISPLAY_VERDICT = {
    "undefined": "Undefined",
    "true_positive": "True positive",
    "false_positive": "False positive",
    "suspicious": "Suspicious",
}
UNIFIED_ENGINES = {"suppression": "suppress", "interoperability": "interoperability", "performance": "performance"}
DISPLAY_MITIGATION_STATUS = {"mitigated": "Mitigated", "not_mitigated": "Not mitigated", "marked_as_benign": "Marked as benign"}


def hex_digest(rng: random.Random, algorithm: str) -> str:
    return hashlib.new(algorithm, rng.randbytes(16)).hexdigest()


def pick_weighted(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([value for value, _ in weighted], weights=[weight for _, weight in weighted])[0]


def random_moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = max((end - start).total_seconds(), 0.0)
    return start + timedelta(seconds=rng.uniform(0, span))


def licenses() -> Record:
    return {
        "bundles": [{"displayName": "Complete", "majorVersion": 1, "minorVersion": 0, "name": "complete", "surfaces": []}],
        "modules": [],
        "settings": [],
    }


# --- scope: accounts, sites, groups ------------------------------------------------------------------------------
def make_account(store: Store, name: str, created_at: datetime) -> Record:
    moment = format_timestamp(created_at)
    account = {
        "accountType": "Paid",
        "activeAgents": 0,
        "billingMode": "subscription",
        "createdAt": moment,
        "creator": store.user.full_name,
        "creatorId": store.user.id,
        "expiration": None,
        "externalId": None,
        "id": store.ids.numeric_id(),
        "isDefault": False,
        "licenses": licenses(),
        "name": name,
        "numberOfSites": 0,
        "state": "active",
        "totalLicenses": 0,
        "unlimitedExpiration": True,
        "unlimitedLicenses": True,
        "updatedAt": moment,
        "usageType": "customer",
    }
    store.accounts[str(account["id"])] = account
    return account


def make_site(store: Store, account: Record, name: str, created_at: datetime, *, is_default: bool, state: str) -> Record:
    moment = format_timestamp(created_at)
    expired = state == "expired"
    site = {
        "accountId": account["id"],
        "accountName": account["name"],
        "activeLicenses": 0,
        "createdAt": moment,
        "creator": store.user.full_name,
        "creatorId": store.user.id,
        "description": f"{name} endpoints",
        "expiration": format_timestamp(store.now() - timedelta(days=2)) if expired else None,
        "externalId": None,
        "healthStatus": True,
        "id": store.ids.numeric_id(),
        "isDefault": is_default,
        "licenses": licenses(),
        "name": name,
        "registrationToken": store.ids.hex_string(48),
        "siteType": "Paid",
        "sku": "Complete",
        "state": state,
        "suite": "Complete",
        "totalLicenses": 100,
        "unlimitedExpiration": not expired,
        "unlimitedLicenses": False,
        "updatedAt": moment,
        "usageType": "customer",
    }
    store.sites[str(site["id"])] = site
    return site


def make_group(
    store: Store, site: Record, name: str, group_type: str, created_at: datetime, *, is_default: bool = False
) -> Record:
    moment = format_timestamp(created_at)
    dynamic = group_type == "dynamic"
    group = {
        "createdAt": moment,
        "creator": store.user.full_name,
        "creatorId": store.user.id,
        "description": None,
        "filterId": store.ids.numeric_id() if dynamic else None,
        "filterName": f"{name} filter" if dynamic else None,
        "id": store.ids.numeric_id(),
        "inherits": True,
        "isDefault": is_default,
        "name": name,
        "rank": 1 if dynamic else None,
        "registrationToken": store.ids.hex_string(48),
        "siteId": site["id"],
        "totalAgents": 0,
        "type": group_type,
        "updatedAt": moment,
    }
    store.groups[str(group["id"])] = group
    return group


# --- agents ------------------------------------------------------------------------------------------------------
def computer_name(rng: random.Random, os_type: str, machine_type: str, index: int, user: str) -> str:
    suffix = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(7))
    if os_type == "macos":
        return (
            f"MacBook-Pro-{user.capitalize()}-{index:02d}"
            if machine_type == "laptop"
            else f"iMac-{user.capitalize()}-{index:02d}"
        )
    if os_type == "linux":
        role = rng.choice(("web", "db", "app", "build"))
        return f"{rng.choice(('ubuntu', 'rhel', 'amzn'))}-{role}-{index:02d}"
    if machine_type == "server":
        return f"WIN-SRV-{index:02d}"
    return f"{'LAPTOP' if machine_type == 'laptop' else 'DESKTOP'}-{suffix}"


def make_agent(store: Store, rng: random.Random, site: Record, group: Record, registered_at: datetime, index: int) -> Record:
    os_type = pick_weighted(rng, OS_WEIGHTS)
    profile = OS_PROFILES[os_type]
    os_name, os_revision = rng.choice(profile.names)
    machine_type = "server" if "Server" in os_name else rng.choice(profile.machine_types)
    user = rng.choice(USER_NAMES)
    name = computer_name(rng, os_type, machine_type, index, user)
    account = store.accounts[site["accountId"]]
    is_windows = os_type.startswith("windows")
    domain = "CORP" if is_windows and rng.random() < 0.7 else ("WORKGROUP" if is_windows else "unknown")
    internal_ip = f"10.{rng.randint(0, 20)}.{rng.randint(0, 254)}.{rng.randint(2, 254)}"
    external_ip = f"{rng.choice((34, 52, 108, 185, 203))}.{rng.randint(1, 254)}.{rng.randint(0, 254)}.{rng.randint(1, 254)}"
    mac = ":".join(f"{rng.randint(0, 255):02x}" for _ in range(6))
    is_active = rng.random() < 0.85
    network_status = "connected" if is_active and rng.random() < 0.9 else "disconnected"
    last_active = registered_at + (store.now() - registered_at) * (1.0 if is_active else rng.uniform(0.5, 0.95))
    registered = format_timestamp(registered_at)
    updated = format_timestamp(random_moment(rng, registered_at, store.now()))
    agent_id = store.ids.numeric_id()
    tags = []
    if rng.random() < 0.5:
        tags.append(
            {
                "assignedAt": registered,
                "assignedBy": store.user.full_name,
                "assignedById": store.user.id,
                "id": store.ids.numeric_id(),
                "key": rng.choice(("env", "owner", "criticality")),
                "value": rng.choice(("prod", "staging", "it-ops", "high", "low")),
            }
        )
    agent = {
        "accountId": account["id"],
        "accountName": account["name"],
        "activeDirectory": {
            "computerDistinguishedName": f"CN={name},OU=Computers,DC=corp,DC=example" if domain == "CORP" else None,
            "computerMemberOf": [],
            "lastUserDistinguishedName": f"CN={user},OU=Users,DC=corp,DC=example" if domain == "CORP" else None,
            "lastUserMemberOf": [],
            "mail": f"{user}@example.com" if domain == "CORP" else None,
            "userPrincipalName": f"{user}@corp.example" if domain == "CORP" else None,
        },
        "activeThreats": 0,
        "agentVersion": rng.choice(profile.agent_versions),
        "allowRemoteShell": False,
        "appsVulnerabilityStatus": rng.choice(("up_to_date", "patch_required", "not_applicable")),
        "cloudProviders": {},
        "computerName": name,
        "consoleMigrationStatus": "N/A",
        "containerizedWorkloadCounts": None,
        "coreCount": rng.choice((2, 4, 8, 16)),
        "cpuCount": 1,
        "cpuId": rng.choice(("Intel(R) Core(TM) i7-1185G7 @ 3.00GHz", "AMD EPYC 7R13 Processor", "Apple M2")),
        "createdAt": registered,
        "detectionState": None,
        "domain": domain,
        "encryptedApplications": is_windows and rng.random() < 0.6,
        "externalId": "",
        "externalIp": external_ip,
        "firewallEnabled": rng.random() < 0.8,
        "firstFullModeTime": registered,
        "fullDiskScanLastUpdatedAt": updated,
        "groupId": group["id"],
        "groupIp": ".".join(external_ip.split(".")[:3]) + ".x",
        "groupName": group["name"],
        "groupUpdatedAt": None,
        "hasContainerizedWorkload": False,
        "id": agent_id,
        "inRemoteShellSession": False,
        "infected": False,
        "installerType": profile.installer_type,
        "isActive": is_active,
        "isDecommissioned": False,
        "isPendingUninstall": False,
        "isUninstalled": False,
        "isUpToDate": rng.random() < 0.8,
        "lastActiveDate": format_timestamp(last_active),
        "lastIpToMgmt": internal_ip,
        "lastLoggedInUserName": user,
        "lastSuccessfulScanDate": updated,
        "licenseKey": "",
        "locationEnabled": False,
        "locationType": "not_applicable",
        "locations": None,
        "machineType": machine_type,
        "missingPermissions": [],
        "mitigationMode": "protect",
        "mitigationModeSuspicious": "detect",
        "modelName": rng.choice(("Dell Latitude 7420", "HP EliteBook 840", "VMware Virtual Platform", "MacBookPro18,3")),
        "networkInterfaces": [
            {
                "gatewayIp": ".".join(internal_ip.split(".")[:3]) + ".1",
                "gatewayMacAddress": ":".join(f"{rng.randint(0, 255):02x}" for _ in range(6)),
                "id": store.ids.numeric_id(),
                "inet": [internal_ip],
                "inet6": [f"fe80::{rng.randint(0, 0xFFFF):x}:{rng.randint(0, 0xFFFF):x}:{rng.randint(0, 0xFFFF):x}"],
                "name": "Ethernet0" if is_windows else ("en0" if os_type == "macos" else "eth0"),
                "physical": mac,
            }
        ],
        "networkQuarantineEnabled": network_status == "disconnected" and is_active,
        "networkStatus": network_status,
        "operationalState": "na",
        "operationalStateExpiration": None,
        "osArch": profile.os_arch,
        "osName": os_name,
        "osRevision": os_revision,
        "osStartTime": format_timestamp(store.now() - timedelta(days=rng.randint(1, 30))).replace(".000000Z", "Z"),
        "osType": os_type,
        "osUsername": user,
        "policyUpdatedAt": None,
        "proxyStates": {"console": False, "deepVisibility": False},
        "rangerStatus": "NotApplicable",
        "rangerVersion": None,
        "registeredAt": registered,
        "remoteProfilingState": "disabled",
        "remoteProfilingStateExpiration": None,
        "scanAbortedAt": None,
        "scanFinishedAt": updated,
        "scanStartedAt": updated,
        "scanStatus": rng.choice(("finished", "finished", "none")),
        "serialNumber": store.ids.hex_string(12, upper=True),
        "showAlertIcon": False,
        "siteId": site["id"],
        "siteName": site["name"],
        "storageName": None,
        "storageType": None,
        "tags": {"sentinelone": tags},
        "threatRebootRequired": False,
        "totalMemory": rng.choice((8192, 16384, 32768)),
        "updatedAt": updated,
        "userActionsNeeded": [],
        "uuid": store.ids.uuid(),
    }
    store.agents[agent_id] = agent
    store.applications[agent_id] = [
        {
            "installedDate": format_timestamp(random_moment(rng, registered_at - timedelta(days=300), registered_at))[:10],
            "name": app_name,
            "publisher": publisher,
            "size": rng.randint(5, 900) * 1024 * 1024,
            "version": version,
        }
        for app_name, publisher, version in rng.sample(APPLICATIONS, rng.randint(3, 7))
    ]
    return agent


# --- threats -----------------------------------------------------------------------------------------------------
def device_path(os_type: str, directory: str, file_name: str) -> str:
    if os_type.startswith("windows"):
        return f"\\Device\\HarddiskVolume3{directory}\\{file_name}"
    return f"{directory}/{file_name}"


def mitigation_record(action: str, moment: str, status: str = "success") -> Record:
    return {
        "action": action,
        "actionsCounters": {"failed": 0, "notFound": 0, "pendingReboot": 0, "success": 1, "total": 1},
        "agentSupportsReport": True,
        "groupNotFound": False,
        "lastUpdate": moment,
        "latestReport": None,
        "mitigationEndedAt": moment,
        "mitigationStartedAt": moment,
        "reportId": None,
        "status": status,
    }


def make_threat(
    store: Store, rng: random.Random, agent: Record, created_at: datetime, updated_at: datetime | None = None
) -> Record:
    """A threat in the stored (2.1-like) form; `agentRealtimeInfo` is filled in at render time from the agent."""
    account, site, group = store.agent_scope(agent)
    kind = rng.choice(THREAT_KINDS[agent["osType"]])
    confidence = "malicious" if rng.random() < 0.7 else "suspicious"
    mitigation_status = pick_weighted(rng, (("mitigated", 55), ("not_mitigated", 35), ("marked_as_benign", 10)))
    incident_status = pick_weighted(rng, (("unresolved", 50), ("in_progress", 20), ("resolved", 30)))
    verdict = (
        "false_positive"
        if mitigation_status == "marked_as_benign"
        else pick_weighted(rng, (("undefined", 55), ("true_positive", 30), ("suspicious", 15)))
    )
    created = format_timestamp(created_at)
    updated = format_timestamp(updated_at or random_moment(rng, created_at, max(created_at, store.now())))
    identified = format_timestamp(created_at - timedelta(milliseconds=rng.randint(50, 900)))
    user = agent["lastLoggedInUserName"] or "root"
    file_path = device_path(agent["osType"], kind.directory.replace("{user}", user), kind.file_name)
    threat_id = store.ids.numeric_id()
    interface = agent["networkInterfaces"][0]
    detection_type = rng.choice(("static", "dynamic"))
    actions: list[Record] = []
    if mitigation_status == "mitigated":
        actions = [mitigation_record("kill", updated), mitigation_record("quarantine", updated)]
    threat: Record = {
        "id": threat_id,
        "agentDetectionInfo": {
            "accountId": account["id"],
            "accountName": account["name"],
            "agentDetectionState": "full_mode",
            "agentDomain": agent["domain"],
            "agentIpV4": interface["inet"][0],
            "agentIpV6": interface["inet6"][0],
            "agentLastLoggedInUpn": None,
            "agentLastLoggedInUserMail": None,
            "agentLastLoggedInUserName": user,
            "agentMitigationMode": agent["mitigationMode"],
            "agentOsName": agent["osName"],
            "agentOsRevision": agent["osRevision"],
            "agentRegisteredAt": agent["registeredAt"],
            "agentUuid": agent["uuid"],
            "agentVersion": agent["agentVersion"],
            "assetVersion": None,
            "cloudProviders": {},
            "externalIp": agent["externalIp"],
            "groupId": group["id"],
            "groupName": group["name"],
            "siteId": site["id"],
            "siteName": site["name"],
        },
        "containerInfo": {"id": None, "image": None, "isContainerQuarantine": None, "labels": None, "name": None},
        "ecsInfo": {
            "clusterName": None,
            "serviceArn": None,
            "serviceName": None,
            "taskArn": None,
            "taskAvailabilityZone": None,
            "taskDefinitionArn": None,
            "taskDefinitionFamily": None,
            "taskDefinitionRevision": None,
            "type": None,
            "version": None,
        },
        "indicators": [
            {
                "category": rng.choice(("General", "InfoStealer", "Persistence", "Evasion")),
                "description": rng.choice(
                    (
                        "Detected suspicious process injection",
                        "Suspicious registry key was created",
                        "Connects to a known command and control address",
                        "Reads stored browser credentials",
                    )
                ),
                "ids": sorted(rng.sample(range(1, 60), 2)),
                "tactics": [
                    {
                        "name": rng.choice(("Defense Evasion", "Persistence", "Credential Access")),
                        "source": "MITRE",
                        "techniques": [{"link": "https://attack.mitre.org/techniques/T1055/", "name": "T1055"}],
                    }
                ],
            }
        ],
        "kubernetesInfo": {
            "cluster": None,
            "controllerKind": None,
            "controllerLabels": None,
            "controllerName": None,
            "isContainerQuarantine": None,
            "namespace": None,
            "namespaceLabels": None,
            "node": None,
            "nodeLabels": None,
            "pod": None,
            "podLabels": None,
        },
        "mitigationStatus": actions,
        "threatInfo": {
            "analystVerdict": verdict,
            "analystVerdictDescription": DISPLAY_VERDICT[verdict],
            "automaticallyResolved": False,
            "browserType": None,
            "certificateId": "",
            "classification": kind.classification,
            "classificationSource": rng.choice(("Static", "Cloud", "Behavioral")),
            "cloudFilesHashVerdict": "black" if confidence == "malicious" else "provider_unknown",
            "collectionId": store.ids.numeric_id(),
            "confidenceLevel": confidence,
            "createdAt": created,
            "detectionEngines": [{"key": "sentinelone_cloud", "title": kind.engines[0]}],
            "detectionType": detection_type,
            "engines": list(kind.engines),
            "externalTicketExists": False,
            "externalTicketId": None,
            "failedActions": False,
            "fileExtension": kind.file_name.rsplit(".", 1)[-1].upper() if "." in kind.file_name else "",
            "fileExtensionType": kind.extension_type,
            "filePath": file_path,
            "fileSize": rng.randint(20_000, 4_000_000),
            "fileVerificationType": rng.choice(("NotSigned", "SignedVerified", "SignatureNotChecked")),
            "identifiedAt": identified,
            "incidentStatus": incident_status,
            "incidentStatusDescription": DISPLAY_INCIDENT_STATUS[incident_status],
            "initiatedBy": rng.choice(("agent_policy", "agent_policy", "full_disk_scan")),
            "initiatedByDescription": "Agent Policy",
            "initiatingUserId": None,
            "initiatingUsername": None,
            "isFileless": False,
            "isValidCertificate": False,
            "macroModules": [],
            "maliciousProcessArguments": None,
            "md5": hex_digest(rng, "md5"),
            "mitigatedPreemptively": False,
            "mitigationStatus": mitigation_status,
            "mitigationStatusDescription": DISPLAY_MITIGATION_STATUS[mitigation_status],
            "originatorProcess": rng.choice(("explorer.exe", "chrome.exe", "outlook.exe", "bash", "launchd")),
            "pendingActions": False,
            "processUser": f"{agent['computerName']}\\{user}" if agent["osType"].startswith("windows") else user,
            "publisherName": "",
            "reachedEventsLimit": False,
            "rebootRequired": False,
            "rootProcessUpn": None,
            "sha1": hex_digest(rng, "sha1"),
            "sha256": hex_digest(rng, "sha256"),
            "storyline": store.ids.storyline(),
            "threatId": threat_id,
            "threatName": kind.name,
            "updatedAt": updated,
        },
        "whiteningOptions": ["hash", "path"] if rng.random() < 0.7 else ["hash"],
        "_sim": {
            "agentId": agent["id"],
            "rank": rng.randint(6, 10) if confidence == "malicious" else rng.randint(3, 6),
            "cloudFile": rng.random() < 0.5,
        },
    }
    store.threats[threat_id] = threat
    store.add_activity(
        19,
        f"Threat {kind.name} was detected on {agent['computerName']}.",
        at=created_at,
        agent=agent,
        threat_id=threat_id,
        data={"threatClassification": kind.classification, "fileContentHash": threat["threatInfo"]["sha1"]},
    )
    return threat


# --- STAR rules and alerts ---------------------------------------------------------------------------------------
def make_star_rule(
    store: Store, account: Record, name: str, severity: str, s1ql: str, created_at: datetime, status: str
) -> Record:
    moment = format_timestamp(created_at)
    rule = {
        "accountId": account["id"],
        "accountName": account["name"],
        "activeResponse": False,
        "createdAt": moment,
        "creator": store.user.full_name,
        "creatorId": store.user.id,
        "description": f"Detects: {name.lower()}",
        "editable": True,
        "expiration": None,
        "expirationMode": "Permanent",
        "expired": False,
        "generatedAlerts": 0,
        "id": store.ids.numeric_id(),
        "lastAlertTime": None,
        "name": name,
        "networkQuarantine": False,
        "queryLang": "1.0",
        "queryType": "events",
        "reachedLimit": False,
        "s1ql": s1ql,
        "scope": "account",
        "scopeId": account["id"],
        "severity": severity,
        "siteId": None,
        "siteName": None,
        "status": status,
        "statusReason": None,
        "treatAsThreat": "UNDEFINED",
        "updatedAt": moment,
        "updaterId": store.user.id,
    }
    store.star_rules[str(rule["id"])] = rule
    return rule


def process_info(store: Store, rng: random.Random, agent: Record, name: str, started: datetime) -> Record:
    user = agent["lastLoggedInUserName"] or "root"
    is_windows = agent["osType"].startswith("windows")
    file_path = f"C:\\Windows\\System32\\{name}" if is_windows else f"/usr/bin/{name}"
    return {
        "commandline": f"{file_path} {rng.choice(('-nop -w hidden', '--type=renderer', '-c whoami', ''))}".strip(),
        "effectiveUser": None,
        "fileHashMd5": hex_digest(rng, "md5"),
        "fileHashSha1": hex_digest(rng, "sha1"),
        "fileHashSha256": hex_digest(rng, "sha256"),
        "filePath": file_path,
        "fileSignerIdentity": "MICROSOFT WINDOWS" if is_windows else None,
        "integrityLevel": "high" if is_windows else "unknown",
        "loginUser": None,
        "name": name,
        "pid": str(rng.randint(300, 65000)),
        "pidStarttime": format_timestamp(started),
        "realUser": None,
        "storyline": store.ids.storyline(),
        "subsystem": "sys_win32" if is_windows else "unknown",
        "uniqueId": store.ids.storyline(),
        "user": f"{agent['domain']}\\{user}" if is_windows else user,
    }


def make_alert(store: Store, rng: random.Random, agent: Record, rule: Record, created_at: datetime) -> Record:
    account, site, group = store.agent_scope(agent)
    event_type = next((event for name, _, _, event in STAR_RULES if name == rule["name"]), "PROCESSCREATION")
    incident_status = pick_weighted(rng, (("unresolved", 60), ("in_progress", 20), ("resolved", 20)))
    verdict = pick_weighted(rng, (("undefined", 70), ("true_positive", 15), ("false_positive", 10), ("suspicious", 5)))
    created = format_timestamp(created_at)
    alert_id = store.ids.numeric_id()
    names = {"windows": "powershell.exe", "windows_legacy": "cmd.exe", "macos": "osascript", "linux": "curl"}
    parent_names = {"windows": "explorer.exe", "windows_legacy": "explorer.exe", "macos": "launchd", "linux": "bash"}
    started = created_at - timedelta(seconds=rng.randint(1, 600))
    alert = {
        "agentDetectionInfo": {
            "accountId": account["id"],
            "machineType": agent["machineType"],
            "name": agent["computerName"],
            "osFamily": agent["osType"],
            "osName": agent["osName"],
            "osRevision": agent["osRevision"],
            "siteId": site["id"],
            "uuid": agent["uuid"],
            "version": agent["agentVersion"],
        },
        "alertInfo": {
            "alertId": alert_id,
            "analystVerdict": DISPLAY_VERDICT[verdict],
            "createdAt": created,
            "dnsRequest": None,
            "dnsResponse": None,
            "dstIp": None,
            "dstPort": None,
            "dvEventId": f"01H{store.ids.hex_string(23, upper=True)}",
            "eventType": event_type,
            "hitType": "Events",
            "incidentStatus": DISPLAY_INCIDENT_STATUS[incident_status],
            "indicatorCategory": None,
            "indicatorDescription": None,
            "indicatorName": None,
            "isEdr": True,
            "loginAccountDomain": None,
            "loginAccountSid": None,
            "loginIsAdministratorEquivalent": None,
            "loginIsSuccessful": None,
            "loginType": None,
            "loginsUserName": None,
            "modulePath": None,
            "moduleSha1": None,
            "netEventDirection": None,
            "registryKeyPath": "HKLM\\Software\\Microsoft\\Windows\\CurrentVersion\\Run"
            if event_type == "REGVALUEMODIFIED"
            else None,
            "registryOldValue": None,
            "registryOldValueType": None,
            "registryPath": None,
            "registryValue": None,
            "reportedAt": format_timestamp(created_at + timedelta(seconds=rng.randint(1, 90))),
            "source": "STAR",
            "srcIp": None,
            "srcMachineIp": agent["networkInterfaces"][0]["inet"][0],
            "srcPort": None,
            "tiIndicatorComparisonMethod": None,
            "tiIndicatorSource": None,
            "tiIndicatorType": None,
            "tiIndicatorValue": None,
            "updatedAt": created,
        },
        "containerInfo": {"id": None, "image": None, "labels": None, "name": None},
        "kubernetesInfo": {
            "cluster": None,
            "controllerKind": None,
            "controllerLabels": None,
            "controllerName": None,
            "namespace": None,
            "namespaceLabels": None,
            "node": None,
            "pod": None,
            "podLabels": None,
        },
        "ruleInfo": {
            "description": rule["description"],
            "id": rule["id"],
            "name": rule["name"],
            "queryLang": rule["queryLang"],
            "queryType": rule["queryType"],
            "s1ql": rule["s1ql"],
            "scopeLevel": rule["scope"],
            "severity": rule["severity"],
            "treatAsThreat": rule["treatAsThreat"],
        },
        "sourceParentProcessInfo": process_info(store, rng, agent, parent_names[agent["osType"]], started - timedelta(hours=2)),
        "sourceProcessInfo": process_info(store, rng, agent, names[agent["osType"]], started),
        "targetProcessInfo": {
            "tgtFileCreatedAt": "1970-01-01T00:00:00Z",
            "tgtFileHashSha1": None,
            "tgtFileHashSha256": None,
            "tgtFileId": None,
            "tgtFileIsSigned": None,
            "tgtFileModifiedAt": "1970-01-01T00:00:00Z",
            "tgtFileOldPath": None,
            "tgtFilePath": None,
            "tgtProcCmdLine": None,
            "tgtProcImagePath": None,
            "tgtProcIntegrityLevel": "unknown",
            "tgtProcName": None,
            "tgtProcPid": None,
            "tgtProcSignedStatus": None,
            "tgtProcStorylineId": None,
            "tgtProcUid": None,
            "tgtProcessStartTime": "1970-01-01T00:00:00Z",
        },
        "_sim": {"agentId": agent["id"], "siteId": site["id"], "groupId": group["id"], "accountId": account["id"]},
    }
    return add_alert(store, rule, alert)


def copy_alert(store: Store, rng: random.Random, template: Record, rule: Record, created_at: datetime) -> Record:
    """A new alert of the template's agent and rule, with the template's process details but its own alert id, event
    id and times: how the control surface adds alerts in bulk (about ten times faster than make_alert)."""
    alert = {key: dict(value) if isinstance(value, dict) else value for key, value in template.items()}
    created = format_timestamp(created_at)
    alert["alertInfo"].update(
        alertId=store.ids.numeric_id(),
        createdAt=created,
        updatedAt=created,
        dvEventId=f"01H{store.ids.hex_string(23, upper=True)}",
        reportedAt=format_timestamp(created_at + timedelta(seconds=rng.randint(1, 90))),
    )
    return add_alert(store, rule, alert)


def add_alert(store: Store, rule: Record, alert: Record) -> Record:
    created = alert["alertInfo"]["createdAt"]
    store.alerts[alert["alertInfo"]["alertId"]] = alert
    rule["generatedAlerts"] += 1
    if rule["lastAlertTime"] is None or rule["lastAlertTime"] < created:
        rule["lastAlertTime"] = created
    return alert


# --- lists: exclusions, restrictions, IOCs -----------------------------------------------------------------------
def scope_fields(
    store: Store,
    *,
    tenant: bool = False,
    account_ids: list[str] | None = None,
    site_ids: list[str] | None = None,
    group_ids: list[str] | None = None,
) -> Record:
    """`scope`, `scopeName`, `scopePath` of an exclusion / restriction."""
    account_ids, site_ids, group_ids = account_ids or [], site_ids or [], group_ids or []
    if group_ids:
        group = store.groups[group_ids[0]]
        site = store.sites[group["siteId"]]
        name, scope_path = group["name"], f"Global / {site['accountName']} / {site['name']} / {group['name']}"
    elif site_ids:
        site = store.sites[site_ids[0]]
        name, scope_path = site["name"], f"Global / {site['accountName']} / {site['name']}"
    elif account_ids:
        account = store.accounts[account_ids[0]]
        name, scope_path = account["name"], f"Global / {account['name']}"
    else:
        name, scope_path = "Global", "Global"
    return {
        "scope": {
            "accountIds": account_ids,
            "groupIds": group_ids,
            "siteIds": site_ids,
            "tenant": tenant or not (account_ids or site_ids or group_ids),
        },
        "scopeName": name,
        "scopePath": scope_path,
    }


def make_list_item(store: Store, kind: str, data: Record, scope: Record, created_at: datetime) -> Record:
    """An exclusion (`kind="exclusion"`) or a blocklist restriction (`kind="restriction"`)."""
    moment = format_timestamp(created_at)
    item: Record = {
        "createdAt": moment,
        "description": data.get("description"),
        "id": store.ids.numeric_id(),
        "imported": False,
        "includeChildren": False,
        "includeParents": False,
        "notRecommended": "NONE",
        "osType": data.get("osType"),
        "source": data.get("source") or "user",
        "type": data["type"],
        "updatedAt": moment,
        "userId": store.user.id,
        "userName": store.user.full_name,
        "value": data["value"],
        **scope,
    }
    if kind == "exclusion":
        item.update(
            {
                "actions": [],
                "applicationName": data.get("applicationName"),
                "inAppInventory": False,
                "mode": data.get("mode") or ("suppress" if data["type"] == "path" else None),
                "pathExclusionType": data.get("pathExclusionType") if data["type"] == "path" else None,
            }
        )
        store.exclusions[str(item["id"])] = item
    else:
        item["sha256Value"] = data.get("sha256Value")
        store.restrictions[str(item["id"])] = item
    return item


def make_unified_exclusion(store: Store, data: Record, scope: Record, created_at: datetime) -> Record:
    """A unified exclusion (2.1 `unified-exclusions`); `data` holds its API fields, `scope` from `scope_fields`."""
    moment = format_timestamp(created_at)
    item: Record = {
        "createdAt": moment,
        "description": data.get("description"),
        "engines": UNIFIED_ENGINES.get(data["modeType"], "suppress"),
        "exclusionName": data["exclusionName"],
        "id": store.ids.numeric_id(),
        "modeType": data["modeType"],
        "osType": data["osType"],
        "pathExclusionType": data.get("pathExclusionType"),
        "reason": data.get("reason"),
        "sha256Value": data.get("sha256Value"),
        "source": "user",
        "threatType": data.get("threatType") or "EDR",
        "type": data["type"],
        "updatedAt": moment,
        "userId": store.user.id,
        "userName": store.user.full_name,
        "value": data.get("value"),
        **scope,
    }
    store.unified_exclusions[item["id"]] = item
    return item


def seed_newer_lists(store: Store, now: datetime) -> None:
    """Unified exclusions and a SHA256 blocklist item. Made last, so that every other seeded object keeps its id."""
    account = next(iter(store.accounts.values()))
    site = next(iter(store.sites.values()))
    for offset, (name, item_type, value, os_type, mode, scope) in enumerate(
        (
            ("Backup agent", "path", "C:\\Program Files\\Backup Agent\\agent.exe", "windows", "suppression",
             scope_fields(store, account_ids=[account["id"]])),
            ("Build cache", "path", "/opt/build/cache", "linux", "performance", scope_fields(store, site_ids=[site["id"]])),
            ("Signed tools", "certificate", "Acme Corp Code Signing", "windows", "interoperability",
             scope_fields(store, tenant=True)),
        )
    ):  # fmt: skip
        make_unified_exclusion(
            store,
            {
                "exclusionName": name,
                "type": item_type,
                "value": value,
                "osType": os_type,
                "modeType": mode,
                "pathExclusionType": "file" if item_type == "path" else None,
                "reason": "performance_issue" if mode == "performance" else "false_positive",
                "description": f"{name} (seeded)",
            },
            scope,
            now - timedelta(days=30 - offset),
        )
    make_list_item(
        store,
        "restriction",
        {
            "type": "black_hash",
            "value": None,
            "sha256Value": hashlib.sha256(b"s1sim seeded blocked sample").hexdigest(),
            "osType": "linux",
            "source": "user",
            "description": "Blocked by the SOC (SHA256)",
        },
        scope_fields(store, tenant=True),
        now - timedelta(days=5),
    )


def make_ioc(store: Store, rng: random.Random, account: Record, data: Record, uploaded_at: datetime) -> Record:
    moment = format_timestamp(uploaded_at)
    ioc = {
        "batchId": data.get("batchId") or store.ids.hex_string(32),
        "campaignNames": [],
        "category": [],
        "creationTime": moment,
        "creator": store.user.email,
        "description": data.get("description"),
        "externalId": data.get("externalId"),
        "intrusionSets": [],
        "labels": [],
        "malwareNames": [],
        "metadata": None,
        "method": data["method"],
        "mitreTactic": [],
        "name": data.get("name"),
        "originalRiskScore": None,
        "pattern": None,
        "patternType": None,
        "reference": [],
        "scope": "account",
        "scopeId": account["id"],
        "severity": None,
        "source": data["source"],
        "threatActors": [],
        "type": data["type"],
        "updatedAt": moment,
        "uploadTime": moment,
        "uuid": store.ids.hex_string(32),
        "validUntil": data["validUntil"],
        "value": data["value"],
    }
    store.iocs[str(ioc["uuid"])] = ioc
    return ioc


def make_remote_script(store: Store, name: str, script_type: str, os_types: tuple[str, ...], created_at: datetime) -> Record:
    moment = format_timestamp(created_at)
    script = {
        "createdAt": moment,
        "creator": "SentinelOne",
        "creatorId": "-1",
        "fileName": name.lower().replace(" ", "_") + ".ps1",
        "id": store.ids.numeric_id(),
        "inputExample": "-ProcessName notepad.exe" if script_type == "action" else None,
        "inputInstructions": "Process name to kill" if script_type == "action" else None,
        "inputRequired": script_type == "action",
        "osTypes": list(os_types),
        "scopeLevel": "global",
        "scriptDescription": f"{name} on the endpoint.",
        "scriptName": name,
        "scriptRuntimeTimeoutSeconds": 3600,
        "scriptType": script_type,
        "shortFileName": name.lower().replace(" ", "_"),
        "supportedDestinations": ["SentinelCloud", "Local", "None", "SingularityXDR"],
        "updatedAt": moment,
        "version": "1.0",
    }
    store.remote_scripts[str(script["id"])] = script
    return script


# --- the tenant --------------------------------------------------------------------------------------------------
def build_tenant(clock: SimClock, seed: int = 0, size: TenantSize | None = None) -> Store:
    """The seeded tenant. Deterministic for a given (seed, size, clock start)."""
    size = size or TenantSize()
    # Seed against a standing copy of the clock at its start, so that every timestamp is an exact offset from the
    # start even when the real clock is running; the store then keeps the real clock.
    store = populate(SimClock(clock.start, frozen=True), seed, size)
    store.clock = clock
    return store


def populate(clock: SimClock, seed: int, size: TenantSize) -> Store:
    rng = random.Random(seed)
    ids = IdFactory(random.Random(f"ids-{seed}"))
    user = ConsoleUser(id=ids.numeric_id(), full_name="Sim Analyst", email="analyst@example.com")
    store = Store(clock=clock, ids=ids, rng=random.Random(f"runtime-{seed}"), user=user, seed=seed, size=size)
    now = clock.now()
    origin = now - timedelta(days=400)

    acme = make_account(store, "Acme Corp", origin)
    globex = make_account(store, "Globex", origin + timedelta(days=10))
    sites = [
        make_site(store, acme, "Acme HQ", origin + timedelta(days=1), is_default=True, state="active"),
        make_site(store, acme, "Acme Cloud", origin + timedelta(days=2), is_default=False, state="active"),
        make_site(store, globex, "Globex Main", origin + timedelta(days=11), is_default=True, state="active"),
        make_site(store, globex, "Globex Lab", origin + timedelta(days=12), is_default=False, state="expired"),
    ]
    groups_by_site: dict[str, list[Record]] = {}
    for offset, site in enumerate(sites):
        created = origin + timedelta(days=3 + offset)
        groups_by_site[site["id"]] = [
            make_group(store, site, "Default Group", "static", created, is_default=True),
            make_group(store, site, "Servers", "static", created),
            make_group(store, site, "Workstations", "dynamic", created),
        ]
    agent_sites = sites[:3]  # the expired lab site has no agents
    for index in range(size.agents):
        site = agent_sites[index % len(agent_sites)]
        default_group, servers, workstations = groups_by_site[site["id"]]
        group = rng.choice((default_group, servers, workstations))
        registered = random_moment(rng, origin + timedelta(days=20), now - SEEDED_HISTORY)
        make_agent(store, rng, site, group, registered, index + 1)
    agents = list(store.agents.values())

    history_start = now - SEEDED_HISTORY
    if agents:
        threat_times = sorted(random_moment(rng, history_start, now - timedelta(minutes=5)) for _ in range(size.threats))
        for moment in threat_times:
            make_threat(store, rng, rng.choice(agents), moment)
    for threat in store.threats.values():
        agent = store.agents[threat["_sim"]["agentId"]]
        if threat["threatInfo"]["incidentStatus"] != "resolved":
            agent["activeThreats"] += 1
            agent["infected"] = threat["threatInfo"]["mitigationStatus"] == "not_mitigated" or agent["infected"]

    rules = [
        make_star_rule(
            store, acme if index % 2 == 0 else globex, name, severity, s1ql, origin + timedelta(days=30 + index), "Active"
        )
        for index, (name, severity, s1ql, _) in enumerate(STAR_RULES)
    ]
    make_star_rule(
        store,
        acme,
        "Draft - Mimikatz command line",
        "High",
        'TgtProcCmdLine ContainsCIS "sekurlsa"',
        now - timedelta(days=1),
        "Draft",
    )
    if agents:
        alert_times = sorted(random_moment(rng, history_start, now - timedelta(minutes=5)) for _ in range(size.alerts))
        for moment in alert_times:
            agent = rng.choice(agents)
            candidates = [rule for rule in rules if rule["accountId"] == agent["accountId"]] or rules
            make_alert(store, rng, agent, rng.choice(candidates), moment)

    threats = list(store.threats.values())
    for threat in rng.sample(threats, min(len(threats), max(1, len(threats) // 5))) if threats else []:
        for _ in range(rng.randint(1, 2)):
            created = random_moment(rng, next_moment(threat["threatInfo"]["createdAt"]), now)
            add_note(
                store,
                threat["id"],
                rng.choice(("Escalated to tier 2.", "Confirmed with the user.", "Reimaging scheduled.")),
                created,
            )

    make_list_item(
        store,
        "exclusion",
        {
            "type": "path",
            "value": "C:\\Program Files\\Backup Agent\\",
            "osType": "windows",
            "mode": "suppress",
            "pathExclusionType": "subfolders",
            "description": "Backup agent",
        },
        scope_fields(store, tenant=True),
        origin + timedelta(days=40),
    )
    make_list_item(
        store,
        "exclusion",
        {
            "type": "path",
            "value": "/opt/build/cache",
            "osType": "linux",
            "mode": "suppress_dynamic_only",
            "pathExclusionType": "folder",
            "description": "Build cache",
        },
        scope_fields(store, site_ids=[sites[1]["id"]]),
        origin + timedelta(days=41),
    )
    good_hashes = [hex_digest(rng, "sha1") for _ in range(3)]
    store.known_good_hashes.update(good_hashes)
    make_list_item(
        store,
        "exclusion",
        {"type": "white_hash", "value": good_hashes[0], "osType": "windows", "description": "In-house tool"},
        scope_fields(store, account_ids=[acme["id"]]),
        origin + timedelta(days=42),
    )
    make_list_item(
        store,
        "exclusion",
        {"type": "certificate", "value": "Acme Corp Code Signing", "osType": "windows", "description": "Our signed binaries"},
        scope_fields(store, tenant=True),
        origin + timedelta(days=43),
    )
    make_list_item(
        store,
        "exclusion",
        {"type": "browser", "value": "Chrome", "osType": "windows", "description": "Browser"},
        scope_fields(store, site_ids=[sites[0]["id"]]),
        origin + timedelta(days=44),
    )
    make_list_item(
        store,
        "exclusion",
        {"type": "file_type", "value": "LOG", "osType": "windows", "description": "Log files"},
        scope_fields(store, group_ids=[groups_by_site[sites[0]["id"]][1]["id"]]),
        origin + timedelta(days=45),
    )
    blocked = [threat["threatInfo"]["sha1"] for threat in threats[:3]] + [hex_digest(rng, "sha1")]
    for index, value in enumerate(blocked):
        scope = scope_fields(store, site_ids=[sites[0]["id"]]) if index == 1 else scope_fields(store, tenant=True)
        make_list_item(
            store,
            "restriction",
            {"type": "black_hash", "value": value, "osType": "windows", "source": "user", "description": "Blocked by the SOC"},
            scope,
            now - timedelta(days=10 - index),
        )

    ioc_samples = (
        ("IPV4", "203.0.113.17", 14),
        ("DNS", "evil-updates.example", 90),
        ("URL", "https://evil-updates.example/payload.bin", 90),
        ("SHA256", hex_digest(rng, "sha256"), 180),
        ("MD5", hex_digest(rng, "md5"), 180),
    )
    for index, (ioc_type, value, days) in enumerate(ioc_samples):
        uploaded = now - timedelta(days=5 - index)
        make_ioc(
            store,
            rng,
            acme,
            {
                "type": ioc_type,
                "value": value,
                "method": "EQUALS",
                "source": "Threat feed",
                "name": f"Feed IOC {index + 1}",
                "description": "Seeded indicator",
                "externalId": f"feed-{index + 1}",
                "validUntil": format_timestamp(uploaded + timedelta(days=days)),
            },
            uploaded,
        )

    for index, (name, script_type, os_types) in enumerate(REMOTE_SCRIPTS):
        make_remote_script(store, name, script_type, os_types, origin + timedelta(days=50 + index))

    make_activity_history(store, rng, agents, now)
    seed_uam_alerts(store, size.uam_alerts)
    refresh_counters(store)
    if store.accounts and store.sites:
        seed_newer_lists(store, now)
    return store


def next_moment(timestamp: str) -> datetime:
    return parse_timestamp(timestamp) + timedelta(seconds=1)


def add_note(store: Store, threat_id: str, text: str, at: datetime | None = None) -> Record:
    moment = format_timestamp(at or store.now())
    note = {
        "createdAt": moment,
        "creator": store.user.full_name,
        "creatorId": store.user.id,
        "edited": False,
        "id": store.ids.numeric_id(),
        "text": text,
        "updatedAt": moment,
    }
    store.notes.setdefault(threat_id, []).append(note)
    return note


def make_activity_history(store: Store, rng: random.Random, agents: list[Record], now: datetime) -> None:
    for account in store.accounts.values():
        store.add_activity(
            7,
            f"The management user {store.user.full_name} updated {account['name']} account.",
            at=random_moment(rng, now - SEEDED_HISTORY, now),
            account_id=account["id"],
            data={
                "accountName": account["name"],
                "fullScopeDetails": f"Account {account['name']}",
                "fullScopeDetailsPath": f"Global / {account['name']}",
                "scopeLevel": "Account",
                "scopeName": account["name"],
                "username": store.user.full_name,
            },
            by_user=True,
        )
    for agent in agents:
        if agent["networkStatus"] == "disconnected" and agent["isActive"]:
            store.add_activity(
                1001,
                f"Agent {agent['computerName']} was disconnected from network.",
                at=random_moment(rng, now - SEEDED_HISTORY, now),
                agent=agent,
                data={"computerName": agent["computerName"]},
            )


def refresh_counters(store: Store) -> None:
    """Derived counters: agents per group, agents and sites per account."""
    for group in store.groups.values():
        group["totalAgents"] = 0
    for account in store.accounts.values():
        account["activeAgents"] = 0
        account["numberOfSites"] = 0
    for site in store.sites.values():
        site["activeLicenses"] = 0
        store.accounts[site["accountId"]]["numberOfSites"] += 1
    for agent in store.agents.values():
        if agent["isUninstalled"] or agent["isDecommissioned"]:
            continue
        store.groups[agent["groupId"]]["totalAgents"] += 1
        store.sites[agent["siteId"]]["activeLicenses"] += 1
        store.accounts[agent["accountId"]]["activeAgents"] += 1
