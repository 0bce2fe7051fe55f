"""Message analytics (§5.19) on four messages stored on known days (UTC):

m1  1 day  10:00  agent   -> conversation A  chat21    _answerid ans1
m2  1 day  10:05  visitor -> conversation A  telegram  -
m3  3 days 23:30  agent   -> conversation B  chat21    _answerid ans1
m4  40 days 12:00 bot_x   -> conversation B  chat21    _answerid ans2
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.analytics.support import (
    DAY,
    HOUR,
    MINUTE,
    day_of,
    get_json,
    message_at,
    midnight,
    now_ms,
)
from tests.analytics.support import ymd as ymd_of
from tests.factories import World, make_world


@dataclass
class Chat:
    world: World
    at: dict[str, int]
    visitor: str
    conversation: str


@pytest.fixture(scope="module")
async def chat(client: httpx.AsyncClient, app: Any) -> Chat:
    world = await make_world(client)
    db = app.state.db
    base = midnight(now_ms())
    pid, agent, visitor = world.project_id, world.agent.id, world.guest.id
    a, b = f"support-group-{pid}-a", f"support-group-{pid}-b"
    ans1, ans2 = {"attributes": {"_answerid": "ans1"}}, {"attributes": {"_answerid": "ans2"}}
    rows = {
        "m1": (base - DAY + 10 * HOUR, agent, a, ans1),
        "m2": (base - DAY + 10 * HOUR + 5 * MINUTE, visitor, a, {"channel": {"name": "telegram"}}),
        "m3": (base - 3 * DAY + 23 * HOUR + 30 * MINUTE, agent, b, ans1),
        "m4": (base - 40 * DAY + 12 * HOUR, "bot_x", b, ans2),
    }
    for at, sender, recipient, values in rows.values():
        await message_at(db, pid, at, sender=sender, recipient=recipient, **values)
    await message_at(db, world.other_project_id, base - DAY + 10 * HOUR, sender=agent, recipient=a)
    return Chat(world, {name: row[0] for name, row in rows.items()}, visitor, a)


async def read(client: httpx.AsyncClient, chat: Chat, path: str, **params: object) -> Any:
    return await get_json(
        client, f"/{chat.world.project_id}/analytics{path}", chat.world.owner.auth, **params
    )


def ymd(chat: Chat, name: str) -> dict[str, int]:
    return ymd_of(chat.at[name])


@pytest.mark.parametrize(
    ("params", "count"),
    [({}, 3), ({"sender": "agent"}, 2), ({"recipient": "a"}, 2),
     ({"attributes_answerid": "ans1"}, 2), ({"sender": "nobody"}, None)],
)  # fmt: skip
async def test_count_of_the_last_30_days(
    client: httpx.AsyncClient, chat: Chat, params: dict[str, str], count: int | None
) -> None:
    values = {"agent": chat.world.agent.id, "a": chat.conversation}
    query = {key: values.get(value, value) for key, value in params.items()}

    found = await read(client, chat, "/messages/count", **query)

    assert found == ([{"totalCount": count}] if count else [])


async def test_by_day(client: httpx.AsyncClient, chat: Chat) -> None:
    assert await read(client, chat, "/messages/aggregate/day") == [
        {"_id": ymd(chat, "m3"), "count": 1},
        {"_id": ymd(chat, "m1"), "count": 2},
    ]
    assert await read(client, chat, "/messages/aggregate/day", channel="telegram") == [
        {"_id": ymd(chat, "m2"), "count": 1}
    ]
    assert await read(client, chat, "/messages/aggregate/day", lastdays="60", sender="bot_x") == [
        {"_id": ymd(chat, "m4"), "count": 1}
    ]
    # Europe/Rome is one or two hours ahead: m3 (23:30 UTC) moves to the next day.
    rome = await read(client, chat, "/messages/aggregate/day", timezone="Europe/Rome")
    assert rome == [
        {"_id": ymd_of(chat.at["m3"] + DAY), "count": 1},
        {"_id": ymd(chat, "m1"), "count": 2},
    ]


async def test_by_month_and_week_of_all_time(client: httpx.AsyncClient, chat: Chat) -> None:
    days = [day_of(at) for at in chat.at.values()]
    months = Counter((d.year, d.month) for d in days)
    weeks = Counter((d.year, d.month, int(d.strftime("%U"))) for d in days)

    assert await read(client, chat, "/messages/aggregate/month") == [
        {"_id": {"year": y, "month": m}, "count": n} for (y, m), n in sorted(months.items())
    ]
    assert await read(client, chat, "/messages/aggregate/week") == [
        {"_id": {"year": y, "month": m, "week": w}, "count": n}
        for (y, m, w), n in sorted(weeks.items())
    ]
    agent = chat.world.agent.id
    assert (
        sum(g["count"] for g in await read(client, chat, "/messages/aggregate/month", sender=agent))
        == 2
    )


async def test_by_sender(client: httpx.AsyncClient, chat: Chat) -> None:
    expected = sorted([(chat.world.agent.id, 2), (chat.visitor, 1)])

    assert await read(client, chat, "/messages/aggregate/sender") == [
        {"_id": {"sender": sender}, "count": count} for sender, count in expected
    ]


async def test_by_bot_answer(client: httpx.AsyncClient, chat: Chat) -> None:
    # A message without ``attributes._answerid`` is grouped under ``{}``, first.
    assert await read(client, chat, "/requests/aggregate/attributes/_answerid") == [
        {"_id": {}, "count": 1},
        {"_id": {"_answerid": "ans1"}, "count": 2},
    ]
    assert await read(
        client, chat, "/requests/aggregate/attributes/_answerid", lastdays="60", sender="bot_x"
    ) == [{"_id": {"_answerid": "ans2"}, "count": 1}]
