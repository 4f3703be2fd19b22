"""Unit tests of the query commands: the exact request each command sends, the exact context it writes, and the
argument errors it raises before sending anything."""

import copy
from typing import Any

import pytest
import SentinelOne_V2 as s1
from freezegun import freeze_time

from conftest import BASE_V20, BASE_V21, context, dispatch, load_fixture, make_client, readable, sent

NOW = "2024-05-10T12:00:00Z"  # frozen clock: relative dates below are computed from it


def run(command: str, version: str, args: dict[str, Any]) -> Any:
    return dispatch(command, args, version)


def base(version: str) -> str:
    return BASE_V21 if version == s1.V21 else BASE_V20


def last_page(fixture: str) -> Any:
    """A fixture with its next cursor removed, so that a command reads one page only."""
    body = copy.deepcopy(load_fixture(fixture))
    if "pagination" in body:
        body["pagination"]["nextCursor"] = None
    return body


# --- the request of every command ---

AGENT_1 = "1913920934584665209"
SHA1 = "3395856ce81f2b7382dee72602f798b642f14140"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"

REQUESTS = [
    pytest.param(
        "sentinelone-list-agents",
        s1.V21,
        {
            "computer_name": "WIN",
            "scan_status": "started, ABORTED",
            "os_type": "windows,linux",
            "created_at": "2024-01-02T03:04:05Z",
            "min_active_threats": "2",
            "limit": "5",
            "params": "gatewayIp=10.0.4.1,osVersion__contains=Windows 10,osTypes=windows,macos",
        },
        "agents.json",
        "GET",
        "agents",
        {
            "computerName__like": "WIN",
            "scanStatuses": "started,aborted",
            "osTypes": "windows,macos",  # the custom pair wins over os_type: it is the more specific request
            "createdAt__gte": "2024-01-02T03:04:05.000000Z",
            "activeThreats__gt": "1",  # at least 2 = more than 1
            "gatewayIp": "10.0.4.1",
            "osVersion__contains": "Windows 10",
            "limit": "5",
        },
        None,
        id="list-agents every filter and every custom pair",
    ),
    pytest.param(
        "sentinelone-list-agents", s1.V20, {}, "agents.json", "GET", "agents", {"limit": "10"}, None, id="list-agents 2.0"
    ),
    pytest.param(
        "sentinelone-get-agent",
        s1.V21,
        {"agent_id": "11, 22,33"},
        "agents.json",
        "GET",
        "agents",
        {"ids": "11,22,33", "limit": "3"},
        None,
        id="get-agent every id",
    ),
    pytest.param(
        "sentinelone-get-agent-mac",
        s1.V20,
        {"agent_id": AGENT_1},
        "agents.json",
        "GET",
        "agents",
        {"ids": AGENT_1, "limit": "1"},
        None,
        id="get-agent-mac",
    ),
    pytest.param(
        "sentinelone-get-installed-applications",
        s1.V21,
        {"agent_ids": "11,22"},
        "applications.json",
        "GET",
        "agents/applications",
        {"ids": "11,22"},
        None,
        id="get-installed-applications every id",
    ),
    pytest.param(
        "sentinelone-get-threats",
        s1.V21,
        {
            "content_hash": "h1,h2",
            "mitigation_status": "mitigated,Active",
            "created_before": "2024-05-01T00:00:00Z",
            "created_after": "1700000000",
            "created_until": "2024-05-02",
            "created_from": "3 days",
            "display_name": "invoice.exe",
            "query": "alice",
            "threat_ids": "1,2,3",
            "classifications": "Engine,cloud",
            "rank": "5",
            "site_ids": "s1,s2",
            "incident_statuses": "IN_PROGRESS, UNRESOLVED",
            "resolved": "true",
            "limit": "2",
        },
        "threats_v21.json",
        "GET",
        "threats",
        {
            "contentHashes": "h1,h2",
            "mitigationStatuses": "mitigated,active",
            "createdAt__lt": "2024-05-01T00:00:00.000000Z",
            "createdAt__gt": "2023-11-14T22:13:20.000000Z",
            "createdAt__lte": "2024-05-02T00:00:00.000000Z",
            "createdAt__gte": "2024-05-07T12:00:00.000000Z",
            "displayName": "invoice.exe",
            "query": "alice",
            "ids": "1,2,3",
            "classifications": "Engine,Cloud",
            "siteIds": "s1,s2",
            "incidentStatuses": "in_progress,unresolved",
            "limit": "2",
        },
        None,
        id="get-threats 2.1: exact display name, no rank, no resolved",
    ),
    pytest.param(
        "sentinelone-get-threats",
        s1.V20,
        {"display_name": "invoice", "rank": "5", "include_resolved_param": "true", "resolved": "true"},
        "threats_v20.json",
        "GET",
        "threats",
        {"displayName__like": "invoice", "rank": "5", "resolved": "true", "limit": "20"},
        None,
        id="get-threats 2.0: partial display name, rank, resolved when asked for",
    ),
    pytest.param(
        "sentinelone-get-threats",
        s1.V21,
        {"include_resolved_param": "true"},
        "threats_v21.json",
        "GET",
        "threats",
        {"resolved": "false", "limit": "20"},
        None,
        id="get-threats resolved defaults to false once included",
    ),
    pytest.param(
        "sentinelone-threat-summary",
        s1.V21,
        {"group_ids": "g1, g2"},
        "threat_summary.json",
        "GET",
        "private/threats/summary",
        {"groupIds": "g1,g2"},
        None,
        id="threat-summary",
    ),
    pytest.param(
        "sentinelone-get-threat-notes",
        s1.V21,
        {"threat_id": "19139/33"},
        "threat_notes.json",
        "GET",
        "threats/19139%2F33/notes",
        {"limit": "1000"},
        None,
        id="get-threat-notes encodes the id and pages",
    ),
    pytest.param(
        "sentinelone-get-sites",
        s1.V21,
        {
            "updated_at": "2024-03-01T10:00:00Z",
            "created_at": "2022-02-01T10:00:00.5Z",
            "query": "acme",
            "site_type": "paid",
            "features": "ioc, device-control,remote-shell",
            "state": "ACTIVE",
            "suite": "Control",
            "admin_only": "false",
            "account_id": "1392053568574369781",
            "site_name": "Finance",
            "limit": "20",
        },
        "sites.json",
        "GET",
        "sites",
        {
            "updatedAt": "2024-03-01T10:00:00.000000Z",
            "createdAt": "2022-02-01T10:00:00.500000Z",
            "query": "acme",
            "siteType": "Paid",
            "features": "ioc,device-control,remote-shell",
            "state": "active",
            "suite": "Control",
            "adminOnly": "false",
            "accountId": "1392053568574369781",
            "name": "Finance",
            "limit": "20",
        },
        None,
        id="get-sites every filter",
    ),
    pytest.param(
        "sentinelone-get-sites", s1.V20, {}, "sites.json", "GET", "sites", {"limit": "50"}, None, id="get-sites default"
    ),
    pytest.param(
        "sentinelone-get-site",
        s1.V20,
        {"site_id": "1392053568582758391"},
        "site.json",
        "GET",
        "sites/1392053568582758391",
        {},
        None,
        id="get-site",
    ),
    pytest.param(
        "sentinelone-get-accounts", s1.V21, {}, "accounts.json", "GET", "accounts", {"limit": "1000"}, None, id="get-accounts all"
    ),
    pytest.param(
        "sentinelone-get-accounts",
        s1.V21,
        {"account_id": "1392053568574369781"},
        "account.json",
        "GET",
        "accounts/1392053568574369781",
        {},
        None,
        id="get-accounts one",
    ),
    pytest.param(
        "sentinelone-get-groups",
        s1.V21,
        {
            "group_type": "Static",
            "group_ids": "g1,g2",
            "group_id": "g3",
            "is_default": "true",
            "name": "Default Group",
            "query": "def",
            "rank": "1",
            "limit": "200",
        },
        "groups.json",
        "GET",
        "groups",
        {
            "type": "static",
            "groupIds": "g1,g2",
            "id": "g3",
            "isDefault": "true",
            "name": "Default Group",
            "query": "def",
            "rank": "1",
            "limit": "200",
        },
        None,
        id="get-groups every filter (group_id read)",
    ),
    pytest.param(
        "sentinelone-get-groups", s1.V20, {}, "groups.json", "GET", "groups", {"limit": "50"}, None, id="get-groups default"
    ),
    pytest.param(
        "sentinelone-get-activities",
        s1.V21,
        {
            "created_after": "2024-04-01T00:00:00Z",
            "created_before": "2024-04-30T00:00:00Z",
            "created_until": "2024-04-29T00:00:00Z",
            "created_from": "2 hours",
            "created_between": "1514978764288-1514978999999",
            "user_emails": "a@example.com, b@example.com",
            "group_ids": "g1,g2",
            "activities_ids": "a1,a2",
            "threats_ids": "t1,t2",
            "activity_types": "80, 81",
            "user_ids": "u1,u2",
            "agent_ids": "ag1,ag2",
            "include_hidden": "false",
            "sort_by": "createdAt",
            "sort_order": "desc",
            "limit": "100",
        },
        "activities.json",
        "GET",
        "activities",
        {
            "createdAt__gt": "2024-04-01T00:00:00.000000Z",
            "createdAt__lt": "2024-04-30T00:00:00.000000Z",
            "createdAt__lte": "2024-04-29T00:00:00.000000Z",
            "createdAt__gte": "2024-05-10T10:00:00.000000Z",
            "createdAt__between": "1514978764288-1514978999999",
            "userEmails": "a@example.com,b@example.com",
            "groupIds": "g1,g2",
            "ids": "a1,a2",
            "threatIds": "t1,t2",
            "activityTypes": "80,81",
            "userIds": "u1,u2",
            "agentIds": "ag1,ag2",
            "includeHidden": "false",
            "sortBy": "createdAt",
            "sortOrder": "desc",
            "limit": "100",
        },
        None,
        id="get-activities every filter with the swagger names",
    ),
    pytest.param(
        "sentinelone-get-activities",
        s1.V20,
        {},
        "activities.json",
        "GET",
        "activities",
        {"limit": "50"},
        None,
        id="get-activities default",
    ),
    pytest.param(
        "sentinelone-get-alerts",
        s1.V21,
        {
            "created_from": "3 days",
            "created_until": "2024-05-09T00:00:00Z",
            "ruleName": "persistence",
            "incidentStatus": "unresolved,In_Progress",
            "analystVerdict": "true_positive",
            "alert_ids": "al1,al2",
            "site_ids": "s1",
            "cursor": "YWxlcnQ6MQ==",
            "limit": "500",
        },
        "alerts.json",
        "GET",
        "cloud-detection/alerts",
        {
            "createdAt__gte": "2024-05-07T12:00:00.000000Z",
            "createdAt__lte": "2024-05-09T00:00:00.000000Z",
            "ruleName__contains": "persistence",
            "incidentStatus": "UNRESOLVED,IN_PROGRESS",
            "analystVerdict": "TRUE_POSITIVE",
            "ids": "al1,al2",
            "siteIds": "s1",
            "cursor": "YWxlcnQ6MQ==",
            "limit": "500",
        },
        None,
        id="get-alerts every filter, upper-case statuses",
    ),
    pytest.param(
        "sentinelone-get-hash",
        s1.V20,
        {"hash": SHA1},
        "hash_verdict.json",
        "GET",
        f"hashes/{SHA1}/verdict",
        {},
        None,
        id="get-hash",
    ),
    pytest.param(
        "sentinelone-get-white-list",
        s1.V21,
        {
            "item_ids": "e1,e2",
            "os_types": "windows, macos",
            "exclusion_type": "path",
            "include_children": "true",
            "include_parent": "false",
            "limit": "20",
        },
        "exclusions.json",
        "GET",
        "exclusions",
        {
            "ids": "e1,e2",
            "osTypes": "windows,macos",
            "type": "path",
            "includeChildren": "true",
            "includeParents": "false",
            "limit": "20",
        },
        None,
        id="get-white-list every filter",
    ),
    pytest.param(
        "sentinelone-get-white-list",
        s1.V20,
        {},
        "exclusions.json",
        "GET",
        "exclusions",
        {"includeChildren": "false", "includeParents": "false", "limit": "10"},
        None,
        id="get-white-list defaults",
    ),
    pytest.param(
        "sentinelone-get-blocklist",
        s1.V21,
        {"site_ids": "ignored-because-global"},
        "restrictions.json",
        "GET",
        "restrictions",
        {"tenant": "true", "skip": "0", "sortBy": "updatedAt", "sortOrder": "desc", "limit": "1000"},
        None,
        id="get-blocklist global: no scope ids",
    ),
    pytest.param(
        "sentinelone-get-blocklist",
        s1.V21,
        {
            "global": "false",
            "group_ids": "g1",
            "site_ids": "s1,s2",
            "account_ids": "a1",
            "offset": "5",
            "limit": "10",
            "hash": "AA11bb",
        },
        "restrictions.json",
        "GET",
        "restrictions",
        {
            "tenant": "false",
            "groupIds": "g1",
            "siteIds": "s1,s2",
            "accountIds": "a1",
            "skip": "5",
            "value__contains": "AA11bb",
            "sortBy": "updatedAt",
            "sortOrder": "desc",
            "limit": "10",
        },
        None,
        id="get-blocklist scoped",
    ),
    pytest.param(
        "sentinelone-get-blocklist",
        s1.V21,
        {"sha1": SHA1},
        "restrictions.json",
        "GET",
        "restrictions",
        {"tenant": "true", "skip": "0", "value__contains": SHA1, "sortBy": "updatedAt", "sortOrder": "desc", "limit": "1000"},
        None,
        id="get-blocklist by SHA1",
    ),
    pytest.param(
        "sentinelone-get-blocklist",
        s1.V21,
        {"sha256Value": SHA256, "limit": "5"},
        "restrictions.json",
        "GET",
        "restrictions",
        {"tenant": "true", "skip": "0", "value__contains": SHA256, "sortBy": "updatedAt", "sortOrder": "desc", "limit": "5"},
        None,
        id="get-blocklist by SHA256",
    ),
    pytest.param(
        "sentinelone-get-star-rules",
        s1.V21,
        {
            "status": "Active, draft",
            "creator_contains": "alice,bob",
            "queryType": "correlation",
            "query": "EventType = 'Process Creation'",
            "description_contains": "registry",
            "ruleIds": "r1,r2",
            "name_contains": "run key",
            "accountIds": "a1",
            "expirationMode": "temporary",
            "limit": "10",
            "siteIds": "s1,s2",
        },
        "star_rules.json",
        "GET",
        "cloud-detection/rules",
        {
            "status": "Active,Draft",
            "creator__contains": "alice,bob",
            "queryType": "correlation",
            "query": "EventType = 'Process Creation'",
            "description__contains": "registry",
            "ids": "r1,r2",
            "name__contains": "run key",
            "accountIds": "a1",
            "expirationMode": "Temporary",
            "limit": "10",
            "siteIds": "s1,s2",
        },
        None,
        id="get-star-rules every filter",
    ),
    pytest.param(
        "sentinelone-get-star-rules",
        s1.V21,
        {},
        "star_rules.json",
        "GET",
        "cloud-detection/rules",
        {"limit": "1000"},
        None,
        id="get-star-rules default limit 1000",
    ),
    pytest.param(
        "sentinelone-get-iocs",
        s1.V21,
        {
            "account_ids": "a1,a2",
            "upload_time_gte": "2024-04-01T00:00:00Z",
            "upload_time_lte": "2024-04-02T00:00:00Z",
            "updated_at_gte": "2024-04-03T00:00:00Z",
            "updated_at_lte": "2024-04-04T00:00:00Z",
            "creation_time_gte": "2024-04-05T00:00:00Z",
            "creation_time_lte": "1 day",
            "cursor": "aW9jOjE=",
            "uuids": "u1,u2",
            "type": "ipv4",
            "batch_id": "b1",
            "source": "AlienVault,XSOAR",
            "value": "175.0.0.9",
            "external_id": "x1",
            "name_contains": "bad,evil",
            "creator_contains": "admin",
            "description_contains": "c2",
            "category_in": "Malware",
            "limit": "100",
        },
        "iocs.json",
        "GET",
        "threat-intelligence/iocs",
        {
            "accountIds": "a1,a2",
            "uploadTime__gte": "2024-04-01T00:00:00.000000Z",
            "uploadTime__lte": "2024-04-02T00:00:00.000000Z",
            "updatedAt__gte": "2024-04-03T00:00:00.000000Z",
            "updatedAt__lte": "2024-04-04T00:00:00.000000Z",
            "creationTime__gte": "2024-04-05T00:00:00.000000Z",
            "creationTime__lte": "2024-05-09T12:00:00.000000Z",
            "cursor": "aW9jOjE=",
            "uuids": "u1,u2",
            "type": "IPV4",
            "batchId": "b1",
            "source": "AlienVault,XSOAR",
            "value": "175.0.0.9",
            "externalId": "x1",
            "name__contains": "bad,evil",
            "creator__contains": "admin",
            "description__contains": "c2",
            "category__in": "Malware",
            "limit": "100",
        },
        None,
        id="get-iocs every filter",
    ),
    pytest.param(
        "sentinelone-get-dv-query-status",
        s1.V20,
        {"query_id": "qf7a4b38c654e93d22b33017b1a0faadf"},
        "dv_query_status.json",
        "GET",
        "dv/query-status",
        {"queryId": "qf7a4b38c654e93d22b33017b1a0faadf"},
        None,
        id="get-dv-query-status sends queryId",
    ),
    pytest.param(
        "sentinelone-get-events",
        s1.V21,
        {"query_id": "q1", "cursor": "ZXZlbnRzOjE=", "limit": "20"},
        "dv_events.json",
        "GET",
        "dv/events",
        {"queryId": "q1", "cursor": "ZXZlbnRzOjE=", "limit": "20"},
        None,
        id="get-events",
    ),
    pytest.param(
        "sentinelone-get-processes",
        s1.V20,
        {"query_id": "q1", "limit": "100"},
        "dv_processes.json",
        "GET",
        "dv/events/process",
        {"queryId": "q1", "limit": "100"},
        None,
        id="get-processes uses the process endpoint",
    ),
    pytest.param(
        "sentinelone-get-remote-script-task-status",
        s1.V21,
        {
            "parent_task_id": "p1",
            "parent_task_id_in": "p2,p3",
            "account_ids": "a1",
            "site_ids": "s1",
            "group_ids": "g1",
            "ids": "t1,t2",
            "computer_name_contains": "WIN,ubuntu",
            "description_contains": "triage",
            "detailed_status_contains": "completed",
            "initiated_by_contains": "alice",
            "uuid_contains": "c06d",
            "created_at_gt": "2024-04-01T00:00:00Z",
            "created_at_gte": "2024-04-02T00:00:00Z",
            "created_at_lt": "2024-04-03T00:00:00Z",
            "created_at_lte": "2024-04-04T00:00:00Z",
            "updated_at_gt": "2024-04-05T00:00:00Z",
            "updated_at_gte": "2024-04-06T00:00:00Z",
            "updated_at_lt": "2024-04-07T00:00:00Z",
            "updated_at_lte": "2024-04-08T00:00:00Z",
            "status": "completed,FAILED",
            "query": "triage",
            "tenant": "true",
            "cursor": "dGFzazox",
            "limit": "30",
        },
        "remote_script_status.json",
        "GET",
        "remote-scripts/status",
        {
            "parentTaskId": "p1",
            "parentTaskId__in": "p2,p3",
            "accountIds": "a1",
            "siteIds": "s1",
            "groupIds": "g1",
            "ids": "t1,t2",
            "computerName__contains": "WIN,ubuntu",
            "description__contains": "triage",
            "detailedStatus__contains": "completed",
            "initiatedBy__contains": "alice",
            "uuid__contains": "c06d",
            "createdAt__gt": "2024-04-01T00:00:00.000000Z",
            "createdAt__gte": "2024-04-02T00:00:00.000000Z",
            "createdAt__lt": "2024-04-03T00:00:00.000000Z",
            "createdAt__lte": "2024-04-04T00:00:00.000000Z",
            "updatedAt__gt": "2024-04-05T00:00:00.000000Z",
            "updatedAt__gte": "2024-04-06T00:00:00.000000Z",
            "updatedAt__lt": "2024-04-07T00:00:00.000000Z",
            "updatedAt__lte": "2024-04-08T00:00:00.000000Z",
            "status": "completed,failed",
            "query": "triage",
            "tenant": "true",
            "cursor": "dGFzazox",
            "limit": "30",
        },
        None,
        id="get-remote-script-task-status every filter",
    ),
]


