"""The pack's content items agree with each other, with the incident design and with the integration YAML.

incident-design.md fixes the incident types, the incident fields (cli names and kinds), the classifier keyed on rawJSON
`incident_type`, and the two mappers; the integration YAML names the classifier, mappers and test playbook. A field
that a mapper fills but no file defines, a type that the classifier returns but no file defines, or a YAML reference
to a missing item is a pack the platform would reject or silently half-apply.
"""

from __future__ import annotations

import configparser
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
PACK = ROOT / "Packs" / "SentinelOne"
INTEGRATION_YML = PACK / "Integrations" / "SentinelOne_V2" / "SentinelOne_V2.yml"
THREAT, ALERT, UAM = "SentinelOne Threat", "SentinelOne Alert", "SentinelOne UAM Alert"
VERDICTS = ["True positive", "False positive", "Suspicious", "Undefined"]
STATUSES = ["Unresolved", "In progress", "Resolved"]
UAM_STATUSES = ["New", "In progress", "Resolved"]
UAM_VERDICTS = [
    "False positive - Benign",
    "False positive - Benign but suspicious",
    "False positive - System error",
    "False positive - Undefined",
    "False positive - User error",
    "True positive - Advanced persistent threat",
    "True positive - Benign",
    "True positive - Benign but suspicious",
    "True positive - Data exfiltration",
    "True positive - Denial of service",
    "True positive - Exploitation tools",
    "True positive - Insider threat",
    "True positive - Malware",
    "True positive - Phishing attack",
    "True positive - Policy violation",
    "True positive - PUA/Adware",
    "True positive - Ransomware",
    "True positive - Unauthorized access",
    "True positive - Undefined",
    "Undefined",
]
MIRROR_FIELDS = {
    "dbotMirrorId": "mirror_id",
    "dbotMirrorDirection": "mirror_direction",
    "dbotMirrorInstance": "mirror_instance",
    "dbotMirrorTags": "mirror_tags",  # the entry tag mirrored out as SentinelOne notes
}

# incident-design.md, "Incident fields": cli name -> (field type, select values, incident types).
DESIGNED_FIELDS: dict[str, tuple[str, list[str] | None, set[str]]] = {
    "sentinelonethreatid": ("shortText", None, {THREAT}),
    "sentinelonethreatname": ("shortText", None, {THREAT}),
    "sentinelonethreatclassification": ("shortText", None, {THREAT}),
    "sentinelonethreatconfidencelevel": ("shortText", None, {THREAT}),
    "sentinelonethreatmitigationstatus": ("shortText", None, {THREAT}),
    "sentinelonethreatanalystverdict": ("singleSelect", VERDICTS, {THREAT}),
    "sentinelonethreatstatus": ("singleSelect", STATUSES, {THREAT}),
    "sentinelonethreatfilesha1": ("shortText", None, {THREAT}),
    "sentinelonethreatfilesha256": ("shortText", None, {THREAT}),
    "sentinelonethreatfilepath": ("shortText", None, {THREAT}),
    "sentinelonealertid": ("shortText", None, {ALERT}),
    "sentinelonealertrulename": ("shortText", None, {ALERT}),
    "sentinelonealertseverity": ("shortText", None, {ALERT}),
    "sentinelonealertanalystverdict": ("singleSelect", VERDICTS, {ALERT}),
    "sentinelonealertstatus": ("singleSelect", STATUSES, {ALERT}),
    "sentineloneagentid": ("shortText", None, {THREAT, ALERT}),
    "sentinelonecomputername": ("shortText", None, {THREAT, ALERT}),
    "sentinelonesiteid": ("shortText", None, {THREAT, ALERT, UAM}),
    "sentinelonesitename": ("shortText", None, {THREAT, ALERT, UAM}),
    "sentineloneuamalertid": ("shortText", None, {UAM}),
    "sentineloneuamalertname": ("shortText", None, {UAM}),
    "sentineloneuamalertstatus": ("singleSelect", UAM_STATUSES, {UAM}),
    "sentineloneuamalertanalystverdict": ("singleSelect", UAM_VERDICTS, {UAM}),
    "sentineloneuamalertseverity": ("shortText", None, {UAM}),
    "sentineloneuamalertdetectionproduct": ("shortText", None, {UAM}),
    "sentineloneuamalertattacksurfaces": ("multiSelect", None, {UAM}),
    "sentineloneuamalertexternalid": ("shortText", None, {UAM}),
    "sentineloneuamalertasset": ("shortText", None, {UAM}),
    "sentineloneuamalertscope": ("shortText", None, {UAM}),
    # The agent/endpoint section, the cloud tab and the Kubernetes tab of the layouts.
    "sentineloneaccountid": ("shortText", None, {THREAT, ALERT}),
    "sentineloneagentos": ("shortText", None, {THREAT, ALERT}),
    "sentineloneagentversion": ("shortText", None, {THREAT, ALERT}),
    "sentineloneagentip": ("shortText", None, {THREAT, ALERT}),
    "sentineloneagentnetworkstatus": ("shortText", None, {THREAT}),
    "sentinelonegroupname": ("shortText", None, {THREAT}),
    **{
        f"sentinelonecloudprovider{name}": ("shortText", None, {THREAT})
        for name in ("account", "instanceid", "instancesize", "image", "location", "network")
    },
    **{
        f"sentinelonekubernetes{name}": ("shortText", None, {THREAT, ALERT})
        for name in ("cluster", "namespace", "node", "pod", "controllerkind", "controllername")
    },
}


