"""The playbook context as the platform keeps it: dotted paths, DT selectors, and how entry contexts merge in.

- Paths: `A.B.C` walks dicts; through a list it maps over the items and flattens one level (`Agents.ID` of two
  agents is the list of both IDs); `.[n]` (or `[n]`) picks item n; `A(val.ID == "1").B` keeps the items for which the
  DT expression holds. A list of one item reads as the item, as the platform shows it.
- DT expressions: the JavaScript subset the platform's keys and selectors use: `val.X`, `obj.X`, string, number,
  `true`/`false`/`null`/`undefined` literals, `==`, `===`, `!=`, `!==`, `<`, `<=`, `>`, `>=`, `!`, `&&`, `||` and
  parentheses. Anything else (method calls, arithmetic) is a `ContextError`, never a silent false.
- Merging an EntryContext key `Path(dt)`: each new object replaces (key by key) the existing objects for which the DT
  holds with `val` = existing and `obj` = new, and is appended when none does; a key without a DT appends its value to
  what is there. A list of one item is stored as the item.
"""

from __future__ import annotations

import ast
import copy
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

_ABSENT = object()


class ContextError(ValueError):
    """A path, DT expression or context key the runner cannot read."""


class Unsupported(Exception):
    """Marks an error about something the platform executes and the runner does not: it stops the run even under
    `continueonerror` (going on would report a playbook as passing that the runner never really ran)."""


class UnsupportedExpression(ContextError, Unsupported):
    """A DT expression beyond what the runner evaluates."""


