"""Unit tests of the integration's core: argument parsing, the client and its errors, dispatch, test-module, main."""

from datetime import datetime, timezone

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
from freezegun import freeze_time

from conftest import BASE_V20, BASE_V21, CONSOLE, TOKEN, make_client

# --- argument parsing ---


@pytest.mark.parametrize(
    "value, expected",
    [
        ("a, b ,c", ["a", "b", "c"]),
        ("a,,b,", ["a", "b"]),
        ('["x", "y"]', ["x", "y"]),
        (["1", " 2"], ["1", "2"]),
        ("", []),
        (None, []),
    ],
)
def test_as_list(value, expected):
    """
    Given a comma-separated, JSON-list or list argument
    When it is parsed with as_list
    Then it becomes a list of trimmed, non-empty strings.
    """
    assert s1.as_list({"ids": value}, "ids") == expected


def test_as_list_required_names_the_argument():
    """
    Given a required list argument that is empty
    When it is parsed
    Then the error names the argument.
    """
    with pytest.raises(ValueError, match="^agent_id: this argument is required$"):
        s1.as_list({"agent_id": " , "}, "agent_id", required=True)


@pytest.mark.parametrize(
    "value, expected_error",
    [
        ("abc", "limit: expected an integer from 1 to 1000, got 'abc'"),
        ("0", "limit: expected an integer from 1 to 1000, got '0'"),
        ("1001", "limit: expected an integer from 1 to 1000, got '1001'"),
        ("1.5", "limit: expected an integer from 1 to 1000, got '1.5'"),
    ],
)
def test_as_limit_rejects_values_outside_the_documented_range(value, expected_error):
    """
    Given a limit that is not an integer from 1 to 1000
    When it is parsed
    Then the error names the argument, the range and the value.
    """
    with pytest.raises(ValueError) as error:
        s1.as_limit({"limit": value}, 10)
    assert str(error.value) == expected_error


def test_as_limit_default_and_value():
    """
    Given no limit, then a valid limit
    When they are parsed
    Then the default, then the value, is returned.
    """
    assert s1.as_limit({}, 10) == 10
    assert s1.as_limit({"limit": "250"}, 10) == 250


@pytest.mark.parametrize("value, expected", [("true", True), ("False", False), ("yes", True), ("NO", False), (True, True)])
def test_as_bool(value, expected):
    """
    Given a boolean-like argument
    When it is parsed
    Then it becomes a bool, case-insensitively.
    """
    assert s1.as_bool({"flag": value}, "flag") is expected


def test_as_bool_rejects_other_values():
    """
    Given a value that is not boolean-like
    When it is parsed
    Then the error names the argument and the allowed values.
    """
    with pytest.raises(ValueError, match="^resolved: expected one of true, false, got '1'$"):
        s1.as_bool({"resolved": "1"}, "resolved")


@freeze_time("2024-05-10T12:00:00Z")
@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000000Z"),
        ("2024-01-02T03:04:05.123+02:00", "2024-01-02T01:04:05.123000Z"),
        ("2024-01-02", "2024-01-02T00:00:00.000000Z"),
        ("1700000000", "2023-11-14T22:13:20.000000Z"),
        ("1700000000123", "2023-11-14T22:13:20.123000Z"),
        ("3 days", "2024-05-07T12:00:00.000000Z"),
    ],
)
def test_as_date_sends_iso_utc_with_z(value, expected):
    """
    Given a date as ISO 8601, epoch seconds or milliseconds, or relative text
    When it is parsed
    Then it becomes ISO 8601 UTC with microseconds and a Z suffix.
    """
    assert s1.as_date({"created_from": value}, "created_from") == expected


