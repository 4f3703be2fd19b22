"""`limit` / `skip` / `cursor` / `sortBy` / `sortOrder` / `countOnly` / `skipCount` and the list envelope.

Cursors are keyset cursors (like the console's `base64("agent_id:58029381")`): they remember the sort field, the
order and the sort value + id of the last item served, so a walk returns every item exactly once even when items are
added or changed between pages.
"""

from __future__ import annotations

import base64
import binascii
import heapq
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from s1sim.errors import validation_error
from s1sim.filters import ParamSource, bounds_message

PAGING_PARAMETERS = frozenset({"limit", "skip", "cursor", "sortBy", "sortOrder", "countOnly", "skipCount"})
DEFAULT_LIMIT = 10
MAX_LIMIT = 1000
MAX_SKIP = 1000

Getter = Callable[[Any], Any]


@dataclass(frozen=True)
class Cursor:
    sort_by: str
    sort_order: str
    value: Any
    item_id: str


@dataclass(frozen=True)
class PageRequest:
    limit: int
    skip: int
    cursor: Cursor | None
    sort_by: str
    sort_order: str
    count_only: bool
    skip_count: bool


def encode_cursor(cursor: Cursor) -> str:
    raw = json.dumps([cursor.sort_by, cursor.sort_order, cursor.value, cursor.item_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(text: str) -> Cursor:
    try:
        sort_by, sort_order, value, item_id = json.loads(base64.urlsafe_b64decode(text.encode()))
    except (binascii.Error, ValueError, TypeError):
        raise validation_error("cursor: Invalid cursor.")
    if not isinstance(sort_by, str) or sort_order not in ("asc", "desc") or not isinstance(item_id, str):
        raise validation_error("cursor: Invalid cursor.")
    return Cursor(sort_by, sort_order, value, item_id)


def read_page_request(
    source: ParamSource,
    sorts: Mapping[str, Getter],
    default_sort: str = "id",
    default_order: str = "asc",
    max_limit: int = MAX_LIMIT,
    default_limit: int = DEFAULT_LIMIT,
) -> PageRequest:
    limit = source.integer("limit")
    if limit is None:
        limit = default_limit
    elif not 1 <= limit <= max_limit:
        raise validation_error(bounds_message("limit", 1, max_limit))
    skip = source.integer("skip")
    if skip is None:
        skip = 0
    elif not 0 <= skip <= MAX_SKIP:
        raise validation_error(bounds_message("skip", 0, MAX_SKIP))
    sort_by = source.text("sortBy") or default_sort
    if sort_by not in sorts:
        raise validation_error(f"sortBy: Must be one of: {', '.join(sorted(sorts))}.")
    sort_order = (source.text("sortOrder") or default_order).lower()
    if sort_order not in ("asc", "desc"):
        raise validation_error("sortOrder: Must be one of: asc, desc.")
    cursor_text = source.text("cursor")
    cursor = decode_cursor(cursor_text) if cursor_text else None
    if cursor is not None and cursor.sort_by not in sorts:
        raise validation_error("cursor: Invalid cursor.")
    return PageRequest(
        limit=limit,
        skip=skip,
        cursor=cursor,
        sort_by=cursor.sort_by if cursor else sort_by,
        sort_order=cursor.sort_order if cursor else sort_order,
        count_only=bool(source.boolean("countOnly")),
        skip_count=bool(source.boolean("skipCount")),
    )


def comparable(value: Any) -> tuple[int, Any]:
    """A sort key that orders None first and never compares values of different kinds."""
    if value is None:
        return (0, 0)
    if isinstance(value, bool):
        return (1, int(value))
    if isinstance(value, int | float):
        return (1, value)
    return (2, str(value))


def id_order(item_id: str) -> tuple[int, str]:
    # Numeric ids of different lengths must not sort as text; other ids (uuids) have one length anyway.
    return (len(item_id), item_id)


def paginate(
    items: Iterable[Any],
    request: PageRequest,
    sorts: Mapping[str, Getter],
    item_id: Getter,
) -> tuple[list[Any], dict[str, Any]]:
    """One page of `items` (already filtered) and its `pagination` object.

    Only the page is sorted out of what follows the cursor (a partial heap selection), so walking a list of n items
    in pages of k costs about n log k per page rather than a full sort of n each time."""
    get_value = sorts[request.sort_by]
    descending = request.sort_order == "desc"
    keyed = [((comparable(get_value(item)), id_order(str(item_id(item)))), item) for item in items]
    total = len(keyed)
    pagination: dict[str, Any] = {"totalItems": None if request.skip_count else total, "nextCursor": None}
    if request.count_only:
        pagination["totalItems"] = total
        return [], pagination
    if request.cursor is not None:
        # Keys are unique (the id breaks ties), so the cursor position is exact even after inserts.
        position = (comparable(request.cursor.value), id_order(request.cursor.item_id))
        keyed = [entry for entry in keyed if (entry[0] < position if descending else entry[0] > position)]
    wanted = request.skip + request.limit
    select = heapq.nlargest if descending else heapq.nsmallest
    page = [entry[1] for entry in select(wanted, keyed, key=lambda entry: entry[0])[request.skip :]]
    if wanted < len(keyed) and page:
        last = page[-1]
        pagination["nextCursor"] = encode_cursor(Cursor(request.sort_by, request.sort_order, get_value(last), str(item_id(last))))
    return page, pagination
