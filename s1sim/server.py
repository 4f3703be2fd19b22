"""Run the simulator on a Werkzeug server: in a background thread (tests, demo) or in the foreground (CLI)."""

from __future__ import annotations

import ssl
import threading
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from s1sim.app import create_app
from s1sim.simulator import Simulator, SimulatorConfig
from s1sim.tls import Certificate, make_self_signed


class QuietRequestHandler(WSGIRequestHandler):
    """No per-request access log (the request log is available on /_sim/requests)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        return None

    def log(self, type: str, message: str, *args: Any) -> None:
        if type == "error":
            super().log(type, message, *args)


class SimulatorServer:
    """A simulator listening on a loopback port. `port=0` picks a free one."""

    def __init__(
        self,
        config: SimulatorConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        https: bool = False,
        quiet: bool = True,
    ) -> None:
        self.simulator = Simulator(config)
        self.host = host
        self.https = https
        self.certificate: Certificate | None = make_self_signed(host) if https else None
        ssl_context: ssl.SSLContext | None = None
        if self.certificate is not None:
            ssl_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ssl_context.load_cert_chain(self.certificate.cert_file, self.certificate.key_file)
        self.app = create_app(self.simulator)
        try:
            self._server: BaseWSGIServer = make_server(
                host,
                port,
                self.app,
                threaded=True,
                ssl_context=ssl_context,
                request_handler=QuietRequestHandler if quiet else WSGIRequestHandler,
            )
        except BaseException as error:
            if self.certificate is not None:
                self.certificate.remove()
            if isinstance(error, SystemExit):
                # Werkzeug exits the process when the port is taken; a library caller wants an exception.
                raise OSError(f"cannot listen on {host}:{port} (address in use)") from None
            raise
        self.port: int = self._server.server_port
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """`http://127.0.0.1:<port>` (no trailing slash), the integration's `url` parameter."""
        return f"{'https' if self.https else 'http'}://{self.host}:{self.port}"

    @property
    def token(self) -> str:
        return self.simulator.config.token

    def api_url(self, version: str = "2.1") -> str:
        return f"{self.url}/web/api/v{version}/"

    @property
    def ca_file(self) -> str | None:
        """The self-signed certificate, usable as `verify=` for requests (None over plain HTTP)."""
        return self.certificate.cert_file if self.certificate else None

    def start(self) -> SimulatorServer:
        # A short poll interval keeps `stop()` quick (shutdown waits for the serve loop to notice).
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"s1sim-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop a server started with `start()` and release its socket and certificate."""
        self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.close()

    def close(self) -> None:
        """Release the socket and the certificate (after `serve_forever` returned, or via `stop`)."""
        self._server.server_close()
        if self.certificate is not None:
            self.certificate.remove()

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
