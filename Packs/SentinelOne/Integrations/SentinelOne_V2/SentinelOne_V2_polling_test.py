"""Unit tests of the polling and file commands: fetch-file, download-fetched-file, fetch-threat-file, the remote-script
commands and the power-query commands (issue 6)."""

import io
import json
import random
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
from CommonServerPython import CommandResults, DemistoException

from conftest import BASE_V20, BASE_V21, TOKEN, load_fixture, make_client, readable
from s1sim.zipcrypto import ZipMember, encrypted_zip

AGENT_ID = "1800000000000000001"
ACTIVITY_ID = "1700000000000000001"
THREAT_ID = "1600000000000000001"
PARENT_TASK_ID = "1900000000000000001"
QUERY_ID = "pq0123456789abcdef0123456789abcdef"
PASSWORD = "Fetch-Passw0rd"
UPLOAD_URL = f"{BASE_V21}agents/{AGENT_ID}/uploads/{ACTIVITY_ID}"


@pytest.fixture(autouse=True)
def files_in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """fileResult writes into the current directory: keep every test's files in its own folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def zip_with(members: dict[str, bytes], password: str = PASSWORD) -> bytes:
    """A ZipCrypto-encrypted zip, as consoles deliver uploads."""
    moment = datetime(2024, 5, 1, 10, 0, tzinfo=timezone.utc)
    return encrypted_zip([ZipMember(name, data) for name, data in members.items()], password, moment, random.Random(7))


def plain_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def manifest(*paths: str) -> bytes:
    """A manifest.json like the one consoles put in uploads: each file's original and archive path."""
    files = [{"path": path, "archivePath": path.replace(":\\", "/").replace("\\", "/"), "size": 1} for path in paths]
    return json.dumps({"agentId": AGENT_ID, "files": files}).encode()


def file_entries(results: Any) -> list[tuple[str, bytes]]:
    """(name, content) of each file entry fileResult produced."""
    found = []
    for result in results:
        if isinstance(result, dict) and result.get("Type") == 3:
            path = Path(f"{demisto.investigation()['id']}_{result['FileID']}")
            found.append((result["File"], path.read_bytes()))
    return found


def command_results(results: Any) -> list[CommandResults]:
    return [result for result in results if isinstance(result, CommandResults)]


def query_of(request: Any) -> dict[str, list[str]]:
    return parse_qs(urlsplit(request.url).query)


def single(result: Any) -> CommandResults:
    """The one CommandResults a command returned (no file entries)."""
    assert isinstance(result, CommandResults)
    return result


def scheduled(result: CommandResults) -> dict[str, Any]:
    """The polling keys of an entry: PollingCommand, NextRun, PollingArgs, Timeout."""
    entry = result.to_context()
    return {key: entry[key] for key in ("PollingCommand", "NextRun", "PollingArgs", "Timeout") if key in entry}


# --- password rules ---


@pytest.mark.parametrize(
    "password",
    ["Abcdefgh12", "abcdefgh1!", "ABCDEFGH1!", "Abcdefghi!", "  Spaced 1  ", "Ä" + "b" * 8 + "1", "Aa1" + "x" * 253],
)
def test_fetch_password_accepts_three_classes_of_10_to_256_characters(password):
    """
    Given a password of 10 to 256 characters with three of upper, lower, digits and symbols (spaces are symbols)
    When it is parsed
    Then it is returned exactly as given (not trimmed).
    """
    assert s1.fetch_password({"password": password}) == password


@pytest.mark.parametrize(
    "password, length, classes",
    [
        ("Abc12!xyz", 9, 4),  # too short
        ("abcdefgh12", 10, 2),  # lower and digits only
        ("ABCDEFGHIJ", 10, 1),
        ("Aa1" + "x" * 254, 257, 3),  # too long
    ],
)
def test_fetch_password_rejects_weak_passwords_without_repeating_them(password, length, classes):
    """
    Given a password that is too short, too long or has fewer than three character classes
    When it is parsed
    Then the error states the rule and what was wrong, and does not contain the password.
    """
    with pytest.raises(ValueError) as error:
        s1.fetch_password({"password": password})
    assert str(error.value) == (
        "password: expected 10 to 256 characters with at least three of uppercase letters, lowercase letters, digits and "
        f"symbols, got {length} characters with {classes} of them"
    )
    assert password not in str(error.value)


@pytest.mark.parametrize(
    "command, args",
    [
        ("sentinelone-fetch-threat-file", {"threat_id": THREAT_ID, "password": "short"}),
        ("sentinelone-fetch-file", {"agent_id": AGENT_ID, "file_path": "C:\\a.txt", "password": "alllowercase"}),
        ("sentinelone-fetch-file", {"agent_id": AGENT_ID, "file_path": "C:\\a.txt"}),
    ],
)
def test_weak_or_missing_password_fails_before_any_request(requests_mock, client_v21, command, args):
    """
    Given fetch-threat-file or fetch-file with a password that breaks the rules (or none)
    When the command runs
    Then it fails naming the password argument and sends no request.
    """
    with pytest.raises(ValueError, match="^password: "):
        s1.COMMANDS[command].handler(client_v21, args)
    assert requests_mock.call_count == 0


# --- fetch-file ---


def test_fetch_file_requests_the_file_and_says_how_to_download_it(requests_mock, client_v21):
    """
    Given an agent ID, a file path containing a comma and a valid password
    When sentinelone-fetch-file runs
    Then it POSTs that one path and the password to the agent's fetch-files action, sets no context, and tells how to
    find the upload activity and download it.
    """
    requests_mock.post(f"{BASE_V21}agents/{AGENT_ID}/actions/fetch-files", json={"data": {"success": True}})
    result = s1.fetch_file_command(client_v21, {"agent_id": AGENT_ID, "file_path": "C:\\Users\\a,b\\x.txt", "password": PASSWORD})
    assert requests_mock.last_request.method == "POST"
    assert requests_mock.last_request.json() == {"data": {"password": PASSWORD, "files": ["C:\\Users\\a,b\\x.txt"]}}
    entry = result.to_context()
    assert entry["EntryContext"] == {}
    assert entry["HumanReadable"] == (
        f"### Sentinel One - Fetch of C:\\Users\\a,b\\x.txt from agent {AGENT_ID} was requested\n"
        "When the agent has uploaded the file, an 'Agent Uploaded Fetched Files' activity (type 80) appears. Find its ID with "
        f"`sentinelone-get-activities activity_types=80 agent_ids={AGENT_ID}`, then download the file with "
        f"`sentinelone-download-fetched-file agent_id={AGENT_ID} activity_id=<the activity ID> password=<the same password>`.\n"
    )


