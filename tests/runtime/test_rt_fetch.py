"""Fetch helpers: time ranges with look-back, duplicate filtering, last-run updates, offsets."""

from typing import Any

import pytest
from CommonServerPython import (
    calculate_new_offset,
    filter_incidents_by_duplicates_and_limit,
    get_fetch_run_time_range,
    get_found_incident_ids,
    get_latest_incident_created_time,
    remove_old_incidents_ids,
    update_last_run_object,
)
from freezegun import freeze_time

NOW = "2026-11-25 08:31:24"
NOW_EPOCH = 1795595484


@freeze_time(NOW)
def test_first_fetch_range() -> None:
    assert get_fetch_run_time_range({}, "3 days") == ("2026-11-22T08:31:24", "2026-11-25T08:31:24")


@freeze_time(NOW)
def test_range_from_last_run() -> None:
    assert get_fetch_run_time_range({"time": "2026-11-25T07:00:00"}, "3 days") == ("2026-11-25T07:00:00", "2026-11-25T08:31:24")


@freeze_time(NOW)
def test_look_back_moves_a_recent_start_back() -> None:
    last_run = {"time": "2026-11-25T08:30:00"}
    assert get_fetch_run_time_range(last_run, "3 days", look_back=10) == ("2026-11-25T08:21:24", "2026-11-25T08:31:24")
    # an older start is already further back than the look-back window
    assert get_fetch_run_time_range({"time": "2026-11-25T07:00:00"}, "3 days", look_back=10)[0] == "2026-11-25T07:00:00"


@freeze_time(NOW)
def test_range_with_time_zone_and_format() -> None:
    assert get_fetch_run_time_range({}, "1 hour", timezone=2, date_format="%Y-%m-%d %H:%M") == (
        "2026-11-25 09:31",
        "2026-11-25 10:31",
    )


def test_filter_incidents_by_duplicates_and_limit() -> None:
    incidents = [{"id": "1"}, {"id": "2"}, {"id": "3"}, {"id": "4"}]
    assert filter_incidents_by_duplicates_and_limit(incidents, {"found_incident_ids": {"2": 1}}, 2, "id") == [
        {"id": "1"},
        {"id": "3"},
    ]
    assert filter_incidents_by_duplicates_and_limit(incidents, {}, 10, "id") == incidents


def test_latest_incident_created_time() -> None:
    incidents = [{"t": "2023-11-14T22:13:20"}, {"t": "2023-11-14T22:15:20"}, {"t": "2023-11-14T22:14:20"}]
    assert get_latest_incident_created_time(incidents, "t") == "2023-11-14T22:15:20"
    assert get_latest_incident_created_time(incidents, "t", increase_last_run_time=True) == "2023-11-14T22:15:20"
    precise = [{"t": "2023-11-14T22:13:20.500000"}, {"t": "2023-11-14T22:13:20.999999"}]
    assert get_latest_incident_created_time(precise, "t", "%Y-%m-%dT%H:%M:%S.%f", True) == "2023-11-14T22:13:21.000999"


@freeze_time(NOW)
def test_update_last_run_object_with_look_back() -> None:
    last_run: dict[str, Any] = {}
    incidents = [{"id": "2", "created": "2023-11-14T22:13:20"}, {"id": "3", "created": "2023-11-14T22:15:20"}]
    result = update_last_run_object(last_run, incidents, 10, "2023-11-14T22:00:00", "2023-11-14T23:00:00", 5, "created", "id")
    assert result is last_run
    assert last_run == {"time": "2023-11-14T22:15:20", "limit": 12, "found_incident_ids": {"2": NOW_EPOCH, "3": NOW_EPOCH}}


@freeze_time(NOW)
def test_update_last_run_object_without_incidents_and_look_back() -> None:
    last_run: dict[str, Any] = {"time": "old"}
    update_last_run_object(last_run, [], 10, "2023-11-14T22:00:00", "2023-11-14T23:00:00", 0, "created", "id")
    assert last_run == {"time": "2023-11-14T23:00:00", "limit": 10}


@freeze_time(NOW)
def test_update_last_run_object_prunes_old_ids() -> None:
    last_run: dict[str, Any] = {"found_incident_ids": {"old": NOW_EPOCH - 601, "recent": NOW_EPOCH - 599}}
    update_last_run_object(last_run, [{"id": "n", "c": "2023-11-14T22:13:20"}], 5, "s", "e", 5, "c", "id")
    assert last_run["found_incident_ids"] == {"recent": NOW_EPOCH - 599, "n": NOW_EPOCH}
    assert last_run["limit"] == 2 + 1 + 5


@freeze_time(NOW)
def test_update_last_run_object_with_offset_keeps_the_window_and_ids() -> None:
    last_run: dict[str, Any] = {"found_incident_ids": {"old": 1}}
    update_last_run_object(last_run, [{"id": "n", "c": "2023-11-14T22:13:20"}], 5, "start", "end", 5, "c", "id", new_offset=5)
    assert last_run == {"found_incident_ids": {"old": 1, "n": NOW_EPOCH}, "time": "start", "limit": 7, "offset": 5}


@freeze_time(NOW)
def test_found_incident_ids_helpers() -> None:
    assert get_found_incident_ids({}, [{"id": "a"}], 1, "id") == {"a": NOW_EPOCH}
    # ids are kept for twice the look-back window
    assert remove_old_incidents_ids({"a": 100, "b": 200}, 300, 2) == {"a": 100, "b": 200}
    assert remove_old_incidents_ids({"a": 100, "b": 200}, 300, 1) == {"b": 200}
    assert remove_old_incidents_ids({"a": 100, "b": 200}, 300, 0) == {}


@pytest.mark.parametrize(("old", "num", "total", "expected"), [(0, 10, 25, 10), (20, 5, 25, 0), (5, 0, 25, 0), (10, 10, 0, 20)])
def test_calculate_new_offset(old: int, num: int, total: int, expected: int) -> None:
    assert calculate_new_offset(old, num, total) == expected
