"""Unit tests of the action commands: the exact request each sends, the context it writes, and the input it refuses."""

import pytest
import SentinelOne_V2 as s1
from freezegun import freeze_time

from conftest import BASE_V20, BASE_V21, context, load_fixture, sent
from conftest import dispatch as run

AGENT_1, AGENT_2 = "1700000000000000001", "1700000000000000002"
THREAT_1, THREAT_2 = "1800000000000000001", "1800000000000000002"
ALERT_1, ALERT_2 = "1200000000000000001", "1200000000000000002"
GROUP_1 = "1600000000000000001"
SITE_1, SITE_2 = "1500000000000000001", "1500000000000000002"
RULE_1, RULE_2 = "1400000000000000001", "1400000000000000002"
ACCOUNT_1 = "1300000000000000001"
IOC_1, IOC_2 = "a1b2c3d4e5f60718293a4b5c6d7e8f90", "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
SHA1 = "3395856ce81f2b7382dee72602f798b642f14140"
SHA256 = "8b1a9953c4611296a827abf8c47804d7e6c49c6b2a6e1b9c6f2c3d4e5f6a7b8c"
AFFECTED_2 = {"data": {"affected": 2}}
AFFECTED_1 = {"data": {"affected": 1}}
AFFECTED_0 = {"data": {"affected": 0}}
SUCCESS = {"data": {"success": True}}


# --- the exact request of each single-request action ---

REQUESTS = [
    (
        "broadcast to active agents of a group, two agents and a domain",
        "sentinelone-broadcast-message",
        s1.V21,
        {
            "message": "Patch tonight",
            "active_agent": "true",
            "group_id": GROUP_1,
            "agent_id": f"{AGENT_1},{AGENT_2}",
            "domain": "corp.local",
        },
        AFFECTED_2,
        "POST",
        "agents/actions/broadcast",
        {
            "data": {"message": "Patch tonight"},
            "filter": {"isActive": True, "groupIds": [GROUP_1], "ids": [AGENT_1, AGENT_2], "domains": ["corp.local"]},
        },
    ),
    (
        "broadcast with active_agent=false leaves isActive out (false would select inactive agents only)",
        "sentinelone-broadcast-message",
        s1.V20,
        {"message": "Patch tonight", "active_agent": "false", "agent_id": AGENT_1},
        AFFECTED_1,
        "POST",
        "agents/actions/broadcast",
        {"data": {"message": "Patch tonight"}, "filter": {"ids": [AGENT_1]}},
    ),
    (
        "broadcast to every active agent",
        "sentinelone-broadcast-message",
        s1.V21,
        {"message": "Patch tonight", "active_agent": "true"},
        AFFECTED_2,
        "POST",
        "agents/actions/broadcast",
        {"data": {"message": "Patch tonight"}, "filter": {"isActive": True}},
    ),
    (
        "broadcast with only a message: every agent in the token's scope, said explicitly with tenant",
        "sentinelone-broadcast-message",
        s1.V21,
        {"message": "Patch tonight", "active_agent": "false", "group_id": "", "agent_id": " "},
        AFFECTED_2,
        "POST",
        "agents/actions/broadcast",
        {"data": {"message": "Patch tonight"}, "filter": {"tenant": True}},
    ),
    (
        "shutdown of two agents: no empty query or groupIds in the filter",
        "sentinelone-shutdown-agent",
        s1.V21,
        {"agent_id": f"{AGENT_1}, {AGENT_2}"},
        AFFECTED_2,
        "POST",
        "agents/actions/shutdown",
        {"filter": {"ids": [AGENT_1, AGENT_2]}},
    ),
    (
        "shutdown of a group narrowed by a query",
        "sentinelone-shutdown-agent",
        s1.V20,
        {"group_id": GROUP_1, "query": "FIN-"},
        AFFECTED_2,
        "POST",
        "agents/actions/shutdown",
        {"filter": {"groupIds": [GROUP_1], "query": "FIN-"}},
    ),
    (
        "uninstall calls the uninstall endpoint, not shutdown",
        "sentinelone-uninstall-agent",
        s1.V21,
        {"agent_id": AGENT_1},
        AFFECTED_1,
        "POST",
        "agents/actions/uninstall",
        {"filter": {"ids": [AGENT_1]}},
    ),
    (
        "move two agents to a group",
        "sentinelone-move-agent",
        s1.V21,
        {"group_id": GROUP_1, "agents_ids": f"{AGENT_1},{AGENT_2}"},
        {"data": {"agentsMoved": 2}},
        "PUT",
        f"groups/{GROUP_1}/move-agents",
        {"filter": {"ids": [AGENT_1, AGENT_2]}},
    ),
    (
        "initiate a scan on two agents",
        "sentinelone-initiate-endpoint-scan",
        s1.V20,
        {"agent_ids": f"{AGENT_1},{AGENT_2}"},
        AFFECTED_2,
        "POST",
        "agents/actions/initiate-scan",
        {"filter": {"ids": [AGENT_1, AGENT_2]}, "data": {}},
    ),
    (
        "mitigation action is a path segment, every threat id is sent",
        "sentinelone-mitigate-threat",
        s1.V21,
        {"action": "rollback-remediation", "threat_ids": f"{THREAT_1},{THREAT_2}"},
        AFFECTED_2,
        "POST",
        "threats/mitigate/rollback-remediation",
        {"filter": {"ids": [THREAT_1, THREAT_2]}},
    ),
    (
        "a 2.1 mitigation action beyond the specification's list passes through",
        "sentinelone-mitigate-threat",
        s1.V21,
        {"action": "network-quarantine", "threat_ids": THREAT_1},
        AFFECTED_1,
        "POST",
        "threats/mitigate/network-quarantine",
        {"filter": {"ids": [THREAT_1]}},
    ),
    (
        "mitigation on API 2.0",
        "sentinelone-mitigate-threat",
        s1.V20,
        {"action": "KILL", "threat_ids": THREAT_1},
        AFFECTED_1,
        "POST",
        "threats/mitigate/kill",
        {"filter": {"ids": [THREAT_1]}},
    ),
    (
        "mark as threat (2.0) with its target scope",
        "sentinelone-mark-as-threat",
        s1.V20,
        {"threat_ids": f"{THREAT_1},{THREAT_2}", "target_scope": "tenant"},
        AFFECTED_2,
        "POST",
        "threats/mark-as-threat",
        {"filter": {"ids": [THREAT_1, THREAT_2]}, "data": {"targetScope": "tenant"}},
    ),
    (
        "resolve (2.0)",
        "sentinelone-resolve-threat",
        s1.V20,
        {"threat_ids": THREAT_1},
        AFFECTED_1,
        "POST",
        "threats/mark-as-resolved",
        {"filter": {"ids": [THREAT_1]}},
    ),
    (
        "threat verdict: one batched call with tenant scope",
        "sentinelone-update-threats-verdict",
        s1.V21,
        {"verdict": "true_positive", "threat_ids": f"{THREAT_1},{THREAT_2}"},
        AFFECTED_2,
        "POST",
        "threats/analyst-verdict",
        {"data": {"analystVerdict": "true_positive"}, "filter": {"ids": [THREAT_1, THREAT_2], "tenant": True}},
    ),
    (
        "threat status: one batched call with the ids as a list",
        "sentinelone-update-threats-status",
        s1.V21,
        {"status": "in_progress", "threat_ids": f"{THREAT_1},{THREAT_2}"},
        AFFECTED_2,
        "POST",
        "threats/incident",
        {"data": {"incidentStatus": "in_progress"}, "filter": {"ids": [THREAT_1, THREAT_2]}},
    ),
    (
        "threat note on two threats",
        "sentinelone-write-threat-note",
        s1.V21,
        {"threat_ids": f"{THREAT_1},{THREAT_2}", "note": "Escalated to IR"},
        AFFECTED_2,
        "POST",
        "threats/notes",
        {"data": {"text": "Escalated to IR"}, "filter": {"ids": [THREAT_1, THREAT_2]}},
    ),
    (
        "alert verdict with tenant scope",
        "sentinelone-update-alerts-verdict",
        s1.V21,
        {"verdict": "false_positive", "alert_ids": f"{ALERT_1},{ALERT_2}"},
        AFFECTED_2,
        "POST",
        "cloud-detection/alerts/analyst-verdict",
        {"data": {"analystVerdict": "false_positive"}, "filter": {"ids": [ALERT_1, ALERT_2], "tenant": True}},
    ),
    (
        "alert status",
        "sentinelone-update-alerts-status",
        s1.V21,
        {"status": "resolved", "alert_ids": ALERT_1},
        AFFECTED_1,
        "POST",
        "cloud-detection/alerts/incident",
        {"data": {"incidentStatus": "resolved"}, "filter": {"ids": [ALERT_1]}},
    ),
    (
        "reactivate a site without expiration",
        "sentinelone-reactivate-site",
        s1.V21,
        {"site_id": SITE_1, "unlimited": "true"},
        SUCCESS,
        "PUT",
        f"sites/{SITE_1}/reactivate",
        {"data": {"unlimited": True}},
    ),
    (
        "reactivate a site until a date, sent as ISO 8601 UTC with Z",
        "sentinelone-reactivate-site",
        s1.V20,
        {"site_id": SITE_1, "expiration": "2030-01-01T12:00:00+02:00"},
        SUCCESS,
        "PUT",
        f"sites/{SITE_1}/reactivate",
        {"data": {"expiration": "2030-01-01T10:00:00.000000Z", "unlimited": False}},
    ),
    (
        "expire a site: POST without a body",
        "sentinelone-expire-site",
        s1.V21,
        {"site_id": SITE_1},
        {"data": {"id": SITE_1, "state": "expired"}},
        "POST",
        f"sites/{SITE_1}/expire-now",
        None,
    ),
    (
        "delete a group",
        "sentinelone-delete-group",
        s1.V20,
        {"group_id": GROUP_1},
        SUCCESS,
        "DELETE",
        f"groups/{GROUP_1}",
        None,
    ),
    (
        "hash exclusion in one site: empty groupIds and mode left out",
        "sentinelone-create-white-list-item",
        s1.V21,
        {
            "exclusion_type": "white_hash",
            "exclusion_value": SHA1,
            "os_type": "windows",
            "description": "Known admin tool",
            "site_ids": SITE_1,
        },
        {"data": [{"id": "1900000000000000001"}]},
        "POST",
        "exclusions",
        {
            "filter": {"siteIds": [SITE_1]},
            "data": {"type": "white_hash", "value": SHA1, "osType": "windows", "description": "Known admin tool"},
        },
    ),
    (
        "exclusion without site or group IDs: a global (tenant) exclusion",
        "sentinelone-create-white-list-item",
        s1.V20,
        {"exclusion_type": "white_hash", "exclusion_value": SHA1, "os_type": "windows", "site_ids": "", "group_ids": ""},
        {"data": [{"id": "1900000000000000003"}]},
        "POST",
        "exclusions",
        {"filter": {"tenant": True}, "data": {"type": "white_hash", "value": SHA1, "osType": "windows"}},
    ),
    (
        "path exclusion in a group with a mode and a path type",
        "sentinelone-create-white-list-item",
        s1.V20,
        {
            "exclusion_type": "path",
            "exclusion_value": "C:\\Tools\\",
            "os_type": "windows",
            "exclusion_mode": "disable_all_monitors",
            "path_exclusion_type": "subfolders",
            "group_ids": GROUP_1,
        },
        {"data": [{"id": "1900000000000000002"}]},
        "POST",
        "exclusions",
        {
            "filter": {"groupIds": [GROUP_1]},
            "data": {
                "type": "path",
                "value": "C:\\Tools\\",
                "osType": "windows",
                "mode": "disable_all_monitors",
                "pathExclusionType": "subfolders",
            },
        },
    ),
    (
        "STAR rule created as a draft in the global scope",
        "sentinelone-create-star-rule",
        s1.V21,
        {
            "name": "Encoded PowerShell",
            "rule_severity": "High",
            "expiration_mode": "Permanent",
            "query_type": "events",
            "query": 'TgtProcCmdLine ContainsCIS "-enc"',
            "network_quarantine": "true",
            "treatAsThreat": "Malicious",
        },
        load_fixture("actions/star_rule.json"),
        "POST",
        "cloud-detection/rules",
        {
            "data": {
                "name": "Encoded PowerShell",
                "s1ql": 'TgtProcCmdLine ContainsCIS "-enc"',
                "queryType": "events",
                "severity": "High",
                "expirationMode": "Permanent",
                "networkQuarantine": True,
                "treatAsThreat": "Malicious",
                "status": "Draft",
            },
            "filter": {"tenant": True},
        },
    ),
    (
        "temporary STAR rule scoped to a site and an account (no empty groupIds)",
        "sentinelone-create-star-rule",
        s1.V21,
        {
            "name": "Temp rule",
            "description": "for the incident",
            "rule_severity": "low",
            "expiration_mode": "Temporary",
            "expiration_date": "2030-06-01T00:00:00Z",
            "query_type": "processes",
            "query": "ProcessName = 'x.exe'",
            "site_ids": SITE_1,
            "account_ids": ACCOUNT_1,
            "network_quarantine": "false",
            "treatAsThreat": "suspicious",
            "query_lang": "2.0",
        },
        load_fixture("actions/star_rule.json"),
        "POST",
        "cloud-detection/rules",
        {
            "data": {
                "name": "Temp rule",
                "description": "for the incident",
                "s1ql": "ProcessName = 'x.exe'",
                "queryType": "processes",
                "severity": "Low",
                "expirationMode": "Temporary",
                "expiration": "2030-06-01T00:00:00.000000Z",
                "networkQuarantine": False,
                "treatAsThreat": "Suspicious",
                "queryLang": "2.0",
                "status": "Draft",
            },
            "filter": {"siteIds": [SITE_1], "accountIds": [ACCOUNT_1]},
        },
    ),
    (
        "STAR rule update: PUT to the rule, no status (an active rule stays active)",
        "sentinelone-update-star-rule",
        s1.V21,
        {
            "rule_id": RULE_1,
            "name": "Encoded PowerShell v2",
            "rule_severity": "Critical",
            "expiration_mode": "Permanent",
            "query_type": "events",
            "query": 'TgtProcCmdLine ContainsCIS "-e "',
            "group_ids": GROUP_1,
            "network_quarantine": "false",
            "treatAsThreat": "UNDEFINED",
            "query_lang": "1.0",
        },
        load_fixture("actions/star_rule.json"),
        "PUT",
        f"cloud-detection/rules/{RULE_1}",
        {
            "data": {
                "name": "Encoded PowerShell v2",
                "s1ql": 'TgtProcCmdLine ContainsCIS "-e "',
                "queryType": "events",
                "severity": "Critical",
                "expirationMode": "Permanent",
                "networkQuarantine": False,
                "treatAsThreat": "UNDEFINED",
                "queryLang": "1.0",
            },
            "filter": {"groupIds": [GROUP_1]},
        },
    ),
    (
        "enable STAR rules",
        "sentinelone-enable-star-rules",
        s1.V21,
        {"rule_ids": f"{RULE_1},{RULE_2}"},
        AFFECTED_2,
        "PUT",
        "cloud-detection/rules/enable",
        {"filter": {"ids": [RULE_1, RULE_2]}},
    ),
    (
        "disable STAR rules",
        "sentinelone-disable-star-rules",
        s1.V21,
        {"rule_ids": RULE_1},
        AFFECTED_1,
        "PUT",
        "cloud-detection/rules/disable",
        {"filter": {"ids": [RULE_1]}},
    ),
    (
        "delete STAR rules",
        "sentinelone-delete-star-rule",
        s1.V21,
        {"rule_ids": f"{RULE_1},{RULE_2}"},
        AFFECTED_2,
        "DELETE",
        "cloud-detection/rules",
        {"filter": {"ids": [RULE_1, RULE_2]}},
    ),
    (
        "create an IOC: type and method upper-cased, empty optional fields left out",
        "sentinelone-create-ioc",
        s1.V21,
        {
            "name": "Emotet loader",
            "source": "MISP",
            "type": "sha256",
            "method": "equals",
            "validUntil": "2027-01-01T00:00:00Z",
            "value": SHA256,
            "account_ids": ACCOUNT_1,
            "externalId": "",
        },
        load_fixture("actions/ioc_created.json"),
        "POST",
        "threat-intelligence/iocs",
        {
            "filter": {"accountIds": [ACCOUNT_1]},
            "data": [
                {
                    "name": "Emotet loader",
                    "source": "MISP",
                    "type": "SHA256",
                    "method": "EQUALS",
                    "validUntil": "2027-01-01T00:00:00.000000Z",
                    "value": SHA256,
                }
            ],
        },
    ),
    (
        "delete IOCs by account and uuids",
        "sentinelone-delete-ioc",
        s1.V21,
        {"account_ids": ACCOUNT_1, "uuids": f"{IOC_1},{IOC_2}"},
        AFFECTED_2,
        "DELETE",
        "threat-intelligence/iocs",
        {"filter": {"accountIds": [ACCOUNT_1], "uuids": [IOC_1, IOC_2]}},
    ),
    (
        "add a hash to the global blocklist with the default source and description",
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"sha1": SHA1, "os_type": "windows"},
        {"data": [{"id": "1910000000000000001"}]},
        "POST",
        "restrictions",
        {
            "data": {
                "value": SHA1,
                "type": "black_hash",
                "osType": "windows",
                "description": "Blocked from XSOAR",
                "source": "XSOAR",
            },
            "filter": {"tenant": True},
        },
    ),
]


