"""Unit tests of incoming alert mirroring: the probe of the alert list's update-time filter (its request, each answer,
transient errors, the remembered answer), the two ways changed alerts are found (the update-time query on a console
that honours it; the open alert incidents read back by ID elsewhere), and how the open alert incidents are remembered
(fetch, get-remote-data, update-remote-system, bounds, concurrent writes)."""

import json
from typing import Any

import demistomock as demisto
import pytest
import SentinelOne_V2 as s1
from CommonServerPython import DemistoException
from freezegun import freeze_time
from requests.exceptions import ConnectionError as RequestsConnectionError

from conftest import BASE_V20, BASE_V21, CONSOLE, TOKEN, load_fixture, make_client, sent

NOW = "2024-03-28T16:00:00Z"
TODAY = "2024-03-28"
LAST_UPDATE = "2024-03-28T15:00:00Z"
ALERTS = BASE_V21 + "cloud-detection/alerts"
PROBE = {"updatedAt__gte": "2025-03-28T16:00:00.000000Z", "sortBy": "alertInfoUpdatedAt", "sortOrder": "asc", "limit": "1"}
REFUSED = {"errors": [{"code": 4000010, "detail": "updatedAt__gte: Unknown field.", "title": "Validation Error"}]}


def page(items: list[dict], cursor: str | None = None) -> dict[str, Any]:
    return {"json": {"data": items, "pagination": {"totalItems": len(items), "nextCursor": cursor}}}


def alert(alert_id: str, updated: str | None, created: str = "2023-01-10T08:00:00.000000Z") -> dict:
    item = load_fixture("mirroring/alert.json")
    item["alertInfo"].update(alertId=alert_id, updatedAt=updated, createdAt=created)
    return item


def update_query(since: str, cursor: str | None = None) -> dict[str, str]:
    query = {"updatedAt__gte": since, "sortBy": "alertInfoUpdatedAt", "sortOrder": "asc", "limit": "1000"}
    return {**query, "cursor": cursor} if cursor else query


def ids_query(*alert_ids: str) -> dict[str, str]:
    return {"ids": ",".join(alert_ids), "limit": "1000"}


def answer(verdict: str, asked_at: str = "2024-03-28T15:59:00.000000Z", console: str = BASE_V21) -> dict[str, str]:
    return {"verdict": verdict, "asked_at": asked_at, "console": console}


def cycle(platform: Any, last_update: str = LAST_UPDATE, client: s1.Client | None = None) -> list[str]:
    """One get-modified-remote-data run as the platform does it (alerts only): the reported IDs."""
    platform.params.setdefault("fetch_type", "Alerts")
    response = s1.get_modified_remote_data_command(client or make_client(s1.V21), {"lastUpdate": last_update})
    return response.modified_incident_ids


def requests_sent(requests_mock: Any) -> list[tuple[str, str, dict[str, str]]]:
    return [sent(request)[:3] for request in requests_mock.request_history]


@pytest.fixture
def refused(platform: Any) -> Any:
    """A console that refused the update-time filter a minute ago."""
    platform.last_mirror_run = {"version": 1, "alert_update_filter": answer("refused")}
    return platform


# --- the probe ---


