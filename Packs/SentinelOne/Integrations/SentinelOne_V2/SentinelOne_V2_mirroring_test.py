"""Unit tests of mirroring: get-mapping-fields, get-modified-remote-data (requests, change detection, saved position,
page caps, errors), get-remote-data (mirrored object, close/reopen entries, notes in once, remembered state) and
update-remote-system (verdict, status, notes out, close_out, errors), plus the mirror tags that fetch sets."""

import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
from CommonServerPython import DemistoException, EntryFormat, EntryType, GetModifiedRemoteDataResponse
from freezegun import freeze_time

from conftest import BASE_V20, BASE_V21, CONSOLE, INSTANCE, REOPEN_ENTRY, TOKEN, close_entry, load_fixture

NOW = "2024-03-28T16:00:00Z"
FIRST_FETCH = "2024-03-25T16:00:00.000000Z"  # NOW - "3 days", the default first fetch
SITE = "475482421366727779"
THREAT_ID = "715718962991148224"
ALERT_ID = "1887466925547175000"
THREATS_V21 = BASE_V21 + "threats"
THREATS_V20 = BASE_V20 + "threats"
ALERTS_V21 = BASE_V21 + "cloud-detection/alerts"
NOTES_V21 = f"{BASE_V21}threats/{THREAT_ID}/notes"
VERDICT_V21 = BASE_V21 + "threats/analyst-verdict"
STATUS_V21 = BASE_V21 + "threats/incident"
NOTE_V21 = BASE_V21 + "threats/notes"
ALERT_VERDICT_V21 = BASE_V21 + "cloud-detection/alerts/analyst-verdict"
ALERT_STATUS_V21 = BASE_V21 + "cloud-detection/alerts/incident"


def page(items: list[dict], cursor: str | None = None) -> dict[str, Any]:
    return {"json": {"data": items, "pagination": {"totalItems": len(items), "nextCursor": cursor}}}


def query_of(request: Any) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(request.url).query, keep_blank_values=True))


def sent(requests_mock: Any) -> list[tuple[str, str, Any]]:
    """Every request: method, path, and the exact query string (GET) or JSON body (others)."""
    return [
        (r.method, urlsplit(r.url).path, query_of(r) if r.method == "GET" else r.json()) for r in requests_mock.request_history
    ]


def threat_v21(threat_id: str = THREAT_ID, updated: str = "2024-03-26T12:01:00.000000Z", **threat_info: Any) -> dict:
    threat = load_fixture("mirroring/threat_v21.json")
    threat["id"] = threat_id
    threat["threatInfo"].update(threatId=threat_id, updatedAt=updated, **threat_info)
    return threat


def threat_v20(threat_id: str = THREAT_ID, updated: str = "2024-03-26T12:01:00.000000Z", **fields: Any) -> dict:
    threat = load_fixture("mirroring/threat_v20.json")
    threat.update(id=threat_id, updatedAt=updated, **fields)
    return threat


def alert(alert_id: str = ALERT_ID, updated: str = "2024-03-26T12:03:00.000000Z", **alert_info: Any) -> dict:
    item = load_fixture("mirroring/alert.json")
    item["alertInfo"].update(alertId=alert_id, updatedAt=updated, **alert_info)
    return item


def threat_query(since: str, cursor: str | None = None, site: bool = True) -> dict[str, str]:
    query = {"updatedAt__gte": since, "sortBy": "updatedAt", "sortOrder": "asc", "limit": "1000"}
    if site:
        query["siteIds"] = SITE
    if cursor:
        query["cursor"] = cursor
    return query


def alert_query(since: str, cursor: str | None = None, site: bool = True) -> dict[str, str]:
    """The alerts updated since, as asked of a console that honours the update-time filter."""
    query = {"updatedAt__gte": since, "sortBy": "alertInfoUpdatedAt", "sortOrder": "asc", "limit": "1000"}
    if site:
        query["siteIds"] = SITE
    if cursor:
        query["cursor"] = cursor
    return query


PROBE = {"updatedAt__gte": "2025-03-28T16:00:00.000000Z", "sortBy": "alertInfoUpdatedAt", "sortOrder": "asc", "limit": "1"}


def alert_filter(verdict: str = "honoured", asked_at: str = "2024-03-28T15:00:00.000000Z") -> dict[str, str]:
    """The remembered answer of the console to the update-time probe."""
    return {"verdict": verdict, "asked_at": asked_at, "console": BASE_V21}


def stream_state(since: str, watermark: str | None, seen: dict[str, str]) -> dict[str, Any]:
    return {"version": 1, "since": since, "watermark": watermark, "seen_ids": seen}


# --- get-mapping-fields ---


def test_mapping_fields_offer_verdict_and_status_for_threats_and_alerts(client_v21):
    """
    Given the integration
    When get-mapping-fields runs
    Then threats and alerts offer the two fields that mirror out, with their values, UAM alerts their own two fields
    (the public pack's names uamStatus and uamAnalystVerdict, with the UAM labels), and no request is sent.
    """
    fields = {
        "analystVerdict": "Analyst verdict: True positive, False positive, Suspicious, Undefined.",
        "incidentStatus": "Incident status: Unresolved, In progress, Resolved.",
    }
    mapping = s1.get_mapping_fields_command(client_v21, {}).extract_mapping()
    assert mapping == {
        "SentinelOne Threat": fields,
        "SentinelOne Alert": fields,
        "SentinelOne UAM Alert": {
            "uamStatus": "UAM alert status: New, In progress, Resolved.",
            "uamAnalystVerdict": "UAM alert analyst verdict: " + ", ".join(s1.UAM_VERDICT_LABELS.values()) + ".",
        },
    }


# --- remote IDs ---


UAM_UUID = "0b7a5c1e-2f3d-4e5a-8b9c-0d1e2f3a4b5c"


@pytest.mark.parametrize(
    "remote_id, object_id, kind",
    [
        ("715718962991148224", "715718962991148224", "threat"),
        (" 715718962991148224 ", "715718962991148224", "threat"),
        ("alert:1887466925547175000", "1887466925547175000", "alert"),
        ("ALERT: 42", "42", "alert"),
        (f"uam:{UAM_UUID}", UAM_UUID, "UAM alert"),
        (f"UAM: {UAM_UUID}", UAM_UUID, "UAM alert"),
        (UAM_UUID.upper(), UAM_UUID.upper(), "UAM alert"),  # the public pack's UAM incidents: the bare alert ID
    ],
)
def test_remote_ids_name_a_threat_an_alert_or_a_uam_alert(remote_id, object_id, kind):
    """
    Given a remote ID as fetch set it (a threat's ID, alert:<alert ID>, uam:<UAM alert ID>) or as the public pack set
    it for UAM alerts (the bare UUID)
    When it is read
    Then it names the right object, kind and stream.
    """
    target = s1.mirror_target(remote_id)
    streams = {"threat": s1.THREATS, "alert": s1.ALERTS, "UAM alert": s1.UAM_ALERTS}
    assert (target.object_id, target.kind, target.stream) == (object_id, kind, streams[kind])
    assert target.remote_id == remote_id.strip()