@freeze_time(NOW)
@pytest.mark.parametrize("command, version, args, fixture, method, path, query, body", REQUESTS)
def test_each_command_sends_exactly_this_request(requests_mock, command, version, args, fixture, method, path, query, body):
    """
    Given a query command, an API version and arguments (lists, dates in ISO/epoch/relative form, closed-set values)
    When the command runs against a console answering one page
    Then exactly one request is sent, with this method, path, query string (lists comma-joined, dates ISO UTC with Z,
    swagger parameter names) and JSON body.
    """
    requests_mock.register_uri(method, base(version) + path, json=last_page(f"queries/{fixture}"))
    run(command, version, args)
    assert requests_mock.call_count == 1
    assert sent(requests_mock.request_history[0]) == (method, path, query, body)


# --- argument errors: named, with the allowed values, before any request ---

ARGUMENT_ERRORS = [
    ("sentinelone-list-agents", {"limit": "0"}, "limit: expected an integer from 1 to 1000, got '0'"),
    ("sentinelone-list-agents", {"limit": "ten"}, "limit: expected an integer from 1 to 1000, got 'ten'"),
    (
        "sentinelone-list-agents",
        {"scan_status": "started,paused"},
        "scan_status: expected one of started, none, finished, aborted, got 'paused'",
    ),
    (
        "sentinelone-list-agents",
        {"os_type": "solaris"},
        "os_type: expected one of windows, windows_legacy, macos, linux, got 'solaris'",
    ),
    (
        "sentinelone-list-agents",
        {"created_at": "whenever"},
        "created_at: expected a date (ISO 8601, epoch, or relative such as '3 days'), got 'whenever'",
    ),
    ("sentinelone-list-agents", {"min_active_threats": "-1"}, "min_active_threats: expected an integer of at least 0, got '-1'"),
    (
        "sentinelone-list-agents",
        {"params": "gatewayIp"},
        "params: expected field=value pairs separated by commas, got 'gatewayIp'",
    ),
    ("sentinelone-list-agents", {"params": "=3"}, "params: expected field=value pairs separated by commas, got '=3'"),
    ("sentinelone-get-agent", {}, "agent_id: this argument is required"),
    ("sentinelone-get-agent", {"agent_id": " , "}, "agent_id: this argument is required"),
    ("sentinelone-get-agent-mac", {}, "agent_id: this argument is required"),
    ("sentinelone-get-installed-applications", {}, "agent_ids: this argument is required"),
    ("sentinelone-get-threats", {"rank": "11"}, "rank: expected an integer from 0 to 10, got '11'"),
    ("sentinelone-get-threats", {"limit": "1001"}, "limit: expected an integer from 1 to 1000, got '1001'"),
    (
        "sentinelone-get-threats",
        {"incident_statuses": "closed"},
        "incident_statuses: expected one of UNRESOLVED, IN_PROGRESS, RESOLVED, got 'closed'",
    ),
    ("sentinelone-get-threats", {"resolved": "maybe"}, "resolved: expected one of true, false, got 'maybe'"),
    ("sentinelone-get-threats", {"include_resolved_param": "1"}, "include_resolved_param: expected one of true, false, got '1'"),
    ("sentinelone-get-threat-notes", {}, "threat_id: this argument is required"),
    ("sentinelone-get-sites", {"site_type": "Gold"}, "site_type: expected one of Trial, Paid, POC, DEV, NFR, got 'Gold'"),
    ("sentinelone-get-sites", {"state": "paused"}, "state: expected one of active, deleted, expired, got 'paused'"),
    ("sentinelone-get-sites", {"admin_only": "sometimes"}, "admin_only: expected one of true, false, got 'sometimes'"),
    ("sentinelone-get-sites", {"limit": "1001"}, "limit: expected an integer from 1 to 1000, got '1001'"),
    ("sentinelone-get-site", {}, "site_id: this argument is required"),
    ("sentinelone-get-groups", {"group_type": "smart"}, "group_type: expected one of static, dynamic, pinned, got 'smart'"),
    ("sentinelone-get-groups", {"limit": "201"}, "limit: expected an integer from 1 to 200, got '201'"),
    ("sentinelone-get-groups", {"rank": "0"}, "rank: expected an integer of at least 1, got '0'"),
    ("sentinelone-get-groups", {"is_default": "y"}, "is_default: expected one of true, false, got 'y'"),
    ("sentinelone-get-activities", {"limit": "101"}, "limit: expected an integer from 1 to 100, got '101'"),
    (
        "sentinelone-get-activities",
        {"activity_types": "80,abc"},
        "activity_types: expected a comma-separated list of integers, got 'abc'",
    ),
    (
        "sentinelone-get-activities",
        {"created_between": "2024-01-01"},
        "created_between: expected <start>-<end> in epoch milliseconds with start <= end, got '2024-01-01'",
    ),
    (
        "sentinelone-get-activities",
        {"created_between": "5000-3000"},
        "created_between: expected <start>-<end> in epoch milliseconds with start <= end, got '5000-3000'",
    ),
    ("sentinelone-get-activities", {"sort_by": "name"}, "sort_by: expected one of activityType, createdAt, id, got 'name'"),
    ("sentinelone-get-activities", {"sort_order": "up"}, "sort_order: expected one of asc, desc, got 'up'"),
    ("sentinelone-get-alerts", {}, "created_from: this argument is required"),
    (
        "sentinelone-get-alerts",
        {"created_from": "1 day", "incidentStatus": "closed"},
        "incidentStatus: expected one of UNRESOLVED, IN_PROGRESS, RESOLVED, got 'closed'",
    ),
    (
        "sentinelone-get-alerts",
        {"created_from": "1 day", "analystVerdict": "benign"},
        "analystVerdict: expected one of TRUE_POSITIVE, FALSE_POSITIVE, SUSPICIOUS, UNDEFINED, got 'benign'",
    ),
    ("sentinelone-get-hash", {}, "hash: this argument is required"),
    ("sentinelone-get-hash", {"hash": "xyz"}, "hash: expected an MD5, SHA1, SHA256 or SHA512 hash in hex, got 'xyz'"),
    ("sentinelone-get-hash", {"hash": "g" * 40}, f"hash: expected an MD5, SHA1, SHA256 or SHA512 hash in hex, got '{'g' * 40}'"),
    (
        "sentinelone-get-white-list",
        {"exclusion_type": "regex"},
        "exclusion_type: expected one of file_type, path, white_hash, certificate, browser, got 'regex'",
    ),
    (
        "sentinelone-get-white-list",
        {"os_types": "solaris"},
        "os_types: expected one of windows, windows_legacy, macos, linux, got 'solaris'",
    ),
    ("sentinelone-get-white-list", {"include_children": "maybe"}, "include_children: expected one of true, false, got 'maybe'"),
    ("sentinelone-get-blocklist", {"offset": "1001"}, "offset: expected an integer from 0 to 1000, got '1001'"),
    ("sentinelone-get-blocklist", {"global": "everywhere"}, "global: expected one of true, false, got 'everywhere'"),
    (
        "sentinelone-get-blocklist",
        {"hash": "3395", "sha1": SHA1},
        "hash, sha1, sha256Value: give only one of them (the blocklist is searched for one value)",
    ),
    ("sentinelone-get-blocklist", {"sha1": "3395"}, "sha1: expected a SHA1 hash (40 hexadecimal characters), got '3395'"),
    (
        "sentinelone-get-blocklist",
        {"sha256Value": SHA1},
        f"sha256Value: expected a SHA256 hash (64 hexadecimal characters), got {SHA1!r}",
    ),
    (
        "sentinelone-get-star-rules",
        {"status": "Running"},
        "status: expected one of Draft, Activating, Active, Disabling, Disabled, Deleting, Deleted, got 'Running'",
    ),
    (
        "sentinelone-get-star-rules",
        {"expirationMode": "Forever"},
        "expirationMode: expected one of Temporary, Permanent, got 'Forever'",
    ),
    ("sentinelone-get-iocs", {}, "account_ids: this argument is required"),
    (
        "sentinelone-get-iocs",
        {"account_ids": "a1", "type": "EMAIL"},
        "type: expected one of DNS, IPV4, IPV6, MD5, SHA1, SHA256, URL, got 'EMAIL'",
    ),
    ("sentinelone-get-dv-query-status", {}, "query_id: this argument is required"),
    ("sentinelone-get-events", {}, "query_id: this argument is required"),
    ("sentinelone-get-events", {"query_id": "q1", "limit": "101"}, "limit: expected an integer from 1 to 100, got '101'"),
    ("sentinelone-get-processes", {}, "query_id: this argument is required"),
    ("sentinelone-get-processes", {"query_id": "q1", "limit": "0"}, "limit: expected an integer from 1 to 100, got '0'"),
    ("sentinelone-get-remote-script-task-status", {}, "parent_task_id: this argument is required"),
    (
        "sentinelone-get-remote-script-task-status",
        {"parent_task_id": "p1", "status": "running"},
        "status: expected one of created, scheduled, pending, pending_user_action, in_progress, completed, failed, canceled, "
        "expired, partially_completed, got 'running'",
    ),
    (
        "sentinelone-get-remote-script-task-status",
        {"parent_task_id": "p1", "count_only": "sure"},
        "count_only: expected one of true, false, got 'sure'",
    ),
    ("sentinelone-get-remote-script-task-results", {}, "task_ids: this argument is required"),
]


