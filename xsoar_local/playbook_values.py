"""Argument values as the platform computes them in playbooks and mappers: `simple` and `complex` values, the filter
and condition operators, and the transformers the pack's playbooks and mappers use.

A `simple` value is text with `${path}` references (or, with `iscontext`, a path). A `complex` value reads `root` from
the context, keeps the root's items that pass `filters` (a list of groups: every group must hold, and a group holds
when any of its conditions does), reads `accessor` from each kept item, then applies `transformers` in order.
Inside filters a path that starts with the root is read from the item under test; other paths from the whole context.

Operators and transformers not listed here raise `ValueError` naming them: a playbook that needs one fails loudly
instead of taking a branch it would not take on the platform.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from xsoar_local.playbook_context import Unsupported, as_list, get_path, interpolate, is_empty, single, to_text

Lookup = Callable[[str], Any]


class ValueSpecError(ValueError):
    """A value the runner cannot compute (unknown operator or transformer, malformed value)."""


class UnsupportedOperation(ValueSpecError, Unsupported):
    """A condition operator or transformer the runner does not have."""


# --------------------------------------------------------------------------------------------------------- values


def resolve(spec: Any, lookup: Lookup, *, is_context: bool = False) -> Any:
    """A `{simple: …}` or `{complex: …}` value (or a bare scalar), computed against `lookup`."""
    if spec is None or spec == "" or spec == {}:
        return None
    if not isinstance(spec, Mapping):
        return _simple(spec, lookup, is_context)
    if "complex" in spec and spec["complex"] is not None:
        return resolve_complex(spec["complex"], lookup)
    if "simple" in spec:
        return _simple(spec["simple"], lookup, is_context)
    raise ValueSpecError(f"a value must hold 'simple' or 'complex', got keys {sorted(spec)}")


def operand(spec: Mapping[str, Any] | None, lookup: Lookup) -> Any:
    """A condition or transformer operand `{value: {...}, iscontext: bool}` (`isContext` in mappers)."""
    if not spec:
        return None
    is_context = bool(spec.get("iscontext", spec.get("isContext", False)))
    return resolve(spec.get("value"), lookup, is_context=is_context)


def _simple(raw: Any, lookup: Lookup, is_context: bool) -> Any:
    text = _scalar_text(raw)
    if text == "":
        return None
    if is_context:
        path = text[2:-1].strip() if text.startswith("${") and text.endswith("}") else text
        return lookup(path)
    value = interpolate(text, lookup)
    return None if value == "" else value


def _scalar_text(raw: Any) -> str:
    # The platform treats a simple value as text, whatever type YAML gave it.
    if isinstance(raw, bool):
        return "true" if raw else "false"
    return "" if raw is None else str(raw)


def resolve_complex(spec: Mapping[str, Any], lookup: Lookup) -> Any:
    root = str(spec.get("root") or "").strip()
    if not root:
        raise ValueSpecError("a complex value needs a root")
    value = lookup(root)
    filters = spec.get("filters") or []
    if filters:
        kept = [item for item in as_list(value) if holds(filters, _item_lookup(root, item, lookup))]
        value = single(kept)
    accessor = str(spec.get("accessor") or "").strip()
    if accessor and value is not None:
        results: list[Any] = []
        for item in as_list(value):
            picked = get_path(item, accessor)
            results.extend(as_list(picked))
        value = single(results)
    for transformer in spec.get("transformers") or []:
        value = transform(value, transformer, lookup)
    return value


def _item_lookup(root: str, item: Any, lookup: Lookup) -> Lookup:
    def read(path: str) -> Any:
        if path == root:
            return item
        if path.startswith(root + "."):
            return get_path(item, path[len(root) + 1 :])
        return lookup(path)

    return read


# ---------------------------------------------------------------------------------------------------- conditions


def holds(groups: Any, lookup: Lookup) -> bool:
    """`[[a, b], [c]]` means (a or b) and c, as the platform's condition editor shows it."""
    if not isinstance(groups, list):
        raise ValueSpecError(f"conditions must be a list of lists, got {type(groups).__name__}")
    for group in groups:
        conditions = group if isinstance(group, list) else [group]
        if not any(check(condition, lookup) for condition in conditions):
            return False
    return True


