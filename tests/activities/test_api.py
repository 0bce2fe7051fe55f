"""``GET /:pid/activities`` and ``/csv`` (fact sheet §5.18): who may read, paging, filters."""

import csv
import io
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.conversations.support import create_request
from tests.factories import Person, World, make_world


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """The invitations of ``make_world`` are its first activities; then three conversations,
    one of them assigned to the agent and closed by the admin. Shared by the module, whose
    tests only read the log."""
    made = await make_world(client)
    for _ in range(2):
        await create_request(client, made.project_id, made.owner, participants=[])
    request = await create_request(
        client, made.project_id, made.owner, participants=[made.agent.id]
    )
    await client.put(
        f"/{made.project_id}/requests/{request['request_id']}/close",
        json={},
        headers=made.admin.auth,
    )
    return made


async def read(
    client: httpx.AsyncClient, world: World, path: str = "", **params: object
) -> httpx.Response:
    return await client.get(
        f"/{world.project_id}/activities{path}", params=params, headers=world.owner.auth
    )


async def listed(client: httpx.AsyncClient, world: World, **params: object) -> dict[str, Any]:
    response = await read(client, world, **params)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def day(offset: int = 0) -> str:
    return (datetime.now(UTC) + timedelta(days=offset)).strftime("%d/%m/%Y")


