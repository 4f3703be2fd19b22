"""Context paths, DT expressions, context merging, `simple`/`complex` values, operators and transformers, and the
incident an ingested fetch result becomes."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xsoar_local.incident import incident_from_fetch, incident_from_fields
from xsoar_local.playbook_context import Context, ContextError, DTExpression, get_path, interpolate, split_key
from xsoar_local.playbook_values import OPERATORS, TRANSFORMERS, ValueSpecError, check, resolve, resolve_complex

DATA = {
    "Agent": [
        {"ID": "1", "Name": "a", "Tags": ["x", "y"], "Net": {"Status": "connected"}},
        {"ID": "2", "Name": "b", "Tags": ["z"], "Net": {"Status": "disconnected"}},
    ],
    "Single": {"ID": "9", "Count": 3},
    "Empty": [],
}


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("Single.ID", "9"),
        ("Agent.ID", ["1", "2"]),
        ("Agent.Tags", ["x", "y", "z"]),  # mapped over the agents and flattened one level
        ("Agent.Net.Status", ["connected", "disconnected"]),
        ("Agent.[1].Name", "b"),
        ("Agent[0].Name", "a"),
        ("Agent.[5]", None),
        ('Agent(val.ID == "2").Name', "b"),  # a list of one reads as its item
        ("Agent(val.Net.Status === 'connected' || val.ID == 2).ID", ["1", "2"]),
        ("Agent(val.ID == '3')", None),
        ("Missing.Path", None),
        ("Single.ID.More", None),
        ("Empty", []),
    ],
)
def test_paths_read_as_the_platform_reads_them(path: str, expected: Any) -> None:
    assert get_path(DATA, path) == expected


@pytest.mark.parametrize(
    ("expression", "val", "obj", "expected"),
    [
        ("val.ID && val.ID == obj.ID", {"ID": "1"}, {"ID": "1"}, True),
        ("val.ID && val.ID == obj.ID", {"ID": None}, {"ID": None}, False),
        ("val.ID === obj.ID", {"ID": 1}, {"ID": "1"}, False),
        ("val.ID == obj.ID", {"ID": 1}, {"ID": "1"}, True),
        ("val.A != obj.A", {"A": "x"}, {"A": "y"}, True),
        ("!(val.A == 'x')", {"A": "x"}, {}, False),
        ("val.N >= 3 && val.N < 5", {"N": 4}, {}, True),
        ("val.MD5 && val.MD5 == obj.MD5 || val.SHA1 && val.SHA1 == obj.SHA1", {"SHA1": "s"}, {"MD5": "m", "SHA1": "s"}, True),
        ("true", {}, {}, True),
        ("val.Flag === true", {"Flag": True}, {}, True),
        ("val.Tags", {"Tags": []}, {}, True),  # an empty list is truthy in JavaScript
    ],
)
def test_dt_expressions_follow_javascript(expression, val, obj, expected) -> None:
    assert DTExpression(expression).evaluate(val, obj) is expected


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("val.Name.toLowerCase() == 'a'", "method calls are not supported"),
        ("other.ID == 1", "'other.ID' is neither val.… nor obj.…"),
        ("val.A + 1 == 2", "unsupported DT expression"),
        ("(val.A == 1", "missing ')'"),
    ],
)
def test_unsupported_dt_expressions_are_errors(expression, message) -> None:
    with pytest.raises(ContextError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        DTExpression(expression)


def test_split_key_separates_the_path_from_the_dt() -> None:
    assert split_key("SentinelOne.Agent(val.ID && val.ID == obj.ID)") == ("SentinelOne.Agent", "val.ID && val.ID == obj.ID")
    assert split_key("A.B") == ("A.B", None)
    assert split_key("A(val.X == ')')") == ("A", "val.X == ')'")


def test_merging_appends_plain_keys_and_replaces_keyed_objects_field_by_field() -> None:
    context = Context()
    context.merge({"A.Item(val.ID && val.ID == obj.ID)": [{"ID": "1", "S": "new", "Keep": 1}, {"ID": "2", "S": "new"}]})
    context.merge({"A.Item(val.ID && val.ID == obj.ID)": {"ID": "1", "S": "done"}})
    context.merge({"A.Item(val.ID && val.ID == obj.ID)": {"ID": "3"}})
    context.merge({"Plain": "one"})
    context.merge({"Plain": ["two", "three"]})
    context.merge({"Once": ["only"]})
    assert context.data == {
        "A": {"Item": [{"ID": "1", "S": "done", "Keep": 1}, {"ID": "2", "S": "new"}, {"ID": "3"}]},
        "Plain": ["one", "two", "three"],
        "Once": "only",  # a list of one is stored as its item
    }


def test_replace_existing_dt_true_replaces_the_named_key() -> None:
    context = Context({"P": {"last": ["old"], "other": 1}})
    context.merge({"P(true)": {"last": ["new"]}})
    assert context.data == {"P": {"last": ["new"], "other": 1}}


def test_writes_through_a_list_or_a_dt_are_errors() -> None:
    context = Context({"A": [{"B": 1}, {"B": 2}]})
    with pytest.raises(ContextError, match="A holds list, not an object"):
        context.set("A.B", 3)
    with pytest.raises(ContextError, match="a write path is plain keys"):
        context.set("A(val.B == 1).C", 3)


def test_set_delete_and_clear() -> None:
    context = Context()
    context.set("A.B.C", [1])
    assert context.data == {"A": {"B": {"C": 1}}}
    assert context.delete("A.B.C") is True
    assert context.delete("A.X.Y") is False
    context.set("K", 1)
    context.clear(["K"])
    assert context.data == {"K": 1}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${Single.ID}", "9"),
        ("${Agent.ID}", ["1", "2"]),
        ("${Single}", {"ID": "9", "Count": 3}),
        ("${Nope}", None),
        ("ids ${Agent.ID}, count ${Single.Count}", "ids 1,2, count 3"),
        ("${Single} here", '{"ID": "9", "Count": 3} here'),
        ("nothing: ${Nope}.", "nothing: ."),
        ("no reference", "no reference"),
    ],
)
def test_interpolation(text, expected) -> None:
    assert interpolate(text, lambda path: get_path(DATA, path)) == expected


def lookup(path: str) -> Any:
    return get_path({**DATA, "inputs": {"Want": "b", "Statuses": "connected,unknown"}}, path)


def condition(operator: str, path: str, right: str, *, right_is_path: bool = False) -> dict[str, Any]:
    return {
        "operator": operator,
        "left": {"value": {"simple": path}, "iscontext": True},
        "right": {"value": {"simple": right}, "iscontext": right_is_path},
    }


def test_a_complex_value_filters_the_root_items_then_reads_the_accessor_then_transforms() -> None:
    spec = {
        "root": "Agent",
        "filters": [[condition("isEqualString", "Agent.Name", "inputs.Want", right_is_path=True)]],
        "accessor": "Net.Status",
        "transformers": [{"operator": "toUpperCase"}],
    }
    assert resolve_complex(spec, lookup) == "DISCONNECTED"


def test_filter_groups_are_anded_and_conditions_in_a_group_ored() -> None:
    name_a = condition("isEqualString", "Agent.Name", "a")
    id_2 = condition("isEqualString", "Agent.ID", "2")
    status = condition("inList", "Agent.Net.Status", "inputs.Statuses", right_is_path=True)
    assert resolve_complex({"root": "Agent", "accessor": "ID", "filters": [[name_a, id_2]]}, lookup) == ["1", "2"]
    assert resolve_complex({"root": "Agent", "accessor": "ID", "filters": [[name_a, id_2], [status]]}, lookup) == "1"
    assert resolve_complex({"root": "Agent", "accessor": "ID", "filters": [[name_a], [id_2]]}, lookup) is None


def test_resolve_reads_simple_complex_and_context_paths() -> None:
    assert resolve({"simple": "Single.ID"}, lookup, is_context=True) == "9"
    assert resolve({"simple": "${Single.ID}"}, lookup, is_context=True) == "9"
    assert resolve({"simple": "Single.ID"}, lookup) == "Single.ID"
    assert resolve({"simple": 5}, lookup) == "5"
    assert resolve({"simple": True}, lookup) == "true"
    assert resolve({"simple": ""}, lookup) is None
    assert resolve({}, lookup) is None
    assert resolve({"complex": {"root": "Single", "accessor": "Count"}}, lookup) == 3
    with pytest.raises(ValueSpecError, match="a value must hold 'simple' or 'complex'"):
        resolve({"smiple": "x"}, lookup)


def operand(value: Any) -> dict[str, Any]:
    return {"value": {"simple": "x"}, "iscontext": True} if value == "<ctx>" else {"value": {"simple": value}}


OPERATOR_CASES = [
    ("isExists", "", None, False, True),
    ("isExists", None, None, False, False),
    ("isNotExists", None, None, False, True),
    ("isEmpty", [], None, False, True),
    ("isEmpty", {}, None, False, True),
    ("isNotEmpty", 0, None, False, True),
    ("isEqualString", ["a", "B"], "b", True, True),
    ("isEqualString", ["a", "B"], "b", False, False),
    ("isNotEqualString", "a", "b", False, True),
    ("containsString", "hello world", "lo w", False, True),
    ("notContainsString", "hello", "x", False, True),
    ("containsGeneral", ["ab", "cd"], "cd", False, True),
    ("containsGeneral", ["ab", "cd"], "c", False, False),
    ("containsGeneral", "abcd", "bc", False, True),
    ("startWith", "Windows 11", "win", True, True),
    ("endWith", "file.EXE", ".exe", True, True),
    ("inList", "b", "a, b ,c", False, True),
    ("inList", ["q", "c"], "a,b,c", False, True),
    ("notInList", "d", "a,b,c", False, True),
    ("match", "abc123", r"\d{3}$", False, True),
    ("isEqualNumber", "3", "3.0", False, True),
    ("isEqualNumber", [1, 3], "3", False, True),
    ("isNotEqualNumber", "2", "3", False, True),
    ("greaterThan", "10", "9", False, True),
    ("greaterThan", "abc", "9", False, False),
    ("greaterThanOrEqual", 3, "3", False, True),
    ("lessThan", [7, 2], "3", False, True),
    ("lessThanOrEqual", "4", "3", False, False),
    ("isTrue", "TRUE", None, False, True),
    ("isTrue", "yes", None, False, False),
    ("isFalse", False, None, False, True),
    ("notContainsGeneral", ["ab"], "a", False, True),
]


@pytest.mark.parametrize(("operator", "left", "right", "ignorecase", "expected"), OPERATOR_CASES)
def test_condition_operators(operator, left, right, ignorecase, expected) -> None:
    condition = {"operator": operator, "left": {"value": {"simple": "L"}, "iscontext": True}, "ignorecase": ignorecase}
    if right is not None:
        condition["right"] = {"value": {"simple": right}}
    assert check(condition, lambda path: left) is expected


def test_every_operator_is_tested() -> None:
    assert set(OPERATORS) == {case[0] for case in OPERATOR_CASES}


def test_an_unknown_operator_is_an_error_naming_it() -> None:
    with pytest.raises(ValueSpecError, match="unsupported condition operator 'isEqual'"):
        check({"operator": "isEqual", "left": {"value": {"simple": "a"}}}, lookup)


def transform(value: Any, operator: str, **args: Any) -> Any:
    spec = {
        "root": "V",
        "transformers": [{"operator": operator, "args": {name: {"value": {"simple": arg}} for name, arg in args.items()}}],
    }
    return resolve_complex(spec, lambda path: value if path == "V" else None)


TRANSFORMER_CASES = [
    (["A", "b"], "toLowerCase", {}, ["a", "b"]),
    ("a", "toUpperCase", {}, "A"),
    ([" a ", "b "], "trim", {}, ["a", "b"]),
    (["a", "b"], "concat", {"prefix": "<", "suffix": ">"}, ["<a>", "<b>"]),
    ("a-b-c", "replace", {"toReplace": "-", "replaceWith": "+"}, "a+b+c"),
    (["a,b", "c"], "split", {"delimiter": ","}, ["a", "b", "c"]),
    (["a", "b"], "join", {"separator": "', '"}, "a', 'b"),
    (["a", "b"], "join", {}, "a,b"),
    ("a", "join", {}, "a"),
    (["a", "b", "a"], "uniq", {}, ["a", "b"]),
    (["a", "b"], "count", {}, 2),
    (None, "count", {}, 0),
    ([{"k": 1}, {"k": 2}], "getField", {"field": "k"}, [1, 2]),
    ({"k": 1}, "Stringify", {}, '{"k": 1}'),
    (["a", "b"], "FirstArrayElement", {}, "a"),
    (["a", "b"], "LastArrayElement", {}, "b"),
    ([], "FirstArrayElement", {}, []),
    ("", "SetIfEmpty", {"defaultValue": "d"}, "d"),
    ("", "SetIfEmpty", {"defaultValue": "d", "applyIfEmpty": "false"}, ""),
    (None, "SetIfEmpty", {"defaultValue": "d", "applyIfEmpty": "false"}, "d"),
    ("x", "SetIfEmpty", {"defaultValue": "d"}, "x"),
    (["b", "q"], "MapValuesTransformer", {"input_values": "a,b", "mapped_values": "A,B"}, ["B", "q"]),
]


@pytest.mark.parametrize(("value", "operator", "args", "expected"), TRANSFORMER_CASES)
def test_transformers(value, operator, args, expected) -> None:
    assert transform(value, operator, **args) == expected


def test_every_transformer_is_tested() -> None:
    assert set(TRANSFORMERS) == {case[1] for case in TRANSFORMER_CASES}


def test_transformer_errors_name_the_transformer() -> None:
    with pytest.raises(ValueSpecError, match="unsupported transformer 'toTitleCase'"):
        transform("a", "toTitleCase")
    with pytest.raises(ValueSpecError, match="MapValuesTransformer: input_values and mapped_values must have the same number"):
        transform("a", "MapValuesTransformer", input_values="a,b", mapped_values="A")


# --- incidents -----------------------------------------------------------------------------------------------------


def test_a_fetched_threat_is_classified_and_mapped_by_the_pack() -> None:
    raw = {
        "id": "77",
        "incident_type": "SentinelOne Threat",
        "threatInfo": {
            "threatName": "evil.exe",
            "analystVerdict": "TRUE_POSITIVE",
            "incidentStatus": "in_progress",
            "sha1": "ab",
        },
        "agentRealtimeInfo": {"agentId": "5", "agentComputerName": "host", "accountId": "9", "agentNetworkStatus": "connected"},
        "agentDetectionInfo": {"cloudProviders": {"Azure": {"cloudAccount": "sub-1"}}},
        "kubernetesInfo": {"cluster": "prod", "pod": None},
        "mirror_id": "77",
        "mirror_direction": "Both",
        "mirror_instance": "S1",
    }
    fetched = {
        "name": "SentinelOne Threat: Malware - evil.exe",
        "type": "SentinelOne Threat",
        "severity": 3,
        "rawJSON": json.dumps(raw),
    }
    incident = incident_from_fetch(fetched)
    assert incident == {
        "name": "SentinelOne Threat: Malware - evil.exe",
        "type": "SentinelOne Threat",
        "severity": 3,
        "sentinelonethreatid": "77",
        "sentinelonethreatname": "evil.exe",
        "sentinelonethreatanalystverdict": "True positive",
        "sentinelonethreatstatus": "In progress",
        "sentinelonethreatfilesha1": "ab",
        "sentineloneagentid": "5",
        "sentinelonecomputername": "host",
        "sentineloneaccountid": "9",
        "sentineloneagentnetworkstatus": "connected",
        "sentinelonecloudprovideraccount": "sub-1",
        "sentinelonekubernetescluster": "prod",
        "dbotMirrorId": "77",
        "dbotMirrorDirection": "Both",
        "dbotMirrorInstance": "S1",
    }


def test_incident_fields_may_be_given_with_custom_fields_apart() -> None:
    assert incident_from_fields({"name": "n", "CustomFields": {"sentineloneagentid": "1"}}) == {
        "name": "n",
        "sentineloneagentid": "1",
    }
