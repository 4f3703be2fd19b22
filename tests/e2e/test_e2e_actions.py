"""End to end: an analyst acts on the SentinelOne simulator through the integration, each command run by the local
runner the way the platform runs it, and the console's own state is read back to check that the action really happened.

The simulator applies slow changes (network isolation, shutdown, uninstall) after simulated seconds; the tests move its
clock forward instead of waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Analyst as BaseAnalyst

AGENT_KEY = "SentinelOne.Agent(val.ID && val.ID == obj.ID)"
THREAT_KEY = "SentinelOne.Threat(val.ID && val.ID == obj.ID)"
ALERT_KEY = "SentinelOne.Alert(val.ID && val.ID == obj.ID)"
STAR_RULE_KEY = "SentinelOne.StarRule(val.ID && val.ID == obj.ID)"
IOC_KEY = "SentinelOne.IOC(val.UUID && val.UUID == obj.UUID)"
BLOCKLIST_KEY = "SentinelOne.Blocklist(val.ID && val.ID == obj.ID)"
SHA1 = "5a7c1b2e3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b"


class Analyst(BaseAnalyst):
    """Runs integration commands against the simulator and reads the console's state back with the API token."""

    def api(self, path: str, version: str = "2.1", **params: Any) -> Any:
        return super().api(path, version, **params)["data"]

    def status_of(self, path: str) -> int:
        return self.session.get(self.sim.api_url("2.1") + path, timeout=10).status_code

    def agent(self, agent_id: str) -> dict[str, Any]:
        return self.api("agents", ids=agent_id)[0]

    def threat(self, threat_id: str) -> dict[str, Any]:
        return self.api("threats", ids=threat_id)[0]

    def wait(self, seconds: float) -> None:
        """Let simulated time pass (the console finishes slow actions)."""
        self.sim.control.advance_clock(seconds)


@pytest.fixture
def analyst(s1sim: Any, tmp_path: Path) -> Iterator[Analyst]:
    yield Analyst(s1sim, tmp_path)


# --- agents ---


def test_isolating_an_agent_and_bringing_it_back(analyst: Analyst) -> None:
    """
    Given a connected agent
    When the analyst disconnects it, lets the console finish, then connects it again
    Then the console receives each action for that agent, and the agent's network status goes to disconnected and
    back to connected; the command outputs show the status read back right after each action.
    """
    agent = next(a for a in analyst.api("agents", limit=1000) if a["networkStatus"] == "connected" and a["isActive"])
    analyst.sim.control.clear_requests()

    context, readable = analyst.ok("sentinelone-disconnect-agent", {"agent_id": agent["id"]})
    assert context[AGENT_KEY] == [{"ID": agent["id"], "NetworkStatus": "disconnecting", "AgentsAffected": 1}]
    assert "SentinelOne reported 1 of 1 requested agents affected." in readable
    posted = analyst.sim.control.requests(path="/web/api/v2.1/agents/actions/disconnect")
    assert [(r["method"], r["body"]) for r in posted] == [("POST", {"filter": {"ids": [agent["id"]]}})]
    analyst.wait(5)
    assert analyst.agent(agent["id"])["networkStatus"] == "disconnected"

    context, _ = analyst.ok("sentinelone-connect-agent", {"agent_id": agent["id"]})
    assert context[AGENT_KEY] == [{"ID": agent["id"], "NetworkStatus": "connecting", "AgentsAffected": 1}]
    analyst.wait(5)
    assert analyst.agent(agent["id"])["networkStatus"] == "connected"


def test_disconnecting_two_agents_acts_on_both(analyst: Analyst) -> None:
    """
    Given two connected agents
    When the analyst disconnects both in one command
    Then both end up disconnected (older packs acted on the first ID only).
    """
    first, second = [a for a in analyst.api("agents", limit=1000) if a["networkStatus"] == "connected"][:2]
    context, _ = analyst.ok("sentinelone-disconnect-agent", {"agent_id": f"{first['id']},{second['id']}"})
    assert [(e["ID"], e["AgentsAffected"]) for e in context[AGENT_KEY]] == [(first["id"], 2), (second["id"], 2)]
    analyst.wait(5)
    assert [analyst.agent(a["id"])["networkStatus"] for a in (first, second)] == ["disconnected", "disconnected"]


