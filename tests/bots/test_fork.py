"""Forks of public bots and forks for publishing (fact sheet §5.13, ``POST /:pid/faq_kb/fork/:id``
with ``public`` and ``for_publish``). A public bot of any project stands for Tiledesk's
chatbot templates."""

from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import World, make_project, make_world
from tests.intents.support import NOT_A_MEMBER, ROLE_TOO_LOW, intents_of, make_bot, make_intent


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def template(client: httpx.AsyncClient, world: World, **changes: Any) -> dict[str, Any]:
    """A bot of the stranger's project, made public (a template), with two intents and
    secrets in its globals."""
    bot = await make_bot(
        client,
        world.other_project_id,
        world.stranger,
        "Shop Template",
        description="Answers shop questions",
        attributes={"globals": {"apiKey": "their-secret"}, "theme": "blue"},
    )
    for name in ("hours", "refunds"):
        await make_intent(
            client, world.other_project_id, world.stranger, bot["_id"],
            intent_display_name=name, question=f"{name}?", answer=f"About {name}",
        )  # fmt: skip
    response = await client.put(
        f"/{world.other_project_id}/faq_kb/{bot['_id']}",
        json={"public": True, **changes},
        headers=world.stranger.auth,
    )
    assert response.status_code == 200, response.text
    updated: dict[str, Any] = response.json()
    return updated


async def fork(
    client: httpx.AsyncClient, world: World, bot_id: str, who: str = "admin", **params: str
) -> httpx.Response:
    caller: Any = getattr(world, who)
    return await client.post(
        f"/{world.project_id}/faq_kb/fork/{bot_id}", params=params, headers=caller.auth
    )


