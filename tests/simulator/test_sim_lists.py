"""Exclusions (allow list), restrictions (blocklist) and hash verdicts."""

from __future__ import annotations

from typing import Any

import pytest
from sim_api import Api, error_of

SHA1 = "a" * 40


def blocklist_body(value: str = SHA1, **filter_fields: object) -> dict:
    return {
        "data": {
            "value": value,
            "type": "black_hash",
            "osType": "windows",
            "description": "Blocked from XSOAR",
            "source": "XSOAR",
        },
        "filter": filter_fields or {"tenant": True},
    }


def test_add_list_and_remove_a_global_blocklist_hash(api: Api) -> None:
    created = api.post("restrictions", blocklist_body()).get_json()["data"]

    assert len(created) == 1
    item = created[0]
    assert (item["type"], item["value"], item["osType"], item["source"]) == ("black_hash", SHA1, "windows", "XSOAR")
    assert (item["scopeName"], item["scope"]["tenant"], item["createdAt"]) == ("Global", True, "2024-05-01T12:00:00.000000Z")
    listed = api.data("restrictions", tenant="true", value__contains=SHA1[:10].upper(), sortBy="updatedAt", sortOrder="desc")
    assert [entry["id"] for entry in listed] == [item["id"]]

    assert api.delete("restrictions", {"data": {"ids": [item["id"]], "type": "black_hash"}}).get_json() == {
        "data": {"affected": 1}
    }
    assert api.data("restrictions", value__contains=SHA1) == []
    assert api.delete("restrictions", {"data": {"ids": [item["id"]], "type": "black_hash"}}).get_json() == {
        "data": {"affected": 0}
    }


def test_duplicate_blocklist_hash_is_already_exists(api: Api) -> None:
    api.post("restrictions", blocklist_body())

    response = api.post("restrictions", blocklist_body(value=SHA1.upper()))

    assert response.status_code == 400
    assert error_of(response) == {
        "code": 4000030,
        "detail": f"A blocklist item for {SHA1.upper()} (windows) already exists in Global.",
        "title": "Already Exists Error",
    }


def test_same_hash_may_be_blocked_per_site(api: Api) -> None:
    site_ids = list(api.store.sites)[:2]
    api.post("restrictions", blocklist_body())

    created = api.post("restrictions", blocklist_body(siteIds=site_ids)).get_json()["data"]

    assert [item["scope"]["siteIds"] for item in created] == [[site_ids[0]], [site_ids[1]]]
    assert [item["scopeName"] for item in created] == [api.store.sites[site_id]["name"] for site_id in site_ids]
    globally = api.data("restrictions", tenant=True, value__contains=SHA1)
    assert [item["scopeName"] for item in globally] == ["Global"]
    per_site = api.data("restrictions", tenant=False, siteIds=site_ids[0], value__contains=SHA1)
    assert [item["id"] for item in per_site] == [created[0]["id"]]


def test_invalid_site_id_in_a_blocklist_filter(api: Api) -> None:
    response = api.post("restrictions", blocklist_body(siteIds=["123"]))

    assert error_of(response) == {"code": 4000010, "detail": "siteIds: 123 is not a valid id.", "title": "Validation Error"}


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ({"value": "abc", "type": "black_hash", "osType": "windows"}, "value: Must be a SHA1 hash."),
        (
            {"value": SHA1, "type": "black_hash", "osType": "beos"},
            "osType: Must be one of: windows, windows_legacy, macos, linux.",
        ),
        ({"type": "black_hash", "osType": "windows"}, "value: Missing data for required field (or give sha256Value)."),
    ],
)
def test_blocklist_validation(api: Api, data: dict, detail: str) -> None:
    assert error_of(api.post("restrictions", {"data": data, "filter": {"tenant": True}}))["detail"] == detail


def test_a_non_black_hash_restriction_creates_an_exclusion(api: Api) -> None:
    body = {"data": {"value": SHA1, "type": "white_hash", "osType": "windows"}, "filter": {"tenant": True}}

    created = api.post("restrictions", body).get_json()["data"][0]

    assert created["id"] in api.store.exclusions
    assert created["id"] not in api.store.restrictions


