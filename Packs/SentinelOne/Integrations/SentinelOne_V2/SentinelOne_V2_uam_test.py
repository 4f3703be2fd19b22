"""Unit tests of Unified Alert Management (UAM) alerts: the GraphQL layer (documents, variables, errors, retries),
fetch-incidents' UAM stream, test-module's UAM checks, mirroring of UAM alerts both ways, and the four UAM commands.

Every GraphQL request is pinned by its operation's root fields and its exact variables (graphql_sent in conftest)."""

import json
from collections.abc import Iterable
from typing import Any
from unittest.mock import MagicMock

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
from CommonServerPython import CommandResults, EntryFormat, EntryType
from freezegun import freeze_time

from conftest import (
    BASE_V20,
    BASE_V21,
    CONSOLE,
    INSTANCE,
    REOPEN_ENTRY,
    TOKEN,
    close_entry,
    context,
    dispatch,
    graphql_operation,
    graphql_sent,
    load_fixture,
    make_client,
    readable,
    sent,
)

NOW = "2024-03-28T16:00:00Z"
FIRST_FETCH_MS = 1711382400000  # 2024-03-25T16:00:00Z: NOW - "3 days", the default first fetch
SITE = "475482421366727779"
GRAPHQL_V21 = BASE_V21 + "unifiedalerts/graphql"
THREATS_V21 = BASE_V21 + "threats"
ALERT_ID = "0b7a5c1e-2f3d-4e5a-8b9c-0d1e2f3a4b5c"
NULLS_ID = "5d0f9b1a-7c3e-4a2b-9e8d-1f2a3b4c5d6e"


def uid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def uam_alert(alert_id: str = ALERT_ID, created: str = "2024-03-26T10:00:00.123Z", **fields: Any) -> dict[str, Any]:
    alert = load_fixture("uam/alert.json")
    alert.update(id=alert_id, createdAt=created, updatedAt=created)
    alert.update(fields)
    return alert


def alerts_answer(nodes: list[dict[str, Any]], end_cursor: str | None = None) -> dict[str, Any]:
    """The JSON answer of the `alerts` query: one page, with a next page when `end_cursor` is given."""
    page_info = {"hasNextPage": end_cursor is not None, "hasPreviousPage": False, "startCursor": None, "endCursor": end_cursor}
    edges = [{"cursor": f"cursor-{node['id']}", "node": node} for node in nodes]
    return {"data": {"alerts": {"totalCount": len(nodes), "edges": edges, "pageInfo": page_info}}}


def page(nodes: list[dict[str, Any]], end_cursor: str | None = None) -> dict[str, Any]:
    return {"json": alerts_answer(nodes, end_cursor)}


def graphql_calls(requests_mock: Any) -> list[tuple[str, list[str], dict[str, Any]]]:
    return [graphql_sent(r) for r in requests_mock.request_history if r.url.endswith("unifiedalerts/graphql")]


def serve(requests_mock: Any, **answers: list[dict[str, Any]]) -> None:
    """Answer GraphQL requests by their first root field, each from its own queue of JSON answers (in order)."""
    queues = {field: list(bodies) for field, bodies in answers.items()}

    def answer(request: Any, _context: Any) -> dict[str, Any]:
        _operation, fields, _variables = graphql_sent(request)
        return queues[fields[0]].pop(0)

    requests_mock.post(GRAPHQL_V21, json=answer)


def time_filter(start_ms: int, field: str = "createdAt") -> dict[str, Any]:
    return {"fieldId": field, "dateTimeRange": {"start": start_ms}}


def fetch_variables(*filters: dict[str, Any], first: int = 10, after: str | None = None, view: str = "ALL") -> dict:
    return {
        "viewType": view,
        "filters": list(filters),
        "sort": {"by": "createdAt", "order": "ASC"},
        "first": first,
        "after": after,
    }


NEW_ONLY = {"fieldId": "status", "stringIn": {"values": ["NEW"]}}  # the default alert status filter (UNRESOLVED)


# --- the test helper itself ---


def test_graphql_operation_reads_the_root_fields_of_the_operation_only():
    """
    Given documents with variables, aliases, arguments holding objects, nested selections and a fragment
    When the conftest helper parses them
    Then it returns the operation type and the root field names only (the integration's documents too).
    """
    document = """
    query Two($first: Int, $filters: [FilterInput!]) {
      recent: alerts(first: $first, filters: [{fieldId: "x", stringIn: {values: ["a"]}}]) { edges { node { id } } }
      alert(id: "1") { ...F nested { deeper } }
    }
    fragment F on Alert { notARootField }
    """
    assert graphql_operation(document) == ("query", ["alerts", "alert"])
    assert graphql_operation(s1.UAM_ALERTS_QUERY) == ("query", ["alerts"])
    assert graphql_operation(s1.UAM_ALERT_QUERY) == ("query", ["alert"])
    assert graphql_operation(s1.UAM_ALERT_NOTES_QUERY) == ("query", ["alertNotes"])
    assert graphql_operation(s1.UAM_TRIGGER_ACTIONS_MUTATION) == ("mutation", ["alertTriggerActions"])


# --- the GraphQL layer ---


def test_graphql_posts_the_document_and_the_variables_and_returns_data(requests_mock, client_v21):
    """
    Given a console answering a query with data
    When the client runs one query
    Then it POSTs {query, variables} to unifiedalerts/graphql with the API token, and returns `data`.
    """
    requests_mock.post(GRAPHQL_V21, json={"data": {"alert": {"id": ALERT_ID}}})
    assert client_v21.get_uam_alert(ALERT_ID) == {"id": ALERT_ID}
    request = requests_mock.last_request
    assert request.headers["Authorization"] == f"ApiToken {TOKEN}"
    assert request.json() == {"query": s1.UAM_ALERT_QUERY, "variables": {"id": ALERT_ID}}
    assert graphql_sent(request) == ("query", ["alert"], {"id": ALERT_ID})


def test_values_never_enter_the_document_text(requests_mock, client_v21):
    """
    Given values that would break a document if pasted into it (quotes, braces, a cursor)
    When list, by-id, notes and action requests are sent
    Then each document is one of the module's constants, unchanged, and the values travel only in `variables`.
    """
    odd = 'x" } alerts { id'
    requests_mock.post(
        GRAPHQL_V21,
        [
            {"json": alerts_answer([])},
            {"json": {"data": {"alert": None}}},
            {"json": {"data": {"alertNotes": {"data": []}}}},
            {"json": {"data": {"alertTriggerActions": {"actions": [{"actionId": s1.UAM_NOTE_ACTION, "success": [ALERT_ID]}]}}}},
        ],
    )
    client_v21.uam_alerts_page({"viewType": "ALL", "filters": [], "limit": 5, "cursor": odd})
    client_v21.get_uam_alert(odd)
    client_v21.list_uam_alert_notes(odd)
    client_v21.trigger_uam_actions([s1.uam_note_action(odd)], [ALERT_ID])
    documents = [r.json()["query"] for r in requests_mock.request_history]
    assert documents == [s1.UAM_ALERTS_QUERY, s1.UAM_ALERT_QUERY, s1.UAM_ALERT_NOTES_QUERY, s1.UAM_TRIGGER_ACTIONS_MUTATION]
    assert all(odd not in document for document in documents)
    assert [r.json()["variables"] for r in requests_mock.request_history][:3] == [
        {"viewType": "ALL", "filters": [], "first": 5, "after": odd},
        {"id": odd},
        {"alertId": odd},
    ]


@pytest.mark.parametrize(
    "answer, message",
    [
        (
            {"errors": [{"message": 'Unknown argument "foo" on field "Query.alerts".', "path": ["alerts"]}], "data": None},
            'SentinelOne UAM GraphQL error: Unknown argument "foo" on field "Query.alerts".',
        ),
        (
            {
                "errors": [{"message": "first: expected 1 to 1000"}, {"message": "unknown fieldId 'color'"}],
                "data": {"alerts": {"edges": [], "pageInfo": {}}},
            },
            "SentinelOne UAM GraphQL error: first: expected 1 to 1000; unknown fieldId 'color'",
        ),
        ({"data": None}, "SentinelOne UAM GraphQL error: the answer has no data ({'data': None})"),
    ],
)
def test_graphql_errors_are_raised_quoting_the_server_even_with_partial_data(requests_mock, client_v21, answer, message):
    """
    Given an HTTP 200 answer with `errors` (without data, or beside partial data), or without data at all
    When a query runs
    Then UamGraphQLError (an S1ApiError) is raised quoting every message.
    """
    requests_mock.post(GRAPHQL_V21, json=answer)
    with pytest.raises(s1.UamGraphQLError) as error:
        client_v21.uam_alerts_page({"viewType": "ALL", "filters": [], "limit": 1})
    assert str(error.value) == message
    assert isinstance(error.value, s1.S1ApiError)