class TestList:
    async def test_is_wrapped_newest_first(self, client: httpx.AsyncClient, world: World) -> None:
        body = await listed(client, world)

        assert body["perPage"] == 40
        # Three invitations, three creations, an assignment and a close.
        assert body["count"] == 8
        assert [a["verb"] for a in body["activities"]][:2] == [
            "REQUEST_CLOSE",
            "REQUEST_ASSIGNED_AUTO",
        ]
        assert [a["verb"] for a in body["activities"]][-1] == "PROJECT_USER_INVITE"
        assert "chart" not in body
        assert "limitWarning" not in body
        assert all(activity["message"] for activity in body["activities"])

    async def test_pages(self, client: httpx.AsyncClient, world: World) -> None:
        everything = (await listed(client, world))["activities"]

        first = await listed(client, world, limit=3)
        third = await listed(client, world, limit=3, page=2)

        assert (first["perPage"], first["count"]) == (3, 8)
        assert first["activities"] == everything[:3]
        assert third["activities"] == everything[6:]

    @pytest.mark.parametrize(
        ("params", "per_page"),
        [({"limit": "500"}, 100), ({"limit": "abc"}, 40), ({"limit": "0"}, 40),
         ({"limit": "-5"}, 40), ({"limit": "500", "chart": "true"}, 500)],
    )  # fmt: skip
    async def test_limits(
        self, client: httpx.AsyncClient, world: World, params: dict[str, str], per_page: int
    ) -> None:
        body = await listed(client, world, **params)

        assert body["perPage"] == per_page
        assert len(body["activities"]) == 8

    async def test_the_chart_view_stops_at_a_thousand_and_says_so(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = await listed(client, world, chart="true", limit=5000)

        assert body["perPage"] == 1000
        assert body["chart"] is True
        assert body["limitWarning"] == (
            "Limit exceeded the maximum allowed value of 1000. "
            "Only the first 1000 matching activities are returned."
        )

    async def test_filters_by_verbs(self, client: httpx.AsyncClient, world: World) -> None:
        body = await listed(client, world, activities="REQUEST_CLOSE,PROJECT_USER_INVITE")

        assert body["count"] == 4
        assert {a["verb"] for a in body["activities"]} == {"REQUEST_CLOSE", "PROJECT_USER_INVITE"}

    async def test_filters_by_a_user_involved(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        agents = await listed(client, world, agent_id=world.agent.id)
        admins = await listed(client, world, agent_id=world.admin.id)
        nobodys = await listed(client, world, agent_id="0123456789abcdef01234567")

        # The agent: invited, then a participant of the conversation created, assigned
        # and closed.
        assert sorted(a["verb"] for a in agents["activities"]) == [
            "PROJECT_USER_INVITE",
            "REQUEST_ASSIGNED_AUTO",
            "REQUEST_CLOSE",
            "REQUEST_CREATE",
        ]
        # The admin: invited, and closed a conversation.
        assert sorted(a["verb"] for a in admins["activities"]) == [
            "PROJECT_USER_INVITE",
            "REQUEST_CLOSE",
        ]
        assert nobodys["count"] == 0

    async def test_filters_by_days(self, client: httpx.AsyncClient, world: World) -> None:
        today = await listed(client, world, start_date=day(), end_date=day())
        since_yesterday = await listed(client, world, start_date=day(-1))
        tomorrow = await listed(client, world, start_date=day(1), end_date=day(1))
        end_only = await listed(client, world, end_date=day(-10))

        assert today["count"] == 8
        assert since_yesterday["count"] == 8
        assert tomorrow["count"] == 0
        assert end_only["count"] == 8  # as in Tiledesk, an end without a start is ignored

    @pytest.mark.parametrize(
        "params",
        [{"start_date": "2026-01-01"}, {"start_date": "31/02/2026"},
         {"start_date": day(), "end_date": "tomorrow"}, {"direction": "sideways"},
         {"page": "x"}],
    )  # fmt: skip
    async def test_bad_query_values_are_422(
        self, client: httpx.AsyncClient, world: World, params: dict[str, str]
    ) -> None:
        response = await read(client, world, **params)

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert error["location"] == "query"
        assert error["param"] in params

    async def test_sorts(self, client: httpx.AsyncClient, world: World) -> None:
        by_verb = await listed(client, world, sort="verb", direction="1")
        oldest_first = await listed(client, world, direction="1")

        verbs = [a["verb"] for a in by_verb["activities"]]
        assert verbs == sorted(verbs)
        assert oldest_first["activities"][0]["verb"] == "PROJECT_USER_INVITE"
        assert oldest_first["activities"][-1]["verb"] == "REQUEST_CLOSE"


class TestCsv:
    async def test_one_row_per_activity_with_tiledesks_columns(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await read(client, world, "/csv", activities="PROJECT_USER_INVITE")

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.text), delimiter=";"))
        assert len(rows) == 3
        agent = next(row for row in rows if row["target_user_id"] == world.agent.id)
        assert agent["verb"] == "PROJECT_USER_INVITE"
        assert agent["actor_id"] == world.owner.id
        assert agent["actor_name"] == "Olivia Owner"
        assert agent["actor_type"] == "user"
        assert agent["target_type"] == "project_user"
        assert agent["target_user_fullname"] == "Agent Member"
        assert agent["actionObj_email"] == world.agent.email
        assert agent["actionObj_role"] == "agent"
        assert agent["target_role"] == "agent"
        assert agent["project_id"] == world.project_id
        assert agent["message"] == (
            f"Olivia Owner invited Agent Member ({world.agent.email}) to take on the role of agent"
        )

    async def test_has_the_filters_of_the_list(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await read(client, world, "/csv", agent_id=world.admin.id, direction="1")
        tomorrow = await read(client, world, "/csv", start_date=day(1))

        rows = list(csv.DictReader(io.StringIO(response.text), delimiter=";"))
        assert [row["verb"] for row in rows] == ["PROJECT_USER_INVITE", "REQUEST_CLOSE"]
        assert tomorrow.text.splitlines()[0].startswith("message;activity_id;createdAt")
        assert len(tomorrow.text.splitlines()) == 1

    async def test_a_bad_date_is_422(self, client: httpx.AsyncClient, world: World) -> None:
        response = await read(client, world, "/csv", start_date="yesterday")

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "start_date"


@pytest.mark.parametrize(
    ("who", "expected"),
    [("admin", 200), ("owner", 200), ("supervisor", 403), ("agent", 403), ("outsider", 403),
     ("stranger", 403)],
)  # fmt: skip
async def test_only_admins_read_the_log(
    client: httpx.AsyncClient, world: World, who: str, expected: int
) -> None:
    person: Person = world.person(who)

    many = await client.get(f"/{world.project_id}/activities", headers=person.auth)
    export = await client.get(f"/{world.project_id}/activities/csv", headers=person.auth)

    assert (many.status_code, export.status_code) == (expected, expected)
    if expected == 200:
        assert many.json()["count"] == 8


async def test_visitors_and_bots_cannot_read_the_log(
    client: httpx.AsyncClient, world: World
) -> None:
    bot = await client.post(
        f"/{world.project_id}/faq_kb", json={"name": "Auditor"}, headers=world.admin.auth
    )
    token = await client.get(
        f"/{world.project_id}/faq_kb/{bot.json()['_id']}/jwt", headers=world.admin.auth
    )
    bot_auth = {"Authorization": "JWT " + token.json()["jwt"]}

    for auth in (world.guest.auth, world.end_user.auth, bot_auth):
        response = await client.get(f"/{world.project_id}/activities", headers=auth)

        assert response.status_code == 403


async def test_without_credentials_is_401(client: httpx.AsyncClient, world: World) -> None:
    response = await client.get(f"/{world.project_id}/activities")

    assert response.status_code == 401