def load_json(path: Path) -> dict[str, Any]:
    data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


INTEGRATION = yaml.safe_load(INTEGRATION_YML.read_text(encoding="utf-8"))
FIELDS = {path.name: load_json(path) for path in sorted((PACK / "IncidentFields").glob("*.json"))}
FIELDS_BY_CLI = {field["cliName"]: field for field in FIELDS.values()}
FIELDS_BY_NAME = {field["name"]: field for field in FIELDS.values()}
TYPES = {load_json(path)["id"]: load_json(path) for path in sorted((PACK / "IncidentTypes").glob("*.json"))}
CLASSIFIER_ITEMS = [load_json(path) for path in sorted((PACK / "Classifiers").glob("*.json"))]
CLASSIFIERS = {item["id"]: item for item in CLASSIFIER_ITEMS if item["type"] == "classification"}
INCOMING = {item["id"]: item for item in CLASSIFIER_ITEMS if item["type"] == "mapping-incoming"}
OUTGOING = {item["id"]: item for item in CLASSIFIER_ITEMS if item["type"] == "mapping-outgoing"}


def test_the_pack_defines_exactly_the_designed_incident_types():
    assert sorted(TYPES) == [ALERT, THREAT, UAM]
    for type_id, incident_type in TYPES.items():
        assert incident_type["name"] == type_id
        assert incident_type["version"] == -1
        assert incident_type["fromVersion"] == INTEGRATION["fromversion"]


def test_the_pack_defines_exactly_the_designed_incident_fields():
    assert sorted(FIELDS_BY_CLI) == sorted(DESIGNED_FIELDS)
    for cli_name, (field_type, select_values, types) in DESIGNED_FIELDS.items():
        field = FIELDS_BY_CLI[cli_name]
        assert field["type"] == field_type, cli_name
        assert field.get("selectValues") == select_values, cli_name
        assert set(field["associatedTypes"]) == types, cli_name


@pytest.mark.parametrize("file_name", sorted(FIELDS))
def test_incident_field_identity_is_consistent(file_name):
    """
    Given an incident field file
    When its name, cli name, id and file name are compared
    Then the cli name is the lower-cased name without spaces, the id is incident_<cliName>, the name carries the pack
    prefix (IF113), and the file is incidentfield-<Name_With_Underscores>.json.
    """
    field = FIELDS[file_name]
    assert field["cliName"] == field["name"].lower().replace(" ", "")
    assert field["id"] == f"incident_{field['cliName']}"
    assert field["name"].startswith("SentinelOne ")
    assert file_name == f"incidentfield-{field['name'].replace(' ', '_')}.json"
    assert field["content"] is True
    assert field["system"] is False
    assert field["unsearchable"] is True
    assert field["associatedToAll"] is False
    assert field["fromVersion"] == INTEGRATION["fromversion"]
    assert set(field["associatedTypes"]) <= set(TYPES)


def test_classifier_routes_each_stream_to_its_incident_type():
    classifier = CLASSIFIERS["SentinelOne - Classifier"]
    assert classifier["transformer"] == {"simple": "incident_type"}
    # The keys are the rawJSON incident_type values the integration writes (incident-design.md).
    assert classifier["keyTypeMap"] == {THREAT: THREAT, ALERT: ALERT, UAM: UAM}
    assert set(classifier["keyTypeMap"].values()) <= set(TYPES)