@pytest.mark.parametrize("remote_id", ["", "alert:", "uam:", "abc", "threat:1", "0b7a5c1e-2f3d", None])
def test_unreadable_remote_ids_are_errors(remote_id):
    """
    Given a remote ID that is neither digits, alert:<ID>, uam:<ID> nor a UUID
    When it is read
    Then the error names it and the accepted forms.
    """
    text = "" if remote_id is None else remote_id.strip()
    with pytest.raises(ValueError) as error:
        s1.mirror_target(remote_id)
    assert str(error.value) == (f"remote ID {text!r}: expected a threat ID (digits), alert:<alert ID> or uam:<UAM alert ID>")


# --- get-modified-remote-data ---


@freeze_time(NOW)
def test_first_platform_run_reads_every_page_of_both_streams(requests_mock, client_v21, platform):
    """
    Given no saved mirroring position, fetch of threats and alerts from one site, and lastUpdate from the platform
    When get-modified-remote-data runs
    Then it reads every page of threats updated since lastUpdate, asks whether the alert list filters by update time
    (it does: nothing updated a year ahead) and reads the alerts updated since lastUpdate the same way, reports the threats
    and alerts updated since lastUpdate (alert IDs prefixed), and saves the position of each stream and the answer.
    """
    platform.params.update(fetch_type="Both", fetch_site_ids=SITE)
    requests_mock.get(
        THREATS_V21,
        [page([threat_v21("1", "2024-03-26T12:01:00.000000Z")], "c1"), page([threat_v21("2", "2024-03-26T12:05:00.000000Z")])],
    )
    requests_mock.get(ALERTS_V21, [page([]), page([alert("10", "2024-03-26T11:00:00.000000Z"), alert("11")])])
    response = s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:00:00Z"})
    assert isinstance(response, GetModifiedRemoteDataResponse)
    assert response.modified_incident_ids == ["1", "2", "alert:11"]
    assert sent(requests_mock) == [
        ("GET", "/web/api/v2.1/threats", threat_query("2024-03-26T12:00:00.000000Z")),
        ("GET", "/web/api/v2.1/threats", threat_query("2024-03-26T12:00:00.000000Z", cursor="c1")),
        ("GET", "/web/api/v2.1/cloud-detection/alerts", PROBE),
        ("GET", "/web/api/v2.1/cloud-detection/alerts", alert_query("2024-03-26T12:00:00.000000Z")),
    ]
    assert platform.mirror_run_writes == [
        {
            "version": 1,
            "threat": stream_state(
                "2024-03-26T12:00:00.000000Z",
                "2024-03-26T12:05:00.000000Z",
                {
                    "1@2024-03-26T12:01:00.000000Z": "2024-03-26T12:01:00.000000Z",
                    "2@2024-03-26T12:05:00.000000Z": "2024-03-26T12:05:00.000000Z",
                },
            ),
            "alert": stream_state(
                "2024-03-26T12:00:00.000000Z",
                "2024-03-26T12:03:00.000000Z",
                {"alert:11@2024-03-26T12:03:00.000000Z": "2024-03-26T12:03:00.000000Z"},
            ),
            "alert_update_filter": alert_filter(asked_at="2024-03-28T16:00:00.000000Z"),
        }
    ]


@freeze_time(NOW)
def test_next_run_reports_each_change_once_and_a_later_change_again(requests_mock, client_v21, platform):
    """
    Given the position saved by a run that reported threats 1 and 2 and alert 11
    When the next run sees threat 2 and alert 11 unchanged, threat 1 changed again and alert 12 changed
    Then only threat 1 and alert 12 are reported, the queries start from the saved position (look-back included), and
    the console is not asked again about the alert list's update-time filter.
    """
    platform.params.update(fetch_type="Both", fetch_site_ids=SITE)
    platform.last_mirror_run = {
        "version": 1,
        "threat": stream_state(
            "2024-03-26T12:00:00.000000Z",
            "2024-03-26T12:05:00.000000Z",
            {
                "1@2024-03-26T12:01:00.000000Z": "2024-03-26T12:01:00.000000Z",
                "2@2024-03-26T12:05:00.000000Z": "2024-03-26T12:05:00.000000Z",
            },
        ),
        "alert": stream_state(
            "2024-03-26T12:00:00.000000Z",
            "2024-03-26T12:03:00.000000Z",
            {"alert:11@2024-03-26T12:03:00.000000Z": "2024-03-26T12:03:00.000000Z"},
        ),
        "alert_update_filter": alert_filter(),
    }
    requests_mock.get(
        THREATS_V21, [page([threat_v21("2", "2024-03-26T12:05:00.000000Z"), threat_v21("1", "2024-03-26T12:20:00.000000Z")])]
    )
    requests_mock.get(ALERTS_V21, [page([alert("11"), alert("12", "2024-03-26T12:02:00.000000Z")])])
    response = s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:30:00Z"})
    assert response.modified_incident_ids == ["1", "alert:12"]
    assert sent(requests_mock) == [
        ("GET", "/web/api/v2.1/threats", threat_query("2024-03-26T12:00:00.000000Z")),
        ("GET", "/web/api/v2.1/cloud-detection/alerts", alert_query("2024-03-26T12:00:00.000000Z")),
    ]
    saved = platform.mirror_run_writes[-1]
    assert saved["threat"] == stream_state(
        "2024-03-26T12:15:00.000000Z",
        "2024-03-26T12:20:00.000000Z",
        {"1@2024-03-26T12:20:00.000000Z": "2024-03-26T12:20:00.000000Z"},
    )
    assert saved["alert"]["seen_ids"] == {
        "alert:11@2024-03-26T12:03:00.000000Z": "2024-03-26T12:03:00.000000Z",
        "alert:12@2024-03-26T12:02:00.000000Z": "2024-03-26T12:02:00.000000Z",
    }
    assert saved["alert_update_filter"] == alert_filter()


