"""Unified Alert Management (UAM) alerts: their storage, filters, views, keyset pages and the `alertTriggerActions`
actions. The GraphQL layer is `api/uam.py`; the seeded alerts come from `uam_seed.py`.

Alerts are stored as the GraphQL node itself (the API's field names, nothing of the simulator's own), keyed by id.
Beside them, four sorted key lists (createdAt and updatedAt, each ascending and descending) hold `(millis, id)`
keys, so a page is a bisect to the cursor (and to a date range on the sort field) plus a walk of about `first`
alerts: the cost of a page grows with the page, not with the tenant. The descending lists hold `(-millis, id)` so
that ties stay in ascending id order in both directions, as the contract says.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import json
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from s1sim.clock import UTC, epoch_millis, parse_timestamp
from s1sim.ids import random_uuid

Record = dict[str, Any]
Predicate = Callable[[Record], bool]

SEVERITIES = ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO")
STATUSES = ("NEW", "IN_PROGRESS", "RESOLVED")
# The 20 analyst verdicts of newer-public-pack.md §1.6.
ANALYST_VERDICTS = (
    "FALSE_POSITIVE_BENIGN",
    "FALSE_POSITIVE_BENIGN_BUT_SUSPICIOUS",
    "FALSE_POSITIVE_SYSTEM_ERROR",
    "FALSE_POSITIVE_UNDEFINED",
    "FALSE_POSITIVE_USER_ERROR",
    "TRUE_POSITIVE_ADVANCED_PERSISTENT_THREAT",
    "TRUE_POSITIVE_BENIGN",
    "TRUE_POSITIVE_BENIGN_BUT_SUSPICIOUS",
    "TRUE_POSITIVE_DATA_EXFILTRATION",
    "TRUE_POSITIVE_DENIAL_OF_SERVICE",
    "TRUE_POSITIVE_EXPLOITATION_TOOLS",
    "TRUE_POSITIVE_INSIDER_THREAT",
    "TRUE_POSITIVE_MALWARE",
    "TRUE_POSITIVE_PHISHING_ATTACK",
    "TRUE_POSITIVE_POLICY_VIOLATION",
    "TRUE_POSITIVE_PUA_ADWARE",
    "TRUE_POSITIVE_RANSOMWARE",
    "TRUE_POSITIVE_UNAUTHORIZED_ACCESS",
    "TRUE_POSITIVE_UNDEFINED",
    "UNDEFINED",
)
VIEW_TYPES = ("ALL", "CLOUD", "CUSTOM_ALERTS", "ENDPOINT", "IDENTITY", "STAR", "THIRD_PARTY")
SORT_FIELDS = ("createdAt", "updatedAt")
ORDERS = ("ASC", "DESC")
MAX_FIRST = 1000
SENTINELONE_VENDOR = "SentinelOne"

STATUS_ACTION = "S1/alert/statusUpdate"
VERDICT_ACTION = "S1/alert/analystVerdictUpdate"
NOTE_ACTION = "S1/alert/addNote"

# Who writes a note through the control surface (a person in the console), as opposed to the API token's user, who
# writes the notes sent through the mutation. Not in the published facts: chosen so that a mirroring test can tell a
# console note from one the integration wrote.
CONSOLE_ANALYST = {"userId": "1800000000000000042", "fullName": "Console Analyst", "email": "console.analyst@example.com"}


class UamInputError(ValueError):
    """A request the API answers with a GraphQL error; the message names the argument."""

    def __init__(self, message: str, code: str = "BAD_USER_INPUT") -> None:
        super().__init__(message)
        self.extensions = {"code": code}


# --- timestamps: ISO-8601 with milliseconds and Z, keyed by epoch milliseconds ------------------------------------
def format_millis(moment: datetime) -> str:
    """`2026-12-07T10:00:00.123Z` (UTC, milliseconds)."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def millis_of(text: Any) -> int:
    """Epoch milliseconds of a stored ISO-8601 timestamp (ValueError for anything else)."""
    if not isinstance(text, str):
        raise ValueError(f"not an ISO-8601 timestamp: {text!r}")
    return epoch_millis(parse_timestamp(text))


# --- filters ------------------------------------------------------------------------------------------------------
def nested(*keys: str) -> Callable[[Record], Any]:
    """A getter through nested objects that yields None where any level is null or missing."""

    def get(alert: Record) -> Any:
        value: Any = alert
        for key in keys:
            if not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value

    return get