def test_fetch_file_refused_by_the_console(requests_mock, client_v21):
    """
    Given a console that answers success=false
    When sentinelone-fetch-file runs
    Then the command fails saying the fetch was not accepted.
    """
    requests_mock.post(f"{BASE_V21}agents/{AGENT_ID}/actions/fetch-files", json={"data": {"success": False}})
    with pytest.raises(DemistoException, match=f"^The console did not accept the fetch of C:\\\\a.txt from agent {AGENT_ID}.$"):
        s1.fetch_file_command(client_v21, {"agent_id": AGENT_ID, "file_path": "C:\\a.txt", "password": PASSWORD})


# --- download-fetched-file and the upload zip ---


def download(requests_mock, client, archive: bytes, password: str = PASSWORD) -> list[Any]:
    requests_mock.get(UPLOAD_URL, content=archive)
    return s1.download_fetched_file_command(client, {"agent_id": AGENT_ID, "activity_id": ACTIVITY_ID, "password": password})


def test_download_fetched_file_returns_every_file_under_its_original_name(requests_mock, client_v21):
    """
    Given an upload holding manifest.json, a directory entry and two files stored under their paths with the drive as a folder
    When sentinelone-download-fetched-file runs
    Then it GETs the upload, and returns one file entry per file named by the manifest's original path, with the exact
    content, plus a table of the files; the manifest and the directory are not returned.
    """
    archive = zip_with(
        {
            "manifest.json": manifest("C:\\Users\\Ann\\Report 2024.docx", "C:\\Windows\\Temp\\dump.bin"),
            "C/Users/": b"",
            "C/Users/Ann/Report 2024.docx": b"report bytes",
            "C/Windows/Temp/dump.bin": b"\x00\x01binary",
        }
    )
    results = download(requests_mock, client_v21, archive)
    assert requests_mock.last_request.method == "GET"
    assert requests_mock.last_request.headers["Authorization"] == f"ApiToken {TOKEN}"
    assert file_entries(results) == [("Report 2024.docx", b"report bytes"), ("dump.bin", b"\x00\x01binary")]
    [summary] = command_results(results)
    assert summary.to_context()["HumanReadable"] == (
        f"### Sentinel One - Files uploaded by agent {AGENT_ID} (activity {ACTIVITY_ID})\n"
        "|File Name|Original Path|Size|\n|---|---|---|\n"
        "| Report 2024.docx | C:\\Users\\Ann\\Report 2024.docx | 12 |\n"
        "| dump.bin | C:\\Windows\\Temp\\dump.bin | 8 |\n"
    )


def test_members_missing_from_the_manifest_are_named_by_their_base_name(requests_mock, client_v21):
    """
    Given an upload whose second file is not in the manifest, and a nested manifest.json that is a fetched file
    When it is downloaded
    Then that file is named by the last part of its archive path, and the nested manifest.json is returned as a file.
    """
    archive = zip_with(
        {
            "manifest.json": manifest("C:\\a\\one.txt"),
            "C/a/one.txt": b"1",
            "home/user/notes/two.log": b"2",
            "C/app/manifest.json": b"{}",
        }
    )
    assert file_entries(download(requests_mock, client_v21, archive)) == [
        ("one.txt", b"1"),
        ("two.log", b"2"),
        ("manifest.json", b"{}"),
    ]


@pytest.mark.parametrize(
    "member, expected_name",
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\Windows\\System32\\evil.dll", "evil.dll"),
        ("/abs/path/x.txt", "x.txt"),
        ("C:/x/../../y.txt", "y.txt"),
        ("..", "fetched_file"),
        ("a/..", "fetched_file"),
    ],
)
def test_path_traversal_in_member_names_never_leaves_the_file_name(
    requests_mock, client_v21, tmp_path, monkeypatch, member, expected_name
):
    """
    Given an upload whose member name tries to climb out of the working folder (two levels below tmp_path)
    When it is downloaded
    Then the file entry is named by the last path part only ('..' becomes a fixed name) and the only file written
    anywhere under tmp_path is the platform's own file in the working folder.
    """
    work = tmp_path / "one" / "two"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    results = download(requests_mock, client_v21, zip_with({member: b"payload"}))
    assert file_entries(results) == [(expected_name, b"payload")]
    [entry] = [result for result in results if isinstance(result, dict)]
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert written == [work / f"{demisto.investigation()['id']}_{entry['FileID']}"]


def test_manifest_traversal_names_are_reduced_to_the_base_name(requests_mock, client_v21):
    """
    Given a manifest whose original path climbs with '..'
    When the upload is downloaded
    Then the file entry keeps only the base name.
    """
    archive = zip_with({"manifest.json": manifest("C:\\..\\..\\evil\\..\\boot.ini"), "C/../../evil/../boot.ini": b"x"})
    assert file_entries(download(requests_mock, client_v21, archive)) == [("boot.ini", b"x")]


def test_wrong_password_fails_with_a_clear_message(requests_mock, client_v21):
    """
    Given an upload and a password other than the fetch password
    When it is downloaded
    Then the command fails saying the password is wrong.
    """
    archive = zip_with({"manifest.json": manifest("C:\\a.txt"), "C/a.txt": b"data"})
    with pytest.raises(DemistoException, match=r"^Could not open the upload: wrong password\. Use the password the fetch"):
        download(requests_mock, client_v21, archive, password="Other-Passw0rd")


def test_wrong_password_that_passes_the_zipcrypto_check_byte_fails_as_wrong_password_or_damaged(requests_mock, client_v21):
    """
    Given a wrong password that happens to pass ZipCrypto's one-byte header check (about one in 256 do)
    When the upload is opened
    Then the failing CRC or inflate is reported as a wrong password or a damaged archive, not as a crash.
    """
    archive = zip_with({"C/a.txt": b"data " * 50})
    lucky = None
    for number in range(5000):
        candidate = f"Wrong-Passw0rd-{number}"
        try:
            zipfile.ZipFile(io.BytesIO(archive)).read("C/a.txt", pwd=candidate.encode())
        except RuntimeError:
            continue
        except Exception:
            lucky = candidate
            break
    assert lucky is not None
    with pytest.raises(DemistoException, match=r"^Could not open C/a\.txt in the upload: wrong password or damaged archive \("):
        download(requests_mock, client_v21, archive, password=lucky)


def test_upload_with_only_a_manifest_fails_as_no_file_found(requests_mock, client_v21):
    """
    Given an upload holding only manifest.json and a directory entry (the path matched nothing)
    When it is downloaded
    Then the command fails with "no file found (wrong path?)".
    """
    archive = zip_with({"manifest.json": manifest(), "C/": b""})
    with pytest.raises(DemistoException) as error:
        download(requests_mock, client_v21, archive)
    assert str(error.value) == "No file found in the upload (wrong path?): the archive holds no fetched file."


def test_an_answer_that_is_not_a_zip_fails_clearly(requests_mock, client_v21):
    with pytest.raises(DemistoException) as error:
        download(requests_mock, client_v21, b"<html>login</html>")
    assert str(error.value) == "The upload is not a zip archive (18 bytes received)."