@pytest.mark.parametrize(
    "status, body, message",
    [
        (401, {"errors": [{"code": 4010010, "title": "Authentication Failed"}]}, "Authentication failed [401]"),
        (429, {"errors": [{"code": 4290010, "title": "Too Many Requests"}]}, "API rate limit exceeded [429]"),
        (404, {"errors": [{"code": 4040010, "title": "Not Found"}]}, "SentinelOne API error [404]: Not Found"),
    ],
)
def test_graphql_http_errors_are_the_rest_errors(requests_mock, client_v21, status, body, message):
    """
    Given the GraphQL endpoint answering an HTTP error
    When a query runs
    Then the error is the one REST calls raise (so mirroring's "API rate limit" and test-module's checks apply).
    """
    requests_mock.post(GRAPHQL_V21, status_code=status, json=body)
    with pytest.raises(s1.S1ApiError, match=message.replace("[", r"\[").replace("]", r"\]")):
        client_v21.get_uam_alert(ALERT_ID)


def retry_rules(client: s1.Client) -> list[tuple[bool, bool, bool]]:
    """Per adapter (https, http): whether a POST 503, a POST 429 and a GET 503 would be retried."""
    retries = [adapter.max_retries for adapter in client.http_adapters()]
    return [(retry.is_retry("POST", 503), retry.is_retry("POST", 429), retry.is_retry("GET", 503)) for retry in retries]


@pytest.mark.parametrize("mirroring", [False, True])
def test_a_query_runs_with_read_retries_and_a_mutation_with_the_plain_ones(requests_mock, mirroring):
    """
    Given a client, in mirroring's no-rate-limit mode or not
    When a query and then a mutation are sent (the query failing with a GraphQL error)
    Then during the query both adapters retry POST 5xx as a GET's (a query only reads), during the mutation they do not
    (it could act twice); 429 follows the mode throughout, and afterwards the client's own rules are back (also after
    the failure); a retried query's next attempt keeps the query's rules.
    """
    client = make_client(s1.V21)
    if mirroring:
        client.stop_retrying_rate_limits()
    rate_limits = not mirroring
    read, plain = (True, rate_limits, True), (False, rate_limits, True)
    seen = []

    def answer(request: Any, _context: Any) -> dict[str, Any]:
        seen.append(retry_rules(client))
        return {"errors": [{"message": "boom"}]} if "query" in request.json()["query"].split("(")[0] else {"data": {}}

    requests_mock.post(GRAPHQL_V21, json=answer)
    with pytest.raises(s1.UamGraphQLError):
        client.get_uam_alert(ALERT_ID)
    client.trigger_uam_actions([s1.uam_status_action("NEW")], [ALERT_ID])
    assert seen == [[read, read], [plain, plain]]
    assert retry_rules(client) == [plain, plain]
    with client.posts_retried_as_reads():
        next_attempt = client.http_adapters()[0].max_retries.increment("POST", "/x")
    assert (next_attempt.is_retry("POST", 503), next_attempt.is_retry("POST", 429)) == (True, rate_limits)


def test_actions_refuse_an_empty_alert_list_before_any_request(requests_mock, client_v21):
    """
    Given no alert ID
    When actions would be triggered
    Then nothing is sent: an empty filter would act on every alert in scope.
    """
    with pytest.raises(ValueError, match="UAM actions need at least one alert ID"):
        client_v21.trigger_uam_actions([s1.uam_status_action("RESOLVED")], [])
    assert requests_mock.call_count == 0


def test_alert_pages_follow_the_cursor_until_the_limit(requests_mock, client_v21):
    """
    Given three pages of alerts
    When 5 alerts are listed from a cursor
    Then the pages are requested with first = what is still missing and after = the previous endCursor, and the
    cursor to continue from is returned.
    """
    nodes = [uam_alert(uid(n)) for n in range(6)]
    requests_mock.post(GRAPHQL_V21, [page(nodes[:2], "c2"), page(nodes[2:4], "c4"), page(nodes[4:], "c6")])
    alerts, cursor = client_v21.list_uam_alerts({"viewType": "ALL", "filters": [], "cursor": "c0"}, 5)
    assert [alert["id"] for alert in alerts] == [uid(n) for n in range(5)]
    assert cursor == "c6"
    assert [(variables["first"], variables["after"]) for _, _, variables in graphql_calls(requests_mock)] == [
        (5, "c0"),
        (3, "c2"),
        (1, "c4"),
    ]


# --- fetch-incidents ---


def base_params(**overrides: Any) -> dict[str, Any]:
    return {"url": CONSOLE, "credentials": {"password": TOKEN}, "isFetch": True, "fetch_type": "", **overrides}


@freeze_time(NOW)
def test_fetch_uam_first_run_request_incidents_and_state(requests_mock, client_v21, last_run):
    """
    Given UAM alerts fetched alone (fetch_type cleared), the view type in lower case, a site and two severities
    When fetch-incidents runs for the first time
    Then one `alerts` query asks for the view type upper-cased, createdAt from the first fetch time (epoch ms,
    inclusive), the site, severity and status (UNRESOLVED = NEW) filters, ascending createdAt, first = fetch_limit; both
    alerts (sharing one millisecond) become incidents and the state records both ids under its own key.
    """
    alerts = [uam_alert(uid(1)), uam_alert(uid(2))]
    requests_mock.post(GRAPHQL_V21, [page(alerts)])
    params = base_params(fetch_uam_alert_type="endpoint", fetch_site_ids=SITE, fetch_severity=["High", "Critical"])
    incidents, next_run = s1.fetch_incidents(client_v21, params)
    assert graphql_calls(requests_mock) == [
        (
            "query",
            ["alerts"],
            fetch_variables(
                time_filter(FIRST_FETCH_MS),
                {"fieldId": "siteId", "stringIn": {"values": [SITE]}},
                {"fieldId": "severity", "stringIn": {"values": ["HIGH", "CRITICAL"]}},
                NEW_ONLY,
                view="ENDPOINT",
            ),
        )
    ]
    assert [incident["dbotMirrorId"] for incident in incidents] == [f"uam:{uid(1)}", f"uam:{uid(2)}"]
    assert next_run == {
        "uam": {
            "version": 1,
            "since": "2024-03-26T09:55:00.123000Z",
            "watermark": "2024-03-26T10:00:00.123000Z",
            "seen_ids": {uid(1): "2024-03-26T10:00:00.123000Z", uid(2): "2024-03-26T10:00:00.123000Z"},
        }
    }


@freeze_time(NOW)
def test_uam_incident_shape_with_labels_and_mirroring_keys(requests_mock, client_v21, last_run):
    """
    Given a UAM alert and mirroring Incoming And Outgoing with a note tag
    When it is fetched
    Then the incident is named after the alert, occurred = createdAt, severity High (3), type SentinelOne UAM Alert,
    mirror ID uam:<id>; rawJSON is the node unchanged plus the status and verdict labels, the scope line and the mapper
    keys.
    """
    alert = uam_alert(status="IN_PROGRESS", analystVerdict="TRUE_POSITIVE_PUA_ADWARE")
    requests_mock.post(GRAPHQL_V21, [page([alert])])
    params = base_params(fetch_uam_alert_type="ALL", mirror_direction="Incoming And Outgoing", comment_tag="comment")
    params["fetch_incidentStatus"] = []
    (incident,) = s1.fetch_incidents(client_v21, params)[0]
    assert {key: value for key, value in incident.items() if key != "rawJSON"} == {
        "name": "SentinelOne UAM Alert: Credential dumping via LSASS access",
        "occurred": "2024-03-26T10:00:00.123000Z",
        "severity": 3,
        "type": "SentinelOne UAM Alert",
        "dbotMirrorId": f"uam:{ALERT_ID}",
        "dbotMirrorDirection": "Both",
        "dbotMirrorInstance": INSTANCE,
        "dbotMirrorTags": ["comment"],
    }
    assert json.loads(incident["rawJSON"]) == {
        **alert,
        "status_label": "In progress",
        "analyst_verdict_label": "True positive - PUA/Adware",
        "scope_path": "Acme / Finance / Laptops",
        "incident_type": "SentinelOne UAM Alert",
        "s1_stream": "uam",
        "s1_api_version": "2.1",
        "mirror_id": f"uam:{ALERT_ID}",
        "mirror_direction": "Both",
        "mirror_instance": INSTANCE,
        "mirror_tags": ["comment"],
    }


@freeze_time(NOW)
def test_null_nested_objects_and_unknown_values_never_break_a_run(requests_mock, client_v21, last_run):
    """
    Given an alert whose nested objects are null (realTime.scope.site too), with no name and an unknown severity
    When it is fetched (no site filter)
    Then it becomes an incident named from the id, severity Low, no labels, and the run completes.
    """
    alert = load_fixture("uam/alert_nulls.json")
    requests_mock.post(GRAPHQL_V21, [page([alert])])
    (incident,) = s1.fetch_incidents(client_v21, base_params(fetch_uam_alert_type="ALL"))[0]
    assert (incident["name"], incident["severity"]) == (f"SentinelOne UAM Alert: Unnamed alert {NULLS_ID}", 1)
    raw = json.loads(incident["rawJSON"])
    assert (raw["status_label"], raw["analyst_verdict_label"], raw["scope_path"]) == ("New", None, None)


