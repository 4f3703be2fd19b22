"""Mirroring argument and response classes, and the last-mirror-run helpers."""

import demistomock as demisto
import pytest
from CommonServerPython import (
    DemistoException,
    GetMappingFieldsResponse,
    GetModifiedRemoteDataArgs,
    GetModifiedRemoteDataResponse,
    GetRemoteDataArgs,
    GetRemoteDataResponse,
    SchemeTypeMapping,
    UpdateRemoteSystemArgs,
    get_last_mirror_run,
    set_last_mirror_run,
)


def test_get_remote_data_args() -> None:
    args = GetRemoteDataArgs({"id": "t1", "lastUpdate": "2023-11-14T22:13:20Z"})
    assert (args.remote_incident_id, args.last_update) == ("t1", "2023-11-14T22:13:20Z")
    with pytest.raises(KeyError):
        GetRemoteDataArgs({"id": "t1"})


def test_get_modified_remote_data_args() -> None:
    assert GetModifiedRemoteDataArgs({"lastUpdate": "x"}).last_update == "x"
    with pytest.raises(KeyError):
        GetModifiedRemoteDataArgs({})


def test_get_remote_data_response() -> None:
    assert GetRemoteDataResponse({"id": "1"}, [{"Type": 1}]).extract_for_local() == [{"id": "1"}, {"Type": 1}]
    assert GetRemoteDataResponse({}, [{"Type": 1}]).extract_for_local() is None


def test_get_modified_remote_data_response(info_messages: list[str]) -> None:
    assert GetModifiedRemoteDataResponse(["a"]).to_entry() == {"Contents": ["a"], "Type": 1, "ContentsFormat": "json"}
    assert info_messages == ["Modified incidents: ['a']"]


def test_update_remote_system_args() -> None:
    args = UpdateRemoteSystemArgs(
        {"data": {"a": 1}, "entries": [1], "incidentChanged": True, "remoteId": "r", "status": 2, "delta": {"b": 2}}
    )
    assert (args.data, args.entries, args.incident_changed, args.remote_incident_id, args.inc_status, args.delta) == (
        {"a": 1},
        [1],
        True,
        "r",
        2,
        {"b": 2},
    )
    empty = UpdateRemoteSystemArgs({})
    assert (empty.data, empty.entries, empty.incident_changed, empty.remote_incident_id, empty.inc_status, empty.delta) == (
        None,
        None,
        None,
        None,
        None,
        None,
    )


def test_mapping_fields_response() -> None:
    first = SchemeTypeMapping("T1")
    first.add_field("f", "d")
    response = GetMappingFieldsResponse()
    response.add_scheme_type(first)
    response.add_scheme_type(SchemeTypeMapping(type_name="T2"))
    assert response.extract_mapping() == {"T1": {"f": "d"}, "T2": {}}
    assert SchemeTypeMapping().extract_mapping() == {"": {}}
    field = SchemeTypeMapping("T")
    field.add_field("no_description")
    assert field.fields == {"no_description": ""}


def test_last_mirror_run_needs_6_6(server_version: object) -> None:
    with pytest.raises(DemistoException) as raised:
        get_last_mirror_run()
    assert str(raised.value) == "You cannot use getLastMirrorRun as your version is below 6.6.0"
    with pytest.raises(DemistoException) as raised:
        set_last_mirror_run({"a": 1})
    assert str(raised.value) == "You cannot use setLastMirrorRun as your version is below 6.6.0"


def test_last_mirror_run_on_6_6(server_version: object, monkeypatch: pytest.MonkeyPatch) -> None:
    server_version("6.6.0")  # type: ignore[operator]
    stored: list[dict[str, int]] = []
    monkeypatch.setattr(demisto, "setLastMirrorRun", stored.append)
    assert get_last_mirror_run() == {}
    set_last_mirror_run({"a": 1})
    assert stored == [{"a": 1}]
    monkeypatch.setattr(demisto, "getLastMirrorRun", lambda: None)
    assert get_last_mirror_run() == {}
