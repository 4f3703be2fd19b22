"""The Unified Alert Management GraphQL endpoint (POST /web/api/v2.1/unifiedalerts/graphql): queries, filters, views,
sort orders, keyset cursors, the alertTriggerActions mutation, GraphQL errors, HTTP-level behaviour, the UAM part of
the control surface and the seeded UAM alerts.

Expected values are computed in this file from the stored alerts with its own helpers (not the simulator's), and
pinned by the seed where a fact of the tenant matters (40 alerts, how many per view).
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests
from graphql import execute, parse
from sim_api import START, TOKEN, Api, make_api

from s1sim.api.uam import SCHEMA, Context, run
from s1sim.clock import SimClock
from s1sim.pytest_plugin import SimulatorHandle
from s1sim.seed import build_tenant
from s1sim.store import TenantSize
from s1sim.uam import ANALYST_VERDICTS, CONSOLE_ANALYST

PATH = "unifiedalerts/graphql"
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
NOW_MILLIS = "2024-05-01T12:00:00.000Z"

# The node selection of the public pack's fetch query (newer-public-pack.md §1.2): every field of the Alert type.
NODE = """
id name description severity status result analystVerdict attackSurfaces classification confidenceLevel externalId
createdAt updatedAt firstSeenAt lastSeenAt detectedAt noteExists dataSources storylineId ticketId fileName fileHash
analytics { uid name type typeValue category }
assignee { userId fullName email }
detectionSource { product vendor engine }
asset { id name agentUuid agentVersion assetTypeClassifier category subcategory type connectivityToConsole osType osVersion
        pendingReboot lastLoggedInUser policy }
