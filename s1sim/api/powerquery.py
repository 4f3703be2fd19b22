"""Power Query (2.1): `dv/events/pq` starts a query that runs for PQ_SECONDS of simulated time; `dv/events/pq-ping`
reports RUNNING with a growing `progress`, then FINISHED with `columns` and `data` rows.

Columns: those named by a trailing `| columns a, b` in the query, else a default set. A `| limit N` caps the rows;
otherwise, like the console, results stop at 1000 rows with a recommendation.
"""

from __future__ import annotations

import re
from typing import Any

from s1sim.api.dv import new_query, progress, query_events, query_not_found
from s1sim.api.routing import V21, Call, Routes
from s1sim.clock import epoch_millis, parse_timestamp
from s1sim.errors import validation_error
from s1sim.store import Record, Store

routes = Routes()

PQ_SECONDS = 3.0
DEFAULT_ROW_LIMIT = 1000
DEFAULT_COLUMNS = ("eventTime", "agentUuid", "siteId", "endpoint.name", "event.type", "src.process.name")
LIMIT_RECOMMENDATION = 'Result set limited to 1000 rows by default. To display more rows, add a command like "| limit 10000".'
# PowerQuery column names → the synthetic event's field.
COLUMN_FIELDS = {
    "agentUuid": "agentUuid",
    "agent.uuid": "agentUuid",
    "siteId": "siteId",
    "site.id": "siteId",
    "site.name": "siteName",
    "endpoint.name": "agentName",
    "endpoint.os": "agentOs",
    "event.type": "eventType",
    "src.process.name": "processName",
    "src.process.cmdline": "processCmd",
    "src.process.pid": "pid",
    "src.process.user": "user",
    "tgt.file.path": "fileFullName",
    "dst.ip.address": "dstIp",
    "dst.port.number": "dstPort",
    "event.dns.request": "dnsRequest",
    "url.address": "networkUrl",
}


def requested_columns(query: str) -> list[str]:
    match = re.search(r"\|\s*columns\s+([^|]+)", query)
    if not match:
        return list(DEFAULT_COLUMNS)
    return [name.strip().split("=")[0].strip() for name in match.group(1).split(",") if name.strip()]


def requested_limit(query: str) -> int | None:
    match = re.search(r"\|\s*limit\s+(\d+)", query)
    return int(match.group(1)) if match else None


def column_type(name: str) -> str:
    return "INTEGER" if name in ("eventTime", "dst.port.number", "src.process.pid") else "STRING"


def cell(event: Record, column: str) -> Any:
    if column == "eventTime":
        return epoch_millis(parse_timestamp(event["createdAt"]))
    value = event.get(COLUMN_FIELDS.get(column, column))
    return int(value) if column_type(column) == "INTEGER" and value is not None else value


def query_payload(store: Store, query: Record) -> dict[str, Any]:
    done = progress(store, query)
    payload: dict[str, Any] = {
        "columns": [],
        "data": [],
        "progress": done,
        "queryId": query["queryId"],
        "recommendations": [],
        "status": "RUNNING",
    }
    if done < 100:
        return payload
    columns = requested_columns(query["query"])
    explicit_limit = requested_limit(query["query"])
    cap = min(explicit_limit or DEFAULT_ROW_LIMIT, query["limit"])
    events = query_events(store, query)
    rows = [[cell(event, column) for column in columns] for event in events[:cap]]
    payload.update(
        {
            "columns": [{"name": column, "type": column_type(column)} for column in columns],
            "data": rows,
            "recommendations": [LIMIT_RECOMMENDATION] if explicit_limit is None and len(events) > cap else [],
            "status": "FINISHED",
        }
    )
    return payload


@routes.route("dv/events/pq", methods=("POST",), versions=V21)
def start_power_query(call: Call) -> dict[str, Any]:
    store = call.store
    query = new_query(call, store.ids.power_query_id(), PQ_SECONDS, DEFAULT_ROW_LIMIT)
    store.power_queries[query["queryId"]] = query
    return {"data": query_payload(store, query)}


@routes.route("dv/events/pq-ping", versions=V21)
def ping_power_query(call: Call) -> dict[str, Any]:
    query_id = call.query.text("queryId") or call.query.text("query_id")
    if query_id is None:
        raise validation_error("queryId: Missing data for required field.")
    query = call.store.power_queries.get(query_id)
    if query is None:
        raise query_not_found()
    return {"data": query_payload(call.store, query)}
