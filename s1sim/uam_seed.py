"""Synthetic UAM alerts: the seeded ones of the default tenant and the builder the control surface uses.

Every view type is covered (endpoint EDR and STAR alerts on the tenant's agents, cloud workload alerts on the cloud
site, identity alerts, custom cloud detections, third-party alerts), and every severity and status (both cycle with
the index). Several alerts share one createdAt millisecond, and some
nested objects are null as in real data (assignee, attacker, cloud, targetUser, kubernetes, and on a few
third-party alerts realTime.scope.site and detectionTime).

The seeded alerts draw from their own random stream, so the tenant's other objects are the same with or without them.
The product codes beyond EDR, CWS and STAR, the names and the asset vocabularies are not in the published facts: they
are chosen to look like a console's.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from s1sim.catalog import STAR_RULES
from s1sim.clock import parse_timestamp
from s1sim.ids import random_uuid
from s1sim.store import Record, Store
from s1sim.uam import ANALYST_VERDICTS, CONSOLE_ANALYST, SENTINELONE_VENDOR, SEVERITIES, STATUSES, UamAlerts, format_millis

SEEDED_HISTORY = timedelta(days=14)
OS_TYPES = {"windows": "WINDOWS", "windows_legacy": "WINDOWS", "macos": "MACOS", "linux": "LINUX"}


@dataclass(frozen=True)
class UamKind:
    key: str
    attack_surfaces: tuple[str, ...]
    product: str
    vendor: str
    analytics_type: str
    names: tuple[str, ...]
    classifications: tuple[str, ...]
    on_agent: bool = False


KINDS: dict[str, UamKind] = {
    kind.key: kind
    for kind in (
        UamKind(
            "edr",
            ("ENDPOINT",),
            "EDR",
            SENTINELONE_VENDOR,
            "OTHER",
            ("Ransomware behaviour detected", "Credential theft from LSASS", "Malicious document macro", "Trojan dropped"),
            ("RANSOMWARE", "MALWARE", "TROJAN", "INFOSTEALER"),
            on_agent=True,
        ),
        UamKind(
            "star",
            ("ENDPOINT",),
            "STAR",
            SENTINELONE_VENDOR,
            "CUSTOM",
            tuple(rule[0] for rule in STAR_RULES),
            ("SUSPICIOUS_ACTIVITY", "PERSISTENCE"),
            on_agent=True,
        ),
        UamKind(
            "cws",
            ("CLOUD",),
            "CWS",
            SENTINELONE_VENDOR,
            "OTHER",
            ("Cryptominer in container", "Reverse shell from workload", "Privilege escalation in pod"),
            ("MINER", "MALWARE", "EXPLOIT"),
        ),
        UamKind(
            "cloud_custom",
            ("CLOUD",),
            "CNS",
            SENTINELONE_VENDOR,
            "CUSTOM",
            ("Custom rule: public storage bucket", "Custom rule: root account login"),
            ("MISCONFIGURATION",),
        ),
        UamKind(
            "identity",
            ("IDENTITY",),
            "IDENTITY",
            SENTINELONE_VENDOR,
            "OTHER",
            ("Kerberoasting attempt", "Password spray against domain", "DCSync from workstation"),
            ("CREDENTIAL_ACCESS", "LATERAL_MOVEMENT"),
        ),
        UamKind(
            "okta",
            ("IDENTITY",),
            "Okta Workforce Identity",
            "Okta",
            "OTHER",
            ("Impossible travel sign-in", "MFA push fatigue"),
            ("ACCOUNT_COMPROMISE",),
        ),
        UamKind(
            "email",
            ("EMAIL",),
            "Microsoft Defender for Office 365",
            "Microsoft",
            "OTHER",
            ("Phishing email delivered", "Malicious attachment clicked"),
            ("PHISHING",),
        ),
        UamKind(
            "network",
            ("NETWORK",),
            "PAN-OS",
            "Palo Alto Networks",
            "OTHER",
            ("Command and control traffic blocked", "Port scan from internal host"),
            ("COMMAND_AND_CONTROL", "RECONNAISSANCE"),
        ),
    )
}
# The seeded mix, in order: index i gets KIND_CYCLE[i % len(KIND_CYCLE)].
# Thirteen, prime to the three statuses and five severities: each kind meets every status and severity in turn.
KIND_CYCLE = (
    *("edr", "star", "cws", "identity", "edr", "okta", "cloud_custom"),
    *("email", "edr", "network", "cws", "star", "identity"),
)
NOTE_TEXTS = ("Escalated to tier 2.", "Checked with the asset owner.", "Closed after review.")


def digest(rng: random.Random, algorithm: str) -> str:
    return hashlib.new(algorithm, rng.randbytes(16)).hexdigest()


def scope_entities(account: Record, site: Record | None, group: Record | None) -> Record:
    def entity(record: Record | None) -> Record | None:
        return None if record is None else {"id": record["id"], "name": record["name"]}

    return {"scope": {"account": entity(account), "group": entity(group), "site": entity(site)}}


def detection_scope(account: Record, site: Record | None, group: Record | None) -> Record:
    return {
        "accountId": account["id"],
        "accountName": account["name"],
        "groupName": group["name"] if group else None,
        "siteName": site["name"] if site else None,
    }


def agent_parts(store: Store, agent: Record, rng: random.Random) -> Record:
    """asset, detectionTime.asset/scope, realTime and process of an alert raised on `agent`."""
    account, site, group = store.agent_scope(agent)
    os_type = OS_TYPES[agent["osType"]]
    interface = agent["networkInterfaces"][0]
    user = agent["lastLoggedInUserName"]
    is_windows = os_type == "WINDOWS"
    file_name = rng.choice(("invoice_3321.exe", "update.dll", "tasksche.exe") if is_windows else ("xmrig", "payload.sh"))
    directory = f"C:\\Users\\{user}\\AppData\\Local\\Temp" if is_windows else "/tmp"
    separator = "\\" if is_windows else "/"
    sha1 = digest(rng, "sha1")
    return {
        "asset": {
            "id": agent["id"],
            "name": agent["computerName"],
            "agentUuid": agent["uuid"],
            "agentVersion": agent["agentVersion"],
            "assetTypeClassifier": "Endpoint",
            "category": "Server" if agent["machineType"] == "server" else "Workstation",
            "subcategory": agent["machineType"].capitalize(),
            "type": agent["machineType"].upper(),
            "connectivityToConsole": "ONLINE" if agent["isActive"] else "OFFLINE",
            "osType": os_type,
            "osVersion": f"{agent['osName']} {agent['osRevision']}",
            "pendingReboot": False,
            "lastLoggedInUser": user,
            "policy": "PROTECT",
        },
        "detectionTime": {
            "asset": {
                "agentVersion": agent["agentVersion"],
                "consoleIpAddress": agent["lastIpToMgmt"],
                "domain": agent["domain"],
                "ipV4": interface["inet"][0],
                "ipV6": interface["inet6"][0],
                "lastLoggedInUser": user,
                "osName": agent["osName"],
                "osRevision": agent["osRevision"],
                "osType": os_type,
                "policy": "PROTECT",
                "subscriptionTime": format_millis(parse_timestamp(agent["registeredAt"])),
            },
            "attacker": None,
            "cloud": None,
            "kubernetes": None,
            "scope": detection_scope(account, site, group),
            "targetUser": None,
        },
        "realTime": scope_entities(account, site, group),
        "process": {
            "cmdLine": f"{directory}{separator}{file_name} --silent",
            "parentName": "explorer.exe" if is_windows else "bash",
            "file": {
                "certSubject": None,
                "md5": digest(rng, "md5"),
                "name": file_name,
                "path": f"{directory}{separator}{file_name}",
                "sha1": sha1,
                "sha256": digest(rng, "sha256"),
            },
        },
        "fileName": file_name,
        "fileHash": sha1,
        "storylineId": f"{rng.getrandbits(64):016X}",
    }


def cloud_parts(store: Store, rng: random.Random, with_kubernetes: bool) -> Record:
    """asset and detectionTime of a cloud workload alert, on the first account's cloud site when there is one."""
    site = next((site for site in store.sites.values() if site["name"] == "Acme Cloud"), next(iter(store.sites.values())))
    account = store.accounts[site["accountId"]]
    group = store.default_group(site["id"])
    provider = rng.choice(("AWS", "AZURE", "GCP"))
    instance_id = f"i-{rng.getrandbits(64):016x}" if provider == "AWS" else random_uuid(rng)
    region = {"AWS": "us-east-1", "AZURE": "westeurope", "GCP": "europe-west1"}[provider]
    tags = ["env:prod", f"team:{rng.choice(('payments', 'web', 'data'))}"]
    details: Record
    if provider == "AWS":
        details = {
            "accountId": str(rng.randint(10**11, 10**12 - 1)),
            "imageId": f"ami-{rng.getrandbits(32):08x}",
            "instanceId": instance_id,
            "instanceType": "m5.large",
            "region": region,
            "role": "arn:aws:iam::role/workload",
            "securityGroups": [f"sg-{rng.getrandbits(32):08x}"],
            "subnetIds": [f"subnet-{rng.getrandbits(32):08x}"],
            "tags": tags,
            "vpcId": f"vpc-{rng.getrandbits(32):08x}",
        }
    elif provider == "AZURE":
        details = {
            "imageId": "Canonical:0001-com-ubuntu-server-jammy:22_04-lts",
            "instanceId": instance_id,
            "instanceType": "Standard_D2s_v5",
            "region": region,
            "resourceGroup": "rg-workloads",
            "subscriptionId": random_uuid(rng),
            "tags": tags,
        }
    else:
        details = {
            "imageId": "projects/ubuntu-os-cloud/global/images/ubuntu-2204",
            "instanceId": instance_id,
            "instanceType": "e2-standard-2",
            "projectId": f"acme-prod-{rng.randint(100, 999)}",
            "serviceAccount": "workload@acme-prod.iam.gserviceaccount.com",
            "tags": tags,
            "vpcId": "default",
            "zone": f"{region}-b",
        }
    kubernetes = None
    if with_kubernetes:
        pod = f"api-{rng.getrandbits(20):05x}"
        kubernetes = {
            "clusterName": "prod-cluster",
            "namespaceName": "payments",
            "nodeName": f"node-{rng.randint(1, 9)}",
            "podName": pod,
            "containerId": f"{rng.getrandbits(64):016x}",
            "containerImageName": "registry.example/payments/api:1.4.2",
            "containerLabels": ["app:api"],
            "containerName": "api",
            "containerNetworkStatus": "CONNECTED",
            "controllerName": "api",
            "controllerType": "Deployment",
            "controllerLabels": ["app:api"],
            "namespaceLabels": ["team:payments"],
            "nodeLabels": [f"topology.kubernetes.io/region:{region}"],
            "podLabels": ["app:api", "tier:backend"],
        }
    name = f"{'api-pod' if with_kubernetes else 'vm'}-{instance_id[-6:]}"
    return {
        "asset": {
            "id": instance_id,
            "name": name,
            "agentUuid": None,
            "agentVersion": None,
            "assetTypeClassifier": "Cloud",
            "category": "Compute",
            "subcategory": "Kubernetes Pod" if with_kubernetes else "Virtual Machine",
            "type": "CONTAINER" if with_kubernetes else "CLOUD_INSTANCE",
            "connectivityToConsole": None,
            "osType": "LINUX",
            "osVersion": "",
            "pendingReboot": None,
            "lastLoggedInUser": None,
            "policy": None,
        },
        "detectionTime": {
            "asset": None,
            "attacker": None,
            "cloud": {
                "accountId": details.get("accountId") or details.get("subscriptionId") or details.get("projectId"),
                "cloudProvider": provider,
                "image": details["imageId"],
                "instanceId": instance_id,
                "instanceSize": details["instanceType"],
                "location": region,
                "network": details.get("vpcId"),
                "tags": tags,
                "providerDetails": details,
            },
            "kubernetes": kubernetes,
            "scope": detection_scope(account, site, group),
            "targetUser": None,
        },
        "realTime": scope_entities(account, site, group),
    }


