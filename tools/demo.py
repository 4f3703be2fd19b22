"""`make demo`: start the SentinelOne simulator and walk through the integration as an analyst would.

Every step runs the real integration through the local runner, the way the XSOAR platform runs it, and prints what
the War Room would show. The simulator runs in this process on a free loopback port; polling commands advance its
simulated clock instead of waiting.
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from s1sim.clock import format_timestamp
from s1sim.control import SimulatorControl
from s1sim.server import SimulatorServer
from s1sim.simulator import SimulatorConfig
from xsoar_local.incident import incident_from_fetch
from xsoar_local.playbook import run_playbook
from xsoar_local.runner import RunResult, run_command, run_mirroring

RULE = "=" * 100
TRIAGE_PLAYBOOK = Path(__file__).resolve().parent.parent / "Packs/SentinelOne/Playbooks/playbook-SentinelOne_-_Threat_Triage.yml"


class Demo:
    def __init__(self, server: SimulatorServer, work_dir: Path) -> None:
        self.server = server
        self.params: dict[str, Any] = {
            "url": server.url,
            "credentials": {"identifier": "", "password": server.token},
            "api_version": "2.1",
            "isFetch": True,
            "fetch_type": "Both",
            "fetch_limit": "5",
            "fetch_time": "30 days",
            "mirror_direction": "Incoming And Outgoing",
            "close_xsoar_incident": True,
        }
        self.state_dir = work_dir / "state"
        self.files_dir = work_dir / "files"
        self.failures: list[str] = []

    def step(self, title: str, command: str, args: Mapping[str, Any] | None = None, *, show_context: bool = False) -> RunResult:
        shown_args = " ".join(f"{k}={v}" for k, v in (args or {}).items())
        print(f"\n{RULE}\n{title}\n!{command} {shown_args}".rstrip() + f"\n{RULE}")
        result = run_command(
            command,
            dict(args or {}),
            self.params,
            state_dir=self.state_dir,
            files_dir=self.files_dir,
            poll_speed=1.0,
            sleep=self.server.simulator.clock.advance,  # simulated time moves on, no real waiting
        )
        print(result.render(show_context=show_context))
        if result.exit_code != 0:
            self.failures.append(f"{command}: {'; '.join(result.errors)}")
        return result


def first_id(result: RunResult, prefix: str, key: str = "ID") -> str:
    for entry in result.entries:
        for context_key, value in (entry.get("EntryContext") or {}).items():
            if context_key.startswith(prefix):
                items = value if isinstance(value, list) else [value]
                for item in items:
                    if isinstance(item, dict) and item.get(key):
                        return str(item[key])
    raise SystemExit(f"demo: no {prefix}.{key} in the output")


def run_demo(server: SimulatorServer, work_dir: Path) -> int:
    demo = Demo(server, work_dir)
    print(f"SentinelOne simulator on {server.url} (token {server.token}); integration state in {work_dir}")

    demo.step("1. Test the instance configuration", "test-module")
    agents = demo.step("2. List agents", "sentinelone-list-agents", {"limit": "5"})
    agent_id = first_id(agents, "SentinelOne.Agents")
    demo.step("3. Look at one agent", "sentinelone-get-agent", {"agent_id": agent_id})
    threats = demo.step("4. Get unresolved threats", "sentinelone-get-threats", {"limit": "5", "incident_statuses": "UNRESOLVED"})
    threat_id = first_id(threats, "SentinelOne.Threat")
    demo.step("5. Quarantine a threat", "sentinelone-mitigate-threat", {"action": "quarantine", "threat_ids": threat_id})
    demo.step("6. Isolate the agent from the network", "sentinelone-disconnect-agent", {"agent_id": agent_id})
    server.simulator.clock.advance(60)  # a minute later the agent has applied the isolation
    demo.step("7. The agent's network status a minute later", "sentinelone-get-agent", {"agent_id": agent_id})

    first = demo.step("8. Fetch incidents (threats and alerts, 5 per stream per run)", "fetch-incidents")
    second = demo.step("9. Fetch again: the next items, none of the first run's", "fetch-incidents")
    first_ids = {str(i.get("dbotMirrorId")) for i in first.incidents}
    second_ids = {str(i.get("dbotMirrorId")) for i in second.incidents}
    overlap = first_ids & second_ids
    print(f"\nfetched {len(first_ids)} then {len(second_ids)} incidents; fetched twice: {len(overlap)}")
    if overlap:
        demo.failures.append(f"fetch-incidents fetched these twice: {sorted(overlap)}")

    demo.step(
        "10. A polling command run to completion: Power Query (the runner re-runs it until it finishes)",
        "sentinelone-get-power-query-results",
        {"query": "event.type = 'Process Creation' | columns src.process.name | limit 5", "from_date": "1 day", "to_date": "now"},
    )
    demo.step(
        "11. Fetch a file from an agent and download it (polling until the agent uploads it)",
        "sentinelone-fetch-threat-file",
        {"threat_id": threat_id, "password": "Demo-Passw0rd!"},
    )

    demo.step("12. The generic endpoint command: the isolated agent", "endpoint", {"id": agent_id})
    sha1 = first_id(threats, "SentinelOne.Threat", "FileContentHash")
    demo.step("13. The generic file reputation command", "file", {"file": sha1})

    mirrored_id = next(str(i["dbotMirrorId"]) for i in first.incidents if not str(i["dbotMirrorId"]).startswith("alert:"))
    before = server.simulator.clock.now()
    server.simulator.clock.advance(60)
    control = SimulatorControl(server.url)
    control.update_threat(mirrored_id, {"threatInfo": {"incidentStatus": "resolved", "analystVerdict": "false_positive"}})
    print(f"\n{RULE}\n14. Incoming mirroring: an analyst resolves threat {mirrored_id} in the console as a false positive;")
    print("    the platform's next mirroring cycle (get-modified-remote-data, then get-remote-data) closes the incident")
    print(RULE)
    mirroring = run_mirroring(format_timestamp(before), demo.params, state_dir=demo.state_dir, files_dir=demo.files_dir)
    print(mirroring.render())
    if mirroring.exit_code != 0 or not any(incident.closes for incident in mirroring.incidents):
        demo.failures.append(f"incoming mirroring did not close the incident of threat {mirrored_id}")

    outgoing = demo.step(
        "15. Outgoing mirroring: the analyst sets the verdict in XSOAR; update-remote-system sends it to the console",
        "update-remote-system",
        {"remoteId": mirrored_id, "incidentChanged": True, "delta": {"analystVerdict": "True positive"}, "data": {},
         "entries": [], "status": 1},
    )  # fmt: skip
    del outgoing
    demo.step("16. The threat in the console now", "sentinelone-get-threats", {"threat_ids": mirrored_id})
    demo.step("17. Unified Alert Management (GraphQL): the newest critical and high UAM alerts", "sentinelone-get-uam-alerts",
              {"severity": "CRITICAL,HIGH", "limit": "5"})  # fmt: skip

    timeline_items = control.add_timeline_items(threat_id, 2500)  # a long-running incident: thousands of timeline items
    exported = demo.step(
        f"18. Export the threat's full timeline ({timeline_items} items, read page by page) as a JSON file",
        "sentinelone-export-full-threat-timeline",
        {"threat_id": threat_id},
    )
    if exported.exit_code == 0 and first_id(exported, "SentinelOne.Export.Timeline", "Items") != str(timeline_items):
        demo.failures.append(f"the timeline export did not hold the threat's {timeline_items} timeline items")

    triaged = next(
        i for i in first.incidents if str(i["dbotMirrorId"]) not in (mirrored_id,) and i["type"] == "SentinelOne Threat"
    )
    print(f"\n{RULE}\n19. Triage another fetched threat with the playbook SentinelOne - Threat Triage: its inputs come from the")
    print("    incident's fields, as the pack's classifier and incoming mapper fill them (threat, agent, file hash)\n" + RULE)
    triage = run_playbook(
        TRIAGE_PLAYBOOK,
        {},
        demo.params,
        incident=incident_from_fetch(triaged),
        state_dir=demo.state_dir,
        files_dir=demo.files_dir,
        sleep=server.simulator.clock.advance,
        on_event=lambda event: print(event.text),
    )
    print("Context SentinelOneTriage: " + json.dumps(triage.context.get("SentinelOneTriage"), sort_keys=True))
    if triage.exit_code != 0:
        demo.failures.append(f"the triage playbook: {'; '.join(triage.errors)}")

    print(f"\n{RULE}")
    if demo.failures:
        print("demo finished with errors:\n  " + "\n  ".join(demo.failures))
        return 1
    print("demo finished: every step succeeded")
    return 0


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="s1-demo-") as work:
        server = SimulatorServer(SimulatorConfig(token="demo-token", rate_limits=False)).start()
        try:
            return run_demo(server, Path(work))
        finally:
            server.stop()


if __name__ == "__main__":
    sys.exit(main())
