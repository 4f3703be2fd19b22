"""Local stand-in for the XSOAR server object that integrations import as `demisto`.

Every function returns what the platform's own test double returns when nothing is patched. The local runner
replaces functions (and `callingContext`) by assigning module attributes, so callers must always go through the
module (`demisto.params()`), never keep a reference to a function.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from typing import Any

integrationContext: dict[str, Any] = {}
is_debug = False
callingContext: dict[str, Any] = {}
ARGS_COMMAND_PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), ".args_command.json")

exampleIncidents: list[dict[str, Any]] = [
    {
        "Brand": "Builtin",
        "Category": "Builtin",
        "Contents": {
            "data": [
                {
                    "CustomFields": {},
                    "account": "",
                    "activated": "0001-01-01T00:00:00Z",
                    "attachment": None,
                    "autime": 1550670443962164000,
                    "canvases": None,
                    "category": "",
                    "closeNotes": "",
                    "closeReason": "",
                    "closed": "0001-01-01T00:00:00Z",
                    "closingUserId": "",
                    "created": "2019-02-20T15:47:23.962164+02:00",
                    "details": "",
                    "droppedCount": 0,
                    "dueDate": "2019-03-02T15:47:23.962164+02:00",
                    "hasRole": False,
                    "id": "1",
                    "investigationId": "1",
                    "isPlayground": False,
                    "labels": [{"type": "Instance", "value": "test"}, {"type": "Brand", "value": "Manual"}],
                    "lastOpen": "0001-01-01T00:00:00Z",
                    "linkedCount": 0,
                    "linkedIncidents": None,
                    "modified": "2019-02-20T15:47:27.158969+02:00",
                    "name": "1",
                    "notifyTime": "2019-02-20T15:47:27.156966+02:00",
                    "occurred": "2019-02-20T15:47:23.962163+02:00",
                    "owner": "analyst",
                    "parent": "",
                    "phase": "",
                    "playbookId": "playbook0",
                    "previousRoles": None,
                    "rawCategory": "",
                    "rawCloseReason": "",
                    "rawJSON": "",
                    "rawName": "1",
                    "rawPhase": "",
                    "rawType": "Unclassified",
                    "reason": "",
                    "reminder": "0001-01-01T00:00:00Z",
                    "roles": None,
                    "runStatus": "waiting",
                    "severity": 0,
                    "sla": 0,
                    "sourceBrand": "Manual",
                    "sourceInstance": "test",
                    "status": 1,
                    "type": "Unclassified",
                    "version": 6,
                }
            ],
            "total": 1,
        },
        "ContentsFormat": "json",
        "EntryContext": None,
        "HumanReadable": None,
        "IgnoreAutoExtract": False,
        "Note": False,
        "Tags": None,
        "Type": 1,
    }
]

exampleContext: list[dict[str, Any]] = [
    {
        "Brand": "Builtin",
        "Category": "Builtin",
        "Contents": {"context": {}, "id": 1, "importantKeys": None, "modified": "2019-02-24T09:50:21.798306+02:00"},
        "ContentsFormat": "json",
        "EntryContext": None,
        "HumanReadable": None,
        "Type": 1,
    }
]

exampleUsers: list[dict[str, Any]] = [
    {
        "Brand": "Builtin",
        "Category": "Builtin",
        "Contents": [
            {
                "accUser": False,
                "defaultAdmin": True,
                "email": "admin@demisto.com",
                "id": "admin",
                "name": "Admin Dude",
                "phone": "+650-123456",
                "playgroundId": "818df1a6-4bfa-4a3e-8a1b-0d1e8a1c2d3e",
                "roles": {"demisto": ["Administrator"]},
                "username": "admin",
            }
        ],
        "ContentsFormat": "json",
        "EntryContext": None,
        "HumanReadable": None,
        "Type": 1,
    }
]

exampleDemistoUrls: dict[str, str] = {
    "evidenceBoard": "https://test-address:8443/#/EvidenceBoard/1",
    "investigation": "https://test-address:8443/#/Details/1",
    "relatedIncidents": "https://test-address:8443/#/Cluster/1",
    "server": "https://test-address:8443",
    "warRoom": "https://test-address:8443/#/WarRoom/1",
    "workPlan": "https://test-address:8443/#/WorkPlan/1",
}

# Values the server would inject as license custom fields (looked up with dotted keys).
contentSecrets: dict[str, Any] = {
    "WildFire-Reports": {"token": "<ReplaceWithToken>"},
    "Whois_Key": {"key": "<ReplaceWithKey>"},
    "Http_Connector": {"token": "<ReplaceWithToken>", "url": "<ReplaceWithURL>"},
    "AWS_Connector": {"token": "<ReplaceWithToken>"},
}

exampleAutoFocusApiKey = "1234"


def _args_command_file() -> dict[str, Any] | None:
    """The JSON object of `.args_command.json` beside this module, or None when absent or unreadable."""
    if not os.path.exists(ARGS_COMMAND_PATH):
        return None
    try:
        with open(ARGS_COMMAND_PATH) as args_file:
            content = json.load(args_file)
    except (OSError, ValueError):
        return None
    return content if isinstance(content, dict) else None


def params() -> dict[str, Any]:
    raw = os.environ.get("DEMISTO_PARAMS")
    if raw:
        try:
            return json.loads(raw)
        except ValueError:
            return {}
    return {}


def args() -> dict[str, Any]:
    content = _args_command_file()
    if content is None:
        return {}
    content.pop("cmd", None)
    return content


def command() -> str:
    content = _args_command_file()
    if content is None:
        return ""
    return content.get("cmd", "")


def getParam(param: str) -> Any:
    return params().get(param)


def getArg(arg: str) -> Any:
    return args().get(arg)


def log(msg: Any) -> None:
    logging.getLogger().info(msg)


def debug(msg: Any, *args: Any) -> None:
    logging.getLogger().info(msg, *args)


def info(msg: Any, *args: Any) -> None:
    logging.getLogger().info(msg, *args)


def error(msg: Any, *args: Any) -> None:
    # The platform's test double prints errors: a test that reaches here writes to stdout.
    print(msg, *args)


def results(results: Any) -> None:
    if isinstance(results, dict) and results.get("contents"):
        results = results.get("contents")
    log(f"demisto results: {json.dumps(results, indent=4, sort_keys=True)}")


def incidents(incidents: Any = None) -> Any:
    if incidents is None:
        return exampleIncidents[0]["Contents"]["data"]
    return results({"Type": 1, "Contents": json.dumps(incidents), "ContentsFormat": "json"})


def incident() -> dict[str, Any]:
    return incidents()[0]


def setLastRun(obj: Any) -> None:
    return None


def getLastRun() -> dict[str, Any]:
    return {"lastRun": "2018-10-24T14:13:20+00:00"}


def getAssetsLastRun() -> dict[str, Any]:
    return {"lastRun": "2018-10-24T14:13:20+00:00"}


def setAssetsLastRun(obj: Any) -> None:
    return None


def getLastMirrorRun() -> dict[str, Any]:
    return {}


def setLastMirrorRun(obj: Any) -> None:
    return None


def getIntegrationContext() -> Any:
    return integrationContext


def setIntegrationContext(context: Any) -> None:
    global integrationContext
    integrationContext = context


def getIntegrationContextVersioned(refresh: bool = False) -> Any:
    return integrationContext


def setIntegrationContextVersioned(context: Any, version: int = -1, sync: bool = False) -> None:
    global integrationContext
    integrationContext = context


def investigation() -> dict[str, Any]:
    return {"id": "1"}


def demistoVersion() -> dict[str, str]:
    return {"version": "5.5.0", "buildNumber": "12345"}


def uniqueFile() -> str:
    return str(uuid.uuid4())


def getFilePath(id: Any) -> dict[str, Any]:
    return {"id": id, "path": "test/test.txt", "name": "test.txt"}


def executeCommand(command: str, args: Any) -> Any:
    canned = {"getIncidents": exampleIncidents, "getContext": exampleContext, "getUsers": exampleUsers}
    if canned.get(command):
        return canned[command]
    return ""


def context() -> dict[str, Any]:
    return {}


def dt(obj: Any = None, trnsfrm: Any = None) -> Any:
    return ""


def get(obj: Any, field: str, defaultParam: Any = None) -> Any:
    for part in field.split("."):
        if obj and part in obj:
            obj = obj[part]
        else:
            return defaultParam
    return obj


def gets(obj: Any, field: str) -> str:
    return str(get(obj, field))


def setContext(contextPath: str, value: Any) -> dict[str, Any]:
    return {"status": True}


def demistoUrls() -> dict[str, str]:
    return dict(exampleDemistoUrls)


def integrationInstance() -> str:
    return ""


def getLicenseID() -> str:
    return ""


def getIndexHash() -> str:
    return ""


def getLicenseCustomField(key: str) -> Any:
    return get(contentSecrets, key)


def getAutoFocusApiKey() -> str:
    return exampleAutoFocusApiKey


def createIncidents(incidents: Any, lastRun: Any = None, userID: Any = None) -> list[Any]:
    return []


def createIndicators(indicators_batch: Any, noUpdate: bool = False) -> str:
    return ""


def searchIndicators(
    fromDate: str = "",
    query: str = "",
    size: int = 100,
    page: int = 0,
    toDate: str = "",
    value: str = "",
    searchAfter: Any = None,
    populateFields: Any = None,
    **kwargs: Any,
) -> dict[str, Any]:
    return {}


def searchRelationships(args: Any) -> dict[str, Any]:
    return {"data": []}


def mapObject(obj: Any, mapper: Any, mapper_type: Any) -> Any:
    return obj


def internalHttpRequest(method: str, uri: str, body: Any = None) -> dict[str, Any]:
    return {
        "statusCode": 404,
        "status": "404 Not Found",
        "body": "This is a mock. Your request was not found.",
        "headers": {
            "Content-Type": ["text/plain; charset=utf-8"],
            "X-Content-Type-Options": ["nosniff"],
            "X-Frame-Options": ["DENY"],
            "X-Xss-Protection": ["1; mode=block"],
        },
    }


def updateModuleHealth(data: Any, is_error: bool = False) -> str:
    return ""


def addEntry(id: Any, entry: Any, username: Any = None, email: Any = None, footer: Any = None) -> str:
    return ""


def mirrorInvestigation(id: Any, mirrorType: Any, autoClose: bool = False) -> str:
    return ""


def directMessage(message: Any, username: Any = None, email: Any = None, anyoneCanOpenIncidents: Any = None) -> str:
    return ""


def findUser(username: Any = None, email: Any = None) -> dict[str, Any]:
    return {}


def handleEntitlementForUser(incidentID: Any, guid: Any, email: Any, content: Any, taskID: str = "") -> dict[str, Any]:
    return {}


def credentials(credentials: Any) -> None:
    log(f"credentials: {credentials}")


def getAllSupportedCommands() -> dict[str, Any]:
    return {}


def getModules() -> dict[str, Any]:
    return {}


def get_incidents() -> dict[str, Any]:
    return {}


def parentEntry() -> dict[str, Any]:
    return {}


def _apiCall(
    name: Any = None,
    params: Any = None,
    data: Any = None,
    headers: Any = None,
    method: Any = None,
    path: Any = None,
    timeout: Any = None,
    response_data_type: Any = None,
) -> dict[str, Any]:
    return {}


def isTimeSensitive() -> bool:
    return False


def initialize() -> None:
    return None