@pytest.mark.parametrize(
    "command, api_version, args, response, method, path, body", [row[1:] for row in REQUESTS], ids=[row[0] for row in REQUESTS]
)
def test_action_sends_exactly_one_request(requests_mock, command, api_version, args, response, method, path, body):
    """
    Given an action command and its arguments
    When it runs
    Then it sends exactly one request: this method, this path, no query string, this JSON body.
    """
    base = BASE_V21 if api_version == s1.V21 else BASE_V20
    requests_mock.register_uri(method, f"{base}{path}", json=response)
    run(command, args, api_version)
    assert [sent(request) for request in requests_mock.request_history] == [(method, path, {}, body)]


@freeze_time("2026-11-25T10:00:00Z")
def test_create_query_sends_the_query_and_iso_dates(requests_mock):
    """
    Given a Deep Visibility query with a relative start and an absolute end
    When sentinelone-create-query runs
    Then it POSTs dv/init-query with both dates as ISO 8601 UTC with Z, and the context holds the query id.
    """
    requests_mock.post(f"{BASE_V21}dv/init-query", json={"data": {"queryId": "q0123456789abcdef0123456789abcdef"}})
    result = run(
        "sentinelone-create-query", {"query": "AgentName IS NOT EMPTY", "from_date": "3 days", "to_date": "2026-11-25T09:00:00Z"}
    )
    assert [sent(r) for r in requests_mock.request_history] == [
        (
            "POST",
            "dv/init-query",
            {},
            {
                "query": "AgentName IS NOT EMPTY",
                "fromDate": "2026-11-22T10:00:00.000000Z",
                "toDate": "2026-11-25T09:00:00.000000Z",
            },
        )
    ]
    assert context(result) == {
        "SentinelOne.Query(val.QueryID && val.QueryID == obj.QueryID)": {
            "Query": "AgentName IS NOT EMPTY",
            "FromDate": "2026-11-22T10:00:00.000000Z",
            "ToDate": "2026-11-25T09:00:00.000000Z",
            "QueryID": "q0123456789abcdef0123456789abcdef",
        }
    }