@pytest.mark.parametrize(
    "severity, expected",
    [("CRITICAL", 4), ("HIGH", 3), ("medium", 2), ("LOW", 1), ("INFO", 0.5), ("UNKNOWN", 1), (None, 1)],
)
def test_uam_severity_map(severity, expected):
    """
    Given a UAM alert's severity
    When the incident severity is taken
    Then CRITICAL 4, HIGH 3, MEDIUM 2, LOW 1, INFO 0.5 (case-insensitive), anything else Low.
    """
    assert s1.uam_severity({"severity": severity}) == expected


@pytest.mark.parametrize(
    "fields, name",
    [
        ({"name": "Encoded PowerShell"}, "Encoded PowerShell"),
        ({"name": None}, "LSASS memory access"),
        ({"name": "", "analytics": None}, f"Unnamed alert {ALERT_ID}"),
    ],
)
def test_uam_incident_name_falls_back_to_the_analytics_then_the_id(fields, name):
    """
    Given an alert with or without a name
    When the incident name is built
    Then it is the name, else the analytics name, else "Unnamed alert <id>"; never None.
    """
    assert s1.uam_alert_name(uam_alert(**fields)) == name


@freeze_time(NOW)
def test_uam_ties_larger_than_the_limit_are_fetched_exactly_once_across_runs(requests_mock, client_v21, last_run):
    """
    Given five alerts sharing one millisecond and fetch_limit 2
    When fetch-incidents runs again and again, each run from the saved state (the console answering from `start`)
    Then each run takes the next two unseen alerts, asking for the seen ids plus the limit, until all five are done.
    """
    alerts = [uam_alert(uid(n)) for n in range(5)]
    requests_mock.post(GRAPHQL_V21, json=lambda request, _context: alerts_answer(alerts[: request.json()["variables"]["first"]]))
    runs, firsts = [], []
    for _ in range(4):
        incidents, next_run = s1.fetch_incidents(client_v21, base_params(fetch_uam_alert_type="ALL", fetch_limit="2"))
        last_run.clear()
        last_run.update(next_run)
        runs.append([incident["dbotMirrorId"].removeprefix("uam:") for incident in incidents])
        firsts.append(graphql_calls(requests_mock)[-1][2]["first"])
    assert runs == [[uid(0), uid(1)], [uid(2), uid(3)], [uid(4)], []]
    assert firsts == [2, 4, 6, 7]


@freeze_time(NOW)
def test_uam_fetch_follows_the_cursor_within_a_run(requests_mock, client_v21, last_run):
    """
    Given a saved state whose seen ids fill the first page, and the next alerts on a second page
    When fetch-incidents runs
    Then it follows endCursor within the run (after = the cursor) and fetches the new alerts; the cursor is not kept.
    """
    moment = "2024-03-26T10:00:00.123Z"
    seen = {uid(n): "2024-03-26T10:00:00.123000Z" for n in range(3)}
    last_run["uam"] = {
        "version": 1,
        "since": "2024-03-26T09:55:00.123000Z",
        "watermark": "2024-03-26T10:00:00.123000Z",
        "seen_ids": seen,
    }
    requests_mock.post(
        GRAPHQL_V21, [page([uam_alert(uid(n), moment) for n in range(3)], "p2"), page([uam_alert(uid(3), moment)])]
    )
    incidents, next_run = s1.fetch_incidents(client_v21, base_params(fetch_uam_alert_type="ALL", fetch_limit="1"))
    assert [incident["dbotMirrorId"] for incident in incidents] == [f"uam:{uid(3)}"]
    start = 1711446900123  # 2024-03-26T09:55:00.123Z
    assert [variables for _, _, variables in graphql_calls(requests_mock)] == [
        fetch_variables(time_filter(start), NEW_ONLY, first=4),
        fetch_variables(time_filter(start), NEW_ONLY, first=4, after="p2"),
    ]
    assert set(next_run["uam"]["seen_ids"]) == {uid(n) for n in range(4)}


@freeze_time(NOW)
@pytest.mark.parametrize(
    "alert_fields",
    [
        {"severity": "LOW"},
        {"status": "RESOLVED"},
        {"realTime": {"scope": {"account": None, "group": None, "site": {"id": "999", "name": "Other"}}}},
        {"realTime": None},
    ],
)
def test_a_console_ignoring_a_filter_adds_no_excluded_incident(requests_mock, client_v21, last_run, alert_fields):
    """
    Given fetch filters (site, severities High and Critical, status UNRESOLVED) and a console that returns an alert
    outside them anyway
    When fetch-incidents runs
    Then that alert is passed over client-side; the matching one becomes an incident.
    """
    alerts = [uam_alert(uid(1), **alert_fields), uam_alert(uid(2), "2024-03-26T10:00:01.000Z")]
    requests_mock.post(GRAPHQL_V21, [page(alerts)])
    params = base_params(fetch_uam_alert_type="ALL", fetch_site_ids=SITE, fetch_severity="High,Critical")
    incidents, _ = s1.fetch_incidents(client_v21, params)
    assert [incident["dbotMirrorId"] for incident in incidents] == [f"uam:{uid(2)}"]


@freeze_time(NOW)
def test_uam_fetch_takes_over_the_public_uam_time_and_keeps_the_public_time(requests_mock, client_v21, last_run):
    """
    Given the public pack's lastRun {"time": ..., "uam_time": <epoch ms>} and UAM alerts fetched alone
    When fetch-incidents runs
    Then UAM starts 1 ms after uam_time (the public pack fetched strictly after it), uam_time is dropped and "time" is
    kept for the threat or alert stream that may be switched on later.
    """
    last_run.update(time=1711450000000, uam_time=1711440000000)
    requests_mock.post(GRAPHQL_V21, [page([])])
    _, next_run = s1.fetch_incidents(client_v21, base_params(fetch_uam_alert_type="ALL"))
    assert graphql_calls(requests_mock)[0][2]["filters"][0] == time_filter(1711440000001)
    assert set(next_run) == {"time", "uam"}
    assert next_run["uam"]["since"] == "2024-03-26T08:00:00.001000Z"


@freeze_time(NOW)
def test_uam_threats_and_alerts_are_fetched_together_each_from_its_own_state(requests_mock, client_v21, last_run):
    """
    Given fetch_type Both, a UAM view type, and a saved threat state far ahead of the fresh alert and UAM streams
    When fetch-incidents runs
    Then threats, alerts and UAM alerts are each read from their own position, and three states are written.
    """
    last_run["threat"] = {"version": 1, "since": "2024-03-27T00:00:00.000000Z", "watermark": None, "seen_ids": {}}
    requests_mock.get(THREATS_V21, json={"data": [], "pagination": {"nextCursor": None}})
    requests_mock.get(BASE_V21 + "cloud-detection/alerts", json={"data": [], "pagination": {"nextCursor": None}})
    requests_mock.post(GRAPHQL_V21, [page([uam_alert()])])
    incidents, next_run = s1.fetch_incidents(client_v21, base_params(fetch_type="Both", fetch_uam_alert_type="STAR"))
    assert [sent(r)[1] for r in requests_mock.request_history] == ["threats", "cloud-detection/alerts", "unifiedalerts/graphql"]
    assert sent(requests_mock.request_history[0])[2]["createdAt__gte"] == "2024-03-27T00:00:00.000000Z"
    assert graphql_calls(requests_mock)[0][2] == fetch_variables(time_filter(FIRST_FETCH_MS), NEW_ONLY, view="STAR")
    assert [incident["dbotMirrorId"] for incident in incidents] == [f"uam:{ALERT_ID}"]
    assert set(next_run) == {"threat", "alert", "uam"}


@freeze_time(NOW)
def test_without_fetch_type_the_default_threats_are_fetched_beside_uam(requests_mock, client_v21, last_run):
    """
    Given fetch_type absent (an instance saved before the parameter existed) and a UAM view type
    When fetch-incidents runs
    Then threats (the YAML default) and UAM alerts are fetched.
    """
    requests_mock.get(THREATS_V21, json={"data": [], "pagination": {"nextCursor": None}})
    requests_mock.post(GRAPHQL_V21, [page([])])
    params = base_params(fetch_uam_alert_type="ALL")
    del params["fetch_type"]
    _, next_run = s1.fetch_incidents(client_v21, params)
    assert set(next_run) == {"threat", "uam"}