@freeze_time(NOW)
@pytest.mark.parametrize(
    "response, verdict, then_sent",
    [
        (page([]), "honoured", ("GET", "cloud-detection/alerts", update_query("2024-03-28T15:00:00.000000Z"))),
        (page([alert("9", "2025-04-01T00:00:00.000000Z")]), "honoured", None),
        ({"status_code": 400, "json": REFUSED}, "refused", ("GET", "cloud-detection/alerts", ids_query("7"))),
        (page([alert("9", "2024-03-20T10:00:00.000000Z")]), "ignored", ("GET", "cloud-detection/alerts", ids_query("7"))),
        (page([alert("9", None)]), "ignored", None),
    ],
    ids=["empty", "updated-past-the-bound", "400", "older-alert", "alert-without-update-time"],
)
def test_one_probe_tells_the_kind_of_console_and_the_answer_is_remembered(requests_mock, platform, response, verdict, then_sent):
    """
    Given no remembered answer and one open alert incident
    When the first cycle runs
    Then it asks once for the alerts updated a year from now (sorted by update time, one item), takes an empty page (or
    only alerts updated past the bound) as honoured, HTTP 400 as refused, an older alert as ignored; it then reads the
    alerts updated since lastUpdate (honoured) or the open alert incidents by ID (otherwise), and remembers the answer
    with the time and the console it was asked.
    """
    platform.context = {"open_alerts": {"7": ["2024-03-28T10:00:00.000000Z", TODAY]}}
    requests_mock.get(ALERTS, [response, page([])])
    cycle(platform)
    assert requests_sent(requests_mock)[0] == ("GET", "cloud-detection/alerts", PROBE)
    if then_sent:
        assert requests_sent(requests_mock)[1:] == [then_sent]
    assert platform.last_mirror_run["alert_update_filter"] == answer(verdict, asked_at="2024-03-28T16:00:00.000000Z")


@freeze_time(NOW)
@pytest.mark.parametrize(
    "failure, message",
    [
        ({"status_code": 429, "json": {"errors": [{"code": 4290010, "title": "Too Many Requests"}]}}, "API rate limit"),
        ({"status_code": 500, "json": {"errors": [{"code": 5000010, "title": "Internal error"}]}}, "[500]"),
        ({"status_code": 401, "json": {"errors": [{"code": 4010010, "title": "Authentication Failed"}]}}, "[401]"),
        ({"exc": RequestsConnectionError("connection reset")}, "connection reset"),
    ],
    ids=["429", "500", "401", "no-answer"],
)
def test_a_failed_probe_is_no_answer(requests_mock, platform, failure, message):
    """
    Given no remembered answer, and a console answering the probe with 429, 500, 401 or nothing at all
    When a cycle runs
    Then the cycle fails (the platform says "skip update" and retries), after that one request, and nothing is
    remembered: neither an answer nor a position.
    """
    requests_mock.get(ALERTS, **failure)
    with pytest.raises(DemistoException, match="connection reset|API rate limit|SentinelOne API error|Authentication") as error:
        cycle(platform)
    assert message in str(error.value)
    assert requests_sent(requests_mock) == [("GET", "cloud-detection/alerts", PROBE)]
    assert (platform.mirror_run_writes, platform.context_writes) == ([], 0)


@freeze_time(NOW)
@pytest.mark.parametrize(
    "remembered, asks",
    [
        (answer("honoured", asked_at="2024-03-27T16:00:01.000000Z"), False),
        (answer("refused", asked_at="2024-03-27T16:00:01.000000Z"), False),
        (answer("refused", asked_at="2024-03-27T16:00:00.000000Z"), True),  # a day old
        (answer("refused", asked_at="2024-03-28T17:00:00.000000Z"), True),  # in the future: the clock moved back
        (answer("refused", console="https://other.s1.example/web/api/v2.1/"), True),
        (answer("refused", console=BASE_V20), True),
        ({"verdict": "maybe", "asked_at": NOW, "console": BASE_V21}, True),
        ("honoured", True),
    ],
    ids=["honoured", "refused", "a-day-old", "future", "other-url", "other-version", "unknown-verdict", "unreadable"],
)
def test_the_answer_holds_for_a_day_on_the_same_console(requests_mock, platform, remembered, asks):
    """
    Given a remembered answer
    When a cycle runs
    Then the console is asked again only when the answer is a day old (or from the future), was given by another URL or
    API version, or cannot be read.
    """
    platform.last_mirror_run = {"version": 1, "alert_update_filter": remembered}
    requests_mock.get(ALERTS, [page([]), page([])])
    cycle(platform)
    assert (requests_sent(requests_mock)[:1] == [("GET", "cloud-detection/alerts", PROBE)]) is asks


