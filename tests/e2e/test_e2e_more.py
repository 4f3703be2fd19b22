"""End to end: the commands beyond the specification and the generic `endpoint` and `file` commands, run by the local
runner the way the platform runs them against the SentinelOne simulator; the console's own API is read back to check
what the integration reported.

Slow console changes (isolation, scans) happen in simulated time: the tests move the simulator's clock instead of waiting.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Analyst as BaseAnalyst
from e2e_support import merged_context

ENDPOINT_KEY = "Endpoint(val.ID && val.ID == obj.ID && val.Vendor == obj.Vendor)"
DBOT_KEY = "DBotScore(val.Indicator && val.Indicator == obj.Indicator && val.Vendor == obj.Vendor && val.Type == obj.Type)"
THREAT_KEY = "SentinelOne.Threat(val.ID && val.ID == obj.ID)"
ANALYSIS_KEY = "SentinelOne.Threat(val.ThreatInfo.threatId && val.ThreatInfo.threatId == obj.ThreatInfo.threatId)"
AGENT_KEY = "SentinelOne.Agent(val.AgentID && val.AgentID == obj.AgentID)"
IOC_KEY = "SentinelOne.IOC(val.UUID && val.UUID == obj.UUID)"
APPS_KEY = "SentinelOne.InstalledApps(val.ID && val.ID == obj.ID)"
USERS_KEY = "SentinelOne.ServiceUsers(val.ID && val.ID == obj.ID)"
UNKNOWN_MD5 = "0123456789abcdef0123456789abcdef"


class Analyst(BaseAnalyst):
    """Runs integration commands against the simulator and reads the console's state back with the API token."""

    def data(self, path: str, version: str = "2.1", **params: Any) -> Any:
        return self.api(path, version, **params)["data"]

    def agent(self, agent_id: str) -> dict[str, Any]:
        return self.data("agents", ids=agent_id)[0]

    def connected_agent(self) -> dict[str, Any]:
        return self.data("agents", isActive="true", networkStatuses="connected", osTypes="windows", limit=1)[0]

    def war_room_file(self, entry_id: str, content: str) -> str:
        """A file the next run resolves `entry_id` to (the runner looks for entry IDs in the run's files folder)."""
        folder = self.tmp_path / f"files-{self.runs + 1}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / entry_id).write_text(content, encoding="utf-8")
        return entry_id


@pytest.fixture
def analyst(s1sim: Any, tmp_path: Path) -> Iterator[Analyst]:
    yield Analyst(s1sim, tmp_path)


# --- generic endpoint command ---


def test_endpoint_by_ip_hostname_and_id_matches_what_the_console_knows(analyst: Analyst) -> None:
    """
    Given three agents of the console
    When the analyst asks the endpoint command for the first by IP, the second by hostname (in lower case) and the
    third by ID
    Then each is reported once, with its ID, hostname, address, MAC, OS, domain, vendor, status and isolation as the
    console has them.
    """
    first, second, third = analyst.data("agents", limit=3)
    context, readable = analyst.ok(
        "endpoint",
        {
            "ip": first["networkInterfaces"][0]["inet"][0],
            "hostname": second["computerName"].lower(),
            "id": third["id"],
        },
    )
    endpoints = {entry["ID"]: entry for entry in context[ENDPOINT_KEY]}
    assert sorted(endpoints) == sorted(agent["id"] for agent in (first, second, third))
    for agent in (first, second, third):
        interface = agent["networkInterfaces"][0]
        entry = endpoints[agent["id"]]
        assert entry["Hostname"] == agent["computerName"]
        assert (entry["IPAddress"], entry["MACAddress"]) == (interface["inet"][0], interface["physical"])
        assert (entry["OS"], entry["OSVersion"], entry["Domain"]) == (agent["osName"], agent["osRevision"], agent["domain"])
        assert entry["Vendor"] == "SentinelOne"
        assert entry["Status"] == ("Online" if agent["isActive"] else "Offline")
    assert "No endpoint found" not in readable


