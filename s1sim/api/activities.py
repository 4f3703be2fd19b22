"""Activities (the console's audit / event feed) and the activity type catalogue."""

from __future__ import annotations

from typing import Any

from s1sim.api.common import VALIDATED_BOOLEAN
from s1sim.api.routing import Call, Routes, envelope
from s1sim.filters import AnyOf, Filter, FreeText, path, time_filters
from s1sim.listing import ListSpec
from s1sim.store import Store

routes = Routes()

# The activity types the simulator writes. Templates for 80, 81, 1001, 1002 and 2010 are the documented ones; the
# labels of the others follow the console's style but are not confirmed by a source.
ACTIVITY_TYPES = (
    (7, "Account Updated", "The management user {{ username }} updated {{ account_name }} account."),
    (19, "New Threat", "Threat {{ threat_name }} was detected on {{ computer_name }}."),
    (51, "Agent Uninstalled", "Agent {{ computer_name }} was uninstalled."),
    (80, "Agent Uploaded Fetched Files", "Agent {{ computer_name }} ({{ external_ip }}) successfully uploaded {{ filename }}."),
    (
        81,
        "User Requested Fetch Files",
        "The management user {{ username }} initiated a fetch file command to the agent {{ computer_name }} ({{ external_ip }}).",
    ),
    (86, "Agent Uploaded Threat File", "Agent {{ computer_name }} uploaded the threat file {{ filename }}."),
    (1001, "Agent Disconnected From Network", "Agent {{ computer_name }} was disconnected from network."),
    (1002, "Agent Reconnected To Network", "Agent {{ computer_name }} was connected to network."),
    (
        2010,
        "Agent Mitigation Report Quarantine Network Failed",
        "Agent {{ computer_name }} was unable to disconnect from network.",
    ),
)


def activity_filters(store: Store) -> dict[str, Filter]:
    user_email = {store.user.id: store.user.email}
    return {
        "activityTypes": AnyOf(path("activityType")),
        "ids": AnyOf(path("id")),
        "activityUuids": AnyOf(path("activityUuid")),
        "agentIds": AnyOf(path("agentId")),
        "threatIds": AnyOf(path("threatId")),
        "siteIds": AnyOf(path("siteId")),
        "groupIds": AnyOf(path("groupId")),
        "accountIds": AnyOf(path("accountId")),
        "userIds": AnyOf(path("userId")),
        "userEmails": AnyOf(lambda activity: user_email.get(activity["userId"])),
        "alertIds": AnyOf(path("data", "alertId")),
        "ruleIds": AnyOf(path("data", "ruleId")),
        "includeHidden": VALIDATED_BOOLEAN,
        "query": FreeText(lambda activity: (activity["primaryDescription"], activity["secondaryDescription"])),
        # The public XSOAR pack sends `created_at__gt` and `createdAt_between`; sentinelone-api.md §6 asks the
        # simulator to accept those spellings too.
        **time_filters("createdAt", path("createdAt"), spellings=("created_at",)),
        "createdAt_between": time_filters("createdAt", path("createdAt"))["createdAt__between"],
    }


ACTIVITY_SORTS = {
    "id": path("id"),
    "createdAt": path("createdAt"),
    "updatedAt": path("updatedAt"),
    "activityType": path("activityType"),
}


def activities_spec(store: Store) -> ListSpec:
    return ListSpec(filters=activity_filters(store), sorts=ACTIVITY_SORTS)


@routes.route("activities")
def list_activities(call: Call) -> dict[str, Any]:
    page, pagination = activities_spec(call.store).select(call.store.activities.values(), call.query)
    return envelope([dict(activity) for activity in page], pagination)


@routes.route("activities/types")
def activity_types(call: Call) -> dict[str, Any]:
    return {
        "data": [
            {"action": action, "descriptionTemplate": template, "id": type_id} for type_id, action, template in ACTIVITY_TYPES
        ]
    }