def test_member_count_is_bounded_before_anything_is_read(requests_mock, client_v21, mocker):
    """
    Given an upload with 101 files
    When it is downloaded
    Then the command fails on the member count without reading any member.
    """
    reads = mocker.spy(zipfile.ZipFile, "read")
    archive = plain_zip({f"C/f{number}.txt": b"x" for number in range(101)})
    with pytest.raises(DemistoException) as error:
        download(requests_mock, client_v21, archive)
    assert str(error.value) == "The upload holds 101 files; at most 100 are extracted."
    assert reads.call_count == 0


def test_total_uncompressed_size_is_bounded_before_anything_is_read(requests_mock, client_v21, mocker, monkeypatch):
    """
    Given an upload whose members declare more bytes than the bound (here lowered to 1000 bytes)
    When it is downloaded
    Then the command fails on the declared size without reading any member.
    """
    monkeypatch.setattr(s1, "MAX_UPLOAD_BYTES", 1000)
    reads = mocker.spy(zipfile.ZipFile, "read")
    archive = zip_with({"C/a.bin": b"\x00" * 600, "C/b.bin": b"\x00" * 401})
    with pytest.raises(DemistoException) as error:
        download(requests_mock, client_v21, archive)
    assert str(error.value) == "The upload unpacks to 1001 bytes; at most 1000 bytes are extracted."
    assert reads.call_count == 0


@pytest.mark.parametrize(
    "status, body, expected",
    [
        (
            410,
            {"errors": [{"code": 4100010, "title": "Resource not found", "detail": "The requested files do not exist."}]},
            f"The files agent {AGENT_ID} uploaded in activity {ACTIVITY_ID} have expired: SentinelOne deletes fetched files "
            "after 3 days, or earlier once more than 30 files were fetched. Fetch them again with sentinelone-fetch-file.",
        ),
        (
            400,
            {"errors": [{"code": 4100010, "title": "Resource not found"}]},
            f"The files agent {AGENT_ID} uploaded in activity {ACTIVITY_ID} have expired: SentinelOne deletes fetched files "
            "after 3 days, or earlier once more than 30 files were fetched. Fetch them again with sentinelone-fetch-file.",
        ),
        (
            404,
            {"errors": [{"code": 4040010, "title": "Not Found", "detail": "No upload"}]},
            f"Agent {AGENT_ID} has no upload for activity {ACTIVITY_ID}: use the ID of its 'Agent Uploaded Fetched Files' "
            f"activity (sentinelone-get-activities activity_types=80 agent_ids={AGENT_ID}). "
            "SentinelOne API error [404]: Not Found: No upload",
        ),
        (
            403,
            {"errors": [{"code": 4030010, "title": "Forbidden"}]},
            "Permission denied [403]: the API token's user may not do this (Forbidden)",
        ),
    ],
)
def test_download_errors_say_what_to_do(requests_mock, client_v21, status, body, expected):
    """
    Given the console answers the upload download with an expired-upload error (410 / 4100010), 404 or 403
    When sentinelone-download-fetched-file runs
    Then the message explains it.
    """
    requests_mock.get(UPLOAD_URL, status_code=status, json=body)
    with pytest.raises(DemistoException) as error:
        s1.download_fetched_file_command(client_v21, {"agent_id": AGENT_ID, "activity_id": ACTIVITY_ID, "password": PASSWORD})
    assert str(error.value) == expected


@pytest.mark.parametrize(
    "args, expected",
    [
        (
            {"agent_id": "Agent ID", "activity_id": ACTIVITY_ID, "password": PASSWORD},
            "agent_id: expected the ID of the agent the files were fetched from, got the placeholder 'Agent ID'",
        ),
        (
            {"agent_id": "../system", "activity_id": ACTIVITY_ID, "password": PASSWORD},
            "agent_id: expected an ID made of digits only, got '../system'",
        ),
        ({"agent_id": AGENT_ID, "password": PASSWORD}, "activity_id: this argument is required"),
        ({"agent_id": AGENT_ID, "activity_id": ACTIVITY_ID}, "password: this argument is required"),
    ],
)
def test_download_fetched_file_argument_errors_come_before_any_request(requests_mock, client_v21, args, expected):
    with pytest.raises(ValueError) as error:
        s1.download_fetched_file_command(client_v21, args)
    assert str(error.value) == expected
    assert requests_mock.call_count == 0


# --- fetch-threat-file (polling) ---

OLD_UPLOAD = f"/agents/{AGENT_ID}/uploads/1700000000000000000"
NEW_UPLOAD = f"/agents/{AGENT_ID}/uploads/{ACTIVITY_ID}"


def timeline(*download_urls: str) -> dict[str, Any]:
    """A threat timeline, newest first: an unrelated item, then one item per upload."""
    items = [{"id": "1", "activityType": 2004, "data": {}}]
    items += [
        {"id": str(10 + index), "activityType": 86, "data": {"downloadUrl": url}} for index, url in enumerate(download_urls)
    ]
    return {"data": items, "pagination": {"totalItems": len(items), "nextCursor": None}}


@pytest.mark.parametrize("client_fixture, base", [("client_v21", BASE_V21), ("client_v20", BASE_V20)])
def test_fetch_threat_file_first_run_requests_the_file_and_schedules_the_next_run(requests_mock, request, client_fixture, base):
    """
    Given a threat whose timeline already holds an older upload
    When sentinelone-fetch-threat-file runs the first time (API 2.0 or 2.1)
    Then it reads the timeline, POSTs the fetch with the password, and schedules the next run in 30 s (timeout 600 s)
    remembering the older upload, so that it is not taken for the new file.
    """
    client = request.getfixturevalue(client_fixture)
    requests_mock.get(f"{base}threats/{THREAT_ID}/timeline", json=timeline(OLD_UPLOAD))
    requests_mock.post(f"{base}threats/fetch-file", json={"data": {"affected": 1}})
    args = {"threat_id": THREAT_ID, "password": PASSWORD}
    result = single(s1.fetch_threat_file_command(client, args))
    timeline_request, fetch_request = requests_mock.request_history
    assert query_of(timeline_request) == {"sortOrder": ["desc"], "limit": ["30"]}
    assert fetch_request.json() == {"data": {"password": PASSWORD}, "filter": {"ids": [THREAT_ID]}}
    assert scheduled(result) == {
        "PollingCommand": "sentinelone-fetch-threat-file",
        "NextRun": "30",
        "PollingArgs": {
            "threat_id": THREAT_ID,
            "password": PASSWORD,
            "fetch_requested": "true",
            "previous_upload": OLD_UPLOAD,
            "polling_elapsed_seconds": "30",
            "hide_polling_output": True,
        },
        "Timeout": "600",
    }
    assert result.to_context()["HumanReadable"] == (
        f"Fetching the file of threat {THREAT_ID}: the agent uploads it, usually within minutes. "
        "Checking every 30 seconds, for at most 600 seconds."
    )


