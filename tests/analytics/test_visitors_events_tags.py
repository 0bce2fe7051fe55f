"""Visitor, custom event and tag analytics (§5.19), and the widget's public waiting time."""

from collections import Counter
from typing import Any

import httpx
import pytest

from tessera.core.db import Tx
from tessera.project_users import repository as memberships
from tests.analytics.support import (
    DAY,
    HOUR,
    MINUTE,
    day_of,
    get_json,
    midnight,
    now_ms,
    redate,
    redate_membership,
    ymd,
)
from tests.conversations.support import create_request
from tests.factories import World, make_guest, make_world


async def membership_id(app: Any, project_id: str, visitor_id: str) -> str:
    def find(tx: Tx) -> str:
        found = memberships.find_active(tx, project_id, "uuid_user", visitor_id)
        assert found is not None
        return str(found.id)

    found: str = await app.state.db.read(find)
    return found


@pytest.fixture(scope="module")
async def visitors(client: httpx.AsyncClient, app: Any) -> tuple[World, list[int]]:
    world = await make_world(client)
    pid, base = world.project_id, midnight(now_ms())
    arrivals = [base - 3 * DAY + HOUR, base - 45 * DAY + HOUR, base - 2 * DAY + HOUR]
    for index, at in enumerate(arrivals):
        guest = await make_guest(client, pid)
        found = await membership_id(app, pid, guest.id)
        await redate_membership(app.state.db, pid, found, at)
        if index == 2:
            await app.state.db.write(memberships.update_fields, pid, found, {"status": "disabled"})
    today = now_ms()
    return world, [today, today, *arrivals[:2]]


class TestVisitors:
    """The world's guest and end user arrived today; three more guests arrived 3 days, 45
    days and (disabled since) 2 days ago. Teammates are never visitors."""

    async def read(
        self, client: httpx.AsyncClient, world: World, path: str, **params: object
    ) -> Any:
        return await get_json(
            client, f"/{world.project_id}/analytics{path}", world.admin.auth, **params
        )

    async def test_count(
        self, client: httpx.AsyncClient, visitors: tuple[World, list[int]]
    ) -> None:
        world, _ = visitors
        assert await self.read(client, world, "/project_users/count") == [{"totalCount": 3}]

    async def test_by_day(
        self, client: httpx.AsyncClient, visitors: tuple[World, list[int]]
    ) -> None:
        world, arrived = visitors
        assert await self.read(client, world, "/project_users/aggregate/day") == [
            {"_id": ymd(arrived[2]), "count": 1},
            {"_id": ymd(arrived[0]), "count": 2},
        ]

    async def test_by_month_and_week(
        self, client: httpx.AsyncClient, visitors: tuple[World, list[int]]
    ) -> None:
        world, arrived = visitors
        days = [day_of(at) for at in arrived]
        months = Counter((d.year, d.month) for d in days)
        weeks = Counter((d.year, d.month, int(d.strftime("%U"))) for d in days)

        assert await self.read(client, world, "/project_users/aggregate/month") == [
            {"_id": {"year": y, "month": m}, "count": n} for (y, m), n in sorted(months.items())
        ]
        assert await self.read(client, world, "/project_users/aggregate/week") == [
            {"_id": {"year": y, "month": m, "week": w}, "count": n}
            for (y, m, w), n in sorted(weeks.items())
        ]


async def test_events_by_day_and_name(client: httpx.AsyncClient) -> None:
    world = await make_world(client)
    created = []
    for name in ("new_conversation", "typing.start", "logged_in", "new_conversation"):
        response = await client.post(
            f"/{world.project_id}/events", json={"name": name}, headers=world.guest.auth
        )
        assert response.status_code == 200, response.text
        created.append(response.json()["createdAt"])
    today = {
        "year": int(created[0][:4]),
        "month": int(created[0][5:7]),
        "day": int(created[0][8:10]),
    }
    path = f"/{world.project_id}/analytics/events/aggregate/day"

    assert await get_json(client, path, world.admin.auth) == [
        {"_id": {**today, "name": "logged_in"}, "count": 1},
        {"_id": {**today, "name": "new_conversation"}, "count": 2},
    ]
    assert await get_json(client, path, world.admin.auth, name="typing.start") == [
        {"_id": {**today, "name": "typing.start"}, "count": 1}
    ]


@pytest.fixture(scope="module")
async def tagged(client: httpx.AsyncClient, app: Any) -> tuple[World, dict[str, int]]:
    world = await make_world(client)
    base = midnight(now_ms())
    plan = {
        "two_days": (base - 2 * DAY + 10 * HOUR, ["vip", "billing"]),
        "yesterday": (base - DAY + 30 * MINUTE, ["vip"]),
        "old": (base - 20 * DAY + 10 * HOUR, ["old"]),
    }
    for at, tags in plan.values():
        made = await create_request(client, world.project_id, world.owner)
        response = await client.put(
            f"/{world.project_id}/requests/{made['request_id']}/tag",
            json=[{"tag": tag, "color": "#f00"} for tag in tags],
            headers=world.agent.auth,
        )
        assert response.status_code == 200, response.text
        await redate(app.state.db, world.project_id, made["request_id"], created_at=at)
    return world, {name: at for name, (at, _) in plan.items()}