def test_exclusion_lifecycle(api: Api) -> None:
    site_id = next(iter(api.store.sites))
    body = {
        "filter": {"siteIds": [site_id]},
        "data": {
            "type": "path",
            "value": "C:\\Tools\\scanner.exe",
            "osType": "windows",
            "description": "scanner",
            "mode": "suppress",
            "pathExclusionType": "file",
        },
    }

    created = api.post("exclusions", body).get_json()["data"]

    assert len(created) == 1
    item = created[0]
    assert (item["type"], item["mode"], item["pathExclusionType"], item["scope"]["siteIds"]) == (
        "path",
        "suppress",
        "file",
        [site_id],
    )
    found = api.data("exclusions", value__contains="scanner.exe", includeChildren=True, includeParents=True)
    assert [entry["id"] for entry in found] == [item["id"]]
    assert api.delete("exclusions", {"data": {"ids": [item["id"]]}}).get_json() == {"data": {"affected": 1}}
    assert api.data("exclusions", value__contains="scanner.exe") == []


def test_exclusion_validation(api: Api) -> None:
    bad_type = api.post(
        "exclusions", {"filter": {"tenant": True}, "data": {"type": "black_hash", "value": SHA1, "osType": "windows"}}
    )
    assert error_of(bad_type)["detail"] == "type: Must be one of: path, certificate, browser, file_type, white_hash."
    no_scope = api.post("exclusions", {"filter": {}, "data": {"type": "white_hash", "value": SHA1, "osType": "windows"}})
    assert error_of(no_scope)["detail"] == "filter: Give tenant=true or at least one of siteIds, groupIds, accountIds."
    bad_hash = api.post(
        "exclusions", {"filter": {"tenant": True}, "data": {"type": "white_hash", "value": "xyz", "osType": "windows"}}
    )
    assert error_of(bad_hash)["detail"] == "value: A white_hash exclusion needs a SHA1 hash."


def test_exclusion_scope_filters(api: Api) -> None:
    exclusions = api.store.exclusions.values()
    global_ids = {item["id"] for item in exclusions if item["scopeName"] == "Global"}
    acme_hq = next(site for site in api.store.sites.values() if site["name"] == "Acme HQ")
    site_scoped = {item["id"] for item in exclusions if item["scope"]["siteIds"] == [acme_hq["id"]]}
    account_scoped = {item["id"] for item in exclusions if item["scope"]["accountIds"] == [acme_hq["accountId"]]}
    group_scoped = {item["id"] for item in exclusions if item["scope"]["groupIds"]}

    def listed(**params: Any) -> set[str]:
        return {item["id"] for item in api.data("exclusions", limit=100, **params)}

    assert listed() == {item["id"] for item in exclusions}
    assert listed(tenant="true") == global_ids
    assert listed(siteIds=acme_hq["id"]) == site_scoped
    assert listed(siteIds=acme_hq["id"], includeParents="true") == site_scoped | account_scoped | global_ids
    assert listed(siteIds=acme_hq["id"], includeChildren="true") == site_scoped | group_scoped
    assert listed(type="white_hash") == {item["id"] for item in exclusions if item["type"] == "white_hash"}
    assert len(site_scoped) == len(account_scoped) == len(group_scoped) == 1 and len(global_ids) == 2


def test_hash_verdicts(api: Api) -> None:
    threat = next(t for t in api.store.threats.values() if t["threatInfo"]["confidenceLevel"] == "malicious")
    white = next(item["value"] for item in api.store.exclusions.values() if item["type"] == "white_hash")

    assert api.data(f"hashes/{threat['threatInfo']['sha1']}/verdict") == {"verdict": "malicious"}
    assert api.data(f"hashes/{white}/verdict", "2.0") == {"verdict": "non-malicious"}
    assert api.data(f"hashes/{'0' * 40}/verdict") == {"verdict": "unknown"}
    api.post("restrictions", blocklist_body("b" * 40))
    assert api.data(f"hashes/{'B' * 40}/verdict") == {"verdict": "malicious"}
    assert api.data(f"hashes/{'0' * 64}/reputation") == {}
    assert api.data(f"hashes/{'b' * 40}/reputation") == {"rank": "8"}
    assert (
        api.data(f"hashes/{threat['threatInfo']['sha1']}/classification")["classification"]
        == threat["threatInfo"]["classification"]
    )
    assert error_of(api.get("hashes/not-a-hash/verdict"))["detail"] == "hash: Not a valid MD5, SHA1, SHA256 or SHA512 hash."