@freeze_time(NOW)
def test_thousands_of_modified_threats_are_all_reported(requests_mock, client_v21, platform):
    """
    Given 2500 threats updated since lastUpdate, served 1000 per page, and fetch of threats only
    When get-modified-remote-data runs
    Then every ID is reported, in order, after three requests, and no alert is read.
    """
    threats = [threat_v21(str(1000 + n), f"2024-03-26T12:{n // 60:02d}:{n % 60:02d}.000000Z") for n in range(2500)]
    requests_mock.get(THREATS_V21, [page(threats[:1000], "c1"), page(threats[1000:2000], "c2"), page(threats[2000:])])
    response = s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:00:00Z"})
    assert response.modified_incident_ids == [str(1000 + n) for n in range(2500)]
    assert [query_of(r).get("cursor") for r in requests_mock.request_history] == [None, "c1", "c2"]
    assert all(urlsplit(r.url).path == "/web/api/v2.1/threats" for r in requests_mock.request_history)


@freeze_time(NOW)
def test_a_threat_run_past_the_page_cap_stops_and_the_next_run_goes_on(requests_mock, client_v21, platform, monkeypatch):
    """
    Given more pages of modified threats than one run reads (cap lowered to 2 pages)
    When two runs follow each other
    Then the first reports the first two pages and saves the last update time it read, and the second starts from it and
    reports the rest, without repeating what the first reported.
    """
    monkeypatch.setattr(s1, "MAX_PAGES", 2)
    first = [threat_v21(str(n), f"2024-03-26T12:0{n}:00.000000Z") for n in (1, 2, 3, 4)]
    rest = [threat_v21(str(n), f"2024-03-26T12:0{n}:00.000000Z") for n in (5, 6)]
    requests_mock.get(THREATS_V21, [page(first[:2], "c1"), page(first[2:], "c2"), page(first[3:] + rest)])
    assert s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:00:00Z"}).modified_incident_ids == [
        "1",
        "2",
        "3",
        "4",
    ]
    assert platform.last_mirror_run["threat"]["watermark"] == "2024-03-26T12:04:00.000000Z"
    second = s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:01:00Z"})
    assert second.modified_incident_ids == ["5", "6"]
    assert query_of(requests_mock.request_history[-1]) == threat_query("2024-03-26T12:00:00.000000Z", site=False)


@freeze_time(NOW)
def test_a_manual_run_neither_reads_nor_moves_the_position(requests_mock, client_v21, platform):
    """
    Given a saved position and a person running the command with last_update
    When get-modified-remote-data runs
    Then it lists the changes since last_update and leaves the saved position alone.
    """
    platform.last_mirror_run = {"version": 1, "threat": stream_state(NOW, None, {})}
    requests_mock.get(THREATS_V21, [page([threat_v21("1")])])
    response = s1.get_modified_remote_data_command(client_v21, {"last_update": "2024-03-26T12:00:00Z"})
    assert response.modified_incident_ids == ["1"]
    assert query_of(requests_mock.last_request) == threat_query("2024-03-26T12:00:00.000000Z", site=False)
    assert (platform.mirror_run_reads, platform.mirror_run_writes) == (0, [])


def test_without_a_time_the_command_fails_before_any_request(requests_mock, client_v21, platform):
    """
    Given neither lastUpdate nor last_update
    When get-modified-remote-data runs
    Then it names the missing argument and sends nothing.
    """
    with pytest.raises(ValueError, match="^last_update: this argument is required$"):
        s1.get_modified_remote_data_command(client_v21, {})
    assert requests_mock.request_history == []


@freeze_time(NOW)
def test_api_20_threats_are_found_by_their_flat_update_time(requests_mock, client_v20, platform):
    """
    Given API 2.0 (flat threats with a top-level updatedAt)
    When get-modified-remote-data runs
    Then it queries the 2.0 threats and keys each change by the flat update time.
    """
    requests_mock.get(THREATS_V20, [page([threat_v20("7", "2024-03-26T12:07:00.000000Z")])])
    response = s1.get_modified_remote_data_command(client_v20, {"lastUpdate": "2024-03-26T12:00:00Z"})
    assert response.modified_incident_ids == ["7"]
    assert sent(requests_mock) == [("GET", "/web/api/v2.0/threats", threat_query("2024-03-26T12:00:00.000000Z", site=False))]
    assert platform.last_mirror_run["threat"]["seen_ids"] == {"7@2024-03-26T12:07:00.000000Z": "2024-03-26T12:07:00.000000Z"}


@freeze_time(NOW)
def test_an_unreadable_saved_position_starts_again_from_last_update(requests_mock, client_v21, platform):
    """
    Given a saved position that cannot be read
    When get-modified-remote-data runs
    Then it starts again from lastUpdate instead of failing every minute.
    """
    platform.last_mirror_run = {"version": 1, "threat": {"since": "yesterday-ish"}}
    requests_mock.get(THREATS_V21, [page([])])
    assert s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:00:00Z"}).modified_incident_ids == []
    assert query_of(requests_mock.last_request)["updatedAt__gte"] == "2024-03-26T12:00:00.000000Z"


@freeze_time(NOW)
def test_the_position_of_a_stream_no_longer_fetched_is_kept(requests_mock, client_v21, platform):
    """
    Given a saved position of both streams on a console that honours the alerts' update-time filter, and fetch_type
    changed from Both to Threats
    When get-modified-remote-data runs twice, then once more after fetch_type went back to Both
    Then alerts are not read while off, their position is saved unchanged, and the alert stream then goes on from it
    (reporting the alert changed meanwhile) instead of starting again from lastUpdate.
    """
    alert_state = stream_state(
        "2024-03-26T12:00:00.000000Z",
        "2024-03-26T12:03:00.000000Z",
        {"alert:11@2024-03-26T12:03:00.000000Z": "2024-03-26T12:03:00.000000Z"},
    )
    platform.last_mirror_run = {
        "version": 1,
        "threat": stream_state("2024-03-26T12:00:00.000000Z", None, {}),
        "alert": alert_state,
        "alert_update_filter": alert_filter(),
    }
    platform.params.update(fetch_type="Threats")
    requests_mock.get(THREATS_V21, [page([])])
    requests_mock.get(ALERTS_V21, [page([alert("11"), alert("12", "2024-03-26T12:40:00.000000Z")])])
    for last_update in ("2024-03-26T12:30:00Z", "2024-03-26T12:31:00Z"):
        assert s1.get_modified_remote_data_command(client_v21, {"lastUpdate": last_update}).modified_incident_ids == []
        assert platform.last_mirror_run["alert"] == alert_state
    assert {urlsplit(r.url).path for r in requests_mock.request_history} == {"/web/api/v2.1/threats"}

    platform.params.update(fetch_type="Both")
    response = s1.get_modified_remote_data_command(client_v21, {"lastUpdate": "2024-03-26T12:50:00Z"})
    assert response.modified_incident_ids == ["alert:12"]
    assert query_of(requests_mock.last_request) == alert_query("2024-03-26T12:00:00.000000Z", site=False)