def test_an_action_the_console_may_have_done_is_not_sent_twice(analyst: Analyst) -> None:
    """
    Given a console that answers the next disconnect with 503 (it may have acted), then the next one with 429
    When the analyst disconnects an agent twice
    Then the 503 is reported at once, after one request (a repeated POST could act twice); the 429, which the console
    answers before acting, is asked again and the agent is disconnected.
    """
    agent = next(a for a in analyst.api("agents", limit=1000) if a["networkStatus"] == "connected" and a["isActive"])
    path = "/web/api/v2.1/agents/actions/disconnect"
    analyst.sim.control.clear_requests()
    analyst.sim.control.add_fault("agents/actions/disconnect", status=503, times=1)
    error = analyst.fails("sentinelone-disconnect-agent", {"agent_id": agent["id"]})
    assert error.startswith("Failed to execute sentinelone-disconnect-agent command. Error: SentinelOne API error [503]")
    assert [request["status"] for request in analyst.sim.control.requests(path=path)] == [503]

    analyst.sim.control.clear_requests()
    analyst.sim.control.add_fault("agents/actions/disconnect", status=429, retry_after=0, times=1)
    context, _ = analyst.ok("sentinelone-disconnect-agent", {"agent_id": agent["id"]})
    assert [request["status"] for request in analyst.sim.control.requests(path=path)] == [429, 200]
    assert context[AGENT_KEY] == [{"ID": agent["id"], "NetworkStatus": "disconnecting", "AgentsAffected": 1}]


def test_scan_broadcast_shutdown_and_uninstall(analyst: Analyst) -> None:
    """
    Given active agents on several operating systems
    When the analyst starts a scan on two, broadcasts to a Windows and a Linux agent, shuts one down and uninstalls one
    Then the scans start, the broadcast counts only the agent that displays messages, the shut-down agent becomes
    inactive and the uninstalled one uninstalled, once the console has had the time.
    """
    agents = [a for a in analyst.api("agents", limit=1000) if a["isActive"] and not a["isUninstalled"]]
    windows = next(a for a in agents if a["osType"] == "windows")
    linux = next(a for a in agents if a["osType"] == "linux")
    to_stop, to_remove = [a for a in agents if a["id"] not in (windows["id"], linux["id"])][:2]

    context, _ = analyst.ok("sentinelone-initiate-endpoint-scan", {"agent_ids": f"{windows['id']},{linux['id']}"})
    assert context["SentinelOne.Agent(val.AgentID && val.AgentID == obj.AgentID)"] == [
        {"AgentID": windows["id"], "Initiated": True},
        {"AgentID": linux["id"], "Initiated": True},
    ]
    assert [analyst.agent(a["id"])["scanStatus"] for a in (windows, linux)] == ["started", "started"]

    context, _ = analyst.ok(
        "sentinelone-broadcast-message", {"message": "Reboot tonight", "agent_id": f"{windows['id']},{linux['id']}"}
    )
    assert context["SentinelOne.BroadcastMessage(val.Affected && val.Affected == obj.Affected)"] == {"Affected": 1}

    context, _ = analyst.ok("sentinelone-shutdown-agent", {"agent_id": to_stop["id"]})
    assert context[AGENT_KEY] == [{"ID": to_stop["id"]}]
    context, _ = analyst.ok("sentinelone-uninstall-agent", {"agent_id": to_remove["id"]})
    assert context["SentinelOne.uninstall(val.Affected && val.Affected == obj.Affected)"] == {"Affected": 1}
    analyst.wait(6)
    assert analyst.agent(to_stop["id"])["isActive"] is False
    assert analyst.agent(to_remove["id"])["isUninstalled"] is True


def test_a_broadcast_without_filters_reaches_every_agent_in_scope(analyst: Analyst) -> None:
    """
    Given a console with agents on several operating systems
    When the analyst broadcasts a message without any filter (every filter is optional)
    Then the console receives one broadcast for the whole tenant, every Windows and macOS agent is reached, and the
    output says so.
    """
    agents = analyst.api("agents", limit=1000)
    displaying = [a for a in agents if a["osType"] in ("windows", "macos")]
    analyst.sim.control.clear_requests()

    context, readable = analyst.ok("sentinelone-broadcast-message", {"message": "Maintenance at 22:00"})

    assert context["SentinelOne.BroadcastMessage(val.Affected && val.Affected == obj.Affected)"] == {"Affected": len(displaying)}
    assert f"SentinelOne reported {len(displaying)} agents reached: no filter was given" in readable
    assert [r["body"]["filter"] for r in analyst.sim.control.requests(path="/web/api/v2.1/agents/actions/broadcast")] == [
        {"tenant": True}
    ]


