"""Endpoints of commands beyond the specification: marketplace applications, service users, the SDL PowerQuery
endpoint, threat download from the cloud, abort-scan / fetch-logs (covered with the agent actions)."""

from __future__ import annotations

from sim_api import TOKEN, Api, error_of


def test_marketplace_applications_page_with_limit_then_cursor(api: Api) -> None:
    first = api.get("singularity-marketplace/applications", limit=2).get_json()

    assert len(first["data"]) == 2
    second = api.get("singularity-marketplace/applications", cursor=first["pagination"]["nextCursor"]).get_json()
    names = [item["name"] for item in first["data"] + second["data"]]
    assert names == ["Okta SSO", "Splunk Forwarder", "ServiceNow Ticketing"]
    scope = first["data"][0]["scopes"][0]
    assert set(scope) >= {
        "id",
        "account",
        "accountId",
        "scopeId",
        "scopeLevel",
        "status",
        "desiredStatus",
        "applicationInstanceName",
    }
    both = api.get("singularity-marketplace/applications", limit=2, cursor=first["pagination"]["nextCursor"])
    assert error_of(both)["detail"] == "limit: Cannot be used together with cursor."


def test_marketplace_filters(api: Api) -> None:
    account_id = next(iter(api.store.accounts))

    assert [item["name"] for item in api.data("singularity-marketplace/applications", name__contains="splunk")] == [
        "Splunk Forwarder"
    ]
    assert len(api.data("singularity-marketplace/applications", accountIds=account_id)) == 3
    assert api.data("singularity-marketplace/applications", applicationCatalogId="1700000000000000001")[0]["name"] == "Okta SSO"


def test_service_users(api: Api) -> None:
    users = api.data("service-users", limit=1000)

    assert [user["name"] for user in users] == ["xsoar-acme-corp", "xsoar-globex"]
    assert set(users[0]) >= {"apiToken", "createdBy", "updatedBy", "scopeRoles", "lastActivation", "scope"}
    assert users[0]["scopeRoles"][0]["roleName"] == "Viewer"
    assert [user["id"] for user in api.data("service-users", roleIds="1600000000000000002")] == [users[1]["id"]]
    assert api.get("service-users", "2.0").status_code == 404


def test_sdl_power_query(api: Api) -> None:
    body = {
        "query": "| columns endpoint.name, event.type | limit 4",
        "startTime": "2024-04-30T00:00:00Z",
        "endTime": "2024-05-01T00:00:00Z",
    }

    response = api.client.post("/api/powerQuery", json=body, headers={"Authorization": f"Bearer {TOKEN}"})

    assert response.status_code == 200
    payload = response.get_json()
    assert payload["status"] == "success"
    assert payload["columns"] == [{"name": "endpoint.name"}, {"name": "event.type"}]
    assert len(payload["values"]) == payload["matchingEvents"] == 4
    names = {agent["computerName"] for agent in api.store.agents.values()}
    assert all(row[0] in names for row in payload["values"])
    again = api.client.post("/api/powerQuery", json=body, headers={"Authorization": f"Bearer {TOKEN}"}).get_json()
    assert again == payload


def test_sdl_power_query_auth_and_validation(api: Api) -> None:
    assert (
        api.client.post("/api/powerQuery", json={"query": "x"}, headers={"Authorization": f"ApiToken {TOKEN}"}).status_code == 401
    )
    missing = api.client.post("/api/powerQuery", json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert error_of(missing)["detail"] == "query: Missing data for required field."


def test_threat_download_from_cloud(api: Api) -> None:
    available = next(t for t in api.store.threats.values() if t["_sim"]["cloudFile"])
    missing = next(t for t in api.store.threats.values() if not t["_sim"]["cloudFile"])

    data = api.data(f"threats/{available['id']}/download-from-cloud")

    assert data["fileName"] == f"{available['threatInfo']['sha256']}.bin"
    assert data["downloadUrl"] == f"http://localhost/downloads/vault-{available['id']}/{data['fileName']}"
    content = api.client.get(data["downloadUrl"].replace("http://localhost", "")).data
    assert content.startswith(b"Simulated content of ")
    response = api.get(f"threats/{missing['id']}/download-from-cloud")
    assert response.status_code == 404
    assert error_of(response)["detail"] == "File not available for Download from BinaryVault"