@freeze_time(NOW)
def test_a_manual_run_asks_every_time_and_remembers_nothing(requests_mock, platform):
    """
    Given a remembered answer and a person running the command with last_update
    When it runs
    Then it asks the console (a manual run does not read the last mirror run) and writes nothing.
    """
    platform.params["fetch_type"] = "Alerts"
    platform.last_mirror_run = {"version": 1, "alert_update_filter": answer("honoured")}
    requests_mock.get(ALERTS, [page([]), page([alert("3", "2024-03-28T15:10:00.000000Z")])])
    response = s1.get_modified_remote_data_command(make_client(s1.V21), {"last_update": LAST_UPDATE})
    assert response.modified_incident_ids == ["alert:3"]
    assert requests_sent(requests_mock) == [
        ("GET", "cloud-detection/alerts", PROBE),
        ("GET", "cloud-detection/alerts", update_query("2024-03-28T15:00:00.000000Z")),
    ]
    assert (platform.mirror_run_reads, platform.mirror_run_writes, platform.context_writes) == (0, [], 0)


# --- a console that honours the filter ---


@freeze_time(NOW)
def test_an_honouring_console_reports_an_alert_created_long_before_mirroring_began(requests_mock, platform):
    """
    Given a console that honours the filter, and no saved position (the first cycle)
    When an alert created more than a year ago was changed after lastUpdate
    Then the first cycle reports it, with one request, and sets the alert stream's position.
    """
    platform.last_mirror_run = {"version": 1, "alert_update_filter": answer("honoured")}
    requests_mock.get(ALERTS, [page([alert("5", "2024-03-28T15:30:00.000000Z", created="2022-11-02T09:00:00.000000Z")])])
    assert cycle(platform) == ["alert:5"]
    assert requests_sent(requests_mock) == [("GET", "cloud-detection/alerts", update_query("2024-03-28T15:00:00.000000Z"))]
    assert platform.last_mirror_run["alert"]["watermark"] == "2024-03-28T15:30:00.000000Z"


@freeze_time(NOW)
def test_an_honoured_run_past_the_page_cap_stops_and_the_next_goes_on(requests_mock, platform, monkeypatch):
    """
    Given more changed alerts than one run reads (the page cap lowered to 2)
    When two cycles follow each other
    Then the first reports the first two pages and saves the last update time it read, the second starts from the saved
    position and reports the rest without repeating any.
    """
    monkeypatch.setattr(s1, "MAX_PAGES", 2)
    platform.last_mirror_run = {"version": 1, "alert_update_filter": answer("honoured")}
    changed = [alert(str(n), f"2024-03-28T15:0{n}:00.000000Z") for n in range(1, 7)]
    requests_mock.get(ALERTS, [page(changed[:2], "c1"), page(changed[2:4], "c2"), page(changed[3:])])
    assert cycle(platform) == ["alert:1", "alert:2", "alert:3", "alert:4"]
    assert platform.last_mirror_run["alert"]["watermark"] == "2024-03-28T15:04:00.000000Z"
    assert cycle(platform, "2024-03-28T15:50:00Z") == ["alert:5", "alert:6"]
    assert requests_sent(requests_mock)[-1] == ("GET", "cloud-detection/alerts", update_query("2024-03-28T15:00:00.000000Z"))


# --- a console that refuses or ignores it: the open alert incidents, read back by ID ---


