"""End to end: an analyst's query session against the SentinelOne simulator, each command run by the local runner the
way the platform runs it (fresh process state, YAML defaults applied, entries collected).

Expected values come from the simulator's own API (read with the token) or from objects the test sets up, so each
test checks that the integration asked the console the right question and mapped the answer faithfully.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import requests
from e2e_support import Analyst, merged_context

AGENTS_KEY = "SentinelOne.Agents(val.ID && val.ID == obj.ID)"
AGENT_KEY = "SentinelOne.Agent(val.ID && val.ID == obj.ID)"
THREAT_KEY = "SentinelOne.Threat(val.ID && val.ID == obj.ID)"
ALERT_KEY = "SentinelOne.Alert(val.AlertId && val.AlertId == obj.AlertId)"
EVENT_KEY = "SentinelOne.Event(val.ProcessID && val.ProcessID == obj.ProcessID && val.EventID && val.EventID == obj.EventID)"


@pytest.fixture
def analyst(s1sim: Any, tmp_path: Path) -> Iterator[Analyst]:
    yield Analyst(s1sim, tmp_path)


def ids(entries: list[dict[str, Any]], key: str = "ID") -> list[str]:
    return [entry[key] for entry in entries]


# --- agents ---


def test_agent_inventory_session(analyst: Analyst) -> None:
    """
    Given the simulated tenant's agents
    When the analyst lists Linux agents, agents with at least 2 active threats, active Windows/macOS agents through
    custom params with an extra column, then looks at two agents (and a wrong ID), their interfaces and applications
    Then each answer holds exactly the agents the console filters give, with the console's values.
    """
    agents = analyst.api("agents", limit=1000)["data"]

    context, _ = analyst.ok("sentinelone-list-agents", {"os_type": "linux", "limit": "100"})
    assert sorted(ids(context[AGENTS_KEY])) == sorted(a["id"] for a in agents if a["osType"] == "linux")

    context, _ = analyst.ok("sentinelone-list-agents", {"min_active_threats": "2", "limit": "100"})
    assert sorted(ids(context[AGENTS_KEY])) == sorted(a["id"] for a in agents if a["activeThreats"] >= 2)
    assert {entry["ThreatCount"] for entry in context[AGENTS_KEY]} == {2, 3}  # agents with exactly the minimum too

    context, _ = analyst.ok(
        "sentinelone-list-agents", {"params": "isActive=true,osTypes=windows,macos", "columns": "uuid", "limit": "100"}
    )
    expected = {a["id"]: a["uuid"] for a in agents if a["isActive"] and a["osType"] in ("windows", "macos")}
    assert {entry["ID"]: entry["uuid"] for entry in context[AGENTS_KEY]} == expected

    first, second = agents[0], agents[1]
    context, readable = analyst.ok("sentinelone-get-agent", {"agent_id": f"{first['id']},{second['id']},1234567890123456789"})
    assert sorted(ids(context[AGENT_KEY])) == sorted([first["id"], second["id"]])
    assert {e["ID"]: e["ComputerName"] for e in context[AGENT_KEY]} == {
        first["id"]: first["computerName"],
        second["id"]: second["computerName"],
    }
    assert "No agent found with ID: 1234567890123456789" in readable

    context, _ = analyst.ok("sentinelone-get-agent-mac", {"agent_id": first["id"]})
    mac_key = "SentinelOne.MAC(val.agent_id && val.agent_id == obj.agent_id && val.int_name && val.int_name == obj.int_name)"
    assert [(e["agent_id"], e["hostname"], e["int_name"], e["mac"], e["ip"]) for e in context[mac_key]] == [
        (first["id"], first["computerName"], interface["name"], interface["physical"], interface["inet"])
        for interface in first["networkInterfaces"]
    ]

    with_apps = next(a for a in agents if analyst.api("agents/applications", ids=a["id"])["data"])
    applications = analyst.api("agents/applications", ids=with_apps["id"])["data"]
    context, _ = analyst.ok("sentinelone-get-installed-applications", {"agent_ids": with_apps["id"]})
    assert [(e["Name"], e.get("Version")) for e in context["SentinelOne.Application(val.Name && val.Name == obj.Name)"]] == [
        (app["name"], app.get("version")) for app in applications
    ]


# --- threats ---


def test_threat_views_do_not_hide_resolved_threats(analyst: Analyst) -> None:
    """
    Given 50 threats, some resolved
    When the analyst lists threats without filters, by incident status, with the resolved filter switched on, by IDs,
    and with a small limit
    Then the unfiltered list includes resolved threats, each filter returns exactly the console's matches, FileSha256 is
    the 2.1 threatInfo.sha256, and the limit is honoured.
    """
    threats = analyst.api("threats", limit=1000)["data"]
    resolved = sorted(t["id"] for t in threats if t["threatInfo"]["incidentStatus"] == "resolved")
    assert resolved  # the seed has resolved threats: the first check below means something

    context, _ = analyst.ok("sentinelone-get-threats", {"limit": "1000"})
    assert sorted(ids(context[THREAT_KEY])) == sorted(t["id"] for t in threats)
    sha256 = {t["id"]: t["threatInfo"]["sha256"] for t in threats}
    assert all(entry.get("FileSha256") == sha256[entry["ID"]] for entry in context[THREAT_KEY])

    context, _ = analyst.ok("sentinelone-get-threats", {"incident_statuses": "RESOLVED", "limit": "1000"})
    assert sorted(ids(context[THREAT_KEY])) == resolved

    context, _ = analyst.ok("sentinelone-get-threats", {"include_resolved_param": "true", "resolved": "false", "limit": "1000"})
    assert sorted(ids(context[THREAT_KEY])) == sorted(t["id"] for t in threats if t["id"] not in resolved)

    picked = [t["id"] for t in threats[:3]]
    context, _ = analyst.ok("sentinelone-get-threats", {"threat_ids": ",".join(picked)})
    assert sorted(ids(context[THREAT_KEY])) == sorted(picked)

    context, _ = analyst.ok("sentinelone-get-threats", {"limit": "7"})
    assert len(context[THREAT_KEY]) == 7


def test_threat_summary_and_notes(analyst: Analyst) -> None:
    """
    Given the tenant's threats and two notes written on one of them
    When the analyst reads the dashboard summary and the threat's notes
    Then the summary counts match the threats, and both notes come back in order.
    """
    threats = analyst.api("threats", limit=1000)["data"]
    context, _ = analyst.ok("sentinelone-threat-summary")
    summary = context["SentinelOne.Threat"]
    assert summary["Total"] == len(threats)
    assert summary["Resolved"] == sum(1 for t in threats if t["threatInfo"]["incidentStatus"] == "resolved")
    assert summary["Resolved"] + summary["NotResolved"] == summary["Total"]

    threat_id = threats[0]["id"]
    for text in ("Host isolated by SOC", "Escalated to IR"):
        analyst.api_post("threats/notes", {"data": {"text": text}, "filter": {"ids": [threat_id]}})
    context, _ = analyst.ok("sentinelone-get-threat-notes", {"threat_id": threat_id})
    notes = context["SentinelOne.Notes(val.ID && val.ID == obj.ID)"]
    assert [note["Text"] for note in notes][-2:] == ["Host isolated by SOC", "Escalated to IR"]
    assert all(note["ID"] and note["CreatedAt"] for note in notes)


def test_threats_on_api_2_0(analyst: Analyst) -> None:
    """
    Given an API 2.0 instance
    When the analyst lists threats of rank 7 or more, and then asks for alerts (a 2.1 endpoint)
    Then only threats of rank >= 7 come back with their 2.0 fields, and the alerts command is refused by name.
    """
    threats = analyst.api("threats", version="2.0", limit=1000)["data"]
    context, _ = analyst.ok("sentinelone-get-threats", {"rank": "7", "limit": "1000"}, version="2.0")
    assert sorted(ids(context[THREAT_KEY])) == sorted(t["id"] for t in threats if int(t["rank"]) >= 7)
    assert all(entry["Rank"] >= 7 and "ConfidenceLevel" not in entry for entry in context[THREAT_KEY])

    result = analyst.run("sentinelone-get-alerts", {"created_from": "3 days"}, version="2.0")
    assert result.errors == [
        "Failed to execute sentinelone-get-alerts command. Error: "
        "The sentinelone-get-alerts command is not supported for API version 2.0; it works with API version 2.1."
    ]


# --- alerts ---


def test_alerts_walked_page_by_page_with_the_cursor(analyst: Analyst) -> None:
    """
    Given 30 alerts from the last two weeks
    When the analyst pages through them 7 at a time, passing back SentinelOne.Cursor.Alert each time
    Then five runs return every alert exactly once and the last run writes no cursor; a status filter returns only
    alerts of that status.
    """
    alerts = analyst.api("cloud-detection/alerts", limit=1000)["data"]
    seen: list[str] = []
    runs = 0
    cursor = None
    while True:
        args = {"created_from": "30 days", "limit": "7", **({"cursor": cursor} if cursor else {})}
        context, _ = analyst.ok("sentinelone-get-alerts", args)
        runs += 1
        seen += ids(context[ALERT_KEY], "AlertId")
        cursor = context.get("SentinelOne.Cursor.Alert")
        if cursor is None:
            break
        assert runs < 10
    assert runs == 5
    assert sorted(seen) == sorted(a["alertInfo"]["alertId"] for a in alerts)
    assert len(seen) == len(set(seen)) == 30

    context, _ = analyst.ok("sentinelone-get-alerts", {"created_from": "30 days", "incidentStatus": "unresolved"})
    unresolved = [a["alertInfo"]["alertId"] for a in alerts if a["alertInfo"]["incidentStatus"] == "Unresolved"]
    assert sorted(ids(context[ALERT_KEY], "AlertId")) == sorted(unresolved)
    assert {entry["IncidentStatus"] for entry in context[ALERT_KEY]} == {"Unresolved"}


# --- accounts, sites, groups, activities ---


def test_scope_session(analyst: Analyst) -> None:
    """
    Given two accounts, four sites and twelve groups
    When the analyst lists accounts (all, then one), sites (all, expired ones), one site, and groups (all, static,
    default)
    Then each answer is the console's, single objects are handled as such, and no group registration token is copied.
    """
    accounts = analyst.api("accounts")["data"]
    context, _ = analyst.ok("sentinelone-get-accounts")
    accounts_key = "SentinelOne.Accounts(val.ID && val.ID == obj.ID)"
    assert [(e["ID"], e["Name"], e["NumberOfSites"]) for e in context[accounts_key]] == [
        (a["id"], a["name"], a["numberOfSites"]) for a in accounts
    ]
    context, _ = analyst.ok("sentinelone-get-accounts", {"account_id": accounts[1]["id"]})
    assert ids(context[accounts_key]) == [accounts[1]["id"]]

    sites = analyst.api("sites", limit=1000)["data"]["sites"]
    site_key = "SentinelOne.Site(val.ID && val.ID == obj.ID)"
    context, _ = analyst.ok("sentinelone-get-sites")
    assert [(e["ID"], e["ActiveLicenses"], e["TotalLicenses"]) for e in context[site_key]] == [
        (s["id"], s["activeLicenses"], s["totalLicenses"]) for s in sites
    ]
    context, _ = analyst.ok("sentinelone-get-sites", {"state": "expired"})
    assert ids(context[site_key]) == [s["id"] for s in sites if s["state"] == "expired"]
    context, _ = analyst.ok("sentinelone-get-site", {"site_id": sites[0]["id"]})
    assert context[site_key]["AccountID"] == sites[0]["accountId"]
    assert context[site_key]["IsDefault"] == sites[0]["isDefault"]

    groups = analyst.api("groups", limit=300)["data"]
    group_key = "SentinelOne.Group(val.id && val.id == obj.id)"
    context, _ = analyst.ok("sentinelone-get-groups", {"limit": "200"})
    assert ids(context[group_key], "id") == [g["id"] for g in groups]
    assert all("registrationToken" not in entry for entry in context[group_key])
    context, _ = analyst.ok("sentinelone-get-groups", {"group_type": "static", "is_default": "true", "limit": "200"})
    assert ids(context[group_key], "id") == [g["id"] for g in groups if g["type"] == "static" and g["isDefault"]]


def test_activities_by_type_sorted_newest_first(analyst: Analyst) -> None:
    """
    Given the tenant's activities
    When the analyst asks for activity types 7 and 1001 sorted by creation time descending, then for the activities of
    two threats
    Then exactly those activities come back, in that order, with the data object kept.
    """
    activities = analyst.api("activities", limit=1000)["data"]
    context, _ = analyst.ok(
        "sentinelone-get-activities", {"activity_types": "7, 1001", "sort_by": "createdAt", "sort_order": "desc"}
    )
    entries = context["SentinelOne.Activity(val.ID && val.ID == obj.ID)"]
    expected = sorted((a for a in activities if a["activityType"] in (7, 1001)), key=lambda a: a["createdAt"], reverse=True)
    assert ids(entries) == [a["id"] for a in expected]
    assert all(entry["data"] is not None for entry in entries)

    threat_ids = sorted({a["threatId"] for a in activities if a["threatId"]})[:2]
    context, _ = analyst.ok("sentinelone-get-activities", {"threats_ids": ",".join(threat_ids), "limit": "100"})
    entries = context["SentinelOne.Activity(val.ID && val.ID == obj.ID)"]
    assert sorted(ids(entries)) == sorted(a["id"] for a in activities if a["threatId"] in threat_ids)


# --- hashes, exclusions, blocklist, STAR rules, IOCs ---


def test_hash_exclusions_and_blocklist(analyst: Analyst) -> None:
    """
    Given a threat's SHA1, the tenant's exclusions and its global blocklist
    When the analyst checks the hash verdict, lists path exclusions, lists the blocklist and searches it by an
    upper-cased fragment of a blocked hash
    Then the verdict is the console's, each list matches the console's, and the search finds the hash.
    """
    sha1 = analyst.api("threats", limit=1)["data"][0]["threatInfo"]["sha1"]
    verdict = analyst.api(f"hashes/{sha1}/verdict")["data"]["verdict"]
    context, _ = analyst.ok("sentinelone-get-hash", {"hash": sha1})
    assert context["SentinelOne.Hash(val.Hash && val.Hash == obj.Hash)"] == {"Hash": sha1, "Verdict": verdict}

    exclusions = analyst.api("exclusions", limit=1000)["data"]
    context, _ = analyst.ok("sentinelone-get-white-list", {"exclusion_type": "path", "limit": "100"})
    entries = context["SentinelOne.Exclusions(val.ID && val.ID == obj.ID)"]
    assert [(e["ID"], e["Value"]) for e in entries] == [(x["id"], x["value"]) for x in exclusions if x["type"] == "path"]

    blocklist = analyst.api("restrictions", tenant="true", limit=1000, sortBy="updatedAt", sortOrder="desc")["data"]
    block_key = "SentinelOne.Blocklist(val.ID && val.ID == obj.ID)"
    context, _ = analyst.ok("sentinelone-get-blocklist")
    assert [(e["ID"], e["Value"]) for e in context[block_key]] == [(b["id"], b["value"] or b["sha256Value"]) for b in blocklist]
    fragment = (blocklist[0]["value"] or blocklist[0]["sha256Value"])[4:16].upper()
    context, _ = analyst.ok("sentinelone-get-blocklist", {"hash": fragment})
    assert blocklist[0]["id"] in ids(context[block_key])


def test_star_rules_and_iocs(analyst: Analyst) -> None:
    """
    Given the tenant's STAR rules and its account IOCs
    When the analyst lists active rules, then walks the account's IOCs two at a time with the cursor
    Then the rules are the active ones and every IOC of the account is returned exactly once.
    """
    rules = analyst.api("cloud-detection/rules", limit=1000)["data"]
    context, _ = analyst.ok("sentinelone-get-star-rules", {"status": "Active"})
    entries = context["SentinelOne.StarRule(val.ID && val.ID == obj.ID)"]
    assert sorted(ids(entries)) == sorted(r["id"] for r in rules if r["status"] == "Active")
    assert {entry["Status"] for entry in entries} == {"Active"}

    account_id = analyst.api("accounts")["data"][0]["id"]
    iocs = analyst.api("threat-intelligence/iocs", accountIds=account_id, limit=1000)["data"]
    assert len(iocs) > 2
    seen: list[str] = []
    cursor = None
    for _ in range(10):
        args = {"account_ids": account_id, "limit": "2", **({"cursor": cursor} if cursor else {})}
        context, _ = analyst.ok("sentinelone-get-iocs", args)
        seen += ids(context["SentinelOne.IOC(val.UUID && val.UUID == obj.UUID)"], "UUID")
        cursor = context.get("SentinelOne.Cursor.IOC")
        if cursor is None:
            break
    assert sorted(seen) == sorted(ioc["uuid"] for ioc in iocs)
    assert len(seen) == len(set(seen))


# --- Deep Visibility ---


def test_deep_visibility_query_status_events_and_processes(analyst: Analyst) -> None:
    """
    Given a Deep Visibility query just started on the console
    When the analyst checks its status, waits (simulated time), checks again, then reads events in two pages and
    the process events
    Then the status goes from RUNNING to FINISHED, the two event pages together are every event once, and the process
    view holds only process events with their command lines.
    """
    now = datetime.now(timezone.utc)
    query = analyst.api_post(
        "dv/init-query",
        {
            "query": "EventType IS NOT EMPTY",
            "fromDate": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "toDate": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        },
    )
    query_id = query["data"]["queryId"]
    status_key = "SentinelOne.Query.Status(val.QueryId && val.QueryId == obj.QueryId)"
    analyst.sim.control.freeze_clock()
    context, _ = analyst.ok("sentinelone-get-dv-query-status", {"query_id": query_id})
    assert (context[status_key]["QueryId"], context[status_key]["responseState"]) == (query_id, "RUNNING")
    analyst.sim.control.advance_clock(10)
    context, _ = analyst.ok("sentinelone-get-dv-query-status", {"query_id": query_id})
    assert (context[status_key]["responseState"], context[status_key]["progressStatus"]) == ("FINISHED", 100)

    events = analyst.api("dv/events", queryId=query_id, limit=1000)["data"]
    half = len(events) // 2
    context, _ = analyst.ok("sentinelone-get-events", {"query_id": query_id, "limit": str(half)})
    first_page = ids(context[EVENT_KEY], "EventID")
    cursor = context["SentinelOne.Cursor.Event"]
    assert len(first_page) == half
    context, _ = analyst.ok("sentinelone-get-events", {"query_id": query_id, "cursor": cursor, "limit": "100"})
    assert "SentinelOne.Cursor.Event" not in context
    assert first_page + ids(context[EVENT_KEY], "EventID") == [e["id"] for e in events]
    assert {e["ID"] for e in context["Event(val.ID && val.ID == obj.ID)"]} <= {e["pid"] for e in events}

    processes = analyst.api("dv/events/process", queryId=query_id, limit=1000)["data"]
    context, _ = analyst.ok("sentinelone-get-processes", {"query_id": query_id, "limit": "100"})
    assert [(e["EventID"], e["CMD"], e["ProcessUID"]) for e in context.get(EVENT_KEY, [])] == [
        (p["id"], p["processCmd"], p["srcProcUid"]) for p in processes
    ]


# --- remote scripts ---


def test_remote_script_status_and_result_links(analyst: Analyst) -> None:
    """
    Given a remote script run on two active agents with results kept in the SentinelOne cloud
    When the analyst follows the tasks until they complete, counts them, and asks for the results
    Then the status lists both tasks (completed), the count is 2, and each task has a download link that serves a file
    without the API token.
    """
    script = analyst.api("remote-scripts", limit=1)["data"][0]
    agents = [a for a in analyst.api("agents", limit=1000)["data"] if a["isActive"]][:2]
    account_id = analyst.api("accounts")["data"][0]["id"]
    analyst.sim.control.freeze_clock()
    run = analyst.api_post(
        "remote-scripts/execute",
        {
            "filter": {"accountIds": [account_id], "ids": [a["id"] for a in agents]},
            "data": {
                "scriptId": script["id"],
                "taskDescription": "triage",
                "outputDestination": "SentinelCloud",
                "inputParams": "-x",
                "scriptRuntimeTimeoutSeconds": 3600,
            },
        },
    )
    parent_task_id = run["data"]["parentTaskId"]
    task_key = "SentinelOne.GetRemoteScript(val.id && val.id == obj.id)"
    context, _ = analyst.ok("sentinelone-get-remote-script-task-status", {"parent_task_id": parent_task_id})
    assert {task["status"] for task in context[task_key]} == {"created"}
    analyst.sim.control.advance_clock(10)
    context, _ = analyst.ok("sentinelone-get-remote-script-task-status", {"parent_task_id": parent_task_id})
    tasks = context[task_key]
    assert sorted(task["agentId"] for task in tasks) == sorted(a["id"] for a in agents)
    assert {task["status"] for task in tasks} == {"completed"}
    assert all(task["updateAt"] == task["updatedAt"] for task in tasks)

    context, readable = analyst.ok(
        "sentinelone-get-remote-script-task-status",
        {"parent_task_id": parent_task_id, "status": "completed", "count_only": "true"},
    )
    assert (context, readable) == ({}, "2 remote script task(s) match the filters.")

    task_ids = [task["id"] for task in tasks]
    result = analyst.run("sentinelone-get-remote-script-task-results", {"task_ids": ",".join(task_ids)})
    assert result.errors == []
    links = merged_context(result)["SentinelOne.RemoteScriptResults(val.taskId && val.taskId == obj.taskId)"]
    assert sorted(link["taskId"] for link in links) == sorted(task_ids)
    saved = {path.name: path.read_bytes() for path in result.files}
    assert sorted(saved) == sorted(link["fileName"] for link in links)
    for link in links:
        download = requests.Session()
        download.trust_env = False
        response = download.get(link["downloadUrl"], timeout=10)
        assert response.status_code == 200
        assert response.content[:2] == b"PK"  # a zip archive
        assert saved[link["fileName"]] == response.content  # the War Room file is the result itself


# --- argument errors ---


def test_a_bad_argument_is_reported_and_nothing_is_sent(analyst: Analyst) -> None:
    """
    Given an OS type outside the allowed values
    When the analyst lists agents with it
    Then the war room shows the argument, the allowed values and the value, and the console received no request.
    """
    analyst.sim.control.clear_requests()
    result = analyst.run("sentinelone-list-agents", {"os_type": "solaris"})
    assert result.errors == [
        "Failed to execute sentinelone-list-agents command. Error: "
        "os_type: expected one of windows, windows_legacy, macos, linux, got 'solaris'"
    ]
    assert analyst.sim.control.requests() == []


# --- rate limits ---


def test_a_rate_limited_query_waits_as_the_console_asks_and_is_asked_again(analyst: Analyst) -> None:
    """
    Given a console that answers the next agents query with 429 and Retry-After: 1
    When the analyst lists agents
    Then the integration waits the second the console asked for, asks again, and returns the agents without an error.
    """
    analyst.sim.control.clear_requests()
    analyst.sim.control.add_fault("agents", status=429, retry_after=1, times=1)
    started = time.monotonic()
    context, _ = analyst.ok("sentinelone-list-agents", {"limit": "5"})
    assert time.monotonic() - started >= 1.0
    assert len(context[AGENTS_KEY]) == 5
    answers = [request["status"] for request in analyst.sim.control.requests(path="/web/api/v2.1/agents", method="GET")]
    assert answers == [429, 200]