STRING_FIELDS: dict[str, Callable[[Record], Any]] = {
    "id": nested("id"),
    "name": nested("name"),
    "status": nested("status"),
    "severity": nested("severity"),
    "analystVerdict": nested("analystVerdict"),
    "result": nested("result"),
    "classification": nested("classification"),
    "detectionProduct": nested("detectionSource", "product"),
    "siteId": nested("realTime", "scope", "site", "id"),
    "groupId": nested("realTime", "scope", "group", "id"),
    "accountId": nested("realTime", "scope", "account", "id"),
    "externalId": nested("externalId"),
}
DATE_FIELDS = SORT_FIELDS
STRING_OPERATORS = ("stringEqual", "stringIn")
OPERATORS = ("dateTimeRange", *STRING_OPERATORS)


@dataclass(frozen=True)
class Condition:
    """One filter: a string field among `values`, or a date field within `[low, high]` (inclusive milliseconds)."""

    field_id: str
    values: frozenset[str] | None = None
    low: int | None = None
    high: int | None = None

    @property
    def is_date(self) -> bool:
        return self.values is None

    def matches(self, alert: Record, times: Mapping[str, int]) -> bool:
        if self.values is not None:
            return STRING_FIELDS[self.field_id](alert) in self.values
        moment = times[self.field_id]
        return (self.low is None or moment >= self.low) and (self.high is None or moment <= self.high)


def parse_condition(raw: Mapping[str, Any], where: str) -> Condition:
    """A `FilterInput` as graphql-core coerced it. `where` names it in errors (`filters[2]`)."""
    field_id = raw["fieldId"]
    given = [name for name in OPERATORS if raw.get(name) is not None]
    if field_id not in STRING_FIELDS and field_id not in DATE_FIELDS:
        known = ", ".join(sorted((*STRING_FIELDS, *DATE_FIELDS)))
        raise UamInputError(f'{where}.fieldId: unknown fieldId "{field_id}"; expected one of {known}')
    allowed = ("dateTimeRange",) if field_id in DATE_FIELDS else STRING_OPERATORS
    if len(given) != 1:
        raise UamInputError(
            f'{where}: give exactly one operator for fieldId "{field_id}" ({" or ".join(allowed)}), got {len(given)}'
        )
    operator = given[0]
    if operator not in allowed:
        raise UamInputError(f'{where}: fieldId "{field_id}" takes {" or ".join(allowed)}, not {operator}')
    if operator == "stringEqual":
        return Condition(field_id, values=frozenset([raw["stringEqual"]["value"]]))
    if operator == "stringIn":
        return Condition(field_id, values=frozenset(raw["stringIn"]["values"]))
    window = raw["dateTimeRange"]
    low, high = window.get("start"), window.get("end")
    if low is not None and window.get("startInclusive") is False:
        low += 1
    if high is not None and window.get("endInclusive") is False:
        high -= 1
    return Condition(field_id, low=low, high=high)


def parse_conditions(raw: Iterable[Mapping[str, Any]] | None, where: str) -> list[Condition]:
    return [parse_condition(item, f"{where}[{index}]") for index, item in enumerate(raw or [])]


def view_predicate(view: str) -> Predicate | None:
    """ALL: everything; CLOUD/ENDPOINT/IDENTITY: by attack surface; STAR: detection product STAR; CUSTOM_ALERTS:
    analytics type CUSTOM; THIRD_PARTY: a vendor other than SentinelOne. (The facts list the view names only; this
    is the contract's reading of them.)"""
    if view in ("CLOUD", "ENDPOINT", "IDENTITY"):
        return lambda alert: view in (alert.get("attackSurfaces") or ())
    if view == "STAR":
        return lambda alert: nested("detectionSource", "product")(alert) == "STAR"
    if view == "CUSTOM_ALERTS":
        return lambda alert: nested("analytics", "type")(alert) == "CUSTOM"
    if view == "THIRD_PARTY":
        return lambda alert: nested("detectionSource", "vendor")(alert) not in (None, SENTINELONE_VENDOR)
    return None


