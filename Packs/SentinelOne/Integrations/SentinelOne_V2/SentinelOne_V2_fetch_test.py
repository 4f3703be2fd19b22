"""Unit tests of fetch-incidents: the pure core (watermark, seen ids, look-back), the requests, the incidents, the
settings and their errors, test-module's fetch checks, and main's commit order."""

import json
import random
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any
from unittest.mock import MagicMock
from urllib.parse import parse_qsl, urlsplit

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
from freezegun import freeze_time

from conftest import BASE_V20, BASE_V21, CONSOLE, TOKEN, load_fixture

NOW = "2024-03-28T16:00:00Z"
FIRST_FETCH = "2024-03-25T16:00:00.000000Z"  # NOW - "3 days", the default first fetch
INSTANCE = "SentinelOne_instance_1"
THREATS_V21 = BASE_V21 + "threats"
THREATS_V20 = BASE_V20 + "threats"
ALERTS_V21 = BASE_V21 + "cloud-detection/alerts"


def at(text: str) -> datetime:
    parsed = s1.parse_item_time(text)
    assert parsed is not None
    return parsed


def threat_v21(threat_id: str, created: str, **threat_info: Any) -> dict[str, Any]:
    threat = load_fixture("fetch/threat_v21.json")
    threat["id"] = threat_id
    threat["threatInfo"].update(createdAt=created, threatId=threat_id, **threat_info)
    return threat


def threat_v20(threat_id: str, created: str, **fields: Any) -> dict[str, Any]:
    threat = load_fixture("fetch/threat_v20.json")
    threat.update(id=threat_id, createdAt=created, **fields)
    return threat


def alert(alert_id: str, created: str, severity: Any = "High", **rule_info: Any) -> dict[str, Any]:
    item = load_fixture("fetch/alert.json")
    item["alertInfo"].update(alertId=alert_id, createdAt=created)
    item["ruleInfo"].update(severity=severity, **rule_info)
    return item


def page(items: list[dict], cursor: str | None = None) -> dict[str, Any]:
    return {"json": {"data": items, "pagination": {"totalItems": len(items), "nextCursor": cursor}}}


def query_of(request: Any) -> dict[str, str]:
    """The exact query string of a recorded request (requests_mock's `qs` lower-cases values)."""
    return dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))


def sent_to(requests_mock: Any) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, urlsplit(r.url).path, query_of(r)) for r in requests_mock.request_history]


# --- the pure core: next_fetch ---

Item = dict[str, str]


def item(item_id: str, created: str) -> Item:
    return {"id": item_id, "createdAt": created}


def api_pages(items: list[Item], since: datetime, page_size: int) -> Iterator[list[Item]]:
    """What the API serves for createdAt__gte=since, sortBy=createdAt, sortOrder=asc, one page per request."""
    ordered = sorted((i for i in items if at(i["createdAt"]) >= since), key=lambda i: (at(i["createdAt"]), i["id"]))
    for start in range(0, len(ordered), page_size):
        yield ordered[start : start + page_size]


def run_core(state: s1.StreamState, pages: Any, limit: int, **options: Any) -> tuple[list[str], s1.StreamState]:
    taken, new_state = s1.next_fetch(
        state,
        pages,
        limit=limit,
        item_id=lambda i: i.get("id"),
        created_at=lambda i: s1.parse_item_time(i.get("createdAt")),
        **options,
    )
    return [str(i["id"]) for i in taken], new_state


def fresh(since: str = FIRST_FETCH) -> s1.StreamState:
    return s1.StreamState(since=at(since), watermark=None, seen={})


def test_next_fetch_first_run_takes_items_in_order_and_sets_the_watermark():
    """
    Given a fresh stream and three items after the first fetch time
    When the core runs with a larger limit
    Then it takes all three; the watermark is the last item's time, `since` trails it by the look-back, and seen_ids
    holds the ids created at or after `since`.
    """
    items = [
        item("1", "2024-03-26T10:00:00.000000Z"),
        item("2", "2024-03-26T10:04:00.000000Z"),
        item("3", "2024-03-26T10:06:00.500000Z"),
    ]
    taken, state = run_core(fresh(), [items], limit=10)
    assert taken == ["1", "2", "3"]
    assert state.to_json() == {
        "version": 1,
        "since": "2024-03-26T10:01:00.500000Z",
        "watermark": "2024-03-26T10:06:00.500000Z",
        "seen_ids": {"2": "2024-03-26T10:04:00.000000Z", "3": "2024-03-26T10:06:00.500000Z"},
    }


def test_next_fetch_stops_at_the_limit_and_requests_no_further_page():
    """
    Given three pages of two items
    When the core runs with limit 3
    Then it takes the first three items and never asks for the third page.
    """
    requested = []

    def pages() -> Iterator[list[Item]]:
        for number in range(3):
            requested.append(number)
            yield [
                item(f"{number}a", f"2024-03-26T10:0{number}:00.000000Z"),
                item(f"{number}b", f"2024-03-26T10:0{number}:30.000000Z"),
            ]

    taken, state = run_core(fresh(), pages(), limit=3)
    assert taken == ["0a", "0b", "1a"]
    assert requested == [0, 1]
    assert state.watermark == at("2024-03-26T10:01:00.000000Z")


def test_next_fetch_skips_seen_ids_and_takes_the_rest_of_a_same_timestamp_group():
    """
    Given a state whose seen ids hold two of five items that share one timestamp
    When the core runs
    Then it takes only the three unseen items of the group.
    """
    moment = "2024-03-26T10:00:00.123456Z"
    state = s1.StreamState(since=at(FIRST_FETCH), watermark=at(moment), seen={"a": at(moment), "b": at(moment)})
    taken, new_state = run_core(state, [[item(x, moment) for x in "abcde"]], limit=10)
    assert taken == ["c", "d", "e"]
    assert sorted(new_state.seen) == ["a", "b", "c", "d", "e"]


def test_next_fetch_a_group_larger_than_the_limit_and_the_page_progresses_run_after_run():
    """
    Given seven items sharing one timestamp, more than the limit (2) and the page size (3)
    When the core runs again and again, each run reading the API from the saved `since`
    Then every run takes two new items until the group is exhausted, each item exactly once.
    """
    moment = "2024-03-26T10:00:00.000001Z"
    items = [item(f"t{n}", moment) for n in range(7)]
    state = fresh()
    runs = []
    for _ in range(5):
        taken, state = run_core(state, api_pages(items, state.since, 3), limit=2)
        runs.append(taken)
    assert runs == [["t0", "t1"], ["t2", "t3"], ["t4", "t5"], ["t6"], []]