@pytest.mark.parametrize("command, args, message", ARGUMENT_ERRORS)
def test_bad_arguments_fail_before_any_request(requests_mock, command, args, message):
    """
    Given a query command with a missing required argument, a value outside its closed set, a malformed number or date,
    or a limit outside the documented range
    When the command runs
    Then it fails with a message naming the argument (and the allowed values), and sends nothing.
    """
    with pytest.raises(ValueError) as error:
        run(command, s1.V21, args)
    assert str(error.value) == message
    assert requests_mock.call_count == 0


# --- version gate ---

# --- agents ---


def test_list_agents_context_and_columns(requests_mock):
    """
    Given two agents, and columns naming raw fields (one null on the second agent, one unknown)
    When sentinelone-list-agents runs
    Then each agent is one entry under SentinelOne.Agents keyed by ID, with ThreatCount from activeThreats, nulls dropped,
    and each listed raw field that has a value copied under its raw name.
    """
    requests_mock.get(BASE_V21 + "agents", json=load_fixture("queries/agents.json"))
    result = run("sentinelone-list-agents", s1.V21, {"columns": "uuid,lastLoggedInUserName,noSuchField"})
    assert context(result) == {
        "SentinelOne.Agents(val.ID && val.ID == obj.ID)": [
            {
                "NetworkStatus": "connected",
                "ID": AGENT_1,
                "AgentVersion": "23.4.2.14",
                "IsDecommissioned": False,
                "IsActive": True,
                "LastActiveDate": "2024-04-11T14:58:12.382311Z",
                "RegisteredAt": "2023-12-01T09:15:00.000000Z",
                "ExternalIP": "108.77.84.191",
                "ThreatCount": 2,
                "EncryptedApplications": True,
                "OSName": "Windows 10 Pro",
                "ComputerName": "WIN-FINANCE-01",
                "Domain": "CORP",
                "CreatedAt": "2023-12-01T09:15:00.000000Z",
                "SiteName": "Finance",
                "MachineType": "laptop",
                "Tags": {"sentinelone": [{"key": "env", "value": "prod"}]},
                "uuid": "c06d63d9-9fa2-046d-e91e-dc94cf6695d8",
                "lastLoggedInUserName": "alice",
            },
            {
                "NetworkStatus": "disconnected",
                "ID": "1913920934584665210",
                "AgentVersion": "23.3.1.5",
                "IsDecommissioned": False,
                "IsActive": False,
                "LastActiveDate": "2024-04-10T08:00:00.000000Z",
                "RegisteredAt": "2024-01-05T11:00:00.000000Z",
                "ExternalIP": "52.14.201.7",
                "ThreatCount": 0,
                "EncryptedApplications": False,
                "OSName": "Linux",
                "ComputerName": "ubuntu-web-02",
                "Domain": "unknown",
                "CreatedAt": "2024-01-05T11:00:00.000000Z",
                "SiteName": "Web",
                "MachineType": "server",
                "uuid": "f431b0a1a8744d2a8a92fc88fa3c13bc",
            },
        ]
    }
    assert "|Agent Version|" in readable(result)
    assert "| c06d63d9-9fa2-046d-e91e-dc94cf6695d8 |" in readable(result)