@freeze_time("2024-05-31T12:34:56.789Z")
@pytest.mark.parametrize(
    "value",
    [
        "2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05.123456+02:00",
        "2024-01-02T03:04:05",
        "2024-01-02",
        " 2024-01-02T03:04:05.5Z ",
        "45 seconds",
        "10 minutes",
        "1 hour",
        "3 days",
        "3 Days ago",
        "2 weeks",
        "1 month",
        "3 months",
        "1 year",
        "yesterday",
        "1700000000",
    ],
)
def test_dates_read_without_dateparser_read_as_dateparser_reads_them(value):
    """
    Given ISO 8601 dates and `<number> <unit>` texts, which parse_date reads itself (dateparser takes milliseconds a
    call), and forms left to dateparser
    When each is parsed
    Then the result is the platform's arg_to_datetime reading (dateparser), in UTC.
    """
    expected = s1.arg_to_datetime(value.strip(), settings={"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True})
    assert expected is not None
    assert s1.parse_date(value, "x") == expected.astimezone(timezone.utc)


@pytest.mark.parametrize("value", ["soon-ish", "2024-13-45", "99999999999999999999"])
def test_as_date_rejects_garbage(value):
    """
    Given text that is not a date, an impossible calendar date, or an epoch beyond any calendar
    When it is parsed
    Then the error names the argument, the accepted forms and the value.
    """
    with pytest.raises(ValueError) as error:
        s1.as_date({"created_from": value}, "created_from")
    assert str(error.value) == f"created_from: expected a date (ISO 8601, epoch, or relative such as '3 days'), got {value!r}"


def test_one_of_closed_set_and_open_set():
    """
    Given a closed set of values
    When a listed value (any case), an unlisted value, and an unlisted value in an open set are parsed
    Then the listed value is returned as listed, the unlisted one is rejected naming the allowed values, the open one passes.
    """
    assert s1.one_of({"os_type": "WINDOWS"}, "os_type", s1.OS_TYPES) == "windows"
    with pytest.raises(ValueError, match="^os_type: expected one of windows, windows_legacy, macos, linux, got 'beos'$"):
        s1.one_of({"os_type": "beos"}, "os_type", s1.OS_TYPES)
    assert s1.one_of({"classification": "Ransomware"}, "classification", ("Malware",), open_set=True) == "Ransomware"


def test_many_of_validates_each_item():
    """
    Given a comma-separated list with one unknown value
    When it is parsed against a closed set
    Then the error names the argument and the allowed values.
    """
    assert s1.many_of({"os_type": "linux, MACOS"}, "os_type", s1.OS_TYPES) == ["linux", "macos"]
    with pytest.raises(ValueError, match="^os_type: expected one of"):
        s1.many_of({"os_type": "linux,plan9"}, "os_type", s1.OS_TYPES)


# --- request encoding ---


def test_encode_params_joins_lists_lowercases_booleans_and_drops_empty_values():
    """
    Given query parameters with lists, booleans, zeros and empty values
    When they are encoded
    Then lists are comma-joined, booleans are lower-case, 0 is kept and empty values are dropped.
    """
    assert s1.encode_params({"ids": ["1", "2"], "tenant": True, "resolved": False, "skip": 0, "q": "", "n": None, "e": []}) == {
        "ids": "1,2",
        "tenant": "true",
        "resolved": "false",
        "skip": 0,
    }


def test_path_segment_cannot_change_the_path():
    """
    Given an ID with slashes and dots
    When it is placed in a path
    Then it is percent-encoded.
    """
    assert s1.path_segment("../agents/1") == "..%2Fagents%2F1"


def test_compact_keeps_false_and_zero():
    """
    Given a filter with empty values, False and 0
    When it is compacted
    Then only the empty values go.
    """
    assert s1.compact({"siteIds": [], "groupIds": None, "query": "", "tenant": False, "skip": 0, "f": {}}) == {
        "tenant": False,
        "skip": 0,
    }


# --- connection parameters ---


@pytest.mark.parametrize(
    "url",
    [
        "https://console.s1.example",
        "https://console.s1.example/",
        "https://console.s1.example/web/api/v2.1",
        "https://console.s1.example/web/api/v2.0/",
        " https://console.s1.example/web/api/ ",
    ],
)
def test_base_url_tolerates_trailing_slash_and_pasted_api_suffix(url):
    """
    Given a Server URL with or without a trailing slash or a pasted /web/api/... suffix
    When the base URL is built for API 2.1
    Then it is <url>/web/api/v2.1/.
    """
    assert s1.base_url_from(url, "2.1") == BASE_V21


def test_api_token_prefers_credentials_over_deprecated_token():
    """
    Given both the credentials parameter and the deprecated token parameter
    When the token is read
    Then the credentials parameter wins; the deprecated one is used when it is the only one.
    """
    assert s1.api_token_from({"credentials": {"password": "new"}, "token": "old"}) == "new"
    assert s1.api_token_from({"credentials": {"identifier": "", "password": ""}, "token": "old"}) == "old"


def test_api_token_missing_is_a_clear_error():
    """
    Given neither token parameter
    When the token is read
    Then the error says which parameter to set.
    """
    with pytest.raises(s1.DemistoException, match="^No API token: set the API Token parameter"):
        s1.api_token_from({"credentials": {}})


def test_build_client_headers_and_version(requests_mock):
    """
    Given instance parameters for API 2.0
    When the client sends a request
    Then it goes to the 2.0 base with the ApiToken header and JSON content type.
    """
    client = s1.build_client({"url": CONSOLE + "/", "credentials": {"password": TOKEN}, "api_version": "2.0", "insecure": True})
    requests_mock.get(BASE_V20 + "system/info", json={"data": {}})
    client.get_system_info()
    request = requests_mock.last_request
    assert request.headers["Authorization"] == f"ApiToken {TOKEN}"
    assert request.headers["Content-Type"] == "application/json"
    assert client.api_version == "2.0"
    assert client._verify is False


def test_build_client_rejects_unknown_api_version():
    """
    Given an API version the integration does not know
    When the client is built
    Then the error names the parameter and the allowed values.
    """
    with pytest.raises(s1.DemistoException, match=r"^api_version: expected one of 2.0, 2.1, got '2.2'$"):
        s1.build_client({"url": CONSOLE, "credentials": {"password": TOKEN}, "api_version": "2.2"})


# --- errors ---


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (
            400,
            {"errors": [{"code": 4000010, "title": "Validation Error", "detail": "limit must be <= 1000"}]},
            "SentinelOne API error [400]: Validation Error: limit must be <= 1000",
        ),
        (
            401,
            {"errors": [{"code": 4010010, "title": "Authentication Failed", "detail": None}]},
            "Authentication failed [401]: the API token is invalid or expired (Authentication Failed)",
        ),
        (429, {"errors": [{"code": 4290010, "title": "Too Many Requests"}]}, "API rate limit exceeded [429]: Too Many Requests"),
        (500, None, "SentinelOne API error [500]: oops"),
    ],
)
def test_api_errors_name_status_and_title_detail(requests_mock, client_v21, status, body, expected):
    """
    Given the console answers with an error status
    When a request is made
    Then the error names the HTTP status and SentinelOne's title: detail, and never the token.
    """
    if body is None:
        requests_mock.get(BASE_V21 + "agents", status_code=status, text="oops")
    else:
        requests_mock.get(BASE_V21 + "agents", status_code=status, json=body)
    with pytest.raises(s1.S1ApiError) as error:
        client_v21.list_agents({}, 10)
    assert str(error.value) == expected
    assert error.value.status == status
    assert TOKEN not in str(error.value)


