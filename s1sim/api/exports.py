"""Threat exports (2.1, under `export/`): the events of a threat as a file download.

`GET export/threats/{threat_id}/explore/events?format=json|csv&eventTypes=...` answers the file itself, not the JSON
envelope: `Content-Disposition: attachment`, a JSON array of Deep Visibility-like events (or CSV with a header row).
`eventTypes` narrows the events to object types (`process`, `file`, `ip`, `dns`, `url`, `registry`); `events` means
all of them. The events are synthesized per threat, deterministically, on the threat's agent and storyline, in the
hour before the detection. The path falls under the `export` rate limit (1 request a second).

The full timeline has no export endpoint: clients page through `threats/{id}/timeline` (see api/threats.py).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from typing import Any

from flask import Response

from s1sim.api.routing import V21, Call, Routes
from s1sim.api.threats import find_threat, threat_agent
from s1sim.clock import parse_timestamp
from s1sim.errors import validation_error
from s1sim.events import OBJECT_TYPES, synthesize_events
from s1sim.filters import ParamSource
from s1sim.store import Record, Store

routes = Routes()

FORMATS = ("json", "csv")
EVENT_TYPE_CHOICES = ("events", *OBJECT_TYPES)
PARAMETERS = ("format", "eventTypes")


def threat_events(store: Store, threat: Record) -> list[Record]:
    agent = threat_agent(store, threat)
    detected = parse_timestamp(threat["threatInfo"]["createdAt"])
    query = {
        "queryId": f"export-{threat['id']}",
        "fromDate": detected - timedelta(hours=1),
        "toDate": detected,
        "createdAt": detected,
        "query": agent["computerName"],
        "siteIds": [agent["siteId"]],
        "numericBase": str(int(threat["id"]) * 100),
    }
    events = synthesize_events(store, query, 20 + int(threat["id"]) % 30)
    for event in events:
        event.update({"storyline": threat["threatInfo"]["storyline"], "relatedToThreat": "True"})
    return events


def requested_types(source: ParamSource) -> set[str]:
    wanted = [value.lower() for value in source.listed("eventTypes")] or ["events"]
    unknown = [value for value in wanted if value not in EVENT_TYPE_CHOICES]
    if unknown:
        raise validation_error(f"eventTypes: Must be one of: {', '.join(EVENT_TYPE_CHOICES)}.")
    return set(OBJECT_TYPES) if "events" in wanted else set(wanted)


def as_csv(events: list[Record]) -> str:
    columns = sorted({key for event in events for key in event})
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=columns)
    writer.writeheader()
    writer.writerows(events)
    return text.getvalue()


@routes.route("export/threats/<threat_id>/explore/events", versions=V21)
def export_threat_events(call: Call, threat_id: str) -> Response:
    source = call.query
    unknown = [name for name in source.names() if name not in PARAMETERS]
    if unknown:
        raise validation_error(f"{unknown[0]}: Unknown field.")
    export_format = (source.text("format") or "").lower()
    if export_format not in FORMATS:
        raise validation_error(f"format: Must be one of: {', '.join(FORMATS)}.")
    types = requested_types(source)
    threat = find_threat(call.store, threat_id)
    events = [event for event in threat_events(call.store, threat) if event["objectType"] in types]
    body: Any = json.dumps(events) if export_format == "json" else as_csv(events)
    mimetype = "application/json" if export_format == "json" else "text/csv"
    file_name = f"threat_{threat_id}_events.{export_format}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{file_name}"'})
