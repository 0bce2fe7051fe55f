"""What a bot holds and how it travels (fact sheet §5.13): templates, its intents following
it into the trash and into a new language, JSON export and import, published versions,
forks, ``askbot`` and ``training``."""

from typing import Any

import httpx
import orjson
import pytest

from tests.factories import World, make_project, make_world
from tests.intents.support import (
    NOT_A_MEMBER,
    ROLE_TOO_LOW,
    bot_token,
    intents_of,
    make_bot,
    make_intent,
)


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def _read(client: httpx.AsyncClient, world: World, bot_id: str) -> dict[str, Any]:
    response = await client.get(f"/{world.project_id}/faq_kb/{bot_id}", headers=world.owner.auth)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


async def _export(
    client: httpx.AsyncClient, world: World, bot_id: str, **params: str
) -> dict[str, Any]:
    response = await client.get(
        f"/{world.project_id}/faq_kb/exportjson/{bot_id}", params=params, headers=world.admin.auth
    )
    assert response.status_code == 200, response.text
    document: dict[str, Any] = orjson.loads(response.content)
    return document


async def _import(
    client: httpx.AsyncClient, world: World, bot_id: str, content: bytes, **params: str
) -> httpx.Response:
    return await client.post(
        f"/{world.project_id}/faq_kb/importjson/{bot_id}",
        params=params,
        files={"uploadFile": ("bot.json", content, "application/json")},
        headers=world.admin.auth,
    )