@freeze_time(NOW)
def test_the_open_alert_incidents_are_read_back_and_the_changed_ones_reported(requests_mock, refused):
    """
    Given a refusing console and four open alert incidents: one changed since last seen, one unchanged, one whose update
    time is not known yet, one no longer on the console
    When a cycle runs
    Then one request reads them by ID; the changed one and the one not known yet are reported, their update times
    remembered; the missing one is forgotten; no alert stream position is kept.
    """
    refused.last_mirror_run["alert"] = {"version": 1, "since": LAST_UPDATE, "watermark": None, "seen_ids": {}}
    refused.context = {
        "open_alerts": {
            "1": ["2024-03-28T10:00:00.000000Z", "2024-03-01"],
            "2": ["2024-03-28T11:00:00.000000Z", "2024-03-02"],
            "3": [None, "2024-03-03"],
            "4": ["2024-03-20T00:00:00.000000Z", "2024-03-04"],
        },
        "mirroring": {"9": {"resolved": False, "notes": []}},
    }
    requests_mock.get(
        ALERTS,
        [
            page(
                [
                    alert("1", "2024-03-28T15:30:00.000000Z"),
                    alert("2", "2024-03-28T11:00:00.000000Z"),
                    alert("3", "2024-02-01T00:00:00.000000Z"),
                ]
            )
        ],
    )
    assert cycle(refused) == ["alert:1", "alert:3"]
    assert requests_sent(requests_mock) == [("GET", "cloud-detection/alerts", ids_query("1", "2", "3", "4"))]
    assert refused.context == {
        "open_alerts": {
            "2": ["2024-03-28T11:00:00.000000Z", "2024-03-02"],
            "1": ["2024-03-28T15:30:00.000000Z", TODAY],
            "3": ["2024-02-01T00:00:00.000000Z", TODAY],
        },
        "mirroring": {"9": {"resolved": False, "notes": []}},
    }
    assert "alert" not in refused.last_mirror_run


@freeze_time(NOW)
def test_open_alert_incidents_are_read_250_per_request(requests_mock, refused):
    """
    Given 300 open alert incidents, none changed
    When a cycle runs
    Then it sends two requests, of 250 and 50 IDs (a URL of about 5.5 KB at most), and writes nothing.
    """
    alert_ids = [str(1_887_466_925_547_175_000 + n) for n in range(300)]
    refused.context = {"open_alerts": {alert_id: ["2024-03-28T10:00:00.000000Z", TODAY] for alert_id in alert_ids}}
    requests_mock.get(
        ALERTS,
        [
            page([alert(alert_id, "2024-03-28T10:00:00.000000Z") for alert_id in chunk])
            for chunk in (alert_ids[:250], alert_ids[250:])
        ],
    )
    assert cycle(refused) == []
    assert requests_sent(requests_mock) == [
        ("GET", "cloud-detection/alerts", ids_query(*alert_ids[:250])),
        ("GET", "cloud-detection/alerts", ids_query(*alert_ids[250:])),
    ]
    assert max(len(request.url) for request in requests_mock.request_history) < 6000
    assert refused.context_writes == 0


@freeze_time(NOW)
def test_with_no_open_alert_incident_a_cycle_sends_no_alert_request(requests_mock, refused):
    """
    Given a refusing console and no open alert incident
    When a cycle runs
    Then no alert is requested.
    """
    assert cycle(refused) == []
    assert requests_mock.request_history == []


@freeze_time(NOW)
def test_an_ignoring_console_is_read_back_by_id_too(requests_mock, platform):
    """
    Given a console that ignores the filter (remembered)
    When a cycle runs
    Then the open alert incidents are read by ID, as on a refusing console.
    """
    platform.last_mirror_run = {"version": 1, "alert_update_filter": answer("ignored")}
    platform.context = {"open_alerts": {"7": ["2024-03-28T10:00:00.000000Z", TODAY]}}
    requests_mock.get(ALERTS, [page([alert("7", "2024-03-28T15:00:00.000000Z")])])
    assert cycle(platform) == ["alert:7"]
    assert requests_sent(requests_mock) == [("GET", "cloud-detection/alerts", ids_query("7"))]


