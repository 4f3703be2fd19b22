import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import quote

import demistomock as demisto
import urllib3
from CommonServerPython import *
from CommonServerUserPython import *
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

urllib3.disable_warnings()

""" CONSTANTS """

INTEGRATION_NAME = "SentinelOne V2"
V20 = "2.0"
V21 = "2.1"
BOTH_VERSIONS = frozenset({V20, V21})
ONLY_V21 = frozenset({V21})
ONLY_V20 = frozenset({V20})

S1_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
API_MAX_LIMIT = 1000  # the API rejects limit > 1000 (groups: 300)
MAX_PAGES = 100  # hard cap on cursor pages followed by one command run

# Retries (urllib3 Retry on the session adapters): 429 for every method (the request was not processed),
# 5xx only for idempotent methods (a retried POST could act twice). Bounded in count and in total wait.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
RETRY_TOTAL = 3
RETRY_BACKOFF_FACTOR = 1.0
RETRY_MAX_SINGLE_WAIT = 30.0  # cap on one Retry-After or backoff sleep, in seconds

OS_TYPES = ("windows", "windows_legacy", "macos", "linux")
THREAT_VERDICTS = ("true_positive", "false_positive", "suspicious", "undefined")
INCIDENT_STATUSES = ("unresolved", "in_progress", "resolved")

""" ARGUMENT PARSING

Every parser reads one argument, names it in its error, and runs before any request is sent.
"""


def _raw(args: Mapping[str, Any], name: str) -> Any:
    value = args.get(name)
    if isinstance(value, str):
        value = value.strip()
    return None if value in (None, "", [], {}) else value


def required_arg(args: Mapping[str, Any], name: str) -> str:
    value = _raw(args, name)
    if value is None:
        raise ValueError(f"{name}: this argument is required")
    return str(value)


def opt_str(args: Mapping[str, Any], name: str) -> str | None:
    value = _raw(args, name)
    return None if value is None else str(value)


def as_list(args: Mapping[str, Any], name: str, *, required: bool = False) -> list[str]:
    """A comma-separated (or JSON list) argument as a list of non-empty, trimmed strings."""
    items = [str(item).strip() for item in argToList(_raw(args, name))]
    items = [item for item in items if item]
    if required and not items:
        raise ValueError(f"{name}: this argument is required")
    return items


def as_int(
    args: Mapping[str, Any], name: str, *, default: int | None = None, lo: int | None = None, hi: int | None = None
) -> int | None:
    value = _raw(args, name)
    if value is None:
        return default
    text = str(value)
    if not re.fullmatch(r"[+-]?\d+", text):
        raise ValueError(f"{name}: expected an integer{_range_text(lo, hi)}, got {text!r}")
    number = int(text)
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        raise ValueError(f"{name}: expected an integer{_range_text(lo, hi)}, got {text!r}")
    return number


def _range_text(lo: int | None, hi: int | None) -> str:
    if lo is not None and hi is not None:
        return f" from {lo} to {hi}"
    if lo is not None:
        return f" of at least {lo}"
    if hi is not None:
        return f" of at most {hi}"
    return ""