def test_add_hash_uses_the_block_site_ids_scope(requests_mock):
    """
    Given the Block Site IDs instance parameter
    When a hash is added to the blocklist
    Then the filter is those sites as a JSON array (not a comma string, not tenant), and the status names them.
    """
    requests_mock.post(f"{BASE_V21}restrictions", json={"data": [{"id": "1910000000000000001"}]})
    result = run(
        "sentinelone-add-hash-to-blocklist",
        {"sha1": SHA1, "os_type": "linux", "source": "SOC", "description": "IR-42"},
        block_site_ids=[SITE_1, SITE_2],
    )
    assert [sent(r) for r in requests_mock.request_history] == [
        (
            "POST",
            "restrictions",
            {},
            {
                "data": {"value": SHA1, "type": "black_hash", "osType": "linux", "description": "IR-42", "source": "SOC"},
                "filter": {"siteIds": [SITE_1, SITE_2]},
            },
        )
    ]
    assert context(result) == {
        "SentinelOne.AddHashToBlocklist(val.hash && val.hash == obj.hash)": {
            "hash": SHA1,
            "sha1": SHA1,
            "status": f"Added to site: {SITE_1}, {SITE_2} blocklist",
        }
    }


# --- the context of each action ---

CONTEXTS = [
    (
        "mitigation: 2.1 details give the real per-threat result",
        "sentinelone-mitigate-threat",
        {"action": "kill", "threat_ids": f"{THREAT_1},{THREAT_2}"},
        "POST",
        "threats/mitigate/kill",
        load_fixture("actions/mitigate_details_v21.json"),
        {
            "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
                {"ID": THREAT_1, "Mitigated": True, "Mitigation": {"Action": "kill"}},
                {"ID": THREAT_2, "Mitigated": False, "Mitigation": {"Action": "kill"}},
            ]
        },
    ),
    (
        "mitigation answered with a count that covers every id",
        "sentinelone-mitigate-threat",
        {"action": "quarantine", "threat_ids": f"{THREAT_1},{THREAT_2}"},
        "POST",
        "threats/mitigate/quarantine",
        AFFECTED_2,
        {
            "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
                {"ID": THREAT_1, "Mitigated": True, "Mitigation": {"Action": "quarantine"}},
                {"ID": THREAT_2, "Mitigated": True, "Mitigation": {"Action": "quarantine"}},
            ]
        },
    ),
    (
        "affected 0 is a failure for every id",
        "sentinelone-mitigate-threat",
        {"action": "quarantine", "threat_ids": f"{THREAT_1},{THREAT_2}"},
        "POST",
        "threats/mitigate/quarantine",
        AFFECTED_0,
        {
            "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
                {"ID": THREAT_1, "Mitigated": False, "Mitigation": {"Action": "quarantine"}},
                {"ID": THREAT_2, "Mitigated": False, "Mitigation": {"Action": "quarantine"}},
            ]
        },
    ),
    (
        "a partial count cannot say which id was acted on: the flag is left out rather than guessed",
        "sentinelone-mitigate-threat",
        {"action": "quarantine", "threat_ids": f"{THREAT_1},{THREAT_2}"},
        "POST",
        "threats/mitigate/quarantine",
        AFFECTED_1,
        {
            "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
                {"ID": THREAT_1, "Mitigation": {"Action": "quarantine"}},
                {"ID": THREAT_2, "Mitigation": {"Action": "quarantine"}},
            ]
        },
    ),
    (
        "verdict: details say one was updated and one already had the verdict",
        "sentinelone-update-threats-verdict",
        {"verdict": "suspicious", "threat_ids": f"{THREAT_1},{THREAT_2}"},
        "POST",
        "threats/analyst-verdict",
        load_fixture("actions/analyst_verdict_details_v21.json"),
        {
            "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
                {"ID": THREAT_1, "Updated": True, "Update": {"Action": "suspicious"}},
                {"ID": THREAT_2, "Updated": False, "Update": {"Action": "suspicious"}},
            ]
        },
    ),
    (
        "threat status",
        "sentinelone-update-threats-status",
        {"status": "RESOLVED", "threat_ids": THREAT_1},
        "POST",
        "threats/incident",
        {"data": {"affected": 1, "details": [{"threatId": THREAT_1, "result": "updated", "analystVerdict": "updated"}]}},
        {"SentinelOne.Threat(val.ID && val.ID == obj.ID)": [{"ID": THREAT_1, "Updated": True, "Status": "resolved"}]},
    ),
    (
        "note: Success per threat",
        "sentinelone-write-threat-note",
        {"threat_ids": f"{THREAT_1},{THREAT_2}", "note": "Escalated"},
        "POST",
        "threats/notes",
        AFFECTED_2,
        {
            "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
                {"ID": THREAT_1, "Status": "Success", "Note": "Escalated"},
                {"ID": THREAT_2, "Status": "Success", "Note": "Escalated"},
            ]
        },
    ),
    (
        "note: Unknown when the console changed some of the threats",
        "sentinelone-write-threat-note",
        {"threat_ids": f"{THREAT_1},{THREAT_2}", "note": "Escalated"},
        "POST",
        "threats/notes",
        AFFECTED_1,
        {
            "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
                {"ID": THREAT_1, "Status": "Unknown", "Note": "Escalated"},
                {"ID": THREAT_2, "Status": "Unknown", "Note": "Escalated"},
            ]
        },
    ),
    (
        "alert verdict",
        "sentinelone-update-alerts-verdict",
        {"verdict": "TRUE_POSITIVE", "alert_ids": f"{ALERT_1},{ALERT_2}"},
        "POST",
        "cloud-detection/alerts/analyst-verdict",
        AFFECTED_2,
        {
            "SentinelOne.Alert(val.ID && val.ID == obj.ID)": [
                {"ID": ALERT_1, "Updated": True, "Update": {"Action": "true_positive"}},
                {"ID": ALERT_2, "Updated": True, "Update": {"Action": "true_positive"}},
            ]
        },
    ),
    (
        "alert status with nothing affected",
        "sentinelone-update-alerts-status",
        {"status": "unresolved", "alert_ids": ALERT_1},
        "POST",
        "cloud-detection/alerts/incident",
        AFFECTED_0,
        {"SentinelOne.Alert(val.ID && val.ID == obj.ID)": [{"ID": ALERT_1, "Updated": False, "Status": "unresolved"}]},
    ),
    (
        "endpoint scan, keyed by AgentID",
        "sentinelone-initiate-endpoint-scan",
        {"agent_ids": f"{AGENT_1},{AGENT_2}"},
        "POST",
        "agents/actions/initiate-scan",
        AFFECTED_2,
        {
            "SentinelOne.Agent(val.AgentID && val.AgentID == obj.AgentID)": [
                {"AgentID": AGENT_1, "Initiated": True},
                {"AgentID": AGENT_2, "Initiated": True},
            ]
        },
    ),
    (
        "broadcast: the affected count",
        "sentinelone-broadcast-message",
        {"message": "hi", "domain": "corp.local"},
        "POST",
        "agents/actions/broadcast",
        {"data": {"affected": 7}},
        {"SentinelOne.BroadcastMessage(val.Affected && val.Affected == obj.Affected)": {"Affected": 7}},
    ),
    (
        "shutdown: one entry per agent the console acted on",
        "sentinelone-shutdown-agent",
        {"agent_id": f"{AGENT_1},{AGENT_2}"},
        "POST",
        "agents/actions/shutdown",
        AFFECTED_2,
        {"SentinelOne.Agent(val.ID && val.ID == obj.ID)": [{"ID": AGENT_1}, {"ID": AGENT_2}]},
    ),
    (
        "shutdown that affected nothing writes no agent",
        "sentinelone-shutdown-agent",
        {"agent_id": AGENT_1},
        "POST",
        "agents/actions/shutdown",
        AFFECTED_0,
        {},
    ),
    (
        "uninstall: the affected count under the specification's lower-case prefix",
        "sentinelone-uninstall-agent",
        {"group_id": GROUP_1},
        "POST",
        "agents/actions/uninstall",
        {"data": {"affected": 12}},
        {"SentinelOne.uninstall(val.Affected && val.Affected == obj.Affected)": {"Affected": 12}},
    ),
    (
        "move agents: agentsMoved (lower-case, as the API answers)",
        "sentinelone-move-agent",
        {"group_id": GROUP_1, "agents_ids": f"{AGENT_1},{AGENT_2}"},
        "PUT",
        f"groups/{GROUP_1}/move-agents",
        {"data": {"agentsMoved": 2}},
        {"SentinelOne.Agent": {"AgentsMoved": 2}},
    ),
    (
        "reactivate site",
        "sentinelone-reactivate-site",
        {"site_id": SITE_1, "unlimited": "true"},
        "PUT",
        f"sites/{SITE_1}/reactivate",
        SUCCESS,
        {"SentinelOne.Site(val.ID && val.ID == obj.ID)": {"ID": SITE_1, "Reactivated": True}},
    ),
    (
        "expire site: the specification's field names, no spaces",
        "sentinelone-expire-site",
        {"site_id": SITE_1},
        "POST",
        f"sites/{SITE_1}/expire-now",
        load_fixture("actions/expired_site.json"),
        {
            "SentinelOne.Site(val.ID && val.ID == obj.ID)": {
                "ID": SITE_1,
                "Name": "Berlin Office",
                "State": "expired",
                "SKU": "Complete",
                "SiteType": "Paid",
                "Suite": "Complete",
                "TotalLicenses": 250,
                "AccountID": ACCOUNT_1,
                "Creator": "Jane Admin",
                "CreatorID": "1100000000000000001",
                "Expiration": "2026-11-25T09:00:00.000000Z",
            }
        },
    ),
    (
        "delete group that succeeded",
        "sentinelone-delete-group",
        {"group_id": GROUP_1},
        "DELETE",
        f"groups/{GROUP_1}",
        SUCCESS,
        {
            "SentinelOne.DeleteGroup(val.Success && val.Success == obj.Success)": {
                "Success": f"The group {GROUP_1} was deleted successfully."
            }
        },
    ),
    (
        "delete group that the console did not confirm",
        "sentinelone-delete-group",
        {"group_id": GROUP_1},
        "DELETE",
        f"groups/{GROUP_1}",
        {"data": {"success": False}},
        {
            "SentinelOne.DeleteGroup(val.Success && val.Success == obj.Success)": {
                "Success": f"The deletion of group {GROUP_1} failed: SentinelOne did not confirm it."
            }
        },
    ),
    (
        "exclusion created: under the plural prefix of the specification",
        "sentinelone-create-white-list-item",
        {"exclusion_type": "white_hash", "exclusion_value": SHA1, "os_type": "windows", "site_ids": SITE_1},
        "POST",
        "exclusions",
        load_fixture("actions/exclusion_created.json"),
        {
            "SentinelOne.Exclusions(val.ID && val.ID == obj.ID)": {
                "ID": "1900000000000000001",
                "Type": "white_hash",
                "CreatedAt": "2026-11-25T09:30:00.000000Z",
            }
        },
    ),
    (
        "STAR rule created: the specification's field names",
        "sentinelone-create-star-rule",
        {
            "name": "Encoded PowerShell",
            "rule_severity": "High",
            "expiration_mode": "Permanent",
            "query_type": "events",
            "query": "x",
            "network_quarantine": "true",
            "treatAsThreat": "Malicious",
        },
        "POST",
        "cloud-detection/rules",
        load_fixture("actions/star_rule.json"),
        {
            "SentinelOne.StarRule(val.ID && val.ID == obj.ID)": {
                "ID": RULE_1,
                "Name": "Encoded PowerShell",
                "Status": "Draft",
                "Severity": "High",
                "Description": "Flags encoded PowerShell command lines",
                "NetworkQuarantine": True,
                "TreatAsThreat": "Malicious",
                "ExpirationMode": "Permanent",
                "ScopeHierarchy": "global",
                "CreatedAt": "2026-11-25T09:40:00.000000Z",
                "UpdatedAt": "2026-11-25T09:40:00.000000Z",
            }
        },
    ),
    (
        "STAR rules deleted",
        "sentinelone-delete-star-rule",
        {"rule_ids": f"{RULE_1},{RULE_2}"},
        "DELETE",
        "cloud-detection/rules",
        AFFECTED_2,
        {"SentinelOne.StarRule(val.ID && val.ID == obj.ID)": [{"ID": RULE_1, "Deleted": True}, {"ID": RULE_2, "Deleted": True}]},
    ),
    (
        "STAR rule enabled",
        "sentinelone-enable-star-rules",
        {"rule_ids": RULE_1},
        "PUT",
        "cloud-detection/rules/enable",
        AFFECTED_1,
        {"SentinelOne.StarRule(val.ID && val.ID == obj.ID)": [{"ID": RULE_1, "Enabled": True}]},
    ),
    (
        "STAR rule disabled",
        "sentinelone-disable-star-rules",
        {"rule_ids": RULE_1},
        "PUT",
        "cloud-detection/rules/disable",
        AFFECTED_0,
        {"SentinelOne.StarRule(val.ID && val.ID == obj.ID)": [{"ID": RULE_1, "Disabled": False}]},
    ),
    (
        "IOC created: the whole scope id, keys without spaces",
        "sentinelone-create-ioc",
        {
            "name": "Emotet loader",
            "source": "MISP",
            "type": "SHA256",
            "method": "EQUALS",
            "validUntil": "2027-01-01T00:00:00Z",
            "value": SHA256,
            "account_ids": ACCOUNT_1,
            "externalId": "misp-4711",
            "description": "Seen in phishing wave",
        },
        "POST",
        "threat-intelligence/iocs",
        load_fixture("actions/ioc_created.json"),
        {
            "SentinelOne.IOC(val.UUID && val.UUID == obj.UUID)": [
                {
                    "UUID": IOC_1,
                    "Name": "Emotet loader",
                    "Source": "MISP",
                    "Type": "SHA256",
                    "BatchId": "f0e1d2c3b4a5968778695a4b3c2d1e0f",
                    "Creator": "api-user@acme.example",
                    "Scope": "account",
                    "ScopeId": ACCOUNT_1,
                    "ValidUntil": "2027-01-01T00:00:00.000000Z",
                    "Description": "Seen in phishing wave",
                    "ExternalId": "misp-4711",
                }
            ]
        },
    ),
    (
        "IOCs deleted",
        "sentinelone-delete-ioc",
        {"account_ids": ACCOUNT_1, "uuids": IOC_1},
        "DELETE",
        "threat-intelligence/iocs",
        AFFECTED_1,
        {"SentinelOne.IOC(val.UUID && val.UUID == obj.UUID)": [{"UUID": IOC_1, "Deleted": True}]},
    ),
]


