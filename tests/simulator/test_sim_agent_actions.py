"""Agent actions, sites (expire / reactivate), groups (delete, move agents)."""

from __future__ import annotations

from sim_api import Api, error_of


def agent_where(api: Api, **fields: object) -> dict:
    return next(agent for agent in api.store.agents.values() if all(agent[key] == value for key, value in fields.items()))


def test_disconnect_then_connect_walks_the_network_statuses(api: Api) -> None:
    agent = agent_where(api, networkStatus="connected", isActive=True)

    assert api.post("agents/actions/disconnect", {"filter": {"ids": [agent["id"]]}}).get_json() == {"data": {"affected": 1}}
    assert api.data("agents", ids=agent["id"])[0]["networkStatus"] == "disconnecting"
    api.advance(3)
    after = api.data("agents", ids=agent["id"])[0]
    assert (after["networkStatus"], after["networkQuarantineEnabled"]) == ("disconnected", True)
    disconnected = api.data("activities", agentIds=agent["id"], activityTypes="1001")
    assert [item["primaryDescription"] for item in disconnected] == [
        f"Agent {agent['computerName']} was disconnected from network."
    ]
    assert disconnected[0]["createdAt"] == "2024-05-01T12:00:03.000000Z"

    api.post("agents/actions/connect", {"filter": {"ids": [agent["id"]]}})
    assert api.data("agents", ids=agent["id"])[0]["networkStatus"] == "connecting"
    api.advance(3)
    assert api.data("agents", ids=agent["id"])[0]["networkStatus"] == "connected"
    assert len(api.data("activities", agentIds=agent["id"], activityTypes="1002")) == 1


def test_actions_count_every_matched_agent(api: Api) -> None:
    ids = list(api.store.agents)[:3]

    assert api.post("agents/actions/initiate-scan", {"filter": {"ids": ids}, "data": {}}).get_json() == {"data": {"affected": 3}}
    assert {api.store.agents[agent_id]["scanStatus"] for agent_id in ids} == {"started"}
    api.post("agents/actions/abort-scan", {"filter": {"ids": ids[:1]}, "data": {}})
    assert api.store.agents[ids[0]]["scanStatus"] == "aborted"
    api.advance(10)
    assert [api.store.agents[agent_id]["scanStatus"] for agent_id in ids] == ["aborted", "finished", "finished"]
    assert api.post("agents/actions/fetch-logs", {"filter": {"ids": ids}, "data": {"agentLogs": True}}).get_json() == {
        "data": {"affected": 3}
    }


def test_action_filter_must_not_be_empty_or_unknown(api: Api) -> None:
    assert error_of(api.post("agents/actions/shutdown", {"filter": {"query": "", "ids": []}}))["detail"] == (
        "filter: At least one filter field is required."
    )
    assert error_of(api.post("agents/actions/connect", {"filter": {"agent": "1"}}))["detail"] == "agent: Unknown field."
    assert api.post("agents/actions/teleport", {"filter": {"ids": ["1"]}}).status_code == 404


def test_tenant_true_alone_selects_every_agent_but_false_or_empty_is_refused(api: Api) -> None:
    displaying = [agent for agent in api.store.agents.values() if agent["osType"] in ("windows", "macos")]

    every = api.post("agents/actions/broadcast", {"data": {"message": "hi"}, "filter": {"tenant": True}})

    assert every.get_json() == {"data": {"affected": len(displaying)}}
    for refused in ({}, {"tenant": False}, {"tenant": "false", "ids": []}):
        response = api.post("agents/actions/broadcast", {"data": {"message": "hi"}, "filter": refused})
        assert error_of(response)["detail"] == "filter: At least one filter field is required."


def test_shutdown_takes_active_agents_offline(api: Api) -> None:
    agent = agent_where(api, isActive=True)
    group_id = agent["groupId"]

    response = api.post("agents/actions/shutdown", {"filter": {"query": "", "ids": [agent["id"]], "groupIds": [group_id]}})

    assert response.get_json() == {"data": {"affected": 1}}
    api.advance(2)
    assert api.store.agents[agent["id"]]["isActive"] is False


def test_uninstall_marks_pending_then_uninstalled(api: Api) -> None:
    agent = agent_where(api, isActive=True)

    api.post("agents/actions/uninstall", {"filter": {"ids": [agent["id"]]}})
    assert api.store.agents[agent["id"]]["isPendingUninstall"] is True
    api.advance(5)

    after = api.data("agents", ids=agent["id"])[0]
    assert (after["isUninstalled"], after["isPendingUninstall"], after["isActive"]) == (True, False, False)
    assert len(api.data("activities", agentIds=agent["id"], activityTypes=51)) == 1