def test_endpoint_follows_an_isolation_from_pending_to_done(analyst: Analyst) -> None:
    """
    Given a connected agent
    When the analyst disconnects it, looks at the endpoint, lets the console finish, and looks again
    Then the endpoint is first "Pending isolation", then isolated ("Yes").
    """
    agent = analyst.connected_agent()
    before, _ = analyst.ok("endpoint", {"id": agent["id"]})
    assert before[ENDPOINT_KEY][0]["IsIsolated"] == "No"
    analyst.ok("sentinelone-disconnect-agent", {"agent_id": agent["id"]})
    pending, _ = analyst.ok("endpoint", {"id": agent["id"]})
    assert pending[ENDPOINT_KEY][0]["IsIsolated"] == "Pending isolation"
    analyst.sim.control.advance_clock(5)
    isolated, _ = analyst.ok("endpoint", {"hostname": agent["computerName"]})
    assert isolated[ENDPOINT_KEY][0]["IsIsolated"] == "Yes"
    assert analyst.agent(agent["id"])["networkStatus"] == "disconnected"


def test_endpoint_that_matches_nothing_is_a_readable_answer_not_an_error(analyst: Analyst) -> None:
    """
    Given an address no agent has and a hostname no agent has
    When the analyst runs the endpoint command on API 2.0
    Then it succeeds with "No endpoint found" naming both, and writes no context.
    """
    context, readable = analyst.ok("endpoint", {"ip": "198.51.100.254", "hostname": "no-such-host"}, "2.0")
    assert context == {}
    assert "No endpoint found for ip 198.51.100.254, hostname no-such-host." in readable


# --- generic file command ---


def test_file_reputation_of_a_threat_hash_an_allowed_hash_and_an_unknown_hash(analyst: Analyst) -> None:
    """
    Given the SHA1 of a malicious threat, a hash the analyst puts on the allow list, and a hash SentinelOne never saw
    When the analyst checks the three with the file command, with a configured reliability
    Then the threat's hash is Bad (3) with a Malicious entry, the allowed one Good (1), the unknown one Unknown (0)
    with "No results found", each with that reliability.
    """
    malicious = next(t for t in analyst.data("threats", limit=50) if t["threatInfo"]["confidenceLevel"] == "malicious")
    threat_sha1 = malicious["threatInfo"]["sha1"]
    allowed_sha1 = "5a7c1b2e3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b"
    site_id = analyst.data("sites")["sites"][0]["id"]
    analyst.ok(
        "sentinelone-create-white-list-item",
        {"exclusion_type": "white_hash", "exclusion_value": allowed_sha1, "os_type": "windows", "site_ids": site_id},
    )
    result = analyst.run(
        "file", {"file": f"{threat_sha1},{allowed_sha1},{UNKNOWN_MD5}"}, integration_reliability="C - Fairly reliable"
    )
    assert result.errors == []
    scores = {}
    for entry in result.entries:
        [dbot] = entry["EntryContext"][DBOT_KEY]
        scores[dbot["Indicator"]] = (dbot["Score"], dbot["Reliability"], dbot.get("Message"))
    assert scores == {
        threat_sha1: (3, "C - Fairly reliable", None),
        allowed_sha1: (1, "C - Fairly reliable", None),
        UNKNOWN_MD5: (0, "C - Fairly reliable", "No results found"),
    }
    [bad_file] = next(value for key, value in result.entries[0]["EntryContext"].items() if key.startswith("File("))
    assert bad_file["SHA1"] == threat_sha1
    assert bad_file["Malicious"]["Description"] == "SentinelOne verdict: malicious"


