"""BaseClient: request arguments, status handling, error texts and response casting (requests_mock), and the
transport behaviours (connection refused, retries on https only, Retry-After, SSL) against local loopback servers."""

import gc
import os
import shutil
import socket
import ssl
import subprocess
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from unittest import mock

import CommonServerPython as csp
import demistomock as demisto
import pytest
import requests
import requests_mock as requests_mock_module
from CommonServerPython import BaseClient, DemistoException, SSLAdapter, generic_http_request
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError

# Unverified HTTPS against the local test server is intended; CSP silences this warning at import, pytest re-enables it.
pytestmark = pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")

BASE = "https://s1.example.com/web/api/v2.1"
RETRY_MESSAGE = "Max Retries Error- Request attempts with 2 retries failed. \nReason: too many 500 error responses"


def last_request(mocker: requests_mock_module.Mocker) -> Any:
    request = mocker.last_request
    assert request is not None
    return request


@pytest.fixture
def client() -> BaseClient:
    return BaseClient(BASE, headers={"Authorization": "ApiToken abc"}, timeout=12)


# ---------------------------------------------------------------------------------------------------------------------
# Construction


def test_init_attributes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REQUESTS_TIMEOUT", raising=False)
    client = BaseClient(BASE, verify=True, ok_codes=(200,), headers={"h": "v"}, auth=("u", "p"), timeout=5)
    assert (client._base_url, client._verify, client._ok_codes, client._headers, client._auth) == (
        BASE,
        True,
        (200,),
        {"h": "v"},
        ("u", "p"),
    )
    assert client.timeout == 5.0 and isinstance(client.timeout, float)
    assert BaseClient.REQUESTS_TIMEOUT == 60
    assert BaseClient(BASE).timeout == 60.0
    assert isinstance(client._session, requests.Session)
    assert isinstance(client.execution_metrics, csp.ExecutionMetrics)
    assert type(client._session.get_adapter("https://x")) is HTTPAdapter


def test_timeout_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_TIMEOUT", "33")
    assert BaseClient(BASE, timeout=5).timeout == 33.0
    monkeypatch.setattr(demisto, "callingContext", {"context": {"IntegrationBrand": "SentinelOne V2"}})
    monkeypatch.setenv("REQUESTS_TIMEOUT.SentinelOne V2", "7")
    assert BaseClient(BASE, timeout=5).timeout == 7.0


