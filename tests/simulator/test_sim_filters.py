"""Filters: list parameters (CSV and repeated keys), time ranges, statuses, hashes, names, booleans, unknown names."""

from __future__ import annotations

from typing import Any

import pytest
from sim_api import Api, error_of

from s1sim.clock import epoch_millis, from_epoch_millis, parse_timestamp


def threat_ids(api: Api, version: str = "2.1", **params: Any) -> set[str]:
    return {threat["id"] for threat in api.walk("threats", version, limit=1000, **params)}


def stored(api: Api, predicate: Any) -> set[str]:
    return {threat_id for threat_id, threat in api.store.threats.items() if predicate(threat)}


def test_ids_as_csv_and_as_repeated_keys(api: Api) -> None:
    chosen = sorted(api.store.threats)[:3]

    assert threat_ids(api, ids=",".join(chosen)) == set(chosen)
    assert threat_ids(api, ids=chosen) == set(chosen)
    assert threat_ids(api, ids=f" {chosen[0]} ,, {chosen[1]} ") == set(chosen[:2])


def test_site_group_account_ids_follow_the_agent(api: Api) -> None:
    store = api.store
    site_id = next(iter(store.sites))
    account_id = store.sites[site_id]["accountId"]

    assert threat_ids(api, siteIds=site_id) == stored(api, lambda t: store.agents[t["_sim"]["agentId"]]["siteId"] == site_id)
    assert threat_ids(api, accountIds=account_id) == stored(
        api, lambda t: store.agents[t["_sim"]["agentId"]]["accountId"] == account_id
    )
    group_id = next(agent["groupId"] for agent in store.agents.values())
    assert threat_ids(api, groupIds=group_id) == stored(api, lambda t: store.agents[t["_sim"]["agentId"]]["groupId"] == group_id)


def test_created_at_bounds(api: Api) -> None:
    stamps = sorted(threat["threatInfo"]["createdAt"] for threat in api.store.threats.values())
    middle = stamps[25]

    assert len(threat_ids(api, createdAt__gt=middle)) == 24
    assert len(threat_ids(api, createdAt__gte=middle)) == 25
    assert len(threat_ids(api, createdAt__lt=middle)) == 25
    assert len(threat_ids(api, createdAt__lte=middle)) == 26
    assert len(threat_ids(api, createdAt__gte=stamps[10], createdAt__lt=stamps[20])) == 10


def test_time_bounds_accept_other_iso_spellings(api: Api) -> None:
    stamps = sorted(threat["threatInfo"]["createdAt"] for threat in api.store.threats.values())
    moment = parse_timestamp(stamps[25])

    assert threat_ids(api, createdAt__gte=moment.isoformat()) == threat_ids(api, createdAt__gte=stamps[25])
    assert threat_ids(api, createdAt__gte=str(moment)) == threat_ids(api, createdAt__gte=stamps[25])


def test_bad_timestamp_is_a_validation_error(api: Api) -> None:
    response = api.get("threats", createdAt__gte="yesterday")

    assert response.status_code == 400
    assert error_of(response)["detail"] == "createdAt__gte: Not a valid datetime."


def test_updated_at_gte(api: Api) -> None:
    stamps = sorted(threat["threatInfo"]["updatedAt"] for threat in api.store.threats.values())

    assert threat_ids(api, updatedAt__gte=stamps[40]) == stored(api, lambda t: t["threatInfo"]["updatedAt"] >= stamps[40])
    assert len(threat_ids(api, updatedAt__gt=stamps[-1])) == 0


@pytest.mark.parametrize("spelling", ["unresolved,in_progress", "UNRESOLVED,IN_PROGRESS", "Unresolved,In progress"])
def test_incident_statuses_any_case(api: Api, spelling: str) -> None:
    expected = stored(api, lambda t: t["threatInfo"]["incidentStatus"] in ("unresolved", "in_progress"))

    assert threat_ids(api, incidentStatuses=spelling) == expected
    assert 0 < len(expected) < 50


def test_mitigation_statuses_accept_both_vocabularies(api: Api) -> None:
    not_mitigated = stored(api, lambda t: t["threatInfo"]["mitigationStatus"] == "not_mitigated")

    assert threat_ids(api, mitigationStatuses="not_mitigated") == not_mitigated
    assert threat_ids(api, mitigationStatuses="active") == not_mitigated
    assert threat_ids(api, mitigationStatusesNin="not_mitigated") == set(api.store.threats) - not_mitigated