def test_api_error_exposes_codes(requests_mock, client_v21):
    """
    Given an "Already Exists" error body
    When a request fails with it
    Then the error carries the SentinelOne error codes for callers that treat it as an outcome.
    """
    requests_mock.post(
        BASE_V21 + "restrictions", status_code=400, json={"errors": [{"code": 4000030, "title": "Already Exists Error"}]}
    )
    with pytest.raises(s1.S1ApiError) as error:
        client_v21.request("POST", "restrictions", body={})
    assert error.value.codes == [4000030]


# --- retries ---


@pytest.mark.parametrize(
    "method, status, expected",
    [
        ("GET", 429, True),
        ("POST", 429, True),
        ("GET", 503, True),
        ("DELETE", 500, True),
        ("POST", 503, False),
        ("GET", 404, False),
        ("GET", 400, False),
    ],
)
def test_retry_policy(method, status, expected):
    """
    Given a response status and request method
    When the retry policy is asked
    Then 429 is retried for every method and 5xx only for idempotent methods.
    """
    assert s1.s1_retry().is_retry(method, status) is expected


def test_retry_after_is_capped(monkeypatch):
    """
    Given a Retry-After longer than the cap
    When the retry policy reads it
    Then it waits at most the cap.
    """
    monkeypatch.setattr(s1, "RETRY_MAX_SINGLE_WAIT", 30.0)

    class Response:
        headers = {"Retry-After": "3600"}

        def getheader(self, name):
            return self.headers.get(name)

    assert s1.s1_retry().get_retry_after(Response()) == 30.0


