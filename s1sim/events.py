"""Synthetic Deep Visibility events for a query, deterministic per (seed, query id).

The simulator does not evaluate S1QL. It draws events from the agents in the query's scope (`siteIds`,
`accountIds`, `groupIds`); when the query text names an agent's computer name, only that agent's events are drawn.
"""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

from s1sim.catalog import PROCESS_NAMES
from s1sim.clock import format_timestamp
from s1sim.store import Record, Store

OBJECT_TYPES = ("process", "file", "ip", "dns", "url", "registry")
EVENT_TYPES = {
    "process": ("Process Creation",),
    "file": ("File Creation", "File Modification", "File Deletion"),
    "ip": ("IP Connect", "IP Listen"),
    "dns": ("DNS Resolved",),
    "url": ("GET", "POST"),
    "registry": ("Registry Value Modified", "Registry Key Create"),
}
DOMAINS = ("update.example.com", "cdn.example.net", "login.example.org", "evil-updates.example")


def millis_timestamp(moment: datetime) -> str:
    """DV event times carry milliseconds: `2022-01-24T18:49:35.296Z`."""
    return format_timestamp(moment)[:23] + "Z"


def scoped_agents(store: Store, query: Record) -> list[Record]:
    agents = [agent for agent in store.agents.values() if not agent["isUninstalled"]]
    if query.get("siteIds"):
        agents = [agent for agent in agents if agent["siteId"] in query["siteIds"]]
    if query.get("accountIds"):
        agents = [agent for agent in agents if agent["accountId"] in query["accountIds"]]
    if query.get("groupIds"):
        agents = [agent for agent in agents if agent["groupId"] in query["groupIds"]]
    text = str(query.get("query", "")).lower()
    named = [agent for agent in agents if agent["computerName"].lower() in text]
    return named or agents


def digest(rng: random.Random, algorithm: str) -> str:
    return hashlib.new(algorithm, rng.randbytes(16)).hexdigest()