# ----------------------------------------------------------------------------------------------- DT expressions

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||[<>!()])
      | (?P<name>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\.\[\d+\]|\[\d+\])*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"true": True, "false": False, "null": None, "undefined": None}


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokenize(expression: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    text = expression.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise UnsupportedExpression(f"unsupported DT expression {expression!r} (at {text[position:]!r})")
        kind = match.lastgroup or ""
        tokens.append(_Token(kind, match.group(kind)))
        position = match.end()
    return tokens


class DTExpression:
    """A parsed DT expression; `evaluate(val, obj)` returns its JavaScript truth value."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._tokens = _tokenize(source)
        self._position = 0
        if not self._tokens:
            raise ContextError("empty DT expression")
        self._tree = self._or()
        if self._position != len(self._tokens):
            raise UnsupportedExpression(
                f"unsupported DT expression {source!r} (unexpected {self._tokens[self._position].text!r})"
            )

    def evaluate(self, val: Any, obj: Any = None) -> bool:
        return _truthy(self._tree({"val": val, "obj": obj}))

    # A small recursive-descent parser; each rule returns a function of the bindings.
    def _peek(self) -> _Token | None:
        return self._tokens[self._position] if self._position < len(self._tokens) else None

    def _take(self, text: str) -> bool:
        token = self._peek()
        if token is not None and token.kind == "op" and token.text == text:
            self._position += 1
            return True
        return False

    def _or(self) -> Callable[[dict[str, Any]], Any]:
        left = self._and()
        while self._take("||"):
            right = self._and()
            left = (lambda a, b: lambda env: a(env) if _truthy(a(env)) else b(env))(left, right)
        return left

    def _and(self) -> Callable[[dict[str, Any]], Any]:
        left = self._comparison()
        while self._take("&&"):
            right = self._comparison()
            left = (lambda a, b: lambda env: b(env) if _truthy(a(env)) else a(env))(left, right)
        return left

    def _comparison(self) -> Callable[[dict[str, Any]], Any]:
        left = self._unary()
        for operator in ("===", "!==", "==", "!=", "<=", ">=", "<", ">"):
            if self._take(operator):
                right = self._unary()
                return (lambda a, b, op: lambda env: _compare(op, a(env), b(env)))(left, right, operator)
        return left

    def _unary(self) -> Callable[[dict[str, Any]], Any]:
        if self._take("!"):
            operand = self._unary()
            return lambda env: not _truthy(operand(env))
        if self._take("("):
            inner = self._or()
            if not self._take(")"):
                raise UnsupportedExpression(f"unsupported DT expression {self.source!r} (missing ')')")
            return inner
        token = self._peek()
        if token is None or token.kind == "op":
            raise UnsupportedExpression(f"unsupported DT expression {self.source!r}")
        self._position += 1
        if token.kind == "string":
            literal = _unquote(token.text)
            return lambda env: literal
        if token.kind == "number":
            number = float(token.text) if "." in token.text else int(token.text)
            return lambda env: number
        if token.text in _KEYWORDS:
            keyword = _KEYWORDS[token.text]
            return lambda env: keyword
        root, _, rest = token.text.partition(".")
        if root not in ("val", "obj"):
            raise UnsupportedExpression(f"unsupported DT expression {self.source!r}: {token.text!r} is neither val.… nor obj.…")
        if self._peek() is not None and self._peek().text == "(":  # type: ignore[union-attr]
            raise UnsupportedExpression(f"unsupported DT expression {self.source!r}: method calls are not supported")
        return lambda env: get_path(env[root], rest) if rest else env[root]


def _unquote(text: str) -> str:
    return str(ast.literal_eval(text))  # JavaScript and Python share the quoting and escapes used in DTs


def _truthy(value: Any) -> bool:
    """JavaScript truthiness (an empty list or object is truthy there)."""
    if isinstance(value, list | dict):
        return True
    return bool(value)


def _compare(operator: str, left: Any, right: Any) -> bool:
    if operator in ("===", "!=="):
        same = left == right if _is_number(left) and _is_number(right) else type(left) is type(right) and left == right
        return same if operator == "===" else not same
    if operator in ("==", "!="):
        same = _loose_equal(left, right)
        return same if operator == "==" else not same
    if isinstance(left, str) and isinstance(right, str):
        return {"<": left < right, "<=": left <= right, ">": left > right, ">=": left >= right}[operator]
    left_number, right_number = _as_number(left), _as_number(right)
    if left_number is None or right_number is None:
        return False
    return {
        "<": left_number < right_number,
        "<=": left_number <= right_number,
        ">": left_number > right_number,
        ">=": left_number >= right_number,
    }[operator]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _as_number(value: Any) -> float | None:
    if _is_number(value):
        return float(value)
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, str) and value.strip():
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _loose_equal(left: Any, right: Any) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, str) and isinstance(right, str):
        return left == right
    if _is_number(left) or _is_number(right) or isinstance(left, bool) or isinstance(right, bool):
        left_number, right_number = _as_number(left), _as_number(right)
        return left_number is not None and left_number == right_number
    return left is right or left == right


# ------------------------------------------------------------------------------------------------------- paths

_INDEX = re.compile(r"^\[(\d+)\]$")


def split_key(key: str) -> tuple[str, str | None]:
    """`'A.B(val.ID == obj.ID)'` → `('A.B', 'val.ID == obj.ID')`; a key without a DT → `(key, None)`."""
    key = key.strip()
    if not key.endswith(")") or "(" not in key:
        return key, None
    opening = _matching_open(key, len(key) - 1)
    return key[:opening].strip(), key[opening + 1 : -1].strip()


def _matching_open(text: str, closing: int) -> int:
    depth = 0
    quote = ""
    for position in range(closing, -1, -1):
        char = text[position]
        if quote:
            if char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
        elif char == ")":
            depth += 1
        elif char == "(":
            depth -= 1
            if depth == 0:
                return position
    raise ContextError(f"unbalanced parentheses in {text!r}")


def path_parts(path: str) -> list[str]:
    """Split a path on the dots outside DT parentheses and quotes; `A[0]` → `A`, `[0]`."""
    parts: list[str] = []
    current = ""
    depth = 0
    quote = ""
    for char in path:
        if quote:
            current += char
            if char == quote:
                quote = ""
            continue
        if char in "'\"" and depth:
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "." and depth == 0:
            parts.append(current)
            current = ""
            continue
        if char == "[" and depth == 0 and current and not current.startswith("["):
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    if depth or quote:
        raise ContextError(f"unbalanced parentheses or quotes in path {path!r}")
    if any(part.strip() == "" for part in parts):
        raise ContextError(f"empty part in path {path!r}")
    return [part.strip() for part in parts]


def get_path(data: Any, path: str) -> Any:
    """The value at `path` in `data` (None when there is none); see the module docstring for the rules."""
    value = data
    for part in path_parts(path) if path else []:
        value = _step(value, part)
        if value is None:
            return None
    return value


def _step(value: Any, part: str) -> Any:
    index = _INDEX.match(part)
    if index:
        items = value if isinstance(value, list) else [value]
        position = int(index.group(1))
        return items[position] if position < len(items) else None
    name, dt = split_key(part)
    expression = DTExpression(dt) if dt else None
    if isinstance(value, list):
        results: list[Any] = []
        for item in value:
            picked = _step(item, part)
            if picked is None:
                continue
            results.extend(picked if isinstance(picked, list) else [picked])
        return single(results)
    if not isinstance(value, dict):
        return None
    found = value.get(name) if name else value
    if expression is None or found is None:
        return found
    kept = [item for item in (found if isinstance(found, list) else [found]) if expression.evaluate(item)]
    return single(kept)


def single(items: list[Any]) -> Any:
    """The platform's reading of a list: nothing for an empty one, the item for a list of one."""
    if not items:
        return None
    return items[0] if len(items) == 1 else items


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


# ---------------------------------------------------------------------------------------------------- context


class Context:
    """One playbook's context: a JSON-like dict with the platform's write operations."""

    def __init__(self, data: Mapping[str, Any] | None = None) -> None:
        self.data: dict[str, Any] = copy.deepcopy(dict(data or {}))

    def get(self, path: str) -> Any:
        return get_path(self.data, path)

    def merge(self, entry_context: Mapping[str, Any] | None) -> None:
        """Merge one entry's EntryContext, key by key, as the platform does."""
        for key, value in (entry_context or {}).items():
            path, dt = split_key(str(key))
            self._merge_one(path, DTExpression(dt) if dt else None, copy.deepcopy(value))

    def set(self, path: str, value: Any) -> None:
        """Replace the value at `path` (creating the objects on the way)."""
        parent, name = self._parent(path, create=True)
        parent[name] = _stored(copy.deepcopy(value))

    def delete(self, path: str) -> bool:
        """Remove the key at `path`; False when there was none."""
        try:
            parent, name = self._parent(path, create=False)
        except KeyError:
            return False
        return parent.pop(name, _ABSENT) is not _ABSENT

    def clear(self, keep: list[str] | None = None) -> None:
        kept = {name: self.data[name] for name in keep or [] if name in self.data}
        self.data = kept

    def _merge_one(self, path: str, dt: DTExpression | None, value: Any) -> None:
        parent, name = self._parent(path, create=True)
        existing = parent.get(name)
        if existing is None:
            parent[name] = _stored(value)
            return
        items = as_list(existing)
        if dt is None:
            parent[name] = _stored(items + as_list(value))
            return
        for new in as_list(value):
            for position, old in enumerate(items):
                if dt.evaluate(old, new):
                    items[position] = {**old, **new} if isinstance(old, dict) and isinstance(new, dict) else new
                    break
            else:
                items.append(new)
        parent[name] = _stored(items)

    def _parent(self, path: str, *, create: bool) -> tuple[dict[str, Any], str]:
        parts = path_parts(path)
        for part in parts:
            if "(" in part or _INDEX.match(part):
                raise ContextError(f"cannot write to {path!r}: a write path is plain keys")
        node = self.data
        for part in parts[:-1]:
            child = node.get(part)
            if not isinstance(child, dict):
                if not create:
                    raise KeyError(part)
                if child is not None:
                    raise ContextError(f"cannot write to {path!r}: {part} holds {type(child).__name__}, not an object")
                child = node[part] = {}
            node = child
        return node, parts[-1]


def _stored(value: Any) -> Any:
    return value[0] if isinstance(value, list) and len(value) == 1 else value


# ---------------------------------------------------------------------------------------------- ${} references

_REFERENCE = re.compile(r"\$\{([^{}]+)\}")


def references(text: str) -> Iterator[str]:
    for match in _REFERENCE.finditer(text):
        yield match.group(1).strip()


def interpolate(text: str, lookup: Callable[[str], Any]) -> Any:
    """Resolve `${path}` references: the whole text one reference → its raw value (None when absent); references
    inside text → their string forms (lists joined by commas, objects as JSON, nothing for an absent value)."""
    whole = _REFERENCE.fullmatch(text.strip())
    if whole and text.strip() == text:
        return lookup(whole.group(1).strip())
    return _REFERENCE.sub(lambda match: to_text(lookup(match.group(1).strip())), text)


def to_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ",".join(to_text(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
