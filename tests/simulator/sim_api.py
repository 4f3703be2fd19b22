"""Helpers for the simulator's own tests: an in-process simulator with a frozen clock, driven through the Flask
test client (fast, no sockets)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from s1sim.app import create_app
from s1sim.simulator import Simulator, SimulatorConfig

TOKEN = "unit-token"
START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=timezone.utc)
START_TEXT = "2024-05-01T12:00:00.000000Z"


class Api:
    """Authenticated calls against /web/api/v<version>/ through the Flask test client."""

    def __init__(self, simulator: Simulator, client: FlaskClient) -> None:
        self.simulator = simulator
        self.client = client
        self.headers = {"Authorization": f"ApiToken {TOKEN}"}

    @property
    def store(self) -> Any:
        return self.simulator.store

    def url(self, path: str, version: str) -> str:
        return f"/web/api/v{version}/{path.lstrip('/')}"

    def get(self, path: str, version: str = "2.1", params: Mapping[str, Any] | None = None, **kwargs: Any) -> TestResponse:
        query = dict(params or {}, **kwargs)
        return self.client.get(self.url(path, version), query_string=query, headers=self.headers)

    def send(self, method: str, path: str, body: Any = None, version: str = "2.1") -> TestResponse:
        return self.client.open(self.url(path, version), method=method, json=body, headers=self.headers)

    def post(self, path: str, body: Any = None, version: str = "2.1") -> TestResponse:
        return self.send("POST", path, body, version)

    def put(self, path: str, body: Any = None, version: str = "2.1") -> TestResponse:
        return self.send("PUT", path, body, version)

    def delete(self, path: str, body: Any = None, version: str = "2.1") -> TestResponse:
        return self.send("DELETE", path, body, version)

    def data(self, path: str, version: str = "2.1", **params: Any) -> Any:
        response = self.get(path, version, params)
        assert response.status_code == 200, response.get_json()
        return response.get_json()["data"]

    def walk(self, path: str, version: str = "2.1", **params: Any) -> list[dict[str, Any]]:
        """Every item of a list endpoint, following nextCursor."""
        items: list[dict[str, Any]] = []
        cursor = None
        while True:
            query = dict(params, **({"cursor": cursor} if cursor else {}))
            payload = self.get(path, version, query).get_json()
            items.extend(payload["data"])
            cursor = payload["pagination"]["nextCursor"]
            if cursor is None:
                return items

    def advance(self, seconds: float) -> None:
        """Like POST /_sim/clock/advance: move the clock and apply what fell due."""
        self.simulator.clock.advance(seconds)
        self.simulator.store.run_due()


def make_api(**overrides: Any) -> Api:
    config = SimulatorConfig(**{"token": TOKEN, "start": START, "frozen_clock": True, **overrides})
    simulator = Simulator(config)
    return Api(simulator, create_app(simulator).test_client())


def error_of(response: TestResponse) -> dict[str, Any]:
    body = response.get_json()
    assert list(body) == ["errors"], body
    assert len(body["errors"]) == 1
    return body["errors"][0]
