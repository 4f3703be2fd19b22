"""The alert list as incoming mirroring uses it: no updatedAt filter (as on the real console), so the integration scans
the alerts created since a start time, in pages, and compares alertInfo.updatedAt itself."""

from __future__ import annotations

from sim_api import Api, error_of

LATER = "2024-05-01T12:05:00.000000Z"


def test_the_alert_list_refuses_an_updated_at_filter(api: Api) -> None:
    response = api.get("cloud-detection/alerts", updatedAt__gte="2024-05-01T00:00:00.000000Z")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == 4000010
    assert "updatedAt__gte" in error["detail"]


def test_a_created_at_scan_in_pages_sees_every_alert_and_its_latest_update(api: Api) -> None:
    alerts = sorted(api.store.alerts.values(), key=lambda alert: alert["alertInfo"]["createdAt"])
    scan_from = alerts[5]["alertInfo"]["createdAt"]
    changed = alerts[-1]["alertInfo"]["alertId"]
    api.advance(300)
    response = api.post("cloud-detection/alerts/incident", {"data": {"incidentStatus": "RESOLVED"}, "filter": {"ids": [changed]}})
    assert response.status_code == 200

    scanned = api.walk("cloud-detection/alerts", createdAt__gte=scan_from, sortBy="alertInfoCreatedAt", sortOrder="asc", limit=7)

    assert [alert["alertInfo"]["alertId"] for alert in scanned] == [alert["alertInfo"]["alertId"] for alert in alerts[5:]]
    updated = {alert["alertInfo"]["alertId"]: alert["alertInfo"]["updatedAt"] for alert in scanned}
    assert updated[changed] == LATER
    assert [alert_id for alert_id, moment in updated.items() if moment >= LATER] == [changed]