def test_classifications_and_content_hashes(api: Api) -> None:
    threat = next(iter(api.store.threats.values()))
    classification = threat["threatInfo"]["classification"]

    assert threat_ids(api, classifications=classification.upper()) == stored(
        api, lambda t: t["threatInfo"]["classification"] == classification
    )
    assert threat_ids(api, contentHashes=threat["threatInfo"]["sha1"].upper()) == {threat["id"]}


def test_computer_name_contains_and_query(api: Api) -> None:
    threat = next(iter(api.store.threats.values()))
    name = api.store.agents[threat["_sim"]["agentId"]]["computerName"]
    on_agent = stored(api, lambda t: t["_sim"]["agentId"] == threat["_sim"]["agentId"])

    assert threat_ids(api, computerName__contains=name.lower()) >= on_agent
    assert threat_ids(api, query=threat["threatInfo"]["sha256"]) == {threat["id"]}


def test_display_name_exact_on_21_and_like_on_20(api: Api) -> None:
    threat = next(iter(api.store.threats.values()))
    name = threat["threatInfo"]["threatName"]
    same_name = stored(api, lambda t: t["threatInfo"]["threatName"] == name)

    assert threat_ids(api, displayName=name) == same_name
    assert threat_ids(api, "2.0", displayName__like=name[2:6]) >= same_name
    assert api.get("threats", displayName__like=name).status_code == 400


def test_rank_is_a_20_only_minimum(api: Api) -> None:
    expected = stored(api, lambda t: t["_sim"]["rank"] >= 7)

    assert threat_ids(api, "2.0", rank=7) == expected
    response = api.get("threats", "2.1", rank=7)
    assert response.status_code == 400
    assert error_of(response) == {"code": 4000010, "detail": "rank: Unknown field.", "title": "Validation Error"}


@pytest.mark.parametrize("value", ["true", "True", "TRUE"])
def test_booleans_are_case_insensitive(api: Api, value: str) -> None:
    assert threat_ids(api, resolved=value) == stored(api, lambda t: t["threatInfo"]["incidentStatus"] == "resolved")


def test_bad_boolean_is_a_validation_error(api: Api) -> None:
    response = api.get("threats", resolved="yes")

    assert response.status_code == 400
    assert error_of(response) == {"code": 4000010, "detail": "resolved: Not a valid boolean.", "title": "Validation Error"}


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("threats", "active_threats"),
        ("agents", "scan_status"),
        ("agents", "created_at"),
        ("cloud-detection/alerts", "updatedAt__gte"),
    ],
)
def test_unknown_filter_is_a_400_naming_it(api: Api, path: str, name: str) -> None:
    response = api.get(path, params={name: "1"})

    assert response.status_code == 400
    assert error_of(response) == {"code": 4000010, "detail": f"{name}: Unknown field.", "title": "Validation Error"}


def test_agent_filters(api: Api) -> None:
    agents = api.store.agents.values()
    windows = {agent["id"] for agent in agents if agent["osType"] == "windows"}
    linux_or_mac = {agent["id"] for agent in agents if agent["osType"] in ("linux", "macos")}
    first = next(iter(agents))

    assert {agent["id"] for agent in api.data("agents", limit=100, osTypes="windows")} == windows
    assert {agent["id"] for agent in api.data("agents", limit=100, osTypes=["linux", "macos"])} == linux_or_mac
    like = api.data("agents", limit=100, computerName__like=first["computerName"][2:7].lower())
    assert first["id"] in {agent["id"] for agent in like}
    assert [agent["id"] for agent in api.data("agents", query=first["networkInterfaces"][0]["inet"][0])] == [first["id"]]
    busy = {agent["id"] for agent in agents if agent["activeThreats"] > 2}
    assert {agent["id"] for agent in api.data("agents", limit=100, activeThreats__gt=2)} == busy
    finished = {agent["id"] for agent in agents if agent["scanStatus"] == "finished"}
    assert {agent["id"] for agent in api.data("agents", limit=100, scanStatuses="finished")} == finished
    active = {agent["id"] for agent in agents if agent["isActive"]}
    assert {agent["id"] for agent in api.data("agents", limit=100, isActive="False")} == set(api.store.agents) - active


