"""The Flask application: API routing under /web/api/v2.0 and /web/api/v2.1, auth, faults, rate limits, the request
log, error envelopes, unauthenticated downloads and the /_sim control surface."""

from __future__ import annotations

import hmac
import json
import logging
import socket
import time
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from s1sim import sdl
from s1sim.api import (
    activities,
    agents,
    alerts,
    control,
    dv,
    exports,
    iocs,
    lists,
    marketplace,
    powerquery,
    remote_scripts,
    sites,
    star,
    threats,
    uam,
    unified_exclusions,
)
from s1sim.api import system as system_api
from s1sim.api.routing import Call, Endpoint, Routes
from s1sim.errors import INTERNAL_ERROR, TOO_MANY_REQUESTS, ApiError, authentication_failed, error_body, not_found
from s1sim.faults import FaultRule
from s1sim.filters import AUTH_QUERY_PARAMETERS
from s1sim.simulator import Simulator

API_PREFIX = "/web/api/"
DOWNLOAD_PREFIX = "/downloads/"
CONTROL_PREFIX = "/_sim"
API_MODULES: tuple[Routes, ...] = (
    system_api.routes,
    sites.routes,
    activities.routes,
    agents.routes,
    threats.routes,
    alerts.routes,
    lists.routes,
    star.routes,
    iocs.routes,
    dv.routes,
    powerquery.routes,
    remote_scripts.routes,
    marketplace.routes,
    unified_exclusions.routes,
    exports.routes,
    uam.routes,
)
log = logging.getLogger("s1sim")


class ApiVersionConverter(BaseConverter):
    regex = r"2\.0|2\.1"


def json_response(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(payload), status=status, mimetype="application/json", headers=headers)


def api_path_of(path: str) -> str | None:
    """`/web/api/v2.1/threats/1/notes` → `threats/1/notes`; None outside the API."""
    if not path.startswith(API_PREFIX):
        return None
    _, _, rest = path[len(API_PREFIX) :].partition("/")
    return rest.strip("/")


def request_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, credential = header.strip().partition(" ")
    if scheme.lower() in ("apitoken", "bearer") and credential.strip():
        return credential.strip()
    for name in AUTH_QUERY_PARAMETERS:
        if request.args.get(name):
            return request.args[name]
    return None


def fault_answer(rule: FaultRule) -> Response:
    headers = {"Retry-After": str(rule.retry_after)} if rule.retry_after is not None else {}
    status = rule.status or (429 if rule.retry_after is not None else 200)
    if rule.malformed:
        return Response('{"data": [{"id": "', status=status, mimetype="application/json", headers=headers)
    if rule.body is not None:
        return json_response(rule.body, status, headers)
    return json_response(default_error_body(status), status, headers)


def default_error_body(status: int) -> dict[str, Any]:
    if status == 429:
        return error_body(TOO_MANY_REQUESTS, "Too Many Requests", "Too many requests")
    if status == 401:
        return authentication_failed().body()
    if status >= 500:
        return error_body(INTERNAL_ERROR, "Internal server error", "Server could not process the request.")
    reason = {400: "Bad Request", 403: "Insufficient Permissions", 404: "Resource not found"}.get(status, "Error")
    return error_body(status * 10000 + 10, reason, f"Injected fault ({status})")


def drop_connection() -> Response:
    """Close the client's socket without answering (the client sees a reset / closed connection)."""
    connection = request.environ.get("werkzeug.socket")
    if connection is None:
        # The Flask test client has no socket; the closest thing it can observe is a gateway error.
        return json_response(default_error_body(502), 502)
    try:
        connection.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    g.connection_dropped = True
    return Response(b"", status=500)


def create_app(simulator: Simulator) -> Flask:
    app = Flask("s1sim")
    app.url_map.converters["api_version"] = ApiVersionConverter
    app.url_map.strict_slashes = False
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["s1sim"] = simulator
    unauthenticated: set[str] = set()

    def add_endpoint(module_index: int, endpoint: Endpoint) -> None:
        name = f"api{module_index}.{endpoint.handler.__name__}"
        if not endpoint.authenticated:
            unauthenticated.add(name)

        def view(version: str, **params: Any) -> Response:
            if version not in endpoint.versions:
                raise not_found(f"This endpoint is not available in API version {version}")
            store = simulator.store
            with store.lock:
                store.run_due()
                result = endpoint.handler(Call(store, version, request), **params)
                return result if isinstance(result, Response) else json_response(result)

        app.add_url_rule(f"{API_PREFIX}v<api_version:version>/{endpoint.path}", name, view, methods=list(endpoint.methods))

    for index, module in enumerate(API_MODULES):
        for endpoint in module.endpoints:
            add_endpoint(index, endpoint)

    @app.route(f"{DOWNLOAD_PREFIX}<key>/<file_name>")
    def download(key: str, file_name: str) -> Response:
        store = simulator.store
        with store.lock:
            store.run_due()
            item = store.downloads.get(key)
            if item is None or item.file_name != file_name:
                raise not_found("The requested file does not exist")
            return Response(
                item.content,
                mimetype=item.content_type,
                headers={"Content-Disposition": f'attachment; filename="{item.file_name}"'},
            )

    app.register_blueprint(control.blueprint(simulator), url_prefix=CONTROL_PREFIX)
    app.register_blueprint(sdl.blueprint(simulator))

    @app.before_request
    def before() -> Response | None:
        path = request.path
        if path.startswith(CONTROL_PREFIX):
            return None
        api_path = api_path_of(path)
        g.log_entry = simulator.request_log.record(
            method=request.method,
            path=path,
            query=request.args,
            raw_body=request.get_data(cache=True),
            at=simulator.store.now_text(),
        )
        fired = simulator.faults.fire(request.method, path, api_path)
        delay = sum(rule.latency for rule in fired)
        if delay > 0:
            time.sleep(delay)
        answering = next((rule for rule in fired if rule.answers), None)
        if answering is not None:
            return drop_connection() if answering.drop else fault_answer(answering)
        if api_path is None:
            return None
        token = request_token()
        valid = token is not None and hmac.compare_digest(token.encode(), simulator.config.token.encode())
        if request.endpoint not in unauthenticated and not valid:
            raise authentication_failed()
        retry_after = simulator.rate_limiter.check(token or f"ip:{request.remote_addr}", api_path)
        if retry_after is not None:
            return json_response(
                error_body(TOO_MANY_REQUESTS, "Too Many Requests", "Too many requests"), 429, {"Retry-After": str(retry_after)}
            )
        return None

    @app.after_request
    def after(response: Response) -> Response:
        entry = g.get("log_entry")
        if entry is not None:
            entry["status"] = None if g.get("connection_dropped") else response.status_code
        return response

    @app.errorhandler(ApiError)
    def api_error(error: ApiError) -> Response:
        return json_response(error.body(), error.status)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Response:
        status = error.code or 500
        if status == 404:
            return json_response(not_found().body(), 404)
        if status == 405:
            return json_response(error_body(4050010, "Method Not Allowed", f"Method {request.method} is not allowed"), 405)
        return json_response(error_body(status * 10000 + 10, error.name, error.description), status)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.path)
        return json_response(default_error_body(500), 500)

    return app