def test_a_shutdown_by_query_alone_never_reaches_the_console(analyst: Analyst) -> None:
    """
    Given a shutdown with only a free-text query (which could match every agent)
    When the analyst runs it
    Then the command fails naming the arguments it needs, and the console receives no request.
    """
    analyst.sim.control.clear_requests()
    error = analyst.fails("sentinelone-shutdown-agent", {"query": "a"})
    assert "agent_id, group_id: give at least one of them (a query alone could match every agent)" in error
    assert analyst.sim.control.requests() == []


def test_moving_agents_then_deleting_their_group(analyst: Analyst) -> None:
    """
    Given a static, non-default group and two agents of its site in other groups
    When the analyst moves both agents into the group, then deletes the group
    Then both agents are in the group, and after the deletion the group is gone and the agents are in the site's
    default group.
    """
    groups = analyst.api("groups", limit=300)
    agents = analyst.api("agents", limit=1000)
    group, movers = next(
        (g, m)
        for g in groups
        if g["type"] == "static" and not g["isDefault"]
        for m in [[a for a in agents if a["siteId"] == g["siteId"] and a["groupId"] != g["id"]][:2]]
        if len(m) == 2
    )
    mover_ids = [a["id"] for a in movers]

    context, readable = analyst.ok("sentinelone-move-agent", {"group_id": group["id"], "agents_ids": ",".join(mover_ids)})
    assert context["SentinelOne.Agent"] == {"AgentsMoved": 2}
    assert f"SentinelOne moved 2 of 2 requested agents to group {group['id']}." in readable
    assert [analyst.agent(agent_id)["groupId"] for agent_id in mover_ids] == [group["id"], group["id"]]

    context, _ = analyst.ok("sentinelone-delete-group", {"group_id": group["id"]})
    assert context["SentinelOne.DeleteGroup(val.Success && val.Success == obj.Success)"] == {
        "Success": f"The group {group['id']} was deleted successfully."
    }
    assert analyst.status_of(f"groups/{group['id']}") == 404
    default = next(g for g in analyst.api("groups", limit=300, siteIds=group["siteId"]) if g["isDefault"])
    assert [analyst.agent(agent_id)["groupId"] for agent_id in mover_ids] == [default["id"], default["id"]]


# --- threats and alerts ---


def test_threat_triage_session(analyst: Analyst) -> None:
    """
    Given two unresolved threats on Windows agents
    When the analyst sets their verdict and status, writes a note and kills them
    Then the console holds the verdict, the status, the note on each threat and a kill in their mitigation records;
    the command outputs give a per-threat result from the console's details.
    """
    agents = {a["id"]: a for a in analyst.api("agents", limit=1000)}
    threats = [
        t
        for t in analyst.api("threats", limit=1000)
        if t["threatInfo"]["incidentStatus"] == "unresolved" and agents[t["agentRealtimeInfo"]["agentId"]]["osType"] == "windows"
    ][:2]
    threat_ids = [t["id"] for t in threats]
    joined = ",".join(threat_ids)

    context, _ = analyst.ok("sentinelone-update-threats-verdict", {"verdict": "true_positive", "threat_ids": joined})
    expected_updated = [t["threatInfo"]["analystVerdict"] != "true_positive" for t in threats]
    assert [(e["ID"], e["Updated"]) for e in context[THREAT_KEY]] == list(zip(threat_ids, expected_updated, strict=True))
    context, _ = analyst.ok("sentinelone-update-threats-status", {"status": "in_progress", "threat_ids": joined})
    assert [(e["ID"], e["Updated"], e["Status"]) for e in context[THREAT_KEY]] == [(i, True, "in_progress") for i in threat_ids]
    context, _ = analyst.ok("sentinelone-write-threat-note", {"threat_ids": joined, "note": "Escalated to IR"})
    assert [(e["ID"], e["Status"]) for e in context[THREAT_KEY]] == [(i, "Success") for i in threat_ids]
    context, _ = analyst.ok("sentinelone-mitigate-threat", {"action": "kill", "threat_ids": joined})
    assert context[THREAT_KEY] == [{"ID": i, "Mitigated": True, "Mitigation": {"Action": "kill"}} for i in threat_ids]

    for threat_id in threat_ids:
        info = analyst.threat(threat_id)
        assert (info["threatInfo"]["analystVerdict"], info["threatInfo"]["incidentStatus"]) == ("true_positive", "in_progress")
        assert "kill" in [record["action"] for record in info["mitigationStatus"]]
        assert "Escalated to IR" in [note["text"] for note in analyst.api(f"threats/{threat_id}/notes", limit=100)]


