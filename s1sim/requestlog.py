"""What clients sent: counts per path and the last N requests (method, path, query, body, status).

End-to-end tests assert on this log, e.g. that a fetch sent `sortBy=createdAt` or that a command sent its ids as a
JSON array.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections import Counter, deque
from typing import Any

from werkzeug.datastructures import MultiDict


class RequestLog:
    def __init__(self, size: int = 1000) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._counts: Counter[str] = Counter()
        self._sequence = itertools.count(1)
        self._lock = threading.Lock()

    def record(self, *, method: str, path: str, query: MultiDict[str, str], raw_body: bytes, at: str) -> dict[str, Any]:
        body: Any = None
        if raw_body:
            text = raw_body.decode("utf-8", errors="replace")
            try:
                body = json.loads(text)
            except ValueError:
                body = text
        entry = {
            "seq": next(self._sequence),
            "at": at,
            "method": method,
            "path": path,
            "query": {name: query.getlist(name) for name in query},
            "body": body,
            "status": None,
        }
        with self._lock:
            self._entries.append(entry)
            self._counts[path] += 1
        return entry

    def entries(self, limit: int | None = None, path: str | None = None, method: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            selected = [
                dict(entry)
                for entry in self._entries
                if (path is None or entry["path"] == path) and (method is None or entry["method"] == method.upper())
            ]
        return selected[-limit:] if limit else selected

    def counts(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._counts.clear()