@pytest.mark.parametrize(
    "command, args, method, path, response, expected", [row[1:] for row in CONTEXTS], ids=[row[0] for row in CONTEXTS]
)
def test_action_context(requests_mock, command, args, method, path, response, expected):
    """
    Given an action command and the console's answer
    When it runs (API 2.1)
    Then the entry context is exactly this, under the specification's prefix and key.
    """
    requests_mock.register_uri(method, f"{BASE_V21}{path}", json=response)
    assert context(run(command, args)) == expected


@pytest.mark.parametrize(
    "command, args, flag",
    [
        ("sentinelone-mark-as-threat", {"threat_ids": THREAT_1, "target_scope": "site"}, "MarkedAsThreat"),
        ("sentinelone-resolve-threat", {"threat_ids": THREAT_1}, "Resolved"),
    ],
)
def test_v20_threat_actions_context(requests_mock, command, args, flag):
    """
    Given a 2.0-only threat action
    When it runs on API 2.0 and the console reports the threat affected
    Then the threat's entry carries the command's flag set to true.
    """
    requests_mock.post(
        f"{BASE_V20}threats/{'mark-as-threat' if flag == 'MarkedAsThreat' else 'mark-as-resolved'}", json=AFFECTED_1
    )
    assert context(run(command, args, s1.V20)) == {
        "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [{"ID": THREAT_1, flag: True}]
    }


# --- connect and disconnect read the agents back ---


@pytest.mark.parametrize(
    "command, path",
    [("sentinelone-connect-agent", "agents/actions/connect"), ("sentinelone-disconnect-agent", "agents/actions/disconnect")],
)
def test_network_actions_act_on_every_agent_and_read_their_status_back(requests_mock, command, path):
    """
    Given three agent IDs, one of which the console does not know
    When connect or disconnect runs
    Then one POST carries every ID, one GET agents reads them back, and each requested agent gets its network status.
    """
    unknown = "1700000000000000009"
    requests_mock.post(f"{BASE_V21}{path}", json=AFFECTED_2)
    requests_mock.get(f"{BASE_V21}agents", json=load_fixture("actions/agents_after_network_change.json"))
    result = run(command, {"agent_id": f"{AGENT_1},{AGENT_2},{unknown}"})
    assert [sent(r) for r in requests_mock.request_history] == [
        ("POST", path, {}, {"filter": {"ids": [AGENT_1, AGENT_2, unknown]}}),
        ("GET", "agents", {"ids": f"{AGENT_1},{AGENT_2},{unknown}", "limit": "3"}, None),
    ]
    assert context(result) == {
        "SentinelOne.Agent(val.ID && val.ID == obj.ID)": [
            {"ID": AGENT_1, "NetworkStatus": "disconnecting", "AgentsAffected": 2},
            {"ID": AGENT_2, "NetworkStatus": "disconnected", "AgentsAffected": 2},
            {"ID": unknown, "AgentsAffected": 2},
        ]
    }
    assert f"| {unknown} |  | agent not found |" in result.readable_output
    assert "SentinelOne reported 2 of 3 requested agents affected." in result.readable_output


# --- readable output says what happened ---


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            {"message": "hi"},
            "SentinelOne reported 12 agents reached: no filter was given, so the message went to every agent in the API "
            "token's scope. Only Windows and macOS agents display it.",
        ),
        (
            {"message": "hi", "domain": "corp.local"},
            "SentinelOne reported 12 agents reached. Only Windows and macOS agents display it.",
        ),
    ],
    ids=["no filter", "a filter"],
)
def test_broadcast_says_how_many_agents_it_reached_and_when_it_went_to_all(requests_mock, args, expected):
    """
    Given a broadcast that SentinelOne reports reached 12 agents
    When sentinelone-broadcast-message runs with only a message, or with a filter
    Then the readable output gives the count, and says the message went to every agent in scope only without a filter
    """
    requests_mock.post(f"{BASE_V21}agents/actions/broadcast", json={"data": {"affected": 12}})

    result = run("sentinelone-broadcast-message", args)

    assert result.readable_output == f"### Sentinel One - Broadcast message\n{expected}\n"
    assert context(result) == {"SentinelOne.BroadcastMessage(val.Affected && val.Affected == obj.Affected)": {"Affected": 12}}