def test_file_with_a_malformed_hash_fails_before_asking_the_console(analyst: Analyst) -> None:
    analyst.sim.control.clear_requests()
    error = analyst.fails("file", {"file": "not-a-hash"})
    assert "file: expected MD5, SHA1 or SHA256 hashes in hex, got 'not-a-hash'" in error
    assert analyst.sim.control.requests(path="/web/api/v2.1/hashes") == []


# --- threats ---


def test_threat_analysis_returns_the_console_threat_objects(analyst: Analyst) -> None:
    """
    Given a threat of the console
    When the analyst asks for its analysis
    Then the context holds the threat's detection, real-time and threat objects as the console has them, keyed by the
    threat ID.
    """
    threat = analyst.data("threats", limit=1)[0]
    context, readable = analyst.ok("sentinelone-threat-analysis", {"threat_id": threat["id"]})
    entry = context[ANALYSIS_KEY]
    assert entry["ThreatInfo"] == threat["threatInfo"]
    assert entry["AgentDetectionInfo"] == threat["agentDetectionInfo"]
    assert entry["AgentRealtimeInfo"]["agentId"] == threat["agentRealtimeInfo"]["agentId"]
    assert f"Threat analysis of threat {threat['id']}" in readable
    assert threat["threatInfo"]["threatName"] in readable


def test_threat_analysis_of_an_unknown_threat_fails_with_the_console_message(analyst: Analyst) -> None:
    error = analyst.fails("sentinelone-threat-analysis", {"threat_id": "1234567890"})
    assert "SentinelOne API error [404]" in error


def test_download_from_cloud_returns_the_file_or_says_it_is_not_there(analyst: Analyst) -> None:
    """
    Given threats whose file SentinelOne's cloud holds, and threats whose file it does not
    When the analyst downloads each threat's file from the cloud
    Then a held file arrives under the console's file name with Downloadable true, and a missing one gives
    Downloadable false with "File not available for Download from BinaryVault" (not an error).
    """
    outcomes: dict[bool, tuple[dict[str, Any], list[Path]]] = {}
    for threat in analyst.data("threats", limit=20):
        result = analyst.run("sentinelone-threat-download-from-cloud", {"threat_id": threat["id"]})
        assert result.errors == []
        entry = merged_context(result)[THREAT_KEY]
        assert entry["ID"] == threat["id"]
        outcomes.setdefault(entry["Downloadable"], (entry, result.files))
        if len(outcomes) == 2:
            break
    downloaded, files = outcomes[True]
    assert [path.name for path in files] == [downloaded["ZippedFile"]]
    assert files[0].read_bytes() != b""
    missing, no_files = outcomes[False]
    assert (missing["ZippedFile"], no_files) == ("File not available for Download from BinaryVault", [])


# --- agents ---


def test_abort_a_running_scan(analyst: Analyst) -> None:
    """
    Given an agent whose scan the analyst started
    When the analyst aborts it before it ends
    Then the command reports the agent Aborted and the console shows the scan aborted.
    """
    agent = analyst.connected_agent()
    analyst.ok("sentinelone-initiate-endpoint-scan", {"agent_ids": agent["id"]})
    assert analyst.agent(agent["id"])["scanStatus"] == "started"
    context, _ = analyst.ok("sentinelone-abort-endpoint-scan", {"agent_ids": agent["id"]})
    assert context[AGENT_KEY] == [{"AgentID": agent["id"], "Aborted": True}]
    assert analyst.agent(agent["id"])["scanStatus"] == "aborted"


def test_fetch_logs_sends_the_default_flags(analyst: Analyst) -> None:
    agent = analyst.connected_agent()
    context, _ = analyst.ok("sentinelone-endpoint-fetch-logs", {"agent_ids": agent["id"]}, "2.0")
    assert context == {"SentinelOne.Agent(val.Affected && val.Affected == obj.Affected)": {"Affected": 1}}
    [request] = analyst.sim.control.requests(path="/web/api/v2.0/agents/actions/fetch-logs", method="POST")
    assert request["body"] == {
        "filter": {"ids": [agent["id"]]},
        "data": {"agentLogs": True, "customerFacingLogs": False, "platformLogs": False},
    }


