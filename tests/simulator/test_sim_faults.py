"""Injected faults (status, Retry-After, malformed body, latency, every Nth, times, per method / full path) and
rate limits (429 + Retry-After, refilled by the simulated clock)."""

from __future__ import annotations

import json
import time

import pytest
from sim_api import Api, error_of, make_api

from s1sim.faults import FaultRule, fault_from_json
from s1sim.ratelimit import DEFAULT_LIMITS, bucket_for


def add_fault(api: Api, **fields: object) -> dict:
    response = api.client.post("/_sim/faults", json=fields)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["data"]


def test_status_fault_answers_with_the_error_envelope(api: Api) -> None:
    add_fault(api, path="threats", status=500)

    response = api.get("threats")

    assert response.status_code == 500
    assert response.get_json() == {
        "errors": [{"code": 5000010, "detail": "Server could not process the request.", "title": "Internal server error"}]
    }
    assert api.get("agents").status_code == 200


def test_retry_after_fault_is_a_429(api: Api) -> None:
    add_fault(api, path="threats", retryAfter=7)

    response = api.get("threats")

    assert response.status_code == 429
    assert response.headers["Retry-After"] == "7"
    assert error_of(response) == {"code": 4290010, "detail": "Too many requests", "title": "Too Many Requests"}


def test_status_with_retry_after_and_custom_body(api: Api) -> None:
    add_fault(api, path="agents", status=503, retryAfter=2, body={"message": "maintenance"})

    response = api.get("agents")

    assert (response.status_code, response.headers["Retry-After"], response.get_json()) == (503, "2", {"message": "maintenance"})


def test_malformed_body_is_truncated_json(api: Api) -> None:
    add_fault(api, path="threats", malformed=True)

    response = api.get("threats")

    assert response.status_code == 200
    assert response.mimetype == "application/json"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.data)


def test_every_nth_and_times(api: Api) -> None:
    add_fault(api, path="threats", status=502, everyNth=3, times=2)

    statuses = [api.get("threats", limit=1).status_code for _ in range(10)]

    assert statuses == [200, 200, 502, 200, 200, 502, 200, 200, 200, 200]
    [rule] = api.client.get("/_sim/faults").get_json()["data"]
    assert (rule["seen"], rule["fired"], rule["times"]) == (10, 2, 0)


def test_method_and_glob_and_full_path_matching(api: Api) -> None:
    add_fault(api, path="threats/*/notes", method="GET", status=404)
    add_fault(api, path="/web/api/v2.0/agents", status=500)
    threat_id = next(iter(api.store.threats))

    assert api.get(f"threats/{threat_id}/notes").status_code == 404
    assert api.post("threats/notes", {"data": {"text": "x"}, "filter": {"ids": [threat_id]}}).status_code == 200
    assert api.get("agents", "2.0").status_code == 500
    assert api.get("agents", "2.1").status_code == 200


def test_latency_only_fault_delays_but_answers_normally(api: Api) -> None:
    add_fault(api, path="system/info", latency=0.2)

    started = time.monotonic()
    response = api.get("system/info")

    assert response.status_code == 200
    assert time.monotonic() - started >= 0.2


def test_drop_without_a_socket_is_a_502_in_the_test_client(api: Api) -> None:
    add_fault(api, path="threats", drop=True, times=1)

    assert api.get("threats").status_code == 502
    assert api.get("threats").status_code == 200


def test_faults_can_be_listed_removed_and_cleared(api: Api) -> None:
    first = add_fault(api, path="threats", status=500)
    add_fault(api, path="agents", status=500)

    assert api.client.delete(f"/_sim/faults/{first['id']}").status_code == 200
    assert [rule["path"] for rule in api.client.get("/_sim/faults").get_json()["data"]] == ["agents"]
    assert api.get("threats").status_code == 200
    api.client.delete("/_sim/faults")
    assert api.get("agents").status_code == 200
    assert api.client.delete("/_sim/faults/999").status_code == 404


def test_faults_apply_before_auth(api: Api) -> None:
    add_fault(api, path="threats", status=503)

    assert api.client.get("/web/api/v2.1/threats").status_code == 503