def test_the_integration_yaml_names_existing_classifier_mappers_and_test_playbook():
    assert INTEGRATION["defaultclassifier"] in CLASSIFIERS
    assert INTEGRATION["defaultmapperin"] in INCOMING
    assert INTEGRATION["defaultmapperout"] in OUTGOING
    assert (INTEGRATION["defaultclassifier"], INTEGRATION["defaultmapperin"], INTEGRATION["defaultmapperout"]) == (
        "SentinelOne - Classifier",
        "SentinelOne - Incoming Mapper",
        "SentinelOne - Outgoing Mapper",
    )
    playbook_ids = {yaml.safe_load(path.read_text())["id"] for path in (PACK / "TestPlaybooks").glob("*.yml")}
    assert INTEGRATION["tests"] == ["SentinelOne_V2-test"]
    assert set(INTEGRATION["tests"]) <= playbook_ids


def test_the_test_playbook_runs_only_commands_of_the_integration():
    playbook = yaml.safe_load((PACK / "TestPlaybooks" / "playbook-SentinelOne_V2-test_Test.yml").read_text())
    commands = {command["name"] for command in INTEGRATION["script"]["commands"]}
    brand = INTEGRATION["commonfields"]["id"]
    used = {
        task["task"]["script"].split("|||")[1]
        for task in playbook["tasks"].values()
        if task["task"].get("script", "").startswith(f"{brand}|||")
    }
    assert used and used <= commands
    assert playbook["fromversion"] == INTEGRATION["fromversion"]


@pytest.mark.parametrize("incident_type", [THREAT, ALERT, UAM])
def test_incoming_mapper_fills_only_fields_of_that_type_and_the_mirroring_fields(incident_type):
    mapping = INCOMING["SentinelOne - Incoming Mapper"]["mapping"][incident_type]["internalMapping"]
    for target in mapping:
        if target in MIRROR_FIELDS:
            continue
        assert target in FIELDS_BY_NAME, f"{target} is not an incident field of the pack"
        assert incident_type in FIELDS_BY_NAME[target]["associatedTypes"], f"{target} is not associated to {incident_type}"
    for target, raw_key in MIRROR_FIELDS.items():
        assert mapping[target] == {"simple": raw_key}


@pytest.mark.parametrize(
    ("incident_type", "verdict_field", "status_field"),
    [
        (THREAT, "sentinelonethreatanalystverdict", "sentinelonethreatstatus"),
        (ALERT, "sentinelonealertanalystverdict", "sentinelonealertstatus"),
        (UAM, "sentineloneuamalertanalystverdict", "sentineloneuamalertstatus"),
    ],
)
def test_outgoing_mapper_sends_verdict_and_status_fields_of_that_type(incident_type, verdict_field, status_field):
    mapper = OUTGOING["SentinelOne - Outgoing Mapper"]
    assert sorted(mapper["mapping"]) == [ALERT, THREAT, UAM]
    mapping = mapper["mapping"][incident_type]["internalMapping"]
    # Remote field names are the ones get-mapping-fields offers (incident-design.md, "Mirroring"); UAM alerts use the
    # public pack's names.
    names = ("uamAnalystVerdict", "uamStatus") if incident_type == UAM else ("analystVerdict", "incidentStatus")
    assert mapping == {names[0]: {"simple": verdict_field}, names[1]: {"simple": status_field}}
    for source in (verdict_field, status_field):
        assert incident_type in FIELDS_BY_CLI[source]["associatedTypes"]


# --- the incoming mapper applied to API objects -------------------------------------------------------------------
# A model of the few XSOAR mapping features the mapper uses: dotted paths, and the transformers toLowerCase (built in),
# SetIfEmpty and MapValuesTransformer (CommonScripts). Any other feature in the mapper fails the test, so the model and
# the mapper cannot drift apart silently.


def dig(raw: dict[str, Any], path: str) -> Any:
    value: Any = raw
    for key in path.split("."):
        value = value.get(key) if isinstance(value, dict) else None
    return value


def arg_path(args: dict[str, Any], name: str) -> str:
    path = args[name]["value"]["simple"]
    assert isinstance(path, str)
    return path