@pytest.mark.parametrize(
    "params, streams",
    [
        ({"fetch_type": "None", "fetch_uam_alert_type": "ALL"}, ["uam"]),
        ({"fetch_type": "none", "fetch_uam_alert_type": "identity"}, ["uam"]),
        ({"fetch_type": "", "fetch_uam_alert_type": "ALL"}, ["uam"]),
        ({"fetch_type": "", "fetch_uam_alert_type": ""}, ["threat"]),
        ({"fetch_type": "Alerts", "fetch_uam_alert_type": "CLOUD"}, ["alert", "uam"]),
        ({"fetch_type": "Both"}, ["threat", "alert"]),
    ],
)
def test_fetch_type_and_uam_alert_type_select_the_streams(params, streams):
    """
    Given fetch_type and fetch_uam_alert_type
    When the settings are read
    Then UAM is fetched whenever a view type is set; fetch_type None (any case), or cleared while a view type is set,
    fetches UAM alerts alone; cleared without one it keeps the YAML default (Threats).
    """
    settings = s1.fetch_settings(params, s1.API_VERSIONS["2.1"], INSTANCE)
    assert [stream.name for stream in s1.fetch_streams(settings)] == streams


@pytest.mark.parametrize(
    "api_version, params, message",
    [
        (
            "2.1",
            {"fetch_uam_alert_type": "EVERYTHING"},
            "fetch_uam_alert_type: expected one of ALL, CLOUD, CUSTOM_ALERTS, ENDPOINT, IDENTITY, STAR, THIRD_PARTY, "
            "got 'EVERYTHING'",
        ),
        (
            "2.1",
            {"fetch_type": "None"},
            "fetch_type, fetch_uam_alert_type: nothing to fetch. Choose Threats, Alerts or Both, or a UAM alert type.",
        ),
        (
            "2.0",
            {"fetch_uam_alert_type": "ALL"},
            "fetch_uam_alert_type: UAM alerts can only be fetched with API version 2.1; this instance uses API version "
            "2.0. Clear it or switch the API version.",
        ),
    ],
)
def test_uam_fetch_settings_errors_name_the_parameter(api_version, params, message):
    """
    Given a bad UAM view type, nothing selected, or UAM on API 2.0
    When the settings are read
    Then the error names the parameter (and the allowed values or the version).
    """
    with pytest.raises(ValueError) as error:
        s1.fetch_settings(params, s1.API_VERSIONS[api_version], INSTANCE)
    assert str(error.value) == message


def test_uam_fetch_on_api_20_fails_before_any_request(requests_mock, client_v20, last_run):
    """
    Given API 2.0 and a UAM view type
    When fetch-incidents runs
    Then it fails naming fetch_uam_alert_type and API 2.1, and sends nothing.
    """
    with pytest.raises(ValueError, match="^fetch_uam_alert_type: UAM alerts can only be fetched with API version 2.1"):
        s1.fetch_incidents(client_v20, base_params(api_version="2.0", fetch_uam_alert_type="ALL"))
    assert requests_mock.call_count == 0


@freeze_time(NOW)
def test_main_fetch_with_a_graphql_error_commits_nothing(mocker, requests_mock, last_run):
    """
    Given threats answered and the UAM query answered with a GraphQL error
    When main runs fetch-incidents
    Then the run fails quoting the server, and neither incidents nor lastRun reach the platform.
    """
    mocker.patch.object(demisto, "params", return_value=base_params(fetch_type="Threats", fetch_uam_alert_type="ALL"))
    mocker.patch.object(demisto, "command", return_value="fetch-incidents")
    mocker.patch.object(demisto, "error")
    platform = MagicMock()
    mocker.patch.object(demisto, "incidents", platform.incidents)
    mocker.patch.object(demisto, "setLastRun", platform.setLastRun)
    requests_mock.get(THREATS_V21, json={"data": [], "pagination": {"nextCursor": None}})
    requests_mock.post(GRAPHQL_V21, json={"errors": [{"message": "Variable '$viewType' got invalid value"}], "data": None})
    with pytest.raises(Exception) as error:
        s1.main()
    assert str(error.value) == (
        "Failed to execute fetch-incidents command. Error: SentinelOne UAM GraphQL error: Variable '$viewType' got invalid value"
    )
    assert platform.mock_calls == []


# --- test-module ---


@freeze_time(NOW)
def test_test_module_probes_the_uam_query_with_one_item(requests_mock, client_v21):
    """
    Given isFetch on and UAM alerts fetched alone, from one site
    When test-module runs
    Then after the system check it sends one `alerts` query with first 1 and the fetch filters, and says ok.
    """
    requests_mock.get(BASE_V21 + "system/info", json={"data": {}})
    requests_mock.post(GRAPHQL_V21, [page([])])
    assert s1.test_module(client_v21, base_params(fetch_uam_alert_type="CLOUD", fetch_site_ids=SITE)) == "ok"
    assert graphql_calls(requests_mock) == [
        (
            "query",
            ["alerts"],
            fetch_variables(
                time_filter(FIRST_FETCH_MS),
                {"fieldId": "siteId", "stringIn": {"values": [SITE]}},
                NEW_ONLY,
                first=1,
                view="CLOUD",
            ),
        )
    ]


@pytest.mark.parametrize(
    "answer, cause",
    [
        (
            {"json": {"errors": [{"message": "unknown fieldId 'siteId'"}], "data": None}},
            "SentinelOne UAM GraphQL error: unknown fieldId 'siteId'",
        ),
        ({"status_code": 404, "json": {"errors": [{"title": "Not Found"}]}}, "SentinelOne API error [404]: Not Found"),
    ],
)
def test_test_module_names_the_uam_parameter_when_the_probe_is_refused(requests_mock, client_v21, answer, cause):
    """
    Given a console that refuses the UAM probe (a GraphQL error, or no UAM endpoint at all)
    When test-module runs
    Then the message names the UAM stream, quotes the console and names fetch_uam_alert_type.
    """
    requests_mock.get(BASE_V21 + "system/info", json={"data": {}})
    requests_mock.post(GRAPHQL_V21, **answer)
    assert s1.test_module(client_v21, base_params(fetch_uam_alert_type="ALL")) == (
        f"The console rejected the UAM alerts fetch query: {cause}. Check fetch_uam_alert_type and the site, severity "
        "and status fetch filters; a console without Unified Alert Management (HTTP 404) cannot fetch UAM alerts: clear "
        "fetch_uam_alert_type."
    )


def test_test_module_on_api_20_names_the_uam_parameter(requests_mock, client_v20):
    """
    Given API 2.0, isFetch on and a UAM view type
    When test-module runs
    Then it says UAM needs API 2.1, naming fetch_uam_alert_type, without probing.
    """
    requests_mock.get(BASE_V20 + "system/info", json={"data": {}})
    assert s1.test_module(client_v20, base_params(fetch_uam_alert_type="ALL")) == (
        "Fetch settings: fetch_uam_alert_type: UAM alerts can only be fetched with API version 2.1; this instance uses "
        "API version 2.0. Clear it or switch the API version."
    )
    assert requests_mock.call_count == 1


# --- mirroring ---


@pytest.fixture
def platform(platform: Any) -> Any:
    """conftest's platform, on an instance that fetches UAM alerts alone and mirrors them both ways, closing incidents."""
    platform.params.update(fetch_type="", fetch_uam_alert_type="ALL", close_xsoar_incident=True)
    return platform


def modified_variables(start_ms: int, *filters: dict[str, Any], after: str | None = None, view: str = "ALL") -> dict:
    return {
        "viewType": view,
        "filters": [time_filter(start_ms, "updatedAt"), *filters],
        "sort": {"by": "updatedAt", "order": "ASC"},
        "first": 1000,
        "after": after,
    }


LAST_UPDATE_MS = 1711454400000  # 2024-03-26T12:00:00Z


def uam_position(*changes: tuple[int, str]) -> dict[str, Any]:
    """The UAM mirroring position after reporting these (alert number, HH:MM update time) changes since 12:00."""
    seen = {f"uam:{uid(n)}@2024-03-26T{hhmm}:00.000000Z": f"2024-03-26T{hhmm}:00.000000Z" for n, hhmm in changes}
    watermark = max(seen.values())
    return {"version": 1, "since": "2024-03-26T12:00:00.000000Z", "watermark": watermark, "seen_ids": seen}


