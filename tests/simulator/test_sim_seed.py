"""The synthetic tenant is deterministic for a seed, sized by the flags, and internally consistent."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from s1sim.clock import SimClock
from s1sim.seed import build_tenant
from s1sim.store import Store, TenantSize

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)


def tenant(seed: int = 0, size: TenantSize | None = None) -> Store:
    return build_tenant(SimClock(START, frozen=True), seed, size)


def snapshot(store: Store) -> dict:
    return {
        name: getattr(store, name)
        for name in (
            "accounts",
            "sites",
            "groups",
            "agents",
            "threats",
            "alerts",
            "activities",
            "exclusions",
            "restrictions",
            "iocs",
        )
    }


def test_same_seed_same_tenant_even_on_a_running_clock() -> None:
    assert snapshot(tenant(3)) == snapshot(tenant(3))
    running = build_tenant(SimClock(START, frozen=False), 3)
    assert snapshot(running) == snapshot(tenant(3))


def test_different_seed_different_tenant() -> None:
    first, second = tenant(1), tenant(2)

    assert [agent["computerName"] for agent in first.agents.values()] != [
        agent["computerName"] for agent in second.agents.values()
    ]


def test_sizes_follow_the_flags() -> None:
    store = tenant(0, TenantSize(agents=300, threats=1200, alerts=700))

    assert (len(store.agents), len(store.threats), len(store.alerts)) == (300, 1200, 700)
    assert len({agent["computerName"] for agent in store.agents.values()}) > 250


def test_empty_tenant() -> None:
    store = tenant(0, TenantSize(agents=0, threats=10, alerts=10))

    assert (len(store.agents), len(store.threats), len(store.alerts)) == (0, 0, 0)
    assert len(store.sites) == 4


def test_timestamps_sit_in_the_two_weeks_before_start() -> None:
    store = tenant()
    created = [threat["threatInfo"]["createdAt"] for threat in store.threats.values()]
    alerts = [alert["alertInfo"]["createdAt"] for alert in store.alerts.values()]

    earliest = (START - timedelta(days=14)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert all(earliest <= stamp < "2024-05-01T12:00:00.000000Z" for stamp in created + alerts)
    three_days = (START - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert 3 <= sum(stamp >= three_days for stamp in created) < 50


def test_ids_increase_in_creation_order() -> None:
    store = tenant()
    threats = sorted(store.threats.values(), key=lambda threat: threat["threatInfo"]["createdAt"])

    assert [int(threat["id"]) for threat in threats] == sorted(int(threat["id"]) for threat in threats)
    assert all(len(threat_id) == 19 for threat_id in store.threats)


def test_counters_are_consistent() -> None:
    store = tenant()

    for agent in store.agents.values():
        unresolved = [
            t
            for t in store.threats.values()
            if t["_sim"]["agentId"] == agent["id"] and t["threatInfo"]["incidentStatus"] != "resolved"
        ]
        assert agent["activeThreats"] == len(unresolved)
        assert agent["groupName"] == store.groups[agent["groupId"]]["name"]
        assert store.groups[agent["groupId"]]["siteId"] == agent["siteId"]
    assert sum(group["totalAgents"] for group in store.groups.values()) == 20
    assert sum(account["numberOfSites"] for account in store.accounts.values()) == 4
    assert [site["state"] for site in store.sites.values()].count("expired") == 1