def check(condition: Mapping[str, Any], lookup: Lookup) -> bool:
    name = str(condition.get("operator") or "")
    operator = OPERATORS.get(name)
    if operator is None:
        raise UnsupportedOperation(f"unsupported condition operator {name!r} (supported: {', '.join(sorted(OPERATORS))})")
    left = operand(condition.get("left"), lookup)
    right = operand(condition.get("right"), lookup)
    return operator(left, right, bool(condition.get("ignorecase")))


def _strings(value: Any, ignore_case: bool) -> list[str]:
    return [to_text(item).lower() if ignore_case else to_text(item) for item in as_list(value)]


def _any_pair(test: Callable[[str, str], bool]) -> Callable[[Any, Any, bool], bool]:
    def operator(left: Any, right: Any, ignore_case: bool) -> bool:
        rights = _strings(right, ignore_case)
        return any(test(item, other) for item in _strings(left, ignore_case) for other in rights)

    return operator


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _numeric(test: Callable[[float, float], bool]) -> Callable[[Any, Any, bool], bool]:
    def operator(left: Any, right: Any, _ignore_case: bool) -> bool:
        right_number = _number(single(as_list(right)) if isinstance(right, list) else right)
        if right_number is None:
            return False
        numbers = [_number(item) for item in as_list(left)]
        return any(number is not None and test(number, right_number) for number in numbers)

    return operator


def _negated(operator: Callable[[Any, Any, bool], bool]) -> Callable[[Any, Any, bool], bool]:
    return lambda left, right, ignore_case: not operator(left, right, ignore_case)


def _in_list(left: Any, right: Any, ignore_case: bool) -> bool:
    choices = [item.strip() for text in _strings(right, ignore_case) for item in text.split(",")]
    return any(item in choices for item in _strings(left, ignore_case))


def _contains_general(left: Any, right: Any, ignore_case: bool) -> bool:
    if isinstance(left, list):
        return _any_pair(lambda a, b: a == b)(left, right, ignore_case)
    return _any_pair(lambda a, b: b in a)(left, right, ignore_case)


def _is_true(left: Any, _right: Any, _ignore_case: bool) -> bool:
    return any(item is True or to_text(item).lower() == "true" for item in as_list(left))


def _is_false(left: Any, _right: Any, _ignore_case: bool) -> bool:
    return any(item is False or to_text(item).lower() == "false" for item in as_list(left))


def _matches(left: Any, right: Any, ignore_case: bool) -> bool:
    flags = re.IGNORECASE if ignore_case else 0
    patterns = [re.compile(to_text(pattern), flags) for pattern in as_list(right)]
    return any(pattern.search(to_text(item)) for item in as_list(left) for pattern in patterns)


_is_equal_string = _any_pair(lambda a, b: a == b)
_contains_string = _any_pair(lambda a, b: b in a)
_is_equal_number = _numeric(lambda a, b: a == b)

OPERATORS: dict[str, Callable[[Any, Any, bool], bool]] = {
    "isExists": lambda left, _right, _case: left is not None,
    "isNotExists": lambda left, _right, _case: left is None,
    "isEmpty": lambda left, _right, _case: is_empty(left),
    "isNotEmpty": lambda left, _right, _case: not is_empty(left),
    "isEqualString": _is_equal_string,
    "isNotEqualString": _negated(_is_equal_string),
    "containsString": _contains_string,
    "notContainsString": _negated(_contains_string),
    "containsGeneral": _contains_general,
    "notContainsGeneral": _negated(_contains_general),
    "startWith": _any_pair(lambda a, b: a.startswith(b)),
    "endWith": _any_pair(lambda a, b: a.endswith(b)),
    "inList": _in_list,
    "notInList": _negated(_in_list),
    "match": _matches,
    "isEqualNumber": _is_equal_number,
    "isNotEqualNumber": _negated(_is_equal_number),
    "greaterThan": _numeric(lambda a, b: a > b),
    "greaterThanOrEqual": _numeric(lambda a, b: a >= b),
    "lessThan": _numeric(lambda a, b: a < b),
    "lessThanOrEqual": _numeric(lambda a, b: a <= b),
    "isTrue": _is_true,
    "isFalse": _is_false,
}


# -------------------------------------------------------------------------------------------------- transformers


def transform(value: Any, transformer: Mapping[str, Any], lookup: Lookup) -> Any:
    name = str(transformer.get("operator") or "")
    function = TRANSFORMERS.get(name)
    if function is None:
        raise UnsupportedOperation(f"unsupported transformer {name!r} (supported: {', '.join(sorted(TRANSFORMERS))})")
    args = {key: operand(spec, lookup) for key, spec in (transformer.get("args") or {}).items()}
    return function(value, args)