@pytest.mark.parametrize(
    "minimum, sent_filter, kept",
    [
        ("2", {"activeThreats__gt": "1"}, ["c", "d"]),
        ("1", {"activeThreats__gt": "0"}, ["b", "c", "d"]),
        ("0", {}, ["a", "b", "c", "d"]),
    ],
)
def test_list_agents_min_active_threats_is_at_least(requests_mock, minimum, sent_filter, kept):
    """
    Given agents with 0 to 3 active threats (the answer a console reading activeThreats__gt as inclusive would give)
    When sentinelone-list-agents runs with a minimum number of active threats
    Then "more than minimum - 1" is asked for (nothing for 0), and only agents with at least the minimum are returned.
    """
    agents = [
        {"id": "a", "activeThreats": 0},
        {"id": "b", "activeThreats": 1},
        {"id": "c", "activeThreats": 2},
        {"id": "d", "activeThreats": 3},
    ]
    requests_mock.get(BASE_V21 + "agents", json={"data": agents, "pagination": {"nextCursor": None}})
    result = run("sentinelone-list-agents", s1.V21, {"min_active_threats": minimum})
    assert sent(requests_mock.last_request)[2] == {**sent_filter, "limit": "10"}
    assert ids_of(context(result)["SentinelOne.Agents(val.ID && val.ID == obj.ID)"]) == kept


def ids_of(entries: list[dict[str, Any]]) -> list[str]:
    return [entry["ID"] for entry in entries]


def test_get_agent_reports_ids_the_console_did_not_return(requests_mock):
    """
    Given three requested agent IDs of which the console returns one
    When sentinelone-get-agent runs
    Then every ID is sent, the found agent is in SentinelOne.Agent, and the readable output names the missing IDs.
    """
    one_agent = load_fixture("queries/agents.json")
    one_agent["data"] = one_agent["data"][:1]
    requests_mock.get(BASE_V21 + "agents", json=one_agent)
    result = run("sentinelone-get-agent", s1.V21, {"agent_id": f"{AGENT_1},404,405"})
    assert sent(requests_mock.last_request)[2] == {"ids": f"{AGENT_1},404,405", "limit": "3"}
    assert [entry["ID"] for entry in context(result)["SentinelOne.Agent(val.ID && val.ID == obj.ID)"]] == [AGENT_1]
    assert readable(result).endswith("\nNo agent found with ID: 404, 405\n")


def test_get_agent_mac_one_entry_per_interface(requests_mock):
    """
    Given two agents with two and one network interfaces
    When sentinelone-get-agent-mac runs for both
    Then there is one SentinelOne.MAC entry per interface, keyed by agent and interface, with every IP of the interface.
    """
    requests_mock.get(BASE_V21 + "agents", json=load_fixture("queries/agents.json"))
    result = run("sentinelone-get-agent-mac", s1.V21, {"agent_id": f"{AGENT_1},1913920934584665210"})
    assert context(result) == {
        "SentinelOne.MAC(val.agent_id && val.agent_id == obj.agent_id && val.int_name && val.int_name == obj.int_name)": [
            {
                "agent_id": AGENT_1,
                "hostname": "WIN-FINANCE-01",
                "int_name": "Ethernet0",
                "ip": ["10.0.4.17"],
                "mac": "00:50:56:a1:2b:3c",
            },
            {
                "agent_id": AGENT_1,
                "hostname": "WIN-FINANCE-01",
                "int_name": "Wi-Fi",
                "ip": ["192.168.1.23", "192.168.1.24"],
                "mac": "3c:22:fb:10:aa:01",
            },
            {
                "agent_id": "1913920934584665210",
                "hostname": "ubuntu-web-02",
                "int_name": "eth0",
                "ip": ["172.31.5.9"],
                "mac": "0a:1b:2c:3d:4e:5f",
            },
        ]
    }
    assert readable(result).startswith(
        "### Sentinel One - Agent Network Interfaces\n|Agent Id|Hostname|Int Name|Ip|Mac|\n|---|---|---|---|---|\n"
        f"| {AGENT_1} | WIN-FINANCE-01 | Ethernet0 | 10.0.4.17 | 00:50:56:a1:2b:3c |\n"
    )


def test_get_installed_applications_context(requests_mock):
    """
    Given the applications of an agent
    When sentinelone-get-installed-applications runs
    Then each application is a SentinelOne.Application entry keyed by Name, InstalledOn from installedDate.
    """
    requests_mock.get(BASE_V21 + "agents/applications", json=load_fixture("queries/applications.json"))
    result = run("sentinelone-get-installed-applications", s1.V21, {"agent_ids": AGENT_1})
    assert context(result) == {
        "SentinelOne.Application(val.Name && val.Name == obj.Name)": [
            {
                "Name": "Google Chrome",
                "Publisher": "Google LLC",
                "Size": 412345678,
                "Version": "123.0.6312.106",
                "InstalledOn": "2024-03-28T00:00:00Z",
            },
            {
                "Name": "7-Zip 23.01 (x64)",
                "Publisher": "Igor Pavlov",
                "Size": 5853184,
                "Version": "23.01",
                "InstalledOn": "2023-12-02T00:00:00Z",
            },
        ]
    }


# --- threats ---


def test_get_threats_v21_mapping(requests_mock):
    """
    Given two nested 2.1 threats, one with a SHA-256
    When sentinelone-get-threats runs on 2.1
    Then FileSha256 comes from threatInfo.sha256, MitigationStatus is the threatInfo string (not the top-level action list),
    AnalystVerdict and IncidentStatus come from threatInfo, 2.0-only fields are absent and nulls are dropped.
    """
    requests_mock.get(BASE_V21 + "threats", json=load_fixture("queries/threats_v21.json"))
    result = run("sentinelone-get-threats", s1.V21, {})
    assert context(result) == {
        "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
            {
                "ID": "1913933332109394043",
                "AgentComputerName": "WIN-FINANCE-01",
                "CreatedDate": "2024-04-11T15:00:00.112233Z",
                "SiteID": "1392053568582758390",
                "SiteName": "Finance",
                "Classification": "Ransomware",
                "ClassificationSource": "Cloud",
                "MitigationStatus": "mitigated",
                "AgentID": AGENT_1,
                "ConfidenceLevel": "malicious",
                "FileContentHash": SHA1,
                "FileSha256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "ThreatName": "invoice.exe",
                "FilePath": "\\Device\\HarddiskVolume3\\Users\\alice\\Downloads\\invoice.exe",
                "AgentOsType": "windows",
                "Username": "CORP\\alice",
                "FileDisplayName": "invoice.exe",
                "AnalystVerdict": "undefined",
                "IncidentStatus": "unresolved",
            },
            {
                "ID": "1913933332109394044",
                "AgentComputerName": "ubuntu-web-02",
                "CreatedDate": "2024-04-11T16:20:00.000000Z",
                "SiteID": "1392053568582758391",
                "SiteName": "Web",
                "Classification": "Malware",
                "ClassificationSource": "Static",
                "MitigationStatus": "not_mitigated",
                "AgentID": "1913920934584665210",
                "ConfidenceLevel": "suspicious",
                "FileContentHash": "aa11bb22cc33dd44ee55ff6677889900aabbccdd",
                "ThreatName": "miner",
                "FilePath": "/tmp/.x/miner",
                "AgentOsType": "linux",
                "Username": "www-data",
                "IncidentStatus": "in_progress",
            },
        ]
    }