def run_main(mocker, command: str, args: dict[str, Any], api_version: str = "2.1") -> dict[str, Any]:
    """main() for one command; the error entry it returns."""
    mocker.patch.object(
        demisto, "params", return_value={"url": CONSOLE, "credentials": {"password": TOKEN}, "api_version": api_version}
    )
    mocker.patch.object(demisto, "command", return_value=command)
    mocker.patch.object(demisto, "args", return_value=args)
    results = mocker.patch.object(demisto, "results")
    with pytest.raises(SystemExit):
        s1.main()
    return results.call_args[0][0]


SKIP_UPDATE = "skip update. error: Failed to execute get-modified-remote-data command. Error: "


@pytest.mark.parametrize(
    "status, title, expected",
    [
        (
            429,
            "Too Many Requests",
            SKIP_UPDATE + "API rate limit exceeded [429]: Too Many Requests",
        ),
        (
            500,
            "Internal Error",
            SKIP_UPDATE + "SentinelOne API error [500]: Internal Error",
        ),
    ],
)
def test_modified_data_failures_say_api_rate_limit_or_skip_update(mocker, requests_mock, platform, status, title, expected):
    """
    Given the console answering 429 (rate limit) or 500
    When the platform runs get-modified-remote-data
    Then the error says "API rate limit" for 429, and every failure starts with "skip update" as the platform expects.
    """
    mocker.patch.object(s1, "get_last_mirror_run", return_value={})
    requests_mock.get(THREATS_V21, status_code=status, json={"errors": [{"code": status * 10000 + 10, "title": title}]})
    entry = run_main(mocker, "get-modified-remote-data", {"lastUpdate": "2024-03-26T12:00:00Z"})
    assert (entry["Type"], entry["Contents"]) == (EntryType.ERROR, expected)
    assert platform.mirror_run_writes == []


def test_mirroring_answers_rate_limits_at_once(client_v21):
    """
    Given a client (which retries 429 and idempotent 5xx)
    When mirroring switches the rate-limit retries off
    Then 429 is no longer retried, while 5xx of a GET still is and a POST's still is not.
    """
    adapter = client_v21._session.get_adapter("https://")
    assert adapter.max_retries.is_retry("GET", 429) is True
    client_v21.stop_retrying_rate_limits()
    for prefix in ("https://", "http://"):
        retry = client_v21._session.get_adapter(prefix).max_retries
        assert (retry.is_retry("GET", 429), retry.is_retry("POST", 429)) == (False, False)
        assert (retry.is_retry("GET", 503), retry.is_retry("POST", 503)) == (True, False)
        # urllib3 builds each next Retry with new(): the next attempt keeps the rules.
        assert retry.increment("GET", "/x").is_retry("GET", 429) is False


# --- get-remote-data ---


def threat_keys(remote_id: str = THREAT_ID, api_version: str = "2.1", stream: str = "threat") -> dict[str, Any]:
    return {
        "incident_type": "SentinelOne Threat" if stream == "threat" else "SentinelOne Alert",
        "s1_stream": stream,
        "s1_api_version": api_version,
        "mirror_id": remote_id,
        "mirror_direction": "Both",
        "mirror_instance": INSTANCE,
        "mirror_tags": ["comment"],
    }


def note(text: str, created: str) -> dict[str, Any]:
    return {
        "Type": EntryType.NOTE,
        "Contents": f"**SentinelOne note** by Jane Analyst ({created}):\n\n{text}",
        "ContentsFormat": EntryFormat.MARKDOWN,
        "Note": True,
    }


def remote(client: s1.Client, remote_id: str = THREAT_ID) -> Any:
    return s1.get_remote_data_command(client, {"id": remote_id, "lastUpdate": "2024-03-26T12:00:00Z"})


def test_a_threat_seen_first_comes_with_its_notes_once(requests_mock, client_v21, platform):
    """
    Given an unresolved threat with two notes written in SentinelOne and one written from XSOAR
    When get-remote-data runs twice
    Then the first run returns the threat with the mapper keys and the two SentinelOne notes as notes (oldest first),
    the second run no note at all; the threat's note IDs are remembered once.
    """
    threat = threat_v21()
    requests_mock.get(THREATS_V21, json={"data": [threat], "pagination": {"totalItems": 1, "nextCursor": None}})
    requests_mock.get(NOTES_V21, json=load_fixture("mirroring/threat_notes.json"))
    first = remote(client_v21)
    assert first.mirrored_object == {**threat, **threat_keys()}
    assert first.entries == [
        note("Isolating the host while we look.", "2024-03-26T08:00:00.000000Z"),
        note("Checked the host: the file came from a phishing mail.", "2024-03-26T09:00:00.000000Z"),
    ]
    assert sent(requests_mock) == [
        ("GET", "/web/api/v2.1/threats", {"ids": THREAT_ID, "limit": "1"}),
        ("GET", f"/web/api/v2.1/threats/{THREAT_ID}/notes", {"limit": "1000"}),
    ]
    assert platform.memories == {
        THREAT_ID: {"resolved": False, "notes": ["1200000000000000001", "1200000000000000002", "1200000000000000003"]}
    }
    second = remote(client_v21)
    assert second.entries == []
    assert platform.context_writes == 1


def test_audit_notes_of_outgoing_changes_are_not_mirrored_back_in(requests_mock, client_v21, platform):
    """
    Given a threat whose notes hold the audit notes of outgoing changes (ours, and the public pack's: the same texts)
    and an analyst's note that merely starts with "XSOAR"
    When get-remote-data runs
    Then only the analyst's note comes in; every note ID is remembered.
    """
    texts = [
        "XSOAR - Updated the threat analyst verdict to False positive",
        "XSOAR - Updated the threat status to In progress",
        "XSOAR - Marked as resolved\nReimaged.",
        "XSOAR - Updated the alert status to In progress",  # a UAM alert's audit note: the same recognition
        "XSOAR - please check the playbook run",
    ]
    notes = [
        {"id": str(index), "text": text, "creator": "Jane Analyst", "createdAt": f"2024-03-26T0{index}:00:00.000000Z"}
        for index, text in enumerate(texts, start=1)
    ]
    requests_mock.get(THREATS_V21, json={"data": [threat_v21()], "pagination": {"nextCursor": None}})
    requests_mock.get(NOTES_V21, json={"data": notes, "pagination": {"nextCursor": None}})
    assert remote(client_v21).entries == [note("XSOAR - please check the playbook run", "2024-03-26T05:00:00.000000Z")]
    assert platform.memories[THREAT_ID]["notes"] == ["1", "2", "3", "4", "5"]