@freeze_time(NOW)
def test_a_failed_read_back_reports_nothing_and_loses_nothing(requests_mock, refused):
    """
    Given 300 open alert incidents, two of them changed, and a console failing on the second request
    When a cycle runs, then another after the console recovered
    Then the first fails and remembers nothing (neither update times nor a position), and the second reports both.
    """
    alert_ids = [str(100 + n) for n in range(300)]
    refused.context = {"open_alerts": {alert_id: ["2024-03-28T10:00:00.000000Z", TODAY] for alert_id in alert_ids}}
    first = [alert(alert_id, "2024-03-28T10:00:00.000000Z") for alert_id in alert_ids[:250]]
    first[0] = alert("100", "2024-03-28T15:10:00.000000Z")
    rest = [alert(alert_id, "2024-03-28T10:00:00.000000Z") for alert_id in alert_ids[250:]]
    rest[-1] = alert("399", "2024-03-28T15:20:00.000000Z")
    requests_mock.get(
        ALERTS, [page(first), {"status_code": 500, "json": {"errors": [{"code": 5000010}]}}, page(first), page(rest)]
    )
    context = json.loads(json.dumps(refused.context))
    with pytest.raises(DemistoException, match=r"\[500\]"):
        cycle(refused)
    assert (refused.context, refused.mirror_run_writes) == (context, [])
    assert cycle(refused) == ["alert:100", "alert:399"]


@freeze_time(NOW)
def test_a_manual_run_reports_open_alerts_changed_since_last_update_and_remembers_nothing(requests_mock, platform):
    """
    Given a refusing console and open alert incidents changed before and after last_update
    When a person runs the command with last_update
    Then it reports the alerts changed since then and changes no remembered update time.
    """
    platform.params["fetch_type"] = "Alerts"
    platform.context = {"open_alerts": {"1": [None, TODAY], "2": ["2024-03-28T16:00:00.000000Z", TODAY]}}
    requests_mock.get(
        ALERTS,
        [
            {"status_code": 400, "json": REFUSED},
            page([alert("1", "2024-03-28T14:00:00.000000Z"), alert("2", "2024-03-28T16:00:00.000000Z")]),
        ],
    )
    response = s1.get_modified_remote_data_command(make_client(s1.V21), {"last_update": LAST_UPDATE})
    assert response.modified_incident_ids == ["alert:2"]
    assert platform.context_writes == 0


@freeze_time(NOW)
def test_a_cycle_keeps_what_another_run_wrote_meanwhile(requests_mock, refused):
    """
    Given a refusing console and one open alert incident that changed
    When, between the cycle's read and its write, a fetch adds an alert and an update-remote-system closes another
    Then the cycle's write is refused once and done again on what they wrote: the new alert stays, the closed one is not
    brought back, and the changed one gets its new update time.
    """
    refused.context = {"open_alerts": {"1": ["2024-03-28T10:00:00.000000Z", "2024-03-01"], "2": [None, "2024-03-01"]}}
    requests_mock.get(ALERTS, [page([alert("1", "2024-03-28T15:10:00.000000Z"), alert("2", "2024-03-28T15:20:00.000000Z")])])

    def other_runs(context: dict[str, Any]) -> None:
        context["open_alerts"] = {"1": ["2024-03-28T10:00:00.000000Z", "2024-03-01"], "8": ["2024-03-28T15:40:00.000000Z", TODAY]}

    refused.interleaved.append(other_runs)
    assert cycle(refused) == ["alert:1", "alert:2"]
    assert refused.context["open_alerts"] == {
        "8": ["2024-03-28T15:40:00.000000Z", TODAY],
        "1": ["2024-03-28T15:10:00.000000Z", TODAY],
    }


# --- remembering the open alert incidents ---


def fetch_params(platform: Any, **params: Any) -> None:
    platform.params.update({"url": CONSOLE, "credentials": {"password": TOKEN}, "isFetch": True, "fetch_type": "Both", **params})


