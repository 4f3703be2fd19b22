"""`make demo` and `make bench` (tools/demo.py, tools/bench.py): both run end to end against an in-process simulator."""

import re

import pytest

from tools import bench, demo


def test_demo_walks_through_every_step_without_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert demo.main() == 0

    out = capsys.readouterr().out
    assert re.findall(r"^(\d+)\. ", out, re.MULTILINE) == [str(number) for number in range(1, 17)]
    assert "fetched 10 then 10 incidents; fetched twice: 0" in out
    assert "[poll 2] sentinelone-get-power-query-results" in out  # the polling command was followed to its result
    assert "saved to" in out  # the fetched file was written
    assert "CLOSE incident (closeReason=False Positive" in out  # incoming mirroring closed the incident
    assert "ERROR" not in out
    assert out.rstrip().endswith("demo finished: every step succeeded")


def test_bench_drains_the_backlog_lists_every_threat_and_sees_every_modified_item() -> None:
    drain, list_threats, modified = bench.bench(threats=12, alerts=5, fetch_limit=4)

    assert (drain.name, drain.items) == ("fetch-incidents drain (12+5, limit 4)", 17)
    assert (list_threats.name, list_threats.items) == ("get-threats limit=1000 (one command run)", 12)
    assert (modified.name, modified.items) == ("get-modified-remote-data (every item modified)", 17)
    assert drain.seconds > 0 and drain.peak_mib > 0


def test_bench_cost_figures_measure_the_integration_over_canned_answers() -> None:
    costs = bench.costs(repeats=1)

    assert [cost.name for cost in costs] == [
        "get-threats, own code per 1,000 threats",
        "fetch-incidents, own code per incident (limit 10)",
        "fetch-incidents, own code per incident (limit 200)",
        "compile + exec of the integration file",
    ]
    assert all(cost.milliseconds > 0 for cost in costs)
    assert "(20 incidents a run;" in costs[1].detail and "(400 incidents a run;" in costs[2].detail