def test_proxy_false_deletes_the_proxy_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.setenv(name, "proxy:1")
    BaseClient(BASE)
    assert [name for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy") if name in os.environ] == []


def test_proxy_true_adds_the_scheme(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "proxy:1")
    BaseClient(BASE, proxy=True)
    assert os.environ["HTTPS_PROXY"] == "http://proxy:1"


def test_verify_false_skips_certificates_and_mounts_the_ssl_adapter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/ca.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/ca.pem")
    client = BaseClient(BASE, verify=False)
    assert "REQUESTS_CA_BUNDLE" not in os.environ
    assert "CURL_CA_BUNDLE" not in os.environ
    assert isinstance(client._session.get_adapter("https://x"), SSLAdapter)
    assert not isinstance(client._session.get_adapter("http://x"), SSLAdapter)
    assert SSLAdapter.context.check_hostname is False


# ---------------------------------------------------------------------------------------------------------------------
# Request arguments


def test_session_request_keywords(client: BaseClient) -> None:
    response = requests.Response()
    response.status_code = 200
    response._content = b'{"ok": true}'
    with mock.patch.object(client._session, "request", return_value=response) as request:
        assert client._http_request("GET", full_url="http://h/api/ok", headers=None) == {"ok": True}
    assert request.call_args == mock.call(
        "GET",
        "http://h/api/ok",
        verify=True,
        params=None,
        data=None,
        json=None,
        files=None,
        headers={"Authorization": "ApiToken abc"},
        auth=None,
        timeout=12.0,
    )


def test_extra_keyword_arguments_reach_requests(client: BaseClient) -> None:
    response = requests.Response()
    response.status_code = 200
    response._content = b"{}"
    with mock.patch.object(client._session, "request", return_value=response) as request:
        client._http_request("POST", "agents", json_data={"a": 1}, data="d", files={"f": b"x"}, timeout=3, stream=True)
    assert request.call_args.kwargs == {
        "verify": True,
        "params": None,
        "data": "d",
        "json": {"a": 1},
        "files": {"f": b"x"},
        "headers": {"Authorization": "ApiToken abc"},
        "auth": None,
        "timeout": 3,
        "stream": True,
    }
    assert request.call_args.args == ("POST", f"{BASE}/agents")


def test_url_building(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/agents", json={"data": []})
    requests_mock.get("https://other.example.com/x", json={"other": 1})
    assert client._http_request("GET", "/agents") == {"data": []}
    assert client._http_request("GET", "agents") == {"data": []}
    assert client._http_request("GET", "ignored", full_url="https://other.example.com/x") == {"other": 1}


def test_per_call_headers_replace_the_client_headers(requests_mock: requests_mock_module.Mocker) -> None:
    client = BaseClient(BASE, headers={"Authorization": "ApiToken abc", "X-Client": "1"})
    requests_mock.get(f"{BASE}/x", json={})
    client._http_request("GET", "x", headers={"X-Test": "call"})
    sent = last_request(requests_mock).headers
    assert sent["X-Test"] == "call"
    assert "Authorization" not in sent
    assert "X-Client" not in sent
    client._http_request("GET", "x")
    assert last_request(requests_mock).headers["Authorization"] == "ApiToken abc"
    assert "X-Test" not in last_request(requests_mock).headers


def test_per_call_auth_replaces_the_client_auth(requests_mock: requests_mock_module.Mocker) -> None:
    client = BaseClient(BASE, auth=("user", "pass"))
    requests_mock.get(f"{BASE}/x", json={})
    client._http_request("GET", "x")
    assert last_request(requests_mock).headers["Authorization"] == "Basic dXNlcjpwYXNz"
    client._http_request("GET", "x", auth=("other", "pw"))
    assert last_request(requests_mock).headers["Authorization"] == "Basic b3RoZXI6cHc="


def test_params_encoding(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/q", json={})
    client._http_request("GET", "q", params={"a": "b c/d", "l": ["1", "2"], "n": None})
    assert urllib.parse.urlsplit(last_request(requests_mock).url).query == "a=b+c%2Fd&l=1&l=2"
    client._http_request("GET", "q", params={"a": "b c/d"}, params_parser=urllib.parse.quote)
    assert urllib.parse.urlsplit(last_request(requests_mock).url).query == "a=b%20c%2Fd"


# ---------------------------------------------------------------------------------------------------------------------
# Status handling and responses


def test_error_with_json_body(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    body = {"errors": [{"code": 4000010, "title": "Validation Error"}]}
    requests_mock.get(f"{BASE}/x", status_code=400, reason="Bad Request", json=body)
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x")
    error = raised.value
    assert str(error) == 'Error in API call [400] - Bad Request\n{"errors": [{"code": 4000010, "title": "Validation Error"}]}'
    assert isinstance(error.res, requests.Response) and error.res.status_code == 400
    assert error.exception is None


def test_error_json_is_reserialised(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", status_code=409, reason="Conflict", text='{"a":1,"b":"é"}')
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x")
    assert str(raised.value) == 'Error in API call [409] - Conflict\n{"a": 1, "b": "\\u00e9"}'


def test_error_with_text_body(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", status_code=401, reason="Unauthorized", text="Unauthorized text")
    with pytest.raises(DemistoException, match=r"^Error in API call \[401\] - Unauthorized\nUnauthorized text$"):
        client._http_request("GET", "x")


def test_error_with_empty_body(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", status_code=500, reason="Internal Server Error", text="")
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x")
    assert str(raised.value) == "Error in API call [500] - Internal Server Error\n"


def test_ok_codes(requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", status_code=200, reason="OK", json={"a": 1})
    client = BaseClient(BASE, ok_codes=(201,))
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x")
    assert str(raised.value) == 'Error in API call [200] - OK\n{"a": 1}'
    assert client._http_request("GET", "x", ok_codes=(200,)) == {"a": 1}
    with pytest.raises(DemistoException):
        BaseClient(BASE)._http_request("GET", "x", ok_codes=(204,))


def test_redirects_are_followed(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/old", status_code=302, headers={"Location": f"{BASE}/new"})
    requests_mock.get(f"{BASE}/new", json={"moved": True})
    assert client._http_request("GET", "old") == {"moved": True}


def test_a_non_raising_error_handler_falls_through(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", status_code=400, json={"errors": ["e"]})
    seen: list[int] = []
    assert client._http_request("GET", "x", error_handler=lambda res: seen.append(res.status_code)) == {"errors": ["e"]}
    assert seen == [400]


def test_a_raising_error_handler(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", status_code=429, json={})

    def handler(res: requests.Response) -> None:
        raise DemistoException(f"custom {res.status_code}")

    with pytest.raises(DemistoException, match=r"^custom 429$"):
        client._http_request("GET", "x", error_handler=handler)


def test_empty_responses(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.post(f"{BASE}/empty", status_code=204)
    response = client._http_request("POST", "empty", return_empty_response=True)
    assert isinstance(response, requests.Response) and response.status_code == 204
    with pytest.raises(DemistoException) as raised:
        client._http_request("POST", "empty")
    assert str(raised.value) == "Failed to parse json object from response: b''"
    requests_mock.post(f"{BASE}/ok", status_code=200, text="")
    assert isinstance(client._http_request("POST", "ok", return_empty_response=True, empty_valid_codes=[200]), requests.Response)


def test_unparsable_json(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", text="<html>oops</html>")
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x")
    error = raised.value
    assert str(error) == "Failed to parse json object from response: b'<html>oops</html>'"
    assert isinstance(error.exception, ValueError)
    assert isinstance(error.res, requests.Response)


def test_response_types(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", text="<a>é</a>", headers={"Content-Type": "text/xml; charset=utf-8"})
    assert client._http_request("GET", "x", resp_type="text") == "<a>é</a>"
    assert client._http_request("GET", "x", resp_type="content") == "<a>é</a>".encode()
    for resp_type in ("response", "xml", "XML", "anything"):
        result = client._http_request("GET", "x", resp_type=resp_type)
        assert isinstance(result, requests.Response)
    assert client._http_request("GET", "x", resp_type="TEXT") == "<a>é</a>"


def test_bad_xml_raises_the_parser_error(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", text="<a>")
    with pytest.raises(ET.ParseError):
        client._http_request("GET", "x", resp_type="xml")


def test_cast_response_without_raising(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", text="not json")
    response = requests.get(f"{BASE}/x")
    assert client.cast_response(response, "json", raise_on_error=False) is None


# ---------------------------------------------------------------------------------------------------------------------
# Transport errors (mocked)


@pytest.mark.parametrize(
    ("exception", "message"),
    [
        (
            requests.exceptions.ConnectTimeout("t"),
            "Connection Timeout Error - potential reasons might be that the Server URL parameter is incorrect or that the "
            "Server is not accessible from your host.",
        ),
        (
            requests.exceptions.SSLError("s"),
            "SSL Certificate Verification Failed - try selecting 'Trust any certificate' checkbox in the integration "
            "configuration.",
        ),
        (
            requests.exceptions.ProxyError("p"),
            "Proxy Error - if the 'Use system proxy' checkbox in the integration configuration is selected, try clearing "
            "the checkbox.",
        ),
        (
            requests.exceptions.ConnectionError(111, "Connection refused"),
            "Verify that the server URL parameter is correct and that you have access to the server from your host.\n"
            "Error Type: <requests.exceptions.ConnectionError>\nError Number: [111]\nMessage: Connection refused\n",
        ),
        (
            requests.exceptions.ConnectionError("reset by peer"),
            "Verify that the server URL parameter is correct and that you have access to the server from your host.\n"
            "Error Type: <requests.exceptions.ConnectionError>\nreset by peer",
        ),
    ],
)
def test_transport_error_messages(
    client: BaseClient, requests_mock: requests_mock_module.Mocker, exception: Exception, message: str
) -> None:
    requests_mock.get(f"{BASE}/x", exc=exception)
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x")
    assert str(raised.value) == message
    assert raised.value.exception is exception
    assert raised.value.res is None


def test_ssl_error_without_verification_is_raised_unchanged(requests_mock: requests_mock_module.Mocker) -> None:
    error = requests.exceptions.SSLError("handshake")
    requests_mock.get(f"{BASE}/x", exc=error)
    with pytest.raises(requests.exceptions.SSLError) as raised:
        BaseClient(BASE, verify=False)._http_request("GET", "x")
    assert raised.value is error


@pytest.mark.parametrize(
    "exception", [requests.exceptions.ReadTimeout("slow"), requests.exceptions.ChunkedEncodingError("cut"), KeyError("k")]
)
def test_other_errors_propagate(client: BaseClient, requests_mock: requests_mock_module.Mocker, exception: Exception) -> None:
    requests_mock.get(f"{BASE}/x", exc=exception)
    with pytest.raises(type(exception)) as raised:
        client._http_request("GET", "x")
    assert raised.value is exception


def test_retry_error_message(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    cause = MaxRetryError(None, "/x", ResponseError("too many 500 error responses"))  # type: ignore[arg-type]
    requests_mock.get(f"{BASE}/x", exc=requests.exceptions.RetryError(cause))
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x", retries=2, backoff_factor=0)
    assert (
        str(raised.value) == "Max Retries Error- Request attempts with 2 retries failed. \nReason: too many 500 error responses"
    )


def test_retry_error_without_a_reason(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", exc=requests.exceptions.RetryError("plain"))
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x")
    assert str(raised.value) == "Max Retries Error- Request attempts with 0 retries failed. \n"


# ---------------------------------------------------------------------------------------------------------------------
# Retry configuration


def test_retry_adapter_is_mounted_on_https_only(client: BaseClient, requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", json={})
    http_adapter = client._session.get_adapter("http://x")
    client._http_request("GET", "x", retries=3, status_list_to_retry=[429, 500], backoff_factor=0.5, raise_on_status=True)
    adapter = client._session.get_adapter("https://x")
    assert type(adapter) is HTTPAdapter
    retry = adapter.max_retries
    assert (retry.total, retry.read, retry.connect, retry.status) == (3, 3, 3, 3)
    assert (retry.backoff_factor, retry.status_forcelist, retry.raise_on_status, retry.raise_on_redirect) == (
        0.5,
        [429, 500],
        True,
        False,
    )
    assert retry.allowed_methods == frozenset({"GET", "POST", "PUT", "PATCH", "DELETE"})
    assert client._session.get_adapter("http://x") is http_adapter
    client._http_request("GET", "x")
    assert client._session.get_adapter("https://x") is adapter  # stays for later calls


def test_retry_adapter_without_verification_is_an_ssl_adapter(requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get(f"{BASE}/x", json={})
    client = BaseClient(BASE, verify=False)
    client._http_request("GET", "x", retries=1)
    adapter = client._session.get_adapter("https://x")
    assert isinstance(adapter, SSLAdapter)
    assert adapter.max_retries.total == 1
    assert adapter.max_retries.backoff_factor == 5


# ---------------------------------------------------------------------------------------------------------------------
# Metrics


def test_metrics_are_counted_and_reported_when_the_client_goes(
    requests_mock: requests_mock_module.Mocker, results_calls: list[Any]
) -> None:
    requests_mock.get(f"{BASE}/ok", json={})
    requests_mock.get(f"{BASE}/auth", status_code=401, json={})
    requests_mock.get(f"{BASE}/quota", status_code=429, json={})
    requests_mock.get(f"{BASE}/down", status_code=500, json={})
    requests_mock.get(f"{BASE}/bad", status_code=404, json={})
    # a class, not an instance: a raised instance kept by the mock would keep the client alive through its traceback
    requests_mock.get(f"{BASE}/refused", exc=requests.exceptions.ConnectionError)
    client = BaseClient(BASE)
    client._http_request("GET", "ok", with_metrics=True)
    client._http_request("GET", "ok", with_metrics=True)
    for path in ("auth", "quota", "down", "bad", "refused"):
        with pytest.raises(DemistoException):
            client._http_request("GET", path, with_metrics=True)
    client._http_request("GET", "ok")  # not counted
    del client  # the report is sent when the client is garbage collected
    gc.collect()
    assert len(results_calls) == 1
    entry = results_calls[0]
    assert (entry["Type"], entry["Contents"]) == (19, "Metrics reported successfully.")
    assert entry["APIExecutionMetrics"] == [
        {"Type": "Successful", "APICallsCount": 2},
        {"Type": "AuthError", "APICallsCount": 1},
        {"Type": "QuotaError", "APICallsCount": 1},
        {"Type": "ServiceError", "APICallsCount": 1},
        {"Type": "GeneralError", "APICallsCount": 1},
        {"Type": "ConnectionError", "APICallsCount": 1},
    ]


def test_no_metrics_no_entry(requests_mock: requests_mock_module.Mocker, results_calls: list[Any]) -> None:
    requests_mock.get(f"{BASE}/ok", json={})
    client = BaseClient(BASE)
    client._http_request("GET", "ok")
    del client
    gc.collect()
    assert results_calls == []


def test_generic_http_request(requests_mock: requests_mock_module.Mocker) -> None:
    requests_mock.get("https://h.example.com/api/x", json={"r": 1})
    assert generic_http_request("GET", "https://h.example.com/api", url_suffix="x", client_headers={"A": "1"}) == {"r": 1}
    assert last_request(requests_mock).headers["A"] == "1"


# ---------------------------------------------------------------------------------------------------------------------
# Real loopback servers


class ScriptedHandler(BaseHTTPRequestHandler):
    """Answers each request with the next scripted (status, headers, body); records the paths it saw."""

    def do_GET(self) -> None:
        server: Any = self.server
        server.paths.append(self.path)
        status, headers, body = server.script.pop(0) if server.script else (200, {}, b'{"done": true}')
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # the default writes to stderr
        return None


class ScriptedServer:
    def __init__(self, context: ssl.SSLContext | None = None) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), ScriptedHandler)
        self.httpd.script = []  # type: ignore[attr-defined]
        self.httpd.paths = []  # type: ignore[attr-defined]
        if context is not None:
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        self.scheme = "https" if context is not None else "http"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def paths(self) -> list[str]:
        return self.httpd.paths  # type: ignore[attr-defined]

    def answer(self, *responses: tuple[int, dict[str, str], bytes]) -> None:
        self.httpd.script.extend(responses)  # type: ignore[attr-defined]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to make a self-signed certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def http_server() -> Iterator[ScriptedServer]:
    server = ScriptedServer()
    yield server
    server.close()


@pytest.fixture
def https_server(certificate: tuple[Path, Path]) -> Iterator[ScriptedServer]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    server = ScriptedServer(context)
    yield server
    server.close()


def test_connection_refused_on_a_closed_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DemistoException) as raised:
        BaseClient(f"http://127.0.0.1:{port}")._http_request("GET", "x")
    assert str(raised.value) == (
        "Verify that the server URL parameter is correct and that you have access to the server from your host.\n"
        "Error Type: <requests.exceptions.ConnectionError>\n"
        f"HTTPConnectionPool(host='127.0.0.1', port={port}): Max retries exceeded with url: /x "
        f"(Caused by NewConnectionError(\"HTTPConnection(host='127.0.0.1', port={port}): Failed to establish a new "
        'connection: [Errno 111] Connection refused"))'
    )
    assert isinstance(raised.value.exception, requests.exceptions.ConnectionError)


def test_plain_http_is_never_retried(http_server: ScriptedServer) -> None:
    http_server.answer((500, {}, b""), (500, {}, b""), (500, {}, b""))
    with pytest.raises(DemistoException) as raised:
        BaseClient(http_server.url)._http_request("GET", "x", retries=2, status_list_to_retry=[500], backoff_factor=0)
    assert str(raised.value) == "Error in API call [500] - Internal Server Error\n"
    assert http_server.paths == ["/x"]


def test_https_retries_then_returns_the_last_response(https_server: ScriptedServer) -> None:
    https_server.answer((500, {}, b'{"e": 1}'), (500, {}, b'{"e": 2}'), (500, {}, b'{"e": 3}'), (200, {}, b"{}"))
    client = BaseClient(https_server.url, verify=False)
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x", retries=2, status_list_to_retry=[500], backoff_factor=0)
    assert str(raised.value) == 'Error in API call [500] - Internal Server Error\n{"e": 3}'
    assert https_server.paths == ["/x", "/x", "/x"]


def test_https_retries_until_success(https_server: ScriptedServer) -> None:
    https_server.answer((502, {}, b""), (200, {}, b'{"ok": 1}'))
    client = BaseClient(https_server.url, verify=False)
    assert client._http_request("POST", "x", retries=3, status_list_to_retry=[502], backoff_factor=0) == {"ok": 1}
    assert https_server.paths == ["/x", "/x"]


def test_https_retries_with_raise_on_status(https_server: ScriptedServer) -> None:
    https_server.answer(*[(500, {}, b"")] * 3)
    client = BaseClient(https_server.url, verify=False)
    with pytest.raises(DemistoException) as raised:
        client._http_request("GET", "x", retries=2, status_list_to_retry=[500], backoff_factor=0, raise_on_status=True)
    assert (
        str(raised.value) == "Max Retries Error- Request attempts with 2 retries failed. \nReason: too many 500 error responses"
    )
    assert isinstance(raised.value.exception, requests.exceptions.RetryError)
    assert len(https_server.paths) == 3


def test_retry_after_is_honoured(https_server: ScriptedServer, monkeypatch: pytest.MonkeyPatch) -> None:
    import urllib3.util.retry

    sleeps: list[float] = []
    monkeypatch.setattr(urllib3.util.retry.time, "sleep", sleeps.append)
    https_server.answer((429, {"Retry-After": "7"}, b""), (200, {}, b"{}"))
    client = BaseClient(https_server.url, verify=False)
    assert client._http_request("GET", "x", retries=1, status_list_to_retry=[429], backoff_factor=0) == {}
    assert sleeps == [7.0]


def test_untrusted_certificate_with_verification(https_server: ScriptedServer) -> None:
    with pytest.raises(DemistoException) as raised:
        BaseClient(https_server.url, verify=True)._http_request("GET", "x")
    assert str(raised.value) == (
        "SSL Certificate Verification Failed - try selecting 'Trust any certificate' checkbox in the integration configuration."
    )
    assert isinstance(raised.value.exception, requests.exceptions.SSLError)
    assert https_server.paths == []


def test_untrusted_certificate_without_verification(https_server: ScriptedServer) -> None:
    assert BaseClient(https_server.url, verify=False)._http_request("GET", "x") == {"done": True}


def test_tls_to_a_plain_server_without_verification_raises_the_ssl_error(http_server: ScriptedServer) -> None:
    url = http_server.url.replace("http://", "https://")
    with pytest.raises(requests.exceptions.SSLError):
        BaseClient(url, verify=False)._http_request("GET", "x")
