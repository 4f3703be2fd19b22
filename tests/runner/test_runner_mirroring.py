"""Mirroring: one incoming cycle (get-modified-remote-data, then get-remote-data per ID) and outgoing updates."""

import json
from pathlib import Path

from xsoar_local import run_mirroring
from xsoar_local.runner import _short_value

MIRROR = Path(__file__).parent / "fixtures" / "mirror_integration.py"
LAST_UPDATE = "2024-05-01T00:00:00Z"


def mirror(tmp_path, **options):
    return run_mirroring(
        LAST_UPDATE,
        options.pop("params", None),
        integration=MIRROR,
        state_dir=tmp_path / "state",
        files_dir=tmp_path / "files",
        **options,
    )


def test_a_mirroring_cycle_fetches_each_modified_incident(tmp_path):
    result = mirror(tmp_path)
    assert result.modified_ids == ["t1", "t2", "t3", "t4"]
    assert [incident.execution.args for incident in result.incidents] == [
        {"id": remote_id, "lastUpdate": LAST_UPDATE} for remote_id in ("t1", "t2", "t3", "t4")
    ]
    t1, t2, t3, t4 = result.incidents
    assert t1.mirrored_object == {
        "id": "t1",
        "status": "resolved",
        "verdict": "true_positive",
        "info": {"host": "a", "tags": ["x"]},
    }
    assert (t1.closes, t1.reopens) == (True, False)
    assert (t2.closes, t2.reopens) == (False, True)
    assert t3.mirrored_object is None
    assert t4.execution.errors == ["Failed to execute get-remote-data command. Error: threat t4 not found"]
    assert result.errors == ["get-remote-data t4: Failed to execute get-remote-data command. Error: threat t4 not found"]
    assert result.exit_code == 1
    assert result.render() == (
        f"get-modified-remote-data (lastUpdate {LAST_UPDATE}): 4 modified: t1, t2, t3, t4\n\n"
        "Remote incident t1: updated object with 4 fields\n"
        "  id: t1\n"
        "  status: resolved\n"
        "  verdict: true_positive\n"
        '  info: { "host": "a", "tags": [ "x" ] }\n'
        "CLOSE incident (closeReason=Resolved, closeNotes=closed in S1)\n\n"
        "Remote incident t2: updated object with 3 fields\n"
        "  id: t2\n"
        "  status: in_progress\n"
        "  verdict: undefined\n"
        "REOPEN incident\n"
        "NOTE: analyst note from S1\n\n"
        "Remote incident t3: no changes\n\n"
        "Remote incident t4\n"
        "ERROR: Failed to execute get-remote-data command. Error: threat t4 not found"
    )


def test_limit_leaves_the_remaining_ids_for_later_and_last_mirror_run_persists(tmp_path):
    result = mirror(tmp_path, limit=2)
    assert [incident.remote_id for incident in result.incidents] == ["t1", "t2"]
    assert result.skipped_ids == ["t3", "t4"]
    assert result.exit_code == 0
    assert result.render().startswith(
        f"get-modified-remote-data (lastUpdate {LAST_UPDATE}): 4 modified: t1, t2, t3, t4\n"
        "not fetched (over the limit): t3, t4\n\n"
        "Remote incident t1"
    )
    mirror(tmp_path, limit=0)
    stored = json.loads((tmp_path / "state" / "last_mirror_run.json").read_text())
    assert stored == {"lastUpdate": LAST_UPDATE, "cycles": 2}


def test_a_failing_get_modified_remote_data_stops_the_cycle_with_skip_update(tmp_path):
    result = mirror(tmp_path, params={"fail_modified": True})
    assert result.incidents == []
    assert result.exit_code == 1
    message = "skip update. error: Failed to execute get-modified-remote-data command. Error: API rate limit exceeded"
    assert result.errors == [message]
    assert result.render() == f"ERROR: {message}"


def test_json_form_of_a_cycle(tmp_path):
    document = mirror(tmp_path, limit=1).to_json()
    assert document == {
        "lastUpdate": LAST_UPDATE,
        "modifiedIds": ["t1", "t2", "t3", "t4"],
        "skippedIds": ["t2", "t3", "t4"],
        "incidents": [
            {
                "id": "t1",
                "mirroredObject": {
                    "id": "t1",
                    "status": "resolved",
                    "verdict": "true_positive",
                    "info": {"host": "a", "tags": ["x"]},
                },
                "entries": [
                    {
                        "Type": 1,
                        "Contents": {"dbotIncidentClose": True, "closeReason": "Resolved", "closeNotes": "closed in S1"},
                        "ContentsFormat": "json",
                    }
                ],
                "errors": [],
            }
        ],
        "errors": [],
        "exitCode": 0,
    }


def test_update_remote_system_runs_directly_with_its_arguments(run_fake):
    args = {
        "remoteId": "t9",
        "status": 2,
        "incidentChanged": True,
        "delta": {"closeReason": "Resolved"},
        "data": {},
        "entries": [],
    }
    result = run_fake("mirror", "update-remote-system", args)
    assert result.exit_code == 0
    assert result.render() == "t9"


def test_get_mapping_fields_shows_the_mapping_as_json(run_fake):
    result = run_fake("mirror", "get-mapping-fields")
    assert result.render() == json.dumps({"Fake Threat": {"verdict": "The analyst verdict"}}, indent=2)


def test_long_mirrored_values_are_cut_to_one_line():
    assert _short_value("a\nb") == "a b"
    assert _short_value({"k": [1, 2]}) == '{ "k": [ 1, 2 ] }'
    assert _short_value("x" * 150) == "x" * 99 + "…"