def test_next_fetch_takes_a_late_item_within_the_look_back_once():
    """
    Given a stream at watermark 10:10 and an item created at 10:06 that was indexed after the last run
    When the core runs twice
    Then the late item is taken by the first run only, and the watermark stays at 10:10.
    """
    items = [item("1", "2024-03-26T10:10:00.000000Z")]
    _, state = run_core(fresh(), api_pages(items, at(FIRST_FETCH), 10), limit=10)
    items.append(item("late", "2024-03-26T10:06:00.000000Z"))
    taken, state = run_core(state, api_pages(items, state.since, 10), limit=10)
    assert taken == ["late"]
    taken, state = run_core(state, api_pages(items, state.since, 10), limit=10)
    assert taken == []
    assert state.watermark == at("2024-03-26T10:10:00.000000Z")


def test_next_fetch_watermark_never_moves_back():
    """
    Given a stream at watermark 10:10 whose 10:10 item no longer matches the query (resolved), and a late item at 10:06
    When the core runs
    Then the late item is taken and the watermark stays at 10:10.
    """
    _, state = run_core(fresh(), [[item("1", "2024-03-26T10:10:00.000000Z")]], limit=10)
    taken, state = run_core(state, [[item("late", "2024-03-26T10:06:00.000000Z")]], limit=10)
    assert taken == ["late"]
    assert state.watermark == at("2024-03-26T10:10:00.000000Z")


def test_next_fetch_gives_up_items_indexed_later_than_the_look_back():
    """
    Given a stream at watermark 10:10 (look-back 5 minutes)
    When an item created at 10:04 appears later
    Then the API query (createdAt__gte 10:05) no longer returns it: the look-back bounds how late an item may arrive.
    """
    _, state = run_core(fresh(), [[item("1", "2024-03-26T10:10:00.000000Z")]], limit=10)
    assert state.since == at("2024-03-26T10:05:00.000000Z")
    items = [item("1", "2024-03-26T10:10:00.000000Z"), item("too-late", "2024-03-26T10:04:00.000000Z")]
    taken, _ = run_core(state, api_pages(items, state.since, 10), limit=10)
    assert taken == []


def test_next_fetch_passes_over_rejected_items_and_still_advances():
    """
    Given items of which the client-side filter rejects the first two
    When the core runs
    Then only the third is taken, rejected ids are not recorded, and the watermark passes the rejected items.
    """
    items = [item("low1", "2024-03-26T10:00:00.000000Z"), item("low2", "2024-03-26T10:01:00.000000Z")]
    taken, state = run_core(fresh(), [items], limit=10, wanted=lambda i: not i["id"].startswith("low"))
    assert taken == []
    assert state.watermark == at("2024-03-26T10:01:00.000000Z")
    assert state.seen == {}


def test_next_fetch_ignores_items_without_id_and_items_older_than_asked():
    """
    Given a page with an item that has no id and one created before `since` (a server ignoring the filter)
    When the core runs
    Then neither is taken nor moves the watermark.
    """
    items = [
        {"createdAt": "2024-03-26T10:00:00.000000Z"},
        item("old", "2024-03-20T00:00:00.000000Z"),
        item("ok", "2024-03-26T09:00:00.000000Z"),
    ]
    taken, state = run_core(fresh(), [items], limit=10)
    assert taken == ["ok"]
    assert state.watermark == at("2024-03-26T09:00:00.000000Z")


def test_next_fetch_item_without_a_readable_time_sits_at_the_current_position():
    """
    Given an item whose creation time is missing, after one at 10:00
    When the core runs
    Then it is taken once and recorded at 10:00.
    """
    taken, state = run_core(fresh(), [[item("1", "2024-03-26T10:00:00.000000Z"), {"id": "2"}]], limit=10)
    assert taken == ["1", "2"]
    assert state.seen["2"] == at("2024-03-26T10:00:00.000000Z")


def test_next_fetch_with_nothing_new_keeps_the_state():
    """
    Given a fresh stream and an empty first page
    When the core runs
    Then nothing is taken and the state is unchanged (no watermark invented from the first fetch time).
    """
    taken, state = run_core(fresh(), [[]], limit=10)
    assert (taken, state) == ([], fresh())


def test_next_fetch_bounds_seen_ids_but_keeps_every_id_at_the_watermark():
    """
    Given max_seen 3, two earlier items and then five items sharing the last timestamp, all within the look-back
    When the core takes them all
    Then `since` moves up to the shared timestamp and seen_ids keeps its five ids (correctness over the bound).
    """
    moment = "2024-03-26T10:00:02.000000Z"
    items = [item("e1", "2024-03-26T10:00:00.000000Z"), item("e2", "2024-03-26T10:00:01.000000Z")] + [
        item(f"g{n}", moment) for n in range(5)
    ]
    taken, state = run_core(fresh(), [items], limit=10, max_seen=3)
    assert len(taken) == 7
    assert state.since == at(moment)
    assert sorted(state.seen) == ["g0", "g1", "g2", "g3", "g4"]


def test_next_fetch_bound_keeps_the_newest_ids():
    """
    Given max_seen 2 and three items at distinct times within the look-back
    When the core takes them
    Then `since` moves to the second newest and seen_ids keeps the two newest.
    """
    items = [
        item("1", "2024-03-26T10:00:00.000000Z"),
        item("2", "2024-03-26T10:00:01.000000Z"),
        item("3", "2024-03-26T10:00:02.000000Z"),
    ]
    _, state = run_core(fresh(), [items], limit=10, max_seen=2)
    assert state.since == at("2024-03-26T10:00:01.000000Z")
    assert sorted(state.seen) == ["2", "3"]