def apply_transformer(value: Any, transformer: dict[str, Any], raw: dict[str, Any]) -> Any:
    operator, args = transformer["operator"], transformer.get("args", {})
    if operator == "toLowerCase":
        return value.lower() if isinstance(value, str) else value
    if operator == "SetIfEmpty":
        assert args["defaultValue"]["isContext"] is True
        assert arg_path(args, "applyIfEmpty") == "true"
        return dig(raw, arg_path(args, "defaultValue")) if value in (None, "", [], {}) else value
    if operator == "MapValuesTransformer":
        inputs = [item.strip() for item in arg_path(args, "input_values").split(",")]
        outputs = [item.strip() for item in arg_path(args, "mapped_values").split(",")]
        assert len(inputs) == len(outputs)
        return outputs[inputs.index(value)] if value in inputs else value
    raise AssertionError(f"the mapper uses a transformer this test does not model: {operator}")


def map_incoming(incident_type: str, raw: dict[str, Any]) -> dict[str, Any]:
    mapped = {}
    for target, rule in INCOMING["SentinelOne - Incoming Mapper"]["mapping"][incident_type]["internalMapping"].items():
        if "simple" in rule:
            value = dig(raw, rule["simple"])
        else:
            complex_rule = rule["complex"]
            assert complex_rule.get("filters", []) == [] and complex_rule.get("accessor", "") == ""
            value = dig(raw, complex_rule["root"])
            for transformer in complex_rule.get("transformers", []):
                value = apply_transformer(value, transformer, raw)
        mapped[target] = value
    return mapped


THREAT_V21 = {
    "id": "1913907436417364744",
    "threatInfo": {
        "threatName": "invoice.exe",
        "classification": "Malware",
        "confidenceLevel": "malicious",
        "mitigationStatus": "mitigated",
        "analystVerdict": "true_positive",
        "incidentStatus": "in_progress",
        "sha1": "3395856ce81f2b7382dee72602f798b642f14140",
        "sha256": "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
        "filePath": "\\Device\\HarddiskVolume1\\Users\\Administrator\\Downloads\\invoice.exe",
    },
    "agentRealtimeInfo": {
        "agentId": "657613730168123595",
        "agentComputerName": "EC2AMAZ-AJ0KANC",
        "siteId": "475482421366727779",
        "siteName": "demisto",
        "accountId": "433241117337583618",
        "agentOsName": "Windows Server 2019",
        "agentVersion": "23.4.2.14",
        "agentNetworkStatus": "connected",
        "groupName": "Default Group",
    },
    "agentDetectionInfo": {
        "agentIpV4": "172.31.41.123",
        "cloudProviders": {"AWS": {"cloudAccount": "123456789012", "cloudInstanceId": "i-0abc", "cloudLocation": "us-east-1"}},
    },
    "kubernetesInfo": {"cluster": "prod-eks", "namespace": "payments", "node": None, "pod": "api-7d9", "controllerKind": None},
    "mitigationStatus": [{"action": "kill", "status": "success"}],
    "incident_type": THREAT,
    "s1_stream": "threat",
    "s1_api_version": "2.1",
    "mirror_id": "1913907436417364744",
    "mirror_direction": "Both",
    "mirror_tags": ["comment"],
    "mirror_instance": "SentinelOne_instance_1",
}
THREAT_V20 = {
    "id": "1913907436417364745",
    "threatName": "dropper.js",
    "classification": "Trojan",
    "mitigationStatus": "active",
    "fileContentHash": "e9e2a2f5c4b1d0c3a6f7e8d9c0b1a2f3e4d5c6b7",
    "fileSha256": None,
    "filePath": "C:\\Users\\alice\\AppData\\Local\\Temp\\dropper.js",
    "agentId": "657613730168123596",
    "agentComputerName": "LAPTOP-ALICE",
    "siteId": "475482421366727780",
    "siteName": "Finance",
    "accountId": "433241117337583619",
    "agentOsType": "windows",
    "agentVersion": "2.8.1.1",
    "agentIp": "10.0.0.7",
    "agentNetworkStatus": "disconnected",
    "rank": 7,
    "incident_type": THREAT,
    "s1_stream": "threat",
    "s1_api_version": "2.0",
    "mirror_id": "1913907436417364745",
    "mirror_direction": "In",
    "mirror_instance": "SentinelOne_instance_2",
}
ALERT_V21 = {
    "id": "1913925555123456789",
    "alertInfo": {
        "alertId": "1913925555123456789",
        "srcMachineIp": "172.31.41.123",
        "analystVerdict": "Undefined",
        "incidentStatus": "Unresolved",
        "createdAt": "2024-04-11T15:00:00.000000Z",
    },
    "ruleInfo": {"name": "Encoded PowerShell", "severity": "High"},
    "agentRealtimeInfo": {"id": "657613730168123595", "name": "EC2AMAZ-AJ0KANC"},
    "agentDetectionInfo": {
        "siteId": "475482421366727779",
        "name": "EC2AMAZ-AJ0KANC",
        "accountId": "433241117337583618",
        "osName": "Windows Server 2019",
        "version": "23.4.2.14",
    },
    "kubernetesInfo": {"cluster": "prod-eks", "namespace": None},
    "incident_type": ALERT,
    "s1_stream": "alert",
    "s1_api_version": "2.1",
    "mirror_id": "alert:1913925555123456789",
    "mirror_direction": None,
    "mirror_instance": "SentinelOne_instance_1",
}