def later_run_args(**extra: Any) -> dict[str, Any]:
    return {
        "threat_id": THREAT_ID,
        "password": PASSWORD,
        "fetch_requested": "true",
        "previous_upload": OLD_UPLOAD,
        "polling_elapsed_seconds": "30",
        "hide_polling_output": True,
        **extra,
    }


def test_fetch_threat_file_later_run_downloads_the_new_upload(requests_mock, client_v21):
    """
    Given the timeline now shows a newer upload than the one remembered
    When the next polling run comes
    Then it downloads that upload (relative to the versioned base, with the token) and returns it as <threat id>.zip with
    Downloadable true; the fetch is not requested again.
    """
    requests_mock.get(f"{BASE_V21}threats/{THREAT_ID}/timeline", json=timeline(NEW_UPLOAD, OLD_UPLOAD))
    requests_mock.get(f"{BASE_V21}{NEW_UPLOAD.lstrip('/')}", content=b"PK-zip-bytes")
    results = s1.fetch_threat_file_command(client_v21, later_run_args())
    assert [(r.method, urlsplit(r.url).path) for r in requests_mock.request_history] == [
        ("GET", f"/web/api/v2.1/threats/{THREAT_ID}/timeline"),
        ("GET", f"/web/api/v2.1{NEW_UPLOAD}"),
    ]
    assert requests_mock.last_request.headers["Authorization"] == f"ApiToken {TOKEN}"
    assert file_entries(results) == [(f"{THREAT_ID}.zip", b"PK-zip-bytes")]
    [result] = command_results(results)
    assert result.to_context()["EntryContext"] == {
        "SentinelOne.Threat(val.ID && val.ID == obj.ID)": {
            "ID": THREAT_ID,
            "Downloadable": True,
            "ZippedFile": f"{THREAT_ID}.zip",
        }
    }
    assert "PollingCommand" not in result.to_context()


def test_fetch_threat_file_keeps_polling_while_only_the_old_upload_is_there(requests_mock, client_v21):
    """
    Given the timeline shows only the upload that existed before the request
    When a later polling run comes (with hidden output)
    Then it schedules the next run with the waited seconds increased, and shows nothing.
    """
    requests_mock.get(f"{BASE_V21}threats/{THREAT_ID}/timeline", json=timeline(OLD_UPLOAD))
    result = single(s1.fetch_threat_file_command(client_v21, later_run_args()))
    assert requests_mock.call_count == 1
    assert result.to_context()["HumanReadable"] is None
    assert scheduled(result)["PollingArgs"]["polling_elapsed_seconds"] == "60"
    assert scheduled(result)["NextRun"] == "30"


def test_fetch_threat_file_times_out_with_downloadable_false(requests_mock, client_v21):
    """
    Given no new upload and the waited seconds at the timeout
    When the last polling run comes
    Then it stops without a schedule and reports Downloadable false with the reason.
    """
    requests_mock.get(f"{BASE_V21}threats/{THREAT_ID}/timeline", json=timeline())
    result = single(s1.fetch_threat_file_command(client_v21, later_run_args(polling_elapsed_seconds="600")))
    entry = result.to_context()
    message = (
        f"The file of threat {THREAT_ID} was not uploaded within 600 seconds; "
        "the agent may be offline. Run the command again later."
    )
    assert entry["EntryContext"] == {
        "SentinelOne.Threat(val.ID && val.ID == obj.ID)": {"ID": THREAT_ID, "Downloadable": False, "ZippedFile": message}
    }
    assert "PollingCommand" not in entry


def test_fetch_threat_file_not_accepted(requests_mock, client_v21):
    requests_mock.get(f"{BASE_V21}threats/{THREAT_ID}/timeline", json=timeline())
    requests_mock.post(f"{BASE_V21}threats/fetch-file", json={"data": {"affected": 0}})
    with pytest.raises(DemistoException) as error:
        s1.fetch_threat_file_command(client_v21, {"threat_id": THREAT_ID, "password": PASSWORD})
    assert str(error.value) == f"The console did not accept the file fetch for threat {THREAT_ID} (no threat affected)."


# --- polling arguments ---


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"interval": "0"}, "interval: expected an integer of at least 1, got '0'"),
        ({"interval": "soon"}, "interval: expected an integer of at least 1, got 'soon'"),
        ({"timeout": "301"}, "timeout: expected an integer from 1 to 300, got '301'"),
        ({"timeout": "0"}, "timeout: expected an integer from 1 to 300, got '0'"),
        ({"interval": "60", "timeout": "30"}, "timeout: expected at least the interval (60 seconds), got 30"),
        (
            {"interval": "5", "timeout": "8"},
            "timeout: expected at least the interval (10 seconds: interval 5 is raised to the platform's minimum), got 8",
        ),
    ],
)
def test_polling_arguments_are_checked_before_any_request(requests_mock, client_v21, args, expected):
    """
    Given get-power-query-results with an interval that is not a positive number, a timeout outside 1..300 s or shorter
    than the interval (the interval as raised to the platform's minimum of 10 s)
    When it runs
    Then it fails naming the argument and sends nothing.
    """
    base = {"query": "EventType = 'Process Creation'", "from_date": "2024-05-01T00:00:00Z", "to_date": "2024-05-02T00:00:00Z"}
    with pytest.raises(ValueError) as error:
        s1.get_power_query_results_command(client_v21, {**base, **args})
    assert str(error.value) == expected
    assert requests_mock.call_count == 0


@pytest.mark.parametrize("elapsed, can_wait", [(0, True), (540, True), (541, False), (600, False)])
def test_polling_waits_only_while_the_next_interval_ends_within_the_timeout(elapsed, can_wait):
    assert s1.Polling("cmd", interval=60, timeout=600, elapsed=elapsed).can_wait is can_wait


# --- run-remote-script ---

SCRIPT_ARGS = {
    "account_ids": "1100000000000000001,1100000000000000002",
    "agent_ids": f"{AGENT_ID},1800000000000000002",
    "output_destination": "SentinelCloud",
    "task_description": "collect logs",
    "script_id": "1200000000000000001",
}


def test_run_remote_script_sends_scope_and_settings_with_defaults_and_no_empty_values(requests_mock, client_v21):
    """
    Given the required arguments only (an empty output directory among them)
    When sentinelone-run-remote-script runs
    Then the body has every account and agent ID as arrays, the default runtime timeout and approval flag, no empty
    values, and the context holds the four response fields.
    """
    started = {"affected": 2, "parentTaskId": PARENT_TASK_ID, "pending": False, "pendingExecutionId": None}
    requests_mock.post(f"{BASE_V21}remote-scripts/execute", json={"data": started})
    result = s1.run_remote_script_command(client_v21, {**SCRIPT_ARGS, "output_directory": ""})
    assert requests_mock.last_request.json() == {
        "filter": {"accountIds": ["1100000000000000001", "1100000000000000002"], "ids": [AGENT_ID, "1800000000000000002"]},
        "data": {
            "scriptId": "1200000000000000001",
            "taskDescription": "collect logs",
            "outputDestination": "SentinelCloud",
            "scriptRuntimeTimeoutSeconds": 3600,
            "requiresApproval": False,
        },
    }
    assert result.to_context()["EntryContext"] == {
        "SentinelOne.RunRemoteScript": {
            "pendingExecutionId": None,
            "pending": False,
            "affected": 2,
            "parentTaskId": PARENT_TASK_ID,
        }
    }


