"""How endpoint modules declare routes, and the per-request context their handlers receive."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from flask import Request, Response

from s1sim.errors import ApiError, validation_error
from s1sim.filters import ParamSource
from s1sim.store import Store

V20 = frozenset({"2.0"})
V21 = frozenset({"2.1"})
BOTH = V20 | V21

HandlerResult = dict[str, Any] | Response
Handler = Callable[..., HandlerResult]


@dataclass
class Call:
    """One API request as a handler sees it."""

    store: Store
    version: str
    request: Request

    @cached_property
    def query(self) -> ParamSource:
        return ParamSource.from_query(self.request.args)

    @cached_property
    def body(self) -> dict[str, Any]:
        raw = self.request.get_data(cache=True)
        if not raw.strip():
            return {}
        payload = self.request.get_json(force=True, silent=True)
        if not isinstance(payload, dict):
            raise ApiError(400, 4000040, "Bad Request", "Bad Request - could not parse body")
        return payload

    def body_filter(self, required: bool = True) -> ParamSource:
        raw = self.body.get("filter")
        if raw is None and not required:
            return ParamSource.from_body({})
        if not isinstance(raw, dict):
            raise validation_error("filter: Missing data for required field.")
        return ParamSource.from_body(raw)

    def body_data(self, required: bool = True) -> Any:
        if "data" not in self.body:
            if required:
                raise validation_error("data: Missing data for required field.")
            return {}
        return self.body["data"]

    def data_object(self, required: bool = True) -> dict[str, Any]:
        data = self.body_data(required)
        if not isinstance(data, dict):
            raise validation_error("data: Invalid input type.")
        return data

    def absolute_url(self, path: str) -> str:
        return self.request.host_url.rstrip("/") + "/" + path.lstrip("/")


@dataclass(frozen=True)
class Endpoint:
    path: str  # relative to /web/api/v2.x/, Werkzeug rule syntax for parameters
    methods: tuple[str, ...]
    versions: frozenset[str]
    handler: Handler
    authenticated: bool = True


@dataclass
class Routes:
    """A module's endpoint table."""

    endpoints: list[Endpoint] = field(default_factory=list)

    def route(
        self, path: str, methods: tuple[str, ...] = ("GET",), versions: frozenset[str] = BOTH, authenticated: bool = True
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            self.endpoints.append(Endpoint(path, methods, versions, handler, authenticated))
            return handler

        return register


def affected(count: int) -> dict[str, Any]:
    return {"data": {"affected": count}}


def success() -> dict[str, Any]:
    return {"data": {"success": True}}


def envelope(items: list[Any], pagination: dict[str, Any]) -> dict[str, Any]:
    return {"data": items, "pagination": pagination}


def require_nonempty_filter(source: ParamSource, ignore: tuple[str, ...] = ("tenant",)) -> None:
    """Actions refuse an empty filter rather than act on every object of the tenant."""
    if not any(source.has_value(name) for name in source.names() if name not in ignore):
        raise validation_error("filter: At least one filter field is required.")
