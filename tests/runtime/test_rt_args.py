"""Argument converters and the data/key helpers: exact results and error messages."""

from datetime import datetime, timezone
from typing import Any

import pytest
from CommonServerPython import (
    arg_to_datetime,
    arg_to_number,
    argToBoolean,
    argToList,
    assign_params,
    b64_decode,
    b64_encode,
    batch,
    camel_case_to_underscore,
    camelize,
    camelize_string,
    createContext,
    dict_safe_get,
    pascalToSpace,
    remove_duplicates_from_list_arg,
    remove_empty_elements,
    remove_nulls_from_dictionary,
    snakify,
    string_to_context_key,
    string_to_table_header,
    underscoreToCamelCase,
    urljoin,
)


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        ("a, b ,c", ["a", "b", "c"]),
        ("a,,b", ["a", "", "b"]),
        ('["x", "y"]', ["x", "y"]),
        ("[1,2]", [1, 2]),
        ("[bad json", ["[bad json"]),
        ("[bad, json]", ["[bad", "json]"]),
        (5, [5]),
        (("t",), [("t",)]),
        (["x", " y"], ["x", " y"]),
        ("", []),
        (None, []),
        ([], []),
        (0, []),
    ],
)
def test_arg_to_list(arg: Any, expected: list[Any]) -> None:
    assert argToList(arg) == expected


def test_arg_to_list_returns_the_same_list_object() -> None:
    values = ["a"]
    assert argToList(values) is values


def test_arg_to_list_separator_and_transform() -> None:
    assert argToList("1,2", transform=int) == [1, 2]
    assert argToList("a;b", separator=";") == ["a", "b"]


@pytest.mark.parametrize(
    ("value", "expected"), [(True, True), (False, False), ("true", True), ("YES", True), ("False", False), ("no", False)]
)
def test_arg_to_boolean(value: Any, expected: bool) -> None:
    assert argToBoolean(value) is expected


@pytest.mark.parametrize("value", ["", "y", "1", "on"])
def test_arg_to_boolean_invalid_strings(value: str) -> None:
    with pytest.raises(ValueError) as raised:
        argToBoolean(value)
    assert str(raised.value) == "Argument does not contain a valid boolean-like value"


@pytest.mark.parametrize("value", [None, 1, 0, ["true"]])
def test_arg_to_boolean_non_strings(value: Any) -> None:
    with pytest.raises(ValueError) as raised:
        argToBoolean(value)
    assert str(raised.value) == "Argument is neither a string nor a boolean"


@pytest.mark.parametrize(
    ("arg", "expected"),
    [("10", 10), ("1.9", 1), ("-5", -5), ("1e3", 1000), (" 5", 5), (7, 7), (None, None), ("", None)],
)
def test_arg_to_number(arg: Any, expected: Any) -> None:
    assert arg_to_number(arg) == expected


def test_arg_to_number_keeps_bools() -> None:
    assert arg_to_number(True) is True


