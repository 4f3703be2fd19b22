"""`system/status` (no auth) and `system/info`."""

from __future__ import annotations

from typing import Any

from s1sim.api.routing import Call, Routes

routes = Routes()

CONSOLE_BUILD = {"build": "s1sim", "latestAgentVersion": "23.4.2.14", "patch": "0", "release": "Z SP5", "version": "23.4.2"}


@routes.route("system/status", authenticated=False)
def system_status(call: Call) -> dict[str, Any]:
    return {"data": {"health": "ok"}}


@routes.route("system/info")
def system_info(call: Call) -> dict[str, Any]:
    return {"data": dict(CONSOLE_BUILD)}
