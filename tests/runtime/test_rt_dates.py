"""Date helpers: epoch conversions, parsing, ranges and relative dates (TZ=UTC, frozen clock)."""

from datetime import datetime, timedelta

import pytest
from CommonServerPython import (
    arg_to_datetime,
    date_to_timestamp,
    get_current_time,
    parse_date_range,
    parse_date_string,
    timestamp_to_datestring,
)
from freezegun import freeze_time

NOW = "2026-11-25 08:31:24"


def test_timestamp_to_datestring(utc_tz: None) -> None:
    assert timestamp_to_datestring(1700000000123) == "2023-11-14T22:13:20.000Z"
    assert timestamp_to_datestring("1700000000123") == "2023-11-14T22:13:20.000Z"
    assert timestamp_to_datestring(1700000000000, "%Y-%m-%d %H:%M") == "2023-11-14 22:13"


def test_timestamp_to_datestring_utc_or_local(monkeypatch: pytest.MonkeyPatch) -> None:
    import time

    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        assert timestamp_to_datestring(1700000000000, "%H:%M") == "07:13"  # local time
        assert timestamp_to_datestring(1700000000000, "%H:%M", is_utc=True) == "22:13"
        assert timestamp_to_datestring(1700000000000, "%H:%MZ") == "22:13Z"  # a 'Z' format is UTC
    finally:
        monkeypatch.undo()
        time.tzset()


def test_date_to_timestamp(utc_tz: None) -> None:
    assert date_to_timestamp("2023-11-14T22:13:20") == 1700000000000
    assert date_to_timestamp(datetime(2023, 11, 14, 22, 13, 20, 999999)) == 1700000000000
    assert date_to_timestamp("2023-11-14", "%Y-%m-%d") == 1699920000000


def test_date_to_timestamp_format_mismatch() -> None:
    with pytest.raises(ValueError, match=r"^unconverted data remains: Z$"):
        date_to_timestamp("2023-11-14T22:13:20Z")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-09-17T06:16:39", datetime(2019, 9, 17, 6, 16, 39)),
        ("2019-09-17T06:16:39Z", datetime(2019, 9, 17, 6, 16, 39)),
        ("2019-09-17T06:16:39.4040Z", datetime(2019, 9, 17, 6, 16, 39, 404000)),
        ("2019-09-17T06:16:39.123456789+09:00", datetime(2019, 9, 17, 6, 16, 39, 123456)),
        ("2019-09-17T06:16:39+02:00", datetime(2019, 9, 17, 6, 16, 39)),
    ],
)
def test_parse_date_string(text: str, expected: datetime) -> None:
    assert parse_date_string(text) == expected


def test_parse_date_string_with_format() -> None:
    assert parse_date_string("17/09/2019", "%d/%m/%Y") == datetime(2019, 9, 17)


def test_parse_date_string_unparsable() -> None:
    with pytest.raises(ValueError):
        parse_date_string("yesterday")


@freeze_time(NOW)
def test_parse_date_range() -> None:
    now = datetime(2026, 11, 25, 8, 31, 24)
    assert parse_date_range("3 days") == (now - timedelta(days=3), now)
    assert parse_date_range("2 hours") == (now - timedelta(hours=2), now)
    assert parse_date_range("1 minute") == (now - timedelta(minutes=1), now)
    assert parse_date_range("1 month") == (now - timedelta(days=30), now)
    assert parse_date_range("2 years") == (now - timedelta(days=730), now)
    assert parse_date_range("1 day", timezone=2) == (now + timedelta(hours=2) - timedelta(days=1), now + timedelta(hours=2))
    assert parse_date_range("1 day", date_format="%Y-%m-%d") == ("2026-11-24", "2026-11-25")


@freeze_time(NOW)
def test_parse_date_range_as_timestamps(utc_tz: None) -> None:
    assert parse_date_range("1 hour", to_timestamp=True) == (1795595484000 - 3600000, 1795595484000)


@pytest.mark.parametrize(
    ("date_range", "message"),
    [
        ("3days", 'date_range must be "number date_range_unit", examples: (2 hours, 4 minutes,6 months, 1 day, etc.)'),
        ("x days", "The time value is invalid. Must be an integer."),
        ("3 weeks", "The unit of date_range is invalid. Must be minutes, hours, days, months or years."),
    ],
)
def test_parse_date_range_errors_are_returned_as_error_entries(results_calls: list, date_range: str, message: str) -> None:
    with pytest.raises(SystemExit) as exited:
        parse_date_range(date_range)
    assert exited.value.code == 0
    assert results_calls == [{"Type": 4, "ContentsFormat": "text", "Contents": message, "EntryContext": None}]


@freeze_time(NOW)
def test_get_current_time() -> None:
    current = get_current_time()
    assert current.replace(tzinfo=None) == datetime(2026, 11, 25, 8, 31, 24)
    assert str(current.tzinfo) == "UTC"
    assert get_current_time(2).replace(tzinfo=None) == datetime(2026, 11, 25, 10, 31, 24)


@freeze_time(NOW)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3 days", datetime(2026, 11, 22, 8, 31, 24)),
        ("3 days ago", datetime(2026, 11, 22, 8, 31, 24)),
        ("1 hour", datetime(2026, 11, 25, 7, 31, 24)),
        ("now", datetime(2026, 11, 25, 8, 31, 24)),
        ("in 2 days", datetime(2026, 11, 27, 8, 31, 24)),
    ],
)
def test_arg_to_datetime_relative_is_naive_utc(utc_tz: None, text: str, expected: datetime) -> None:
    parsed = arg_to_datetime(text)
    assert parsed is not None
    assert parsed.tzinfo is None
    assert parsed.replace(microsecond=0) == expected


@freeze_time(NOW)
def test_arg_to_datetime_relative_with_aware_settings(utc_tz: None) -> None:
    parsed = arg_to_datetime("3 days", settings={"RETURN_AS_TIMEZONE_AWARE": True, "TIMEZONE": "UTC"})
    assert parsed is not None
    assert repr(parsed.tzinfo) == "<StaticTzInfo 'UTC'>"
    assert parsed.replace(tzinfo=None, microsecond=0) == datetime(2026, 11, 22, 8, 31, 24)
