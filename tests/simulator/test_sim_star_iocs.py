"""STAR custom detection rules and threat-intelligence IOCs."""

from __future__ import annotations

from typing import Any

import pytest
from sim_api import Api, error_of


def rule_body(**data: Any) -> dict:
    fields = {
        "name": "Encoded PowerShell",
        "description": "base64 command lines",
        "s1ql": 'TgtProcCmdLine ContainsCIS "-enc"',
        "queryType": "events",
        "severity": "High",
        "status": "Draft",
        "expirationMode": "Permanent",
        "networkQuarantine": False,
        "treatAsThreat": "Suspicious",
    }
    fields.update(data)
    return {"data": fields, "filter": {"tenant": "true"}}


def test_star_rule_lifecycle(api: Api) -> None:
    rule = api.post("cloud-detection/rules", rule_body()).get_json()["data"]

    assert (rule["name"], rule["status"], rule["severity"], rule["scope"], rule["treatAsThreat"]) == (
        "Encoded PowerShell",
        "Draft",
        "High",
        "global",
        "Suspicious",
    )
    assert rule["createdAt"] == rule["updatedAt"] == "2024-05-01T12:00:00.000000Z"
    assert api.put("cloud-detection/rules/enable", {"filter": {"ids": [rule["id"]]}}).get_json() == {"data": {"affected": 1}}
    assert api.data("cloud-detection/rules", ids=rule["id"])[0]["status"] == "Active"
    api.advance(60)
    updated = api.put(f"cloud-detection/rules/{rule['id']}", rule_body(severity="critical", name="Encoded PS")).get_json()["data"]
    assert (updated["severity"], updated["name"], updated["status"], updated["updatedAt"]) == (
        "Critical",
        "Encoded PS",
        "Draft",
        "2024-05-01T12:01:00.000000Z",
    )
    assert api.put("cloud-detection/rules/disable", {"filter": {"ids": [rule["id"]]}}).get_json() == {"data": {"affected": 1}}
    assert api.data("cloud-detection/rules", status="Disabled", ids=rule["id"])[0]["id"] == rule["id"]
    assert api.delete("cloud-detection/rules", {"filter": {"ids": [rule["id"]]}}).get_json() == {"data": {"affected": 1}}
    assert api.data("cloud-detection/rules", ids=rule["id"]) == []


def test_update_keeps_status_when_not_sent(api: Api) -> None:
    rule = api.post("cloud-detection/rules", rule_body()).get_json()["data"]
    api.put("cloud-detection/rules/enable", {"filter": {"ids": [rule["id"]]}})
    body = rule_body()
    del body["data"]["status"]

    assert api.put(f"cloud-detection/rules/{rule['id']}", body).get_json()["data"]["status"] == "Active"


def test_star_rule_scope_from_filter(api: Api) -> None:
    site = next(iter(api.store.sites.values()))
    body = rule_body()
    body["filter"] = {"siteIds": [site["id"]]}

    rule = api.post("cloud-detection/rules", body).get_json()["data"]

    assert (rule["scope"], rule["scopeId"], rule["siteName"], rule["accountId"]) == (
        "site",
        site["id"],
        site["name"],
        site["accountId"],
    )
    assert rule["id"] in {item["id"] for item in api.data("cloud-detection/rules", siteIds=site["id"], limit=100)}


@pytest.mark.parametrize(
    ("changes", "detail"),
    [
        ({"expirationMode": "Temporary"}, "expiration: Required when expirationMode is Temporary."),
        ({"severity": "Extreme"}, "severity: Must be one of: Low, Medium, High, Critical."),
        ({"queryType": "graph"}, "queryType: Must be one of: events, processes, correlation."),
        ({"name": ""}, "name: Missing data for required field."),
        ({"treatAsThreat": "maybe"}, "treatAsThreat: Must be one of: UNDEFINED, Suspicious, Malicious."),
    ],
)
def test_star_rule_validation(api: Api, changes: dict, detail: str) -> None:
    assert error_of(api.post("cloud-detection/rules", rule_body(**changes)))["detail"] == detail


def test_temporary_rule_expires_with_the_clock(api: Api) -> None:
    body = rule_body(expirationMode="Temporary", expiration="2024-05-02T12:00:00.000000Z")
    rule = api.post("cloud-detection/rules", body).get_json()["data"]
    assert rule["expired"] is False

    api.advance(2 * 86400)

    assert api.data("cloud-detection/rules", ids=rule["id"])[0]["expired"] is True
    assert rule["id"] in {item["id"] for item in api.data("cloud-detection/rules", expired="true", limit=100)}