detectionTime {
  asset { agentVersion consoleIpAddress domain ipV4 ipV6 lastLoggedInUser osName osRevision osType policy subscriptionTime }
  attacker { host ip }
  cloud { accountId cloudProvider image instanceId instanceSize location network tags providerDetails {
    ... on DetectionAws { accountId imageId instanceId instanceType region role securityGroups subnetIds tags vpcId }
    ... on DetectionAzure { imageId instanceId instanceType region resourceGroup subscriptionId tags }
    ... on DetectionGcp { imageId instanceId instanceType projectId serviceAccount tags vpcId zone } } }
  kubernetes { clusterName namespaceName nodeName podName containerId containerImageName containerLabels containerName
               containerNetworkStatus controllerName controllerType controllerLabels namespaceLabels nodeLabels podLabels }
  scope { accountId accountName groupName siteName }
  targetUser { name emailAddress domain }
}
process { cmdLine parentName file { certSubject md5 name path sha1 sha256 } }
realTime { scope { account { id name } group { id name } site { id name } } }
"""
LIST = """
query Alerts($first: Int, $after: String, $filters: [FilterInput!], $sort: SortInput, $viewType: ViewType) {
  alerts(first: $first, after: $after, filters: $filters, sort: $sort, viewType: $viewType) {
    totalCount
    edges { cursor node { id createdAt updatedAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""
MUTATION = """
mutation Trigger($actions: [TriggerActionInput!]!, $filter: OrFilterSelectionInput, $scope: ScopeInput, $viewType: ViewType) {
  alertTriggerActions(actions: $actions, filter: $filter, scope: $scope, viewType: $viewType) {
    __typename
    ... on ActionsTriggered { actions { actionId success { id } failure { id errorMessage errorType } skip { id skipMessage } } }
    ... on TriggerActionsError { errors { errorMessage } }
    ... on TriggerActionsScheduled { executionId }
  }
}
"""
NOTES = (
    "query Notes($id: ID!) { alertNotes(alertId: $id) { data { id text createdAt updatedAt author { userId fullName email } } } }"
)
VIEWS = {
    "ALL": 40,
    "CLOUD": 9,
    "CUSTOM_ALERTS": 9,
    "ENDPOINT": 16,
    "IDENTITY": 9,
    "STAR": 6,
    "THIRD_PARTY": 9,
}


# --- helpers --------------------------------------------------------------------------------------------------------
def gql(api: Api, query: str, variables: dict[str, Any] | None = None, version: str = "2.1") -> dict[str, Any]:
    response = api.post(PATH, {"query": query, "variables": variables}, version)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def data(api: Api, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = gql(api, query, variables)
    assert list(body) == ["data"], body
    return body["data"]


def only_error(api: Api, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = gql(api, query, variables)
    assert body["data"] is None, body
    assert len(body["errors"]) == 1, body
    return body["errors"][0]


def millis(text: str) -> int:
    return (datetime.fromisoformat(text.replace("Z", "+00:00")) - EPOCH) // timedelta(milliseconds=1)


def ordered(alerts: Any, field: str = "createdAt", order: str = "DESC") -> list[str]:
    sign = 1 if order == "ASC" else -1
    return [alert["id"] for alert in sorted(alerts, key=lambda alert: (sign * millis(alert[field]), alert["id"]))]


def stored(api: Api) -> list[dict[str, Any]]:
    return list(api.store.uam.alerts.values())


def page(api: Api, **variables: Any) -> dict[str, Any]:
    return data(api, LIST, variables)["alerts"]


def ids_of(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["id"] for edge in connection["edges"]]


def walk(api: Api, first: int, between_pages: Any = None, **variables: Any) -> list[str]:
    """Every id of a walk, following endCursor; `between_pages(number)` runs after each page."""
    seen: list[str] = []
    after = None
    for number in range(1000):
        connection = page(api, first=first, after=after, **variables)
        seen += ids_of(connection)
        if not connection["pageInfo"]["hasNextPage"]:
            return seen
        after = connection["pageInfo"]["endCursor"]
        if between_pages is not None:
            between_pages(number)
    raise AssertionError("the walk did not end")


def nested(alert: dict[str, Any], *keys: str) -> Any:
    value: Any = alert
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value


def control(api: Api, method: str, path: str, body: Any = None) -> Any:
    response = api.client.open(f"/_sim{path}", method=method, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --- queries ----------------------------------------------------------------------------------------------------------
def test_list_query_answers_stored_nodes_with_every_field(api: Api) -> None:
    query = (
        'query Alerts($first: Int) { alerts(first: $first, sort: {by: "createdAt", order: ASC}) {'
        " totalCount edges { cursor node { %s } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"
    )

    connection = data(api, query % NODE, {"first": 5})["alerts"]

    expected = [api.store.uam.alerts[alert_id] for alert_id in ordered(stored(api), order="ASC")[:5]]
    assert [edge["node"] for edge in connection["edges"]] == expected
    assert connection["totalCount"] == 40
    assert connection["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": False,
        "startCursor": connection["edges"][0]["cursor"],
        "endCursor": connection["edges"][4]["cursor"],
    }
    assert expected[0]["createdAt"] == "2024-04-17T14:18:06.299Z"


def test_every_seeded_alert_through_the_full_selection_equals_the_stored_node(api: Api) -> None:
    query = "{ alerts(first: 1000) { edges { node { %s } } } }" % NODE

    nodes = [edge["node"] for edge in data(api, query)["alerts"]["edges"]]

    assert nodes == [api.store.uam.alerts[alert_id] for alert_id in ordered(stored(api))]
    kinds = Counter(
        node["detectionTime"]["cloud"]["providerDetails"]["instanceType"]
        for node in nodes
        if nested(node, "detectionTime", "cloud")
    )
    assert sum(kinds.values()) == 9


def test_union_members_carry_their_typename(api: Api) -> None:
    query = (
        "{ alerts(first: 1000, viewType: CLOUD) {"
        " edges { node { id detectionTime { cloud { cloudProvider providerDetails { __typename } } } } } } }"
    )

    nodes = [edge["node"] for edge in data(api, query)["alerts"]["edges"]]

    providers = {"AWS": "DetectionAws", "AZURE": "DetectionAzure", "GCP": "DetectionGcp"}
    pairs = {
        (n["detectionTime"]["cloud"]["cloudProvider"], n["detectionTime"]["cloud"]["providerDetails"]["__typename"])
        for n in nodes
    }
    assert pairs == {(provider, providers[provider]) for provider, _ in pairs}
    assert len(nodes) == 9


def test_alert_by_id_with_a_variable(api: Api) -> None:
    alert = stored(api)[7]
    query = "query Alert($id: ID!) { alert(id: $id) { %s } }" % NODE

    assert data(api, query, {"id": alert["id"]}) == {"alert": alert}
    assert data(api, query, {"id": "00000000-0000-0000-0000-000000000000"}) == {"alert": None}


def test_alert_notes_oldest_first_and_unknown_alert(api: Api) -> None:
    alert = next(alert for alert in stored(api) if alert["status"] == "RESOLVED")
    seeded = api.store.uam.notes[alert["id"]][0]
    api.advance(60)
    control(api, "POST", f"/uam-alerts/{alert['id']}/notes", {"text": "Second look."})

    notes = data(api, NOTES, {"id": alert["id"]})["alertNotes"]["data"]

    assert notes == [
        {
            "id": seeded["id"],
            "text": seeded["text"],
            "createdAt": seeded["createdAt"],
            "updatedAt": seeded["createdAt"],
            "author": CONSOLE_ANALYST,
        },
        {
            "id": notes[1]["id"],
            "text": "Second look.",
            "createdAt": "2024-05-01T12:01:00.000Z",
            "updatedAt": "2024-05-01T12:01:00.000Z",
            "author": CONSOLE_ANALYST,
        },
    ]
    assert seeded["text"] in ("Escalated to tier 2.", "Checked with the asset owner.", "Closed after review.")
    assert only_error(api, NOTES, {"id": "nope"}) == {
        "message": "alertId: alert nope does not exist",
        "locations": [{"line": 1, "column": 25}],
        "path": ["alertNotes"],
        "extensions": {"code": "NOT_FOUND"},
    }
    unnoted = next(alert for alert in stored(api) if alert["status"] == "NEW")
    assert data(api, NOTES, {"id": unnoted["id"]}) == {"alertNotes": {"data": []}}


# --- filters and views ----------------------------------------------------------------------------------------------
STRING_FIELDS = {
    "id": ("id",),
    "name": ("name",),
    "status": ("status",),
    "severity": ("severity",),
    "analystVerdict": ("analystVerdict",),
    "result": ("result",),
    "classification": ("classification",),
    "detectionProduct": ("detectionSource", "product"),
    "siteId": ("realTime", "scope", "site", "id"),
    "groupId": ("realTime", "scope", "group", "id"),
    "accountId": ("realTime", "scope", "account", "id"),
    "externalId": ("externalId",),
}


@pytest.mark.parametrize("field_id", sorted(STRING_FIELDS))
def test_string_filters_equal_and_in(api: Api, field_id: str) -> None:
    keys = STRING_FIELDS[field_id]
    values = sorted({value for alert in stored(api) if (value := nested(alert, *keys)) is not None})
    one, several = values[0], values[:2]

    equal = page(api, first=1000, filters=[{"fieldId": field_id, "stringEqual": {"value": one}}])
    within = page(api, first=1000, filters=[{"fieldId": field_id, "stringIn": {"values": several}}])

    assert ids_of(equal) == ordered(alert for alert in stored(api) if nested(alert, *keys) == one)
    assert ids_of(within) == ordered(alert for alert in stored(api) if nested(alert, *keys) in several)
    assert equal["totalCount"] == len(equal["edges"]) >= 1
    assert len(within["edges"]) > len(equal["edges"]) or field_id == "id"


def test_string_filters_are_exact_and_case_sensitive(api: Api) -> None:
    assert page(api, first=10, filters=[{"fieldId": "status", "stringEqual": {"value": "new"}}])["totalCount"] == 0
    assert page(api, first=10, filters=[{"fieldId": "name", "stringEqual": {"value": "Ransomware"}}])["totalCount"] == 0
    assert page(api, first=10, filters=[{"fieldId": "status", "stringIn": {"values": []}}])["totalCount"] == 0


def test_site_filter_never_matches_an_alert_without_a_site(api: Api) -> None:
    siteless = [alert["id"] for alert in stored(api) if alert["realTime"]["scope"]["site"] is None]
    site_ids = sorted({alert["realTime"]["scope"]["site"]["id"] for alert in stored(api) if alert["id"] not in siteless})

    every_site = page(api, first=1000, filters=[{"fieldId": "siteId", "stringIn": {"values": site_ids}}])

    assert len(siteless) == 3
    assert sorted(ids_of(every_site)) == sorted(alert["id"] for alert in stored(api) if alert["id"] not in siteless)


def test_filters_in_the_list_are_anded(api: Api) -> None:
    filters = [
        {"fieldId": "status", "stringIn": {"values": ["NEW", "IN_PROGRESS"]}},
        {"fieldId": "severity", "stringEqual": {"value": "CRITICAL"}},
        {"fieldId": "detectionProduct", "stringIn": {"values": ["EDR", "CWS"]}},
    ]

    result = page(api, first=1000, filters=filters)

    expected = ordered(
        alert
        for alert in stored(api)
        if alert["status"] in ("NEW", "IN_PROGRESS")
        and alert["severity"] == "CRITICAL"
        and alert["detectionSource"]["product"] in ("EDR", "CWS")
    )
    assert ids_of(result) == expected
    assert result["totalCount"] == len(expected) == 4


@pytest.mark.parametrize("field", ["createdAt", "updatedAt"])
@pytest.mark.parametrize(
    ("start_inclusive", "end_inclusive"), [(True, True), (False, True), (True, False), (False, False), (None, None)]
)
def test_date_time_range_bounds(api: Api, field: str, start_inclusive: bool | None, end_inclusive: bool | None) -> None:
    # The bounds are the stamps of the 10th and 30th alerts in the field's order, so each end hits real alerts.
    stamps = sorted(millis(alert[field]) for alert in stored(api))
    start, end = stamps[10], stamps[30]
    window: dict[str, Any] = {"start": start, "end": end}
    if start_inclusive is not None:
        window |= {"startInclusive": start_inclusive, "endInclusive": end_inclusive}

    for order in ("ASC", "DESC"):
        result = page(api, first=1000, filters=[{"fieldId": field, "dateTimeRange": window}], sort={"by": field, "order": order})

        low_ok = (lambda m: m >= start) if start_inclusive in (True, None) else (lambda m: m > start)
        high_ok = (lambda m: m <= end) if end_inclusive in (True, None) else (lambda m: m < end)
        expected = ordered((a for a in stored(api) if low_ok(millis(a[field])) and high_ok(millis(a[field]))), field, order)
        assert ids_of(result) == expected
        assert result["totalCount"] == len(expected)


def test_date_range_on_the_other_field_than_the_sort_and_open_ends(api: Api) -> None:
    cut = millis("2024-04-28T00:00:00.000Z")

    updated_since = page(
        api, first=1000, filters=[{"fieldId": "updatedAt", "dateTimeRange": {"start": cut}}], sort={"by": "createdAt"}
    )
    created_before = page(api, first=1000, filters=[{"fieldId": "createdAt", "dateTimeRange": {"end": cut}}])
    unbounded = page(api, first=1000, filters=[{"fieldId": "createdAt", "dateTimeRange": {}}])

    assert ids_of(updated_since) == ordered(a for a in stored(api) if millis(a["updatedAt"]) >= cut)
    assert ids_of(created_before) == ordered(a for a in stored(api) if millis(a["createdAt"]) <= cut)
    assert unbounded["totalCount"] == 40


def in_view(alert: dict[str, Any], view: str) -> bool:
    source = alert["detectionSource"] or {}
    return {
        "ALL": True,
        "CLOUD": "CLOUD" in alert["attackSurfaces"],
        "ENDPOINT": "ENDPOINT" in alert["attackSurfaces"],
        "IDENTITY": "IDENTITY" in alert["attackSurfaces"],
        "STAR": source.get("product") == "STAR",
        "CUSTOM_ALERTS": (alert["analytics"] or {}).get("type") == "CUSTOM",
        "THIRD_PARTY": source.get("vendor") not in (None, "SentinelOne"),
    }[view]


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_view_types(api: Api, view: str) -> None:
    result = page(api, first=1000, viewType=view)

    assert ids_of(result) == ordered(alert for alert in stored(api) if in_view(alert, view))
    assert result["totalCount"] == VIEWS[view]


def test_view_type_defaults_to_all_and_combines_with_filters(api: Api) -> None:
    combined = page(api, first=1000, viewType="ENDPOINT", filters=[{"fieldId": "status", "stringEqual": {"value": "NEW"}}])

    assert page(api, first=1)["totalCount"] == 40
    assert ids_of(combined) == ordered(a for a in stored(api) if in_view(a, "ENDPOINT") and a["status"] == "NEW")


# --- sorting and cursors ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("field", ["createdAt", "updatedAt"])
@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_sort_orders_break_ties_by_id_ascending(api: Api, field: str, order: str) -> None:
    result = page(api, first=1000, sort={"by": field, "order": order})

    assert ids_of(result) == ordered(stored(api), field, order)


def test_shared_millisecond_groups_keep_id_order_both_ways(api: Api) -> None:
    groups = [ids for ids in group_by_created(api).values() if len(ids) == 3]

    ascending = ids_of(page(api, first=1000, sort={"by": "createdAt", "order": "ASC"}))
    descending = ids_of(page(api, first=1000, sort={"by": "createdAt", "order": "DESC"}))

    assert len(groups) == 4
    for ids in groups:
        expected = sorted(ids)
        assert [i for i in ascending if i in ids] == expected
        assert [i for i in descending if i in ids] == expected


def group_by_created(api: Api) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for alert in stored(api):
        groups.setdefault(alert["createdAt"], []).append(alert["id"])
    return groups


def test_default_sort_is_created_at_descending_and_default_first_is_50(api: Api) -> None:
    control(api, "POST", "/uam-alerts", {"count": 20, "createdAt": "2024-03-01T00:00:00.000Z"})

    result = data(api, "{ alerts { edges { node { id } } pageInfo { hasNextPage } } }")["alerts"]

    assert ids_of(result) == ordered(stored(api))[:50]
    assert result["pageInfo"]["hasNextPage"] is True


@pytest.mark.parametrize("order", ["ASC", "DESC"])
def test_cursor_walk_returns_every_alert_once(api: Api, order: str) -> None:
    ids = walk(api, 7, sort={"by": "createdAt", "order": order})

    assert ids == ordered(stored(api), "createdAt", order)


def test_walk_while_alerts_are_added_returns_each_once_and_the_new_ones_behind_the_cursor(api: Api) -> None:
    initial = ordered(stored(api), order="ASC")
    tie_stamp = next(stamp for stamp, ids in group_by_created(api).items() if len(ids) == 3 and stamp > "2024-04-25")
    added: dict[str, list[str]] = {"past": [], "ahead": []}
    calls = []

    def add(number: int) -> None:
        calls.append(number)
        api.advance(5)
        if number == 0:
            past = control(api, "POST", "/uam-alerts", {"count": 2, "createdAt": "2024-04-01T00:00:00.000Z"})["data"]
            added["past"] += [alert["id"] for alert in past]
            same = control(api, "POST", "/uam-alerts", {"count": 3, "createdAt": tie_stamp})["data"]
            added["ahead"] += [alert["id"] for alert in same]
        new = control(api, "POST", "/uam-alerts", {"count": 1})["data"]
        added["ahead"] += [alert["id"] for alert in new]

    ids = walk(api, 6, add, sort={"by": "createdAt", "order": "ASC"})

    assert len(ids) == len(set(ids))
    assert set(ids) == set(initial) | set(added["ahead"])
    assert not set(ids) & set(added["past"])
    assert ids == [i for i in ordered(stored(api), order="ASC") if i not in added["past"]]
    assert len(added["ahead"]) == 3 + len(calls) and len(calls) >= 7


def test_updated_at_walk_sees_an_alert_updated_behind_it_again_at_the_end(api: Api) -> None:
    first = page(api, first=10, sort={"by": "updatedAt", "order": "ASC"})
    already_seen, not_yet_seen = ids_of(first)[3], ordered(stored(api), "updatedAt", "ASC")[20]
    api.advance(30)
    control(api, "PATCH", f"/uam-alerts/{already_seen}", {"status": "RESOLVED"})
    control(api, "PATCH", f"/uam-alerts/{not_yet_seen}", {"severity": "LOW"})

    rest: list[str] = []
    after = first["pageInfo"]["endCursor"]
    while after:
        connection = page(api, first=10, after=after, sort={"by": "updatedAt", "order": "ASC"})
        rest += ids_of(connection)
        after = connection["pageInfo"]["endCursor"] if connection["pageInfo"]["hasNextPage"] else None

    walked = ids_of(first) + rest
    assert Counter(walked)[already_seen] == 2
    assert Counter(walked)[not_yet_seen] == 1
    assert set(walked) == set(api.store.uam.alerts) and len(walked) == 41
    assert sorted(rest[-2:]) == sorted([already_seen, not_yet_seen])


def test_total_count_and_page_info_along_a_filtered_walk(api: Api) -> None:
    filters = [{"fieldId": "status", "stringEqual": {"value": "NEW"}}]
    expected = ordered(alert for alert in stored(api) if alert["status"] == "NEW")

    first = page(api, first=5, filters=filters)
    second = page(api, first=5, after=first["pageInfo"]["endCursor"], filters=filters)
    last = page(api, first=5, after=page(api, first=10, filters=filters)["pageInfo"]["endCursor"], filters=filters)

    assert len(expected) == 14
    assert (first["totalCount"], second["totalCount"], last["totalCount"]) == (14, 14, 14)
    assert ids_of(first) + ids_of(second) + ids_of(last) == expected
    assert first["pageInfo"]["hasPreviousPage"] is False and first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"] == {
        "hasNextPage": True,
        "hasPreviousPage": True,
        "startCursor": second["edges"][0]["cursor"],
        "endCursor": second["edges"][-1]["cursor"],
    }
    assert last["pageInfo"]["hasNextPage"] is False and len(last["edges"]) == 4


def test_an_empty_page_has_no_cursors(api: Api) -> None:
    result = page(api, first=10, filters=[{"fieldId": "severity", "stringEqual": {"value": "UNKNOWN"}}])

    assert result == {
        "totalCount": 0,
        "edges": [],
        "pageInfo": {"hasNextPage": False, "hasPreviousPage": False, "startCursor": None, "endCursor": None},
    }


def test_id_filter_pages_through_the_named_alerts_only(api: Api) -> None:
    named = [*ordered(stored(api))[5:12], "missing-id"]

    first = page(api, first=4, filters=[{"fieldId": "id", "stringIn": {"values": named}}])
    second = page(api, first=4, after=first["pageInfo"]["endCursor"], filters=[{"fieldId": "id", "stringIn": {"values": named}}])

    assert ids_of(first) + ids_of(second) == named[:7]
    assert (first["totalCount"], first["pageInfo"]["hasNextPage"], second["pageInfo"]["hasNextPage"]) == (7, True, False)


class CountingDict(dict):
    """The alert table, counting the alerts a request reads by id."""

    reads = 0

    def __getitem__(self, key: Any) -> Any:
        CountingDict.reads += 1
        return super().__getitem__(key)


def test_a_page_reads_about_first_alerts_not_the_tenant() -> None:
    big = make_api(size=TenantSize(agents=20, threats=5, alerts=5, uam_alerts=5000))
    uam = big.store.uam
    uam.alerts = CountingDict(uam.alerts)
    middle = millis(sorted(alert["createdAt"] for alert in uam.alerts.values())[2500])
    filters = [{"fieldId": "createdAt", "dateTimeRange": {"start": middle}}]
    query = (
        'query($f: [FilterInput!], $a: String) { alerts(first: 100, after: $a, filters: $f, sort: {by: "createdAt", order: ASC})'
        " { %s pageInfo { endCursor } edges { node { id } } } }"
    )

    CountingDict.reads = 0
    first = data(big, query % "", {"f": filters})["alerts"]
    first_reads = CountingDict.reads
    CountingDict.reads = 0
    second = data(big, query % "totalCount", {"f": filters, "a": first["pageInfo"]["endCursor"]})["alerts"]
    second_reads = CountingDict.reads
    CountingDict.reads = 0
    data(big, query % "totalCount", {"f": [*filters, {"fieldId": "status", "stringEqual": {"value": "NEW"}}]})
    filtered_count_reads = CountingDict.reads

    assert (len(first["edges"]), second["totalCount"]) == (100, 2500)
    assert first_reads == 101  # the page and one more, to know there is a next page
    assert second_reads == 101  # nothing to check behind the cursor: the date range alone says there is a previous page
    assert 2500 <= filtered_count_reads <= 2500 + 400  # counting a status needs a look at every alert in the range


# --- the mutation -------------------------------------------------------------------------------------------------------
def by_ids(*ids: str) -> dict[str, Any]:
    return {"or": [{"and": [{"fieldId": "id", "stringIn": {"values": list(ids)}}]}]}


def status_action(value: str) -> dict[str, Any]:
    return {"id": "S1/alert/statusUpdate", "payload": {"status": {"value": value}}}


def trigger(api: Api, actions: list[dict[str, Any]], **variables: Any) -> dict[str, Any]:
    return data(api, MUTATION, {"actions": actions, **variables})["alertTriggerActions"]


def test_status_update_success_skip_and_failure(api: Api) -> None:
    new = next(alert for alert in stored(api) if alert["status"] == "NEW")
    resolved = next(alert for alert in stored(api) if alert["status"] == "RESOLVED")
    resolved_updated = resolved["updatedAt"]
    api.advance(60)

    result = trigger(api, [status_action("RESOLVED")], filter=by_ids(new["id"], resolved["id"], "no-such-alert"))

    assert result == {
        "__typename": "ActionsTriggered",
        "actions": [
            {
                "actionId": "S1/alert/statusUpdate",
                "success": [{"id": new["id"]}],
                "failure": [{"id": "no-such-alert", "errorMessage": "Alert no-such-alert not found", "errorType": "NOT_FOUND"}],
                "skip": [{"id": resolved["id"], "skipMessage": "The alert's status is already RESOLVED"}],
            }
        ],
    }
    assert (new["status"], new["updatedAt"]) == ("RESOLVED", "2024-05-01T12:01:00.000Z")
    assert resolved["updatedAt"] == resolved_updated
    modified = page(
        api, first=10, filters=[{"fieldId": "updatedAt", "dateTimeRange": {"start": millis("2024-05-01T12:01:00.000Z")}}]
    )
    assert ids_of(modified) == [new["id"]]


def test_verdict_update_and_note_in_one_mutation(api: Api) -> None:
    target = next(alert for alert in stored(api) if alert["analystVerdict"] == "UNDEFINED" and not alert["noteExists"])
    api.advance(90)
    actions = [
        {"id": "S1/alert/analystVerdictUpdate", "payload": {"analystVerdict": {"value": "TRUE_POSITIVE_RANSOMWARE"}}},
        {"id": "S1/alert/addNote", "payload": {"note": {"value": "XSOAR: confirmed ransomware."}}},
    ]

    result = trigger(api, actions, filter={"or": [{"and": [{"fieldId": "id", "stringEqual": {"value": target["id"]}}]}]})

    assert result["actions"] == [
        {"actionId": "S1/alert/analystVerdictUpdate", "success": [{"id": target["id"]}], "failure": [], "skip": []},
        {"actionId": "S1/alert/addNote", "success": [{"id": target["id"]}], "failure": [], "skip": []},
    ]
    stored_alert = api.store.uam.alerts[target["id"]]
    assert (stored_alert["analystVerdict"], stored_alert["noteExists"], stored_alert["updatedAt"]) == (
        "TRUE_POSITIVE_RANSOMWARE",
        True,
        "2024-05-01T12:01:30.000Z",
    )
    [note] = data(api, NOTES, {"id": target["id"]})["alertNotes"]["data"]
    assert {key: note[key] for key in ("text", "createdAt", "author")} == {
        "text": "XSOAR: confirmed ransomware.",
        "createdAt": "2024-05-01T12:01:30.000Z",
        "author": {"userId": api.store.user.id, "fullName": "Sim Analyst", "email": "analyst@example.com"},
    }


def test_a_bad_payload_value_is_a_trigger_actions_error_and_changes_nothing(api: Api) -> None:
    target = stored(api)[0]
    before = {alert_id: dict(alert) for alert_id, alert in api.store.uam.alerts.items()}
    actions = [
        status_action("RESOLVED"),
        {"id": "S1/alert/analystVerdictUpdate", "payload": {"analystVerdict": {"value": "MAYBE"}}},
        status_action("DONE"),
        {"id": "S1/alert/addNote", "payload": {"note": {"value": "  "}}},
        {"id": "S1/alert/statusUpdate"},
    ]

    result = trigger(api, actions, filter=by_ids(target["id"]))

    assert result == {
        "__typename": "TriggerActionsError",
        "errors": [
            {
                "errorMessage": 'S1/alert/analystVerdictUpdate: invalid analystVerdict "MAYBE"; expected one of '
                + ", ".join(ANALYST_VERDICTS)
            },
            {"errorMessage": 'S1/alert/statusUpdate: invalid status "DONE"; expected one of NEW, IN_PROGRESS, RESOLVED'},
            {"errorMessage": "S1/alert/addNote: payload.note.value is required (a text)"},
            {"errorMessage": "S1/alert/statusUpdate: payload.status.value is required (a string)"},
        ],
    }
    assert {alert_id: dict(alert) for alert_id, alert in api.store.uam.alerts.items()} == before


def test_an_unknown_action_id_gives_no_results_and_changes_nothing(api: Api) -> None:
    before = {alert_id: dict(alert) for alert_id, alert in api.store.uam.alerts.items()}

    result = trigger(api, [{"id": "S1/alert/doesNotExist", "payload": {"x": 1}}], filter=by_ids(stored(api)[0]["id"]))

    assert result == {"__typename": "ActionsTriggered", "actions": []}
    assert {alert_id: dict(alert) for alert_id, alert in api.store.uam.alerts.items()} == before


def test_filter_null_applies_to_every_alert_in_scope_and_view(api: Api) -> None:
    star = sorted(alert["id"] for alert in stored(api) if in_view(alert, "STAR"))
    star_in_progress = sorted(a["id"] for a in stored(api) if in_view(a, "STAR") and a["status"] == "IN_PROGRESS")

    in_view_result = trigger(api, [status_action("IN_PROGRESS")], filter=None, viewType="STAR")

    [action] = in_view_result["actions"]
    assert [item["id"] for item in action["success"]] == [i for i in star if i not in star_in_progress]
    assert [item["id"] for item in action["skip"]] == star_in_progress
    assert action["failure"] == []

    site = next(alert["realTime"]["scope"]["site"] for alert in stored(api) if alert["realTime"]["scope"]["site"])
    in_site = sorted(a["id"] for a in stored(api) if (a["realTime"]["scope"]["site"] or {}).get("id") == site["id"])
    scoped = trigger(api, [status_action("NEW")], scope={"scopeIds": [site["id"]], "scopeType": "SITE"})
    [action] = scoped["actions"]
    assert sorted(item["id"] for item in action["success"] + action["skip"]) == in_site

    everything = trigger(api, [status_action("RESOLVED")])
    [action] = everything["actions"]
    assert sorted(item["id"] for item in action["success"] + action["skip"]) == sorted(api.store.uam.alerts)
    assert {alert["status"] for alert in stored(api)} == {"RESOLVED"}


def test_or_of_and_filters_and_an_empty_or(api: Api) -> None:
    filter_ = {
        "or": [
            {
                "and": [
                    {"fieldId": "severity", "stringEqual": {"value": "CRITICAL"}},
                    {"fieldId": "status", "stringEqual": {"value": "NEW"}},
                ]
            },
            {"and": [{"fieldId": "detectionProduct", "stringEqual": {"value": "PAN-OS"}}]},
        ]
    }
    expected = sorted(
        a["id"]
        for a in stored(api)
        if (a["severity"] == "CRITICAL" and a["status"] == "NEW") or a["detectionSource"]["product"] == "PAN-OS"
    )

    [action] = trigger(api, [{"id": "S1/alert/addNote", "payload": {"note": {"value": "bulk"}}}], filter=filter_)["actions"]
    [nothing] = trigger(api, [status_action("NEW")], filter={"or": []})["actions"]

    assert [item["id"] for item in action["success"]] == expected and len(expected) == 6
    assert nothing == {"actionId": "S1/alert/statusUpdate", "success": [], "failure": [], "skip": []}


def test_an_inline_mutation_with_enum_literals_and_a_scheduled_answer_through_a_fault(api: Api) -> None:
    target = next(alert for alert in stored(api) if alert["status"] == "NEW")
    inline = (
        "mutation { alertTriggerActions(viewType: ALL,"
        ' actions: [{id: "S1/alert/statusUpdate", payload: {status: {value: "IN_PROGRESS"}}}],'
        ' filter: {or: [{and: [{fieldId: "id", stringIn: {values: ["%s"]}}]}]})'
        " { __typename ... on ActionsTriggered { actions { success { id } } } } }"
    )

    assert data(api, inline % target["id"]) == {
        "alertTriggerActions": {"__typename": "ActionsTriggered", "actions": [{"success": [{"id": target["id"]}]}]}
    }
    scheduled = {"data": {"alertTriggerActions": {"__typename": "TriggerActionsScheduled", "executionId": "exec-1"}}}
    control(api, "POST", "/faults", {"path": PATH, "status": 200, "body": scheduled, "times": 1})
    assert gql(api, MUTATION, {"actions": [status_action("NEW")]}) == scheduled


# --- GraphQL errors -----------------------------------------------------------------------------------------------------
def test_syntax_error(api: Api) -> None:
    assert only_error(api, "{ alerts(first: 2 { totalCount } }") == {
        "message": "Syntax Error: Expected Name, found '{'.",
        "locations": [{"line": 1, "column": 19}],
        "extensions": {"code": "GRAPHQL_PARSE_FAILED"},
    }


def test_unknown_field(api: Api) -> None:
    assert only_error(api, "{ alerts { edges { node { id riskScore } } } }") == {
        "message": "Cannot query field 'riskScore' on type 'Alert'.",
        "locations": [{"line": 1, "column": 30}],
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
    }


def test_bad_enum_literal_and_variable(api: Api) -> None:
    assert only_error(api, "{ alerts(viewType: all) { totalCount } }") == {
        "message": "Value 'all' does not exist in 'ViewType' enum. Did you mean the enum value 'ALL'?",
        "locations": [{"line": 1, "column": 20}],
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
    }
    error = only_error(api, "query($v: ViewType) { alerts(viewType: $v) { totalCount } }", {"v": "EMAIL"})
    assert error == {
        "message": (
            "Variable '$v' has invalid value: Value 'EMAIL' does not exist in 'ViewType' enum. Did you mean the enum value 'ALL'?"
        ),
        "locations": [{"line": 1, "column": 7}],
        "extensions": {"code": "BAD_USER_INPUT"},
    }


def test_bad_variable_type(api: Api) -> None:
    error = only_error(api, "query($f: Int) { alerts(first: $f) { totalCount } }", {"f": "ten"})

    assert error == {
        "message": "Variable '$f' has invalid value: Int cannot represent non-integer value: 'ten'",
        "locations": [{"line": 1, "column": 7}],
        "extensions": {"code": "BAD_USER_INPUT"},
    }


def test_long_refuses_a_string_as_variable_and_literal_and_takes_epoch_millis(api: Api) -> None:
    query = 'query($s: Long) { alerts(filters: [{fieldId: "createdAt", dateTimeRange: {start: $s}}]) { totalCount } }'

    as_variable = only_error(api, query, {"s": "2024-04-30T00:00:00.000Z"})
    as_literal = only_error(
        api, '{ alerts(filters: [{fieldId: "createdAt", dateTimeRange: {start: "1714435200000"}}]) { totalCount } }'
    )

    assert as_variable["message"] == (
        "Variable '$s' has invalid value: Expected value of type 'Long', but encountered error "
        "'Long cannot represent a non-integer value: '2024-04-30T00:00:00.000Z''; found: '2024-04-30T00:00:00.000Z'."
    )
    assert as_variable["extensions"] == {"code": "BAD_USER_INPUT"}
    assert as_literal == {
        "message": (
            "Expected value of type 'Long', but encountered error 'Long cannot represent a non-integer value';"
            ' found: "1714435200000".'
        ),
        "locations": [{"line": 1, "column": 66}],
        "extensions": {"code": "GRAPHQL_VALIDATION_FAILED"},
    }
    since = millis("2024-04-30T00:00:00.000Z")
    assert (
        data(api, query, {"s": since})["alerts"]["totalCount"] == sum(millis(a["createdAt"]) >= since for a in stored(api)) == 10
    )


@pytest.mark.parametrize(
    ("filter_", "message"),
    [
        (
            {"fieldId": "riskScore", "stringEqual": {"value": "x"}},
            'filters[1].fieldId: unknown fieldId "riskScore"; expected one of accountId, analystVerdict, classification,'
            " createdAt, detectionProduct, externalId, groupId, id, name, result, severity, siteId, status, updatedAt",
        ),
        ({"fieldId": "status"}, 'filters[1]: give exactly one operator for fieldId "status" (stringEqual or stringIn), got 0'),
        (
            {"fieldId": "status", "stringEqual": {"value": "NEW"}, "stringIn": {"values": ["NEW"]}},
            'filters[1]: give exactly one operator for fieldId "status" (stringEqual or stringIn), got 2',
        ),
        (
            {"fieldId": "createdAt", "stringEqual": {"value": "2024"}},
            'filters[1]: fieldId "createdAt" takes dateTimeRange, not stringEqual',
        ),
        (
            {"fieldId": "severity", "dateTimeRange": {"start": 1}},
            'filters[1]: fieldId "severity" takes stringEqual or stringIn, not dateTimeRange',
        ),
    ],
)
def test_filter_errors_name_the_filter(api: Api, filter_: dict[str, Any], message: str) -> None:
    filters = [{"fieldId": "status", "stringEqual": {"value": "NEW"}}, filter_]

    error = only_error(api, LIST, {"first": 5, "filters": filters})

    assert error == {
        "message": message,
        "locations": [{"line": 3, "column": 3}],
        "path": ["alerts"],
        "extensions": {"code": "BAD_USER_INPUT"},
    }


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"first": 0}, "first: must be from 1 to 1000, got 0"),
        ({"first": 1001}, "first: must be from 1 to 1000, got 1001"),
        ({"after": "not-a-cursor"}, 'after: "not-a-cursor" is not a cursor of this endpoint'),
        ({"after": "WyJuYW1lIiwiQVNDIiwxLCJ4Il0="}, 'after: "WyJuYW1lIiwiQVNDIiwxLCJ4Il0=" is not a cursor of this endpoint'),
        ({"sort": {"by": "severity"}}, 'sort.by: cannot sort by "severity"; expected one of createdAt, updatedAt'),
    ],
)
def test_argument_errors(api: Api, variables: dict[str, Any], message: str) -> None:
    error = only_error(api, LIST, variables)

    assert error == {
        "message": message,
        "locations": [{"line": 3, "column": 3}],
        "path": ["alerts"],
        "extensions": {"code": "BAD_USER_INPUT"},
    }


def test_a_cursor_of_another_sort_is_refused(api: Api) -> None:
    cursor = page(api, first=2, sort={"by": "updatedAt", "order": "ASC"})["pageInfo"]["endCursor"]

    error = only_error(api, LIST, {"first": 2, "after": cursor})

    assert error["message"] == "after: the cursor belongs to a walk sorted by updatedAt ASC, not createdAt DESC"


def test_mutation_argument_errors(api: Api) -> None:
    bad_filter = {
        "or": [
            {"and": [{"fieldId": "id", "stringIn": {"values": ["x"]}}]},
            {"and": [{"fieldId": "colour", "stringEqual": {"value": "red"}}]},
        ]
    }

    unknown_field = only_error(api, MUTATION, {"actions": [status_action("NEW")], "filter": bad_filter})
    bad_scope = only_error(
        api, MUTATION, {"actions": [status_action("NEW")], "scope": {"scopeIds": ["1"], "scopeType": "TENANT"}}
    )
    bad_payload = only_error(api, MUTATION, {"actions": [{"id": "S1/alert/addNote", "payload": "text"}]})

    assert unknown_field["message"].startswith(
        'filter.or[1].and[0].fieldId: unknown fieldId "colour"; expected one of accountId,'
    )
    assert unknown_field["path"] == ["alertTriggerActions"]
    assert bad_scope["message"] == 'scope.scopeType: unknown scope type "TENANT"; expected one of ACCOUNT, GROUP, SITE'
    assert bad_payload["message"] == (
        "Variable '$actions' has invalid value at [0].payload: Expected value of type 'JSON', but encountered error "
        "'JSON payload must be an object, got 'text''; found: 'text'."
    )


def test_several_root_fields_and_a_partial_answer(api: Api) -> None:
    alert = stored(api)[0]
    query = 'query($id: ID!) { alert(id: $id) { id } alertNotes(alertId: "missing") { data { id } } }'

    body = gql(api, query, {"id": alert["id"]})

    assert body["data"] is None  # alertNotes is non-null, so its error takes the whole answer
    assert [error["path"] for error in body["errors"]] == [["alertNotes"]]
    assert data(api, '{ a: alert(id: "%s") { id } b: alert(id: "missing") { id } }' % alert["id"]) == {
        "a": {"id": alert["id"]},
        "b": None,
    }


def test_operation_name_selects_the_operation(api: Api) -> None:
    query = "query One { alerts(first: 1) { totalCount } } query Two { alerts(first: 1, viewType: STAR) { totalCount } }"

    response = api.post(PATH, {"query": query, "operationName": "Two"})

    assert response.get_json() == {"data": {"alerts": {"totalCount": 6}}}
    assert only_error(api, query)["message"] == "Must provide operation name if query contains multiple operations."


def test_the_shortcut_executor_answers_like_graphql_core(api: Api) -> None:
    """The stored-data shortcut gives graphql-core's own answer, errors included (a null name, a string for a list)."""
    alerts = stored(api)
    control(api, "PATCH", f"/uam-alerts/{alerts[3]['id']}", {"name": None})
    control(api, "PATCH", f"/uam-alerts/{alerts[9]['id']}", {"attackSurfaces": "ENDPOINT", "detectionTime": {"attacker": []}})
    queries = [
        "{ alerts(first: 1000, viewType: CLOUD) { edges { node { %s } } } }" % NODE,
        "{ alerts(first: 1000) { edges { node { %s } } } }" % NODE,
        "{ alerts(first: 1000) { edges { n: node {"
        " ... on Alert { __typename i: id } attackSurfaces detectionTime { attacker { ip } } } } } }",
        '{ alert(id: "%s") { id name } }' % alerts[3]["id"],
        '{ alert(id: "%s") { id attackSurfaces detectionTime { attacker { host } } } }' % alerts[9]["id"],
    ]

    position = ordered(stored(api)).index(alerts[9]["id"])
    for query in queries:
        reference = execute(SCHEMA, parse(query), context_value=Context(api.store))
        answer = run(api.store, query, None, None)
        assert answer.get("data") == reference.data  # type: ignore[union-attr]
        assert [error["message"] for error in answer.get("errors", [])] == [e.message for e in reference.errors or []]  # type: ignore[union-attr]
    assert run(api.store, queries[3], None, None) == {
        "errors": [
            {
                "message": "Cannot return null for non-nullable field Alert.name.",
                "locations": [{"line": 1, "column": 58}],
                "path": ["alert", "name"],
                "extensions": {"code": "INTERNAL_SERVER_ERROR"},
            }
        ],
        "data": {"alert": None},
    }
    assert run(api.store, queries[1], None, None)["errors"][0]["path"] == ["alerts", "edges", position, "node", "attackSurfaces"]


# --- HTTP level: versions, auth, faults, rate limits, request log, malformed bodies -----------------------------------------
def test_the_endpoint_is_2_1_only(api: Api) -> None:
    response = api.post(PATH, {"query": "{ alerts { totalCount } }"}, version="2.0")

    assert response.status_code == 404
    assert response.get_json() == {
        "errors": [
            {"code": 4040010, "detail": "This endpoint is not available in API version 2.0", "title": "Resource not found"}
        ]
    }


def test_auth_is_required(api: Api) -> None:
    response = api.client.post(f"/web/api/v2.1/{PATH}", json={"query": "{ alerts { totalCount } }"})

    assert response.status_code == 401
    assert response.get_json() == {"errors": [{"code": 4010010, "detail": None, "title": "Authentication Failed"}]}


def test_only_post_is_served(api: Api) -> None:
    assert api.get(PATH).status_code == 405


def test_a_fault_and_a_retry_after_on_the_graphql_path(api: Api) -> None:
    control(api, "POST", "/faults", {"path": PATH, "status": 503, "times": 1})
    first = api.post(PATH, {"query": "{ alerts { totalCount } }"})
    control(api, "POST", "/faults", {"path": PATH, "retryAfter": 4, "times": 1})
    second = api.post(PATH, {"query": "{ alerts { totalCount } }"})
    third = api.post(PATH, {"query": "{ alerts { totalCount } }"})

    assert (first.status_code, first.get_json()["errors"][0]["code"]) == (503, 5000010)
    assert (second.status_code, second.headers["Retry-After"]) == (429, "4")
    assert second.get_json() == {"errors": [{"code": 4290010, "detail": "Too many requests", "title": "Too Many Requests"}]}
    assert third.get_json() == {"data": {"alerts": {"totalCount": 40}}}


def test_rate_limit_on_the_graphql_path(api: Api) -> None:
    limits = control(api, "PUT", "/rate-limits", {"enabled": True, "limits": {PATH: {"requests": 1, "perSeconds": 30}}})
    assert limits["limits"][PATH] == {"requests": 1, "perSeconds": 30.0, "burst": 1}

    statuses = [api.post(PATH, {"query": "{ alerts { totalCount } }"}) for _ in range(2)]
    api.advance(30)
    again = api.post(PATH, {"query": "{ alerts { totalCount } }"})

    assert [response.status_code for response in statuses] == [200, 429]
    assert statuses[1].headers["Retry-After"] == "30"
    assert again.status_code == 200


def test_default_rate_limit_entry_for_the_graphql_path(api: Api) -> None:
    assert control(api, "GET", "/rate-limits")["limits"][PATH] == {"requests": 10, "perSeconds": 1.0, "burst": 50}


def test_the_request_log_keeps_the_query_and_variables(api: Api) -> None:
    api.client.delete("/_sim/requests")
    gql(api, LIST, {"first": 3, "viewType": "STAR"})

    [entry] = control(api, "GET", "/requests?path=/web/api/v2.1/unifiedalerts/graphql")["requests"]

    assert (entry["method"], entry["status"], entry["query"]) == ("POST", 200, {})
    assert entry["body"] == {"query": LIST, "variables": {"first": 3, "viewType": "STAR"}}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("not json", "The body must be a JSON object with a 'query' string"),
        ({"variables": {}}, "The body must be a JSON object with a 'query' string"),
        ({"query": "{ alerts { totalCount } }", "variables": [1]}, "'variables' must be a JSON object"),
        ({"query": "{ alerts { totalCount } }", "operationName": 3}, "'operationName' must be a string"),
    ],
)
def test_a_body_that_is_not_a_graphql_request_is_a_400(api: Api, body: Any, message: str) -> None:
    if isinstance(body, str):
        response = api.client.post(f"/web/api/v2.1/{PATH}", data=body, headers=api.headers)
    else:
        response = api.post(PATH, body)

    assert response.status_code == 400
    assert response.get_json() == {"errors": [{"message": message, "extensions": {"code": "BAD_REQUEST"}}], "data": None}


