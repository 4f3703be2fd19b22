"""The playbook runner's semantics, on small playbooks over a fake integration (tests/runner/fixtures/playbook_*)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playbook_support import FAKE_INTEGRATION, an_input, condition, ctx, lit, playbook, run, save, simple, task

from xsoar_local.integration import UsageError
from xsoar_local.playbook import PlaybookEvent, PlaybookFormatError, PlaybookRunner, load_playbook

B = "FakePlaybook|||"


def test_tasks_run_in_order_and_each_entry_context_merges_in(tmp_path: Path) -> None:
    """
    Given start → a keyed list command → a command reading it → a title
    When the playbook runs
    Then each task runs once, in order, the keyed outputs are in the context and the YAML default fills `mode`
    """
    result = run(
        tmp_path,
        playbook(
            "linear",
            {
                0: task("start", nxt=1),
                1: task(name="Items", target=B + "pb-items", nxt=2),
                2: task(name="Echo", target=B + "pb-echo", nxt=3, scriptarguments={"text": simple("${Fake.Item.[0].Name}")}),
                3: task("title", name="Done"),
            },
        ),
    )
    assert result.exit_code == 0, result.errors
    assert result.ran() == ["0", "1", "2", "3"]
    assert result.context == {
        "Fake": {
            "Item": [{"ID": "1", "Name": "alpha", "Status": "new"}, {"ID": "2", "Name": "beta", "Status": "done"}],
            "Echo": {"text": "alpha", "mode": "normal"},
        }
    }
    assert [entry.entry["HumanReadable"] for entry in result.war_room] == ["items", "echo alpha"]
    assert [entry.entry_id for entry in result.war_room] == ["1@1", "2@1"]


def test_simple_arguments_resolve_references_as_the_platform_does(tmp_path: Path) -> None:
    """
    Given references alone (the raw value, a list stays a list), inside text (joined with commas) and to nothing
    When the echo command runs
    Then it gets the list, the text, and no argument at all for the reference to nothing
    """
    result = run(
        tmp_path,
        playbook(
            "simple",
            {
                0: task("start", nxt=1),
                1: task(target=B + "pb-items", nxt=2),
                2: task(
                    target=B + "pb-echo",
                    scriptarguments={
                        "text": simple("names: ${Fake.Item.Name}!"),
                        "extra": simple("${Fake.Item.ID}"),
                        "mode": simple("${Nothing.Here}"),
                    },
                ),
            },
        ),
    )
    assert result.exit_code == 0, result.errors
    assert result.context["Fake"]["Echo"] == {"text": "names: alpha,beta!", "extra": ["1", "2"], "mode": "normal"}


def test_inputs_and_incident_fields_are_read_through_inputs_and_incident(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        playbook(
            "refs",
            {
                0: task("start", nxt=1),
                1: task(
                    target=B + "pb-echo",
                    scriptarguments={
                        "text": simple("${inputs.Agent}"),
                        "extra": simple("${incident.CustomFields.sentineloneagentid}"),
                    },
                ),
            },
            inputs=[an_input("Agent", simple("${incident.sentineloneagentid}"))],
        ),
        incident={"sentineloneagentid": "42", "name": "Threat 42"},
    )
    assert result.exit_code == 0, result.errors
    assert result.inputs == {"Agent": "42"}
    assert result.context["Fake"]["Echo"] == {"text": "42", "extra": "42", "mode": "normal"}


def branching(tmp_path: Path) -> dict:
    """A condition with two labels and an else, whose three branches join in one task."""
    is_value = lambda value: [[condition("isEqualString", ctx("inputs.Choice"), lit(value))]]  # noqa: E731
    return playbook(
        "branching",
        {
            0: task("start", nxt=1),
            1: task(
                "condition",
                name="Which?",
                nxt={"left": 2, "right": 3, "#default#": 4},
                conditions=[{"label": "left", "condition": is_value("left")}, {"label": "right", "condition": is_value("right")}],
            ),
            2: task(name="Left", target=B + "pb-echo", nxt=5, scriptarguments={"text": simple("left")}),
            3: task(name="Right", target=B + "pb-echo", nxt=5, scriptarguments={"text": simple("right")}),
            4: task(name="Neither", target=B + "pb-echo", nxt=5, scriptarguments={"text": simple("neither")}),
            5: task(name="Join", target=B + "pb-counter"),
        },
        inputs=[an_input("Choice")],
    )


@pytest.mark.parametrize(
    ("choice", "ran", "outcome"),
    [("left", ["0", "1", "2", "5"], "left"), ("right", ["0", "1", "3", "5"], "right"), ("up", ["0", "1", "4", "5"], "else")],
)
def test_a_condition_takes_one_branch_and_the_join_runs_once_after_it(tmp_path: Path, choice, ran, outcome) -> None:
    result = run(tmp_path, branching(tmp_path), {"Choice": choice})
    assert result.exit_code == 0, result.errors
    assert result.ran() == ran
    assert result.task("1").outcome == outcome
    assert result.context["Fake"]["Counter"] == {"Name": "c", "Count": 1}


def test_the_yes_label_stays_a_label(tmp_path: Path) -> None:
    """YAML 1.1 would read an unquoted `yes:` key as True; the platform (and the runner) read YAML 1.2."""
    path = tmp_path / "playbook-yes.yml"
    path.write_text(
        "id: yes-pb\nname: yes-pb\nstarttaskid: '0'\ntasks:\n"
        "  '0': {type: start, task: {name: ''}, nexttasks: {'#none#': ['1']}}\n"
        "  '1':\n    type: condition\n    task: {name: Check}\n    nexttasks: {yes: ['2'], '#default#': ['3']}\n"
        "    conditions:\n    - label: yes\n"
        "      condition: [[{operator: isExists, left: {value: {simple: incident.name}, iscontext: true}}]]\n"
        "  '2': {type: title, task: {name: 'Yes'}}\n  '3': {type: title, task: {name: 'No'}}\n"
    )
    assert load_playbook(path).tasks["1"].next_tasks == {"yes": ["2"], "#default#": ["3"]}
    result = PlaybookRunner({}, integration=FAKE_INTEGRATION, incident={"name": "n"}).run(path)
    assert result.ran() == ["0", "1", "2"]


def test_a_condition_outcome_without_a_branch_fails_naming_the_task(tmp_path: Path) -> None:
    document = branching(tmp_path)
    del document["tasks"]["1"]["nexttasks"]["#default#"]
    result = run(tmp_path, document, {"Choice": "up"})
    assert result.exit_code == 1
    assert result.errors == [
        "playbook 'branching', task [1] Which?: the condition's outcome is 'else', and the task has no branch for it"
    ]
    assert result.ran() == ["0", "1"]


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("condition", "a manual condition (no conditions and no script): it waits for an analyst to choose a branch"),
        ("regular", "a manual task (no command or script): it waits for an analyst, which this runner cannot do"),
        ("collection", "unsupported task type 'collection'"),
    ],
)
def test_tasks_that_wait_for_an_analyst_fail(tmp_path: Path, kind, message) -> None:
    result = run(
        tmp_path, playbook("manual", {0: task("start", nxt=1), 1: task(kind, name="Ask", nxt={"yes": 2}), 2: task("title")})
    )
    assert result.errors == [f"playbook 'manual', task [1] Ask: {message}"]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (B + "pb-itemz", "FakePlaybook has no command 'pb-itemz'"),
        ("OtherBrand|||pb-items", "no integration with brand 'OtherBrand' (the runner has 'FakePlaybook')"),
        ("|||pb-itemz", "no server command 'pb-itemz'"),
        ("SetAndForget", "no script 'SetAndForget' (the runner has DeleteContext, Print, PrintErrorEntry, Set)"),
    ],
)
def test_an_unknown_command_or_script_fails_naming_the_task_and_stops_the_run(tmp_path: Path, target, message) -> None:
    document = playbook(
        "typo", {0: task("start", nxt=1), 1: task(name="Get items", target=target, nxt=2), 2: task(target=B + "pb-counter")}
    )
    result = run(tmp_path, document)
    assert result.exit_code == 1
    assert result.errors == [f"playbook 'typo', task [1] Get items: {message}"]
    assert result.ran() == ["0", "1"]
    assert result.task("1").line() == f"[1] Get items ({target.rpartition('|||')[2]}): ERROR: {message}"

    document["tasks"]["1"]["skipunavailable"] = True
    skipped = run(tmp_path, document)
    assert skipped.exit_code == 0
    assert skipped.ran() == ["0", "1", "2"]
    assert skipped.task("1").outcome == f"skipped ({message}; skipunavailable)"


def test_a_wrong_context_path_fails_as_a_missing_required_argument_naming_the_reference(tmp_path: Path) -> None:
    document = playbook(
        "path",
        {
            0: task("start", nxt=1),
            1: task(target=B + "pb-items", nxt=2),
            2: task(name="Echo", target=B + "pb-echo", scriptarguments={"text": simple("${Fake.Itme.Name}")}),
        },
    )
    result = run(tmp_path, document)
    assert result.errors == [
        "playbook 'path', task [2] Echo: pb-echo: missing required argument text; these references resolved to nothing: "
        "${Fake.Itme.Name}"
    ]


def failing(**extra) -> dict:
    return playbook(
        "failing",
        {
            0: task("start", nxt=1),
            1: task(
                name="Fail",
                target=B + "pb-fail",
                nxt={"#none#": 2, "#error#": 3},
                scriptarguments={"reason": simple("x")},
                **extra,
            ),
            2: task(name="After", target=B + "pb-echo", scriptarguments={"text": simple("after")}),
            3: task(name="On error", target=B + "pb-echo", scriptarguments={"text": simple("on error")}),
        },
    )


def test_an_error_entry_fails_the_task_and_stops_the_playbook(tmp_path: Path) -> None:
    result = run(tmp_path, failing())
    assert result.errors == ["playbook 'failing', task [1] Fail: Failed to execute pb-fail command. Error: failed on purpose: x"]
    assert result.ran() == ["0", "1"]
    assert [entry.entry["Type"] for entry in result.war_room] == [4]


def test_continueonerror_goes_on_along_none_or_along_the_error_path(tmp_path: Path) -> None:
    going_on = run(tmp_path, failing(continueonerror=True))
    assert going_on.exit_code == 0
    assert going_on.ran() == ["0", "1", "2"]
    assert going_on.task("1").error == "Failed to execute pb-fail command. Error: failed on purpose: x"
    assert going_on.task("1").line().endswith("(continueonerror: the playbook goes on)")

    error_path = run(tmp_path, failing(continueonerror=True, continueonerrortype="errorPath"))
    assert error_path.ran() == ["0", "1", "3"]
    assert error_path.context["Fake"]["Echo"] == {"text": "on error", "mode": "normal"}


@pytest.mark.parametrize(
    ("playbook_quiet", "quietmode", "shown"), [(False, 0, True), (False, 1, False), (True, 0, False), (True, 2, True)]
)
def test_quiet_mode_keeps_entries_out_of_the_war_room_but_not_out_of_the_context(
    tmp_path, playbook_quiet, quietmode, shown
) -> None:
    document = playbook(
        "quiet", {0: task("start", nxt=1), 1: task(target=B + "pb-items", quietmode=quietmode)}, quiet=playbook_quiet
    )
    result = run(tmp_path, document)
    assert len(result.war_room) == (1 if shown else 0)
    assert len(result.context["Fake"]["Item"]) == 2


def test_a_polling_command_is_followed_to_its_end(tmp_path: Path) -> None:
    waits: list[float] = []
    events: list[PlaybookEvent] = []
    result = run(
        tmp_path,
        playbook("poll", {0: task("start", nxt=1), 1: task(name="Poll", target=B + "pb-poll")}),
        poll_speed=1,
        sleep=waits.append,
        on_event=events.append,
    )
    assert result.exit_code == 0, result.errors
    assert result.context == {"Fake": {"Poll": {"Attempts": 3}}}
    assert waits == [10.0, 10.0]
    assert [event.text for event in events] == [
        "Playbook poll",
        "[0] start: done",
        "  [poll 2] pb-poll … next run in 10s",
        "  [poll 3] pb-poll … next run in 10s",
        "[1] Poll (pb-poll): completed",
        "Playbook completed: 2 tasks run",
    ]


def test_a_file_entry_adds_a_file_object_to_the_context(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        playbook(
            "file",
            {
                0: task("start", nxt=1),
                1: task(target=B + "pb-file", scriptarguments={"name": simple("r.txt"), "content": simple("hi")}),
            },
        ),
    )
    assert result.exit_code == 0, result.errors
    (entry,) = result.war_room
    assert entry.file == tmp_path / "files" / "r.txt" and entry.file.read_text() == "hi"
    file = result.context["File"]
    assert file["Name"] == "r.txt" and file["EntryID"] == entry.entry_id and file["Size"] == 2 and file["Extension"] == "txt"
    assert file["SHA256"] == hashlib.sha256(b"hi").hexdigest()


def test_keyed_outputs_replace_the_matching_objects_and_plain_ones_append(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        playbook(
            "merge",
            {
                0: task("start", nxt=1),
                1: task(target=B + "pb-items", nxt=2),
                2: task(target=B + "pb-items", nxt=3, scriptarguments={"id": simple("1"), "status": simple("closed")}),
                3: task(target=B + "pb-echo", nxt=4, scriptarguments={"text": simple("a")}),
                4: task(target=B + "pb-echo", scriptarguments={"text": simple("b")}),
            },
        ),
    )
    assert result.context["Fake"]["Item"] == [
        {"ID": "1", "Name": "alpha", "Status": "closed"},
        {"ID": "2", "Name": "beta", "Status": "done"},
    ]
    assert result.context["Fake"]["Echo"] == [{"text": "a", "mode": "normal"}, {"text": "b", "mode": "normal"}]


def child(*, outputs: list[str] | None = None) -> dict:
    return playbook(
        "child",
        {
            0: task("start", nxt=1),
            1: task(target=B + "pb-echo", nxt=2, scriptarguments={"text": simple("${inputs.Text}")}),
            2: task(target=B + "pb-items"),
        },
        inputs=[an_input("Text", simple("default text")), an_input("Must", required=True)],
        outputs=outputs,
    )


def parent(separate: bool, args: dict) -> dict:
    return playbook(
        "parent",
        {
            0: task("start", nxt=1),
            1: task("playbook", name="Child", target="child", separatecontext=separate, scriptarguments=args),
        },
    )


def test_a_sub_playbook_sharing_the_context_writes_into_the_parents(tmp_path: Path) -> None:
    result = run(tmp_path, parent(False, {"Must": simple("x")}), subs=[child()])
    assert result.exit_code == 0, result.errors
    assert result.context["Fake"]["Echo"] == {"text": "default text", "mode": "normal"}
    assert len(result.context["Fake"]["Item"]) == 2
    assert result.ran("child") == ["0", "1", "2"]
    assert result.task("1").outcome == "completed"


def test_a_sub_playbook_with_its_own_context_hands_back_only_its_outputs(tmp_path: Path) -> None:
    result = run(
        tmp_path,
        parent(True, {"Must": simple("x"), "Text": simple("given")}),
        subs=[child(outputs=["Fake.Echo.text", "Fake.Nothing"])],
    )
    assert result.exit_code == 0, result.errors
    assert result.context == {"Fake": {"Echo": {"text": "given"}}}


def test_outputs_copied_through_a_list_copy_the_whole_list(tmp_path: Path) -> None:
    result = run(tmp_path, parent(True, {"Must": simple("x")}), subs=[child(outputs=["Fake.Item.Name"])])
    assert result.context == {
        "Fake": {"Item": [{"ID": "1", "Name": "alpha", "Status": "new"}, {"ID": "2", "Name": "beta", "Status": "done"}]}
    }


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({}, "playbook 'child': the required input Must has no value"),
        ({"Must": simple("${Not.There}")}, "playbook 'child': the required input Must has no value"),
        ({"Must": simple("x"), "Tpyo": simple("y")}, "playbook 'child' has no input Tpyo"),
    ],
)
def test_sub_playbook_inputs_are_checked(tmp_path: Path, args, message) -> None:
    result = run(tmp_path, parent(True, args), subs=[child()])
    assert result.errors == [f"playbook 'parent', task [1] Child: {message}"]


def test_an_unknown_sub_playbook_fails_naming_the_task(tmp_path: Path) -> None:
    result = run(tmp_path, parent(True, {}))
    assert result.errors == ["playbook 'parent', task [1] Child: no playbook 'child'"]


def test_a_failing_task_of_a_sub_playbook_stops_the_whole_run(tmp_path: Path) -> None:
    sub = playbook("child", {0: task("start", nxt=1), 1: task(name="Boom", target=B + "pb-fail")})
    result = run(tmp_path, parent(True, {}), subs=[sub])
    assert result.errors == [
        "playbook 'child', task [1] Boom: Failed to execute pb-fail command. Error: failed on purpose: no reason"
    ]
    assert result.task("1").error == "a task of the sub-playbook failed"


def looping(loop: dict) -> tuple[dict, dict]:
    body = playbook("count once", {0: task("start", nxt=1), 1: task(target=B + "pb-counter")})
    document = playbook(
        "looping",
        {
            0: task("start", nxt=1),
            1: task("playbook", name="Count", target="count once", separatecontext=False, loop=loop, nxt=2),
            2: task("title", name="After"),
        },
    )
    return document, body


def test_a_loop_runs_until_its_exit_condition_holds_waiting_between_iterations(tmp_path: Path) -> None:
    until_three = [[condition("greaterThanOrEqual", ctx("Fake.Counter.Count"), lit("3"))]]
    document, body = looping({"iscommand": False, "exitCondition": "", "wait": 5, "max": 10, "builtincondition": until_three})
    waits: list[float] = []
    result = run(tmp_path, document, subs=[body], poll_speed=1, sleep=waits.append)
    assert result.exit_code == 0, result.errors
    assert result.context["Fake"]["Counter"]["Count"] == 3
    assert waits == [5.0, 5.0]
    assert result.task("1").iterations == 3
    assert result.task("1").outcome == "completed (exit condition met after 3 iterations)"
    assert result.ran() == ["0", "1", "2"]


def test_a_loop_stops_at_its_maximum_and_the_playbook_goes_on(tmp_path: Path) -> None:
    never = [[condition("isEqualString", ctx("Fake.Counter.Count"), lit("never"))]]
    document, body = looping({"iscommand": False, "exitCondition": "", "wait": 5, "max": 2, "builtincondition": never})
    result = run(tmp_path, document, subs=[body])
    assert result.context["Fake"]["Counter"]["Count"] == 2
    assert result.task("1").outcome == "completed (2 iterations, the maximum, exit condition not met)"
    assert result.ran() == ["0", "1", "2"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            {"loop": {"forEach": True, "max": 3}},
            "unsupported construct: a for-each loop or a loop exit script (only built-in exit conditions)",
        ),
        (
            {"fieldMapping": [{"incidentfield": "x", "output": {"simple": "y"}}]},
            "unsupported construct: field mapping of the task's outputs (fieldMapping)",
        ),
        ({"timertriggers": [{"fieldname": "sla", "action": "start"}]}, "unsupported construct: timer triggers (timertriggers)"),
        (
            {"evidencedata": {"description": {"simple": "x"}}},
            "unsupported construct: marking the task's entries as evidence (evidencedata)",
        ),
        (
            {"timelineRecord": {"shouldMarkAsRecord": True}},
            "unsupported construct: marking the task's entries as a timeline record (timelineRecord)",
        ),
        (
            {"scriptarguments:xsoar_saas": {"limit": {"simple": "1"}}},
            "unsupported construct: a marketplace-specific variant (scriptarguments:xsoar_saas)",
        ),
        (
            {"continueonerror": True, "continueonerrortype": "retry"},
            "unsupported construct: continueonerrortype 'retry' (the runner knows errorPath)",
        ),
        ({"quietmode": 3}, "unsupported construct: quietmode 3 (0, 1 or 2)"),
    ],
)
@pytest.mark.parametrize("continue_on_error", [False, True])
def test_unsupported_constructs_fail_naming_the_task(tmp_path: Path, extra, message, continue_on_error) -> None:
    """Even with continueonerror: going on past what the runner cannot execute would pass a playbook never run."""
    kind = "playbook" if "loop" in extra else "regular"
    settings = {"continueonerror": continue_on_error, **extra}
    target = B + "pb-counter" if kind == "regular" else "x"
    document = playbook(
        "odd", {0: task("start", nxt=1), 1: task(kind, name="Odd", target=target, nxt=2, **settings), 2: task("title")}
    )
    result = run(tmp_path, document)
    assert result.errors == [f"playbook 'odd', task [1] Odd: {message}"]
    assert result.ran() == ["0", "1"]


@pytest.mark.parametrize(
    ("operator", "message"),
    [
        ({"operator": "isAfter"}, "unsupported condition operator 'isAfter'"),
        ({"operator": "isEqualString", "left": ctx("A(val.x.startsWith('a'))")}, "method calls are not supported"),
    ],
)
def test_an_unsupported_operator_or_expression_stops_the_run_under_continueonerror(tmp_path: Path, operator, message) -> None:
    document = playbook(
        "odd",
        {
            0: task("start", nxt=1),
            1: task("condition", name="Check", nxt={"yes": 2, "#default#": 2}, continueonerror=True,
                    conditions=[{"label": "yes", "condition": [[operator]]}]),
            2: task("title"),
        },
    )  # fmt: skip
    result = run(tmp_path, document)
    assert result.exit_code == 1 and message in result.errors[0]
    assert result.ran() == ["0", "1"]


def test_a_playbook_whose_tasks_lead_back_to_themselves_is_refused(tmp_path: Path) -> None:
    document = playbook("cycle", {0: task("start", nxt=1), 1: task("title", nxt=2), 2: task("title", nxt=1)})
    with pytest.raises(PlaybookFormatError, match=r"playbook 'cycle': tasks lead back to themselves: 1 → 2 → 1"):
        load_playbook(save(tmp_path, document))


def test_a_link_to_a_missing_task_is_refused(tmp_path: Path) -> None:
    document = playbook("dangling", {0: task("start", nxt=[1, 7]), 1: task("title")})
    with pytest.raises(PlaybookFormatError, match=r"task \[0\] start leads \(#none#\) to tasks that do not exist: 7"):
        load_playbook(save(tmp_path, document))


def test_top_level_inputs_are_checked_before_anything_runs(tmp_path: Path) -> None:
    document = playbook(
        "needs", {0: task("start", nxt=1), 1: task(target=B + "pb-counter")}, inputs=[an_input("ID", required=True)]
    )
    with pytest.raises(UsageError, match="playbook 'needs': the required input ID has no value"):
        run(tmp_path, document)
    with pytest.raises(UsageError, match=r"playbook 'needs' has no input Id \(its inputs: ID\)"):
        run(tmp_path, document, {"Id": "1"})
    assert not (tmp_path / "state").exists()  # nothing ran


def test_built_in_scripts_change_the_context_and_the_incident(tmp_path: Path) -> None:
    document = playbook(
        "builtins",
        {
            0: task("start", nxt=1),
            1: task(target="Set", nxt=2, scriptarguments={"key": simple("A.B"), "value": simple("one")}),
            2: task(
                target="Set", nxt=3, scriptarguments={"key": simple("A.B"), "value": simple("two"), "append": simple("true")}
            ),
            3: task(target="Set", nxt=4, scriptarguments={"key": simple("C"), "value": simple("gone")}),
            4: task(target="DeleteContext", nxt=5, scriptarguments={"key": simple("C")}),
            5: task(target="Builtin|||setIncident", nxt=6, scriptarguments={"sentinelonethreatstatus": simple("Resolved")}),
            6: task(target="Print", scriptarguments={"value": simple("status ${incident.sentinelonethreatstatus}")}),
        },
    )
    result = run(tmp_path, document, incident={"name": "i"})
    assert result.exit_code == 0, result.errors
    assert result.context == {"A": {"B": ["one", "two"]}}
    assert result.incident == {"name": "i", "sentinelonethreatstatus": "Resolved"}
    assert result.war_room[-1].entry["Contents"] == "status Resolved"


def test_set_incident_refuses_a_field_that_does_not_exist(tmp_path: Path) -> None:
    document = playbook(
        "field",
        {
            0: task("start", nxt=1),
            1: task(name="Set", target="Builtin|||setIncident", scriptarguments={"sentinelonethreatstatuz": simple("x")}),
        },
    )
    result = run(tmp_path, document)
    assert result.errors == [
        "playbook 'field', task [1] Set: no incident field named sentinelonethreatstatuz (use the field's cli name)"
    ]


def test_print_error_entry_fails_the_task_with_its_message(tmp_path: Path) -> None:
    document = playbook(
        "assert",
        {
            0: task("start", nxt=1),
            1: task(name="Fail", target="PrintErrorEntry", scriptarguments={"message": simple("bad ${inputs.X}")}),
        },
        inputs=[an_input("X", simple("news"))],
    )
    result = run(tmp_path, document)
    assert result.errors == ["playbook 'assert', task [1] Fail: bad news"]


def test_render_lists_every_task_and_the_outcome(tmp_path: Path) -> None:
    result = run(tmp_path, branching(tmp_path), {"Choice": "left"})
    assert result.render() == "\n".join(
        [
            "Playbook branching",
            "[0] start: done",
            "[1] Which?: left",
            "[2] Left (pb-echo): completed",
            "[5] Join (pb-counter): completed",
            "Playbook completed: 4 tasks run",
        ]
    )
