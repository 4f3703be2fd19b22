"""CommandResults: constructor rules and the exact entry to_context() builds."""

from typing import Any

import pytest
from CommonServerPython import (
    CommandResults,
    Common,
    DBotScoreType,
    DemistoException,
    EntityRelationship,
    EntryType,
    IndicatorsTimeline,
    ScheduledCommand,
)

AGENTS = [{"ID": "1", "ComputerName": "host-a"}, {"ID": "2", "ComputerName": "host-b"}]
KEY_FIELD_ERROR = "outputs_key_field must be of type str or list"
FORMAT_ERROR = "content_format bogus is invalid, see CommonServerPython.EntryFormat"
DBOT_KEY = "DBotScore(val.Indicator && val.Indicator == obj.Indicator && val.Vendor == obj.Vendor && val.Type == obj.Type)"


def test_prefixed_list_with_key_field() -> None:
    entry = CommandResults(outputs_prefix="SentinelOne.Agents", outputs_key_field="ID", outputs=AGENTS).to_context()
    assert entry == {
        "Type": 1,
        "ContentsFormat": "json",
        "Contents": AGENTS,
        "HumanReadable": "### Results\n|ComputerName|ID|\n|---|---|\n| host-a | 1 |\n| host-b | 2 |\n",
        "EntryContext": {"SentinelOne.Agents(val.ID && val.ID == obj.ID)": AGENTS},
        "IndicatorTimeline": [],
        "IgnoreAutoExtract": False,
        "Note": False,
        "Relationships": [],
    }
    assert list(entry) == [
        "Type",
        "ContentsFormat",
        "Contents",
        "HumanReadable",
        "EntryContext",
        "IndicatorTimeline",
        "IgnoreAutoExtract",
        "Note",
        "Relationships",
    ]


def test_several_key_fields() -> None:
    entry = CommandResults(outputs_prefix="A.B", outputs_key_field=["ID", "Name"], outputs={"ID": 1, "Name": "n"}).to_context()
    assert list(entry["EntryContext"]) == ["A.B(val.ID && val.ID == obj.ID && val.Name && val.Name == obj.Name)"]


def test_readable_output_only() -> None:
    entry = CommandResults(readable_output="hello").to_context()
    assert entry["Contents"] is None
    assert entry["ContentsFormat"] == "json"
    assert entry["HumanReadable"] == "hello"
    assert entry["EntryContext"] == {}


def test_scalar_outputs() -> None:
    entry = CommandResults(outputs_prefix="A.Token", outputs="abc").to_context()
    assert (entry["ContentsFormat"], entry["Contents"], entry["HumanReadable"], entry["EntryContext"]) == (
        "text",
        "abc",
        "abc",
        {"A.Token": "abc"},
    )


def test_empty_list_outputs() -> None:
    entry = CommandResults(outputs_prefix="A", outputs=[]).to_context()
    assert (entry["Contents"], entry["HumanReadable"], entry["EntryContext"]) == ([], None, {})


def test_empty_dict_outputs_are_still_outputs() -> None:
    entry = CommandResults(outputs_prefix="A", outputs={}).to_context()
    assert entry["HumanReadable"] == "### Results\n**No entries.**\n"
    assert entry["EntryContext"] == {"A": {}}


def test_zero_outputs() -> None:
    entry = CommandResults(outputs_prefix="A", outputs=0).to_context()
    assert (entry["HumanReadable"], entry["EntryContext"], entry["ContentsFormat"], entry["Contents"]) == (0, {"A": 0}, "text", 0)


def test_dict_outputs_without_prefix_are_merged() -> None:
    outputs = {"X(val.id == obj.id)": {"id": 1}, "Y": 2}
    entry = CommandResults(outputs=outputs).to_context()
    assert entry["EntryContext"] == outputs
    assert entry["HumanReadable"] == "### Results\n|X(val.id == obj.id)|Y|\n|---|---|\n| id: 1 | 2 |\n"


def test_replace_existing() -> None:
    entry = CommandResults(outputs_prefix="SentinelOne.Threat.NextToken", outputs="tok", replace_existing=True).to_context()
    assert entry["EntryContext"] == {"SentinelOne.Threat(true)": {"NextToken": "tok"}}


def test_replace_existing_needs_a_nested_prefix() -> None:
    results = CommandResults(outputs_prefix="Token", outputs="tok", replace_existing=True)
    with pytest.raises(DemistoException, match=r"^outputs_prefix must be a nested path to replace an existing key\.$"):
        results.to_context()


def test_tags_note_auto_extract_and_entry_type() -> None:
    results = CommandResults(readable_output="x", tags=["t1"], mark_as_note=True, ignore_auto_extract=True, entry_type=11)
    entry = results.to_context()
    assert entry == {
        "Type": 11,
        "ContentsFormat": "json",
        "Contents": None,
        "HumanReadable": "x",
        "EntryContext": {},
        "IndicatorTimeline": [],
        "IgnoreAutoExtract": True,
        "Note": True,
        "Relationships": [],
        "Tags": ["t1"],
    }