@pytest.mark.parametrize("scope, is_global", [({}, True), ({"site_ids": SITE_1}, False)], ids=["global", "site"])
def test_create_white_list_item_says_when_the_exclusion_is_global(requests_mock, scope, is_global):
    """
    Given an exclusion created with neither site nor group IDs, or with a site
    When sentinelone-create-white-list-item runs
    Then the readable output says the exclusion is global only in the first case
    """
    requests_mock.post(f"{BASE_V21}exclusions", json={"data": [{"id": "1900000000000000003", "type": "white_hash"}]})

    result = run(
        "sentinelone-create-white-list-item",
        {"exclusion_type": "white_hash", "exclusion_value": SHA1, "os_type": "linux", **scope},
    )

    note = "This is a global exclusion: no site_ids or group_ids were given, so it applies to every site and group."
    assert (note in result.readable_output) is is_global
    assert context(result) == {
        "SentinelOne.Exclusions(val.ID && val.ID == obj.ID)": {"ID": "1900000000000000003", "Type": "white_hash"}
    }


def test_readable_output_reports_affected_zero_plainly(requests_mock):
    """
    Given a mitigation that the console answers with affected 0
    When the command runs
    Then the readable output says nothing was changed, and each threat is shown as not mitigated.
    """
    requests_mock.post(f"{BASE_V21}threats/mitigate/kill", json=AFFECTED_0)
    readable = run("sentinelone-mitigate-threat", {"action": "kill", "threat_ids": THREAT_1}).readable_output
    assert readable == (
        "### Sentinel One - Mitigate threats: kill\n"
        "|ID|Mitigated|Details|\n"
        "|---|---|---|\n"
        f"| {THREAT_1} | false | not affected |\n"
        "\nSentinelOne reported 0 affected threats: nothing was changed.\n"
    )


def test_readable_output_gives_the_console_reasons_per_threat(requests_mock):
    """
    Given a 2.1 mitigation answer whose details skip one threat
    When the command runs
    Then the readable output names the skipped action, its reason and description for that threat.
    """
    requests_mock.post(f"{BASE_V21}threats/mitigate/kill", json=load_fixture("actions/mitigate_details_v21.json"))
    readable = run("sentinelone-mitigate-threat", {"action": "kill", "threat_ids": f"{THREAT_1},{THREAT_2}"}).readable_output
    assert f"| {THREAT_1} | true |  |" in readable
    assert f"| {THREAT_2} | false | skipped kill: precondition (The process is no longer running) |" in readable
    assert "SentinelOne reported 1 of 2 requested threats affected." in readable


def test_readable_output_says_when_the_count_does_not_tell_which(requests_mock):
    """
    Given two STAR rules and an answer of affected 1
    When enable runs
    Then each rule is shown as unknown with the reason, not as enabled.
    """
    requests_mock.put(f"{BASE_V21}cloud-detection/rules/enable", json=AFFECTED_1)
    readable = run("sentinelone-enable-star-rules", {"rule_ids": f"{RULE_1},{RULE_2}"}).readable_output
    assert f"| {RULE_1} | unknown | the console changed 1 of the 2 IDs and does not say which |" in readable
    assert "SentinelOne reported 1 of 2 requested STAR rules affected." in readable


def test_move_agent_readable_output_uses_the_real_count(requests_mock):
    """
    Given a move of two agents that the console answers with agentsMoved 0
    When the command runs
    Then the readable output says no agent was moved (the public pack always showed 0 for any answer).
    """
    requests_mock.put(f"{BASE_V21}groups/{GROUP_1}/move-agents", json={"data": {"agentsMoved": 0}})
    result = run("sentinelone-move-agent", {"group_id": GROUP_1, "agents_ids": f"{AGENT_1},{AGENT_2}"})
    assert result.readable_output == (
        "### Sentinel One - Move agents\n"
        f"SentinelOne moved 0 agents: none of the 2 requested agents was moved to group {GROUP_1}.\n"
    )


def test_duplicate_ids_are_sent_once(requests_mock):
    """
    Given the same threat ID twice
    When a threat action runs
    Then the ID is sent and reported once, so the affected count is compared with the real number of threats.
    """
    requests_mock.post(f"{BASE_V21}threats/notes", json=AFFECTED_1)
    result = run("sentinelone-write-threat-note", {"threat_ids": f"{THREAT_1},{THREAT_1}", "note": "n"})
    assert requests_mock.last_request.json() == {"data": {"text": "n"}, "filter": {"ids": [THREAT_1]}}
    assert context(result) == {
        "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [{"ID": THREAT_1, "Status": "Success", "Note": "n"}]
    }


# --- allow list removal: look up, match exactly, delete by id ---

ITEM = "C:\\Tools\\scan.exe"


def test_remove_item_from_whitelist_pages_matches_exactly_and_deletes_per_type(requests_mock):
    """
    Given an item whose substring search spans two pages, with a longer value that only contains it
    When sentinelone-remove-item-from-whitelist runs without an exclusion type
    Then every page is read, only exact (case-insensitive) matches are deleted, one DELETE per exclusion type.
    """
    requests_mock.get(
        f"{BASE_V21}exclusions",
        [
            {"json": load_fixture("actions/exclusions_search_page1.json")},
            {"json": load_fixture("actions/exclusions_search_page2.json")},
        ],
    )
    requests_mock.delete(f"{BASE_V21}exclusions", [{"json": AFFECTED_2}, {"json": AFFECTED_1}])
    result = run("sentinelone-remove-item-from-whitelist", {"item": ITEM})
    search = {"value__contains": ITEM, "includeChildren": "true", "includeParents": "true", "limit": "1000"}
    assert [sent(r) for r in requests_mock.request_history] == [
        ("GET", "exclusions", search, None),
        ("GET", "exclusions", {**search, "cursor": "cGFnZToy"}, None),
        ("DELETE", "exclusions", {}, {"data": {"ids": ["1900000000000000011", "1900000000000000013"], "type": "path"}}),
        ("DELETE", "exclusions", {}, {"data": {"ids": ["1900000000000000014"], "type": "file_type"}}),
    ]
    assert context(result) == {
        "SentinelOne.RemoveItemFromWhitelist(val.item && val.item == obj.item)": {
            "item": ITEM,
            "status": "Removed 3 entries from whitelist",
        }
    }
    assert f"3 allow-list entries have the value {ITEM!r}; each was sent for removal." in result.readable_output


def test_remove_item_from_whitelist_filters_by_os_and_type(requests_mock):
    """
    Given an OS type and an exclusion type
    When the item is looked up
    Then the search sends osTypes and type, and the DELETE names that type.
    """
    page = {"data": [{"id": "1900000000000000014", "type": "file_type", "value": ITEM}], "pagination": {"nextCursor": None}}
    requests_mock.get(f"{BASE_V21}exclusions", json=page)
    requests_mock.delete(f"{BASE_V21}exclusions", json=AFFECTED_1)
    run("sentinelone-remove-item-from-whitelist", {"item": ITEM, "os_type": "windows", "exclusion_type": "file_type"})
    assert sent(requests_mock.request_history[0])[2] == {
        "value__contains": ITEM,
        "osTypes": "windows",
        "type": "file_type",
        "includeChildren": "true",
        "includeParents": "true",
        "limit": "1000",
    }
    assert sent(requests_mock.request_history[-1])[3] == {"data": {"ids": ["1900000000000000014"], "type": "file_type"}}


def test_remove_item_from_whitelist_reports_no_match_without_deleting(requests_mock):
    """
    Given a search that finds only values containing the item
    When the command runs
    Then nothing is deleted and the status is "Not on whitelist".
    """
    page = {
        "data": [{"id": "1900000000000000012", "type": "path", "value": "C:\\Tools\\scan.exe.bak"}],
        "pagination": {"nextCursor": None},
    }
    requests_mock.get(f"{BASE_V21}exclusions", json=page)
    result = run("sentinelone-remove-item-from-whitelist", {"item": ITEM})
    assert [r.method for r in requests_mock.request_history] == ["GET"]
    assert context(result) == {
        "SentinelOne.RemoveItemFromWhitelist(val.item && val.item == obj.item)": {"item": ITEM, "status": "Not on whitelist"}
    }
    assert f"No allow-list entry has the value {ITEM!r}: nothing was removed." in result.readable_output


def test_remove_item_from_whitelist_says_when_the_console_removed_fewer(requests_mock):
    """
    Given two exact matches of one type and a DELETE answered with affected 1
    When the command runs
    Then the status says 1 of 2 matching entries were removed.
    """
    requests_mock.get(
        f"{BASE_V21}exclusions",
        json={"data": [{"id": "1", "type": "path", "value": ITEM}, {"id": "2", "type": "path", "value": ITEM}]},
    )
    requests_mock.delete(f"{BASE_V21}exclusions", json=AFFECTED_1)
    result = run("sentinelone-remove-item-from-whitelist", {"item": ITEM})
    assert context(result)["SentinelOne.RemoveItemFromWhitelist(val.item && val.item == obj.item)"]["status"] == (
        "Removed 1 of 2 matching entries from whitelist"
    )


# --- blocklist: add reports duplicates, remove finds every entry ---


