"""The agents' conversation list ``GET /:pid/requests`` (§5.4.2): shape, paging, sorting,
every filter of the filter table, dates and time zones, visibility (§4.4), and a statement
count that does not grow with the page."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import event

from tests.conversations.support import create_request, project_with_agents
from tests.factories import (
    Person,
    Visitor,
    add_member,
    make_end_user,
    make_guest,
    make_project,
    project_secret,
    signup,
)


async def listed(
    client: httpx.AsyncClient, project_id: str, who: Any, **params: object
) -> dict[str, Any]:
    """``GET /:pid/requests`` with ``params``; asserts 200."""
    response = await client.get(f"/{project_id}/requests", params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def ids(client: httpx.AsyncClient, project_id: str, who: Any, **params: object) -> set[str]:
    """The ``request_id``s listed (every status unless ``status`` is given)."""
    params = {"status": "all", "limit": 100, **params}
    body = await listed(client, project_id, who, **params)
    return {request["request_id"] for request in body["requests"]}


async def ok(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@dataclass
class Catalog:
    """One project whose conversations differ in one property each (built once, read only)."""

    project_id: str
    owner: Person
    agents: list[Person]
    guest: Visitor
    guest_lead_id: str
    pooled_department: str
    bot_department: str
    bot_id: str
    rid: dict[str, str]
    tickets: dict[str, int]

    def of(self, *names: str) -> set[str]:
        return {self.rid[name] for name in names}

    def names(self, found: set[str]) -> set[str]:
        return {name for name, rid in self.rid.items() if rid in found}

    @property
    def open_everyday(self) -> set[str]:
        """What the default list shows: open, not preflight, not hidden or abandoned."""
        hidden = {"closed", "preflight", "temp", "abandoned_150"}
        return {rid for name, rid in self.rid.items() if name not in hidden}


@pytest.fixture(scope="module")
async def catalog(client: httpx.AsyncClient) -> Catalog:
    project_id, owner, agents = await project_with_agents(client, 2)
    auth = owner.auth
    base = f"/{project_id}"
    pooled = await ok(
        await client.post(
            f"{base}/departments", json={"name": "Queue", "routing": "pooled"}, headers=auth
        )
    )
    bot = await ok(await client.post(f"{base}/faq_kb", json={"name": "Helper"}, headers=auth))
    bot_department = await ok(
        await client.post(
            f"{base}/departments", json={"name": "Bots", "id_bot": bot["_id"]}, headers=auth
        )
    )
    guest = await make_guest(client, project_id)
    lead = await ok(
        await client.post(
            f"{base}/leads",
            json={"lead_id": guest.id, "fullname": "Gina Guest", "email": "gina@example.com"},
            headers=auth,
        )
    )
    await ok(
        await client.put(
            f"{base}/leads/{lead['_id']}", json={"phone": "+393456677888"}, headers=auth
        )
    )

    specs: dict[str, dict[str, Any]] = {
        "basic": {"participants": [agents[1].id], "subject": "Billing"},
        "form": {"channel": {"name": "form"}, "priority": "high"},
        "email": {"channel": {"name": "email"}},
        "voice": {
            "attributes": {"caller_phone": "+111", "called_phone": "+222", "call_id": "call-1"}
        },
        "abandoned": {"attributes": {"fully_abandoned": True}},
        "pooled": {"departmentid": pooled["_id"]},
        "bot": {"departmentid": bot_department["_id"]},
        "tagged": {},
        "rated": {},
        "pending": {},
        "open_ws": {},
        "closed": {},
        "preflight": {"preflight": True},
        "draft": {"sourcePage": "https://example.com/?td_draft=true"},
        "temp": {},
        "abandoned_150": {},
        "phone": {"sender": guest.id},
    }
    created = {
        name: await create_request(client, project_id, owner, **body)
        for name, body in specs.items()
    }
    rid = {name: request["request_id"] for name, request in created.items()}

    async def edit(method: str, name: str, path: str, body: Any) -> None:
        url = f"{base}/requests/{rid[name]}{path}"
        await ok(await client.request(method, url, json=body, headers=auth))

    await edit("PUT", "tagged", "/tag", [{"tag": "vip", "color": "#ff0000"}])
    await edit("PATCH", "rated", "", {"rating": 5})
    await edit("PATCH", "pending", "", {"workingStatus": "pending"})
    await edit("PATCH", "open_ws", "", {"workingStatus": "open"})
    await edit("PUT", "closed", "/close", {})
    await edit("PATCH", "temp", "", {"status": 50})
    await edit("PATCH", "abandoned_150", "", {"status": 150})
    return Catalog(
        project_id=project_id,
        owner=owner,
        agents=agents,
        guest=guest,
        guest_lead_id=lead["_id"],
        pooled_department=pooled["_id"],
        bot_department=bot_department["_id"],
        bot_id=bot["_id"],
        rid=rid,
        tickets={name: request["ticket_id"] for name, request in created.items()},
    )


class TestDefaultsAndStatus:
    async def test_the_default_list_hides_closed_preflight_temp_and_abandoned(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        body = await listed(client, catalog.project_id, catalog.owner)

        assert body["perPage"] == 40
        assert body["count"] == len(catalog.open_everyday)
        assert {r["request_id"] for r in body["requests"]} == catalog.open_everyday

    async def test_status_takes_a_comma_list(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        closed_or_temp = await ids(client, catalog.project_id, catalog.owner, status="1000,50")
        pooled = await ids(client, catalog.project_id, catalog.owner, status="100")

        assert closed_or_temp == catalog.of("closed", "temp")
        assert pooled == catalog.of("pooled")

    async def test_status_all_lists_every_status_but_not_preflight(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        everything = await ids(client, catalog.project_id, catalog.owner, status="all")

        assert everything == set(catalog.rid.values()) - catalog.of("preflight")

    @pytest.mark.parametrize("status", ["abc", "100,x", "all,100"])
    async def test_a_status_that_is_not_numbers_is_422(
        self, client: httpx.AsyncClient, catalog: Catalog, status: str
    ) -> None:
        response = await client.get(
            f"/{catalog.project_id}/requests", params={"status": status}, headers=catalog.owner.auth
        )

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["param"], error["location"], error["value"]) == ("status", "query", status)

    async def test_preflight_true_includes_preflight_conversations(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        with_preflight = await ids(client, catalog.project_id, catalog.owner, preflight="true")
        not_true = await ids(client, catalog.project_id, catalog.owner, preflight="1")

        assert catalog.rid["preflight"] in with_preflight
        assert catalog.rid["preflight"] not in not_true


class TestPagingAndSorting:
    async def test_pages_are_zero_based_and_sorted_newest_first(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        first = await listed(client, catalog.project_id, catalog.owner, limit=3)
        second = await listed(client, catalog.project_id, catalog.owner, limit=3, page=1)
        whole = await listed(client, catalog.project_id, catalog.owner, limit=100)

        order = [r["request_id"] for r in whole["requests"]]
        assert first["perPage"] == 3
        assert first["count"] == second["count"] == len(catalog.open_everyday)
        assert [r["request_id"] for r in first["requests"] + second["requests"]] == order[:6]
        created = [r["createdAt"] for r in whole["requests"]]
        assert created == sorted(created, reverse=True)

    @pytest.mark.parametrize("limit", ["101", "1000"])
    async def test_a_limit_above_100_falls_back_to_40(
        self, client: httpx.AsyncClient, catalog: Catalog, limit: str
    ) -> None:
        body = await listed(client, catalog.project_id, catalog.owner, limit=limit)

        assert body["perPage"] == 40

    async def test_a_limit_of_100_is_kept(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        body = await listed(client, catalog.project_id, catalog.owner, limit=100)

        assert body["perPage"] == 100

    async def test_sort_by_ticket_both_ways(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        up = await listed(client, catalog.project_id, catalog.owner, sort="ticket_id", direction=1)
        down = await listed(
            client, catalog.project_id, catalog.owner, sort="ticket_id", direction=-1
        )

        tickets = [r["ticket_id"] for r in up["requests"]]
        assert tickets == sorted(tickets)
        assert [r["ticket_id"] for r in down["requests"]] == tickets[::-1]

    async def test_sort_by_updated_at_ascending(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        body = await listed(
            client, catalog.project_id, catalog.owner, sort="updatedAt", direction="asc"
        )

        updated = [r["updatedAt"] for r in body["requests"]]
        assert updated == sorted(updated)
        assert body["requests"][-1]["request_id"] in catalog.of(
            "tagged", "rated", "pending", "open_ws"
        )

    async def test_an_unknown_sort_field_sorts_by_creation(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        unknown = await listed(client, catalog.project_id, catalog.owner, sort="nope", direction=1)

        created = [r["createdAt"] for r in unknown["requests"]]
        assert created == sorted(created)

    @pytest.mark.parametrize(
        ("params", "param"),
        [
            ({"direction": "up"}, "direction"),
            ({"limit": "ten"}, "limit"),
            ({"page": "-1"}, "page"),
            ({"page": "x"}, "page"),
            ({"ticket_id": "abc"}, "ticket_id"),
            ({"hasbot": "maybe"}, "hasbot"),
            ({"duration": "long", "duration_op": "gt"}, "duration"),
            # Values no SQL integer holds, no float compares with, no text column stores.
            ({"ticket_id": "99999999999999999999"}, "ticket_id"),
            ({"status": "99999999999999999999"}, "status"),
            ({"duration": "inf", "duration_op": "gt"}, "duration"),
            ({"dept_id": "a\x00b"}, "dept_id"),
            ({"workingStatus[ne]": "\x00"}, "workingStatus[ne]"),
        ],
    )
    async def test_malformed_parameters_are_422(
        self, client: httpx.AsyncClient, catalog: Catalog, params: dict[str, str], param: str
    ) -> None:
        response = await client.get(
            f"/{catalog.project_id}/requests", params=params, headers=catalog.owner.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == param


class TestShape:
    async def test_a_listed_conversation_is_populated(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        body = await listed(
            client, catalog.project_id, catalog.owner, ticket_id=catalog.tickets["bot"]
        )
        (request,) = body["requests"]
        single = await ok(
            await client.get(
                f"/{catalog.project_id}/requests/{catalog.rid['bot']}", headers=catalog.owner.auth
            )
        )

        assert request == single
        assert request["id"] == request["_id"]
        assert request["lead"]["lead_id"] == catalog.owner.id
        assert request["requester_id"] == request["lead"]["_id"]
        assert request["department"]["_id"] == catalog.bot_department
        assert request["department"]["name"] == "Bots"
        assert request["requester"]["role"] == "owner"
        assert request["requester"]["id_user"]["_id"] == catalog.owner.id
        assert request["requester"]["id_user"]["email"] == catalog.owner.email
        assert "password" not in request["requester"]["id_user"]
        assert request["participants"] == [f"bot_{catalog.bot_id}"]
        assert request["participantsBots"] == [catalog.bot_id]
        assert request["hasBot"] is True
        assert request["participatingAgents"] == []
        assert [bot["_id"] for bot in request["participatingBots"]] == [catalog.bot_id]
        assert request["participatingBots"][0]["name"] == "Helper"
        assert "secret" not in request["participatingBots"][0]
        assert "agents" not in request["snapshot"]
        assert request["snapshot"]["department"]["id_bot"] == catalog.bot_id

    async def test_participating_agents_are_user_documents(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        body = await listed(
            client, catalog.project_id, catalog.owner, ticket_id=catalog.tickets["basic"]
        )
        (request,) = body["requests"]

        agent = catalog.agents[1]
        assert [user["_id"] for user in request["participatingAgents"]] == [agent.id]
        assert request["participatingAgents"][0]["email"] == agent.email
        assert "password" not in request["participatingAgents"][0]
        assert request["participatingBots"] == []

    async def test_no_populate_answers_ids(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        body = await listed(
            client,
            catalog.project_id,
            catalog.owner,
            ticket_id=catalog.tickets["bot"],
            no_populate="true",
        )
        (request,) = body["requests"]

        assert request["department"] == catalog.bot_department
        assert isinstance(request["lead"], str)
        assert request["requester_id"] == request["lead"]
        assert isinstance(request["requester"], str)
        assert "participatingAgents" not in request
        assert "participatingBots" not in request
        assert "agents" not in request["snapshot"]

    async def test_no_count_answers_count_zero(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        body = await listed(client, catalog.project_id, catalog.owner, no_count="true", limit=2)
        counted = await listed(client, catalog.project_id, catalog.owner, no_count="false", limit=2)

        assert body["count"] == 0
        assert len(body["requests"]) == 2
        assert counted["count"] == len(catalog.open_everyday)


class TestFilters:
    @pytest.mark.parametrize(
        ("params", "expected"),
        [
            ({"hasbot": "true"}, ["bot"]),
            ({"priority": "high"}, ["form"]),
            ({"priority": "urgent"}, []),
            ({"tags": "vip"}, ["tagged"]),
            ({"tags": "VIP"}, []),
            ({"channel": "offline"}, ["form", "email"]),
            ({"channel": "form"}, ["form"]),
            ({"channel": "telegram"}, []),
            ({"caller": "+111"}, ["voice"]),
            ({"called": "+222"}, ["voice"]),
            ({"call_id": "call-1"}, ["voice"]),
            ({"caller": "+222"}, []),
            ({"abandonded": "1", "abandoned": "true"}, ["abandoned"]),
            ({"rated": "true"}, ["rated"]),
            ({"workingStatus[in]": "pending,open"}, ["pending", "open_ws"]),
            ({"workingStatus[in]": "pending"}, ["pending"]),
            ({"snap_department_routing": "pooled"}, ["pooled", "bot"]),  # pooled by default
            ({"snap_department_routing": "round"}, []),
            ({"snap_department_default": "false"}, ["pooled", "bot"]),
            ({"snap_department_id_bot_exists": "true"}, ["bot"]),
            ({"requester_email": "gina@example.com"}, ["phone"]),
            ({"snap_lead_email": "gina@example.com"}, ["phone"]),
            ({"requester_email": "nobody@example.com"}, []),
            ({"phone": "3456677888"}, ["phone"]),
            ({"phone": "+39 (345) 667"}, ["phone"]),
            ({"phone": "999999"}, []),
            ({"smartAssignment": "false"}, ["form", "email"]),
            ({"participant": "nobody"}, []),
        ],
    )
    async def test_filters_select_exactly_the_matching_conversations(
        self,
        client: httpx.AsyncClient,
        catalog: Catalog,
        params: dict[str, str],
        expected: list[str],
    ) -> None:
        found = await ids(client, catalog.project_id, catalog.owner, **params)

        assert catalog.names(found) == set(expected)

    @pytest.mark.parametrize(
        ("params", "excluded"),
        [
            ({"hasbot": "false"}, ["bot"]),
            ({"channel": "online"}, ["form", "email"]),
            ({"workingStatus[ne]": "pending"}, ["pending"]),
            ({"workingStatus[nin]": "pending,open"}, ["pending", "open_ws"]),
            ({"workingStatus[nin]": "open", "workingStatus[in]": "open"}, ["open_ws"]),
            ({"snap_department_default": "true"}, ["pooled", "bot"]),
            ({"snap_department_id_bot_exists": "false"}, ["bot"]),
            ({"draft": "false"}, ["draft"]),
            ({"smartAssignment": "true"}, ["form", "email"]),
        ],
    )
    async def test_filters_leave_out_exactly_the_others(
        self,
        client: httpx.AsyncClient,
        catalog: Catalog,
        params: dict[str, str],
        excluded: list[str],
    ) -> None:
        everything = await ids(client, catalog.project_id, catalog.owner)

        found = await ids(client, catalog.project_id, catalog.owner, **params)

        assert found == everything - catalog.of(*excluded)

    @pytest.mark.parametrize(
        "params",
        [
            {"abandoned": "true"},  # the misspelt "abandonded" is needed too (§5.4.2)
            {"abandonded": "1", "abandoned": "yes"},
            {"rated": "false"},
            {"draft": "true"},
            {"duration": "1", "duration_op": "between"},
            {"phone": "no digits"},
            {"ticket_id": ""},
            {"dept_id": ""},
        ],
    )
    async def test_flags_that_do_not_apply_filter_nothing(
        self, client: httpx.AsyncClient, catalog: Catalog, params: dict[str, str]
    ) -> None:
        everything = await ids(client, catalog.project_id, catalog.owner)

        assert await ids(client, catalog.project_id, catalog.owner, **params) == everything

    async def test_department_lead_and_ticket(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        pid, owner = catalog.project_id, catalog.owner

        assert await ids(client, pid, owner, dept_id=catalog.pooled_department) == catalog.of(
            "pooled"
        )
        assert await ids(client, pid, owner, dept_id="f" * 24) == set()
        assert await ids(client, pid, owner, lead=catalog.guest_lead_id) == catalog.of("phone")
        assert await ids(client, pid, owner, ticket_id=catalog.tickets["form"]) == catalog.of(
            "form"
        )
        assert await ids(client, pid, owner, ticket_id=99999) == set()

    async def test_snapshot_bot_and_lead_ids(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        pid, owner = catalog.project_id, catalog.owner

        assert await ids(client, pid, owner, snap_department_id_bot=catalog.bot_id) == catalog.of(
            "bot"
        )
        assert await ids(client, pid, owner, snap_department_id_bot="x") == set()
        assert await ids(client, pid, owner, snap_lead_lead_id=catalog.guest.id) == catalog.of(
            "phone"
        )
        assert await ids(client, pid, owner, snap_lead_lead_id="x") == set()

    async def test_participant_matches_agents_and_bots(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        pid, owner = catalog.project_id, catalog.owner

        second_agent = await ids(client, pid, owner, participant=catalog.agents[1].id)
        bot = await ids(client, pid, owner, participant=f"bot_{catalog.bot_id}")

        assert catalog.rid["basic"] in second_agent
        assert catalog.rid["bot"] not in second_agent
        assert bot == catalog.of("bot")

    async def test_duration_compares_minutes_with_closed_conversations(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        pid, owner = catalog.project_id, catalog.owner

        short = await ids(client, pid, owner, duration=1, duration_op="lt")
        long = await ids(client, pid, owner, duration=1, duration_op="gt")
        at_least_zero = await ids(client, pid, owner, duration=0, duration_op="gt")

        assert short == catalog.of("closed")
        assert long == set()
        assert at_least_zero == catalog.of("closed")

    async def test_location_cannot_filter_and_is_400(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        response = await client.get(
            f"/{catalog.project_id}/requests",
            params={"location": "Rome"},
            headers=catalog.owner.auth,
        )

        assert response.status_code == 400
        assert response.json()["success"] is False
        assert 'at path "location"' in response.json()["error"]

    async def test_full_text_finds_words_of_the_subject_and_tags(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        pid, owner = catalog.project_id, catalog.owner

        assert await ids(client, pid, owner, full_text="billing") == catalog.of("basic")
        assert await ids(client, pid, owner, full_text="vip", no_textscore="true") == catalog.of(
            "tagged"
        )
        assert await ids(client, pid, owner, full_text="nothinglikethis") == set()

    async def test_filters_combine(self, client: httpx.AsyncClient, catalog: Catalog) -> None:
        both = await ids(
            client, catalog.project_id, catalog.owner, channel="offline", priority="high"
        )

        assert both == catalog.of("form")


def _local(zone: str, shift: timedelta = timedelta()) -> datetime:
    return (datetime.now(UTC) + shift).astimezone(ZoneInfo(zone))


class TestDates:
    async def test_a_date_is_a_day_of_the_given_timezone(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        pid, owner = catalog.project_id, catalog.owner
        # The date of now east of UTC+14 starts, west of UTC-11, after now: only the time
        # zone decides whether today's conversations are in.
        today = _local("Pacific/Kiritimati").strftime("%d/%m/%Y")

        east = await ids(client, pid, owner, start_date=today, timezone="Pacific/Kiritimati")
        west = await ids(client, pid, owner, start_date=today, timezone="Pacific/Pago_Pago")

        assert east == await ids(client, pid, owner)
        assert west == set()

    async def test_an_end_date_includes_its_whole_day(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        pid, owner = catalog.project_id, catalog.owner
        rome = _local("Europe/Rome")
        today = rome.strftime("%d/%m/%Y")
        yesterday = (rome - timedelta(days=1)).strftime("%Y/%m/%d")

        through_today = await ids(client, pid, owner, start_date=today, end_date=today)
        through_yesterday = await ids(client, pid, owner, end_date=yesterday)

        assert through_today == await ids(client, pid, owner)
        assert through_yesterday == set()

    async def test_times_are_exact_and_europe_rome_by_default(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        pid, owner = catalog.project_id, catalog.owner
        everything = await ids(client, pid, owner)
        # Read as UTC instead of Rome time, ten minutes ago would be in the future.
        before = _local("Europe/Rome", timedelta(minutes=-10)).strftime("%d/%m/%Y %H:%M:%S")
        after = _local("Europe/Rome", timedelta(minutes=10)).strftime("%d/%m/%Y, %H:%M")

        since_before = await ids(client, pid, owner, start_date_time=before)
        since_after = await ids(client, pid, owner, start_date_time=after)
        until_before = await ids(client, pid, owner, end_date_time=before)
        until_after = await ids(client, pid, owner, start_date=before, end_date=after)

        assert since_before == everything
        assert since_after == set()
        assert until_before == set()
        assert until_after == everything

    async def test_the_range_applies_to_filter_range_field(
        self, client: httpx.AsyncClient, catalog: Catalog
    ) -> None:
        today = _local("Europe/Rome").strftime("%d/%m/%Y")

        closed_today = await ids(
            client,
            catalog.project_id,
            catalog.owner,
            start_date=today,
            filterRangeField="closed_at",
        )

        assert closed_today == catalog.of("closed")

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            (
                {"start_date": "31/02/2024"},
                "Unable to parse the date: 31/02/2024 with timezone: Europe/Rome",
            ),
            (
                {"end_date": "yesterday"},
                "Unable to parse the date: yesterday with timezone: Europe/Rome",
            ),
            ({"start_date": "01/01/2024 25:00"}, "Unable to parse the date: 01/01/2024 25:00"),
            ({"end_date": "31/12/9999"}, "Date out of range: 31/12/9999"),
            (
                {"start_date": "01/01/2024", "timezone": "Mars/Olympus"},
                "Invalid timezone: Mars/Olympus",
            ),
            ({"start_date": "01/01/2024", "timezone": "../../etc/passwd"}, "Invalid timezone"),
            (
                {"start_date": "01/01/2024", "filterRangeField": "rating"},
                "Invalid filterRangeField: rating",
            ),
        ],
    )
    async def test_a_bad_date_is_400(
        self,
        client: httpx.AsyncClient,
        catalog: Catalog,
        params: dict[str, str],
        message: str,
    ) -> None:
        response = await client.get(
            f"/{catalog.project_id}/requests", params=params, headers=catalog.owner.auth
        )

        assert response.status_code == 400
        body = response.json()
        assert body["success"] is False
        assert body["error"].startswith(message)


@dataclass
class Team:
    project_id: str
    owner: Person
    admin: Person
    supervisor: Person
    participant: Person  # an agent taking part
    candidate: Person  # an agent it was routed among, not taking part
    newcomer: Person  # an agent who joined afterwards
    reviewer: Person  # a custom role without permissions
    assigned: str
    to_supervisor: str
    to_reviewer: str

    @property
    def everything(self) -> set[str]:
        return {self.assigned, self.to_supervisor, self.to_reviewer}


@pytest.fixture(scope="module")
async def team(client: httpx.AsyncClient) -> Team:
    project_id, owner, (participant, candidate) = await project_with_agents(client, 2)
    admin, supervisor, reviewer = await signup(client), await signup(client), await signup(client)
    await add_member(client, project_id, owner, admin, "admin")
    await add_member(client, project_id, owner, supervisor, "supervisor")
    await add_member(client, project_id, owner, reviewer, "reviewer")
    assigned = await create_request(client, project_id, owner, participants=[participant.id])
    to_supervisor = await create_request(client, project_id, owner, participants=[supervisor.id])
    to_reviewer = await create_request(client, project_id, owner, participants=[reviewer.id])
    newcomer = await signup(client)
    await add_member(client, project_id, owner, newcomer, "agent")
    return Team(
        project_id=project_id,
        owner=owner,
        admin=admin,
        supervisor=supervisor,
        participant=participant,
        candidate=candidate,
        newcomer=newcomer,
        reviewer=reviewer,
        assigned=assigned["request_id"],
        to_supervisor=to_supervisor["request_id"],
        to_reviewer=to_reviewer["request_id"],
    )


class TestVisibility:
    @pytest.mark.parametrize("role", ["owner", "admin"])
    async def test_owners_and_admins_see_everything(
        self, client: httpx.AsyncClient, team: Team, role: str
    ) -> None:
        body = await listed(client, team.project_id, getattr(team, role))

        assert {r["request_id"] for r in body["requests"]} == team.everything
        assert body["count"] == 3

    async def test_an_agent_sees_what_it_takes_part_in_or_was_routed_among(
        self, client: httpx.AsyncClient, team: Team
    ) -> None:
        participant = await ids(client, team.project_id, team.participant)
        candidate = await ids(client, team.project_id, team.candidate)

        assert participant == team.everything
        assert candidate == team.everything

    async def test_an_agent_outside_both_sees_nothing(
        self, client: httpx.AsyncClient, team: Team
    ) -> None:
        body = await listed(client, team.project_id, team.newcomer)

        assert body["requests"] == []
        assert body["count"] == 0

    async def test_a_supervisor_sees_only_what_it_takes_part_in(
        self, client: httpx.AsyncClient, team: Team
    ) -> None:
        # Routed among like the agents, but §4.4 gives a supervisor only its own chats.
        assert await ids(client, team.project_id, team.supervisor) == {team.to_supervisor}

    async def test_a_custom_role_without_permissions_sees_only_its_own(
        self, client: httpx.AsyncClient, team: Team
    ) -> None:
        assert await ids(client, team.project_id, team.reviewer) == {team.to_reviewer}

    async def test_a_participant_filter_never_widens_visibility(
        self, client: httpx.AsyncClient, team: Team
    ) -> None:
        found = await ids(client, team.project_id, team.supervisor, participant=team.participant.id)

        assert found == set()

    async def test_the_csv_and_count_follow_their_own_rules(
        self, client: httpx.AsyncClient, team: Team
    ) -> None:
        csv = await client.get(f"/{team.project_id}/requests/csv", headers=team.newcomer.auth)
        count = await client.get(f"/{team.project_id}/requests/count", headers=team.newcomer.auth)

        assert csv.status_code == 200
        assert csv.text.count("\n") == 1  # the header only
        assert count.json() == {"unassigned": 0, "assigned": 3, "bot_assigned": 0}


class TestAccess:
    async def test_end_users_outsiders_and_other_projects_are_refused(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        await create_request(client, project_id, owner)
        guest = await make_guest(client, project_id)
        end_user = await make_end_user(
            client, project_id, await project_secret(client, project_id, owner)
        )
        outsider = await signup(client)
        stranger = await signup(client)
        await make_project(client, stranger)
        refused: dict[str, tuple[int, dict[str, Any]]] = {}

        for name, who in (
            ("guest", guest),
            ("end_user", end_user),
            ("outsider", outsider),
            ("stranger", stranger),
        ):
            for path in ("", "/count", "/csv"):
                response = await client.get(f"/{project_id}/requests{path}", headers=who.auth)
                refused[f"{name}{path}"] = (response.status_code, response.json())

        assert refused["guest"] == (
            403,
            {"success": False, "msg": "you dont have the required role."},
        )
        assert refused["end_user/csv"] == (
            403,
            {"success": False, "msg": "you dont have the required role."},
        )
        assert refused["outsider/count"] == (
            403,
            {"success": False, "msg": "you dont belong to the project."},
        )
        assert refused["stranger"] == (
            403,
            {"success": False, "msg": "you dont belong to the project."},
        )
        assert {status for status, _body in refused.values()} == {403}

    async def test_without_credentials_it_is_401(self, client: httpx.AsyncClient) -> None:
        owner = await signup(client)
        project_id = await make_project(client, owner)

        response = await client.get(f"/{project_id}/requests")

        assert response.status_code == 401
        assert response.text == "Unauthorized"


@pytest.fixture
def statements(app: FastAPI) -> Iterator[list[str]]:
    """The SQL statements the app runs while the test body runs."""
    seen: list[str] = []
    engine = app.state.db.engine

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)


class TestStatementCount:
    async def test_a_page_of_twenty_costs_what_a_page_of_two_does(
        self, client: httpx.AsyncClient, statements: list[str]
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        auth = owner.auth
        bot = await ok(await client.post(f"/{project_id}/faq_kb", json={"name": "B"}, headers=auth))
        other = await ok(
            await client.post(f"/{project_id}/departments", json={"name": "Other"}, headers=auth)
        )
        for turn in range(20):
            guest = await make_guest(client, project_id)
            await create_request(
                client,
                project_id,
                owner,
                sender=guest.id,
                departmentid=other["_id"] if turn % 2 else None,
                participants=[agent.id, f"bot_{bot['_id']}"],
            )

        statements.clear()
        small = await listed(client, project_id, owner, limit=2)
        small_cost = len(statements)
        statements.clear()
        large = await listed(client, project_id, owner, limit=20)
        large_cost = len(statements)

        assert len(small["requests"]) == 2
        assert len(large["requests"]) == 20
        assert len({r["lead"]["_id"] for r in large["requests"]}) == 20
        assert {r["department"]["name"] for r in large["requests"]} == {
            "Default Department",
            "Other",
        }
        assert all(r["participatingBots"][0]["_id"] == bot["_id"] for r in large["requests"])
        assert all(r["participatingAgents"][0]["_id"] == agent.id for r in large["requests"])
        assert all(r["requester"]["role"] == "guest" for r in large["requests"])
        assert large_cost == small_cost
