"""Fixtures for the simulator's own tests. The live-server fixtures (`s1sim`, `s1sim_https`) come from
s1sim.pytest_plugin, which the root conftest loads."""

from __future__ import annotations

import pytest
from sim_api import Api, make_api


@pytest.fixture(scope="session")
def shared_api() -> Api:
    return make_api()


@pytest.fixture
def api(shared_api: Api) -> Api:
    """An in-process simulator in its seeded state (seed 0, default sizes, clock frozen at 2024-05-01T12:00:00Z).

    One Flask app serves the whole session; resetting it reseeds the tenant, which is cheaper than a new app."""
    shared_api.simulator.reset()
    return shared_api
