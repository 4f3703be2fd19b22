"""Small pieces several endpoint modules share."""

from __future__ import annotations

from collections.abc import Mapping

from s1sim.errors import not_found
from s1sim.filters import ACCEPTED, Custom, Filter, ParamSource, Predicate
from s1sim.store import Record


def existing(records: Mapping[str, Record], item_id: str, kind: str) -> Record:
    """The record with this id, or the API's 404 naming it (`Threat 12 does not exist`)."""
    record = records.get(item_id)
    if record is None:
        raise not_found(f"{kind} {item_id} does not exist")
    return record


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