def test_run_remote_script_maps_every_optional_argument(requests_mock, client_v21):
    requests_mock.post(
        f"{BASE_V21}remote-scripts/execute", json={"data": {"affected": 1, "pending": True, "pendingExecutionId": "77"}}
    )
    args = {
        **SCRIPT_ARGS,
        "output_destination": "singularityxdr",
        "output_directory": "C:\\out",
        "singularity_xdr_Keyword": "kw",
        "singularity_xdr_Url": "https://xdr.example",
        "api_key": "key-1",
        "input_params": "-Verbose -Days 3",
        "password": "zip-pass",
        "script_runtime_timeout_seconds": "120",
        "requires_approval": "true",
    }
    result = s1.run_remote_script_command(client_v21, args)
    assert requests_mock.last_request.json()["data"] == {
        "scriptId": "1200000000000000001",
        "taskDescription": "collect logs",
        "outputDestination": "singularityxdr",
        "outputDirectory": "C:\\out",
        "singularityxdrKeyword": "kw",
        "singularityxdrUrl": "https://xdr.example",
        "apiKey": "key-1",
        "inputParams": "-Verbose -Days 3",
        "password": "zip-pass",
        "scriptRuntimeTimeoutSeconds": 120,
        "requiresApproval": True,
    }
    assert result.to_context()["EntryContext"] == {
        "SentinelOne.RunRemoteScript": {"pendingExecutionId": "77", "pending": True, "affected": 1, "parentTaskId": None}
    }


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"requires_approval": "maybe"}, "requires_approval: expected one of true, false, got 'maybe'"),
        ({"script_runtime_timeout_seconds": "0"}, "script_runtime_timeout_seconds: expected an integer of at least 1, got '0'"),
        ({"agent_ids": "12,abc"}, "agent_ids: expected IDs made of digits only, got 'abc'"),
        ({"account_ids": ""}, "account_ids: this argument is required"),
        ({"output_destination": ""}, "output_destination: this argument is required"),
        ({"script_id": ""}, "script_id: this argument is required"),
    ],
)
def test_remote_script_argument_errors_come_before_any_request(requests_mock, client_v21, change, expected):
    for handler in (s1.run_remote_script_command, s1.remote_script_automate_results_command):
        with pytest.raises(ValueError) as error:
            handler(client_v21, {**SCRIPT_ARGS, **change})
        assert str(error.value) == expected
    assert requests_mock.call_count == 0


RAISED_INTERVAL_NOTE = "\n\nNote: interval 5 is below the platform's minimum of 10 seconds for a scheduled command; 10 is used."


@pytest.mark.parametrize(
    "command, args",
    [
        ("sentinelone-fetch-threat-file", {"threat_id": THREAT_ID, "password": PASSWORD}),
        ("sentinelone-remote-script-automate-results", SCRIPT_ARGS),
        (
            "sentinelone-get-power-query-results",
            {"query": "EventType = 'Process Creation'", "from_date": "2024-05-01T00:00:00Z", "to_date": "2024-05-02T00:00:00Z"},
        ),
    ],
)
def test_an_interval_below_the_platform_minimum_is_raised_and_the_first_entry_says_so(requests_mock, command, args):
    """
    Given a polling command asked to check every 5 seconds (as playbooks written for the public pack do)
    When its first run starts the work
    Then the next run is scheduled 10 seconds later (the platform's minimum), and the first entry says why.
    """
    requests_mock.get(f"{BASE_V21}threats/{THREAT_ID}/timeline", json=timeline())
    requests_mock.post(f"{BASE_V21}threats/fetch-file", json={"data": {"affected": 1}})
    requests_mock.post(
        f"{BASE_V21}remote-scripts/execute", json={"data": {"affected": 2, "parentTaskId": PARENT_TASK_ID, "pending": False}}
    )
    requests_mock.post(f"{BASE_V21}dv/events/pq", json=load_fixture("polling/power_query_running.json"))

    result = single(s1.command_handler(command, s1.V21)(make_client(s1.V21), {**args, "interval": "5", "timeout": "60"}))

    assert (scheduled(result)["NextRun"], scheduled(result)["Timeout"]) == ("10", "60")
    assert "every 10 seconds" in readable(result)
    assert readable(result).endswith(RAISED_INTERVAL_NOTE)


def test_an_interval_at_the_platform_minimum_needs_no_note(requests_mock, client_v21):
    requests_mock.post(f"{BASE_V21}dv/events/pq", json=load_fixture("polling/power_query_running.json"))
    args = {"query": "q", "from_date": "2024-05-01T00:00:00Z", "to_date": "2024-05-02T00:00:00Z", "interval": "10"}
    result = single(s1.get_power_query_results_command(client_v21, args))
    assert scheduled(result)["NextRun"] == "10"
    assert "Note:" not in readable(result)


# --- remote-script-automate-results (polling) ---


def test_automate_results_first_run_starts_the_script_and_polls_by_parent_task_id(requests_mock, client_v21):
    """
    Given the script arguments and the defaults (interval 60 s, timeout 600 s)
    When sentinelone-remote-script-automate-results runs the first time
    Then it runs the script and schedules the next run with the parent task ID.
    """
    requests_mock.post(
        f"{BASE_V21}remote-scripts/execute", json={"data": {"affected": 2, "parentTaskId": PARENT_TASK_ID, "pending": False}}
    )
    args = {**SCRIPT_ARGS, "interval": "60", "timeout": "600"}
    result = single(s1.remote_script_automate_results_command(client_v21, args))
    assert requests_mock.call_count == 1
    assert scheduled(result) == {
        "PollingCommand": "sentinelone-remote-script-automate-results",
        "NextRun": "60",
        "PollingArgs": {**args, "parent_task_id": PARENT_TASK_ID, "polling_elapsed_seconds": "60", "hide_polling_output": True},
        "Timeout": "600",
    }
    assert result.to_context()["HumanReadable"] == (
        f"Remote script 1200000000000000001 started on 2 agent(s), parent task {PARENT_TASK_ID}. "
        "Checking its tasks every 60 seconds, for at most 600 seconds."
    )