def test_agent_processes_on_api_20_points_to_installed_applications_and_is_refused_on_21(analyst: Analyst) -> None:
    agent = analyst.data("agents", "2.0", limit=1)[0]
    context, readable = analyst.ok("sentinelone-agent-processes", {"agents_ids": agent["id"]}, "2.0")
    assert context == {}
    assert "sentinelone-get-installed-applications" in readable
    error = analyst.fails("sentinelone-agent-processes", {"agents_ids": agent["id"]}, "2.1")
    assert "The sentinelone-agent-processes command is not supported for API version 2.1" in error


# --- IOCs ---


def test_bulk_iocs_from_a_war_room_file_reach_the_threat_intelligence_database(analyst: Analyst) -> None:
    """
    Given a War Room JSON file with two IOCs (one with lower-case type and method)
    When the analyst creates them in bulk for an account
    Then both are created, reported under SentinelOne.IOC, and listed by the console with the upper-cased type.
    """
    account_id = analyst.data("accounts")[0]["id"]
    valid_until = (datetime.now(timezone.utc) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    iocs = [
        {"source": "e2e", "type": "sha1", "method": "equals", "value": "3395856ce81f2b7382dee72602f798b642f14140",
         "validUntil": valid_until, "name": "e2e dropper"},
        {"source": "e2e", "type": "IPV4", "method": "EQUALS", "value": "198.51.100.7", "validUntil": valid_until,
         "name": "e2e c2", "externalId": "E2E-2"},
    ]  # fmt: skip
    entry_id = analyst.war_room_file("42@7", json.dumps(iocs))
    context, readable = analyst.ok("sentinelone-create-bulk-ioc", {"entry_id": entry_id, "account_ids": account_id})
    created = context[IOC_KEY]
    assert sorted((entry["Name"], entry["Type"]) for entry in created) == [("e2e c2", "IPV4"), ("e2e dropper", "SHA1")]
    assert "2 created from 2 in the file" in readable
    listed = analyst.data("threat-intelligence/iocs", accountIds=account_id, source="e2e")
    assert sorted((ioc["value"], ioc["type"]) for ioc in listed) == [
        ("198.51.100.7", "IPV4"),
        ("3395856ce81f2b7382dee72602f798b642f14140", "SHA1"),
    ]


def test_bulk_ioc_file_with_a_bad_item_creates_nothing(analyst: Analyst) -> None:
    account_id = analyst.data("accounts")[0]["id"]
    entry_id = analyst.war_room_file("43@7", json.dumps([{"source": "e2e", "type": "SHA1", "value": "x"}]))
    analyst.sim.control.clear_requests()
    error = analyst.fails("sentinelone-create-bulk-ioc", {"entry_id": entry_id, "account_ids": account_id})
    assert "entry_id: item 0 of the file lacks method, validUntil, name" in error
    assert analyst.sim.control.requests(path="/web/api/v2.1/threat-intelligence/iocs") == []


# --- marketplace applications and service users ---


def test_marketplace_applications_one_entry_per_installed_scope(analyst: Analyst) -> None:
    """
    Given the console's installed marketplace applications
    When the analyst lists them, then lists those of one account
    Then there is one entry per application and scope, named after the catalog entry, for the applications the console
    lists under each filter; the first request asks a page size and no cursor.
    """

    def scopes_of(applications: list[dict[str, Any]]) -> set[tuple[str, str, str]]:
        return {(scope["id"], app["name"], app["applicationCatalogId"]) for app in applications for scope in app["scopes"]}

    def entries_of(context: dict[str, Any]) -> set[tuple[str, str, str]]:
        return {(entry["ID"], entry["ApplicationCatalogName"], entry["ApplicationCatalogId"]) for entry in context[APPS_KEY]}

    applications = analyst.data("singularity-marketplace/applications", limit=100)
    context, _ = analyst.ok("sentinelone-list-installed-singularity-marketplace-applications")
    assert entries_of(context) == scopes_of(applications)
    assert len(entries_of(context)) > len(applications)
    account_id = applications[0]["scopes"][0]["accountId"]
    filtered, _ = analyst.ok("sentinelone-list-installed-singularity-marketplace-applications", {"account_ids": account_id})
    request = analyst.sim.control.requests(path="/web/api/v2.1/singularity-marketplace/applications", method="GET")[-1]
    assert request["query"] == {"accountIds": [account_id], "limit": ["1000"]}
    assert entries_of(filtered) == scopes_of(
        analyst.data("singularity-marketplace/applications", accountIds=account_id, limit=100)
    )


def test_service_users_with_their_first_role(analyst: Analyst) -> None:
    users = analyst.data("service-users", limit=100)
    context, _ = analyst.ok("sentinelone-get-service-users")
    entries = {entry["ID"]: entry for entry in context[USERS_KEY]}
    assert sorted(entries) == sorted(user["id"] for user in users)
    for user in users:
        assert entries[user["id"]]["Name"] == user["name"]
        assert entries[user["id"]]["ScopeRolesRoleName"] == user["scopeRoles"][0]["roleName"]
    role_id = users[0]["scopeRoles"][0]["roleId"]
    by_role, _ = analyst.ok("sentinelone-get-service-users", {"role_ids": role_id})
    assert {entry["ScopeRolesRoleId"] for entry in by_role[USERS_KEY]} == {role_id}


# --- Singularity Data Lake PowerQuery (an https host with its own Bearer key) ---


@pytest.fixture
def https_analyst(s1sim_https: Any, tmp_path: Path) -> Iterator[Analyst]:
    yield Analyst(s1sim_https, tmp_path)


def test_run_powerquery_on_the_data_lake(https_analyst: Analyst) -> None:
    """
    Given an instance with the Singularity Data Lake URL (https) and its key
    When the analyst runs a PowerQuery naming three columns and a limit
    Then the rows come back as maps from the column names to values, with the match counts.
    """
    sim = https_analyst.sim
    context, readable = https_analyst.ok(
        "sentinelone-run-powerquery",
        {"query": "event.type = 'Process Creation' | columns endpoint.name, src.process.name, event.type | limit 5"},
        insecure=True,
        singularity_xdr_url=sim.url,
        singularity_xdr_api_key={"identifier": "", "password": sim.token},
    )
    results = context["SentinelOne.PowerQuery.Results"]
    assert results["status"] == "success"
    assert results["matchingEvents"] == len(results["results"]) == 5
    assert all(set(row) == {"endpoint.name", "src.process.name", "event.type"} for row in results["results"])
    assert "Matching events: 5; omitted events: 0." in readable


def test_run_powerquery_with_a_wrong_key_names_the_data_lake_key(https_analyst: Analyst) -> None:
    sim = https_analyst.sim
    error = https_analyst.fails(
        "sentinelone-run-powerquery",
        {"query": "| limit 1"},
        insecure=True,
        singularity_xdr_url=sim.url,
        singularity_xdr_api_key={"identifier": "", "password": "wrong-key"},
    )
    assert "The Singularity Data Lake refused the API key [401]: check the singularity_xdr_api_key parameter" in error


def test_run_powerquery_refuses_a_plain_http_data_lake_url(analyst: Analyst) -> None:
    error = analyst.fails(
        "sentinelone-run-powerquery",
        {"query": "| limit 1"},
        singularity_xdr_url=analyst.sim.url,
        singularity_xdr_api_key={"identifier": "", "password": analyst.sim.token},
    )
    assert f"singularity_xdr_url: expected a URL starting with https://, got '{analyst.sim.url}'" in error