def test_incoming_mapper_fills_every_threat_field_from_an_api_2_1_threat():
    assert map_incoming(THREAT, THREAT_V21) == {
        "SentinelOne Threat ID": "1913907436417364744",
        "SentinelOne Threat Name": "invoice.exe",
        "SentinelOne Threat Classification": "Malware",
        "SentinelOne Threat Confidence Level": "malicious",
        "SentinelOne Threat Mitigation Status": "mitigated",
        "SentinelOne Threat Analyst Verdict": "True positive",
        "SentinelOne Threat Status": "In progress",
        "SentinelOne Threat File SHA1": "3395856ce81f2b7382dee72602f798b642f14140",
        "SentinelOne Threat File SHA256": "275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f",
        "SentinelOne Threat File Path": "\\Device\\HarddiskVolume1\\Users\\Administrator\\Downloads\\invoice.exe",
        "SentinelOne Agent ID": "657613730168123595",
        "SentinelOne Computer Name": "EC2AMAZ-AJ0KANC",
        "SentinelOne Site ID": "475482421366727779",
        "SentinelOne Site Name": "demisto",
        "SentinelOne Account ID": "433241117337583618",
        "SentinelOne Agent OS": "Windows Server 2019",
        "SentinelOne Agent Version": "23.4.2.14",
        "SentinelOne Agent IP": "172.31.41.123",
        "SentinelOne Agent Network Status": "connected",
        "SentinelOne Group Name": "Default Group",
        "SentinelOne Cloud Provider Account": "123456789012",
        "SentinelOne Cloud Provider Instance ID": "i-0abc",
        "SentinelOne Cloud Provider Instance Size": None,
        "SentinelOne Cloud Provider Image": None,
        "SentinelOne Cloud Provider Location": "us-east-1",
        "SentinelOne Cloud Provider Network": None,
        "SentinelOne Kubernetes Cluster": "prod-eks",
        "SentinelOne Kubernetes Namespace": "payments",
        "SentinelOne Kubernetes Node": None,
        "SentinelOne Kubernetes Pod": "api-7d9",
        "SentinelOne Kubernetes Controller Kind": None,
        "SentinelOne Kubernetes Controller Name": None,
        "dbotMirrorId": "1913907436417364744",
        "dbotMirrorDirection": "Both",
        "dbotMirrorInstance": "SentinelOne_instance_1",
        "dbotMirrorTags": ["comment"],
    }