@freeze_time(NOW)
@pytest.mark.parametrize(
    "direction, remembered", [("Incoming", True), ("Incoming And Outgoing", True), ("Outgoing", False), ("None", False)]
)
def test_fetch_remembers_the_alert_incidents_that_mirror_in_before_handing_them_over(
    mocker, requests_mock, platform, direction, remembered
):
    """
    Given fetch of threats and alerts with mirroring that does or does not come in
    When main runs fetch-incidents
    Then the alert incidents' IDs and update times are remembered (threats are not) before the incidents go to the
    platform, and only where mirroring comes in.
    """
    fetch_params(platform, mirror_direction=direction)
    mocker.patch.object(demisto, "command", return_value="fetch-incidents")
    mocker.patch.object(demisto, "getLastRun", return_value={})
    order: list[str] = []
    mocker.patch.object(
        demisto, "incidents", side_effect=lambda incidents: order.append(f"incidents, context {platform.context}")
    )
    mocker.patch.object(demisto, "setLastRun")
    threat = load_fixture("mirroring/threat_v21.json")
    requests_mock.get(BASE_V21 + "threats", [page([threat])])
    requests_mock.get(ALERTS, [page([alert("21", "2024-03-27T08:00:00.000000Z", created="2024-03-27T08:00:00.000000Z")])])
    s1.main()
    expected = {"open_alerts": {"21": ["2024-03-27T08:00:00.000000Z", TODAY]}} if remembered else {}
    assert order == [f"incidents, context {expected}"]


@freeze_time(NOW)
def test_a_failed_write_fails_the_fetch_before_any_incident(mocker, requests_mock, platform):
    """
    Given a fetch of alerts whose remembering fails (every write refused)
    When main runs fetch-incidents
    Then the run fails and neither incidents nor lastRun reach the platform, so the next run fetches the alerts again.
    """
    fetch_params(platform, fetch_type="Alerts", mirror_direction="Incoming")
    platform.conflicts = 3
    mocker.patch.object(demisto, "command", return_value="fetch-incidents")
    mocker.patch.object(demisto, "getLastRun", return_value={})
    incidents = mocker.patch.object(demisto, "incidents")
    set_last_run = mocker.patch.object(demisto, "setLastRun")
    mocker.patch.object(demisto, "error")
    requests_mock.get(ALERTS, [page([alert("21", "2024-03-27T08:00:00.000000Z", created="2024-03-27T08:00:00.000000Z")])])
    with pytest.raises(Exception, match=r"^Failed to execute fetch-incidents command\. Error: version conflict$"):
        s1.main()
    incidents.assert_not_called()
    set_last_run.assert_not_called()


@freeze_time(NOW)
def test_fetch_incidents_gives_the_alerts_that_mirror_in_with_their_update_times(mocker, requests_mock, platform):
    """
    Given a fetch of threats and alerts whose mirroring comes in
    When fetch_incidents is asked for the open alerts
    Then it gives the alerts (not the threats) with their alertInfo.updatedAt, read from the alerts rather than from
    the incidents' rawJSON.
    """
    fetch_params(platform, mirror_direction="Incoming")
    mocker.patch.object(demisto, "getLastRun", return_value={})
    requests_mock.get(BASE_V21 + "threats", [page([load_fixture("mirroring/threat_v21.json")])])
    requests_mock.get(ALERTS, [page([alert("21", "2024-03-27T08:00:00.000000Z", created="2024-03-27T08:00:00.000000Z")])])
    open_alerts: dict[str, str | None] = {}
    incidents, _next_run = s1.fetch_incidents(s1.build_client(platform.params), platform.params, open_alerts)
    assert len(incidents) == 2
    assert open_alerts == {"21": "2024-03-27T08:00:00.000000Z"}


@freeze_time(NOW)
def test_get_remote_data_remembers_an_alert_and_forgets_it_when_it_closes_the_incident(requests_mock, platform):
    """
    Given close_xsoar_incident and an alert incident not remembered yet (fetched before, say)
    When get-remote-data mirrors it unresolved, then resolved
    Then the first run remembers it with its update time, and the run that closes the incident forgets it.
    """
    platform.params["close_xsoar_incident"] = True
    client = make_client(s1.V21)
    requests_mock.get(ALERTS, [page([alert("31", "2024-03-28T15:00:00.000000Z")])])
    s1.get_remote_data_command(client, {"id": "alert:31", "lastUpdate": LAST_UPDATE})
    assert platform.context["open_alerts"] == {"31": ["2024-03-28T15:00:00.000000Z", TODAY]}
    resolved = alert("31", "2024-03-28T15:30:00.000000Z")
    resolved["alertInfo"]["incidentStatus"] = "Resolved"
    requests_mock.get(ALERTS, [page([resolved])])
    response = s1.get_remote_data_command(client, {"id": "alert:31", "lastUpdate": LAST_UPDATE})
    assert response.entries[0]["Contents"]["dbotIncidentClose"] is True
    assert platform.context["open_alerts"] == {}