@freeze_time(NOW)
def test_modified_uam_alerts_are_found_by_update_time_page_after_page(requests_mock, client_v21, platform):
    """
    Given UAM alerts fetched from one site (of view ENDPOINT), no saved position, and three alerts updated since
    lastUpdate on two pages
    When the platform runs get-modified-remote-data
    Then `alerts` is asked for updatedAt >= lastUpdate in the site (no status or severity filter: a fetched alert that
    changed status is a change), ascending updatedAt, 1000 per page, the cursor followed; the ids come back as
    uam:<id> and the position is saved under the stream's key.
    """
    platform.params.update(fetch_uam_alert_type="ENDPOINT", fetch_site_ids=SITE, fetch_severity="High")
    updated = ["2024-03-26T12:01:00.000Z", "2024-03-26T12:02:00.000Z", "2024-03-26T12:02:00.000Z"]
    alerts = [uam_alert(uid(n), "2024-03-25T20:00:00.000Z", updatedAt=updated[n]) for n in range(3)]
    requests_mock.post(GRAPHQL_V21, [page(alerts[:2], "p2"), page(alerts[2:])])
    response = s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:00:00Z"})
    assert response.modified_incident_ids == [f"uam:{uid(n)}" for n in range(3)]
    site = {"fieldId": "siteId", "stringIn": {"values": [SITE]}}
    assert graphql_calls(requests_mock) == [
        ("query", ["alerts"], modified_variables(LAST_UPDATE_MS, site, view="ENDPOINT")),
        ("query", ["alerts"], modified_variables(LAST_UPDATE_MS, site, after="p2", view="ENDPOINT")),
    ]
    assert platform.last_mirror_run == {
        "version": 1,
        "uam": uam_position((0, "12:01"), (1, "12:02"), (2, "12:02")),
    }


@freeze_time(NOW)
def test_the_next_mirroring_run_reports_only_new_uam_changes(requests_mock, client_v21, platform):
    """
    Given the position of a run that reported alert 0 and alert 1
    When the next run sees alert 0 unchanged and alert 1 changed again
    Then only alert 1 is reported, and the query starts from the saved position, not from lastUpdate.
    """
    platform.last_mirror_run = {"version": 1, "uam": uam_position((0, "12:01"), (1, "12:02"))}
    alerts = [
        uam_alert(uid(0), updatedAt="2024-03-26T12:01:00.000Z"),
        uam_alert(uid(1), updatedAt="2024-03-26T12:09:00.000Z"),
    ]
    requests_mock.post(GRAPHQL_V21, [page(alerts)])
    response = s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:30:00Z"})
    assert response.modified_incident_ids == [f"uam:{uid(1)}"]
    assert graphql_calls(requests_mock)[0][2] == modified_variables(LAST_UPDATE_MS)


@freeze_time(NOW)
def test_thousands_of_uam_changes_cost_one_request_per_thousand(requests_mock, client_v21, platform):
    """
    Given 2500 UAM alerts updated since lastUpdate
    When get-modified-remote-data runs
    Then every one is reported after three requests.
    """
    alerts = [uam_alert(uid(n), updatedAt=f"2024-03-26T12:{n // 60:02d}:{n % 60:02d}.000Z") for n in range(2500)]
    requests_mock.post(GRAPHQL_V21, [page(alerts[:1000], "c1"), page(alerts[1000:2000], "c2"), page(alerts[2000:])])
    response = s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:00:00Z"})
    assert len(response.modified_incident_ids) == 2500
    assert [variables["after"] for _, _, variables in graphql_calls(requests_mock)] == [None, "c1", "c2"]


def remote(client: s1.Client, remote_id: str = f"uam:{ALERT_ID}") -> Any:
    return s1.get_remote_data_command(client, {"id": remote_id, "lastUpdate": "2024-03-26T12:00:00Z"})


def uam_keys(remote_id: str = f"uam:{ALERT_ID}") -> dict[str, Any]:
    return {
        "incident_type": "SentinelOne UAM Alert",
        "s1_stream": "uam",
        "s1_api_version": "2.1",
        "mirror_id": remote_id,
        "mirror_direction": "Both",
        "mirror_instance": INSTANCE,
        "mirror_tags": ["comment"],
    }


def note(text: str, author: str, created: str) -> dict[str, Any]:
    return {
        "Type": EntryType.NOTE,
        "Contents": f"**SentinelOne note** by {author} ({created}):\n\n{text}",
        "ContentsFormat": EntryFormat.MARKDOWN,
        "Note": True,
    }


def test_a_uam_alert_without_notes_costs_one_request_and_comes_with_labels(requests_mock, client_v21, platform):
    """
    Given an alert in progress, with a verdict, and no notes
    When get-remote-data runs
    Then one `alert` query by id is sent; the mirrored object is the node with the labels and the mapper keys.
    """
    alert = uam_alert(status="IN_PROGRESS", analystVerdict="TRUE_POSITIVE_RANSOMWARE")
    requests_mock.post(GRAPHQL_V21, json={"data": {"alert": alert}})
    result = remote(client_v21)
    assert graphql_calls(requests_mock) == [("query", ["alert"], {"id": ALERT_ID})]
    assert result.mirrored_object == {
        **alert,
        "status_label": "In progress",
        "analyst_verdict_label": "True positive - Ransomware",
        "scope_path": "Acme / Finance / Laptops",
        **uam_keys(),
    }
    assert result.entries == []
    assert platform.context == {}  # nothing new to remember: not resolved, no notes


def test_uam_notes_come_in_once_and_only_when_the_alert_has_some(requests_mock, client_v21, platform):
    """
    Given an alert with three notes: two by console users, one written from XSOAR
    When get-remote-data runs twice
    Then the first run reads the notes (a second request) and brings the two console notes in, oldest first, with
    their authors; the second brings none; the note ids are remembered.
    """
    serve(
        requests_mock,
        alert=[{"data": {"alert": uam_alert(noteExists=True)}}] * 2,
        alertNotes=[load_fixture("uam/notes.json")] * 2,
    )
    first = remote(client_v21)
    assert first.entries == [
        note("Isolating the host while we look.", "Jane Analyst", "2024-03-26T10:05:00.000Z"),
        note("The dump tool came from a USB stick.", "bob@example.com", "2024-03-26T10:07:00.000Z"),
    ]
    assert graphql_calls(requests_mock) == [
        ("query", ["alert"], {"id": ALERT_ID}),
        ("query", ["alertNotes"], {"alertId": ALERT_ID}),
    ]
    assert remote(client_v21).entries == []
    assert platform.context["mirroring"] == {f"uam:{ALERT_ID}": {"resolved": False, "notes": ["n-1", "n-2", "n-3"]}}


@pytest.mark.parametrize(
    "verdict, reason, label",
    [
        ("FALSE_POSITIVE_BENIGN", "False Positive", "False positive - Benign"),
        ("TRUE_POSITIVE_MALWARE", "Resolved", "True positive - Malware"),
        ("UNDEFINED", "Resolved", "Undefined"),
        (None, "Resolved", "Undefined"),
    ],
)
def test_resolving_a_uam_alert_closes_once_and_reopening_reopens(requests_mock, client_v21, platform, verdict, reason, label):
    """
    Given close_xsoar_incident and an alert that SentinelOne resolves, resolves again (unchanged), sets back to new,
    then to in progress
    When get-remote-data runs after each change
    Then the incident is closed once (a false positive verdict closes as False Positive; the notes name the verdict
    label), reopened once, and left alone otherwise.
    """
    entries = []
    for status in ("RESOLVED", "RESOLVED", "NEW", "IN_PROGRESS"):
        requests_mock.post(GRAPHQL_V21, json={"data": {"alert": uam_alert(status=status, analystVerdict=verdict)}})
        entries.append(remote(client_v21).entries)
    assert entries == [[close_entry(reason, label)], [], [REOPEN_ENTRY], []]


def test_without_close_xsoar_incident_a_resolved_uam_alert_is_only_remembered(requests_mock, client_v21, platform):
    """
    Given close_xsoar_incident off and a resolved alert
    When get-remote-data runs
    Then no entry, and the resolved status is remembered.
    """
    platform.params["close_xsoar_incident"] = False
    requests_mock.post(GRAPHQL_V21, json={"data": {"alert": uam_alert(status="RESOLVED")}})
    assert remote(client_v21).entries == []
    assert platform.context["mirroring"] == {f"uam:{ALERT_ID}": {"resolved": True, "notes": []}}


def test_a_public_pack_uam_incident_mirrors_by_its_bare_id(requests_mock, client_v21, platform):
    """
    Given an incident the public pack fetched (its mirror ID is the bare alert UUID)
    When get-remote-data runs
    Then the UAM alert is read by that id and the mirror ID stays the bare id.
    """
    requests_mock.post(GRAPHQL_V21, json={"data": {"alert": uam_alert()}})
    result = remote(client_v21, ALERT_ID)
    assert graphql_calls(requests_mock) == [("query", ["alert"], {"id": ALERT_ID})]
    assert result.mirrored_object["mirror_id"] == ALERT_ID