def _each(function: Callable[[Any], Any]) -> Callable[[Any, dict[str, Any]], Any]:
    """A string transformer: applied to each item of a list, as the platform's built-in transformers are."""

    def apply(value: Any, _args: dict[str, Any]) -> Any:
        if value is None:
            return None
        if isinstance(value, list):
            return [function(item) for item in value]
        return function(value)

    return apply


def _text_arg(args: dict[str, Any], name: str, default: str = "") -> str:
    value = args.get(name)
    return default if value is None else to_text(value)


def _join(value: Any, args: dict[str, Any]) -> Any:
    if not isinstance(value, list):
        return value
    return _text_arg(args, "separator", ",").join(to_text(item) for item in value)


def _split(value: Any, args: dict[str, Any]) -> Any:
    delimiter = _text_arg(args, "delimiter", ",")
    parts = [part for item in as_list(value) for part in to_text(item).split(delimiter)]
    return parts if value is not None else None


def _uniq(value: Any, _args: dict[str, Any]) -> Any:
    if not isinstance(value, list):
        return value
    seen: list[Any] = []
    for item in value:
        if item not in seen:
            seen.append(item)
    return seen


def _count(value: Any, _args: dict[str, Any]) -> int:
    return len(as_list(value))


def _first(value: Any, _args: dict[str, Any]) -> Any:
    return value[0] if isinstance(value, list) and value else value


def _last(value: Any, _args: dict[str, Any]) -> Any:
    return value[-1] if isinstance(value, list) and value else value


def _concat(value: Any, args: dict[str, Any]) -> Any:
    prefix, suffix = _text_arg(args, "prefix"), _text_arg(args, "suffix")
    return _each(lambda item: prefix + to_text(item) + suffix)(value, args)


def _get_field(value: Any, args: dict[str, Any]) -> Any:
    field = _text_arg(args, "field")
    if not field:
        raise ValueSpecError("getField: the field argument is required")
    return single([found for item in as_list(value) for found in as_list(get_path(item, field))])


def _stringify(value: Any, _args: dict[str, Any]) -> Any:
    return value if isinstance(value, str) or value is None else json.dumps(value, ensure_ascii=False)


def _set_if_empty(value: Any, args: dict[str, Any]) -> Any:
    """CommonScripts' SetIfEmpty: `defaultValue` when the value is empty ("", [], {} or absent); with
    `applyIfEmpty=false`, only when it is absent."""
    apply_if_empty = _text_arg(args, "applyIfEmpty", "true").lower() != "false"
    empty = is_empty(value) if apply_if_empty else value is None
    return args.get("defaultValue") if empty else value


def _map_values(value: Any, args: dict[str, Any]) -> Any:
    """CommonScripts' MapValuesTransformer: comma-separated `input_values` mapped position by position onto
    `mapped_values`; values not listed pass through."""
    inputs = [item.strip() for item in _text_arg(args, "input_values").split(",")]
    outputs = [item.strip() for item in _text_arg(args, "mapped_values").split(",")]
    if len(inputs) != len(outputs):
        raise ValueSpecError("MapValuesTransformer: input_values and mapped_values must have the same number of items")
    mapping = dict(zip(inputs, outputs, strict=True))
    return _each(lambda item: mapping.get(to_text(item), item))(value, args)


def _replace(value: Any, args: dict[str, Any]) -> Any:
    old, new = _text_arg(args, "toReplace"), _text_arg(args, "replaceWith")
    return _each(lambda item: to_text(item).replace(old, new))(value, args)


TRANSFORMERS: dict[str, Callable[[Any, dict[str, Any]], Any]] = {
    "toLowerCase": _each(lambda item: to_text(item).lower()),
    "toUpperCase": _each(lambda item: to_text(item).upper()),
    "trim": _each(lambda item: to_text(item).strip()),
    "concat": _concat,
    "replace": _replace,
    "split": _split,
    "join": _join,
    "uniq": _uniq,
    "count": _count,
    "getField": _get_field,
    "Stringify": _stringify,
    "FirstArrayElement": _first,
    "LastArrayElement": _last,
    "SetIfEmpty": _set_if_empty,
    "MapValuesTransformer": _map_values,
}