@pytest.mark.parametrize(
    ("arg", "arg_name", "message"),
    [
        ("x", "limit", 'Invalid number: "limit"="x"'),
        ("abc", None, '"abc" is not a valid number'),
        (7.5, None, '"7.5" is not a valid number'),
        (7.5, "limit", 'Invalid number: "limit"="7.5"'),
        ([1], None, '"[1]" is not a valid number'),
    ],
)
def test_arg_to_number_errors(arg: Any, arg_name: Any, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        arg_to_number(arg, arg_name)
    assert str(raised.value) == message


@pytest.mark.parametrize(("arg_name", "message"), [("limit", 'Missing "limit"'), (None, "Missing required argument")])
@pytest.mark.parametrize("arg", [None, ""])
def test_arg_to_number_required(arg: Any, arg_name: Any, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        arg_to_number(arg, arg_name, required=True)
    assert str(raised.value) == message


def test_arg_to_datetime_iso_strings(utc_tz: None) -> None:
    aware = arg_to_datetime("2023-11-14T22:13:20Z")
    assert aware is not None
    assert aware.replace(tzinfo=None) == datetime(2023, 11, 14, 22, 13, 20)
    assert aware.utcoffset() is not None and aware.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert repr(aware.tzinfo) == "<StaticTzInfo 'UTC'>"
    assert arg_to_datetime("2023-11-14T22:13:20") == datetime(2023, 11, 14, 22, 13, 20)
    converted = arg_to_datetime("2023-11-14T22:13:20.123+02:00")
    assert converted is not None and converted.replace(tzinfo=None) == datetime(2023, 11, 14, 20, 13, 20, 123000)
    assert repr(converted.tzinfo) == "<StaticTzInfo 'UTC'>"
    assert arg_to_datetime("2023-11-14") == datetime(2023, 11, 14, 0, 0)


@pytest.mark.parametrize("arg", ["1700000000", "1700000000000", 1700000000, 1.7e9])
def test_arg_to_datetime_epochs(arg: Any) -> None:
    assert repr(arg_to_datetime(arg)) == "datetime.datetime(2023, 11, 14, 22, 13, 20, tzinfo=datetime.timezone.utc)"


def test_arg_to_datetime_epoch_milliseconds_keep_fraction() -> None:
    assert arg_to_datetime(1700000000123) == datetime(2023, 11, 14, 22, 13, 20, 123000, tzinfo=timezone.utc)


def test_arg_to_datetime_epoch_local_time(utc_tz: None) -> None:
    assert arg_to_datetime(1700000000, is_utc=False) == datetime(2023, 11, 14, 22, 13, 20)


@pytest.mark.parametrize(
    ("arg", "arg_name", "message"),
    [
        ("garbage", "first_fetch", 'Invalid date: "first_fetch"="garbage"'),
        ("garbage", None, '"garbage" is not a valid date'),
        ({"a": 1}, None, "\"{'a': 1}\" is not a valid date"),
        ([1], "since", 'Invalid date: "since"="[1]"'),
    ],
)
def test_arg_to_datetime_errors(arg: Any, arg_name: Any, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        arg_to_datetime(arg, arg_name)
    assert str(raised.value) == message


def test_arg_to_datetime_none() -> None:
    assert arg_to_datetime(None) is None
    with pytest.raises(ValueError, match=r'^Missing "since"$'):
        arg_to_datetime(None, "since", required=True)
    with pytest.raises(ValueError, match=r"^Missing required argument$"):
        arg_to_datetime(None, required=True)


def test_assign_params() -> None:
    assert assign_params(a="1", b=True, c=None, d="", e=[], f={}, g=(), h=0, i=False, j="0") == {
        "a": "1",
        "b": True,
        "h": 0,
        "i": False,
        "j": "0",
    }
    assert assign_params(values_to_ignore=(15,), a=15, b=None, c="") == {"b": None, "c": ""}
    assert assign_params(keys_to_ignore=["a"], a=1, b=2) == {"b": 2}


def test_remove_nulls_from_dictionary_in_place() -> None:
    data: dict[str, Any] = {"a": 1, "b": None, "c": "", "d": [], "e": {}, "f": (), "g": 0, "h": False, "i": {"x": None}}
    assert remove_nulls_from_dictionary(data) is None  # type: ignore[func-returns-value]
    assert data == {"a": 1, "g": 0, "h": False, "i": {"x": None}}


def test_remove_empty_elements() -> None:
    data: dict[str, Any] = {
        "a": None,
        "b": "",
        "c": [],
        "d": {},
        "e": {"x": None, "y": [None, {}, 1]},
        "f": 0,
        "g": False,
        "h": [[], [1]],
    }
    assert remove_empty_elements(data) == {"b": "", "e": {"y": [1]}, "f": 0, "g": False, "h": [[1]]}
    assert data["a"] is None  # a new structure: the input is unchanged
    assert remove_empty_elements("x") == "x"


def test_create_context() -> None:
    assert createContext({"a.b": 1, "c": None, "d": 2}) == {"a": {"b": 1}, "c": None, "d": 2}
    assert createContext({"a.b": 1, "c": None}, removeNull=True) == {"a": {"b": 1}}
    assert createContext([{"x_y": 1}], id="7", keyTransform=underscoreToCamelCase) == [{"XY": 1, "ID": "7"}]
    assert createContext({"ID": "own"}, id="7") == {"ID": "own"}


def test_dict_safe_get() -> None:
    data = {"a": [{"b": 1}], "s": "x"}
    assert dict_safe_get(data, ["a", 0, "b"]) == 1
    assert dict_safe_get(data, ["a", 5, "b"], "d") == "d"
    assert dict_safe_get(data, ["missing"]) is None
    assert dict_safe_get(data, ["s", "x"], 0) == 0
    assert dict_safe_get(data, ["a"], {}, dict, raise_return_type=False) == {}


def test_dict_safe_get_type_error_message() -> None:
    with pytest.raises(TypeError) as raised:
        dict_safe_get({"a": 1}, ["a"], return_type=str)
    assert str(raised.value) == (
        "Safe get Error:\nDetails: Return Type Error Excepted return type <class 'str'>, but actual type from nested "
        "dict/list is <class 'int'> with value 1.\nQuery: ['a']\nQueried object: {'a': 1}"
    )


def test_remove_duplicates_from_list_arg() -> None:
    assert sorted(remove_duplicates_from_list_arg({"ids": "a,b,a"}, "ids")) == ["a", "b"]
    assert remove_duplicates_from_list_arg({}, "ids") == []


def test_b64() -> None:
    assert b64_encode("user:pass") == "dXNlcjpwYXNz"
    assert b64_encode(b"user:pass") == "dXNlcjpwYXNz"
    assert b64_encode("") == ""
    assert b64_decode("dXNlcjpwYXNz") == b"user:pass"
    assert b64_decode("YQ") == b"a"  # padding added


def test_batch() -> None:
    assert list(batch([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
    assert list(batch([], 2)) == []
    assert list(batch([1, 2])) == [[1], [2]]


@pytest.mark.parametrize(
    ("url", "suffix", "expected"),
    [
        ("https://a.com", "x", "https://a.com/x"),
        ("https://a.com/", "/x", "https://a.com/x"),
        ("https://a.com/web/api/v2.1", "agents", "https://a.com/web/api/v2.1/agents"),
        ("https://a.com/", "", "https://a.com/"),
        ("https://a.com", "", "https://a.com/"),
    ],
)
def test_urljoin(url: str, suffix: str, expected: str) -> None:
    assert urljoin(url, suffix) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ThreatScore", "Threat Score"),
        ("thisIsIPAddressName", "This Is IP Address Name"),
        ("agentID", "Agent ID"),
        ("computer_name", "Computer _ Name"),
        ("ID", "ID"),
        (5, 5),
    ],
)
def test_pascal_to_space(value: Any, expected: Any) -> None:
    assert pascalToSpace(value) == expected


def test_string_to_table_header() -> None:
    assert string_to_table_header("one_two") == "One Two"
    assert string_to_table_header("agent_id") == "Agent Id"
    assert string_to_table_header("computerName") == "Computername"
    assert string_to_table_header("a__b") == "A B"
    with pytest.raises(Exception, match=r"^The key is not a string: 5$"):
        string_to_table_header(5)


def test_string_to_context_key() -> None:
    assert string_to_context_key("one_two") == "OneTwo"
    assert string_to_context_key("agent_id") == "AgentId"
    assert string_to_context_key("computerName") == "Computername"
    with pytest.raises(Exception, match=r"^The key is not a string: None$"):
        string_to_context_key(None)


def test_underscore_to_camel_case() -> None:
    assert underscoreToCamelCase("hello_world") == "HelloWorld"
    assert underscoreToCamelCase("agent_id") == "AgentId"
    assert underscoreToCamelCase("alreadyCamel") == "Alreadycamel"
    assert underscoreToCamelCase("hello_world", upper_camel=False) == "helloWorld"
    assert underscoreToCamelCase(3) == 3


def test_camelize() -> None:
    assert camelize({"Start Date": 1, "agent id": 2}) == {"StartDate": 1, "AgentId": 2}
    assert camelize({"agent_id": 1, "computer_name": 2}, "_") == {"AgentId": 1, "ComputerName": 2}
    assert camelize({"agent_id": 1}, "_", upper_camel=False) == {"agentId": 1}
    assert camelize([{"a b": 1}, {"c d": 2}]) == [{"AB": 1}, {"CD": 2}]


def test_camelize_string() -> None:
    assert camelize_string("agent_id") == "AgentId"
    assert camelize_string("agent_id", upper_camel=False) == "agentId"
    assert camelize_string("") == ""


def test_camel_case_to_underscore_and_snakify() -> None:
    assert camel_case_to_underscore("agentID") == "agent_id"
    assert camel_case_to_underscore("ComputerName") == "computer_name"
    assert snakify({"agentID": 1, "osType": 2}) == {"agent_id": 1, "os_type": 2}