def test_add_hash_already_on_blocklist_is_reported_not_raised(requests_mock):
    """
    Given a hash the console already blocks (400, code 4000030)
    When it is added again
    Then the status says so and no error is raised.
    """
    error = {"errors": [{"code": 4000030, "title": "Already Exists Error", "detail": "Restriction already exists"}]}
    requests_mock.post(f"{BASE_V21}restrictions", status_code=400, json=error)
    result = run("sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "os_type": "windows"})
    assert context(result) == {
        "SentinelOne.AddHashToBlocklist(val.hash && val.hash == obj.hash)": {
            "hash": SHA1,
            "sha1": SHA1,
            "status": "Already on blocklist",
        }
    }


def test_add_hash_with_an_invalid_block_site_id_fails_naming_the_scope(requests_mock):
    """
    Given Block Site IDs that the console rejects (400, code 4000010)
    When a hash is added
    Then the command fails (not a success-like status), naming the scope and the console's message.
    """
    error = {"errors": [{"code": 4000010, "title": "Validation Error", "detail": "siteIds: invalid id 1"}]}
    requests_mock.post(f"{BASE_V21}restrictions", status_code=400, json=error)
    with pytest.raises(s1.DemistoException) as failure:
        run("sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "os_type": "windows"}, block_site_ids=["1"])
    assert str(failure.value) == (
        "SentinelOne refused the blocklist scope (site: 1): Validation Error: siteIds: invalid id 1. Check the site_ids, "
        "group_ids and account_ids arguments, or the Block Site IDs instance parameter."
    )


def test_add_hash_raises_other_errors(requests_mock):
    """
    Given a console answer that is neither a duplicate nor a site ID problem (403)
    When a hash is added
    Then the command fails with the console's message.
    """
    requests_mock.post(
        f"{BASE_V21}restrictions", status_code=403, json={"errors": [{"code": 4030010, "title": "Insufficient Permissions"}]}
    )
    with pytest.raises(s1.S1ApiError, match=r"^Permission denied \[403\]"):
        run("sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "os_type": "windows"})


def test_remove_hash_from_global_blocklist_removes_every_os_entry(requests_mock):
    """
    Given a hash blocked on two OS types (stored in two cases) plus a longer value that contains it
    When it is removed without an OS type
    Then the search is global and sorted, and one DELETE carries both exact matches once each.
    """
    requests_mock.get(f"{BASE_V21}restrictions", json=load_fixture("actions/blocklist_search.json"))
    requests_mock.delete(f"{BASE_V21}restrictions", json=AFFECTED_2)
    result = run("sentinelone-remove-hash-from-blocklist", {"sha1": SHA1})
    assert [sent(r) for r in requests_mock.request_history] == [
        (
            "GET",
            "restrictions",
            {"value__contains": SHA1, "tenant": "true", "sortBy": "updatedAt", "sortOrder": "asc", "limit": "1000"},
            None,
        ),
        ("DELETE", "restrictions", {}, {"data": {"ids": ["1910000000000000001", "1910000000000000002"], "type": "black_hash"}}),
    ]
    assert context(result) == {
        "SentinelOne.RemoveHashFromBlocklist(val.hash && val.hash == obj.hash)": {
            "hash": SHA1,
            "sha1": SHA1,
            "status": "Removed 2 entries from blocklist",
        }
    }


def test_remove_hash_from_site_blocklists_with_one_os_type(requests_mock):
    """
    Given Block Site IDs and an OS type
    When a hash is removed
    Then the search asks for those sites (tenant=false) and that OS type.
    """
    requests_mock.get(f"{BASE_V21}restrictions", json={"data": [{"id": "7", "value": SHA1}], "pagination": {"nextCursor": None}})
    requests_mock.delete(f"{BASE_V21}restrictions", json=AFFECTED_1)
    run("sentinelone-remove-hash-from-blocklist", {"sha1": SHA1, "os_type": "macos"}, block_site_ids=[SITE_1, SITE_2])
    assert sent(requests_mock.request_history[0])[2] == {
        "value__contains": SHA1,
        "osTypes": "macos",
        "tenant": "false",
        "siteIds": f"{SITE_1},{SITE_2}",
        "sortBy": "updatedAt",
        "sortOrder": "asc",
        "limit": "1000",
    }


def test_remove_hash_not_on_blocklist(requests_mock):
    """
    Given a hash the console does not block
    When it is removed
    Then nothing is deleted and the status says it was not on the blocklist.
    """
    requests_mock.get(f"{BASE_V21}restrictions", json={"data": [], "pagination": {"nextCursor": None}})
    result = run("sentinelone-remove-hash-from-blocklist", {"sha1": SHA1})
    assert [r.method for r in requests_mock.request_history] == ["GET"]
    assert context(result) == {
        "SentinelOne.RemoveHashFromBlocklist(val.hash && val.hash == obj.hash)": {
            "hash": SHA1,
            "sha1": SHA1,
            "status": "Not on blocklist",
        }
    }


def test_remove_hash_with_an_invalid_block_site_id_fails_naming_the_scope(requests_mock):
    """
    Given Block Site IDs the console rejects
    When a hash is removed
    Then the command fails naming the scope, and nothing is deleted.
    """
    error = {"errors": [{"code": 4000010, "title": "Validation Error", "detail": "siteIds"}]}
    requests_mock.get(f"{BASE_V21}restrictions", status_code=400, json=error)
    with pytest.raises(s1.DemistoException, match=r"^SentinelOne refused the blocklist scope \(site: 1\): Validation Error"):
        run("sentinelone-remove-hash-from-blocklist", {"sha1": SHA1}, block_site_ids=["1"])
    assert [r.method for r in requests_mock.request_history] == ["GET"]


def test_a_global_blocklist_error_is_raised_as_the_console_said(requests_mock):
    """
    Given the global blocklist and a 400 validation answer (no scope ids involved)
    When a hash is added
    Then the console's own error fails the command.
    """
    error = {"errors": [{"code": 4000010, "title": "Validation Error", "detail": "osType"}]}
    requests_mock.post(f"{BASE_V21}restrictions", status_code=400, json=error)
    with pytest.raises(s1.S1ApiError, match=r"^SentinelOne API error \[400\]: Validation Error: osType$"):
        run("sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "os_type": "windows"})


# --- blocklist by SHA256, scope arguments and the Block Site IDs rule ---

GROUP_2 = "1600000000000000002"


@pytest.mark.parametrize(
    "args, block_site_ids, body_filter, status",
    [
        pytest.param({}, [SITE_2, SITE_1, SITE_2], {"siteIds": [SITE_2, SITE_1]}, f"site: {SITE_2}, {SITE_1}", id="instance"),
        pytest.param(
            {"site_ids": f"{SITE_2},{SITE_1}", "group_ids": f"{GROUP_2},{GROUP_1}", "account_ids": ACCOUNT_1},
            [SITE_1],
            {"siteIds": [SITE_2, SITE_1], "groupIds": [GROUP_2, GROUP_1], "accountIds": [ACCOUNT_1]},
            f"site: {SITE_2}, {SITE_1}, group: {GROUP_2}, {GROUP_1}, account: {ACCOUNT_1}",
            id="arguments replace the instance's sites, in the order given",
        ),
        pytest.param({"global": "true"}, [SITE_1], {"tenant": True}, "global", id="global despite Block Site IDs"),
        pytest.param({"global": "false", "group_ids": GROUP_1}, [], {"groupIds": [GROUP_1]}, f"group: {GROUP_1}", id="group"),
    ],
)
def test_add_sha256_sends_both_hashes_in_one_item_to_the_chosen_scope(requests_mock, args, block_site_ids, body_filter, status):
    """
    Given a SHA1 and a SHA256, and a scope from the arguments, the Block Site IDs parameter or global=true
    When the hash is added to the blocklist
    Then one POST carries both hashes in one item and the scope ids as arrays (stable order, no duplicates, not comma
    strings), and the status names the scope.
    """
    requests_mock.post(f"{BASE_V21}restrictions", json={"data": [{"id": "1910000000000000001"}]})
    result = run(
        "sentinelone-add-hash-to-blocklist",
        {"sha1": SHA1, "sha256Value": SHA256, "os_type": "windows", **args},
        block_site_ids=block_site_ids,
    )
    entry = {
        "value": SHA1,
        "sha256Value": SHA256,
        "type": "black_hash",
        "osType": "windows",
        "description": "Blocked from XSOAR",
        "source": "XSOAR",
    }
    assert [sent(r) for r in requests_mock.request_history] == [
        ("POST", "restrictions", {}, {"data": entry, "filter": body_filter})
    ]
    assert context(result) == {
        "SentinelOne.AddHashToBlocklist(val.hash && val.hash == obj.hash)": {
            "hash": SHA1,
            "sha1": SHA1,
            "sha256": SHA256,
            "status": f"Added to {status} blocklist",
        }
    }


def test_add_sha256_alone_is_the_key_of_the_output(requests_mock):
    """
    Given only a SHA256
    When it is added
    Then no SHA1 `value` is sent (no empty string either) and the output's key field `hash` is the SHA256.
    """
    requests_mock.post(f"{BASE_V21}restrictions", json={"data": [{"id": "1910000000000000001"}]})
    result = run("sentinelone-add-hash-to-blocklist", {"sha256Value": SHA256.upper(), "os_type": "macos"})
    assert sent(requests_mock.request_history[0])[3]["data"] == {
        "sha256Value": SHA256.upper(),
        "type": "black_hash",
        "osType": "macos",
        "description": "Blocked from XSOAR",
        "source": "XSOAR",
    }
    assert context(result) == {
        "SentinelOne.AddHashToBlocklist(val.hash && val.hash == obj.hash)": {
            "hash": SHA256.upper(),
            "sha256": SHA256.upper(),
            "status": "Added to global blocklist",
        }
    }


def test_remove_sha256_and_sha1_pages_through_every_match_and_deletes_once(requests_mock):
    """
    Given a SHA1 and a SHA256 of one file, the global blocklist asked for although Block Site IDs are set, and a search
    whose matches span two pages (one item holds both hashes; a longer value only contains the SHA256)
    When the hashes are removed
    Then each hash is searched globally, page after page with the cursor, and one DELETE carries each exact match once.
    """
    sha256_item = {"id": "1910000000000000003", "sha256Value": SHA256.upper(), "osType": "linux"}
    both_item = {"id": "1910000000000000004", "value": SHA1, "sha256Value": SHA256, "osType": "windows"}
    longer = {"id": "1910000000000000005", "value": SHA256 + "00", "osType": "windows"}
    requests_mock.get(
        f"{BASE_V21}restrictions",
        [
            {"json": {"data": [both_item], "pagination": {"nextCursor": None}}},  # the SHA1 search
            {"json": {"data": [sha256_item, longer], "pagination": {"nextCursor": "page-2"}}},
            {"json": {"data": [both_item], "pagination": {"nextCursor": None}}},
        ],
    )
    requests_mock.delete(f"{BASE_V21}restrictions", json=AFFECTED_2)
    result = run(
        "sentinelone-remove-hash-from-blocklist", {"sha1": SHA1, "sha256Value": SHA256, "global": "yes"}, block_site_ids=[SITE_1]
    )
    search = {"tenant": "true", "sortBy": "updatedAt", "sortOrder": "asc", "limit": "1000"}
    assert [sent(r) for r in requests_mock.request_history] == [
        ("GET", "restrictions", {**search, "value__contains": SHA1}, None),
        ("GET", "restrictions", {**search, "value__contains": SHA256}, None),
        ("GET", "restrictions", {**search, "value__contains": SHA256, "cursor": "page-2"}, None),
        ("DELETE", "restrictions", {}, {"data": {"ids": [both_item["id"], sha256_item["id"]], "type": "black_hash"}}),
    ]
    assert context(result) == {
        "SentinelOne.RemoveHashFromBlocklist(val.hash && val.hash == obj.hash)": {
            "hash": SHA1,
            "sha1": SHA1,
            "sha256": SHA256,
            "status": "Removed 2 entries from blocklist",
        }
    }


def test_remove_hash_from_the_scopes_of_the_arguments(requests_mock):
    """
    Given group and account arguments (and Block Site IDs, which they replace)
    When a hash is removed
    Then the search asks for those scopes only (tenant=false), comma-joined in the order given.
    """
    requests_mock.get(f"{BASE_V21}restrictions", json={"data": [], "pagination": {"nextCursor": None}})
    run(
        "sentinelone-remove-hash-from-blocklist",
        {"sha256Value": SHA256, "group_ids": f"{GROUP_2},{GROUP_1}", "account_ids": ACCOUNT_1},
        block_site_ids=[SITE_1],
    )
    assert sent(requests_mock.request_history[0])[2] == {
        "value__contains": SHA256,
        "tenant": "false",
        "groupIds": f"{GROUP_2},{GROUP_1}",
        "accountIds": ACCOUNT_1,
        "sortBy": "updatedAt",
        "sortOrder": "asc",
        "limit": "1000",
    }


# --- bad input fails before any request, naming the argument ---

A_RULE = {
    "name": "r",
    "rule_severity": "Low",
    "expiration_mode": "Permanent",
    "query_type": "events",
    "query": "q",
    "network_quarantine": "false",
    "treatAsThreat": "Malicious",
}
AN_IOC = {
    "name": "n",
    "source": "s",
    "type": "MD5",
    "method": "EQUALS",
    "validUntil": "2027-01-01",
    "value": "d41d8cd98f00b204e9800998ecf8427e",
    "account_ids": ACCOUNT_1,
}
AN_EXCLUSION = {"exclusion_type": "path", "exclusion_value": "C:\\x", "os_type": "windows", "site_ids": SITE_1}

BAD_INPUT = [
    ("sentinelone-connect-agent", s1.V21, {}, "agent_id: this argument is required"),
    (
        "sentinelone-connect-agent",
        s1.V21,
        {"agent_id": f"{AGENT_1},abc"},
        "agent_id: expected IDs made of digits only, got 'abc'",
    ),
    ("sentinelone-disconnect-agent", s1.V20, {"agent_id": "12 34"}, "agent_id: expected IDs made of digits only, got '12 34'"),
    ("sentinelone-broadcast-message", s1.V21, {"agent_id": AGENT_1}, "message: this argument is required"),
    (
        "sentinelone-broadcast-message",
        s1.V21,
        {"message": "x" * 141, "agent_id": AGENT_1},
        "message: at most 140 characters, got 141",
    ),
    (
        "sentinelone-broadcast-message",
        s1.V21,
        {"message": "hi", "active_agent": "maybe"},
        "active_agent: expected one of true, false, got 'maybe'",
    ),
    (
        "sentinelone-broadcast-message",
        s1.V21,
        {"message": "hi", "group_id": "g1"},
        "group_id: expected IDs made of digits only, got 'g1'",
    ),
    (
        "sentinelone-shutdown-agent",
        s1.V21,
        {"query": "FIN-"},
        "agent_id, group_id: give at least one of them (a query alone could match every agent)",
    ),
    (
        "sentinelone-uninstall-agent",
        s1.V21,
        {},
        "agent_id, group_id: give at least one of them (a query alone could match every agent)",
    ),
    ("sentinelone-move-agent", s1.V21, {"group_id": GROUP_1}, "agents_ids: this argument is required"),
    (
        "sentinelone-move-agent",
        s1.V21,
        {"group_id": "../sites", "agents_ids": AGENT_1},
        "group_id: expected an ID made of digits only, got '../sites'",
    ),
    ("sentinelone-initiate-endpoint-scan", s1.V21, {"agent_ids": ""}, "agent_ids: this argument is required"),
    ("sentinelone-mitigate-threat", s1.V21, {"threat_ids": THREAT_1}, "action: this argument is required"),
    ("sentinelone-mitigate-threat", s1.V21, {"action": "kill"}, "threat_ids: this argument is required"),
    ("sentinelone-mark-as-threat", s1.V20, {"target_scope": "site"}, "threat_ids: this argument is required"),
    (
        "sentinelone-mark-as-threat",
        s1.V20,
        {"threat_ids": THREAT_1, "target_scope": "global"},
        "target_scope: expected one of site, tenant, got 'global'",
    ),
    ("sentinelone-resolve-threat", s1.V20, {"threat_ids": "T-1"}, "threat_ids: expected IDs made of digits only, got 'T-1'"),
    (
        "sentinelone-update-threats-verdict",
        s1.V21,
        {"verdict": "malicious", "threat_ids": THREAT_1},
        "verdict: expected one of true_positive, false_positive, suspicious, undefined, got 'malicious'",
    ),
    (
        "sentinelone-update-threats-status",
        s1.V21,
        {"status": "closed", "threat_ids": THREAT_1},
        "status: expected one of unresolved, in_progress, resolved, got 'closed'",
    ),
    ("sentinelone-write-threat-note", s1.V21, {"threat_ids": THREAT_1}, "note: this argument is required"),
    ("sentinelone-update-alerts-verdict", s1.V21, {"verdict": "true_positive"}, "alert_ids: this argument is required"),
    (
        "sentinelone-update-alerts-status",
        s1.V21,
        {"status": "done", "alert_ids": ALERT_1},
        "status: expected one of unresolved, in_progress, resolved, got 'done'",
    ),
    ("sentinelone-reactivate-site", s1.V21, {"site_id": SITE_1}, "expiration: required unless unlimited is true"),
    (
        "sentinelone-reactivate-site",
        s1.V21,
        {"site_id": SITE_1, "unlimited": "false"},
        "expiration: required unless unlimited is true",
    ),
    (
        "sentinelone-reactivate-site",
        s1.V21,
        {"site_id": SITE_1, "unlimited": "true", "expiration": "2030-01-01"},
        "expiration: leave it empty when unlimited is true (an unlimited site does not expire)",
    ),
    (
        "sentinelone-reactivate-site",
        s1.V21,
        {"site_id": SITE_1, "unlimited": "sure"},
        "unlimited: expected one of true, false, got 'sure'",
    ),
    ("sentinelone-expire-site", s1.V21, {}, "site_id: this argument is required"),
    ("sentinelone-delete-group", s1.V21, {"group_id": "1/../2"}, "group_id: expected an ID made of digits only, got '1/../2'"),
    (
        "sentinelone-create-white-list-item",
        s1.V21,
        {**AN_EXCLUSION, "exclusion_type": "regex"},
        "exclusion_type: expected one of file_type, path, white_hash, certificate, browser, got 'regex'",
    ),
    (
        "sentinelone-create-white-list-item",
        s1.V21,
        {**AN_EXCLUSION, "os_type": "solaris"},
        "os_type: expected one of windows, windows_legacy, macos, linux, got 'solaris'",
    ),
    (
        "sentinelone-create-white-list-item",
        s1.V21,
        {**AN_EXCLUSION, "path_exclusion_type": "drive"},
        "path_exclusion_type: expected one of file, folder, subfolders, got 'drive'",
    ),
    (
        "sentinelone-create-white-list-item",
        s1.V21,
        {**AN_EXCLUSION, "exclusion_value": " "},
        "exclusion_value: this argument is required",
    ),
    ("sentinelone-remove-item-from-whitelist", s1.V21, {}, "item: this argument is required"),
    (
        "sentinelone-remove-item-from-whitelist",
        s1.V21,
        {"item": "x", "exclusion_type": "hash"},
        "exclusion_type: expected one of file_type, path, white_hash, certificate, browser, got 'hash'",
    ),
    (
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"os_type": "windows"},
        "sha1, sha256Value: give at least one hash (a SHA1, a SHA256, or both)",
    ),
    (
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"sha256Value": SHA1, "os_type": "windows"},
        f"sha256Value: expected a SHA256 hash (64 hexadecimal characters), got {SHA1!r}",
    ),
    (
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"sha256Value": "z" * 64, "os_type": "windows"},
        f"sha256Value: expected a SHA256 hash (64 hexadecimal characters), got {'z' * 64!r}",
    ),
    (
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"sha1": SHA1, "os_type": "windows", "global": "true", "site_ids": SITE_1},
        "global: true means the global blocklist; it cannot be combined with site_ids, group_ids or account_ids",
    ),
    (
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"sha1": SHA1, "os_type": "windows", "global": "false"},
        "global: false needs site_ids, group_ids or account_ids (or the Block Site IDs instance parameter)",
    ),
    (
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"sha1": SHA1, "os_type": "windows", "group_ids": "grp-1"},
        "group_ids: expected IDs made of digits only, got 'grp-1'",
    ),
    (
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"sha1": SHA256, "os_type": "windows"},
        f"sha1: expected a SHA1 hash (40 hexadecimal characters), got {SHA256!r}",
    ),
    ("sentinelone-add-hash-to-blocklist", s1.V21, {"sha1": SHA1}, "os_type: this argument is required"),
    (
        "sentinelone-add-hash-to-blocklist",
        s1.V21,
        {"sha1": SHA1, "os_type": "windows_legacy"},
        "os_type: expected one of windows, linux, macos, got 'windows_legacy'",
    ),
    (
        "sentinelone-remove-hash-from-blocklist",
        s1.V21,
        {"os_type": "linux"},
        "sha1, sha256Value: give at least one hash (a SHA1, a SHA256, or both)",
    ),
    (
        "sentinelone-remove-hash-from-blocklist",
        s1.V21,
        {"sha1": SHA1[:-1]},
        f"sha1: expected a SHA1 hash (40 hexadecimal characters), got {SHA1[:-1]!r}",
    ),
    (
        "sentinelone-remove-hash-from-blocklist",
        s1.V21,
        {"sha1": SHA1, "os_type": "bsd"},
        "os_type: expected one of windows, linux, macos, got 'bsd'",
    ),
    (
        "sentinelone-create-star-rule",
        s1.V21,
        {**A_RULE, "expiration_mode": "Temporary"},
        "expiration_date: required when expiration_mode is Temporary",
    ),
    (
        "sentinelone-create-star-rule",
        s1.V21,
        {**A_RULE, "expiration_date": "2030-01-01"},
        "expiration_date: only used when expiration_mode is Temporary",
    ),
    (
        "sentinelone-create-star-rule",
        s1.V21,
        {**A_RULE, "query_lang": "3.0"},
        "query_lang: expected one of 1.0, 2.0, got '3.0'",
    ),
    (
        "sentinelone-update-star-rule",
        s1.V21,
        {**A_RULE, "rule_id": RULE_1, "query_lang": "S1QL"},
        "query_lang: expected one of 1.0, 2.0, got 'S1QL'",
    ),
    (
        "sentinelone-create-star-rule",
        s1.V21,
        {**A_RULE, "rule_severity": "Severe"},
        "rule_severity: expected one of Low, Medium, High, Critical, got 'Severe'",
    ),
    (
        "sentinelone-create-star-rule",
        s1.V21,
        {**A_RULE, "network_quarantine": ""},
        "network_quarantine: this argument is required",
    ),
    (
        "sentinelone-create-star-rule",
        s1.V21,
        {**A_RULE, "network_quarantine": "on"},
        "network_quarantine: expected one of true, false, got 'on'",
    ),
    (
        "sentinelone-create-star-rule",
        s1.V21,
        {**A_RULE, "treatAsThreat": "Bad"},
        "treatAsThreat: expected one of Malicious, Suspicious, UNDEFINED, got 'Bad'",
    ),
    (
        "sentinelone-create-star-rule",
        s1.V21,
        {**A_RULE, "site_ids": "s1"},
        "site_ids: expected IDs made of digits only, got 's1'",
    ),
    ("sentinelone-update-star-rule", s1.V21, A_RULE, "rule_id: this argument is required"),
    (
        "sentinelone-update-star-rule",
        s1.V21,
        {**A_RULE, "rule_id": "r1"},
        "rule_id: expected an ID made of digits only, got 'r1'",
    ),
    ("sentinelone-enable-star-rules", s1.V21, {"rule_ids": f"{RULE_1},x"}, "rule_ids: expected IDs made of digits only, got 'x'"),
    ("sentinelone-disable-star-rules", s1.V21, {}, "rule_ids: this argument is required"),
    ("sentinelone-delete-star-rule", s1.V21, {"rule_ids": ","}, "rule_ids: this argument is required"),
    (
        "sentinelone-create-ioc",
        s1.V21,
        {**AN_IOC, "type": "HASH"},
        "type: expected one of DNS, IPV4, IPV6, MD5, SHA1, SHA256, URL, got 'HASH'",
    ),
    ("sentinelone-create-ioc", s1.V21, {**AN_IOC, "method": "CONTAINS"}, "method: expected one of EQUALS, got 'CONTAINS'"),
    ("sentinelone-create-ioc", s1.V21, {**AN_IOC, "validUntil": ""}, "validUntil: this argument is required"),
    ("sentinelone-create-ioc", s1.V21, {**AN_IOC, "account_ids": ""}, "account_ids: this argument is required"),
    (
        "sentinelone-delete-ioc",
        s1.V21,
        {"account_ids": ACCOUNT_1, "uuids": "zz-top"},
        "uuids: expected UUIDs (hexadecimal), got 'zz-top'",
    ),
    ("sentinelone-delete-ioc", s1.V21, {"uuids": IOC_1}, "account_ids: this argument is required"),
    ("sentinelone-create-query", s1.V21, {"from_date": "1 day", "to_date": "now"}, "query: this argument is required"),
    ("sentinelone-create-query", s1.V21, {"query": "q", "to_date": "now"}, "from_date: this argument is required"),
]


