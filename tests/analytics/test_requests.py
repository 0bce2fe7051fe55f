"""Conversation analytics (§5.19) on a seeded project: every figure is written out by hand
from the six conversations below (dates are UTC days before today; ``r5`` is a preflight
conversation that no admin aggregate counts; another project's conversation never counts).

    name  created            waiting  duration  rating  status  bot    channel   dept   page
    r1    1 day  10:00       1000     60 s      5       1000    no     chat21    deflt  /a
    r2    1 day  11:30       3001     -         -       100     yes    telegram  deflt  -
    r3    3 days 23:30       -        120 s     3       1000    no     chat21    deflt  /a
    r6    2 days 08:00       5000     -         -       100     no     chat21    sales  -
    r4    40 days 12:00      10000    30 s      1       1000    yes    chat21    deflt  /b
    r5    1 day  09:00 (preflight) 99999  -     1

r1 and r3 have the agent as participant.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest

from tests.analytics.support import DAY, HOUR, MINUTE, day_of, get_json, midnight, now_ms, redate
from tests.conversations.support import create_request
from tests.factories import World, make_world


@dataclass
class Seeded:
    world: World
    created: dict[str, int]
    sales: str

    @property
    def project_id(self) -> str:
        return self.world.project_id


@pytest.fixture(scope="module")
async def seeded(client: httpx.AsyncClient, app: Any) -> Seeded:
    world = await make_world(client)
    db = app.state.db
    base = midnight(now_ms())
    sales = await client.post(
        f"/{world.project_id}/departments", json={"name": "Sales"}, headers=world.admin.auth
    )
    assert sales.status_code == 200, sales.text
    chat21, telegram = {"name": "chat21"}, {"name": "telegram"}
    rows: dict[str, dict[str, Any]] = {
        "r1": {"created_at": base - DAY + 10 * HOUR, "waiting_time": 1000, "duration": 60_000,
               "rating": 5, "status": 1000, "has_bot": False, "channel": chat21,
               "source_page": "https://shop.example/a"},
        "r2": {"created_at": base - DAY + 11 * HOUR + 30 * MINUTE, "waiting_time": 3001,
               "rating": None, "status": 100, "has_bot": True, "channel": telegram,
               "source_page": None},
        "r3": {"created_at": base - 3 * DAY + 23 * HOUR + 30 * MINUTE, "waiting_time": None,
               "duration": 120_000, "rating": 3, "status": 1000, "has_bot": False,
               "channel": chat21, "source_page": "https://shop.example/a"},
        "r6": {"created_at": base - 2 * DAY + 8 * HOUR, "waiting_time": 5000, "rating": None,
               "status": 100, "has_bot": False, "channel": chat21, "source_page": None,
               "department_id": sales.json()["_id"]},
        "r4": {"created_at": base - 40 * DAY + 12 * HOUR, "waiting_time": 10_000,
               "duration": 30_000, "rating": 1, "status": 1000, "has_bot": True,
               "channel": chat21, "source_page": "https://shop.example/b"},
        "r5": {"created_at": base - DAY + 9 * HOUR, "waiting_time": 99_999, "rating": 1,
               "status": 100, "has_bot": False, "channel": chat21, "preflight": True},
    }  # fmt: skip
    for name, values in rows.items():
        participants = [world.agent.id] if name in ("r1", "r3") else []
        made = await create_request(
            client, world.project_id, world.owner, participants=participants
        )
        duration = values.pop("duration", None)
        closed_at = values["created_at"] + duration if duration else None
        await redate(db, world.project_id, made["request_id"], closed_at=closed_at, **values)
    elsewhere = await create_request(client, world.other_project_id, world.stranger)
    await redate(
        db, world.other_project_id, elsewhere["request_id"], created_at=base - DAY + 10 * HOUR
    )
    return Seeded(
        world, {name: values["created_at"] for name, values in rows.items()}, sales.json()["_id"]
    )


async def read(client: httpx.AsyncClient, seeded: Seeded, path: str, **params: object) -> Any:
    return await get_json(
        client, f"/{seeded.project_id}/analytics{path}", seeded.world.admin.auth, **params
    )


def day(seeded: Seeded, name: str) -> date:
    return day_of(seeded.created[name])


def ymd(value: date) -> dict[str, int]:
    return {"year": value.year, "month": value.month, "day": value.day}


class TestCounts:
    async def test_the_last_30_days_without_preflight(
        self, client: httpx.AsyncClient, seeded: Seeded
    ) -> None:
        assert await read(client, seeded, "/requests/count") == [{"totalCount": 4}]

    async def test_aggregate_status_counts_the_same(
        self, client: httpx.AsyncClient, seeded: Seeded
    ) -> None:
        # Tiledesk never implemented the status split: the route counts like /requests/count.
        assert await read(client, seeded, "/requests/aggregate/status") == [{"totalCount": 4}]

    async def test_conversations_with_a_bot(
        self, client: httpx.AsyncClient, seeded: Seeded
    ) -> None:
        assert await read(client, seeded, "/requests/hasBot/count") == [{"totalCount": 1}]

    async def test_nothing_counted_is_an_empty_list(
        self, client: httpx.AsyncClient, seeded: Seeded
    ) -> None:
        world = seeded.world
        response = await client.get(
            f"/{world.other_project_id}/analytics/requests/hasBot/count",
            headers=world.stranger.auth,
        )

        assert response.status_code == 200
        assert response.json() == []


class TestByDay:
    async def test_last_seven_days_oldest_first(
        self, client: httpx.AsyncClient, seeded: Seeded
    ) -> None:
        assert await read(client, seeded, "/requests/aggregate/day") == [
            {"_id": ymd(day(seeded, "r3")), "count": 1},
            {"_id": ymd(day(seeded, "r6")), "count": 1},
            {"_id": ymd(day(seeded, "r1")), "count": 2},
        ]

    @pytest.mark.parametrize(
        ("params", "expected"),
        [({"participant": "agent"}, {"r3": 1, "r1": 1}),
         ({"channel": "telegram"}, {"r2": 1}),
         ({"department_id": "sales"}, {"r6": 1}),
         # 1.62 days back from any time of today: both conversations of yesterday, not r6.
         ({"lastdays": "1.62"}, {"r1": 2}),
         ({"lastdays": "60", "department_id": "", "participant": ""},
          {"r4": 1, "r3": 1, "r6": 1, "r1": 2})],
    )  # fmt: skip
    async def test_filters(
        self,
        client: httpx.AsyncClient,
        seeded: Seeded,
        params: dict[str, str],
        expected: dict[str, int],
    ) -> None:
        values = {"agent": seeded.world.agent.id, "sales": seeded.sales}
        query = {key: values.get(value, value) for key, value in params.items()}

        found = await read(client, seeded, "/requests/aggregate/day", **query)

        assert found == [
            {"_id": ymd(day(seeded, name)), "count": count} for name, count in expected.items()
        ]

    async def test_days_of_a_timezone(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        # +05:30: r3 (23:30 UTC) moves to the next day, with r6.
        found = await read(client, seeded, "/requests/aggregate/day", timezone="Asia/Kolkata")

        assert found == [
            {"_id": ymd(day(seeded, "r6")), "count": 2},
            {"_id": ymd(day(seeded, "r1")), "count": 2},
        ]
        assert found == await read(client, seeded, "/requests/aggregate/day", timezone="+05:30")

    async def test_by_status(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        assert await read(client, seeded, "/requests/aggregate/status/day") == [
            {"_id": {**ymd(day(seeded, "r3")), "status": 1000}, "count": 1},
            {"_id": {**ymd(day(seeded, "r6")), "status": 100}, "count": 1},
            {"_id": {**ymd(day(seeded, "r1")), "status": 100}, "count": 1},
            {"_id": {**ymd(day(seeded, "r1")), "status": 1000}, "count": 1},
        ]

    async def test_bot_or_human(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        expected = [
            {"_id": {**ymd(day(seeded, "r3")), "hasBot": False}, "count": 1},
            {"_id": {**ymd(day(seeded, "r6")), "hasBot": False}, "count": 1},
            {"_id": {**ymd(day(seeded, "r1")), "hasBot": False}, "count": 1},
            {"_id": {**ymd(day(seeded, "r1")), "hasBot": True}, "count": 1},
        ]

        assert await read(client, seeded, "/requests/aggregate/hasBot/day") == expected
        # Tiledesk's route does not read ``participant`` (the dashboard sends it anyway).
        agent = seeded.world.agent.id
        assert (
            await read(client, seeded, "/requests/aggregate/hasBot/day", participant=agent)
            == expected
        )


def counted(pairs: list[tuple[tuple[int, ...], int]]) -> dict[tuple[int, ...], int]:
    totals: dict[tuple[int, ...], int] = defaultdict(int)
    for key, value in pairs:
        totals[key] += value
    return totals


class TestAllTime:
    async def test_months(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        months = counted(
            [
                ((day(seeded, n).year, day(seeded, n).month), 1)
                for n in ("r1", "r2", "r3", "r4", "r6")
            ]
        )

        assert await read(client, seeded, "/requests/aggregate/month") == [
            {"_id": {"year": year, "month": month}, "count": count}
            for (year, month), count in sorted(months.items())
        ]
        sales = await read(client, seeded, "/requests/aggregate/month", department_id=seeded.sales)
        r6 = day(seeded, "r6")
        assert sales == [{"_id": {"year": r6.year, "month": r6.month}, "count": 1}]

    async def test_weeks(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        weeks = counted(
            [((d.year, d.month, int(d.strftime("%U"))), 1)
             for d in (day(seeded, n) for n in ("r1", "r2", "r3", "r4", "r6"))]
        )  # fmt: skip

        assert await read(client, seeded, "/requests/aggregate/week") == [
            {"_id": {"year": year, "month": month, "week": week}, "count": count}
            for (year, month, week), count in sorted(weeks.items())
        ]


class TestHours:
    async def test_hours_of_the_day_latest_first(
        self, client: httpx.AsyncClient, seeded: Seeded
    ) -> None:
        assert await read(client, seeded, "/requests/aggregate/hours") == [
            {"_id": {"hour": hour}, "count": 1} for hour in (23, 11, 10, 8)
        ]

    async def test_hours_of_a_timezone(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        # r1 10:00 -> 15:30, r2 11:30 -> 17:00, r3 23:30 -> 05:00, r6 08:00 -> 13:30.
        assert await read(client, seeded, "/requests/aggregate/hours", timezone="+05:30") == [
            {"_id": {"hour": hour}, "count": 1} for hour in (17, 15, 13, 5)
        ]

    async def test_heat_map(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        def weekday(name: str, shift_days: int = 0) -> int:
            return (day(seeded, name).toordinal() + shift_days) % 7 + 1  # 1 = Sunday

        assert await read(client, seeded, "/requests/aggregate/dayoftheweek/hours") == [
            {"_id": {"hour": 23, "weekday": weekday("r3")}, "count": 1},
            {"_id": {"hour": 11, "weekday": weekday("r2")}, "count": 1},
            {"_id": {"hour": 10, "weekday": weekday("r1")}, "count": 1},
            {"_id": {"hour": 8, "weekday": weekday("r6")}, "count": 1},
        ]
        local = await read(
            client, seeded, "/requests/aggregate/dayoftheweek/hours", timezone="Asia/Kolkata"
        )
        assert local == [
            {"_id": {"hour": 17, "weekday": weekday("r2")}, "count": 1},
            {"_id": {"hour": 15, "weekday": weekday("r1")}, "count": 1},
            {"_id": {"hour": 13, "weekday": weekday("r6")}, "count": 1},
            {"_id": {"hour": 5, "weekday": weekday("r3", 1)}, "count": 1},
        ]


class TestAverages:
    async def test_waiting(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        pid = seeded.project_id

        assert await read(client, seeded, "/requests/waiting") == [
            {"_id": pid, "waiting_time_avg": (1000 + 3001 + 5000) / 3}
        ]
        last = str(int(1.62 * 86_400))
        assert await read(client, seeded, "/requests/waiting", last=last) == [
            {"_id": pid, "waiting_time_avg": 2000.5}
        ]

    async def test_waiting_by_day_sorts_on_the_day_of_the_month(
        self, client: httpx.AsyncClient, seeded: Seeded
    ) -> None:
        averages = {"r1": 2000.5, "r6": 5000, "r3": None}
        expected = [
            {"_id": {"day": d.day, "month": d.month, "year": d.year}, "waiting_time_avg": value}
            for d, value in ((day(seeded, name), value) for name, value in averages.items())
        ]
        expected.sort(key=lambda g: (g["_id"]["day"], g["_id"]["month"], g["_id"]["year"]))

        assert await read(client, seeded, "/requests/waiting/day") == expected[::-1]

    async def test_waiting_by_month(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        values = {"r1": 1000, "r2": 3001, "r3": None, "r4": 10_000, "r6": 5000}
        assert await read(client, seeded, "/requests/waiting/month") == by_month(
            seeded, values, "waiting_time_avg"
        )

    async def test_duration(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        assert await read(client, seeded, "/requests/duration") == [
            {"_id": seeded.project_id, "duration_avg": 90_000}
        ]
        by_day = await read(client, seeded, "/requests/duration/day")
        assert {tuple(g["_id"].values()): g["duration_avg"] for g in by_day} == {
            tuple(reversed(ymd(day(seeded, "r1")).values())): 60_000,
            tuple(reversed(ymd(day(seeded, "r6")).values())): None,
            tuple(reversed(ymd(day(seeded, "r3")).values())): 120_000,
        }
        # Tiledesk's month view of durations only covers the last 30 days (r4 left out).
        values = {"r1": 60_000, "r2": None, "r3": 120_000, "r6": None}
        assert await read(client, seeded, "/requests/duration/month") == by_month(
            seeded, values, "duration_avg"
        )

    async def test_satisfaction(self, client: httpx.AsyncClient, seeded: Seeded) -> None:
        assert await read(client, seeded, "/requests/satisfaction") == [
            {"_id": seeded.project_id, "satisfaction_avg": 3}
        ]
        by_day = await read(
            client, seeded, "/requests/satisfaction/day", participant=seeded.world.agent.id
        )
        assert {tuple(g["_id"].values()): g["satisfaction_avg"] for g in by_day} == {
            tuple(reversed(ymd(day(seeded, "r1")).values())): 5,
            tuple(reversed(ymd(day(seeded, "r3")).values())): 3,
        }
        values = {"r1": 5, "r2": None, "r3": 3, "r4": 1, "r6": None}
        assert await read(client, seeded, "/requests/satisfaction/month") == by_month(
            seeded, values, "satisfaction_avg"
        )


def by_month(seeded: Seeded, values: dict[str, int | None], name: str) -> list[dict[str, Any]]:
    """Average per (month, year), newest month number first, as Tiledesk sorts them."""
    months: dict[tuple[int, int], list[int]] = defaultdict(list)
    for row, value in values.items():
        d = day(seeded, row)
        months[(d.month, d.year)] += [value] if value is not None else []
    return [
        {"_id": {"month": month, "year": year},
         name: sum(found) / len(found) if found else None}
        for (month, year), found in sorted(months.items(), reverse=True)
    ]  # fmt: skip


async def test_source_pages(client: httpx.AsyncClient, seeded: Seeded) -> None:
    assert await read(client, seeded, "/requests/aggregate/sourcePage") == [
        {"_id": {}, "count": 2},
        {"_id": {"sourcePage": "https://shop.example/a"}, "count": 2},
    ]
    assert await read(client, seeded, "/requests/aggregate/sourcePage", lastdays="60") == [
        {"_id": {}, "count": 2},
        {"_id": {"sourcePage": "https://shop.example/a"}, "count": 2},
        {"_id": {"sourcePage": "https://shop.example/b"}, "count": 1},
    ]
