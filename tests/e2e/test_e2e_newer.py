"""End to end: the newest public pack's commands (unified exclusions, threat exports, the SHA256 blocklist, the STAR
query language) run by the local runner the way the platform runs them against the SentinelOne simulator; the
console's own API is read back to check that its state changed as the integration reported."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e_support import Analyst as BaseAnalyst
from e2e_support import merged_context

from xsoar_local.runner import RunResult

EXCLUSION_KEY = "SentinelOne.UnifiedExclusion(val.ID && val.ID == obj.ID)"
ADDED_KEY = "SentinelOne.AddHashToBlocklist(val.hash && val.hash == obj.hash)"
REMOVED_KEY = "SentinelOne.RemoveHashFromBlocklist(val.hash && val.hash == obj.hash)"
TIMELINE_KEY = "SentinelOne.Export.Timeline(val.ThreatId && val.ThreatId == obj.ThreatId)"
EVENTS_KEY = "SentinelOne.Export.Events(val.ThreatId && val.ThreatId == obj.ThreatId)"
STAR_RULE_KEY = "SentinelOne.StarRule(val.ID && val.ID == obj.ID)"
SHA1 = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567"
SHA256 = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"


class Analyst(BaseAnalyst):
    def data(self, path: str, **params: Any) -> Any:
        return self.api(path, **params)["data"]

    def saved_files(self, result: RunResult) -> dict[str, bytes]:
        return {path.name: path.read_bytes() for path in result.files}

    def blocked(self, value: str, **params: str) -> list[dict[str, Any]]:
        return self.data("restrictions", limit="1000", value__contains=value, **params)


@pytest.fixture
def analyst(s1sim: Any, tmp_path: Path) -> Iterator[Analyst]:
    yield Analyst(s1sim, tmp_path)


# --- unified exclusions ---


def test_unified_exclusion_created_listed_and_deleted(analyst: Analyst) -> None:
    """
    Given a site without an exclusion for a backup agent
    When the analyst creates a unified exclusion for that site, lists the exclusions by name, and deletes it
    Then the console holds the exclusion after the create (as the command reported it), the list shows it, and after
    the delete the console no longer has it.
    """
    site = analyst.data("sites", limit="100")["sites"][0]
    context, _ = analyst.ok(
        "sentinelone-create-unified-exclusion",
        {
            "exclusion_name": "IR-42 backup agent",
            "exclusion_type": "path",
            "value": "D:\\Backup\\agent.exe",
            "os_type": "windows",
            "mode_type": "suppression",
            "scope_level": "site",
            "scope_level_id": site["id"],
            "reason": "performance_issue",
        },
    )
    created = context[EXCLUSION_KEY]
    console = [e for e in analyst.data("unified-exclusions", limit="1000") if e["exclusionName"] == "IR-42 backup agent"]
    assert [(e["id"], e["value"], e["scopeName"], e["modeType"]) for e in console] == [
        (created["ID"], "D:\\Backup\\agent.exe", site["name"], "suppression")
    ]
    assert (created["ScopeName"], created["Type"], created["PathExclusionType"]) == (site["name"], "path", "file")

    context, _ = analyst.ok("sentinelone-get-unified-exclusions", {"name_contains": "IR-42", "site_ids": site["id"]})
    assert [entry["ID"] for entry in context[EXCLUSION_KEY]] == [created["ID"]]

    context, readable = analyst.ok("sentinelone-delete-unified-exclusions", {"ids": created["ID"], "exclusion_types": "path"})
    assert context[EXCLUSION_KEY] == [{"ID": created["ID"], "Deleted": True}]
    assert "SentinelOne reported 1 of 1 requested unified exclusions affected." in readable
    assert [e for e in analyst.data("unified-exclusions", limit="1000") if e["id"] == created["ID"]] == []


def test_unified_exclusions_list_follows_the_cursor_past_1000(analyst: Analyst) -> None:
    """
    Given 1,200 unified exclusions of one name pattern on the console
    When the analyst lists 1,100 of them, then the rest with the cursor the first run gave
    Then the two runs together bring every one of them once.
    """
    for number in range(1200):
        analyst.api_post(
            "unified-exclusions",
            {
                "data": {"exclusionName": f"bulk {number}", "type": "file_type", "value": f"X{number}", "osType": "linux",
                         "modeType": "performance"},
                "filter": {"tenant": True},
            },
        )  # fmt: skip
    first, _ = analyst.ok("sentinelone-get-unified-exclusions", {"name_contains": "bulk", "limit": "1100"})
    cursor = first["SentinelOne.Cursor.UnifiedExclusion"]
    rest, _ = analyst.ok("sentinelone-get-unified-exclusions", {"name_contains": "bulk", "limit": "1000", "cursor": cursor})
    names = [entry["Name"] for entry in first[EXCLUSION_KEY] + rest[EXCLUSION_KEY]]
    assert sorted(names) == sorted(f"bulk {number}" for number in range(1200))
    assert "SentinelOne.Cursor.UnifiedExclusion" not in rest


def test_mismatched_exclusion_lists_never_reach_the_console(analyst: Analyst) -> None:
    """
    Given two IDs and one exclusion type
    When the analyst asks to delete them
    Then the command fails naming both arguments, and the console receives no request.
    """
    analyst.sim.control.clear_requests()
    error = analyst.fails("sentinelone-delete-unified-exclusions", {"ids": "1,2", "exclusion_types": "path"})
    assert "ids, exclusion_types: give one exclusion type per ID, in the same order (got 2 IDs and 1 types)" in error
    assert analyst.sim.control.requests(path="/web/api/v2.1/unified-exclusions") == []


# --- blocklist by SHA256 ---


def test_hash_blocked_by_sha256_then_removed(analyst: Analyst) -> None:
    """
    Given a SHA256 that is not blocked, and an instance whose Block Site IDs name a site
    When the analyst blocks it for a group (arguments replace the instance's sites), then globally (global=true),
    and removes it from both
    Then the console holds one SHA256 item in the group and one global, none in the instance's site; each removal
    takes its own scope's item only, and the blocklist ends without the hash.
    """
    site = analyst.data("sites", limit="100")["sites"][0]
    group = analyst.data("groups", limit="100", siteIds=site["id"])[0]
    instance = {"block_site_ids": site["id"]}

    context, _ = analyst.ok(
        "sentinelone-add-hash-to-blocklist", {"sha256Value": SHA256, "os_type": "linux", "group_ids": group["id"]}, **instance
    )
    assert context[ADDED_KEY] == {"hash": SHA256, "sha256": SHA256, "status": f"Added to group: {group['id']} blocklist"}
    context, _ = analyst.ok(
        "sentinelone-add-hash-to-blocklist", {"sha256Value": SHA256, "os_type": "linux", "global": "true"}, **instance
    )
    assert context[ADDED_KEY]["status"] == "Added to global blocklist"
    assert sorted((e["scopeName"], e["sha256Value"], e["value"]) for e in analyst.blocked(SHA256)) == sorted(
        [(group["name"], SHA256, None), ("Global", SHA256, None)]
    )

    context, _ = analyst.ok("sentinelone-get-blocklist", {"sha256Value": SHA256, "global": "false", "group_ids": group["id"]})
    assert [e["Value"] for e in context["SentinelOne.Blocklist(val.ID && val.ID == obj.ID)"]] == [SHA256]

    context, _ = analyst.ok("sentinelone-remove-hash-from-blocklist", {"sha256Value": SHA256, "global": "true"}, **instance)
    assert context[REMOVED_KEY]["status"] == "Removed 1 entries from blocklist"
    assert [e["scopeName"] for e in analyst.blocked(SHA256)] == [group["name"]]
    context, _ = analyst.ok(
        "sentinelone-remove-hash-from-blocklist", {"sha256Value": SHA256, "group_ids": group["id"]}, **instance
    )
    assert context[REMOVED_KEY] == {"hash": SHA256, "sha256": SHA256, "status": "Removed 1 entries from blocklist"}
    assert analyst.blocked(SHA256) == []


def test_sha1_and_sha256_blocked_as_one_item_and_removed_in_one_request(analyst: Analyst) -> None:
    """
    Given a file's SHA1 and SHA256
    When the analyst blocks both in one run, then removes both
    Then the console holds one item with both hashes, the removal deletes it with one DELETE, and a second removal
    says it is not on the blocklist.
    """
    context, _ = analyst.ok("sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "sha256Value": SHA256, "os_type": "windows"})
    assert context[ADDED_KEY] == {"hash": SHA1, "sha1": SHA1, "sha256": SHA256, "status": "Added to global blocklist"}
    assert [(e["value"], e["sha256Value"]) for e in analyst.blocked(SHA1)] == [(SHA1, SHA256)]

    analyst.sim.control.clear_requests()
    context, _ = analyst.ok("sentinelone-remove-hash-from-blocklist", {"sha1": SHA1, "sha256Value": SHA256})
    assert context[REMOVED_KEY]["status"] == "Removed 1 entries from blocklist"
    assert [r["method"] for r in analyst.sim.control.requests(path="/web/api/v2.1/restrictions")] == ["GET", "GET", "DELETE"]
    assert analyst.blocked(SHA1) == [] and analyst.blocked(SHA256) == []
    context, _ = analyst.ok("sentinelone-remove-hash-from-blocklist", {"sha256Value": SHA256})
    assert context[REMOVED_KEY]["status"] == "Not on blocklist"


def test_a_scope_the_console_refuses_fails_the_command(analyst: Analyst) -> None:
    """
    Given a site ID the console does not know
    When the analyst blocks a hash there
    Then the command fails naming the scope (no success-like status), and nothing is blocked.
    """
    error = analyst.fails("sentinelone-add-hash-to-blocklist", {"sha1": SHA1, "os_type": "windows", "site_ids": "1234"})
    assert "SentinelOne refused the blocklist scope (site: 1234)" in error
    assert analyst.blocked(SHA1) == []


# --- threat exports ---


def test_a_thousands_item_timeline_is_exported_whole(analyst: Analyst) -> None:
    """
    Given a threat whose timeline the console holds in thousands of items
    When the analyst exports its full timeline
    Then the file <threat>_timeline.json is a JSON array of every timeline item the console has, each once, oldest
    first, and the context names the file and the count.
    """
    threat = analyst.data("threats", limit="1")[0]
    total = analyst.sim.control.add_timeline_items(threat["id"], 3500)
    analyst.sim.control.clear_requests()

    result = analyst.run("sentinelone-export-full-threat-timeline", {"threat_id": threat["id"]})
    assert result.errors == []
    pages = analyst.sim.control.requests(path=f"/web/api/v2.1/threats/{threat['id']}/timeline")
    assert len(pages) == -(-total // 1000)  # pages of 1,000, each read once
    exported = json.loads(analyst.saved_files(result)[f"{threat['id']}_timeline.json"])
    console_ids = {item["id"] for item in analyst.data(f"threats/{threat['id']}/timeline", limit="1000")}
    assert len(exported) == total > 3500
    assert len({item["id"] for item in exported}) == total and console_ids <= {item["id"] for item in exported}
    assert [item["createdAt"] for item in exported] == sorted(item["createdAt"] for item in exported)
    context = merged_context(result)[TIMELINE_KEY]
    assert (context["ThreatId"], context["Filename"], context["Items"]) == (threat["id"], f"{threat['id']}_timeline.json", total)


def test_threat_events_exported_as_the_console_delivers_them(analyst: Analyst) -> None:
    """
    Given a threat
    When the analyst exports its events
    Then the file threats_<threat>.json holds exactly the console's JSON export of that threat's events.
    """
    threat = analyst.data("threats", limit="1")[0]
    result = analyst.run("sentinelone-export-threat-events", {"threat_id": threat["id"]})
    assert result.errors == []
    content = analyst.saved_files(result)[f"threats_{threat['id']}.json"]
    console = analyst.session.get(
        analyst.sim.api_url("2.1") + f"export/threats/{threat['id']}/explore/events",
        params={"format": "json", "eventTypes": "events"},
        timeout=10,
    )
    assert content == console.content
    assert {event["storyline"] for event in json.loads(content)} == {threat["threatInfo"]["storyline"]}
    assert merged_context(result)[EVENTS_KEY] == {
        "ThreatId": threat["id"],
        "Filename": f"threats_{threat['id']}.json",
        "Size": len(content),
    }


# --- STAR rules in S1QL 2.0 ---


def test_star_rule_written_in_s1ql_2(analyst: Analyst) -> None:
    """
    Given a STAR rule written in S1QL 2.0
    When the analyst creates it with query_lang 2.0, then updates it back to 1.0
    Then the console stores the rule's query language as given each time.
    """
    rule = {
        "name": "PowerQuery-style rule",
        "rule_severity": "Medium",
        "expiration_mode": "Permanent",
        "query_type": "events",
        "query": "event.type = 'Process Creation' and src.process.name contains 'mimikatz'",
        "network_quarantine": "false",
        "treatAsThreat": "Suspicious",
        "query_lang": "2.0",
    }
    context, _ = analyst.ok("sentinelone-create-star-rule", rule)
    rule_id = context[STAR_RULE_KEY]["ID"]
    assert analyst.data("cloud-detection/rules", ids=rule_id)[0]["queryLang"] == "2.0"
    analyst.ok("sentinelone-update-star-rule", {**rule, "rule_id": rule_id, "query_lang": "1.0"})
    assert analyst.data("cloud-detection/rules", ids=rule_id)[0]["queryLang"] == "1.0"