def test_star_rule_list_filters(api: Api) -> None:
    rules = api.store.star_rules.values()
    active = {rule["id"] for rule in rules if rule["status"] == "Active"}

    assert {rule["id"] for rule in api.data("cloud-detection/rules", limit=1000, status="Active")} == active
    assert [rule["name"] for rule in api.data("cloud-detection/rules", name__contains="lsass")] == ["LSASS Memory Access"]
    assert api.data("cloud-detection/rules", name__contains="lsass")[0]["generatedAlerts"] == sum(
        1 for alert in api.store.alerts.values() if alert["ruleInfo"]["name"] == "LSASS Memory Access"
    )


def ioc(**fields: Any) -> dict:
    item = {
        "type": "IPV4",
        "value": "198.51.100.7",
        "method": "EQUALS",
        "source": "XSOAR",
        "name": "C2 server",
        "validUntil": "2024-05-05T00:00:00Z",
    }
    item.update(fields)
    return item


def test_create_list_and_delete_iocs(api: Api) -> None:
    account_id = next(iter(api.store.accounts))

    created = api.post(
        "threat-intelligence/iocs", {"filter": {"accountIds": [account_id]}, "data": [ioc(externalId="x-1")]}
    ).get_json()["data"]

    assert len(created) == 1
    item = created[0]
    assert (item["type"], item["value"], item["scope"], item["scopeId"], item["externalId"]) == (
        "IPV4",
        "198.51.100.7",
        "account",
        account_id,
        "x-1",
    )
    assert item["validUntil"] == "2024-05-05T00:00:00.000000Z"
    assert len(item["uuid"]) == 32 and len(item["batchId"]) == 32
    listed = api.data("threat-intelligence/iocs", accountIds=account_id, uuids=item["uuid"])
    assert [entry["uuid"] for entry in listed] == [item["uuid"]]
    body = {"filter": {"accountIds": [account_id], "uuids": [item["uuid"]]}}
    assert api.delete("threat-intelligence/iocs", body).get_json() == {"data": {"affected": 1}}
    assert api.data("threat-intelligence/iocs", uuids=item["uuid"]) == []


def test_ioc_valid_until_defaults_and_clamps(api: Api) -> None:
    account_id = next(iter(api.store.accounts))
    items = [ioc(validUntil=None), ioc(type="SHA256", value="c" * 64, validUntil="2030-01-01 00:00:00.000000")]

    created = api.post("threat-intelligence/iocs", {"filter": {"accountIds": [account_id]}, "data": items}).get_json()["data"]

    assert [item["validUntil"] for item in created] == ["2024-05-15T12:00:00.000000Z", "2024-10-28T12:00:00.000000Z"]


@pytest.mark.parametrize(
    ("item", "detail"),
    [
        (ioc(type="ipv4"), "data.0.type: Must be one of: DNS, IPV4, IPV6, MD5, SHA1, SHA256, URL."),
        (ioc(method="equals"), "data.0.method: Must be one of: EQUALS."),
        (ioc(value="999.1.1.1"), "data.0.value: Not a valid IPV4 value."),
        (ioc(type="SHA1", value="abc"), "data.0.value: Not a valid SHA1 value."),
        (ioc(source=""), "data.0.source: Missing data for required field."),
    ],
)
def test_ioc_validation(api: Api, item: dict, detail: str) -> None:
    account_id = next(iter(api.store.accounts))

    assert (
        error_of(api.post("threat-intelligence/iocs", {"filter": {"accountIds": [account_id]}, "data": [item]}))["detail"]
        == detail
    )


def test_ioc_delete_needs_account_and_another_field(api: Api) -> None:
    account_id = next(iter(api.store.accounts))

    assert error_of(api.delete("threat-intelligence/iocs", {"filter": {"accountIds": [account_id]}}))["detail"] == (
        "filter: Give accountIds and at least one other field."
    )
    assert error_of(api.delete("threat-intelligence/iocs", {"filter": {"uuids": ["x"]}}))["detail"] == (
        "filter.accountIds: Missing data for required field."
    )


def test_ioc_list_filters(api: Api) -> None:
    iocs = list(api.store.iocs.values())

    assert [item["type"] for item in api.data("threat-intelligence/iocs", type="dns")] == ["DNS"]
    assert len(api.data("threat-intelligence/iocs", limit=100, uploadTime__gte=iocs[2]["uploadTime"])) == 3
    assert len(api.data("threat-intelligence/iocs", limit=100, name__contains="feed ioc")) == 5