def test_incoming_mapper_falls_back_to_the_flat_api_2_0_threat_fields():
    """2.0 threats have no analyst verdict, incident status, confidence level, group, cloud or Kubernetes details: those
    stay empty; the agent's OS is only its type there."""
    assert map_incoming(THREAT, THREAT_V20) == {
        "SentinelOne Threat ID": "1913907436417364745",
        "SentinelOne Threat Name": "dropper.js",
        "SentinelOne Threat Classification": "Trojan",
        "SentinelOne Threat Confidence Level": None,
        "SentinelOne Threat Mitigation Status": "active",
        "SentinelOne Threat Analyst Verdict": None,
        "SentinelOne Threat Status": None,
        "SentinelOne Threat File SHA1": "e9e2a2f5c4b1d0c3a6f7e8d9c0b1a2f3e4d5c6b7",
        "SentinelOne Threat File SHA256": None,
        "SentinelOne Threat File Path": "C:\\Users\\alice\\AppData\\Local\\Temp\\dropper.js",
        "SentinelOne Agent ID": "657613730168123596",
        "SentinelOne Computer Name": "LAPTOP-ALICE",
        "SentinelOne Site ID": "475482421366727780",
        "SentinelOne Site Name": "Finance",
        "SentinelOne Account ID": "433241117337583619",
        "SentinelOne Agent OS": "windows",
        "SentinelOne Agent Version": "2.8.1.1",
        "SentinelOne Agent IP": "10.0.0.7",
        "SentinelOne Agent Network Status": "disconnected",
        "SentinelOne Group Name": None,
        "SentinelOne Cloud Provider Account": None,
        "SentinelOne Cloud Provider Instance ID": None,
        "SentinelOne Cloud Provider Instance Size": None,
        "SentinelOne Cloud Provider Image": None,
        "SentinelOne Cloud Provider Location": None,
        "SentinelOne Cloud Provider Network": None,
        "SentinelOne Kubernetes Cluster": None,
        "SentinelOne Kubernetes Namespace": None,
        "SentinelOne Kubernetes Node": None,
        "SentinelOne Kubernetes Pod": None,
        "SentinelOne Kubernetes Controller Kind": None,
        "SentinelOne Kubernetes Controller Name": None,
        "dbotMirrorId": "1913907436417364745",
        "dbotMirrorDirection": "In",
        "dbotMirrorInstance": "SentinelOne_instance_2",
        "dbotMirrorTags": None,
    }


def test_incoming_mapper_fills_the_alert_fields_from_a_cloud_detection_alert():
    assert map_incoming(ALERT, ALERT_V21) == {
        "SentinelOne Alert ID": "1913925555123456789",
        "SentinelOne Alert Rule Name": "Encoded PowerShell",
        "SentinelOne Alert Severity": "High",
        "SentinelOne Alert Analyst Verdict": "Undefined",
        "SentinelOne Alert Status": "Unresolved",
        "SentinelOne Agent ID": "657613730168123595",
        "SentinelOne Computer Name": "EC2AMAZ-AJ0KANC",
        "SentinelOne Site ID": "475482421366727779",
        "SentinelOne Account ID": "433241117337583618",
        "SentinelOne Agent OS": "Windows Server 2019",
        "SentinelOne Agent Version": "23.4.2.14",
        "SentinelOne Agent IP": "172.31.41.123",
        "SentinelOne Kubernetes Cluster": "prod-eks",
        "SentinelOne Kubernetes Namespace": None,
        "SentinelOne Kubernetes Node": None,
        "SentinelOne Kubernetes Pod": None,
        "SentinelOne Kubernetes Controller Kind": None,
        "SentinelOne Kubernetes Controller Name": None,
        "dbotMirrorId": "alert:1913925555123456789",
        "dbotMirrorDirection": None,
        "dbotMirrorInstance": "SentinelOne_instance_1",
        "dbotMirrorTags": None,
    }


@pytest.mark.parametrize(
    ("api_value", "label"),
    [
        ("true_positive", "True positive"),
        ("TRUE_POSITIVE", "True positive"),
        ("True positive", "True positive"),
        ("false_positive", "False positive"),
        ("FALSE_POSITIVE", "False positive"),
        ("suspicious", "Suspicious"),
        ("SUSPICIOUS", "Suspicious"),
        ("undefined", "Undefined"),
        ("Undefined", "Undefined"),
    ],
)
@pytest.mark.parametrize(("incident_type", "path"), [(THREAT, "threatInfo"), (ALERT, "alertInfo")])
def test_verdicts_in_every_api_spelling_become_the_field_labels(incident_type, path, api_value, label):
    raw = {path: {"analystVerdict": api_value}}
    field = "SentinelOne Threat Analyst Verdict" if incident_type == THREAT else "SentinelOne Alert Analyst Verdict"
    assert map_incoming(incident_type, raw)[field] == label
    assert label in FIELDS_BY_NAME[field]["selectValues"]


@pytest.mark.parametrize(
    ("api_value", "label"),
    [
        ("unresolved", "Unresolved"),
        ("UNRESOLVED", "Unresolved"),
        ("in_progress", "In progress"),
        ("IN_PROGRESS", "In progress"),
        ("In progress", "In progress"),
        ("resolved", "Resolved"),
        ("Resolved", "Resolved"),
    ],
)
@pytest.mark.parametrize(("incident_type", "path"), [(THREAT, "threatInfo"), (ALERT, "alertInfo")])
def test_statuses_in_every_api_spelling_become_the_field_labels(incident_type, path, api_value, label):
    raw = {path: {"incidentStatus": api_value}}
    field = "SentinelOne Threat Status" if incident_type == THREAT else "SentinelOne Alert Status"
    assert map_incoming(incident_type, raw)[field] == label
    assert label in FIELDS_BY_NAME[field]["selectValues"]


