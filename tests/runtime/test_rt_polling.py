"""ScheduledCommand, PollResult, polling_function and is_scheduled_command_retry."""

from typing import Any

import demistomock as demisto
import pytest
from CommonServerPython import CommandResults, PollResult, ScheduledCommand, is_scheduled_command_retry, polling_function


def test_scheduled_command_to_results() -> None:
    assert ScheduledCommand("cmd", 30).to_results() == {"PollingCommand": "cmd", "NextRun": "30", "PollingItemsRemaining": 0}
    assert ScheduledCommand("cmd", 30, args={"a": 1}, timeout_in_seconds=600, items_remaining=3).to_results() == {
        "PollingCommand": "cmd",
        "NextRun": "30",
        "PollingArgs": {"a": 1},
        "Timeout": "600",
        "PollingItemsRemaining": 3,
    }


def test_scheduled_command_minimum_interval(info_messages: list[str]) -> None:
    command = ScheduledCommand("cmd", 5)
    assert command._next_run == "10"
    assert command._timeout is None
    assert command._args is None
    assert info_messages == [
        "ScheduledCommandConfiguration provided value for next_run_in_seconds: 5 is too low - minimum interval is 10 seconds. "
        "next_run_in_seconds was set to 10 seconds."
    ]


def test_scheduled_command_support_checks() -> None:
    assert ScheduledCommand.raise_error_if_not_supported() is True
    assert ScheduledCommand.supports_polling() is True
    assert isinstance(ScheduledCommand.VERSION_MISMATCH_ERROR, str)
    assert not hasattr(ScheduledCommand, "is_polling_supported")


def test_poll_result_holds_its_data() -> None:
    partial = CommandResults(readable_output="partial")
    result = PollResult("r", continue_to_poll=True, args_for_next_run={"a": 1}, partial_result=partial)
    assert (result.response, result.continue_to_poll, result.args_for_next_run) == ("r", True, {"a": 1})
    assert result.partial_result is partial
    default = PollResult("r")
    assert (default.continue_to_poll, default.args_for_next_run, default.partial_result) == (False, None, None)


def make_command(poll_result: PollResult, calls: list[dict[str, Any]]) -> Any:
    @polling_function("sentinelone-get-thing", interval=60)
    def get_thing(args: dict[str, Any], client: Any = None) -> PollResult:
        calls.append(dict(args, client=client))
        return poll_result

    return get_thing


def test_first_polling_call_schedules_the_next_run() -> None:
    calls: list[dict[str, Any]] = []
    args = {"id": "9", "polling": "true"}
    next_args = {"id": "9", "polling": "true"}
    command = make_command(PollResult(None, continue_to_poll=True, args_for_next_run=next_args), calls)
    entry = command(args, client="c").to_context()
    assert calls == [{"id": "9", "polling": "true", "client": "c"}]
    assert entry["HumanReadable"] == "Fetching Results:"
    assert {key: entry[key] for key in ("PollingCommand", "NextRun", "PollingArgs", "Timeout", "PollingItemsRemaining")} == {
        "PollingCommand": "sentinelone-get-thing",
        "NextRun": "60",
        "PollingArgs": {"id": "9", "polling": "true", "hide_polling_output": True},
        "Timeout": "600",
        "PollingItemsRemaining": 0,
    }
    assert next_args == {"id": "9", "polling": "true", "hide_polling_output": True}  # the dict itself is changed


def test_without_args_for_next_run_the_callers_args_are_mutated() -> None:
    args = {"id": "9", "polling": "true"}
    command = make_command(PollResult(None, continue_to_poll=True), [])
    result = command(args)
    assert args == {"id": "9", "polling": "true", "hide_polling_output": True}
    assert result.scheduled_command._args is args


def test_hidden_polling_output_on_later_runs() -> None:
    command = make_command(PollResult(None, continue_to_poll=True), [])
    result = command({"id": "9", "polling": "true", "hide_polling_output": True})
    assert result.readable_output is None
    assert result.to_context()["HumanReadable"] is None


def test_partial_result_is_returned_with_the_schedule() -> None:
    partial = CommandResults(readable_output="2 of 5 done")
    command = make_command(PollResult(None, continue_to_poll=True, partial_result=partial), [])
    result = command({"polling": "true"})
    assert result is partial
    assert partial.scheduled_command is not None
    assert partial.scheduled_command._command == "sentinelone-get-thing"


def test_done_polling_returns_the_response() -> None:
    final = CommandResults(readable_output="done")
    command = make_command(PollResult(final, continue_to_poll=False), [])
    assert command({"polling": "true"}) is final


def test_continue_to_poll_may_be_a_callable() -> None:
    command = make_command(PollResult("final", continue_to_poll=lambda: False), [])
    assert command({"polling": "yes"}) == "final"
    command = make_command(PollResult("final", continue_to_poll=lambda: True), [])
    assert command({"polling": "yes"}).scheduled_command is not None


@pytest.mark.parametrize("args", [{}, {"polling": "false"}, {"polling": False}])
def test_without_polling_the_response_is_returned(args: dict[str, Any]) -> None:
    calls: list[dict[str, Any]] = []
    command = make_command(PollResult("final", continue_to_poll=True), calls)
    assert command(args) == "final"
    assert len(calls) == 1


def test_invalid_polling_argument() -> None:
    command = make_command(PollResult("final"), [])
    with pytest.raises(ValueError) as raised:
        command({"polling": "maybe"})
    assert str(raised.value) == "Argument does not contain a valid boolean-like value"


def test_polling_without_a_polling_argument() -> None:
    @polling_function("cmd", interval=15, timeout=100, poll_message="Waiting", polling_arg_name="p", requires_polling_arg=False)
    def command(args: dict[str, Any]) -> PollResult:
        return PollResult(None, continue_to_poll=True)

    entry = command({}).to_context()
    assert (entry["HumanReadable"], entry["NextRun"], entry["Timeout"], entry["PollingArgs"]) == (
        "Waiting",
        "15",
        "100",
        {"hide_polling_output": True},
    )


def test_is_scheduled_command_retry(monkeypatch: pytest.MonkeyPatch) -> None:
    assert is_scheduled_command_retry() is False
    monkeypatch.setattr(demisto, "callingContext", {"context": {"ParentEntry": {"polling": True}}})
    assert is_scheduled_command_retry() is True
    monkeypatch.setattr(demisto, "callingContext", {"context": {"ParentEntry": {"polling": False}}})
    assert is_scheduled_command_retry() is False
