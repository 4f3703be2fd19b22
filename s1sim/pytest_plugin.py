"""Pytest fixtures for a live simulator (loaded by the root conftest with `pytest_plugins = ["s1sim.pytest_plugin"]`).

- `s1sim`: plain-HTTP simulator, started once per session on a free loopback port, reset before each test.
- `s1sim_https`: the same over HTTPS with a self-signed certificate (BaseClient only retries over https).
- `s1sim_server` / `s1sim_https_server`: the session-scoped servers without the per-test reset.

Each yields a `SimulatorHandle`: `.url` (the integration's server URL), `.token`, `.api_url(version)`, `.control`
(`SimulatorControl`), `.ca_file` (HTTPS certificate, for `verify=`), `.server`. Rate limits are off by default;
switch them on in a test with `handle.control.set_rate_limits(enabled=True)` (a reset switches them off again).
The fixtures use seed 0, 20 agents, 50 threats, 30 alerts, 40 UAM alerts, and a running clock started at session start.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from s1sim.control import SimulatorControl
from s1sim.server import SimulatorServer
from s1sim.simulator import SimulatorConfig

FIXTURE_TOKEN = "s1sim-test-token"


@dataclass
class SimulatorHandle:
    server: SimulatorServer
    control: SimulatorControl

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def token(self) -> str:
        return self.server.token

    @property
    def ca_file(self) -> str | None:
        return self.server.ca_file

    def api_url(self, version: str = "2.1") -> str:
        return self.server.api_url(version)


def start_handle(https: bool) -> SimulatorHandle:
    server = SimulatorServer(SimulatorConfig(token=FIXTURE_TOKEN, rate_limits=False), https=https).start()
    return SimulatorHandle(server, SimulatorControl(server.url, verify=server.ca_file or True))


@pytest.fixture(scope="session")
def s1sim_server() -> Iterator[SimulatorHandle]:
    handle = start_handle(https=False)
    try:
        yield handle
    finally:
        handle.server.stop()


@pytest.fixture(scope="session")
def s1sim_https_server() -> Iterator[SimulatorHandle]:
    handle = start_handle(https=True)
    try:
        yield handle
    finally:
        handle.server.stop()


@pytest.fixture
def s1sim(s1sim_server: SimulatorHandle) -> SimulatorHandle:
    s1sim_server.server.simulator.reset()
    return s1sim_server


@pytest.fixture
def s1sim_https(s1sim_https_server: SimulatorHandle) -> SimulatorHandle:
    s1sim_https_server.server.simulator.reset()
    return s1sim_https_server