# --- cursors ------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Cursor:
    sort_by: str
    order: str
    millis: int
    alert_id: str

    def encode(self) -> str:
        raw = json.dumps([self.sort_by, self.order, self.millis, self.alert_id], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode()

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            sort_by, order, millis, alert_id = json.loads(base64.urlsafe_b64decode(text.encode()))
        except (binascii.Error, ValueError, TypeError):
            raise UamInputError(f'after: "{text}" is not a cursor of this endpoint')
        if sort_by not in SORT_FIELDS or order not in ORDERS or type(millis) is not int or not isinstance(alert_id, str):
            raise UamInputError(f'after: "{text}" is not a cursor of this endpoint')
        return cls(sort_by, order, millis, alert_id)

    @property
    def key(self) -> tuple[int, str]:
        return index_key(self.order, self.millis, self.alert_id)


def index_key(order: str, millis: int, alert_id: str) -> tuple[int, str]:
    return (millis if order == "ASC" else -millis, alert_id)


class SortedKeys:
    """A list of keys kept sorted: appends are cheap (sorted lazily, Timsort merges the new run), removals bisect."""

    def __init__(self) -> None:
        self._keys: list[tuple[int, str]] = []
        self._sorted = True

    def add(self, key: tuple[int, str]) -> None:
        if self._sorted and self._keys and self._keys[-1] > key:
            self._sorted = False
        self._keys.append(key)

    def discard(self, key: tuple[int, str]) -> None:
        keys = self.keys()
        position = bisect.bisect_left(keys, key)
        if position < len(keys) and keys[position] == key:
            del keys[position]

    def keys(self) -> list[tuple[int, str]]:
        if not self._sorted:
            self._keys.sort()
            self._sorted = True
        return self._keys


# --- pages --------------------------------------------------------------------------------------------------------
@dataclass
class Page:
    """One page of a walk; `total` counts every alert that matches (computed only when asked for)."""

    alerts: list[Record]
    cursors: list[str]
    has_next: bool
    has_previous: bool
    total: Callable[[], int]


@dataclass(frozen=True)
class Query:
    conditions: list[Condition]
    view: str = "ALL"
    sort_by: str = "createdAt"
    order: str = "DESC"
    after: Cursor | None = None
    first: int = 50


# --- the mutation -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Action:
    action_id: str
    value: str  # the new status / verdict, or the note text


ACTION_PAYLOADS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    STATUS_ACTION: ("status", STATUSES),
    VERDICT_ACTION: ("analystVerdict", ANALYST_VERDICTS),
    NOTE_ACTION: ("note", None),
}


def parse_actions(raw_actions: Iterable[Mapping[str, Any]]) -> tuple[list[Action], list[str]]:
    """The known actions and the errors of their payloads. Unknown action ids are dropped (the API answers them with
    an empty `actions` list)."""
    actions: list[Action] = []
    errors: list[str] = []
    for raw in raw_actions:
        action_id = raw["id"]
        if action_id not in ACTION_PAYLOADS:
            continue
        key, allowed = ACTION_PAYLOADS[action_id]
        payload = raw.get("payload")
        entry = payload.get(key) if isinstance(payload, Mapping) else None
        value = entry.get("value") if isinstance(entry, Mapping) else None
        if not isinstance(value, str) or (allowed is None and not value.strip()):
            errors.append(f"{action_id}: payload.{key}.value is required (a {'text' if allowed is None else 'string'})")
        elif allowed is not None and value not in allowed:
            errors.append(f'{action_id}: invalid {key} "{value}"; expected one of {", ".join(allowed)}')
        else:
            actions.append(Action(action_id, value))
    return actions, errors


SCOPE_FIELDS = {"ACCOUNT": "accountId", "SITE": "siteId", "GROUP": "groupId"}


def scope_predicate(scope: Mapping[str, Any] | None) -> Predicate | None:
    """`scope: {scopeIds, scopeType}` keeps the alerts of those accounts/sites/groups; without a scopeType, any level."""
    if not scope or not scope.get("scopeIds"):
        return None
    ids = frozenset(scope["scopeIds"])
    scope_type = scope.get("scopeType")
    if scope_type is None:
        getters = [STRING_FIELDS[name] for name in SCOPE_FIELDS.values()]
    elif str(scope_type).upper() in SCOPE_FIELDS:
        getters = [STRING_FIELDS[SCOPE_FIELDS[str(scope_type).upper()]]]
    else:
        raise UamInputError(f'scope.scopeType: unknown scope type "{scope_type}"; expected one of ACCOUNT, GROUP, SITE')
    return lambda alert: any(getter(alert) in ids for getter in getters)