@pytest.mark.parametrize("seed", range(40))
def test_next_fetch_every_item_exactly_once_under_random_arrivals(seed):
    """
    Given random arrivals between runs (bursts sharing one timestamp, items at microsecond steps, items indexed late
    within the look-back), a random limit and a random page size
    When the core runs many times, each run reading the API from the saved state, and then until nothing is left
    Then every item is taken exactly once.
    """
    rng = random.Random(seed)
    limit, page_size = rng.randint(1, 6), rng.randint(1, 5)
    clock = at("2024-03-26T10:00:00.000000Z")
    state, items, taken_all = fresh("2024-03-26T10:00:00.000000Z"), [], []
    for run in range(120):
        for number in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.2 and state.watermark is not None:
                created = max(state.since, state.watermark - timedelta(seconds=rng.randint(0, 290)))
            elif roll < 0.6:
                created = clock
            else:
                created = clock + timedelta(microseconds=rng.randint(1, 999_999))
            items.append(item(f"{run}-{number}", s1.format_date(created)))
        clock += timedelta(seconds=rng.choice([0, 0, 1, 30]))
        taken, state = run_core(state, api_pages(items, state.since, page_size), limit=limit)
        taken_all.extend(taken)
    for _ in range(len(items)):
        taken, state = run_core(state, api_pages(items, state.since, page_size), limit=limit)
        if not taken:
            break
        taken_all.extend(taken)
    assert sorted(taken_all) == sorted(i["id"] for i in items)
    assert len(taken_all) == len(set(taken_all))


# --- state in lastRun ---


def test_stream_state_json_round_trip():
    """
    Given a stream state
    When it is written to JSON and read back
    Then it is the same state.
    """
    state = s1.StreamState(
        since=at("2024-03-26T10:00:00.000000Z"),
        watermark=at("2024-03-26T10:05:00.000001Z"),
        seen={"7": at("2024-03-26T10:05:00.000001Z")},
    )
    assert s1.StreamState.from_json(json.loads(json.dumps(state.to_json())), "threat") == state


@pytest.mark.parametrize(
    "saved, detail",
    [
        ({"version": 2, "since": FIRST_FETCH}, "expected version 1"),
        ({"version": 1, "since": "yesterday"}, "'since': 'yesterday'"),
        ({"version": 1, "since": FIRST_FETCH, "seen_ids": {"1": "soon"}}, "a seen id has no readable creation time"),
        ("text", "expected version 1, got 'text'"),
    ],
)
def test_stream_state_unreadable_is_an_error_naming_the_stream(saved, detail):
    """
    Given a lastRun stream state that cannot be read
    When it is loaded
    Then the error names lastRun and the stream, with the reason.
    """
    with pytest.raises(ValueError) as error:
        s1.StreamState.from_json(saved, "alert")
    assert str(error.value).startswith("lastRun: the saved alert fetch state is unreadable (")
    assert detail in str(error.value)


@pytest.mark.parametrize(
    "public_time, expected_since",
    [
        ("2024-03-26T10:00:00.123456Z", "2024-03-26T10:00:00.123457Z"),
        (1711447200123, "2024-03-26T10:00:00.124000Z"),
        ("1711447200123", "2024-03-26T10:00:00.124000Z"),
        (1711447200, "2024-03-26T10:00:01.000000Z"),
    ],
)
def test_stream_state_migrates_the_public_pack_time(public_time, expected_since):
    """
    Given the public pack's lastRun {"time": ...} (ISO, epoch ms or epoch seconds), which fetched strictly after it
    When a stream without its own state starts
    Then it starts one unit of the value's precision after that time.
    """
    state = s1.stream_state({"time": public_time}, s1.THREATS, at(FIRST_FETCH))
    assert s1.format_date(state.since) == expected_since
    assert (state.watermark, state.seen) == (None, {})


# --- fetch runs: requests ---


def base_params(**overrides: Any) -> dict[str, Any]:
    return {"url": CONSOLE, "credentials": {"password": TOKEN}, "isFetch": True, **overrides}


@freeze_time(NOW)
def test_fetch_threats_v21_first_run_request_and_state(requests_mock, client_v21, last_run):
    """
    Given API 2.1, default fetch parameters and no lastRun
    When fetch-incidents runs
    Then it asks once for threats from the first fetch time in ascending creation order, with unresolved threats only
    and no `resolved` parameter, and returns the incidents with the threat stream's state.
    """
    requests_mock.get(
        THREATS_V21, [page([threat_v21("1", "2024-03-26T10:00:00.000000Z"), threat_v21("2", "2024-03-26T10:00:01.000000Z")])]
    )
    incidents, next_run = s1.fetch_incidents(client_v21, base_params())
    assert sent_to(requests_mock) == [
        (
            "GET",
            "/web/api/v2.1/threats",
            {
                "incidentStatuses": "unresolved",
                "createdAt__gte": FIRST_FETCH,
                "sortBy": "createdAt",
                "sortOrder": "asc",
                "limit": "10",
            },
        )
    ]
    assert [i["dbotMirrorId"] for i in incidents] == ["1", "2"]
    assert next_run == {
        "threat": {
            "version": 1,
            "since": "2024-03-26T09:55:01.000000Z",
            "watermark": "2024-03-26T10:00:01.000000Z",
            "seen_ids": {"1": "2024-03-26T10:00:00.000000Z", "2": "2024-03-26T10:00:01.000000Z"},
        }
    }


@freeze_time(NOW)
def test_fetch_threats_resumes_from_the_saved_state_and_follows_the_cursor(requests_mock, client_v21, last_run):
    """
    Given a saved threat state with one seen id, filters for statuses and sites, and two pages of results
    When fetch-incidents runs
    Then the first page asks from `since` for limit + seen ids items with the filters, the second page repeats the
    query with the cursor, the seen threat is skipped and the others become incidents.
    """
    last_run["threat"] = {
        "version": 1,
        "since": "2024-03-26T09:55:00.000000Z",
        "watermark": "2024-03-26T10:00:00.000000Z",
        "seen_ids": {"1": "2024-03-26T10:00:00.000000Z"},
    }
    requests_mock.get(
        THREATS_V21,
        [
            page([threat_v21("1", "2024-03-26T10:00:00.000000Z"), threat_v21("2", "2024-03-26T10:00:00.000000Z")], cursor="c2"),
            page([threat_v21("3", "2024-03-26T10:00:03.000000Z")]),
        ],
    )
    params = base_params(
        fetch_limit="5",
        fetch_threat_incident_statuses=["UNRESOLVED", "IN_PROGRESS"],
        fetch_site_ids="111, 222",
        fetch_time="1 day",
    )
    incidents, next_run = s1.fetch_incidents(client_v21, params)
    query = {
        "incidentStatuses": "unresolved,in_progress",
        "siteIds": "111,222",
        "createdAt__gte": "2024-03-26T09:55:00.000000Z",
        "sortBy": "createdAt",
        "sortOrder": "asc",
        "limit": "6",
    }
    assert sent_to(requests_mock) == [
        ("GET", "/web/api/v2.1/threats", query),
        ("GET", "/web/api/v2.1/threats", {**query, "cursor": "c2"}),
    ]
    assert [i["dbotMirrorId"] for i in incidents] == ["2", "3"]
    assert next_run["threat"]["watermark"] == "2024-03-26T10:00:03.000000Z"
    assert sorted(next_run["threat"]["seen_ids"]) == ["1", "2", "3"]


