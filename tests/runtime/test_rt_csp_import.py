"""What importing CommonServerPython does, what the star import provides, and the masking logger."""

import http.client
import importlib
import json
import logging
import sys
import warnings
from collections.abc import Callable
from types import ModuleType
from typing import Any

import CommonServerPython as csp
import demistomock as demisto
import pytest

SECRET_PARAMS = {
    "url": "https://usea1.sentinelone.net",
    "credentials": {"identifier": "user", "password": "S3cr3t!"},
    "token": "tok123",
    "api_key": 'k"ey/1 2',
    "proxy": False,
}


@pytest.fixture
def fresh_csp(monkeypatch: pytest.MonkeyPatch) -> Callable[..., ModuleType]:
    """Import CommonServerPython anew (with the given instance params); the original module is restored after the test."""

    def load(params: Any = None) -> ModuleType:
        if params is not None:
            monkeypatch.setenv("DEMISTO_PARAMS", json.dumps(params))
        monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)
        monkeypatch.setattr(logging, "raiseExceptions", logging.raiseExceptions)
        monkeypatch.delitem(sys.modules, "CommonServerPython")
        return importlib.import_module("CommonServerPython")

    return load


def test_log_masks_secrets_from_params(fresh_csp: Callable[..., ModuleType]) -> None:
    module = fresh_csp(SECRET_PARAMS)
    assert module.LOG("auth with tok123 and S3cr3t! and dXNlcjpTM2NyM3Qh") == (
        "auth with <XX_REPLACED> and <XX_REPLACED> and <XX_REPLACED>"
    )
    # JSON-escaped and URL-quoted forms of a secret, and its base64
    assert (
        module.LOG('{"api_key": "k\\"ey/1 2"} ?k=k%22ey%2F1+2 dG9rMTIz')
        == '{"api_key": "<XX_REPLACED>"} ?k=<XX_REPLACED> <XX_REPLACED>'
    )
    assert module.LOG("https://usea1.sentinelone.net") == "https://usea1.sentinelone.net"


def test_smart_get_dict_replaces_the_calling_context_params(fresh_csp: Callable[..., ModuleType]) -> None:
    module = fresh_csp({"a": None, "b": 1})
    params = demisto.callingContext["params"]
    assert isinstance(params, module.SmartGetDict)
    assert params == {"a": None, "b": 1}
    assert params.get("a", "default") == "default"
    assert params.get("b", "default") == 1
    assert params.get("missing") is None


