"""Remote scripts (RemoteOps, 2.1): the script library, execution, task status and result links.

A task goes created → in_progress (after 2 s of simulated time) → completed (after 8 s), or failed when the agent is
inactive. Completed tasks whose output went to the cloud (`SentinelCloud`) have a results zip, served without auth at
an absolute `/downloads/...` URL, like a presigned link; it is password-protected when the execution set a password.
"""

from __future__ import annotations

import io
import random
import zipfile
from datetime import datetime
from typing import Any

from s1sim.api.agents import AGENTS
from s1sim.api.common import VALIDATED_BOOLEAN, accepted, public
from s1sim.api.routing import V21, Call, Routes, envelope, require_nonempty_filter
from s1sim.clock import format_timestamp
from s1sim.errors import validation_error
from s1sim.filters import AnyOf, Contains, Equals, FreeText, ParamSource, lower, path, time_filters
from s1sim.listing import ListSpec
from s1sim.store import Download, Record, Store
from s1sim.zipcrypto import ZipMember, encrypted_zip

routes = Routes()

START_SECONDS = 2.0
FINISH_SECONDS = 8.0
OUTPUT_DESTINATIONS = ("SentinelCloud", "Local", "None", "SingularityXDR", "DataSetCloud")
PARENT_TASK_PARAMETERS = ("parentTaskId", "parent_task_id", "parentTaskId__in", "parent_task_id__in")
STATUS_TEXT = {
    "created": ("Created", "Pending agent"),
    "in_progress": ("In progress", "Executing"),
    "completed": ("Completed", "Execution completed successfully"),
    "failed": ("Failed", "Agent is offline"),
}

SCRIPTS = ListSpec(
    filters={
        "ids": AnyOf(path("id")),
        "osTypes": AnyOf(path("osTypes"), lower),
        "scriptType": AnyOf(path("scriptType"), lower),
        "query": FreeText(lambda script: (script["scriptName"], script["scriptDescription"])),
        "isAvailableForArs": VALIDATED_BOOLEAN,
        **accepted("accountIds", "siteIds", "groupIds"),
    },
    sorts={"id": path("id"), "scriptName": path("scriptName"), "createdAt": path("createdAt"), "updatedAt": path("updatedAt")},
)

TASKS = ListSpec(
    filters={
        "ids": AnyOf(path("id")),
        "status": AnyOf(path("status"), lower),
        "computerName__contains": Contains(path("agentComputerName")),
        "description__contains": Contains(path("description")),
        "detailedStatus__contains": Contains(path("detailedStatus")),
        "initiatedBy__contains": Contains(path("initiatedBy")),
        "uuid__contains": Contains(path("agentUuid")),
        "accountIds": AnyOf(path("accountId")),
        "siteIds": AnyOf(path("siteId")),
        "groupIds": AnyOf(path("groupId")),
        "type": Equals(path("type"), lower),
        "types": AnyOf(path("type"), lower),
        "query": FreeText(lambda task: (task["agentComputerName"], task["description"], task["detailedStatus"])),
        "tenant": VALIDATED_BOOLEAN,
        **time_filters("createdAt", path("createdAt")),
        **time_filters("updatedAt", path("updatedAt")),
    },
    sorts={
        "id": path("id"),
        "createdAt": path("createdAt"),
        "updatedAt": path("updatedAt"),
        "status": path("status"),
        "agentComputerName": path("agentComputerName"),
    },
    own_parameters=frozenset(PARENT_TASK_PARAMETERS),
)


@routes.route("remote-scripts", versions=V21)
def list_scripts(call: Call) -> dict[str, Any]:
    page, pagination = SCRIPTS.select(call.store.remote_scripts.values(), call.query)
    return envelope([dict(script) for script in page], pagination)


def set_task_status(store: Store, task: Record, status: str, at: datetime | None = None) -> None:
    description, detail = STATUS_TEXT[status]
    task.update(
        {
            "detailedStatus": detail,
            "status": status,
            "statusCode": None if status != "failed" else "agent_offline",
            "statusDescription": description,
            "updatedAt": format_timestamp(at or store.now()),
        }
    )