def synthesize_events(store: Store, query: Record, count: int) -> list[Record]:
    rng = random.Random(f"{store.seed}-{query['queryId']}")
    agents = scoped_agents(store, query)
    if not agents or count <= 0:
        return []
    start: datetime = query["fromDate"]
    end: datetime = min(query["toDate"], query["createdAt"])
    if end < start:
        end = start
    moments = sorted(start + timedelta(seconds=rng.uniform(0, (end - start).total_seconds())) for _ in range(count))
    base_id = int(query["numericBase"])
    events = []
    for index, moment in enumerate(moments):
        agent = rng.choice(agents)
        os_type = agent["osType"]
        kinds = OBJECT_TYPES if os_type.startswith("windows") else OBJECT_TYPES[:-1]
        object_type = rng.choice(kinds)
        process = rng.choice(PROCESS_NAMES[os_type])
        parent = rng.choice(PROCESS_NAMES[os_type])
        is_windows = os_type.startswith("windows")
        image_path = f"C:\\Windows\\System32\\{process}" if is_windows else f"/usr/bin/{process}"
        user = agent["lastLoggedInUserName"] or "root"
        started = moment - timedelta(seconds=rng.randint(1, 3600))
        unique_key = rng.randbytes(8).hex().upper()
        event: Record = {
            "agentDomain": agent["domain"],
            "agentGroupId": agent["groupId"],
            "agentId": agent["id"],
            "agentInfected": agent["infected"],
            "agentIp": agent["networkInterfaces"][0]["inet"][0],
            "agentIsActive": agent["isActive"],
            "agentIsDecommissioned": agent["isDecommissioned"],
            "agentMachineType": agent["machineType"],
            "agentName": agent["computerName"],
            "agentNetworkStatus": agent["networkStatus"],
            "agentOs": os_type,
            "agentUuid": agent["uuid"],
            "agentVersion": agent["agentVersion"],
            "connectionStatus": None,
            "createdAt": format_timestamp(moment),
            "direction": None,
            "dnsRequest": None,
            "dnsResponse": None,
            "dstIp": None,
            "dstPort": None,
            "eventTime": millis_timestamp(moment),
            "eventType": rng.choice(EVENT_TYPES[object_type]),
            "fileFullName": None,
            "fileMd5": None,
            "fileSha1": None,
            "fileSha256": None,
            "id": str(base_id + index),
            "md5": None,
            "networkUrl": None,
            "objectType": object_type,
            "parentPid": str(rng.randint(4, 9000)),
            "parentProcessName": parent,
            "parentProcessStartTime": millis_timestamp(started - timedelta(hours=1)),
            "parentProcessUniqueKey": rng.randbytes(8).hex().upper(),
            "pid": str(rng.randint(300, 65000)),
            "processCmd": f"{image_path} {rng.choice(('', '-Command Get-Process', '--no-sandbox', '-l'))}".strip(),
            "processDisplayName": process.rsplit(".", 1)[0].capitalize(),
            "processImagePath": image_path,
            "processImageSha1Hash": digest(rng, "sha1"),
            "processIntegrityLevel": "MEDIUM" if is_windows else "UNKNOWN",
            "processName": process,
            "processStartTime": millis_timestamp(started),
            "processSubSystem": "SYS_WIN32" if is_windows else "UNKNOWN",
            "processUniqueKey": unique_key,
            "publisher": "MICROSOFT WINDOWS" if is_windows else None,
            "registryPath": None,
            "relatedToThreat": "False",
            "sha1": None,
            "sha256": None,
            "signedStatus": "signed" if is_windows else "unsigned",
            "siteId": agent["siteId"],
            "siteName": agent["siteName"],
            "srcIp": None,
            "srcPort": None,
            "srcProcCmdLine": f"{image_path}",
            "srcProcName": process,
            "srcProcUid": unique_key,
            "srcProcUser": f"{agent['domain']}\\{user}" if is_windows else user,
            "storyline": rng.randbytes(8).hex().upper(),
            "traceId": None,
            "trueContext": rng.randbytes(8).hex().upper(),
            "user": f"{agent['domain']}\\{user}" if is_windows else user,
            "verifiedStatus": "verified" if is_windows else "unverified",
        }
        if object_type == "file":
            directory = f"C:\\Users\\{user}\\Documents" if is_windows else f"/home/{user}"
            separator = "\\" if is_windows else "/"
            event.update(
                {
                    "fileFullName": f"{directory}{separator}{rng.choice(('report.docx', 'notes.txt', 'setup.exe', 'data.csv'))}",
                    "fileMd5": digest(rng, "md5"),
                    "fileSha1": digest(rng, "sha1"),
                    "fileSha256": digest(rng, "sha256"),
                }
            )
            event.update({"md5": event["fileMd5"], "sha1": event["fileSha1"], "sha256": event["fileSha256"]})
        elif object_type == "ip":
            event.update(
                {
                    "connectionStatus": rng.choice(("SUCCESS", "FAILURE")),
                    "direction": rng.choice(("OUTGOING", "INCOMING")),
                    "dstIp": ".".join(
                        str(part)
                        for part in (rng.choice((13, 52, 104)), rng.randint(0, 254), rng.randint(0, 254), rng.randint(1, 254))
                    ),
                    "dstPort": rng.choice((80, 443, 445, 3389, 8080)),
                    "srcIp": event["agentIp"],
                    "srcPort": rng.randint(49152, 65535),
                }
            )
        elif object_type == "dns":
            domain = rng.choice(DOMAINS)
            event.update({"dnsRequest": domain, "dnsResponse": f"{domain} A 203.0.113.{rng.randint(1, 254)}"})
        elif object_type == "url":
            event["networkUrl"] = (
                f"https://{rng.choice(DOMAINS)}/{rng.choice(('index.html', 'api/v1/ping', 'download/payload.bin'))}"
            )
        elif object_type == "registry":
            event["registryPath"] = "HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\" + rng.choice(
                ("Updater", "OneDrive")
            )
        events.append(event)
    return events