# --- control surface ------------------------------------------------------------------------------------------------------
def test_add_uam_alerts_with_one_created_at_and_merged_fields(api: Api) -> None:
    site_id = "1900000000000000001"
    body = {
        "count": 3,
        "createdAt": "2024-05-02T00:00:00.123456Z",
        "fields": {"attackSurfaces": ["IDENTITY"], "severity": "LOW", "realTime": {"scope": {"site": {"id": site_id}}}},
    }

    added = control(api, "POST", "/uam-alerts", body)["data"]

    agents_by_uuid = {agent["uuid"]: agent for agent in api.store.agents.values()}
    assert len(added) == 3 and len({alert["id"] for alert in added}) == 3
    for alert in added:
        agent = agents_by_uuid[alert["asset"]["agentUuid"]]
        assert alert == api.store.uam.alerts[alert["id"]]
        assert (alert["createdAt"], alert["updatedAt"]) == ("2024-05-02T00:00:00.123Z", "2024-05-02T00:00:00.123Z")
        assert (alert["status"], alert["analystVerdict"], alert["severity"], alert["attackSurfaces"]) == (
            "NEW",
            "UNDEFINED",
            "LOW",
            ["IDENTITY"],
        )
        assert alert["detectionSource"] == {"product": "EDR", "vendor": "SentinelOne", "engine": "Behavioral AI"}
        assert alert["realTime"]["scope"]["site"] == {"id": site_id, "name": agent["siteName"]}
        assert alert["realTime"]["scope"]["account"] == {"id": agent["accountId"], "name": agent["accountName"]}
        assert (alert["noteExists"], alert["assignee"]) == (False, None)
    in_site = page(api, first=10, viewType="IDENTITY", filters=[{"fieldId": "siteId", "stringEqual": {"value": site_id}}])
    assert sorted(ids_of(in_site)) == sorted(alert["id"] for alert in added)