async def _rich_bot(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    bot = await make_bot(
        client,
        world.project_id,
        world.admin,
        "Shop Bot",
        description="Answers shoppers",
        webhook_url="https://hooks.example/bot",
        language="de",
        attributes={
            "globals": [{"key": "token", "value": "secret"}],
            "rules": [{"when": {}, "do": [{"message": {"participants": ["bot_old"]}}]}],
        },
    )
    await make_intent(
        client,
        world.project_id,
        world.admin,
        bot["_id"],
        intent_id="i-1",
        intent_display_name="hours",
        question="Opening hours?",
        answer="9 to 5",
        actions=[{"_tdActionType": "reply", "text": "9 to 5"}],
        attributes={"position": {"x": 1, "y": 2}},
        webhook_enabled=True,
    )
    await make_intent(
        client,
        world.project_id,
        world.admin,
        bot["_id"],
        intent_display_name="refunds",
        question="Refunds?",
        reply={"text": "30 days"},
        enabled=False,
    )
    return bot


class TestTemplates:
    @pytest.mark.parametrize(
        ("template", "names"),
        [
            (None, []),
            ("empty", []),
            ("handoff", ["start", "agent_handoff", "defaultFallback"]),
            ("blank", ["defaultFallback", "start", "welcome"]),
            ("no-such-template", []),
        ],
    )
    async def test_give_the_new_bot_its_intents(
        self, client: httpx.AsyncClient, world: World, template: str | None, names: list[str]
    ) -> None:
        body = {"template": template} if template else {}
        bot = await make_bot(client, world.project_id, world.admin, language="fr", **body)

        found = await intents_of(client, world.project_id, world.owner, bot["_id"])

        assert [intent["intent_display_name"] for intent in found] == names
        assert all(intent["language"] == "fr" for intent in found)
        assert all(intent["createdBy"] == world.admin.id for intent in found)

    async def test_the_example_is_a_small_faq(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await make_bot(client, world.project_id, world.admin, template="example")

        found = await intents_of(client, world.project_id, world.owner, bot["_id"])

        assert len(found) == 6
        assert {"start", "agent_handoff", "defaultFallback"} <= {
            intent["intent_display_name"] for intent in found
        }

    async def test_the_blank_start_leads_to_its_welcome(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await make_bot(client, world.project_id, world.admin, template="blank")

        found = {
            i["intent_display_name"]: i
            for i in await intents_of(client, world.project_id, world.owner, bot["_id"])
        }

        action = found["start"]["actions"][0]
        assert action == {
            "_tdActionType": "intent",
            "intentName": "#" + found["welcome"]["intent_id"],
        }

    async def test_external_bots_get_none(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await make_bot(
            client, world.project_id, world.admin, type="external", template="example"
        )

        assert await intents_of(client, world.project_id, world.owner, bot["_id"]) == []


class TestIntentsFollowTheBot:
    async def test_into_the_trash_and_back(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await make_bot(client, world.project_id, world.admin, template="handoff")
        url = f"/{world.project_id}/faq_kb/{bot['_id']}"

        await client.put(url, json={"trashed": True}, headers=world.admin.auth)
        trashed = await intents_of(client, world.project_id, world.owner, bot["_id"])
        await client.put(url, json={"trashed": False}, headers=world.admin.auth)
        restored = await intents_of(client, world.project_id, world.owner, bot["_id"])

        assert all(intent["trashed"] is True and "trashedAt" in intent for intent in trashed)
        assert all(intent["trashed"] is False and "trashedAt" not in intent for intent in restored)

    async def test_into_a_new_language(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await make_bot(client, world.project_id, world.admin, template="handoff")

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}/language/es", headers=world.admin.auth
        )

        assert response.status_code == 200
        found = await intents_of(client, world.project_id, world.owner, bot["_id"])
        assert {intent["language"] for intent in found} == {"es"}

    async def test_away_when_it_is_deleted(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await make_bot(client, world.project_id, world.admin, template="handoff")

        await client.delete(f"/{world.project_id}/faq_kb/{bot['_id']}", headers=world.admin.auth)

        assert await intents_of(client, world.project_id, world.owner, bot["_id"]) == []
        search = await client.get(
            f"/{world.project_id}/faq", params={"text": "person"}, headers=world.owner.auth
        )
        assert search.json() == []


class TestExport:
    async def test_is_the_bot_and_its_intents_without_ids(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _rich_bot(client, world)

        response = await client.get(
            f"/{world.project_id}/faq_kb/exportjson/{bot['_id']}", headers=world.admin.auth
        )

        assert response.status_code == 200
        assert response.headers["content-disposition"] == 'attachment; filename="bot.json"'
        document = orjson.loads(response.content)
        assert document == {
            "webhook_enabled": False,
            "webhook_url": "https://hooks.example/bot",
            "language": "de",
            "name": "Shop Bot",
            "type": "internal",
            "description": "Answers shoppers",
            "attributes": {"rules": bot["attributes"]["rules"]},
            "intents": [
                {
                    "intent_id": "i-1",
                    "intent_display_name": "hours",
                    "question": "Opening hours?",
                    "answer": "9 to 5",
                    "enabled": True,
                    "language": "de",
                    "actions": [{"_tdActionType": "reply", "text": "9 to 5"}],
                    "attributes": {"position": {"x": 1, "y": 2}},
                    "webhook_enabled": True,
                    "agents_available": False,
                },
                {
                    "intent_id": document["intents"][1]["intent_id"],
                    "intent_display_name": "refunds",
                    "question": "Refunds?",
                    "reply": {"text": "30 days"},
                    "enabled": False,
                    "language": "de",
                    "webhook_enabled": False,
                    "agents_available": False,
                },
            ],
        }

    async def test_globals_and_intents_only_on_request(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _rich_bot(client, world)

        with_globals = await _export(client, world, bot["_id"], globals="true")
        only = await client.get(
            f"/{world.project_id}/faq_kb/exportjson/{bot['_id']}",
            params={"intentsOnly": "true"},
            headers=world.admin.auth,
        )

        assert with_globals["attributes"]["globals"] == bot["attributes"]["globals"]
        assert only.headers["content-disposition"] == 'attachment; filename="intents.json"'
        assert list(orjson.loads(only.content)) == ["intents"]


class TestImport:
    async def test_export_then_import_gives_the_same_bot(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        original = await _rich_bot(client, world)
        exported = await _export(client, world, original["_id"])

        response = await _import(
            client, world, original["_id"], orjson.dumps(exported), create="true"
        )

        assert response.status_code == 200, response.text
        created = response.json()
        assert created["_id"] != original["_id"]
        assert created["slug"] == "shop-bot-1"
        again = await _export(client, world, created["_id"])
        rules = again["attributes"]["rules"]
        assert rules[0]["do"][0]["message"]["participants"] == [f"bot_{created['_id']}"]
        rules[0]["do"][0]["message"]["participants"] = ["bot_old"]
        assert again == exported

    async def test_updates_an_existing_bot_and_skips_names_it_has(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        source = await _rich_bot(client, world)
        exported = await _export(client, world, source["_id"])
        target = await make_bot(client, world.project_id, world.admin, "Target")
        await make_intent(
            client,
            world.project_id,
            world.admin,
            target["_id"],
            intent_display_name="hours",
            answer="old",
        )

        response = await _import(client, world, target["_id"], orjson.dumps(exported))

        assert response.status_code == 200, response.text
        assert response.json()["name"] == "Shop Bot"
        assert response.json()["language"] == "de"
        found = await intents_of(client, world.project_id, world.owner, target["_id"])
        assert [(i["intent_display_name"], i.get("answer")) for i in found] == [
            ("hours", "old"),
            ("refunds", None),
        ]

    async def test_overwrite_replaces_intents_of_the_same_name(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        source = await _rich_bot(client, world)
        exported = await _export(client, world, source["_id"], intentsOnly="true")
        target = await make_bot(client, world.project_id, world.admin, "Target")
        await make_intent(
            client,
            world.project_id,
            world.admin,
            target["_id"],
            intent_display_name="hours",
            answer="old",
        )

        response = await _import(
            client,
            world,
            target["_id"],
            orjson.dumps(exported),
            overwrite="true",
            intentsOnly="true",
        )

        assert response.json() == {"success": True, "msg": "Intents imported successfully"}
        found = await intents_of(client, world.project_id, world.owner, target["_id"])
        assert [(i["intent_display_name"], i.get("answer")) for i in found] == [
            ("hours", "9 to 5"),
            ("refunds", None),
        ]
        assert (await _read(client, world, target["_id"]))["name"] == "Target"

    async def test_replace_deletes_the_intents_first_and_a_json_body_works(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        target = await make_bot(client, world.project_id, world.admin, "Target", template="handoff")

        response = await client.post(
            f"/{world.project_id}/faq_kb/importjson/{target['_id']}",
            params={"replace": "true"},
            json={"intents": [{"intent_display_name": "only", "question": "Q"}]},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        found = await intents_of(client, world.project_id, world.owner, target["_id"])
        assert [i["intent_display_name"] for i in found] == ["only"]

    @pytest.mark.parametrize(
        ("content", "status"),
        [
            (b"{not json", 400),
            (b"[1, 2]", 400),
            (b'{"name": "X", "intents": [{"enabled": "maybe"}]}', 422),
            (b'{"intents": "none"}', 422),
        ],
    )
    async def test_bad_files_write_nothing(
        self, client: httpx.AsyncClient, world: World, content: bytes, status: int
    ) -> None:
        target = await make_bot(client, world.project_id, world.admin, "Target")

        response = await _import(client, world, target["_id"], content, create="true")

        assert response.status_code == status, response.text
        listed = await client.get(f"/{world.project_id}/faq_kb", headers=world.owner.auth)
        assert [bot["_id"] for bot in listed.json()] == [target["_id"]]

    async def test_an_unknown_bot_is_404(self, client: httpx.AsyncClient, world: World) -> None:
        response = await _import(client, world, "0123456789abcdef01234567", b'{"intents": []}')

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Bot not found."}


class TestPublish:
    async def test_makes_a_trashed_copy_listed_as_a_version(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _rich_bot(client, world)
        await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}",
            json={"title": "T"},
            headers=world.admin.auth,
        )

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}/publish",
            json={"release_note": "First"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json()["message"] == "Chatbot published successfully"
        version_id = response.json()["bot_id"]
        assert (await _read(client, world, bot["_id"]))["modified"] is False
        version = await _read(client, world, version_id)
        assert (version["trashed"], version["root_id"], version["release_note"]) == (
            True,
            bot["_id"],
            "First",
        )
        assert version["publishedBy"] == world.admin.id
        assert "slug" not in version
        copied = await intents_of(client, world.project_id, world.owner, version_id)
        assert [i["intent_display_name"] for i in copied] == ["hours", "refunds"]
        listed = await client.get(
            f"/{world.project_id}/faq_kb/{bot['_id']}/published", headers=world.admin.auth
        )
        assert listed.status_code == 200
        (published,) = listed.json()
        assert published["_id"] == version_id
        assert published["publishedBy"] == {
            "_id": world.admin.id,
            "firstname": world.admin.firstname,
            "lastname": world.admin.lastname,
            "email": world.admin.email,
        }
        bots = await client.get(f"/{world.project_id}/faq_kb", headers=world.owner.auth)
        assert version_id not in {item["_id"] for item in bots.json()}

    async def test_restore_from_a_version_brings_its_intents_back(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _rich_bot(client, world)
        published = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}/publish", headers=world.admin.auth
        )
        version_id = published.json()["bot_id"]
        await make_intent(
            client, world.project_id, world.admin, bot["_id"], intent_display_name="draft"
        )

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}/publish",
            json={"restore_from": version_id},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json() == {"message": "Chatbot restored successfully", "bot_id": bot["_id"]}
        found = await intents_of(client, world.project_id, world.owner, bot["_id"])
        assert [i["intent_display_name"] for i in found] == ["hours", "refunds"]

    async def test_restoring_another_bot_s_version_is_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _rich_bot(client, world)
        other = await make_bot(client, world.project_id, world.admin, "Other")

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}/publish",
            json={"restore_from": other["_id"]},
            headers=world.admin.auth,
        )

        assert response.status_code == 404
        assert len(await intents_of(client, world.project_id, world.owner, bot["_id"])) == 2


class TestFork:
    async def test_copies_the_bot_and_its_intents_without_globals(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _rich_bot(client, world)

        response = await client.post(
            f"/{world.project_id}/faq_kb/fork/{bot['_id']}", headers=world.admin.auth
        )

        assert response.status_code == 200, response.text
        assert response.json()["message"] == "Chatbot forked successfully"
        forked = await _read(client, world, response.json()["bot_id"])
        assert (forked["name"], forked["slug"], forked["trashed"]) == (
            "Shop Bot",
            "shop-bot-1",
            False,
        )
        assert "globals" not in forked["attributes"]
        copied = await intents_of(client, world.project_id, world.owner, forked["_id"])
        assert [i["intent_display_name"] for i in copied] == ["hours", "refunds"]
        assert copied[0]["intent_id"] == "i-1"

    async def test_into_another_project_where_the_caller_is_admin(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _rich_bot(client, world)
        second = await make_project(client, world.owner, name="Second")

        allowed = await client.post(
            f"/{world.project_id}/faq_kb/fork/{bot['_id']}",
            params={"projectid": second, "globals": "true"},
            headers=world.owner.auth,
        )
        refused = await client.post(
            f"/{world.project_id}/faq_kb/fork/{bot['_id']}",
            params={"projectid": world.other_project_id},
            headers=world.owner.auth,
        )

        assert allowed.status_code == 200, allowed.text
        forked = await client.get(
            f"/{second}/faq_kb/{allowed.json()['bot_id']}", headers=world.owner.auth
        )
        assert forked.json()["id_project"] == second
        assert forked.json()["attributes"]["globals"] == bot["attributes"]["globals"]
        assert len(await intents_of(client, second, world.owner, forked.json()["_id"])) == 2
        assert refused.status_code == 403
        assert refused.json() == NOT_A_MEMBER
        others = await client.get(f"/{world.other_project_id}/faq_kb", headers=world.stranger.auth)
        assert others.json() == []


class TestAskBot:
    async def test_an_exact_question_scores_100(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _rich_bot(client, world)

        response = await client.post(
            f"/{world.project_id}/faq_kb/askbot",
            json={"id_faq_kb": bot["_id"], "question": "Opening hours?"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        (hit,) = response.json()["hits"]
        assert (hit["intent_display_name"], hit["score"]) == ("hours", 100.0)

    async def test_other_questions_are_ranked(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await make_bot(client, world.project_id, world.admin)
        for question in ("Opening hours of the shop", "Opening hours", "Refunds"):
            await make_intent(client, world.project_id, world.admin, bot["_id"], question=question)

        response = await client.post(
            f"/{world.project_id}/faq_kb/askbot",
            json={"id_faq_kb": bot["_id"], "question": "what are the opening hours"},
            headers=world.admin.auth,
        )

        hits = response.json()["hits"]
        assert [hit["question"] for hit in hits] == ["Opening hours of the shop", "Opening hours"]
        assert hits[0]["score"] > hits[1]["score"] > 0

    @pytest.mark.parametrize(
        ("body", "status"),
        [
            ({"question": "x"}, 404),
            ({"id_faq_kb": "0123456789abcdef01234567", "question": "x"}, 404),
            ({"id_faq_kb": "BOT"}, 422),
            ({"id_faq_kb": "EXTERNAL", "question": "x"}, 400),
        ],
    )
    async def test_bad_requests(
        self, client: httpx.AsyncClient, world: World, body: dict[str, str], status: int
    ) -> None:
        bot = await make_bot(client, world.project_id, world.admin)
        external = await make_bot(client, world.project_id, world.admin, type="external")
        ids = {"BOT": bot["_id"], "EXTERNAL": external["_id"]}
        sent = {key: ids.get(value, value) for key, value in body.items()}

        response = await client.post(
            f"/{world.project_id}/faq_kb/askbot", json=sent, headers=world.admin.auth
        )

        assert response.status_code == status, response.text


class TestTraining:
    async def test_marks_the_bot_trained(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await make_bot(client, world.project_id, world.admin)
        await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}",
            json={"trained": False},
            headers=world.admin.auth,
        )

        response = await client.post(
            f"/{world.project_id}/faq_kb/{bot['_id']}/training", headers=world.admin.auth
        )

        assert response.status_code == 200
        assert response.json()["trained"] is True


_ROUTES = [
    ("POST", "/askbot", {"question": "hi"}),
    ("POST", "/fork/BOT", None),
    ("GET", "/exportjson/BOT", None),
    ("POST", "/importjson/BOT", {"intents": []}),
    ("PUT", "/BOT/publish", {}),
    ("POST", "/BOT/training", None),
    ("GET", "/BOT/published", None),
]
_MACHINES_ALLOWED = {"/BOT/published"}


@pytest.fixture(scope="module")
async def shared_world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


class TestRoles:
    @pytest.mark.parametrize(
        ("who", "expected"),
        [
            ("owner", 200),
            ("admin", 200),
            ("supervisor", ROLE_TOO_LOW),
            ("agent", ROLE_TOO_LOW),
            ("guest", ROLE_TOO_LOW),
            ("outsider", NOT_A_MEMBER),
            ("stranger", NOT_A_MEMBER),
            ("bot", "bot"),
        ],
    )
    @pytest.mark.parametrize(("method", "path", "body"), _ROUTES)
    async def test_admins_only_and_bots_where_allowed(
        self,
        client: httpx.AsyncClient,
        shared_world: World,
        who: str,
        expected: Any,
        method: str,
        path: str,
        body: dict[str, Any] | None,
    ) -> None:
        world = shared_world
        bot = await make_bot(client, world.project_id, world.admin)
        payload = {"id_faq_kb": bot["_id"], **body} if body is not None else None
        if who == "bot":
            headers = await bot_token(client, world, bot["_id"])
            expected = 200 if path in _MACHINES_ALLOWED else NOT_A_MEMBER
        else:
            headers = getattr(world, who).auth

        response = await client.request(
            method,
            f"/{world.project_id}/faq_kb{path.replace('BOT', bot['_id'])}",
            json=payload,
            headers=headers,
        )

        if expected == 200:
            assert response.status_code == 200, response.text
        else:
            assert response.status_code == 403
            assert response.json() == expected
            assert (await _read(client, world, bot["_id"])) == bot