def test_get_threats_v20_rank_keeps_threats_at_or_above_the_rank(requests_mock):
    """
    Given two flat 2.0 threats of rank 7 and "3"
    When sentinelone-get-threats runs on 2.0 with rank 5
    Then rank=5 is sent and only the rank-7 threat is kept, with its 2.0-only fields.
    """
    requests_mock.get(BASE_V20 + "threats", json=load_fixture("queries/threats_v20.json"))
    result = run("sentinelone-get-threats", s1.V20, {"rank": "5"})
    assert sent(requests_mock.last_request)[2] == {"rank": "5", "limit": "20"}
    assert context(result) == {
        "SentinelOne.Threat(val.ID && val.ID == obj.ID)": [
            {
                "ID": "715718962991148224",
                "AgentComputerName": "EC2AMAZ-AJ0KANC",
                "CreatedDate": "2019-09-15T12:05:49.095889Z",
                "SiteID": "475482421366727779",
                "SiteName": "demisto",
                "Classification": "Malware",
                "ClassificationSource": "Static",
                "MitigationStatus": "mitigated",
                "AgentID": "657613730168123595",
                "FileContentHash": SHA1,
                "ThreatName": "Unconfirmed 123490.crdownload",
                "FilePath": "\\Device\\HarddiskVolume1\\Users\\Administrator\\Downloads\\Unconfirmed 123490.crdownload",
                "AgentOsType": "windows",
                "Username": "EC2AMAZ-AJ0KANC\\Administrator",
                "Rank": 7,
                "MarkedAsBenign": False,
                "Description": "malware detected - not mitigated yet (static engine)",
                "FileDisplayName": "Unconfirmed 123490.crdownload",
                "InQuarantine": False,
            }
        ]
    }


