"""Authentication: `Authorization: ApiToken <token>` (also `APIToken`, `Bearer`, `?APIToken=`), 401 body otherwise."""

from __future__ import annotations

import pytest
from sim_api import TOKEN, Api

AUTH_FAILED = {"errors": [{"code": 4010010, "detail": None, "title": "Authentication Failed"}]}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "ApiToken wrong-token"},
        {"Authorization": f"Token {TOKEN}"},
        {"Authorization": "ApiToken"},
        {"Authorization": TOKEN},
    ],
    ids=["missing", "wrong-token", "session-scheme", "no-credential", "no-scheme"],
)
def test_rejected_credentials_get_the_real_401_body(api: Api, headers: dict[str, str]) -> None:
    response = api.client.get("/web/api/v2.1/threats", headers=headers)

    assert response.status_code == 401
    assert response.get_json() == AUTH_FAILED


@pytest.mark.parametrize(
    ("headers", "query"),
    [
        ({"Authorization": f"ApiToken {TOKEN}"}, {}),
        ({"Authorization": f"APIToken {TOKEN}"}, {}),
        ({"Authorization": f"Bearer {TOKEN}"}, {}),
        ({}, {"APIToken": TOKEN}),
    ],
    ids=["ApiToken", "APIToken", "Bearer", "query-parameter"],
)
def test_accepted_credentials(api: Api, headers: dict[str, str], query: dict[str, str]) -> None:
    response = api.client.get("/web/api/v2.0/activities/types", headers=headers, query_string=query)

    assert response.status_code == 200
    assert {item["id"] for item in response.get_json()["data"]} >= {80, 81, 1001, 1002}


def test_token_in_query_is_not_an_unknown_filter(api: Api) -> None:
    response = api.client.get("/web/api/v2.1/agents", query_string={"APIToken": TOKEN, "limit": 2})

    assert response.status_code == 200
    assert len(response.get_json()["data"]) == 2


def test_system_status_needs_no_token(api: Api) -> None:
    response = api.client.get("/web/api/v2.1/system/status")

    assert response.status_code == 200
    assert response.get_json() == {"data": {"health": "ok"}}


def test_system_info_needs_the_token(api: Api) -> None:
    assert api.client.get("/web/api/v2.1/system/info").status_code == 401
    assert api.data("system/info")["version"] == "23.4.2"


def test_unknown_path_under_the_api_is_a_404_envelope_after_auth(api: Api) -> None:
    assert api.client.get("/web/api/v2.1/no-such-thing").status_code == 401

    response = api.get("no-such-thing")

    assert response.status_code == 404
    assert response.get_json() == {"errors": [{"code": 4040010, "detail": "Resource not found", "title": "Resource not found"}]}


def test_wrong_method_is_a_405_envelope(api: Api) -> None:
    response = api.send("PATCH", "threats")

    assert response.status_code == 405
    assert response.get_json() == {
        "errors": [{"code": 4050010, "detail": "Method PATCH is not allowed", "title": "Method Not Allowed"}]
    }
