"""The Singularity Data Lake PowerQuery endpoint (`POST /api/powerQuery`), which `sentinelone-run-powerquery` calls
at the `singularity_xdr_url` host rather than under the management API.

Authenticated with `Authorization: Bearer <key>`, where the simulator accepts its API token as the SDL key.
Synchronous: the answer carries the rows at once (`{status, matchingEvents, omittedEvents, columns, values}`).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

from flask import Blueprint, request

from s1sim.api.dv import DEFAULT_QUERY_LIMIT
from s1sim.api.powerquery import cell, requested_columns, requested_limit
from s1sim.clock import parse_timestamp
from s1sim.errors import ApiError, validation_error
from s1sim.events import synthesize_events
from s1sim.simulator import Simulator

DEFAULT_WINDOW_HOURS = 24


def blueprint(simulator: Simulator) -> Blueprint:
    sdl = Blueprint("s1sim_sdl", __name__)

    @sdl.post("/api/powerQuery")
    def power_query() -> dict[str, Any]:
        scheme, _, key = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or key.strip() != simulator.config.token:
            raise ApiError(401, 4010010, "Authentication Failed", "Invalid or missing Bearer key")
        body = request.get_json(force=True, silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("query"), str) or not body["query"].strip():
            raise validation_error("query: Missing data for required field.")
        store = simulator.store
        with store.lock:
            now = store.now()
            try:
                start = parse_timestamp(str(body["startTime"])) if body.get("startTime") else None
                end = parse_timestamp(str(body["endTime"])) if body.get("endTime") else now
            except ValueError:
                raise validation_error("startTime: Not a valid datetime.")
            query = {
                "query": body["query"],
                "queryId": "sdl-" + hashlib.sha1(f"{body['query']}|{start}|{end}".encode()).hexdigest(),
                "fromDate": start or end - timedelta(hours=DEFAULT_WINDOW_HOURS),
                "toDate": end,
                "createdAt": now,
                "numericBase": "1900000000000000000",
            }
            columns = requested_columns(body["query"])
            limit = min(requested_limit(body["query"]) or DEFAULT_QUERY_LIMIT, 1000)
            events = synthesize_events(store, query, min(limit, 25))
            return {
                "columns": [{"name": column} for column in columns],
                "matchingEvents": len(events),
                "omittedEvents": 0,
                "status": "success",
                "values": [[cell(event, column) for column in columns] for event in events],
            }

    return sdl