def test_automate_results_later_runs_do_not_carry_the_script_secrets(requests_mock, client_v21):
    """
    Given a script run with a results password and an API key
    When the first run starts it
    Then the console gets both, and the scheduled arguments of the later runs (which only follow the parent task) hold
    neither.
    """
    requests_mock.post(
        f"{BASE_V21}remote-scripts/execute", json={"data": {"affected": 2, "parentTaskId": PARENT_TASK_ID, "pending": False}}
    )
    args = {**SCRIPT_ARGS, "password": "zip-Passw0rd", "api_key": "xdr-key-1"}
    result = single(s1.remote_script_automate_results_command(client_v21, args))
    assert (requests_mock.last_request.json()["data"]["password"], requests_mock.last_request.json()["data"]["apiKey"]) == (
        "zip-Passw0rd",
        "xdr-key-1",
    )
    assert scheduled(result)["PollingArgs"] == {
        **SCRIPT_ARGS,
        "parent_task_id": PARENT_TASK_ID,
        "polling_elapsed_seconds": "60",
        "hide_polling_output": True,
    }
    assert "zip-Passw0rd" not in json.dumps(result.to_context()) and "xdr-key-1" not in json.dumps(result.to_context())


def test_automate_results_stops_when_the_execution_waits_for_approval(requests_mock, client_v21):
    """
    Given a console that creates a pending execution (no parent task ID)
    When the command runs
    Then it does not poll, and reports the pending execution ID.
    """
    pending = {"affected": 0, "parentTaskId": None, "pending": True, "pendingExecutionId": "1300000000000000001"}
    requests_mock.post(f"{BASE_V21}remote-scripts/execute", json={"data": pending})
    result = single(s1.remote_script_automate_results_command(client_v21, {**SCRIPT_ARGS, "requires_approval": "true"}))
    entry = result.to_context()
    assert "PollingCommand" not in entry
    assert entry["EntryContext"] == {"SentinelOne.RunRemoteScript": pending}
    assert "The execution waits for approval (pending execution 1300000000000000001)" in entry["HumanReadable"]


def polling_args(**extra: Any) -> dict[str, Any]:
    return {
        **SCRIPT_ARGS,
        "parent_task_id": PARENT_TASK_ID,
        "polling_elapsed_seconds": "60",
        "hide_polling_output": True,
        **extra,
    }


def tasks_page(*statuses: str) -> dict[str, Any]:
    tasks = [
        {"id": f"190100000000000000{index}", "agentComputerName": f"host-{index}", "status": status}
        for index, status in enumerate(statuses, start=1)
    ]
    return {"data": tasks, "pagination": {"totalItems": len(tasks), "nextCursor": None}}


@pytest.mark.parametrize(
    "statuses",
    [("created",), ("completed", "scheduled"), ("pending",), ("pending_user_action", "failed"), ("in_progress",), ()],
)
def test_automate_results_keeps_polling_while_a_task_has_not_ended(requests_mock, client_v21, statuses):
    """
    Given tasks of which at least one is created/scheduled/pending/pending_user_action/in_progress (or none exist yet)
    When a later polling run comes
    Then it reads the tasks by parent task ID and schedules the next run, showing nothing.
    """
    requests_mock.get(f"{BASE_V21}remote-scripts/status", json=tasks_page(*statuses))
    result = single(s1.remote_script_automate_results_command(client_v21, polling_args()))
    assert query_of(requests_mock.last_request) == {"parentTaskId": [PARENT_TASK_ID], "limit": ["1000"]}
    assert scheduled(result)["PollingArgs"]["polling_elapsed_seconds"] == "120"
    assert result.to_context()["HumanReadable"] is None


def test_automate_results_follows_every_page_of_tasks(requests_mock, client_v21):
    """
    Given the task status list spans two pages, the second one with a running task
    When a later polling run comes
    Then both pages are read (the cursor is followed) and polling continues.
    """
    first = {"data": tasks_page("completed")["data"], "pagination": {"totalItems": 2, "nextCursor": "c2"}}
    requests_mock.get(f"{BASE_V21}remote-scripts/status", [{"json": first}, {"json": tasks_page("in_progress")}])
    result = single(s1.remote_script_automate_results_command(client_v21, polling_args()))
    assert [query_of(r).get("cursor") for r in requests_mock.request_history] == [None, ["c2"]]
    assert "PollingCommand" in result.to_context()


def test_automate_results_returns_the_files_of_completed_tasks_and_reports_the_others(requests_mock, client_v21):
    """
    Given four ended tasks: completed, failed, expired and canceled
    When the polling run sees them
    Then it fetches the download link of the completed task only, downloads it from its presigned URL without the
    ApiToken, returns it as a file with its context entry, and lists every task with its status.
    """
    requests_mock.get(f"{BASE_V21}remote-scripts/status", json=load_fixture("polling/remote_script_tasks_mixed.json"))
    link = {"taskId": "1901000000000000001", "fileName": "host-1_output.zip", "downloadUrl": "https://files.example/r/1?sig=abc"}
    requests_mock.post(f"{BASE_V21}remote-scripts/fetch-files", json={"data": {"download_links": [link], "errors": []}})
    requests_mock.get("https://files.example/r/1?sig=abc", content=b"zip-output")
    results = s1.remote_script_automate_results_command(client_v21, polling_args())
    _status, fetch, download_request = requests_mock.request_history
    assert fetch.json() == {"data": {"taskIds": ["1901000000000000001"]}}
    assert "Authorization" not in download_request.headers
    assert file_entries(results) == [("host-1_output.zip", b"zip-output")]
    [result] = command_results(results)
    entry = result.to_context()
    assert "PollingCommand" not in entry
    assert entry["EntryContext"] == {"SentinelOne.RemoteScriptResults(val.taskId && val.taskId == obj.taskId)": [link]}
    assert entry["HumanReadable"] == (
        f"### Sentinel One - Remote script tasks of parent task {PARENT_TASK_ID}\n"
        "|Task ID|Agent|Status|Detail|\n|---|---|---|---|\n"
        "| 1901000000000000001 | host-1 | completed | Script completed |\n"
        "| 1901000000000000002 | host-2 | failed | Script exited with code 2 |\n"
        "| 1901000000000000003 | host-3 | expired | Agent was offline |\n"
        "| 1901000000000000004 | host-4 | canceled |  |\n"
        "### Sentinel One - Remote script results\n"
        "|taskId|fileName|\n|---|---|\n"
        "| 1901000000000000001 | host-1_output.zip |\n"
    )


@pytest.mark.parametrize("statuses", [("failed",), ("failed", "expired", "canceled")])
def test_automate_results_fails_when_no_task_completed(requests_mock, client_v21, statuses):
    """
    Given every task ended without completing
    When the polling run sees them
    Then polling stops with an error that lists each agent's status; no result is fetched.
    """
    requests_mock.get(f"{BASE_V21}remote-scripts/status", json=tasks_page(*statuses))
    with pytest.raises(DemistoException) as error:
        s1.remote_script_automate_results_command(client_v21, polling_args())
    summary = "; ".join(f"host-{index}: {status}" for index, status in enumerate(statuses, start=1))
    assert str(error.value) == f"No task of remote script parent task {PARENT_TASK_ID} completed: {summary}."
    assert requests_mock.call_count == 1