def as_bool(args: Mapping[str, Any], name: str, *, default: bool | None = None) -> bool | None:
    value = _raw(args, name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = str(value).lower()
    if text in ("true", "yes"):
        return True
    if text in ("false", "no"):
        return False
    raise ValueError(f"{name}: expected one of true, false, got {value!r}")


def parse_date(value: Any, name: str) -> datetime:
    """ISO 8601, epoch (seconds or milliseconds) or relative text ("3 days") as an aware UTC datetime."""
    try:
        parsed = arg_to_datetime(value, arg_name=name, settings={"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True})
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(f"{name}: expected a date (ISO 8601, epoch, or relative such as '3 days'), got {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def format_date(moment: datetime) -> str:
    """The one wire format for dates sent to SentinelOne: ISO 8601 UTC with microseconds and Z."""
    return moment.astimezone(timezone.utc).strftime(S1_DATE_FORMAT)


def as_date(args: Mapping[str, Any], name: str) -> str | None:
    value = _raw(args, name)
    return None if value is None else format_date(parse_date(value, name))


def one_of(
    args: Mapping[str, Any], name: str, allowed: Iterable[str], *, default: str | None = None, open_set: bool = False
) -> str | None:
    """A value from a closed set (matched case-insensitively, returned as listed); `open_set` passes others through."""
    value = _raw(args, name)
    if value is None:
        return default
    allowed = tuple(allowed)
    for candidate in allowed:
        if str(value).lower() == candidate.lower():
            return candidate
    if open_set:
        return str(value)
    raise ValueError(f"{name}: expected one of {', '.join(allowed)}, got {value!r}")


def many_of(args: Mapping[str, Any], name: str, allowed: Iterable[str], *, open_set: bool = False) -> list[str]:
    allowed = tuple(allowed)
    result = []
    for item in as_list(args, name):
        match = one_of({name: item}, name, allowed, open_set=open_set)
        if match is not None:
            result.append(match)
    return result


def as_limit(args: Mapping[str, Any], default: int, hi: int = API_MAX_LIMIT, name: str = "limit") -> int:
    limit = as_int(args, name, default=default, lo=1, hi=hi)
    assert limit is not None
    return limit


""" API VERSION ADAPTER

The only place that knows how API 2.0 (flat objects) and 2.1 (nested objects) differ.
"""


def dig(obj: Any, path: str, default: Any = None) -> Any:
    """Walk a dotted path through nested dicts; `default` where any step is missing or null."""
    for part in path.split("."):
        if not isinstance(obj, dict):
            return default
        obj = obj.get(part)
    return default if obj is None else obj


@dataclass(frozen=True)
class ApiVersion:
    """Where a threat field lives in one API version: internal name -> dotted source path."""

    name: str
    threat_fields: Mapping[str, str]
    display_name_param: str
    supports_rank: bool

    def threat_field(self, threat: Mapping[str, Any], internal_name: str) -> Any:
        path = self.threat_fields.get(internal_name)
        return dig(threat, path) if path else None


_THREAT_FIELDS_V21 = {
    "id": "id",
    "agent_computer_name": "agentRealtimeInfo.agentComputerName",
    "created_at": "threatInfo.createdAt",
    "updated_at": "threatInfo.updatedAt",
    "site_id": "agentRealtimeInfo.siteId",
    "site_name": "agentRealtimeInfo.siteName",
    "classification": "threatInfo.classification",
    "classification_source": "threatInfo.classificationSource",
    "mitigation_status": "threatInfo.mitigationStatus",
    "agent_id": "agentRealtimeInfo.agentId",
    "agent_os_type": "agentRealtimeInfo.agentOsType",
    "confidence_level": "threatInfo.confidenceLevel",
    "sha1": "threatInfo.sha1",
    "sha256": "threatInfo.sha256",
    "threat_name": "threatInfo.threatName",
    "file_path": "threatInfo.filePath",
    "file_display_name": "threatInfo.fileDisplayName",
    "username": "threatInfo.processUser",
    "analyst_verdict": "threatInfo.analystVerdict",
    "incident_status": "threatInfo.incidentStatus",
}

_THREAT_FIELDS_V20 = {
    "id": "id",
    "agent_computer_name": "agentComputerName",
    "created_at": "createdAt",
    "updated_at": "updatedAt",
    "site_id": "siteId",
    "site_name": "siteName",
    "classification": "classification",
    "classification_source": "classificationSource",
    "mitigation_status": "mitigationStatus",
    "agent_id": "agentId",
    "agent_os_type": "agentOsType",
    "sha1": "fileContentHash",
    "sha256": "fileSha256",
    "threat_name": "threatName",
    "file_path": "filePath",
    "file_display_name": "fileDisplayName",
    "username": "username",
    "rank": "rank",
    "marked_as_benign": "markedAsBenign",
    "description": "description",
    "file_malicious_content": "fileMaliciousContent",
    "in_quarantine": "inQuarantine",
    "resolved": "resolved",
}

API_VERSIONS: dict[str, ApiVersion] = {
    V20: ApiVersion(V20, _THREAT_FIELDS_V20, display_name_param="displayName__like", supports_rank=True),
    V21: ApiVersion(V21, _THREAT_FIELDS_V21, display_name_param="displayName", supports_rank=False),
}


""" CLIENT """


class S1Retry(Retry):
    """urllib3 Retry that retries 429 for every method and 5xx only for idempotent ones, and caps each wait."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if self.total is not None and self.total < 0:
            return False
        if status_code == 429:
            return True
        return status_code in RETRY_STATUSES and method.upper() in IDEMPOTENT_METHODS

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, RETRY_MAX_SINGLE_WAIT)


def s1_retry() -> S1Retry:
    return S1Retry(
        total=RETRY_TOTAL,
        connect=RETRY_TOTAL,
        read=0,  # a read error after sending may mean the console acted already
        status=RETRY_TOTAL,
        backoff_factor=RETRY_BACKOFF_FACTOR,
        backoff_max=RETRY_MAX_SINGLE_WAIT,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,
        raise_on_status=False,
        respect_retry_after_header=True,
    )


def api_error_text(res: Any) -> str:
    """SentinelOne's `title: detail` pairs from an error body, or the body text."""
    try:
        errors = res.json().get("errors") or []
    except (ValueError, AttributeError):
        errors = []
    parts = []
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, dict):
            title, detail = error.get("title"), error.get("detail")
            parts.append(": ".join(str(x) for x in (title, detail) if x) or f"code {error.get('code')}")
    return "; ".join(parts) or (res.text or "").strip()[:500]


def api_error_codes(res: Any) -> list[int]:
    try:
        return [int(e.get("code")) for e in res.json().get("errors") or [] if isinstance(e, dict) and e.get("code")]
    except (ValueError, AttributeError, TypeError):
        return []


class S1ApiError(DemistoException):
    """An HTTP error answered by the console; `status` and `codes` let callers treat known errors as outcomes."""

    def __init__(self, message: str, res: Any):
        super().__init__(message, res=res)
        self.status: int = res.status_code
        self.codes: list[int] = api_error_codes(res)


def raise_api_error(res: Any) -> None:
    status = res.status_code
    detail = api_error_text(res)
    if status == 401:
        message = f"Authentication failed [401]: the API token is invalid or expired ({detail})"
    elif status == 403:
        message = f"Permission denied [403]: the API token's user may not do this ({detail})"
    elif status == 429:
        message = f"API rate limit exceeded [429]: {detail}"
    else:
        message = f"SentinelOne API error [{status}]: {detail}"
    raise S1ApiError(message, res)


class Client(BaseClient):
    """One method per SentinelOne endpoint; each builds the request and returns the response data."""

    def __init__(
        self, base_url: str, token: str, api_version: str, verify: bool, proxy: bool, block_site_ids: list[str] | None = None
    ):
        headers = {"Authorization": f"ApiToken {token}", "Content-Type": "application/json", "Accept": "application/json"}
        super().__init__(base_url=base_url, verify=verify, proxy=proxy, headers=headers)
        self.api_version = api_version
        self.api = API_VERSIONS[api_version]
        self.block_site_ids = block_site_ids or []
        for prefix in ("https://", "http://"):
            adapter = self._session.get_adapter(prefix)
            if isinstance(adapter, HTTPAdapter):
                adapter.max_retries = s1_retry()

    # --- transport ---

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        resp_type: str = "json",
    ) -> Any:
        return self._http_request(
            method,
            url_suffix=path,
            params=encode_params(params or {}),
            json_data=body,
            resp_type=resp_type,
            error_handler=raise_api_error,
        )

    def get_data(self, path: str, params: dict[str, Any] | None = None) -> Any:
        return (self.request("GET", path, params=params) or {}).get("data")

    def get_page(self, path: str, params: dict[str, Any]) -> tuple[list[dict], str | None, int | None]:
        """One page of a list endpoint: (items, nextCursor, totalItems)."""
        response = self.request("GET", path, params=params) or {}
        pagination = response.get("pagination") or {}
        data = response.get("data")
        items = data if isinstance(data, list) else []
        return items, pagination.get("nextCursor"), pagination.get("totalItems")

    def list_items(self, path: str, params: dict[str, Any], limit: int) -> tuple[list[dict], str | None]:
        """Follow nextCursor until `limit` items are collected; returns the items and the cursor to continue from."""
        collected: list[dict] = []
        cursor = params.get("cursor")
        for _ in range(MAX_PAGES):
            page_params = dict(params, limit=min(API_MAX_LIMIT, limit - len(collected)))
            if cursor:
                page_params["cursor"] = cursor
            items, cursor, _total = self.get_page(path, page_params)
            collected.extend(items)
            if not cursor or not items or len(collected) >= limit:
                break
        return collected[:limit], cursor

    def post_action(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return (self.request("POST", path, body=body) or {}).get("data") or {}

    # --- system ---

    def get_system_info(self) -> Any:
        return self.get_data("system/info")

    # --- endpoints: agents ---

    def list_agents(self, params: dict[str, Any], limit: int) -> tuple[list[dict], str | None]:
        return self.list_items("agents", params, limit)

    # --- endpoints: threats ---

    def list_threats(self, params: dict[str, Any], limit: int) -> tuple[list[dict], str | None]:
        return self.list_items("threats", params, limit)

    # --- endpoints: queries (more) ---

    # --- endpoints: actions ---

    # --- endpoints: polling and files ---

    # --- endpoints: fetch and mirroring ---


def encode_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """Query parameters as the API documents them: lists comma-joined, booleans lower-case, empty values dropped."""
    encoded: dict[str, Any] = {}
    for key, value in params.items():
        if value is None or value == "" or value == [] or value == ():
            continue
        if isinstance(value, bool):
            encoded[key] = "true" if value else "false"
        elif isinstance(value, list | tuple | set):
            encoded[key] = ",".join(str(v) for v in value)
        else:
            encoded[key] = value
    return encoded


def path_segment(value: str) -> str:
    """An ID or hash placed in a URL path, encoded so that it cannot change the path."""
    return quote(str(value), safe="")


def compact(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Drop None, empty strings and empty collections (keeps False and 0): empty filters are validation errors."""
    return {k: v for k, v in mapping.items() if v is not None and v != "" and v != [] and v != {}}


""" OUTPUT ENTRIES

Each function maps one API object to its context entry; nulls are dropped unless the specification keeps them.
"""


def pick(source: Mapping[str, Any] | None, mapping: Mapping[str, str], *, keep_nulls: bool = False) -> dict[str, Any]:
    """Context entry from `mapping` (context key -> dotted source path)."""
    entry = {key: dig(source or {}, path) for key, path in mapping.items()}
    return entry if keep_nulls else {k: v for k, v in entry.items() if v is not None}


AGENT_FIELDS = {
    "NetworkStatus": "networkStatus",
    "ID": "id",
    "AgentVersion": "agentVersion",
    "IsDecommissioned": "isDecommissioned",
    "IsActive": "isActive",
    "LastActiveDate": "lastActiveDate",
    "RegisteredAt": "registeredAt",
    "ExternalIP": "externalIp",
    "ThreatCount": "activeThreats",
    "EncryptedApplications": "encryptedApplications",
    "OSName": "osName",
    "ComputerName": "computerName",
    "Domain": "domain",
    "CreatedAt": "createdAt",
    "SiteName": "siteName",
    "MachineType": "machineType",
    "Tags": "tags",
}


def agent_entry(agent: Mapping[str, Any]) -> dict[str, Any]:
    return pick(agent, AGENT_FIELDS)


THREAT_CONTEXT_FIELDS = {
    "ID": "id",
    "AgentComputerName": "agent_computer_name",
    "CreatedDate": "created_at",
    "SiteID": "site_id",
    "SiteName": "site_name",
    "Classification": "classification",
    "ClassificationSource": "classification_source",
    "MitigationStatus": "mitigation_status",
    "AgentID": "agent_id",
    "ConfidenceLevel": "confidence_level",
    "FileContentHash": "sha1",
    "FileSha256": "sha256",
    "ThreatName": "threat_name",
    "FilePath": "file_path",
    "AgentOsType": "agent_os_type",
    "Username": "username",
    "Rank": "rank",
    "MarkedAsBenign": "marked_as_benign",
    "Description": "description",
    "FileDisplayName": "file_display_name",
    "FileMaliciousContent": "file_malicious_content",
    "InQuarantine": "in_quarantine",
}


def threat_entry(threat: Mapping[str, Any], api: ApiVersion) -> dict[str, Any]:
    entry = {key: api.threat_field(threat, internal) for key, internal in THREAT_CONTEXT_FIELDS.items()}
    return {k: v for k, v in entry.items() if v is not None}


""" COMMAND FRAMEWORK """

ParamBuilder = Callable[[Mapping[str, Any], "Client"], Any]


@dataclass(frozen=True)
class ListCommand:
    """A list command: GET `path` with query parameters built from arguments, one context entry per item.

    `params` maps each API query parameter to a builder `(args, client) -> value`; empty values are not sent.
    """

    path: str
    prefix: str
    key: str | list[str] | None
    title: str
    params: Mapping[str, ParamBuilder]
    entry: Callable[[Mapping[str, Any], "Client"], dict[str, Any]]
    limit_default: int = 10
    limit_max: int = API_MAX_LIMIT
    headers: list[str] | None = None
    keep_item: Callable[[Mapping[str, Any], Mapping[str, Any], "Client"], bool] | None = None
    cursor_output: str | None = None  # context path (under prefix's root) for the next cursor, if the spec has one

    def __call__(self, client: Client, args: dict[str, Any]) -> CommandResults:
        limit = as_limit(args, self.limit_default, self.limit_max)
        query = {name: build(args, client) for name, build in self.params.items()}
        items, next_cursor = client.list_items(self.path, query, limit)
        if self.keep_item is not None:
            items = [item for item in items if self.keep_item(item, args, client)]
        entries = [self.entry(item, client) for item in items]
        readable = tableToMarkdown(self.title, entries, headers=self.headers, removeNull=True, headerTransform=pascalToSpace)
        if next_cursor:
            readable += f"\nMore results are available: use cursor={next_cursor}\n"
        return CommandResults(
            outputs_prefix=self.prefix,
            outputs_key_field=self.key,
            outputs=entries,
            readable_output=readable,
            raw_response=items,
        )


def arg(name: str, parser: Callable[..., Any] = opt_str, **options: Any) -> ParamBuilder:
    """A query parameter taken from one argument through one parser."""
    return lambda args, _client: parser(args, name, **options)


def const(value: Any) -> ParamBuilder:
    return lambda _args, _client: value


@dataclass(frozen=True)
class Command:
    """A dispatch entry: the handler and the API versions the command works on."""

    handler: Callable[[Client, dict[str, Any]], Any]
    versions: frozenset[str] = BOTH_VERSIONS


""" QUERY COMMANDS """


def list_agent_custom_params(args: Mapping[str, Any], _client: Client) -> dict[str, str]:
    """`params`: "field=value" pairs, comma-separated; every pair becomes its own query parameter."""
    pairs = {}
    for item in as_list(args, "params"):
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise ValueError(f"params: expected field=value pairs separated by commas, got {item!r}")
        pairs[name.strip()] = value.strip()
    return pairs


def list_agents_command(client: Client, args: dict[str, Any]) -> CommandResults:
    columns = as_list(args, "columns")
    query = {
        "computerName__like": opt_str(args, "computer_name"),
        "scanStatuses": many_of(args, "scan_status", ("started", "none", "finished", "aborted")),
        "osTypes": many_of(args, "os_type", OS_TYPES),
        "createdAt__gte": as_date(args, "created_at"),
        "activeThreats__gt": as_int(args, "min_active_threats", lo=0),
        **list_agent_custom_params(args, client),
    }
    limit = as_limit(args, 10)
    agents, _cursor = client.list_agents(query, limit)
    entries = []
    for agent in agents:
        entry = agent_entry(agent)
        entry.update({column: agent[column] for column in columns if column in agent})
        entries.append(entry)
    return CommandResults(
        outputs_prefix="SentinelOne.Agents",
        outputs_key_field="ID",
        outputs=entries,
        readable_output=tableToMarkdown("Sentinel One - List of Agents", entries, removeNull=True, headerTransform=pascalToSpace),
        raw_response=agents,
    )


def get_agent_command(client: Client, args: dict[str, Any]) -> CommandResults:
    agent_ids = as_list(args, "agent_id", required=True)
    agents, _cursor = client.list_agents({"ids": agent_ids}, len(agent_ids))
    entries = [agent_entry(agent) for agent in agents]
    missing = sorted(set(agent_ids) - {str(agent.get("id")) for agent in agents})
    readable = tableToMarkdown("Sentinel One - Get Agent Details", entries, removeNull=True, headerTransform=pascalToSpace)
    if missing:
        readable += f"\nNo agent found with ID: {', '.join(missing)}\n"
    return CommandResults(
        outputs_prefix="SentinelOne.Agent", outputs_key_field="ID", outputs=entries, readable_output=readable, raw_response=agents
    )


def threat_query(args: Mapping[str, Any], client: Client) -> dict[str, Any]:
    api = client.api
    query: dict[str, Any] = {
        "contentHashes": as_list(args, "content_hash"),
        "mitigationStatuses": many_of(
            args,
            "mitigation_status",
            ("mitigated", "active", "blocked", "suspicious", "pending", "suspicious_resolved"),
            open_set=True,
        ),
        "createdAt__lt": as_date(args, "created_before"),
        "createdAt__gt": as_date(args, "created_after"),
        "createdAt__lte": as_date(args, "created_until"),
        "createdAt__gte": as_date(args, "created_from"),
        api.display_name_param: opt_str(args, "display_name"),
        "query": opt_str(args, "query"),
        "ids": as_list(args, "threat_ids"),
        "classifications": many_of(args, "classifications", ("Engine", "Static", "Cloud", "Behavioral"), open_set=True),
        "siteIds": as_list(args, "site_ids"),
        "incidentStatuses": [s.lower() for s in many_of(args, "incident_statuses", [s.upper() for s in INCIDENT_STATUSES])],
    }
    rank = as_int(args, "rank", lo=0, hi=10)
    if rank is not None and api.supports_rank:
        query["rank"] = rank
    # `resolved` hides every other status when sent, so it goes out only when the analyst asks for it explicitly.
    if as_bool(args, "include_resolved_param", default=False):
        query["resolved"] = as_bool(args, "resolved", default=False)
    else:
        as_bool(args, "resolved")  # still validated
    return query


def get_threats_command(client: Client, args: dict[str, Any]) -> CommandResults:
    query = threat_query(args, client)
    limit = as_limit(args, 20)
    threats, _cursor = client.list_threats(query, limit)
    rank = as_int(args, "rank", lo=0, hi=10)
    if rank is not None and client.api.supports_rank:
        threats = [t for t in threats if (as_int({"rank": t.get("rank")}, "rank") or 0) >= rank]
    entries = [threat_entry(threat, client.api) for threat in threats]
    return CommandResults(
        outputs_prefix="SentinelOne.Threat",
        outputs_key_field="ID",
        outputs=entries,
        readable_output=tableToMarkdown(
            "Sentinel One - Getting Threat List",
            entries,
            headers=[
                "ID",
                "AgentComputerName",
                "CreatedDate",
                "SiteID",
                "SiteName",
                "Classification",
                "MitigationStatus",
                "ConfidenceLevel",
                "AgentID",
                "FileSha256",
                "FileContentHash",
                "ThreatName",
                "FilePath",
            ],
            removeNull=True,
            headerTransform=pascalToSpace,
        ),
        raw_response=threats,
    )


QUERY_COMMANDS: dict[str, Command] = {
    "sentinelone-list-agents": Command(list_agents_command),
    "sentinelone-get-agent": Command(get_agent_command),
    "sentinelone-get-threats": Command(get_threats_command),
}

""" ACTION COMMANDS """

ACTION_COMMANDS: dict[str, Command] = {}

""" POLLING AND FILE COMMANDS """

POLLING_COMMANDS: dict[str, Command] = {}

""" FETCH INCIDENTS """

""" MIRRORING """

MIRRORING_COMMANDS: dict[str, Command] = {}

""" TEST MODULE """


def test_module(client: Client, params: Mapping[str, Any]) -> str:
    """'ok', or what an admin must fix: URL, token, API version, fetch settings."""
    try:
        client.get_system_info()
    except S1ApiError as error:
        if error.status == 401:
            return (
                "Authorization failed: the API token is invalid or expired. "
                "Create a new token (a Service User's token is recommended)."
            )
        if error.status == 403:
            return "The API token's user lacks permission to read system information; give it at least Viewer rights."
        if error.status == 404:
            return (
                f"The console does not serve API version {client.api_version} at this URL (HTTP 404). "
                "Check the Server URL and the API Version parameter."
            )
        raise
    except DemistoException as error:
        if isinstance(error.exception, ValueError):  # a 200 answer that is not JSON
            return f"The Server URL does not look like a SentinelOne console (unexpected answer: {str(error)[:200]})"
        if error.res is None:
            return f"Could not reach the SentinelOne console: check the Server URL and the proxy/certificate settings. ({error})"
        raise
    return "ok"


""" DISPATCH """

COMMANDS: dict[str, Command] = {**QUERY_COMMANDS, **ACTION_COMMANDS, **POLLING_COMMANDS, **MIRRORING_COMMANDS}


def command_handler(command: str, api_version: str) -> Callable[[Client, dict[str, Any]], Any]:
    entry = COMMANDS.get(command)
    if entry is None:
        raise NotImplementedError(f"Command {command} is not implemented")
    if api_version not in entry.versions:
        supported = " and ".join(sorted(entry.versions))
        raise DemistoException(
            f"The {command} command is not supported for API version {api_version}; it works with API version {supported}."
        )
    return entry.handler


def base_url_from(url: str, api_version: str) -> str:
    """`<url>/web/api/v<version>/`, tolerating a trailing slash or a pasted /web/api/... suffix."""
    root = re.sub(r"/web/api(/v?[\d.]*)?/?$", "", url.strip().rstrip("/"), flags=re.IGNORECASE).rstrip("/")
    return f"{root}/web/api/v{api_version}/"


def api_token_from(params: Mapping[str, Any]) -> str:
    """The credentials parameter first, the deprecated token parameter second."""
    credentials = params.get("credentials") or {}
    token = (credentials.get("password") if isinstance(credentials, dict) else None) or params.get("token")
    if not token:
        raise DemistoException("No API token: set the API Token parameter (the deprecated API Token field is also read).")
    return str(token)


def build_client(params: Mapping[str, Any]) -> Client:
    api_version = str(params.get("api_version") or V21)
    if api_version not in API_VERSIONS:
        raise DemistoException(f"api_version: expected one of {', '.join(API_VERSIONS)}, got {api_version!r}")
    url = str(params.get("url") or "").strip()
    if not url:
        raise DemistoException("url: the Server URL parameter is required")
    return Client(
        base_url=base_url_from(url, api_version),
        token=api_token_from(params),
        api_version=api_version,
        verify=not argToBoolean(params.get("insecure", False)),
        proxy=argToBoolean(params.get("proxy", False)),
        block_site_ids=as_list(params, "block_site_ids"),
    )


def main() -> None:  # pragma: no cover - exercised end to end through the runner
    params = demisto.params()
    command = demisto.command()
    demisto.debug(f"[SentinelOne] command {command}")
    try:
        client = build_client(params)
        if command == "test-module":
            return_results(test_module(client, params))
        else:
            handler = command_handler(command, client.api_version)
            return_results(handler(client, demisto.args()))
    except Exception as error:
        return_error(f"Failed to execute {command} command. Error: {error}", error=error)


if __name__ in ("__main__", "__builtin__", "builtins"):
    main()