def test_add_uam_alerts_defaults_to_now(api: Api) -> None:
    api.advance(2.5)

    [alert] = control(api, "POST", "/uam-alerts", {})["data"]

    assert (alert["createdAt"], alert["updatedAt"]) == ("2024-05-01T12:00:02.500Z", "2024-05-01T12:00:02.500Z")
    assert ids_of(page(api, first=1)) == [alert["id"]]


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"count": 0}, "count: Must be an integer from 1 to 100000."),
        ({"createdAt": "yesterday"}, "createdAt: Not a valid datetime."),
        ({"fields": {"id": "mine"}}, "fields.id: The simulator chooses UAM alert ids."),
        ({"fields": {"updatedAt": "later"}}, "fields: createdAt and updatedAt must be ISO-8601 timestamps."),
        ({"fields": {"createdAt": 1714564802500}}, "fields: createdAt and updatedAt must be ISO-8601 timestamps."),
        ({"fields": []}, "fields: Expected a JSON object."),
    ],
)
def test_add_uam_alerts_validation(api: Api, body: dict[str, Any], detail: str) -> None:
    response = api.client.post("/_sim/uam-alerts", json=body)

    assert response.status_code == 400
    assert response.get_json() == {"errors": [{"code": 4000010, "detail": detail, "title": "Validation Error"}]}
    assert len(api.store.uam) == 40