def test_automate_results_times_out_with_the_pending_tasks(requests_mock, client_v21):
    """
    Given a task still in progress when the waited seconds reach the timeout
    When the last polling run comes
    Then polling stops with an error naming the task states and how to follow them.
    """
    requests_mock.get(f"{BASE_V21}remote-scripts/status", json=tasks_page("completed", "in_progress"))
    with pytest.raises(DemistoException) as error:
        s1.remote_script_automate_results_command(client_v21, polling_args(polling_elapsed_seconds="600"))
    assert str(error.value) == (
        f"The tasks of remote script parent task {PARENT_TASK_ID} did not end within 600 seconds: host-1: completed; "
        f"host-2: in_progress. Follow them with sentinelone-get-remote-script-task-status parent_task_id={PARENT_TASK_ID}."
    )


def test_remote_script_results_report_link_errors_and_failed_downloads(requests_mock, client_v21):
    """
    Given a fetch-files answer with one good link, one link whose download is refused, one without URL, and an error
    When the results are collected
    Then the good file is returned, every link is in context, and each problem is reported by task.
    """
    links = [
        {"taskId": "1", "fileName": "../one.zip", "downloadUrl": "https://files.example/1"},
        {"taskId": "2", "fileName": "two.zip", "downloadUrl": "https://files.example/2"},
        {"taskId": "3", "fileName": "three.zip"},
    ]
    requests_mock.post(
        f"{BASE_V21}remote-scripts/fetch-files",
        json={"data": {"download_links": links, "errors": [{"taskId": "4", "errorString": "No output"}]}},
    )
    requests_mock.get("https://files.example/1", content=b"one")
    requests_mock.get("https://files.example/2", status_code=403, text="<Error>AccessDenied</Error>")
    entries, files, problems = s1.remote_script_results(client_v21, ["1", "2", "3", "4"], ["host-1"])
    assert requests_mock.request_history[0].json() == {"data": {"taskIds": ["1", "2", "3", "4"], "computerNames": ["host-1"]}}
    assert entries == links
    assert file_entries(files) == [("one.zip", b"one")]
    assert problems == [
        "Task 4: No output",
        "Task 2: the download of two.zip failed: Permission denied [403]: the API token's user may not do this "
        "(<Error>AccessDenied</Error>)",
        "Task 3: the console gave no download link for three.zip",
    ]


# --- power queries ---

PQ_ARGS = {"query": "EventType = 'Process Creation'", "from_date": "2024-05-01T00:00:00Z", "to_date": "2024-05-02 12:30"}
PQ_BODY = {
    "query": "EventType = 'Process Creation'",
    "fromDate": "2024-05-01T00:00:00.000000Z",
    "toDate": "2024-05-02T12:30:00.000000Z",
    "limit": 1000,
}
PQ_ROWS = [
    {"eventTime": 1724151854609, "agentUuid": "ed8f14f1-f35b-0eca-1c1e-e31e97aefc71", "siteId": "1523159856757822715"},
    {"eventTime": 1724151860000, "agentUuid": "c06d63d9-9fa2-046d-e91e-dc94cf6695d8", "siteId": "1523159856757822715"},
]


def test_get_power_query_results_first_run_starts_the_query_with_both_scopes(requests_mock, client_v21):
    """
    Given account and site IDs (the public pack sent the site IDs as account IDs)
    When sentinelone-get-power-query-results runs the first time and the query is running
    Then it POSTs the query with ISO dates, the default limit, accountIds and siteIds each from its own argument, and
    schedules a ping in 10 s with the query ID (timeout 300 s).
    """
    requests_mock.post(f"{BASE_V21}dv/events/pq", json=load_fixture("polling/power_query_running.json"))
    args = {**PQ_ARGS, "account_ids": "1100000000000000001", "site_ids": "1400000000000000001,1400000000000000002"}
    result = s1.get_power_query_results_command(client_v21, args)
    assert requests_mock.last_request.json() == {
        **PQ_BODY,
        "accountIds": ["1100000000000000001"],
        "siteIds": ["1400000000000000001", "1400000000000000002"],
    }
    assert scheduled(result) == {
        "PollingCommand": "sentinelone-get-power-query-results",
        "NextRun": "10",
        "PollingArgs": {**args, "query_id": QUERY_ID, "polling_elapsed_seconds": "10", "hide_polling_output": True},
        "Timeout": "300",
    }
    assert result.to_context()["HumanReadable"] == (
        f"Power query {QUERY_ID} is running (status RUNNING, 40% done). Checking every 10 seconds, for at most 300 seconds."
    )


def test_get_power_query_results_later_run_pings_and_returns_the_rows(requests_mock, client_v21):
    """
    Given a running query's ID
    When the next run pings it and it has finished
    Then the rows are maps from column names to values, in context under SentinelOne.PowerQuery, tabled in column
    order, with the console's recommendation as a note.
    """
    requests_mock.get(f"{BASE_V21}dv/events/pq-ping", json=load_fixture("polling/power_query_finished.json"))
    result = s1.get_power_query_results_command(
        client_v21, {**PQ_ARGS, "query_id": QUERY_ID, "polling_elapsed_seconds": "10", "hide_polling_output": True}
    )
    assert query_of(requests_mock.last_request) == {"queryId": [QUERY_ID]}
    entry = result.to_context()
    assert "PollingCommand" not in entry
    assert entry["EntryContext"] == {"SentinelOne.PowerQuery": PQ_ROWS}
    assert entry["HumanReadable"] == (
        f"### Sentinel One - Power Query results of query {QUERY_ID}\n"
        "|eventTime|agentUuid|siteId|\n|---|---|---|\n"
        "| 1724151854609 | ed8f14f1-f35b-0eca-1c1e-e31e97aefc71 | 1523159856757822715 |\n"
        "| 1724151860000 | c06d63d9-9fa2-046d-e91e-dc94cf6695d8 | 1523159856757822715 |\n"
        '\nNote: Result set limited to 1000 rows by default. To display more rows, add a command like "| limit 10000".\n'
    )


def test_get_power_query_results_returns_at_once_when_the_query_finished_on_start(requests_mock, client_v21):
    requests_mock.post(f"{BASE_V21}dv/events/pq", json=load_fixture("polling/power_query_finished.json"))
    result = s1.get_power_query_results_command(client_v21, {**PQ_ARGS, "limit": "2"})
    assert requests_mock.last_request.json() == {**PQ_BODY, "limit": 2}
    assert result.to_context()["EntryContext"] == {"SentinelOne.PowerQuery": PQ_ROWS}