def identity_parts(store: Store, rng: random.Random, account: Record, site: Record | None) -> Record:
    """targetUser/attacker of an identity alert; `site` None for account-level (third-party) ingestion."""
    group = store.default_group(site["id"]) if site else None
    user = rng.choice(("alice", "bob", "carol", "dave", "erin"))
    return {
        "asset": None,
        "detectionTime": {
            "asset": None,
            "attacker": {
                "host": f"WS-{rng.randint(100, 999)}",
                "ip": f"10.{rng.randint(0, 20)}.{rng.randint(2, 254)}.{rng.randint(2, 254)}",
            },
            "cloud": None,
            "kubernetes": None,
            "scope": detection_scope(account, site, group),
            "targetUser": {"name": user, "emailAddress": f"{user}@example.com", "domain": "CORP"},
        },
        "realTime": scope_entities(account, site, group),
    }


def make_uam_alert(
    store: Store,
    rng: random.Random,
    kind: UamKind,
    created_at: datetime,
    *,
    index: int = 0,
    severity: str | None = None,
    status: str = "NEW",
    verdict: str = "UNDEFINED",
    updated_at: datetime | None = None,
) -> Record:
    """A full alert node of `kind` (not stored yet). Endpoint kinds need agents in the tenant."""
    created = format_millis(created_at)
    name = kind.names[index % len(kind.names)]
    parts: Record = {"fileName": "N/A", "fileHash": "N/A", "storylineId": None, "process": None}
    accounts = list(store.accounts.values())
    if kind.on_agent:
        parts.update(agent_parts(store, rng.choice(list(store.agents.values())), rng))
    elif kind.key in ("cws", "cloud_custom"):
        parts.update(cloud_parts(store, rng, with_kubernetes=kind.key == "cws" and rng.random() < 0.5))
    else:
        account = accounts[index % len(accounts)]
        sites = [site for site in store.sites.values() if site["accountId"] == account["id"]]
        # Third-party alerts are often ingested at account level: no site, and sometimes no detection-time data.
        site = None if kind.vendor != SENTINELONE_VENDOR and index % 3 == 0 else sites[0]
        parts.update(identity_parts(store, rng, account, site))
        if kind.key in ("email", "network"):
            parts["detectionTime"]["targetUser"] = None
            parts["detectionTime"]["attacker"] = None if kind.key == "email" else parts["detectionTime"]["attacker"]
        if site is None and kind.key != "network":
            parts["detectionTime"] = None
    alert_id = random_uuid(rng)
    alert: Record = {
        "id": alert_id,
        "name": name,
        "description": f"{name} ({kind.product})",
        "severity": severity or rng.choice(SEVERITIES),
        "status": status,
        "result": "MITIGATED" if kind.on_agent and status == "RESOLVED" else "UNMITIGATED",
        "analystVerdict": verdict,
        "attackSurfaces": list(kind.attack_surfaces),
        "classification": kind.classifications[index % len(kind.classifications)],
        "confidenceLevel": "MALICIOUS" if index % 3 else "SUSPICIOUS",
        "externalId": f"{kind.key}-{rng.getrandbits(40):010x}",
        "createdAt": created,
        "updatedAt": format_millis(updated_at) if updated_at else created,
        "firstSeenAt": format_millis(created_at - timedelta(seconds=rng.randint(1, 600))),
        "lastSeenAt": created,
        "detectedAt": format_millis(created_at - timedelta(milliseconds=rng.randint(1, 900))),
        "noteExists": False,
        "dataSources": [kind.vendor if kind.vendor != SENTINELONE_VENDOR else kind.product],
        "storylineId": parts["storylineId"],
        "ticketId": None,
        "fileName": parts["fileName"],
        "fileHash": parts["fileHash"],
        "analytics": {
            "uid": random_uuid(rng) if kind.analytics_type == "CUSTOM" else None,
            "name": name,
            "type": kind.analytics_type,
            "typeValue": "RULE" if kind.analytics_type == "CUSTOM" else rng.choice(("STATIC", "BEHAVIORAL")),
            "category": kind.classifications[0].replace("_", " ").title(),
        },
        "assignee": None,
        "detectionSource": {"product": kind.product, "vendor": kind.vendor, "engine": "Behavioral AI" if kind.on_agent else None},
        "asset": parts["asset"],
        "detectionTime": parts["detectionTime"],
        "process": parts["process"],
        "realTime": parts["realTime"],
    }
    return alert


