"""The instance state folder: lastRun, integration context and last mirror run as JSON files."""

import json

import pytest

from xsoar_local.state import InstanceState, IntegrationContextVersionConflict


def test_empty_state_reads_as_empty_without_creating_the_folder(tmp_path):
    state = InstanceState(tmp_path / "inst")
    assert state.get_last_run() == {}
    assert state.get_last_mirror_run() == {}
    assert state.get_integration_context() == {}
    assert state.get_integration_context_versioned() == {"context": {}, "version": 0}
    assert not (tmp_path / "inst").exists()


def test_values_persist_across_instances_as_json_files(tmp_path):
    InstanceState(tmp_path).set_last_run({"time": "2024-01-01T00:00:00Z"})
    InstanceState(tmp_path).set_last_mirror_run({"lastUpdate": "x"})
    InstanceState(tmp_path).set_integration_context({"token": "abc"})
    state = InstanceState(tmp_path)
    assert state.get_last_run() == {"time": "2024-01-01T00:00:00Z"}
    assert state.get_last_mirror_run() == {"lastUpdate": "x"}
    assert state.get_integration_context_versioned() == {"context": {"token": "abc"}, "version": 1}
    assert json.loads((tmp_path / "last_run.json").read_text()) == {"time": "2024-01-01T00:00:00Z"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["integration_context.json", "last_mirror_run.json", "last_run.json"]


def test_getters_return_copies(tmp_path):
    state = InstanceState(tmp_path)
    state.set_last_run({"ids": [1]})
    state.get_last_run()["ids"].append(2)
    assert state.get_last_run() == {"ids": [1]}


def test_versioned_writes_check_the_version_like_the_server(tmp_path):
    state = InstanceState(tmp_path)
    state.set_integration_context({"a": 1}, version=0)
    state.set_integration_context({"a": 2}, version=1)
    state.set_integration_context({"a": 3})  # -1: no check
    assert state.get_integration_context_versioned() == {"context": {"a": 3}, "version": 3}
    with pytest.raises(ValueError, match="stored version is 3, the write named 1") as refused:
        state.set_integration_context({"a": 4}, version=1)
    assert isinstance(refused.value, IntegrationContextVersionConflict)  # a ValueError: what CSP's retries catch
    assert state.get_integration_context() == {"a": 3}


def test_unserialisable_values_are_refused_and_leave_the_old_value(tmp_path):
    state = InstanceState(tmp_path)
    state.set_last_run({"ok": True})
    with pytest.raises(TypeError):
        state.set_last_run({"bad": object()})
    assert state.get_last_run() == {"ok": True}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["last_run.json"]