def test_client_mounts_the_retry_policy_on_http_and_https():
    """
    Given a new client
    When its session adapters are inspected
    Then both http and https use the bounded retry policy.
    """
    client = make_client("2.1")
    for prefix in ("http://", "https://"):
        retry = getattr(client._session.get_adapter(prefix), "max_retries", None)
        assert isinstance(retry, s1.S1Retry)
        assert retry.total == s1.RETRY_TOTAL
        assert retry.read == 0


# --- pagination ---


def test_list_items_follows_the_cursor_until_the_limit(requests_mock, client_v21):
    """
    Given three pages of agents
    When 5 items are asked for
    Then the cursor of each page is sent with the next request, the limit shrinks, and the next cursor is returned.
    """
    requests_mock.get(
        BASE_V21 + "agents",
        [
            {"json": {"data": [{"id": "1"}, {"id": "2"}], "pagination": {"nextCursor": "c1", "totalItems": 6}}},
            {"json": {"data": [{"id": "3"}, {"id": "4"}], "pagination": {"nextCursor": "c2", "totalItems": 6}}},
            {"json": {"data": [{"id": "5"}, {"id": "6"}], "pagination": {"nextCursor": "c3", "totalItems": 6}}},
        ],
    )
    items, cursor = client_v21.list_items("agents", {"osTypes": ["linux"]}, 5)
    assert [i["id"] for i in items] == ["1", "2", "3", "4", "5"]
    assert cursor == "c3"
    queries = [r.qs for r in requests_mock.request_history]
    assert queries == [
        {"ostypes": ["linux"], "limit": ["5"]},
        {"ostypes": ["linux"], "limit": ["3"], "cursor": ["c1"]},
        {"ostypes": ["linux"], "limit": ["1"], "cursor": ["c2"]},
    ]


def test_list_items_stops_on_the_last_page(requests_mock, client_v21):
    """
    Given one page whose nextCursor is null
    When more items are asked for than exist
    Then one request is made and no cursor is returned.
    """
    requests_mock.get(BASE_V21 + "agents", json={"data": [{"id": "1"}], "pagination": {"nextCursor": None, "totalItems": 1}})
    items, cursor = client_v21.list_items("agents", {}, 50)
    assert items == [{"id": "1"}]
    assert cursor is None
    assert requests_mock.call_count == 1


# --- version adapter ---


def test_threat_entry_reads_the_right_fields_per_version():
    """
    Given the same threat in the 2.0 flat shape and the 2.1 nested shape
    When each is mapped to its context entry
    Then both give the same common fields; FileSha256 comes from threatInfo.sha256 in 2.1 and 2.0-only fields only from 2.0.
    """
    flat = {
        "id": "7",
        "createdAt": "2024-01-01T00:00:00.000000Z",
        "classification": "Malware",
        "fileSha256": "ab",
        "rank": 7,
        "fileContentHash": "cd",
        "agentComputerName": "host",
        "mitigationStatus": "mitigated",
    }
    nested = {
        "id": "7",
        "threatInfo": {
            "createdAt": "2024-01-01T00:00:00.000000Z",
            "classification": "Malware",
            "sha256": "ab",
            "sha1": "cd",
            "mitigationStatus": "mitigated",
            "confidenceLevel": "malicious",
        },
        "agentRealtimeInfo": {"agentComputerName": "host"},
        "mitigationStatus": [{"action": "kill", "status": "success"}],
    }
    common = {
        "ID": "7",
        "CreatedDate": "2024-01-01T00:00:00.000000Z",
        "Classification": "Malware",
        "FileSha256": "ab",
        "FileContentHash": "cd",
        "AgentComputerName": "host",
        "MitigationStatus": "mitigated",
    }
    assert s1.threat_entry(flat, s1.API_VERSIONS["2.0"]) == {**common, "Rank": 7}
    assert s1.threat_entry(nested, s1.API_VERSIONS["2.1"]) == {**common, "ConfidenceLevel": "malicious"}


# --- dispatch and main ---


