"""Unit tests of the commands beyond the specification (threat analysis, download from cloud, agent processes, abort
scan, fetch logs, bulk IOCs, the Data Lake PowerQuery, marketplace applications, service users) and of the generic
`endpoint` and `file` commands: the exact requests, the context they write, and the input refused before any request."""

import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
from CommonServerPython import CommandResults, DemistoException

from conftest import BASE_V20, BASE_V21, TOKEN, context, load_fixture, sent
from conftest import dispatch as run

AGENT_1, AGENT_2 = "1700000000000000001", "1700000000000000002"
THREAT_1 = "1800000000000000001"
ACCOUNT_1, ACCOUNT_2 = "1300000000000000001", "1300000000000000002"
SITE_1 = "1500000000000000009"
ROLE_1 = "1600000000000000002"
MD5 = "d41d8cd98f00b204e9800998ecf8427e"
SHA1 = "3395856ce81f2b7382dee72602f798b642f14140"
SHA256 = "8b1a9953c4611296a827abf8c47804d7e6c49c6b2a6e1b9c6f2c3d4e5f6a7b8c"
DATA_LAKE_URL = "https://xdr.us1.sentinelone.example"
DATA_LAKE_KEY = "data-lake-key-0123456789"
DOWNLOAD_URL = "https://binaryvault.s1.example/downloads/vault-1/sample.bin?sig=abc"

AGENT_KEY = "SentinelOne.Agent(val.AgentID && val.AgentID == obj.AgentID)"
AFFECTED_KEY = "SentinelOne.Agent(val.Affected && val.Affected == obj.Affected)"
THREAT_KEY = "SentinelOne.Threat(val.ID && val.ID == obj.ID)"
ANALYSIS_KEY = "SentinelOne.Threat(val.ThreatInfo.threatId && val.ThreatInfo.threatId == obj.ThreatInfo.threatId)"
IOC_KEY = "SentinelOne.IOC(val.UUID && val.UUID == obj.UUID)"
APPS_KEY = "SentinelOne.InstalledApps(val.ID && val.ID == obj.ID)"
USERS_KEY = "SentinelOne.ServiceUsers(val.ID && val.ID == obj.ID)"
ENDPOINT_KEY = "Endpoint(val.ID && val.ID == obj.ID && val.Vendor == obj.Vendor)"
FILE_KEY = (
    "File(val.MD5 && val.MD5 == obj.MD5 || val.SHA1 && val.SHA1 == obj.SHA1 || val.SHA256 && val.SHA256 == obj.SHA256 || "
    "val.SHA512 && val.SHA512 == obj.SHA512 || val.CRC32 && val.CRC32 == obj.CRC32 || val.CTPH && val.CTPH == obj.CTPH || "
    "val.SSDeep && val.SSDeep == obj.SSDeep)"
)
DBOT_KEY = "DBotScore(val.Indicator && val.Indicator == obj.Indicator && val.Vendor == obj.Vendor && val.Type == obj.Type)"


