"""Custom events, ``/:pid/events`` (fact sheet §5.17, §9.17)."""

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest

from tessera.main import create_app
from tests.conftest import EventLog, make_settings
from tests.factories import Person, Visitor, World, make_world, signup


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture(scope="module")
async def untouched_world(client: httpx.AsyncClient) -> World:
    """A World whose project never gets an event: the refused writes and the reads that find
    nothing share it."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def shared_world(client: httpx.AsyncClient) -> World:
    """For the role matrix, whose tests read an event of their own."""
    return await make_world(client)


async def emit(
    client: httpx.AsyncClient, project_id: str, who: Person | Visitor, **body: object
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/events", json={"name": "typing.start", **body}, headers=who.auth
    )
    assert response.status_code == 200, response.text
    event: dict[str, Any] = response.json()
    return event


async def listed(client: httpx.AsyncClient, world: World, **params: object) -> dict[str, Any]:
    response = await client.get(
        f"/{world.project_id}/events", params=params, headers=world.agent.auth
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def membership_of(client: httpx.AsyncClient, world: World, person_id: str) -> str:
    response = await client.get(
        f"/{world.project_id}/project_users/users/{person_id}", headers=world.owner.auth
    )
    assert response.status_code == 200, response.text
    membership_id: str = response.json()[0]["_id"]
    return membership_id


async def bot_auth(client: httpx.AsyncClient, project_id: str, admin: Person) -> dict[str, str]:
    bot = await client.post(f"/{project_id}/faq_kb", json={"name": "Helper"}, headers=admin.auth)
    assert bot.status_code == 200, bot.text
    token = await client.get(f"/{project_id}/faq_kb/{bot.json()['_id']}/jwt", headers=admin.auth)
    assert token.status_code == 200, token.text
    return {"Authorization": "JWT " + token.json()["jwt"], "X-Bot-Id": bot.json()["_id"]}


class TestEmit:
    async def test_answers_the_saved_event(self, client: httpx.AsyncClient, world: World) -> None:
        event = await emit(client, world.project_id, world.agent, attributes={"typing": True})

        read = await client.get(
            f"/{world.project_id}/events/{event['_id']}", headers=world.agent.auth
        )

        assert event["name"] == "typing.start"
        assert event["attributes"] == {"typing": True}
        assert event["project_user"] == await membership_of(client, world, world.agent.id)
        assert event["id_project"] == world.project_id
        assert event["status"] == "stardard"
        assert event["createdBy"] == world.agent.id
        assert event["__v"] == 0
        assert {"_id", "createdAt", "updatedAt"} <= set(event)
        assert "id" not in event
        assert read.status_code == 200
        assert read.json() == event

    async def test_visitors_emit_under_their_own_membership(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        for visitor in (world.guest, world.end_user):
            event = await emit(client, world.project_id, visitor, name="new_conversation")

            assert event["project_user"] == await membership_of(client, world, visitor.id)
            assert event["createdBy"] == visitor.id
            assert "attributes" not in event

    async def test_a_bot_emits_without_a_membership(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        auth = await bot_auth(client, world.project_id, world.admin)

        event = await emit(client, world.project_id, Visitor("bot", auth["Authorization"]))
        payload = [
            e.payload for e in event_log.named("event.emit") if e.payload["_id"] == event["_id"]
        ]

        assert event["createdBy"] == auth["X-Bot-Id"]
        assert "project_user" not in event
        assert len(payload) == 1
        assert "project_user" not in payload[0]
        assert payload[0]["user"]["sub"] == "bot"

    async def test_emits_event_emit_and_its_named_variant_with_the_populated_event(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        event = await emit(client, world.project_id, world.agent, attributes={"a": 1})

        emitted = [e for e in event_log.named("event.emit") if e.payload["_id"] == event["_id"]]
        named = [
            e
            for e in event_log.named("event.emit.typing.start")
            if e.payload["_id"] == event["_id"]
        ]

        assert len(emitted) == 1
        assert named[0].payload == emitted[0].payload
        payload = emitted[0].payload
        assert emitted[0].project_id == world.project_id
        assert payload["id"] == event["_id"]
        assert payload["name"] == "typing.start"
        assert payload["attributes"] == {"a": 1}
        assert payload["project_user"]["_id"] == event["project_user"]
        assert payload["project_user"]["id_user"]["_id"] == world.agent.id
        assert payload["project_user"]["id_user"]["email"] == world.agent.email
        assert payload["project_user"]["role"] == "agent"
        assert payload["user"]["_id"] == world.agent.id
        assert "password" not in payload["project_user"]["id_user"]

    @pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": None}, {"attributes": {"a": 1}}])
    async def test_a_missing_or_empty_name_is_422_and_nothing_is_stored(
        self, client: httpx.AsyncClient, untouched_world: World, body: dict[str, object]
    ) -> None:
        response = await client.post(
            f"/{untouched_world.project_id}/events", json=body, headers=untouched_world.agent.auth
        )

        assert response.status_code == 422
        error = response.json()["errors"][0]
        assert (error["param"], error["msg"], error["location"]) == (
            "name",
            "Invalid value",
            "body",
        )
        assert (await listed(client, untouched_world))["count"] == 0

    @pytest.mark.parametrize("attributes", ["text", [1, 2], 3])
    async def test_attributes_must_be_an_object(
        self, client: httpx.AsyncClient, untouched_world: World, attributes: object
    ) -> None:
        response = await client.post(
            f"/{untouched_world.project_id}/events",
            json={"name": "x", "attributes": attributes},
            headers=untouched_world.agent.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "attributes"
        assert (await listed(client, untouched_world))["count"] == 0

    async def test_people_outside_the_project_are_refused(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        for person in (untouched_world.outsider, untouched_world.stranger):
            response = await client.post(
                f"/{untouched_world.project_id}/events", json={"name": "x"}, headers=person.auth
            )

            assert response.status_code == 403
            assert response.json() == {"success": False, "msg": "you dont belong to the project."}
        assert (await listed(client, untouched_world))["count"] == 0

    async def test_another_projects_bot_is_refused(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        auth = await bot_auth(client, untouched_world.other_project_id, untouched_world.stranger)

        response = await client.post(
            f"/{untouched_world.project_id}/events",
            json={"name": "x"},
            headers={"Authorization": auth["Authorization"]},
        )

        assert response.status_code == 403
        assert (await listed(client, untouched_world))["count"] == 0

    async def test_without_credentials_is_401(
        self, client: httpx.AsyncClient, untouched_world: World
    ) -> None:
        response = await client.post(f"/{untouched_world.project_id}/events", json={"name": "x"})

        assert response.status_code == 401
        assert response.text == "Unauthorized"


class TestList:
    async def test_is_wrapped_newest_first_forty_per_page(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        sent = [await emit(client, world.project_id, world.agent, name=f"e{i}") for i in range(42)]

        first = await listed(client, world)
        second = await listed(client, world, page=1)

        assert first["perPage"] == 40
        assert first["count"] == 42
        names = [event["name"] for event in first["events"] + second["events"]]
        assert names == [event["name"] for event in reversed(sent)]
        assert first["events"][0] == sent[-1]

    async def test_filters_by_membership(self, client: httpx.AsyncClient, world: World) -> None:
        mine = await emit(client, world.project_id, world.agent, name="mine")
        await emit(client, world.project_id, world.guest, name="theirs")

        found = await listed(client, world, project_user=mine["project_user"])

        assert found["count"] == 1
        assert [event["_id"] for event in found["events"]] == [mine["_id"]]

    async def test_sorts_by_a_field_in_either_direction(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        for name in ("b", "a", "c"):
            await emit(client, world.project_id, world.agent, name=name)

        ascending = await listed(client, world, sort="name", direction="1")
        descending = await listed(client, world, sort="name", direction="desc")
        unknown = await listed(client, world, sort="nonsense")

        assert [event["name"] for event in ascending["events"]] == ["a", "b", "c"]
        assert [event["name"] for event in descending["events"]] == ["c", "b", "a"]
        assert [event["name"] for event in unknown["events"]] == ["c", "a", "b"]

    @pytest.mark.parametrize("params", [{"page": "x"}, {"page": "-1"}, {"direction": "up"}])
    async def test_bad_paging_is_422(
        self, client: httpx.AsyncClient, untouched_world: World, params: dict[str, str]
    ) -> None:
        response = await client.get(
            f"/{untouched_world.project_id}/events",
            params=params,
            headers=untouched_world.agent.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["location"] == "query"

    async def test_never_shows_another_projects_events(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        ours = await emit(client, world.project_id, world.agent)

        theirs = await client.get(f"/{world.other_project_id}/events", headers=world.stranger.auth)
        crossed = await client.get(
            f"/{world.other_project_id}/events/{ours['_id']}", headers=world.stranger.auth
        )

        assert theirs.status_code == 200
        assert theirs.json()["count"] == 0
        assert crossed.status_code == 404
        assert crossed.json() == {"success": False, "msg": "Object not found."}


@pytest.mark.parametrize(
    ("who", "expected"),
    [("agent", 200), ("supervisor", 200), ("admin", 200), ("owner", 200), ("outsider", 403),
     ("stranger", 403)],
)  # fmt: skip
async def test_members_from_agent_up_read_events(
    client: httpx.AsyncClient, shared_world: World, who: str, expected: int
) -> None:
    event = await emit(client, shared_world.project_id, shared_world.agent)
    person = shared_world.person(who)

    many = await client.get(f"/{shared_world.project_id}/events", headers=person.auth)
    one = await client.get(f"/{shared_world.project_id}/events/{event['_id']}", headers=person.auth)

    assert (many.status_code, one.status_code) == (expected, expected)


async def test_visitors_and_bots_cannot_read_events(
    client: httpx.AsyncClient, world: World
) -> None:
    event = await emit(client, world.project_id, world.guest)
    bot = await bot_auth(client, world.project_id, world.admin)

    for auth in (world.guest.auth, world.end_user.auth, {"Authorization": bot["Authorization"]}):
        many = await client.get(f"/{world.project_id}/events", headers=auth)
        one = await client.get(f"/{world.project_id}/events/{event['_id']}", headers=auth)

        assert many.status_code == 403
        assert one.status_code == 403


@pytest.mark.parametrize("event_id", ["0123456789abcdef01234567", "not-an-id"])
async def test_an_unknown_event_is_404(
    client: httpx.AsyncClient, untouched_world: World, event_id: str
) -> None:
    response = await client.get(
        f"/{untouched_world.project_id}/events/{event_id}", headers=untouched_world.agent.auth
    )

    assert response.status_code == 404
    assert response.json() == {"success": False, "msg": "Object not found."}


async def test_expired_events_are_neither_listed_nor_read(
    database_url: str, tmp_path: Path
) -> None:
    """``EVENTS_TTL_SECONDS``: an app whose events live one second."""
    app = create_app(make_settings(database_url, tmp_path, events_ttl_seconds=1))
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50001))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as short:
            owner = await signup(short)
            project = await short.post("/projects", json={"name": "Brief"}, headers=owner.auth)
            project_id = project.json()["_id"]
            event = await emit(short, project_id, owner)
            path = f"/{project_id}/events"
            before = await short.get(path, headers=owner.auth)

            await asyncio.sleep(1.1)
            after = await short.get(path, headers=owner.auth)
            read = await short.get(f"{path}/{event['_id']}", headers=owner.auth)
    finally:
        app.state.db.close()

    assert before.json()["count"] == 1
    assert after.json() == {"perPage": 40, "count": 0, "events": []}
    assert read.status_code == 404
