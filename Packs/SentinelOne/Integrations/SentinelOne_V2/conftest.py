"""Shared fixtures for the SentinelOne V2 unit tests."""

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
from CommonServerPython import EntryFormat, EntryType

CONSOLE = "https://console.s1.example"
BASE_V21 = f"{CONSOLE}/web/api/v2.1/"
BASE_V20 = f"{CONSOLE}/web/api/v2.0/"
TOKEN = "unit-test-token-0123456789"
INSTANCE = "SentinelOne_instance_1"
TEST_DATA = Path(__file__).parent / "test_data"
INSTANCE = "SentinelOne_instance_1"


def load_fixture(relative_path: str) -> Any:
    """A JSON fixture from test_data/, e.g. load_fixture('queries/agents.json')."""
    return json.loads((TEST_DATA / relative_path).read_text(encoding="utf-8"))


def make_client(api_version: str, block_site_ids: list[str] | None = None) -> s1.Client:
    return s1.Client(
        base_url=f"{CONSOLE}/web/api/v{api_version}/",
        token=TOKEN,
        api_version=api_version,
        verify=True,
        proxy=False,
        block_site_ids=block_site_ids,
    )


def dispatch(command: str, args: dict[str, Any], api_version: str = s1.V21, block_site_ids: list[str] | None = None) -> Any:
    """Run a command the way main() does (through the dispatch map and its version gate) on a fresh client."""
    return s1.command_handler(command, api_version)(make_client(api_version, block_site_ids), args)