@freeze_time(NOW)
def test_fetch_stops_paging_at_the_limit(requests_mock, client_v21, last_run):
    """
    Given fetch_limit 2 and a first page of two new threats that has a next cursor
    When fetch-incidents runs
    Then it sends one request only and commits the two.
    """
    requests_mock.get(
        THREATS_V21,
        [page([threat_v21("1", "2024-03-26T10:00:00.000000Z"), threat_v21("2", "2024-03-26T10:00:00.000000Z")], "more")],
    )
    incidents, next_run = s1.fetch_incidents(client_v21, base_params(fetch_limit="2"))
    assert requests_mock.call_count == 1
    assert [i["dbotMirrorId"] for i in incidents] == ["1", "2"]
    assert sorted(next_run["threat"]["seen_ids"]) == ["1", "2"]


@freeze_time(NOW)
@pytest.mark.parametrize("limit, sent", [("1", "1"), ("200", "200"), ("500", "200")])
def test_fetch_limit_above_200_is_clamped(requests_mock, client_v21, last_run, limit, sent):
    """
    Given fetch_limit 1, 200 or 500
    When fetch-incidents runs on a fresh stream
    Then the page asks for that many, at most 200 (XSOAR's recommended maximum per run).
    """
    requests_mock.get(THREATS_V21, [page([])])
    s1.fetch_incidents(client_v21, base_params(fetch_limit=limit))
    assert query_of(requests_mock.last_request)["limit"] == sent


@freeze_time(NOW)
def test_fetch_threats_v20_filters_rank_client_side(requests_mock, client_v20, last_run):
    """
    Given API 2.0 and fetch_threat_rank 6
    When fetch-incidents runs on threats ranked 7, "9", 5, missing and unreadable
    Then the query carries no rank (and no resolved), and only the threats ranked 6 or more become incidents.
    """
    threats = [
        threat_v20("r7", "2024-03-26T10:00:00.000000Z", rank=7),
        threat_v20("r9", "2024-03-26T10:00:01.000000Z", rank="9"),
        threat_v20("r5", "2024-03-26T10:00:02.000000Z", rank=5),
        threat_v20("none", "2024-03-26T10:00:03.000000Z", rank=None),
        threat_v20("bad", "2024-03-26T10:00:04.000000Z", rank="high"),
    ]
    requests_mock.get(THREATS_V20, [page(threats)])
    incidents, next_run = s1.fetch_incidents(client_v20, base_params(api_version="2.0", fetch_threat_rank="6"))
    assert query_of(requests_mock.last_request) == {
        "incidentStatuses": "unresolved",
        "createdAt__gte": FIRST_FETCH,
        "sortBy": "createdAt",
        "sortOrder": "asc",
        "limit": "10",
    }
    assert [i["dbotMirrorId"] for i in incidents] == ["r7", "r9"]
    assert next_run["threat"]["watermark"] == "2024-03-26T10:00:04.000000Z"
    assert sorted(next_run["threat"]["seen_ids"]) == ["r7", "r9"]


@freeze_time(NOW)
def test_fetch_page_cap_bounds_a_run_and_keeps_its_progress(requests_mock, client_v20, last_run, monkeypatch):
    """
    Given MAX_PAGES 3 and a console whose every page holds one low-ranked threat and a next cursor
    When fetch-incidents runs on API 2.0
    Then it stops after three requests with no incident, and the watermark moves past the threats it passed over.
    """
    monkeypatch.setattr(s1, "MAX_PAGES", 3)
    requests_mock.get(
        THREATS_V20, [page([threat_v20(f"low{n}", f"2024-03-26T10:00:0{n}.000000Z", rank=1)], cursor=f"c{n}") for n in range(5)]
    )
    incidents, next_run = s1.fetch_incidents(client_v20, base_params(api_version="2.0"))
    assert requests_mock.call_count == 3
    assert incidents == []
    assert next_run["threat"]["watermark"] == "2024-03-26T10:00:02.000000Z"


@freeze_time(NOW)
def test_fetch_alerts_request_severity_filter_and_state(requests_mock, client_v21, last_run):
    """
    Given fetch_type Alerts, statuses UNRESOLVED and IN_PROGRESS, severities High and critical, and one site
    When fetch-incidents runs on alerts of severity HIGH, Low, Critical and missing
    Then the query asks for the statuses upper-case sorted by alertInfoCreatedAt, the severity is filtered
    case-insensitively here, and only the alert stream's state is written.
    """
    alerts = [
        alert("a1", "2024-03-26T10:00:00.000000Z", severity="HIGH"),
        alert("a2", "2024-03-26T10:00:01.000000Z", severity="Low"),
        alert("a3", "2024-03-26T10:00:02.000000Z", severity="Critical"),
        alert("a4", "2024-03-26T10:00:03.000000Z", severity=None),
    ]
    requests_mock.get(ALERTS_V21, [page(alerts)])
    params = base_params(
        fetch_type="Alerts",
        fetch_incidentStatus="UNRESOLVED,IN_PROGRESS",
        fetch_severity=["High", "critical"],
        fetch_site_ids="111",
    )
    incidents, next_run = s1.fetch_incidents(client_v21, params)
    assert sent_to(requests_mock) == [
        (
            "GET",
            "/web/api/v2.1/cloud-detection/alerts",
            {
                "incidentStatus": "UNRESOLVED,IN_PROGRESS",
                "siteIds": "111",
                "createdAt__gte": FIRST_FETCH,
                "sortBy": "alertInfoCreatedAt",
                "sortOrder": "asc",
                "limit": "10",
            },
        )
    ]
    assert [i["dbotMirrorId"] for i in incidents] == ["alert:a1", "alert:a3"]
    assert list(next_run) == ["alert"]
    assert next_run["alert"]["watermark"] == "2024-03-26T10:00:03.000000Z"


