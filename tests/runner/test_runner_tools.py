"""`make demo` and `make bench` (tools/demo.py, tools/bench.py): both run end to end against an in-process simulator."""

import re

import pytest

from tools import bench, demo


def test_demo_walks_through_every_step_without_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main() == 0

    out = capsys.readouterr().out
    assert re.findall(r"^(\d+)\. ", out, re.MULTILINE) == [str(number) for number in range(1, 20)]
    assert "fetched 10 then 10 incidents; fetched twice: 0" in out
    assert "[poll 2] sentinelone-get-power-query-results" in out  # the polling command was followed to its result
    assert "saved to" in out  # the fetched file was written
    assert "CLOSE incident (closeReason=False Positive" in out  # incoming mirroring closed the incident
    assert re.search(r"Exported \d{4} timeline items, oldest first, to \d+_timeline\.json", out)  # the whole timeline
    assert "Sentinel One - UAM alerts" in out  # the UAM GraphQL endpoint answered
    assert "[27] Write a note on the threat (sentinelone-write-threat-note): completed" in out  # the triage playbook ran
    assert "ERROR" not in out
    assert out.rstrip().endswith("demo finished: every step succeeded")


def test_bench_drains_the_backlog_lists_every_threat_and_sees_every_modified_item() -> None:
    drain, list_threats, modified = bench.bench(threats=12, alerts=5, fetch_limit=4)

    assert (drain.name, drain.items) == ("fetch-incidents drain (12+5, limit 4)", 17)
    assert (list_threats.name, list_threats.items) == ("get-threats limit=1000 (one command run)", 12)
    assert (modified.name, modified.items) == ("get-modified-remote-data (every item modified)", 17)
    assert list(drain.figures) == ["time", "peak"]
    assert drain.figures["time"].value > 0 and drain.figures["peak"].value > 0
    assert (drain.figures["time"].goal, drain.figures["peak"].goal) == (35.0, 64.0)


def test_bench_of_a_mirroring_cycle_counts_the_requests_of_each_kind_of_console() -> None:
    honouring, refusing = bench.bench_alert_mirroring(tenant_alerts=2_000, open_alerts=300, changed=5)

    requests = honouring.figures["requests"]
    assert (honouring.name, requests.value, requests.goal) == ("mirroring cycle, 2000 alerts, honouring", 2, 2)
    assert refusing.name == "mirroring cycle, 2000 alerts, refusing"
    # threats, then 300-odd open alert incidents in two requests
    assert refusing.figures["requests"].value == refusing.figures["requests"].goal == 3
    assert honouring.items >= 5 and refusing.items >= 5


def test_bench_export_writes_the_whole_timeline_within_the_memory_goal() -> None:
    export = bench.bench_export(timeline_items=1500)

    assert export.name.startswith("export-full-threat-timeline (1501 items), file ")
    assert export.items == 1501
    assert export.figures["peak"].ok  # a long timeline costs no more memory than a 500-item one + 4 MiB


def test_bench_drains_the_uam_backlog_and_sees_every_modified_uam_alert() -> None:
    drain, modified = bench.bench_uam_integration(alerts=25, fetch_limit=4)

    assert (drain.name, drain.items) == ("fetch-incidents drain (25 UAM alerts, limit 4)", 25)
    assert (modified.name, modified.items) == ("get-modified-remote-data (every UAM alert modified)", 25)
    assert drain.figures["time"].value > 0 and drain.figures["peak"].value > 0


def test_bench_cost_figures_measure_the_integration_over_canned_answers() -> None:
    costs = bench.costs(repeats=1)

    assert [cost.name for cost in costs] == [
        "get-threats, own code per 1,000 threats",
        "fetch-incidents, own code per incident (limit 10)",
        "fetch-incidents, own code per incident (limit 200)",
        "compile + exec of the integration file",
    ]
    assert all(list(cost.figures) == ["cpu"] and cost.figures["cpu"].value > 0 for cost in costs)
    assert "(20 incidents a run;" in costs[1].detail and "(400 incidents a run;" in costs[2].detail


def test_a_measurement_misses_when_any_figure_exceeds_its_goal_and_says_which() -> None:
    within = bench.Measurement("x", {"time": bench.Figure(1.0, 2.0, "s"), "peak": bench.Figure(3.0, 4.0, "MiB")}, items=10)
    over = bench.Measurement("y", {**within.figures, "requests": bench.Figure(3, 2, "")})

    assert within.ok and not over.ok
    assert within.line() == (f"{'x':<48} time 1.00 s (goal <= 2.00)  peak 3.0 MiB (goal <= 4.0)  10 items, 10.0 items/s   ok")
    assert over.line().endswith("requests 3 (goal <= 2)   MISSED")
    assert bench.report([within, over]) == 1 and bench.report([within]) == 0