def sent(request: Any) -> tuple[str, str, dict[str, str], Any]:
    """(method, path under the versioned base, query parameters, JSON body or None) of one recorded request.

    A query parameter sent twice fails the test: lists go out comma-joined, as the API documents."""
    parts = urlsplit(request.url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    query = dict(pairs)
    assert len(query) == len(pairs), f"a query parameter was repeated: {pairs}"
    path = parts.path.split("/web/api/", 1)[1].split("/", 1)[1]  # still percent-encoded: path segments are checked
    return request.method, path, query, json.loads(request.body) if request.body else None


def context(result: Any) -> dict[str, Any]:
    return result.to_context()["EntryContext"]


def readable(result: Any) -> str:
    assert isinstance(result.readable_output, str)
    return result.readable_output


def close_entry(reason: str, label: str) -> dict[str, Any]:
    """The entry get-remote-data returns to close an incident resolved in SentinelOne with this verdict label."""
    return {
        "Type": EntryType.NOTE,
        "Contents": {
            "dbotIncidentClose": True,
            "closeReason": reason,
            "closeNotes": f"Resolved in SentinelOne. Analyst verdict: {label}.",
        },
        "ContentsFormat": EntryFormat.JSON,
    }


REOPEN_ENTRY = {"Type": EntryType.NOTE, "Contents": {"dbotIncidentReopen": True}, "ContentsFormat": EntryFormat.JSON}


@pytest.fixture
def last_run(mocker: Any) -> dict[str, Any]:
    """demisto.getLastRun returns what the test puts in this dict (the instance is INSTANCE)."""
    saved: dict[str, Any] = {}
    mocker.patch.object(demisto, "getLastRun", side_effect=lambda: copy.deepcopy(saved))
    mocker.patch.object(demisto, "integrationInstance", return_value=INSTANCE)
    return saved


@pytest.fixture
def client_v21() -> s1.Client:
    return make_client(s1.V21)


@pytest.fixture
def client_v20() -> s1.Client:
    return make_client(s1.V20)


@pytest.fixture(autouse=True)
def no_retry_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests never wait for retry backoff."""
    monkeypatch.setattr(s1, "RETRY_BACKOFF_FACTOR", 0.0)
    monkeypatch.setattr(s1, "RETRY_MAX_SINGLE_WAIT", 0.0)


class FakePlatform:
    """The platform side of mirroring: instance parameters, the last mirror run and a versioned integration context."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {"mirror_direction": "Incoming And Outgoing", "comment_tag": "comment"}
        self.last_mirror_run: dict[str, Any] = {}
        self.mirror_run_reads = 0
        self.mirror_run_writes: list[dict[str, Any]] = []
        self.context: dict[str, Any] = {}
        self.context_version = 0
        self.context_writes = 0
        self.conflicts = 0  # how many next writes to refuse, as the server does after another run wrote first
        self.interleaved: list[Callable[[dict[str, Any]], None]] = []  # other runs' writes, landing before our next one

    def get_last_mirror_run(self) -> dict[str, Any]:
        self.mirror_run_reads += 1
        return copy.deepcopy(self.last_mirror_run)

    def set_last_mirror_run(self, value: dict[str, Any]) -> None:
        self.mirror_run_writes.append(copy.deepcopy(value))
        self.last_mirror_run = copy.deepcopy(value)

    def get_context(self, sync: bool = True) -> tuple[dict[str, Any], int]:
        return copy.deepcopy(self.context), self.context_version

    def set_context(self, context: dict[str, Any], sync: bool = True, version: int = -1) -> None:
        if self.interleaved:
            self.interleaved.pop(0)(self.context)  # another run wrote in between
            self.context_version += 1
        if self.conflicts:
            self.conflicts -= 1
            self.context_version += 1  # another run wrote in between
            raise ValueError("version conflict")
        if version != self.context_version:
            raise ValueError("version conflict")
        self.context = copy.deepcopy(context)
        self.context_version += 1
        self.context_writes += 1

    @property
    def memories(self) -> dict[str, Any]:
        return self.context.get("mirroring", {})


@pytest.fixture
def platform(mocker) -> FakePlatform:
    fake = FakePlatform()
    mocker.patch.object(demisto, "params", side_effect=lambda: copy.deepcopy(fake.params))
    mocker.patch.object(demisto, "integrationInstance", return_value=INSTANCE)
    mocker.patch.object(s1, "get_last_mirror_run", side_effect=fake.get_last_mirror_run)
    mocker.patch.object(s1, "set_last_mirror_run", side_effect=fake.set_last_mirror_run)
    mocker.patch.object(s1, "get_integration_context_with_version", side_effect=fake.get_context)
    mocker.patch.object(s1, "set_integration_context", side_effect=fake.set_context)
    return fake


GRAPHQL_TOKEN = re.compile(r"\.\.\.|[_A-Za-z][_0-9A-Za-z]*|\S")


def graphql_operation(document: str) -> tuple[str, list[str]]:
    """(operation type, root field names) of the one operation of a GraphQL document; fragments are not looked into.

    Enough GraphQL for the integration's documents: the selection set after `query|mutation Name(...)`, its depth-1
    field names (an alias `a: b` counts as `b`), skipping arguments in parentheses and nested selection sets."""
    header = re.search(r"\b(query|mutation|subscription)\b[^{(]*(\([^)]*\))?\s*\{", document)
    assert header is not None, f"no operation in {document!r:.100}"
    names: list[str] = []
    depth, parens = 1, 0
    tokens = GRAPHQL_TOKEN.findall(document[header.end() :])
    for index, token in enumerate(tokens):
        if token == "(":
            parens += 1
        elif token == ")":
            parens -= 1
        elif parens:
            continue
        elif token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
            if depth == 0:
                return header.group(1), names
        elif depth == 1 and re.fullmatch(r"[_A-Za-z]\w*", token):
            if index + 1 < len(tokens) and tokens[index + 1] == ":":
                continue  # an alias: the field name follows
            if index > 0 and tokens[index - 1] == "...":
                continue  # a fragment spread
            names.append(token)
    raise AssertionError("unbalanced selection set")


def graphql_sent(request: Any) -> tuple[str, list[str], dict[str, Any]]:
    """(operation type, root fields, variables) of one recorded POST to the UAM GraphQL endpoint; its body has exactly
    `query` and `variables`."""
    method, path, query, body = sent(request)
    assert (method, path, query) == ("POST", "unifiedalerts/graphql", {})
    assert set(body) == {"query", "variables"}
    operation, fields = graphql_operation(body["query"])
    return operation, fields, body["variables"]