UAM_ALERT_RAW = {
    "id": "0b7a5c1e-2f3d-4e5a-8b9c-0d1e2f3a4b5c",
    "name": "Credential dumping via LSASS access",
    "severity": "HIGH",
    "status": "IN_PROGRESS",
    "analystVerdict": "TRUE_POSITIVE_PUA_ADWARE",
    "attackSurfaces": ["ENDPOINT", "IDENTITY"],
    "externalId": "edr-7734",
    "detectionSource": {"product": "EDR", "vendor": "SentinelOne", "engine": None},
    "asset": {"id": "a-17", "name": "FIN-LAPTOP-7"},
    "realTime": {"scope": {"account": None, "group": None, "site": {"id": "475482421366727779", "name": "Finance"}}},
    "status_label": "In progress",
    "analyst_verdict_label": "True positive - PUA/Adware",
    "scope_path": "Finance",
    "incident_type": UAM,
    "s1_stream": "uam",
    "s1_api_version": "2.1",
    "mirror_id": "uam:0b7a5c1e-2f3d-4e5a-8b9c-0d1e2f3a4b5c",
    "mirror_direction": "Both",
    "mirror_tags": ["comment"],
    "mirror_instance": "SentinelOne_instance_1",
}


def test_incoming_mapper_fills_the_uam_fields_from_a_uam_alert_with_labels():
    """The select fields read the labels the integration adds (the node keeps the API values); nulls do no harm."""
    mapped = map_incoming(UAM, UAM_ALERT_RAW)
    assert mapped == {
        "SentinelOne UAM Alert ID": "0b7a5c1e-2f3d-4e5a-8b9c-0d1e2f3a4b5c",
        "SentinelOne UAM Alert Name": "Credential dumping via LSASS access",
        "SentinelOne UAM Alert Status": "In progress",
        "SentinelOne UAM Alert Analyst Verdict": "True positive - PUA/Adware",
        "SentinelOne UAM Alert Severity": "HIGH",
        "SentinelOne UAM Alert Detection Product": "EDR",
        "SentinelOne UAM Alert Attack Surfaces": ["ENDPOINT", "IDENTITY"],
        "SentinelOne UAM Alert External Id": "edr-7734",
        "SentinelOne UAM Alert Asset": "FIN-LAPTOP-7",
        "SentinelOne UAM Alert Scope": "Finance",
        "SentinelOne Site ID": "475482421366727779",
        "SentinelOne Site Name": "Finance",
        "dbotMirrorId": "uam:0b7a5c1e-2f3d-4e5a-8b9c-0d1e2f3a4b5c",
        "dbotMirrorDirection": "Both",
        "dbotMirrorInstance": "SentinelOne_instance_1",
        "dbotMirrorTags": ["comment"],
    }
    assert mapped["SentinelOne UAM Alert Status"] in FIELDS_BY_NAME["SentinelOne UAM Alert Status"]["selectValues"]
    verdict_field = FIELDS_BY_NAME["SentinelOne UAM Alert Analyst Verdict"]
    assert mapped["SentinelOne UAM Alert Analyst Verdict"] in verdict_field["selectValues"]


# --- pack files ---------------------------------------------------------------------------------------------------


def test_pack_metadata_uses_approved_values_and_matches_the_latest_release_notes():
    metadata = load_json(PACK / "pack_metadata.json")
    assert metadata["name"] == "SentinelOne"
    assert metadata["currentVersion"] == "1.1.0"
    assert metadata["categories"] == ["Endpoint"]
    assert metadata["marketplaces"] == ["xsoar"]
    assert metadata["support"] in {"xsoar", "community"}
    assert "firstCreated" not in metadata  # ST110 rejects it
    approved_tags = load_json(ROOT / "Config" / "approved_tags.json")["approved_list"]
    assert set(metadata["categories"]) <= set(load_json(ROOT / "Config" / "approved_categories.json")["approved_list"])
    assert set(metadata["useCases"]) <= set(load_json(ROOT / "Config" / "approved_usecases.json")["approved_list"])
    assert set(metadata["tags"]) <= set(approved_tags["common"]) | set(approved_tags["xsoar"])
    versions = sorted(tuple(int(part) for part in path.stem.split("_")) for path in (PACK / "ReleaseNotes").glob("*.md"))
    assert ".".join(map(str, versions[-1])) == metadata["currentVersion"]