def test_broadcast_counts_windows_and_mac_agents_only(api: Api) -> None:
    ids = list(api.store.agents)
    expected = sum(1 for agent in api.store.agents.values() if agent["osType"] in ("windows", "macos"))

    response = api.post("agents/actions/broadcast", {"data": {"message": "Reboot tonight"}, "filter": {"ids": ids}})

    assert response.get_json() == {"data": {"affected": expected}}
    too_long = api.post("agents/actions/broadcast", {"data": {"message": "x" * 141}, "filter": {"ids": ids}})
    assert error_of(too_long)["detail"] == "message: Longer than maximum length 140."


def test_broadcast_is_active_filter(api: Api) -> None:
    inactive = sum(1 for agent in api.store.agents.values() if not agent["isActive"] and agent["osType"] in ("windows", "macos"))

    response = api.post("agents/actions/broadcast", {"data": {"message": "hi"}, "filter": {"isActive": False}})

    assert response.get_json() == {"data": {"affected": inactive}}


def test_expire_and_reactivate_site(api: Api) -> None:
    site = next(site for site in api.store.sites.values() if site["state"] == "active")

    expired = api.post(f"sites/{site['id']}/expire-now").get_json()["data"]

    assert (expired["id"], expired["state"], expired["expiration"]) == (site["id"], "expired", "2024-05-01T12:00:00.000000Z")
    missing = api.put(f"sites/{site['id']}/reactivate", {"data": {"unlimited": False}})
    assert error_of(missing)["detail"] == "expiration: Required unless unlimited is true."
    body = {"data": {"expiration": "2025-01-01T00:00:00Z", "unlimited": False}}
    assert api.put(f"sites/{site['id']}/reactivate", body).get_json() == {"data": {"success": True}}
    after = api.data(f"sites/{site['id']}")
    assert (after["state"], after["expiration"], after["unlimitedExpiration"]) == ("active", "2025-01-01T00:00:00.000000Z", False)
    assert api.put(f"sites/{site['id']}/reactivate", {"data": {"unlimited": True}}).status_code == 200
    assert api.data(f"sites/{site['id']}")["expiration"] is None


def test_move_agents_to_a_static_group(api: Api) -> None:
    target = next(g for g in api.store.groups.values() if g["type"] == "static" and not g["isDefault"])
    movers = [agent["id"] for agent in api.store.agents.values() if agent["groupId"] != target["id"]][:2]
    site = api.store.sites[target["siteId"]]

    response = api.put(f"groups/{target['id']}/move-agents", {"filter": {"ids": movers}})

    assert response.get_json() == {"data": {"agentsMoved": 2}}
    for agent in api.data("agents", ids=movers):
        assert (agent["groupId"], agent["groupName"], agent["siteId"], agent["siteName"]) == (
            target["id"],
            target["name"],
            site["id"],
            site["name"],
        )
    assert api.data("groups", groupIds=target["id"])[0]["totalAgents"] == sum(
        1 for agent in api.store.agents.values() if agent["groupId"] == target["id"]
    )
    legacy = api.put(f"groups/{target['id']}/move-agents", {"filter": {"agentIds": movers[:1]}})
    assert legacy.get_json() == {"data": {"agentsMoved": 1}}


def test_move_agents_to_a_dynamic_group_is_refused(api: Api) -> None:
    dynamic = next(g for g in api.store.groups.values() if g["type"] == "dynamic")

    response = api.put(f"groups/{dynamic['id']}/move-agents", {"filter": {"ids": [next(iter(api.store.agents))]}})

    assert error_of(response)["detail"] == "Agents can only be moved to a static group; Workstations is dynamic."


def test_delete_group_moves_its_agents_to_the_default_group(api: Api) -> None:
    group = max((g for g in api.store.groups.values() if not g["isDefault"] and g["totalAgents"]), key=lambda g: g["totalAgents"])
    members = [agent["id"] for agent in api.store.agents.values() if agent["groupId"] == group["id"]]
    default = next(g for g in api.store.groups.values() if g["siteId"] == group["siteId"] and g["isDefault"])

    assert api.delete(f"groups/{group['id']}").get_json() == {"data": {"success": True}}

    assert {agent["groupId"] for agent in api.data("agents", ids=members, limit=100)} == {default["id"]}
    assert api.data("groups", groupIds=group["id"]) == []
    assert api.delete(f"groups/{group['id']}").status_code == 404
    assert error_of(api.delete(f"groups/{default['id']}"))["detail"] == "The default group of a site cannot be deleted."


def test_group_filters(api: Api) -> None:
    site_id = next(iter(api.store.sites))

    groups = api.data("groups", siteIds=site_id, type="static")

    assert {group["name"] for group in groups} == {"Default Group", "Servers"}
    assert [group["name"] for group in api.data("groups", siteIds=site_id, isDefault="true")] == ["Default Group"]
    assert [group["name"] for group in api.data("groups", siteIds=site_id, name="Workstations")] == ["Workstations"]


def test_agents_count(api: Api) -> None:
    windows = sum(1 for agent in api.store.agents.values() if agent["osType"] == "windows")

    assert api.data("agents/count", osTypes="windows") == {"total": windows}
