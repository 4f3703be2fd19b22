"""Calling context, execute_command, retry, execution metrics, DemistoException and the proxy/certificate helpers."""

import os
from typing import Any

import CommonServerPython as csp
import demistomock as demisto
import pytest
from CommonServerPython import (
    CommandResults,
    DemistoException,
    ExecutionMetrics,
    add_http_prefix_if_missing,
    append_metrics,
    ensure_proxy_has_http_prefix,
    execute_command,
    get_integration_instance_name,
    get_integration_name,
    get_script_name,
    get_x_content_info_headers,
    handle_proxy,
    is_integration_command_execution,
    retry,
    skip_cert_verification,
    skip_proxy,
)

PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy")


def test_calling_context_names(monkeypatch: pytest.MonkeyPatch) -> None:
    assert (get_integration_name(), get_integration_instance_name(), get_script_name()) == ("", "", "")
    monkeypatch.setattr(
        demisto,
        "callingContext",
        {"context": {"IntegrationBrand": "SentinelOne V2", "IntegrationInstance": "S1_inst", "ScriptName": "s"}},
    )
    assert (get_integration_name(), get_integration_instance_name(), get_script_name()) == ("SentinelOne V2", "S1_inst", "s")


@pytest.mark.parametrize(
    ("context", "expected"),
    [
        ({}, True),
        ({"context": {"ExecutedCommands": [{"moduleBrand": "Scripts"}]}}, False),
        ({"context": {"ExecutedCommands": [{"moduleBrand": "SentinelOne V2"}]}}, True),
        ({"context": {"ExecutedCommands": [], "ScriptName": "MyScript"}}, False),
        ({"context": {"ScriptName": ""}}, True),
    ],
)
def test_is_integration_command_execution(monkeypatch: pytest.MonkeyPatch, context: dict[str, Any], expected: bool) -> None:
    monkeypatch.setattr(demisto, "callingContext", context)
    assert is_integration_command_execution() is expected


def test_x_content_info_headers(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_x_content_info_headers() == {
        "X-Content-Version": "0.0.0",
        "X-Content-Name": "Name not found",
        "X-Content-LicenseID": "",
        "X-Content-Branch": "master",
        "X-Content-Server-Version": "5.5.0-12345",
    }
    monkeypatch.setattr(demisto, "callingContext", {"context": {"IntegrationInstance": "inst"}})
    assert get_x_content_info_headers()["X-Content-Name"] == "inst"
    monkeypatch.setattr(demisto, "callingContext", {"context": {"IntegrationBrand": "brand", "IntegrationInstance": "inst"}})
    assert get_x_content_info_headers()["X-Content-Name"] == "brand"


def test_execute_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demisto, "executeCommand", lambda command, args: [{"Type": 1, "Contents": {"ok": command}}])
    assert execute_command("cmd", {}) == {"ok": "cmd"}
    assert execute_command("cmd", {}, extract_contents=False) == [{"Type": 1, "Contents": {"ok": "cmd"}}]
    assert execute_command("cmd", {}, fail_on_error=False) == (True, {"ok": "cmd"})
    monkeypatch.setattr(demisto, "executeCommand", lambda command, args: [{"Type": 1, "Contents": 1}, {"Type": 1}])
    assert execute_command("cmd", {}) == [1, {}]


def test_execute_command_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [{"Type": 4, "Contents": "first"}, {"Type": 1, "Contents": "ok"}, {"Type": 4, "Contents": "second"}]
    monkeypatch.setattr(demisto, "executeCommand", lambda command, args: entries)
    with pytest.raises(DemistoException) as raised:
        execute_command("cmd", {})
    assert str(raised.value) == "Failed to execute cmd. Error details:\nfirst\nsecond"
    assert execute_command("cmd", {}, fail_on_error=False) == (False, "first\nsecond")


def test_is_error_and_get_error() -> None:
    assert csp.is_error(None) is False
    assert csp.is_error({"Type": 4, "Contents": "x"}) is True
    assert csp.get_error({"Type": 4, "Contents": "x"}) == "x"
    with pytest.raises(ValueError, match=r"^execute_command_result has no error entry\. before using get_error use is_error$"):
        csp.get_error([{"Type": 1}])


def test_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    sleeps: list[float] = []
    monkeypatch.setattr(csp.time, "sleep", sleeps.append)
    attempts: list[int] = []

    @retry(times=3, delay=2, exceptions=KeyError)
    def flaky() -> str:
        attempts.append(1)
        if len(attempts) < 3:
            raise KeyError("not yet")
        return "done"

    assert flaky() == "done"
    assert (len(attempts), sleeps) == (3, [2, 2])
    assert flaky.__name__ == "flaky"


def test_retry_gives_up_and_ignores_other_exceptions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(csp.time, "sleep", lambda seconds: None)
    attempts: list[int] = []

    @retry(times=2, exceptions=KeyError)
    def always_failing(error: Exception) -> None:
        attempts.append(1)
        raise error

    with pytest.raises(KeyError):
        always_failing(KeyError("k"))
    assert len(attempts) == 2
    with pytest.raises(ValueError):
        always_failing(ValueError("v"))
    assert len(attempts) == 3