@pytest.mark.parametrize(
    ("payload", "detail"),
    [
        ({"status": 500}, "path: Missing data for required field."),
        ({"path": "threats"}, "status: Give at least one of status, latency, retryAfter, malformed, drop."),
        ({"path": "threats", "status": 500, "everyNth": 0}, "everyNth: Must be at least 1."),
        ({"path": "threats", "colour": "red"}, "colour: Unknown field."),
    ],
)
def test_fault_validation(api: Api, payload: dict, detail: str) -> None:
    response = api.client.post("/_sim/faults", json=payload)

    assert response.status_code == 400
    assert error_of(response)["detail"] == detail


def test_fault_rule_parsing() -> None:
    rule = fault_from_json({"path": "dv/*", "status": 429, "retryAfter": 3, "everyNth": 2, "times": 1, "method": "post"})

    assert rule == FaultRule(path="dv/*", method="post", status=429, retry_after=3, every_nth=2, times=1)
    assert rule.matches("POST", "/web/api/v2.1/dv/init-query", "dv/init-query")
    assert not rule.matches("GET", "/web/api/v2.1/dv/init-query", "dv/init-query")


def test_rate_limits_are_off_by_default_in_tests(api: Api) -> None:
    assert all(
        api.post(
            "dv/init-query", {"query": "x", "fromDate": "2024-05-01T00:00:00Z", "toDate": "2024-05-01T01:00:00Z"}
        ).status_code
        == 200
        for _ in range(3)
    )


def test_dv_init_query_allows_one_call_per_minute() -> None:
    api = make_api(rate_limits=True)
    body = {"query": "x", "fromDate": "2024-05-01T00:00:00Z", "toDate": "2024-05-01T01:00:00Z"}

    assert api.post("dv/init-query", body).status_code == 200
    refused = api.post("dv/init-query", body)

    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert error_of(refused) == {"code": 4290010, "detail": "Too many requests", "title": "Too Many Requests"}
    api.advance(30)
    assert api.post("dv/init-query", body).headers["Retry-After"] == "30"
    api.advance(30)
    assert api.post("dv/init-query", body).status_code == 200


def test_threats_bucket_allows_a_burst_of_50_then_10_per_second() -> None:
    api = make_api(rate_limits=True)

    statuses = [api.get("threats", limit=1).status_code for _ in range(51)]

    assert statuses[:50] == [200] * 50 and statuses[50] == 429
    api.advance(0.1)
    assert api.get("threats", limit=1).status_code == 200
    assert api.get("threats", limit=1).status_code == 429
    threat_id = next(iter(api.store.threats))
    assert api.get(f"threats/{threat_id}/timeline").status_code == 200


def test_rate_limits_are_configurable_and_switchable() -> None:
    api = make_api(rate_limits=True)
    api.client.put("/_sim/rate-limits", json={"limits": {"agents": {"requests": 1, "perSeconds": 10, "burst": 1}}})

    assert api.get("agents").status_code == 200
    refused = api.get("agents")
    assert (refused.status_code, refused.headers["Retry-After"]) == (429, "10")
    api.client.put("/_sim/rate-limits", json={"enabled": False})
    assert api.get("agents").status_code == 200
    limits = api.client.get("/_sim/rate-limits").get_json()
    assert limits["enabled"] is False and limits["limits"]["agents"] == {"requests": 1, "perSeconds": 10.0, "burst": 1}
    api.simulator.reset()
    assert api.client.get("/_sim/rate-limits").get_json()["limits"]["agents"] == {"requests": 25, "perSeconds": 1.0, "burst": 25}


@pytest.mark.parametrize(
    ("path", "bucket"),
    [
        ("threats", "threats"),
        ("threats/mitigate/kill", "threats"),
        ("threats/123/notes", "threats/*"),
        ("dv/init-query", "dv/init-query"),
        ("dv/events/pq-ping", "dv/events/pq-ping"),
        ("dv/events", None),
        ("cloud-detection/rules/enable", "cloud-detection/rules"),
        ("cloud-detection/alerts", None),
        ("threat-intelligence/iocs", "threat-intelligence"),
        ("agents/123/uploads/4", "agents"),
        ("system/status", "system/status"),
    ],
)
def test_bucket_table(path: str, bucket: str | None) -> None:
    assert bucket_for(path, DEFAULT_LIMITS) == bucket
