"""The simulator's own control surface under /_sim (never under /web/api): JSON in, JSON out, no auth.

GET    /_sim                      state summary (seed, sizes, clock, object counts, rate limits)
GET    /_sim/clock                {"now", "start", "frozen"}
POST   /_sim/clock/advance        {"seconds": 60}            → {"now"}
POST   /_sim/clock/freeze         {"frozen": true}           → {"now", "frozen"}
POST   /_sim/reset                back to the seeded state (clock, tenant, faults, rate limits, request log)
POST   /_sim/threats              {"count", "createdAt", "agentId", "threatInfo": {...}} → {"data": [2.1 threats]}
PATCH  /_sim/threats/<id>         {"threatInfo": {...}, ...}  (deep merge; bumps threatInfo.updatedAt; a verdict or
                                  status in any spelling is set with its description, as the console's endpoints do)
POST   /_sim/alerts               {"count", "createdAt", "agentId", "ruleId", "alertInfo": {...}} → {"data": [alerts]}
PATCH  /_sim/alerts/<id>          {"alertInfo": {...}, ...}   (deep merge; bumps alertInfo.updatedAt; verdict and
                                  status stored as the console's labels)
PATCH  /_sim/agents/<id>          {"networkStatus": ..., ...} (merge; bumps updatedAt)
GET    /_sim/faults               list;  POST adds one (see faults.FaultRule); DELETE clears
DELETE /_sim/faults/<id>
GET    /_sim/requests             ?limit=N&path=/web/api/v2.1/threats&method=GET → {"counts", "requests"}
DELETE /_sim/requests
GET    /_sim/rate-limits          PUT {"enabled": bool, "limits": {"dv/init-query": {"requests", "perSeconds", "burst"}}}
"""

from __future__ import annotations

import random
from typing import Any

from flask import Blueprint, Response, request

from s1sim.api.agents import find_agent
from s1sim.api.alerts import render as render_alert
from s1sim.api.alerts import triage_label
from s1sim.api.common import existing
from s1sim.api.threats import find_threat, refresh_agent_threats, render_v21, set_triage
from s1sim.clock import format_timestamp, parse_timestamp
from s1sim.errors import not_found, validation_error
from s1sim.faults import fault_from_json
from s1sim.ratelimit import RateLimit
from s1sim.seed import make_alert, make_threat
from s1sim.simulator import Simulator
from s1sim.store import Record, Store

MAX_ADDED = 100_000


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
                "size": {"agents": current.size.agents, "threats": current.size.threats, "alerts": current.size.alerts},
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
                },
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
            agents = list(current.agents.values())
            rules = list(current.star_rules.values())
            created = []
            for _ in range(count):
                rule = current.star_rules[str(rule_id)] if rule_id is not None else rng.choice(rules)
                alert = make_alert(current, rng, agent or rng.choice(agents), rule, moment or current.now())
                if isinstance(body.get("alertInfo"), dict):
                    merge_alert_info(alert, body["alertInfo"])
                created.append(alert)
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