def test_alert_filters(api: Api) -> None:
    alerts = api.store.alerts.values()
    unresolved = {
        alert_id for alert_id, alert in api.store.alerts.items() if alert["alertInfo"]["incidentStatus"] == "Unresolved"
    }
    high = {alert_id for alert_id, alert in api.store.alerts.items() if alert["ruleInfo"]["severity"] in ("High", "Critical")}
    rule_name = next(iter(alerts))["ruleInfo"]["name"]

    def listed(**params: Any) -> set[str]:
        return {alert["alertInfo"]["alertId"] for alert in api.walk("cloud-detection/alerts", limit=1000, **params)}

    assert listed(incidentStatus="UNRESOLVED") == unresolved
    assert listed(severity="High,Critical") == high
    assert listed(ruleName__contains=rule_name[:8].lower()) == {
        alert_id for alert_id, alert in api.store.alerts.items() if rule_name[:8] in alert["ruleInfo"]["name"]
    }


def test_activity_filters_accept_both_time_spellings(api: Api) -> None:
    stamps = sorted(activity["createdAt"] for activity in api.store.activities.values())

    swagger = {activity["id"] for activity in api.walk("activities", limit=1000, createdAt__gt=stamps[20])}
    public_pack = {activity["id"] for activity in api.walk("activities", limit=1000, created_at__gt=stamps[20])}

    assert swagger == public_pack
    assert len(swagger) == len(stamps) - 21
    threat_activities = api.data("activities", limit=100, activityTypes="19")
    assert len(threat_activities) == 50


def test_activities_between_epoch_millis(api: Api) -> None:
    stamps = sorted(parse_timestamp(activity["createdAt"]) for activity in api.store.activities.values())
    low, high = int(stamps[5].timestamp() * 1000), int(stamps[9].timestamp() * 1000) + 1

    items = api.data("activities", limit=100, createdAt__between=f"{low}-{high}")

    assert len(items) == 5


@pytest.mark.parametrize("text", ["2004-03-15T07:55:47.472Z", "2038-08-15T15:00:50.430Z", "2026-12-07T10:00:00.123Z"])
def test_epoch_millis_are_exact(text: str) -> None:
    """The milliseconds of a timestamp and back, in integer arithmetic (through the float timestamp, the first two
    came out a millisecond short)."""
    millis = epoch_millis(parse_timestamp(text))

    assert millis % 1000 == int(text[20:23])
    assert from_epoch_millis(millis) == parse_timestamp(text)


def test_body_list_fields_must_be_arrays(api: Api) -> None:
    ids = sorted(api.store.threats)[:2]

    as_string = api.post("threats/incident", {"data": {"incidentStatus": "resolved"}, "filter": {"ids": ",".join(ids)}})
    bare = api.post("threats/notes", {"data": {"text": "x"}, "filter": {"ids": ids[0]}})
    sites = api.post(
        "restrictions", {"data": {"value": "a" * 40, "type": "black_hash", "osType": "windows"}, "filter": {"siteIds": "1,2"}}
    )

    for response, name in ((as_string, "ids"), (bare, "ids"), (sites, "siteIds")):
        assert response.status_code == 400
        assert error_of(response) == {"code": 4000010, "detail": f"{name}: Not a valid list.", "title": "Validation Error"}
    assert api.post("threats/notes", {"data": {"text": "x"}, "filter": {"ids": ids, "tenant": "true"}}).status_code == 200


def test_site_filters(api: Api) -> None:
    sites = api.store.sites.values()
    acme = next(iter(api.store.accounts.values()))

    def names(**params: Any) -> list[str]:
        return sorted(site["name"] for site in api.data("sites", **params)["sites"])

    assert names(state="expired") == ["Globex Lab"]
    assert names(states="active,expired") == sorted(site["name"] for site in sites)
    assert names(accountId=acme["id"]) == ["Acme Cloud", "Acme HQ"]
    assert names(query="globex") == ["Globex Lab", "Globex Main"]
    assert names(name="Acme HQ") == ["Acme HQ"]
    assert names(siteType="paid", isDefault="true") == ["Acme HQ", "Globex Main"]
    assert names(adminOnly="true") == sorted(site["name"] for site in sites)
    assert error_of(api.get("sites", adminOnly="maybe"))["detail"] == "adminOnly: Not a valid boolean."