def test_remote_data_reads_only_the_mirroring_parameters(requests_mock, client_v21, platform):
    """
    Given an instance whose fetch settings are unusable (an unparsable first fetch time, a bad fetch limit)
    When get-remote-data runs for one incident
    Then it still returns the threat with the mirroring keys: it reads only the mirroring parameters, not the fetch ones.
    """
    platform.params.update(fetch_time="whenever", fetch_limit="many")
    threat = threat_v21()
    requests_mock.get(THREATS_V21, json={"data": [threat], "pagination": {"totalItems": 1, "nextCursor": None}})
    requests_mock.get(NOTES_V21, json={"data": [], "pagination": {"totalItems": 0, "nextCursor": None}})
    assert remote(client_v21).mirrored_object == {**threat, **threat_keys()}


@pytest.mark.parametrize(
    "verdict, reason, label",
    [
        ("false_positive", "False Positive", "False positive"),
        ("true_positive", "Resolved", "True positive"),
        ("suspicious", "Resolved", "Suspicious"),
        (None, "Resolved", "Undefined"),
    ],
)
def test_resolving_closes_once_and_unresolving_reopens(requests_mock, client_v21, platform, verdict, reason, label):
    """
    Given close_xsoar_incident and a threat that SentinelOne resolves (with a verdict), then resolves again (unchanged),
    then un-resolves, then moves to in progress
    When get-remote-data runs after each change
    Then the incident is closed once (reason and notes from the verdict), reopened once, and left alone otherwise.
    """
    platform.params["close_xsoar_incident"] = True
    requests_mock.get(NOTES_V21, json={"data": [], "pagination": {"nextCursor": None}})
    entries = []
    for status in ("resolved", "resolved", "unresolved", "in_progress"):
        threat = threat_v21(incidentStatus=status, analystVerdict=verdict)
        requests_mock.get(THREATS_V21, json={"data": [threat], "pagination": {"nextCursor": None}})
        entries.append(remote(client_v21).entries)
    assert entries == [[close_entry(reason, label)], [], [REOPEN_ENTRY], []]


def test_without_close_xsoar_incident_nothing_closes_but_the_status_is_remembered(requests_mock, client_v21, platform):
    """
    Given close_xsoar_incident off and a resolved threat
    When get-remote-data runs
    Then no close entry is returned, and the resolved status is remembered (so a later un-resolve is a change).
    """
    platform.params["close_xsoar_incident"] = False
    requests_mock.get(THREATS_V21, json={"data": [threat_v21(incidentStatus="resolved")], "pagination": {}})
    requests_mock.get(NOTES_V21, json={"data": [], "pagination": {}})
    assert remote(client_v21).entries == []
    assert platform.memories == {THREAT_ID: {"resolved": True, "notes": []}}


def test_an_alert_is_read_from_the_alert_list_and_closes_by_its_display_status(requests_mock, client_v21, platform):
    """
    Given close_xsoar_incident and an alert resolved in SentinelOne (display values "Resolved", "False positive")
    When get-remote-data runs for alert:<id>
    Then it reads the alert by ID, asks for no notes, adds the mapper keys and the alert ID as `id`, and closes.
    """
    platform.params["close_xsoar_incident"] = "true"
    item = alert(incidentStatus="Resolved", analystVerdict="False positive")
    requests_mock.get(ALERTS_V21, json={"data": [item], "pagination": {"nextCursor": None}})
    response = remote(client_v21, f"alert:{ALERT_ID}")
    assert response.mirrored_object == {**item, **threat_keys(f"alert:{ALERT_ID}", stream="alert"), "id": ALERT_ID}
    assert response.entries == [close_entry("False Positive", "False positive")]
    assert sent(requests_mock) == [("GET", "/web/api/v2.1/cloud-detection/alerts", {"ids": ALERT_ID, "limit": "1"})]


def test_an_api_20_threat_closes_by_its_resolved_flag_without_notes(requests_mock, client_v20, platform):
    """
    Given API 2.0 (no notes API, threats carry only `resolved`) and a resolved threat
    When get-remote-data runs
    Then it closes the incident and reads no notes.
    """
    platform.params["close_xsoar_incident"] = True
    threat = threat_v20(resolved=True)
    requests_mock.get(THREATS_V20, json={"data": [threat], "pagination": {"nextCursor": None}})
    response = remote(client_v20)
    assert response.mirrored_object == {**threat, **threat_keys(api_version="2.0")}
    assert response.entries == [close_entry("Resolved", "Undefined")]
    assert [r.url for r in requests_mock.request_history] == [f"{THREATS_V20}?ids={THREAT_ID}&limit=1"]


def test_a_missing_threat_is_an_error(requests_mock, client_v21, platform):
    """
    Given a threat the console no longer returns
    When get-remote-data runs
    Then it fails naming the threat, and remembers nothing.
    """
    requests_mock.get(THREATS_V21, json={"data": [], "pagination": {"nextCursor": None}})
    with pytest.raises(DemistoException) as error:
        remote(client_v21)
    assert str(error.value) == f"SentinelOne has no threat {THREAT_ID} (deleted, or outside the API token's scope)."
    assert platform.context_writes == 0


@pytest.mark.parametrize(
    "args, message",
    [
        ({"lastUpdate": "2024-03-26T12:00:00Z"}, "id: this argument is required"),
        ({"id": THREAT_ID}, "lastUpdate: this argument is required"),
        (
            {"id": THREAT_ID, "lastUpdate": "last Tuesday-ish"},
            "lastUpdate: expected a date (ISO 8601, epoch, or relative such as '3 days'), got 'last Tuesday-ish'",
        ),
        ({"id": THREAT_ID, "lastUpdate": "2024-13-45T99:00:00Z"}, "lastUpdate: expected a date (ISO 8601, epoch"),
    ],
    ids=["no id", "no lastUpdate", "text that is not a date", "an impossible ISO date"],
)
def test_remote_data_needs_an_id_and_last_update(requests_mock, client_v21, platform, args, message):
    """
    Given a get-remote-data call without id or without lastUpdate
    When it runs
    Then it names the missing argument and sends nothing.
    """
    with pytest.raises(ValueError) as error:
        s1.get_remote_data_command(client_v21, args)
    assert str(error.value).startswith(message)
    assert requests_mock.request_history == []


