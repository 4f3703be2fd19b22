"""Over real sockets: the HTTP and HTTPS session fixtures, absolute download links, and `python -m s1sim`."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import requests

from s1sim.__main__ import parse_arguments
from s1sim.pytest_plugin import FIXTURE_TOKEN, SimulatorHandle
from s1sim.server import SimulatorServer

ROOT = Path(__file__).resolve().parents[2]


def headers(handle: SimulatorHandle) -> dict[str, str]:
    return {"Authorization": f"ApiToken {handle.token}"}


def test_http_fixture_serves_both_versions(s1sim: SimulatorHandle) -> None:
    assert s1sim.url.startswith("http://127.0.0.1:")
    assert s1sim.token == FIXTURE_TOKEN
    assert s1sim.api_url("2.0") == f"{s1sim.url}/web/api/v2.0/"

    flat = requests.get(s1sim.api_url("2.0") + "threats", params={"limit": 1}, headers=headers(s1sim), timeout=10).json()
    nested = requests.get(s1sim.api_url("2.1") + "threats", params={"limit": 1}, headers=headers(s1sim), timeout=10).json()

    assert flat["data"][0]["id"] == nested["data"][0]["id"]
    assert "threatInfo" in nested["data"][0] and "threatInfo" not in flat["data"][0]


def test_https_fixture_with_its_certificate(s1sim_https: SimulatorHandle) -> None:
    assert s1sim_https.url.startswith("https://127.0.0.1:")
    assert s1sim_https.ca_file is not None and Path(s1sim_https.ca_file).is_file()
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace the simulator's certificate

    response = session.get(
        s1sim_https.api_url() + "system/info", headers=headers(s1sim_https), verify=s1sim_https.ca_file, timeout=10
    )

    assert response.status_code == 200
    s1sim_https.control.add_fault("threats", status=429, retry_after=1, times=1)
    first = session.get(s1sim_https.api_url() + "threats", headers=headers(s1sim_https), verify=s1sim_https.ca_file, timeout=10)
    second = session.get(s1sim_https.api_url() + "threats", headers=headers(s1sim_https), verify=s1sim_https.ca_file, timeout=10)
    assert (first.status_code, first.headers["Retry-After"], second.status_code) == (429, "1", 200)


def test_remote_script_links_are_absolute_and_need_no_auth(s1sim: SimulatorHandle) -> None:
    agents = requests.get(
        s1sim.api_url() + "agents", params={"isActive": "true", "limit": "1"}, headers=headers(s1sim), timeout=10
    )
    agent_id = agents.json()["data"][0]["id"]
    scripts = requests.get(s1sim.api_url() + "remote-scripts", headers=headers(s1sim), timeout=10).json()["data"]
    body = {
        "filter": {"ids": [agent_id]},
        "data": {"scriptId": scripts[0]["id"], "taskDescription": "demo", "outputDestination": "SentinelCloud"},
    }
    parent = requests.post(s1sim.api_url() + "remote-scripts/execute", json=body, headers=headers(s1sim), timeout=10).json()
    s1sim.control.advance_clock(10)
    tasks = requests.get(
        s1sim.api_url() + "remote-scripts/status",
        params={"parentTaskId": parent["data"]["parentTaskId"]},
        headers=headers(s1sim),
        timeout=10,
    ).json()["data"]

    links = requests.post(
        s1sim.api_url() + "remote-scripts/fetch-files",
        json={"data": {"taskIds": [tasks[0]["id"]]}},
        headers=headers(s1sim),
        timeout=10,
    ).json()["data"]["download_links"]

    assert links[0]["downloadUrl"].startswith(s1sim.url + "/downloads/")
    download = requests.get(links[0]["downloadUrl"], timeout=10)
    assert download.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(download.content)).namelist() == ["output.txt", "exit_code.txt"]


def test_cli_arguments() -> None:
    arguments = parse_arguments(["--port", "9000", "--token", "t", "--agents", "1000", "--https", "--no-rate-limits"])

    assert (arguments.port, arguments.token, arguments.agents, arguments.https, arguments.rate_limits) == (
        9000,
        "t",
        1000,
        True,
        False,
    )
    defaults = parse_arguments([])
    assert (defaults.host, defaults.port, defaults.token, defaults.rate_limits, defaults.threats, defaults.alerts) == (
        "127.0.0.1",
        8443,
        "demo-token",
        True,
        50,
        30,
    )


def test_python_m_s1sim_runs_in_the_foreground_and_prints_url_and_token() -> None:
    environment = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
    command = [sys.executable, "-m", "s1sim", "--port", "0", "--token", "cli-token", "--agents", "5", "--threats", "7", "--quiet"]
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        assert first_line.startswith("SentinelOne simulator listening on http://127.0.0.1:"), first_line
        url = first_line.rsplit(" ", 1)[-1].strip()
        lines = [process.stdout.readline() for _ in range(4)]
        assert any(line.strip() == "token:    cli-token" for line in lines), lines
        deadline = time.monotonic() + 10
        while True:
            try:
                response = requests.get(f"{url}/web/api/v2.1/threats", headers={"Authorization": "ApiToken cli-token"}, timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline
        assert response.json()["pagination"]["totalItems"] == 7
        assert requests.get(f"{url}/_sim/rate-limits", timeout=5).json()["enabled"] is True
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()


def test_a_taken_port_is_an_os_error_not_an_exit(s1sim: SimulatorHandle) -> None:
    port = int(s1sim.url.rsplit(":", 1)[1])

    with pytest.raises(OSError, match=rf"^cannot listen on 127\.0\.0\.1:{port} \(address in use\)$"):
        SimulatorServer(port=port)
