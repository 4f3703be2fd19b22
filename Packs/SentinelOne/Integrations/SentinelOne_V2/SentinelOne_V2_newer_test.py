"""Unit tests of the newest public pack's commands: unified exclusions (get, create, delete) and the threat exports
(events, full timeline): the exact requests, the exact context and files, and the input refused before any request."""

import gc
import io
import json
import weakref
from pathlib import Path
from typing import Any

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
import yaml

from conftest import BASE_V21, context, load_fixture, readable, sent
from conftest import dispatch as run

THREAT = "1913907436417364744"
SITE = "475482421366727779"
ACCOUNT = "433241117337583618"
EXCLUSION_1, EXCLUSION_2, EXCLUSION_3 = "1913980000000000001", "1913980000000000002", "1913980000000000003"
SHA256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
KEY = "SentinelOne.UnifiedExclusion(val.ID && val.ID == obj.ID)"
YAML_COMMANDS = {
    command["name"]: command
    for command in yaml.safe_load((Path(__file__).parent / "SentinelOne_V2.yml").read_text(encoding="utf-8"))["script"][
        "commands"
    ]
}


@pytest.fixture(autouse=True)
def files_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Exports write into the current directory: keep every test's files in its own folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def file_of(entry: dict[str, Any]) -> bytes:
    assert entry["Type"] == 3
    return Path(f"{demisto.investigation()['id']}_{entry['FileID']}").read_bytes()


def yaml_defaults(command: str) -> dict[str, str]:
    return {a["name"]: a["defaultValue"] for a in YAML_COMMANDS[command].get("arguments") or [] if "defaultValue" in a}


# --- get-unified-exclusions ---


def test_get_unified_exclusions_sends_every_filter(requests_mock):
    """
    Given every filter of sentinelone-get-unified-exclusions
    When it runs against a console answering one page
    Then one GET unified-exclusions carries the name, types, OS types and scope ids (lists comma-joined), the cursor
    and the limit.
    """
    requests_mock.get(f"{BASE_V21}unified-exclusions", json=load_fixture("newer/unified_exclusions.json"))
    run(
        "sentinelone-get-unified-exclusions",
        {
            "name_contains": "Backup",
            "exclusion_types": "path, WHITE_HASH",
            "os_types": "windows,linux",
            "site_ids": SITE,
            "group_ids": "1600000000000000001",
            "account_ids": ACCOUNT,
            "cursor": "Y3Vyc29y",
            "limit": "20",
        },
    )
    assert [sent(r) for r in requests_mock.request_history] == [
        (
            "GET",
            "unified-exclusions",
            {
                "exclusionName__contains": "Backup",
                "types": "path,white_hash",
                "osTypes": "windows,linux",
                "siteIds": SITE,
                "groupIds": "1600000000000000001",
                "accountIds": ACCOUNT,
                "cursor": "Y3Vyc29y",
                "limit": "20",
            },
            None,
        )
    ]


def test_get_unified_exclusions_context(requests_mock):
    """
    Given a path exclusion and a SHA256 hash exclusion (its value in sha256Value)
    When sentinelone-get-unified-exclusions runs with its YAML defaults
    Then the request asks for the YAML's default limit only, and both exclusions are SentinelOne.UnifiedExclusion
    entries keyed by ID, nulls left out, the hash exclusion's Value its SHA256.
    """
    requests_mock.get(f"{BASE_V21}unified-exclusions", json=load_fixture("newer/unified_exclusions.json"))
    result = run("sentinelone-get-unified-exclusions", yaml_defaults("sentinelone-get-unified-exclusions"))
    assert sent(requests_mock.request_history[0])[2] == {"limit": "50"}
    assert context(result) == {
        KEY: [
            {
                "ID": EXCLUSION_1,
                "Name": "Backup agent",
                "Type": "path",
                "Value": "C:\\Program Files\\Backup Agent\\agent.exe",
                "OsType": "windows",
                "ModeType": "suppression",
                "PathExclusionType": "file",
                "ThreatType": "EDR",
                "Engines": "suppress",
                "Reason": "performance_issue",
                "Description": "Backup agent binary",
                "Source": "user",
                "ScopeName": "Acme Corp",
                "ScopePath": "Global\\Acme Corp",
                "UserName": "Sim Analyst",
                "CreatedAt": "2024-04-01T10:00:00.000000Z",
                "UpdatedAt": "2024-04-02T10:00:00.000000Z",
            },
            {
                "ID": EXCLUSION_2,
                "Name": "Build tool",
                "Type": "white_hash",
                "Value": SHA256,
                "OsType": "linux",
                "ModeType": "suppression",
                "ThreatType": "EDR",
                "Engines": "suppress",
                "Source": "user",
                "ScopeName": "Global",
                "ScopePath": "Global",
                "UserName": "Sim Analyst",
                "CreatedAt": "2024-04-03T10:00:00.000000Z",
                "UpdatedAt": "2024-04-03T10:00:00.000000Z",
            },
        ]
    }