@pytest.mark.parametrize(
    "answer, message",
    [
        (
            {"json": {"data": {"alert": None}}},
            f"SentinelOne has no UAM alert {ALERT_ID} (deleted, or outside the API token's scope).",
        ),
        ({"json": {"errors": [{"message": "Not authorized"}], "data": None}}, "SentinelOne UAM GraphQL error: Not authorized"),
        (
            {"status_code": 429, "json": {"errors": [{"title": "Too Many Requests"}]}},
            "API rate limit exceeded [429]: Too Many Requests",
        ),
    ],
)
def test_uam_remote_data_errors(requests_mock, client_v21, platform, answer, message):
    """
    Given a missing alert, a GraphQL error or a rate limit
    When get-remote-data runs
    Then the error says so (a 429 says "API rate limit", after one request: mirroring never waits).
    """
    requests_mock.post(GRAPHQL_V21, **answer)
    with pytest.raises(s1.DemistoException) as error:
        remote(client_v21)
    assert str(error.value) == message
    assert requests_mock.call_count == 1


def test_a_uam_alert_cannot_be_mirrored_on_api_20(requests_mock, client_v20, platform):
    """
    Given API 2.0
    When get-remote-data runs for a UAM alert
    Then it fails naming the version, before any request.
    """
    with pytest.raises(s1.DemistoException) as error:
        remote(client_v20)
    assert str(error.value) == f"UAM alert {ALERT_ID} cannot be mirrored with API version 2.0: UAM alerts need 2.1."
    assert requests_mock.call_count == 0


def update(client: s1.Client, remote_id: str = f"uam:{ALERT_ID}", **args: Any) -> str:
    platform_args = {"remoteId": remote_id, "incidentChanged": True, "delta": {}, "data": {}, "entries": [], "status": 1}
    return s1.update_remote_system_command(client, {**platform_args, **args})


def triggered(*results: dict[str, Any]) -> dict[str, Any]:
    return {"json": {"data": {"alertTriggerActions": {"__typename": "ActionsTriggered", "actions": list(results)}}}}


def action_result(
    action_id: str, success: Iterable[Any] = (), failure: Iterable[Any] = (), skip: Iterable[Any] = ()
) -> dict[str, Any]:
    return {"actionId": action_id, "success": list(success), "failure": list(failure), "skip": list(skip)}


def id_filter(*alert_ids: str) -> dict[str, Any]:
    return {"or": [{"and": [{"fieldId": "id", "stringIn": {"values": list(alert_ids)}}]}]}


def test_status_verdict_and_notes_go_out_in_one_mutation_then_the_audit_notes(requests_mock, client_v21, platform):
    """
    Given a UAM incident whose status and verdict fields changed (outgoing mapper names), a tagged entry, and audit
    notes on (the default)
    When update-remote-system runs
    Then one alertTriggerActions mutation carries verdict, status and the note, for this alert only; success given as
    objects, as bare ids or as skip (already so) all count; once the console accepted them, a second mutation writes
    the audit note of each change (the public pack's texts, with "alert"); the remote ID is returned.
    """
    requests_mock.post(
        GRAPHQL_V21,
        [
            triggered(
                action_result(s1.UAM_VERDICT_ACTION, success=[{"id": ALERT_ID}]),
                action_result(s1.UAM_STATUS_ACTION, skip=[{"id": ALERT_ID, "skipMessage": "already IN_PROGRESS"}]),
                action_result(s1.UAM_NOTE_ACTION, success=[ALERT_ID]),
            ),
            triggered(
                action_result(s1.UAM_NOTE_ACTION, success=[ALERT_ID]), action_result(s1.UAM_NOTE_ACTION, success=[ALERT_ID])
            ),
        ],
    )
    remote_id = update(
        client_v21,
        delta={"uamAnalystVerdict": "True positive - PUA/Adware", "uamStatus": "In progress"},
        entries=[{"id": "5@2", "contents": "Asked the user.", "user": "alice", "tags": ["comment"]}],
    )
    assert remote_id == f"uam:{ALERT_ID}"
    assert graphql_calls(requests_mock) == [
        (
            "mutation",
            ["alertTriggerActions"],
            {
                "actions": [
                    {"id": "S1/alert/analystVerdictUpdate", "payload": {"analystVerdict": {"value": "TRUE_POSITIVE_PUA_ADWARE"}}},
                    {"id": "S1/alert/statusUpdate", "payload": {"status": {"value": "IN_PROGRESS"}}},
                    {"id": "S1/alert/addNote", "payload": {"note": {"value": "[Cortex XSOAR] alice: Asked the user."}}},
                ],
                "filter": id_filter(ALERT_ID),
            },
        ),
        (
            "mutation",
            ["alertTriggerActions"],
            {
                "actions": [
                    s1.uam_note_action("XSOAR - Updated the alert analyst verdict to True positive - PUA/Adware"),
                    s1.uam_note_action("XSOAR - Updated the alert status to In progress"),
                ],
                "filter": id_filter(ALERT_ID),
            },
        ),
    ]


@pytest.mark.parametrize("value", [False, "false"])
def test_uam_audit_notes_can_be_turned_off(requests_mock, client_v21, platform, value):
    """
    Given mirror_audit_notes off
    When update-remote-system sends a UAM status change
    Then one mutation goes out, with no audit note.
    """
    platform.params["mirror_audit_notes"] = value
    requests_mock.post(GRAPHQL_V21, [triggered(action_result(s1.UAM_STATUS_ACTION, success=[ALERT_ID]))])
    update(client_v21, delta={"uamStatus": "Resolved"})
    assert [call[2]["actions"] for call in graphql_calls(requests_mock)] == [[s1.uam_status_action("RESOLVED")]]


def test_a_uam_change_the_console_did_not_accept_leaves_no_audit_note(requests_mock, client_v21, platform):
    """
    Given the console failing the status action
    When update-remote-system runs
    Then it fails after the one mutation: no audit note claims the change.
    """
    failure = {"id": ALERT_ID, "errorMessage": "locked", "errorType": "FORBIDDEN"}
    requests_mock.post(GRAPHQL_V21, [triggered(action_result(s1.UAM_STATUS_ACTION, failure=[failure]))])
    with pytest.raises(s1.DemistoException):
        update(client_v21, delta={"uamStatus": "Resolved"})
    assert len(graphql_calls(requests_mock)) == 1


def test_a_uam_resolve_audit_note_carries_the_close_notes(requests_mock, client_v21, platform):
    """
    Given an incident closed in XSOAR with close notes, its UAM status field set to Resolved (close_out off)
    When update-remote-system runs
    Then the audit note is "Marked as resolved" followed by the close notes.
    """
    requests_mock.post(
        GRAPHQL_V21,
        [
            triggered(action_result(s1.UAM_STATUS_ACTION, success=[ALERT_ID])),
            triggered(action_result(s1.UAM_NOTE_ACTION, success=[ALERT_ID])),
        ],
    )
    update(client_v21, status=2, delta={"uamStatus": "Resolved"}, data={"closeNotes": "Reimaged."})
    assert graphql_calls(requests_mock)[1][2]["actions"] == [s1.uam_note_action("XSOAR - Marked as resolved\nReimaged.")]


@pytest.mark.parametrize(
    "delta, actions",
    [
        ({"sentineloneuamalertstatus": "Resolved"}, [s1.uam_status_action("RESOLVED")]),
        ({"sentineloneuamalertanalystverdict": "undefined"}, [s1.uam_verdict_action("UNDEFINED")]),
        ({"uamStatus": "NEW", "sentinelonethreatstatus": "Resolved"}, [s1.uam_status_action("NEW")]),
    ],
)
def test_uam_fields_are_read_by_cli_name_too_and_threat_fields_are_ignored(requests_mock, client_v21, platform, delta, actions):
    """
    Given a delta holding the UAM fields' cli names (no outgoing mapper), or a threat field beside a UAM one
    When update-remote-system runs
    Then only the UAM values go out, as API values.
    """
    audit_answer = triggered(*(action_result(s1.UAM_NOTE_ACTION, success=[ALERT_ID]) for _action in actions))
    requests_mock.post(
        GRAPHQL_V21, [triggered(*(action_result(action["id"], success=[ALERT_ID]) for action in actions)), audit_answer]
    )
    update(client_v21, delta=delta)
    assert graphql_calls(requests_mock)[0][2]["actions"] == actions


def test_closing_with_close_out_resolves_the_uam_alert_with_a_verdict_from_the_reason(requests_mock, client_v21, platform):
    """
    Given close_out and an incident closed as False Positive with close notes
    When update-remote-system runs
    Then the mutation sets the verdict False positive - Undefined, the status RESOLVED and writes the closing note; the
    audit notes follow.
    """
    platform.params["close_out"] = True
    requests_mock.post(
        GRAPHQL_V21,
        [
            triggered(
                action_result(s1.UAM_VERDICT_ACTION, success=[ALERT_ID]),
                action_result(s1.UAM_STATUS_ACTION, success=[ALERT_ID]),
                action_result(s1.UAM_NOTE_ACTION, success=[ALERT_ID]),
            ),
            triggered(
                action_result(s1.UAM_NOTE_ACTION, success=[ALERT_ID]), action_result(s1.UAM_NOTE_ACTION, success=[ALERT_ID])
            ),
        ],
    )
    update(client_v21, status=2, delta={"closeReason": "False Positive"}, data={"closeNotes": "Test file."})
    first, audit = (call[2]["actions"] for call in graphql_calls(requests_mock))
    assert first == [
        s1.uam_verdict_action("FALSE_POSITIVE_UNDEFINED"),
        s1.uam_status_action("RESOLVED"),
        s1.uam_note_action("[Cortex XSOAR] Incident closed. Close reason: False Positive."),
    ]
    assert audit == [  # the audit note of the resolve carries the close notes
        s1.uam_note_action("XSOAR - Updated the alert analyst verdict to False positive - Undefined"),
        s1.uam_note_action("XSOAR - Marked as resolved\nTest file."),
    ]