@freeze_time(NOW)
@pytest.mark.parametrize("severities", [[], ""])
def test_fetch_alerts_empty_severity_selection_fetches_all(requests_mock, client_v21, last_run, severities):
    """
    Given fetch_severity left empty
    When fetch-incidents runs on alerts of every severity
    Then every alert becomes an incident.
    """
    alerts = [
        alert(f"a{n}", f"2024-03-26T10:00:0{n}.000000Z", severity=s)
        for n, s in enumerate(["Low", "Medium", "High", "Critical", "odd"])
    ]
    requests_mock.get(ALERTS_V21, [page(alerts)])
    incidents, _ = s1.fetch_incidents(client_v21, base_params(fetch_type="Alerts", fetch_severity=severities))
    assert len(incidents) == 5


@freeze_time(NOW)
def test_fetch_both_keeps_one_state_per_stream(requests_mock, client_v21, last_run):
    """
    Given fetch_type Both, a saved threat state far ahead of a fresh alert stream, and other lastRun keys
    When fetch-incidents runs
    Then each stream is read from its own position, each gets at most fetch_limit items, and both states are written.
    """
    last_run.update(
        threat={"version": 1, "since": "2024-03-27T00:00:00.000000Z", "watermark": "2024-03-27T00:05:00.000000Z", "seen_ids": {}},
        other="kept",
    )
    requests_mock.get(THREATS_V21, [page([threat_v21(f"t{n}", f"2024-03-27T01:00:0{n}.000000Z") for n in range(3)])])
    requests_mock.get(ALERTS_V21, [page([alert(f"a{n}", f"2024-03-25T17:00:0{n}.000000Z") for n in range(3)])])
    incidents, next_run = s1.fetch_incidents(client_v21, base_params(fetch_type="Both", fetch_limit="2"))
    assert [(path, query["createdAt__gte"]) for _, path, query in sent_to(requests_mock)] == [
        ("/web/api/v2.1/threats", "2024-03-27T00:00:00.000000Z"),
        ("/web/api/v2.1/cloud-detection/alerts", FIRST_FETCH),
    ]
    assert [i["dbotMirrorId"] for i in incidents] == ["t0", "t1", "alert:a0", "alert:a1"]
    assert set(next_run) == {"threat", "alert", "other"}
    assert next_run["threat"]["watermark"] == "2024-03-27T01:00:01.000000Z"
    assert next_run["alert"]["watermark"] == "2024-03-25T17:00:01.000000Z"


@freeze_time(NOW)
def test_fetch_type_change_keeps_the_state_of_the_stream_not_fetched(requests_mock, client_v21, last_run):
    """
    Given saved states for both streams and fetch_type switched to Threats
    When fetch-incidents runs
    Then alerts are not requested and the alert state is carried over unchanged.
    """
    alert_state = {
        "version": 1,
        "since": "2024-03-26T00:00:00.000000Z",
        "watermark": "2024-03-26T00:05:00.000000Z",
        "seen_ids": {"9": "2024-03-26T00:05:00.000000Z"},
    }
    last_run.update(threat={"version": 1, "since": FIRST_FETCH, "watermark": None, "seen_ids": {}}, alert=alert_state)
    requests_mock.get(THREATS_V21, [page([])])
    _, next_run = s1.fetch_incidents(client_v21, base_params(fetch_type="Threats"))
    assert requests_mock.call_count == 1
    assert next_run["alert"] == alert_state


@freeze_time(NOW)
def test_fetch_migrates_the_public_pack_time_for_each_stream_fetched(requests_mock, client_v21, last_run):
    """
    Given the public pack's lastRun {"time": <ISO>} and fetch_type Both
    When fetch-incidents runs
    Then both streams start just after that time, and "time" is not written back.
    """
    last_run["time"] = "2024-03-27T12:00:00.000000Z"
    requests_mock.get(THREATS_V21, [page([])])
    requests_mock.get(ALERTS_V21, [page([])])
    _, next_run = s1.fetch_incidents(client_v21, base_params(fetch_type="Both"))
    assert [query["createdAt__gte"] for _, _, query in sent_to(requests_mock)] == ["2024-03-27T12:00:00.000001Z"] * 2
    assert set(next_run) == {"threat", "alert"}


@freeze_time(NOW)
def test_fetch_failing_part_way_raises_before_any_state_is_returned(requests_mock, client_v21, last_run):
    """
    Given fetch_type Both, threats answered, and alerts failing with HTTP 400
    When fetch-incidents runs
    Then it raises the API error (so main commits neither incidents nor state).
    """
    requests_mock.get(THREATS_V21, [page([threat_v21("1", "2024-03-26T10:00:00.000000Z")])])
    requests_mock.get(
        ALERTS_V21, status_code=400, json={"errors": [{"code": 4000010, "title": "Validation Error", "detail": "siteIds"}]}
    )
    with pytest.raises(s1.S1ApiError, match=r"^SentinelOne API error \[400\]: Validation Error: siteIds$"):
        s1.fetch_incidents(client_v21, base_params(fetch_type="Both"))


# --- incidents ---


@freeze_time(NOW)
def test_threat_v21_incident_shape_with_mirroring(requests_mock, client_v21, last_run):
    """
    Given API 2.1, mirroring Incoming And Outgoing and no incident type parameter
    When a threat is fetched
    Then the incident has its name, occurred, severity, type and mirror fields, and rawJSON is the full threat plus
    the keys the classifier and mappers read.
    """
    threat = threat_v21("715718962991148224", "2024-03-26T10:00:00.5Z")
    requests_mock.get(THREATS_V21, [page([threat])])
    incidents, _ = s1.fetch_incidents(client_v21, base_params(mirror_direction="Incoming And Outgoing"))
    incident = incidents[0]
    assert {k: v for k, v in incident.items() if k != "rawJSON"} == {
        "name": "SentinelOne Threat: Malware - invoice.exe",
        "occurred": "2024-03-26T10:00:00.500000Z",
        "severity": 3,
        "type": "SentinelOne Threat",
        "dbotMirrorId": "715718962991148224",
        "dbotMirrorDirection": "Both",
        "dbotMirrorInstance": INSTANCE,
    }
    assert json.loads(incident["rawJSON"]) == {
        **threat,
        "incident_type": "SentinelOne Threat",
        "s1_stream": "threat",
        "s1_api_version": "2.1",
        "mirror_id": "715718962991148224",
        "mirror_direction": "Both",
        "mirror_instance": INSTANCE,
    }


