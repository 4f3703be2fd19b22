"""One declarative description per list endpoint: its filters, sort fields and limit bound."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from s1sim.filters import Filter, ParamSource, build_predicates, matches_all
from s1sim.paging import DEFAULT_LIMIT, MAX_LIMIT, PAGING_PARAMETERS, paginate, read_page_request

Getter = Callable[[Any], Any]


def item_id(item: Any) -> Any:
    return item["id"]


@dataclass(frozen=True)
class ListSpec:
    filters: Mapping[str, Filter]
    sorts: Mapping[str, Getter]
    default_sort: str = "id"
    default_order: str = "asc"
    max_limit: int = MAX_LIMIT
    default_limit: int = DEFAULT_LIMIT
    item_id: Getter = item_id
    # Parameters read by the endpoint itself rather than by a filter (e.g. `queryId` on `dv/events`).
    own_parameters: frozenset[str] = field(default_factory=frozenset)

    def select(self, items: Iterable[Any], source: ParamSource) -> tuple[list[Any], dict[str, Any]]:
        """Validate the parameters, filter, sort and cut one page: `(page_items, pagination)`."""
        request = read_page_request(
            source,
            self.sorts,
            default_sort=self.default_sort,
            default_order=self.default_order,
            max_limit=self.max_limit,
            default_limit=self.default_limit,
        )
        predicates = build_predicates(source, self.filters, ignored=PAGING_PARAMETERS | self.own_parameters)
        selected = [item for item in items if matches_all(item, predicates)]
        return paginate(selected, request, self.sorts, self.item_id)

    def matching(self, items: Iterable[Any], source: ParamSource) -> list[Any]:
        """Every item matching a body `filter` (write actions), without paging."""
        predicates = build_predicates(source, self.filters, ignored=self.own_parameters)
        return [item for item in items if matches_all(item, predicates)]
