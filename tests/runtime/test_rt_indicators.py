"""DBot scores, File/Endpoint indicators, relationships, timelines and the score enumerations."""

import demistomock as demisto
import pytest
from CommonServerPython import Common, DBotScoreReliability, DBotScoreType, EntityRelationship, IndicatorsTimeline

DBOT_KEY = "DBotScore(val.Indicator && val.Indicator == obj.Indicator && val.Vendor == obj.Vendor && val.Type == obj.Type)"
FILE_KEY = (
    "File(val.MD5 && val.MD5 == obj.MD5 || val.SHA1 && val.SHA1 == obj.SHA1 || val.SHA256 && val.SHA256 == obj.SHA256 || "
    "val.SHA512 && val.SHA512 == obj.SHA512 || val.CRC32 && val.CRC32 == obj.CRC32 || val.CTPH && val.CTPH == obj.CTPH || "
    "val.SSDeep && val.SSDeep == obj.SSDeep)"
)
MD5 = "d41d8cd98f00b204e9800998ecf8427e"
SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_score_type_and_reliability_values() -> None:
    assert DBotScoreType.CIDR == ("cidr",)
    assert DBotScoreType.is_valid_type("file") is True
    assert DBotScoreType.is_valid_type("cidr") is False
    assert DBotScoreType.is_valid_type("hash") is False
    assert DBotScoreReliability.A_PLUS == "A+ - 3rd party enrichment"
    assert DBotScoreReliability.F == "F - Reliability cannot be judged"
    assert DBotScoreReliability.is_valid_type("C - Fairly reliable") is True
    assert DBotScoreReliability.is_valid_type("C") is False
    assert DBotScoreReliability.get_dbot_score_reliability_from_str("B - Usually reliable") == DBotScoreReliability.B
    with pytest.raises(Exception, match=r"^Please use supported reliability only\.$"):
        DBotScoreReliability.get_dbot_score_reliability_from_str("B")


def test_dbot_score_context() -> None:
    assert Common.DBotScore.CONTEXT_PATH == DBOT_KEY
    score = Common.DBotScore(MD5, DBotScoreType.FILE, "S1", Common.DBotScore.BAD, reliability=DBotScoreReliability.A, message="m")
    assert score.to_context() == {
        DBOT_KEY: {
            "Indicator": MD5,
            "Type": "file",
            "Vendor": "S1",
            "Score": 3,
            "Reliability": "A - Completely reliable",
            "Message": "m",
        }
    }
    readable = [Common.DBotScore(MD5, "file", score=value).to_readable() for value in range(4)]
    assert readable == ["Unknown", "Good", "Suspicious", "Bad"]


def test_dbot_score_errors() -> None:
    with pytest.raises(TypeError, match=r"^indicator_type must be of type DBotScoreType enum$"):
        Common.DBotScore(MD5, "hash", score=1)
    for bad_score in (None, 4, -1):
        with pytest.raises(TypeError, match=r"^indicator `score` must be of type DBotScore enum$"):
            Common.DBotScore(MD5, "file", score=bad_score)
    with pytest.raises(TypeError, match=r"^reliability must be of type DBotScoreReliability enum$"):
        Common.DBotScore(MD5, "file", score=1, reliability="A")


def test_dbot_vendor_is_the_brand_inside_an_integration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demisto, "callingContext", {"integration": True, "context": {"IntegrationBrand": "SentinelOne V2"}})
    assert Common.DBotScore(MD5, "file", "given", 1).integration_name == "SentinelOne V2"
    monkeypatch.setattr(demisto, "callingContext", {"integration": True, "context": {"IntegrationBrand": ""}})
    assert Common.DBotScore(MD5, "file", "given", 1).integration_name == "given"


def test_file_context() -> None:
    dbot = Common.DBotScore(MD5, DBotScoreType.FILE, "S1", Common.DBotScore.GOOD)
    indicator = Common.File(dbot, name="x.exe", size=10, md5=MD5, sha256=SHA256, path="C:\\x.exe")
    assert Common.File.CONTEXT_PATH == FILE_KEY
    context = indicator.to_context()
    assert context == {
        FILE_KEY: {
            "Hashes": [{"type": "MD5", "value": MD5}, {"type": "SHA256", "value": SHA256}],
            "Name": "x.exe",
            "Size": 10,
            "MD5": MD5,
            "SHA256": SHA256,
            "Path": "C:\\x.exe",
        },
        DBOT_KEY: {"Indicator": MD5, "Type": "file", "Vendor": "S1", "Score": 1},
    }
    assert list(context[FILE_KEY]) == ["Hashes", "Name", "Size", "MD5", "SHA256", "Path"]


