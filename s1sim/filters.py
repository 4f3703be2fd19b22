"""Reading request parameters and turning filter parameters into predicates.

The same filter names arrive two ways: as a query string on list endpoints (`siteIds=1,2` or `siteIds=1&siteIds=2`,
`resolved=True`) and as the `filter` object of a write action's JSON body (`{"ids": ["1", "2"], "tenant": "true"}`).
`ParamSource` hides the difference; the filter classes below build a predicate from one parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from werkzeug.datastructures import MultiDict

from s1sim.clock import from_epoch_millis, parse_timestamp
from s1sim.errors import validation_error

Item = Any
Predicate = Callable[[Item], bool]
Getter = Callable[[Item], Any]

# Query parameters that are not filters and never count as unknown.
AUTH_QUERY_PARAMETERS = frozenset({"APIToken", "apiToken", "ApiToken"})


class ParamSource:
    """Uniform typed access to query-string parameters or to a JSON body `filter` object."""

    def __init__(self, values: Mapping[str, list[Any]], origin: str, scalars: frozenset[str] = frozenset()) -> None:
        self._values = values
        self.origin = origin
        # Body fields that arrived as a single JSON value rather than an array.
        self._scalars = scalars

    @classmethod
    def from_query(cls, args: MultiDict[str, str]) -> ParamSource:
        values = {name: args.getlist(name) for name in args if name not in AUTH_QUERY_PARAMETERS}
        return cls(values, "query")

    @classmethod
    def from_body(cls, mapping: Mapping[str, Any] | None) -> ParamSource:
        values: dict[str, list[Any]] = {}
        scalars: set[str] = set()
        for name, value in (mapping or {}).items():
            if isinstance(value, list | tuple):
                values[name] = list(value)
            else:
                values[name] = [value]
                scalars.add(name)
        return cls(values, "body", frozenset(scalars))

    def names(self) -> list[str]:
        return list(self._values)

    def __contains__(self, name: str) -> bool:
        return name in self._values

    def raw(self, name: str) -> list[Any]:
        return list(self._values.get(name, []))

    def has_value(self, name: str) -> bool:
        """True if the parameter is present with something other than empty strings / null."""
        return any(value is not None and value != "" for value in self._values.get(name, []))

    def text(self, name: str) -> str | None:
        for value in self._values.get(name, []):
            if value is None:
                continue
            if isinstance(value, bool):
                return "true" if value else "false"
            text = str(value)
            if text != "":
                return text
        return None

    def listed(self, name: str) -> list[str]:
        """Every value, with comma-separated values split, trimmed, empties dropped.

        In a JSON body a list field must be an array (`{"ids": ["1", "2"]}`); a string there, even a comma-separated
        one, is a validation error, as on the console.
        """
        if name in self._scalars and self._values[name] not in ([None], [""]):
            raise validation_error(f"{name}: Not a valid list.")
        items: list[str] = []
        for value in self._values.get(name, []):
            if value is None:
                continue
            if isinstance(value, bool):
                items.append("true" if value else "false")
                continue
            items.extend(part.strip() for part in str(value).split(",") if part.strip())
        return items

    def boolean(self, name: str) -> bool | None:
        for value in self._values.get(name, []):
            if isinstance(value, bool):
                return value
            if value is None or value == "":
                continue
            lowered = str(value).strip().lower()
            if lowered == "true":
                return True
            if lowered == "false":
                return False
            raise validation_error(f"{name}: Not a valid boolean.")
        return None

    def integer(self, name: str, minimum: int | None = None, maximum: int | None = None) -> int | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            number = int(text)
        except ValueError:
            raise validation_error(f"{name}: Not a valid integer.")
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise validation_error(f"{name}: {bounds_message(name, minimum, maximum)}")
        return number

    def timestamp(self, name: str) -> datetime | None:
        text = self.text(name)
        if text is None:
            return None
        try:
            return parse_timestamp(text)
        except ValueError:
            raise validation_error(f"{name}: Not a valid datetime.")


def bounds_message(name: str, minimum: int | None, maximum: int | None) -> str:
    label = name[:1].upper() + name[1:]
    return f"{label} must be greater than or equals to {minimum} and less than equals to {maximum}"


class Filter(Protocol):
    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        """A predicate for parameter `name`, or None when it carries no value (and so filters nothing)."""


def values_of(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple | set):
        return list(value)
    return [value]


def as_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def same(text: str) -> str:
    return text


def lower(text: str) -> str:
    return text.lower()


def status_key(text: str) -> str:
    """`IN_PROGRESS`, `in_progress` and `In progress` all name one status."""
    return text.strip().lower().replace(" ", "_")


@dataclass(frozen=True)
class AnyOf:
    """List parameter: the item's value (or any of its values) equals one of the given values."""

    get: Getter
    normalize: Callable[[str], str] = same
    negate: bool = False

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        wanted = {self.normalize(value) for value in source.listed(name)}
        if not wanted:
            return None

        def match(item: Item) -> bool:
            hit = any(self.normalize(as_text(value)) in wanted for value in values_of(self.get(item)))
            return hit != self.negate

        return match