@pytest.fixture(autouse=True)
def files_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """fileResult writes into the current directory: keep every test's files in its own folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def instance_params(mocker: Any) -> Any:
    """Set the instance parameters demisto.params() answers."""

    def set_params(**params: Any) -> None:
        mocker.patch.object(demisto, "params", return_value=params)

    set_params()
    return set_params


def file_entries(results: list[Any]) -> list[tuple[str, bytes]]:
    """(name, content) of each file entry fileResult produced."""
    return [
        (entry["File"], Path(f"{demisto.investigation()['id']}_{entry['FileID']}").read_bytes())
        for entry in results
        if isinstance(entry, dict) and entry.get("Type") == 3
    ]


# --- the exact request of each single-request command ---

REQUESTS = [
    (
        "abort the scan of two agents",
        "sentinelone-abort-endpoint-scan",
        s1.V21,
        {"agent_ids": f"{AGENT_1}, {AGENT_2}"},
        {"data": {"affected": 2}},
        "POST",
        "agents/actions/abort-scan",
        {},
        {"filter": {"ids": [AGENT_1, AGENT_2]}, "data": {}},
    ),
    (
        "abort scan on API 2.0",
        "sentinelone-abort-endpoint-scan",
        s1.V20,
        {"agent_ids": AGENT_1},
        {"data": {"affected": 1}},
        "POST",
        "agents/actions/abort-scan",
        {},
        {"filter": {"ids": [AGENT_1]}, "data": {}},
    ),
    (
        "fetch logs with the defaults: agent logs only (the public pack failed without the flags)",
        "sentinelone-endpoint-fetch-logs",
        s1.V21,
        {"agent_ids": AGENT_1},
        {"data": {"affected": 1}},
        "POST",
        "agents/actions/fetch-logs",
        {},
        {"filter": {"ids": [AGENT_1]}, "data": {"agentLogs": True, "customerFacingLogs": False, "platformLogs": False}},
    ),
    (
        "fetch logs with every flag given",
        "sentinelone-endpoint-fetch-logs",
        s1.V20,
        {"agent_ids": f"{AGENT_1},{AGENT_2}", "agents_logs": "false", "customer_facing_logs": "true", "platform_logs": "True"},
        {"data": {"affected": 2}},
        "POST",
        "agents/actions/fetch-logs",
        {},
        {"filter": {"ids": [AGENT_1, AGENT_2]}, "data": {"agentLogs": False, "customerFacingLogs": True, "platformLogs": True}},
    ),
    (
        "agent processes (API 2.0): every agent ID in one list",
        "sentinelone-agent-processes",
        s1.V20,
        {"agents_ids": f"{AGENT_1},{AGENT_2}"},
        {"data": []},
        "GET",
        "agents/processes",
        {"ids": f"{AGENT_1},{AGENT_2}"},
        None,
    ),
    (
        "threat analysis (a private endpoint)",
        "sentinelone-threat-analysis",
        s1.V21,
        {"threat_id": THREAT_1},
        load_fixture("more/threat_analysis.json"),
        "GET",
        f"private/threats/{THREAT_1}/analysis",
        {},
        None,
    ),
    (
        "service users with every filter as a list (the public pack sent ids raw)",
        "sentinelone-get-service-users",
        s1.V21,
        {
            "account_ids": f"{ACCOUNT_1},{ACCOUNT_2}",
            "role_ids": ROLE_1,
            "ids": "1500000000000000001,1500000000000000002",
            "site_ids": SITE_1,
        },
        load_fixture("more/service_users.json"),
        "GET",
        "service-users",
        {
            "accountIds": f"{ACCOUNT_1},{ACCOUNT_2}",
            "roleIds": ROLE_1,
            "ids": "1500000000000000001,1500000000000000002",
            "siteIds": SITE_1,
            "limit": "1000",
        },
        None,
    ),
    (
        "marketplace applications with every filter",
        "sentinelone-list-installed-singularity-marketplace-applications",
        s1.V21,
        {
            "account_ids": ACCOUNT_1,
            "application_catalog_id": "1700000000000000001",
            "creator_contains": "Ann",
            "ids": "1700000000000000501",
            "name_contains": "Okta",
            "site_ids": SITE_1,
        },
        load_fixture("more/marketplace_page2.json"),
        "GET",
        "singularity-marketplace/applications",
        {
            "accountIds": ACCOUNT_1,
            "applicationCatalogId": "1700000000000000001",
            "creator__contains": "Ann",
            "id": "1700000000000000501",
            "name__contains": "Okta",
            "siteIds": SITE_1,
            "limit": "1000",
        },
        None,
    ),
    (
        "file reputation of a SHA1",
        "file",
        s1.V21,
        {"file": SHA1},
        {"data": {"verdict": "malicious"}},
        "GET",
        f"hashes/{SHA1}/verdict",
        {},
        None,
    ),
    (
        "file reputation on API 2.0",
        "file",
        s1.V20,
        {"file": MD5},
        {"data": {"verdict": "unknown"}},
        "GET",
        f"hashes/{MD5}/verdict",
        {},
        None,
    ),
]


@pytest.mark.parametrize(
    "case, command, api_version, args, response, method, path, query, body", REQUESTS, ids=[row[0] for row in REQUESTS]
)
def test_each_command_sends_exactly_its_request(
    requests_mock, instance_params, case, command, api_version, args, response, method, path, query, body
):
    """
    Given a command and its arguments
    When it runs
    Then it sends exactly one request: this method, path, query string and JSON body.
    """
    base = BASE_V21 if api_version == s1.V21 else BASE_V20
    requests_mock.register_uri(method, f"{base}{path}", json=response)
    run(command, args, api_version)
    assert [sent(request) for request in requests_mock.request_history] == [(method, path, query, body)]
    assert requests_mock.request_history[0].headers["Authorization"] == f"ApiToken {TOKEN}"


# --- arguments refused before any request ---

BAD_ARGUMENTS = [
    ("sentinelone-abort-endpoint-scan", {}, "agent_ids: this argument is required"),
    ("sentinelone-abort-endpoint-scan", {"agent_ids": "abc"}, "agent_ids: expected IDs made of digits only, got 'abc'"),
    ("sentinelone-endpoint-fetch-logs", {"agent_ids": ""}, "agent_ids: this argument is required"),
    (
        "sentinelone-endpoint-fetch-logs",
        {"agent_ids": AGENT_1, "platform_logs": "maybe"},
        "platform_logs: expected one of true, false, got 'maybe'",
    ),
    (
        "sentinelone-endpoint-fetch-logs",
        {"agent_ids": AGENT_1, "agents_logs": "false"},
        "agents_logs, customer_facing_logs, platform_logs: set at least one of them to true",
    ),
    ("sentinelone-threat-analysis", {}, "threat_id: this argument is required"),
    ("sentinelone-threat-analysis", {"threat_id": "12 34"}, "threat_id: expected an ID made of digits only, got '12 34'"),
    (
        "sentinelone-threat-download-from-cloud",
        {"threat_id": "../x"},
        "threat_id: expected an ID made of digits only, got '../x'",
    ),
    ("sentinelone-get-service-users", {"role_ids": "admin"}, "role_ids: expected IDs made of digits only, got 'admin'"),
    (
        "sentinelone-list-installed-singularity-marketplace-applications",
        {"site_ids": "x1"},
        "site_ids: expected IDs made of digits only, got 'x1'",
    ),
    ("sentinelone-run-powerquery", {}, "query: this argument is required"),
    ("sentinelone-run-powerquery", {"query": "x", "priority": "urgent"}, "priority: expected one of low, high, got 'urgent'"),
    ("sentinelone-run-powerquery", {"query": "x", "recurring": "daily"}, "recurring: expected one of true, false, got 'daily'"),
    (
        "sentinelone-run-powerquery",
        {"query": "x", "start_time": "not a date"},
        "start_time: expected a date (ISO 8601, epoch, or relative such as '3 days'), got 'not a date'",
    ),
    (
        "sentinelone-run-powerquery",
        {"query": "x", "start_time": "2024-05-02T00:00:00Z", "end_time": "2024-05-01T00:00:00Z"},
        "start_time: must not be after end_time (2024-05-02T00:00:00.000000Z > 2024-05-01T00:00:00.000000Z)",
    ),
    ("endpoint", {}, "id, ip, hostname: give at least one of them"),
    ("endpoint", {"ip": "10.0.0"}, "ip: expected IP addresses, got '10.0.0'"),
    ("endpoint", {"id": "FIN-LAPTOP-07"}, "id: expected IDs made of digits only, got 'FIN-LAPTOP-07'"),
    ("file", {}, "file: this argument is required"),
    ("file", {"file": "abc"}, "file: expected MD5, SHA1 or SHA256 hashes in hex, got 'abc'"),
    (
        "file",
        {"file": f"{SHA1},{'a' * 128},{'z' * 40}"},
        f"file: expected MD5, SHA1 or SHA256 hashes in hex, got '{'a' * 128}', '{'z' * 40}'",
    ),
    ("sentinelone-create-bulk-ioc", {"account_ids": ACCOUNT_1}, "entry_id: this argument is required"),
    ("sentinelone-create-bulk-ioc", {"entry_id": "1@2"}, "account_ids: this argument is required"),
]


@pytest.mark.parametrize("command, args, message", BAD_ARGUMENTS)
def test_bad_arguments_are_refused_before_any_request(requests_mock, instance_params, command, args, message):
    """
    Given a missing or malformed argument
    When the command runs
    Then it fails with a message naming the argument (and the allowed values), and sends nothing.
    """
    instance_params(singularity_xdr_url=DATA_LAKE_URL, singularity_xdr_api_key={"password": DATA_LAKE_KEY})
    with pytest.raises(ValueError) as error:
        run(command, args)
    assert str(error.value) == message
    assert requests_mock.request_history == []


# --- threat analysis ---


def test_threat_analysis_writes_the_three_raw_objects_under_the_threat_id_key(requests_mock):
    """
    Given a threat whose analysis the console returns
    When sentinelone-threat-analysis runs
    Then the context holds the raw detection, real-time and threat objects keyed by ThreatInfo.threatId, and the War
    Room shows the summary, the mitigation actions and the indicators.
    """
    analysis = load_fixture("more/threat_analysis.json")["data"]
    requests_mock.get(f"{BASE_V21}private/threats/{THREAT_1}/analysis", json={"data": analysis})
    result = run("sentinelone-threat-analysis", {"threat_id": THREAT_1})
    assert context(result) == {
        ANALYSIS_KEY: {
            "AgentDetectionInfo": analysis["agentDetectionInfo"],
            "AgentRealtimeInfo": analysis["agentRealtimeInfo"],
            "ThreatInfo": analysis["threatInfo"],
        }
    }
    readable = result.readable_output
    assert readable.startswith(f"### Sentinel One - Threat analysis of threat {THREAT_1}\n")
    assert "| FIN-LAPTOP-07 | Windows 10 Pro | true_positive | Trojan | malicious |" in readable
    assert "| kill | success | 2024-05-01T10:00:01.000000Z |" in readable
    assert "| Persistence | Suspicious registry key was created |" in readable


def test_threat_analysis_without_a_threat_id_in_threat_info_takes_the_threat_id_as_key(requests_mock):
    analysis = load_fixture("more/threat_analysis.json")["data"]
    del analysis["threatInfo"]["threatId"]
    del analysis["agentDetectionInfo"]
    requests_mock.get(f"{BASE_V21}private/threats/{THREAT_1}/analysis", json={"data": analysis})
    entry = context(run("sentinelone-threat-analysis", {"threat_id": THREAT_1}))[ANALYSIS_KEY]
    assert entry["ThreatInfo"]["threatId"] == THREAT_1
    assert entry["AgentDetectionInfo"] == {}


@pytest.mark.parametrize("response", [{"data": {}}, {"data": None}, {}])
def test_threat_analysis_with_empty_data_says_so_instead_of_crashing(requests_mock, response):
    """
    Given a console answering no analysis (the public pack crashed here)
    When sentinelone-threat-analysis runs
    Then it says there is no analysis and writes no context.
    """
    requests_mock.get(f"{BASE_V21}private/threats/{THREAT_1}/analysis", json=response)
    result = run("sentinelone-threat-analysis", {"threat_id": THREAT_1})
    assert context(result) == {}
    assert result.readable_output == (
        f"### Sentinel One - Threat analysis of threat {THREAT_1}\nSentinelOne returned no analysis for this threat.\n"
    )


# --- download from cloud ---

CLOUD_LINK_URL = f"{BASE_V21}threats/{THREAT_1}/download-from-cloud"


def test_download_from_cloud_fetches_the_absolute_link_without_the_api_token(requests_mock):
    """
    Given a threat whose file SentinelOne holds in its cloud
    When sentinelone-threat-download-from-cloud runs
    Then it reads the link, downloads it without the ApiToken header, and returns the file under the console's name
    with Downloadable true.
    """
    requests_mock.get(CLOUD_LINK_URL, json={"data": {"fileName": "sample.bin", "downloadUrl": DOWNLOAD_URL}})
    requests_mock.get(DOWNLOAD_URL, content=b"MZ\x90\x00binary")
    results = run("sentinelone-threat-download-from-cloud", {"threat_id": THREAT_1})
    link_request, download_request = requests_mock.request_history
    assert link_request.headers["Authorization"] == f"ApiToken {TOKEN}"
    assert download_request.url == DOWNLOAD_URL
    assert "Authorization" not in download_request.headers
    assert context(results[0]) == {THREAT_KEY: {"ID": THREAT_1, "Downloadable": True, "ZippedFile": "sample.bin"}}
    assert file_entries(results) == [("sample.bin", b"MZ\x90\x00binary")]


def test_download_from_cloud_keeps_only_the_base_name_of_the_file_name(requests_mock):
    requests_mock.get(CLOUD_LINK_URL, json={"data": {"fileName": "..\\..\\evil.exe", "downloadUrl": DOWNLOAD_URL}})
    requests_mock.get(DOWNLOAD_URL, content=b"x")
    results = run("sentinelone-threat-download-from-cloud", {"threat_id": THREAT_1})
    assert file_entries(results) == [("evil.exe", b"x")]


@pytest.mark.parametrize(
    "status, body, message",
    [
        (200, {"data": {"fileName": "sample.bin"}}, "File not available for Download from BinaryVault"),
        (200, {"data": {}}, "File not available for Download from BinaryVault"),
        (
            404,
            {
                "errors": [
                    {"code": 4040010, "title": "Resource not found", "detail": "File not available for Download from BinaryVault"}
                ]
            },
            "File not available for Download from BinaryVault",
        ),
        (400, {"errors": [{"code": 4000010, "title": "Validation Error", "detail": "File too large"}]}, "File too large"),
        (404, {"errors": [{"code": 4040010, "title": "Resource not found", "detail": None}]}, "Resource not found"),
    ],
)
def test_download_from_cloud_without_a_link_reports_not_downloadable(requests_mock, status, body, message):
    """
    Given a console answer without a download link (the public pack crashed on it) or a "not available" error
    When sentinelone-threat-download-from-cloud runs
    Then it reports Downloadable false with the console's message, and downloads nothing.
    """
    requests_mock.get(CLOUD_LINK_URL, status_code=status, json=body)
    result = run("sentinelone-threat-download-from-cloud", {"threat_id": THREAT_1})
    assert isinstance(result, CommandResults)
    assert context(result) == {THREAT_KEY: {"ID": THREAT_1, "Downloadable": False, "ZippedFile": message}}
    assert result.readable_output == f"### Sentinel One - Download the file of threat {THREAT_1} from the cloud\n{message}\n"
    assert len(requests_mock.request_history) == 1


def test_download_from_cloud_passes_other_errors_on(requests_mock):
    requests_mock.get(CLOUD_LINK_URL, status_code=403, json={"errors": [{"code": 4030010, "title": "Forbidden"}]})
    with pytest.raises(s1.S1ApiError) as error:
        run("sentinelone-threat-download-from-cloud", {"threat_id": THREAT_1})
    assert str(error.value) == "Permission denied [403]: the API token's user may not do this (Forbidden)"


# --- agents ---


@pytest.mark.parametrize(
    "response, entries, summary",
    [
        (
            {"data": {"affected": 2}},
            [{"AgentID": AGENT_1, "Aborted": True}, {"AgentID": AGENT_2, "Aborted": True}],
            "SentinelOne reported 2 of 2 requested agents affected.",
        ),
        (
            {"data": {"affected": 0}},
            [{"AgentID": AGENT_1, "Aborted": False}, {"AgentID": AGENT_2, "Aborted": False}],
            "SentinelOne reported 0 affected agents: nothing was changed.",
        ),
        (
            {"data": {"affected": 1}},
            [{"AgentID": AGENT_1}, {"AgentID": AGENT_2}],
            "SentinelOne reported 1 of 2 requested agents affected.",
        ),
    ],
)
def test_abort_scan_reports_each_agent_under_the_agent_id_key(requests_mock, response, entries, summary):
    """
    Given an abort-scan answer saying all, none or some of the agents were affected
    When sentinelone-abort-endpoint-scan runs
    Then each agent gets an entry keyed by AgentID (the public pack used "Agent ID" with a space), Aborted only where
    the console's count says it.
    """
    requests_mock.post(f"{BASE_V21}agents/actions/abort-scan", json=response)
    result = run("sentinelone-abort-endpoint-scan", {"agent_ids": f"{AGENT_1},{AGENT_2}"})
    assert context(result) == {AGENT_KEY: entries}
    assert summary in result.readable_output


def test_fetch_logs_reports_the_affected_count(requests_mock):
    requests_mock.post(f"{BASE_V21}agents/actions/fetch-logs", json={"data": {"affected": 2}})
    result = run("sentinelone-endpoint-fetch-logs", {"agent_ids": f"{AGENT_1},{AGENT_2}", "platform_logs": "true"})
    assert context(result) == {AFFECTED_KEY: {"Affected": 2}}
    assert result.readable_output == (
        "### Sentinel One - Fetch logs (agentLogs, platformLogs)\nSentinelOne reported 2 of 2 requested agents affected.\n"
        "The logs appear in the console's activity log when the agents have uploaded them.\n"
    )


def test_agent_processes_says_the_endpoint_is_retired_and_points_to_installed_applications(requests_mock):
    """
    Given the retired agents/processes endpoint, which answers an empty list
    When sentinelone-agent-processes runs
    Then it says so, names the command to use instead, and writes no context.
    """
    requests_mock.get(f"{BASE_V20}agents/processes", json={"data": []})
    result = run("sentinelone-agent-processes", {"agents_ids": AGENT_1}, s1.V20)
    assert context(result) == {}
    assert result.readable_output == (
        "### Sentinel One - Agent processes\nNo processes: SentinelOne retired this endpoint and it always answers an empty "
        f"list. Use sentinelone-get-installed-applications agent_ids={AGENT_1} for the agents' software.\n"
    )


def test_agent_processes_writes_the_processes_a_console_still_returns(requests_mock):
    process = {"processName": "svchost.exe", "pid": 912, "cpuUsage": 0.4, "memoryUsage": 21, "startTime": "2024-05-01T08:00:00Z"}
    requests_mock.get(f"{BASE_V20}agents/processes", json={"data": [process]})
    result = run("sentinelone-agent-processes", {"agents_ids": AGENT_1}, s1.V20)
    assert context(result) == {"SentinelOne.Agent(val.pid && val.pid == obj.pid)": [process]}


# --- marketplace applications and service users ---

MARKETPLACE_URL = f"{BASE_V21}singularity-marketplace/applications"


def test_marketplace_applications_follow_the_cursor_without_limit_and_give_one_entry_per_scope(requests_mock):
    """
    Given two pages of installed applications, one installed in two scopes
    When the marketplace command runs
    Then the first request asks limit=1000, the second sends the cursor alone (the API refuses both together), and each
    scope becomes an entry with the catalog ID and the application name, nulls kept.
    """
    requests_mock.get(
        MARKETPLACE_URL,
        [{"json": load_fixture("more/marketplace_page1.json")}, {"json": load_fixture("more/marketplace_page2.json")}],
    )
    result = run("sentinelone-list-installed-singularity-marketplace-applications", {"account_ids": ACCOUNT_1})
    assert [sent(request)[2] for request in requests_mock.request_history] == [
        {"accountIds": ACCOUNT_1, "limit": "1000"},
        {"accountIds": ACCOUNT_1, "cursor": "YXBwczox"},
    ]
    entries = context(result)[APPS_KEY]
    assert [entry["ID"] for entry in entries] == ["1700000000000001001", "1700000000000002001", "1700000000000001002"]
    assert entries[1] == {
        "ID": "1700000000000002001",
        "Account": "Globex",
        "AccountId": ACCOUNT_2,
        "ApplicationCatalogId": "1700000000000000001",
        "ApplicationCatalogName": "Okta SSO",
        "AlertMessage": "Token expired",
        "CreatedAt": "2024-04-05T10:00:00.000000Z",
        "Creator": "Bob Builder",
        "CreatorId": "1100000000000000002",
        "DesiredStatus": "active",
        "HasAlert": True,
        "LastEntityCreatedAt": None,
        "Modifier": None,
        "ModifierId": None,
        "ScopeId": SITE_1,
        "ScopeLevel": "site",
        "Status": "disabled",
        "UpdatedAt": "2024-04-06T10:00:00.000000Z",
        "ApplicationInstanceName": "Okta SSO (Globex)",
    }
    assert "| 1700000000000001002 | Splunk Forwarder | Splunk Forwarder (Acme Corp) | Acme Corp | account | active |" in (
        result.readable_output
    )


def test_service_users_take_the_first_scope_role(requests_mock):
    """
    Given two service users, one with two scope roles and one with none
    When sentinelone-get-service-users runs
    Then each entry holds the user's fields, plus the first scope role's fields where there is one.
    """
    requests_mock.get(f"{BASE_V21}service-users", json=load_fixture("more/service_users.json"))
    result = run("sentinelone-get-service-users", {})
    assert context(result) == {
        USERS_KEY: [
            {
                "ID": "1500000000000000001",
                "Name": "xsoar-acme",
                "Description": "Automation for Acme Corp",
                "Scope": "account",
                "LastActivation": "2024-05-01T09:00:00.000000Z",
                "ApiTokenCreatedAt": "2024-01-01T00:00:00.000000Z",
                "ApiTokenExpiresAt": "2025-01-01T00:00:00.000000Z",
                "CreatedAt": "2024-01-01T00:00:00.000000Z",
                "CreatedById": "1100000000000000001",
                "CreatedByName": "Ann Analyst",
                "UpdatedAt": "2024-02-01T00:00:00.000000Z",
                "UpdatedById": "1100000000000000002",
                "UpdatedByName": "Bob Builder",
                "ScopeRolesRoleId": ROLE_1,
                "ScopeRolesRoleName": "IR Team",
                "ScopeRolesAccountName": "Acme Corp",
                "ScopeRolesId": ACCOUNT_1,
            },
            {
                "ID": "1500000000000000002",
                "Name": "siem-export",
                "Scope": "tenant",
                "ApiTokenCreatedAt": "2024-03-01T00:00:00.000000Z",
                "CreatedAt": "2024-03-01T00:00:00.000000Z",
                "CreatedById": "1100000000000000001",
                "CreatedByName": "Ann Analyst",
                "UpdatedAt": "2024-03-01T00:00:00.000000Z",
                "UpdatedById": "1100000000000000001",
                "UpdatedByName": "Ann Analyst",
            },
        ]
    }


def test_cursor_pages_stop_at_the_limit_and_return_the_cursor_to_continue(requests_mock, client_v21):
    """
    Given pages of two items with a next cursor each
    When three items are asked of list_cursor_pages
    Then it reads two pages (the second with the cursor alone) and returns three items and the last cursor.
    """
    pages = [
        {"json": {"data": [{"id": "1"}, {"id": "2"}], "pagination": {"nextCursor": "c1"}}},
        {"json": {"data": [{"id": "3"}, {"id": "4"}], "pagination": {"nextCursor": "c2"}}},
    ]
    requests_mock.get(f"{BASE_V21}service-users", pages)
    items, cursor = client_v21.list_cursor_pages("service-users", {"roleIds": [ROLE_1]}, 3)
    assert (items, cursor) == ([{"id": "1"}, {"id": "2"}, {"id": "3"}], "c2")
    assert [sent(request)[2] for request in requests_mock.request_history] == [
        {"roleIds": ROLE_1, "limit": "3"},
        {"roleIds": ROLE_1, "cursor": "c1"},
    ]


def test_cursor_pages_given_a_cursor_never_send_a_limit(requests_mock, client_v21):
    requests_mock.get(f"{BASE_V21}service-users", json={"data": [{"id": "9"}], "pagination": {"nextCursor": None}})
    assert client_v21.list_cursor_pages("service-users", {"cursor": "c9"}, 1000) == ([{"id": "9"}], None)
    assert sent(requests_mock.last_request)[2] == {"cursor": "c9"}


# --- bulk IOCs ---


@pytest.fixture
def war_room_file(tmp_path: Path, mocker: Any) -> Any:
    """Put `content` in a file that demisto.getFilePath resolves entry ID 7@1 to."""

    def put(content: bytes | str) -> Path:
        path = tmp_path / "iocs.json"
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        mocker.patch.object(demisto, "getFilePath", return_value={"id": "7@1", "path": str(path), "name": "iocs.json"})
        return path

    return put


def test_bulk_ioc_sends_every_normalised_ioc_in_one_request(requests_mock, war_room_file):
    """
    Given a War Room file with two IOCs (lower-case type and method, padded source, an empty description, an extra field)
    When sentinelone-create-bulk-ioc runs for two accounts
    Then one POST carries both accounts and both IOCs: type and method upper-cased, values trimmed, empty and unknown
    fields left out, validUntil in the API's date format; the context has each created IOC under SentinelOne.IOC.
    """
    war_room_file((Path(__file__).parent / "test_data" / "more" / "bulk_iocs.json").read_bytes())
    requests_mock.post(f"{BASE_V21}threat-intelligence/iocs", json=load_fixture("more/iocs_created.json"))
    result = run("sentinelone-create-bulk-ioc", {"entry_id": "7@1", "account_ids": f"{ACCOUNT_1},{ACCOUNT_2}"})
    assert [sent(request) for request in requests_mock.request_history] == [
        (
            "POST",
            "threat-intelligence/iocs",
            {},
            {
                "filter": {"accountIds": [ACCOUNT_1, ACCOUNT_2]},
                "data": [
                    {
                        "source": "CTI feed",
                        "type": "SHA1",
                        "value": SHA1,
                        "method": "EQUALS",
                        "validUntil": "2030-01-01T00:00:00.000000Z",
                        "name": "Dropper",
                        "externalId": "CTI-1",
                    },
                    {
                        "source": "CTI feed",
                        "type": "IPV4",
                        "value": "198.51.100.7",
                        "method": "EQUALS",
                        "validUntil": "2030-01-01T00:00:00.000000Z",
                        "name": "C2 server",
                        "description": "Command and control",
                    },
                ],
            },
        )
    ]
    assert context(result) == {
        IOC_KEY: [
            {
                "UUID": "a1b2c3d4e5f60718293a4b5c6d7e8f90",
                "Name": "Dropper",
                "Source": "CTI feed",
                "Type": "SHA1",
                "BatchId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                "Creator": "xsoar-acme",
                "Scope": "account",
                "ScopeId": ACCOUNT_1,
                "ValidUntil": "2030-01-01T00:00:00.000000Z",
                "ExternalId": "CTI-1",
            },
            {
                "UUID": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                "Name": "C2 server",
                "Source": "CTI feed",
                "Type": "IPV4",
                "BatchId": "0f1e2d3c4b5a69788796a5b4c3d2e1f0",
                "Creator": "xsoar-acme",
                "Scope": "account",
                "ScopeId": ACCOUNT_1,
                "ValidUntil": "2030-01-01T00:00:00.000000Z",
                "Description": "Command and control",
            },
        ]
    }
    assert result.readable_output.startswith("### Sentinel One - Create IOCs in bulk: 2 created from 2 in the file\n")


GOOD_IOC = {"source": "CTI", "type": "MD5", "value": MD5, "method": "EQUALS", "validUntil": "2030-01-01", "name": "x"}


@pytest.mark.parametrize(
    "content, message",
    [
        (b"\xff\xfe not utf-8", "entry_id: the file is not UTF-8 JSON ("),
        ("[{]", "entry_id: the file is not UTF-8 JSON ("),
        (json.dumps(GOOD_IOC), "entry_id: the file must hold a JSON array of IOC objects, got a dict"),
        ("[]", "entry_id: the file holds an empty array: no IOC to create"),
        (json.dumps([GOOD_IOC, "MD5"]), "entry_id: item 1 of the file is not a JSON object"),
        (
            json.dumps([GOOD_IOC, {**GOOD_IOC, "name": " ", "validUntil": None}]),
            "entry_id: item 1 of the file lacks validUntil, name",
        ),
        (
            json.dumps([{**GOOD_IOC, "type": "hostname"}]),
            "entry_id: item 0: type: expected one of DNS, IPV4, IPV6, MD5, SHA1, SHA256, URL, got 'hostname'",
        ),
        (json.dumps([{**GOOD_IOC, "method": "contains"}]), "entry_id: item 0: method: expected one of EQUALS, got 'contains'"),
        (
            json.dumps([{**GOOD_IOC, "validUntil": "someday"}]),
            "entry_id: item 0: validUntil: expected a date (ISO 8601, epoch, or relative such as '3 days'), got 'someday'",
        ),
    ],
)
def test_bulk_ioc_file_problems_are_named_before_any_request(requests_mock, war_room_file, content, message):
    """
    Given a War Room file that is not UTF-8 JSON, not an array, empty, or has an item that is not an object, lacks a
    field or has a bad type, method or date
    When sentinelone-create-bulk-ioc runs
    Then it fails naming the problem (and the item's index), and sends nothing.
    """
    war_room_file(content)
    with pytest.raises(ValueError) as error:
        run("sentinelone-create-bulk-ioc", {"entry_id": "7@1", "account_ids": ACCOUNT_1})
    assert str(error.value).startswith(message)
    assert requests_mock.request_history == []


def test_bulk_ioc_with_an_unknown_entry_fails_clearly(requests_mock, mocker):
    mocker.patch.object(demisto, "getFilePath", side_effect=ValueError("no file for entry ID '9@9'"))
    with pytest.raises(DemistoException) as error:
        run("sentinelone-create-bulk-ioc", {"entry_id": "9@9", "account_ids": ACCOUNT_1})
    assert str(error.value) == "entry_id: could not read the War Room file '9@9' (no file for entry ID '9@9')"
    assert requests_mock.request_history == []


# --- Singularity Data Lake PowerQuery ---

DATA_LAKE_QUERY_URL = f"{DATA_LAKE_URL}/api/powerQuery"


def test_run_powerquery_posts_to_the_data_lake_with_the_bearer_key_only(requests_mock, instance_params):
    """
    Given the Data Lake URL (with a trailing slash) and key, and every query argument
    When sentinelone-run-powerquery runs
    Then one POST goes to <url>/api/powerQuery with the Bearer key and no ApiToken, the body carries every argument
    (dates in the API's format), and each row becomes a map from column names to values.
    """
    instance_params(
        singularity_xdr_url=f"{DATA_LAKE_URL}/", singularity_xdr_api_key={"identifier": "", "password": DATA_LAKE_KEY}
    )
    requests_mock.post(DATA_LAKE_QUERY_URL, json=load_fixture("more/powerquery_sdl.json"))
    args = {
        "query": "event.type = 'Process Creation' | columns endpoint.name, src.process.name, src.process.pid",
        "start_time": "2024-05-01T00:00:00Z",
        "end_time": "2024-05-02T00:00:00Z",
        "priority": "HIGH",
        "recurring": "false",
        "team_emails": "soc@example.com, ir@example.com",
    }
    result = run("sentinelone-run-powerquery", args, s1.V20)
    [request] = requests_mock.request_history
    assert request.url == DATA_LAKE_QUERY_URL
    assert request.headers["Authorization"] == f"Bearer {DATA_LAKE_KEY}"
    assert TOKEN not in json.dumps(dict(request.headers))
    assert request.json() == {
        "query": args["query"],
        "startTime": "2024-05-01T00:00:00.000000Z",
        "endTime": "2024-05-02T00:00:00.000000Z",
        "priority": "high",
        "recurring": False,
        "teamEmails": ["soc@example.com", "ir@example.com"],
    }
    assert context(result) == {
        "SentinelOne.PowerQuery.Results": {
            "status": "success",
            "matchingEvents": 2,
            "omittedEvents": 0,
            "results": [
                {"endpoint.name": "FIN-LAPTOP-07", "src.process.name": "powershell.exe", "src.process.pid": 4242},
                {"endpoint.name": "web-01", "src.process.name": "nginx", "src.process.pid": 311},
            ],
        }
    }
    assert "| FIN-LAPTOP-07 | powershell.exe | 4242 |" in result.readable_output
    assert "Matching events: 2; omitted events: 0." in result.readable_output


def test_run_powerquery_sends_only_the_query_and_the_default_priority(requests_mock, instance_params):
    instance_params(singularity_xdr_url=DATA_LAKE_URL, singularity_xdr_api_key=DATA_LAKE_KEY)  # a type-4 parameter
    requests_mock.post(
        DATA_LAKE_QUERY_URL, json={"status": "success", "matchingEvents": 0, "omittedEvents": 0, "columns": [], "values": []}
    )
    result = run("sentinelone-run-powerquery", {"query": "| limit 1"})
    assert requests_mock.last_request.json() == {"query": "| limit 1", "priority": "low"}
    assert requests_mock.last_request.headers["Authorization"] == f"Bearer {DATA_LAKE_KEY}"
    assert context(result)["SentinelOne.PowerQuery.Results"]["results"] == []
    assert "The query matched no events." in result.readable_output


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "singularity_xdr_url: set the Singularity XDR URL instance parameter to run PowerQueries"),
        (
            {"singularity_xdr_url": "http://xdr.example", "singularity_xdr_api_key": DATA_LAKE_KEY},
            "singularity_xdr_url: expected a URL starting with https://, got 'http://xdr.example'",
        ),
        (
            {"singularity_xdr_url": DATA_LAKE_URL, "singularity_xdr_api_key": {"identifier": "", "password": ""}},
            "singularity_xdr_api_key: set the Singularity XDR API Key instance parameter to run PowerQueries",
        ),
    ],
)
def test_run_powerquery_needs_an_https_data_lake_url_and_a_key(requests_mock, instance_params, params, message):
    instance_params(**params)
    with pytest.raises(DemistoException) as error:
        run("sentinelone-run-powerquery", {"query": "| limit 1"})
    assert str(error.value) == message
    assert requests_mock.request_history == []


def test_run_powerquery_names_the_data_lake_key_when_it_is_refused(requests_mock, instance_params):
    instance_params(singularity_xdr_url=DATA_LAKE_URL, singularity_xdr_api_key=DATA_LAKE_KEY)
    requests_mock.post(DATA_LAKE_QUERY_URL, status_code=401, text="bad key")
    with pytest.raises(DemistoException) as error:
        run("sentinelone-run-powerquery", {"query": "| limit 1"})
    assert str(error.value) == (
        "The Singularity Data Lake refused the API key [401]: check the singularity_xdr_api_key parameter "
        "(a Data Lake key with Log Read access). bad key"
    )


def test_run_powerquery_reports_a_data_lake_error_status(requests_mock, instance_params):
    instance_params(singularity_xdr_url=DATA_LAKE_URL, singularity_xdr_api_key=DATA_LAKE_KEY)
    requests_mock.post(DATA_LAKE_QUERY_URL, json={"status": "error/client/badParam", "message": "Unknown column foo"})
    with pytest.raises(DemistoException) as error:
        run("sentinelone-run-powerquery", {"query": "| columns foo"})
    assert str(error.value) == "The Singularity Data Lake did not run the query: error/client/badParam: Unknown column foo"


# --- generic endpoint command ---

AGENTS_URL = f"{BASE_V21}agents"


def agent(agent_id: str, **fields: Any) -> dict[str, Any]:
    base = {"id": agent_id, "computerName": f"host-{agent_id[-2:]}", "isActive": True, "networkStatus": "connected"}
    return {**base, **fields}


def test_endpoint_finds_agents_by_id_ip_and_hostname_and_maps_them(requests_mock):
    """
    Given an ID, an IP and a hostname
    When the endpoint command runs
    Then it asks the agents by IDs, by IP (networkInterfaceInet__contains) and by computer name, keeps exact matches
    only (10.0.0.1 also finds 10.0.0.12 by substring), reports each agent once, and maps it to the Endpoint standard.
    """
    agents = load_fixture("more/agents_endpoint.json")["data"]
    laptop, server = agents

    def answer(request: Any, _context: Any) -> dict[str, Any]:
        query = dict(parse_qsl(urlsplit(request.url).query))
        if "ids" in query:
            return {"data": [laptop], "pagination": {"nextCursor": None}}
        if "networkInterfaceInet__contains" in query:
            return {"data": [laptop, server], "pagination": {"nextCursor": None}}
        return {"data": [laptop], "pagination": {"nextCursor": None}}

    requests_mock.get(AGENTS_URL, json=answer)
    result = run("endpoint", {"id": AGENT_1, "ip": "10.0.0.1", "hostname": "fin-laptop-07"})
    assert [sent(request)[2] for request in requests_mock.request_history] == [
        {"ids": AGENT_1, "limit": "1"},
        {"networkInterfaceInet__contains": "10.0.0.1", "limit": "1000"},
        {"computerName": "fin-laptop-07", "limit": "1000"},
    ]
    assert context(result) == {
        ENDPOINT_KEY: [
            {
                "ID": AGENT_1,
                "Hostname": "FIN-LAPTOP-07",
                "IPAddress": "10.0.0.12",
                "Domain": "CORP",
                "MACAddress": "aa:bb:cc:00:00:01",
                "OS": "Windows 10 Pro",
                "OSVersion": "19045",
                "Model": "Dell Latitude 7420",
                "Memory": 16384,
                "Processors": 1,
                "Processor": "Intel(R) Core(TM) i7-1185G7 @ 3.00GHz",
                "Vendor": "SentinelOne",
                "Status": "Online",
                "IsIsolated": "Yes",
            },
            {
                "ID": AGENT_2,
                "Hostname": "web-01",
                "IPAddress": "10.0.0.1",
                "Domain": "unknown",
                "MACAddress": "aa:bb:cc:00:00:03",
                "OS": "Ubuntu 22.04.4 LTS",
                "OSVersion": "5.15.0-105",
                "Memory": 8192,
                "Processors": 2,
                "Processor": "AMD EPYC 7R13 Processor",
                "Vendor": "SentinelOne",
                "Status": "Offline",
                "IsIsolated": "Pending unisolation",
            },
        ]
    }
    assert "No endpoint found" not in result.readable_output


def test_endpoint_reports_the_searched_ip_and_its_interface(requests_mock):
    """
    Given an agent with two interfaces, searched by the address of the second
    When the endpoint command runs
    Then the endpoint's IP and MAC are those of the searched interface.
    """
    laptop = load_fixture("more/agents_endpoint.json")["data"][0]
    requests_mock.get(AGENTS_URL, json={"data": [laptop], "pagination": {"nextCursor": None}})
    entry = context(run("endpoint", {"ip": "192.168.1.20"}))[ENDPOINT_KEY][0]
    assert (entry["IPAddress"], entry["MACAddress"]) == ("192.168.1.20", "aa:bb:cc:00:00:02")


@pytest.mark.parametrize(
    "network_status, is_active, isolated, status",
    [
        ("disconnected", True, "Yes", "Online"),
        ("connected", True, "No", "Online"),
        ("disconnecting", False, "Pending isolation", "Offline"),
        ("connecting", True, "Pending unisolation", "Online"),
        ("unknown", False, None, "Offline"),
    ],
)
def test_endpoint_status_and_isolation_follow_is_active_and_network_status(
    requests_mock, network_status, is_active, isolated, status
):
    requests_mock.get(
        AGENTS_URL,
        json={"data": [agent(AGENT_1, networkStatus=network_status, isActive=is_active)], "pagination": {"nextCursor": None}},
    )
    entry = context(run("endpoint", {"id": AGENT_1}))[ENDPOINT_KEY][0]
    assert (entry["Status"], entry.get("IsIsolated")) == (status, isolated)


def test_endpoint_with_no_match_says_so_without_context(requests_mock):
    """
    Given searches that match no agent (one IP only by substring)
    When the endpoint command runs
    Then it returns a readable "no endpoint found" naming each value, with no context and no error.
    """
    laptop = load_fixture("more/agents_endpoint.json")["data"][0]  # FIN-LAPTOP-07, ID AGENT_1, address 10.0.0.12
    requests_mock.get(f"{BASE_V20}agents", json={"data": [laptop], "pagination": {"nextCursor": None}})
    result = run("endpoint", {"id": AGENT_2, "ip": "10.0.0.1", "hostname": "FIN-LAPTOP"}, s1.V20)
    assert len(requests_mock.request_history) == 3
    assert context(result) == {}
    assert result.readable_output == (
        "### Sentinel One - Endpoints\nNo endpoint found.\n"
        f"No endpoint found for id {AGENT_2}, ip 10.0.0.1, hostname FIN-LAPTOP.\n"
    )


def test_endpoint_names_the_values_that_matched_nothing_next_to_the_found_ones(requests_mock):
    server = load_fixture("more/agents_endpoint.json")["data"][1]
    requests_mock.get(AGENTS_URL, json={"data": [server], "pagination": {"nextCursor": None}})
    result = run("endpoint", {"ip": "10.0.0.1,10.0.0.2"})
    assert [entry["ID"] for entry in context(result)[ENDPOINT_KEY]] == [AGENT_2]
    assert result.readable_output.endswith("\nNo endpoint found for ip 10.0.0.2.\n")
    assert sent(requests_mock.last_request)[2] == {"networkInterfaceInet__contains": "10.0.0.1,10.0.0.2", "limit": "1000"}


# --- generic file reputation command ---


@pytest.mark.parametrize(
    "verdict, score, readable_score",
    [
        ("malicious", 3, "Bad"),
        ("suspicious", 2, "Suspicious"),
        ("benign", 1, "Good"),
        ("non-malicious", 1, "Good"),
        ("unknown", 0, "Unknown"),
        (None, 0, "Unknown"),
    ],
)
def test_file_maps_the_verdict_to_a_dbot_score(requests_mock, instance_params, verdict, score, readable_score):
    """
    Given a SHA256 whose SentinelOne verdict is malicious, suspicious, benign/non-malicious, unknown or missing
    When the file command runs
    Then the File and DBotScore entries carry the matching score, the default reliability, Malicious only when bad,
    and "No results found" when there is no verdict.
    """
    requests_mock.get(f"{BASE_V21}hashes/{SHA256}/verdict", json={"data": {"verdict": verdict}})
    [result] = run("file", {"file": SHA256})
    dbot = {
        "Indicator": SHA256,
        "Type": "file",
        "Vendor": "SentinelOne V2",
        "Score": score,
        "Reliability": "B - Usually reliable",
    }
    file_entry: dict[str, Any] = {"Hashes": [{"type": "SHA256", "value": SHA256}], "SHA256": SHA256}
    if score == 3:
        file_entry["Malicious"] = {"Vendor": "SentinelOne V2", "Description": "SentinelOne verdict: malicious"}
    if score == 0:
        dbot["Message"] = "No results found"
    assert context(result) == {FILE_KEY: [file_entry], DBOT_KEY: [dbot]}
    assert f"| {SHA256} | SHA256 | {verdict or 'none'} | {readable_score} |" in result.readable_output


def test_file_checks_each_hash_once_with_its_type_and_the_configured_reliability(requests_mock, instance_params):
    instance_params(integration_reliability="A+ - 3rd party enrichment")
    requests_mock.get(f"{BASE_V21}hashes/{MD5}/verdict", json={"data": {"verdict": "benign"}})
    requests_mock.get(f"{BASE_V21}hashes/{SHA1}/verdict", json={"data": {"verdict": "suspicious"}})
    results = run("file", {"file": f"{MD5}, {SHA1}, {MD5}"})
    assert [sent(request)[1] for request in requests_mock.request_history] == [f"hashes/{MD5}/verdict", f"hashes/{SHA1}/verdict"]
    assert [context(result)[FILE_KEY] for result in results] == [
        [{"Hashes": [{"type": "MD5", "value": MD5}], "MD5": MD5}],
        [{"Hashes": [{"type": "SHA1", "value": SHA1}], "SHA1": SHA1}],
    ]
    assert {context(result)[DBOT_KEY][0]["Reliability"] for result in results} == {"A+ - 3rd party enrichment"}


def test_file_refuses_an_unknown_reliability_before_any_request(requests_mock, instance_params):
    instance_params(integration_reliability="Z - Trust me")
    with pytest.raises(DemistoException) as error:
        run("file", {"file": MD5})
    assert str(error.value) == (
        "integration_reliability: expected one of A+ - 3rd party enrichment, A - Completely reliable, B - Usually reliable, "
        "C - Fairly reliable, D - Not usually reliable, E - Unreliable, F - Reliability cannot be judged, got 'Z - Trust me'"
    )
    assert requests_mock.request_history == []