def test_nothing_changed_sends_nothing(requests_mock, client_v21, platform):
    """
    Given incidentChanged false and no entries
    When update-remote-system runs for a UAM alert
    Then no request is sent and the remote ID is returned.
    """
    assert update(client_v21, incidentChanged=False, delta={"uamStatus": "Resolved"}) == f"uam:{ALERT_ID}"
    assert requests_mock.call_count == 0


def test_an_unknown_uam_value_is_an_error_before_any_request(requests_mock, client_v21, platform):
    """
    Given a delta with a status that is not a UAM status (a threat label)
    When update-remote-system runs
    Then the error names the field and the UAM labels, and nothing is sent.
    """
    with pytest.raises(ValueError) as error:
        update(client_v21, delta={"uamStatus": "Unresolved"})
    assert str(error.value) == "uamStatus: expected one of New, In progress, Resolved, got 'Unresolved'"
    assert requests_mock.call_count == 0


@pytest.mark.parametrize(
    "answer, message",
    [
        (
            {"json": {"errors": [{"message": "Variable '$actions' got invalid value"}], "data": None}},
            "SentinelOne UAM GraphQL error: Variable '$actions' got invalid value",
        ),
        (
            {
                "json": {
                    "data": {
                        "alertTriggerActions": {
                            "__typename": "TriggerActionsError",
                            "errors": [{"errorMessage": "bad value NEWISH"}],
                        }
                    }
                }
            },
            "SentinelOne refused the UAM alert actions: bad value NEWISH",
        ),
        (
            triggered(),
            "SentinelOne applied none of the UAM alert actions (S1/alert/statusUpdate): its answer lists no action.",
        ),
        (
            triggered(
                action_result(
                    s1.UAM_STATUS_ACTION, failure=[{"id": ALERT_ID, "errorMessage": "Alert not found", "errorType": "NOT_FOUND"}]
                )
            ),
            f"SentinelOne did not update UAM alert {ALERT_ID}: S1/alert/statusUpdate failed: Alert not found",
        ),
        (
            triggered(action_result(s1.UAM_STATUS_ACTION, success=[uid(9)])),
            f"SentinelOne did not update UAM alert {ALERT_ID}: no result for S1/alert/statusUpdate",
        ),
    ],
)
def test_uam_update_failures_raise(requests_mock, client_v21, platform, answer, message):
    """
    Given a GraphQL error, a TriggerActionsError, an empty action list, the alert in `failure`, or no result for it
    When update-remote-system sends a status
    Then it raises naming the cause, after one request (a mutation is never retried).
    """
    requests_mock.post(GRAPHQL_V21, **answer)
    with pytest.raises(s1.DemistoException) as error:
        update(client_v21, delta={"uamStatus": "New"})
    assert str(error.value) == message
    assert requests_mock.call_count == 1


# --- commands ---


def test_get_uam_alerts_sends_every_filter_and_outputs_labels(requests_mock):
    """
    Given every filter of get-uam-alerts, statuses and verdicts as labels and API values in any case
    When the command runs
    Then one `alerts` query carries the view type, the filters (ids, statuses, verdicts, severities upper-cased,
    createdAt range in epoch ms), newest first, first = limit; the context holds one entry per alert with labels.
    """
    requests_mock.post(GRAPHQL_V21, [page([uam_alert(analystVerdict="FALSE_POSITIVE_USER_ERROR")])])
    result = dispatch(
        "sentinelone-get-uam-alerts",
        {
            "view_type": "identity",
            "alert_ids": f"uam:{ALERT_ID},{uid(1)}",
            "status": "new,IN_PROGRESS",
            "analyst_verdict": "False positive - User error,true_positive_malware",
            "severity": "high,Critical",
            "created_from": "2024-03-25T16:00:00Z",
            "created_until": "2024-03-26T00:00:00.5Z",
            "limit": "20",
        },
    )
    assert graphql_calls(requests_mock) == [
        (
            "query",
            ["alerts"],
            {
                "viewType": "IDENTITY",
                "filters": [
                    {"fieldId": "id", "stringIn": {"values": [ALERT_ID, uid(1)]}},
                    {"fieldId": "status", "stringIn": {"values": ["NEW", "IN_PROGRESS"]}},
                    {"fieldId": "analystVerdict", "stringIn": {"values": ["FALSE_POSITIVE_USER_ERROR", "TRUE_POSITIVE_MALWARE"]}},
                    {"fieldId": "severity", "stringIn": {"values": ["HIGH", "CRITICAL"]}},
                    {"fieldId": "createdAt", "dateTimeRange": {"start": FIRST_FETCH_MS, "end": 1711411200500}},
                ],
                "sort": {"by": "createdAt", "order": "DESC"},
                "first": 20,
                "after": None,
            },
        )
    ]
    assert context(result) == {
        "SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)": [
            {
                "ID": ALERT_ID,
                "Name": "Credential dumping via LSASS access",
                "Description": "A process read the memory of lsass.exe.",
                "Severity": "HIGH",
                "Result": "UNMITIGATED",
                "Classification": "CREDENTIAL_ACCESS",
                "ConfidenceLevel": "MALICIOUS",
                "AttackSurfaces": ["ENDPOINT"],
                "DetectionProduct": "EDR",
                "DetectionVendor": "SentinelOne",
                "ExternalID": "edr-7734",
                "CreatedAt": "2024-03-26T10:00:00.123Z",
                "UpdatedAt": "2024-03-26T10:00:00.123Z",
                "NoteExists": False,
                "StorylineID": "9C2B1E3F4A5D6E7F",
                "AssetID": "1890000000000000001",
                "AssetName": "FIN-LAPTOP-7",
                "AgentUUID": "a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f607",
                "AccountID": "433241117337583618",
                "AccountName": "Acme",
                "SiteID": "475482421366727779",
                "SiteName": "Finance",
                "GroupID": "475482421366727780",
                "GroupName": "Laptops",
                "Status": "New",
                "AnalystVerdict": "False positive - User error",
            }
        ]
    }
    assert readable(result).startswith(
        "### Sentinel One - UAM alerts\n|ID|Name|Severity|Status|Analyst Verdict|Detection Product|Asset Name|Created At|\n"
    )


def test_get_uam_alerts_defaults_and_cursor_output(requests_mock):
    """
    Given no argument, and a console with more alerts than the default limit
    When the command runs, then runs again from the cursor it returned
    Then the first run asks for 50 alerts of every view (no filter) and returns the cursor in context and readable
    output; the second sends it as `after`.
    """
    requests_mock.post(GRAPHQL_V21, [page([uam_alert(uid(n)) for n in range(50)], "next-50"), page([uam_alert(uid(99))])])
    first = dispatch("sentinelone-get-uam-alerts", {})
    assert graphql_calls(requests_mock)[0][2] == {
        "viewType": "ALL",
        "filters": [],
        "sort": {"by": "createdAt", "order": "DESC"},
        "first": 50,
        "after": None,
    }
    outputs = context(first)
    assert outputs["SentinelOne.Cursor.UAMAlert"] == "next-50"
    assert len(outputs["SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)"]) == 50
    assert "More results are available: use cursor=next-50" in readable(first)
    second = dispatch("sentinelone-get-uam-alerts", {"cursor": "next-50", "limit": "5"})
    assert graphql_calls(requests_mock)[1][2]["after"] == "next-50"
    assert "SentinelOne.Cursor.UAMAlert" not in context(second)


def test_get_uam_alerts_name_contains_filters_the_alerts_read(requests_mock):
    """
    Given name_contains (not a server filter)
    When the command runs
    Then the query carries no name filter, and only the alerts read whose name contains the text (any case) are
    output, with a line saying how many matched.
    """
    alerts = [uam_alert(uid(1), name="Encoded PowerShell"), uam_alert(uid(2), name="LSASS access"), uam_alert(uid(3), name=None)]
    requests_mock.post(GRAPHQL_V21, [page(alerts)])
    result = dispatch("sentinelone-get-uam-alerts", {"name_contains": "powershell", "limit": "3"})
    assert graphql_calls(requests_mock)[0][2]["filters"] == []
    assert [entry["ID"] for entry in context(result)["SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)"]] == [uid(1)]
    assert "1 of the 3 alerts read have a name containing 'powershell'." in readable(result)


