"""Cloud-detection (STAR) alerts, 2.1 only: list, incident status and analyst verdict updates.

Alerts carry display values (`"Unresolved"`, `"True positive"`); filters and updates accept the upper-case API
values (`UNRESOLVED`, `TRUE_POSITIVE`) and the lower-case ones alike. Updates bump `alertInfo.updatedAt`.

The API reference documents no `updatedAt` filter or sort on this list, yet a console may take one. The simulator plays
each kind of console (`Store.alert_update_filter`, switched through the control surface; a reset restores "reject"):
- "reject" (default, as documented): `updatedAt__*` filters and an update-time sort are a 400 validation error naming
  the parameter, like any unknown filter.
- "honour": `updatedAt__gt|gte|lt|lte|between` filter on `alertInfo.updatedAt`; `sortBy=alertInfoUpdatedAt` (or
  `updatedAt`) sorts by it.
- "ignore": those parameters are accepted and have no effect (the sort falls back to the alert id), so alerts updated
  before the bound come back.
An `ids` filter is looked up by id rather than by scanning every alert, so a 50,000-alert tenant answers it at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from s1sim.api.common import VALIDATED_BOOLEAN, accepted, public
from s1sim.api.routing import V21, Call, Routes, affected, envelope, require_nonempty_filter
from s1sim.api.threats import incident_status_value, verdict_value
from s1sim.filters import AnyOf, Contains, Filter, FreeText, Getter, ParamSource, lower, path, status_key, time_filters
from s1sim.listing import ListSpec
from s1sim.seed import DISPLAY_INCIDENT_STATUS, DISPLAY_VERDICT
from s1sim.store import Record, Store

routes = Routes()

ALERT_UPDATE_FILTER_MODES = ("reject", "honour", "ignore")
UPDATE_SORTS = ("alertInfoUpdatedAt", "updatedAt")


def alert_id(alert: Record) -> str:
    return str(alert["alertInfo"]["alertId"])


def render(store: Store, alert: Record) -> Record:
    rendered = public(alert)
    agent = store.agents[alert["_sim"]["agentId"]]
    rendered["agentRealtimeInfo"] = {
        "id": agent["id"],
        "infected": agent["infected"],
        "isActive": agent["isActive"],
        "isDecommissioned": agent["isDecommissioned"],
        "machineType": agent["machineType"],
        "name": agent["computerName"],
        "os": agent["osType"],
        "uuid": agent["uuid"],
    }
    return dict(sorted(rendered.items()))


def update_time_support(mode: str) -> tuple[dict[str, Filter], dict[str, Getter]]:
    """The `updatedAt__*` filters and update-time sorts that a console of this kind takes (see the module docstring)."""
    if mode == "reject":
        return {}, {}
    filters = time_filters("updatedAt", path("alertInfo", "updatedAt"))
    if mode == "ignore":
        return accepted(*filters), dict.fromkeys(UPDATE_SORTS, alert_id)
    return filters, dict.fromkeys(UPDATE_SORTS, path("alertInfo", "updatedAt"))


def alerts_spec(store: Store) -> ListSpec:
    def agent_field(key: str) -> Callable[[Record], Any]:
        return lambda alert: store.agents[alert["_sim"]["agentId"]][key]

    update_filters, update_sorts = update_time_support(store.alert_update_filter)

    process_fields = {
        "Commandline": "commandline",
        "FileHashMd5": "fileHashMd5",
        "FileHashSha1": "fileHashSha1",
        "FileHashSha256": "fileHashSha256",
        "FilePath": "filePath",
        "Name": "name",
        "Storyline": "storyline",
    }
    return ListSpec(
        filters={
            "ids": AnyOf(alert_id),
            "siteIds": AnyOf(path("_sim", "siteId")),
            "groupIds": AnyOf(path("_sim", "groupId")),
            "accountIds": AnyOf(path("_sim", "accountId")),
            "incidentStatus": AnyOf(path("alertInfo", "incidentStatus"), status_key),
            "analystVerdict": AnyOf(path("alertInfo", "analystVerdict"), status_key),
            "severity": AnyOf(path("ruleInfo", "severity"), lower),
            "ruleName__contains": Contains(path("ruleInfo", "name")),
            "osType": AnyOf(agent_field("osType"), lower),
            "machineType": AnyOf(agent_field("machineType"), lower),
            "scopes": AnyOf(path("ruleInfo", "scopeLevel"), lower),
            "origAgentName__contains": Contains(path("agentDetectionInfo", "name")),
            "origAgentOsRevision__contains": Contains(path("agentDetectionInfo", "osRevision")),
            "origAgentUuid__contains": Contains(path("agentDetectionInfo", "uuid")),
            "origAgentVersion__contains": Contains(path("agentDetectionInfo", "version")),
            **{
                f"sourceProcess{suffix}__contains": Contains(path("sourceProcessInfo", key))
                for suffix, key in process_fields.items()
            },
            "query": FreeText(
                lambda alert: (
                    alert["ruleInfo"]["name"],
                    alert["agentDetectionInfo"]["name"],
                    alert["sourceProcessInfo"]["name"],
                    alert["sourceProcessInfo"]["commandline"],
                    alert["alertInfo"]["eventType"],
                )
            ),
            "tenant": VALIDATED_BOOLEAN,
            "disablePagination": VALIDATED_BOOLEAN,
            **time_filters("createdAt", path("alertInfo", "createdAt")),
            **time_filters("reportedAt", path("alertInfo", "reportedAt")),
            **update_filters,
            **accepted(
                "containerImageName__contains",
                "containerLabels__contains",
                "containerName__contains",
                "k8sCluster__contains",
                "k8sControllerLabels__contains",
                "k8sControllerName__contains",
                "k8sNamespaceLabels__contains",
                "k8sNamespaceName__contains",
                "k8sNode__contains",
                "k8sPodLabels__contains",
                "k8sPod__contains",
            ),
        },
        sorts={
            "id": alert_id,
            "alertInfoCreatedAt": path("alertInfo", "createdAt"),
            "createdAt": path("alertInfo", "createdAt"),
            "reportedAt": path("alertInfo", "reportedAt"),
            "alertInfoReportedAt": path("alertInfo", "reportedAt"),
            "severity": path("ruleInfo", "severity"),
            "ruleName": path("ruleInfo", "name"),
            "incidentStatus": path("alertInfo", "incidentStatus"),
            "analystVerdict": path("alertInfo", "analystVerdict"),
            **update_sorts,
        },
        item_id=alert_id,
    )


def candidates(store: Store, source: ParamSource) -> Iterable[Record]:
    """The alerts an `ids` filter names, looked up by id; every alert when there is no such filter.

    The spec's filters still run on the result (the `ids` one included), so the answer is the same as a full scan's."""
    wanted = source.listed("ids") if "ids" in source else []
    if not wanted:
        return store.alerts.values()
    return [store.alerts[item] for item in dict.fromkeys(wanted) if item in store.alerts]


@routes.route("cloud-detection/alerts", versions=V21)
def list_alerts(call: Call) -> dict[str, Any]:
    page, pagination = alerts_spec(call.store).select(candidates(call.store, call.query), call.query)
    return envelope([render(call.store, alert) for alert in page], pagination)


def targeted_alerts(call: Call) -> list[Record]:
    source = call.body_filter()
    require_nonempty_filter(source)
    return alerts_spec(call.store).matching(candidates(call.store, source), source)


def update_alerts(call: Call, field: str, display: str) -> dict[str, Any]:
    alerts = targeted_alerts(call)
    now = call.store.now_text()
    for alert in alerts:
        if alert["alertInfo"][field] != display:
            alert["alertInfo"][field] = display
            alert["alertInfo"]["updatedAt"] = now
    return affected(len(alerts))


def triage_label(field: str, value: object) -> str:
    """An alert's verdict or status given in any spelling, as alerts hold it: the console's label ("False positive")."""
    if field == "analystVerdict":
        return DISPLAY_VERDICT[verdict_value(value)]
    return DISPLAY_INCIDENT_STATUS[incident_status_value(value)]


@routes.route("cloud-detection/alerts/incident", methods=("POST",), versions=V21)
def alert_incident_status(call: Call) -> dict[str, Any]:
    return update_alerts(call, "incidentStatus", triage_label("incidentStatus", call.data_object().get("incidentStatus")))


@routes.route("cloud-detection/alerts/analyst-verdict", methods=("POST",), versions=V21)
def alert_analyst_verdict(call: Call) -> dict[str, Any]:
    return update_alerts(call, "analystVerdict", triage_label("analystVerdict", call.data_object().get("analystVerdict")))