@freeze_time(NOW)
def test_threat_v20_incident_shape_without_mirroring(requests_mock, client_v20, last_run):
    """
    Given API 2.0, mirroring None and the incident type parameter set
    When a threat ranked 9 is fetched
    Then severity comes from the rank, type from the parameter, no mirror direction or instance is set on the
    incident, and rawJSON says mirror_direction null while incident_type stays the classifier's key.
    """
    threat = threat_v20("55", "2024-03-26T10:00:00.000000Z", rank=9)
    requests_mock.get(THREATS_V20, [page([threat])])
    incidents, _ = s1.fetch_incidents(client_v20, base_params(api_version="2.0", incidentType="Malware", mirror_direction="None"))
    incident = incidents[0]
    assert {k: v for k, v in incident.items() if k != "rawJSON"} == {
        "name": "SentinelOne Threat: Malware - invoice.exe",
        "occurred": "2024-03-26T10:00:00.000000Z",
        "severity": 3,
        "type": "Malware",
        "dbotMirrorId": "55",
    }
    raw = json.loads(incident["rawJSON"])
    assert {
        k: raw[k] for k in ("incident_type", "s1_stream", "s1_api_version", "mirror_id", "mirror_direction", "mirror_instance")
    } == {
        "incident_type": "SentinelOne Threat",
        "s1_stream": "threat",
        "s1_api_version": "2.0",
        "mirror_id": "55",
        "mirror_direction": None,
        "mirror_instance": INSTANCE,
    }


@freeze_time(NOW)
def test_alert_incident_shape(requests_mock, client_v21, last_run):
    """
    Given mirroring Incoming
    When an alert (which has no top-level id) is fetched
    Then the incident is named after the rule and the alert id, severity comes from the rule severity, the mirror id
    is "alert:<id>", and rawJSON carries the alert with `id` added.
    """
    item = alert("1887466925547175000", "2024-03-26T10:00:00.000000Z", severity="critical")
    requests_mock.get(ALERTS_V21, [page([item])])
    incidents, _ = s1.fetch_incidents(client_v21, base_params(fetch_type="Alerts", mirror_direction="Incoming"))
    incident = incidents[0]
    assert {k: v for k, v in incident.items() if k != "rawJSON"} == {
        "name": "SentinelOne Alert: Registry Run key modified - 1887466925547175000",
        "occurred": "2024-03-26T10:00:00.000000Z",
        "severity": 4,
        "type": "SentinelOne Alert",
        "dbotMirrorId": "alert:1887466925547175000",
        "dbotMirrorDirection": "In",
        "dbotMirrorInstance": INSTANCE,
    }
    assert json.loads(incident["rawJSON"]) == {
        **item,
        "id": "1887466925547175000",
        "incident_type": "SentinelOne Alert",
        "s1_stream": "alert",
        "s1_api_version": "2.1",
        "mirror_id": "alert:1887466925547175000",
        "mirror_direction": "In",
        "mirror_instance": INSTANCE,
    }


def settings_for(api: s1.ApiVersion, **params: Any) -> s1.FetchSettings:
    return s1.fetch_settings(params, api, INSTANCE)


@pytest.mark.parametrize(
    "threat_info, expected_name",
    [
        ({}, "SentinelOne Threat: Malware - invoice.exe"),
        ({"classification": None}, "SentinelOne Threat: Not classified - invoice.exe"),
        ({"threatName": None}, "SentinelOne Threat: Malware - invoice.exe"),
        ({"threatName": None, "filePath": None}, "SentinelOne Threat: Malware - 42"),
        (
            {"threatName": "", "filePath": "/tmp/dropper.sh", "classification": ""},
            "SentinelOne Threat: Not classified - dropper.sh",
        ),
    ],
)
def test_threat_incident_name_never_reads_none(threat_info, expected_name):
    """
    Given a 2.1 threat missing its classification, threat name or file path
    When its incident is built
    Then the name falls back to "Not classified", the file name, then the threat id.
    """
    threat = threat_v21("42", "2024-03-26T10:00:00.000000Z", **threat_info)
    incident = s1.threat_incident(threat, settings_for(s1.API_VERSIONS["2.1"]), s1.API_VERSIONS["2.1"])
    assert incident["name"] == expected_name


def test_threat_v20_name_falls_back_to_the_file_display_name():
    """
    Given a 2.0 threat with no classification and no threat name
    When its incident is built
    Then the name uses "Not classified" and fileDisplayName.
    """
    threat = threat_v20("42", "2024-03-26T10:00:00.000000Z", classification=None, threatName=None, fileDisplayName="x.dll")
    incident = s1.threat_incident(threat, settings_for(s1.API_VERSIONS["2.0"]), s1.API_VERSIONS["2.0"])
    assert incident["name"] == "SentinelOne Threat: Not classified - x.dll"


@pytest.mark.parametrize(
    "confidence, expected",
    [("malicious", 3), ("MALICIOUS", 3), ("Suspicious", 2), ("n/a", 1), (None, 1), ("", 1)],
)
def test_threat_v21_severity_from_confidence_level(confidence, expected):
    """
    Given a 2.1 threat with a confidence level (any case) or none
    When its severity is mapped
    Then malicious is High (3), suspicious Medium (2), anything else Low (1).
    """
    threat = threat_v21("1", "2024-03-26T10:00:00.000000Z", confidenceLevel=confidence)
    assert s1.threat_severity(threat, s1.API_VERSIONS["2.1"]) == expected


@pytest.mark.parametrize("rank, expected", [(10, 3), (8, 3), ("7", 2), (5, 2), (4, 1), (None, 1), ("x", 1)])
def test_threat_v20_severity_from_rank(rank, expected):
    """
    Given a 2.0 threat with a rank (int, string, missing or unreadable)
    When its severity is mapped
    Then 8 and above is High (3), 5 to 7 Medium (2), else Low (1).
    """
    assert s1.threat_severity(threat_v20("1", "2024-03-26T10:00:00.000000Z", rank=rank), s1.API_VERSIONS["2.0"]) == expected


@pytest.mark.parametrize(
    "severity, expected", [("Low", 1), ("MEDIUM", 2), ("high", 3), ("Critical", 4), ("unknown", 1), (None, 1)]
)
def test_alert_severity_from_rule_severity(severity, expected):
    """
    Given an alert whose rule severity has any case, or is unknown or missing
    When its severity is mapped
    Then Low 1, Medium 2, High 3, Critical 4, anything else Low.
    """
    assert s1.alert_severity(alert("1", "2024-03-26T10:00:00.000000Z", severity=severity)) == expected


