"""The simulator's own control surface under /_sim (never under /web/api): JSON in, JSON out, no auth.

GET    /_sim                      state summary (seed, sizes, clock, object counts, rate limits)
GET    /_sim/clock                {"now", "start", "frozen"}
POST   /_sim/clock/advance        {"seconds": 60}            → {"now"}
POST   /_sim/clock/freeze         {"frozen": true}           → {"now", "frozen"}
POST   /_sim/reset                back to the seeded state (clock, tenant, faults, rate limits, request log)
POST   /_sim/threats              {"count", "createdAt", "agentId", "threatInfo": {...}} → {"data": [2.1 threats]}
PATCH  /_sim/threats/<id>         {"threatInfo": {...}, ...}  (deep merge; bumps threatInfo.updatedAt; a verdict or
                                  status in any spelling is set with its description, as the console's endpoints do)
POST   /_sim/threats/<id>/timeline {"count"}                 → {"added", "total"} (timeline items, 1 ms apart)
POST   /_sim/alerts               {"count", "createdAt", "agentId", "ruleId", "alertInfo": {...}} → {"data": [alerts]}
                                  with "bulk": true → {"data": [alert ids]}; the alerts of one agent and rule then share
                                  their process details (for tenants of tens of thousands of alerts)
PATCH  /_sim/alerts/<id>          {"alertInfo": {...}, ...}   (deep merge; bumps alertInfo.updatedAt; verdict and
                                  status stored as the console's labels)
GET    /_sim/alert-update-filter  {"mode"}: what the alert list does with updatedAt__* ("reject", "honour", "ignore")
PUT    /_sim/alert-update-filter  {"mode": "honour"}          (a reset restores "reject")
PATCH  /_sim/agents/<id>          {"networkStatus": ..., ...} (merge; bumps updatedAt)
POST   /_sim/uam-alerts          {"count", "createdAt", "fields": {...}} → {"data": [UAM alert nodes]}
GET    /_sim/uam-alerts/<id>     → {"data": the stored node}
PATCH  /_sim/uam-alerts/<id>     {...} (deep merge; bumps updatedAt unless given) → {"data": node}
POST   /_sim/uam-alerts/<id>/notes {"text", "author": {"userId", "fullName", "email"}} → {"data": note} (bumps updatedAt)
GET    /_sim/faults               list;  POST adds one (see faults.FaultRule); DELETE clears
DELETE /_sim/faults/<id>
GET    /_sim/requests             ?limit=N&path=/web/api/v2.1/threats&method=GET → {"counts", "requests"}
DELETE /_sim/requests
GET    /_sim/rate-limits          PUT {"enabled": bool, "limits": {"dv/init-query": {"requests", "perSeconds", "burst"}}}
"""

from __future__ import annotations

import copy
import random
from datetime import timedelta
from typing import Any

from flask import Blueprint, Response, request

from s1sim.api.agents import find_agent
from s1sim.api.alerts import ALERT_UPDATE_FILTER_MODES, triage_label
from s1sim.api.alerts import render as render_alert
from s1sim.api.common import existing
from s1sim.api.threats import find_threat, refresh_agent_threats, render_v21, set_triage, threat_agent
from s1sim.clock import format_timestamp, parse_timestamp
from s1sim.errors import not_found, validation_error
from s1sim.faults import fault_from_json
from s1sim.ratelimit import RateLimit
from s1sim.seed import copy_alert, make_alert, make_threat
from s1sim.simulator import Simulator
from s1sim.store import Record, Store
from s1sim.uam import CONSOLE_ANALYST, format_millis
from s1sim.uam_seed import KINDS, make_uam_alert

MAX_ADDED = 100_000
TIMELINE_EVENT_TYPE = 90  # a simulator-only activity type: the filler of a long threat timeline


def deep_merge(target: Record, changes: Record) -> None:
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            deep_merge(target[key], value)
        else:
            target[key] = value


def merge_threat_info(threat: Record, info: Record) -> None:
    """Merge `threatInfo` changes; a verdict or status is set as the console's own endpoints set it (any spelling, with
    its description), so that a test's change never leaves a stale description behind."""
    rest = dict(info)
    set_triage(threat, rest.pop("analystVerdict", None), rest.pop("incidentStatus", None))
    deep_merge(threat["threatInfo"], rest)


def merge_alert_info(alert: Record, info: Record) -> None:
    """Merge `alertInfo` changes; a verdict or status is stored as the alert endpoints store it (the console's label)."""
    deep_merge(
        alert["alertInfo"],
        {key: triage_label(key, value) if key in ("analystVerdict", "incidentStatus") else value for key, value in info.items()},
    )