def test_a_mitigation_the_console_skips_is_reported_as_not_done(analyst: Analyst) -> None:
    """
    Given a threat on a Linux agent
    When the analyst asks for a rollback (Windows only)
    Then the output marks it not mitigated and gives the console's reason, and the console records no rollback.
    """
    agents = {a["id"]: a for a in analyst.api("agents", limit=1000)}
    threat = next(t for t in analyst.api("threats", limit=1000) if agents[t["agentRealtimeInfo"]["agentId"]]["osType"] == "linux")
    context, readable = analyst.ok("sentinelone-mitigate-threat", {"action": "rollback-remediation", "threat_ids": threat["id"]})
    assert context[THREAT_KEY] == [{"ID": threat["id"], "Mitigated": False, "Mitigation": {"Action": "rollback-remediation"}}]
    assert "skipped rollback: not_supported (Rollback is Windows only)" in readable
    assert "SentinelOne reported 0 affected threats: nothing was changed." in readable
    assert "rollback" not in [record["action"] for record in analyst.threat(threat["id"])["mitigationStatus"]]


def test_api_20_threat_actions(analyst: Analyst) -> None:
    """
    Given an instance on API 2.0 and two unresolved threats
    When the analyst marks one as a threat and resolves the other, then tries mark-as-threat on an API 2.1 instance
    Then the console shows the first as a true positive and the second resolved; the 2.1 run is refused by name.
    """
    first, second = [t for t in analyst.api("threats", limit=1000) if t["threatInfo"]["incidentStatus"] == "unresolved"][:2]
    context, _ = analyst.ok("sentinelone-mark-as-threat", {"threat_ids": first["id"], "target_scope": "site"}, version="2.0")
    assert context[THREAT_KEY] == [{"ID": first["id"], "MarkedAsThreat": True}]
    context, _ = analyst.ok("sentinelone-resolve-threat", {"threat_ids": second["id"]}, version="2.0")
    assert context[THREAT_KEY] == [{"ID": second["id"], "Resolved": True}]
    assert analyst.threat(first["id"])["threatInfo"]["analystVerdict"] == "true_positive"
    assert analyst.threat(second["id"])["threatInfo"]["incidentStatus"] == "resolved"
    assert analyst.api("threats", version="2.0", ids=second["id"])[0]["resolved"] is True

    error = analyst.fails("sentinelone-mark-as-threat", {"threat_ids": first["id"], "target_scope": "site"})
    assert "The sentinelone-mark-as-threat command is not supported for API version 2.1; it works with API version 2.0." in error


def test_alert_triage(analyst: Analyst) -> None:
    """
    Given two unresolved alerts
    When the analyst sets their verdict to false positive and their status to resolved
    Then the console shows both alerts with the new verdict and status.
    """
    alerts = [a for a in analyst.api("cloud-detection/alerts", limit=1000) if a["alertInfo"]["incidentStatus"] == "Unresolved"][
        :2
    ]
    alert_ids = [a["alertInfo"]["alertId"] for a in alerts]
    context, _ = analyst.ok("sentinelone-update-alerts-verdict", {"verdict": "false_positive", "alert_ids": ",".join(alert_ids)})
    assert context[ALERT_KEY] == [{"ID": i, "Updated": True, "Update": {"Action": "false_positive"}} for i in alert_ids]
    context, _ = analyst.ok("sentinelone-update-alerts-status", {"status": "resolved", "alert_ids": ",".join(alert_ids)})
    assert context[ALERT_KEY] == [{"ID": i, "Updated": True, "Status": "resolved"} for i in alert_ids]
    after = analyst.api("cloud-detection/alerts", ids=",".join(alert_ids))
    assert sorted(
        (a["alertInfo"]["alertId"], a["alertInfo"]["analystVerdict"], a["alertInfo"]["incidentStatus"]) for a in after
    ) == sorted((i, "False positive", "Resolved") for i in alert_ids)