def test_get_unified_exclusions_follows_the_cursor_past_1000_and_returns_the_next_one(requests_mock):
    """
    Given limit=1500 and a console with more than that
    When sentinelone-get-unified-exclusions runs
    Then it reads a page of 1,000 then one of 500 with the cursor, writes 1,500 entries and the cursor to continue from.
    """
    items = [{"id": str(1913980000000100000 + n), "exclusionName": f"e{n}", "type": "path"} for n in range(1500)]
    requests_mock.get(
        f"{BASE_V21}unified-exclusions",
        [
            {"json": {"data": items[:1000], "pagination": {"nextCursor": "c1", "totalItems": 2000}}},
            {"json": {"data": items[1000:], "pagination": {"nextCursor": "c2", "totalItems": 2000}}},
        ],
    )
    result = run("sentinelone-get-unified-exclusions", {"limit": "1500"})
    assert [sent(r)[2] for r in requests_mock.request_history] == [{"limit": "1000"}, {"limit": "500", "cursor": "c1"}]
    outputs = context(result)
    assert [entry["ID"] for entry in outputs[KEY]] == [item["id"] for item in items]
    assert outputs["SentinelOne.Cursor.UnifiedExclusion"] == "c2"
    assert "More results are available: use cursor=c2" in readable(result)


# --- create-unified-exclusion ---

AN_EXCLUSION = {
    "exclusion_name": "Backup agent",
    "exclusion_type": "path",
    "value": "C:\\Program Files\\Backup Agent\\agent.exe",
    "os_type": "windows",
    "mode_type": "suppression",
    "scope_level": "site",
    "scope_level_id": SITE,
}


@pytest.mark.parametrize(
    "args, data, body_filter",
    [
        pytest.param(
            {**AN_EXCLUSION, "reason": "performance_issue", "description": "Backup agent binary", "path_exclusion_type": "file"},
            {
                "exclusionName": "Backup agent",
                "type": "path",
                "value": "C:\\Program Files\\Backup Agent\\agent.exe",
                "osType": "windows",
                "modeType": "suppression",
                "pathExclusionType": "file",
                "reason": "performance_issue",
                "description": "Backup agent binary",
            },
            {"scopeLevel": "site", "scopeLevelId": SITE},
            id="path exclusion for a site",
        ),
        pytest.param(
            {
                **AN_EXCLUSION,
                "exclusion_type": "White_Hash",
                "value": SHA256,
                "os_type": "LINUX",
                "mode_type": "Performance",
                "scope_level": "global",
                "scope_level_id": "",
                "reason": "vendor_request",  # not a suggested reason: passed through
            },
            {
                "exclusionName": "Backup agent",
                "type": "white_hash",
                "value": SHA256,
                "osType": "linux",
                "modeType": "performance",
                "reason": "vendor_request",
            },
            {"tenant": True},
            id="hash exclusion for the whole tenant",
        ),
        pytest.param(
            {**AN_EXCLUSION, "mode_type": "detection_only"},  # not a suggested mode type: passed through
            {
                "exclusionName": "Backup agent",
                "type": "path",
                "value": AN_EXCLUSION["value"],
                "osType": "windows",
                "modeType": "detection_only",
            },
            {"scopeLevel": "site", "scopeLevelId": SITE},
            id="a mode type beyond the suggested ones",
        ),
    ],
)
def test_create_unified_exclusion_sends_one_post(requests_mock, args, data, body_filter):
    """
    Given a unified exclusion's arguments (closed sets matched case-insensitively, an open reason and mode type)
    When sentinelone-create-unified-exclusion runs
    Then one POST unified-exclusions carries the exclusion in `data` and its scope in `filter`.
    """
    requests_mock.post(f"{BASE_V21}unified-exclusions", json=load_fixture("newer/unified_exclusion_created.json"))
    run("sentinelone-create-unified-exclusion", args)
    assert [sent(r) for r in requests_mock.request_history] == [
        ("POST", "unified-exclusions", {}, {"data": data, "filter": body_filter})
    ]