def payload() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True) if request.get_data() else {}
    if not isinstance(body, dict):
        raise validation_error("body: Expected a JSON object.")
    return body


def added_count(body: Record) -> int:
    count = body.get("count", 1)
    if not isinstance(count, int) or not 1 <= count <= MAX_ADDED:
        raise validation_error(f"count: Must be an integer from 1 to {MAX_ADDED}.")
    return count


def chosen_agent(store: Store, body: Record, rng: random.Random) -> Record | None:
    agent_id = body.get("agentId")
    if agent_id is None:
        return None
    agent = store.agents.get(str(agent_id))
    if agent is None:
        raise validation_error(f"agentId: Agent {agent_id} does not exist.")
    return agent


def moment_of(body: Record, store: Store) -> Any:
    text = body.get("createdAt")
    if text is None:
        return None
    try:
        return parse_timestamp(str(text))
    except ValueError:
        raise validation_error("createdAt: Not a valid datetime.")


def stored_uam_alert(store: Store, alert: Record, source: str) -> Record:
    """Store a new UAM alert; 400 naming `source` when its timestamps do not parse."""
    try:
        return store.uam.add(alert)
    except (TypeError, ValueError, KeyError):
        raise validation_error(f"{source}: createdAt and updatedAt must be ISO-8601 timestamps.")