def test_update_uam_alert_bumps_updated_at_unless_given(api: Api) -> None:
    alert = stored(api)[0]
    api.advance(30)

    changed = control(api, "PATCH", f"/uam-alerts/{alert['id']}", {"status": "RESOLVED", "detectionSource": {"engine": "STAR"}})
    pinned = control(api, "PATCH", f"/uam-alerts/{alert['id']}", {"severity": "LOW", "updatedAt": "2024-04-01T00:00:00.000Z"})

    assert (changed["data"]["status"], changed["data"]["updatedAt"]) == ("RESOLVED", "2024-05-01T12:00:30.000Z")
    assert changed["data"]["detectionSource"] == {"product": "EDR", "vendor": "SentinelOne", "engine": "STAR"}
    assert pinned["data"] == control(api, "GET", f"/uam-alerts/{alert['id']}")["data"] == api.store.uam.alerts[alert["id"]]
    assert pinned["data"]["updatedAt"] == "2024-04-01T00:00:00.000Z"
    assert ids_of(page(api, first=1, sort={"by": "updatedAt", "order": "ASC"})) == [alert["id"]]


def test_update_uam_alert_errors_leave_the_alert_as_it_was(api: Api) -> None:
    alert = stored(api)[0]
    before = dict(alert)

    bad_time = api.client.patch(f"/_sim/uam-alerts/{alert['id']}", json={"createdAt": "soon", "severity": "LOW"})
    new_id = api.client.patch(f"/_sim/uam-alerts/{alert['id']}", json={"id": "other"})
    unknown = api.client.patch("/_sim/uam-alerts/nope", json={"severity": "LOW"})

    assert (bad_time.status_code, bad_time.get_json()["errors"][0]["detail"]) == (
        400,
        "createdAt: createdAt and updatedAt must be ISO-8601 timestamps.",
    )
    assert (new_id.status_code, new_id.get_json()["errors"][0]["detail"]) == (400, "id: A UAM alert's id cannot change.")
    assert unknown.status_code == 404
    assert unknown.get_json() == {
        "errors": [{"code": 4040010, "detail": "UAM alert nope does not exist", "title": "Resource not found"}]
    }
    assert api.store.uam.alerts[alert["id"]] == before
    assert ids_of(page(api, first=1000, sort={"by": "createdAt", "order": "ASC"}))[0] == alert["id"]


