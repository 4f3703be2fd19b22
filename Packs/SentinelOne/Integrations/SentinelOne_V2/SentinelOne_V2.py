import demistomock as demisto
from CommonServerPython import *
from CommonServerUserPython import *

import calendar
import functools
import io
import ipaddress
import itertools
import json
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager, nullcontext
from datetime import datetime, timedelta, timezone
from typing import IO, Any, NamedTuple, Protocol
from urllib.parse import quote

import urllib3
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

urllib3.disable_warnings()

# The shapes that recur in signatures.
Args = Mapping[str, Any]  # command arguments or instance parameters (read, never changed)
Json = dict[str, Any]  # a JSON object the integration builds: a request body or query, a context entry, an incident
JsonView = Mapping[str, Any]  # a JSON object it only reads: an answer or an item of the API
Page = tuple[list[dict], str | None]  # one page of a list: its items, and the cursor of the next page (None: the last)

""" CONSTANTS """

INTEGRATION_NAME = "SentinelOne V2"
V20 = "2.0"
V21 = "2.1"
BOTH_VERSIONS = frozenset({V20, V21})
ONLY_V21 = frozenset({V21})
ONLY_V20 = frozenset({V20})

S1_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
WIRE_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z")  # S1_DATE_FORMAT's texts
API_MAX_LIMIT = 1000  # the API rejects limit > 1000 (groups: 300); UAM's `first` is 1..1000 too
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


def _raw(args: Args, name: str) -> Any:
    value = args.get(name)
    if isinstance(value, str):
        value = value.strip()
    return None if value in (None, "", [], {}) else value


def required_arg(args: Args, name: str) -> str:
    value = _raw(args, name)
    if value is None:
        raise ValueError(f"{name}: this argument is required")
    return str(value)


def opt_str(args: Args, name: str) -> str | None:
    value = _raw(args, name)
    return None if value is None else str(value)


def as_list(args: Args, name: str, *, required: bool = False) -> list[str]:
    """A comma-separated (or JSON list) argument as a list of non-empty, trimmed strings."""
    items = [str(item).strip() for item in argToList(_raw(args, name))]
    items = [item for item in items if item]
    if required and not items:
        raise ValueError(f"{name}: this argument is required")
    return items


def as_int(args: Args, name: str, *, default: int | None = None, lo: int | None = None, hi: int | None = None) -> int | None:
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


def as_bool(args: Args, name: str, *, default: bool | None = None) -> bool | None:
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


def relative_date(text: str) -> datetime | None:
    """`<number> <unit>[s] [ago]`, the usual form of first-fetch times and date filters, as that long before now (the
    reading dateparser gives it); None for any other text."""
    match = re.fullmatch(r"(\d+)\s*(second|minute|hour|day|week|month|year)s?(?:\s+ago)?", text.strip().lower())
    if match is None:
        return None
    number, unit = int(match[1]), match[2]
    now = datetime.now(timezone.utc)
    if unit in ("month", "year"):
        return months_before(now, number * 12 if unit == "year" else number)
    return now - timedelta(**{f"{unit}s": number})


def months_before(moment: datetime, months: int) -> datetime:
    """That many calendar months earlier, the day kept or cut to the month's last (dateutil's relativedelta rule, without
    its cost: every fetch run reads its first fetch time)."""
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    return moment.replace(year=year, month=month + 1, day=min(moment.day, calendar.monthrange(year, month + 1)[1]))


def parse_date(value: Any, name: str) -> datetime:
    """ISO 8601, epoch (seconds or milliseconds) or relative text ("3 days") as an aware UTC datetime.

    ISO 8601 and `<number> <unit>` are read directly; other text goes to dateparser, which takes milliseconds a call."""
    text = value.strip() if isinstance(value, str) else ""
    parsed = (relative_date(text) or parse_item_time(text)) if text and not text.isdigit() else None
    if parsed is not None:
        return parsed
    try:
        parsed = arg_to_datetime(value, arg_name=name, settings={"TIMEZONE": "UTC", "RETURN_AS_TIMEZONE_AWARE": True})
    except (ValueError, OverflowError, OSError):  # an epoch beyond the platform's range raises the latter two
        parsed = None
    if parsed is None:
        raise ValueError(f"{name}: expected a date (ISO 8601, epoch, or relative such as '3 days'), got {value!r}")
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def format_date(moment: datetime) -> str:
    """The one wire format for dates sent to SentinelOne: ISO 8601 UTC with microseconds and Z (S1_DATE_FORMAT).

    Formatted field by field: strftime takes several times longer, and every fetched incident's time goes through here."""
    utc = moment.astimezone(timezone.utc)
    fields = (utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ" % fields


def as_date(args: Args, name: str, *, required: bool = False) -> str | None:
    value = _raw(args, name)
    if value is None and required:
        raise ValueError(f"{name}: this argument is required")
    return None if value is None else format_date(parse_date(value, name))


def as_int_list(args: Args, name: str) -> list[int]:
    """A comma-separated list of integers (e.g. activity type codes)."""
    numbers = []
    for item in as_list(args, name):
        if not re.fullmatch(r"[+-]?\d+", item):
            raise ValueError(f"{name}: expected a comma-separated list of integers, got {item!r}")
        numbers.append(int(item))
    return numbers


def one_of(args: Args, name: str, allowed: Iterable[str], *, default: str | None = None, open_set: bool = False) -> str | None:
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


def many_of(args: Args, name: str, allowed: Iterable[str], *, open_set: bool = False) -> list[str]:
    allowed = tuple(allowed)
    result = []
    for item in as_list(args, name):
        match = one_of({name: item}, name, allowed, open_set=open_set)
        if match is not None:
            result.append(match)
    return result


def as_limit(args: Args, default: int, hi: int = API_MAX_LIMIT, name: str = "limit") -> int:
    limit = as_int(args, name, default=default, lo=1, hi=hi)
    assert limit is not None
    return limit


def as_ids(args: Args, name: str, *, required: bool = False) -> list[str]:
    """Console object IDs (decimal digit strings), each checked, duplicates dropped (order kept)."""
    ids = as_list(args, name, required=required)
    malformed = [item for item in ids if not re.fullmatch(r"[0-9]+", item)]
    if malformed:
        raise ValueError(f"{name}: expected IDs made of digits only, got {', '.join(repr(item) for item in malformed)}")
    return list(dict.fromkeys(ids))


def required_id(args: Args, name: str) -> str:
    """One console object ID (a decimal digit string), required."""
    value = required_arg(args, name)
    if not re.fullmatch(r"[0-9]+", value):
        raise ValueError(f"{name}: expected an ID made of digits only, got {value!r}")
    return value


""" API VERSION ADAPTER

The only place that knows how API 2.0 (flat objects) and 2.1 (nested objects) differ.
"""


@functools.cache
def field_getter(path: str) -> Callable[[Any], Any]:
    """A getter for a dotted path, built once per path (the path is split here, not per item): it walks nested dicts
    and gives None where any step is missing."""
    keys = tuple(path.split("."))
    if len(keys) == 1:
        key = keys[0]
        return lambda obj: obj.get(key) if isinstance(obj, dict) else None
    if len(keys) == 2:  # most nested API fields (threatInfo.x, alertInfo.x)
        outer, inner = keys

        def nested(obj: Any) -> Any:
            parent = obj.get(outer) if isinstance(obj, dict) else None
            return parent.get(inner) if isinstance(parent, dict) else None

        return nested

    def walk(obj: Any) -> Any:
        for key in keys:
            if not isinstance(obj, dict):
                return None
            obj = obj.get(key)
        return obj

    return walk


class Fields(dict[str, str]):
    """A field table (name -> dotted source path) that keeps its getters, resolved on first use: reading many items
    through it costs no path lookup per field."""

    @functools.cached_property
    def getters(self) -> dict[str, Callable[[Any], Any]]:
        return {name: field_getter(path) for name, path in self.items()}

    @functools.cached_property
    def getter(self) -> "FieldGetters":
        """The getters one at a time, each made when first asked for (a fetched threat is read for 6 of its 23 fields)."""
        return FieldGetters(self)


class FieldGetters(dict[str, Callable[[Any], Any]]):
    def __init__(self, fields: Fields) -> None:
        super().__init__()
        self.fields = fields

    def __missing__(self, name: str) -> Callable[[Any], Any]:
        getter = self[name] = field_getter(self.fields[name])
        return getter


def dig(obj: Any, path: str, default: Any = None) -> Any:
    """Walk a dotted path through nested dicts; `default` where any step is missing or null."""
    value = field_getter(path)(obj)
    return default if value is None else value


class ApiVersion(NamedTuple):
    """Where a threat field lives in one API version: internal name -> dotted source path."""

    name: str
    threat_fields: Fields
    display_name_param: str
    supports_rank: bool
    # Deep Visibility events: the field holding the process unique id (2.1 `srcProcUid`, 2.0 `processUniqueKey`).
    event_process_uid: str = "srcProcUid"

    def threat_field(self, threat: JsonView, internal_name: str) -> Any:
        return self.threat_fields.getter[internal_name](threat) if internal_name in self.threat_fields else None


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
    V20: ApiVersion(
        V20,
        Fields(_THREAT_FIELDS_V20),
        display_name_param="displayName__like",
        supports_rank=True,
        event_process_uid="processUniqueKey",
    ),
    V21: ApiVersion(V21, Fields(_THREAT_FIELDS_V21), display_name_param="displayName", supports_rank=False),
}


""" UAM ALERTS: GRAPHQL DOCUMENTS AND VALUE SETS

Unified Alert Management is served only through GraphQL (`POST unifiedalerts/graphql`, API 2.1). The documents are
constants: every value travels in `variables`, never in the document text. Epoch milliseconds are the `Long` scalar.
"""

UAM_GRAPHQL_PATH = "unifiedalerts/graphql"
UAM_VIEW_TYPES = ("ALL", "CLOUD", "CUSTOM_ALERTS", "ENDPOINT", "IDENTITY", "STAR", "THIRD_PARTY")
UAM_SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO")
UAM_STATUS_ACTION = "S1/alert/statusUpdate"
UAM_VERDICT_ACTION = "S1/alert/analystVerdictUpdate"
UAM_NOTE_ACTION = "S1/alert/addNote"

# The node selection (the fields the public pack selects); nested objects may be null in real data.
UAM_ALERT_FRAGMENT = """
fragment UamAlertFields on Alert {
  id name description severity status result analystVerdict attackSurfaces classification confidenceLevel
  externalId createdAt updatedAt firstSeenAt lastSeenAt detectedAt noteExists dataSources storylineId ticketId
  fileName fileHash
  analytics { uid name type typeValue category }
  assignee { userId fullName email }
  detectionSource { product vendor engine }
  asset {
    id name agentUuid agentVersion assetTypeClassifier category subcategory type connectivityToConsole osType
    osVersion pendingReboot lastLoggedInUser policy
  }
  detectionTime {
    asset {
      agentVersion consoleIpAddress domain ipV4 ipV6 lastLoggedInUser osName osRevision osType policy subscriptionTime
    }
    attacker { host ip }
    cloud {
      accountId cloudProvider image instanceId instanceSize location network tags
      providerDetails {
        __typename
        ... on DetectionAws {
          accountId imageId instanceId instanceType region role securityGroups subnetIds tags vpcId
        }
        ... on DetectionAzure { imageId instanceId instanceType region resourceGroup subscriptionId tags }
        ... on DetectionGcp { imageId instanceId instanceType projectId serviceAccount tags vpcId zone }
      }
    }
    kubernetes {
      clusterName namespaceName nodeName podName containerId containerImageName containerLabels containerName
      containerNetworkStatus controllerName controllerType controllerLabels namespaceLabels nodeLabels podLabels
    }
    scope { accountId accountName groupName siteName }
    targetUser { name emailAddress domain }
  }
  process { cmdLine parentName file { certSubject md5 name path sha1 sha256 } }
  realTime { scope { account { id name } group { id name } site { id name } } }
}
"""

UAM_ALERTS_QUERY = (
    """
query UamAlerts($first: Int, $after: String, $filters: [FilterInput!], $sort: SortInput, $viewType: ViewType) {
  alerts(first: $first, after: $after, filters: $filters, sort: $sort, viewType: $viewType) {
    totalCount
    edges { cursor node { ...UamAlertFields } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
    + UAM_ALERT_FRAGMENT
)

UAM_ALERT_QUERY = (
    """
query UamAlert($id: ID!) {
  alert(id: $id) { ...UamAlertFields }
}
"""
    + UAM_ALERT_FRAGMENT
)

UAM_ALERT_NOTES_QUERY = """
query UamAlertNotes($alertId: ID!) {
  alertNotes(alertId: $alertId) { data { id text createdAt updatedAt author { userId fullName email } } }
}
"""

UAM_TRIGGER_ACTIONS_MUTATION = """
mutation UamAlertTriggerActions($actions: [TriggerActionInput!]!, $filter: OrFilterSelectionInput) {
  alertTriggerActions(actions: $actions, filter: $filter) {
    __typename
    ... on ActionsTriggered {
      actions { actionId success { id } failure { id errorMessage errorType } skip { id skipMessage } }
    }
    ... on TriggerActionsError { errors { errorMessage } }
    ... on TriggerActionsScheduled { executionId }
  }
}
"""


def uam_enum(value: Any) -> str:
    """A UAM label or enum value as the enum: "True positive - PUA/Adware" -> "TRUE_POSITIVE_PUA_ADWARE"."""
    return re.sub(r"[\s/-]+", "_", str(value).strip()).upper()


UAM_STATUS_LABELS = {uam_enum(label): label for label in ("New", "In progress", "Resolved")}
UAM_VERDICT_LABELS = {
    uam_enum(label): label
    for label in (
        "False positive - Benign",
        "False positive - Benign but suspicious",
        "False positive - System error",
        "False positive - Undefined",
        "False positive - User error",
        "True positive - Advanced persistent threat",
        "True positive - Benign",
        "True positive - Benign but suspicious",
        "True positive - Data exfiltration",
        "True positive - Denial of service",
        "True positive - Exploitation tools",
        "True positive - Insider threat",
        "True positive - Malware",
        "True positive - Phishing attack",
        "True positive - Policy violation",
        "True positive - PUA/Adware",
        "True positive - Ransomware",
        "True positive - Unauthorized access",
        "True positive - Undefined",
        "Undefined",
    )
}
# The alert status parameter (fetch_incidentStatus) speaks the cloud-detection alert statuses; UAM calls UNRESOLVED NEW.
UAM_FETCH_STATUSES = {"UNRESOLVED": "NEW", "IN_PROGRESS": "IN_PROGRESS", "RESOLVED": "RESOLVED"}


""" CLIENT """


class S1Retry(Retry):
    """urllib3 Retry for the statuses of `status_forcelist`: 429 for every method, the others (5xx) for the idempotent
    methods only (`allowed_methods` where set: a GraphQL query, which only reads, adds POST); each wait capped."""

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        if self.total is not None and self.total < 0:
            return False
        if status_code not in self.status_forcelist:
            return False
        return status_code == 429 or method.upper() in (self.allowed_methods or IDEMPOTENT_METHODS)

    def get_retry_after(self, response: Any) -> float | None:
        seconds = super().get_retry_after(response)
        return None if seconds is None else min(seconds, RETRY_MAX_SINGLE_WAIT)

    def get_backoff_time(self) -> float:
        # Capped here rather than with `backoff_max`, which urllib3 1.x does not take.
        return min(super().get_backoff_time(), RETRY_MAX_SINGLE_WAIT)


def s1_retry() -> S1Retry:
    return S1Retry(
        total=RETRY_TOTAL,
        connect=RETRY_TOTAL,
        read=0,  # a read error after sending may mean the console acted already
        status=RETRY_TOTAL,
        backoff_factor=RETRY_BACKOFF_FACTOR,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=None,  # 5xx: IDEMPOTENT_METHODS (see S1Retry); None keeps read errors raised as before
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
        return [int(e["code"]) for e in res.json().get("errors") or [] if isinstance(e, dict) and e.get("code")]
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


class UamGraphQLError(S1ApiError):
    """A GraphQL answer (HTTP 200) that carries `errors`: the document, a variable or a filter was refused."""


def raise_graphql_errors(res: Any, body: Any) -> None:
    """Raise UamGraphQLError quoting every `errors[].message` when the answer has any (also beside partial data)."""
    errors = body.get("errors") if isinstance(body, dict) else None
    if errors:
        messages = [str(e.get("message") or e) if isinstance(e, dict) else str(e) for e in errors]
        raise UamGraphQLError(f"SentinelOne UAM GraphQL error: {'; '.join(messages)}", res)
    if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
        raise UamGraphQLError(f"SentinelOne UAM GraphQL error: the answer has no data ({str(body)[:200]})", res)


def ids_action(method: str, path: str, **data: Any) -> Callable[["Client", list[str]], Json]:
    """The Client method of an endpoint that acts on objects by ID: `{"filter": {"ids": [...]}}` plus `data` where
    given; the response's `data`."""

    def send(client: "Client", ids: list[str]) -> Json:
        return client.send_action(method, path, {"filter": {"ids": ids}, **data}) or {}

    return send


def list_endpoint(path: str) -> Callable[["Client", Json, int], Page]:
    """The Client method of a plain list endpoint: up to `limit` items matching the query, following the cursor."""
    return lambda client, params, limit: client.list_items(path, params, limit)


class Client(BaseClient):
    """One method per SentinelOne endpoint; each builds the request and returns the response data (the endpoints that
    share a shape are made by ids_action and list_endpoint)."""

    def __init__(
        self, base_url: str, token: str, api_version: str, verify: bool, proxy: bool, block_site_ids: list[str] | None = None
    ):
        headers = {"Authorization": f"ApiToken {token}", "Content-Type": "application/json", "Accept": "application/json"}
        super().__init__(base_url=base_url, verify=verify, proxy=proxy, headers=headers)
        self.api_version = api_version
        self.api = API_VERSIONS[api_version]
        self.block_site_ids = block_site_ids or []
        retry = s1_retry()  # one for both adapters: a Retry is never changed, each retry makes a new one
        for adapter in self.http_adapters():
            adapter.max_retries = retry

    def http_adapters(self) -> list[HTTPAdapter]:
        """The session's adapters (https and http), whose max_retries are the retry rules."""
        return [adapter for adapter in self._session.adapters.values() if isinstance(adapter, HTTPAdapter)]

    # --- transport ---

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Json | None = None,
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

    def get_data(self, path: str, params: Json | None = None) -> Any:
        return (self.request("GET", path, params=params) or {}).get("data")

    def get_page(self, path: str, params: Json, items_key: str | None = None) -> tuple[list[dict], str | None, int | None]:
        """One page of a list endpoint: (items, nextCursor, totalItems).

        `items_key` names the list inside an object `data` (`sites` answers `{"allSites": {...}, "sites": [...]}`).
        """
        response = self.request("GET", path, params=params) or {}
        pagination = response.get("pagination") or {}
        data = response.get("data")
        if items_key is not None and isinstance(data, dict):
            data = data.get(items_key)
        items = data if isinstance(data, list) else []
        return items, pagination.get("nextCursor"), pagination.get("totalItems")

    def list_items(self, path: str, params: Json, limit: int, items_key: str | None = None) -> Page:
        """Follow nextCursor until `limit` items are collected; returns the items and the cursor to continue from."""
        return collect_pages(lambda page_params: self.get_page(path, page_params, items_key)[:2], params, limit)

    def post_action(self, path: str, body: Json) -> Json:
        return (self.request("POST", path, body=body) or {}).get("data") or {}

    # --- system ---

    def get_system_info(self) -> Any:
        return self.get_data("system/info")

    # --- endpoints: agents ---

    list_agents = list_endpoint("agents")

    def list_installed_applications(self, agent_ids: list[str]) -> list[dict]:
        return self.get_data("agents/applications", {"ids": agent_ids}) or []

    # --- endpoints: threats ---

    list_threats = list_endpoint("threats")

    def get_threat_summary(self, params: Json) -> Json:
        return self.get_data("private/threats/summary", params) or {}

    def list_threat_notes(self, threat_id: str, limit: int) -> Page:
        return self.list_items(f"threats/{path_segment(threat_id)}/notes", {}, limit)

    # --- endpoints: queries (more) ---

    def get_site(self, site_id: str) -> Json:
        return self.get_data(f"sites/{path_segment(site_id)}") or {}

    def get_account(self, account_id: str) -> Json:
        return self.get_data(f"accounts/{path_segment(account_id)}") or {}

    def list_accounts(self, limit: int) -> Page:
        return self.list_items("accounts", {}, limit)

    def get_hash_verdict(self, file_hash: str) -> Json:
        return self.get_data(f"hashes/{path_segment(file_hash)}/verdict") or {}

    def get_dv_query_status(self, query_id: str) -> Json:
        return self.get_data("dv/query-status", {"queryId": query_id}) or {}

    list_dv_events = list_endpoint("dv/events")

    def fetch_remote_script_links(self, task_ids: list[str], computer_names: list[str]) -> Json:
        """Download links of remote-script task results: `{"download_links": [...], "errors": [...]}`."""
        body = {"data": compact({"taskIds": task_ids, "computerNames": computer_names})}
        return self.post_action("remote-scripts/fetch-files", body)

    # --- endpoints: actions ---

    def send_action(self, method: str, path: str, body: Json | None = None) -> Any:
        """An action request (POST, PUT or DELETE with a JSON body): the response's `data`."""
        return (self.request(method, path, body=body) or {}).get("data")

    connect_agents = ids_action("POST", "agents/actions/connect")
    disconnect_agents = ids_action("POST", "agents/actions/disconnect")

    def broadcast_message(self, message: str, agent_filter: JsonView) -> Json:
        return self.post_action("agents/actions/broadcast", {"data": {"message": message}, "filter": compact(agent_filter)})

    def shutdown_agents(self, agent_filter: JsonView) -> Json:
        return self.post_action("agents/actions/shutdown", {"filter": compact(agent_filter)})

    def uninstall_agents(self, agent_filter: JsonView) -> Json:
        return self.post_action("agents/actions/uninstall", {"filter": compact(agent_filter)})

    initiate_scan = ids_action("POST", "agents/actions/initiate-scan", data={})

    def move_agents(self, group_id: str, agent_ids: list[str]) -> Json:
        return self.send_action("PUT", f"groups/{path_segment(group_id)}/move-agents", {"filter": {"ids": agent_ids}}) or {}

    def mitigate_threats(self, action: str, threat_ids: list[str]) -> Json:
        return self.post_action(f"threats/mitigate/{path_segment(action)}", {"filter": {"ids": threat_ids}})

    def mark_as_threat(self, threat_ids: list[str], target_scope: str) -> Json:
        return self.post_action("threats/mark-as-threat", {"filter": {"ids": threat_ids}, "data": {"targetScope": target_scope}})

    resolve_threats = ids_action("POST", "threats/mark-as-resolved")

    def set_threats_verdict(self, threat_ids: list[str], verdict: str) -> Json:
        body = {"data": {"analystVerdict": verdict}, "filter": {"ids": threat_ids, "tenant": True}}
        return self.post_action("threats/analyst-verdict", body)

    def set_threats_status(self, threat_ids: list[str], status: str) -> Json:
        return self.post_action("threats/incident", {"data": {"incidentStatus": status}, "filter": {"ids": threat_ids}})

    def add_threat_note(self, threat_ids: list[str], text: str) -> Json:
        return self.post_action("threats/notes", {"data": {"text": text}, "filter": {"ids": threat_ids}})

    def set_alerts_verdict(self, alert_ids: list[str], verdict: str) -> Json:
        body = {"data": {"analystVerdict": verdict}, "filter": {"ids": alert_ids, "tenant": True}}
        return self.post_action("cloud-detection/alerts/analyst-verdict", body)

    def set_alerts_status(self, alert_ids: list[str], status: str) -> Json:
        body = {"data": {"incidentStatus": status}, "filter": {"ids": alert_ids}}
        return self.post_action("cloud-detection/alerts/incident", body)

    def reactivate_site(self, site_id: str, *, expiration: str | None, unlimited: bool) -> Json:
        body = {"data": compact({"expiration": expiration, "unlimited": unlimited})}
        return self.send_action("PUT", f"sites/{path_segment(site_id)}/reactivate", body) or {}

    def expire_site(self, site_id: str) -> Json:
        return self.send_action("POST", f"sites/{path_segment(site_id)}/expire-now") or {}

    def delete_group(self, group_id: str) -> Json:
        return self.send_action("DELETE", f"groups/{path_segment(group_id)}") or {}

    def create_exclusion(self, item: JsonView, scope: JsonView) -> list[dict]:
        return self.send_action("POST", "exclusions", {"filter": compact(scope), "data": compact(item)}) or []

    def search_exclusions(self, params: Json) -> list[dict]:
        """Every exclusion matching `params`, all pages."""
        return self.list_items("exclusions", params, MAX_PAGES * API_MAX_LIMIT)[0]

    def delete_exclusions(self, exclusion_ids: list[str], exclusion_type: str | None) -> Json:
        return self.send_action("DELETE", "exclusions", {"data": compact({"ids": exclusion_ids, "type": exclusion_type})}) or {}

    def add_to_blocklist(self, entry: JsonView, scope: JsonView) -> list[dict]:
        return self.send_action("POST", "restrictions", {"data": dict(entry), "filter": dict(scope)}) or []

    def search_blocklist(self, params: Json) -> list[dict]:
        """Every blocklist entry matching `params`, all pages."""
        return self.list_items("restrictions", params, MAX_PAGES * API_MAX_LIMIT)[0]

    def delete_from_blocklist(self, entry_ids: list[str]) -> Json:
        return self.send_action("DELETE", "restrictions", {"data": {"ids": entry_ids, "type": "black_hash"}}) or {}

    def create_star_rule(self, rule: JsonView, scope: JsonView) -> Json:
        return self.send_action("POST", "cloud-detection/rules", {"data": dict(rule), "filter": dict(scope)}) or {}

    def update_star_rule(self, rule_id: str, rule: JsonView, scope: JsonView) -> Json:
        body = {"data": dict(rule), "filter": dict(scope)}
        return self.send_action("PUT", f"cloud-detection/rules/{path_segment(rule_id)}", body) or {}

    enable_star_rules = ids_action("PUT", "cloud-detection/rules/enable")
    disable_star_rules = ids_action("PUT", "cloud-detection/rules/disable")
    delete_star_rules = ids_action("DELETE", "cloud-detection/rules")

    def create_iocs(self, account_ids: list[str], iocs: list[Json]) -> list[dict]:
        return self.send_action("POST", "threat-intelligence/iocs", {"filter": {"accountIds": account_ids}, "data": iocs}) or []

    def delete_iocs(self, account_ids: list[str], uuids: list[str]) -> Json:
        body = {"filter": {"accountIds": account_ids, "uuids": uuids}}
        return self.send_action("DELETE", "threat-intelligence/iocs", body) or {}

    def init_dv_query(self, query: str, from_date: str, to_date: str) -> Json:
        return self.post_action("dv/init-query", {"query": query, "fromDate": from_date, "toDate": to_date})

    # --- endpoints: polling and files ---

    def fetch_agent_files(self, agent_id: str, file_paths: list[str], password: str) -> Json:
        body = {"data": {"password": password, "files": file_paths}}
        return self.post_action(f"agents/{path_segment(agent_id)}/actions/fetch-files", body)

    def download_agent_upload(self, agent_id: str, activity_id: str) -> bytes:
        """The password-protected zip an agent uploaded (activity type 80)."""
        return self.request("GET", f"agents/{path_segment(agent_id)}/uploads/{path_segment(activity_id)}", resp_type="content")

    def fetch_threat_file(self, threat_id: str, password: str) -> Json:
        return self.post_action("threats/fetch-file", {"data": {"password": password}, "filter": {"ids": [threat_id]}})

    def list_threat_timeline(self, threat_id: str, limit: int) -> list[dict]:
        """The newest `limit` timeline items of a threat, newest first."""
        items, _cursor, _total = self.get_page(
            f"threats/{path_segment(threat_id)}/timeline", {"sortOrder": "desc", "limit": limit}
        )
        return items

    def download_console_path(self, path: str) -> bytes:
        """A download path the console gives relative to the versioned base (`/agents/{id}/uploads/{activity_id}`)."""
        return self.request("GET", path.lstrip("/"), resp_type="content")

    def download_url(self, url: str) -> bytes:
        """An absolute (often presigned) download link. It goes through the session, so that the proxy and certificate
        settings apply, but without the client headers: the ApiToken must not leak to another host."""
        return self._http_request(
            "GET", full_url=url, headers={"Accept": "*/*"}, resp_type="content", error_handler=raise_api_error
        )

    def execute_remote_script(self, scope: JsonView, script: JsonView) -> Json:
        return self.post_action("remote-scripts/execute", {"filter": dict(scope), "data": dict(script)})

    def list_remote_script_tasks(self, parent_task_id: str) -> list[dict]:
        """Every task (one per agent) of one remote-script execution, all pages."""
        return self.list_items("remote-scripts/status", {"parentTaskId": parent_task_id}, MAX_PAGES * API_MAX_LIMIT)[0]

    def start_power_query(self, body: JsonView) -> Json:
        return self.post_action("dv/events/pq", dict(body))

    def ping_power_query(self, query_id: str) -> Json:
        return self.get_data("dv/events/pq-ping", {"queryId": query_id}) or {}

    # --- endpoints: fetch and mirroring ---

    # fetch

    def threats_page(self, params: Json) -> Page:
        """One page of GET threats: (items, nextCursor)."""
        items, cursor, _total = self.get_page("threats", params)
        return items, cursor

    def alerts_page(self, params: Json) -> Page:
        """One page of GET cloud-detection/alerts (API 2.1): (items, nextCursor)."""
        items, cursor, _total = self.get_page("cloud-detection/alerts", params)
        return items, cursor

    # mirroring

    def get_threat(self, threat_id: str) -> Json | None:
        """The threat with this id (GET threats?ids=), or None when the console has none in the token's scope."""
        items, _cursor, _total = self.get_page("threats", {"ids": [threat_id], "limit": 1})
        return items[0] if items else None

    def get_alert(self, alert_id: str) -> Json | None:
        """The cloud-detection alert with this id (API 2.1), or None."""
        items, _cursor, _total = self.get_page("cloud-detection/alerts", {"ids": [alert_id], "limit": 1})
        return items[0] if items else None

    def stop_retrying_rate_limits(self) -> None:
        """Answer HTTP 429 at once instead of waiting and retrying: during mirroring the platform backs off itself
        when the error says "API rate limit", and a command sleeping inside would hold up the whole mirroring cycle."""
        for adapter in self.http_adapters():
            adapter.max_retries = adapter.max_retries.new(status_forcelist=RETRY_STATUSES - {429})

    # --- endpoints: UAM alerts (GraphQL, API 2.1) ---

    def graphql(self, document: str, variables: JsonView, *, read_only: bool) -> Json:
        """POST one GraphQL document with its variables to the UAM endpoint; the answer's `data`.

        Through the same request path as REST (429 retried after Retry-After, HTTP errors raised as S1ApiError). A
        `read_only` document (a query) is also retried on 5xx, as a GET is; a mutation is not (it could act twice).
        An answer with `errors` raises UamGraphQLError quoting them, even when it carries partial data.
        """
        body = {"query": document, "variables": dict(variables)}
        with self.posts_retried_as_reads() if read_only else nullcontext():
            res = self.request("POST", UAM_GRAPHQL_PATH, body=body, resp_type="response")
        try:
            answer = res.json()
        except ValueError:
            raise UamGraphQLError(f"SentinelOne UAM GraphQL error: the answer is not JSON ({(res.text or '')[:200]})", res)
        raise_graphql_errors(res, answer)
        return answer["data"]

    @contextmanager
    def posts_retried_as_reads(self) -> Iterator[None]:
        """While inside, 5xx answers to POST requests are retried (for GraphQL queries, which only read)."""
        adapters = self.http_adapters()
        saved = [adapter.max_retries for adapter in adapters]
        for adapter, retry in zip(adapters, saved, strict=True):
            adapter.max_retries = retry.new(allowed_methods=IDEMPOTENT_METHODS | {"POST"})
        try:
            yield
        finally:
            for adapter, retry in zip(adapters, saved, strict=True):
                adapter.max_retries = retry

    def uam_alerts_page(self, params: JsonView) -> Page:
        """One page of `alerts`: (nodes, cursor of the next page or None). `params` holds the query's variables, with
        the page size and position under the names the REST lists use (`limit`, `cursor`), so that the paging helpers
        of the REST lists read GraphQL pages too."""
        variables = {key: value for key, value in params.items() if key not in ("limit", "cursor")}
        variables.update(first=params.get("limit"), after=params.get("cursor") or None)
        connection = self.graphql(UAM_ALERTS_QUERY, variables, read_only=True).get("alerts") or {}
        nodes = [edge["node"] for edge in connection.get("edges") or [] if isinstance((edge or {}).get("node"), dict)]
        page_info = connection.get("pageInfo") or {}
        return nodes, (page_info.get("endCursor") or None) if page_info.get("hasNextPage") else None

    def list_uam_alerts(self, params: JsonView, limit: int) -> Page:
        """Follow the cursor until `limit` alerts; the alerts and the cursor to continue from."""
        return collect_pages(self.uam_alerts_page, params, limit)

    def get_uam_alert(self, alert_id: str) -> Json | None:
        """The UAM alert with this id, or None when the console has none in the token's scope."""
        alert = self.graphql(UAM_ALERT_QUERY, {"id": alert_id}, read_only=True).get("alert")
        return alert if isinstance(alert, dict) else None

    def list_uam_alert_notes(self, alert_id: str) -> list[dict]:
        """The notes of a UAM alert, oldest first."""
        notes = self.graphql(UAM_ALERT_NOTES_QUERY, {"alertId": alert_id}, read_only=True).get("alertNotes") or {}
        return objects(notes.get("data"))

    def trigger_uam_actions(self, actions: list[Json], alert_ids: list[str]) -> Json:
        """Apply the actions to the alerts with these ids (never an empty filter: that would mean every alert in scope);
        the `alertTriggerActions` answer (ActionsTriggered, TriggerActionsError or TriggerActionsScheduled)."""
        if not alert_ids:
            raise ValueError("UAM actions need at least one alert ID")
        alert_filter = {"or": [{"and": [{"fieldId": "id", "stringIn": {"values": list(alert_ids)}}]}]}
        data = self.graphql(UAM_TRIGGER_ACTIONS_MUTATION, {"actions": actions, "filter": alert_filter}, read_only=False)
        return data.get("alertTriggerActions") or {}

    # --- endpoints: more ---

    def list_cursor_pages(self, path: str, params: Json, limit: int) -> Page:
        """Follow nextCursor on an endpoint that refuses `limit` together with `cursor`: the first page asks for a
        page size, later pages send the cursor alone. Returns at most `limit` items and the cursor to continue from."""
        collected: list[dict] = []
        query = dict(params) if params.get("cursor") else dict(params, limit=min(API_MAX_LIMIT, limit))
        cursor = None
        for _ in range(MAX_PAGES):
            items, cursor, _total = self.get_page(path, query)
            collected.extend(items)
            if not cursor or not items or len(collected) >= limit:
                break
            query = dict(params, cursor=cursor)
        return collected[:limit], cursor

    def get_threat_analysis(self, threat_id: str) -> Json:
        return self.get_data(f"private/threats/{path_segment(threat_id)}/analysis") or {}

    def list_agent_processes(self, agent_ids: list[str]) -> list[dict]:
        return self.get_data("agents/processes", {"ids": agent_ids}) or []

    abort_scan = ids_action("POST", "agents/actions/abort-scan", data={})

    def fetch_agent_logs(self, agent_ids: list[str], log_kinds: Mapping[str, bool]) -> Json:
        """`log_kinds`: agentLogs, customerFacingLogs, platformLogs -> whether to collect them."""
        return self.post_action("agents/actions/fetch-logs", {"filter": {"ids": agent_ids}, "data": dict(log_kinds)})

    def get_cloud_download_link(self, threat_id: str) -> Json:
        """The whole answer of download-from-cloud: `data` = {fileName, downloadUrl}, or `errors` when unavailable."""
        return self.request("GET", f"threats/{path_segment(threat_id)}/download-from-cloud") or {}

    def run_data_lake_power_query(self, data_lake_url: str, api_key: str, body: JsonView) -> Json:
        """A PowerQuery on the Singularity Data Lake: another host with another key. The full URL goes through the
        session (proxy and certificate settings apply) with only the Bearer key, so the ApiToken never reaches it."""
        headers = {"Authorization": f"Bearer {api_key}", "Content-Type": "application/json", "Accept": "application/json"}
        return (
            self._http_request(
                "POST",
                full_url=f"{data_lake_url.rstrip('/')}/api/powerQuery",
                headers=headers,
                json_data=dict(body),
                error_handler=raise_api_error,
            )
            or {}
        )

    # --- endpoints: unified exclusions and exports ---

    def create_unified_exclusion(self, exclusion: JsonView, scope: JsonView) -> Any:
        """The console answers a list holding the created exclusion."""
        return self.send_action("POST", "unified-exclusions", {"data": dict(exclusion), "filter": dict(scope)})

    def delete_unified_exclusions(self, exclusions: list[dict[str, str]]) -> Json:
        """`exclusions`: [{"id", "type"}]; one request for all of them."""
        return self.send_action("DELETE", "unified-exclusions", {"data": {"exclusions": exclusions}}) or {}

    def export_threat_events(self, threat_id: str) -> Any:
        """The threat's events as the console exports them (a JSON file download), as a streamed response: the caller
        reads it in chunks and closes it."""
        return self._http_request(
            "GET",
            url_suffix=f"export/threats/{path_segment(threat_id)}/explore/events",
            params={"format": "json", "eventTypes": "events"},
            resp_type="response",
            stream=True,
            error_handler=raise_api_error,
        )

    def threat_timeline_pages(self, threat_id: str) -> Iterator[list[dict]]:
        """Every page of a threat's timeline, oldest first, each fetched only when the caller asks for it. A timeline
        longer than MAX_PAGES pages raises rather than end early."""
        path = f"threats/{path_segment(threat_id)}/timeline"
        overflow = (
            f"The timeline of threat {threat_id} has more than {MAX_PAGES} pages of {API_MAX_LIMIT} items: "
            "nothing was exported, rather than an incomplete file."
        )
        query = {"sortBy": "createdAt", "sortOrder": "asc", "limit": API_MAX_LIMIT}
        return every_page(lambda params: self.get_page(path, params)[:2], query, overflow=overflow)


def collect_pages(read_page: Callable[[Json], Page], params: Args, limit: int) -> Page:
    """Read pages (`limit` and `cursor` set per page) until `limit` items; the items and the cursor to continue from."""
    collected: list[dict] = []
    cursor = params.get("cursor")
    for _ in range(MAX_PAGES):
        page_params = dict(params, limit=min(API_MAX_LIMIT, limit - len(collected)))
        if cursor:
            page_params["cursor"] = cursor
            page_params.pop("skip", None)  # the cursor already marks the position: skip would apply a second time
        items, cursor = read_page(page_params)
        collected.extend(items)
        if not cursor or not items or len(collected) >= limit:
            break
    return collected[:limit], cursor


def encode_params(params: Args) -> Json:
    """Query parameters as the API documents them: lists comma-joined, booleans lower-case, empty values dropped."""
    encoded: Json = {}
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


def objects(value: Any) -> list[dict]:
    """The objects of a JSON list that may be missing (null) or hold other values."""
    return [item for item in value or [] if isinstance(item, dict)]


def compact(mapping: JsonView) -> Json:
    """Drop None, empty strings and empty collections (keeps False and 0): empty filters are validation errors."""
    return {k: v for k, v in mapping.items() if v is not None and v != "" and v != [] and v != {}}


""" OUTPUT ENTRIES

Each function maps one API object to its context entry; nulls are dropped unless the specification keeps them.
"""


def pick(source: JsonView | None, mapping: Mapping[str, str], *, keep_nulls: bool = False) -> Json:
    """Context entry from `mapping` (context key -> dotted source path)."""
    getters = mapping.getters if isinstance(mapping, Fields) else {key: field_getter(path) for key, path in mapping.items()}
    source = source or {}
    if keep_nulls:
        return {key: get(source) for key, get in getters.items()}
    return {key: value for key, get in getters.items() if (value := get(source)) is not None}


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


def agent_entry(agent: JsonView) -> Json:
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
    "AnalystVerdict": "analyst_verdict",
    "IncidentStatus": "incident_status",
}