# --- sites ---


def test_expiring_and_reactivating_a_site(analyst: Analyst) -> None:
    """
    Given an active site
    When the analyst expires it and then reactivates it without expiration
    Then the console shows it expired, then active with an unlimited expiration.
    """
    site = next(s for s in analyst.api("sites", limit=100)["sites"] if s["state"] == "active")
    context, _ = analyst.ok("sentinelone-expire-site", {"site_id": site["id"]})
    entry = context["SentinelOne.Site(val.ID && val.ID == obj.ID)"]
    assert (entry["ID"], entry["Name"], entry["State"]) == (site["id"], site["name"], "expired")
    assert analyst.api(f"sites/{site['id']}")["state"] == "expired"

    context, _ = analyst.ok("sentinelone-reactivate-site", {"site_id": site["id"], "unlimited": "true"})
    assert context["SentinelOne.Site(val.ID && val.ID == obj.ID)"] == {"ID": site["id"], "Reactivated": True}
    after = analyst.api(f"sites/{site['id']}")
    assert (after["state"], after["unlimitedExpiration"]) == ("active", True)


# --- allow list and blocklist ---


def test_allow_list_add_and_remove(analyst: Analyst) -> None:
    """
    Given a path that is not on the allow list
    When the analyst adds it for one site, removes it, and removes it again
    Then the console lists the exclusion after the add and not after the remove; the second removal says it was not
    on the list.
    """
    site = analyst.api("sites", limit=100)["sites"][0]
    path = "C:\\Program Files\\AcmeBackup\\agent.exe"
    context, _ = analyst.ok(
        "sentinelone-create-white-list-item",
        {
            "exclusion_type": "path",
            "exclusion_value": path,
            "os_type": "windows",
            "path_exclusion_type": "file",
            "site_ids": site["id"],
        },
    )
    created = context["SentinelOne.Exclusions(val.ID && val.ID == obj.ID)"]
    assert created["Type"] == "path"
    listed = [e for e in analyst.api("exclusions", limit=1000, includeChildren="true") if e["value"] == path]
    assert [(e["id"], e["osType"], e["scopeName"]) for e in listed] == [(created["ID"], "windows", site["name"])]

    context, _ = analyst.ok("sentinelone-remove-item-from-whitelist", {"item": path})
    key = "SentinelOne.RemoveItemFromWhitelist(val.item && val.item == obj.item)"
    assert context[key] == {"item": path, "status": "Removed 1 entries from whitelist"}
    assert [e for e in analyst.api("exclusions", limit=1000, includeChildren="true") if e["value"] == path] == []
    context, _ = analyst.ok("sentinelone-remove-item-from-whitelist", {"item": path})
    assert context[key] == {"item": path, "status": "Not on whitelist"}


def test_an_exclusion_without_site_or_group_is_global(analyst: Analyst) -> None:
    """
    Given a hash that is not on the allow list
    When the analyst adds it without site_ids or group_ids (both are optional)
    Then the console holds one global (tenant) exclusion for it, and the output says it is global.
    """
    sha1 = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
    context, readable = analyst.ok(
        "sentinelone-create-white-list-item", {"exclusion_type": "white_hash", "exclusion_value": sha1, "os_type": "linux"}
    )

    created = context["SentinelOne.Exclusions(val.ID && val.ID == obj.ID)"]
    listed = [e for e in analyst.api("exclusions", limit=1000, includeChildren="true") if e["value"] == sha1]
    assert [(e["id"], e["scopeName"], e["scope"]["tenant"]) for e in listed] == [(created["ID"], "Global", True)]
    assert "This is a global exclusion" in readable


