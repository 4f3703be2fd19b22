"""The alert list as incoming mirroring uses it. The API reference documents no updatedAt filter, so the simulator plays
each kind of console: one that refuses the filter (the default, with the real 400), one that honours it (and sorts by
update time), one that silently ignores it. Also: the `ids` filter, the createdAt scan, bulk alerts."""

from __future__ import annotations

import pytest
import requests
from sim_api import Api, error_of

from s1sim.pytest_plugin import SimulatorHandle

LATER = "2024-05-01T12:05:00.000000Z"
UPDATE_WALK = {"updatedAt__gte": LATER, "sortBy": "alertInfoUpdatedAt", "sortOrder": "asc"}


def alert_ids(alerts: list[dict]) -> list[str]:
    return [alert["alertInfo"]["alertId"] for alert in alerts]


def change_two_alerts(api: Api) -> list[str]:
    """Resolve two seeded alerts five minutes after the start (the newest first): their IDs, in update order."""
    by_creation = alert_ids(api.walk("cloud-detection/alerts", sortBy="alertInfoCreatedAt", limit=1000))
    newest, oldest = by_creation[-1], by_creation[0]
    api.advance(300)
    for alert_id in (newest, oldest):
        response = api.post(
            "cloud-detection/alerts/incident", {"data": {"incidentStatus": "RESOLVED"}, "filter": {"ids": [alert_id]}}
        )
        assert response.status_code == 200
        api.advance(1)
    return [newest, oldest]


@pytest.mark.parametrize(
    "params, name",
    [
        ({"updatedAt__gte": "2024-05-01T00:00:00.000000Z"}, "updatedAt__gte"),
        ({"updatedAt__lte": "2024-05-01T00:00:00.000000Z"}, "updatedAt__lte"),
        ({"sortBy": "alertInfoUpdatedAt"}, "sortBy"),
    ],
)
def test_by_default_the_alert_list_refuses_update_time_filters_and_sorts(api: Api, params: dict, name: str) -> None:
    response = api.get("cloud-detection/alerts", **params)

    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["title"]) == (4000010, "Validation Error")
    assert error["detail"].startswith(f"{name}: ")


def test_an_honouring_console_filters_and_sorts_by_update_time(api: Api) -> None:
    api.simulator.store.alert_update_filter = "honour"
    changed = change_two_alerts(api)

    walked = api.walk("cloud-detection/alerts", limit=1, **UPDATE_WALK)
    before = api.data("cloud-detection/alerts", updatedAt__lt=LATER, limit=1000)

    assert alert_ids(walked) == changed
    assert len(before) == len(api.store.alerts) - 2
    assert api.data("cloud-detection/alerts", updatedAt__gte="2025-01-01T00:00:00.000000Z", limit=1) == []


def test_an_ignoring_console_takes_the_filter_and_returns_older_alerts(api: Api) -> None:
    api.simulator.store.alert_update_filter = "ignore"
    change_two_alerts(api)

    walked = api.walk("cloud-detection/alerts", limit=10, **UPDATE_WALK)

    assert len(walked) == len(api.store.alerts)
    assert alert_ids(walked) == sorted(alert_ids(walked), key=lambda alert_id: (len(alert_id), alert_id))
    (first,) = api.data("cloud-detection/alerts", updatedAt__gte="2025-01-01T00:00:00.000000Z", limit=1)
    assert first["alertInfo"]["updatedAt"] < "2025-01-01T00:00:00.000000Z"


def test_a_created_at_scan_in_pages_sees_every_alert_and_its_latest_update(api: Api) -> None:
    alerts = sorted(api.store.alerts.values(), key=lambda alert: alert["alertInfo"]["createdAt"])
    scan_from = alerts[5]["alertInfo"]["createdAt"]
    changed = alerts[-1]["alertInfo"]["alertId"]
    api.advance(300)
    response = api.post("cloud-detection/alerts/incident", {"data": {"incidentStatus": "RESOLVED"}, "filter": {"ids": [changed]}})
    assert response.status_code == 200

    scanned = api.walk("cloud-detection/alerts", createdAt__gte=scan_from, sortBy="alertInfoCreatedAt", sortOrder="asc", limit=7)

    assert alert_ids(scanned) == [alert["alertInfo"]["alertId"] for alert in alerts[5:]]
    updated = {alert["alertInfo"]["alertId"]: alert["alertInfo"]["updatedAt"] for alert in scanned}
    assert updated[changed] == LATER
    assert [alert_id for alert_id, moment in updated.items() if moment >= LATER] == [changed]


def test_the_ids_filter_returns_the_named_alerts_with_the_other_filters_applied(api: Api) -> None:
    first, second, third = sorted(api.store.alerts)[:3]
    api.store.alerts[third]["alertInfo"]["incidentStatus"] = "Resolved"
    api.store.alerts[second]["alertInfo"]["incidentStatus"] = "Unresolved"

    named = api.data("cloud-detection/alerts", ids=f"{third},{second},404,{second}", limit=1000)
    unresolved = api.data("cloud-detection/alerts", ids=f"{third},{second}", incidentStatus="UNRESOLVED", limit=1000)

    assert alert_ids(named) == [second, third]
    assert alert_ids(unresolved) == [second]
    assert first not in alert_ids(named)


def test_the_alert_update_filter_is_switched_through_the_control_surface(s1sim: SimulatorHandle) -> None:
    assert s1sim.control.alert_update_filter() == "reject"
    assert s1sim.control.set_alert_update_filter("honour") == "honour"
    assert s1sim.control.alert_update_filter() == "honour"
    with pytest.raises(Exception, match="mode: Must be one of: reject, honour, ignore"):
        s1sim.control.set_alert_update_filter("sometimes")
    s1sim.control.reset()
    assert s1sim.control.alert_update_filter() == "reject"


def test_bulk_alerts_have_their_own_ids_and_times_and_the_given_fields(s1sim: SimulatorHandle) -> None:
    added = s1sim.control.add_many_alerts(
        2_000, created_at="2023-01-01T00:00:00.000000Z", alert_info={"incidentStatus": "Resolved"}
    )

    assert len(set(added)) == 2_000
    assert s1sim.control.summary()["counts"]["alerts"] == 2_030
    session = requests.Session()
    session.trust_env = False
    answer = session.get(
        s1sim.api_url() + "cloud-detection/alerts",
        params={"ids": ",".join(added[:250]), "limit": 1000},
        headers={"Authorization": f"ApiToken {s1sim.token}"},
        timeout=30,
    ).json()
    alerts = answer["data"]
    assert sorted(alert_ids(alerts)) == sorted(added[:250])
    assert {alert["alertInfo"]["incidentStatus"] for alert in alerts} == {"Resolved"}
    assert {(alert["alertInfo"]["createdAt"], alert["alertInfo"]["updatedAt"]) for alert in alerts} == {
        ("2023-01-01T00:00:00.000000Z", "2023-01-01T00:00:00.000000Z")
    }
    assert len({alert["alertInfo"]["dvEventId"] for alert in alerts}) == 250