def test_alert_incident_name_fallback_for_a_missing_rule_name():
    """
    Given an alert without a rule name
    When its incident is built
    Then the name reads "Unnamed rule".
    """
    item = alert("77", "2024-03-26T10:00:00.000000Z", name=None)
    incident = s1.alert_incident(item, settings_for(s1.API_VERSIONS["2.1"]), s1.API_VERSIONS["2.1"])
    assert incident["name"] == "SentinelOne Alert: Unnamed rule - 77"


# --- settings ---


@freeze_time(NOW)
def test_fetch_settings_defaults_match_the_yaml():
    """
    Given no fetch parameters at all
    When the settings are read
    Then they are the YAML defaults: Threats, 3 days, 10, rank 5 (2.0 only), UNRESOLVED, all severities, no mirroring.
    """
    assert settings_for(s1.API_VERSIONS["2.0"]) == s1.FetchSettings(
        fetch_type="Threats",
        first_fetch=at(FIRST_FETCH),
        limit=10,
        threat_rank=5,
        threat_statuses=["UNRESOLVED"],
        alert_statuses=["UNRESOLVED"],
        alert_severities=[],
        site_ids=[],
        incident_type=None,
        mirror_direction=None,
        instance=INSTANCE,
    )
    assert settings_for(s1.API_VERSIONS["2.1"]).threat_rank is None


def test_fetch_settings_cleared_status_selection_means_every_status():
    """
    Given the status parameters present but cleared
    When the settings are read
    Then no status filter is applied (the query leaves the parameter out).
    """
    settings = settings_for(s1.API_VERSIONS["2.1"], fetch_threat_incident_statuses=[], fetch_incidentStatus="")
    assert (settings.threat_statuses, settings.alert_statuses) == ([], [])
    assert s1.THREATS.query(settings, at(FIRST_FETCH)) == {
        "incidentStatuses": [],
        "siteIds": [],
        "createdAt__gte": FIRST_FETCH,
        "sortBy": "createdAt",
        "sortOrder": "asc",
    }


@pytest.mark.parametrize(
    "api_version, params, message",
    [
        ("2.1", {"fetch_type": "Events"}, "fetch_type: expected one of Threats, Alerts, Both, None, got 'Events'"),
        (
            "2.1",
            {"fetch_time": "not a date"},
            "fetch_time: expected a date (ISO 8601, epoch, or relative such as '3 days'), got 'not a date'",
        ),
        ("2.1", {"fetch_limit": "ten"}, "fetch_limit: expected an integer of at least 1, got 'ten'"),
        ("2.1", {"fetch_limit": "0"}, "fetch_limit: expected an integer of at least 1, got '0'"),
        ("2.1", {"fetch_site_ids": "123,abc"}, "fetch_site_ids: expected numeric site IDs separated by commas, got 'abc'"),
        ("2.0", {"fetch_threat_rank": "11"}, "fetch_threat_rank: expected an integer from 0 to 10, got '11'"),
        (
            "2.1",
            {"fetch_threat_incident_statuses": "UNRESOLVED,CLOSED"},
            "fetch_threat_incident_statuses: expected one of UNRESOLVED, IN_PROGRESS, RESOLVED, got 'CLOSED'",
        ),
        (
            "2.1",
            {"fetch_incidentStatus": "NEW"},
            "fetch_incidentStatus: expected one of UNRESOLVED, IN_PROGRESS, RESOLVED, got 'NEW'",
        ),
        ("2.1", {"fetch_severity": "Info"}, "fetch_severity: expected one of Low, Medium, High, Critical, got 'Info'"),
        (
            "2.1",
            {"mirror_direction": "Sideways"},
            "mirror_direction: expected one of None, Incoming, Outgoing, Incoming And Outgoing, got 'Sideways'",
        ),
        (
            "2.0",
            {"fetch_type": "Both"},
            "fetch_type: Alerts can only be fetched with API version 2.1; this instance uses API version 2.0. "
            "Choose Threats or switch the API version.",
        ),
    ],
)
def test_fetch_settings_errors_name_the_parameter(api_version, params, message):
    """
    Given one bad fetch parameter
    When the settings are read
    Then the error names the parameter, the allowed values and the value.
    """
    with pytest.raises(ValueError) as error:
        settings_for(s1.API_VERSIONS[api_version], **params)
    assert str(error.value) == message


def test_fetch_with_bad_settings_sends_no_request(requests_mock, client_v20, last_run):
    """
    Given API 2.0 and fetch_type Alerts
    When fetch-incidents runs
    Then it fails with the settings error before any request.
    """
    with pytest.raises(ValueError, match="^fetch_type: Alerts can only be fetched with API version 2.1"):
        s1.fetch_incidents(client_v20, base_params(api_version="2.0", fetch_type="Alerts"))
    assert requests_mock.call_count == 0


def test_fetch_with_an_unreadable_saved_state_fails_without_requests(requests_mock, client_v21, last_run):
    """
    Given a lastRun whose threat state is not ours
    When fetch-incidents runs
    Then it fails naming lastRun, and sends nothing.
    """
    last_run["threat"] = {"cursor": "abc"}
    with pytest.raises(ValueError, match=r"^lastRun: the saved threat fetch state is unreadable"):
        s1.fetch_incidents(client_v21, base_params())
    assert requests_mock.call_count == 0


# --- test-module ---