def test_get_threats_v20_without_rank_keeps_every_threat(requests_mock):
    """
    Given two 2.0 threats
    When sentinelone-get-threats runs without rank
    Then both are returned, FileSha256 from fileSha256 where present.
    """
    requests_mock.get(BASE_V20 + "threats", json=load_fixture("queries/threats_v20.json"))
    entries = context(run("sentinelone-get-threats", s1.V20, {}))["SentinelOne.Threat(val.ID && val.ID == obj.ID)"]
    assert [(e["ID"], e["Rank"], e.get("FileSha256")) for e in entries] == [
        ("715718962991148224", 7, None),
        ("715718962991148225", "3", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
    ]


def test_get_threats_follows_the_cursor_up_to_the_limit(requests_mock):
    """
    Given threats spread over three pages
    When sentinelone-get-threats asks for 5
    Then the cursor of each page is followed, each request asks only for what is still missing, and 5 threats come back.
    """
    pages = [
        {"data": [{"id": "1"}, {"id": "2"}], "pagination": {"nextCursor": "c1", "totalItems": 6}},
        {"data": [{"id": "3"}, {"id": "4"}], "pagination": {"nextCursor": "c2", "totalItems": 6}},
        {"data": [{"id": "5"}, {"id": "6"}], "pagination": {"nextCursor": "c3", "totalItems": 6}},
    ]
    requests_mock.get(BASE_V21 + "threats", [{"json": page} for page in pages])
    result = run("sentinelone-get-threats", s1.V21, {"limit": "5", "threat_ids": "1,2,3,4,5,6"})
    assert [sent(r)[2] for r in requests_mock.request_history] == [
        {"ids": "1,2,3,4,5,6", "limit": "5"},
        {"ids": "1,2,3,4,5,6", "limit": "3", "cursor": "c1"},
        {"ids": "1,2,3,4,5,6", "limit": "1", "cursor": "c2"},
    ]
    assert [e["ID"] for e in context(result)["SentinelOne.Threat(val.ID && val.ID == obj.ID)"]] == ["1", "2", "3", "4", "5"]


def test_threat_summary_context_has_no_key(requests_mock):
    """
    Given the dashboard summary
    When sentinelone-threat-summary runs
    Then the counters are one SentinelOne.Threat object with no key field (the summary has no ID).
    """
    requests_mock.get(BASE_V21 + "private/threats/summary", json=load_fixture("queries/threat_summary.json"))
    result = run("sentinelone-threat-summary", s1.V21, {})
    assert context(result) == {
        "SentinelOne.Threat": {
            "InProgress": 3,
            "MaliciousNotResolved": 5,
            "NotMitigated": 2,
            "NotMitigatedNotResolved": 1,
            "NotResolved": 8,
            "Resolved": 40,
            "SuspiciousNotMitigatedNotResolved": 0,
            "SuspiciousNotResolved": 3,
            "Total": 51,
        }
    }


def test_get_threat_notes_reads_every_page(requests_mock):
    """
    Given the notes of a threat over two pages
    When sentinelone-get-threat-notes runs
    Then the second page is read with the cursor and every note is a SentinelOne.Notes entry keyed by ID.
    """
    notes = load_fixture("queries/threat_notes.json")["data"]
    requests_mock.get(
        BASE_V21 + "threats/1913933332109394043/notes",
        [
            {"json": {"data": notes[:1], "pagination": {"nextCursor": "n1", "totalItems": 2}}},
            {"json": {"data": notes[1:], "pagination": {"nextCursor": None, "totalItems": 2}}},
        ],
    )
    result = run("sentinelone-get-threat-notes", s1.V21, {"threat_id": "1913933332109394043"})
    assert [sent(r)[2] for r in requests_mock.request_history] == [{"limit": "1000"}, {"limit": "1000", "cursor": "n1"}]
    assert context(result) == {
        "SentinelOne.Notes(val.ID && val.ID == obj.ID)": [
            {
                "ID": "1913940000000000001",
                "Text": "Isolated the host",
                "Creator": "Alice Analyst",
                "CreatorID": "1392053568599999001",
                "CreatedAt": "2024-04-11T15:10:00.000000Z",
                "UpdatedAt": "2024-04-11T15:10:00.000000Z",
                "Edited": False,
            },
            {
                "ID": "1913940000000000002",
                "Text": "XSOAR - Updated the threat status to In progress",
                "Creator": "XSOAR",
                "CreatorID": "1392053568599999002",
                "CreatedAt": "2024-04-11T15:30:00.000000Z",
                "UpdatedAt": "2024-04-11T15:40:00.000000Z",
                "Edited": True,
            },
        ]
    }


# --- sites, accounts, groups, activities ---

SITE_FINANCE = {
    "ID": "1392053568582758390",
    "Name": "Finance",
    "Creator": "Acme Admin",
    "Type": "Paid",
    "AccountName": "Acme Corp",
    "State": "active",
    "HealthStatus": True,
    "Suite": "Complete",
    "CreatedAt": "2022-02-01T10:00:00.000000Z",
    "UnlimitedLicenses": False,
    "ActiveLicenses": 120,
    "TotalLicenses": 200,
}
SITE_WEB = {
    "ID": "1392053568582758391",
    "Name": "Web",
    "Creator": "Acme Admin",
    "Type": "Trial",
    "AccountName": "Acme Corp",
    "State": "active",
    "HealthStatus": True,
    "Suite": "Core",
    "CreatedAt": "2022-05-10T10:00:00.000000Z",
    "Expiration": "2025-01-01T00:00:00.000000Z",
    "UnlimitedLicenses": True,
    "ActiveLicenses": 7,
    "TotalLicenses": 0,
}


def test_get_sites_reads_the_sites_list_and_each_sites_own_licences(requests_mock):
    """
    Given the sites response (data is an object: allSites totals plus the sites list) over two pages
    When sentinelone-get-sites runs
    Then both pages are read, and each site's licence counts are its own, not the allSites totals.
    """
    body = load_fixture("queries/sites.json")
    first, second = copy.deepcopy(body), copy.deepcopy(body)
    first["data"]["sites"], first["pagination"]["nextCursor"] = body["data"]["sites"][:1], "s1"
    second["data"]["sites"] = body["data"]["sites"][1:]
    requests_mock.get(BASE_V21 + "sites", [{"json": first}, {"json": second}])
    result = run("sentinelone-get-sites", s1.V21, {})
    assert [sent(r)[2] for r in requests_mock.request_history] == [{"limit": "50"}, {"limit": "49", "cursor": "s1"}]
    assert context(result) == {"SentinelOne.Site(val.ID && val.ID == obj.ID)": [SITE_FINANCE, SITE_WEB]}


def test_get_site_context(requests_mock):
    """
    Given one site
    When sentinelone-get-site runs
    Then it is one SentinelOne.Site entry with the list fields plus AccountID and IsDefault (no registration token).
    """
    requests_mock.get(BASE_V21 + "sites/1392053568582758391", json=load_fixture("queries/site.json"))
    result = run("sentinelone-get-site", s1.V21, {"site_id": "1392053568582758391"})
    assert context(result) == {
        "SentinelOne.Site(val.ID && val.ID == obj.ID)": {**SITE_WEB, "AccountID": "1392053568574369781", "IsDefault": True}
    }


ACCOUNT_ACME = {
    "ID": "1392053568574369781",
    "Name": "Acme Corp",
    "AccountType": "Paid",
    "ActiveAgents": 127,
    "NumberOfSites": 2,
    "State": "active",
    "CreatedAt": "2022-01-15T09:00:00.000000Z",
}


def test_get_accounts_one_account_is_a_single_object(requests_mock):
    """
    Given an account ID (the API answers a single object, not a list)
    When sentinelone-get-accounts runs
    Then the account is one SentinelOne.Accounts entry.
    """
    requests_mock.get(BASE_V21 + "accounts/1392053568574369781", json=load_fixture("queries/account.json"))
    result = run("sentinelone-get-accounts", s1.V21, {"account_id": "1392053568574369781"})
    assert context(result) == {"SentinelOne.Accounts(val.ID && val.ID == obj.ID)": [ACCOUNT_ACME]}


def test_get_accounts_lists_every_account(requests_mock):
    """
    Given no account ID
    When sentinelone-get-accounts runs
    Then every account is listed.
    """
    requests_mock.get(BASE_V21 + "accounts", json=load_fixture("queries/accounts.json"))
    result = run("sentinelone-get-accounts", s1.V21, {})
    assert context(result) == {
        "SentinelOne.Accounts(val.ID && val.ID == obj.ID)": [
            ACCOUNT_ACME,
            {
                "ID": "1392053568574369782",
                "Name": "Acme Labs",
                "AccountType": "Trial",
                "ActiveAgents": 3,
                "NumberOfSites": 1,
                "State": "expired",
                "CreatedAt": "2023-06-01T09:00:00.000000Z",
                "Expiration": "2023-12-31T23:59:59.000000Z",
            },
        ]
    }


def test_get_groups_context_keeps_api_names_without_the_registration_token(requests_mock):
    """
    Given two groups with registration tokens
    When sentinelone-get-groups runs
    Then each is a SentinelOne.Group entry keyed by id with the specification's raw field names; the registration token
    (an agent install secret) and nulls are left out.
    """
    requests_mock.get(BASE_V21 + "groups", json=load_fixture("queries/groups.json"))
    result = run("sentinelone-get-groups", s1.V21, {})
    assert context(result) == {
        "SentinelOne.Group(val.id && val.id == obj.id)": [
            {
                "id": "1392053568591146999",
                "name": "Default Group",
                "type": "static",
                "siteId": "1392053568582758390",
                "creator": "Acme Admin",
                "creatorId": "1392053568599999000",
                "createdAt": "2022-02-01T10:00:00.000000Z",
                "updatedAt": "2024-01-01T10:00:00.000000Z",
                "totalAgents": 118,
                "isDefault": True,
                "inherits": True,
            },
            {
                "id": "1392053568591147000",
                "name": "Servers",
                "type": "dynamic",
                "siteId": "1392053568582758391",
                "creator": "Acme Admin",
                "creatorId": "1392053568599999000",
                "createdAt": "2022-06-01T10:00:00.000000Z",
                "updatedAt": "2024-02-01T10:00:00.000000Z",
                "rank": 1,
                "totalAgents": 9,
                "filterId": "1392053568600000001",
                "filterName": "linux servers",
                "isDefault": False,
                "inherits": False,
            },
        ]
    }


def test_get_activities_context_keeps_nulls_and_the_data_object(requests_mock):
    """
    Given an upload activity (type 80) and an account activity whose data carries numeric ids
    When sentinelone-get-activities runs
    Then every specified field is present (nulls kept), and data is the raw object plus SiteID (a string) and SiteName.
    """
    requests_mock.get(BASE_V21 + "activities", json=load_fixture("queries/activities.json"))
    result = run("sentinelone-get-activities", s1.V21, {})
    common_nulls = {"AgentUpdatedVersion": None, "ThreatID": None, "Hash": None, "SecondaryDescription": None}
    assert context(result) == {
        "SentinelOne.Activity(val.ID && val.ID == obj.ID)": [
            {
                "ID": "1913921000000000001",
                "ActivityType": 80,
                "AgentID": AGENT_1,
                "SiteID": "1392053568582758390",
                "UserID": None,
                "GroupID": "1392053568591146999",
                "OsFamily": "windows",
                "PrimaryDescription": "Agent WIN-FINANCE-01 (108.77.84.191) successfully uploaded C:\\temp\\a.txt.",
                "Description": None,
                "Comments": None,
                "CreatedAt": "2024-04-11T15:00:00.000000Z",
                "UpdatedAt": "2024-04-11T15:00:00.000000Z",
                **common_nulls,
                "data": {
                    "commandBatchUuid": "8c5b9d0e-aaaa-4bbb-8ccc-1234567890ab",
                    "filename": "C:\\temp\\a.txt",
                    "downloadUrl": f"/agents/{AGENT_1}/uploads/1913921000000000001",
                    "computerName": "WIN-FINANCE-01",
                    "siteName": "Finance",
                    "SiteID": "1392053568582758390",
                    "SiteName": "Finance",
                },
            },
            {
                "ID": "1913921000000000002",
                "ActivityType": 7,
                "AgentID": None,
                "SiteID": None,
                "UserID": "1392053568599999000",
                "GroupID": None,
                "OsFamily": None,
                "PrimaryDescription": "The management user testuser updated TestAccount account.",
                "Description": None,
                "Comments": None,
                "CreatedAt": "2024-04-11T16:00:00.000000Z",
                "UpdatedAt": "2024-04-11T16:00:00.000000Z",
                **common_nulls,
                "data": {
                    "accountId": 111111111111111111,
                    "accountName": "TestAccount",
                    "siteId": 222222222222222222,
                    "username": "testuser",
                    "fullScopeDetails": "Account TestAccount",
                    "SiteID": "222222222222222222",
                    "SiteName": None,
                },
            },
        ]
    }


# --- alerts, hashes, exclusions, blocklist, STAR rules, IOCs ---

ALERT_FULL = {
    "AlertId": "1913950000000000001",
    "EventType": "REGVALUEMODIFIED",
    "AlertCreatedAt": "2024-04-11T17:00:00.000000Z",
    "AnalystVerdict": "Undefined",
    "IncidentStatus": "Unresolved",
    "dvEventId": "01HV0000000000000000000001",
    "RuleName": "Run key persistence",
    "RuleId": "1913960000000000001",
    "SrcProcUser": "CORP\\alice",
    "SrcProcName": "reg.exe",
    "SrcProcPath": "C:\\Windows\\System32\\reg.exe",
    "SrcProcCommandline": "reg.exe add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v upd /d C:\\u.exe",
    "SrcProcSHA1": "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12",
    "SrcProcStartTime": "2024-04-11T16:59:58.000000Z",
    "SrcProcStorylineId": "A8F6CB4CB9AE09A1",
    "SrcProcSignerIdentity": "MICROSOFT WINDOWS",
    "SrcParentProcName": "cmd.exe",
    "SrcParentProcPath": "C:\\Windows\\System32\\cmd.exe",
    "SrcParentProcCommandline": "cmd.exe /c setup.bat",
    "SrcParentProcStartTime": "2024-04-11T16:59:50.000000Z",
    "SrcParentProcUser": "CORP\\alice",
    "SrcParentProcSHA1": "cd34cd34cd34cd34cd34cd34cd34cd34cd34cd34",
    "SrcParentProcSignerIdentity": "MICROSOFT WINDOWS",
    "EndpointName": "WIN-FINANCE-01",
    "AgentId": AGENT_1,
    "AgentOS": "windows",
    "AgentUUID": "c06d63d9-9fa2-046d-e91e-dc94cf6695d8",
    "AgentVersion": "23.4.2.14",
    "SiteId": "1392053568582758390",
}
ALERT_SPARSE = {
    "AlertId": "1913950000000000002",
    "EventType": "FILECREATION",
    "AlertCreatedAt": "2024-04-11T18:00:00.000000Z",
    "AnalystVerdict": "True positive",
    "IncidentStatus": "Resolved",
    "RuleName": "Dropped script",
    "RuleId": "1913960000000000002",
}


def test_get_alerts_mapping_with_missing_sub_objects(requests_mock):
    """
    Given a full alert and one without process or agent sub-objects, on the last page
    When sentinelone-get-alerts runs
    Then each is a SentinelOne.Alert entry keyed by AlertId, missing sub-objects giving no keys, and no cursor is written.
    """
    requests_mock.get(BASE_V21 + "cloud-detection/alerts", json=last_page("queries/alerts.json"))
    result = run("sentinelone-get-alerts", s1.V21, {"created_from": "2024-04-01"})
    assert context(result) == {"SentinelOne.Alert(val.AlertId && val.AlertId == obj.AlertId)": [ALERT_FULL, ALERT_SPARSE]}
    assert "More results are available" not in readable(result)


def test_get_alerts_exposes_the_next_cursor(requests_mock):
    """
    Given more alerts than the limit
    When sentinelone-get-alerts runs with limit 2
    Then the alerts and the next cursor are both in context (SentinelOne.Cursor.Alert), and the readable output says how
    to continue.
    """
    body = load_fixture("queries/alerts.json")
    body["pagination"]["nextCursor"] = "YWxlcnQ6Mg=="
    requests_mock.get(BASE_V21 + "cloud-detection/alerts", json=body)
    result = run("sentinelone-get-alerts", s1.V21, {"created_from": "2024-04-01", "limit": "2"})
    assert context(result) == {
        "SentinelOne.Alert(val.AlertId && val.AlertId == obj.AlertId)": [ALERT_FULL, ALERT_SPARSE],
        "SentinelOne.Cursor.Alert": "YWxlcnQ6Mg==",
    }
    assert readable(result).endswith("\nMore results are available: use cursor=YWxlcnQ6Mg==\n")


@pytest.mark.parametrize(
    "command, path, args, expected_note",
    [
        (
            "sentinelone-get-groups",
            "groups",
            {"limit": "2"},
            "\nMore results are available: raise limit (at most 200) or narrow the filters.\n",
        ),
        (
            "sentinelone-get-star-rules",
            "cloud-detection/rules",
            {"limit": "1000"},
            f"\nMore results are available than the {s1.MAX_PAGES} listed: narrow the filters.\n",  # one rule a page
        ),
        (
            "sentinelone-get-service-users",
            "service-users",
            {},
            f"\nMore results are available than the {s1.MAX_PAGES} listed: narrow the filters.\n",  # one user a page
        ),
    ],
)
def test_more_results_note_offers_a_cursor_only_where_the_command_takes_one(requests_mock, command, path, args, expected_note):
    """
    Given a list command without a cursor argument and a console that has more items than were asked for
    When the command runs
    Then the readable output says more items exist and how to get them (a higher limit, or narrower filters once the
    limit is at its maximum), never a cursor the command cannot take.
    """
    requests_mock.get(BASE_V21 + path, json={"data": [{"id": "1"}], "pagination": {"nextCursor": "bW9yZQ=="}})
    result = run(command, s1.V21, args)
    assert "cursor" not in readable(result)
    assert readable(result).endswith(expected_note)


def test_get_hash_context(requests_mock):
    """
    Given a SHA1 with a malicious verdict
    When sentinelone-get-hash runs
    Then SentinelOne.Hash holds the hash and the verdict, keyed by Hash.
    """
    requests_mock.get(BASE_V21 + f"hashes/{SHA1}/verdict", json=load_fixture("queries/hash_verdict.json"))
    result = run("sentinelone-get-hash", s1.V21, {"hash": SHA1})
    assert context(result) == {"SentinelOne.Hash(val.Hash && val.Hash == obj.Hash)": {"Hash": SHA1, "Verdict": "malicious"}}
    assert (
        readable(result)
        == f"### Sentinel One - Hash Reputation Verdict (SHA1)\n|Hash|Verdict|\n|---|---|\n| {SHA1} | malicious |\n"
    )


def test_get_white_list_context(requests_mock):
    """
    Given two exclusions
    When sentinelone-get-white-list runs
    Then each is a SentinelOne.Exclusions entry keyed by ID, nulls dropped.
    """
    requests_mock.get(BASE_V21 + "exclusions", json=load_fixture("queries/exclusions.json"))
    result = run("sentinelone-get-white-list", s1.V21, {})
    assert context(result) == {
        "SentinelOne.Exclusions(val.ID && val.ID == obj.ID)": [
            {
                "ID": "2543493559305834189",
                "Type": "white_hash",
                "Value": SHA1,
                "OsType": "windows",
                "Source": "user",
                "UserID": "1392053568599999000",
                "UserName": "Acme Admin",
                "CreatedAt": "2024-02-01T10:00:00.000000Z",
                "UpdatedAt": "2024-02-01T10:00:00.000000Z",
            },
            {
                "ID": "2543493559305834190",
                "Type": "path",
                "Value": "C:\\Program Files\\Backup\\",
                "OsType": "windows",
                "Mode": "suppress",
                "Source": "user",
                "UserID": "1392053568599999000",
                "UserName": "Acme Admin",
                "CreatedAt": "2024-02-02T10:00:00.000000Z",
                "UpdatedAt": "2024-02-03T10:00:00.000000Z",
            },
        ]
    }


def test_get_blocklist_context_reads_sha256_values(requests_mock):
    """
    Given a SHA1 blocklist item and a SHA-256 item (value in sha256Value)
    When sentinelone-get-blocklist runs
    Then both are SentinelOne.Blocklist entries keyed by ID, the second with its SHA-256 as Value.
    """
    requests_mock.get(BASE_V21 + "restrictions", json=load_fixture("queries/restrictions.json"))
    result = run("sentinelone-get-blocklist", s1.V21, {})
    assert context(result) == {
        "SentinelOne.Blocklist(val.ID && val.ID == obj.ID)": [
            {
                "ID": "1913970000000000001",
                "Type": "black_hash",
                "Value": "aa11bb22cc33dd44ee55ff6677889900aabbccdd",
                "OSType": "windows",
                "Description": "Blocked from XSOAR",
                "Source": "XSOAR",
                "ScopeName": "Global",
                "ScopePath": "Global",
                "UserId": "1392053568599999000",
                "CreatedAt": "2024-04-01T10:00:00.000000Z",
                "UpdatedAt": "2024-04-02T10:00:00.000000Z",
            },
            {
                "ID": "1913970000000000002",
                "Type": "black_hash",
                "Value": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                "OSType": "linux",
                "Source": "user",
                "ScopeName": "Web",
                "ScopePath": "Global / Acme Corp / Web",
                "UserId": "1392053568599999000",
                "CreatedAt": "2024-04-01T11:00:00.000000Z",
                "UpdatedAt": "2024-04-01T11:00:00.000000Z",
            },
        ]
    }


def test_get_blocklist_offset_is_not_applied_again_with_the_cursor(requests_mock):
    """
    Given an offset and blocklist items spread over two pages
    When sentinelone-get-blocklist runs
    Then the first request skips the offset and the next one continues from the cursor without skipping again.
    """
    items = load_fixture("queries/restrictions.json")["data"]
    requests_mock.get(
        BASE_V21 + "restrictions",
        [
            {"json": {"data": items[:1], "pagination": {"nextCursor": "r1", "totalItems": 9}}},
            {"json": {"data": items[1:], "pagination": {"nextCursor": "r2", "totalItems": 9}}},
        ],
    )
    result = run("sentinelone-get-blocklist", s1.V21, {"offset": "5", "limit": "2"})
    base_query = {"tenant": "true", "sortBy": "updatedAt", "sortOrder": "desc"}
    assert [sent(r)[2] for r in requests_mock.request_history] == [
        {**base_query, "skip": "5", "limit": "2"},
        {**base_query, "limit": "1", "cursor": "r1"},
    ]
    assert len(context(result)["SentinelOne.Blocklist(val.ID && val.ID == obj.ID)"]) == 2


def test_get_star_rules_context(requests_mock):
    """
    Given an active permanent rule and a disabled temporary one
    When sentinelone-get-star-rules runs
    Then each is a SentinelOne.StarRule entry keyed by ID, ExpirationDate from expiration, nulls dropped.
    """
    requests_mock.get(BASE_V21 + "cloud-detection/rules", json=load_fixture("queries/star_rules.json"))
    result = run("sentinelone-get-star-rules", s1.V21, {})
    assert context(result) == {
        "SentinelOne.StarRule(val.ID && val.ID == obj.ID)": [
            {
                "ID": "1913960000000000001",
                "Name": "Run key persistence",
                "Status": "Active",
                "Severity": "High",
                "Creator": "Alice Analyst",
                "Description": "Registry run keys",
                "GeneratedAlerts": 14,
                "ExpirationMode": "Permanent",
                "Expired": False,
            },
            {
                "ID": "1913960000000000003",
                "Name": "Temp rule",
                "Status": "Disabled",
                "Severity": "Low",
                "Creator": "Bob",
                "GeneratedAlerts": 5000,
                "StatusReason": "Reached the 5k/hour alert limit",
                "ExpirationMode": "Temporary",
                "ExpirationDate": "2024-05-01T00:00:00.000000Z",
                "Expired": False,
            },
        ]
    }


def test_get_iocs_follows_the_cursor_and_exposes_the_next_one(requests_mock):
    """
    Given IOCs over several pages
    When sentinelone-get-iocs runs with limit 3
    Then the second page is read with the first cursor, three IOCs are SentinelOne.IOC entries keyed by UUID, and the
    cursor to continue from is SentinelOne.Cursor.IOC.
    """
    first = load_fixture("queries/iocs.json")
    second = {"data": [dict(first["data"][1], uuid="4e000087")], "pagination": {"nextCursor": "aW9jOjM=", "totalItems": 5}}
    requests_mock.get(BASE_V21 + "threat-intelligence/iocs", [{"json": first}, {"json": second}])
    result = run("sentinelone-get-iocs", s1.V21, {"account_ids": "a1", "limit": "3"})
    assert [sent(r)[2] for r in requests_mock.request_history] == [
        {"accountIds": "a1", "limit": "3"},
        {"accountIds": "a1", "limit": "1", "cursor": "aW9jOjI="},
    ]
    dns_ioc = {
        "Name": "evil domain",
        "Type": "DNS",
        "Value": "evil.example",
        "Source": "XSOAR",
        "Creator": "admin@example.com",
        "UploadTime": "2024-04-02T00:00:00.000000Z",
        "ValidUntil": "2024-07-01T00:00:00.000000Z",
    }
    assert context(result) == {
        "SentinelOne.IOC(val.UUID && val.UUID == obj.UUID)": [
            {
                "UUID": "2cffae871197f20d864fe8363eee6651",
                "Name": "bad.dll",
                "Type": "IPV4",
                "Value": "175.0.0.9",
                "Source": "AlienVault",
                "Creator": "admin@example.com",
                "Description": "C2 server",
                "ExternalId": "e277603e-1060-5ad4-9937-c26c97f1ca68",
                "UploadTime": "2024-04-01T00:00:05.000000Z",
                "ValidUntil": "2024-04-15T00:00:05.000000Z",
            },
            {"UUID": "3d0000871197f20d864fe8363eee6652", **dns_ioc},
            {"UUID": "4e000087", **dns_ioc},
        ],
        "SentinelOne.Cursor.IOC": "aW9jOjM=",
    }


# --- Deep Visibility ---


def test_get_dv_query_status_context(requests_mock):
    """
    Given a finished query
    When sentinelone-get-dv-query-status runs
    Then SentinelOne.Query.Status is the raw status plus QueryId (the specification's spelling), keyed by QueryId.
    """
    requests_mock.get(BASE_V21 + "dv/query-status", json=load_fixture("queries/dv_query_status.json"))
    result = run("sentinelone-get-dv-query-status", s1.V21, {"query_id": "q1"})
    assert context(result) == {
        "SentinelOne.Query.Status(val.QueryId && val.QueryId == obj.QueryId)": {
            "responseState": "FINISHED",
            "progressStatus": "100",
            "warnings": None,
            "responseError": None,
            "queryModeInfo": {"mode": "scalyr", "lastActivatedAt": "2024-04-11T15:00:00.000000Z"},
            "QueryId": "q1",
        }
    }


EVENT_IP_CONNECT = {
    "EventID": "01HV2K0000000000000000000A",
    "EventType": "IP Connect",
    "EventTime": "2024-04-11T15:01:02.003Z",
    "Endpoint": "WIN-FINANCE-01",
    "AgentOS": "windows",
    "SiteName": "Finance",
    "User": "CORP\\alice",
    "Time": "2024-04-11T15:00:59.000Z",
    "ProcessID": "4242",
    "ProcessName": "invoice.exe",
    "SourceProcessUser": "CORP\\alice",
    "SourceProcessCommandLine": "invoice.exe /silent",
    "SHA256": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "SourceIP": "10.0.4.17",
    "SourcePort": 51512,
    "DestinationIP": "203.0.113.9",
    "DestinationPort": 443,
}
EVENT_DNS = {
    "EventID": "01HV2K0000000000000000000B",
    "EventType": "DNS Resolved",
    "EventTime": "2024-04-11T15:01:01.000Z",
    "Endpoint": "WIN-FINANCE-01",
    "AgentOS": "windows",
    "SiteName": "Finance",
    "User": "CORP\\alice",
    "Time": "2024-04-11T15:00:59.000Z",
    "ProcessID": "4242",
    "ProcessName": "invoice.exe",
    "DNSRequest": "c2.evil.example",
}
EVENT_KEY = "SentinelOne.Event(val.ProcessID && val.ProcessID == obj.ProcessID && val.EventID && val.EventID == obj.EventID)"


@pytest.mark.parametrize("version, process_uid", [(s1.V21, "3D1B2A7C5E6F7081"), (s1.V20, "A8F6CB4CB9AE09A1")])
def test_get_events_three_contexts_and_the_process_uid_per_version(requests_mock, version, process_uid):
    """
    Given two events of one process and a next cursor
    When sentinelone-get-events runs with limit 2 and extra columns
    Then SentinelOne.Event has both events (keyed by process and event: one process has many events), ProcessUID from
    srcProcUid on 2.1 and processUniqueKey on 2.0, the extra columns under their raw names; Event has the standard
    fields; SentinelOne.Cursor.Event has the next cursor.
    """
    requests_mock.get(base(version) + "dv/events", json=load_fixture("queries/dv_events.json"))
    result = run("sentinelone-get-events", version, {"query_id": "q1", "limit": "2", "columns": "direction,connectionStatus"})
    assert requests_mock.call_count == 1
    assert context(result) == {
        EVENT_KEY: [
            {**EVENT_IP_CONNECT, "ProcessUID": process_uid, "direction": "OUTGOING", "connectionStatus": "SUCCESS"},
            {**EVENT_DNS, "ProcessUID": process_uid, "direction": "OUTGOING"},
        ],
        "Event(val.ID && val.ID == obj.ID)": [
            {"ID": "4242", "Name": "invoice.exe", "Type": "IP Connect"},
            {"ID": "4242", "Name": "invoice.exe", "Type": "DNS Resolved"},
        ],
        "SentinelOne.Cursor.Event": "ZXZlbnRzOjI=",
    }


def test_get_events_without_events_writes_no_context(requests_mock):
    """
    Given a query with no events
    When sentinelone-get-events runs
    Then no context is written and the table says there are no entries.
    """
    requests_mock.get(BASE_V21 + "dv/events", json={"data": [], "pagination": {"nextCursor": None, "totalItems": 0}})
    result = run("sentinelone-get-events", s1.V21, {"query_id": "q1"})
    assert context(result) == {}
    assert readable(result) == "### SentinelOne Events\n**No entries.**\n"


@pytest.mark.parametrize("version, process_uid", [(s1.V21, "3D1B2A7C5E6F7081"), (s1.V20, "A8F6CB4CB9AE09A1")])
def test_get_processes_context_reads_the_process_command_line(requests_mock, version, process_uid):
    """
    Given a process event
    When sentinelone-get-processes runs
    Then the SentinelOne.Event entry has CMD from processCmd, SHA1 from processImageSha1Hash, the parent fields, and
    ProcessUID per version.
    """
    requests_mock.get(base(version) + "dv/events/process", json=load_fixture("queries/dv_processes.json"))
    result = run("sentinelone-get-processes", version, {"query_id": "q1"})
    assert context(result) == {
        EVENT_KEY: [
            {
                "EventID": "01HV2K0000000000000000000C",
                "EventType": "Process Creation",
                "Endpoint": "WIN-FINANCE-01",
                "SiteName": "Finance",
                "User": "CORP\\alice",
                "Time": "2024-04-11T15:00:59.000Z",
                "ProcessID": "4242",
                "ProcessName": "invoice.exe",
                "ProcessDisplayName": "Invoice Viewer",
                "SHA1": SHA1,
                "CMD": '"C:\\Users\\alice\\Downloads\\invoice.exe" /silent',
                "SubsystemType": "SYS_WIN32",
                "IntegrityLevel": "MEDIUM",
                "ParentProcessID": "3120",
                "ParentProcessUID": "B1B2B3B4B5B6B7B8",
                "ParentProcessName": "explorer.exe",
                "ParentProcessStartTime": "2024-04-11T08:00:00.000Z",
                "ProcessUID": process_uid,
            }
        ]
    }


# --- remote scripts ---


def test_get_remote_script_task_status_raw_tasks_and_cursor(requests_mock):
    """
    Given two tasks and a next cursor
    When sentinelone-get-remote-script-task-status runs with limit 2
    Then SentinelOne.GetRemoteScript holds the raw tasks keyed by id, each with updateAt (the specification's path) equal
    to updatedAt, and SentinelOne.Cursor.RemoteScriptTask holds the cursor.
    """
    body = load_fixture("queries/remote_script_status.json")
    requests_mock.get(BASE_V21 + "remote-scripts/status", json=body)
    result = run("sentinelone-get-remote-script-task-status", s1.V21, {"parent_task_id": "1913980000000000000", "limit": "2"})
    expected_tasks = [dict(task, updateAt=task["updatedAt"]) for task in body["data"]]
    assert context(result) == {
        "SentinelOne.GetRemoteScript(val.id && val.id == obj.id)": expected_tasks,
        "SentinelOne.Cursor.RemoteScriptTask": "dGFzazoy",
    }


def test_get_remote_script_task_status_count_only(requests_mock):
    """
    Given count_only=true
    When sentinelone-get-remote-script-task-status runs
    Then countOnly=true is sent with the filters, and the count is reported without context.
    """
    requests_mock.get(BASE_V21 + "remote-scripts/status", json={"data": [], "pagination": {"totalItems": 3, "nextCursor": None}})
    result = run(
        "sentinelone-get-remote-script-task-status", s1.V21, {"parent_task_id": "p1", "status": "pending", "count_only": "true"}
    )
    assert sent(requests_mock.last_request)[2] == {"parentTaskId": "p1", "status": "pending", "countOnly": "true"}
    assert context(result) == {}
    assert readable(result) == "3 remote script task(s) match the filters."


@pytest.mark.parametrize(
    "args, body",
    [
        (
            {"task_ids": "1913980000000000001, 1913980000000000002", "computer_names": "WIN-FINANCE-01"},
            {"data": {"taskIds": ["1913980000000000001", "1913980000000000002"], "computerNames": ["WIN-FINANCE-01"]}},
        ),
        (
            {"task_ids": "1913980000000000001,1913980000000000002"},
            {"data": {"taskIds": ["1913980000000000001", "1913980000000000002"]}},
        ),
    ],
)
def test_get_remote_script_task_results_downloads_each_result(requests_mock, tmp_path, monkeypatch, args, body):
    """
    Given one task with a presigned download link and one the console could not serve
    When sentinelone-get-remote-script-task-results runs
    Then the links are asked for with every task id (and computer name when given), the one result file is downloaded
    from its full URL without the ApiToken header and returned as a file entry under its name, the link is a
    SentinelOne.RemoteScriptResults entry keyed by taskId, and the readable output says which task had no result and why.
    """
    monkeypatch.chdir(tmp_path)  # fileResult writes into the working folder
    url = "https://s1-results.s3.amazonaws.com/1913980000000000001.zip?X-Amz-Signature=abc123&X-Amz-Expires=3600"
    requests_mock.post(BASE_V21 + "remote-scripts/fetch-files", json=load_fixture("queries/remote_script_fetch_files.json"))
    requests_mock.get(url, content=b"PK-result-bytes")
    results = run("sentinelone-get-remote-script-task-results", s1.V21, args)
    fetch, download = requests_mock.request_history
    assert sent(fetch) == ("POST", "remote-scripts/fetch-files", {}, body)
    assert (download.method, download.url) == ("GET", url)
    assert "Authorization" not in download.headers
    result, file_entry = results
    assert context(result) == {
        "SentinelOne.RemoteScriptResults(val.taskId && val.taskId == obj.taskId)": [
            {"taskId": "1913980000000000001", "fileName": "WIN-FINANCE-01_1913980000000000001.zip", "downloadUrl": url}
        ]
    }
    assert readable(result) == (
        "### SentinelOne - Remote Script Results\n|taskId|fileName|downloadUrl|\n|---|---|---|\n"
        f"| 1913980000000000001 | WIN-FINANCE-01_1913980000000000001.zip | [{url}]({url}) |\n"
        "\n- Task 1913980000000000002: Task is not completed\n"
    )
    assert file_entry["File"] == "WIN-FINANCE-01_1913980000000000001.zip"
    assert (tmp_path / f"1_{file_entry['FileID']}").read_bytes() == b"PK-result-bytes"


# --- list-agents custom params ---


@pytest.mark.parametrize(
    "params, expected",
    [
        ("activeThreats=3,gatewayIp=1.2.3.4", {"activeThreats": "3", "gatewayIp": "1.2.3.4"}),
        (" a = 1 , b=2 ", {"a": "1", "b": "2"}),
        ("osTypes=windows,linux,isActive=true", {"osTypes": "windows,linux", "isActive": "true"}),
        ("query=a=b", {"query": "a=b"}),
        ("", {}),
    ],
)
def test_list_agents_custom_params_every_pair(params, expected):
    """
    Given the params argument of list-agents
    When it is parsed
    Then every field=value pair is kept (not only the last), and a segment without "=" continues the previous value.
    """
    assert s1.list_agent_custom_params({"params": params}, make_client(s1.V21)) == expected
