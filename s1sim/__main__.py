"""`python -m s1sim`: run a simulator in the foreground and print its URL and token."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from s1sim.clock import parse_timestamp
from s1sim.server import SimulatorServer
from s1sim.simulator import SimulatorConfig
from s1sim.store import TenantSize
from s1sim.tls import CertificateError


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m s1sim", description="SentinelOne management console simulator")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8443, help="port; 0 picks a free one (default 8443)")
    parser.add_argument("--token", default="demo-token", help="the API token clients must send (default demo-token)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic tenant (default 0)")
    parser.add_argument("--agents", type=int, default=20, help="number of agents (default 20)")
    parser.add_argument("--threats", type=int, default=50, help="number of threats (default 50)")
    parser.add_argument("--alerts", type=int, default=30, help="number of STAR alerts (default 30)")
    parser.add_argument("--uam-alerts", type=int, default=40, help="number of UAM (GraphQL) alerts (default 40)")
    parser.add_argument("--https", action="store_true", help="serve HTTPS with a self-signed certificate made at start")
    parser.add_argument(
        "--rate-limits",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="enforce the published per-path rate limits (default on; the pytest fixture defaults to off)",
    )
    parser.add_argument("--start", help="simulated start time (ISO-8601); default: now")
    parser.add_argument("--frozen-clock", action="store_true", help="simulated time only moves via /_sim/clock/advance")
    parser.add_argument("--quiet", action="store_true", help="no per-request log lines")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    for name in ("agents", "threats", "alerts", "uam_alerts"):
        if getattr(arguments, name) < 0:
            print(f"--{name.replace('_', '-')} must not be negative", file=sys.stderr)
            return 2
    config = SimulatorConfig(
        token=arguments.token,
        seed=arguments.seed,
        size=TenantSize(
            agents=arguments.agents, threats=arguments.threats, alerts=arguments.alerts, uam_alerts=arguments.uam_alerts
        ),
        start=parse_timestamp(arguments.start) if arguments.start else None,
        frozen_clock=arguments.frozen_clock,
        rate_limits=arguments.rate_limits,
    )
    try:
        server = SimulatorServer(config, host=arguments.host, port=arguments.port, https=arguments.https, quiet=arguments.quiet)
    except (CertificateError, OSError) as error:
        print(f"cannot start: {error}", file=sys.stderr)
        return 1
    print(f"SentinelOne simulator listening on {server.url}", flush=True)
    print(f"  API:      {server.api_url('2.1')}  (and {server.api_url('2.0')})", flush=True)
    print(f"  token:    {server.token}", flush=True)
    print(f"  control:  {server.url}/_sim", flush=True)
    if server.ca_file:
        print(f"  cert:     {server.ca_file}", flush=True)
    print(f"  rate limits {'on' if config.rate_limits else 'off'}; Ctrl-C to stop", flush=True)
    # SIGTERM (e.g. from `timeout` or a process manager) ends the server like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