@freeze_time(NOW)
def test_get_remote_data_of_a_threat_leaves_the_open_alerts_alone(requests_mock, platform):
    """
    Given a threat incident
    When get-remote-data mirrors it
    Then the open alert incidents are not written.
    """
    threat = load_fixture("mirroring/threat_v21.json")
    requests_mock.get(BASE_V21 + "threats", [page([threat])])
    requests_mock.get(BASE_V21 + f"threats/{threat['id']}/notes", [page([])])
    s1.get_remote_data_command(make_client(s1.V21), {"id": threat["id"], "lastUpdate": LAST_UPDATE})
    assert "open_alerts" not in platform.context


@freeze_time(NOW)
@pytest.mark.parametrize(
    "status, direction, expected",
    [
        (2, "Incoming And Outgoing", {"1": ["2024-03-28T10:00:00.000000Z", "2024-03-01"]}),  # closed: 2 forgotten
        (1, "Incoming And Outgoing", {"1": ["2024-03-28T10:00:00.000000Z", "2024-03-01"], "2": [None, TODAY]}),  # reopened
        (1, "Outgoing", {"1": ["2024-03-28T10:00:00.000000Z", "2024-03-01"]}),  # no incoming mirroring
    ],
    ids=["closed", "open", "outgoing-only"],
)
def test_update_remote_system_forgets_a_closed_alert_incident_and_tracks_an_open_one(
    requests_mock, platform, status, direction, expected
):
    """
    Given alert 2 not remembered (its incident was closed, then reopened) and alert 1 remembered
    When update-remote-system runs for alert 2's incident, closed or open
    Then a closed incident's alert is forgotten; an open one is tracked again with an update time to learn (reported by
    the next cycle), where mirroring comes in.
    """
    platform.params["mirror_direction"] = direction
    platform.context = {"open_alerts": {"1": ["2024-03-28T10:00:00.000000Z", "2024-03-01"], "2": [None, "2024-03-01"]}}
    if status == 1:
        del platform.context["open_alerts"]["2"]
    s1.update_remote_system_command(make_client(s1.V21), {"remoteId": "alert:2", "incidentChanged": False, "status": status})
    assert platform.context["open_alerts"] == expected
    assert requests_mock.request_history == []


@freeze_time(NOW)
def test_open_alert_incidents_are_bounded_in_age_and_number(platform, monkeypatch):
    """
    Given remembered alerts seen 91, 90 and 1 days ago, and a bound of 3 alerts
    When two alerts are remembered
    Then the one not seen for more than 90 days is forgotten, and then the least recently seen beyond the bound.
    """
    monkeypatch.setattr(s1, "OPEN_ALERTS_MAX", 3)
    platform.context = {"open_alerts": {"a": [None, "2023-12-28"], "b": [None, "2023-12-29"], "c": [None, "2024-03-27"]}}
    s1.remember_open_alerts({"d": "2024-03-28T10:00:00.000000Z", "e": None})
    assert platform.context["open_alerts"] == {
        "c": [None, "2024-03-27"],
        "d": ["2024-03-28T10:00:00.000000Z", TODAY],
        "e": [None, TODAY],
    }


@freeze_time(NOW)
def test_a_remembered_update_time_only_moves_forward(platform):
    """
    Given an alert remembered with a later update time than the one a slower run read
    When that run remembers the older time
    Then the later one stays.
    """
    platform.context = {"open_alerts": {"1": ["2024-03-28T15:00:00.000000Z", "2024-03-01"]}}
    s1.remember_open_alerts({"1": "2024-03-28T14:00:00.000000Z"})
    assert platform.context["open_alerts"] == {"1": ["2024-03-28T15:00:00.000000Z", TODAY]}
