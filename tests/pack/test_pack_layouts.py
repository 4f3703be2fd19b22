"""The incident layouts: written by tools/make_layouts.py, naming only fields and commands that exist, one per type.

A layout that names a field no pack file defines shows an empty row on the platform; a button whose command or
argument does not exist fails when an analyst clicks it. Both are silent until then, so they are checked here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tools import make_layouts

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "Packs" / "SentinelOne"
INTEGRATION = yaml.safe_load((PACK / "Integrations" / "SentinelOne_V2" / "SentinelOne_V2.yml").read_text())
COMMANDS = {command["name"]: command for command in INTEGRATION["script"]["commands"]}
FIELDS = {item["cliName"]: item for item in (json.loads(path.read_text()) for path in (PACK / "IncidentFields").glob("*.json"))}
TYPES = {item["id"]: item for item in (json.loads(path.read_text()) for path in (PACK / "IncidentTypes").glob("*.json"))}
LAYOUTS = {item["id"]: item for item in (json.loads(path.read_text()) for path in sorted((PACK / "Layouts").glob("*.json")))}
OUTGOING = json.loads((PACK / "Classifiers" / "classifier-mapper-outgoing-SentinelOne.json").read_text())
# Fields every incident has (by cli name) that the layouts show.
PLATFORM_FIELDS = {
    "type", "severity", "owner", "name", "sourcebrand", "sourceinstance", "playbookid", "occurred", "dbotcreated",
    "dbotmodified", "dbotclosed", "closereason", "closenotes", "dbotmirrordirection", "dbotmirrorid", "dbotmirrorinstance",
}  # fmt: skip


def layout_items(layout: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        item
        for tab in layout["detailsV2"]["tabs"]
        for section in tab.get("sections") or []
        for item in section.get("items") or []
    ]


def named_fields(layout: dict[str, Any]) -> set[str]:
    names = {item["fieldId"] for item in layout_items(layout) if item.get("fieldId")}
    for form in ("close", "edit"):
        for section in layout[form]["sections"]:
            names.update(field["fieldId"].removeprefix("incident_") for field in section["fields"])
    for tab in layout["detailsV2"]["tabs"]:
        for group in tab.get("filters") or []:
            names.update(condition["left"]["value"]["simple"] for condition in group)
    return names


def test_the_committed_layouts_are_what_the_tool_writes() -> None:
    assert make_layouts.main(["--check"]) == 0
    assert sorted(LAYOUTS) == sorted(spec.layout_id for spec in make_layouts.LAYOUTS)


def test_each_incident_type_names_its_layout() -> None:
    assert {incident_type: item.get("layout") for incident_type, item in TYPES.items()} == {
        spec.incident_type: spec.layout_id for spec in make_layouts.LAYOUTS
    }


@pytest.mark.parametrize("spec", make_layouts.LAYOUTS, ids=lambda spec: spec.incident_type)
def test_every_field_a_layout_names_exists_and_belongs_to_its_type(spec: make_layouts.LayoutSpec) -> None:
    names = named_fields(LAYOUTS[spec.layout_id])
    assert names == set(spec.fields())
    unknown = sorted(name for name in names if name not in FIELDS and name not in PLATFORM_FIELDS)
    assert unknown == []
    foreign = sorted(name for name in names if name in FIELDS and spec.incident_type not in FIELDS[name]["associatedTypes"])
    assert foreign == []


@pytest.mark.parametrize("spec", make_layouts.LAYOUTS, ids=lambda spec: spec.incident_type)
def test_every_button_runs_an_existing_command_on_this_incidents_ids(spec: make_layouts.LayoutSpec) -> None:
    buttons = [item for item in layout_items(LAYOUTS[spec.layout_id]) if item.get("sectionItemType") == "button"]
    assert [button["name"] for button in buttons] == [button.name for button in spec.buttons]
    for button in buttons:
        brand, _, command = button["scriptId"].partition("|||")
        assert brand == INTEGRATION["commonfields"]["id"]
        arguments = {argument["name"]: argument for argument in COMMANDS[command]["arguments"]}
        assert set(button["args"]) <= set(arguments), button["name"]
        for value in button["args"].values():
            field_name = value["simple"].removeprefix("${incident.").removesuffix("}")
            assert field_name in FIELDS and spec.incident_type in FIELDS[field_name]["associatedTypes"]
        # What the button leaves out, the analyst is asked for: only choices and secrets, never an ID.
        asked = {name for name, argument in arguments.items() if argument.get("required") and name not in button["args"]}
        assert all("id" not in name for name in asked), (button["name"], asked)


def test_the_threat_buttons_cover_the_quick_actions_of_the_issue() -> None:
    commands = {button.command for button in make_layouts.LAYOUTS[0].buttons}
    assert commands == {
        "sentinelone-disconnect-agent",
        "sentinelone-connect-agent",
        "sentinelone-mitigate-threat",
        "sentinelone-fetch-threat-file",
        "sentinelone-initiate-endpoint-scan",
    }


@pytest.mark.parametrize("spec", make_layouts.LAYOUTS, ids=lambda spec: spec.incident_type)
def test_the_close_form_holds_the_mirrored_verdict_and_status(spec: make_layouts.LayoutSpec) -> None:
    close = LAYOUTS[spec.layout_id]["close"]["sections"]
    fields = [field["fieldId"] for section in close for field in section["fields"]]
    assert fields == [
        "incident_closereason",
        "incident_closenotes",
        f"incident_{spec.verdict_field}",
        f"incident_{spec.status_field}",
    ]
    mirrored = OUTGOING["mapping"][spec.incident_type]["internalMapping"]
    assert {rule["simple"] for rule in mirrored.values()} == {spec.verdict_field, spec.status_field}


@pytest.mark.parametrize("spec", make_layouts.LAYOUTS, ids=lambda spec: spec.incident_type)
def test_cloud_and_kubernetes_tabs_show_only_when_their_fields_are_set(spec: make_layouts.LayoutSpec) -> None:
    tabs = {tab["name"]: tab for tab in LAYOUTS[spec.layout_id]["detailsV2"]["tabs"]}
    for name, fields in (("Cloud", spec.cloud_fields), ("Kubernetes", spec.kubernetes_fields)):
        if not fields:
            assert name not in tabs
            continue
        (group,) = tabs[name]["filters"]
        assert group == [
            {
                "ignorecase": False,
                "left": {"isContext": True, "value": {"simple": fields[0]}},
                "operator": "isNotEmpty",
                "right": {"isContext": False, "value": {}},
                "type": "shortText",
            }
        ]
        assert [item["fieldId"] for section in tabs[name]["sections"] for item in section["items"]] == fields
    assert "filters" not in tabs["Summary"]