def results_zip(store: Store, task: Record, script: Record, password: str | None) -> bytes:
    lines = [
        f"Script: {script['scriptName']}",
        f"Endpoint: {task['agentComputerName']}",
        f"Task: {task['id']}",
        "Output:",
        *(f"  line {number}: simulated output" for number in range(1, 6)),
    ]
    members = [ZipMember("output.txt", ("\n".join(lines) + "\n").encode()), ZipMember("exit_code.txt", b"0\n")]
    if password:
        return encrypted_zip(members, password, store.now(), random.Random(f"{store.seed}-{task['id']}"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in members:
            archive.writestr(member.name, member.content)
    return buffer.getvalue()


def schedule_task(store: Store, task: Record, agent: Record, script: Record, data: Record) -> None:
    def start(due: datetime) -> None:
        if task["status"] == "created":
            set_task_status(store, task, "in_progress", due)

    def finish(due: datetime) -> None:
        if task["status"] not in ("created", "in_progress"):
            return
        if not agent["isActive"]:
            set_task_status(store, task, "failed", due)
            return
        set_task_status(store, task, "completed", due)
        if data.get("outputDestination") == "SentinelCloud":
            key = f"rs-{task['id']}"
            file_name = f"{task['agentComputerName']}_{task['id']}.zip"
            store.downloads[key] = Download(file_name, results_zip(store, task, script, data.get("password") or None))
            task["scriptResultsSignature"] = store.ids.hex_string(40)
            task["_sim"] = {"download": key, "fileName": file_name}

    store.schedule(START_SECONDS, start)
    store.schedule(FINISH_SECONDS, finish)


def execution_data(call: Call) -> tuple[Record, Record]:
    data = call.data_object()
    script = call.store.remote_scripts.get(str(data.get("scriptId", "")))
    if script is None:
        raise validation_error("scriptId: Unknown script.")
    if not isinstance(data.get("taskDescription"), str) or not data["taskDescription"].strip():
        raise validation_error("taskDescription: Missing data for required field.")
    destination = data.get("outputDestination")
    if destination not in OUTPUT_DESTINATIONS:
        raise validation_error(f"outputDestination: Must be one of: {', '.join(OUTPUT_DESTINATIONS)}.")
    if destination == "Local" and not data.get("outputDirectory"):
        raise validation_error("outputDirectory: Required when outputDestination is Local.")
    if script["inputRequired"] and not data.get("inputParams"):
        raise validation_error("inputParams: This script requires input parameters.")
    source = ParamSource.from_body(data)
    source.integer("scriptRuntimeTimeoutSeconds", 1, 172_800)
    source.boolean("requiresApproval")
    return data, script


@routes.route("remote-scripts/execute", methods=("POST",), versions=V21)
def execute(call: Call) -> dict[str, Any]:
    store = call.store
    data, script = execution_data(call)
    source = call.body_filter()
    require_nonempty_filter(source)
    agents = AGENTS.matching(store.agents.values(), source)
    if ParamSource.from_body(data).boolean("requiresApproval"):
        pending_id = store.ids.numeric_id()
        store.pending_executions[pending_id] = {"agentIds": [agent["id"] for agent in agents], "data": data}
        return {"data": {"affected": 0, "parentTaskId": None, "pending": True, "pendingExecutionId": pending_id}}
    if not agents:
        return {"data": {"affected": 0, "parentTaskId": None, "pending": False, "pendingExecutionId": None}}
    parent_id = store.ids.numeric_id()
    now = store.now_text()
    for agent in agents:
        account, site, group = store.agent_scope(agent)
        task = {
            "accountId": account["id"],
            "accountName": account["name"],
            "agentComputerName": agent["computerName"],
            "agentId": agent["id"],
            "agentIsActive": agent["isActive"],
            "agentIsDecommissioned": agent["isDecommissioned"],
            "agentMachineType": agent["machineType"],
            "agentOsType": agent["osType"],
            "agentUuid": agent["uuid"],
            "createdAt": now,
            "description": data["taskDescription"],
            "detailedStatus": None,
            "groupId": group["id"],
            "groupName": group["name"],
            "id": store.ids.numeric_id(),
            "initiatedBy": store.user.full_name,
            "initiatedById": store.user.id,
            "parentTaskId": parent_id,
            "scriptId": script["id"],
            "siteId": site["id"],
            "siteName": site["name"],
            "status": "created",
            "statusCode": None,
            "statusDescription": None,
            "type": "script_execution",
            "updatedAt": now,
        }
        set_task_status(store, task, "created")
        store.remote_tasks[task["id"]] = task
        schedule_task(store, task, agent, script, data)
    return {"data": {"affected": len(agents), "parentTaskId": parent_id, "pending": False, "pendingExecutionId": None}}


@routes.route("remote-scripts/status", versions=V21)
def task_status(call: Call) -> dict[str, Any]:
    source = call.query
    parents = set(source.listed("parentTaskId") + source.listed("parent_task_id"))
    parents |= set(source.listed("parentTaskId__in") + source.listed("parent_task_id__in"))
    if not parents:
        raise validation_error("parent_task_id or parent_task_id__in query parameter is mandatory")
    tasks = [task for task in call.store.remote_tasks.values() if task["parentTaskId"] in parents]
    page, pagination = TASKS.select(tasks, source)
    return envelope([public(task) for task in page], pagination)


@routes.route("remote-scripts/fetch-files", methods=("POST",), versions=V21)
def fetch_results(call: Call) -> dict[str, Any]:
    data = call.data_object()
    source = ParamSource.from_body(data)
    task_ids = source.listed("taskIds")
    if not task_ids:
        raise validation_error("taskIds: Missing data for required field.")
    computer_names = {name.lower() for name in source.listed("computerNames")}
    links, errors = [], []
    for task_id in task_ids:
        task = call.store.remote_tasks.get(task_id)
        if task is None:
            errors.append({"errorString": "Task not found", "taskId": task_id})
            continue
        if computer_names and task["agentComputerName"].lower() not in computer_names:
            continue
        download = task.get("_sim", {})
        if task["status"] != "completed" or not download:
            errors.append({"errorString": "No results are available for this task", "taskId": task_id})
            continue
        url = call.absolute_url(f"/downloads/{download['download']}/{download['fileName']}")
        links.append({"downloadUrl": url, "fileName": download["fileName"], "taskId": task_id})
    return {"data": {"download_links": links, "errors": errors}}