@pytest.mark.parametrize("command, api_version, args, message", BAD_INPUT)
def test_bad_input_fails_before_any_request(requests_mock, command, api_version, args, message):
    """
    Given a missing required argument, a value outside a closed set, or a malformed ID
    When the command runs
    Then it raises a ValueError that names the argument, and sends nothing.
    """
    with pytest.raises(ValueError) as error:
        run(command, args, api_version)
    assert str(error.value) == message
    assert requests_mock.call_count == 0


@freeze_time("2026-11-25T10:00:00Z")
@pytest.mark.parametrize(
    "from_date, to_date, message",
    [
        (
            "2026-11-25T09:00:00Z",
            "2026-11-24T09:00:00Z",
            "from_date: must not be after to_date (2026-11-25T09:00:00.000000Z > 2026-11-24T09:00:00.000000Z)",
        ),
        (
            "2026-08-01T00:00:00Z",
            "2026-11-24T09:00:00Z",
            "from_date: Deep Visibility keeps 93 days; 2026-08-01T00:00:00.000000Z is older",
        ),
    ],
)
def test_create_query_rejects_dates_the_console_would_refuse(requests_mock, from_date, to_date, message):
    """
    Given a start after the end, or a start beyond the 93 days Deep Visibility keeps
    When sentinelone-create-query runs
    Then it fails before spending the once-a-minute init-query call.
    """
    with pytest.raises(ValueError) as error:
        run("sentinelone-create-query", {"query": "q", "from_date": from_date, "to_date": to_date})
    assert str(error.value) == message
    assert requests_mock.call_count == 0