@pytest.mark.parametrize("last_update", ["2024-03-26T12:00:00Z", "2024-03-26T12:00:00.123456+00:00", "1711454400", "2 days"])
def test_remote_data_takes_last_update_in_every_date_form(requests_mock, client_v21, platform, last_update):
    """
    Given lastUpdate as ISO 8601 (as the platform sends it), epoch seconds, or relative text
    When get-remote-data runs
    Then it reads the threat.
    """
    requests_mock.get(THREATS_V21, json={"data": [threat_v21()], "pagination": {}})
    requests_mock.get(NOTES_V21, json={"data": [], "pagination": {}})
    response = s1.get_remote_data_command(client_v21, {"id": THREAT_ID, "lastUpdate": last_update})
    assert response.mirrored_object["id"] == THREAT_ID


def test_an_alert_cannot_be_mirrored_on_api_20(requests_mock, client_v20, platform):
    """
    Given API 2.0 and an alert remote ID
    When get-remote-data runs
    Then it fails naming the version, before any request.
    """
    with pytest.raises(DemistoException) as error:
        remote(client_v20, "alert:5")
    assert str(error.value) == "Alert 5 cannot be mirrored with API version 2.0: alerts need 2.1."
    assert requests_mock.request_history == []


def test_remote_data_rate_limit_says_api_rate_limit(mocker, requests_mock, platform):
    """
    Given the console answering 429
    When the platform runs get-remote-data
    Then the error says "API rate limit", so that the platform resumes from this incident later.
    """
    requests_mock.get(THREATS_V21, status_code=429, json={"errors": [{"code": 4290010, "title": "Too Many Requests"}]})
    entry = run_main(mocker, "get-remote-data", {"id": THREAT_ID, "lastUpdate": "2024-03-26T12:00:00Z"})
    assert entry["Contents"] == (
        "Failed to execute get-remote-data command. Error: API rate limit exceeded [429]: Too Many Requests"
    )


def test_remembering_retries_when_another_run_wrote_first(requests_mock, client_v21, platform):
    """
    Given another run's memory in the integration context and a write refused once (another run wrote in between)
    When get-remote-data remembers a threat
    Then it reads again and writes again, keeping the other run's memory.
    """
    platform.context = {"mirroring": {"999": {"resolved": True, "notes": []}}, "other": "kept"}
    platform.conflicts = 1
    requests_mock.get(THREATS_V21, json={"data": [threat_v21(incidentStatus="resolved")], "pagination": {}})
    requests_mock.get(NOTES_V21, json={"data": [], "pagination": {}})
    remote(client_v21)
    assert platform.context == {
        "mirroring": {"999": {"resolved": True, "notes": []}, THREAT_ID: {"resolved": True, "notes": []}},
        "other": "kept",
    }


def test_the_least_recently_changed_memories_are_forgotten_first(requests_mock, client_v21, platform, monkeypatch):
    """
    Given a memory bound of 2 remote IDs, already holding two
    When a third threat is remembered
    Then the one changed longest ago is forgotten.
    """
    monkeypatch.setattr(s1, "MIRROR_CONTEXT_MAX_ITEMS", 2)
    platform.context = {"mirroring": {"1": {"resolved": True, "notes": []}, "2": {"resolved": True, "notes": []}}}
    requests_mock.get(THREATS_V21, json={"data": [threat_v21(incidentStatus="resolved")], "pagination": {}})
    requests_mock.get(NOTES_V21, json={"data": [], "pagination": {}})
    remote(client_v21)
    assert list(platform.memories) == ["2", THREAT_ID]


# --- update-remote-system ---


def update(client: s1.Client, remote_id: str = THREAT_ID, **args: Any) -> str:
    return s1.update_remote_system_command(
        client, {"remoteId": remote_id, "incidentChanged": True, "delta": {}, "data": {}, "entries": [], "status": 1, **args}
    )


def affected(requests_mock: Any, *urls: str) -> None:
    for url in urls:
        requests_mock.post(url, json={"data": {"affected": 1}})


def verdict_body(verdict: str, object_id: str = THREAT_ID) -> dict[str, Any]:
    return {"data": {"analystVerdict": verdict}, "filter": {"ids": [object_id], "tenant": True}}


def status_body(status: str, object_id: str = THREAT_ID) -> dict[str, Any]:
    return {"data": {"incidentStatus": status}, "filter": {"ids": [object_id]}}


def note_body(text: str) -> dict[str, Any]:
    return {"data": {"text": text}, "filter": {"ids": [THREAT_ID]}}


VERDICT_PATH = "/web/api/v2.1/threats/analyst-verdict"
STATUS_PATH = "/web/api/v2.1/threats/incident"
NOTE_PATH = "/web/api/v2.1/threats/notes"


@pytest.mark.parametrize(
    "delta, expected",
    [
        (
            {"analystVerdict": "True positive"},
            [
                (VERDICT_PATH, verdict_body("true_positive")),
                (NOTE_PATH, note_body("XSOAR - Updated the threat analyst verdict to True positive")),
            ],
        ),
        (
            {"incidentStatus": "In progress"},
            [
                (STATUS_PATH, status_body("in_progress")),
                (NOTE_PATH, note_body("XSOAR - Updated the threat status to In progress")),
            ],
        ),
        (
            {"sentinelonethreatstatus": "Resolved", "sentinelonethreatanalystverdict": "False positive"},
            [
                (VERDICT_PATH, verdict_body("false_positive")),
                (NOTE_PATH, note_body("XSOAR - Updated the threat analyst verdict to False positive")),
                (STATUS_PATH, status_body("resolved")),
                (NOTE_PATH, note_body("XSOAR - Marked as resolved")),
            ],
        ),
        ({"analystVerdict": "", "incidentStatus": None, "runStatus": "done"}, []),
    ],
)
def test_changed_verdict_and_status_go_to_the_threat(requests_mock, client_v21, platform, delta, expected):
    """
    Given a changed verdict and/or status under the outgoing mapper's names or the incident fields' names
    When update-remote-system runs
    Then the verdict goes first, then the status, as API values, each followed by its audit note (on by default);
    cleared fields send nothing; the remote ID comes back.
    """
    affected(requests_mock, VERDICT_V21, STATUS_V21, NOTE_V21)
    assert update(client_v21, delta=delta) == THREAT_ID
    assert [(path, body) for _method, path, body in sent(requests_mock)] == expected


def test_changed_verdict_and_status_go_to_the_alert(requests_mock, client_v21, platform):
    """
    Given an alert incident whose verdict and status changed
    When update-remote-system runs
    Then the alert endpoints get them, and the alert's remote ID comes back.
    """
    affected(requests_mock, ALERT_VERDICT_V21, ALERT_STATUS_V21)
    delta = {"sentinelonealertanalystverdict": "Suspicious", "sentinelonealertstatus": "Unresolved"}
    assert update(client_v21, f"alert:{ALERT_ID}", delta=json.dumps(delta)) == f"alert:{ALERT_ID}"
    assert sent(requests_mock) == [
        ("POST", "/web/api/v2.1/cloud-detection/alerts/analyst-verdict", verdict_body("suspicious", ALERT_ID)),
        ("POST", "/web/api/v2.1/cloud-detection/alerts/incident", status_body("unresolved", ALERT_ID)),
    ]