def test_add_uam_note_from_the_console(api: Api) -> None:
    alert = next(alert for alert in stored(api) if not alert["noteExists"])
    api.advance(10)
    author = {"userId": "77", "fullName": "Tier Two", "email": "t2@example.com"}

    note = control(api, "POST", f"/uam-alerts/{alert['id']}/notes", {"text": "Isolated the host.", "author": author})["data"]

    assert note == {
        "id": note["id"],
        "text": "Isolated the host.",
        "createdAt": "2024-05-01T12:00:10.000Z",
        "updatedAt": "2024-05-01T12:00:10.000Z",
        "author": author,
    }
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", note["id"])
    assert (alert["noteExists"], alert["updatedAt"]) == (True, "2024-05-01T12:00:10.000Z")
    assert data(api, NOTES, {"id": alert["id"]})["alertNotes"]["data"] == [note]
    assert api.client.post(f"/_sim/uam-alerts/{alert['id']}/notes", json={"text": ""}).status_code == 400
    assert api.client.post("/_sim/uam-alerts/nope/notes", json={"text": "x"}).status_code == 404


def test_reset_restores_the_seeded_alerts_and_the_summary_counts_them(api: Api) -> None:
    seeded = {alert_id: dict(alert) for alert_id, alert in api.store.uam.alerts.items()}
    first = next(iter(seeded))
    control(api, "POST", "/uam-alerts", {"count": 2})
    control(api, "PATCH", f"/uam-alerts/{first}", {"status": "RESOLVED", "severity": "INFO"})
    summary = control(api, "GET", "/")

    control(api, "POST", "/reset")

    assert (summary["counts"]["uam_alerts"], summary["size"]["uam_alerts"]) == (42, 40)
    assert control(api, "GET", "/")["counts"]["uam_alerts"] == 40
    assert {alert_id: dict(alert) for alert_id, alert in api.store.uam.alerts.items()} == seeded
    assert page(api, first=1000)["totalCount"] == 40


