"""The newest public pack's endpoints: SHA256 blocklist items, unified exclusions, the threat events export and long
threat timelines."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

import pytest
from sim_api import START, Api, error_of

from s1sim.clock import format_timestamp, parse_timestamp
from s1sim.seed import make_unified_exclusion, scope_fields

SHA1 = "b" * 40
SHA256 = "c" * 64


def restriction(value: str | None = SHA1, sha256: str | None = SHA256, **filter_fields: Any) -> dict[str, Any]:
    data = {"type": "black_hash", "osType": "linux", "description": "IR-7", "source": "XSOAR"}
    data.update({k: v for k, v in (("value", value), ("sha256Value", sha256)) if v is not None})
    return {"data": data, "filter": filter_fields or {"tenant": True}}


# --- restrictions with sha256Value ---


def test_a_blocklist_item_holds_a_sha1_a_sha256_or_both(api: Api) -> None:
    both = api.post("restrictions", restriction()).get_json()["data"][0]
    only_sha256 = api.post("restrictions", restriction(None, "d" * 64)).get_json()["data"][0]

    assert (both["value"], both["sha256Value"]) == (SHA1, SHA256)
    assert (only_sha256["value"], only_sha256["sha256Value"]) == (None, "d" * 64)
    by_sha256 = api.data("restrictions", tenant="true", value__contains=SHA256[:12].upper())
    assert [item["id"] for item in by_sha256] == [both["id"]]
    assert [item["id"] for item in api.data("restrictions", value="d" * 64)] == [only_sha256["id"]]
    assert api.data(f"hashes/{'d' * 64}/verdict") == {"verdict": "malicious"}


def test_a_sha256_already_blocked_in_the_scope_is_already_exists(api: Api) -> None:
    api.post("restrictions", restriction(None, SHA256))

    response = api.post("restrictions", restriction(SHA1, SHA256.upper()))

    assert response.status_code == 400
    assert error_of(response) == {
        "code": 4000030,
        "detail": f"A blocklist item for {SHA256.upper()} (linux) already exists in Global.",
        "title": "Already Exists Error",
    }


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        (restriction(None, "e" * 63), "sha256Value: Must be a SHA256 hash."),
        (restriction(None, None), "value: Missing data for required field (or give sha256Value)."),
        (restriction(siteIds="1,2"), "siteIds: Not a valid list."),  # a body filter takes arrays, not comma strings
    ],
)
def test_blocklist_sha256_validation(api: Api, body: dict[str, Any], detail: str) -> None:
    assert error_of(api.post("restrictions", body))["detail"] == detail


def test_sha256_items_in_every_scope_level_are_listed_by_their_scope(api: Api) -> None:
    account = next(iter(api.store.accounts))
    site = next(iter(api.store.sites))
    group = next(iter(api.store.groups))
    created = {
        level: api.post("restrictions", restriction(None, SHA256, **scope)).get_json()["data"][0]["id"]
        for level, scope in (
            ("global", {"tenant": True}),
            ("account", {"accountIds": [account]}),
            ("site", {"siteIds": [site]}),
            ("group", {"groupIds": [group]}),
        )
    }

    def ids(**params: str) -> list[str]:
        return [item["id"] for item in api.data("restrictions", value__contains=SHA256, **params)]

    assert ids(tenant="true") == [created["global"]]
    assert ids(tenant="false", accountIds=account) == [created["account"]]
    assert ids(tenant="false", siteIds=site, groupIds=group) == [created["site"], created["group"]]
    assert sorted(ids()) == sorted(created.values())
    deleted = api.delete("restrictions", {"data": {"ids": list(created.values()), "type": "black_hash"}}).get_json()
    assert deleted == {"data": {"affected": 4}}


def test_seeded_tenant_has_a_sha256_blocklist_item(api: Api) -> None:
    seeded = [item for item in api.store.restrictions.values() if item["sha256Value"]]
    assert [(item["value"], item["osType"], item["scopeName"]) for item in seeded] == [(None, "linux", "Global")]


# --- unified exclusions ---

AN_EXCLUSION = {
    "exclusionName": "Backup agent",
    "type": "path",
    "value": "C:\\Tools\\backup.exe",
    "osType": "windows",
    "modeType": "suppression",
    "reason": "performance_issue",
    "description": "IR-7",
}


def test_unified_exclusion_create_list_and_delete(api: Api) -> None:
    site = next(iter(api.store.sites.values()))
    response = api.post(
        "unified-exclusions", {"data": AN_EXCLUSION, "filter": {"scopeLevel": "site", "scopeLevelId": site["id"]}}
    )

    created = response.get_json()["data"]
    assert isinstance(created, list) and len(created) == 1  # the console answers a list even for one item
    item = created[0]
    assert {key: item[key] for key in AN_EXCLUSION} == AN_EXCLUSION
    assert (item["pathExclusionType"], item["threatType"], item["engines"], item["sha256Value"]) == (
        "file",
        "EDR",
        "suppress",
        None,
    )
    assert (item["scopeName"], item["createdAt"]) == (site["name"], "2024-05-01T12:00:00.000000Z")
    listed = api.data("unified-exclusions", exclusionName__contains="backup", siteIds=site["id"], tenant="false")
    assert [entry["id"] for entry in listed] == [item["id"]]

    wrong_type = api.delete("unified-exclusions", {"data": {"exclusions": [{"id": item["id"], "type": "certificate"}]}})
    assert wrong_type.get_json() == {"data": {"affected": 0}}
    deleted = api.delete("unified-exclusions", {"data": {"exclusions": [{"id": item["id"], "type": "path"}]}})
    assert deleted.get_json() == {"data": {"affected": 1}}
    assert api.data("unified-exclusions", exclusionName__contains="backup", siteIds=site["id"], tenant="false") == []


def test_unified_exclusion_global_sha256_hash(api: Api) -> None:
    body = {"data": {**AN_EXCLUSION, "type": "white_hash", "value": SHA256, "osType": "linux"}, "filter": {"tenant": True}}
    item = api.post("unified-exclusions", body).get_json()["data"][0]

    assert (item["value"], item["sha256Value"], item["scopeName"], item["pathExclusionType"]) == (None, SHA256, "Global", None)
    assert [e["id"] for e in api.data("unified-exclusions", value__contains=SHA256[:8])] == [item["id"]]
    assert [e["id"] for e in api.data("unified-exclusions", query=SHA256[-12:].upper())] == [item["id"]]
    again = api.post("unified-exclusions", body)
    assert (again.status_code, error_of(again)["code"]) == (400, 4000030)


def test_unified_exclusions_filters(api: Api) -> None:
    seeded = list(api.store.unified_exclusions.values())
    assert sorted(item["type"] for item in seeded) == ["certificate", "path", "path"]

    def names(**params: str) -> list[str]:
        return [item["exclusionName"] for item in api.data("unified-exclusions", limit="100", **params)]

    assert names(types="certificate") == ["Signed tools"]
    assert names(osTypes="linux") == ["Build cache"]
    assert names(types="PATH", osTypes="windows,linux") == ["Backup agent", "Build cache"]
    assert names(modeTypes="performance") == ["Build cache"]
    assert names(tenant="true") == ["Signed tools"]


def test_unified_exclusions_walk_past_1000_with_the_cursor(api: Api) -> None:
    store = api.store
    site = next(iter(store.sites))
    for number in range(1500):
        make_unified_exclusion(
            store,
            {"exclusionName": f"bulk {number}", "type": "file_type", "value": f"EXT{number}", "osType": "windows",
             "modeType": "suppression"},
            scope_fields(store, site_ids=[site]),
            START - timedelta(seconds=number),
        )  # fmt: skip

    first = api.get("unified-exclusions", limit="1000", exclusionName__contains="bulk").get_json()
    assert (len(first["data"]), first["pagination"]["totalItems"]) == (1000, 1500)
    walked = api.walk("unified-exclusions", limit="1000", exclusionName__contains="bulk")
    assert sorted(item["exclusionName"] for item in walked) == sorted(f"bulk {n}" for n in range(1500))


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"data": {**AN_EXCLUSION, "modeType": "suppress"}, "filter": {"tenant": True}},
         "modeType: Must be one of: suppression, interoperability, performance."),
        ({"data": {**AN_EXCLUSION, "type": "registry"}, "filter": {"tenant": True}},
         "type: Must be one of: path, certificate, browser, file_type, white_hash."),
        ({"data": {**AN_EXCLUSION, "exclusionName": ""}, "filter": {"tenant": True}},
         "exclusionName: Missing data for required field."),
        ({"data": AN_EXCLUSION, "filter": {"scopeLevel": "site", "scopeLevelId": "1"}},
         "scopeLevelId: 1 is not a valid site id."),
        ({"data": AN_EXCLUSION, "filter": {"scopeLevel": "tenant"}}, "scopeLevel: Must be one of: account, site, group."),
        ({"data": AN_EXCLUSION, "filter": {"siteIds": ["1"]}}, "siteIds: Unknown field."),
        ({"data": AN_EXCLUSION, "filter": {}}, "filter: Give tenant=true or scopeLevel with scopeLevelId."),
        ({"data": {**AN_EXCLUSION, "type": "browser", "pathExclusionType": "file"}, "filter": {"tenant": True}},
         "pathExclusionType: Only valid for path exclusions."),
    ],
)  # fmt: skip
def test_unified_exclusion_validation(api: Api, body: dict[str, Any], detail: str) -> None:
    assert error_of(api.post("unified-exclusions", body))["detail"] == detail


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ({"data": {"ids": ["1"]}}, "exclusions: Missing data for required field."),
        ({"data": {"exclusions": [{"id": "1"}]}}, "exclusions: Each item needs an id and a type."),
        ({"data": {"exclusions": [{"id": "1", "type": "hash"}]}},
         "type: Must be one of: path, certificate, browser, file_type, white_hash."),
    ],
)  # fmt: skip
def test_unified_exclusion_delete_validation(api: Api, body: dict[str, Any], detail: str) -> None:
    assert error_of(api.delete("unified-exclusions", body))["detail"] == detail


def test_unified_exclusions_are_2_1_only(api: Api) -> None:
    assert api.get("unified-exclusions", "2.0").status_code == 404


# --- threat events export ---


def first_threat(api: Api) -> dict[str, Any]:
    return api.data("threats", limit="1", sortBy="createdAt", sortOrder="asc")[0]


def test_events_export_is_a_json_file_download(api: Api) -> None:
    threat = first_threat(api)
    response = api.get(f"export/threats/{threat['id']}/explore/events", format="json", eventTypes="events")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == f'attachment; filename="threat_{threat["id"]}_events.json"'
    events = json.loads(response.data)
    assert isinstance(events, list) and events  # the file itself: no {"data": ...} envelope
    assert {(e["agentId"], e["storyline"], e["relatedToThreat"]) for e in events} == {
        (threat["agentRealtimeInfo"]["agentId"], threat["threatInfo"]["storyline"], "True")
    }
    assert all(e["createdAt"] <= threat["threatInfo"]["createdAt"] for e in events)
    again = api.get(f"export/threats/{threat['id']}/explore/events", format="json", eventTypes="events")
    assert again.data == response.data  # deterministic


def test_events_export_narrowed_by_type_and_as_csv(api: Api) -> None:
    threat = first_threat(api)
    path = f"export/threats/{threat['id']}/explore/events"
    every = json.loads(api.get(path, format="json").data)
    processes = json.loads(api.get(path, format="json", eventTypes="process").data)
    assert processes == [event for event in every if event["objectType"] == "process"]

    response = api.get(path, format="CSV", eventTypes="events")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode())))
    assert [row["id"] for row in rows] == [event["id"] for event in every]


@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({}, 400, "format: Must be one of: json, csv."),
        ({"format": "xml"}, 400, "format: Must be one of: json, csv."),
        ({"format": "json", "eventTypes": "kernel"}, 400,
         "eventTypes: Must be one of: events, process, file, ip, dns, url, registry."),
        ({"format": "json", "limit": "10"}, 400, "limit: Unknown field."),
    ],
)  # fmt: skip
def test_events_export_validation(api: Api, params: dict[str, str], status: int, detail: str) -> None:
    response = api.get(f"export/threats/{first_threat(api)['id']}/explore/events", params=params)
    assert (response.status_code, error_of(response)["detail"]) == (status, detail)


def test_events_export_of_an_unknown_threat_and_on_2_0(api: Api) -> None:
    response = api.get("export/threats/1/explore/events", format="json")
    assert (response.status_code, error_of(response)["detail"]) == (404, "Threat 1 does not exist")
    threat = first_threat(api)
    assert api.get(f"export/threats/{threat['id']}/explore/events", "2.0", format="json").status_code == 404


# --- long threat timelines ---


def test_a_threat_timeline_of_thousands_of_items_walks_whole_with_the_cursor(api: Api) -> None:
    threat = first_threat(api)
    before = len(api.walk(f"threats/{threat['id']}/timeline", limit="1000"))
    response = api.client.post(f"/_sim/threats/{threat['id']}/timeline", json={"count": 2500})
    assert response.get_json() == {"added": 2500, "total": before + 2500}

    pages = []
    cursor = None
    while True:
        params = {"limit": "1000", "sortBy": "createdAt", "sortOrder": "asc", **({"cursor": cursor} if cursor else {})}
        payload = api.get(f"threats/{threat['id']}/timeline", params=params).get_json()
        pages.append(payload["data"])
        cursor = payload["pagination"]["nextCursor"]
        if cursor is None:
            break
    items = [item for page in pages for item in page]
    assert [len(page) for page in pages] == [1000, 1000, before + 500]
    assert len({item["id"] for item in items}) == len(items) == before + 2500  # each item once
    assert [item["createdAt"] for item in items] == sorted(item["createdAt"] for item in items)
    added = [item for item in items if item["activityType"] == 90]
    assert added[0]["createdAt"] == format_timestamp(
        parse_timestamp(threat["threatInfo"]["createdAt"]) + timedelta(milliseconds=1)
    )
    assert added[-1]["data"] == {"sequence": 2500}


class Untouchable(dict):
    """The tenant's activities, which a timeline page must not scan."""

    def values(self):  # type: ignore[override]
        raise AssertionError("a timeline page scanned every activity of the tenant")


def test_a_timeline_page_reads_its_threats_activities_not_the_tenants(api: Api) -> None:
    threat = first_threat(api)
    api.client.post(f"/_sim/threats/{threat['id']}/timeline", json={"count": 30})
    expected = sorted(item["id"] for item in api.store.activities.values() if item["threatId"] == threat["id"])
    api.store.activities = Untouchable(api.store.activities)

    items = api.walk(f"threats/{threat['id']}/timeline", limit="1000")
    total = api.client.post(f"/_sim/threats/{threat['id']}/timeline", json={"count": 1}).get_json()["total"]

    assert sorted(item["id"] for item in items) == expected
    assert total == len(expected) + 1