def test_demisto_exception() -> None:
    inner = ValueError("v")
    error = DemistoException("msg", inner, error_type="AuthError")
    assert (error.message, error.exception, error.res, error.error_type) == ("msg", inner, None, "AuthError")
    assert error.args == ("msg", inner, "AuthError")
    assert str(error) == "msg"
    assert repr(error) == "DemistoException('msg', ValueError('v'), 'AuthError')"
    assert DemistoException("only message").args == ("only message", None, None)
    assert DemistoException("m", None, None, None, "extra").args == ("m", None, None, "extra")
    assert str(DemistoException(5)) == "5"


def test_execution_metrics() -> None:
    metrics = ExecutionMetrics()
    assert metrics.metrics is None
    metrics.success += 1
    metrics.success += 1
    metrics.auth_error += 1
    assert isinstance(metrics.metrics, CommandResults)
    assert metrics.metrics.execution_metrics == [
        {"Type": "Successful", "APICallsCount": 2},
        {"Type": "AuthError", "APICallsCount": 1},
    ]
    entry = metrics.metrics.to_context()
    assert (entry["Type"], entry["Contents"]) == (19, "Metrics reported successfully.")


def test_execution_metrics_initial_counts() -> None:
    metrics = ExecutionMetrics(quota_error=2, retry_error=1)
    assert metrics.metrics is not None
    assert metrics.metrics.execution_metrics == [
        {"Type": "QuotaError", "APICallsCount": 2},
        {"Type": "RetryError", "APICallsCount": 1},
    ]


def test_append_metrics_needs_6_8(server_version: Any) -> None:
    metrics = ExecutionMetrics(success=1)
    assert append_metrics(metrics, ["r"]) == ["r"]
    server_version("6.8.0")
    assert append_metrics(metrics, ["r"]) == ["r", metrics.metrics]
    assert append_metrics(ExecutionMetrics(), []) == []


def test_add_http_prefix_if_missing() -> None:
    assert add_http_prefix_if_missing("p:1") == "http://p:1"
    assert add_http_prefix_if_missing("") == ""
    for address in ("http://p", "https://p", "socks5://p", "socks5h://p", "socks4://p", "socks4a://p"):
        assert add_http_prefix_if_missing(address) == address


def test_skip_proxy_and_cert_verification(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (*PROXY_VARS, "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.setenv(name, "x")
    assert skip_proxy() is None  # type: ignore[func-returns-value]
    assert [name for name in PROXY_VARS if name in os.environ] == []
    skip_cert_verification()
    assert "REQUESTS_CA_BUNDLE" not in os.environ
    assert "CURL_CA_BUNDLE" not in os.environ


def test_ensure_proxy_has_http_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTP_PROXY", "proxy:8080")
    monkeypatch.setenv("https_proxy", "https://p:1")
    monkeypatch.setenv("HTTPS_PROXY", "")
    ensure_proxy_has_http_prefix()
    assert (os.environ["HTTP_PROXY"], os.environ["https_proxy"], os.environ["HTTPS_PROXY"]) == (
        "http://proxy:8080",
        "https://p:1",
        "",
    )


def test_handle_proxy_enabled(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTP_PROXY", "proxy:8080")
    monkeypatch.setenv("https_proxy", "https://p:1")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/ca.pem")
    monkeypatch.setattr(demisto, "params", lambda: {"proxy": True, "insecure": True})
    assert handle_proxy() == {"http": "http://proxy:8080", "https": "https://p:1"}
    assert os.environ["HTTP_PROXY"] == "http://proxy:8080"
    assert "REQUESTS_CA_BUNDLE" not in os.environ


def test_handle_proxy_disabled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "p:1")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/ca.pem")
    monkeypatch.setattr(demisto, "params", lambda: {"unsecure": False})
    assert handle_proxy() == {}
    assert "HTTPS_PROXY" not in os.environ
    assert os.environ["CURL_CA_BUNDLE"] == "/ca.pem"


def test_handle_proxy_custom_parameter_names(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("http_proxy", "p:2")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/ca.pem")
    monkeypatch.setattr(demisto, "params", lambda: {"use_proxy": True, "insecure": True, "trust_any": True})
    assert handle_proxy("use_proxy", insecure_param_name="other") == {"http": "http://p:2", "https": ""}
    assert os.environ["CURL_CA_BUNDLE"] == "/ca.pem"  # 'insecure' is not the configured name
    handle_proxy("use_proxy", insecure_param_name="trust_any")
    assert "CURL_CA_BUNDLE" not in os.environ


def test_handle_proxy_checkbox_default(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HTTPS_PROXY", "p:3")
    monkeypatch.setattr(demisto, "params", lambda: {})
    assert handle_proxy(checkbox_default_value=True, handle_insecure=False) == {"http": "", "https": "http://p:3"}