def test_mirrored_entries_become_threat_notes(requests_mock, client_v21, platform):
    """
    Given entries tagged for mirroring: one with its author, one without, one empty, one that came from SentinelOne
    When update-remote-system runs for an unchanged incident
    Then each entry with text, except the one from SentinelOne, becomes a SentinelOne note marked as from XSOAR.
    """
    affected(requests_mock, NOTE_V21)
    entries = [
        {"id": "1@1", "contents": "Escalated to tier 2", "user": "admin", "tags": ["comment"]},
        {"id": "2@1", "contents": "Host reimaged", "tags": ["comment"]},
        {"id": "3@1", "contents": "  ", "tags": ["comment"]},
        {"id": "4@1", "contents": "**SentinelOne note** by Jane (2024-03-26):\n\nfrom S1", "tags": ["comment"]},
    ]
    assert update(client_v21, incidentChanged=False, delta={"analystVerdict": "True positive"}, entries=entries) == THREAT_ID
    assert sent(requests_mock) == [
        ("POST", "/web/api/v2.1/threats/notes", note_body("[Cortex XSOAR] admin: Escalated to tier 2")),
        ("POST", "/web/api/v2.1/threats/notes", note_body("[Cortex XSOAR] Host reimaged")),
    ]


def test_alert_entries_are_not_sent_because_alerts_have_no_notes(requests_mock, client_v21, platform, mocker):
    """
    Given an alert incident with an entry tagged for mirroring
    When update-remote-system runs
    Then no request is sent and the log says why.
    """
    info = mocker.patch.object(demisto, "info")
    assert update(client_v21, f"alert:{ALERT_ID}", entries=[{"contents": "look here", "user": "admin"}]) == f"alert:{ALERT_ID}"
    assert requests_mock.request_history == []
    info.assert_called_once_with(f"[SentinelOne] mirroring: 1 note(s) for alert:{ALERT_ID} not sent: alerts have no notes")


@pytest.mark.parametrize(
    "close_reason, delta, verdict_calls",
    [
        ("False Positive", {}, [verdict_body("false_positive")]),
        ("Resolved", {}, [verdict_body("true_positive")]),
        ("Duplicate", {}, []),
        ("Other", {}, []),
        ("False Positive", {"analystVerdict": "Suspicious"}, [verdict_body("suspicious")]),
    ],
)
def test_closing_with_close_out_resolves_the_threat(requests_mock, client_v21, platform, close_reason, delta, verdict_calls):
    """
    Given close_out and an XSOAR incident closed with a close reason (and maybe a verdict chosen by the analyst)
    When update-remote-system runs
    Then the verdict is the analyst's, else the one the reason stands for (none for Duplicate/Other), the threat is
    resolved, and a note records the close reason and notes.
    """
    platform.params["close_out"] = True
    platform.params["mirror_audit_notes"] = "false"
    affected(requests_mock, VERDICT_V21, STATUS_V21, NOTE_V21)
    data = {"closeReason": close_reason, "closeNotes": "Confirmed with the user."}
    update(client_v21, status=2, delta=delta, data=data)
    expected = [(VERDICT_PATH, body) for body in verdict_calls] + [
        (STATUS_PATH, status_body("resolved")),
        (
            NOTE_PATH,
            note_body(f"[Cortex XSOAR] Incident closed. Close reason: {close_reason}. Close notes: Confirmed with the user."),
        ),
    ]
    assert [(path, body) for _method, path, body in sent(requests_mock)] == expected


def test_closing_with_close_out_leaves_the_audit_trail_and_the_close_notes_once(requests_mock, client_v21, platform):
    """
    Given close_out, audit notes on (the default) and an XSOAR incident closed as False Positive with close notes
    When update-remote-system runs
    Then each change is followed by its audit note, and the close notes go to SentinelOne once, in the audit note of
    the resolve (as the public pack writes it); the closing note gives the close reason.
    """
    platform.params["close_out"] = True
    affected(requests_mock, VERDICT_V21, STATUS_V21, NOTE_V21)
    update(client_v21, status=2, data={"closeReason": "False Positive", "closeNotes": "Confirmed with the user."})
    assert [(path, body) for _method, path, body in sent(requests_mock)] == [
        (VERDICT_PATH, verdict_body("false_positive")),
        (NOTE_PATH, note_body("XSOAR - Updated the threat analyst verdict to False positive")),
        (STATUS_PATH, status_body("resolved")),
        (NOTE_PATH, note_body("XSOAR - Marked as resolved\nConfirmed with the user.")),
        (NOTE_PATH, note_body("[Cortex XSOAR] Incident closed. Close reason: False Positive.")),
    ]


def test_a_resolve_without_close_out_carries_the_close_notes_in_its_audit_note(requests_mock, client_v21, platform):
    """
    Given close_out off and a closed XSOAR incident whose status field was set to Resolved, with close notes
    When update-remote-system runs
    Then the threat is resolved and the audit note says so followed by the close notes, as the public pack writes it.
    """
    affected(requests_mock, STATUS_V21, NOTE_V21)
    update(client_v21, status=2, delta={"incidentStatus": "Resolved", "closeNotes": "Reimaged."})
    assert [(path, body) for _method, path, body in sent(requests_mock)] == [
        (STATUS_PATH, status_body("resolved")),
        (NOTE_PATH, note_body("XSOAR - Marked as resolved\nReimaged.")),
    ]


@pytest.mark.parametrize("value", [False, "false"])
def test_audit_notes_can_be_turned_off(requests_mock, client_v21, platform, value):
    """
    Given the mirror_audit_notes parameter off (a boolean or the text the platform may send)
    When update-remote-system sends a verdict and a status
    Then no audit note is written.
    """
    platform.params["mirror_audit_notes"] = value
    affected(requests_mock, VERDICT_V21, STATUS_V21, NOTE_V21)
    update(client_v21, delta={"analystVerdict": "Suspicious", "incidentStatus": "In progress"})
    assert [path for _method, path, _body in sent(requests_mock)] == [VERDICT_PATH, STATUS_PATH]


def test_alerts_get_no_audit_notes(requests_mock, client_v21, platform):
    """
    Given an alert incident whose verdict changed and audit notes on
    When update-remote-system runs
    Then only the verdict is sent: the cloud-detection alert API has no note endpoint.
    """
    affected(requests_mock, ALERT_VERDICT_V21)
    update(client_v21, f"alert:{ALERT_ID}", delta={"analystVerdict": "Suspicious"})
    assert [path for _method, path, _body in sent(requests_mock)] == ["/web/api/v2.1/cloud-detection/alerts/analyst-verdict"]