def test_the_python_control_client_over_http(s1sim: SimulatorHandle) -> None:
    control_client = s1sim.control
    site_id = "1900000000000000002"

    [alert] = control_client.add_uam_alerts(
        created_at="2024-06-01T08:00:00Z", fields={"realTime": {"scope": {"site": {"id": site_id}}}}
    )
    updated = control_client.update_uam_alert(
        alert["id"], {"analystVerdict": "TRUE_POSITIVE_MALWARE", "updatedAt": "2024-06-01T09:00:00.000Z"}
    )
    note = control_client.add_uam_note(alert["id"], "From the console.")
    fetched = control_client.uam_alert(alert["id"])
    answer = requests.post(
        s1sim.api_url("2.1") + PATH,
        json={
            "query": "query($id: ID!) {"
            " alert(id: $id) { id analystVerdict noteExists updatedAt realTime { scope { site { id } } } } }",
            "variables": {"id": alert["id"]},
        },
        headers={"Authorization": f"ApiToken {s1sim.token}"},
        timeout=10,
    ).json()

    assert (alert["createdAt"], alert["updatedAt"]) == ("2024-06-01T08:00:00.000Z", "2024-06-01T08:00:00.000Z")
    assert updated["analystVerdict"] == "TRUE_POSITIVE_MALWARE"
    assert (note["text"], note["author"]) == ("From the console.", CONSOLE_ANALYST)
    assert fetched["updatedAt"] == note["createdAt"] and fetched["noteExists"] is True
    assert answer == {
        "data": {
            "alert": {
                "id": alert["id"],
                "analystVerdict": "TRUE_POSITIVE_MALWARE",
                "noteExists": True,
                "updatedAt": note["createdAt"],
                "realTime": {"scope": {"site": {"id": site_id}}},
            }
        }
    }
    assert control_client.summary()["counts"]["uam_alerts"] == 41
    with pytest.raises(Exception, match="UAM alert nope does not exist"):
        control_client.uam_alert("nope")