def test_create_unified_exclusion_returns_the_first_item_of_the_answer(requests_mock):
    """
    Given the console's answer: a list holding the created exclusion
    When sentinelone-create-unified-exclusion runs
    Then the context is that one exclusion (a single entry, not a list), keyed by ID.
    """
    requests_mock.post(f"{BASE_V21}unified-exclusions", json=load_fixture("newer/unified_exclusion_created.json"))
    result = run("sentinelone-create-unified-exclusion", AN_EXCLUSION)
    assert context(result) == {
        KEY: {
            "ID": "1913980000000000009",
            "Name": "Backup agent",
            "Type": "path",
            "Value": "C:\\Program Files\\Backup Agent\\agent.exe",
            "OsType": "windows",
            "ModeType": "suppression",
            "PathExclusionType": "file",
            "ThreatType": "EDR",
            "Engines": "suppress",
            "Reason": "performance_issue",
            "Description": "Backup agent binary",
            "Source": "user",
            "ScopeName": "Acme HQ",
            "ScopePath": "Global\\Acme Corp\\Acme HQ",
            "UserName": "Sim Analyst",
            "CreatedAt": "2024-05-01T12:00:00.000000Z",
            "UpdatedAt": "2024-05-01T12:00:00.000000Z",
        }
    }


def test_create_unified_exclusion_answer_without_the_item_fails(requests_mock):
    """
    Given a console answer with an empty list
    When sentinelone-create-unified-exclusion runs
    Then the command fails and tells the analyst to look before retrying.
    """
    requests_mock.post(f"{BASE_V21}unified-exclusions", json={"data": []})
    with pytest.raises(s1.DemistoException) as failure:
        run("sentinelone-create-unified-exclusion", AN_EXCLUSION)
    assert str(failure.value) == (
        "SentinelOne answered without the created unified exclusion; check the exclusions list before retrying."
    )


# --- delete-unified-exclusions ---


def test_delete_unified_exclusions_pairs_ids_and_types_in_one_request(requests_mock):
    """
    Given three IDs with their types (one pair repeated)
    When sentinelone-delete-unified-exclusions runs and the console deletes all of them
    Then one DELETE carries each (id, type) pair once, in order, and each ID is reported deleted with the count.
    """
    requests_mock.delete(f"{BASE_V21}unified-exclusions", json={"data": {"affected": 3}})
    result = run(
        "sentinelone-delete-unified-exclusions",
        {
            "ids": f"{EXCLUSION_1},{EXCLUSION_2},{EXCLUSION_1},{EXCLUSION_3}",
            "exclusion_types": "path, white_hash, path, Certificate",
        },
    )
    assert [sent(r) for r in requests_mock.request_history] == [
        (
            "DELETE",
            "unified-exclusions",
            {},
            {
                "data": {
                    "exclusions": [
                        {"id": EXCLUSION_1, "type": "path"},
                        {"id": EXCLUSION_2, "type": "white_hash"},
                        {"id": EXCLUSION_3, "type": "certificate"},
                    ]
                }
            },
        )
    ]
    assert context(result) == {
        KEY: [{"ID": EXCLUSION_1, "Deleted": True}, {"ID": EXCLUSION_2, "Deleted": True}, {"ID": EXCLUSION_3, "Deleted": True}]
    }
    assert "SentinelOne reported 3 of 3 requested unified exclusions affected." in readable(result)


def test_delete_unified_exclusions_partly_done_says_so(requests_mock):
    """
    Given two exclusions and an answer of affected 1
    When they are deleted
    Then neither is claimed deleted (the console does not say which), and the count is reported.
    """
    requests_mock.delete(f"{BASE_V21}unified-exclusions", json={"data": {"affected": 1}})
    result = run("sentinelone-delete-unified-exclusions", {"ids": f"{EXCLUSION_1},{EXCLUSION_2}", "exclusion_types": "path,path"})
    assert context(result) == {KEY: [{"ID": EXCLUSION_1}, {"ID": EXCLUSION_2}]}
    assert "SentinelOne reported 1 of 2 requested unified exclusions affected." in readable(result)


# --- argument errors: named, before any request ---