@dataclass(frozen=True)
class Equals:
    """Scalar parameter compared with the item's value."""

    get: Getter
    normalize: Callable[[str], str] = same

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        wanted = source.text(name)
        if wanted is None:
            return None
        target = self.normalize(wanted)
        return lambda item: any(self.normalize(as_text(value)) == target for value in values_of(self.get(item)))


@dataclass(frozen=True)
class Contains:
    """`__contains` / `__like` parameter: case-insensitive substring match against any of the given needles."""

    get: Getter

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        needles = [needle.lower() for needle in source.listed(name)]
        if not needles:
            return None

        def match(item: Item) -> bool:
            haystacks = [as_text(value).lower() for value in values_of(self.get(item))]
            return any(needle in haystack for needle in needles for haystack in haystacks)

        return match


@dataclass(frozen=True)
class BooleanIs:
    get: Getter

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        wanted = source.boolean(name)
        if wanted is None:
            return None
        return lambda item: bool(self.get(item)) == wanted


COMPARATORS: dict[str, Callable[[Any, Any], bool]] = {
    "gt": lambda value, bound: value > bound,
    "gte": lambda value, bound: value >= bound,
    "lt": lambda value, bound: value < bound,
    "lte": lambda value, bound: value <= bound,
}


@dataclass(frozen=True)
class TimeCompare:
    """`<field>__gt|gte|lt|lte` with an ISO-8601 bound; items without the field never match."""

    get: Getter
    operator: str

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        bound = source.timestamp(name)
        if bound is None:
            return None
        compare = COMPARATORS[self.operator]

        def match(item: Item) -> bool:
            value = self.get(item)
            return value is not None and compare(parse_timestamp(value), bound)

        return match


@dataclass(frozen=True)
class TimeBetween:
    """`<field>__between` = `<epoch ms>-<epoch ms>`, both ends inclusive."""

    get: Getter

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        text = source.text(name)
        if text is None:
            return None
        low_text, separator, high_text = text.partition("-")
        if not separator or not low_text.isdigit() or not high_text.isdigit():
            raise validation_error(f"{name}: Expected '<from epoch ms>-<to epoch ms>'.")
        low, high = from_epoch_millis(int(low_text)), from_epoch_millis(int(high_text))

        def match(item: Item) -> bool:
            value = self.get(item)
            return value is not None and low <= parse_timestamp(value) <= high

        return match


@dataclass(frozen=True)
class NumberCompare:
    get: Getter
    operator: str  # gt | gte | lt | lte | eq

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        bound = source.integer(name)
        if bound is None:
            return None
        if self.operator == "eq":
            return lambda item: self.get(item) is not None and int(self.get(item)) == bound
        compare = COMPARATORS[self.operator]
        return lambda item: self.get(item) is not None and compare(int(self.get(item)), bound)


@dataclass(frozen=True)
class FreeText:
    """`query`: case-insensitive substring over a few text fields of the item."""

    fields: Callable[[Item], Iterable[Any]]

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        needle = source.text(name)
        if needle is None:
            return None
        needle = needle.lower()
        return lambda item: any(needle in as_text(value).lower() for value in self.fields(item) if value is not None)


@dataclass(frozen=True)
class Custom:
    build: Callable[[ParamSource, str], Predicate | None]

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        return self.build(source, name)


@dataclass(frozen=True)
class Accepted:
    """A documented parameter the simulator accepts but does not act on (see the module docs of its endpoint)."""

    def predicate(self, source: ParamSource, name: str) -> Predicate | None:
        return None


ACCEPTED = Accepted()


def time_filters(field: str, get: Getter, *, spellings: Iterable[str] = ()) -> dict[str, Filter]:
    """The `__gt|__gte|__lt|__lte|__between` family of one timestamp field, also under alternative spellings."""
    family: dict[str, Filter] = {}
    for prefix in (field, *spellings):
        for operator in ("gt", "gte", "lt", "lte"):
            family[f"{prefix}__{operator}"] = TimeCompare(get, operator)
        family[f"{prefix}__between"] = TimeBetween(get)
    return family


def path(*keys: str) -> Getter:
    """Getter for a nested dict value, e.g. `path("threatInfo", "sha1")`."""

    def get(item: Item) -> Any:
        value = item
        for key in keys:
            # dict first: records are dicts, and the Mapping check (an ABC) costs more than the lookup itself
            if not isinstance(value, dict) and not isinstance(value, Mapping):
                return None
            value = value.get(key)
        return value

    return get


def build_predicates(source: ParamSource, filters: Mapping[str, Filter], ignored: Iterable[str] = ()) -> list[Predicate]:
    """Predicates for every filter parameter in `source`; an unknown parameter is a 400 naming it."""
    skip = set(ignored)
    predicates: list[Predicate] = []
    for name in source.names():
        if name in skip:
            continue
        spec = filters.get(name)
        if spec is None:
            raise validation_error(f"{name}: Unknown field.")
        predicate = spec.predicate(source, name)
        if predicate is not None:
            predicates.append(predicate)
    return predicates


def matches_all(item: Item, predicates: Iterable[Predicate]) -> bool:
    return all(predicate(item) for predicate in predicates)