# --- the store ----------------------------------------------------------------------------------------------------
@dataclass
class UamAlerts:
    """The tenant's UAM alerts and notes, with their sort indexes and their own random stream (so that adding UAM
    alerts never shifts the ids or values of the tenant's other objects)."""

    seed: int = 0
    alerts: dict[str, Record] = field(default_factory=dict)
    notes: dict[str, list[Record]] = field(default_factory=dict)
    rng: random.Random = field(init=False)
    _times: dict[str, dict[str, int]] = field(default_factory=dict)
    _indexes: dict[tuple[str, str], SortedKeys] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"uam-{self.seed}")
        self._indexes = {(sort_by, order): SortedKeys() for sort_by in SORT_FIELDS for order in ORDERS}

    def __len__(self) -> int:
        return len(self.alerts)

    def uuid(self) -> str:
        return random_uuid(self.rng)

    # --- storage and indexes ----------------------------------------------------------------------------------
    def add(self, alert: Record) -> Record:
        """Store a new alert (its createdAt/updatedAt must be ISO timestamps: ValueError otherwise)."""
        if alert["id"] in self.alerts:
            raise ValueError(f"UAM alert {alert['id']} already exists")
        times = {name: millis_of(alert[name]) for name in SORT_FIELDS}
        self.alerts[alert["id"]] = alert
        self._index(alert["id"], times)
        return alert

    def reindexed(self, alert: Record) -> Record:
        """Re-read the timestamps of an alert changed in place (ValueError if they no longer parse)."""
        times = {name: millis_of(alert[name]) for name in SORT_FIELDS}
        self._unindex(alert["id"])
        self._index(alert["id"], times)
        return alert

    def _index(self, alert_id: str, times: dict[str, int]) -> None:
        self._times[alert_id] = times
        for (sort_by, order), index in self._indexes.items():
            index.add(index_key(order, times[sort_by], alert_id))

    def _unindex(self, alert_id: str) -> None:
        times = self._times.pop(alert_id)
        for (sort_by, order), index in self._indexes.items():
            index.discard(index_key(order, times[sort_by], alert_id))

    def touch(self, alert: Record, now: datetime) -> None:
        moment = format_millis(now)
        if alert["updatedAt"] != moment:
            alert["updatedAt"] = moment
            self.reindexed(alert)

    def cursor_of(self, alert: Record, sort_by: str, order: str) -> Cursor:
        return Cursor(sort_by, order, self._times[alert["id"]][sort_by], alert["id"])

    # --- reading ----------------------------------------------------------------------------------------------
    def predicate(self, conditions: Iterable[Condition], *extra: Predicate | None) -> Predicate | None:
        """All conditions and extra predicates together (None when there is nothing to check)."""
        conditions = list(conditions)
        checks = [check for check in extra if check is not None]
        if not conditions and not checks:
            return None
        times = self._times

        def matches(alert: Record) -> bool:
            alert_times = times[alert["id"]]
            return all(condition.matches(alert, alert_times) for condition in conditions) and all(
                check(alert) for check in checks
            )

        return matches

    def page(self, query: Query) -> Page:
        if query.after is not None and (query.after.sort_by, query.after.order) != (query.sort_by, query.order):
            raise UamInputError(
                f"after: the cursor belongs to a walk sorted by {query.after.sort_by} {query.after.order},"
                f" not {query.sort_by} {query.order}"
            )
        keys, low, high, rest = self._candidates(query)
        matches = self.predicate(rest, view_predicate(query.view))
        start = low
        if query.after is not None:
            start = max(low, bisect.bisect_right(keys, query.after.key, low, high))
        found: list[Record] = []
        position = start
        while position < high and len(found) <= query.first:
            alert = self.alerts[keys[position][1]]
            if matches is None or matches(alert):
                found.append(alert)
            position += 1
        has_previous = any(matches is None or matches(self.alerts[keys[back][1]]) for back in range(start - 1, low - 1, -1))
        page = found[: query.first]

        def total() -> int:
            if matches is None:
                return high - low
            return sum(1 for position in range(low, high) if matches(self.alerts[keys[position][1]]))

        return Page(
            alerts=page,
            cursors=[self.cursor_of(alert, query.sort_by, query.order).encode() for alert in page],
            has_next=len(found) > query.first,
            has_previous=has_previous,
            total=total,
        )

    def _candidates(self, query: Query) -> tuple[list[tuple[int, str]], int, int, list[Condition]]:
        """The sorted keys to walk, the bounds of the walk in them, and the conditions still to check per alert.

        An id filter narrows the walk to the named alerts; a date range on the sort field narrows it to a slice of
        the sort index (by bisection); everything else is checked alert by alert along the walk."""
        id_sets = [condition.values for condition in query.conditions if condition.field_id == "id" and condition.values]
        if any(condition.field_id == "id" and not condition.values for condition in query.conditions):
            return [], 0, 0, []
        if id_sets:
            named = frozenset.intersection(*id_sets)
            keys = sorted(
                index_key(query.order, self._times[alert_id][query.sort_by], alert_id)
                for alert_id in named
                if alert_id in self.alerts
            )
            rest = [condition for condition in query.conditions if condition.field_id != "id"]
            return keys, 0, len(keys), rest
        keys = self._indexes[(query.sort_by, query.order)].keys()
        low, high = None, None
        rest = []
        for condition in query.conditions:
            if condition.field_id != query.sort_by:
                rest.append(condition)
                continue
            if condition.low is not None:
                low = condition.low if low is None else max(low, condition.low)
            if condition.high is not None:
                high = condition.high if high is None else min(high, condition.high)
        if query.order == "ASC":
            start = 0 if low is None else bisect.bisect_left(keys, (low,))
            end = len(keys) if high is None else bisect.bisect_left(keys, (high + 1,))
        else:
            start = 0 if high is None else bisect.bisect_left(keys, (-high,))
            end = len(keys) if low is None else bisect.bisect_left(keys, (-low + 1,))
        return keys, start, max(start, end), rest

    # --- notes ------------------------------------------------------------------------------------------------
    def add_note(self, alert: Record, text: str, author: Mapping[str, Any] | None, now: datetime) -> Record:
        moment = format_millis(now)
        note = {"id": self.uuid(), "text": text, "createdAt": moment, "updatedAt": moment, "author": dict(author or {})}
        self.notes.setdefault(alert["id"], []).append(note)
        alert["noteExists"] = True
        self.touch(alert, now)
        return note

    # --- the mutation -----------------------------------------------------------------------------------------
    def trigger_actions(
        self,
        raw_actions: Iterable[Mapping[str, Any]],
        groups: list[list[Condition]] | None,
        extra: Iterable[Predicate | None],
        author: Mapping[str, Any],
        now: datetime,
    ) -> Record:
        """Apply the actions to every alert matching any AND-group of `groups` (every alert when None) and the extra
        predicates (scope, view). Returns the `TriggerActionsResponse` member as a dict."""
        actions, errors = parse_actions(raw_actions)
        if errors:
            return {"errors": [{"errorMessage": message} for message in errors]}
        checks = [check for check in extra if check is not None]
        named = [] if groups is None else self._named_ids(groups)
        missing = [alert_id for alert_id in named if alert_id not in self.alerts]
        matchers = None if groups is None else [self.predicate(group) or (lambda alert: True) for group in groups]
        candidates: Iterable[Record] = self.alerts.values()
        if groups is not None and all(any(condition.field_id == "id" for condition in group) for group in groups):
            # Every AND-group is limited to named ids: only those alerts can match.
            candidates = [self.alerts[alert_id] for alert_id in named if alert_id in self.alerts]
        targets = sorted(
            (
                alert
                for alert in candidates
                if all(check(alert) for check in checks) and (matchers is None or any(match(alert) for match in matchers))
            ),
            key=lambda alert: alert["id"],
        )
        results = []
        for action in actions:
            success, skip = [], []
            for alert in targets:
                if self._apply(action, alert, author, now):
                    success.append({"id": alert["id"]})
                else:
                    skip.append({"id": alert["id"], "skipMessage": skip_message(action)})
            failure = [
                {"id": alert_id, "errorMessage": f"Alert {alert_id} not found", "errorType": "NOT_FOUND"} for alert_id in missing
            ]
            results.append({"actionId": action.action_id, "success": success, "failure": failure, "skip": skip})
        return {"actions": results}

    def _named_ids(self, groups: list[list[Condition]]) -> list[str]:
        """Ids named by `id` conditions anywhere in the filter, in order of appearance, once each."""
        named: dict[str, None] = {}
        for group in groups:
            for condition in group:
                if condition.field_id == "id" and condition.values:
                    named.update(dict.fromkeys(sorted(condition.values)))
        return list(named)

    def _apply(self, action: Action, alert: Record, author: Mapping[str, Any], now: datetime) -> bool:
        """Apply one action to one alert; False when there was nothing to change (the alert goes to `skip`)."""
        if action.action_id == NOTE_ACTION:
            self.add_note(alert, action.value, author, now)
            return True
        key = ACTION_PAYLOADS[action.action_id][0]
        if alert.get(key) == action.value:
            return False
        alert[key] = action.value
        self.touch(alert, now)
        return True


def skip_message(action: Action) -> str:
    key = ACTION_PAYLOADS[action.action_id][0]
    return f"The alert's {key} is already {action.value}"