@freeze_time(NOW)
def test_test_module_probes_each_stream_with_one_item(requests_mock, client_v21):
    """
    Given isFetch on, fetch_type Both and site IDs
    When test-module runs
    Then after the system check it probes threats and alerts with limit 1 from the first fetch time, and says ok.
    """
    requests_mock.get(BASE_V21 + "system/info", json={"data": {}})
    requests_mock.get(THREATS_V21, [page([])])
    requests_mock.get(ALERTS_V21, [page([])])
    assert s1.test_module(client_v21, base_params(fetch_type="Both", fetch_site_ids="111")) == "ok"
    assert sent_to(requests_mock)[1:] == [
        (
            "GET",
            "/web/api/v2.1/threats",
            {
                "incidentStatuses": "unresolved",
                "siteIds": "111",
                "createdAt__gte": FIRST_FETCH,
                "sortBy": "createdAt",
                "sortOrder": "asc",
                "limit": "1",
            },
        ),
        (
            "GET",
            "/web/api/v2.1/cloud-detection/alerts",
            {
                "incidentStatus": "UNRESOLVED",
                "siteIds": "111",
                "createdAt__gte": FIRST_FETCH,
                "sortBy": "alertInfoCreatedAt",
                "sortOrder": "asc",
                "limit": "1",
            },
        ),
    ]


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"fetch_time": "someday"}, "Fetch settings: fetch_time: expected a date"),
        ({"fetch_limit": "-3"}, "Fetch settings: fetch_limit: expected an integer of at least 1, got '-3'"),
        (
            {"fetch_site_ids": "north"},
            "Fetch settings: fetch_site_ids: expected numeric site IDs separated by commas, got 'north'",
        ),
        (
            {"fetch_type": "Alerts", "api_version": "2.0"},
            "Fetch settings: fetch_type: Alerts can only be fetched with API version 2.1",
        ),
        (
            {"mirror_direction": "Outgoing", "api_version": "2.0"},
            "Fetch settings: mirror_direction: Outgoing mirroring needs API version 2.1 (the verdict, status and note "
            "endpoints); this instance uses API version 2.0. Choose Incoming or None, or set the API Version to 2.1.",
        ),
        (
            {"mirror_direction": "Incoming And Outgoing", "api_version": "2.0"},
            "Fetch settings: mirror_direction: Outgoing mirroring needs API version 2.1",
        ),
    ],
)
def test_test_module_reports_bad_fetch_settings(requests_mock, client_v21, client_v20, params, expected):
    """
    Given isFetch on and one bad fetch parameter
    When test-module runs
    Then it returns a message naming the parameter (not an exception), and probes nothing.
    """
    client = client_v20 if params.get("api_version") == "2.0" else client_v21
    requests_mock.get(BASE_V21 + "system/info", json={"data": {}})
    requests_mock.get(BASE_V20 + "system/info", json={"data": {}})
    result = s1.test_module(client, base_params(**params))
    assert result.startswith(expected)
    assert [path for _, path, _ in sent_to(requests_mock)] == [urlsplit(client._base_url).path + "system/info"]


def test_test_module_reports_a_rejected_probe(requests_mock, client_v21):
    """
    Given isFetch on and a console that rejects the threat probe (HTTP 400)
    When test-module runs
    Then it returns a message naming the stream and the console's error.
    """
    requests_mock.get(BASE_V21 + "system/info", json={"data": {}})
    requests_mock.get(
        THREATS_V21,
        status_code=400,
        json={"errors": [{"code": 4000010, "title": "Validation Error", "detail": "siteIds: invalid"}]},
    )
    assert s1.test_module(client_v21, base_params(fetch_site_ids="1")) == (
        "The console rejected the Threats fetch query: SentinelOne API error [400]: Validation Error: siteIds: invalid. "
        "Check the fetch parameters."
    )


def test_test_module_without_fetch_does_not_probe(requests_mock, client_v21):
    """
    Given isFetch off and an unusable fetch_limit
    When test-module runs
    Then the fetch settings are not checked and no probe is sent.
    """
    requests_mock.get(BASE_V21 + "system/info", json={"data": {}})
    assert s1.test_module(client_v21, {"isFetch": False, "fetch_limit": "x"}) == "ok"
    assert requests_mock.call_count == 1


@freeze_time(NOW)
@pytest.mark.parametrize(
    "api_version, params",
    [
        ("2.0", {"isFetch": True, "mirror_direction": "Incoming"}),
        ("2.0", {"isFetch": False, "mirror_direction": "Incoming And Outgoing"}),
        ("2.1", {"isFetch": True, "mirror_direction": "Incoming And Outgoing"}),
    ],
    ids=["2.0 incoming", "2.0 not fetching", "2.1 both ways"],
)
def test_test_module_accepts_mirroring_the_api_version_can_do(requests_mock, client_v21, client_v20, api_version, params):
    """
    Given incoming mirroring on API 2.0, outgoing mirroring on an instance that does not fetch (so mirrors nothing), or
    outgoing mirroring on API 2.1
    When test-module runs
    Then it says ok.
    """
    client = client_v20 if api_version == "2.0" else client_v21
    requests_mock.get(f"{client._base_url}system/info", json={"data": {}})
    requests_mock.get(f"{client._base_url}threats", [page([])])
    assert s1.test_module(client, {**base_params(api_version=api_version), **params}) == "ok"


# --- main: commit order ---


@freeze_time(NOW)
def test_main_fetch_sends_incidents_then_commits_the_state(mocker, requests_mock, last_run):
    """
    Given the fetch-incidents command
    When main runs
    Then it hands the incidents to the platform first and sets lastRun after.
    """
    mocker.patch.object(demisto, "params", return_value=base_params())
    mocker.patch.object(demisto, "command", return_value="fetch-incidents")
    platform = MagicMock()
    mocker.patch.object(demisto, "incidents", platform.incidents)
    mocker.patch.object(demisto, "setLastRun", platform.setLastRun)
    requests_mock.get(THREATS_V21, [page([threat_v21("1", "2024-03-26T10:00:00.000000Z")])])
    s1.main()
    assert [call[0] for call in platform.mock_calls] == ["incidents", "setLastRun"]
    assert [i["dbotMirrorId"] for i in platform.incidents.call_args[0][0]] == ["1"]
    assert platform.setLastRun.call_args[0][0]["threat"]["seen_ids"] == {"1": "2024-03-26T10:00:00.000000Z"}


@freeze_time(NOW)
def test_main_fetch_failing_part_way_commits_nothing(mocker, requests_mock, last_run):
    """
    Given fetch_type Both where the alert request fails after the threats were read
    When main runs fetch-incidents
    Then the run fails with the error, and neither incidents nor lastRun reach the platform.
    """
    mocker.patch.object(demisto, "params", return_value=base_params(fetch_type="Both"))
    mocker.patch.object(demisto, "command", return_value="fetch-incidents")
    mocker.patch.object(demisto, "error")
    incidents = mocker.patch.object(demisto, "incidents")
    set_last_run = mocker.patch.object(demisto, "setLastRun")
    requests_mock.get(THREATS_V21, [page([threat_v21("1", "2024-03-26T10:00:00.000000Z")])])
    requests_mock.get(ALERTS_V21, status_code=400, json={"errors": [{"code": 4000010, "title": "Validation Error"}]})
    with pytest.raises(Exception, match=r"Failed to execute fetch-incidents command\. Error: SentinelOne API error \[400\]"):
        s1.main()
    incidents.assert_not_called()
    set_last_run.assert_not_called()