# The API versions each command works on: the endpoints it calls exist only there (command-endpoints.md).
ONLY_API_20 = ["sentinelone-agent-processes", "sentinelone-mark-as-threat", "sentinelone-resolve-threat"]
ONLY_API_21 = [
    # queries
    "sentinelone-threat-summary", "sentinelone-get-threat-notes", "sentinelone-get-accounts", "sentinelone-get-alerts",
    "sentinelone-get-blocklist", "sentinelone-get-star-rules", "sentinelone-get-iocs",
    "sentinelone-get-remote-script-task-status", "sentinelone-get-remote-script-task-results",
    # actions
    "sentinelone-update-threats-verdict", "sentinelone-update-threats-status", "sentinelone-write-threat-note",
    "sentinelone-update-alerts-verdict", "sentinelone-update-alerts-status", "sentinelone-remove-item-from-whitelist",
    "sentinelone-add-hash-to-blocklist", "sentinelone-remove-hash-from-blocklist", "sentinelone-create-star-rule",
    "sentinelone-update-star-rule", "sentinelone-enable-star-rules", "sentinelone-disable-star-rules",
    "sentinelone-delete-star-rule", "sentinelone-create-ioc", "sentinelone-delete-ioc",
    # polling and files
    "sentinelone-fetch-file", "sentinelone-download-fetched-file", "sentinelone-run-remote-script",
    "sentinelone-remote-script-automate-results", "sentinelone-get-power-query-results", "sentinelone-create-power-query",
    "sentinelone-ping-power-query",
    # beyond the specification
    "sentinelone-threat-analysis", "sentinelone-threat-download-from-cloud", "sentinelone-create-bulk-ioc",
    "sentinelone-list-installed-singularity-marketplace-applications", "sentinelone-get-service-users",
    # the newest public pack's unified exclusions and threat exports
    "sentinelone-get-unified-exclusions", "sentinelone-create-unified-exclusion", "sentinelone-delete-unified-exclusions",
    "sentinelone-export-threat-events", "sentinelone-export-full-threat-timeline",
    # UAM alerts: the GraphQL endpoint is 2.1 only
    "sentinelone-get-uam-alerts", "sentinelone-update-uam-alert-status", "sentinelone-update-uam-alert-verdict",
    "sentinelone-add-uam-alert-note",
]  # fmt: skip
# update-remote-system runs on both: the platform calls it for every mirrored incident, and on 2.0 it answers as long
# as there is nothing to send (SentinelOne_V2_mirroring_test.py).


def test_every_command_is_dispatched_with_exactly_its_api_versions():
    """
    Given the commands whose endpoints exist in one API version only
    When the dispatch map is read
    Then those commands are registered for that version alone and every other command for both.
    """
    expected = {name: s1.BOTH_VERSIONS for name in s1.COMMANDS}
    expected.update({name: s1.ONLY_V20 for name in ONLY_API_20})
    expected.update({name: s1.ONLY_V21 for name in ONLY_API_21})
    assert {name: entry.versions for name, entry in s1.COMMANDS.items()} == expected


@pytest.mark.parametrize(
    "command, api_version, supported",
    [(name, s1.V21, "2.0") for name in ONLY_API_20] + [(name, s1.V20, "2.1") for name in ONLY_API_21],
)
def test_a_one_version_command_is_refused_on_the_other_version_before_any_request(
    mocker, requests_mock, command, api_version, supported
):
    """
    Given a command that exists in one API version only, on an instance of the other version
    When main runs it
    Then one error entry names the command and both versions, and nothing is sent.
    """
    mocker.patch.object(
        demisto, "params", return_value={"url": CONSOLE, "credentials": {"password": TOKEN}, "api_version": api_version}
    )
    mocker.patch.object(demisto, "command", return_value=command)
    mocker.patch.object(demisto, "args", return_value={})
    results = mocker.patch.object(demisto, "results")
    with pytest.raises(SystemExit):
        s1.main()
    assert results.call_args[0][0]["Contents"] == (
        f"Failed to execute {command} command. Error: The {command} command is not supported for API version "
        f"{api_version}; it works with API version {supported}."
    )
    assert requests_mock.call_count == 0


def test_command_on_an_unsupported_version_names_command_and_version():
    """
    Given a command registered for API 2.1 only
    When it is dispatched for API 2.0
    Then the error names the command and both versions.
    """
    s1.COMMANDS["sentinelone-test-only-21"] = s1.Command(lambda c, a: None, versions=s1.ONLY_V21)
    try:
        with pytest.raises(s1.DemistoException) as error:
            s1.command_handler("sentinelone-test-only-21", "2.0")
        assert str(error.value) == (
            "The sentinelone-test-only-21 command is not supported for API version 2.0; it works with API version 2.1."
        )
    finally:
        del s1.COMMANDS["sentinelone-test-only-21"]


