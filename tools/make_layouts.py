"""Write the pack's incident layouts (layoutscontainer JSON) from one description per incident type.

    .venv/bin/python -m tools.make_layouts          # rewrite Packs/SentinelOne/Layouts/*.json
    .venv/bin/python -m tools.make_layouts --check  # exit 1 when a committed layout differs from what this writes

Every layout has the same shape: a Summary tab (triage fields, mirroring, the agent/endpoint section, notes and the
quick-action buttons), a Cloud tab and a Kubernetes tab shown only when their first field is set, the standard War
Room / Work Plan / Evidence Board / Related Incidents / Canvas tabs, an edit form and a close form with the mirrored
verdict and status. To add an incident type, add a `LayoutSpec` to LAYOUTS, run this tool, and name the layout in the
incident type's JSON (`"layout": "<type> Layout"`); tests/pack/test_pack_layouts.py checks the rest.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS_DIR = ROOT / "Packs" / "SentinelOne" / "Layouts"
FROM_VERSION = "6.10.0"
BRAND = "SentinelOne V2"

# Platform fields every incident has (by cli name), used in the sections below.
CASE_DETAILS = ["type", "severity", "owner", "sourcebrand", "sourceinstance", "playbookid"]
MIRRORING = ["dbotmirrordirection", "dbotmirrorid", "dbotmirrorinstance"]
TIMELINE = ["occurred", "dbotcreated", "dbotmodified", "dbotclosed"]
CLOSE_FORM = ["closereason", "closenotes"]
EDIT_FORM = ["name", "owner", "severity"]
CLOUD_FIELDS = [
    "sentinelonecloudprovideraccount",
    "sentinelonecloudproviderinstanceid",
    "sentinelonecloudproviderinstancesize",
    "sentinelonecloudproviderimage",
    "sentinelonecloudproviderlocation",
    "sentinelonecloudprovidernetwork",
]
KUBERNETES_FIELDS = [
    "sentinelonekubernetescluster",
    "sentinelonekubernetesnamespace",
    "sentinelonekubernetesnode",
    "sentinelonekubernetespod",
    "sentinelonekubernetescontrollerkind",
    "sentinelonekubernetescontrollername",
]
AGENT_FIELDS = [
    "sentineloneagentid",
    "sentinelonecomputername",
    "sentineloneagentos",
    "sentineloneagentversion",
    "sentineloneagentip",
    "sentineloneaccountid",
    "sentinelonesiteid",
    "sentinelonesitename",
]


@dataclass(frozen=True)
class Button:
    """A quick action: `command` of the integration with arguments read from the incident (`${incident.<field>}`);
    arguments left out are asked from the analyst when the button is clicked."""

    name: str
    command: str
    incident_args: dict[str, str]

    def item(self, item_id: str, index: int) -> dict[str, Any]:
        return {
            "args": {arg: {"simple": f"${{incident.{field_name}}}"} for arg, field_name in self.incident_args.items()},
            "buttonClassName": "",
            "dropEffect": "move",
            "endCol": 2,
            "fieldId": "",
            "height": 44,
            "id": item_id,
            "index": index,
            "name": self.name,
            "scriptId": f"{BRAND}|||{self.command}",
            "sectionItemType": "button",
            "startCol": 0,
        }


@dataclass(frozen=True)
class LayoutSpec:
    incident_type: str
    description: str
    triage_fields: list[str]  # the Summary tab's first section, in this order
    details_title: str
    details_fields: list[str]  # what was detected (threat file, alert rule)
    verdict_field: str  # mirrored, in the close form
    status_field: str  # mirrored, in the close form
    buttons: list[Button]
    agent_fields: list[str] = field(default_factory=lambda: list(AGENT_FIELDS))
    agent_title: str = "Agent and Endpoint"
    cloud_fields: list[str] = field(default_factory=list)
    kubernetes_fields: list[str] = field(default_factory=lambda: list(KUBERNETES_FIELDS))

    @property
    def layout_id(self) -> str:
        return f"{self.incident_type} Layout"

    @property
    def file_name(self) -> str:
        return f"layoutscontainer-{self.incident_type.replace(' ', '_')}.json"

    def fields(self) -> list[str]:
        """Every field the layout names (tests check that each exists)."""
        names = [
            *CASE_DETAILS,
            *self.triage_fields,
            *MIRRORING,
            *self.details_fields,
            *self.agent_fields,
            *TIMELINE,
            *CLOSE_FORM,
            *EDIT_FORM,
            self.verdict_field,
            self.status_field,
            *self.cloud_fields,
            *self.kubernetes_fields,
        ]
        return list(dict.fromkeys(names))


THREAT_ID = "sentinelonethreatid"
UAM_ALERT_ID = "sentineloneuamalertid"
AGENT_BUTTONS = [
    Button("Isolate the endpoint (disconnect the agent)", "sentinelone-disconnect-agent", {"agent_id": "sentineloneagentid"}),
    Button("Release the endpoint (reconnect the agent)", "sentinelone-connect-agent", {"agent_id": "sentineloneagentid"}),
    Button("Scan the endpoint", "sentinelone-initiate-endpoint-scan", {"agent_ids": "sentineloneagentid"}),
]

LAYOUTS = [
    LayoutSpec(
        incident_type="SentinelOne Threat",
        description="Triage a SentinelOne threat: verdict, status, the threat's file and endpoint, and quick actions.",
        triage_fields=[
            "sentinelonethreatanalystverdict",
            "sentinelonethreatstatus",
            "sentinelonethreatclassification",
            "sentinelonethreatconfidencelevel",
            "sentinelonethreatmitigationstatus",
            "sentinelonethreatname",
            "sentinelonethreatid",
        ],
        details_title="Threat File",
        details_fields=["sentinelonethreatfilepath", "sentinelonethreatfilesha1", "sentinelonethreatfilesha256"],
        verdict_field="sentinelonethreatanalystverdict",
        status_field="sentinelonethreatstatus",
        buttons=[
            Button("Mitigate the threat (choose the action)", "sentinelone-mitigate-threat", {"threat_ids": THREAT_ID}),
            Button("Fetch the threat file (choose a password)", "sentinelone-fetch-threat-file", {"threat_id": THREAT_ID}),
            *AGENT_BUTTONS,
        ],
        agent_fields=[*AGENT_FIELDS, "sentinelonegroupname", "sentineloneagentnetworkstatus"],
        cloud_fields=list(CLOUD_FIELDS),
    ),
    LayoutSpec(
        incident_type="SentinelOne Alert",
        description="Triage a SentinelOne cloud-detection (STAR) alert: verdict, status, rule, endpoint, and quick actions.",
        triage_fields=[
            "sentinelonealertanalystverdict",
            "sentinelonealertstatus",
            "sentinelonealertseverity",
            "sentinelonealertrulename",
            "sentinelonealertid",
        ],
        details_title="Detection",
        details_fields=["sentinelonealertrulename", "sentinelonealertseverity"],
        verdict_field="sentinelonealertanalystverdict",
        status_field="sentinelonealertstatus",
        buttons=list(AGENT_BUTTONS),
    ),
    LayoutSpec(
        incident_type="SentinelOne UAM Alert",
        description="Triage a SentinelOne Unified Alert Management (UAM) alert: verdict, status, detection, asset and scope.",
        triage_fields=[
            "sentineloneuamalertanalystverdict",
            "sentineloneuamalertstatus",
            "sentineloneuamalertseverity",
            "sentineloneuamalertname",
            "sentineloneuamalertid",
        ],
        details_title="Detection",
        details_fields=[
            "sentineloneuamalertdetectionproduct",
            "sentineloneuamalertattacksurfaces",
            "sentineloneuamalertexternalid",
        ],
        verdict_field="sentineloneuamalertanalystverdict",
        status_field="sentineloneuamalertstatus",
        # A UAM alert names an asset, not an agent ID: the quick actions act on the alert itself.
        buttons=[
            Button("Set the alert status (choose it)", "sentinelone-update-uam-alert-status", {"alert_ids": UAM_ALERT_ID}),
            Button("Set the analyst verdict (choose it)", "sentinelone-update-uam-alert-verdict", {"alert_ids": UAM_ALERT_ID}),
            Button("Add a note to the alert", "sentinelone-add-uam-alert-note", {"alert_ids": UAM_ALERT_ID}),
        ],
        agent_fields=["sentineloneuamalertasset", "sentineloneuamalertscope", "sentinelonesiteid", "sentinelonesitename"],
        agent_title="Asset and Scope",
        kubernetes_fields=[],
    ),
]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _field_items(tab: str, section: str, fields: list[str]) -> list[dict[str, Any]]:
    return [
        {
            "endCol": 2,
            "fieldId": name,
            "height": 22,
            "id": f"{tab}-{_slug(section)}-{name}",
            "index": index,
            "sectionItemType": "field",
            "startCol": 0,
        }
        for index, name in enumerate(fields)
    ]


def _section(tab: str, name: str, position: tuple[int, int, int], items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    x, y, h = position
    section = {
        "displayType": "ROW",
        "h": h,
        "hideName": False,
        "i": f"{tab}-{_slug(name)}",
        "isVisible": True,
        "items": items,
        "maxW": 3,
        "moved": False,
        "name": name,
        "static": False,
        "w": 1,
        "x": x,
        "y": y,
    }
    section.update(extra)
    return section


def _shown_when_set(field_name: str) -> list[list[dict[str, Any]]]:
    return [
        [
            {
                "ignorecase": False,
                "left": {"isContext": True, "value": {"simple": field_name}},
                "operator": "isNotEmpty",
                "right": {"isContext": False, "value": {}},
                "type": "shortText",
            }
        ]
    ]


def summary_tab(spec: LayoutSpec) -> dict[str, Any]:
    tab = "sentinelone-summary"
    buttons = [button.item(f"{tab}-actions-{_slug(button.command)}", index) for index, button in enumerate(spec.buttons)]
    sections = [
        _section(tab, f"{spec.incident_type} Triage", (0, 0, 4), _field_items(tab, "triage", spec.triage_fields)),
        _section(tab, "Case Details", (1, 0, 3), _field_items(tab, "case", CASE_DETAILS)),
        *([_section(tab, "Quick Actions", (2, 0, 4), buttons)] if buttons else []),
        _section(tab, "Mirroring", (1, 3, 2), _field_items(tab, "mirroring", MIRRORING)),
        _section(tab, spec.details_title, (0, 4, 2), _field_items(tab, spec.details_title, spec.details_fields)),
        _section(tab, spec.agent_title, (1, 5, 4), _field_items(tab, "agent", spec.agent_fields)),
        _section(tab, "Timeline Information", (0, 6, 2), _field_items(tab, "timeline", TIMELINE)),
        {
            "h": 4,
            "i": f"{tab}-notes",
            "maxW": 3,
            "moved": False,
            "name": "Notes",
            "static": False,
            "type": "notes",
            "w": 1,
            "x": 2,
            "y": 4,
        },
        _section(tab, "Closing Information", (0, 8, 2), _field_items(tab, "closing", CLOSE_FORM)),
    ]
    return {"hidden": False, "id": tab, "name": "Summary", "sections": sections, "showEmptyFields": True, "type": "custom"}


def conditional_tab(tab: str, name: str, fields: list[str]) -> dict[str, Any]:
    return {
        "filters": _shown_when_set(fields[0]),
        "hidden": False,
        "id": tab,
        "name": name,
        "sections": [_section(tab, f"{name} Details", (0, 0, 4), _field_items(tab, name, fields))],
        "showEmptyFields": False,
        "type": "custom",
    }


STANDARD_TABS = [
    {"id": "warRoom", "name": "War Room", "type": "warRoom"},
    {"id": "workPlan", "name": "Work Plan", "type": "workPlan"},
    {"id": "evidenceBoard", "name": "Evidence Board", "type": "evidenceBoard"},
    {"id": "relatedIncidents", "name": "Related Incidents", "type": "relatedIncidents"},
    {"id": "canvas", "name": "Canvas", "type": "canvas"},
]


def _form(spec: LayoutSpec, basic: list[str]) -> dict[str, Any]:
    def form_section(name: str, fields: list[str]) -> dict[str, Any]:
        return {
            "description": "",
            "fields": [{"fieldId": f"incident_{name_}", "isVisible": True} for name_ in fields],
            "isVisible": True,
            "name": name,
            "query": None,
            "queryType": "",
            "readOnly": False,
            "type": "",
        }

    return {
        "sections": [
            form_section("Basic Information", basic),
            form_section("SentinelOne (mirrored to the console)", [spec.verdict_field, spec.status_field]),
        ]
    }


def build_layout(spec: LayoutSpec) -> dict[str, Any]:
    tabs = [summary_tab(spec)]
    if spec.cloud_fields:
        tabs.append(conditional_tab("sentinelone-cloud", "Cloud", spec.cloud_fields))
    if spec.kubernetes_fields:
        tabs.append(conditional_tab("sentinelone-kubernetes", "Kubernetes", spec.kubernetes_fields))
    tabs.extend(STANDARD_TABS)
    return {
        "close": _form(spec, CLOSE_FORM),
        "description": spec.description,
        "detailsV2": {"tabs": tabs},
        "edit": _form(spec, EDIT_FORM),
        "fromVersion": FROM_VERSION,
        "group": "incident",
        "id": spec.layout_id,
        "name": spec.layout_id,
        "system": False,
        "version": -1,
    }


def rendered(spec: LayoutSpec) -> str:
    return json.dumps(build_layout(spec), indent=4, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    options = parser.parse_args(argv)
    stale = []
    for spec in LAYOUTS:
        path = LAYOUTS_DIR / spec.file_name
        text = rendered(spec)
        if options.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path.relative_to(ROOT)))
            continue
        LAYOUTS_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")
    if stale:
        print("layouts out of date (run: .venv/bin/python -m tools.make_layouts): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