ARGUMENT_ERRORS = [
    (
        "sentinelone-get-unified-exclusions",
        {"exclusion_types": "path,registry"},
        "exclusion_types: expected one of file_type, path, white_hash, certificate, browser, got 'registry'",
    ),
    (
        "sentinelone-get-unified-exclusions",
        {"os_types": "windows,solaris"},
        "os_types: expected one of windows, windows_legacy, macos, linux, got 'solaris'",
    ),
    ("sentinelone-get-unified-exclusions", {"limit": "10001"}, "limit: expected an integer from 1 to 10000, got '10001'"),
    ("sentinelone-get-unified-exclusions", {"site_ids": "hq"}, "site_ids: expected IDs made of digits only, got 'hq'"),
    ("sentinelone-create-unified-exclusion", {**AN_EXCLUSION, "exclusion_name": ""}, "exclusion_name: this argument is required"),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "exclusion_type": "registry"},
        "exclusion_type: expected one of file_type, path, white_hash, certificate, browser, got 'registry'",
    ),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "os_type": "bsd"},
        "os_type: expected one of windows, windows_legacy, macos, linux, got 'bsd'",
    ),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "scope_level": "tenant"},
        "scope_level: expected one of global, account, site, group, got 'tenant'",
    ),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "scope_level": "account", "scope_level_id": None},
        "scope_level_id: required when scope_level is account (the ID of that account)",
    ),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "scope_level_id": "Acme HQ"},
        "scope_level_id: expected an ID made of digits only, got 'Acme HQ'",
    ),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "scope_level": "global"},
        "scope_level_id: not used with scope_level global (the exclusion applies everywhere)",
    ),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "exclusion_type": "certificate", "path_exclusion_type": "folder"},
        "path_exclusion_type: only used with exclusion_type path, not certificate",
    ),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "path_exclusion_type": "drive"},
        "path_exclusion_type: expected one of file, folder, subfolders, got 'drive'",
    ),
    (
        "sentinelone-create-unified-exclusion",
        {**AN_EXCLUSION, "exclusion_type": "white_hash", "value": "not-a-hash"},
        "value: a white_hash exclusion needs a SHA1 or SHA256 hash in hex, got 'not-a-hash'",
    ),
    (
        "sentinelone-delete-unified-exclusions",
        {"ids": f"{EXCLUSION_1},{EXCLUSION_2}", "exclusion_types": "path"},
        "ids, exclusion_types: give one exclusion type per ID, in the same order (got 2 IDs and 1 types)",
    ),
    (
        "sentinelone-delete-unified-exclusions",
        {"ids": EXCLUSION_1, "exclusion_types": "path,path"},
        "ids, exclusion_types: give one exclusion type per ID, in the same order (got 1 IDs and 2 types)",
    ),
    (
        "sentinelone-delete-unified-exclusions",
        {"ids": EXCLUSION_1, "exclusion_types": "hash"},
        "exclusion_types: expected one of file_type, path, white_hash, certificate, browser, got 'hash'",
    ),
    (
        "sentinelone-delete-unified-exclusions",
        {"ids": "abc", "exclusion_types": "path"},
        "ids: expected IDs made of digits only, got 'abc'",
    ),
    ("sentinelone-delete-unified-exclusions", {"exclusion_types": "path"}, "ids: this argument is required"),
    (
        "sentinelone-delete-unified-exclusions",
        {"ids": f"{EXCLUSION_1},{EXCLUSION_1}", "exclusion_types": "path,browser"},
        f"ids: each ID has one exclusion type, but these are given with two: {EXCLUSION_1}",
    ),
    ("sentinelone-export-threat-events", {}, "threat_id: this argument is required"),
    (
        "sentinelone-export-full-threat-timeline",
        {"threat_id": "12ab"},
        "threat_id: expected an ID made of digits only, got '12ab'",
    ),
]


@pytest.mark.parametrize("command, args, message", ARGUMENT_ERRORS)
def test_bad_arguments_fail_before_any_request(requests_mock, command, args, message):
    """
    Given a value outside a closed set, a malformed ID or hash, or lists that cannot be paired
    When the command runs
    Then it raises a ValueError naming the argument, and sends nothing.
    """
    with pytest.raises(ValueError) as error:
        run(command, args)
    assert str(error.value) == message
    assert requests_mock.call_count == 0


# --- export-threat-events ---