def seed_uam_alerts(store: Store, count: int) -> None:
    """`count` alerts over the two weeks before the clock's start (none in a tenant without agents)."""
    store.uam = UamAlerts(seed=store.seed)
    if count <= 0 or not store.agents:
        return
    rng = random.Random(f"uam-seed-{store.seed}")
    now = store.now()
    span_ms = int((SEEDED_HISTORY - timedelta(minutes=5)).total_seconds() * 1000)
    offsets = sorted(rng.randrange(span_ms) for _ in range(count))
    for index in range(4, count - 2, 9):
        # Groups of three alerts created in the same millisecond.
        offsets[index + 1] = offsets[index + 2] = offsets[index]
    history_start = now - SEEDED_HISTORY
    for index, offset in enumerate(offsets):
        created_at = history_start + timedelta(milliseconds=offset)
        status = STATUSES[index % len(STATUSES)]
        verdict = "UNDEFINED" if status == "NEW" or index % 4 == 0 else rng.choice(ANALYST_VERDICTS[:-1])
        updated_at = None if status == "NEW" else created_at + (now - created_at) * rng.uniform(0.05, 0.9)
        alert = make_uam_alert(
            store,
            rng,
            KINDS[KIND_CYCLE[index % len(KIND_CYCLE)]],
            created_at,
            index=index,
            severity=SEVERITIES[index % len(SEVERITIES)],
            status=status,
            verdict=verdict,
            updated_at=updated_at,
        )
        store.uam.add(alert)
        if status == "IN_PROGRESS":
            alert["assignee"] = {"userId": store.user.id, "fullName": store.user.full_name, "email": store.user.email}
        if status == "RESOLVED" and updated_at is not None:
            store.uam.add_note(alert, NOTE_TEXTS[index % len(NOTE_TEXTS)], CONSOLE_ANALYST, updated_at)