def test_malicious_file() -> None:
    dbot = Common.DBotScore(MD5, DBotScoreType.FILE, "S1", Common.DBotScore.BAD, malicious_description="bad file")
    context = Common.File(dbot, sha1="da39").to_context()
    assert context[FILE_KEY] == {
        "Hashes": [{"type": "SHA1", "value": "da39"}],
        "SHA1": "da39",
        "Malicious": {"Vendor": "S1", "Description": "bad file"},
    }


def test_file_without_hashes_still_lists_hashes() -> None:
    dbot = Common.DBotScore("x.exe", DBotScoreType.FILE, "S1", 0)
    assert Common.File(dbot, name="x.exe").to_context()[FILE_KEY] == {"Hashes": [], "Name": "x.exe"}


def test_endpoint_context_key_order() -> None:
    endpoint = Common.Endpoint(
        "1",
        hostname="h",
        ip_address="10.0.0.1",
        domain="d",
        mac_address="m",
        os="windows",
        os_version="10",
        dhcp_server="dh",
        bios_version="b",
        model="mo",
        memory=8,
        processors=2,
        processor="p",
        vendor="SentinelOne",
        status="Online",
        is_isolated="No",
    )
    assert Common.Endpoint.CONTEXT_PATH == "Endpoint(val.ID && val.ID == obj.ID && val.Vendor == obj.Vendor)"
    context = endpoint.to_context()[Common.Endpoint.CONTEXT_PATH]
    assert list(context) == [
        "ID",
        "Hostname",
        "IPAddress",
        "Domain",
        "MACAddress",
        "OS",
        "OSVersion",
        "DHCPServer",
        "BIOSVersion",
        "Model",
        "Memory",
        "Processors",
        "Processor",
        "Vendor",
        "Status",
        "IsIsolated",
    ]
    assert context["IPAddress"] == "10.0.0.1"
    assert Common.Endpoint("2").to_context() == {Common.Endpoint.CONTEXT_PATH: {"ID": "2"}}


def test_endpoint_validation_happens_at_to_context() -> None:
    bad_status = Common.Endpoint("1", status="Up")
    with pytest.raises(ValueError, match=r"^Status does not have a valid value such as: Online or Offline$"):
        bad_status.to_context()
    bad_isolation = Common.Endpoint("1", is_isolated="Maybe")
    with pytest.raises(ValueError) as raised:
        bad_isolation.to_context()
    assert str(raised.value) == (
        "Is Isolated does not have a valid value such as: Yes, No, Pending isolation or Pending unisolation"
    )


def test_endpoint_is_an_indicator() -> None:
    assert issubclass(Common.Endpoint, Common.Indicator)
    assert issubclass(Common.File, Common.Indicator)


def test_entity_relationship() -> None:
    relationship = EntityRelationship(
        "related-to", "a", "File", "b", "Domain", reverse_name="related-to", source_reliability=DBotScoreReliability.A, brand="S1"
    )
    assert relationship.to_entry() == {
        "name": "related-to",
        "reverseName": "related-to",
        "type": "IndicatorToIndicator",
        "entityA": "a",
        "entityAFamily": "Indicator",
        "entityAType": "File",
        "entityB": "b",
        "entityBFamily": "Indicator",
        "entityBType": "Domain",
        "fields": {},
        "reliability": "A - Completely reliable",
        "brand": "S1",
    }
    assert relationship.to_context() == {
        "Relationship": "related-to",
        "EntityA": "a",
        "EntityAType": "File",
        "EntityB": "b",
        "EntityBType": "Domain",
    }
    assert EntityRelationship("related-to", "a", "File").to_entry() == {}


def test_indicators_timeline_reuses_one_dict() -> None:
    assert IndicatorsTimeline(indicators=["a", "b"]).indicators_timeline == [
        {"Value": "b", "Category": "Integration Update"},
        {"Value": "b", "Category": "Integration Update"},
    ]
    timeline = IndicatorsTimeline(["a"], category="C", message="m")
    assert timeline.indicators_timeline == [{"Value": "a", "Category": "C", "Message": "m"}]
    assert IndicatorsTimeline().indicators_timeline == []
