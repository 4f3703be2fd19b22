"""Shared fixtures for the SentinelOne V2 unit tests."""

import copy
import json
import re
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