def blueprint(simulator: Simulator) -> Blueprint:
    control = Blueprint("s1sim_control", __name__)

    def store() -> Store:
        current = simulator.store
        current.run_due()
        return current

    @control.get("/")
    @control.get("")
    def summary() -> dict[str, Any]:
        with simulator.store.lock:
            current = store()
            return {
                "seed": simulator.config.seed,
                "size": {
                    "agents": current.size.agents,
                    "threats": current.size.threats,
                    "alerts": current.size.alerts,
                    "uam_alerts": current.size.uam_alerts,
                },
                "now": current.now_text(),
                "clockFrozen": simulator.clock.frozen,
                "rateLimits": simulator.rate_limiter.enabled,
                "pendingActions": current.pending_actions(),
                "counts": {
                    name: len(getattr(current, name))
                    for name in (
                        "accounts",
                        "sites",
                        "groups",
                        "agents",
                        "threats",
                        "alerts",
                        "activities",
                        "exclusions",
                        "restrictions",
                        "star_rules",
                        "iocs",
                        "remote_tasks",
                        "uploads",
                    )
                }
                | {"uam_alerts": len(current.uam)},
                "user": {"id": current.user.id, "fullName": current.user.full_name, "email": current.user.email},
            }

    @control.get("/clock")
    def clock() -> dict[str, Any]:
        return {
            "now": format_timestamp(simulator.clock.now()),
            "start": format_timestamp(simulator.clock.start),
            "frozen": simulator.clock.frozen,
        }

    @control.post("/clock/advance")
    def advance() -> dict[str, Any]:
        seconds = payload().get("seconds")
        if not isinstance(seconds, int | float) or isinstance(seconds, bool) or seconds < 0:
            raise validation_error("seconds: Must be a non-negative number.")
        with simulator.store.lock:
            simulator.clock.advance(float(seconds))
            store()
            return {"now": format_timestamp(simulator.clock.now())}

    @control.post("/clock/freeze")
    def freeze() -> dict[str, Any]:
        frozen = payload().get("frozen", True)
        if not isinstance(frozen, bool):
            raise validation_error("frozen: Must be a boolean.")
        simulator.clock.set_frozen(frozen)
        return {"now": format_timestamp(simulator.clock.now()), "frozen": simulator.clock.frozen}

    @control.post("/reset")
    def reset() -> dict[str, Any]:
        simulator.reset()
        return {"reset": True, "now": format_timestamp(simulator.clock.now())}

    @control.post("/threats")
    def add_threats() -> dict[str, Any]:
        body = payload()
        count = added_count(body)
        with simulator.store.lock:
            current = store()
            rng = current.rng
            agent = chosen_agent(current, body, rng)
            moment = moment_of(body, current)
            agents = list(current.agents.values())
            created = []
            for _ in range(count):
                threat = make_threat(current, rng, agent or rng.choice(agents), moment or current.now())
                if isinstance(body.get("threatInfo"), dict):
                    merge_threat_info(threat, body["threatInfo"])
                created.append(threat)
            refresh_agent_threats(current)
            return {"data": [render_v21(current, threat) for threat in created]}

    @control.patch("/threats/<threat_id>")
    def update_threat(threat_id: str) -> dict[str, Any]:
        body = payload()
        with simulator.store.lock:
            current = store()
            threat = find_threat(current, threat_id)
            changes = {key: value for key, value in body.items() if key not in ("id", "_sim")}
            if isinstance(changes.get("threatInfo"), dict):
                merge_threat_info(threat, changes.pop("threatInfo"))
            deep_merge(threat, changes)
            if "updatedAt" not in body.get("threatInfo", {}):
                threat["threatInfo"]["updatedAt"] = current.now_text()
            refresh_agent_threats(current)
            return {"data": render_v21(current, threat)}

    @control.post("/threats/<threat_id>/timeline")
    def add_timeline_items(threat_id: str) -> dict[str, Any]:
        """A long timeline for a threat (thousands of items): what a full-timeline export must bring back whole."""
        count = added_count(payload())
        with simulator.store.lock:
            current = store()
            threat = find_threat(current, threat_id)
            agent = threat_agent(current, threat)
            start = parse_timestamp(threat["threatInfo"]["createdAt"])
            for number in range(1, count + 1):
                current.add_activity(
                    TIMELINE_EVENT_TYPE,
                    f"Simulated timeline event {number} of threat {threat['threatInfo']['threatName']}.",
                    at=start + timedelta(milliseconds=number),
                    agent=agent,
                    threat_id=threat_id,
                    data={"sequence": number},
                )
            return {"added": count, "total": len(current.threat_activities[threat_id])}

    @control.post("/alerts")
    def add_alerts() -> dict[str, Any]:
        body = payload()
        count = added_count(body)
        with simulator.store.lock:
            current = store()
            rng = current.rng
            agent = chosen_agent(current, body, rng)
            moment = moment_of(body, current)
            rule_id = body.get("ruleId")
            if rule_id is not None and str(rule_id) not in current.star_rules:
                raise validation_error(f"ruleId: Rule {rule_id} does not exist.")
            bulk = body.get("bulk", False)
            if not isinstance(bulk, bool):
                raise validation_error("bulk: Must be a boolean.")
            agents = list(current.agents.values())
            rules = list(current.star_rules.values())
            templates: dict[tuple[str, str], Record] = {}  # bulk: the first alert of each agent and rule
            created = []
            for _ in range(count):
                rule = current.star_rules[str(rule_id)] if rule_id is not None else rng.choice(rules)
                chosen = agent or rng.choice(agents)
                template = templates.get((chosen["id"], str(rule["id"])))
                if template is None:
                    alert = make_alert(current, rng, chosen, rule, moment or current.now())
                    if bulk:
                        templates[(chosen["id"], str(rule["id"]))] = alert
                else:
                    alert = copy_alert(current, rng, template, rule, moment or current.now())
                if isinstance(body.get("alertInfo"), dict):
                    merge_alert_info(alert, body["alertInfo"])
                created.append(alert)
            if bulk:
                return {"data": [alert["alertInfo"]["alertId"] for alert in created]}
            return {"data": [render_alert(current, alert) for alert in created]}

    @control.patch("/alerts/<alert_id>")
    def update_alert(alert_id: str) -> dict[str, Any]:
        body = payload()
        with simulator.store.lock:
            current = store()
            alert = existing(current.alerts, alert_id, "Alert")
            changes = {key: value for key, value in body.items() if key != "_sim"}
            if isinstance(changes.get("alertInfo"), dict):
                merge_alert_info(alert, changes.pop("alertInfo"))
            deep_merge(alert, changes)
            if "updatedAt" not in body.get("alertInfo", {}):
                alert["alertInfo"]["updatedAt"] = current.now_text()
            return {"data": render_alert(current, alert)}

    @control.get("/alert-update-filter")
    def alert_update_filter() -> dict[str, Any]:
        with simulator.store.lock:
            return {"mode": store().alert_update_filter}

    @control.put("/alert-update-filter")
    def set_alert_update_filter() -> dict[str, Any]:
        mode = payload().get("mode")
        if mode not in ALERT_UPDATE_FILTER_MODES:
            raise validation_error(f"mode: Must be one of: {', '.join(ALERT_UPDATE_FILTER_MODES)}.")
        with simulator.store.lock:
            store().alert_update_filter = mode
            return {"mode": mode}

    @control.patch("/agents/<agent_id>")
    def update_agent(agent_id: str) -> dict[str, Any]:
        body = payload()
        with simulator.store.lock:
            current = store()
            agent = find_agent(current, agent_id)
            deep_merge(agent, {key: value for key, value in body.items() if key != "id"})
            if "updatedAt" not in body:
                agent["updatedAt"] = current.now_text()
            return {"data": dict(agent)}

    @control.post("/uam-alerts")
    def add_uam_alerts() -> dict[str, Any]:
        body = payload()
        count = added_count(body)
        fields = body.get("fields", {})
        if fields is None:
            fields = {}
        if not isinstance(fields, dict):
            raise validation_error("fields: Expected a JSON object.")
        if "id" in fields:
            raise validation_error("fields.id: The simulator chooses UAM alert ids.")
        with simulator.store.lock:
            current = store()
            if not current.agents:
                raise validation_error("count: The tenant has no agents to raise endpoint alerts on.")
            moment = moment_of(body, current) or current.now()
            created = []
            for _ in range(count):
                rng = current.uam.rng
                alert = make_uam_alert(current, rng, KINDS["edr"], moment, index=rng.randrange(len(KINDS) * 12))
                deep_merge(alert, copy.deepcopy(fields))
                if "updatedAt" not in fields:
                    alert["updatedAt"] = alert["createdAt"]
                created.append(stored_uam_alert(current, alert, "fields"))
            return {"data": created}

    @control.get("/uam-alerts/<alert_id>")
    def get_uam_alert(alert_id: str) -> dict[str, Any]:
        with simulator.store.lock:
            return {"data": existing(store().uam.alerts, alert_id, "UAM alert")}

    @control.patch("/uam-alerts/<alert_id>")
    def update_uam_alert(alert_id: str) -> dict[str, Any]:
        body = payload()
        if "id" in body and body["id"] != alert_id:
            raise validation_error("id: A UAM alert's id cannot change.")
        with simulator.store.lock:
            current = store()
            alert = existing(current.uam.alerts, alert_id, "UAM alert")
            before = copy.deepcopy(alert)
            deep_merge(alert, copy.deepcopy(body))
            if "updatedAt" not in body:
                alert["updatedAt"] = format_millis(current.now())
            try:
                current.uam.reindexed(alert)
            except (TypeError, ValueError, KeyError):
                alert.clear()
                alert.update(before)
                raise validation_error("createdAt: createdAt and updatedAt must be ISO-8601 timestamps.")
            return {"data": alert}

    @control.post("/uam-alerts/<alert_id>/notes")
    def add_uam_note(alert_id: str) -> dict[str, Any]:
        body = payload()
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise validation_error("text: Missing data for required field.")
        author = body.get("author")
        if author is not None and not isinstance(author, dict):
            raise validation_error("author: Expected {userId, fullName, email}.")
        with simulator.store.lock:
            current = store()
            alert = existing(current.uam.alerts, alert_id, "UAM alert")
            return {"data": current.uam.add_note(alert, text, author or CONSOLE_ANALYST, current.now())}

    @control.get("/faults")
    def list_faults() -> dict[str, Any]:
        return {"data": simulator.faults.snapshot()}

    @control.post("/faults")
    def add_fault() -> dict[str, Any]:
        rule = simulator.faults.add(fault_from_json(payload()))
        return {"data": rule.as_json()}

    @control.delete("/faults")
    def clear_faults() -> dict[str, Any]:
        simulator.faults.clear()
        return {"data": []}

    @control.delete("/faults/<int:fault_id>")
    def remove_fault(fault_id: int) -> dict[str, Any]:
        if not simulator.faults.remove(fault_id):
            raise not_found(f"Fault {fault_id} does not exist")
        return {"data": simulator.faults.snapshot()}

    @control.get("/requests")
    def list_requests() -> dict[str, Any]:
        limit = request.args.get("limit", type=int)
        entries = simulator.request_log.entries(limit=limit, path=request.args.get("path"), method=request.args.get("method"))
        return {"counts": simulator.request_log.counts(), "requests": entries}

    @control.delete("/requests")
    def clear_requests() -> dict[str, Any]:
        simulator.request_log.clear()
        return {"counts": {}, "requests": []}

    @control.get("/rate-limits")
    def rate_limits() -> dict[str, Any]:
        limiter = simulator.rate_limiter
        return {"enabled": limiter.enabled, "limits": {name: limit.as_json() for name, limit in limiter.limits.items()}}

    @control.put("/rate-limits")
    def configure_rate_limits() -> dict[str, Any]:
        body = payload()
        enabled = body.get("enabled")
        if enabled is not None and not isinstance(enabled, bool):
            raise validation_error("enabled: Must be a boolean.")
        limits: dict[str, RateLimit] = {}
        for name, spec in (body.get("limits") or {}).items():
            try:
                limits[name] = RateLimit(
                    int(spec["requests"]), float(spec.get("perSeconds", 1.0)), int(spec.get("burst", spec["requests"]))
                )
            except (KeyError, TypeError, ValueError):
                raise validation_error(f"limits.{name}: Expected {{requests, perSeconds, burst}}.")
        simulator.rate_limiter.configure(enabled, limits)
        return rate_limits()

    @control.errorhandler(404)
    def unknown_control(error: Exception) -> Response:
        raise not_found("Unknown control endpoint")

    return control