# --- seeds ------------------------------------------------------------------------------------------------------------------
def tenant(**size: int) -> Any:
    return build_tenant(SimClock(START, frozen=True), 0, TenantSize(**size))


def test_seeded_alerts_cover_every_view_severity_and_status(api: Api) -> None:
    alerts = stored(api)

    assert len(alerts) == 40
    assert {view: sum(in_view(alert, view) for alert in alerts) for view in VIEWS} == VIEWS
    assert {(alert["severity"], alert["status"]) for alert in alerts} == {
        (severity, status)
        for severity in ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO")
        for status in ("NEW", "IN_PROGRESS", "RESOLVED")
    }
    assert {alert["analystVerdict"] for alert in alerts if alert["status"] == "NEW"} == {"UNDEFINED"}
    assert len({alert["analystVerdict"] for alert in alerts}) >= 8
    assert all(alert["assignee"] is not None for alert in alerts if alert["status"] == "IN_PROGRESS")
    assert sorted(Counter(alert["createdAt"] for alert in alerts).values())[-4:] == [3, 3, 3, 3]


def test_seeded_alerts_have_null_nested_objects_like_real_data(api: Api) -> None:
    alerts = stored(api)

    def count_null(*keys: str) -> int:
        return sum(nested(alert, *keys[:-1]) is not None and nested(alert, *keys) is None for alert in alerts)

    assert sum(alert["assignee"] is None for alert in alerts) == 27
    assert sum(alert["detectionTime"] is None for alert in alerts) == 2
    assert sum(alert["realTime"]["scope"]["site"] is None for alert in alerts) == 3
    assert (count_null("detectionTime", "attacker"), count_null("detectionTime", "targetUser")) == (27, 30)
    assert (count_null("detectionTime", "cloud"), count_null("detectionTime", "kubernetes")) == (29, 33)
    assert sum(alert["process"] is None for alert in alerts) == 24


def test_endpoint_alerts_sit_on_the_tenant_agents(api: Api) -> None:
    store = api.store
    endpoint = [alert for alert in stored(api) if alert["detectionSource"]["product"] in ("EDR", "STAR")]

    for alert in endpoint:
        agent = store.agents[alert["asset"]["id"]]
        scope = alert["realTime"]["scope"]
        assert alert["asset"]["agentUuid"] == agent["uuid"]
        assert (scope["site"]["id"], scope["group"]["id"], scope["account"]["id"]) == (
            agent["siteId"],
            agent["groupId"],
            agent["accountId"],
        )
        assert alert["detectionTime"]["scope"]["siteName"] == agent["siteName"]
        assert alert["fileHash"] == alert["process"]["file"]["sha1"]
    assert len(endpoint) == 16


def test_seeded_timestamps_are_milliseconds_in_the_two_weeks_before_start(api: Api) -> None:
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")

    for alert in stored(api):
        for field in ("createdAt", "updatedAt", "firstSeenAt", "lastSeenAt", "detectedAt"):
            assert stamp.fullmatch(alert[field]), (field, alert[field])
        assert "2024-04-17T12:00:00.000Z" <= alert["createdAt"] <= alert["updatedAt"] < NOW_MILLIS
        notes = api.store.uam.notes.get(alert["id"], [])
        assert alert["noteExists"] is bool(notes)
        assert all(note["createdAt"] <= alert["updatedAt"] for note in notes)


def test_seed_is_deterministic_sized_and_leaves_the_other_objects_alone() -> None:
    first, second = tenant(uam_alerts=40), tenant(uam_alerts=40)
    without = tenant(uam_alerts=0)

    assert first.uam.alerts == second.uam.alerts and first.uam.notes == second.uam.notes
    assert (len(tenant(uam_alerts=7).uam), len(without.uam), len(tenant(agents=0).uam)) == (7, 0, 0)
    for name in ("agents", "threats", "alerts", "activities", "exclusions", "restrictions", "iocs"):
        assert getattr(first, name) == getattr(without, name), name


def test_the_cli_has_a_size_flag() -> None:
    from s1sim.__main__ import parse_arguments

    assert parse_arguments(["--uam-alerts", "5000"]).uam_alerts == 5000
    assert parse_arguments([]).uam_alerts == 40


def test_a_wrong_token_is_refused(api: Api) -> None:
    headers = {"Authorization": "ApiToken wrong"}

    response = api.client.post(f"/web/api/v2.1/{PATH}", json={"query": "{ alerts { totalCount } }"}, headers=headers)

    assert response.status_code == 401
    assert (
        api.client.post(
            f"/web/api/v2.1/{PATH}", json={"query": "{ alerts { totalCount } }"}, headers={"Authorization": f"Bearer {TOKEN}"}
        ).status_code
        == 200
    )