# Per API version: context key -> where that version's threats hold the field (fields a version lacks left out).
THREAT_ENTRY_FIELDS = {
    name: Fields({key: api.threat_fields[field] for key, field in THREAT_CONTEXT_FIELDS.items() if field in api.threat_fields})
    for name, api in API_VERSIONS.items()
}


def threat_entry(threat: JsonView, api: ApiVersion) -> Json:
    return pick(threat, THREAT_ENTRY_FIELDS[api.name])


def entry_from(mapping: Mapping[str, str], *, keep_nulls: bool = False) -> Callable[[JsonView, Any], Json]:
    """An entry builder `(item, client) -> entry` for a plain field mapping (the shape ListCommand.entry takes)."""
    fields = Fields(mapping)
    return lambda item, _client: pick(item, fields, keep_nulls=keep_nulls)


def mac_entries(agent: JsonView) -> list[Json]:
    """One entry per network interface of the agent."""
    return [
        pick(
            {"agent": agent, "interface": interface},
            {
                "agent_id": "agent.id",
                "hostname": "agent.computerName",
                "int_name": "interface.name",
                "ip": "interface.inet",
                "mac": "interface.physical",
            },
        )
        for interface in agent.get("networkInterfaces") or []
        if isinstance(interface, dict)
    ]


APPLICATION_FIELDS = {
    "Name": "name",
    "Publisher": "publisher",
    "Size": "size",
    "Version": "version",
    "InstalledOn": "installedDate",
}

SITE_FIELDS = {
    "ID": "id",
    "Name": "name",
    "Creator": "creator",
    "Type": "siteType",
    "AccountName": "accountName",
    "State": "state",
    "HealthStatus": "healthStatus",
    "Suite": "suite",
    "CreatedAt": "createdAt",
    "Expiration": "expiration",
    "UnlimitedLicenses": "unlimitedLicenses",
    # The site's own licence counts; `allSites` in the list response holds the totals over all sites.
    "ActiveLicenses": "activeLicenses",
    "TotalLicenses": "totalLicenses",
}

SITE_DETAIL_FIELDS = {**SITE_FIELDS, "AccountID": "accountId", "IsDefault": "isDefault"}

ACCOUNT_FIELDS = {
    "ID": "id",
    "Name": "name",
    "AccountType": "accountType",
    "ActiveAgents": "activeAgents",
    "NumberOfSites": "numberOfSites",
    "State": "state",
    "CreatedAt": "createdAt",
    "Expiration": "expiration",
}

# Groups keep the API's own field names (the specification's outputs); `registrationToken` (an agent install secret) is left out.
GROUP_FIELDS = {
    name: name
    for name in (
        "id",
        "name",
        "type",
        "siteId",
        "creator",
        "creatorId",
        "createdAt",
        "updatedAt",
        "rank",
        "totalAgents",
        "filterId",
        "filterName",
        "isDefault",
        "inherits",
    )
}

ACTIVITY_FIELDS = {
    "ID": "id",
    "ActivityType": "activityType",
    "AgentID": "agentId",
    "AgentUpdatedVersion": "agentUpdatedVersion",
    "SiteID": "siteId",
    "UserID": "userId",
    "GroupID": "groupId",
    "ThreatID": "threatId",
    "Hash": "hash",
    "OsFamily": "osFamily",
    "PrimaryDescription": "primaryDescription",
    "SecondaryDescription": "secondaryDescription",
    "Description": "description",
    "Comments": "comments",
    "CreatedAt": "createdAt",
    "UpdatedAt": "updatedAt",
}


def activity_entry(activity: JsonView, _client: Any = None) -> Json:
    """Nulls kept (the specification's activity outputs list every field); `data` is the raw object plus SiteID/SiteName."""
    entry = pick(activity, ACTIVITY_FIELDS, keep_nulls=True)
    data = activity.get("data")
    if isinstance(data, dict):
        site_id = data.get("siteId", activity.get("siteId"))
        entry["data"] = {
            **data,
            "SiteID": None if site_id is None else str(site_id),  # ids inside `data` may be JSON numbers
            "SiteName": data.get("siteName", activity.get("siteName")),
        }
    else:
        entry["data"] = data
    return entry


THREAT_SUMMARY_FIELDS = {
    "InProgress": "inProgress",
    "MaliciousNotResolved": "maliciousNotResolved",
    "NotMitigated": "notMitigated",
    "NotMitigatedNotResolved": "notMitigatedNotResolved",
    "NotResolved": "notResolved",
    "Resolved": "resolved",
    "SuspiciousNotMitigatedNotResolved": "suspiciousNotMitigatedNotResolved",
    "SuspiciousNotResolved": "suspiciousNotResolved",
    "Total": "total",
}

NOTE_FIELDS = {
    "ID": "id",
    "Text": "text",
    "Creator": "creator",
    "CreatorID": "creatorId",
    "CreatedAt": "createdAt",
    "UpdatedAt": "updatedAt",
    "Edited": "edited",
}

ALERT_FIELDS = {
    "AlertId": "alertInfo.alertId",
    "EventType": "alertInfo.eventType",
    "AlertCreatedAt": "alertInfo.createdAt",
    "AnalystVerdict": "alertInfo.analystVerdict",
    "IncidentStatus": "alertInfo.incidentStatus",
    "dvEventId": "alertInfo.dvEventId",
    "RuleName": "ruleInfo.name",
    "RuleId": "ruleInfo.id",
    "SrcProcUser": "sourceProcessInfo.user",
    "SrcProcName": "sourceProcessInfo.name",
    "SrcProcPath": "sourceProcessInfo.filePath",
    "SrcProcCommandline": "sourceProcessInfo.commandline",
    "SrcProcSHA1": "sourceProcessInfo.fileHashSha1",
    "SrcProcStartTime": "sourceProcessInfo.pidStarttime",
    "SrcProcStorylineId": "sourceProcessInfo.storyline",
    "SrcProcSignerIdentity": "sourceProcessInfo.fileSignerIdentity",
    "SrcParentProcName": "sourceParentProcessInfo.name",
    "SrcParentProcPath": "sourceParentProcessInfo.filePath",
    "SrcParentProcCommandline": "sourceParentProcessInfo.commandline",
    "SrcParentProcStartTime": "sourceParentProcessInfo.pidStarttime",
    "SrcParentProcUser": "sourceParentProcessInfo.user",
    "SrcParentProcSHA1": "sourceParentProcessInfo.fileHashSha1",
    "SrcParentProcSignerIdentity": "sourceParentProcessInfo.fileSignerIdentity",
    "EndpointName": "agentRealtimeInfo.name",
    "AgentId": "agentRealtimeInfo.id",
    "AgentOS": "agentRealtimeInfo.os",
    "AgentUUID": "agentDetectionInfo.uuid",
    "AgentVersion": "agentDetectionInfo.version",
    "SiteId": "agentDetectionInfo.siteId",
}

EXCLUSION_FIELDS = {
    "ID": "id",
    "Type": "type",
    "Value": "value",
    "OsType": "osType",
    "Mode": "mode",
    "Source": "source",
    "UserID": "userId",
    "UserName": "userName",
    "CreatedAt": "createdAt",
    "UpdatedAt": "updatedAt",
}

BLOCKLIST_FIELDS = {
    "ID": "id",
    "Type": "type",
    "Value": "value",
    "OSType": "osType",
    "Description": "description",
    "Source": "source",
    "ScopeName": "scopeName",
    "ScopePath": "scopePath",
    "UserId": "userId",
    "CreatedAt": "createdAt",
    "UpdatedAt": "updatedAt",
}


def hash_valued_entry(fields: Mapping[str, str]) -> Callable[[JsonView, Any], Json]:
    """An entry builder for list items whose `Value` is the `value` field, or `sha256Value` on SHA-256 items."""

    def entry(item: JsonView, _client: Any = None) -> Json:
        result = pick(item, fields)
        if "Value" not in result and item.get("sha256Value"):  # SHA-256 entries carry their hash in `sha256Value`
            result["Value"] = item["sha256Value"]
        return result

    return entry


blocklist_entry = hash_valued_entry(BLOCKLIST_FIELDS)


STAR_RULE_FIELDS = {
    "ID": "id",
    "Name": "name",
    "Status": "status",
    "Severity": "severity",
    "Creator": "creator",
    "Description": "description",
    "GeneratedAlerts": "generatedAlerts",
    "StatusReason": "statusReason",
    "ExpirationMode": "expirationMode",
    "ExpirationDate": "expiration",
    "Expired": "expired",
}

IOC_FIELDS = {
    "UUID": "uuid",
    "Name": "name",
    "Type": "type",
    "Value": "value",
    "Source": "source",
    "Creator": "creator",
    "Description": "description",
    "ExternalId": "externalId",
    "UploadTime": "uploadTime",
    "ValidUntil": "validUntil",
}

DV_EVENT_FIELDS = {
    "EventID": "id",
    "EventType": "eventType",
    "EventTime": "eventTime",
    "Endpoint": "agentName",
    "AgentOS": "agentOs",
    "SiteName": "siteName",
    "User": "user",
    "Time": "processStartTime",
    "ProcessID": "pid",
    "ProcessName": "processName",
    "SourceProcessUser": "srcProcUser",
    "SourceProcessCommandLine": "srcProcCmdLine",
    "MD5": "md5",
    "SHA256": "sha256",
    "FileFullName": "fileFullName",
    "SourceIP": "srcIp",
    "SourcePort": "srcPort",
    "DestinationIP": "dstIp",
    "DestinationPort": "dstPort",
    "DNSRequest": "dnsRequest",
}

DV_PROCESS_FIELDS = {
    "EventID": "id",
    "EventType": "eventType",
    "Endpoint": "agentName",
    "SiteName": "siteName",
    "User": "user",
    "Time": "processStartTime",
    "ProcessID": "pid",
    "ProcessName": "processName",
    "ProcessDisplayName": "processDisplayName",
    "SHA1": "processImageSha1Hash",
    "CMD": "processCmd",
    "SubsystemType": "processSubSystem",
    "IntegrityLevel": "processIntegrityLevel",
    "ParentProcessID": "parentPid",
    "ParentProcessUID": "parentProcessUniqueKey",
    "ParentProcessName": "parentProcessName",
    "ParentProcessStartTime": "parentProcessStartTime",
}

DV_EVENT_KEY = ["ProcessID", "EventID"]  # one process has many events: the pid alone would merge them


# Per API version: the fields plus the process unique id, which the versions name differently.
DV_EVENT_ENTRY_FIELDS = {
    name: Fields({**DV_EVENT_FIELDS, "ProcessUID": api.event_process_uid}) for name, api in API_VERSIONS.items()
}
DV_PROCESS_ENTRY_FIELDS = {
    name: Fields({**DV_PROCESS_FIELDS, "ProcessUID": api.event_process_uid}) for name, api in API_VERSIONS.items()
}


def dv_event_entry(event: JsonView, api: ApiVersion, columns: Iterable[str] = ()) -> Json:
    """A Deep Visibility event; `columns` adds raw fields under their own names."""
    entry = pick(event, DV_EVENT_ENTRY_FIELDS[api.name])
    entry.update({column: event[column] for column in columns if event.get(column) is not None})
    return entry


def dv_process_entry(event: JsonView, client: Any) -> Json:
    return pick(event, DV_PROCESS_ENTRY_FIELDS[client.api.name])


def remote_script_task_entry(task: JsonView, _client: Any = None) -> Json:
    """The raw task, plus `updateAt`: the specification's (misspelt) output path for `updatedAt`."""
    entry = dict(task)
    if "updatedAt" in task:
        entry["updateAt"] = task["updatedAt"]
    return entry


""" COMMAND FRAMEWORK """

ParamBuilder = Callable[[Args, "Client"], Any]


class ListCommand(NamedTuple):
    """A list command: GET `path` with query parameters built from arguments, one context entry per item.

    `params` maps each API query parameter to a builder `(args, client) -> value`; empty values are not sent.
    """

    path: str
    prefix: str
    key: str | list[str] | None
    title: str
    params: Mapping[str, ParamBuilder]
    entry: Callable[[JsonView, "Client"], Json]
    limit_default: int = 10
    limit_max: int = API_MAX_LIMIT
    headers: list[str] | None = None
    cursor_output: str | None = None  # full context path for the next cursor (e.g. "SentinelOne.Cursor.Alert"), if any
    items_key: str | None = None  # the list's key when `data` is an object rather than a list (see Client.get_page)
    cursor_drops_limit: bool = False  # the endpoint refuses limit with cursor: later pages send the cursor alone
    flatten: Callable[[JsonView], list[Json]] | None = None  # one item -> the records that become entries
    limit_arg: str = "limit"  # the argument holding the number of items (a field, so that tools see the name it reads)

    def __call__(self, client: Client, args: Args) -> CommandResults:
        limit = as_limit(args, self.limit_default, self.limit_max, name=self.limit_arg)
        query = {name: build(args, client) for name, build in self.params.items()}
        if self.cursor_drops_limit:
            items, next_cursor = client.list_cursor_pages(self.path, query, limit)
        else:
            items, next_cursor = client.list_items(self.path, query, limit, items_key=self.items_key)
        records = [record for item in items for record in self.flatten(item)] if self.flatten else items
        entries = [self.entry(record, client) for record in records]
        readable = tableToMarkdown(self.title, entries, headers=self.headers, removeNull=True, headerTransform=pascalToSpace)
        if next_cursor:
            readable += self.more_results_note(next_cursor, limit, len(entries))
        return list_results(self.prefix, self.key, entries, readable, items, self.cursor_output, next_cursor)

    def more_results_note(self, next_cursor: str, limit: int, listed: int) -> str:
        """What the analyst can do to see more: pass the cursor back where the command takes one (others have none)."""
        if "cursor" in self.params:
            return f"\nMore results are available: use cursor={next_cursor}\n"
        if limit < self.limit_max:
            return f"\nMore results are available: raise {self.limit_arg} (at most {self.limit_max}) or narrow the filters.\n"
        return f"\nMore results are available than the {listed} listed: narrow the filters.\n"


def list_results(
    prefix: str, key: Any, entries: list[Json], readable: str, raw: Any, cursor_output: str | None, next_cursor: str | None
) -> CommandResults:
    """A list's results. With a next cursor to output there are two context keys (the items and the cursor): the
    outputs carry their full keys, so no prefix."""
    if cursor_output and next_cursor:
        outputs = {context_key(prefix, key): entries, cursor_output: next_cursor}
        return CommandResults(outputs=outputs, readable_output=readable, raw_response=raw)
    return CommandResults(
        outputs_prefix=prefix, outputs_key_field=key, outputs=entries, readable_output=readable, raw_response=raw
    )


def context_key(prefix: str, key: str | list[str] | None) -> str:
    """The context key CommandResults builds for `prefix` and its key field(s): `Prefix(val.K && val.K == obj.K)`."""
    keys = [key] if isinstance(key, str) else list(key or [])
    if not keys:
        return prefix
    return f"{prefix}({' && '.join(f'val.{k} && val.{k} == obj.{k}' for k in keys)})"


def arg(name: str, parser: Callable[..., Any] = opt_str, **options: Any) -> ParamBuilder:
    """A query parameter taken from one argument through one parser."""
    return lambda args, _client: parser(args, name, **options)


def const(value: Any) -> ParamBuilder:
    return lambda _args, _client: value


class CommandHandler(Protocol):
    """What runs a command: a function, or a callable spec such as ListCommand (mypy needs the protocol to see that a
    named tuple with __call__ is callable)."""

    def __call__(self, client: Client, args: Args, /) -> Any: ...


class Command(NamedTuple):
    """A dispatch entry: the handler and the API versions the command works on."""

    handler: CommandHandler
    versions: frozenset[str] = BOTH_VERSIONS


""" QUERY COMMANDS """

# Closed value sets of query filters (the API's documented values; `open_set=True` where the console accepts more).
SCAN_STATUSES = ("started", "none", "finished", "aborted")
MITIGATION_STATUSES = ("mitigated", "active", "blocked", "suspicious", "pending", "suspicious_resolved")
THREAT_CLASSIFICATIONS = ("Engine", "Static", "Cloud", "Behavioral")
SITE_TYPES = ("Trial", "Paid", "POC", "DEV", "NFR")
SITE_FEATURES = ("firewall-control", "device-control", "ioc")
SITE_STATES = ("active", "deleted", "expired")
SITE_SUITES = ("Core", "Complete")
GROUP_TYPES = ("static", "dynamic", "pinned")
ACTIVITY_SORT_FIELDS = ("activityType", "createdAt", "id")
SORT_ORDERS = ("asc", "desc")
ALERT_INCIDENT_STATUSES = ("UNRESOLVED", "IN_PROGRESS", "RESOLVED")
ALERT_VERDICTS = ("TRUE_POSITIVE", "FALSE_POSITIVE", "SUSPICIOUS", "UNDEFINED")
EXCLUSION_TYPES = ("file_type", "path", "white_hash", "certificate", "browser")
STAR_RULE_STATUSES = ("Draft", "Activating", "Active", "Disabling", "Disabled", "Deleting", "Deleted")
STAR_RULE_QUERY_TYPES = ("events", "processes")
STAR_RULE_EXPIRATION_MODES = ("Temporary", "Permanent")
IOC_TYPES = ("DNS", "IPV4", "IPV6", "MD5", "SHA1", "SHA256", "URL")
REMOTE_SCRIPT_TASK_STATUSES = (
    "created",
    "scheduled",
    "pending",
    "pending_user_action",
    "in_progress",
    "completed",
    "failed",
    "canceled",
    "expired",
    "partially_completed",
)
HASH_LENGTHS = {32: "MD5", 40: "SHA1", 64: "SHA256", 128: "SHA512"}
# Commands without a limit argument (notes, accounts) list everything, up to this many items.
FULL_LISTING_CAP = 10_000


def not_found_note(kind: str, requested: Iterable[str], items: Iterable[JsonView], id_field: str = "id") -> str:
    """A readable line naming the requested IDs the console did not return (empty when all were found)."""
    found = {str(item.get(id_field)) for item in items}
    missing = [item_id for item_id in dict.fromkeys(requested) if item_id not in found]
    return f"\nNo {kind} found with ID: {', '.join(missing)}\n" if missing else ""


def number_field(item: JsonView, name: str) -> int:
    """A numeric field of an API object (2.0 ranks may be strings); missing or malformed counts as 0."""
    try:
        return int(item.get(name) or 0)
    except (TypeError, ValueError):
        return 0


def list_agent_custom_params(args: Args, _client: Client) -> dict[str, str]:
    """`params`: "field=value" pairs separated by commas; every pair becomes its own query parameter.

    A segment without "=" continues the previous value, so that list filters fit: "osTypes=windows,linux".
    """
    pairs: dict[str, str] = {}
    last_name: str | None = None
    for item in as_list(args, "params"):
        name, sep, value = item.partition("=")
        if sep and name.strip():
            last_name = name.strip()
            pairs[last_name] = value.strip()
        elif not sep and last_name is not None:
            pairs[last_name] = f"{pairs[last_name]},{item}"
        else:
            raise ValueError(f"params: expected field=value pairs separated by commas, got {item!r}")
    return pairs


def list_agents_command(client: Client, args: Args) -> CommandResults:
    columns = as_list(args, "columns")
    min_threats = as_int(args, "min_active_threats", lo=0)
    query = {
        "computerName__like": opt_str(args, "computer_name"),
        "scanStatuses": many_of(args, "scan_status", SCAN_STATUSES),
        "osTypes": many_of(args, "os_type", OS_TYPES),
        "createdAt__gte": as_date(args, "created_at"),
        # A minimum of N is "more than N-1" (`__gt` is strict); the agents are also checked below, so the answer is
        # "at least N" even on a console that reads the filter as inclusive.
        "activeThreats__gt": min_threats - 1 if min_threats else None,
        **list_agent_custom_params(args, client),
    }
    limit = as_limit(args, 10)
    agents, _cursor = client.list_agents(query, limit)
    if min_threats:
        agents = [agent for agent in agents if number_field(agent, "activeThreats") >= min_threats]
    entries = []
    for agent in agents:
        entry = agent_entry(agent)
        entry.update({column: agent[column] for column in columns if agent.get(column) is not None})
        entries.append(entry)
    return CommandResults(
        outputs_prefix="SentinelOne.Agents",
        outputs_key_field="ID",
        outputs=entries,
        readable_output=tableToMarkdown("Sentinel One - List of Agents", entries, removeNull=True, headerTransform=pascalToSpace),
        raw_response=agents,
    )


def get_agent_command(client: Client, args: Args) -> CommandResults:
    agent_ids = as_list(args, "agent_id", required=True)
    agents, _cursor = client.list_agents({"ids": agent_ids}, len(agent_ids))
    entries = [agent_entry(agent) for agent in agents]
    readable = tableToMarkdown("Sentinel One - Get Agent Details", entries, removeNull=True, headerTransform=pascalToSpace)
    readable += not_found_note("agent", agent_ids, agents)
    return CommandResults(
        outputs_prefix="SentinelOne.Agent", outputs_key_field="ID", outputs=entries, readable_output=readable, raw_response=agents
    )


def get_agent_mac_command(client: Client, args: Args) -> CommandResults:
    agent_ids = as_list(args, "agent_id", required=True)
    agents, _cursor = client.list_agents({"ids": agent_ids}, len(agent_ids))
    entries = [entry for agent in agents for entry in mac_entries(agent)]
    readable = tableToMarkdown(
        "Sentinel One - Agent Network Interfaces",
        entries,
        headers=["agent_id", "hostname", "int_name", "ip", "mac"],
        removeNull=True,
        headerTransform=string_to_table_header,
    )
    readable += not_found_note("agent", agent_ids, agents)
    return CommandResults(
        outputs_prefix="SentinelOne.MAC",
        outputs_key_field=["agent_id", "int_name"],
        outputs=entries,
        readable_output=readable,
        raw_response=agents,
    )


def get_installed_applications_command(client: Client, args: Args) -> CommandResults:
    agent_ids = as_list(args, "agent_ids", required=True)
    applications = client.list_installed_applications(agent_ids)
    entries = [pick(application, APPLICATION_FIELDS) for application in applications]
    return CommandResults(
        outputs_prefix="SentinelOne.Application",
        outputs_key_field="Name",
        outputs=entries,
        readable_output=tableToMarkdown(
            f"Sentinel One - Installed Applications of agent(s) {', '.join(agent_ids)}",
            entries,
            headers=list(APPLICATION_FIELDS),
            removeNull=True,
            headerTransform=pascalToSpace,
        ),
        raw_response=applications,
    )