def test_no_params_no_calling_context_params(fresh_csp: Callable[..., ModuleType], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DEMISTO_PARAMS", raising=False)
    module = fresh_csp()
    assert "params" not in demisto.callingContext
    assert module.LOG("anything") == "anything"


def test_opt_outs(fresh_csp: Callable[..., ModuleType], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMON_SERVER_NO_AUTO_PARAMS_REMOVE_NULLS", "1")
    monkeypatch.setenv("COMMON_SERVER_NO_AUTO_REPLACE_STRS", "1")
    module = fresh_csp(SECRET_PARAMS)
    assert "params" not in demisto.callingContext
    assert module.LOG("tok123") == "tok123"


def test_import_side_effects(fresh_csp: Callable[..., ModuleType], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging, "raiseExceptions", True)
    module = fresh_csp()
    assert warnings.showwarning is module.handle_warning
    assert logging.raiseExceptions is False


def test_python_warnings_go_to_the_log(info_messages: list[str]) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = csp.handle_warning
        warnings.warn("careful", UserWarning, stacklevel=1)
    assert len(info_messages) == 1
    assert info_messages[0].startswith("python warning: ")
    assert "UserWarning: careful" in info_messages[0]


def test_debug_mode_at_import_installs_the_debug_logger(
    fresh_csp: Callable[..., ModuleType], monkeypatch: pytest.MonkeyPatch, info_messages: list[str]
) -> None:
    monkeypatch.setattr(demisto, "is_debug", True)
    monkeypatch.setattr(demisto, "debug", lambda msg, *args: None)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    module = fresh_csp({"token": "tok123"})
    try:
        assert isinstance(module._requests_logger, module.DebugLogger)
        assert http.client.HTTPConnection.debuglevel == 1
        assert module.LOG.debug_logging is True
        assert info_messages[0].startswith("debug-mode started.\n#### http client print found: False.")
        assert "tok123" not in info_messages[0]
        assert '"token": "<XX_REPLACED>"' in info_messages[0]
    finally:
        module._requests_logger.__del__()
        root.handlers[:] = handlers
        root.setLevel(level)
    assert http.client.HTTPConnection.debuglevel == 0
    assert not hasattr(http.client, "print")


def test_constants() -> None:
    assert (csp.CONTENT_RELEASE_VERSION, csp.CONTENT_BRANCH_NAME, csp.IS_PY3) == ("0.0.0", "master", True)
    assert ((str, bytes), (str,)) == (csp.STRING_TYPES, csp.STRING_OBJ_TYPES)
    assert (csp.MASK, csp.MAX_ERROR_MESSAGE_LENGTH) == ("<XX_REPLACED>", 50000)


def test_star_import_provides_what_integrations_use() -> None:
    namespace: dict[str, Any] = {}
    exec("from CommonServerPython import *", namespace)
    expected = [
        "Optional",
        "Dict",
        "List",
        "Any",
        "Union",
        "Set",
        "Tuple",
        "Callable",
        "cast",
        "timezone",
        "datetime",
        "timedelta",
        "json",
        "os",
        "sys",
        "re",
        "time",
        "requests",
        "urllib3",
        "dateparser",
        "traceback",
        "base64",
        "demisto",
        "BaseClient",
        "CommandResults",
        "tableToMarkdown",
        "tblToMd",
        "return_results",
        "return_error",
        "return_warning",
        "return_outputs",
        "fileResult",
        "argToList",
        "argToBoolean",
        "arg_to_number",
        "arg_to_datetime",
        "assign_params",
        "DemistoException",
        "LOG",
        "IntegrationLogger",
        "polling_function",
        "PollResult",
        "ScheduledCommand",
        "Common",
        "DBotScoreType",
        "DBotScoreReliability",
        "EntryType",
        "EntryFormat",
        "entryTypes",
        "formats",
        "IncidentStatus",
        "IncidentSeverity",
        "ErrorTypes",
        "GetRemoteDataArgs",
        "GetRemoteDataResponse",
        "GetModifiedRemoteDataArgs",
        "GetModifiedRemoteDataResponse",
        "UpdateRemoteSystemArgs",
        "GetMappingFieldsResponse",
        "SchemeTypeMapping",
        "get_integration_context",
        "set_integration_context",
        "is_demisto_version_ge",
        "urljoin",
        "remove_empty_elements",
        "logging",
        "uuid",
    ]
    assert [name for name in expected if name not in namespace] == []
    assert namespace["demisto"] is demisto
    assert "_utc_zone" not in namespace


def test_integration_logger_buffers_until_print_log(info_messages: list[str]) -> None:
    logger = csp.IntegrationLogger()
    assert logger("first") == "first"
    logger(ValueError("second"))
    assert info_messages == []
    logger.print_log()
    assert info_messages == ["Full Integration Log:\nfirst\nsecond"]
    logger.print_log()
    assert info_messages == ["Full Integration Log:\nfirst\nsecond"]


def test_integration_logger_without_buffering(info_messages: list[str]) -> None:
    logger = csp.IntegrationLogger()
    logger.set_buffering(False)
    logger("now")
    assert info_messages == ["now"]


def test_integration_logger_in_debug_mode(info_messages: list[str], debug_messages: list[str]) -> None:
    logger = csp.IntegrationLogger(debug_logging=True)
    logger("sent at once")
    logger.print_log(verbose=False)
    assert debug_messages == ["sent at once"]
    assert info_messages == []


def test_add_replace_strs_forms() -> None:
    logger = csp.IntegrationLogger()
    logger.add_replace_strs("l1\nl2", "", None)
    assert logger.replace_strs == ["l1\\nl2", "l1\nl2", "l1\\nl2", "l1%0Al2"]
    assert logger("x l1\nl2 y l1\\nl2") == "x <XX_REPLACED> y <XX_REPLACED>"


def test_add_sensitive_log_strs() -> None:
    csp.add_sensitive_log_strs("secret-value")
    assert csp.LOG("the secret-value") == "the <XX_REPLACED>"


def test_logger_as_a_stream(info_messages: list[str]) -> None:
    logger = csp.IntegrationLogger()
    logger.write("part one, ")
    logger.write("part two\n")
    assert logger.messages == ["part one, part two"]
    logger.set_buffering(False)
    logger.print_override("printed", 1)
    assert info_messages == ["printed 1"]


def test_build_curl(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demisto, "params", lambda: {"insecure": True})
    logger = csp.IntegrationLogger()
    text = (
        "send: b'GET /web/api/v2.1/agents?limit=1 HTTP/1.1\\r\\nHost: example.net\\r\\nUser-Agent: python-requests/2.34\\r\\n"
        "Authorization: ApiToken abc\\r\\n\\r\\n'"
    )
    logger.build_curl(text)
    logger.build_curl("send: b'{\"filter\": {}}'")
    assert logger.curl == [
        'curl -X GET https://example.net/web/api/v2.1/agents?limit=1 -H "Authorization: ApiToken abc" --noproxy "*" -k '
        "-d '{\"filter\": {}}'"
    ]


def test_debug_logger_routes_logging_and_http_client(monkeypatch: pytest.MonkeyPatch, info_messages: list[str]) -> None:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    debug_logger = csp.DebugLogger()
    try:
        logging.getLogger("rt-test").debug("hello %s", "there")
        http.client.print("reply: 'HTTP/1.1 200 OK\\r\\n'")  # type: ignore[attr-defined]
        debug_logger.int_logger.curl.append("curl -X GET https://x ")
    finally:
        debug_logger.__del__()
        root.handlers[:] = handlers
        root.setLevel(level)
    assert info_messages == ["DEBUG:rt-test:hello there", "reply: 'HTTP/1.1 200 OK\\r\\n'", "cURL:\ncurl -X GET https://x "]
    assert http.client.HTTPConnection.debuglevel == 0


ALLOWED_THIRD_PARTY = {"requests", "urllib3", "dateparser", "dateutil", "pytz"}
PLATFORM_MODULES = {"demistomock", "CommonServerPython", "CommonServerUserPython", "DemistoClassApiModule"}


@pytest.mark.parametrize("module", [csp, demisto])
def test_runtime_imports_only_what_the_platform_image_provides(module: ModuleType) -> None:
    import ast
    from pathlib import Path

    tree = ast.parse(Path(str(module.__file__)).read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {
        node.module.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and not node.level
    }
    assert {"json", "os", "logging"} <= imported  # the scan sees the imports
    outside = imported - set(sys.stdlib_module_names) - ALLOWED_THIRD_PARTY - PLATFORM_MODULES - {"__future__"}
    assert outside == set()