def test_a_change_the_console_did_not_accept_leaves_no_audit_note(requests_mock, client_v21, platform):
    """
    Given the console answering affected 0 to the status change
    When update-remote-system runs
    Then it fails, and no audit note claims the change.
    """
    requests_mock.post(STATUS_V21, json={"data": {"affected": 0}})
    affected(requests_mock, NOTE_V21)
    with pytest.raises(DemistoException):
        update(client_v21, delta={"incidentStatus": "Resolved"})
    assert [path for _method, path, _body in sent(requests_mock)] == [STATUS_PATH]


def test_closing_without_close_out_sends_only_field_changes(requests_mock, client_v21, platform):
    """
    Given close_out off and an XSOAR incident closed as False Positive
    When update-remote-system runs
    Then nothing is resolved in SentinelOne; only the fields that changed are sent.
    """
    affected(requests_mock, STATUS_V21, NOTE_V21)
    update(client_v21, status="2", delta={"incidentStatus": "In progress"}, data={"closeReason": "False Positive"})
    assert sent(requests_mock) == [
        ("POST", STATUS_PATH, status_body("in_progress")),
        ("POST", NOTE_PATH, note_body("XSOAR - Updated the threat status to In progress")),
    ]


def test_an_unknown_value_is_an_error_before_any_request(requests_mock, client_v21, platform):
    """
    Given a verdict value SentinelOne does not know
    When update-remote-system runs
    Then it fails naming the field and the values it accepts, and sends nothing.
    """
    with pytest.raises(ValueError) as error:
        update(client_v21, delta={"analystVerdict": "Maybe"})
    assert str(error.value) == "analystVerdict: expected one of True positive, False positive, Suspicious, Undefined, got 'Maybe'"
    assert requests_mock.request_history == []


def test_an_update_that_changes_nothing_in_sentinelone_is_an_error(requests_mock, client_v21, platform):
    """
    Given the console answering affected 0 (the threat is gone or out of scope)
    When update-remote-system sends a verdict
    Then it fails naming the threat and the change.
    """
    requests_mock.post(VERDICT_V21, json={"data": {"affected": 0}})
    with pytest.raises(DemistoException) as error:
        update(client_v21, delta={"analystVerdict": "True positive"})
    assert str(error.value) == (
        f"SentinelOne did not set the analyst verdict true_positive of threat {THREAT_ID}: no threat matched "
        "(deleted, or outside the API token's scope)."
    )


def test_api_errors_of_update_remote_system_surface(requests_mock, client_v21, platform):
    """
    Given the console failing the status update
    When update-remote-system runs
    Then the error is raised, not logged away.
    """
    requests_mock.post(STATUS_V21, status_code=400, json={"errors": [{"code": 4000010, "title": "Validation Error"}]})
    with pytest.raises(s1.S1ApiError, match=r"^SentinelOne API error \[400\]: Validation Error$"):
        update(client_v21, delta={"incidentStatus": "Resolved"})


def run_update_main(mocker, args: dict[str, Any], api_version: str) -> list[Any]:
    """main() for update-remote-system, which returns the remote ID: every result it handed to the platform."""
    mocker.patch.object(
        demisto, "params", return_value={"url": CONSOLE, "credentials": {"password": TOKEN}, "api_version": api_version}
    )
    mocker.patch.object(demisto, "command", return_value="update-remote-system")
    mocker.patch.object(demisto, "args", return_value={"remoteId": THREAT_ID, "data": {}, "entries": [], "status": 1, **args})
    results = mocker.patch.object(demisto, "results")
    try:
        s1.main()
    except SystemExit:  # return_error
        pass
    return [call.args[0] for call in results.call_args_list]


@pytest.mark.parametrize(
    "args",
    [{"incidentChanged": False, "delta": {}}, {"incidentChanged": True, "delta": {"runStatus": "done"}}],
    ids=["unchanged", "no mirrored field changed"],
)
def test_update_remote_system_on_api_20_without_a_change_returns_the_remote_id(mocker, requests_mock, args):
    """
    Given API version 2.0 (no verdict, status or note endpoints) and an incident with nothing to send out
    When the platform runs update-remote-system, as it does for every mirrored incident
    Then the remote ID comes back, with no error and no request.
    """
    assert run_update_main(mocker, args, "2.0") == [THREAT_ID]
    assert requests_mock.request_history == []


@pytest.mark.parametrize(
    "args",
    [
        {"incidentChanged": True, "delta": {"analystVerdict": "True positive"}},
        {"incidentChanged": False, "delta": {}, "entries": [{"contents": "look here", "user": "admin"}]},
    ],
    ids=["a verdict", "a note"],
)
def test_update_remote_system_on_api_20_refuses_to_send_a_change(mocker, requests_mock, args):
    """
    Given API version 2.0 and an incident with a verdict or a note to send out
    When the platform runs update-remote-system
    Then it fails saying that outgoing mirroring needs API version 2.1, and sends nothing.
    """
    [entry] = run_update_main(mocker, args, "2.0")
    assert entry["Contents"] == (
        "Failed to execute update-remote-system command. Error: Outgoing mirroring needs API version 2.1: the verdict, "
        "status and note endpoints do not exist in API version 2.0, which this instance uses. Set the API Version "
        "parameter to 2.1, or the mirroring direction to Incoming."
    )
    assert requests_mock.request_history == []


# --- mirror tags set by fetch ---


@freeze_time(NOW)
@pytest.mark.parametrize(
    "params, tags",
    [
        ({"mirror_direction": "Outgoing", "comment_tag": "comment"}, ["comment"]),
        ({"mirror_direction": "Incoming And Outgoing", "comment_tag": "to-s1"}, ["to-s1"]),
        ({"mirror_direction": "None", "comment_tag": "comment"}, None),
        ({"mirror_direction": "Outgoing"}, None),
    ],
)
def test_fetched_incidents_carry_the_note_tag_when_mirroring(client_v21, params, tags):
    """
    Given a mirroring direction and a note entry tag
    When fetch builds an incident
    Then the incident's dbotMirrorTags and rawJSON mirror_tags hold the tag (so that tagged entries are sent out), and
    neither exists without mirroring or without a tag.
    """
    settings = s1.fetch_settings(params, client_v21.api, INSTANCE)
    incident = s1.threat_incident(threat_v21(), settings, client_v21.api)
    assert incident.get("dbotMirrorTags") == tags
    assert json.loads(incident["rawJSON"]).get("mirror_tags") == tags