RELEASE_NOTE_SECTIONS = ["Integrations", "Incident Types", "Incident Fields", "Classifiers", "Mappers", "Layouts", "Playbooks"]


def test_release_notes_name_every_content_item_of_the_pack():
    """Every release note's sections come in the platform's order, and together the notes name every content item."""
    notes = ""
    for path in sorted((PACK / "ReleaseNotes").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        headers = re.findall(r"^#### (.+)$", text, re.MULTILINE)
        assert headers == [section for section in RELEASE_NOTE_SECTIONS if section in headers], path.name
        assert f"##### {INTEGRATION['display']}" in text, path.name
        notes += text
    for name in [*TYPES, *FIELDS_BY_NAME, *CLASSIFIERS, *INCOMING, *OUTGOING]:
        assert name in notes, name


def test_pack_ignore_only_waives_the_integration_file_name_checks():
    pack_ignore = configparser.ConfigParser()
    pack_ignore.read(PACK / ".pack-ignore")
    assert pack_ignore.sections() == ["file:SentinelOne_V2.yml"]
    assert pack_ignore["file:SentinelOne_V2.yml"]["ignore"] == "BA108,BA109"


def test_the_required_pack_files_exist():
    for name in ("README.md", ".pack-ignore", ".secrets-ignore", "pack_metadata.json"):
        assert (PACK / name).is_file(), name
    integration_dir = INTEGRATION_YML.parent
    for name in ("SentinelOne_V2_description.md", "SentinelOne_V2_image.png", "README.md", "command_examples"):
        assert (integration_dir / name).is_file(), name
    assert len((PACK / "README.md").read_text(encoding="utf-8")) > 1000


# --- the integration code agrees with the content ------------------------------------------------------------------


@pytest.fixture(scope="module")
def integration_module():
    """The integration script, imported as the platform would run it (CommonServerPython from the local runtime)."""
    import importlib
    import sys

    sys.path.insert(0, str(INTEGRATION_YML.parent))
    try:
        return importlib.import_module("SentinelOne_V2")
    finally:
        sys.path.remove(str(INTEGRATION_YML.parent))


def test_the_incident_types_the_integration_writes_are_the_classifier_keys(integration_module):
    keys = CLASSIFIERS["SentinelOne - Classifier"]["keyTypeMap"]
    assert sorted(keys) == sorted(
        [integration_module.THREAT_INCIDENT_TYPE, integration_module.ALERT_INCIDENT_TYPE, integration_module.UAM_INCIDENT_TYPE]
    )


def test_the_labels_the_integration_maps_are_the_select_values_of_the_mirrored_fields(integration_module):
    assert sorted(integration_module.VERDICT_LABELS.values()) == sorted(VERDICTS)
    assert sorted(integration_module.STATUS_LABELS.values()) == sorted(STATUSES)
    for cli_name in ("sentinelonethreatanalystverdict", "sentinelonealertanalystverdict"):
        assert cli_name in integration_module.OUTGOING_VERDICT_FIELDS
    for cli_name in ("sentinelonethreatstatus", "sentinelonealertstatus"):
        assert cli_name in integration_module.OUTGOING_STATUS_FIELDS
    # The outgoing mapper's remote names are the first names the integration looks for.
    assert integration_module.OUTGOING_VERDICT_FIELDS[0] == "analystVerdict"
    assert integration_module.OUTGOING_STATUS_FIELDS[0] == "incidentStatus"
    # UAM alerts: labels, the outgoing mapper's names (uamStatus, uamAnalystVerdict) and the cli names.
    assert list(integration_module.UAM_STATUS_LABELS.values()) == UAM_STATUSES
    assert list(integration_module.UAM_VERDICT_LABELS.values()) == UAM_VERDICTS
    uam_outgoing = OUTGOING["SentinelOne - Outgoing Mapper"]["mapping"][UAM]["internalMapping"]
    status_fields = integration_module.OUTGOING_UAM_STATUS_FIELDS
    verdict_fields = integration_module.OUTGOING_UAM_VERDICT_FIELDS
    assert list(status_fields) == ["uamStatus", uam_outgoing["uamStatus"]["simple"]]
    assert list(verdict_fields) == ["uamAnalystVerdict", uam_outgoing["uamAnalystVerdict"]["simple"]]