async def bots_of(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    response = await client.get(f"/{world.project_id}/faq_kb", headers=world.owner.auth)
    assert response.status_code == 200
    found: list[dict[str, Any]] = response.json()
    return found


async def read(client: httpx.AsyncClient, world: World, bot_id: str) -> dict[str, Any]:
    response = await client.get(f"/{world.project_id}/faq_kb/{bot_id}", headers=world.owner.auth)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


class TestPublicFork:
    async def test_copies_another_projects_public_bot_into_this_one(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        source = await template(client, world)

        response = await fork(client, world, source["_id"], public="true")

        assert response.status_code == 200, response.text
        assert response.json()["message"] == "Chatbot forked successfully"
        forked = await read(client, world, response.json()["bot_id"])
        assert forked["id_project"] == world.project_id
        assert (forked["name"], forked["slug"], forked["description"]) == (
            "Shop Template",
            "shop-template",
            "Answers shop questions",
        )
        assert (forked["public"], forked["trashed"], forked["createdBy"]) == (
            False,
            False,
            world.admin.id,
        )
        copied = await intents_of(client, world.project_id, world.owner, forked["_id"])
        assert [(i["intent_display_name"], i["answer"]) for i in copied] == [
            ("hours", "About hours"),
            ("refunds", "About refunds"),
        ]
        created = event_log.named("faqbot.create", world.project_id)
        assert [event.payload["_id"] for event in created] == [forked["_id"]]

    async def test_never_brings_another_projects_globals(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        source = await template(client, world)

        response = await fork(client, world, source["_id"], public="true", globals="true")

        forked = await read(client, world, response.json()["bot_id"])
        assert forked["attributes"] == {"theme": "blue"}

    async def test_the_source_is_left_as_it_was(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        source = await template(client, world)

        await fork(client, world, source["_id"], public="true")

        after = await client.get(
            f"/{world.other_project_id}/faq_kb/{source['_id']}", headers=world.stranger.auth
        )
        assert after.json() == source
        theirs = await client.get(f"/{world.other_project_id}/faq_kb", headers=world.stranger.auth)
        assert [bot["_id"] for bot in theirs.json()] == [source["_id"]]

    @pytest.mark.parametrize(
        "changes",
        [{"public": False}, {"public": True, "trashed": True}],
        ids=["private", "trashed"],
    )
    async def test_another_projects_private_or_trashed_bot_is_404(
        self, client: httpx.AsyncClient, world: World, changes: dict[str, Any]
    ) -> None:
        source = await template(client, world, **changes)

        response = await fork(client, world, source["_id"], public="true")

        assert response.status_code == 404
        assert response.json() == {
            "success": False,
            "msg": f"Chatbot not found with id {source['_id']} for project {world.project_id}",
        }
        assert await bots_of(client, world) == []

    @pytest.mark.parametrize("public", [None, "false", "1"])
    async def test_without_public_true_only_this_projects_bots_are_forked(
        self, client: httpx.AsyncClient, world: World, public: str | None
    ) -> None:
        source = await template(client, world)
        params = {} if public is None else {"public": public}

        response = await fork(client, world, source["_id"], **params)

        assert response.status_code == 404
        assert await bots_of(client, world) == []

    async def test_this_projects_private_bot_forks_with_public_true_too(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        ours = await make_bot(
            client, world.project_id, world.admin, "Ours", attributes={"globals": {"k": "v"}}
        )

        response = await fork(client, world, ours["_id"], public="true", globals="true")

        assert response.status_code == 200
        forked = await read(client, world, response.json()["bot_id"])
        assert forked["attributes"] == {"globals": {"k": "v"}}

    async def test_into_another_project_of_the_caller(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        source = await template(client, world)
        second = await make_project(client, world.owner, name="Second")

        response = await fork(
            client, world, source["_id"], "owner", public="true", projectid=second
        )

        assert response.status_code == 200, response.text
        landed = await client.get(
            f"/{second}/faq_kb/{response.json()['bot_id']}", headers=world.owner.auth
        )
        assert landed.json()["id_project"] == second
        assert len(await intents_of(client, second, world.owner, landed.json()["_id"])) == 2
        assert await bots_of(client, world) == []

    @pytest.mark.parametrize("bot_id", ["0123456789abcdef01234567", "not-an-id"])
    async def test_an_unknown_bot_is_404(
        self, client: httpx.AsyncClient, world: World, bot_id: str
    ) -> None:
        response = await fork(client, world, bot_id, public="true")

        assert response.status_code == 404

    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("owner", 200),
            ("admin", 200),
            ("supervisor", ROLE_TOO_LOW),
            ("agent", ROLE_TOO_LOW),
            ("guest", ROLE_TOO_LOW),
            ("end_user", ROLE_TOO_LOW),
            ("outsider", NOT_A_MEMBER),
            ("stranger", NOT_A_MEMBER),
        ],
    )
    async def test_only_admins_of_the_project_fork(
        self, client: httpx.AsyncClient, world: World, who: str, expected: object
    ) -> None:
        source = await template(client, world)

        response = await fork(client, world, source["_id"], who, public="true")

        if expected == 200:
            assert response.status_code == 200
            assert len(await bots_of(client, world)) == 1
        else:
            assert response.status_code == 403
            assert response.json() == expected
            assert await bots_of(client, world) == []


class TestForkForPublish:
    async def test_makes_a_published_version_of_the_bot(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await make_bot(client, world.project_id, world.admin, "Draft", template="blank")

        response = await fork(client, world, bot["_id"], for_publish="true")

        assert response.status_code == 200, response.text
        version_id = response.json()["bot_id"]
        published = await client.get(
            f"/{world.project_id}/faq_kb/{bot['_id']}/published", headers=world.admin.auth
        )
        [version] = published.json()
        assert version["_id"] == version_id
        assert (version["trashed"], version["root_id"]) == (True, bot["_id"])
        assert version["publishedBy"]["_id"] == world.admin.id
        assert "slug" not in version
        copied = await intents_of(client, world.project_id, world.owner, version_id)
        assert {i["intent_display_name"] for i in copied} == {"start", "welcome", "defaultFallback"}
        assert [b["_id"] for b in await bots_of(client, world)] == [bot["_id"]]
        assert await read(client, world, bot["_id"]) == bot

    async def test_is_made_in_the_bots_own_project_only(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await make_bot(client, world.project_id, world.admin, "Draft")
        second = await make_project(client, world.owner, name="Second")

        response = await fork(
            client, world, bot["_id"], "owner", for_publish="true", projectid=second
        )

        assert response.status_code == 400
        assert response.json() == {
            "success": False,
            "msg": "A chatbot is published in its own project",
        }
        listed = await client.get(f"/{second}/faq_kb", headers=world.owner.auth)
        assert listed.json() == []

    async def test_another_projects_public_bot_is_not_published_here(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        source = await template(client, world)

        response = await fork(client, world, source["_id"], public="true", for_publish="true")

        assert response.status_code == 404