def test_unknown_command_is_not_implemented():
    """
    Given a command that is not in the dispatch map
    When it is dispatched
    Then NotImplementedError names it.
    """
    with pytest.raises(NotImplementedError, match="^Command sentinelone-nope is not implemented$"):
        s1.command_handler("sentinelone-nope", "2.1")


def test_main_turns_errors_into_one_error_entry_without_the_token(mocker, requests_mock):
    """
    Given a command whose request is rejected with 401
    When main runs it
    Then one error entry names the command and the cause, and the token appears nowhere.
    """
    mocker.patch.object(
        demisto, "params", return_value={"url": CONSOLE, "credentials": {"password": TOKEN}, "api_version": "2.1"}
    )
    mocker.patch.object(demisto, "command", return_value="sentinelone-get-agent")
    mocker.patch.object(demisto, "args", return_value={"agent_id": "1"})
    results = mocker.patch.object(demisto, "results")
    requests_mock.get(
        BASE_V21 + "agents", status_code=401, json={"errors": [{"code": 4010010, "title": "Authentication Failed"}]}
    )
    with pytest.raises(SystemExit):
        s1.main()
    entry = results.call_args[0][0]
    assert entry["Type"] == 4
    assert entry["Contents"] == (
        "Failed to execute sentinelone-get-agent command. Error: "
        "Authentication failed [401]: the API token is invalid or expired (Authentication Failed)"
    )
    assert all(TOKEN not in str(call) for call in results.call_args_list)


def test_test_module_ok(requests_mock, client_v21):
    """
    Given a console that answers system/info
    When test-module runs without fetching
    Then it returns ok.
    """
    requests_mock.get(BASE_V21 + "system/info", json={"data": {"build": "x"}})
    assert s1.test_module(client_v21, {}) == "ok"


@pytest.mark.parametrize(
    "status, expected_start",
    [
        (401, "Authorization failed: the API token is invalid or expired."),
        (403, "The API token's user lacks permission"),
        (404, "The console does not serve API version 2.1 at this URL (HTTP 404)."),
    ],
)
def test_test_module_explains_what_to_fix(requests_mock, client_v21, status, expected_start):
    """
    Given a console that rejects the token, the permission, or does not serve the API version
    When test-module runs
    Then the message says what an admin must fix.
    """
    requests_mock.get(BASE_V21 + "system/info", status_code=status, json={"errors": [{"code": status * 10000 + 10}]})
    assert s1.test_module(client_v21, {}).startswith(expected_start)


def test_test_module_unreachable_url(requests_mock, client_v21):
    """
    Given a URL that cannot be reached
    When test-module runs
    Then the message points at the Server URL and connection settings.
    """
    import requests

    requests_mock.get(BASE_V21 + "system/info", exc=requests.exceptions.ConnectionError("refused"))
    assert s1.test_module(client_v21, {}).startswith("Could not reach the SentinelOne console: check the Server URL")


def test_test_module_not_a_console(requests_mock, client_v21):
    """
    Given a URL that answers 200 with an HTML page
    When test-module runs
    Then the message says the URL does not look like a SentinelOne console.
    """
    requests_mock.get(BASE_V21 + "system/info", text="<html>login</html>")
    assert s1.test_module(client_v21, {}).startswith("The Server URL does not look like a SentinelOne console")


def test_format_date_is_utc_with_microseconds():
    """
    Given an aware datetime in another zone
    When it is formatted for the API
    Then it is UTC with six fraction digits and Z.
    """
    from datetime import timedelta

    moment = datetime(2024, 1, 1, 12, 0, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    assert s1.format_date(moment) == "2024-01-01T10:00:00.000005Z"


def test_backoff_is_capped(monkeypatch):
    """
    Given a retry that follows three failed attempts, with a large backoff factor
    When the next backoff is computed
    Then it is the cap, not factor * 2**2 (whatever the urllib3 version).
    """
    from urllib3.util.retry import RequestHistory

    monkeypatch.setattr(s1, "RETRY_BACKOFF_FACTOR", 100.0)
    monkeypatch.setattr(s1, "RETRY_MAX_SINGLE_WAIT", 7.0)
    failures = tuple(RequestHistory("GET", "/x", None, 503, None) for _ in range(3))
    assert s1.s1_retry().new(history=failures).get_backoff_time() == 7.0
