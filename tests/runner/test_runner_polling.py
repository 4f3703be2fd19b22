"""Polling: the runner follows ScheduledCommand entries like the platform's scheduler."""

from xsoar_local import Notice


def test_scheduled_command_is_followed_until_the_final_result_on_the_third_run(run_fake):
    result = run_fake("polling", "fake-scan", {"scan_id": "9"})
    assert result.exit_code == 0
    assert [execution.args for execution in result.executions] == [
        {"scan_id": "9", "attempt": "1"},
        {"scan_id": "9", "attempt": "2", "hide_polling_output": True},
        {"scan_id": "9", "attempt": "3", "hide_polling_output": True},
    ]
    notices = [item.text for item in result.transcript if isinstance(item, Notice)]
    assert notices == ["[poll 2] fake-scan … next run in 20s", "[poll 3] fake-scan … next run in 20s"]
    # The second run asked for hidden polling output: only its progress line shows.
    assert result.render() == (
        "Scan 9: attempt 1, still running\n\n"
        "[poll 2] fake-scan … next run in 20s\n\n"
        "[poll 3] fake-scan … next run in 20s\n\n"
        "Scan 9 finished after 3 runs"
    )
    final_context = result.entries[-1]["EntryContext"]["Fake.Scan"]
    assert final_context == {"ID": "9", "Status": "done", "Attempts": 3, "Retry": True}


def test_first_run_is_not_a_scheduled_retry(run_fake):
    result = run_fake("polling", "fake-scan", {"scan_id": "1", "attempt": "3"})
    assert len(result.executions) == 1
    assert result.entries[0]["EntryContext"]["Fake.Scan"]["Retry"] is False


def test_waits_are_next_run_scaled_by_poll_speed(run_fake):
    waits: list[float] = []
    run_fake("polling", "fake-scan", {"scan_id": "9"}, poll_speed=0.5, sleep=waits.append)
    assert waits == [10.0, 10.0]


def test_poll_speed_zero_never_sleeps(run_fake):
    waits: list[float] = []
    run_fake("polling", "fake-scan", {"scan_id": "9"}, poll_speed=0, sleep=waits.append)
    assert waits == []


def test_polling_past_the_timeout_stops_with_an_error(run_fake):
    result = run_fake("polling", "fake-forever")
    # NextRun 30s, Timeout 90s: runs at 0, 30, 60 and 90 seconds, the fifth would start after the timeout.
    assert len(result.executions) == 4
    assert result.exit_code == 1
    assert result.errors == ["polling fake-forever timed out: no final result within 90s (after 4 runs)"]
    assert result.render().endswith(
        "[poll 4] fake-forever … next run in 30s\n\nnot yet\n\n"
        "ERROR: polling fake-forever timed out: no final result within 90s (after 4 runs)"
    )


def test_an_error_in_a_later_run_ends_the_polling(run_fake):
    result = run_fake("polling", "fake-failing-poll")
    assert len(result.executions) == 2
    assert result.exit_code == 1
    assert result.errors == ["Failed to execute fake-failing-poll command. Error: the scan vanished"]
    assert result.render() == (
        "started\n\n[poll 2] fake-failing-poll … next run in 10s\n\n"
        "ERROR: Failed to execute fake-failing-poll command. Error: the scan vanished"
    )


def test_polling_function_decorator_hides_intermediate_output(run_fake):
    result = run_fake("polling", "fake-decorated")
    assert result.exit_code == 0
    assert len(result.executions) == 3
    assert result.render() == (
        "Fetching Results:\n\n"
        "[poll 2] fake-decorated … next run in 15s\n\n"
        "[poll 3] fake-decorated … next run in 15s\n\n"
        "decorated done at 3"
    )


def test_on_event_sees_executions_and_notices_as_they_happen(run_fake):
    seen: list[str] = []
    run_fake(
        "polling",
        "fake-scan",
        {"scan_id": "9"},
        on_event=lambda item: seen.append(item.text if isinstance(item, Notice) else f"run {item.args['attempt']}"),
    )
    assert seen == ["run 1", "[poll 2] fake-scan … next run in 20s", "run 2", "[poll 3] fake-scan … next run in 20s", "run 3"]
