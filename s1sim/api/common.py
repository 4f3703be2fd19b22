"""Small pieces several endpoint modules share."""

from __future__ import annotations

from s1sim.filters import ACCEPTED, Custom, Filter, ParamSource, Predicate
from s1sim.store import Record


def public(record: Record) -> Record:
    """The record without the simulator's own bookkeeping."""
    return {key: value for key, value in record.items() if key != "_sim"}


def accepted(*names: str) -> dict[str, Filter]:
    """Documented parameters taken without effect on the result."""
    return dict.fromkeys(names, ACCEPTED)


def validated_boolean(source: ParamSource, name: str) -> Predicate | None:
    source.boolean(name)  # a malformed boolean is still a 400
    return None


VALIDATED_BOOLEAN = Custom(validated_boolean)