@pytest.mark.parametrize(
    "command, args, message",
    [
        (
            "sentinelone-get-uam-alerts",
            {"view_type": "MOBILE"},
            "view_type: expected one of ALL, CLOUD, CUSTOM_ALERTS, ENDPOINT, IDENTITY, STAR, THIRD_PARTY, got 'MOBILE'",
        ),
        (
            "sentinelone-get-uam-alerts",
            {"status": "New,Closed"},
            "status: expected one of New, In progress, Resolved (or the API values, such as NEW), got 'Closed'",
        ),
        (
            "sentinelone-get-uam-alerts",
            {"analyst_verdict": "True positive"},
            "analyst_verdict: expected one of "
            + ", ".join(s1.UAM_VERDICT_LABELS.values())
            + " (or the API values, such as FALSE_POSITIVE_BENIGN), got 'True positive'",
        ),
        (
            "sentinelone-get-uam-alerts",
            {"severity": "SEVERE"},
            "severity: expected one of CRITICAL, HIGH, MEDIUM, LOW, INFO, got 'SEVERE'",
        ),
        (
            "sentinelone-get-uam-alerts",
            {"created_from": "someday"},
            "created_from: expected a date (ISO 8601, epoch, or relative such as '3 days'), got 'someday'",
        ),
        (
            "sentinelone-get-uam-alerts",
            {"created_from": "2024-03-26T00:00:00Z", "created_until": "2024-03-25T00:00:00Z"},
            "created_until: expected a time at or after created_from",
        ),
        (
            "sentinelone-get-uam-alerts",
            {"alert_ids": "1913925555123456789"},
            "alert_ids: expected UAM alert IDs (UUIDs), got '1913925555123456789'",
        ),
        ("sentinelone-get-uam-alerts", {"limit": "0"}, "limit: expected an integer from 1 to 10000, got '0'"),
        ("sentinelone-update-uam-alert-status", {"status": "New"}, "alert_ids: this argument is required"),
        ("sentinelone-update-uam-alert-status", {"alert_ids": ALERT_ID}, "status: this argument is required"),
        (
            "sentinelone-update-uam-alert-status",
            {"alert_ids": ALERT_ID, "status": "Unresolved"},
            "status: expected one of New, In progress, Resolved (or the API values, such as NEW), got 'Unresolved'",
        ),
        (
            "sentinelone-update-uam-alert-verdict",
            {"alert_ids": ALERT_ID, "analyst_verdict": "Malicious"},
            "analyst_verdict: expected one of "
            + ", ".join(s1.UAM_VERDICT_LABELS.values())
            + " (or the API values, such as FALSE_POSITIVE_BENIGN), got 'Malicious'",
        ),
        ("sentinelone-add-uam-alert-note", {"alert_ids": ALERT_ID, "note": "  "}, "note: this argument is required"),
        (
            "sentinelone-add-uam-alert-note",
            {"alert_ids": "abc", "note": "x"},
            "alert_ids: expected UAM alert IDs (UUIDs), got 'abc'",
        ),
    ],
)
def test_bad_arguments_are_refused_before_any_request(requests_mock, command, args, message):
    """
    Given an argument outside its closed set or malformed
    When the UAM command runs
    Then the error names the argument and what is allowed, and nothing is sent.
    """
    with pytest.raises(ValueError) as error:
        dispatch(command, args)
    assert str(error.value) == message
    assert requests_mock.call_count == 0


def test_update_uam_alert_status_reports_each_alert(requests_mock):
    """
    Given three alerts: one updated (answered as an object), one already resolved (skip), one unknown (failure)
    When sentinelone-update-uam-alert-status sets Resolved (given as the API value in lower case)
    Then one mutation sets RESOLVED on exactly these alerts, and each alert says whether it has the status now.
    """
    ids = [uid(1), uid(2), uid(3)]
    requests_mock.post(
        GRAPHQL_V21,
        [
            triggered(
                action_result(
                    s1.UAM_STATUS_ACTION,
                    success=[{"id": uid(1)}],
                    skip=[{"id": uid(2), "skipMessage": "already RESOLVED"}],
                    failure=[{"id": uid(3), "errorMessage": "Alert not found", "errorType": "NOT_FOUND"}],
                )
            )
        ],
    )
    result = dispatch("sentinelone-update-uam-alert-status", {"alert_ids": ",".join(ids), "status": "resolved"})
    assert graphql_calls(requests_mock) == [
        ("mutation", ["alertTriggerActions"], {"actions": [s1.uam_status_action("RESOLVED")], "filter": id_filter(*ids)})
    ]
    assert context(result) == {
        "SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)": [
            {"ID": uid(1), "Status": "Resolved", "Updated": True},
            {"ID": uid(2), "Status": "Resolved", "Updated": True},
            {"ID": uid(3), "Status": "Resolved", "Updated": False},
        ]
    }
    assert readable(result) == (
        "### Sentinel One - Update UAM alert status\n"
        "|ID|Status|Updated|Details|\n"
        "|---|---|---|---|\n"
        f"| {uid(1)} | Resolved | true |  |\n"
        f"| {uid(2)} | Resolved | true | S1/alert/statusUpdate skipped: already RESOLVED |\n"
        f"| {uid(3)} | Resolved | false | S1/alert/statusUpdate failed: Alert not found |\n"
        "\n2 of 3 alerts done.\n"
    )


def test_update_uam_alert_verdict_accepts_the_public_answer_forms(requests_mock):
    """
    Given the public pack's command answer (no actionId, success as objects) and its mirroring answer (bare ids)
    When sentinelone-update-uam-alert-verdict sets True positive - Ransomware
    Then both answers read as updated.
    """
    for success in ([{"id": ALERT_ID}], [ALERT_ID]):
        requests_mock.post(
            GRAPHQL_V21, json={"data": {"alertTriggerActions": {"actions": [{"success": success, "failure": []}]}}}
        )
        result = dispatch(
            "sentinelone-update-uam-alert-verdict", {"alert_ids": ALERT_ID, "analyst_verdict": "True positive - Ransomware"}
        )
        assert context(result) == {
            "SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)": [
                {"ID": ALERT_ID, "AnalystVerdict": "True positive - Ransomware", "Updated": True}
            ]
        }
    assert graphql_calls(requests_mock)[-1][2]["actions"] == [s1.uam_verdict_action("TRUE_POSITIVE_RANSOMWARE")]


def test_add_uam_alert_note_and_a_scheduled_answer(requests_mock):
    """
    Given a console that schedules the action instead of applying it
    When sentinelone-add-uam-alert-note runs
    Then the note goes out as an addNote action, and the alert is reported not (yet) done, naming the execution.
    """
    requests_mock.post(
        GRAPHQL_V21,
        json={"data": {"alertTriggerActions": {"__typename": "TriggerActionsScheduled", "executionId": "exec-7"}}},
    )
    result = dispatch("sentinelone-add-uam-alert-note", {"alert_ids": ALERT_ID, "note": "Host isolated."})
    assert graphql_calls(requests_mock)[0][2] == {
        "actions": [s1.uam_note_action("Host isolated.")],
        "filter": id_filter(ALERT_ID),
    }
    assert context(result) == {"SentinelOne.UAMAlert(val.ID && val.ID == obj.ID)": [{"ID": ALERT_ID, "NoteAdded": False}]}
    assert "scheduled as execution exec-7" in readable(result)


@pytest.mark.parametrize(
    "answer, message",
    [
        (
            {
                "json": {
                    "data": {
                        "alertTriggerActions": {
                            "__typename": "TriggerActionsError",
                            "errors": [{"errorMessage": "unknown status"}],
                        }
                    }
                }
            },
            "SentinelOne refused the UAM alert actions: unknown status",
        ),
        (triggered(), "SentinelOne applied none of the UAM alert actions (S1/alert/statusUpdate): its answer lists no action."),
        ({"json": {"errors": [{"message": "Forbidden"}], "data": None}}, "SentinelOne UAM GraphQL error: Forbidden"),
    ],
)
def test_uam_commands_raise_when_the_console_applies_nothing(requests_mock, answer, message):
    """
    Given an answer that applies nothing (TriggerActionsError, an empty action list, a GraphQL error)
    When a UAM update command runs
    Then it fails quoting the cause.
    """
    requests_mock.post(GRAPHQL_V21, **answer)
    with pytest.raises(s1.DemistoException) as error:
        dispatch("sentinelone-update-uam-alert-status", {"alert_ids": ALERT_ID, "status": "New"})
    assert str(error.value) == message


def test_commands_results_are_command_results(requests_mock):
    """The UAM commands return CommandResults (main hands them to the platform as they are)."""
    requests_mock.post(GRAPHQL_V21, [page([])])
    assert isinstance(dispatch("sentinelone-get-uam-alerts", {}), CommandResults)