@pytest.mark.parametrize("progress", [99, "50", None])
def test_finished_below_100_percent_keeps_polling(requests_mock, client_v21, progress):
    """
    Given a query that says FINISHED with progress under 100 (or no progress at all counts as done)
    When a polling run pings it
    Then it keeps polling while progress is under 100.
    """
    data = {"queryId": QUERY_ID, "status": "FINISHED", "progress": progress, "columns": [], "data": []}
    requests_mock.get(f"{BASE_V21}dv/events/pq-ping", json={"data": data})
    result = s1.get_power_query_results_command(client_v21, {**PQ_ARGS, "query_id": QUERY_ID})
    assert ("PollingCommand" in result.to_context()) is (progress is not None)


@pytest.mark.parametrize("status", ["FAILED", "FAILED_CLIENT", "ERROR", "QUERY_CANCELLED", "TIMED_OUT", "QUERY_EXPIRED"])
def test_failed_power_query_stops_polling_with_an_error(requests_mock, client_v21, status):
    """
    Given a query the console failed, cancelled or expired
    When a polling run pings it
    Then polling stops at once with an error naming the status (it does not wait for the timeout).
    """
    requests_mock.get(f"{BASE_V21}dv/events/pq-ping", json={"data": {"queryId": QUERY_ID, "status": status, "progress": 30}})
    with pytest.raises(DemistoException) as error:
        s1.get_power_query_results_command(client_v21, {**PQ_ARGS, "query_id": QUERY_ID})
    assert str(error.value) == f"Power query {QUERY_ID} did not finish: status {status}, 30% done."


def test_get_power_query_results_times_out(requests_mock, client_v21):
    requests_mock.get(f"{BASE_V21}dv/events/pq-ping", json=load_fixture("polling/power_query_running.json"))
    with pytest.raises(DemistoException) as error:
        s1.get_power_query_results_command(client_v21, {**PQ_ARGS, "query_id": QUERY_ID, "polling_elapsed_seconds": "300"})
    assert str(error.value) == (
        f"Power query {QUERY_ID} did not finish within 300 seconds (status RUNNING, 40% done). "
        "Narrow the query or the dates, or ping it later with query_id."
    )


def test_get_power_query_results_without_a_query_id_does_not_poll(requests_mock, client_v21):
    """
    Given a console that starts a running query but answers no query ID
    When get-power-query-results runs
    Then it fails at once instead of scheduling pings it could not address (or starting the query again).
    """
    requests_mock.post(f"{BASE_V21}dv/events/pq", json={"data": {"status": "RUNNING", "progress": 0}})
    with pytest.raises(DemistoException) as error:
        s1.get_power_query_results_command(client_v21, PQ_ARGS)
    assert str(error.value) == "The console answered without a power query ID to follow (status RUNNING, 0% done)."


def test_get_power_query_results_empty_results(requests_mock, client_v21):
    data = {"queryId": QUERY_ID, "status": "FINISHED", "progress": 100, "columns": [{"name": "a"}], "data": []}
    requests_mock.get(f"{BASE_V21}dv/events/pq-ping", json={"data": data})
    entry = s1.get_power_query_results_command(client_v21, {**PQ_ARGS, "query_id": QUERY_ID}).to_context()
    assert entry["EntryContext"] == {}
    assert (
        entry["HumanReadable"] == f"### Sentinel One - Power Query results of query {QUERY_ID}\nThe query returned no results.\n"
    )


@pytest.mark.parametrize(
    "args, expected",
    [
        ({"query": "x", "to_date": "2024-05-01"}, "from_date: this argument is required"),
        ({**PQ_ARGS, "limit": "100001"}, "limit: expected an integer from 1 to 100000, got '100001'"),
        ({**PQ_ARGS, "site_ids": "abc"}, "site_ids: expected IDs made of digits only, got 'abc'"),
        (
            {**PQ_ARGS, "from_date": "2024-13-45"},
            "from_date: expected a date (ISO 8601, epoch, or relative such as '3 days'), got '2024-13-45'",
        ),
    ],
)
def test_power_query_argument_errors_come_before_any_request(requests_mock, client_v21, args, expected):
    with pytest.raises(ValueError) as error:
        s1.get_power_query_results_command(client_v21, args)
    assert str(error.value) == expected
    assert requests_mock.call_count == 0


def test_create_power_query_running_returns_the_query_id(requests_mock, client_v21):
    """
    Given a power query that is still running after creation
    When the deprecated sentinelone-create-power-query runs
    Then it POSTs the query (default limit 1000) and puts the query ID in context, with how to ping it.
    """
    requests_mock.post(f"{BASE_V21}dv/events/pq", json=load_fixture("polling/power_query_running.json"))
    entry = s1.create_power_query_command(client_v21, PQ_ARGS).to_context()
    assert requests_mock.last_request.json() == PQ_BODY
    assert entry["EntryContext"] == {"SentinelOne.PowerQuery": {"queryId": QUERY_ID}}
    assert entry["HumanReadable"] == (
        f"Power query {QUERY_ID} is running (status RUNNING, 40% done). Get its results with "
        f"`sentinelone-ping-power-query queryId={QUERY_ID}`, or use sentinelone-get-power-query-results, which waits for them.\n"
    )


def test_create_power_query_finished_returns_the_rows(requests_mock, client_v21):
    requests_mock.post(f"{BASE_V21}dv/events/pq", json=load_fixture("polling/power_query_finished.json"))
    assert s1.create_power_query_command(client_v21, PQ_ARGS).to_context()["EntryContext"] == {"SentinelOne.PowerQuery": PQ_ROWS}


def test_ping_power_query_rows_and_no_data_yet(requests_mock, client_v21):
    """
    Given the deprecated sentinelone-ping-power-query, first for a finished query, then for a running one
    When it runs
    Then it returns the rows, then says the query returned no data yet.
    """
    requests_mock.get(
        f"{BASE_V21}dv/events/pq-ping",
        [{"json": load_fixture("polling/power_query_finished.json")}, {"json": load_fixture("polling/power_query_running.json")}],
    )
    assert s1.ping_power_query_command(client_v21, {"queryId": QUERY_ID}).to_context()["EntryContext"] == {
        "SentinelOne.PowerQuery": PQ_ROWS
    }
    running = s1.ping_power_query_command(client_v21, {"queryId": QUERY_ID}).to_context()
    assert running["EntryContext"] == {}
    assert running["HumanReadable"] == f"Power query {QUERY_ID} returned no data yet (status RUNNING, 40% done)."
    assert [query_of(r) for r in requests_mock.request_history] == [{"queryId": [QUERY_ID]}] * 2


def test_ping_power_query_failed(requests_mock, client_v21):
    requests_mock.get(
        f"{BASE_V21}dv/events/pq-ping", json={"data": {"queryId": QUERY_ID, "status": "QUERY_EXPIRED", "progress": 0}}
    )
    with pytest.raises(DemistoException, match=f"^Power query {QUERY_ID} did not finish: status QUERY_EXPIRED, 0% done.$"):
        s1.ping_power_query_command(client_v21, {"queryId": QUERY_ID})
