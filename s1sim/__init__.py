"""A stateful SentinelOne management console simulator (Flask), for demos and end-to-end tests of the pack.

python -m s1sim --port 8443 --token demo-token         # foreground server
SimulatorServer(SimulatorConfig(...)).start()           # background thread, `.url`, `.token`, `.stop()`
SimulatorControl(url)                                   # drive /_sim: clock, faults, request log, reset
create_app(Simulator(config))                           # the Flask app (Flask test client)
"""

from s1sim.simulator import Simulator, SimulatorConfig
from s1sim.store import TenantSize

__all__ = ["Simulator", "SimulatorConfig", "TenantSize"]