def test_raw_response_overrides_contents_and_format() -> None:
    entry = CommandResults(outputs_prefix="A", outputs={"a": 1}, raw_response="raw text").to_context()
    assert (entry["Contents"], entry["ContentsFormat"]) == ("raw text", "text")
    assert CommandResults(outputs_prefix="A", outputs={"a": 1}, raw_response=b"x").to_context()["ContentsFormat"] == "text"
    assert CommandResults(outputs_prefix="A", outputs={"a": 1}, raw_response=5).to_context()["ContentsFormat"] == "text"
    assert CommandResults(outputs_prefix="A", outputs={"a": 1}, raw_response=True).to_context()["ContentsFormat"] == "text"
    assert CommandResults(outputs_prefix="A", outputs={"a": 1}, raw_response=[1]).to_context()["ContentsFormat"] == "json"


def test_explicit_content_format() -> None:
    entry = CommandResults(readable_output="x", raw_response="<b>x</b>", content_format="html").to_context()
    assert entry["ContentsFormat"] == "html"


def test_scheduled_command_keys_follow_the_entry() -> None:
    results = CommandResults(readable_output="wait")
    results.scheduled_command = ScheduledCommand("sentinelone-get-x", 10, args={"id": "1"}, timeout_in_seconds=600)
    entry = results.to_context()
    assert list(entry)[-5:] == ["PollingCommand", "NextRun", "PollingArgs", "Timeout", "PollingItemsRemaining"]
    assert entry["PollingCommand"] == "sentinelone-get-x"
    assert entry["NextRun"] == "10"
    assert entry["PollingArgs"] == {"id": "1"}
    assert entry["Timeout"] == "600"
    assert entry["PollingItemsRemaining"] == 0


def test_indicator_and_prefixed_outputs() -> None:
    dbot = Common.DBotScore("d41d", DBotScoreType.FILE, "S1", Common.DBotScore.GOOD)
    indicator = Common.File(dbot, md5="d41d")
    entry = CommandResults(
        outputs_prefix="SentinelOne.Hash", outputs_key_field="Hash", outputs={"Hash": "d41d"}, indicator=indicator
    ).to_context()
    assert entry["EntryContext"] == {
        Common.File.CONTEXT_PATH: [{"Hashes": [{"type": "MD5", "value": "d41d"}], "MD5": "d41d"}],
        DBOT_KEY: [{"Indicator": "d41d", "Type": "file", "Vendor": "S1", "Score": 1}],
        "SentinelOne.Hash(val.Hash && val.Hash == obj.Hash)": {"Hash": "d41d"},
    }


def test_two_endpoints_as_indicators() -> None:
    entry = CommandResults(indicators=[Common.Endpoint("1", hostname="a"), Common.Endpoint("2")]).to_context()
    assert entry["EntryContext"] == {Common.Endpoint.CONTEXT_PATH: [{"ID": "1", "Hostname": "a"}, {"ID": "2"}]}
    assert entry["HumanReadable"] is None


def test_relationships_drop_empty_entries() -> None:
    full = EntityRelationship("related-to", "a", "File", "b", "File", reverse_name="related-to")
    empty = EntityRelationship("related-to", "a", "File")
    entry = CommandResults(readable_output="x", relationships=[full, empty]).to_context()
    assert entry["Relationships"] == [full.to_entry()]


def test_indicators_timeline() -> None:
    entry = CommandResults(readable_output="x", indicators_timeline=IndicatorsTimeline(["a"], message="m")).to_context()
    assert entry["IndicatorTimeline"] == [{"Value": "a", "Category": "Integration Update", "Message": "m"}]


def test_execution_metrics_entry() -> None:
    metrics = [{"Type": "Successful", "APICallsCount": 1}]
    entry = CommandResults(execution_metrics=metrics).to_context()
    assert entry["Type"] == EntryType.EXECUTION_METRICS == 19
    assert entry["Contents"] == "Metrics reported successfully."
    assert entry["APIExecutionMetrics"] == metrics
    assert list(entry)[-1] == "APIExecutionMetrics"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"outputs": [1]}, ValueError, "outputs_prefix is missing"),
        ({"outputs": "x"}, ValueError, "outputs_prefix is missing"),
        ({"outputs_prefix": ".", "outputs": {"a": 1}}, ValueError, "outputs_prefix cannot be a period."),
        ({"outputs_prefix": "A", "outputs": [1], "outputs_key_field": 5}, TypeError, KEY_FIELD_ERROR),
        ({"readable_output": "x", "content_format": "bogus"}, TypeError, FORMAT_ERROR),
    ],
)
def test_constructor_errors(kwargs: dict[str, Any], error: type[Exception], message: str) -> None:
    with pytest.raises(error) as raised:
        CommandResults(**kwargs)
    assert str(raised.value) == message


def test_indicators_and_indicator_together() -> None:
    endpoint = Common.Endpoint("1")
    with pytest.raises(ValueError) as raised:
        CommandResults(indicators=[endpoint], indicator=endpoint)
    assert str(raised.value) == "indicators is DEPRECATED, use only indicator"


def test_attributes_are_stored() -> None:
    results = CommandResults(outputs_prefix="A", outputs_key_field="ID", outputs=[{"ID": 1}], readable_output="r", tags=["t"])
    assert results.outputs_key_field == "ID"
    assert results._outputs_key_field == ["ID"]
    assert results.raw_response == [{"ID": 1}]
    assert results.entry_type == EntryType.NOTE == 1
    assert (results.outputs_prefix, results.readable_output, results.tags) == ("A", "r", ["t"])
    assert (results.mark_as_note, results.ignore_auto_extract, results.replace_existing) == (False, False, False)
    assert (results.indicator, results.indicators, results.scheduled_command, results.relationships) == (None, None, None, None)
    assert (results.content_format, results.execution_metrics, results.indicators_timeline) == (None, None, None)