def test_global_blocklist_add_show_and_remove(analyst: Analyst) -> None:
    """
    Given a hash that is not blocked
    When the analyst adds it to the global blocklist, lists the blocklist, adds it again, removes it and lists again
    Then sentinelone-get-blocklist shows it after the add and not after the removal; the second add says it is already
    blocked instead of failing.
    """
    context, _ = analyst.ok("sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "os_type": "windows"})
    added_key = "SentinelOne.AddHashToBlocklist(val.hash && val.hash == obj.hash)"
    assert context[added_key] == {"hash": SHA1, "sha1": SHA1, "status": "Added to global blocklist"}
    context, _ = analyst.ok("sentinelone-get-blocklist", {"hash": SHA1})
    assert [(e["Value"], e["OSType"], e["Source"], e["Description"]) for e in context[BLOCKLIST_KEY]] == [
        (SHA1, "windows", "XSOAR", "Blocked from XSOAR")
    ]

    context, _ = analyst.ok("sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "os_type": "windows"})
    assert context[added_key] == {"hash": SHA1, "sha1": SHA1, "status": "Already on blocklist"}

    context, _ = analyst.ok("sentinelone-remove-hash-from-blocklist", {"sha1": SHA1})
    removed_key = "SentinelOne.RemoveHashFromBlocklist(val.hash && val.hash == obj.hash)"
    assert context[removed_key] == {"hash": SHA1, "sha1": SHA1, "status": "Removed 1 entries from blocklist"}
    context, _ = analyst.ok("sentinelone-get-blocklist", {"hash": SHA1})
    assert context.get(BLOCKLIST_KEY, []) == []


def test_site_scoped_blocklist_follows_the_block_site_ids_parameter(analyst: Analyst) -> None:
    """
    Given an instance whose Block Site IDs parameter names two sites
    When the analyst blocks a hash for every OS family it supports and then removes it without an OS type
    Then the console holds one entry per site and OS, none global, and the removal takes every one of them.
    """
    first, second = analyst.api("sites", limit=100)["sites"][:2]
    block_sites = f"{first['id']},{second['id']}"
    for os_type in ("windows", "linux"):
        context, _ = analyst.ok(
            "sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "os_type": os_type}, block_site_ids=block_sites
        )
        assert context["SentinelOne.AddHashToBlocklist(val.hash && val.hash == obj.hash)"]["status"] == (
            f"Added to site: {first['id']}, {second['id']} blocklist"
        )
    scoped = analyst.api("restrictions", limit=1000, tenant="false", siteIds=block_sites, value__contains=SHA1)
    assert sorted((e["scopeName"], e["osType"]) for e in scoped) == sorted(
        (site["name"], os_type) for site in (first, second) for os_type in ("windows", "linux")
    )
    assert analyst.api("restrictions", limit=1000, tenant="true", value__contains=SHA1) == []

    context, _ = analyst.ok("sentinelone-remove-hash-from-blocklist", {"sha1": SHA1}, block_site_ids=block_sites)
    assert (
        context["SentinelOne.RemoveHashFromBlocklist(val.hash && val.hash == obj.hash)"]["status"]
        == "Removed 4 entries from blocklist"
    )
    assert analyst.api("restrictions", limit=1000, tenant="false", siteIds=block_sites, value__contains=SHA1) == []


# --- STAR rules, IOCs, Deep Visibility ---


def test_star_rule_lifecycle(analyst: Analyst) -> None:
    """
    Given no rule of that name
    When the analyst creates a STAR rule, enables it, updates it, disables it and deletes it
    Then sentinelone-get-star-rules shows it as a draft, active, still active after the update (with the new name),
    disabled, and finally not at all.
    """
    rule = {
        "name": "Encoded PowerShell",
        "rule_severity": "High",
        "expiration_mode": "Permanent",
        "query_type": "events",
        "query": 'TgtProcCmdLine ContainsCIS "-enc"',
        "network_quarantine": "false",
        "treatAsThreat": "Suspicious",
    }
    context, _ = analyst.ok("sentinelone-create-star-rule", rule)
    created = context[STAR_RULE_KEY]
    rule_id = created["ID"]
    assert (created["Name"], created["Status"], created["Severity"], created["TreatAsThreat"]) == (
        "Encoded PowerShell",
        "Draft",
        "High",
        "Suspicious",
    )

    def listed() -> list[tuple[str, str]]:
        context, _ = analyst.ok("sentinelone-get-star-rules", {"ruleIds": rule_id})
        return [(e["Name"], e["Status"]) for e in context.get(STAR_RULE_KEY, [])]

    assert listed() == [("Encoded PowerShell", "Draft")]
    context, _ = analyst.ok("sentinelone-enable-star-rules", {"rule_ids": rule_id})
    assert context[STAR_RULE_KEY] == [{"ID": rule_id, "Enabled": True}]
    assert listed() == [("Encoded PowerShell", "Active")]
    context, _ = analyst.ok("sentinelone-update-star-rule", {**rule, "rule_id": rule_id, "name": "Encoded PowerShell v2"})
    assert (context[STAR_RULE_KEY]["ID"], context[STAR_RULE_KEY]["Status"]) == (rule_id, "Active")
    assert listed() == [("Encoded PowerShell v2", "Active")]
    context, _ = analyst.ok("sentinelone-disable-star-rules", {"rule_ids": rule_id})
    assert context[STAR_RULE_KEY] == [{"ID": rule_id, "Disabled": True}]
    assert listed() == [("Encoded PowerShell v2", "Disabled")]
    context, _ = analyst.ok("sentinelone-delete-star-rule", {"rule_ids": rule_id})
    assert context[STAR_RULE_KEY] == [{"ID": rule_id, "Deleted": True}]
    assert listed() == []


def test_ioc_create_and_delete(analyst: Analyst) -> None:
    """
    Given an account
    When the analyst adds a SHA256 IOC to it and then deletes it
    Then sentinelone-get-iocs shows the IOC with the given values, and after the deletion no longer finds it.
    """
    account = analyst.api("accounts", limit=100)[0]
    value = "8b1a9953c4611296a827abf8c47804d7e6c49c6b2a6e1b9c6f2c3d4e5f6a7b8c"
    args = {
        "name": "Emotet loader",
        "source": "MISP",
        "type": "sha256",
        "method": "EQUALS",
        "validUntil": "2099-01-01T00:00:00Z",
        "value": value,
        "account_ids": account["id"],
        "externalId": "misp-4711",
    }
    context, _ = analyst.ok("sentinelone-create-ioc", args)
    [created] = context[IOC_KEY]
    assert (created["Name"], created["Type"], created["Source"], created["ExternalId"], created["ScopeId"]) == (
        "Emotet loader",
        "SHA256",
        "MISP",
        "misp-4711",
        account["id"],
    )
    context, _ = analyst.ok("sentinelone-get-iocs", {"account_ids": account["id"], "uuids": created["UUID"]})
    assert [(e["UUID"], e["Value"]) for e in context[IOC_KEY]] == [(created["UUID"], value)]

    context, _ = analyst.ok("sentinelone-delete-ioc", {"account_ids": account["id"], "uuids": created["UUID"]})
    assert context[IOC_KEY] == [{"UUID": created["UUID"], "Deleted": True}]
    context, _ = analyst.ok("sentinelone-get-iocs", {"account_ids": account["id"], "uuids": created["UUID"]})
    assert context.get(IOC_KEY, []) == []


def test_deep_visibility_query_is_created(analyst: Analyst) -> None:
    """
    Given a Deep Visibility query over the last day
    When the analyst creates it
    Then the console knows the returned query id, and the request carried ISO 8601 UTC dates.
    """
    context, _ = analyst.ok(
        "sentinelone-create-query", {"query": "AgentName IS NOT EMPTY", "from_date": "1 day", "to_date": "now"}
    )
    query = context["SentinelOne.Query(val.QueryID && val.QueryID == obj.QueryID)"]
    assert query["Query"] == "AgentName IS NOT EMPTY"
    assert query["QueryID"].startswith("q")
    assert analyst.api("dv/query-status", queryId=query["QueryID"])["responseState"] in ("RUNNING", "FINISHED")
    [posted] = analyst.sim.control.requests(path="/web/api/v2.1/dv/init-query")
    assert posted["body"] == {"query": "AgentName IS NOT EMPTY", "fromDate": query["FromDate"], "toDate": query["ToDate"]}
    assert query["FromDate"].endswith("Z") and query["ToDate"].endswith("Z")