class TestTags:
    """Conversations tagged ``vip`` and ``billing`` (2 days ago), ``vip`` (yesterday) and
    ``old`` (20 days ago)."""

    async def chart(
        self,
        client: httpx.AsyncClient,
        world: World,
        kind: str = "conversation-tag",
        **params: object,
    ) -> httpx.Response:
        return await client.get(
            f"/{world.project_id}/analytics/tags/{kind}", params=params, headers=world.admin.auth
        )

    async def test_last_seven_days(
        self, client: httpx.AsyncClient, tagged: tuple[World, dict[str, int]]
    ) -> None:
        world, at = tagged

        response = await self.chart(client, world)

        assert response.status_code == 200
        assert response.json() == {
            "dates": [day_of(at["two_days"]).strftime("%d/%m/%Y"),
                      day_of(at["yesterday"]).strftime("%d/%m/%Y")],
            "series": [{"name": "billing", "values": [1, 0]}, {"name": "vip", "values": [1, 1]}],
        }  # fmt: skip

    async def test_dates_as_the_dashboard_sends_them(
        self, client: httpx.AsyncClient, tagged: tuple[World, dict[str, int]]
    ) -> None:
        world, at = tagged
        old = day_of(at["old"])

        response = await self.chart(
            client, world, start_date=old.strftime("%m/%d/%Y"), end_date=old.strftime("%m/%d/%Y")
        )

        assert response.json() == {
            "dates": [old.strftime("%d/%m/%Y")],
            "series": [{"name": "old", "values": [1]}],
        }

    async def test_other_types_have_no_data(
        self, client: httpx.AsyncClient, tagged: tuple[World, dict[str, int]]
    ) -> None:
        response = await self.chart(client, tagged[0], kind="lead-tag")

        assert response.status_code == 200
        assert response.json() == {"dates": [], "series": []}

    @pytest.mark.parametrize(
        ("params", "error"),
        [({"start_date": "2024-05-02", "end_date": "2024-05-01"},
          "Invalid dates: start_date can't be greater of end_date"),
         ({"start_date": "yesterday"}, "Invalid date: start_date"),
         ({"end_date": "13/45/2024"}, "Invalid date: end_date")],
    )  # fmt: skip
    async def test_bad_dates(
        self,
        client: httpx.AsyncClient,
        tagged: tuple[World, dict[str, int]],
        params: dict[str, str],
        error: str,
    ) -> None:
        response = await self.chart(client, tagged[0], **params)

        assert response.status_code == 400
        assert response.json() == {"success": False, "error": error}


@pytest.fixture(scope="module")
async def recent(client: httpx.AsyncClient, app: Any) -> World:
    world = await make_world(client)
    now = now_ms()
    plan = [(HOUR, 2000, True), (3 * HOUR, 4000, False), (5 * HOUR, 8000, False),
            (30 * HOUR, 100, False)]  # fmt: skip
    for ago, waiting, preflight in plan:
        made = await create_request(client, world.project_id, world.owner)
        await redate(
            app.state.db, world.project_id, made["request_id"],
            created_at=now - ago, waiting_time=waiting, preflight=preflight,
        )  # fmt: skip
    return world


class TestPublicWaiting:
    """The widget's typical reply time: conversations of the last four hours, preflight ones
    included. Waits: 2000 (1 h ago, preflight), 4000 (3 h), 8000 (5 h), 100 (30 h)."""

    async def test_needs_no_credentials(self, client: httpx.AsyncClient, recent: World) -> None:
        response = await client.get(f"/{recent.project_id}/publicanalytics/waiting/current")

        assert response.status_code == 200
        assert response.json() == [{"_id": recent.project_id, "waiting_time_avg": 3000}]

    async def test_admin_windows_leave_preflight_out(
        self, client: httpx.AsyncClient, recent: World
    ) -> None:
        base = f"/{recent.project_id}/analytics/requests"

        assert await get_json(client, f"{base}/waiting/day/last", recent.admin.auth) == [
            {"_id": recent.project_id, "waiting_time_avg": 6000}
        ]
        assert await get_json(client, f"{base}/waiting", recent.admin.auth, last="14400") == [
            {"_id": recent.project_id, "waiting_time_avg": 4000}
        ]

    async def test_a_quiet_project_has_no_figure(
        self, client: httpx.AsyncClient, recent: World
    ) -> None:
        response = await client.get(f"/{recent.other_project_id}/publicanalytics/waiting/current")

        assert response.status_code == 200
        assert response.json() == []

    @pytest.mark.parametrize(
        ("project_id", "body"),
        [("nope", {"error": "Invalid project id: nope"}),
         ("0123456789abcdef01234567",
          {"error": "Project not found with id: 0123456789abcdef01234567"})],
    )  # fmt: skip
    async def test_unknown_projects(
        self, client: httpx.AsyncClient, project_id: str, body: dict[str, str]
    ) -> None:
        response = await client.get(f"/{project_id}/publicanalytics/waiting/current")

        assert response.status_code == 400
        assert response.json() == body
