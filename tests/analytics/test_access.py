"""Who may read analytics (admins of the project only) and which inputs are refused."""

import httpx
import pytest

from tests.factories import World, make_world
from tests.project_users.support import ADMIN_ROUTE_ACCESS, assert_access, headers_of

ROUTES = [
    "/requests/count",
    "/requests/aggregate/status",
    "/requests/aggregate/day",
    "/requests/aggregate/status/day",
    "/requests/aggregate/month",
    "/requests/aggregate/week",
    "/requests/aggregate/hours",
    "/requests/aggregate/dayoftheweek/hours",
    "/requests/waiting",
    "/requests/waiting/day/last",
    "/requests/waiting/day",
    "/requests/waiting/month",
    "/requests/duration",
    "/requests/duration/day",
    "/requests/duration/month",
    "/requests/satisfaction",
    "/requests/satisfaction/day",
    "/requests/satisfaction/month",
    "/requests/hasBot/count",
    "/requests/aggregate/hasBot/day",
    "/requests/aggregate/sourcePage",
    "/requests/aggregate/attributes/_answerid",
    "/project_users/count",
    "/project_users/aggregate/day",
    "/project_users/aggregate/month",
    "/project_users/aggregate/week",
    "/messages/count",
    "/messages/aggregate/day",
    "/messages/aggregate/month",
    "/messages/aggregate/week",
    "/messages/aggregate/sender",
    "/events/aggregate/day",
    "/tags/conversation-tag",
]


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


def test_every_route_of_the_fact_sheet_is_listed() -> None:
    assert len(ROUTES) == 33  # §13: analytics (33) + public analytics (1)


@pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
async def test_admins_only(
    client: httpx.AsyncClient, world: World, who: str, expected: str
) -> None:
    for route in ROUTES:
        response = await client.get(
            f"/{world.project_id}/analytics{route}", headers=headers_of(world, who)
        )

        assert_access(response, expected)


async def test_bots_are_refused(client: httpx.AsyncClient, world: World) -> None:
    bot = await client.post(
        f"/{world.project_id}/faq_kb", json={"name": "Counter"}, headers=world.admin.auth
    )
    token = await client.get(
        f"/{world.project_id}/faq_kb/{bot.json()['_id']}/jwt", headers=world.admin.auth
    )
    auth = {"Authorization": "JWT " + token.json()["jwt"]}

    for route in ROUTES:
        response = await client.get(f"/{world.project_id}/analytics{route}", headers=auth)

        assert response.status_code == 403, route


async def test_the_owner_of_another_project_reads_only_their_own(
    client: httpx.AsyncClient, world: World
) -> None:
    mine = await client.get(
        f"/{world.other_project_id}/analytics/requests/count", headers=world.stranger.auth
    )
    theirs = await client.get(
        f"/{world.other_project_id}/analytics/requests/count", headers=world.owner.auth
    )

    assert mine.status_code == 200
    assert theirs.status_code == 403
    assert theirs.json() == {"success": False, "msg": "you dont belong to the project."}


@pytest.mark.parametrize(
    ("route", "param", "value"),
    [("/requests/aggregate/day", "lastdays", "abc"),
     ("/requests/aggregate/day", "lastdays", "Infinity"),
     ("/messages/aggregate/day", "lastdays", "7days"),
     ("/requests/waiting", "last", "soon"),
     ("/requests/aggregate/day", "department_id", "sales"),
     ("/requests/aggregate/month", "department_id", "0123456789abcdef0123456z"),
     ("/requests/aggregate/hours", "timezone", "Mars/Olympus"),
     ("/requests/aggregate/dayoftheweek/hours", "timezone", "+99:00"),
     ("/events/aggregate/day", "timezone", "../../etc/passwd"),
     ("/tags/conversation-tag", "timezone", "Nowhere")],
)  # fmt: skip
async def test_bad_parameters_are_422(
    client: httpx.AsyncClient, world: World, route: str, param: str, value: str
) -> None:
    response = await client.get(
        f"/{world.project_id}/analytics{route}", params={param: value}, headers=world.admin.auth
    )

    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["param"], error["location"], error["value"]) == (param, "query", value)
    assert error["msg"] == "Invalid value"