def test_export_threat_events_saves_the_console_export_as_a_json_file(requests_mock, tmp_path):
    """
    Given the console's JSON export of a threat's events (a file download)
    When sentinelone-export-threat-events runs
    Then one GET export/threats/<id>/explore/events asks for JSON events, and the file threats_<id>.json holds the
    exported bytes as they came, with SentinelOne.Export.Events naming it.
    """
    body = json.dumps([{"id": "1", "eventType": "Process Creation"}, {"id": "2", "eventType": "File Creation"}]).encode()
    requests_mock.get(
        f"{BASE_V21}export/threats/{THREAT}/explore/events",
        content=body,
        headers={"Content-Type": "application/json", "Content-Disposition": f'attachment; filename="threat_{THREAT}.json"'},
    )
    result, file_entry = run("sentinelone-export-threat-events", {"threat_id": THREAT})
    assert [sent(r) for r in requests_mock.request_history] == [
        ("GET", f"export/threats/{THREAT}/explore/events", {"format": "json", "eventTypes": "events"}, None)
    ]
    assert file_entry["File"] == f"threats_{THREAT}.json"
    assert file_of(file_entry) == body
    assert context(result) == {
        "SentinelOne.Export.Events(val.ThreatId && val.ThreatId == obj.ThreatId)": {
            "ThreatId": THREAT,
            "Filename": f"threats_{THREAT}.json",
            "Size": len(body),
        }
    }
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"1_{file_entry['FileID']}"]  # no temporary file left


def test_a_failed_events_export_fails_and_leaves_no_file(requests_mock, tmp_path):
    """
    Given a threat the console does not know (404)
    When sentinelone-export-threat-events runs
    Then the command fails with the console's message and no file is left behind.
    """
    requests_mock.get(
        f"{BASE_V21}export/threats/{THREAT}/explore/events",
        status_code=404,
        json={"errors": [{"code": 4040010, "title": "Resource not found", "detail": f"Threat {THREAT} does not exist"}]},
    )
    with pytest.raises(s1.S1ApiError, match=rf"^SentinelOne API error \[404\]: Resource not found: Threat {THREAT} does not"):
        run("sentinelone-export-threat-events", {"threat_id": THREAT})
    assert list(tmp_path.iterdir()) == []


# --- export-full-threat-timeline ---


def timeline_item(n: int) -> dict[str, Any]:
    return {"id": str(1913990000000000000 + n), "activityType": 19, "primaryDescription": f"step {n}", "threatId": THREAT}


def test_export_full_threat_timeline_follows_every_page_and_writes_each_item_once(requests_mock):
    """
    Given a timeline of 2,500 items over three pages, the third repeating the last item of the second
    When sentinelone-export-full-threat-timeline runs
    Then it asks for the oldest items first, 1,000 a page, follows the cursor to the end, and the file
    <id>_timeline.json is one JSON array holding every item once, in order.
    """
    items = [timeline_item(n) for n in range(2500)]
    path = f"{BASE_V21}threats/{THREAT}/timeline"
    requests_mock.get(
        path,
        [
            {"json": {"data": items[:1000], "pagination": {"nextCursor": "t1", "totalItems": 2500}}},
            {"json": {"data": items[1000:2000], "pagination": {"nextCursor": "t2", "totalItems": 2500}}},
            {"json": {"data": items[1999:], "pagination": {"nextCursor": None, "totalItems": 2500}}},
        ],
    )
    result, file_entry = run("sentinelone-export-full-threat-timeline", {"threat_id": THREAT})
    query = {"sortBy": "createdAt", "sortOrder": "asc", "limit": "1000"}
    assert [sent(r) for r in requests_mock.request_history] == [
        ("GET", f"threats/{THREAT}/timeline", query, None),
        ("GET", f"threats/{THREAT}/timeline", {**query, "cursor": "t1"}, None),
        ("GET", f"threats/{THREAT}/timeline", {**query, "cursor": "t2"}, None),
    ]
    content = file_of(file_entry)
    assert file_entry["File"] == f"{THREAT}_timeline.json"
    assert json.loads(content) == items
    assert context(result) == {
        "SentinelOne.Export.Timeline(val.ThreatId && val.ThreatId == obj.ThreatId)": {
            "ThreatId": THREAT,
            "Filename": f"{THREAT}_timeline.json",
            "Items": 2500,
            "Size": len(content),
        }
    }