# --- the per-ID outcome rules ---


@pytest.mark.parametrize(
    "data, expected",
    [
        ({"affected": 2}, [(THREAT_1, True, ""), (THREAT_2, True, "")]),
        ({"affected": "2"}, [(THREAT_1, True, ""), (THREAT_2, True, "")]),
        ({"affected": 0}, [(THREAT_1, False, "not affected"), (THREAT_2, False, "not affected")]),
        (
            {"affected": 1},
            [
                (THREAT_1, None, "the console changed 1 of the 2 IDs and does not say which"),
                (THREAT_2, None, "the console changed 1 of the 2 IDs and does not say which"),
            ],
        ),
        ({"success": True}, [(THREAT_1, True, ""), (THREAT_2, True, "")]),
        (
            {},
            [
                (THREAT_1, None, "the console did not say what it changed"),
                (THREAT_2, None, "the console did not say what it changed"),
            ],
        ),
        (
            {"affected": 1, "details": [{"threatId": THREAT_2, "result": "updated"}]},
            [(THREAT_1, False, "no result from the console for this ID"), (THREAT_2, True, "")],
        ),
        (
            {
                "affected": 1,
                "details": [{"threatId": THREAT_1, "reports": [{"action": "kill", "status": "failed"}], "skipped": []}],
            },
            [(THREAT_1, False, "kill failed"), (THREAT_2, False, "no result from the console for this ID")],
        ),
        (
            {"affected": 0, "details": [{"threatId": THREAT_1, "result": "missing_permissions"}]},
            [(THREAT_1, False, "missing_permissions"), (THREAT_2, False, "no result from the console for this ID")],
        ),
    ],
)
def test_id_outcomes(data, expected):
    """
    Given an action answer: a count, a success flag, or 2.1 per-threat details
    When the per-ID outcomes are derived
    Then each ID is done, not done, or unknown exactly as the answer allows.
    """
    assert [(o.id, o.done, o.detail) for o in s1.id_outcomes([THREAT_1, THREAT_2], data)] == expected