def threat_query(args: Args, client: Client) -> Json:
    api = client.api
    query: Json = {
        "contentHashes": as_list(args, "content_hash"),
        "mitigationStatuses": many_of(args, "mitigation_status", MITIGATION_STATUSES, open_set=True),
        "createdAt__lt": as_date(args, "created_before"),
        "createdAt__gt": as_date(args, "created_after"),
        "createdAt__lte": as_date(args, "created_until"),
        "createdAt__gte": as_date(args, "created_from"),
        api.display_name_param: opt_str(args, "display_name"),
        "query": opt_str(args, "query"),
        "ids": as_list(args, "threat_ids"),
        "classifications": many_of(args, "classifications", THREAT_CLASSIFICATIONS, open_set=True),
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


def get_threats_command(client: Client, args: Args) -> CommandResults:
    query = threat_query(args, client)
    limit = as_limit(args, 20)
    threats, _cursor = client.list_threats(query, limit)
    min_rank = query.get("rank")  # only set where the API version has ranks
    if min_rank is not None:
        threats = [threat for threat in threats if number_field(threat, "rank") >= min_rank]
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


def threat_summary_command(client: Client, args: Args) -> CommandResults:
    summary = client.get_threat_summary({"groupIds": as_list(args, "group_ids")})
    entry = pick(summary, THREAT_SUMMARY_FIELDS)
    return CommandResults(
        outputs_prefix="SentinelOne.Threat",
        outputs=entry,
        readable_output=tableToMarkdown(
            "Sentinel One - Dashboard Threat Summary", entry, headers=list(THREAT_SUMMARY_FIELDS), headerTransform=pascalToSpace
        ),
        raw_response=summary,
    )


def get_threat_notes_command(client: Client, args: Args) -> CommandResults:
    threat_id = required_arg(args, "threat_id")
    notes, next_cursor = client.list_threat_notes(threat_id, FULL_LISTING_CAP)
    entries = [pick(note, NOTE_FIELDS) for note in notes]
    readable = tableToMarkdown(
        f"Sentinel One - Threat Notes of threat {threat_id}",
        entries,
        headers=["ID", "Text", "Creator", "CreatedAt", "UpdatedAt", "Edited"],
        removeNull=True,
        headerTransform=pascalToSpace,
    )
    if next_cursor:
        readable += f"\nOnly the first {len(entries)} notes are shown.\n"
    return CommandResults(
        outputs_prefix="SentinelOne.Notes", outputs_key_field="ID", outputs=entries, readable_output=readable, raw_response=notes
    )


GET_SITES = ListCommand(
    path="sites",
    items_key="sites",
    prefix="SentinelOne.Site",
    key="ID",
    title="Sentinel One - Getting List of Sites",
    params={
        "updatedAt": arg("updated_at", as_date),
        "createdAt": arg("created_at", as_date),
        "query": arg("query"),
        "siteType": arg("site_type", one_of, allowed=SITE_TYPES),
        "features": arg("features", many_of, allowed=SITE_FEATURES, open_set=True),
        "state": arg("state", one_of, allowed=SITE_STATES),
        "suite": arg("suite", one_of, allowed=SITE_SUITES, open_set=True),
        "adminOnly": arg("admin_only", as_bool),
        "accountId": arg("account_id"),
        "name": arg("site_name"),
    },
    entry=entry_from(SITE_FIELDS),
    limit_default=50,
    headers=list(SITE_FIELDS),
)


def get_site_command(client: Client, args: Args) -> CommandResults:
    site_id = required_arg(args, "site_id")
    site = client.get_site(site_id)
    entry = pick(site, SITE_DETAIL_FIELDS)
    return CommandResults(
        outputs_prefix="SentinelOne.Site",
        outputs_key_field="ID",
        outputs=entry or None,
        readable_output=tableToMarkdown(
            f"Sentinel One - Summary About Site: {site_id}",
            entry,
            headers=list(SITE_DETAIL_FIELDS),
            removeNull=True,
            headerTransform=pascalToSpace,
        ),
        raw_response=site,
    )


def get_accounts_command(client: Client, args: Args) -> CommandResults:
    account_id = opt_str(args, "account_id")
    if account_id:
        account = client.get_account(account_id)  # a single object, not a list
        accounts = [account] if account else []
        next_cursor = None
    else:
        accounts, next_cursor = client.list_accounts(FULL_LISTING_CAP)
    entries = [pick(account, ACCOUNT_FIELDS) for account in accounts]
    readable = tableToMarkdown(
        "Sentinel One - Accounts", entries, headers=list(ACCOUNT_FIELDS), removeNull=True, headerTransform=pascalToSpace
    )
    if next_cursor:
        readable += f"\nOnly the first {len(entries)} accounts are shown.\n"
    return CommandResults(
        outputs_prefix="SentinelOne.Accounts",
        outputs_key_field="ID",
        outputs=entries,
        readable_output=readable,
        raw_response=accounts,
    )


GET_GROUPS = ListCommand(
    path="groups",
    prefix="SentinelOne.Group",
    key="id",
    title="Sentinel One Groups",
    params={
        "type": arg("group_type", one_of, allowed=GROUP_TYPES),
        "groupIds": arg("group_ids", as_list),
        "id": arg("group_id"),
        "isDefault": arg("is_default", as_bool),
        "name": arg("name"),
        "query": arg("query"),
        "rank": arg("rank", as_int, lo=1),
    },
    entry=entry_from(GROUP_FIELDS),
    limit_default=50,
    limit_max=200,
    headers=["id", "name", "type", "siteId", "rank", "totalAgents", "isDefault", "inherits", "creator", "createdAt", "updatedAt"],
)


def created_between(args: Args, name: str) -> str | None:
    """`<epoch-ms>-<epoch-ms>`, as the API takes `createdAt__between`."""
    value = opt_str(args, name)
    if value is None:
        return None
    match = re.fullmatch(r"\s*(\d+)\s*-\s*(\d+)\s*", value)
    if not match or int(match[1]) > int(match[2]):
        raise ValueError(f"{name}: expected <start>-<end> in epoch milliseconds with start <= end, got {value!r}")
    return f"{match[1]}-{match[2]}"


GET_ACTIVITIES = ListCommand(
    path="activities",
    prefix="SentinelOne.Activity",
    key="ID",
    title="Sentinel One Activities",
    params={
        "createdAt__gt": arg("created_after", as_date),
        "createdAt__lt": arg("created_before", as_date),
        "createdAt__lte": arg("created_until", as_date),
        "createdAt__gte": arg("created_from", as_date),
        "createdAt__between": arg("created_between", created_between),
        "userEmails": arg("user_emails", as_list),
        "groupIds": arg("group_ids", as_list),
        "ids": arg("activities_ids", as_list),
        "threatIds": arg("threats_ids", as_list),
        "activityTypes": arg("activity_types", as_int_list),
        "userIds": arg("user_ids", as_list),
        "agentIds": arg("agent_ids", as_list),
        "includeHidden": arg("include_hidden", as_bool),
        "sortBy": arg("sort_by", one_of, allowed=ACTIVITY_SORT_FIELDS),
        "sortOrder": arg("sort_order", one_of, allowed=SORT_ORDERS),
    },
    entry=activity_entry,
    limit_default=50,
    limit_max=100,
    headers=["ID", "PrimaryDescription", "ActivityType", "CreatedAt", "AgentID", "ThreatID", "SiteID", "UserID"],
)

GET_ALERTS = ListCommand(
    path="cloud-detection/alerts",
    prefix="SentinelOne.Alert",
    key="AlertId",
    title="Sentinel One - Getting Alert List",
    params={
        "createdAt__gte": arg("created_from", as_date, required=True),
        "createdAt__lte": arg("created_until", as_date),
        "ruleName__contains": arg("ruleName"),
        "incidentStatus": arg("incidentStatus", many_of, allowed=ALERT_INCIDENT_STATUSES),
        "analystVerdict": arg("analystVerdict", many_of, allowed=ALERT_VERDICTS),
        "ids": arg("alert_ids", as_list),
        "siteIds": arg("site_ids", as_list),
        "cursor": arg("cursor"),
    },
    entry=entry_from(ALERT_FIELDS),
    limit_default=1000,
    cursor_output="SentinelOne.Cursor.Alert",
    headers=["AlertId", "RuleName", "EventType", "AlertCreatedAt", "IncidentStatus", "AnalystVerdict", "EndpointName"],
)


def hash_arg(args: Args, name: str) -> str:
    """An MD5, SHA1, SHA256 or SHA512 hash in hex."""
    value = required_arg(args, name)
    if len(value) not in HASH_LENGTHS or not re.fullmatch(r"[0-9a-fA-F]+", value):
        raise ValueError(f"{name}: expected an MD5, SHA1, SHA256 or SHA512 hash in hex, got {value!r}")
    return value


def get_hash_command(client: Client, args: Args) -> CommandResults:
    file_hash = hash_arg(args, "hash")
    verdict = client.get_hash_verdict(file_hash)
    entry = {"Hash": file_hash, "Verdict": verdict.get("verdict")}
    return CommandResults(
        outputs_prefix="SentinelOne.Hash",
        outputs_key_field="Hash",
        outputs=entry,
        readable_output=tableToMarkdown(
            f"Sentinel One - Hash Reputation Verdict ({HASH_LENGTHS[len(file_hash)]})", entry, headers=["Hash", "Verdict"]
        ),
        raw_response=verdict,
    )


GET_WHITE_LIST = ListCommand(
    path="exclusions",
    prefix="SentinelOne.Exclusions",
    key="ID",
    title="Sentinel One - Listing exclusion items",
    params={
        "ids": arg("item_ids", as_list),
        "osTypes": arg("os_types", many_of, allowed=OS_TYPES),
        "type": arg("exclusion_type", one_of, allowed=EXCLUSION_TYPES),
        "includeChildren": arg("include_children", as_bool, default=False),
        "includeParents": arg("include_parent", as_bool, default=False),
    },
    entry=entry_from(EXCLUSION_FIELDS),
    limit_default=10,
    headers=list(EXCLUSION_FIELDS),
)


def blocklist_scope(name: str) -> ParamBuilder:
    """A scope filter of the blocklist: sent only when `global` is false (the global list ignores scopes)."""

    def build(args: Args, _client: Client) -> list[str]:
        ids = as_list(args, name)
        return [] if as_bool(args, "global", default=True) else ids

    return build


def hex_hash(args: Args, name: str, kind: str) -> str | None:
    """An optional hash of one kind (SHA1, SHA256), checked for its length and hex digits."""
    value = opt_str(args, name)
    length = next(size for size, hash_kind in HASH_LENGTHS.items() if hash_kind == kind)
    if value is not None and not re.fullmatch(rf"[0-9a-fA-F]{{{length}}}", value):
        raise ValueError(f"{name}: expected a {kind} hash ({length} hexadecimal characters), got {value!r}")
    return value


def blocklist_search_value(args: Args, _client: Client) -> str | None:
    """The one value the blocklist is searched for: `hash` (any part of a hash), `sha1` or `sha256Value`."""
    values = [opt_str(args, "hash"), hex_hash(args, "sha1", "SHA1"), hex_hash(args, "sha256Value", "SHA256")]
    given = [value for value in values if value]
    if len(given) > 1:
        raise ValueError("hash, sha1, sha256Value: give only one of them (the blocklist is searched for one value)")
    return given[0] if given else None


GET_BLOCKLIST = ListCommand(
    path="restrictions",
    prefix="SentinelOne.Blocklist",
    key="ID",  # one hash may be blocked in several scopes: one entry per blocklist item
    title="Sentinel One - Blocklist",
    params={
        "tenant": arg("global", as_bool, default=True),
        "groupIds": blocklist_scope("group_ids"),
        "siteIds": blocklist_scope("site_ids"),
        "accountIds": blocklist_scope("account_ids"),
        "skip": arg("offset", as_int, default=0, lo=0, hi=1000),
        "value__contains": blocklist_search_value,  # `value` is case-sensitive
        "sortBy": const("updatedAt"),
        "sortOrder": const("desc"),
    },
    entry=blocklist_entry,
    limit_default=1000,
    headers=list(BLOCKLIST_FIELDS),
)

GET_STAR_RULES = ListCommand(
    path="cloud-detection/rules",
    prefix="SentinelOne.StarRule",
    key="ID",
    title="Sentinel One - Getting List of Star Rules",
    params={
        "status": arg("status", many_of, allowed=STAR_RULE_STATUSES),
        "creator__contains": arg("creator_contains", as_list),
        "queryType": arg("queryType", one_of, allowed=STAR_RULE_QUERY_TYPES, open_set=True),
        "query": arg("query"),
        "description__contains": arg("description_contains", as_list),
        "ids": arg("ruleIds", as_list),
        "name__contains": arg("name_contains", as_list),
        "accountIds": arg("accountIds", as_list),
        "expirationMode": arg("expirationMode", one_of, allowed=STAR_RULE_EXPIRATION_MODES),
        "siteIds": arg("siteIds", as_list),
    },
    entry=entry_from(STAR_RULE_FIELDS),
    limit_default=1000,
    headers=list(STAR_RULE_FIELDS),
)

GET_IOCS = ListCommand(
    path="threat-intelligence/iocs",
    prefix="SentinelOne.IOC",
    key="UUID",
    title="Sentinel One - Get IOCs",
    params={
        "accountIds": arg("account_ids", as_list, required=True),
        "uploadTime__gte": arg("upload_time_gte", as_date),
        "uploadTime__lte": arg("upload_time_lte", as_date),
        "updatedAt__gte": arg("updated_at_gte", as_date),
        "updatedAt__lte": arg("updated_at_lte", as_date),
        "creationTime__gte": arg("creation_time_gte", as_date),
        "creationTime__lte": arg("creation_time_lte", as_date),
        "cursor": arg("cursor"),
        "uuids": arg("uuids", as_list),
        "type": arg("type", one_of, allowed=IOC_TYPES),
        "batchId": arg("batch_id"),
        "source": arg("source", as_list),
        "value": arg("value"),
        "externalId": arg("external_id"),
        "name__contains": arg("name_contains", as_list),
        "creator__contains": arg("creator_contains", as_list),
        "description__contains": arg("description_contains", as_list),
        "category__in": arg("category_in"),
    },
    entry=entry_from(IOC_FIELDS),
    limit_default=1000,
    cursor_output="SentinelOne.Cursor.IOC",
    headers=list(IOC_FIELDS),
)


def get_dv_query_status_command(client: Client, args: Args) -> CommandResults:
    query_id = required_arg(args, "query_id")
    status = client.get_dv_query_status(query_id)
    entry = {**status, "QueryId": query_id}
    return CommandResults(
        outputs_prefix="SentinelOne.Query.Status",
        outputs_key_field="QueryId",
        outputs=entry,
        readable_output=tableToMarkdown(
            f"Sentinel One - Deep Visibility Query Status: {query_id}",
            entry,
            headers=["QueryId", "responseState", "progressStatus", "responseError", "warnings"],
            removeNull=True,
            headerTransform=pascalToSpace,
        ),
        raw_response=status,
    )


def get_events_command(client: Client, args: Args) -> CommandResults:
    limit = as_limit(args, 50, hi=100)
    query = {"queryId": required_arg(args, "query_id"), "cursor": opt_str(args, "cursor")}
    columns = as_list(args, "columns")
    events, next_cursor = client.list_dv_events(query, limit)
    entries = [dv_event_entry(event, client.api, columns) for event in events]
    generic_events = [pick(event, {"ID": "pid", "Name": "processName", "Type": "eventType"}) for event in events]
    readable = tableToMarkdown(
        "SentinelOne Events",
        entries,
        headers=["EventType", "EventTime", "Endpoint", "SiteName", "User", "ProcessID", "ProcessName", "ProcessUID", *columns],
        removeNull=True,
        headerTransform=pascalToSpace,
    )
    context: Json = {}
    if entries:
        context[context_key("SentinelOne.Event", DV_EVENT_KEY)] = entries
        context[context_key("Event", "ID")] = generic_events
    if next_cursor:
        context["SentinelOne.Cursor.Event"] = next_cursor
        readable += f"\nMore results are available: use cursor={next_cursor}\n"
    return CommandResults(outputs=context, readable_output=readable, raw_response=events)


GET_PROCESSES = ListCommand(
    path="dv/events/process",
    prefix="SentinelOne.Event",
    key=DV_EVENT_KEY,
    title="SentinelOne Processes",
    params={"queryId": arg("query_id", required_arg)},
    entry=dv_process_entry,
    limit_default=50,
    limit_max=100,
    headers=["EventType", "Endpoint", "SiteName", "User", "Time", "ProcessID", "ProcessName", "ProcessUID", "CMD", "SHA1"],
)

REMOTE_SCRIPT_TASK_STATUS = ListCommand(
    path="remote-scripts/status",
    prefix="SentinelOne.GetRemoteScript",
    key="id",
    title="SentinelOne - Remote Script Task Status",
    params={
        "parentTaskId": arg("parent_task_id", required_arg),
        "parentTaskId__in": arg("parent_task_id_in", as_list),
        "accountIds": arg("account_ids", as_list),
        "siteIds": arg("site_ids", as_list),
        "groupIds": arg("group_ids", as_list),
        "ids": arg("ids", as_list),
        "computerName__contains": arg("computer_name_contains", as_list),
        "description__contains": arg("description_contains", as_list),
        "detailedStatus__contains": arg("detailed_status_contains", as_list),
        "initiatedBy__contains": arg("initiated_by_contains", as_list),
        "uuid__contains": arg("uuid_contains", as_list),
        "createdAt__gt": arg("created_at_gt", as_date),
        "createdAt__gte": arg("created_at_gte", as_date),
        "createdAt__lt": arg("created_at_lt", as_date),
        "createdAt__lte": arg("created_at_lte", as_date),
        "updatedAt__gt": arg("updated_at_gt", as_date),
        "updatedAt__gte": arg("updated_at_gte", as_date),
        "updatedAt__lt": arg("updated_at_lt", as_date),
        "updatedAt__lte": arg("updated_at_lte", as_date),
        "status": arg("status", many_of, allowed=REMOTE_SCRIPT_TASK_STATUSES),
        "query": arg("query"),
        "tenant": arg("tenant", as_bool),
        "cursor": arg("cursor"),
    },
    entry=remote_script_task_entry,
    limit_default=50,
    cursor_output="SentinelOne.Cursor.RemoteScriptTask",
    headers=["id", "agentComputerName", "status", "detailedStatus", "description", "createdAt", "updatedAt"],
)


def get_remote_script_task_status_command(client: Client, args: Args) -> CommandResults:
    if not as_bool(args, "count_only", default=False):
        return REMOTE_SCRIPT_TASK_STATUS(client, args)
    # countOnly answers an empty page with the total: report the count instead of an empty table.
    query = {name: build(args, client) for name, build in REMOTE_SCRIPT_TASK_STATUS.params.items()}
    _items, _cursor, total = client.get_page(REMOTE_SCRIPT_TASK_STATUS.path, {**query, "countOnly": True})
    return CommandResults(readable_output=f"{total} remote script task(s) match the filters.", raw_response={"totalItems": total})


def get_remote_script_task_results_command(client: Client, args: Args) -> list[Any]:
    """The result links of remote-script tasks, and each result file downloaded (through BaseClient, no ApiToken)."""
    task_ids = as_list(args, "task_ids", required=True)
    computer_names = as_list(args, "computer_names")
    entries, files, problems = remote_script_results(client, task_ids, computer_names)
    readable = tableToMarkdown(
        "SentinelOne - Remote Script Results", entries, headers=["taskId", "fileName", "downloadUrl"], url_keys=["downloadUrl"]
    )
    if problems:
        readable += "\n" + "\n".join(f"- {problem}" for problem in problems) + "\n"
    results = CommandResults(
        outputs_prefix="SentinelOne.RemoteScriptResults", outputs_key_field="taskId", outputs=entries, readable_output=readable
    )
    return [results, *files]


QUERY_COMMANDS: dict[str, Command] = {
    "sentinelone-list-agents": Command(list_agents_command),
    "sentinelone-get-agent": Command(get_agent_command),
    "sentinelone-get-agent-mac": Command(get_agent_mac_command),
    "sentinelone-get-installed-applications": Command(get_installed_applications_command),
    "sentinelone-get-threats": Command(get_threats_command),
    "sentinelone-threat-summary": Command(threat_summary_command, ONLY_V21),
    "sentinelone-get-threat-notes": Command(get_threat_notes_command, ONLY_V21),
    "sentinelone-get-sites": Command(GET_SITES),
    "sentinelone-get-site": Command(get_site_command),
    "sentinelone-get-accounts": Command(get_accounts_command, ONLY_V21),
    "sentinelone-get-groups": Command(GET_GROUPS),
    "sentinelone-get-activities": Command(GET_ACTIVITIES),
    "sentinelone-get-alerts": Command(GET_ALERTS, ONLY_V21),
    "sentinelone-get-hash": Command(get_hash_command),
    "sentinelone-get-white-list": Command(GET_WHITE_LIST),
    "sentinelone-get-blocklist": Command(GET_BLOCKLIST, ONLY_V21),
    "sentinelone-get-star-rules": Command(GET_STAR_RULES, ONLY_V21),
    "sentinelone-get-iocs": Command(GET_IOCS, ONLY_V21),
    "sentinelone-get-dv-query-status": Command(get_dv_query_status_command),
    "sentinelone-get-events": Command(get_events_command),
    "sentinelone-get-processes": Command(GET_PROCESSES),
    "sentinelone-get-remote-script-task-status": Command(get_remote_script_task_status_command, ONLY_V21),
    "sentinelone-get-remote-script-task-results": Command(get_remote_script_task_results_command, ONLY_V21),
}

""" ACTION COMMANDS

Each action reports, per requested ID, what the console did. Where 2.1 answers `details[]` per threat, those are the
per-ID results; otherwise the answer is only an `affected` count, which says "all", "none", or "some, not which".
"""

MITIGATION_ACTIONS = ("kill", "quarantine", "un-quarantine", "remediate", "rollback-remediation")
TARGET_SCOPES = ("site", "tenant")
EXCLUSION_MODES = (
    "suppress",
    "disable_in_process_monitor_deep",
    "disable_in_process_monitor",
    "disable_all_monitors",
    "disable_all_monitors_deep",
)
PATH_EXCLUSION_TYPES = ("file", "folder", "subfolders")
BLOCKLIST_OS_TYPES = ("windows", "linux", "macos")
STAR_SEVERITIES = ("Low", "Medium", "High", "Critical")
STAR_TREAT_AS_THREAT = ("Malicious", "Suspicious", "UNDEFINED")
STAR_RULE_QUERY_LANGUAGES = ("1.0", "2.0")  # S1QL 1.0 or 2.0
IOC_METHODS = ("EQUALS",)
BROADCAST_MAX_CHARS = 140  # the console refuses longer messages
DV_MAX_DAYS_BACK = 93  # Deep Visibility keeps 93 days; init-query allows 1 call a minute, so bad dates are caught here
ALREADY_EXISTS_CODE = 4000030
VALIDATION_ERROR_CODE = 4000010


def required_choice(args: Args, name: str, allowed: Iterable[str], *, open_set: bool = False) -> str:
    required_arg(args, name)
    value = one_of(args, name, allowed, open_set=open_set)
    assert value is not None
    return value


def required_bool(args: Args, name: str) -> bool:
    required_arg(args, name)
    return bool(as_bool(args, name))


def as_uuids(args: Args, name: str) -> list[str]:
    uuids = as_list(args, name, required=True)
    malformed = [item for item in uuids if not re.fullmatch(r"[0-9a-fA-F]+(-[0-9a-fA-F]+)*", item)]
    if malformed:
        raise ValueError(f"{name}: expected UUIDs (hexadecimal), got {', '.join(repr(item) for item in malformed)}")
    return list(dict.fromkeys(uuids))


class IdOutcome(NamedTuple):
    """What the console did with one requested ID; `done` is None when it acted on some IDs without saying which."""

    id: str
    done: bool | None
    detail: str = ""


def count_value(value: Any) -> int | None:
    """A count the console answered (a number, or digits in a string)."""
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return int(value)
    return None


def affected_count(data: JsonView, requested: int) -> int | None:
    """The `affected` count of an action answer; a `{"success": bool}` answer counts as all or nothing."""
    affected = count_value(data.get("affected"))
    if affected is not None:
        return affected
    if "success" in data:
        return requested if data.get("success") else 0
    return None


def detail_outcome(object_id: str, detail: JsonView) -> IdOutcome:
    """One 2.1 per-threat detail: `result` (verdict and status updates) or `skipped`/`reports` (mitigation)."""
    if detail.get("result") is not None:
        result = str(detail["result"])
        return IdOutcome(object_id, result == "updated", "" if result == "updated" else result)
    skipped = objects(detail.get("skipped"))
    if skipped:
        reasons = []
        for skip in skipped:
            reason = f"skipped {skip.get('action') or 'action'}: {skip.get('reason') or 'no reason given'}"
            reasons.append(f"{reason} ({skip['description']})" if skip.get("description") else reason)
        return IdOutcome(object_id, False, "; ".join(reasons))
    failed = [r for r in detail.get("reports") or [] if isinstance(r, dict) and r.get("status") == "failed"]
    if failed:
        return IdOutcome(object_id, False, "; ".join(f"{r.get('action') or 'action'} failed" for r in failed))
    return IdOutcome(object_id, True)


def id_outcomes(ids: list[str], data: JsonView) -> list[IdOutcome]:
    details = {}
    for item in data.get("details") or []:
        if isinstance(item, dict) and (item.get("threatId") or item.get("id")):
            details[str(item.get("threatId") or item.get("id"))] = item
    affected = affected_count(data, len(ids))
    outcomes = []
    for object_id in ids:
        if object_id in details:
            outcomes.append(detail_outcome(object_id, details[object_id]))
        elif details:  # the console listed its per-ID results and this ID is not among them
            outcomes.append(IdOutcome(object_id, False, "no result from the console for this ID"))
        elif affected is None:
            outcomes.append(IdOutcome(object_id, None, "the console did not say what it changed"))
        elif affected >= len(ids):
            outcomes.append(IdOutcome(object_id, True))
        elif affected == 0:
            outcomes.append(IdOutcome(object_id, False, "not affected"))
        else:
            outcomes.append(
                IdOutcome(object_id, None, f"the console changed {affected} of the {len(ids)} IDs and does not say which")
            )
    return outcomes


def action_summary(data: JsonView, requested: int | None, noun: str) -> str:
    affected = affected_count(data, requested or 0)
    if affected is None:
        return f"SentinelOne did not report how many {noun} it changed."
    if affected == 0:
        return f"SentinelOne reported 0 affected {noun}: nothing was changed."
    if requested:
        return f"SentinelOne reported {affected} of {requested} requested {noun} affected."
    return f"SentinelOne reported {affected} affected {noun}."


def id_action_results(
    ids: list[str],
    data: JsonView,
    *,
    title: str,
    noun: str,
    prefix: str,
    flag: str,
    id_key: str = "ID",
    extra: JsonView | None = None,
    describe: Callable[[bool | None], Any] | None = None,
) -> CommandResults:
    """The result of an action on IDs: one context entry per requested ID, `flag` saying whether it was acted on."""
    entries, rows = [], []
    outcomes = id_outcomes(ids, data)
    for outcome in outcomes:
        value = describe(outcome.done) if describe else outcome.done
        entries.append({id_key: outcome.id, **({} if value is None else {flag: value}), **(extra or {})})
        rows.append({id_key: outcome.id, flag: "unknown" if value is None else value, "Details": outcome.detail})
    headers = [id_key, flag] + (["Details"] if any(outcome.detail for outcome in outcomes) else [])
    readable = tableToMarkdown(title, rows, headers=headers, headerTransform=pascalToSpace)
    readable += f"\n{action_summary(data, len(ids), noun)}\n"
    return CommandResults(
        outputs_prefix=prefix, outputs_key_field=id_key, outputs=entries, readable_output=readable, raw_response=data
    )


def id_action(
    ids_arg: str, send: Callable[[Client, list[str]], Json], *, title: str, noun: str, prefix: str, flag: str, id_key: str = "ID"
) -> Callable[[Client, Args], CommandResults]:
    """The handler of an action that takes only IDs: they are checked, sent, and reported one by one."""

    def handler(client: Client, args: Args) -> CommandResults:
        ids = as_ids(args, ids_arg, required=True)
        return id_action_results(ids, send(client, ids), title=title, noun=noun, prefix=prefix, flag=flag, id_key=id_key)

    return handler


# --- agents ---


def agent_network_results(client: Client, agent_ids: list[str], data: JsonView, title: str) -> CommandResults:
    """Connect and disconnect answer a count only, so each agent's network status is read back."""
    affected = affected_count(data, len(agent_ids))
    agents, _cursor = client.list_agents({"ids": agent_ids}, len(agent_ids))
    by_id = {str(agent.get("id")): agent for agent in agents}
    entries, rows = [], []
    for agent_id in agent_ids:
        agent = by_id.get(agent_id) or {}
        entries.append(compact({"ID": agent_id, "NetworkStatus": agent.get("networkStatus"), "AgentsAffected": affected}))
        rows.append(
            {
                "ID": agent_id,
                "ComputerName": agent.get("computerName"),
                "NetworkStatus": agent.get("networkStatus") or "agent not found",
            }
        )
    readable = tableToMarkdown(title, rows, headers=["ID", "ComputerName", "NetworkStatus"], headerTransform=pascalToSpace)
    readable += f"\n{action_summary(data, len(agent_ids), 'agents')}\n"
    return CommandResults(outputs_prefix="SentinelOne.Agent", outputs_key_field="ID", outputs=entries, readable_output=readable)


def connect_agent_command(client: Client, args: Args) -> CommandResults:
    agent_ids = as_ids(args, "agent_id", required=True)
    data = client.connect_agents(agent_ids)
    return agent_network_results(client, agent_ids, data, "Sentinel One - Connect agents to the network")


def disconnect_agent_command(client: Client, args: Args) -> CommandResults:
    agent_ids = as_ids(args, "agent_id", required=True)
    data = client.disconnect_agents(agent_ids)
    return agent_network_results(client, agent_ids, data, "Sentinel One - Disconnect agents from the network")


def broadcast_message_command(client: Client, args: Args) -> CommandResults:
    message = required_arg(args, "message")
    if len(message) > BROADCAST_MAX_CHARS:
        raise ValueError(f"message: at most {BROADCAST_MAX_CHARS} characters, got {len(message)}")
    agent_filter = {
        # isActive=false would select inactive agents only, so the filter is sent only to narrow to active ones.
        "isActive": True if as_bool(args, "active_agent", default=False) else None,
        "groupIds": as_ids(args, "group_id"),
        "ids": as_ids(args, "agent_id"),
        "domains": as_list(args, "domain"),
    }
    every_agent = not compact(agent_filter)
    if every_agent:  # every filter is optional: none means every agent; the API wants that said explicitly
        agent_filter = {"tenant": True}
    data = client.broadcast_message(message, agent_filter)
    affected = affected_count(data, 0)
    reached = "SentinelOne did not report how many agents" if affected is None else f"SentinelOne reported {affected} agents"
    readable = f"### Sentinel One - Broadcast message\n{reached} reached"
    if every_agent:
        readable += ": no filter was given, so the message went to every agent in the API token's scope"
    readable += ". Only Windows and macOS agents display it.\n"
    return CommandResults(
        outputs_prefix="SentinelOne.BroadcastMessage",
        outputs_key_field="Affected",
        outputs={"Affected": affected},
        readable_output=readable,
        raw_response=data,
    )


def agent_scope(args: Args) -> Json:
    """The agents a shutdown or uninstall targets: IDs and/or groups, optionally narrowed by a query."""
    scope = {"ids": as_ids(args, "agent_id"), "groupIds": as_ids(args, "group_id"), "query": opt_str(args, "query")}
    if not scope["ids"] and not scope["groupIds"]:
        raise ValueError("agent_id, group_id: give at least one of them (a query alone could match every agent)")
    return scope


def shutdown_agent_command(client: Client, args: Args) -> CommandResults:
    scope = agent_scope(args)
    data = client.shutdown_agents(scope)
    entries = [{"ID": outcome.id} for outcome in id_outcomes(scope["ids"], data) if outcome.done]
    readable = f"### Sentinel One - Shutdown agents\n{action_summary(data, len(scope['ids']) or None, 'agents')}\n"
    if entries:
        readable += f"Shutdown sent to: {', '.join(entry['ID'] for entry in entries)}\n"
    return CommandResults(
        outputs_prefix="SentinelOne.Agent", outputs_key_field="ID", outputs=entries, readable_output=readable, raw_response=data
    )


def uninstall_agent_command(client: Client, args: Args) -> CommandResults:
    scope = agent_scope(args)
    data = client.uninstall_agents(scope)
    readable = f"### Sentinel One - Uninstall agents\n{action_summary(data, len(scope['ids']) or None, 'agents')}\n"
    return CommandResults(
        outputs_prefix="SentinelOne.uninstall",
        outputs_key_field="Affected",
        outputs={"Affected": affected_count(data, 0)},
        readable_output=readable,
        raw_response=data,
    )


def move_agent_command(client: Client, args: Args) -> CommandResults:
    group_id = required_id(args, "group_id")
    agent_ids = as_ids(args, "agents_ids", required=True)  # optional in the spec, but an empty filter could move every agent
    data = client.move_agents(group_id, agent_ids)
    moved = count_value(data.get("agentsMoved")) or 0
    if moved:
        readable = f"SentinelOne moved {moved} of {len(agent_ids)} requested agents to group {group_id}."
    else:
        readable = f"SentinelOne moved 0 agents: none of the {len(agent_ids)} requested agents was moved to group {group_id}."
    return CommandResults(
        outputs_prefix="SentinelOne.Agent",
        outputs={"AgentsMoved": moved},
        readable_output=f"### Sentinel One - Move agents\n{readable}\n",
        raw_response=data,
    )


initiate_endpoint_scan_command = id_action(
    "agent_ids", Client.initiate_scan, title="Sentinel One - Initiate endpoint scan", noun="agents",
    prefix="SentinelOne.Agent", id_key="AgentID", flag="Initiated",
)  # fmt: skip


# --- threats and alerts ---


def mitigate_threat_command(client: Client, args: Args) -> CommandResults:
    action = required_choice(args, "action", MITIGATION_ACTIONS, open_set=True)  # 2.1 also has network-quarantine
    threat_ids = as_ids(args, "threat_ids", required=True)
    return id_action_results(
        threat_ids,
        client.mitigate_threats(action, threat_ids),
        title=f"Sentinel One - Mitigate threats: {action}",
        noun="threats",
        prefix="SentinelOne.Threat",
        flag="Mitigated",
        extra={"Mitigation": {"Action": action}},
    )


def mark_as_threat_command(client: Client, args: Args) -> CommandResults:
    threat_ids = as_ids(args, "threat_ids", required=True)  # optional in the spec, but an empty filter is unsafe
    target_scope = required_choice(args, "target_scope", TARGET_SCOPES)
    return id_action_results(
        threat_ids,
        client.mark_as_threat(threat_ids, target_scope),
        title="Sentinel One - Mark as threat",
        noun="threats",
        prefix="SentinelOne.Threat",
        flag="MarkedAsThreat",
    )


resolve_threat_command = id_action(
    "threat_ids", Client.resolve_threats, title="Sentinel One - Resolve threats", noun="threats",
    prefix="SentinelOne.Threat", flag="Resolved",
)  # fmt: skip


class TriageUpdate(NamedTuple):
    """An analyst-verdict or incident-status update of threats or alerts: the four commands differ only in these."""

    ids_arg: str
    value_arg: str
    allowed: tuple[str, ...]
    send: Callable[[Client, list[str], str], Json]
    noun: str
    prefix: str
    what: str
    entry_extra: Callable[[str], Json]

    def __call__(self, client: Client, args: Args) -> CommandResults:
        value = required_choice(args, self.value_arg, self.allowed)
        ids = as_ids(args, self.ids_arg, required=True)
        return id_action_results(
            ids,
            self.send(client, ids, value),
            title=f"Sentinel One - Update {self.noun} {self.what}: {value}",
            noun=self.noun,
            prefix=self.prefix,
            flag="Updated",
            extra=self.entry_extra(value),
        )


def verdict_extra(verdict: str) -> Json:
    return {"Update": {"Action": verdict}}


def status_extra(status: str) -> Json:
    return {"Status": status}


update_threats_verdict_command = TriageUpdate(
    "threat_ids", "verdict", THREAT_VERDICTS, Client.set_threats_verdict, "threats", "SentinelOne.Threat",
    "analyst verdict", verdict_extra,
)  # fmt: skip
update_threats_status_command = TriageUpdate(
    "threat_ids", "status", INCIDENT_STATUSES, Client.set_threats_status, "threats", "SentinelOne.Threat",
    "incident status", status_extra,
)  # fmt: skip
update_alerts_verdict_command = TriageUpdate(
    "alert_ids", "verdict", THREAT_VERDICTS, Client.set_alerts_verdict, "alerts", "SentinelOne.Alert",
    "analyst verdict", verdict_extra,
)  # fmt: skip
update_alerts_status_command = TriageUpdate(
    "alert_ids", "status", INCIDENT_STATUSES, Client.set_alerts_status, "alerts", "SentinelOne.Alert",
    "incident status", status_extra,
)  # fmt: skip


def note_status(done: bool | None) -> str:
    return "Unknown" if done is None else ("Success" if done else "Failed")


def write_threat_note_command(client: Client, args: Args) -> CommandResults:
    threat_ids = as_ids(args, "threat_ids", required=True)
    note = required_arg(args, "note")
    return id_action_results(
        threat_ids,
        client.add_threat_note(threat_ids, note),
        title="Sentinel One - Write threat note",
        noun="threats",
        prefix="SentinelOne.Threat",
        flag="Status",
        extra={"Note": note},
        describe=note_status,
    )


# --- sites and groups ---

EXPIRED_SITE_FIELDS = {
    "ID": "id",
    "Name": "name",
    "State": "state",
    "SKU": "sku",
    "SiteType": "siteType",
    "Suite": "suite",
    "TotalLicenses": "totalLicenses",
    "AccountID": "accountId",
    "Creator": "creator",
    "CreatorID": "creatorId",
    "Description": "description",
    "Expiration": "expiration",
}


def reactivate_site_command(client: Client, args: Args) -> CommandResults:
    site_id = required_id(args, "site_id")
    unlimited = bool(as_bool(args, "unlimited", default=False))
    expiration = as_date(args, "expiration")
    if unlimited and expiration:
        raise ValueError("expiration: leave it empty when unlimited is true (an unlimited site does not expire)")
    if not unlimited and not expiration:
        raise ValueError("expiration: required unless unlimited is true")
    data = client.reactivate_site(site_id, expiration=expiration, unlimited=unlimited)
    reactivated = bool(data.get("success"))
    if reactivated:
        readable = f"Site {site_id} was reactivated " + ("with no expiration." if unlimited else f"until {expiration}.")
    else:
        readable = f"SentinelOne did not confirm the reactivation of site {site_id}."
    return CommandResults(
        outputs_prefix="SentinelOne.Site",
        outputs_key_field="ID",
        outputs={"ID": str(data.get("id") or site_id), "Reactivated": reactivated},
        readable_output=f"### Sentinel One - Reactivate site\n{readable}\n",
        raw_response=data,
    )


def expire_site_command(client: Client, args: Args) -> CommandResults:
    site_id = required_id(args, "site_id")
    site = client.expire_site(site_id)
    entry = {"ID": site_id, **pick(site, EXPIRED_SITE_FIELDS)}
    return CommandResults(
        outputs_prefix="SentinelOne.Site",
        outputs_key_field="ID",
        outputs=entry,
        readable_output=tableToMarkdown(
            "Sentinel One - Expire site", entry, headers=list(EXPIRED_SITE_FIELDS), removeNull=True, headerTransform=pascalToSpace
        ),
        raw_response=site,
    )


def delete_group_command(client: Client, args: Args) -> CommandResults:
    group_id = required_id(args, "group_id")
    data = client.delete_group(group_id)
    if data.get("success"):
        message = f"The group {group_id} was deleted successfully."
    else:
        message = f"The deletion of group {group_id} failed: SentinelOne did not confirm it."
    return CommandResults(
        outputs_prefix="SentinelOne.DeleteGroup",
        outputs_key_field="Success",
        outputs={"Success": message},
        readable_output=f"### Sentinel One - Delete group\n{message}\n",
        raw_response=data,
    )


# --- allow list (exclusions) and blocklist (restrictions) ---


def first_created(created: Any, kind: str, where: str) -> Json:
    """The created object of an answer that lists it (`{"data": [{...}]}`); an answer without it is an error, since
    the object may or may not exist: the analyst must look before retrying."""
    items = created if isinstance(created, list) else [created]
    if not items or not isinstance(items[0], dict):
        raise DemistoException(f"SentinelOne answered without the created {kind}; check {where} before retrying.")
    return items[0]


def create_white_list_item_command(client: Client, args: Args) -> CommandResults:
    item = {
        "type": required_choice(args, "exclusion_type", EXCLUSION_TYPES),
        "value": required_arg(args, "exclusion_value"),
        "osType": required_choice(args, "os_type", OS_TYPES),
        "description": opt_str(args, "description"),
        "mode": one_of(args, "exclusion_mode", EXCLUSION_MODES, open_set=True),  # 2.1 has more modes
        "pathExclusionType": one_of(args, "path_exclusion_type", PATH_EXCLUSION_TYPES),
    }
    scope: Json = {"siteIds": as_ids(args, "site_ids"), "groupIds": as_ids(args, "group_ids")}
    is_global = not any(scope.values())
    if is_global:  # both are optional: without them the exclusion applies to the whole tenant, as the API allows
        scope = {"tenant": True}
    created = client.create_exclusion(item, scope)
    exclusion = first_created(created, "exclusion", "the allow list")
    entry = pick(exclusion, {"ID": "id", "Type": "type", "CreatedAt": "createdAt"})
    row = pick(
        exclusion,
        {"ID": "id", "Type": "type", "Value": "value", "OsType": "osType", "ScopeName": "scopeName", "CreatedAt": "createdAt"},
    )
    readable = tableToMarkdown("Sentinel One - Add to allow list", row, removeNull=True, headerTransform=pascalToSpace)
    if is_global:
        readable += "\nThis is a global exclusion: no site_ids or group_ids were given, so it applies to every site and group.\n"
    return CommandResults(
        outputs_prefix="SentinelOne.Exclusions",
        outputs_key_field="ID",
        outputs=entry,
        readable_output=readable,
        raw_response=created,
    )


def remove_item_from_whitelist_command(client: Client, args: Args) -> CommandResults:
    item = required_arg(args, "item")
    os_type = one_of(args, "os_type", OS_TYPES)
    exclusion_type = one_of(args, "exclusion_type", EXCLUSION_TYPES)
    query = {"value__contains": item, "osTypes": os_type, "type": exclusion_type, "includeChildren": True, "includeParents": True}
    found = client.search_exclusions(query)
    # The search is a substring match: only entries whose value is the item itself are removed.
    matches = list({str(e.get("id")): e for e in found if str(e.get("value") or "").lower() == item.lower()}.values())
    readable = "### Sentinel One - Remove item from allow list\n"
    if not matches:
        status = "Not on whitelist"
        readable += f"No allow-list entry has the value {item!r}: nothing was removed.\n"
    else:
        ids_by_type: dict[str | None, list[str]] = {}
        for match in matches:
            ids_by_type.setdefault(match.get("type"), []).append(str(match.get("id")))
        removed = sum(
            affected_count(client.delete_exclusions(ids, entry_type), len(ids)) or 0 for entry_type, ids in ids_by_type.items()
        )
        status = (
            f"Removed {removed} entries from whitelist"
            if removed == len(matches)
            else f"Removed {removed} of {len(matches)} matching entries from whitelist"
        )
        if len(matches) > 1:
            readable += f"{len(matches)} allow-list entries have the value {item!r}; each was sent for removal.\n"
        rows = [pick(m, {"ID": "id", "Type": "type", "OsType": "osType", "ScopeName": "scopeName"}) for m in matches]
        readable += tableToMarkdown("Matching entries", rows, removeNull=True, headerTransform=pascalToSpace)
        readable += f"\n{status}.\n"
    return CommandResults(
        outputs_prefix="SentinelOne.RemoveItemFromWhitelist",
        outputs_key_field="item",
        outputs={"item": item, "status": status},
        readable_output=readable,
        raw_response=matches,
    )


class BlocklistHashes(NamedTuple):
    """The hashes one blocklist command acts on: a SHA1, a SHA256 or both."""

    sha1: str | None
    sha256: str | None

    @property
    def values(self) -> list[str]:
        return [value for value in (self.sha1, self.sha256) if value]

    def entry(self, status: str) -> Json:
        """The context entry; `hash` (the key) is the SHA1, or the SHA256 when no SHA1 was given."""
        return compact({"hash": self.values[0], "sha1": self.sha1, "sha256": self.sha256, "status": status})


def blocklist_hashes(args: Args) -> BlocklistHashes:
    hashes = BlocklistHashes(hex_hash(args, "sha1", "SHA1"), hex_hash(args, "sha256Value", "SHA256"))
    if not hashes.values:
        raise ValueError("sha1, sha256Value: give at least one hash (a SHA1, a SHA256, or both)")
    return hashes


class BlocklistTarget(NamedTuple):
    """The scopes a hash is blocked in or removed from: sites, groups and accounts, or the global blocklist (none)."""

    site_ids: list[str]
    group_ids: list[str]
    account_ids: list[str]

    @property
    def is_global(self) -> bool:
        return not (self.site_ids or self.group_ids or self.account_ids)

    def body_filter(self) -> Json:
        """The `filter` of an add: the scope ids as arrays (a body filter takes arrays), or the tenant."""
        if self.is_global:
            return {"tenant": True}
        return compact({"siteIds": self.site_ids, "groupIds": self.group_ids, "accountIds": self.account_ids})

    def search_params(self) -> Json:
        return {"tenant": self.is_global, "siteIds": self.site_ids, "groupIds": self.group_ids, "accountIds": self.account_ids}

    def describe(self) -> str:
        if self.is_global:
            return "global"
        parts = [(kind, ids) for kind, ids in (("site", self.site_ids), ("group", self.group_ids), ("account", self.account_ids))]
        return ", ".join(f"{kind}: {', '.join(ids)}" for kind, ids in parts if ids)


def blocklist_target(args: Args, client: Client) -> BlocklistTarget:
    """Where a blocklist add or remove applies (the rule the YAML documents):
    global=true is the global blocklist; the site_ids, group_ids and account_ids arguments are exactly those scopes;
    with neither, the instance's Block Site IDs when set, otherwise the global blocklist."""
    wants_global = as_bool(args, "global")
    target = BlocklistTarget(as_ids(args, "site_ids"), as_ids(args, "group_ids"), as_ids(args, "account_ids"))
    if wants_global and not target.is_global:
        raise ValueError("global: true means the global blocklist; it cannot be combined with site_ids, group_ids or account_ids")
    if wants_global or not target.is_global:
        return target
    target = BlocklistTarget(list(dict.fromkeys(client.block_site_ids)), [], [])
    if wants_global is False and target.is_global:
        raise ValueError("global: false needs site_ids, group_ids or account_ids (or the Block Site IDs instance parameter)")
    return target


def blocklist_scope_error(error: S1ApiError, target: BlocklistTarget) -> Exception:
    """The console's answer to scope ids it does not know (400, code 4000010), as an error that says which."""
    if VALIDATION_ERROR_CODE in error.codes and not target.is_global:
        return DemistoException(
            f"SentinelOne refused the blocklist scope ({target.describe()}): {api_error_text(error.res)}. Check the "
            "site_ids, group_ids and account_ids arguments, or the Block Site IDs instance parameter.",
            res=error.res,
        )
    return error


def blocklist_result(prefix: str, title: str, hashes: BlocklistHashes, status: str, raw: Any) -> CommandResults:
    entry = hashes.entry(status)
    return CommandResults(
        outputs_prefix=prefix,
        outputs_key_field="hash",
        outputs=entry,
        readable_output=tableToMarkdown(title, entry, headers=list(entry), headerTransform=string_to_table_header),
        raw_response=raw,
    )


def add_hash_to_blocklist_command(client: Client, args: Args) -> CommandResults:
    hashes = blocklist_hashes(args)
    entry = compact(
        {
            "value": hashes.sha1,
            "sha256Value": hashes.sha256,
            "type": "black_hash",  # any other type would create an exclusion
            "osType": required_choice(args, "os_type", BLOCKLIST_OS_TYPES),
            "description": opt_str(args, "description") or "Blocked from XSOAR",
            "source": opt_str(args, "source") or "XSOAR",
        }
    )
    target = blocklist_target(args, client)
    raw: Any = None
    try:
        raw = client.add_to_blocklist(entry, target.body_filter())
        status = f"Added to {target.describe()} blocklist"
    except S1ApiError as error:
        if ALREADY_EXISTS_CODE not in error.codes:
            raise blocklist_scope_error(error, target)
        status = "Already on blocklist"  # the hash is blocked, as asked: an outcome, not a failure
    return blocklist_result("SentinelOne.AddHashToBlocklist", "Sentinel One - Add hash to blocklist", hashes, status, raw)


def remove_hash_from_blocklist_command(client: Client, args: Args) -> CommandResults:
    hashes = blocklist_hashes(args)
    os_type = one_of(args, "os_type", BLOCKLIST_OS_TYPES)  # empty: every OS type
    target = blocklist_target(args, client)
    raw: Any = None
    try:
        ids: list[str] = []
        for value in hashes.values:
            query = {
                "value__contains": value,  # the exact `value` filter is case-sensitive; SHA256 entries match it too
                "osTypes": os_type,
                **target.search_params(),
                "sortBy": "updatedAt",
                "sortOrder": "asc",
            }
            found = client.search_blocklist(query)  # every page: a substring search may match many entries
            ids += [
                str(e.get("id"))
                for e in found
                if value.lower() in (str(e.get("value")).lower(), str(e.get("sha256Value")).lower())
            ]
        ids = list(dict.fromkeys(ids))
        if not ids:
            status = "Not on blocklist"
        else:
            raw = client.delete_from_blocklist(ids)  # one request for every matching entry
            removed = affected_count(raw, len(ids)) or 0
            status = (
                f"Removed {removed} entries from blocklist"
                if removed == len(ids)
                else f"Removed {removed} of {len(ids)} matching entries from blocklist"
            )
    except S1ApiError as error:
        raise blocklist_scope_error(error, target)
    title = "Sentinel One - Remove hash from blocklist"
    return blocklist_result("SentinelOne.RemoveHashFromBlocklist", title, hashes, status, raw)


# --- STAR rules ---

SAVED_STAR_RULE_FIELDS = {
    "ID": "id",
    "Name": "name",
    "Status": "status",
    "Severity": "severity",
    "Description": "description",
    "NetworkQuarantine": "networkQuarantine",
    "TreatAsThreat": "treatAsThreat",
    "ExpirationMode": "expirationMode",
    "ExpirationDate": "expiration",
    "ScopeHierarchy": "scope",
    "CreatedAt": "createdAt",
    "UpdatedAt": "updatedAt",
}


def star_rule_request(args: Args) -> tuple[Json, Json]:
    """The rule (`data`) and its scope (`filter`) of a create or update, from the arguments."""
    name = required_arg(args, "name")
    severity = required_choice(args, "rule_severity", STAR_SEVERITIES)
    mode = required_choice(args, "expiration_mode", STAR_RULE_EXPIRATION_MODES)
    query_type = required_choice(args, "query_type", STAR_RULE_QUERY_TYPES, open_set=True)  # 2.1 adds correlation
    s1ql = required_arg(args, "query")
    expiration = as_date(args, "expiration_date")
    if mode == "Temporary" and not expiration:
        raise ValueError("expiration_date: required when expiration_mode is Temporary")
    if mode == "Permanent" and expiration:
        raise ValueError("expiration_date: only used when expiration_mode is Temporary")
    rule = compact(
        {
            "name": name,
            "description": opt_str(args, "description"),
            "s1ql": s1ql,
            "queryType": query_type,
            "severity": severity,
            "expirationMode": mode,
            "expiration": expiration,
            "networkQuarantine": required_bool(args, "network_quarantine"),
            "treatAsThreat": required_choice(args, "treatAsThreat", STAR_TREAT_AS_THREAT),
            "queryLang": one_of(
                args, "query_lang", STAR_RULE_QUERY_LANGUAGES
            ),  # a rule field: the API reference puts it in `data`
        }
    )
    scope = compact(
        {"siteIds": as_ids(args, "site_ids"), "groupIds": as_ids(args, "group_ids"), "accountIds": as_ids(args, "account_ids")}
    )
    return rule, scope or {"tenant": True}


def star_rule_results(rule: JsonView, title: str) -> CommandResults:
    entry = pick(rule, SAVED_STAR_RULE_FIELDS)
    return CommandResults(
        outputs_prefix="SentinelOne.StarRule",
        outputs_key_field="ID",
        outputs=entry,
        readable_output=tableToMarkdown(title, entry, removeNull=True, headerTransform=pascalToSpace),
        raw_response=rule,
    )


def create_star_rule_command(client: Client, args: Args) -> CommandResults:
    rule, scope = star_rule_request(args)
    # Rules are created as drafts; sentinelone-enable-star-rules activates them.
    created = client.create_star_rule({**rule, "status": "Draft"}, scope)
    return star_rule_results(created, "Sentinel One - Create STAR rule")


def update_star_rule_command(client: Client, args: Args) -> CommandResults:
    rule_id = required_id(args, "rule_id")
    rule, scope = star_rule_request(args)
    # No `status` here: an update must not turn an active rule back into a draft.
    updated = client.update_star_rule(rule_id, rule, scope)
    return star_rule_results(updated, "Sentinel One - Update STAR rule")


def star_rules_action(
    send: Callable[[Client, list[str]], Json], title: str, flag: str
) -> Callable[[Client, Args], CommandResults]:
    return id_action("rule_ids", send, title=title, noun="STAR rules", prefix="SentinelOne.StarRule", flag=flag)


enable_star_rules_command = star_rules_action(Client.enable_star_rules, "Sentinel One - Enable STAR rules", "Enabled")
disable_star_rules_command = star_rules_action(Client.disable_star_rules, "Sentinel One - Disable STAR rules", "Disabled")
delete_star_rule_command = star_rules_action(Client.delete_star_rules, "Sentinel One - Delete STAR rules", "Deleted")


# --- IOCs and Deep Visibility ---

CREATED_IOC_FIELDS = {
    "UUID": "uuid",
    "Name": "name",
    "Source": "source",
    "Type": "type",
    "BatchId": "batchId",
    "Creator": "creator",
    "Scope": "scope",
    "ScopeId": "scopeId",
    "ValidUntil": "validUntil",
    "Description": "description",
    "ExternalId": "externalId",
}


def ioc_from(fields: Args) -> Json:
    """One IOC of a create request, from command arguments or an object of a bulk file (the same names)."""
    return compact(
        {
            "name": required_arg(fields, "name"),
            "source": required_arg(fields, "source"),
            "type": required_choice(fields, "type", IOC_TYPES),
            "method": required_choice(fields, "method", IOC_METHODS),
            "validUntil": as_date(fields, "validUntil", required=True),
            "value": required_arg(fields, "value"),
            "externalId": opt_str(fields, "externalId"),
            "description": opt_str(fields, "description"),
        }
    )


def create_ioc_command(client: Client, args: Args) -> CommandResults:
    ioc = ioc_from(args)
    account_ids = as_ids(args, "account_ids", required=True)
    created = client.create_iocs(account_ids, [ioc])
    entries = [pick(item, CREATED_IOC_FIELDS) for item in created if isinstance(item, dict)]
    return CommandResults(
        outputs_prefix="SentinelOne.IOC",
        outputs_key_field="UUID",
        outputs=entries,
        readable_output=tableToMarkdown("Sentinel One - Create IOC", entries, removeNull=True, headerTransform=pascalToSpace),
        raw_response=created,
    )


def delete_ioc_command(client: Client, args: Args) -> CommandResults:
    account_ids = as_ids(args, "account_ids", required=True)
    uuids = as_uuids(args, "uuids")
    return id_action_results(
        uuids,
        client.delete_iocs(account_ids, uuids),
        title="Sentinel One - Delete IOCs",
        noun="IOCs",
        prefix="SentinelOne.IOC",
        id_key="UUID",
        flag="Deleted",
    )


def create_query_command(client: Client, args: Args) -> CommandResults:
    now = datetime.now(timezone.utc)  # taken first: relative dates parsed below are never earlier than this
    query = required_arg(args, "query")
    from_date = parse_date(required_arg(args, "from_date"), "from_date")
    to_date = parse_date(required_arg(args, "to_date"), "to_date")
    if from_date > to_date:
        raise ValueError(f"from_date: must not be after to_date ({format_date(from_date)} > {format_date(to_date)})")
    if from_date < now - timedelta(days=DV_MAX_DAYS_BACK):
        raise ValueError(f"from_date: Deep Visibility keeps {DV_MAX_DAYS_BACK} days; {format_date(from_date)} is older")
    data = client.init_dv_query(query, format_date(from_date), format_date(to_date))
    entry = {"Query": query, "FromDate": format_date(from_date), "ToDate": format_date(to_date), "QueryID": data.get("queryId")}
    return CommandResults(
        outputs_prefix="SentinelOne.Query",
        outputs_key_field="QueryID",
        outputs=entry,
        readable_output=tableToMarkdown(
            "Sentinel One - Create Deep Visibility query", entry, removeNull=True, headerTransform=pascalToSpace
        ),
        raw_response=data,
    )


ACTION_COMMANDS: dict[str, Command] = {
    "sentinelone-connect-agent": Command(connect_agent_command),
    "sentinelone-disconnect-agent": Command(disconnect_agent_command),
    "sentinelone-broadcast-message": Command(broadcast_message_command),
    "sentinelone-shutdown-agent": Command(shutdown_agent_command),
    "sentinelone-uninstall-agent": Command(uninstall_agent_command),
    "sentinelone-move-agent": Command(move_agent_command),
    "sentinelone-initiate-endpoint-scan": Command(initiate_endpoint_scan_command),
    "sentinelone-mitigate-threat": Command(mitigate_threat_command),
    "sentinelone-mark-as-threat": Command(mark_as_threat_command, ONLY_V20),
    "sentinelone-resolve-threat": Command(resolve_threat_command, ONLY_V20),
    "sentinelone-update-threats-verdict": Command(update_threats_verdict_command, ONLY_V21),
    "sentinelone-update-threats-status": Command(update_threats_status_command, ONLY_V21),
    "sentinelone-write-threat-note": Command(write_threat_note_command, ONLY_V21),
    "sentinelone-update-alerts-verdict": Command(update_alerts_verdict_command, ONLY_V21),
    "sentinelone-update-alerts-status": Command(update_alerts_status_command, ONLY_V21),
    "sentinelone-reactivate-site": Command(reactivate_site_command),
    "sentinelone-expire-site": Command(expire_site_command),
    "sentinelone-delete-group": Command(delete_group_command),
    "sentinelone-create-white-list-item": Command(create_white_list_item_command),
    "sentinelone-remove-item-from-whitelist": Command(remove_item_from_whitelist_command, ONLY_V21),
    "sentinelone-add-hash-to-blocklist": Command(add_hash_to_blocklist_command, ONLY_V21),
    "sentinelone-remove-hash-from-blocklist": Command(remove_hash_from_blocklist_command, ONLY_V21),
    "sentinelone-create-star-rule": Command(create_star_rule_command, ONLY_V21),
    "sentinelone-update-star-rule": Command(update_star_rule_command, ONLY_V21),
    "sentinelone-enable-star-rules": Command(enable_star_rules_command, ONLY_V21),
    "sentinelone-disable-star-rules": Command(disable_star_rules_command, ONLY_V21),
    "sentinelone-delete-star-rule": Command(delete_star_rule_command, ONLY_V21),
    "sentinelone-create-ioc": Command(create_ioc_command, ONLY_V21),
    "sentinelone-delete-ioc": Command(delete_ioc_command, ONLY_V21),
    "sentinelone-create-query": Command(create_query_command),
}

""" POLLING AND FILE COMMANDS

Commands whose work takes time on the console, polled through the platform's ScheduledCommand (never a sleep loop),
and commands that return files: downloads go through BaseClient, zips are opened in memory.
"""

MIN_POLL_INTERVAL = 10  # seconds: the platform's minimum for a scheduled command
POLL_ELAPSED_ARG = "polling_elapsed_seconds"
HIDE_POLLING_OUTPUT_ARG = "hide_polling_output"

FETCH_PASSWORD_MIN_LENGTH = 10
FETCH_PASSWORD_MAX_LENGTH = 256
AGENT_ID_PLACEHOLDER = "Agent ID"  # the specification's default for download-fetched-file's agent_id: not an ID
UPLOAD_EXPIRED_CODE = 4100010
UPLOAD_MANIFEST = "manifest.json"
MAX_UPLOAD_MEMBERS = 100
MAX_UPLOAD_BYTES = 100 * 1024 * 1024
THREAT_TIMELINE_LIMIT = 30
WRONG_UPLOAD_PASSWORD = "Could not open the upload: wrong password. Use the password the fetch was requested with."

REMOTE_SCRIPT_OUTPUT_DESTINATIONS = ("DataSetCloud", "Local", "None", "SentinelCloud")
REMOTE_SCRIPT_RUNNING_STATUSES = frozenset({"created", "scheduled", "pending", "pending_user_action", "in_progress"})
REMOTE_SCRIPT_RESULT_STATUSES = frozenset({"completed", "partially_completed"})  # the tasks whose output can be fetched
RUN_REMOTE_SCRIPT_FIELDS = {name: name for name in ("pendingExecutionId", "pending", "affected", "parentTaskId")}
# Secrets the script run needs once: the later polling runs do not get them (scheduled arguments show in the entries).
REMOTE_SCRIPT_SECRET_ARGS = ("password", "api_key")
REMOTE_SCRIPT_RESULT_FIELDS = {name: name for name in ("taskId", "fileName", "downloadUrl")}

POWER_QUERY_FAILED_STATUSES = frozenset(
    {"FAILED", "FAILED_CLIENT", "ERROR", "QUERY_CANCELLED", "QUERY_CANCEL", "TIMED_OUT", "QUERY_EXPIRED", "QUERY_NOT_FOUND"}
)
POWER_QUERY_LIMIT_DEFAULT = 1000
POWER_QUERY_LIMIT_MAX = 100000
POWER_QUERY_TIMEOUT_MAX = 300

FETCH_THREAT_FILE = "sentinelone-fetch-threat-file"
REMOTE_SCRIPT_AUTOMATE_RESULTS = "sentinelone-remote-script-automate-results"
GET_POWER_QUERY_RESULTS = "sentinelone-get-power-query-results"


class Polling(NamedTuple):
    """One run of a polling command: the interval and timeout asked for, and the seconds already waited.

    The waited seconds (the sum of the scheduled intervals, as the platform counts them) travel to the next run in a
    hidden argument, so that the last run within the timeout can stop with a message saying what was still pending.
    """

    command: str
    interval: int
    timeout: int
    elapsed: int
    requested_interval: int | None = None  # the interval asked for, where it was below MIN_POLL_INTERVAL

    @classmethod
    def from_args(
        cls, command: str, args: Args, *, interval_default: int, timeout_default: int, timeout_max: int | None = None
    ) -> "Polling":
        requested = as_int(args, "interval", default=interval_default, lo=1)
        timeout = as_int(args, "timeout", default=timeout_default, lo=1, hi=timeout_max)
        elapsed = as_int(args, POLL_ELAPSED_ARG, default=0, lo=0)
        assert requested is not None and timeout is not None and elapsed is not None
        # Raised, not refused: the platform would schedule a shorter interval at its minimum anyway.
        interval = max(requested, MIN_POLL_INTERVAL)
        if timeout < interval:  # not even one check would fit: the work would start and never be looked at
            raised = f": interval {requested} is raised to the platform's minimum" if interval != requested else ""
            raise ValueError(f"timeout: expected at least the interval ({interval} seconds{raised}), got {timeout}")
        return cls(command, interval, timeout, elapsed, requested if interval != requested else None)

    @property
    def can_wait(self) -> bool:
        """Whether one more interval still ends within the timeout."""
        return self.elapsed + self.interval <= self.timeout

    def next_run(self, args: Args, state: JsonView, readable: str | None) -> CommandResults:
        """Schedule the next run with `args` plus `state`. Only the first run of a sequence shows `readable`."""
        next_args = {**args, **state, POLL_ELAPSED_ARG: str(self.elapsed + self.interval), HIDE_POLLING_OUTPUT_ARG: True}
        hidden = as_bool(args, HIDE_POLLING_OUTPUT_ARG, default=False)
        if readable and self.requested_interval is not None:
            readable += (
                f"\n\nNote: interval {self.requested_interval} is below the platform's minimum of {MIN_POLL_INTERVAL} seconds "
                f"for a scheduled command; {self.interval} is used."
            )
        return CommandResults(
            readable_output=None if hidden else readable,
            scheduled_command=ScheduledCommand(
                command=self.command, next_run_in_seconds=self.interval, args=next_args, timeout_in_seconds=self.timeout
            ),
        )


def fetch_password(args: Args, name: str = "password") -> str:
    """A password for files fetched from agents: 10 to 256 characters, three of upper, lower, digits and symbols.

    Taken as given (not trimmed: a space is a symbol); the error never repeats it.
    """
    value = args.get(name)
    password = "" if value is None else str(value)
    if not password:
        raise ValueError(f"{name}: this argument is required")
    classes = sum(
        (
            any(char.isupper() for char in password),
            any(char.islower() for char in password),
            any(char.isdigit() for char in password),
            any(not char.isalnum() for char in password),
        )
    )
    if not FETCH_PASSWORD_MIN_LENGTH <= len(password) <= FETCH_PASSWORD_MAX_LENGTH or classes < 3:
        raise ValueError(
            f"{name}: expected {FETCH_PASSWORD_MIN_LENGTH} to {FETCH_PASSWORD_MAX_LENGTH} characters with at least three of "
            f"uppercase letters, lowercase letters, digits and symbols, got {len(password)} characters with {classes} of them"
        )
    return password


def upload_password(args: Args, name: str = "password") -> str:
    """The password of an existing upload, taken as given."""
    value = args.get(name)
    if value is None or str(value) == "":
        raise ValueError(f"{name}: this argument is required")
    return str(value)


class FetchedFile(NamedTuple):
    name: str  # the file entry's name: the original file's base name
    original_path: str  # from the upload's manifest, else the archive path
    data: bytes


def safe_file_name(path: str, fallback: str = "fetched_file") -> str:
    """The last part of a path (either separator), so that a name can never point elsewhere; `fallback` if none is left."""
    name = re.split(r"[\\/]", path)[-1].replace("\x00", "").strip()
    return fallback if name in ("", ".", "..") else name


def archive_path_key(path: str) -> str:
    """How an agent files an original path in its upload (drive letter as a folder), compared case-insensitively:
    `C:\\Users\\a.txt` and `C/Users/a.txt` both give `c/users/a.txt`."""
    key = re.sub(r"^([A-Za-z]):", r"\1", path.replace("\\", "/"))
    return key.strip("/").lower()


def json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from json_strings(item)


def manifest_paths(raw: bytes) -> dict[str, str]:
    """The original file paths an upload's manifest.json names, by archive path key.

    SentinelOne does not document the manifest's fields, so every string in it that looks like a path counts; where
    one file is named twice (its original path and its archive path), the Windows form (`C:\\...`) is kept.
    """
    try:
        manifest = json.loads(raw.decode("utf-8-sig"))
    except ValueError:  # also UnicodeDecodeError
        return {}
    paths: dict[str, str] = {}
    for text in json_strings(manifest):
        if "/" not in text and "\\" not in text:
            continue
        key = archive_path_key(text)
        if key not in paths or ("\\" in text and "\\" not in paths[key]):
            paths[key] = text
    return paths


def read_upload_member(upload: zipfile.ZipFile, member: zipfile.ZipInfo, password: bytes) -> bytes:
    try:
        return upload.read(member, pwd=password)
    except RuntimeError:  # zipfile: "Bad password for file ..."
        raise DemistoException(WRONG_UPLOAD_PASSWORD)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        # A wrong password passes ZipCrypto's one-byte check once in 256 tries and then fails the CRC or the inflate.
        raise DemistoException(f"Could not open {member.filename} in the upload: wrong password or damaged archive ({error}).")
    except NotImplementedError as error:
        raise DemistoException(f"Could not open {member.filename} in the upload: {error}.")


def open_upload(archive: bytes, password: str) -> list[FetchedFile]:
    """The files of an agent's upload zip, read in memory (nothing is written to a path taken from the archive), after
    checking the member count and the total uncompressed size the archive declares."""
    try:
        upload = zipfile.ZipFile(io.BytesIO(archive))
    except zipfile.BadZipFile:
        raise DemistoException(f"The upload is not a zip archive ({len(archive)} bytes received).")
    with upload:
        members = [member for member in upload.infolist() if not member.is_dir()]
        if len(members) > MAX_UPLOAD_MEMBERS:
            raise DemistoException(f"The upload holds {len(members)} files; at most {MAX_UPLOAD_MEMBERS} are extracted.")
        total_size = sum(member.file_size for member in members)
        if total_size > MAX_UPLOAD_BYTES:
            raise DemistoException(f"The upload unpacks to {total_size} bytes; at most {MAX_UPLOAD_BYTES} bytes are extracted.")
        pwd = password.encode("utf-8")
        manifest = next((member for member in members if member.filename == UPLOAD_MANIFEST), None)
        original_paths = manifest_paths(read_upload_member(upload, manifest, pwd)) if manifest else {}
        files = []
        for member in members:
            if member is manifest:
                continue
            original_path = original_paths.get(archive_path_key(member.filename), member.filename)
            files.append(FetchedFile(safe_file_name(original_path), original_path, read_upload_member(upload, member, pwd)))
    if not files:
        raise DemistoException("No file found in the upload (wrong path?): the archive holds no fetched file.")
    return files


def upload_error(error: S1ApiError, agent_id: str, activity_id: str) -> DemistoException:
    """What an analyst can do about a failed upload download."""
    if error.status == 410 or UPLOAD_EXPIRED_CODE in error.codes:
        return DemistoException(
            f"The files agent {agent_id} uploaded in activity {activity_id} have expired: SentinelOne deletes fetched files "
            "after 3 days, or earlier once more than 30 files were fetched. Fetch them again with sentinelone-fetch-file."
        )
    if error.status == 404:
        return DemistoException(
            f"Agent {agent_id} has no upload for activity {activity_id}: use the ID of its 'Agent Uploaded Fetched Files' "
            f"activity (sentinelone-get-activities activity_types=80 agent_ids={agent_id}). {error}"
        )
    return error


def fetch_file_command(client: Client, args: Args) -> CommandResults:
    agent_id = required_id(args, "agent_id")
    file_path = required_arg(args, "file_path")
    password = fetch_password(args)
    result = client.fetch_agent_files(agent_id, [file_path], password)
    if result.get("success") is False:
        raise DemistoException(f"The console did not accept the fetch of {file_path} from agent {agent_id}.")
    readable = (
        f"### Sentinel One - Fetch of {file_path} from agent {agent_id} was requested\n"
        "When the agent has uploaded the file, an 'Agent Uploaded Fetched Files' activity (type 80) appears. Find its ID with "
        f"`sentinelone-get-activities activity_types=80 agent_ids={agent_id}`, then download the file with "
        f"`sentinelone-download-fetched-file agent_id={agent_id} activity_id=<the activity ID> password=<the same password>`.\n"
    )
    return CommandResults(readable_output=readable, raw_response=result)


def download_fetched_file_command(client: Client, args: Args) -> list[Any]:
    if opt_str(args, "agent_id") == AGENT_ID_PLACEHOLDER:
        raise ValueError(
            f"agent_id: expected the ID of the agent the files were fetched from, got the placeholder {AGENT_ID_PLACEHOLDER!r}"
        )
    agent_id = required_id(args, "agent_id")
    activity_id = required_id(args, "activity_id")
    password = upload_password(args)
    try:
        archive = client.download_agent_upload(agent_id, activity_id)
    except S1ApiError as error:
        raise upload_error(error, agent_id, activity_id)
    files = open_upload(archive, password)
    rows = [{"File Name": file.name, "Original Path": file.original_path, "Size": len(file.data)} for file in files]
    readable = tableToMarkdown(
        f"Sentinel One - Files uploaded by agent {agent_id} (activity {activity_id})",
        rows,
        headers=["File Name", "Original Path", "Size"],
    )
    return [CommandResults(readable_output=readable), *(fileResult(file.name, file.data) for file in files)]


def latest_threat_upload(client: Client, threat_id: str) -> str | None:
    """The download path of the newest file the agent uploaded for a threat (a timeline item linking to /agents/...)."""
    for item in client.list_threat_timeline(threat_id, THREAT_TIMELINE_LIMIT):
        url = dig(item, "data.downloadUrl")
        if isinstance(url, str) and url.lstrip("/").startswith("agents/"):
            return url
    return None


def threat_file_result(threat_id: str, downloadable: bool, zipped_file: str, readable: str) -> CommandResults:
    return CommandResults(
        outputs_prefix="SentinelOne.Threat",
        outputs_key_field="ID",
        outputs={"ID": threat_id, "Downloadable": downloadable, "ZippedFile": zipped_file},
        readable_output=readable,
    )


def fetch_threat_file_command(client: Client, args: Args) -> CommandResults | list[Any]:
    """Ask the agent for a threat's file, then poll the threat's timeline until the upload appears and return the zip.

    The newest upload seen before the request is remembered, so that an older upload (protected with another password)
    is never taken for the new one.
    """
    polling = Polling.from_args(FETCH_THREAT_FILE, args, interval_default=30, timeout_default=600)
    threat_id = required_id(args, "threat_id")
    if not as_bool(args, "fetch_requested", default=False):
        password = fetch_password(args)
        previous_upload = latest_threat_upload(client, threat_id)
        result = client.fetch_threat_file(threat_id, password)
        if not result.get("affected"):
            raise DemistoException(f"The console did not accept the file fetch for threat {threat_id} (no threat affected).")
        state = compact({"fetch_requested": "true", "previous_upload": previous_upload})
        readable = (
            f"Fetching the file of threat {threat_id}: the agent uploads it, usually within minutes. "
            f"Checking every {polling.interval} seconds, for at most {polling.timeout} seconds."
        )
        return polling.next_run(args, state, readable)
    upload = latest_threat_upload(client, threat_id)
    if upload is not None and upload != opt_str(args, "previous_upload"):
        file_name = f"{threat_id}.zip"
        data = client.download_console_path(upload)
        readable = (
            f"### Sentinel One - File of threat {threat_id}\nDownloaded {file_name}: a zip protected with the fetch password.\n"
        )
        return [threat_file_result(threat_id, True, file_name, readable), fileResult(file_name, data)]
    if polling.can_wait:
        return polling.next_run(args, {}, None)
    message = (
        f"The file of threat {threat_id} was not uploaded within {polling.timeout} seconds; "
        "the agent may be offline. Run the command again later."
    )
    return threat_file_result(threat_id, False, message, f"### Sentinel One - File of threat {threat_id}\n{message}\n")


def remote_script_execution(args: Args) -> tuple[Json, Json]:
    """The scope (`filter`) and the script settings (`data`) of a remote-script run; empty settings are left out."""
    scope = {"accountIds": as_ids(args, "account_ids", required=True), "ids": as_ids(args, "agent_ids", required=True)}
    required_arg(args, "output_destination")
    script = compact(
        {
            "scriptId": required_arg(args, "script_id"),
            "taskDescription": required_arg(args, "task_description"),
            "outputDestination": one_of(args, "output_destination", REMOTE_SCRIPT_OUTPUT_DESTINATIONS, open_set=True),
            "outputDirectory": opt_str(args, "output_directory"),
            "singularityxdrKeyword": opt_str(args, "singularity_xdr_Keyword"),
            "singularityxdrUrl": opt_str(args, "singularity_xdr_Url"),
            "apiKey": opt_str(args, "api_key"),
            "inputParams": opt_str(args, "input_params"),
            "password": opt_str(args, "password"),
            "scriptRuntimeTimeoutSeconds": as_int(args, "script_runtime_timeout_seconds", default=3600, lo=1),
            "requiresApproval": as_bool(args, "requires_approval", default=False),
        }
    )
    return scope, script


def run_remote_script_result(started: JsonView, readable_note: str = "") -> CommandResults:
    entry = pick(started, RUN_REMOTE_SCRIPT_FIELDS, keep_nulls=True)
    readable = tableToMarkdown("Sentinel One - Run Remote Script", entry, headers=list(RUN_REMOTE_SCRIPT_FIELDS)) + readable_note
    return CommandResults(
        outputs_prefix="SentinelOne.RunRemoteScript", outputs=entry, readable_output=readable, raw_response=dict(started)
    )


def run_remote_script_command(client: Client, args: Args) -> CommandResults:
    scope, script = remote_script_execution(args)
    return run_remote_script_result(client.execute_remote_script(scope, script))


def task_status(task: JsonView) -> str:
    return str(task.get("status") or "").lower()


def task_summary(tasks: Iterable[JsonView]) -> str:
    parts = []
    for task in tasks:
        agent = task.get("agentComputerName") or task.get("agentId") or task.get("id")
        detail = task.get("detailedStatus") or task.get("statusDescription")
        parts.append(f"{agent}: {task_status(task) or 'no status'}" + (f" ({detail})" if detail else ""))
    return "; ".join(parts)


def remote_script_results(
    client: Client, task_ids: list[str], computer_names: list[str] | None = None
) -> tuple[list[Json], list[Json], list[str]]:
    """The result files of remote-script tasks: context entries `{taskId, fileName, downloadUrl}`, file entries (each link
    downloaded through BaseClient without the ApiToken), and a line for each task whose result could not be had."""
    response = client.fetch_remote_script_links(task_ids, computer_names or [])
    links = response.get("download_links") or response.get("downloadLinks") or []
    problems = [
        f"Task {error.get('taskId')}: {error.get('errorString')}"
        for error in response.get("errors") or []
        if isinstance(error, dict)
    ]
    entries: list[Json] = []
    files: list[Json] = []
    for link in links:
        entry = pick(link, REMOTE_SCRIPT_RESULT_FIELDS)
        entries.append(entry)
        task_id, url = entry.get("taskId"), entry.get("downloadUrl")
        file_name = safe_file_name(str(entry.get("fileName") or ""), fallback=f"{task_id}.zip")
        if not url:
            problems.append(f"Task {task_id}: the console gave no download link for {file_name}")
            continue
        try:
            files.append(fileResult(file_name, client.download_url(str(url))))
        except DemistoException as error:
            problems.append(f"Task {task_id}: the download of {file_name} failed: {error}")
    return entries, files, problems


def remote_script_final_result(client: Client, parent_task_id: str, tasks: list[dict]) -> list[Any]:
    """Every task has ended: fetch the results of those that produced output and report the others."""
    with_output = [task for task in tasks if task_status(task) in REMOTE_SCRIPT_RESULT_STATUSES]
    if not with_output:
        raise DemistoException(f"No task of remote script parent task {parent_task_id} completed: {task_summary(tasks)}.")
    entries, files, problems = remote_script_results(client, [str(task.get("id")) for task in with_output])
    rows = [
        {
            "Task ID": task.get("id"),
            "Agent": task.get("agentComputerName"),
            "Status": task.get("status"),
            "Detail": task.get("detailedStatus") or task.get("statusDescription"),
        }
        for task in tasks
    ]
    readable = tableToMarkdown(f"Sentinel One - Remote script tasks of parent task {parent_task_id}", rows, headers=list(rows[0]))
    readable += tableToMarkdown("Sentinel One - Remote script results", entries, headers=["taskId", "fileName"])
    if problems:
        readable += "\n" + "\n".join(f"- {problem}" for problem in problems) + "\n"
    return [
        CommandResults(
            outputs_prefix="SentinelOne.RemoteScriptResults",
            outputs_key_field="taskId",
            outputs=entries,
            readable_output=readable,
            raw_response=tasks,
        ),
        *files,
    ]


def remote_script_automate_results_command(client: Client, args: Args) -> CommandResults | list[Any]:
    """Run a remote script, poll its tasks by parent task ID until each has ended, then return the results' files."""
    polling = Polling.from_args(REMOTE_SCRIPT_AUTOMATE_RESULTS, args, interval_default=60, timeout_default=600)
    parent_task_id = opt_str(args, "parent_task_id")
    if parent_task_id is None:
        scope, script = remote_script_execution(args)
        started = client.execute_remote_script(scope, script)
        if not started.get("parentTaskId"):
            note = (
                f"\nThe execution waits for approval (pending execution {started.get('pendingExecutionId')}): nothing runs "
                "until it is approved in the console. Follow it then with sentinelone-get-remote-script-task-status.\n"
            )
            return run_remote_script_result(started, note)
        parent_task_id = str(started["parentTaskId"])
        readable = (
            f"Remote script {script['scriptId']} started on {started.get('affected')} agent(s), parent task {parent_task_id}. "
            f"Checking its tasks every {polling.interval} seconds, for at most {polling.timeout} seconds."
        )
        later_args = {name: value for name, value in args.items() if name not in REMOTE_SCRIPT_SECRET_ARGS}
        return polling.next_run(later_args, {"parent_task_id": parent_task_id}, readable)
    tasks = client.list_remote_script_tasks(parent_task_id)
    running = [task for task in tasks if task_status(task) in REMOTE_SCRIPT_RUNNING_STATUSES]
    if tasks and not running:
        return remote_script_final_result(client, parent_task_id, tasks)
    if polling.can_wait:
        done = len(tasks) - len(running)
        return polling.next_run(args, {}, f"Remote script parent task {parent_task_id}: {done} of {len(tasks)} tasks ended.")
    raise DemistoException(
        f"The tasks of remote script parent task {parent_task_id} did not end within {polling.timeout} seconds: "
        f"{task_summary(tasks) or 'no task was created'}. Follow them with "
        f"sentinelone-get-remote-script-task-status parent_task_id={parent_task_id}."
    )


def power_query_body(args: Args) -> Json:
    return compact(
        {
            "query": required_arg(args, "query"),
            "fromDate": as_date(args, "from_date", required=True),
            "toDate": as_date(args, "to_date", required=True),
            "limit": as_int(args, "limit", default=POWER_QUERY_LIMIT_DEFAULT, lo=1, hi=POWER_QUERY_LIMIT_MAX),
            "accountIds": as_ids(args, "account_ids"),
            "siteIds": as_ids(args, "site_ids"),
        }
    )


def power_query_progress(data: JsonView) -> str:
    return f"status {data.get('status') or 'unknown'}, {data.get('progress') if data.get('progress') is not None else '?'}% done"


def power_query_finished(data: JsonView, query_id: str) -> bool:
    """True when the results are complete; an error for a query that failed, was cancelled or expired."""
    status = str(data.get("status") or "").upper()
    if status in POWER_QUERY_FAILED_STATUSES:
        raise DemistoException(f"Power query {query_id} did not finish: {power_query_progress(data)}.")
    try:
        progress = float(data["progress"]) if data.get("progress") is not None else 100.0  # no progress: nothing pending
    except (TypeError, ValueError):
        progress = 0.0
    return status == "EMPTY_RESULTS" or (status == "FINISHED" and progress >= 100)


def power_query_result(data: JsonView, query_id: str) -> CommandResults:
    """The rows of a power query, each a map from the column names to the row's values."""
    columns = [str(column.get("name")) for column in data.get("columns") or [] if isinstance(column, dict)]
    rows = [dict(zip(columns, row, strict=False)) for row in data.get("data") or [] if isinstance(row, list)]
    title = f"Sentinel One - Power Query results of query {query_id}"
    readable = tableToMarkdown(title, rows, headers=columns) if rows else f"### {title}\nThe query returned no results.\n"
    recommendations = data.get("recommendations") or []
    if recommendations:
        readable += f"\nNote: {recommendations[0]}\n"
    return CommandResults(
        outputs_prefix="SentinelOne.PowerQuery", outputs=rows or None, readable_output=readable, raw_response=dict(data)
    )


def get_power_query_results_command(client: Client, args: Args) -> CommandResults:
    """Start a power query (or take query_id), then ping it until it finishes; at most 300 seconds."""
    polling = Polling.from_args(
        GET_POWER_QUERY_RESULTS,
        args,
        interval_default=MIN_POLL_INTERVAL,
        timeout_default=POWER_QUERY_TIMEOUT_MAX,
        timeout_max=POWER_QUERY_TIMEOUT_MAX,
    )
    query_id = opt_str(args, "query_id")
    if query_id is None:
        data = client.start_power_query(power_query_body(args))
        query_id = str(data.get("queryId") or "")
    else:
        data = client.ping_power_query(query_id)
    if power_query_finished(data, query_id):
        return power_query_result(data, query_id)
    if not query_id:
        raise DemistoException(f"The console answered without a power query ID to follow ({power_query_progress(data)}).")
    if polling.can_wait:
        readable = (
            f"Power query {query_id} is running ({power_query_progress(data)}). "
            f"Checking every {polling.interval} seconds, for at most {polling.timeout} seconds."
        )
        return polling.next_run(args, {"query_id": query_id}, readable)
    raise DemistoException(
        f"Power query {query_id} did not finish within {polling.timeout} seconds ({power_query_progress(data)}). "
        "Narrow the query or the dates, or ping it later with query_id."
    )


def create_power_query_command(client: Client, args: Args) -> CommandResults:
    """Deprecated: start a power query; its rows when it finished at once, else its ID to ping."""
    data = client.start_power_query(power_query_body(args))
    query_id = str(data.get("queryId") or "")
    if power_query_finished(data, query_id):
        return power_query_result(data, query_id)
    readable = (
        f"Power query {query_id} is running ({power_query_progress(data)}). Get its results with "
        f"`sentinelone-ping-power-query queryId={query_id}`, or use sentinelone-get-power-query-results, which waits for them.\n"
    )
    return CommandResults(
        outputs_prefix="SentinelOne.PowerQuery", outputs={"queryId": query_id}, readable_output=readable, raw_response=data
    )


def ping_power_query_command(client: Client, args: Args) -> CommandResults:
    """Deprecated: the rows a power query has so far."""
    query_id = required_arg(args, "queryId")
    data = client.ping_power_query(query_id)
    finished = power_query_finished(data, query_id)
    if data.get("data") or finished:
        return power_query_result(data, query_id)
    return CommandResults(
        readable_output=f"Power query {query_id} returned no data yet ({power_query_progress(data)}).", raw_response=data
    )


POLLING_COMMANDS: dict[str, Command] = {
    "sentinelone-fetch-file": Command(fetch_file_command, ONLY_V21),
    "sentinelone-download-fetched-file": Command(download_fetched_file_command, ONLY_V21),
    FETCH_THREAT_FILE: Command(fetch_threat_file_command),
    "sentinelone-run-remote-script": Command(run_remote_script_command, ONLY_V21),
    REMOTE_SCRIPT_AUTOMATE_RESULTS: Command(remote_script_automate_results_command, ONLY_V21),
    GET_POWER_QUERY_RESULTS: Command(get_power_query_results_command, ONLY_V21),
    "sentinelone-create-power-query": Command(create_power_query_command, ONLY_V21),
    "sentinelone-ping-power-query": Command(ping_power_query_command, ONLY_V21),
}

""" FETCH INCIDENTS

Threats (2.0 and 2.1), cloud-detection alerts (2.1) and UAM alerts (2.1, GraphQL) become incidents, each exactly once.
fetch_type selects threats and alerts, fetch_uam_alert_type (a UAM view type) UAM alerts. Each stream keeps its own
state in lastRun: `since` (the inclusive lower bound of the next query: items created earlier are done), `watermark`
(the creation time of the last item the stream has read) and `seen_ids` (id -> creation time of every item fetched at
or after `since`). A run reads the stream in ascending creation order from `since`, follows nextCursor within the run
(cursors are never stored), skips seen ids and stops at fetch_limit. `since` trails the watermark by FETCH_LOOK_BACK so
that items indexed late are still fetched, and items sharing one timestamp are told apart by id, however many there are.
State is returned, never written here: main commits it after the incidents, so a failed run changes nothing.
"""

FETCH_TYPES = ("Threats", "Alerts", "Both")
FETCH_TYPE_NONE = "None"  # not a YAML option: the public pack's way (and ours) to fetch UAM alerts alone
UAM_VIEW_TYPE_PARAM = "fetch_uam_alert_type"
FETCH_STATUSES = ("UNRESOLVED", "IN_PROGRESS", "RESOLVED")
ALERT_SEVERITIES = ("Low", "Medium", "High", "Critical")
FETCH_DEFAULT_LIMIT = 10
FETCH_MAX_LIMIT = 200  # XSOAR's recommended maximum per fetch run; larger settings are clamped (documented in the YAML)
FETCH_DEFAULT_FIRST_FETCH = "3 days"
FETCH_DEFAULT_THREAT_RANK = 5
FETCH_LOOK_BACK = timedelta(minutes=5)
FETCH_MAX_SEEN_IDS = 1000  # bound on seen_ids; exceeded only by ids sharing the watermark's timestamp
FETCH_STATE_VERSION = 1
MIRROR_DIRECTIONS: dict[str, str | None] = {"None": None, "Incoming": "In", "Outgoing": "Out", "Incoming And Outgoing": "Both"}
THREAT_INCIDENT_TYPE = "SentinelOne Threat"
ALERT_INCIDENT_TYPE = "SentinelOne Alert"
UAM_INCIDENT_TYPE = "SentinelOne UAM Alert"
CONFIDENCE_SEVERITY = {"malicious": IncidentSeverity.HIGH, "suspicious": IncidentSeverity.MEDIUM}
ALERT_SEVERITY = {
    "low": IncidentSeverity.LOW,
    "medium": IncidentSeverity.MEDIUM,
    "high": IncidentSeverity.HIGH,
    "critical": IncidentSeverity.CRITICAL,
}
UAM_SEVERITY = {**ALERT_SEVERITY, "info": IncidentSeverity.INFO}  # unknown: Low


def parse_item_time(value: Any) -> datetime | None:
    """An API timestamp (`2024-01-01T10:00:00.123456Z`, with or without fraction) as an aware UTC datetime."""
    return parse_timestamp(value) if isinstance(value, str) else None


@functools.lru_cache(maxsize=4096)
def parse_timestamp(value: str) -> datetime | None:
    """parse_item_time's text reading, remembered: the fetch core and the incident both read each item's time."""
    try:  # the API's own form first, as it comes
        moment = datetime.fromisoformat(value)
    except ValueError:
        text = value.strip()
        try:
            moment = datetime.fromisoformat(text[:-1] + "Z" if text.endswith("z") else text)  # fromisoformat wants Z
        except ValueError:
            return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment if moment.tzinfo is timezone.utc else moment.astimezone(timezone.utc)


def wire_time(value: Any) -> str | None:
    """An API timestamp as format_date writes it: the text itself where it is in that form already (the API's rule;
    formatting a date costs more than this check, for every fetched incident), else reformatted."""
    if isinstance(value, str) and len(value) == 27 and WIRE_TIME.fullmatch(value) and parse_timestamp(value):
        return value
    moment = parse_item_time(value)
    return None if moment is None else format_date(moment)


class StreamState(NamedTuple):
    """Where one stream stands: see the section docstring."""

    since: datetime
    watermark: datetime | None
    seen: Mapping[str, datetime]

    def to_json(self) -> Json:
        return {
            "version": FETCH_STATE_VERSION,
            "since": format_date(self.since),
            "watermark": format_date(self.watermark) if self.watermark else None,
            "seen_ids": {item_id: format_date(created) for item_id, created in self.seen.items()},
        }

    @classmethod
    def from_json(cls, data: Any, stream: str) -> "StreamState":
        problem = f"lastRun: the saved {stream} fetch state is unreadable"
        if not isinstance(data, dict) or data.get("version") != FETCH_STATE_VERSION:
            raise ValueError(f"{problem} (expected version {FETCH_STATE_VERSION}, got {data!r:.200})")
        since = parse_item_time(data.get("since"))
        watermark = parse_item_time(data.get("watermark"))
        seen_json = data.get("seen_ids") or {}
        if since is None or (data.get("watermark") is not None and watermark is None) or not isinstance(seen_json, dict):
            raise ValueError(f"{problem} ({data!r:.200})")
        seen = {str(item_id): parse_item_time(created) for item_id, created in seen_json.items()}
        if any(created is None for created in seen.values()):
            raise ValueError(f"{problem} (a seen id has no readable creation time)")
        return cls(since=since, watermark=watermark, seen={k: v for k, v in seen.items() if v is not None})


def state_from_public_pack(value: Any) -> datetime | None:
    """The start of the stream after the public pack's `{"time": ...}` lastRun, which fetched strictly after `time`.

    Its value is epoch milliseconds or seconds, or an ISO string; the start is one unit of that value's precision later.
    """
    if isinstance(value, int | float) or (isinstance(value, str) and re.fullmatch(r"\d+(\.\d+)?", value.strip())):
        number = float(value)
        if number > 10**11:  # epoch milliseconds (seconds would be past the year 5000)
            return datetime.fromtimestamp(number / 1000, tz=timezone.utc) + timedelta(milliseconds=1)
        return datetime.fromtimestamp(number, tz=timezone.utc) + timedelta(seconds=1)
    moment = parse_item_time(value)
    if moment is None and isinstance(value, str):
        try:
            moment = parse_date(value, "time")
        except ValueError:
            moment = None
    return None if moment is None else moment + timedelta(microseconds=1)


def next_fetch(
    state: StreamState,
    pages: Iterable[Iterable[JsonView]],
    *,
    limit: int,
    item_id: Callable[[JsonView], Any],
    created_at: Callable[[JsonView], datetime | None],
    wanted: Callable[[JsonView], bool] = lambda _item: True,
    look_back: timedelta = FETCH_LOOK_BACK,
    max_seen: int = FETCH_MAX_SEEN_IDS,
) -> tuple[list[JsonView], StreamState]:
    """The pure core of a fetch run: the items to turn into incidents and the stream's next state.

    `pages` yields the query's pages in ascending creation order from `state.since`; it is consumed lazily and no
    further once `limit` items are taken, so a generator that requests pages sends no request more than needed.
    Items that `wanted` rejects (client-side filters) are passed over without being recorded.
    """
    seen = dict(state.seen)
    taken: list[JsonView] = []
    since, watermark = state.since, state.watermark
    for item in itertools.chain.from_iterable(pages):
        raw_id = item_id(item)
        created = created_at(item) or watermark or since  # an item without a readable time sits where we are
        if (
            raw_id is None or raw_id == "" or created < since
        ):  # no id to dedup by, or older than asked (a server ignoring the filter)
            continue
        if watermark is None or created > watermark:
            watermark = created
        key = str(raw_id)
        if key in seen or not wanted(item):
            continue
        seen[key] = created
        taken.append(item)
        if len(taken) >= limit:
            break
    since = since if watermark is None else max(since, watermark - look_back)
    seen = {key: created for key, created in seen.items() if created >= since}
    if len(seen) > max_seen:
        # Give up the look-back for the oldest ids rather than let the state grow; never drop ids at the watermark.
        since = max(since, sorted(seen.values(), reverse=True)[max_seen - 1])
        seen = {key: created for key, created in seen.items() if created >= since}
    return taken, StreamState(since=since, watermark=watermark, seen=seen)


class FetchSettings(NamedTuple):
    """The fetch instance parameters, validated (each error names its parameter)."""

    fetch_type: str
    first_fetch: datetime
    limit: int
    threat_rank: int | None  # API 2.0 only: the minimum rank; None where the API version has no rank
    threat_statuses: list[str]  # upper-case; empty = every status
    alert_statuses: list[str]
    alert_severities: list[str]  # empty = every severity
    site_ids: list[str]
    incident_type: str | None
    mirror_direction: str | None  # "In" | "Out" | "Both", None when mirroring is off
    instance: str
    note_tag: str | None = None  # the tag of XSOAR entries mirrored out as SentinelOne notes (comment_tag)
    uam_view_type: str | None = None  # the UAM view type fetched (fetch_uam_alert_type), None when UAM is not fetched

    @property
    def mirror(self) -> "MirrorIdentity":
        return MirrorIdentity(self.mirror_direction, self.instance, self.note_tag)


class MirrorIdentity(NamedTuple):
    """What fetched incidents and mirrored objects carry for the platform's mirroring: direction, instance, note tag."""

    direction: str | None  # "In" | "Out" | "Both", None when mirroring is off
    instance: str
    note_tag: str | None


def mirror_identity(params: Args, instance: str) -> MirrorIdentity:
    """The mirroring parameters alone: get-remote-data runs per incident and needs nothing else of the fetch settings."""
    direction = one_of(params, "mirror_direction", MIRROR_DIRECTIONS, default="None")
    return MirrorIdentity(MIRROR_DIRECTIONS[direction or "None"], instance, opt_str(params, "comment_tag"))


def selected_or_default(params: Args, name: str, allowed: Iterable[str], default: list[str]) -> list[str]:
    """A multi-select parameter: its YAML default when absent, every value when cleared (empty)."""
    if name not in params:
        return default
    return many_of(params, name, allowed)


def fetch_type_from(params: Args, uam_view_type: str | None) -> str:
    """fetch_type; "None" fetches neither threats nor alerts. Cleared, it means "None" when UAM alerts are fetched and
    the YAML default (Threats) otherwise, as before UAM existed."""
    if uam_view_type and "fetch_type" in params and _raw(params, "fetch_type") is None:
        return FETCH_TYPE_NONE
    fetch_type = one_of(params, "fetch_type", (*FETCH_TYPES, FETCH_TYPE_NONE), default="Threats")
    assert fetch_type is not None
    return fetch_type


def fetch_settings(params: Args, api: ApiVersion, instance: str) -> FetchSettings:
    uam_view_type = one_of(params, UAM_VIEW_TYPE_PARAM, UAM_VIEW_TYPES)
    fetch_type = fetch_type_from(params, uam_view_type)
    first_fetch_text = opt_str(params, "fetch_time") or FETCH_DEFAULT_FIRST_FETCH
    limit = as_int(params, "fetch_limit", default=FETCH_DEFAULT_LIMIT, lo=1)
    assert limit is not None
    site_ids = as_list(params, "fetch_site_ids")
    bad_site_ids = [site_id for site_id in site_ids if not site_id.isdigit()]
    if bad_site_ids:
        raise ValueError(f"fetch_site_ids: expected numeric site IDs separated by commas, got {', '.join(bad_site_ids)!r}")
    mirror = mirror_identity(params, instance)
    rank = as_int(params, "fetch_threat_rank", default=FETCH_DEFAULT_THREAT_RANK, lo=0, hi=10) if api.supports_rank else None
    settings = FetchSettings(
        fetch_type=fetch_type,
        first_fetch=parse_date(first_fetch_text, "fetch_time"),
        limit=min(limit, FETCH_MAX_LIMIT),
        threat_rank=rank,
        threat_statuses=selected_or_default(params, "fetch_threat_incident_statuses", FETCH_STATUSES, ["UNRESOLVED"]),
        alert_statuses=selected_or_default(params, "fetch_incidentStatus", FETCH_STATUSES, ["UNRESOLVED"]),
        alert_severities=many_of(params, "fetch_severity", ALERT_SEVERITIES),
        site_ids=site_ids,
        incident_type=opt_str(params, "incidentType"),
        mirror_direction=mirror.direction,
        instance=instance,
        note_tag=mirror.note_tag,
        uam_view_type=uam_view_type,
    )
    if not fetch_streams(settings):
        raise ValueError(
            f"fetch_type, {UAM_VIEW_TYPE_PARAM}: nothing to fetch. Choose Threats, Alerts or Both, or a UAM alert type."
        )
    for stream in fetch_streams(settings):
        if api.name not in stream.versions:
            raise ValueError(
                f"{stream.parameter}: {stream.label} can only be fetched with API version "
                f"{' and '.join(sorted(stream.versions))}; this instance uses API version {api.name}. {stream.version_advice}"
            )
    return settings


def as_rank(value: Any) -> int:
    """A threat's rank as an int; missing or unreadable counts as 0."""
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


def incident_from(
    item: JsonView,
    *,
    stream: "FetchStream",
    name: str,
    occurred: str | None,
    severity: float,
    mirror_id: str,
    settings: FetchSettings,
    api: ApiVersion,
    extra_raw: JsonView | None = None,
) -> Json:
    """The incident: the full API object in rawJSON plus the keys the classifier and the mappers read."""
    shared = stream_mapper_keys(
        stream.incident_type, stream.name, api.name, settings.mirror_direction, settings.instance, settings.note_tag
    )
    # Merged without copying the shared keys' values: raw is only encoded, never handed on.
    raw = {**item, **(extra_raw or {}), **shared, "mirror_id": mirror_id}
    incident: Json = {
        "name": name,
        "severity": severity,
        "type": settings.incident_type or stream.incident_type,
        "rawJSON": json.dumps(raw),
        "dbotMirrorId": mirror_id,
    }
    if occurred:
        incident["occurred"] = occurred
    if settings.mirror_direction:
        incident["dbotMirrorDirection"] = settings.mirror_direction
        incident["dbotMirrorInstance"] = settings.instance
        if settings.note_tag:
            incident["dbotMirrorTags"] = [settings.note_tag]
    return incident


def mapper_keys(stream: "FetchStream", mirror_id: str, mirror: MirrorIdentity, api: ApiVersion) -> Json:
    """What fetch adds to rawJSON, and mirroring to each mirrored object, for the classifier and the incoming mapper."""
    keys = {**stream_mapper_keys(stream.incident_type, stream.name, api.name, *mirror), "mirror_id": mirror_id}
    if "mirror_tags" in keys:
        keys["mirror_tags"] = list(keys["mirror_tags"])  # the mirrored object is the caller's: nothing shared
    return keys


@functools.lru_cache(maxsize=64)
def stream_mapper_keys(
    incident_type: str, stream_name: str, api_name: str, direction: str | None, instance: str, note_tag: str | None
) -> JsonView:
    """The mapper keys every item of a stream shares, built once rather than per fetched or mirrored item (mirror_id is
    each item's own, set after these)."""
    keys: Json = {
        "incident_type": incident_type,
        "s1_stream": stream_name,
        "s1_api_version": api_name,
        "mirror_id": None,
        "mirror_direction": direction,
        "mirror_instance": instance,
    }
    if direction and note_tag:
        keys["mirror_tags"] = [note_tag]  # entries with this tag are sent out (dbotMirrorTags)
    return keys


def threat_time(threat: JsonView, api: ApiVersion) -> datetime | None:
    return parse_item_time(api.threat_fields.getter["created_at"](threat))  # both versions have it


def threat_severity(threat: JsonView, api: ApiVersion) -> float:
    """2.1 confidence level, or 2.0 rank (API 2.1 threats have no rank, 2.0 threats no confidence level)."""
    confidence = api.threat_field(threat, "confidence_level")
    if confidence is not None:
        return CONFIDENCE_SEVERITY.get(str(confidence).strip().lower(), IncidentSeverity.LOW)
    rank = as_rank(api.threat_field(threat, "rank"))
    if rank >= 8:
        return IncidentSeverity.HIGH
    return IncidentSeverity.MEDIUM if rank >= 5 else IncidentSeverity.LOW


def threat_incident(threat: JsonView, settings: FetchSettings, api: ApiVersion) -> Json:
    field = api.threat_fields.getter  # fields both versions have, read without threat_field's lookup per field
    threat_id = str(field["id"](threat))
    title = (
        field["threat_name"](threat)
        or field["file_display_name"](threat)
        or safe_file_name(str(field["file_path"](threat) or ""), fallback=threat_id)
    )
    classification = field["classification"](threat) or "Not classified"
    return incident_from(
        threat,
        stream=THREATS,
        name=f"SentinelOne Threat: {classification} - {title}",
        occurred=wire_time(field["created_at"](threat)),
        severity=threat_severity(threat, api),
        mirror_id=threat_id,
        settings=settings,
        api=api,
    )


def alert_id(alert: JsonView) -> str | None:
    value = field_getter("alertInfo.alertId")(alert) or alert.get("id")  # per fetched alert: no dig in between
    return None if value in (None, "") else str(value)


def alert_severity(alert: JsonView) -> float:
    return ALERT_SEVERITY.get(str(dig(alert, "ruleInfo.severity", "")).strip().lower(), IncidentSeverity.LOW)


def alert_incident(alert: JsonView, settings: FetchSettings, api: ApiVersion) -> Json:
    identifier = alert_id(alert) or ""
    rule_name = dig(alert, "ruleInfo.name") or "Unnamed rule"
    return incident_from(
        alert,
        stream=ALERTS,
        name=f"SentinelOne Alert: {rule_name} - {identifier}",
        occurred=wire_time(field_getter("alertInfo.createdAt")(alert)),
        severity=alert_severity(alert),
        mirror_id=f"alert:{identifier}",
        settings=settings,
        api=api,
        extra_raw=None if alert.get("id") else {"id": identifier},
    )


def threat_filters(settings: FetchSettings) -> Json:
    # Never `resolved`: it hides every other status. Threat statuses go out lower-case.
    return {"incidentStatuses": [status.lower() for status in settings.threat_statuses], "siteIds": settings.site_ids}


def alert_filters(settings: FetchSettings) -> Json:
    return {"incidentStatus": settings.alert_statuses, "siteIds": settings.site_ids}


def threat_wanted(threat: JsonView, settings: FetchSettings, api: ApiVersion) -> bool:
    return settings.threat_rank is None or as_rank(api.threat_field(threat, "rank")) >= settings.threat_rank


def alert_wanted(alert: JsonView, settings: FetchSettings, _api: ApiVersion) -> bool:
    # Filtered here, case-insensitively, rather than by the API's `severity` filter; a missing severity counts as Low.
    if not settings.alert_severities:
        return True
    severity = str(dig(alert, "ruleInfo.severity") or "Low").lower()
    return severity in {choice.lower() for choice in settings.alert_severities}


class FetchStream(NamedTuple):
    """What differs between the streams; `name` keys the stream's lastRun state. A new kind of stream is another
    instance: how it is selected and queried are fields like the rest."""

    name: str
    label: str
    selected: Callable[[FetchSettings], bool]
    versions: frozenset[str]
    incident_type: str
    read_page: Callable[[Client, Json], Page]
    query: Callable[[FetchSettings, datetime], Json]  # the items created at or after a time, oldest first
    item_id: Callable[[JsonView, ApiVersion], Any]
    created_at: Callable[[JsonView, ApiVersion], datetime | None]
    wanted: Callable[[JsonView, FetchSettings, ApiVersion], bool]
    incident: Callable[[JsonView, FetchSettings, ApiVersion], Json]
    parameter: str = "fetch_type"  # the instance parameter that selects the stream
    version_advice: str = "Choose Threats or switch the API version."
    public_time_key: str = "time"  # the public pack's lastRun key this stream takes over (see stream_state)
    probe_advice: str = "Check the fetch parameters."


def fetch_type_in(*fetch_types: str) -> Callable[[FetchSettings], bool]:
    """A REST stream is selected by fetch_type."""
    return lambda settings: settings.fetch_type in fetch_types


def rest_query(filters: Callable[[FetchSettings], Json], sort_by: str) -> Callable[[FetchSettings, datetime], dict]:
    """A REST stream's query: its filters, createdAt at or after the time, ascending on `sort_by`."""
    return lambda settings, since: {
        **filters(settings),
        "createdAt__gte": format_date(since),
        "sortBy": sort_by,
        "sortOrder": "asc",
    }


THREATS = FetchStream(
    name="threat",
    label="Threats",
    selected=fetch_type_in("Threats", "Both"),
    versions=BOTH_VERSIONS,
    incident_type=THREAT_INCIDENT_TYPE,
    read_page=Client.threats_page,
    query=rest_query(threat_filters, "createdAt"),
    item_id=lambda threat, api: api.threat_fields.getter["id"](threat),
    created_at=threat_time,
    wanted=threat_wanted,
    incident=threat_incident,
)

ALERTS = FetchStream(
    name="alert",
    label="Alerts",
    selected=fetch_type_in("Alerts", "Both"),
    versions=ONLY_V21,
    incident_type=ALERT_INCIDENT_TYPE,
    read_page=Client.alerts_page,
    query=rest_query(alert_filters, "alertInfoCreatedAt"),
    item_id=lambda alert, _api: alert_id(alert),
    created_at=lambda alert, _api: parse_item_time(field_getter("alertInfo.createdAt")(alert)),
    wanted=alert_wanted,
    incident=alert_incident,
)

# --- UAM alerts ---


def epoch_ms(moment: datetime) -> int:
    """Epoch milliseconds (the `Long` scalar), rounded down: an inclusive start keeps its own millisecond."""
    return (moment - datetime(1970, 1, 1, tzinfo=timezone.utc)) // timedelta(milliseconds=1)


def uam_filter(field_id: str, values: Iterable[str]) -> Json | None:
    """A `stringIn` filter, or None for no values (an empty filter would match nothing)."""
    values = list(values)
    return {"fieldId": field_id, "stringIn": {"values": values}} if values else None


def uam_query(settings: FetchSettings, time_field: str, since: datetime, filters: Iterable[dict | None]) -> Json:
    """`alerts` variables: the view type, the filters and `time_field` >= since (inclusive), ascending on it."""
    time_filter = {"fieldId": time_field, "dateTimeRange": {"start": epoch_ms(since)}}
    return {
        "viewType": settings.uam_view_type,
        "filters": [time_filter, *(item for item in filters if item)],
        "sort": {"by": time_field, "order": "ASC"},
    }


def uam_site_filter(settings: FetchSettings) -> Json | None:
    return uam_filter("siteId", settings.site_ids)


def uam_fetch_filters(settings: FetchSettings) -> list[Json | None]:
    """fetch_site_ids, fetch_severity and fetch_incidentStatus apply to UAM alerts too (empty = no filter)."""
    return [
        uam_site_filter(settings),
        uam_filter("severity", [severity.upper() for severity in settings.alert_severities]),
        uam_filter("status", [UAM_FETCH_STATUSES[status] for status in settings.alert_statuses]),
    ]


def uam_wanted(alert: JsonView, settings: FetchSettings, _api: ApiVersion) -> bool:
    """The fetch filters again, client-side: a console that ignored one must not add incidents the SOC excluded."""
    severities = {severity.upper() for severity in settings.alert_severities}
    if severities and str(alert.get("severity") or "").upper() not in severities:
        return False
    statuses = {UAM_FETCH_STATUSES[status] for status in settings.alert_statuses}
    if statuses and str(alert.get("status") or "").upper() not in statuses:
        return False
    return not settings.site_ids or str(dig(alert, "realTime.scope.site.id") or "") in settings.site_ids


def uam_alert_name(alert: JsonView) -> str:
    return str(alert.get("name") or dig(alert, "analytics.name") or f"Unnamed alert {alert.get('id') or ''}".strip())


def uam_severity(alert: JsonView) -> float:
    return UAM_SEVERITY.get(str(alert.get("severity") or "").strip().lower(), IncidentSeverity.LOW)


def uam_label(value: Any, labels: Mapping[str, str]) -> Any:
    """The XSOAR label of a UAM enum value (select fields hold labels); an unknown value passes through."""
    return None if value in (None, "") else labels.get(uam_enum(value), value)


def uam_scope_path(alert: JsonView) -> str | None:
    names = [dig(alert, f"realTime.scope.{level}.name") for level in ("account", "site", "group")]
    return " / ".join(str(name) for name in names if name) or None


def uam_raw_keys(alert: JsonView) -> Json:
    """What rawJSON and the mirrored object add to a UAM node for the incoming mapper: the XSOAR labels of status
    and verdict (the node keeps the API values) and the scope as one line."""
    return {
        "status_label": uam_label(alert.get("status"), UAM_STATUS_LABELS),
        "analyst_verdict_label": uam_label(alert.get("analystVerdict"), UAM_VERDICT_LABELS),
        "scope_path": uam_scope_path(alert),
    }


def uam_incident(alert: JsonView, settings: FetchSettings, api: ApiVersion) -> Json:
    return incident_from(
        alert,
        stream=UAM_ALERTS,
        name=f"SentinelOne UAM Alert: {uam_alert_name(alert)}",
        occurred=wire_time(alert.get("createdAt")),
        severity=uam_severity(alert),
        mirror_id=MIRROR_UAM_PREFIX + str(alert.get("id") or ""),
        settings=settings,
        api=api,
        extra_raw=uam_raw_keys(alert),
    )


# UAM alerts: selected by fetch_uam_alert_type, read through GraphQL. The query is the `alerts` variables, with the page
# size and cursor named as for the REST lists (see Client.uam_alerts_page).
UAM_ALERTS = FetchStream(
    name="uam",
    label="UAM alerts",
    selected=lambda settings: settings.uam_view_type is not None,
    versions=ONLY_V21,
    incident_type=UAM_INCIDENT_TYPE,
    read_page=Client.uam_alerts_page,
    query=lambda settings, since: uam_query(settings, "createdAt", since, uam_fetch_filters(settings)),
    item_id=lambda alert, _api: alert.get("id"),
    created_at=lambda alert, _api: parse_item_time(alert.get("createdAt")),
    wanted=uam_wanted,
    incident=uam_incident,
    parameter=UAM_VIEW_TYPE_PARAM,
    version_advice="Clear it or switch the API version.",
    public_time_key="uam_time",
    probe_advice=(
        f"Check {UAM_VIEW_TYPE_PARAM} and the site, severity and status fetch filters; a console without Unified "
        f"Alert Management (HTTP 404) cannot fetch UAM alerts: clear {UAM_VIEW_TYPE_PARAM}."
    ),
)

FETCH_STREAMS = (THREATS, ALERTS, UAM_ALERTS)


def fetch_streams(settings: FetchSettings) -> list[FetchStream]:
    return [stream for stream in FETCH_STREAMS if stream.selected(settings)]


def stream_pages(client: Client, stream: FetchStream, settings: FetchSettings, state: StreamState) -> Iterator[list[dict]]:
    """The stream's pages from `state.since`, requested one at a time as the consumer asks for them (at most MAX_PAGES)."""
    # One page usually holds the ids seen in the look-back window plus `limit` new items, so one request is the rule:
    # following the cursor is needed only when the integration passes items over (2.0 rank, alert severity).
    query = dict(stream.query(settings, state.since), limit=min(API_MAX_LIMIT, settings.limit + len(state.seen)))
    return every_page(lambda params: stream.read_page(client, params), query)


def stream_state(last_run: JsonView, stream: FetchStream, first_fetch: datetime) -> StreamState:
    """The stream's saved state; else the start after the public pack's `time` (`uam_time` for UAM alerts); else the
    first fetch time."""
    if last_run.get(stream.name) is not None:
        return StreamState.from_json(last_run[stream.name], stream.name)
    public_time = last_run.get(stream.public_time_key)
    migrated = state_from_public_pack(public_time) if public_time not in (None, "") else None
    return StreamState(since=migrated or first_fetch, watermark=None, seen={})


FetchOutcome = tuple[list[dict], StreamState]  # a stream's new incidents and its next state


def fetch_stream(
    client: Client,
    stream: FetchStream,
    settings: FetchSettings,
    state: StreamState,
    open_alerts: dict[str, str | None] | None = None,
) -> FetchOutcome:
    """One stream's part of a run: its new incidents and its next state; the alerts whose incidents mirror in are added
    to `open_alerts` (alert ID -> alertInfo.updatedAt) where it is given."""
    api = client.api
    items, new_state = next_fetch(
        state,
        stream_pages(client, stream, settings, state),
        limit=settings.limit,
        item_id=lambda item: stream.item_id(item, api),
        created_at=lambda item: stream.created_at(item, api),
        wanted=lambda item: stream.wanted(item, settings, api),
    )
    if open_alerts is not None and stream is ALERTS and mirrors_in(settings.mirror_direction):  # rawJSON would cost more
        open_alerts.update((alert_id(item) or "", dig(item, "alertInfo.updatedAt")) for item in items)
    return [stream.incident(item, settings, api) for item in items], new_state


def fetch_incidents(client: Client, params: Args, open_alerts: dict[str, str | None] | None = None) -> tuple[list[Json], Json]:
    """One fetch run: the new incidents and the lastRun to commit after them (the states of other streams are kept).
    `open_alerts`, where given, receives the fetched alerts whose incidents mirror in (alert ID -> alertInfo.updatedAt),
    for main to remember before it hands the incidents over."""
    settings = fetch_settings(params, client.api, demisto.integrationInstance() or "")
    last_run = demisto.getLastRun() or {}
    next_run = dict(last_run)
    incidents: list[Json] = []
    for stream in fetch_streams(settings):
        state = stream_state(last_run, stream, settings.first_fetch)
        stream_incidents, new_state = fetch_stream(client, stream, settings, state, open_alerts)
        incidents.extend(stream_incidents)
        next_run[stream.name] = new_state.to_json()
        next_run.pop(stream.public_time_key, None)  # taken over: the public pack's key is not written back
        demisto.debug(f"[SentinelOne] fetch: {len(stream_incidents)} new {stream.label.lower()}, next from {new_state.since}")
    return incidents, next_run


def fetch_settings_problem(client: Client, params: Args) -> str | None:
    """test-module's fetch checks: the settings parse, and the console accepts a one-item query of each stream."""
    try:
        settings = fetch_settings(params, client.api, "")
    except ValueError as error:
        return f"Fetch settings: {error}"
    # Checked here, not in fetch_settings: fetch itself works with any direction, but nothing would mirror out.
    if settings.mirror_direction in ("Out", "Both") and client.api_version not in OUTGOING_MIRROR_VERSIONS:
        return (
            "Fetch settings: mirror_direction: Outgoing mirroring needs API version 2.1 (the verdict, status and note "
            f"endpoints); this instance uses API version {client.api_version}. Choose Incoming or None, or set the API "
            "Version to 2.1."
        )
    for stream in fetch_streams(settings):
        try:
            stream.read_page(client, dict(stream.query(settings, settings.first_fetch), limit=1))
        except S1ApiError as error:
            return f"The console rejected the {stream.label} fetch query: {error}. {stream.probe_advice}"
    return None


""" MIRRORING

Threats (API 2.0 and 2.1), cloud-detection alerts (2.1) and UAM alerts (2.1, GraphQL) mirror both ways. Remote IDs: a
threat's own ID (digits, as the public pack had it, so that existing incidents keep mirroring), "alert:<alertId>" for
an alert and "uam:<id>" for a UAM alert (a bare UUID too: the public pack's UAM incidents carry the alert's own ID), so
that get-remote-data and update-remote-system know the endpoint from the ID alone.

get-modified-remote-data keeps its own position per stream in the last mirror run, in SentinelOne's clock (the
platform's lastUpdate is XSOAR's clock; it only seeds the first run). The state is fetch's (`since`, `watermark`,
`seen_ids`, see FETCH INCIDENTS) over update times instead of creation times, keyed by `<remote id>@<updatedAt>`: each
change is reported once, a later change of the same item again, and changes indexed late (within the look-back) too.
- Threats: GET threats with updatedAt__gte, sorted by updatedAt ascending, every page. A run reads at most MAX_PAGES
  pages; because of the sort order the next run goes on from where it stopped, so nothing is skipped.
- Alerts: the alert list documents no update-time filter or sort (the API reference lists only createdAt__* and
  reportedAt__*), yet a console may take one, so the integration asks (see ALERT MIRRORING) and remembers:
  - where the console honours `updatedAt__gte`, alerts go as threats do (sorted by alertInfoUpdatedAt, every page): a
    cycle costs one request plus one per 1,000 changes, and finds an alert however long ago it was created;
  - where it refuses or ignores it, the open alert incidents are read back by ID, 250 per request, and those whose
    alertInfo.updatedAt moved are reported: a cycle costs one request per 250 alert incidents still open in XSOAR,
    whatever the number of alerts on the console. The integration context remembers which alert incidents are open
    (fetch adds them; closing forgets them).
  Either way a cycle never reads every alert of the tenant, and alerts created before mirroring first ran are found.
- UAM alerts: `alerts` with an updatedAt dateTimeRange from the position, sorted by updatedAt ascending, every page
  (1000 changes per request), in the fetched view type and sites.
A manual run (the `last_update` argument) lists the changes since then without reading or moving the saved position.

get-remote-data remembers per remote ID, in the integration context, whether it last saw the item resolved and which
SentinelOne notes exist. Notes are deduplicated by note ID rather than by comparing their times with lastUpdate:
lastUpdate is in XSOAR's clock and moves with every mirroring run, so a time comparison can lose or repeat a note at
the edges; an ID cannot. Closing follows the change to resolved and reopening the change back, so an incident that an
analyst reopened is not closed again by an unrelated change. Notes written from XSOAR carry OUTGOING_NOTE_PREFIX and
are not brought back in; notes brought in start with INCOMING_NOTE_HEADER and are not sent back out. The audit notes that
update-remote-system writes after each change the console accepted (mirror_audit_notes) are recognised by their fixed
texts and not brought in either.
A UAM alert costs one request, and a second one (alertNotes) only when the alert says it has notes (noteExists).
update-remote-system sends a UAM alert's verdict, status and notes in one alertTriggerActions mutation.
"""

MIRROR_STATE_VERSION = 1
MIRROR_ALERT_PREFIX = "alert:"
MIRROR_UAM_PREFIX = "uam:"
UUID_PATTERN = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
MIRROR_MAX_SEEN = 10_000  # bound on the change keys kept for the look-back (see next_fetch's max_seen)
MIRROR_CONTEXT_KEY = "mirroring"
MIRROR_CONTEXT_MAX_ITEMS = 5_000  # remote IDs remembered; the least recently changed are forgotten first
MIRROR_CONTEXT_WRITE_ATTEMPTS = 3
OUTGOING_NOTE_PREFIX = "[Cortex XSOAR] "
INCOMING_NOTE_HEADER = "**SentinelOne note**"
# The audit trail of outgoing changes: the public pack's texts, so that the notes it wrote are recognised too.
MIRROR_AUDIT_NOTES_PARAM = "mirror_audit_notes"
# The public pack's audit texts for threats; UAM alerts get the same with "alert" (their API has a note action).
AUDIT_VERDICT_NOTE = "XSOAR - Updated the {} analyst verdict to "
AUDIT_STATUS_NOTE = "XSOAR - Updated the {} status to "
AUDIT_RESOLVED_NOTE = "XSOAR - Marked as resolved"
AUDIT_NOTE_PREFIXES = (
    *(text.format(noun) for text in (AUDIT_VERDICT_NOTE, AUDIT_STATUS_NOTE) for noun in ("threat", "alert")),
    AUDIT_RESOLVED_NOTE,
)
VERDICT_LABELS = {
    "true_positive": "True positive",
    "false_positive": "False positive",
    "suspicious": "Suspicious",
    "undefined": "Undefined",
}
STATUS_LABELS = {"unresolved": "Unresolved", "in_progress": "In progress", "resolved": "Resolved"}
# The outgoing mapper's remote names first, then the incident fields' cli names (when no mapper is used).
OUTGOING_VERDICT_FIELDS = ("analystVerdict", "sentinelonethreatanalystverdict", "sentinelonealertanalystverdict")
OUTGOING_STATUS_FIELDS = ("incidentStatus", "sentinelonethreatstatus", "sentinelonealertstatus")
# close_out: the verdict a closed incident's close reason stands for. "Duplicate", "Other" and custom reasons say
# nothing about the threat itself, so they leave the verdict as it is (the threat is still resolved).
CLOSE_REASON_VERDICTS = {"false positive": "false_positive", "resolved": "true_positive"}
# UAM alerts: the outgoing mapper's remote names first, then the incident fields' cli names.
OUTGOING_UAM_VERDICT_FIELDS = ("uamAnalystVerdict", "sentineloneuamalertanalystverdict")
OUTGOING_UAM_STATUS_FIELDS = ("uamStatus", "sentineloneuamalertstatus")
UAM_CLOSE_REASON_VERDICTS = {"false positive": "false_positive_undefined", "resolved": "true_positive_undefined"}
# The outgoing endpoints (threats/analyst-verdict, threats/incident, threats/notes, alert updates) exist in 2.1 only.
OUTGOING_MIRROR_VERSIONS = ONLY_V21
FALSE_POSITIVE_CLOSE_REASON = "False Positive"
RESOLVED_CLOSE_REASON = "Resolved"


class MirrorTarget(NamedTuple):
    """The threat, alert or UAM alert a remote ID names: its ID in the stream it was fetched from."""

    remote_id: str
    object_id: str
    stream: FetchStream

    @property
    def kind(self) -> str:
        return "UAM alert" if self.stream is UAM_ALERTS else self.stream.name


def mirror_target(remote_id: Any) -> MirrorTarget:
    text = str(remote_id if remote_id is not None else "").strip()
    for prefix, stream in ((MIRROR_ALERT_PREFIX, ALERTS), (MIRROR_UAM_PREFIX, UAM_ALERTS)):
        if text.lower().startswith(prefix) and text[len(prefix) :].strip():
            return MirrorTarget(text, text[len(prefix) :].strip(), stream)
    if re.fullmatch(r"\d+", text):
        return MirrorTarget(text, text, THREATS)
    if UUID_PATTERN.fullmatch(text):  # a UAM incident fetched by the public pack
        return MirrorTarget(text, text, UAM_ALERTS)
    raise ValueError(
        f"remote ID {text!r}: expected a threat ID (digits), {MIRROR_ALERT_PREFIX}<alert ID> or {MIRROR_UAM_PREFIX}<UAM alert ID>"
    )


def api_value(value: Any) -> str | None:
    """An API or display value as the lower-case API value: "In progress", "IN_PROGRESS" -> "in_progress"."""
    if value is None or str(value).strip() == "":
        return None
    return uam_enum(value).lower()


def item_remote_id(item: JsonView, stream: FetchStream, api: ApiVersion) -> str | None:
    if stream is UAM_ALERTS:
        return None if item.get("id") in (None, "") else MIRROR_UAM_PREFIX + str(item["id"])
    if stream is ALERTS:
        identifier = alert_id(item)
        return None if identifier is None else MIRROR_ALERT_PREFIX + identifier
    threat_id = api.threat_field(item, "id")
    return None if threat_id in (None, "") else str(threat_id)


def item_updated_at(item: JsonView, stream: FetchStream, api: ApiVersion) -> datetime | None:
    if stream is UAM_ALERTS:
        return parse_item_time(item.get("updatedAt")) or parse_item_time(item.get("createdAt"))
    if stream is ALERTS:
        return parse_item_time(dig(item, "alertInfo.updatedAt")) or parse_item_time(dig(item, "alertInfo.createdAt"))
    return parse_item_time(api.threat_field(item, "updated_at")) or threat_time(item, api)


def item_status(item: JsonView, stream: FetchStream, api: ApiVersion) -> str | None:
    if stream is UAM_ALERTS:
        return api_value(item.get("status"))
    if stream is ALERTS:
        return api_value(dig(item, "alertInfo.incidentStatus"))
    status = api.threat_field(item, "incident_status")
    if status is not None:
        return api_value(status)
    resolved = api.threat_field(item, "resolved")  # API 2.0 threats have only this flag
    if resolved is None:
        return None
    return "resolved" if str(resolved).lower() == "true" else "unresolved"


def item_verdict(item: JsonView, stream: FetchStream, api: ApiVersion) -> str | None:
    if stream is UAM_ALERTS:
        return api_value(item.get("analystVerdict"))
    return api_value(dig(item, "alertInfo.analystVerdict") if stream is ALERTS else api.threat_field(item, "analyst_verdict"))


def mirror_settings(client: Client) -> FetchSettings:
    """The instance's fetch settings: mirroring covers what fetch turns into incidents, with the same site filter."""
    return fetch_settings(demisto.params(), client.api, demisto.integrationInstance() or "")


# --- get-mapping-fields ---


def get_mapping_fields_command(_client: Client, _args: Args) -> GetMappingFieldsResponse:
    response = GetMappingFieldsResponse()
    for incident_type in (THREAT_INCIDENT_TYPE, ALERT_INCIDENT_TYPE):
        scheme = SchemeTypeMapping(type_name=incident_type)
        scheme.add_field("analystVerdict", f"Analyst verdict: {', '.join(VERDICT_LABELS.values())}.")
        scheme.add_field("incidentStatus", f"Incident status: {', '.join(STATUS_LABELS.values())}.")
        response.add_scheme_type(scheme)
    uam_scheme = SchemeTypeMapping(type_name=UAM_INCIDENT_TYPE)
    uam_scheme.add_field(OUTGOING_UAM_STATUS_FIELDS[0], f"UAM alert status: {', '.join(UAM_STATUS_LABELS.values())}.")
    uam_scheme.add_field(OUTGOING_UAM_VERDICT_FIELDS[0], f"UAM alert analyst verdict: {', '.join(UAM_VERDICT_LABELS.values())}.")
    response.add_scheme_type(uam_scheme)
    return response


# --- get-modified-remote-data ---


# How a stream finds its changed items: `pages(client, settings, since)`, the items updated since, in pages.
ChangedPages = Callable[[Client, FetchSettings, datetime], Iterator[list[dict]]]


def every_page(read_page: Callable[[Json], Page], query: Json, *, overflow: str | None = None) -> Iterator[list[dict]]:
    """The pages of a query, following nextCursor; past MAX_PAGES pages, stop (or raise `overflow` when given)."""
    cursor = None
    for _ in range(MAX_PAGES):
        items, cursor = read_page(dict(query, cursor=cursor))
        yield items
        if not cursor or not items:
            return
    if overflow:
        raise DemistoException(overflow)


def modified_threat_pages(client: Client, settings: FetchSettings, since: datetime) -> Iterator[list[dict]]:
    query = {
        "updatedAt__gte": format_date(since),
        "sortBy": "updatedAt",
        "sortOrder": "asc",
        "limit": API_MAX_LIMIT,
        "siteIds": settings.site_ids,
    }
    return every_page(client.threats_page, query)


def modified_alert_pages(client: Client, settings: FetchSettings, since: datetime) -> Iterator[list[dict]]:
    """Only where the console honours the update-time filter (see alert_filter_answer)."""
    return every_page(client.alerts_page, alert_update_query(since, settings.site_ids))


def modified_uam_pages(client: Client, settings: FetchSettings, since: datetime) -> Iterator[list[dict]]:
    # No status or severity filter: a fetched alert that changed status or severity is a change to report.
    query = dict(uam_query(settings, "updatedAt", since, [uam_site_filter(settings)]), limit=API_MAX_LIMIT)
    return every_page(client.uam_alerts_page, query)


MODIFIED_STREAMS: tuple[tuple[FetchStream, ChangedPages], ...] = (
    (THREATS, modified_threat_pages),
    (ALERTS, modified_alert_pages),
    (UAM_ALERTS, modified_uam_pages),
)


def mirror_stream_state(last_mirror_run: JsonView, stream: FetchStream, last_update: datetime) -> StreamState:
    saved = last_mirror_run.get(stream.name)
    if saved is not None:
        try:
            return StreamState.from_json(saved, stream.name)
        except ValueError as error:
            demisto.debug(f"[SentinelOne] mirroring: {error}; starting the {stream.label.lower()} again from lastUpdate")
    return StreamState(since=last_update, watermark=None, seen={})


class ModifiedRemote(NamedTuple):
    """What one get-modified-remote-data run found: the remote IDs, the next mirror run, and (where alerts were read
    back by ID) what to remember of the open alert incidents."""

    remote_ids: list[str]
    next_run: Json
    open_alerts: "OpenAlertCheck | None" = None


def modified_remote_ids(
    client: Client, settings: FetchSettings, last_update: datetime, last_mirror_run: JsonView, *, manual: bool = False
) -> ModifiedRemote:
    """The remote IDs changed since the saved position (or `last_update`, the first time and in a manual run)."""
    api = client.api
    # As in fetch, the position of a stream not mirrored now (fetch_type changed) is kept: it goes on from there later.
    next_run: Json = {**last_mirror_run, "version": MIRROR_STATE_VERSION}
    next_run.pop("alert_scan_from", None)  # the start of the createdAt scan that alerts used before
    remote_ids: list[str] = []
    open_alerts: OpenAlertCheck | None = None
    for stream, changed_pages in MODIFIED_STREAMS:
        if stream not in fetch_streams(settings):
            continue
        if stream is ALERTS:
            answer = alert_filter_answer(client, last_mirror_run.get(ALERT_FILTER_KEY))
            next_run[ALERT_FILTER_KEY] = answer.to_json()
            if answer.verdict != ALERT_FILTER_HONOURED:
                open_alerts = check_open_alerts(client, context_map(OPEN_ALERTS_KEY)[1], since=last_update if manual else None)
                remote_ids.extend(MIRROR_ALERT_PREFIX + identifier for identifier in open_alerts.changed)
                next_run.pop(stream.name, None)  # an honouring console later starts from that cycle's lastUpdate
                continue
        state = mirror_stream_state(last_mirror_run, stream, last_update)

        def updated_at(item: JsonView, stream: FetchStream = stream) -> datetime | None:
            return item_updated_at(item, stream, api)

        def change_key(item: JsonView, stream: FetchStream = stream) -> str | None:
            remote_id = item_remote_id(item, stream, api)
            updated = updated_at(item)
            return None if remote_id is None else f"{remote_id}@{format_date(updated) if updated else ''}"

        changed, new_state = next_fetch(
            state,
            changed_pages(client, settings, state.since),
            limit=MAX_PAGES * API_MAX_LIMIT,
            item_id=change_key,
            created_at=updated_at,
            max_seen=MIRROR_MAX_SEEN,
        )
        remote_ids.extend(str(item_remote_id(item, stream, api)) for item in changed)
        next_run[stream.name] = new_state.to_json()
    return ModifiedRemote(list(dict.fromkeys(remote_ids)), next_run, open_alerts)


def get_modified_remote_data_command(client: Client, args: Args) -> GetModifiedRemoteDataResponse:
    client.stop_retrying_rate_limits()
    from_platform = _raw(args, "lastUpdate") is not None  # the platform passes lastUpdate; a person, last_update
    name = "lastUpdate" if from_platform else "last_update"
    last_update = parse_date(required_arg(args, name), name)
    settings = mirror_settings(client)
    last_mirror_run = get_last_mirror_run() if from_platform else {}
    modified = modified_remote_ids(client, settings, last_update, last_mirror_run, manual=not from_platform)
    if from_platform:
        if modified.open_alerts is not None:
            remember_alert_changes(modified.open_alerts)
        set_last_mirror_run(modified.next_run)
    demisto.debug(f"[SentinelOne] mirroring: {len(modified.remote_ids)} modified since {format_date(last_update)}")
    return GetModifiedRemoteDataResponse(modified.remote_ids)


# --- get-remote-data ---


class MirrorMemory(NamedTuple):
    """What get-remote-data saw of one remote item last time."""

    resolved: bool = False
    note_ids: tuple[str, ...] = ()

    def to_json(self) -> Json:
        return {"resolved": self.resolved, "notes": list(self.note_ids)}

    @classmethod
    def from_json(cls, data: Any) -> "MirrorMemory":
        if not isinstance(data, dict):
            return cls()
        notes = data.get("notes")
        return cls(
            resolved=data.get("resolved") is True, note_ids=tuple(str(n) for n in notes) if isinstance(notes, list) else ()
        )


def context_map(key: str) -> tuple[Json, Json, int]:
    """(the whole integration context, a copy of its `key` map (empty when missing), the context's version)."""
    context, version = get_integration_context_with_version()
    context = dict(context or {})
    saved = context.get(key)
    return context, dict(saved) if isinstance(saved, dict) else {}, version


def load_mirror_memory(remote_id: str) -> MirrorMemory:
    return MirrorMemory.from_json(context_map(MIRROR_CONTEXT_KEY)[1].get(remote_id))


def save_mirror_memory(remote_id: str, memory: MirrorMemory) -> None:
    def change(memories: Json) -> Json:
        memories.pop(remote_id, None)  # re-inserted last: the map's order is the order of the latest changes
        memories[remote_id] = memory.to_json()
        return dict(list(memories.items())[-MIRROR_CONTEXT_MAX_ITEMS:])

    update_context_map(MIRROR_CONTEXT_KEY, change)


def update_context_map(key: str, change: Callable[[Json], Json]) -> None:
    """Read the integration context's `key` map, change it, write it back with the context's version; retried when
    another run (fetch, another mirroring command) wrote in between, with the change applied to what that run wrote.
    Nothing is written when nothing changed. `change` gets a copy of the map (it must replace entries, not edit them)."""
    for attempt in range(1, MIRROR_CONTEXT_WRITE_ATTEMPTS + 1):
        context, current, version = context_map(key)
        changed = change(dict(current))
        if changed == current:
            return
        context[key] = changed
        try:
            set_integration_context(context, version=version)
            return
        except ValueError:  # the platform refuses a write based on an older version
            if attempt == MIRROR_CONTEXT_WRITE_ATTEMPTS:
                raise


def close_entry(verdict: str | None) -> Json:
    """`verdict` in API values (a threat's or a UAM alert's): any false positive closes as False Positive."""
    reason = FALSE_POSITIVE_CLOSE_REASON if (verdict or "").startswith("false_positive") else RESOLVED_CLOSE_REASON
    label = VERDICT_LABELS.get(verdict or "undefined") or UAM_VERDICT_LABELS.get((verdict or "").upper(), verdict)
    return {
        "Type": EntryType.NOTE,
        "Contents": {
            "dbotIncidentClose": True,
            "closeReason": reason,
            "closeNotes": f"Resolved in SentinelOne. Analyst verdict: {label}.",
        },
        "ContentsFormat": EntryFormat.JSON,
    }


def reopen_entry() -> Json:
    return {"Type": EntryType.NOTE, "Contents": {"dbotIncidentReopen": True}, "ContentsFormat": EntryFormat.JSON}


def note_entry(note: JsonView) -> Json:
    author = note.get("creator") or "unknown user"
    contents = f"{INCOMING_NOTE_HEADER} by {author} ({note.get('createdAt') or 'no date'}):\n\n{note.get('text') or ''}"
    return {"Type": EntryType.NOTE, "Contents": contents, "ContentsFormat": EntryFormat.MARKDOWN, "Note": True}


def status_entries(status: str | None, verdict: str | None, memory: MirrorMemory, close_incident: bool) -> list[dict]:
    """Close on the change to resolved, reopen on the change back (only with close_xsoar_incident)."""
    if not close_incident or status is None:
        return []
    if status == "resolved" and not memory.resolved:
        return [close_entry(verdict)]
    if status != "resolved" and memory.resolved:
        return [reopen_entry()]
    return []


def written_from_xsoar(text: str) -> bool:
    """A mirrored-out entry, or an audit note of an outgoing change (ours or the public pack's: the same texts)."""
    return text.startswith((OUTGOING_NOTE_PREFIX, *AUDIT_NOTE_PREFIXES))


def new_note_entries(notes: Iterable[JsonView], memory: MirrorMemory) -> tuple[list[dict], tuple[str, ...]]:
    """Entries for the notes not seen before (oldest first, without those written from XSOAR), and the IDs of all."""
    known = set(memory.note_ids)
    present: list[str] = []
    entries: list[dict] = []
    for note in sorted(notes, key=lambda item: str(item.get("createdAt") or "")):
        note_id = str(note.get("id") or "")
        if not note_id:
            continue
        present.append(note_id)
        if note_id not in known and not written_from_xsoar(str(note.get("text") or "")):
            entries.append(note_entry(note))
    return entries, tuple(present)


def remote_item(client: Client, target: MirrorTarget) -> Json:
    if client.api_version not in target.stream.versions:
        kind = target.kind[0].upper() + target.kind[1:]
        raise DemistoException(
            f"{kind} {target.object_id} cannot be mirrored with API version {client.api_version}: {target.kind}s need 2.1."
        )
    read = {THREATS.name: client.get_threat, ALERTS.name: client.get_alert, UAM_ALERTS.name: client.get_uam_alert}
    item = read[target.stream.name](target.object_id)
    if item is None:
        raise DemistoException(
            f"SentinelOne has no {target.kind} {target.object_id} (deleted, or outside the API token's scope)."
        )
    return item


def uam_note(note: JsonView) -> Json:
    """A UAM alert note in the threat note shape that note_entry reads."""
    author = note.get("author") or {}
    return {**note, "creator": author.get("fullName") or author.get("email") or author.get("userId")}


def item_notes(client: Client, target: MirrorTarget, item: JsonView) -> list[dict] | None:
    """The item's notes; None where there are none to read (alerts have no notes; the notes API is 2.1 only; a UAM
    alert is asked only when it says it has notes, so that an alert without notes costs one request)."""
    if target.stream is UAM_ALERTS:
        return [uam_note(note) for note in client.list_uam_alert_notes(target.object_id)] if item.get("noteExists") else None
    if target.stream is ALERTS or client.api_version != V21:
        return None
    return client.list_threat_notes(target.object_id, MAX_PAGES * API_MAX_LIMIT)[0]


def get_remote_data_command(client: Client, args: Args) -> GetRemoteDataResponse:
    client.stop_retrying_rate_limits()
    target = mirror_target(required_arg(args, "id"))
    # Not compared with the item's update time: lastUpdate is XSOAR's clock, and the item is returned whole anyway.
    last_update = parse_date(required_arg(args, "lastUpdate"), "lastUpdate")
    mirror = mirror_identity(demisto.params(), demisto.integrationInstance() or "")
    close_incident = as_bool(demisto.params(), "close_xsoar_incident", default=False)
    api = client.api
    item = remote_item(client, target)
    notes = item_notes(client, target, item)
    memory = load_mirror_memory(target.remote_id)
    status = item_status(item, target.stream, api)
    entries = status_entries(status, item_verdict(item, target.stream, api), memory, bool(close_incident))
    note_ids = memory.note_ids
    if notes is not None:
        note_entries, note_ids = new_note_entries(notes, memory)
        entries.extend(note_entries)
    new_memory = MirrorMemory(resolved=memory.resolved if status is None else status == "resolved", note_ids=note_ids)
    if new_memory != memory:
        save_mirror_memory(target.remote_id, new_memory)
    follow_mirrored_alert(target, item, entries)
    mirrored = {**item, **mapper_keys(target.stream, target.remote_id, mirror, api)}
    if target.stream is ALERTS and not item.get("id"):
        mirrored["id"] = target.object_id
    if target.stream is UAM_ALERTS:
        mirrored.update(uam_raw_keys(item))
    demisto.debug(
        f"[SentinelOne] mirroring in {target.remote_id} (lastUpdate {format_date(last_update)}, updated "
        f"{item_updated_at(item, target.stream, api)}): status {status}, {len(entries)} entries"
    )
    return GetRemoteDataResponse(mirrored, entries)


# --- update-remote-system ---


class OutgoingChanges(NamedTuple):
    """What update-remote-system sends: verdict and status (API values) and the S1 notes to write."""

    verdict: str | None = None
    status: str | None = None
    notes: tuple[str, ...] = ()
    close_notes: str = ""  # for the audit note of a resolve


class OutgoingVocabulary(NamedTuple):
    """The changed fields update-remote-system reads for one kind of item, and their values (API value -> label)."""

    verdict_fields: tuple[str, ...]
    status_fields: tuple[str, ...]
    verdict_labels: Mapping[str, str]
    status_labels: Mapping[str, str]
    close_reason_verdicts: Mapping[str, str]


THREAT_OUTGOING = OutgoingVocabulary(
    OUTGOING_VERDICT_FIELDS, OUTGOING_STATUS_FIELDS, VERDICT_LABELS, STATUS_LABELS, CLOSE_REASON_VERDICTS
)
UAM_OUTGOING = OutgoingVocabulary(
    OUTGOING_UAM_VERDICT_FIELDS,
    OUTGOING_UAM_STATUS_FIELDS,
    {value.lower(): label for value, label in UAM_VERDICT_LABELS.items()},
    {value.lower(): label for value, label in UAM_STATUS_LABELS.items()},
    UAM_CLOSE_REASON_VERDICTS,
)


def as_mapping(value: Any) -> Json:
    """`delta` / `data` as the platform sends them: a dict, or its JSON text."""
    if isinstance(value, str) and value.strip():
        value = json.loads(value)
    return dict(value) if isinstance(value, dict) else {}


def outgoing_value(delta: JsonView, names: Iterable[str], labels: Mapping[str, str]) -> str | None:
    """The first changed field among `names`, as an API value; an unknown value is an error, never a silent skip."""
    for name in names:
        raw = delta.get(name)
        if raw is None or str(raw).strip() == "":
            continue
        value = api_value(raw)
        if value not in labels:
            raise ValueError(f"{name}: expected one of {', '.join(labels.values())}, got {raw!r}")
        return value
    return None


def is_closed(inc_status: Any) -> bool:
    try:
        return int(float(str(inc_status))) == IncidentStatus.DONE
    except ValueError:
        return False


def entry_text(entry: JsonView) -> str:
    contents = entry.get("contents", entry.get("Contents"))
    return contents.strip() if isinstance(contents, str) else "" if contents is None else json.dumps(contents)


def outgoing_note(entry: JsonView) -> str | None:
    """The SentinelOne note for one mirrored XSOAR entry; None for empty entries and for notes that came from S1."""
    text = entry_text(entry)
    if not text or text.startswith(INCOMING_NOTE_HEADER):
        return None
    user = entry.get("user")
    return f"{OUTGOING_NOTE_PREFIX}{user}: {text}" if user else f"{OUTGOING_NOTE_PREFIX}{text}"


def outgoing_changes(
    update: UpdateRemoteSystemArgs, close_out: bool, vocabulary: OutgoingVocabulary = THREAT_OUTGOING, audit: bool = False
) -> OutgoingChanges:
    """With `audit`, a resolve's close notes go in its audit note ("Marked as resolved" and the notes, as the public
    pack writes it) rather than in close_out's closing note: they reach SentinelOne once either way."""
    notes = [note for note in (outgoing_note(entry) for entry in update.entries or [] if isinstance(entry, dict)) if note]
    if not argToBoolean(update.incident_changed or False):
        return OutgoingChanges(notes=tuple(notes))
    delta, data = as_mapping(update.delta), as_mapping(update.data)
    verdict = outgoing_value(delta, vocabulary.verdict_fields, vocabulary.verdict_labels)
    status = outgoing_value(delta, vocabulary.status_fields, vocabulary.status_labels)
    close_notes = str(delta.get("closeNotes") or data.get("closeNotes") or "").strip()
    if close_out and is_closed(update.inc_status):
        reason = str(delta.get("closeReason") or data.get("closeReason") or "").strip()
        verdict = verdict or vocabulary.close_reason_verdicts.get(reason.lower())
        status = "resolved"
        closing = f"{OUTGOING_NOTE_PREFIX}Incident closed. Close reason: {reason or 'none'}."
        notes.append(closing + (f" Close notes: {close_notes}" if close_notes and not audit else ""))
    return OutgoingChanges(verdict=verdict, status=status, notes=tuple(notes), close_notes=close_notes if status else "")


def require_affected(data: JsonView, target: MirrorTarget, change: str) -> None:
    if affected_count(data, 1) == 0:
        raise DemistoException(
            f"SentinelOne did not {change} of {target.kind} {target.object_id}: no {target.kind} matched "
            "(deleted, or outside the API token's scope)."
        )


def audit_note(changes: OutgoingChanges, change: str, vocabulary: OutgoingVocabulary = THREAT_OUTGOING) -> str:
    """The note recording a verdict or status change the console accepted (the public pack's texts)."""
    noun = "threat" if vocabulary is THREAT_OUTGOING else "alert"
    if change == "verdict":
        return AUDIT_VERDICT_NOTE.format(noun) + vocabulary.verdict_labels[str(changes.verdict)]
    if changes.status == "resolved":
        return AUDIT_RESOLVED_NOTE + (f"\n{changes.close_notes}" if changes.close_notes else "")
    return AUDIT_STATUS_NOTE.format(noun) + vocabulary.status_labels[str(changes.status)]


def audit_notes_wanted() -> bool:
    return bool(as_bool(demisto.params(), MIRROR_AUDIT_NOTES_PARAM, default=True))


def require_outgoing_api(client: Client) -> None:
    if client.api_version not in OUTGOING_MIRROR_VERSIONS:
        raise DemistoException(
            f"Outgoing mirroring needs API version {' or '.join(sorted(OUTGOING_MIRROR_VERSIONS))}: the verdict, status and "
            f"note endpoints do not exist in API version {client.api_version}, which this instance uses. Set the API "
            "Version parameter to 2.1, or the mirroring direction to Incoming."
        )


def send_outgoing(client: Client, target: MirrorTarget, changes: OutgoingChanges) -> None:
    """Verdict first, then status (resolving may depend on a verdict), then notes. Every failure raises.

    Nothing to send is no request, on any API version: the platform calls update-remote-system for every mirrored
    incident, also on instances whose API version cannot mirror out."""
    if changes == OutgoingChanges():
        return
    require_outgoing_api(client)
    if target.stream is UAM_ALERTS:
        send_uam_outgoing(client, target, changes)
        return
    ids = [target.object_id]
    # Alerts get no audit notes: the cloud-detection alert API has no note endpoint (sentinelone-api.md, 3.3).
    audit = target.stream is not ALERTS and audit_notes_wanted()
    if changes.verdict:
        set_verdict = client.set_alerts_verdict if target.stream is ALERTS else client.set_threats_verdict
        require_affected(set_verdict(ids, changes.verdict), target, f"set the analyst verdict {changes.verdict}")
        if audit:
            require_affected(client.add_threat_note(ids, audit_note(changes, "verdict")), target, "add the audit note")
    if changes.status:
        set_status = client.set_alerts_status if target.stream is ALERTS else client.set_threats_status
        require_affected(set_status(ids, changes.status), target, f"set the incident status {changes.status}")
        if audit:
            require_affected(client.add_threat_note(ids, audit_note(changes, "status")), target, "add the audit note")
    if target.stream is ALERTS:
        if changes.notes:
            demisto.info(
                f"[SentinelOne] mirroring: {len(changes.notes)} note(s) for {target.remote_id} not sent: alerts have no notes"
            )
        return
    for note in changes.notes:
        require_affected(client.add_threat_note(ids, note), target, "add a note")


def update_remote_system_command(client: Client, args: Args) -> str:
    update = UpdateRemoteSystemArgs(dict(args))
    target = mirror_target(update.remote_incident_id)
    close_out = as_bool(demisto.params(), "close_out", default=False)
    vocabulary = UAM_OUTGOING if target.stream is UAM_ALERTS else THREAT_OUTGOING
    changes = outgoing_changes(update, bool(close_out), vocabulary, audit=target.stream is not ALERTS and audit_notes_wanted())
    send_outgoing(client, target, changes)
    follow_outgoing_alert(target, update.inc_status)
    demisto.debug(f"[SentinelOne] mirroring out {target.remote_id}: {changes}")
    return target.remote_id


def send_uam_outgoing(client: Client, target: MirrorTarget, changes: OutgoingChanges) -> None:
    """One alertTriggerActions mutation: verdict, status, then the notes; then, once the console accepted them, one
    more with the audit notes of the verdict and status changes. Raises unless every action applied to the alert (or
    found it already so: `skip`)."""
    actions = []
    if changes.verdict:
        actions.append(uam_verdict_action(changes.verdict.upper()))
    if changes.status:
        actions.append(uam_status_action(changes.status.upper()))
    trigger_uam_alert_actions(client, target, [*actions, *(uam_note_action(note) for note in changes.notes)])
    if actions and audit_notes_wanted():
        changed = [change for change in ("verdict", "status") if getattr(changes, change)]
        trigger_uam_alert_actions(client, target, [uam_note_action(audit_note(changes, c, UAM_OUTGOING)) for c in changed])


def trigger_uam_alert_actions(client: Client, target: MirrorTarget, actions: list[Json]) -> None:
    if not actions:
        return
    (outcome,) = uam_outcomes(client.trigger_uam_actions(actions, [target.object_id]), [target.object_id], actions)
    if outcome.done is False:
        raise DemistoException(f"SentinelOne did not update {target.kind} {target.object_id}: {outcome.detail}")


MIRRORING_COMMANDS: dict[str, Command] = {
    "get-mapping-fields": Command(get_mapping_fields_command),
    "get-modified-remote-data": Command(get_modified_remote_data_command),
    "get-remote-data": Command(get_remote_data_command),
    # Both versions: the outgoing endpoints are 2.1 only, but under 2.0 an incident with nothing to send still answers.
    "update-remote-system": Command(update_remote_system_command),
}

""" ALERT MIRRORING

How get-modified-remote-data finds the changed cloud-detection alerts (see MIRRORING).

Does the alert list filter by update time? The API reference documents no such filter, yet a console may take one.
The first cycle asks with one request (probe_alert_update_filter) and the answer is kept in the last mirror run for a
day, for that console URL and API version: a day later, or on another URL or version, it asks again, so an upgraded
console is noticed. A 429, a 5xx or no answer at all is not taken for an answer: the cycle fails like any other
(saying "API rate limit" / "skip update") and the next one asks again. Manual runs ask every time (one request).
The probe is the cycle's own query (filter and sort by alertInfoUpdatedAt) with a bound no alert can reach, so a console
that takes the filter but not the sort counts as refusing: the update-time order is what lets a cycle stopped at
MAX_PAGES go on where it stopped, as for threats.

Open alert incidents. Where the console refuses or ignores the filter, incoming mirroring reads back the alerts whose
incidents are still open in XSOAR. The integration cannot list XSOAR incidents, so it keeps them in the integration
context under OPEN_ALERTS_KEY: alert ID -> [its alertInfo.updatedAt as last seen (null when not known yet), the day it
was last seen (fetched, mirrored, changed, updated from XSOAR)], least recently seen first, about 60 bytes each.
- Added by fetch (each alert incident that mirrors in, before the incidents are handed over: a failed write fails the
  run, and the next run fetches them again), by get-remote-data (an alert it mirrors) and by update-remote-system (an
  open incident, perhaps reopened, on an instance whose mirroring includes Incoming).
- Forgotten when update-remote-system sees the incident closed, when get-remote-data closes it (resolved in
  SentinelOne, with Close Mirrored XSOAR Incident), when the console no longer returns the alert (deleted, or out of
  the token's scope), after OPEN_ALERTS_MAX_AGE without being seen, and beyond the OPEN_ALERTS_MAX most recently seen.
- A cycle reads them OPEN_ALERTS_CHUNK IDs per request (a 19-digit ID takes 22 bytes of URL with its encoded comma:
  250 make a URL of about 5.5 KB, under the 8 KB request line common to web servers; the API's page limit is 1000) and
  reports each alert updated later than remembered, which it then remembers.
Every write is the context's versioned write, retried on conflict with the change applied again to what the other run
(fetch, another mirroring command) wrote, so that no run undoes another's; a remembered updatedAt only moves forward.
"""

ALERT_FILTER_KEY = "alert_update_filter"  # the remembered answer, in the last mirror run
ALERT_FILTER_HONOURED = "honoured"
ALERT_FILTER_REFUSED = "refused"
ALERT_FILTER_IGNORED = "ignored"
ALERT_FILTER_MAX_AGE = timedelta(days=1)  # asked again after this, so that a console upgrade is noticed
ALERT_UPDATE_SORT = "alertInfoUpdatedAt"  # named like the documented alertInfoCreatedAt sort
ALERT_PROBE_AHEAD = timedelta(days=365)  # the probe's bound: no alert can have been updated a year from now


def alert_update_query(since: datetime, site_ids: list[str]) -> Json:
    return {
        "updatedAt__gte": format_date(since),
        "sortBy": ALERT_UPDATE_SORT,
        "sortOrder": "asc",
        "limit": API_MAX_LIMIT,
        "siteIds": site_ids,
    }


class AlertFilterAnswer(NamedTuple):
    """What a console did with the alert list's update-time filter, when it was asked (XSOAR's clock) and which console
    (the API base URL: server and version) it was."""

    verdict: str  # ALERT_FILTER_HONOURED | ALERT_FILTER_REFUSED | ALERT_FILTER_IGNORED
    asked_at: datetime
    console: str

    def to_json(self) -> Json:
        return {"verdict": self.verdict, "asked_at": format_date(self.asked_at), "console": self.console}

    @classmethod
    def from_json(cls, data: Any) -> "AlertFilterAnswer | None":
        if not isinstance(data, dict):
            return None
        asked_at = parse_item_time(data.get("asked_at"))
        verdict, console = data.get("verdict"), data.get("console")
        if asked_at is None or verdict not in (ALERT_FILTER_HONOURED, ALERT_FILTER_REFUSED, ALERT_FILTER_IGNORED):
            return None
        return cls(verdict, asked_at, str(console))

    def holds_for(self, console: str, now: datetime) -> bool:
        return self.console == console and timedelta(0) <= now - self.asked_at < ALERT_FILTER_MAX_AGE


def probe_alert_update_filter(client: Client, now: datetime) -> str:
    """One request tells the three kinds of console apart: the alerts updated from a year ahead (none can be), sorted by
    update time, one item. An empty page: the filter is honoured. HTTP 400: refused. An alert updated before the bound:
    ignored. Anything else (429, 5xx, no answer, another error) is no answer: it raises, and nothing is remembered."""
    bound = now + ALERT_PROBE_AHEAD
    try:
        items, _cursor = client.alerts_page(dict(alert_update_query(bound, []), limit=1))
    except S1ApiError as error:
        if error.status != 400:
            raise
        demisto.debug(f"[SentinelOne] mirroring: the alert list refuses an update-time filter ({error})")
        return ALERT_FILTER_REFUSED
    if not items:
        return ALERT_FILTER_HONOURED
    updated = parse_item_time(dig(items[0], "alertInfo.updatedAt"))
    return ALERT_FILTER_HONOURED if updated is not None and updated >= bound else ALERT_FILTER_IGNORED


def alert_filter_answer(client: Client, remembered: Any) -> AlertFilterAnswer:
    """The remembered answer while it holds (same console, less than a day old); else the console is asked again."""
    now = datetime.now(timezone.utc)
    console = str(client._base_url)
    answer = AlertFilterAnswer.from_json(remembered)
    if answer is not None and answer.holds_for(console, now):
        return answer
    answer = AlertFilterAnswer(probe_alert_update_filter(client, now), now, console)
    demisto.debug(f"[SentinelOne] mirroring: the alert list's update-time filter is {answer.verdict}")
    return answer


# --- open alert incidents (where the console cannot filter by update time) ---

OPEN_ALERTS_KEY = "open_alerts"
OPEN_ALERTS_MAX = 5_000  # at most 20 requests per cycle; about 300 KB of context
OPEN_ALERTS_MAX_AGE = timedelta(days=90)
OPEN_ALERTS_CHUNK = 250


class OpenAlertCheck(NamedTuple):
    """What one read of the open alert incidents found: alert ID -> its new update time, and the IDs not returned."""

    changed: dict[str, datetime]
    missing: tuple[str, ...] = ()


def remembered_update(entry: Any) -> datetime | None:
    return parse_item_time(entry[0]) if isinstance(entry, list) and entry else None


def check_open_alerts(client: Client, tracked: JsonView, *, since: datetime | None) -> OpenAlertCheck:
    """Read the tracked alerts by ID and keep the changed ones: updated later than remembered or, in a manual run (which
    remembers nothing), at or after `since`."""
    ids = list(tracked)
    updates: dict[str, datetime | None] = {}
    for start in range(0, len(ids), OPEN_ALERTS_CHUNK):
        for page in every_page(client.alerts_page, {"ids": ids[start : start + OPEN_ALERTS_CHUNK], "limit": API_MAX_LIMIT}):
            updates.update((str(alert_id(item)), parse_item_time(dig(item, "alertInfo.updatedAt"))) for item in page)
    changed: dict[str, datetime] = {}
    for identifier in ids:
        updated, remembered = updates.get(identifier), remembered_update(tracked[identifier])
        if updated is not None and (updated >= since if since is not None else remembered is None or updated > remembered):
            changed[identifier] = updated
    return OpenAlertCheck(changed, tuple(identifier for identifier in ids if identifier not in updates))


def later_update(first: str | None, second: str | None) -> str | None:
    times = [moment for moment in (parse_item_time(first), parse_item_time(second)) if moment is not None]
    return format_date(max(times)) if times else None


def change_open_alerts(change: Callable[[Json, str], None]) -> None:
    """Apply `change(tracked, today)` to the open alert incidents, then the age and size bounds, in one versioned write."""
    now = datetime.now(timezone.utc)
    today, oldest = now.strftime("%Y-%m-%d"), (now - OPEN_ALERTS_MAX_AGE).strftime("%Y-%m-%d")

    def bounded(tracked: Json) -> Json:
        change(tracked, today)
        kept = [(key, entry) for key, entry in tracked.items() if isinstance(entry, list) and str(entry[-1]) >= oldest]
        return dict(kept[-OPEN_ALERTS_MAX:])

    update_context_map(OPEN_ALERTS_KEY, bounded)


def remember_open_alerts(updates: Mapping[str, str | None]) -> None:
    """Track these alerts (alert ID -> its updatedAt, or None when unknown) as seen today, keeping the later updatedAt."""
    if not updates:
        return

    def change(tracked: Json, today: str) -> None:
        for identifier, updated in updates.items():
            previous = tracked.pop(identifier, None)
            known = previous[0] if isinstance(previous, list) and previous else None
            tracked[identifier] = [later_update(known, updated), today]

    change_open_alerts(change)


def remember_alert_changes(check: OpenAlertCheck) -> None:
    """After a cycle: the new update times of the alerts still tracked (a concurrent close wins), the missing forgotten."""
    if not check.changed and not check.missing:
        return

    def change(tracked: Json, today: str) -> None:
        for identifier, updated in check.changed.items():
            previous = tracked.pop(identifier, None)
            if isinstance(previous, list) and previous:
                tracked[identifier] = [later_update(previous[0], format_date(updated)), today]
        for identifier in check.missing:
            tracked.pop(identifier, None)

    change_open_alerts(change)


def forget_open_alerts(alert_ids: Iterable[str]) -> None:
    def change(tracked: Json, _today: str) -> None:
        for identifier in alert_ids:
            tracked.pop(identifier, None)

    change_open_alerts(change)


def mirrors_in(direction: Any) -> bool:
    return direction in ("In", "Both")


def follow_mirrored_alert(target: MirrorTarget, item: JsonView, entries: Iterable[JsonView]) -> None:
    """get-remote-data: an alert whose incident it closes is forgotten, any other is tracked with its update time."""
    if target.stream is not ALERTS:
        return
    if any(isinstance(entry.get("Contents"), dict) and entry["Contents"].get("dbotIncidentClose") for entry in entries):
        forget_open_alerts([target.object_id])
    else:
        remember_open_alerts({target.object_id: dig(item, "alertInfo.updatedAt")})


def follow_outgoing_alert(target: MirrorTarget, inc_status: Any) -> None:
    """update-remote-system: a closed alert incident is forgotten; an open one (perhaps reopened) is tracked again."""
    if target.stream is not ALERTS:
        return
    if is_closed(inc_status):
        forget_open_alerts([target.object_id])
    elif mirrors_in(mirror_identity(demisto.params(), "").direction):
        remember_open_alerts({target.object_id: None})


""" UAM COMMANDS

Unified Alert Management alerts (API 2.1, GraphQL): list them, and set the status or the analyst verdict or add a note
through the alertTriggerActions mutation, reporting per alert what the console did. Statuses and verdicts are accepted
as the XSOAR labels or as the API values, in any case.
"""

UAM_LIST_DEFAULT_LIMIT = 50
UAM_ALERT_CONTEXT_FIELDS = {
    "ID": "id",
    "Name": "name",
    "Description": "description",
    "Severity": "severity",
    "Result": "result",
    "Classification": "classification",
    "ConfidenceLevel": "confidenceLevel",
    "AttackSurfaces": "attackSurfaces",
    "DetectionProduct": "detectionSource.product",
    "DetectionVendor": "detectionSource.vendor",
    "ExternalID": "externalId",
    "CreatedAt": "createdAt",
    "UpdatedAt": "updatedAt",
    "NoteExists": "noteExists",
    "StorylineID": "storylineId",
    "AssetID": "asset.id",
    "AssetName": "asset.name",
    "AgentUUID": "asset.agentUuid",
    "AccountID": "realTime.scope.account.id",
    "AccountName": "realTime.scope.account.name",
    "SiteID": "realTime.scope.site.id",
    "SiteName": "realTime.scope.site.name",
    "GroupID": "realTime.scope.group.id",
    "GroupName": "realTime.scope.group.name",
}
UAM_ALERT_HEADERS = ["ID", "Name", "Severity", "Status", "AnalystVerdict", "DetectionProduct", "AssetName", "CreatedAt"]


def uam_alert_entry(alert: JsonView) -> Json:
    labels = {
        "Status": uam_label(alert.get("status"), UAM_STATUS_LABELS),
        "AnalystVerdict": uam_label(alert.get("analystVerdict"), UAM_VERDICT_LABELS),
    }
    return {**pick(alert, UAM_ALERT_CONTEXT_FIELDS), **compact(labels)}


def as_uam_ids(args: Args, name: str, *, required: bool = False) -> list[str]:
    """UAM alert IDs (UUIDs; the "uam:" of an incident's mirror ID is dropped), each checked, duplicates dropped."""
    ids = [item[len(MIRROR_UAM_PREFIX) :] if item.lower().startswith(MIRROR_UAM_PREFIX) else item for item in as_list(args, name)]
    if required and not ids:
        raise ValueError(f"{name}: this argument is required")
    malformed = [item for item in ids if not UUID_PATTERN.fullmatch(item)]
    if malformed:
        raise ValueError(f"{name}: expected UAM alert IDs (UUIDs), got {', '.join(repr(item) for item in malformed)}")
    return list(dict.fromkeys(ids))


def uam_values(args: Args, name: str, labels: Mapping[str, str]) -> list[str]:
    """Statuses or verdicts given as labels or API values (any case), as API values."""
    values = []
    for item in as_list(args, name):
        value = uam_enum(item)
        if value not in labels:
            raise ValueError(
                f"{name}: expected one of {', '.join(labels.values())} (or the API values, such as "
                f"{next(iter(labels))}), got {item!r}"
            )
        values.append(value)
    return list(dict.fromkeys(values))


def uam_value(args: Args, name: str, labels: Mapping[str, str]) -> str:
    required_arg(args, name)
    values = uam_values({name: [str(args[name]).strip()]}, name, labels)  # one value: labels hold no commas to split
    return values[0]


def as_epoch_ms(args: Args, name: str) -> int | None:
    value = _raw(args, name)
    return None if value is None else epoch_ms(parse_date(value, name))


def uam_action(action_id: str, payload: Json) -> Json:
    return {"id": action_id, "payload": payload}


def uam_status_action(status: str) -> Json:
    return uam_action(UAM_STATUS_ACTION, {"status": {"value": status}})


def uam_verdict_action(verdict: str) -> Json:
    return uam_action(UAM_VERDICT_ACTION, {"analystVerdict": {"value": verdict}})


def uam_note_action(text: str) -> Json:
    return uam_action(UAM_NOTE_ACTION, {"note": {"value": text}})


def action_target_id(target: Any) -> str:
    """An id in success/failure/skip: consoles answer objects with `id` or bare id strings."""
    return str(target.get("id") if isinstance(target, dict) else target)


def action_results(answer: JsonView, actions: list[Json]) -> list[Json | None]:
    """The console's result of each action sent (None where it gave none); raises when it refused them all."""
    if answer.get("errors") or answer.get("__typename") == "TriggerActionsError":
        messages = [str(e.get("errorMessage") or e) if isinstance(e, dict) else str(e) for e in answer.get("errors") or []]
        raise DemistoException(f"SentinelOne refused the UAM alert actions: {'; '.join(messages) or 'no reason given'}")
    results = objects(answer.get("actions"))
    if not results:
        sent = ", ".join(action["id"] for action in actions)
        raise DemistoException(f"SentinelOne applied none of the UAM alert actions ({sent}): its answer lists no action.")
    if not all(result.get("actionId") for result in results):  # an answer without action ids: matched in order
        return [results[index] if index < len(results) else None for index in range(len(actions))]
    remaining = list(results)
    matched: list[Json | None] = []
    for action in actions:
        match = next((result for result in remaining if result.get("actionId") == action["id"]), None)
        if match is not None:
            remaining.remove(match)
        matched.append(match)
    return matched


def uam_outcome(alert_id: str, actions: list[Json], results: list[Json | None]) -> IdOutcome:
    """Done when every action applied to the alert (success) or found it so already (skip)."""
    failed, missing, skipped = [], [], []
    for action, result in zip(actions, results, strict=True):
        failure = next((f for f in (result or {}).get("failure") or [] if action_target_id(f) == alert_id), None)
        skip = next((k for k in (result or {}).get("skip") or [] if action_target_id(k) == alert_id), None)
        if failure is not None:
            reason = (failure.get("errorMessage") or failure.get("errorType")) if isinstance(failure, dict) else None
            failed.append(f"{action['id']} failed: {reason or 'no reason given'}")
        elif skip is not None:
            message = skip.get("skipMessage") if isinstance(skip, dict) else None
            skipped.append(f"{action['id']} skipped: {message or 'unchanged'}")
        elif alert_id not in {action_target_id(target) for target in (result or {}).get("success") or []}:
            missing.append(action["id"])
    if failed or missing:
        return IdOutcome(alert_id, False, "; ".join([*failed, *(f"no result for {action_id}" for action_id in missing)]))
    return IdOutcome(alert_id, True, "; ".join(skipped))


def uam_outcomes(answer: JsonView, alert_ids: list[str], actions: list[Json]) -> list[IdOutcome]:
    """What the console did with each alert; `done` is None while the actions are only scheduled."""
    if answer.get("executionId") or answer.get("__typename") == "TriggerActionsScheduled":
        detail = f"scheduled as execution {answer.get('executionId')}"
        return [IdOutcome(alert_id, None, detail) for alert_id in alert_ids]
    results = action_results(answer, actions)
    return [uam_outcome(alert_id, actions, results) for alert_id in alert_ids]


def uam_action_results(
    client: Client, alert_ids: list[str], action: Json, *, title: str, values: JsonView, flag: str
) -> CommandResults:
    """One action on the alerts; one context entry per alert, `flag` saying whether the alert has the change now."""
    answer = client.trigger_uam_actions([action], alert_ids)
    outcomes = uam_outcomes(answer, alert_ids, [action])
    entries = [{"ID": outcome.id, **values, flag: outcome.done is True} for outcome in outcomes]
    rows = [{**entry, "Details": outcome.detail} for entry, outcome in zip(entries, outcomes, strict=True)]
    headers = ["ID", *values, flag] + (["Details"] if any(outcome.detail for outcome in outcomes) else [])
    readable = tableToMarkdown(title, rows, headers=headers, headerTransform=pascalToSpace)
    readable += f"\n{sum(outcome.done is True for outcome in outcomes)} of {len(alert_ids)} alerts done.\n"
    return CommandResults(
        outputs_prefix="SentinelOne.UAMAlert",
        outputs_key_field="ID",
        outputs=entries,
        readable_output=readable,
        raw_response=answer,
    )


def uam_field_update(
    argument: str, labels: Mapping[str, str], make_action: Callable[[str], Json], output_key: str, title: str
) -> Callable[[Client, Args], CommandResults]:
    """The handler of a command that sets one field (status, verdict) of UAM alerts to a value from `labels`."""

    def handler(client: Client, args: Args) -> CommandResults:
        alert_ids = as_uam_ids(args, "alert_ids", required=True)
        value = uam_value(args, argument, labels)
        return uam_action_results(
            client, alert_ids, make_action(value), title=title, values={output_key: labels[value]}, flag="Updated"
        )

    return handler


update_uam_alert_status_command = uam_field_update(
    "status", UAM_STATUS_LABELS, uam_status_action, "Status", "Sentinel One - Update UAM alert status"
)
update_uam_alert_verdict_command = uam_field_update(
    "analyst_verdict", UAM_VERDICT_LABELS, uam_verdict_action, "AnalystVerdict", "Sentinel One - Update UAM alert analyst verdict"
)


def add_uam_alert_note_command(client: Client, args: Args) -> CommandResults:
    alert_ids = as_uam_ids(args, "alert_ids", required=True)
    note = required_arg(args, "note")
    return uam_action_results(
        client, alert_ids, uam_note_action(note), title="Sentinel One - Add UAM alert note", values={}, flag="NoteAdded"
    )


def uam_list_filters(args: Args) -> list[Json]:
    """The server-side filters of get-uam-alerts (ANDed); every argument is checked before any request."""
    created_from, created_until = as_epoch_ms(args, "created_from"), as_epoch_ms(args, "created_until")
    if created_from is not None and created_until is not None and created_until < created_from:
        raise ValueError("created_until: expected a time at or after created_from")
    created = compact({"start": created_from, "end": created_until})
    filters = [
        uam_filter("id", as_uam_ids(args, "alert_ids")),
        uam_filter("status", uam_values(args, "status", UAM_STATUS_LABELS)),
        uam_filter("analystVerdict", uam_values(args, "analyst_verdict", UAM_VERDICT_LABELS)),
        uam_filter("severity", many_of(args, "severity", UAM_SEVERITIES)),
        {"fieldId": "createdAt", "dateTimeRange": created} if created else None,
    ]
    return [item for item in filters if item]


def get_uam_alerts_command(client: Client, args: Args) -> CommandResults:
    params = {
        "viewType": one_of(args, "view_type", UAM_VIEW_TYPES, default="ALL"),
        "filters": uam_list_filters(args),
        "sort": {"by": "createdAt", "order": "DESC"},
        "cursor": opt_str(args, "cursor"),
    }
    name_contains = opt_str(args, "name_contains")
    limit = as_limit(args, UAM_LIST_DEFAULT_LIMIT, hi=FULL_LISTING_CAP)
    alerts, next_cursor = client.list_uam_alerts(params, limit)
    if name_contains:  # not a server filter (`name` matches exactly): applied to the alerts read
        matching = [alert for alert in alerts if name_contains.lower() in str(alert.get("name") or "").lower()]
    else:
        matching = alerts
    entries = [uam_alert_entry(alert) for alert in matching]
    readable = tableToMarkdown(
        "Sentinel One - UAM alerts", entries, headers=UAM_ALERT_HEADERS, removeNull=True, headerTransform=pascalToSpace
    )
    if name_contains:
        readable += f"\n{len(matching)} of the {len(alerts)} alerts read have a name containing {name_contains!r}.\n"
    if next_cursor:
        readable += f"\nMore results are available: use cursor={next_cursor}\n"
    return list_results("SentinelOne.UAMAlert", "ID", entries, readable, alerts, "SentinelOne.Cursor.UAMAlert", next_cursor)


UAM_COMMANDS: dict[str, Command] = {
    "sentinelone-get-uam-alerts": Command(get_uam_alerts_command, ONLY_V21),
    "sentinelone-update-uam-alert-status": Command(update_uam_alert_status_command, ONLY_V21),
    "sentinelone-update-uam-alert-verdict": Command(update_uam_alert_verdict_command, ONLY_V21),
    "sentinelone-add-uam-alert-note": Command(add_uam_alert_note_command, ONLY_V21),
}

""" MORE COMMANDS

The public pack's commands beyond the specification, and the generic `endpoint` and `file` commands.
"""

DATA_LAKE_URL_PARAM = "singularity_xdr_url"
DATA_LAKE_KEY_PARAM = "singularity_xdr_api_key"
DATA_LAKE_PRIORITIES = ("low", "high")
RELIABILITY_PARAM = "integration_reliability"
RELIABILITY_LEVELS = (
    DBotScoreReliability.A_PLUS,
    DBotScoreReliability.A,
    DBotScoreReliability.B,
    DBotScoreReliability.C,
    DBotScoreReliability.D,
    DBotScoreReliability.E,
    DBotScoreReliability.F,
)
CLOUD_FILE_UNAVAILABLE = "File not available for Download from BinaryVault"
CLOUD_FILE_UNAVAILABLE_STATUSES = frozenset({400, 404, 410})  # the console's "no such file" answers (others are errors)
BULK_IOC_REQUIRED_FIELDS = ("source", "type", "value", "method", "validUntil", "name")
ENDPOINT_VENDOR = "SentinelOne"
ENDPOINT_LOOKUP_CAP = API_MAX_LIMIT  # agents read per IP or hostname lookup (an IP lookup is a substring search)
ENDPOINT_ISOLATION = {
    "disconnected": "Yes",
    "connected": "No",
    "disconnecting": "Pending isolation",
    "connecting": "Pending unisolation",
}
FILE_HASH_TYPES = {length: name for length, name in HASH_LENGTHS.items() if name != "SHA512"}  # the file command's hashes
VERDICT_SCORES = {
    "malicious": Common.DBotScore.BAD,
    "suspicious": Common.DBotScore.SUSPICIOUS,
    "benign": Common.DBotScore.GOOD,
    "non-malicious": Common.DBotScore.GOOD,
}


# --- threats ---

THREAT_ANALYSIS_SUMMARY_FIELDS = {
    "ThreatID": "id",
    "ThreatName": "threatInfo.threatName",
    "Classification": "threatInfo.classification",
    "ConfidenceLevel": "threatInfo.confidenceLevel",
    "AnalystVerdict": "threatInfo.analystVerdict",
    "IncidentStatus": "threatInfo.incidentStatus",
    "MitigationStatus": "threatInfo.mitigationStatus",
    "FilePath": "threatInfo.filePath",
    "SHA1": "threatInfo.sha1",
    "Agent": "agentRealtimeInfo.agentComputerName",
    "AgentOS": "agentRealtimeInfo.agentOsName",
}


def threat_analysis_command(client: Client, args: Args) -> CommandResults:
    threat_id = required_id(args, "threat_id")
    analysis = client.get_threat_analysis(threat_id)
    title = f"Sentinel One - Threat analysis of threat {threat_id}"
    if not analysis:
        return CommandResults(readable_output=f"### {title}\nSentinelOne returned no analysis for this threat.\n")
    threat_info = dict(analysis.get("threatInfo") or {})
    if not threat_info.get("threatId"):  # the key of the context entry
        threat_info["threatId"] = str(analysis.get("id") or threat_id)
    entry = {
        "AgentDetectionInfo": analysis.get("agentDetectionInfo") or {},
        "AgentRealtimeInfo": analysis.get("agentRealtimeInfo") or {},
        "ThreatInfo": threat_info,
    }
    readable = tableToMarkdown(title, pick(analysis, THREAT_ANALYSIS_SUMMARY_FIELDS), headerTransform=pascalToSpace)
    mitigations = objects(analysis.get("mitigationStatus"))
    if mitigations:
        rows = [pick(item, {"Action": "action", "Status": "status", "LastUpdate": "lastUpdate"}) for item in mitigations]
        readable += tableToMarkdown("Mitigation actions", rows, headers=["Action", "Status", "LastUpdate"])
    indicators = objects(analysis.get("indicators"))
    if indicators:
        rows = [pick(item, {"Category": "category", "Description": "description"}) for item in indicators]
        readable += tableToMarkdown("Indicators", rows, headers=["Category", "Description"])
    return CommandResults(
        outputs_prefix="SentinelOne.Threat",
        outputs_key_field="ThreatInfo.threatId",
        outputs=entry,
        readable_output=readable,
        raw_response=analysis,
    )


def error_body(res: Any) -> Json:
    """The JSON object of an error answer, or {} when it has none."""
    try:
        body = res.json()
    except (ValueError, AttributeError):
        return {}
    return body if isinstance(body, dict) else {}


def threat_download_from_cloud_command(client: Client, args: Args) -> CommandResults | list[Any]:
    """The threat's file from SentinelOne's cloud (BinaryVault), when the console holds a copy of it."""
    threat_id = required_id(args, "threat_id")
    title = f"### Sentinel One - Download the file of threat {threat_id} from the cloud\n"
    try:
        answer = client.get_cloud_download_link(threat_id)
    except S1ApiError as error:
        if error.status not in CLOUD_FILE_UNAVAILABLE_STATUSES:
            raise
        answer = error_body(error.res)
    payload = answer.get("data")
    link: Json = payload if isinstance(payload, dict) else {}
    url = link.get("downloadUrl")
    if not url:
        errors = objects(answer.get("errors"))
        message = str(errors[0].get("detail") or errors[0].get("title")) if errors else CLOUD_FILE_UNAVAILABLE
        return threat_file_result(threat_id, False, message, f"{title}{message}\n")
    file_name = safe_file_name(str(link.get("fileName") or ""), fallback=f"{threat_id}.zip")
    data = client.download_url(str(url))
    readable = f"{title}Downloaded {file_name} ({len(data)} bytes).\n"
    return [threat_file_result(threat_id, True, file_name, readable), fileResult(file_name, data)]


# --- agents ---

AGENT_PROCESS_FIELDS = ("processName", "pid", "cpuUsage", "memoryUsage", "startTime", "executablePath")


def agent_processes_command(client: Client, args: Args) -> CommandResults:
    """Deprecated: SentinelOne retired agents/processes, which answers an empty list."""
    agent_ids = as_ids(args, "agents_ids", required=True)
    processes = objects(client.list_agent_processes(agent_ids))
    title = "Sentinel One - Agent processes"
    if processes:
        readable = tableToMarkdown(title, processes, headers=list(AGENT_PROCESS_FIELDS), headerTransform=pascalToSpace)
    else:
        readable = (
            f"### {title}\nNo processes: SentinelOne retired this endpoint and it always answers an empty list. "
            f"Use sentinelone-get-installed-applications agent_ids={','.join(agent_ids)} for the agents' software.\n"
        )
    return CommandResults(
        outputs_prefix="SentinelOne.Agent", outputs_key_field="pid", outputs=processes, readable_output=readable
    )


abort_endpoint_scan_command = id_action(
    "agent_ids", Client.abort_scan, title="Sentinel One - Abort endpoint scan", noun="agents",
    prefix="SentinelOne.Agent", id_key="AgentID", flag="Aborted",
)  # fmt: skip


def endpoint_fetch_logs_command(client: Client, args: Args) -> CommandResults:
    agent_ids = as_ids(args, "agent_ids", required=True)
    log_kinds = {
        "agentLogs": bool(as_bool(args, "agents_logs", default=True)),
        "customerFacingLogs": bool(as_bool(args, "customer_facing_logs", default=False)),
        "platformLogs": bool(as_bool(args, "platform_logs", default=False)),
    }
    if not any(log_kinds.values()):
        raise ValueError("agents_logs, customer_facing_logs, platform_logs: set at least one of them to true")
    data = client.fetch_agent_logs(agent_ids, log_kinds)
    kinds = ", ".join(name for name, wanted in log_kinds.items() if wanted)
    readable = (
        f"### Sentinel One - Fetch logs ({kinds})\n{action_summary(data, len(agent_ids), 'agents')}\n"
        "The logs appear in the console's activity log when the agents have uploaded them.\n"
    )
    return CommandResults(
        outputs_prefix="SentinelOne.Agent",
        outputs_key_field="Affected",
        outputs={"Affected": affected_count(data, len(agent_ids))},
        readable_output=readable,
        raw_response=data,
    )


# --- IOCs ---


def bulk_ioc(item: Any, index: int) -> Json:
    """One IOC of a bulk file, checked and normalised like create-ioc's arguments; errors name the item's index (from 0)."""
    if not isinstance(item, dict):
        raise ValueError(f"entry_id: item {index} of the file is not a JSON object")
    missing = [name for name in BULK_IOC_REQUIRED_FIELDS if opt_str(item, name) is None]
    if missing:
        raise ValueError(f"entry_id: item {index} of the file lacks {', '.join(missing)}")
    try:
        return ioc_from(item)
    except ValueError as error:
        raise ValueError(f"entry_id: item {index}: {error}") from None


def bulk_iocs_from_file(entry_id: str) -> list[Json]:
    """The IOCs of a War Room file: a UTF-8 JSON array of objects."""
    try:
        path = demisto.getFilePath(entry_id)["path"]
        with open(path, "rb") as file:
            raw = file.read()
    except Exception as error:
        raise DemistoException(f"entry_id: could not read the War Room file {entry_id!r} ({error})")
    try:
        document = json.loads(raw.decode("utf-8-sig"))
    except ValueError as error:  # also UnicodeDecodeError
        raise ValueError(f"entry_id: the file is not UTF-8 JSON ({error})")
    if not isinstance(document, list):
        raise ValueError(f"entry_id: the file must hold a JSON array of IOC objects, got a {type(document).__name__}")
    if not document:
        raise ValueError("entry_id: the file holds an empty array: no IOC to create")
    return [bulk_ioc(item, index) for index, item in enumerate(document)]


def create_bulk_ioc_command(client: Client, args: Args) -> CommandResults:
    entry_id = required_arg(args, "entry_id")
    account_ids = as_ids(args, "account_ids", required=True)
    iocs = bulk_iocs_from_file(entry_id)
    created = client.create_iocs(account_ids, iocs)
    entries = [pick(item, CREATED_IOC_FIELDS) for item in created if isinstance(item, dict)]
    readable = tableToMarkdown(
        f"Sentinel One - Create IOCs in bulk: {len(entries)} created from {len(iocs)} in the file",
        entries,
        headers=["UUID", "Name", "Type", "Source", "ValidUntil", "Scope", "ScopeId"],
        removeNull=True,
        headerTransform=pascalToSpace,
    )
    return CommandResults(
        outputs_prefix="SentinelOne.IOC",
        outputs_key_field="UUID",
        outputs=entries,
        readable_output=readable,
        raw_response=created,
    )


# --- Singularity Data Lake ---


def data_lake_settings(params: Args) -> tuple[str, str]:
    """The Data Lake URL (https only: the key travels with every query) and API key from the instance parameters."""
    url = str(params.get(DATA_LAKE_URL_PARAM) or "").strip()
    if not url:
        raise DemistoException(f"{DATA_LAKE_URL_PARAM}: set the Singularity XDR URL instance parameter to run PowerQueries")
    if not url.lower().startswith("https://"):
        raise DemistoException(f"{DATA_LAKE_URL_PARAM}: expected a URL starting with https://, got {url!r}")
    credentials = params.get(DATA_LAKE_KEY_PARAM)
    key = credentials.get("password") if isinstance(credentials, dict) else credentials
    if not key:
        raise DemistoException(f"{DATA_LAKE_KEY_PARAM}: set the Singularity XDR API Key instance parameter to run PowerQueries")
    return url, str(key)


def run_powerquery_command(client: Client, args: Args) -> CommandResults:
    """A synchronous PowerQuery on the Singularity Data Lake (not the management console's Deep Visibility)."""
    body = compact(
        {
            "query": required_arg(args, "query"),
            "startTime": as_date(args, "start_time"),
            "endTime": as_date(args, "end_time"),
            "priority": one_of(args, "priority", DATA_LAKE_PRIORITIES, default="low"),
            "recurring": as_bool(args, "recurring"),
            "teamEmails": as_list(args, "team_emails"),
        }
    )
    if body.get("startTime") and body.get("endTime") and body["startTime"] > body["endTime"]:
        raise ValueError(f"start_time: must not be after end_time ({body['startTime']} > {body['endTime']})")
    url, key = data_lake_settings(demisto.params())
    try:
        answer = client.run_data_lake_power_query(url, key, body)
    except S1ApiError as error:
        if error.status in (401, 403):
            raise DemistoException(
                f"The Singularity Data Lake refused the API key [{error.status}]: check the {DATA_LAKE_KEY_PARAM} parameter "
                f"(a Data Lake key with Log Read access). {api_error_text(error.res)}"
            )
        raise
    status = str(answer.get("status") or "")
    if status.lower().startswith("error"):
        raise DemistoException(
            f"The Singularity Data Lake did not run the query: {status}: {answer.get('message') or ''}".strip()
        )
    columns = [str(column.get("name")) for column in answer.get("columns") or [] if isinstance(column, dict)]
    rows = [dict(zip(columns, row, strict=False)) for row in answer.get("values") or [] if isinstance(row, list)]
    entry = {
        "status": answer.get("status"),
        "matchingEvents": answer.get("matchingEvents"),
        "omittedEvents": answer.get("omittedEvents"),
        "results": rows,
    }
    title = "Sentinel One - PowerQuery results (Singularity Data Lake)"
    readable = tableToMarkdown(title, rows, headers=columns) if rows else f"### {title}\nThe query matched no events.\n"
    readable += f"\nMatching events: {answer.get('matchingEvents')}; omitted events: {answer.get('omittedEvents')}.\n"
    return CommandResults(
        outputs_prefix="SentinelOne.PowerQuery.Results", outputs=entry, readable_output=readable, raw_response=answer
    )


# --- Singularity Marketplace and service users ---

INSTALLED_APP_FIELDS = {
    "ID": "id",
    "Account": "account",
    "AccountId": "accountId",
    "ApplicationCatalogId": "applicationCatalogId",
    "ApplicationCatalogName": "applicationCatalogName",
    "AlertMessage": "alertMessage",
    "CreatedAt": "createdAt",
    "Creator": "creator",
    "CreatorId": "creatorId",
    "DesiredStatus": "desiredStatus",
    "HasAlert": "hasAlert",
    "LastEntityCreatedAt": "lastEntityCreatedAt",
    "Modifier": "modifier",
    "ModifierId": "modifierId",
    "ScopeId": "scopeId",
    "ScopeLevel": "scopeLevel",
    "Status": "status",
    "UpdatedAt": "updatedAt",
    "ApplicationInstanceName": "applicationInstanceName",
}


def application_scopes(application: JsonView) -> list[Json]:
    """An installed application is one record per scope it is installed in, with the catalog entry's ID and name."""
    catalog = {"applicationCatalogId": application.get("applicationCatalogId"), "applicationCatalogName": application.get("name")}
    return [{**scope, **catalog} for scope in application.get("scopes") or [] if isinstance(scope, dict)]


LIST_MARKETPLACE_APPLICATIONS = ListCommand(
    path="singularity-marketplace/applications",
    prefix="SentinelOne.InstalledApps",
    key="ID",
    title="Sentinel One - Installed Singularity Marketplace Applications",
    params={
        "accountIds": arg("account_ids", as_ids),
        "applicationCatalogId": arg("application_catalog_id"),
        "creator__contains": arg("creator_contains"),
        "id": arg("ids", as_ids),
        "name__contains": arg("name_contains"),
        "siteIds": arg("site_ids", as_ids),
    },
    entry=entry_from(INSTALLED_APP_FIELDS, keep_nulls=True),
    limit_default=FULL_LISTING_CAP,
    limit_max=FULL_LISTING_CAP,
    cursor_drops_limit=True,
    flatten=application_scopes,
    headers=[
        "ID",
        "ApplicationCatalogName",
        "ApplicationInstanceName",
        "Account",
        "ScopeLevel",
        "Status",
        "Creator",
        "UpdatedAt",
    ],
)

SERVICE_USER_FIELDS = {
    "ID": "id",
    "Name": "name",
    "Description": "description",
    "Scope": "scope",
    "LastActivation": "lastActivation",
    "ApiTokenCreatedAt": "apiToken.createdAt",
    "ApiTokenExpiresAt": "apiToken.expiresAt",
    "CreatedAt": "createdAt",
    "CreatedById": "createdBy.id",
    "CreatedByName": "createdBy.name",
    "UpdatedAt": "updatedAt",
    "UpdatedById": "updatedBy.id",
    "UpdatedByName": "updatedBy.name",
}

SERVICE_USER_ROLE_FIELDS = {
    "ScopeRolesRoleId": "roleId",
    "ScopeRolesRoleName": "roleName",
    "ScopeRolesAccountName": "accountName",
    "ScopeRolesId": "id",
}


def service_user_entry(user: JsonView, _client: Any = None) -> Json:
    """The user's fields and those of its first scope role (the console lists one per scope)."""
    roles = objects(user.get("scopeRoles"))
    return {**pick(user, SERVICE_USER_FIELDS), **(pick(roles[0], SERVICE_USER_ROLE_FIELDS) if roles else {})}


GET_SERVICE_USERS = ListCommand(
    path="service-users",
    prefix="SentinelOne.ServiceUsers",
    key="ID",
    title="Sentinel One - Service Users",
    params={
        "accountIds": arg("account_ids", as_ids),
        "roleIds": arg("role_ids", as_ids),
        "ids": arg("ids", as_ids),
        "siteIds": arg("site_ids", as_ids),
    },
    entry=service_user_entry,
    limit_default=FULL_LISTING_CAP,
    limit_max=FULL_LISTING_CAP,
    cursor_drops_limit=True,
    headers=["ID", "Name", "Description", "Scope", "ApiTokenExpiresAt", "LastActivation"],
)


# --- generic endpoint command ---


def as_ips(args: Args, name: str) -> list[str]:
    """IPv4 or IPv6 addresses, each checked, duplicates dropped (order kept)."""
    addresses = []
    for item in as_list(args, name):
        try:
            addresses.append(str(ipaddress.ip_address(item)))
        except ValueError:
            raise ValueError(f"{name}: expected IP addresses, got {item!r}")
    return list(dict.fromkeys(addresses))


def agent_interfaces(agent: JsonView) -> list[tuple[list[str], str | None]]:
    """(addresses, MAC) of each network interface of an agent."""
    found = []
    for interface in agent.get("networkInterfaces") or []:
        if isinstance(interface, dict):
            addresses = [str(value) for key in ("inet", "inet6") for value in interface.get(key) or []]
            found.append((addresses, interface.get("physical")))
    return found


def endpoint_address(agent: JsonView, wanted_ips: Iterable[str]) -> tuple[str | None, str | None]:
    """(IP, MAC) to report: the address the agent was searched by, else the first interface's first address."""
    interfaces = [(addresses, mac) for addresses, mac in agent_interfaces(agent) if addresses]
    for ip in wanted_ips:
        for addresses, mac in interfaces:
            if ip in addresses:
                return ip, mac
    return (interfaces[0][0][0], interfaces[0][1]) if interfaces else (None, None)


def endpoint_indicator(agent: JsonView, wanted_ips: Iterable[str]) -> Common.Endpoint:
    ip, mac = endpoint_address(agent, wanted_ips)
    return Common.Endpoint(
        id=str(agent.get("id")),
        hostname=agent.get("computerName"),
        ip_address=ip,
        domain=agent.get("domain"),
        mac_address=mac,
        os=agent.get("osName"),
        os_version=agent.get("osRevision"),
        model=agent.get("modelName"),
        memory=agent.get("totalMemory"),
        processors=agent.get("cpuCount"),
        processor=agent.get("cpuId"),
        vendor=ENDPOINT_VENDOR,
        status="Online" if agent.get("isActive") else "Offline",
        is_isolated=ENDPOINT_ISOLATION.get(str(agent.get("networkStatus") or "").lower()),
    )


def find_endpoint_agents(client: Client, ids: list[str], ips: list[str], hostnames: list[str]) -> tuple[list[dict], list[str]]:
    """The agents matching any of the IDs, IPs (exactly, on any interface) or hostnames (case-insensitively), each once;
    and a description of each searched value no agent matched."""
    found: dict[str, dict] = {}
    missing = []
    if ids:
        agents, _cursor = client.list_agents({"ids": ids}, len(ids))
        found.update({str(agent.get("id")): agent for agent in agents if str(agent.get("id")) in ids})
        missing += [f"id {agent_id}" for agent_id in ids if agent_id not in found]
    if ips:
        # networkInterfaceInet__contains is a substring search ("10.0.0.1" also finds 10.0.0.12): keep exact matches.
        agents, _cursor = client.list_agents({"networkInterfaceInet__contains": ips}, ENDPOINT_LOOKUP_CAP)
        for ip in ips:
            matches = [agent for agent in agents if any(ip in addresses for addresses, _mac in agent_interfaces(agent))]
            found.update({str(agent.get("id")): agent for agent in matches})
            missing += [] if matches else [f"ip {ip}"]
    for hostname in hostnames:
        agents, _cursor = client.list_agents({"computerName": hostname}, ENDPOINT_LOOKUP_CAP)
        matches = [agent for agent in agents if str(agent.get("computerName") or "").lower() == hostname.lower()]
        found.update({str(agent.get("id")): agent for agent in matches})
        missing += [] if matches else [f"hostname {hostname}"]
    return list(found.values()), missing


def endpoint_command(client: Client, args: Args) -> CommandResults:
    ids = as_ids(args, "id")
    ips = as_ips(args, "ip")
    hostnames = list(dict.fromkeys(as_list(args, "hostname")))
    if not (ids or ips or hostnames):
        raise ValueError("id, ip, hostname: give at least one of them")
    agents, missing = find_endpoint_agents(client, ids, ips, hostnames)
    title = "Sentinel One - Endpoints"
    note = f"\nNo endpoint found for {', '.join(missing)}.\n" if missing else ""
    if not agents:
        return CommandResults(readable_output=f"### {title}\nNo endpoint found.{note}")
    endpoints = [endpoint_indicator(agent, ips) for agent in agents]
    rows = [endpoint.to_context()[Common.Endpoint.CONTEXT_PATH] for endpoint in endpoints]
    readable = tableToMarkdown(
        title,
        rows,
        headers=["ID", "Hostname", "IPAddress", "MACAddress", "OS", "OSVersion", "Domain", "Status", "IsIsolated"],
        removeNull=True,
    )
    return CommandResults(readable_output=readable + note, indicators=endpoints, raw_response=agents)


# --- generic file reputation command ---


def as_file_hashes(args: Args, name: str) -> list[str]:
    """MD5, SHA1 or SHA256 hashes in hex (told apart by length), duplicates dropped (order kept)."""
    hashes = as_list(args, name, required=True)
    malformed = [item for item in hashes if len(item) not in FILE_HASH_TYPES or not re.fullmatch(r"[0-9a-fA-F]+", item)]
    if malformed:
        raise ValueError(f"{name}: expected MD5, SHA1 or SHA256 hashes in hex, got {', '.join(repr(item) for item in malformed)}")
    return list(dict.fromkeys(hashes))


def reliability_from(params: Args) -> str:
    reliability = str(params.get(RELIABILITY_PARAM) or DBotScoreReliability.B)
    if reliability not in RELIABILITY_LEVELS:
        raise DemistoException(f"{RELIABILITY_PARAM}: expected one of {', '.join(RELIABILITY_LEVELS)}, got {reliability!r}")
    return reliability


def file_reputation(file_hash: str, verdict: str | None, reliability: str) -> CommandResults:
    score = VERDICT_SCORES.get(str(verdict or "").lower(), Common.DBotScore.NONE)
    hash_type = FILE_HASH_TYPES[len(file_hash)]
    dbot_score = Common.DBotScore(
        indicator=file_hash,
        indicator_type=DBotScoreType.FILE,
        integration_name=INTEGRATION_NAME,
        score=score,
        malicious_description=f"SentinelOne verdict: {verdict}" if score == Common.DBotScore.BAD else None,
        reliability=reliability,
        message="No results found" if score == Common.DBotScore.NONE else None,
    )
    indicator = Common.File(dbot_score, **{hash_type.lower(): file_hash})
    row = {"Hash": file_hash, "Type": hash_type, "Verdict": verdict or "none", "Score": dbot_score.to_readable()}
    return CommandResults(
        readable_output=tableToMarkdown(f"Sentinel One - File reputation of {file_hash}", row, headers=list(row)),
        indicator=indicator,
        raw_response={"hash": file_hash, "verdict": verdict},
    )


def file_command(client: Client, args: Args) -> list[CommandResults]:
    hashes = as_file_hashes(args, "file")
    reliability = reliability_from(demisto.params())
    return [file_reputation(file_hash, client.get_hash_verdict(file_hash).get("verdict"), reliability) for file_hash in hashes]


MORE_COMMANDS: dict[str, Command] = {
    "sentinelone-threat-analysis": Command(threat_analysis_command, ONLY_V21),
    "sentinelone-threat-download-from-cloud": Command(threat_download_from_cloud_command, ONLY_V21),
    "sentinelone-agent-processes": Command(agent_processes_command, ONLY_V20),
    "sentinelone-abort-endpoint-scan": Command(abort_endpoint_scan_command),
    "sentinelone-endpoint-fetch-logs": Command(endpoint_fetch_logs_command),
    "sentinelone-create-bulk-ioc": Command(create_bulk_ioc_command, ONLY_V21),
    "sentinelone-run-powerquery": Command(run_powerquery_command),
    "sentinelone-list-installed-singularity-marketplace-applications": Command(LIST_MARKETPLACE_APPLICATIONS, ONLY_V21),
    "sentinelone-get-service-users": Command(GET_SERVICE_USERS, ONLY_V21),
    "endpoint": Command(endpoint_command),
    "file": Command(file_command),
}

""" UNIFIED EXCLUSIONS AND THREAT EXPORTS

The newest public pack's commands (API 2.1): unified exclusions (get, create, delete) and the two threat exports,
which return JSON files written to disk as they arrive, so that a large export never sits whole in memory.
"""

UNIFIED_EXCLUSION_MODE_TYPES = ("suppression", "interoperability", "performance")
# Suggested reasons (the console's own list is longer: other values pass through).
UNIFIED_EXCLUSION_REASONS = ("false_positive", "performance_issue", "interoperability", "other")
UNIFIED_EXCLUSION_SCOPE_LEVELS = ("global", "account", "site", "group")
UNIFIED_EXCLUSION_FIELDS = {
    "ID": "id",
    "Name": "exclusionName",
    "Type": "type",
    "Value": "value",
    "OsType": "osType",
    "ModeType": "modeType",
    "PathExclusionType": "pathExclusionType",
    "ThreatType": "threatType",
    "Engines": "engines",
    "Reason": "reason",
    "Description": "description",
    "Source": "source",
    "ScopeName": "scopeName",
    "ScopePath": "scopePath",
    "UserName": "userName",
    "CreatedAt": "createdAt",
    "UpdatedAt": "updatedAt",
}
UNIFIED_EXCLUSION_HEADERS = ["ID", "Name", "Type", "Value", "OsType", "ModeType", "ScopeName", "Description"]
THREAT_EVENTS_FILE = "threats_{threat_id}.json"
THREAT_TIMELINE_FILE = "{threat_id}_timeline.json"
EXPORT_CHUNK_BYTES = 64 * 1024

unified_exclusion_entry = hash_valued_entry(UNIFIED_EXCLUSION_FIELDS)

GET_UNIFIED_EXCLUSIONS = ListCommand(
    path="unified-exclusions",
    prefix="SentinelOne.UnifiedExclusion",
    key="ID",
    title="Sentinel One - Unified exclusions",
    params={
        "exclusionName__contains": arg("name_contains"),
        "types": arg("exclusion_types", many_of, allowed=EXCLUSION_TYPES),
        "osTypes": arg("os_types", many_of, allowed=OS_TYPES),
        "siteIds": arg("site_ids", as_ids),
        "groupIds": arg("group_ids", as_ids),
        "accountIds": arg("account_ids", as_ids),
        "cursor": arg("cursor"),
    },
    entry=unified_exclusion_entry,
    limit_default=50,
    limit_max=FULL_LISTING_CAP,  # more than one page of 1,000: the command follows the cursor
    cursor_output="SentinelOne.Cursor.UnifiedExclusion",
    headers=UNIFIED_EXCLUSION_HEADERS,
)


def unified_exclusion_scope(args: Args) -> Json:
    """The `filter` of a create: the tenant for the global scope, otherwise the scope level and its ID."""
    level = required_choice(args, "scope_level", UNIFIED_EXCLUSION_SCOPE_LEVELS)
    if level == "global":
        if opt_str(args, "scope_level_id") is not None:
            raise ValueError("scope_level_id: not used with scope_level global (the exclusion applies everywhere)")
        return {"tenant": True}
    if opt_str(args, "scope_level_id") is None:
        raise ValueError(f"scope_level_id: required when scope_level is {level} (the ID of that {level})")
    return {"scopeLevel": level, "scopeLevelId": required_id(args, "scope_level_id")}


def unified_exclusion_value(args: Args, exclusion_type: str) -> str:
    value = required_arg(args, "value")
    if exclusion_type == "white_hash" and not re.fullmatch(r"[0-9a-fA-F]{40}|[0-9a-fA-F]{64}", value):
        raise ValueError(f"value: a white_hash exclusion needs a SHA1 or SHA256 hash in hex, got {value!r}")
    return value


def create_unified_exclusion_command(client: Client, args: Args) -> CommandResults:
    exclusion_type = required_choice(args, "exclusion_type", EXCLUSION_TYPES)
    path_type = one_of(args, "path_exclusion_type", PATH_EXCLUSION_TYPES)
    if path_type and exclusion_type != "path":
        raise ValueError(f"path_exclusion_type: only used with exclusion_type path, not {exclusion_type}")
    exclusion = compact(
        {
            "exclusionName": required_arg(args, "exclusion_name"),
            "type": exclusion_type,
            "value": unified_exclusion_value(args, exclusion_type),
            "osType": required_choice(args, "os_type", OS_TYPES),
            # Only suppression is proven: the others are suggested, and what a console offers beyond them goes through.
            "modeType": required_choice(args, "mode_type", UNIFIED_EXCLUSION_MODE_TYPES, open_set=True),
            "pathExclusionType": path_type,
            "reason": one_of(args, "reason", UNIFIED_EXCLUSION_REASONS, open_set=True),
            "description": opt_str(args, "description"),
        }
    )
    scope = unified_exclusion_scope(args)
    created = first_created(client.create_unified_exclusion(exclusion, scope), "unified exclusion", "the exclusions list")
    entry = unified_exclusion_entry(created, client)
    return CommandResults(
        outputs_prefix="SentinelOne.UnifiedExclusion",
        outputs_key_field="ID",
        outputs=entry,
        readable_output=tableToMarkdown(
            "Sentinel One - Unified exclusion created",
            entry,
            headers=UNIFIED_EXCLUSION_HEADERS,
            removeNull=True,
            headerTransform=pascalToSpace,
        ),
        raw_response=created,
    )


def delete_unified_exclusions_command(client: Client, args: Args) -> CommandResults:
    """Delete exclusions given as IDs and their types, paired by position (the API needs the type of each)."""
    as_ids(args, "ids", required=True)  # each ID checked; the list itself keeps its positions for the pairing
    ids = as_list(args, "ids")
    types = many_of(args, "exclusion_types", EXCLUSION_TYPES)
    if len(ids) != len(types):
        raise ValueError(
            f"ids, exclusion_types: give one exclusion type per ID, in the same order (got {len(ids)} IDs and {len(types)} types)"
        )
    pairs = list(dict.fromkeys(zip(ids, types, strict=True)))  # a pair given twice is deleted once
    paired_ids = [exclusion_id for exclusion_id, _ in pairs]
    clashing = sorted({exclusion_id for exclusion_id in paired_ids if paired_ids.count(exclusion_id) > 1})
    if clashing:
        raise ValueError(f"ids: each ID has one exclusion type, but these are given with two: {', '.join(clashing)}")
    data = client.delete_unified_exclusions([{"id": exclusion_id, "type": kind} for exclusion_id, kind in pairs])
    return id_action_results(
        [exclusion_id for exclusion_id, _ in pairs],
        data,
        title="Sentinel One - Delete unified exclusions",
        noun="unified exclusions",
        prefix="SentinelOne.UnifiedExclusion",
        flag="Deleted",
    )


def new_items_json(page: Iterable[Any], previous_ids: set[str]) -> tuple[list[bytes], set[str]]:
    """The JSON of each item of `page` not already written with the previous page (a cursor that re-serves the items
    at a page boundary must not duplicate them), and the ids of this page."""
    chunks, ids = [], set()
    for item in page:
        item_id = item.get("id") if isinstance(item, dict) else None
        if item_id is not None:
            if str(item_id) in previous_ids or str(item_id) in ids:
                continue
            ids.add(str(item_id))
        chunks.append(json.dumps(item).encode("utf-8"))
    return chunks, ids


def write_json_array(pages: Iterable[Iterable[Any]], stream: IO[bytes]) -> int:
    """Write the items of `pages` to `stream` as one JSON array, each item once; returns how many.

    Each page is released before the next one is asked for, and only the previous page's ids are kept, so that memory
    holds about one page whatever the export's size.
    """
    previous_ids: set[str] = set()
    written = 0
    stream.write(b"[")
    iterator = iter(pages)
    while (page := next(iterator, None)) is not None:
        chunks, previous_ids = new_items_json(page, previous_ids)
        del page
        for chunk in chunks:
            stream.write(b",\n" if written else b"\n")
            stream.write(chunk)
            written += 1
    stream.write(b"\n]\n")
    return written


def write_response_body(response: Any, stream: IO[bytes]) -> int:
    """Copy a streamed response body to `stream` in chunks; returns the number of bytes."""
    try:
        for chunk in response.iter_content(chunk_size=EXPORT_CHUNK_BYTES):
            stream.write(chunk)
    finally:
        response.close()
    return stream.tell()


def exported_file(file_name: str, write: Callable[[IO[bytes]], int]) -> tuple[Json, int, int]:
    """A file entry whose content `write` streams to disk: (entry, what `write` returned, size in bytes).

    The file is written in the working folder, where fileResult writes, and handed over as it is; a failed export
    leaves no partial file behind."""
    path = f"export_{demisto.uniqueFile()}"
    try:
        with open(path, "wb") as stream:
            written = write(stream)
            size = stream.tell()
        return file_result_existing_file(path, file_name), written, size
    except BaseException:
        if os.path.exists(path):
            os.remove(path)
        raise


def export_results(prefix: str, entry: Json, readable: str, file_entry: Json) -> list[Any]:
    return [
        CommandResults(outputs_prefix=prefix, outputs_key_field="ThreatId", outputs=entry, readable_output=readable),
        file_entry,
    ]


def export_threat_events_command(client: Client, args: Args) -> list[Any]:
    threat_id = required_id(args, "threat_id")
    file_name = THREAT_EVENTS_FILE.format(threat_id=threat_id)
    file_entry, size, _ = exported_file(
        file_name, lambda stream: write_response_body(client.export_threat_events(threat_id), stream)
    )
    entry = {"ThreatId": threat_id, "Filename": file_name, "Size": size}
    readable = f"### Sentinel One - Events of threat {threat_id}\nExported to {file_name} ({size} bytes, JSON).\n"
    return export_results("SentinelOne.Export.Events", entry, readable, file_entry)


def export_full_threat_timeline_command(client: Client, args: Args) -> list[Any]:
    threat_id = required_id(args, "threat_id")
    file_name = THREAT_TIMELINE_FILE.format(threat_id=threat_id)
    file_entry, items, size = exported_file(
        file_name, lambda stream: write_json_array(client.threat_timeline_pages(threat_id), stream)
    )
    entry = {"ThreatId": threat_id, "Filename": file_name, "Items": items, "Size": size}
    readable = (
        f"### Sentinel One - Full timeline of threat {threat_id}\n"
        f"Exported {items} timeline items, oldest first, to {file_name} ({size} bytes, a JSON array).\n"
    )
    return export_results("SentinelOne.Export.Timeline", entry, readable, file_entry)


NEWER_COMMANDS: dict[str, Command] = {
    "sentinelone-get-unified-exclusions": Command(GET_UNIFIED_EXCLUSIONS, ONLY_V21),
    "sentinelone-create-unified-exclusion": Command(create_unified_exclusion_command, ONLY_V21),
    "sentinelone-delete-unified-exclusions": Command(delete_unified_exclusions_command, ONLY_V21),
    "sentinelone-export-threat-events": Command(export_threat_events_command, ONLY_V21),
    "sentinelone-export-full-threat-timeline": Command(export_full_threat_timeline_command, ONLY_V21),
}

""" TEST MODULE """


def test_module(client: Client, params: Args) -> str:
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
    if argToBoolean(params.get("isFetch") or False):
        return fetch_settings_problem(client, params) or "ok"
    return "ok"


""" DISPATCH """

COMMANDS: dict[str, Command] = {
    **QUERY_COMMANDS,
    **ACTION_COMMANDS,
    **POLLING_COMMANDS,
    **MIRRORING_COMMANDS,
    **UAM_COMMANDS,
    **MORE_COMMANDS,
    **NEWER_COMMANDS,
}


def command_handler(command: str, api_version: str) -> Callable[[Client, Args], Any]:
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


def api_token_from(params: Args) -> str:
    """The credentials parameter first, the deprecated token parameter second."""
    credentials = params.get("credentials") or {}
    token = (credentials.get("password") if isinstance(credentials, dict) else None) or params.get("token")
    if not token:
        raise DemistoException("No API token: set the API Token parameter (the deprecated API Token field is also read).")
    return str(token)


def build_client(params: Args) -> Client:
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
        elif command == "fetch-incidents":
            open_alerts: dict[str, str | None] = {}
            incidents, next_run = fetch_incidents(client, params, open_alerts)
            remember_open_alerts(open_alerts)  # first: if it fails, the next run fetches them again
            demisto.incidents(incidents)
            demisto.setLastRun(next_run)  # last: a run that failed before this point leaves the state as it was
        else:
            handler = command_handler(command, client.api_version)
            return_results(handler(client, demisto.args()))
    except Exception as error:
        return_error(f"Failed to execute {command} command. Error: {error}", error=error)


if __name__ in ("__main__", "__builtin__", "builtins"):
    main()