def test_export_of_an_empty_timeline_is_an_empty_array(requests_mock):
    """
    Given a threat with no timeline items
    When its timeline is exported
    Then the file is an empty JSON array and Items is 0.
    """
    requests_mock.get(f"{BASE_V21}threats/{THREAT}/timeline", json={"data": [], "pagination": {"nextCursor": None}})
    result, file_entry = run("sentinelone-export-full-threat-timeline", {"threat_id": THREAT})
    assert json.loads(file_of(file_entry)) == []
    assert context(result)["SentinelOne.Export.Timeline(val.ThreatId && val.ThreatId == obj.ThreatId)"]["Items"] == 0


def test_a_timeline_beyond_the_page_cap_fails_without_a_partial_file(requests_mock, monkeypatch, tmp_path):
    """
    Given a page cap of 2 and a timeline whose second page still has a next cursor
    When its timeline is exported
    Then the command fails saying so (no silently truncated file), after exactly 2 requests, and leaves no file.
    """
    monkeypatch.setattr(s1, "MAX_PAGES", 2)
    requests_mock.get(
        f"{BASE_V21}threats/{THREAT}/timeline",
        [
            {"json": {"data": [timeline_item(1)], "pagination": {"nextCursor": "t1"}}},
            {"json": {"data": [timeline_item(2)], "pagination": {"nextCursor": "t2"}}},
        ],
    )
    with pytest.raises(s1.DemistoException) as failure:
        run("sentinelone-export-full-threat-timeline", {"threat_id": THREAT})
    assert str(failure.value) == (
        f"The timeline of threat {THREAT} has more than 2 pages of 1000 items: nothing was exported, rather than an "
        "incomplete file."
    )
    assert requests_mock.call_count == 2
    assert list(tmp_path.iterdir()) == []


def test_timeline_pages_are_requested_one_at_a_time(requests_mock, client_v21):
    """
    Given a timeline of three pages
    When the client's page generator is read one page at a time
    Then each page is requested only when asked for.
    """
    requests_mock.get(
        f"{BASE_V21}threats/{THREAT}/timeline",
        [
            {"json": {"data": [timeline_item(1)], "pagination": {"nextCursor": "t1"}}},
            {"json": {"data": [timeline_item(2)], "pagination": {"nextCursor": "t2"}}},
            {"json": {"data": [timeline_item(3)], "pagination": {"nextCursor": None}}},
        ],
    )
    pages = client_v21.threat_timeline_pages(THREAT)
    assert requests_mock.call_count == 0
    counts = []
    for page in pages:
        counts.append((page[0]["id"], requests_mock.call_count))
    assert counts == [(timeline_item(n)["id"], n) for n in (1, 2, 3)]


class Item(dict):
    """A timeline item that can be watched with a weak reference (plain dicts cannot)."""


def test_write_json_array_releases_each_page_before_asking_for_the_next():
    """
    Given 20 pages of 100 items, produced one at a time
    When they are written as one JSON array
    Then, whenever the next page is asked for, no earlier page is still alive: memory holds one page, however many
    pages the export has; and the output is every item, each once.
    """
    alive_when_asked: list[int] = []
    watched: list[weakref.ref] = []

    def pages():
        for number in range(20):
            gc.collect()
            alive_when_asked.append(sum(1 for ref in watched if ref() is not None))
            page = [Item(id=str(number * 100 + n), n=n) for n in range(100)]
            watched.extend(weakref.ref(item) for item in page)
            yield page
            del page

    stream = io.BytesIO()
    assert s1.write_json_array(pages(), stream) == 2000
    assert alive_when_asked == [0] * 20
    assert [item["id"] for item in json.loads(stream.getvalue())] == [str(n) for n in range(2000)]


# --- YAML defaults are the code's ---


@pytest.mark.parametrize(
    "command, path, query",
    [
        (
            "sentinelone-get-blocklist",
            "restrictions",
            {"tenant": "true", "skip": "0", "sortBy": "updatedAt", "sortOrder": "desc", "limit": "1000"},
        ),
        ("sentinelone-get-unified-exclusions", "unified-exclusions", {"limit": "50"}),
    ],
)
def test_a_list_run_without_arguments_sends_the_yaml_defaults(requests_mock, command, path, query):
    """
    Given a list command run once with no arguments and once with exactly its YAML defaults
    When both run
    Then both send the same request: the code's defaults are the YAML's (global=true, limit=1000 for the blocklist).
    """
    requests_mock.get(f"{BASE_V21}{path}", json={"data": [], "pagination": {"nextCursor": None}})
    run(command, {})
    run(command, yaml_defaults(command))
    assert [sent(r)[2] for r in requests_mock.request_history] == [query, query]
