"""Envelope, cursor walks, limit/skip bounds and errors, sorting, countOnly/skipCount."""

from __future__ import annotations

import pytest
from sim_api import Api, error_of

from s1sim.api.threats import refresh_agent_threats
from s1sim.seed import make_threat


def alert_ids(items: list[dict]) -> list[str]:
    return [item["alertInfo"]["alertId"] for item in items]


@pytest.mark.parametrize("version", ["2.0", "2.1"])
@pytest.mark.parametrize("order", ["asc", "desc"])
def test_threat_cursor_walk_returns_every_threat_once_in_order(api: Api, version: str, order: str) -> None:
    created_field = (lambda t: t["threatInfo"]["createdAt"]) if version == "2.1" else (lambda t: t["createdAt"])

    items = api.walk("threats", version, limit=7, sortBy="createdAt", sortOrder=order)

    ids = [item["id"] for item in items]
    assert sorted(ids) == sorted(api.store.threats)
    assert len(ids) == len(set(ids)) == 50
    stamps = [created_field(item) for item in items]
    assert stamps == sorted(stamps, reverse=order == "desc")


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_alert_cursor_walk_returns_every_alert_once_in_order(api: Api, order: str) -> None:
    items = api.walk("cloud-detection/alerts", limit=4, sortBy="alertInfoCreatedAt", sortOrder=order)

    assert sorted(alert_ids(items)) == sorted(api.store.alerts)
    assert len(items) == 30
    stamps = [item["alertInfo"]["createdAt"] for item in items]
    assert stamps == sorted(stamps, reverse=order == "desc")


def test_walk_with_many_equal_timestamps_neither_skips_nor_repeats(api: Api) -> None:
    api.advance(60)
    store = api.store
    agents = list(store.agents.values())
    moment = store.now()
    for index in range(25):
        make_threat(store, store.rng, agents[index % len(agents)], moment)
    refresh_agent_threats(store)

    items = api.walk("threats", limit=10, sortBy="createdAt", sortOrder="asc", createdAt__gte="2024-05-01T12:01:00.000000Z")

    assert len(items) == 25
    assert len({item["id"] for item in items}) == 25


def test_threats_added_during_an_ascending_walk_are_picked_up_at_the_end(api: Api) -> None:
    first = api.get("threats", limit=30, sortBy="createdAt", sortOrder="asc").get_json()
    api.advance(10)
    store = api.store
    new = make_threat(store, store.rng, next(iter(store.agents.values())), store.now())
    rest = api.walk("threats", limit=30, cursor=first["pagination"]["nextCursor"])

    ids = [item["id"] for item in first["data"] + rest]
    assert len(ids) == len(set(ids)) == 51
    assert ids[-1] == new["id"]


def test_envelope_and_last_page_cursor_is_json_null(api: Api) -> None:
    payload = api.get("threats", limit=1000).get_json()

    assert set(payload) == {"data", "pagination"}
    assert payload["pagination"] == {"totalItems": 50, "nextCursor": None}
    assert len(payload["data"]) == 50


def test_default_limit_is_10_and_total_counts_all_matches(api: Api) -> None:
    payload = api.get("agents").get_json()

    assert len(payload["data"]) == 10
    assert payload["pagination"]["totalItems"] == 20
    assert isinstance(payload["pagination"]["nextCursor"], str)


@pytest.mark.parametrize(
    ("path", "params", "detail"),
    [
        ("threats", {"limit": 0}, "Limit must be greater than or equals to 1 and less than equals to 1000"),
        ("threats", {"limit": 1001}, "Limit must be greater than or equals to 1 and less than equals to 1000"),
        ("groups", {"limit": 301}, "Limit must be greater than or equals to 1 and less than equals to 300"),
        ("agents", {"skip": 1001}, "Skip must be greater than or equals to 0 and less than equals to 1000"),
        ("agents", {"skip": -1}, "Skip must be greater than or equals to 0 and less than equals to 1000"),
        ("agents", {"limit": "ten"}, "limit: Not a valid integer."),
        ("agents", {"cursor": "not-a-cursor"}, "cursor: Invalid cursor."),
        ("agents", {"sortOrder": "sideways"}, "sortOrder: Must be one of: asc, desc."),
    ],
)
def test_paging_bounds_give_the_validation_error(api: Api, path: str, params: dict, detail: str) -> None:
    response = api.get(path, params=params)

    assert response.status_code == 400
    assert error_of(response) == {"code": 4000010, "detail": detail, "title": "Validation Error"}


def test_limit_bounds_are_inclusive(api: Api) -> None:
    assert api.get("threats", limit=1000).status_code == 200
    assert api.get("groups", limit=300).status_code == 200
    assert len(api.data("threats", limit=1)) == 1


def test_unknown_sort_field_names_the_choices(api: Api) -> None:
    response = api.get("groups", sortBy="color")

    assert response.status_code == 400
    assert error_of(response)["detail"] == "sortBy: Must be one of: createdAt, id, name, rank, totalAgents, type, updatedAt."


def test_skip_offsets_the_sorted_list(api: Api) -> None:
    everything = [agent["id"] for agent in api.data("agents", limit=20, sortBy="computerName")]

    page = [agent["id"] for agent in api.data("agents", limit=5, skip=5, sortBy="computerName")]

    assert page == everything[5:10]


def test_count_only_returns_no_items(api: Api) -> None:
    payload = api.get("threats", countOnly="true", incidentStatuses="resolved").get_json()

    resolved = sum(1 for threat in api.store.threats.values() if threat["threatInfo"]["incidentStatus"] == "resolved")
    assert payload == {"data": [], "pagination": {"totalItems": resolved, "nextCursor": None}}
    assert resolved > 0


def test_skip_count_omits_the_total(api: Api) -> None:
    payload = api.get("agents", skipCount="True", limit=3).get_json()

    assert payload["pagination"]["totalItems"] is None
    assert len(payload["data"]) == 3


def test_sort_by_id_desc(api: Api) -> None:
    ids = [activity["id"] for activity in api.data("activities", limit=100, sortBy="id", sortOrder="desc")]

    assert ids == sorted(ids, key=int, reverse=True)
    assert len(ids) == len(api.store.activities)
