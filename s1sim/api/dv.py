"""Deep Visibility: `dv/init-query` starts a query that runs for DV_QUERY_SECONDS of simulated time
(`dv/query-status` says RUNNING with a growing `progressStatus`, then FINISHED); `dv/events` and
`dv/events/{type}` page through its events once finished; `dv/cancel-query` cancels it.

The public XSOAR pack sends `query_id` where the API documents `queryId`; both are accepted.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from s1sim.api.routing import Call, Routes, envelope, success
from s1sim.clock import format_timestamp
from s1sim.errors import NOT_FOUND, ApiError, validation_error
from s1sim.events import synthesize_events
from s1sim.filters import FreeText, ParamSource, path
from s1sim.listing import ListSpec
from s1sim.store import Record, Store

routes = Routes()

DV_QUERY_SECONDS = 5.0
MAX_LOOKBACK = timedelta(days=93)
MAX_QUERY_LIMIT = 100_000
DEFAULT_QUERY_LIMIT = 20_000
EVENT_TYPES = ("process", "file", "ip", "url", "dns", "registry", "scheduled_task", "logins", "indicators")


def query_not_found() -> ApiError:
    return ApiError(404, NOT_FOUND, "Resource not found", "Query Not Found")


def query_window(store: Store, source: ParamSource) -> tuple[datetime, datetime]:
    from_date, to_date = source.timestamp("fromDate"), source.timestamp("toDate")
    if from_date is None:
        raise validation_error("fromDate: Missing data for required field.")
    if to_date is None:
        raise validation_error("toDate: Missing data for required field.")
    if from_date > to_date:
        raise validation_error("fromDate: Must be earlier than toDate.")
    if from_date < store.now() - MAX_LOOKBACK:
        raise validation_error("fromDate: Queries can look back at most 93 days.")
    return from_date, to_date


def new_query(call: Call, query_id: str, duration: float, default_limit: int) -> Record:
    """A query record from the POST body shared by `dv/init-query` and `dv/events/pq`."""
    store = call.store
    body = call.body
    source = ParamSource.from_body(body)
    text = body.get("query")
    if not isinstance(text, str) or not text.strip():
        raise validation_error("query: Missing data for required field.")
    from_date, to_date = query_window(store, source)
    limit = source.integer("limit", 1, MAX_QUERY_LIMIT)
    return {
        "accountIds": source.listed("accountIds"),
        "cancelled": False,
        "createdAt": store.now(),
        "duration": duration,
        "events": None,
        "fromDate": from_date,
        "groupIds": source.listed("groupIds"),
        "limit": limit if limit is not None else default_limit,
        "numericBase": store.ids.numeric_id(),
        "query": text,
        "queryId": query_id,
        "siteIds": source.listed("siteIds"),
        "toDate": to_date,
    }


def progress(store: Store, query: Record) -> int:
    elapsed = (store.now() - query["createdAt"]).total_seconds()
    if elapsed >= query["duration"]:
        return 100
    return min(99, int(elapsed / query["duration"] * 100))


def query_events(store: Store, query: Record) -> list[Record]:
    if query["events"] is None:
        query["events"] = synthesize_events(store, query, min(query["limit"], 20 + len(query["query"]) % 21))
    return query["events"]


def find_query(store: Store, source: ParamSource) -> Record:
    query_id = source.text("queryId") or source.text("query_id")
    if query_id is None:
        raise validation_error("queryId: Missing data for required field.")
    query = store.dv_queries.get(query_id)
    if query is None:
        raise query_not_found()
    return query


@routes.route("dv/init-query", methods=("POST",))
def init_query(call: Call) -> dict[str, Any]:
    store = call.store
    query = new_query(call, store.ids.dv_query_id(), DV_QUERY_SECONDS, DEFAULT_QUERY_LIMIT)
    store.dv_queries[query["queryId"]] = query
    return {"data": {"queryId": query["queryId"], "queryModeInfo": {"lastActivatedAt": store.now_text(), "mode": "scalyr"}}}


@routes.route("dv/query-status")
def query_status(call: Call) -> dict[str, Any]:
    query = find_query(call.store, call.query)
    done = progress(call.store, query)
    state = "QUERY_CANCELLED" if query["cancelled"] else "FINISHED" if done == 100 else "RUNNING"
    return {
        "data": {
            "progressStatus": done,
            "queryModeInfo": {"lastActivatedAt": format_timestamp(query["createdAt"]), "mode": "scalyr"},
            "responseError": None,
            "responseState": state,
            "warnings": None,
        }
    }


@routes.route("dv/cancel-query", methods=("POST",))
def cancel_query(call: Call) -> dict[str, Any]:
    body = call.body
    query = find_query(call.store, ParamSource.from_body({"queryId": body.get("queryId") or body.get("queryID")}))
    query["cancelled"] = True
    return success()


EVENTS = ListSpec(
    filters={
        "subQuery": FreeText(lambda event: (event["processName"], event["processCmd"], event["eventType"], event["agentName"]))
    },
    sorts={"id": path("id"), "createdAt": path("createdAt"), "eventTime": path("eventTime"), "processName": path("processName")},
    default_limit=10,
    own_parameters=frozenset({"queryId", "query_id"}),
)


def events_page(call: Call, object_type: str | None) -> dict[str, Any]:
    store = call.store
    query = find_query(store, call.query)
    if query["cancelled"]:
        raise validation_error("queryId: The query was cancelled.")
    if progress(store, query) < 100:
        raise validation_error("queryId: The query is still running.")
    events = query_events(store, query)
    if object_type is not None:
        events = [event for event in events if event["objectType"] == object_type]
    page, pagination = EVENTS.select(events, call.query)
    return envelope([dict(event) for event in page], pagination)


@routes.route("dv/events")
def list_events(call: Call) -> dict[str, Any]:
    return events_page(call, None)


@routes.route("dv/events/<event_type>")
def list_events_of_type(call: Call, event_type: str) -> dict[str, Any]:
    if event_type not in EVENT_TYPES:
        raise validation_error(f"event_type: Must be one of: {', '.join(EVENT_TYPES)}.")
    return events_page(call, event_type)
