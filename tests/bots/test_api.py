"""Chatbots, ``/:pid/faq_kb`` and its alias ``/:pid/bots`` (fact sheet §5.13, §9.11)."""

import asyncio
import re
import uuid
from typing import Any

import httpx
import pytest

from tessera.bots import repository
from tests.conftest import EventLog
from tests.factories import World, make_world

ADMIN_FIELDS = {
    "_id", "name", "id_project", "type", "trashed", "language", "public", "certified", "tags",
    "agents_available", "slug", "modified", "createdAt", "updatedAt", "__v", "webhook_enabled",
    "intentsEngine", "score", "trained", "certifiedTags", "createdBy",
}  # fmt: skip
AGENT_HIDDEN = {
    "webhook_enabled", "intentsEngine", "score", "url", "attributes", "trained", "certifiedTags",
    "createdBy", "createdAt", "updatedAt", "__v",
}  # fmt: skip
NOT_A_MEMBER = {"success": False, "msg": "you dont belong to the project."}
ROLE_TOO_LOW = {"success": False, "msg": "you dont have the required role."}
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def _bot(
    client: httpx.AsyncClient, world: World, name: str = "Support Bot", **body: object
) -> dict[str, Any]:
    response = await client.post(
        f"/{world.project_id}/faq_kb", json={"name": name, **body}, headers=world.admin.auth
    )
    assert response.status_code == 200, response.text
    bot: dict[str, Any] = response.json()
    return bot


async def _read(client: httpx.AsyncClient, world: World, bot_id: str) -> httpx.Response:
    return await client.get(f"/{world.project_id}/faq_kb/{bot_id}", headers=world.owner.auth)


async def _listed(
    client: httpx.AsyncClient, world: World, query: str = "", who: str = "owner"
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/faq_kb{query}", headers=world.person(who).auth
    )
    assert response.status_code == 200, response.text
    bots: list[dict[str, Any]] = response.json()
    return bots


def _not_found(world: World, bot_id: str, project_id: str | None = None) -> dict[str, Any]:
    project = project_id or world.project_id
    return {"success": False, "msg": f"Chatbot not found with id {bot_id} for project {project}"}


class TestCreate:
    async def test_answers_the_new_bot_field_by_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/faq_kb", json={"name": "Support Bot"}, headers=world.admin.auth
        )

        assert response.status_code == 200
        bot = response.json()
        assert set(bot) == ADMIN_FIELDS
        assert re.fullmatch(r"[0-9a-f]{24}", bot["_id"])
        assert bot["name"] == "Support Bot"
        assert bot["slug"] == "support-bot"
        assert bot["id_project"] == world.project_id
        assert bot["type"] == "internal"
        assert bot["language"] == "en"
        assert bot["intentsEngine"] == "none"
        assert bot["webhook_enabled"] is False
        assert bot["trashed"] is False
        assert bot["public"] is False
        assert bot["certified"] is False
        assert bot["agents_available"] is False
        assert bot["trained"] is True
        assert bot["modified"] is False
        assert bot["score"] == 0
        assert bot["tags"] == []
        assert bot["certifiedTags"] == []
        assert bot["createdBy"] == world.admin.id
        assert ISO.match(bot["createdAt"])
        assert bot["updatedAt"] == bot["createdAt"]
        assert bot["__v"] == 0
        assert (await _read(client, world, bot["_id"])).json() == bot

    async def test_keeps_every_accepted_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(
            client,
            world,
            "Flow",
            description="Answers FAQs",
            url="https://bots.example/hook",
            webhook_url="https://bots.example/wh",
            webhook_enabled=True,
            type="tilebot",
            language="it",
            mainCategory="support",
            intentsEngine="tiledesk-ai",
            attributes={"rules": [{"when": "x"}]},
        )

        stored = (await _read(client, world, bot["_id"])).json()

        for document in (bot, stored):
            assert document["description"] == "Answers FAQs"
            assert document["url"] == "https://bots.example/hook"
            assert document["webhook_url"] == "https://bots.example/wh"
            assert document["webhook_enabled"] is True
            assert document["type"] == "tilebot"
            assert document["subtype"] == "chatbot"  # the default of tilebots only (§9.11)
            assert document["language"] == "it"
            assert document["mainCategory"] == "support"
            assert document["intentsEngine"] == "tiledesk-ai"
            assert document["attributes"] == {"rules": [{"when": "x"}]}

    async def test_an_explicit_subtype_wins_and_other_types_have_none(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        voice = await _bot(client, world, "Voice", type="tilebot", subtype="voice")
        external = await _bot(client, world, "Ext", type="external", url="https://x.example")

        assert voice["subtype"] == "voice"
        assert "subtype" not in external
        assert external["type"] == "external"

    async def test_ignores_what_creation_does_not_set(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(
            client,
            world,
            public=True,
            certified=True,
            trashed=True,
            tags=["a"],
            agents_available=True,
            id_project=world.other_project_id,
            createdBy="someone",
            secret="chosen",
            external=True,
        )

        assert bot["public"] is False
        assert bot["certified"] is False
        assert bot["trashed"] is False
        assert bot["tags"] == []
        assert bot["agents_available"] is False
        assert bot["id_project"] == world.project_id
        assert bot["createdBy"] == world.admin.id
        assert bot["type"] == "internal"  # the SDK's ``external`` flag means nothing (§10)

    async def test_accepts_a_form_body(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.post(
            f"/{world.project_id}/faq_kb",
            data={"name": "Form Bot", "webhook_enabled": "true"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json()["name"] == "Form Bot"
        assert response.json()["webhook_enabled"] is True

    async def test_emits_faqbot_create_without_the_secret(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        bot = await _bot(client, world)

        events = event_log.named("faqbot.create", world.project_id)

        assert [event.payload for event in events] == [bot]
        assert "secret" not in events[0].payload


class TestSecret:
    async def test_is_a_random_uuid_per_bot_and_never_answered(
        self, client: httpx.AsyncClient, world: World, app: Any
    ) -> None:
        first = await _bot(client, world)
        second = await _bot(client, world)

        stored = [
            await app.state.db.read(repository.get, world.project_id, bot["_id"])
            for bot in (first, second)
        ]
        updated = await client.put(
            f"/{world.project_id}/faq_kb/{first['_id']}", json={}, headers=world.owner.auth
        )
        answers = [first, second, (await _read(client, world, first["_id"])).json()]
        answers += await _listed(client, world) + [updated.json()]

        assert [uuid.UUID(row.secret).version for row in stored] == [4, 4]
        assert stored[0].secret != stored[1].secret
        assert all("secret" not in answer for answer in answers)
        assert all(row.secret not in str(answers) for row in stored)


class TestSlug:
    async def test_repeated_names_get_increasing_suffixes(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        slugs = [(await _bot(client, world, name))["slug"] for name in ("Help", "help", "HELP ")]

        assert slugs == ["help", "help-1", "help-2"]

    async def test_the_suffix_follows_the_highest_in_use(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await _bot(client, world, "Desk")
        await _bot(client, world, "Other", slug="desk-7")

        assert (await _bot(client, world, "Desk"))["slug"] == "desk-8"

    async def test_a_free_base_is_used_even_when_suffixed_slugs_exist(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await _bot(client, world, "Other", slug="sales-3")

        assert (await _bot(client, world, "Sales"))["slug"] == "sales"

    async def test_is_made_of_letters_digits_and_dashes(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world, "  Ça va, Bot_Numéro   1 !")

        assert bot["slug"] == "ca-va-bot-numero-1-"

    async def test_a_given_slug_is_kept_and_made_unique(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        first = await _bot(client, world, "A", slug="my.custom")
        second = await _bot(client, world, "B", slug="my.custom")
        lookalike = await _bot(client, world, "C", slug="myxcustom")

        assert [first["slug"], second["slug"], lookalike["slug"]] == [
            "my.custom",
            "my.custom-1",
            "myxcustom",
        ]

    async def test_is_unique_per_project_only(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await _bot(client, world, "Shared")
        response = await client.post(
            f"/{world.other_project_id}/faq_kb",
            json={"name": "Shared"},
            headers=world.stranger.auth,
        )

        assert response.status_code == 200
        assert response.json()["slug"] == "shared"


class TestCreateRejects:
    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({}, "name"),
            ({"name": ""}, "name"),
            ({"name": None}, "name"),
            ({"name": ["x"]}, "name"),
            ({"name": "x", "attributes": "flat"}, "attributes"),
            ({"name": "x", "webhook_enabled": "maybe"}, "webhook_enabled"),
            ({"name": "x", "type": 3}, "type"),
            ({"name": "x", "slug": ""}, "slug"),
        ],
    )
    async def test_bad_input_is_422_and_creates_nothing(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any], param: str
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/faq_kb", json=body, headers=world.owner.auth
        )

        assert response.status_code == 422
        errors = response.json()["errors"]
        assert [(e["param"], e["msg"], e["location"]) for e in errors] == [
            (param, "Invalid value", "body")
        ]
        assert await _listed(client, world, "?all=true") == []

    async def test_a_body_that_is_not_an_object_is_422(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/faq_kb", json=["name"], headers=world.owner.auth
        )

        assert response.status_code == 422
        assert await _listed(client, world, "?all=true") == []


class TestList:
    async def test_is_a_bare_array_of_the_project_bots_oldest_first(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        first = await _bot(client, world, "One")
        second = await _bot(client, world, "Two")
        await client.post(
            f"/{world.other_project_id}/faq_kb",
            json={"name": "Foreign"},
            headers=world.stranger.auth,
        )

        bots = await _listed(client, world)

        assert bots == [first, second]

    async def test_the_alias_lists_the_same(self, client: httpx.AsyncClient, world: World) -> None:
        await _bot(client, world)

        aliased = await client.get(f"/{world.project_id}/bots", headers=world.owner.auth)

        assert aliased.status_code == 200
        assert aliased.json() == await _listed(client, world)

    async def test_leaves_out_trashed_bots(self, client: httpx.AsyncClient, world: World) -> None:
        kept = await _bot(client, world, "Kept")
        trashed = await _bot(client, world, "Trashed")
        await client.put(
            f"/{world.project_id}/faq_kb/{trashed['_id']}",
            json={"trashed": True},
            headers=world.owner.auth,
        )

        assert [bot["_id"] for bot in await _listed(client, world)] == [kept["_id"]]
        assert [bot["_id"] for bot in await _listed(client, world, "?all=true")] == [kept["_id"]]

    async def test_identity_bots_only_with_all_true(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        plain = await _bot(client, world, "Plain")
        identity = await _bot(client, world, "Me", type="identity")

        default = [bot["_id"] for bot in await _listed(client, world)]
        everything = [bot["_id"] for bot in await _listed(client, world, "?all=true")]

        assert default == [plain["_id"]]
        assert everything == [plain["_id"], identity["_id"]]

    async def test_filters_on_public_and_certified(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        public = await _bot(client, world, "Public")
        private = await _bot(client, world, "Private")
        await client.put(
            f"/{world.project_id}/faq_kb/{public['_id']}",
            json={"public": True, "certified": True},
            headers=world.owner.auth,
        )

        publics = await _listed(client, world, "?public=true")
        privates = await _listed(client, world, "?public=false&certified=false")

        assert [bot["_id"] for bot in publics] == [public["_id"]]
        assert [bot["_id"] for bot in privates] == [private["_id"]]

    async def test_text_matches_any_word_of_name_description_or_tags(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        by_name = await _bot(client, world, "Billing helper")
        by_description = await _bot(client, world, "Other", description="Handles REFUNDS")
        tagged = await _bot(client, world, "Tagged")
        await client.put(
            f"/{world.project_id}/faq_kb/{tagged['_id']}",
            json={"tags": ["shipping"]},
            headers=world.owner.auth,
        )
        await _bot(client, world, "Unrelated")

        found = await _listed(client, world, "?text=billing refunds shipping&language=en")

        assert [bot["_id"] for bot in found] == [
            by_name["_id"],
            by_description["_id"],
            tagged["_id"],
        ]

    async def test_a_non_boolean_filter_is_422(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/faq_kb?public=sometimes", headers=world.owner.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["param"] == "public"
        assert response.json()["errors"][0]["location"] == "query"

    async def test_agents_see_only_bots_made_available_and_fewer_fields(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        hidden = await _bot(client, world, "Hidden")
        shown = await _bot(client, world, "Shown", url="https://x.example", attributes={"a": 1})
        await client.put(
            f"/{world.project_id}/faq_kb/{shown['_id']}",
            json={"agents_available": True},
            headers=world.owner.auth,
        )

        as_agent = await _listed(client, world, who="agent")
        as_supervisor = await _listed(client, world, who="supervisor")

        assert [bot["_id"] for bot in as_agent] == [shown["_id"]]
        assert set(as_agent[0]) == (ADMIN_FIELDS | {"url", "attributes"}) - AGENT_HIDDEN
        assert as_agent[0]["name"] == "Shown"
        assert as_agent[0]["agents_available"] is True
        assert [bot["_id"] for bot in as_supervisor] == [hidden["_id"], shown["_id"]]
        assert as_supervisor[1]["attributes"] == {"a": 1}


class TestGet:
    async def test_answers_the_bot_through_both_names(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world)

        for segment in ("faq_kb", "bots"):
            response = await client.get(
                f"/{world.project_id}/{segment}/{bot['_id']}", headers=world.admin.auth
            )
            assert response.status_code == 200
            assert response.json() == bot

    async def test_departmentid_adds_the_department(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world)
        departments = await client.get(f"/{world.project_id}/departments", headers=world.owner.auth)
        department = departments.json()[0]

        response = await client.get(
            f"/{world.project_id}/faq_kb/{bot['_id']}?departmentid={department['_id']}",
            headers=world.owner.auth,
        )

        assert response.status_code == 200
        assert response.json() == {**bot, "department": department}

    @pytest.mark.parametrize("department_id", ["0123456789abcdef01234567", "nonsense"])
    async def test_an_unknown_department_is_left_out(
        self, client: httpx.AsyncClient, world: World, department_id: str
    ) -> None:
        bot = await _bot(client, world)

        response = await client.get(
            f"/{world.project_id}/faq_kb/{bot['_id']}?departmentid={department_id}",
            headers=world.owner.auth,
        )

        assert response.status_code == 200
        assert response.json() == bot

    async def test_a_department_of_another_project_is_left_out(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world)
        foreign = await client.get(
            f"/{world.other_project_id}/departments", headers=world.stranger.auth
        )

        response = await client.get(
            f"/{world.project_id}/faq_kb/{bot['_id']}?departmentid={foreign.json()[0]['_id']}",
            headers=world.owner.auth,
        )

        assert response.json() == bot

    @pytest.mark.parametrize("bot_id", ["0123456789abcdef01234567", "not-an-id"])
    async def test_an_unknown_or_malformed_id_is_404(
        self, client: httpx.AsyncClient, world: World, bot_id: str
    ) -> None:
        response = await _read(client, world, bot_id)

        assert response.status_code == 404
        assert response.json() == _not_found(world, bot_id)

    async def test_a_bot_of_another_project_is_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await client.post(
            f"/{world.other_project_id}/faq_kb", json={"name": "F"}, headers=world.stranger.auth
        )
        foreign_id = foreign.json()["_id"]

        through_ours = await _read(client, world, foreign_id)

        assert through_ours.status_code == 404
        assert through_ours.json() == _not_found(world, foreign_id)


class TestUpdate:
    async def test_writes_the_fields_sent_and_marks_modified(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world, description="old", url="https://old.example")
        changes = {
            "name": "Renamed",
            "description": "new",
            "url": None,
            "webhook_url": "https://wh.example",
            "webhook_enabled": True,
            "type": "tilebot",
            "public": True,
            "certified": True,
            "mainCategory": "sales",
            "intentsEngine": "tiledesk-ai",
            "tags": ["a", "b"],
            "trained": False,
            "short_description": "short",
            "title": "Title",
            "certifiedTags": [{"color": "red", "name": "x"}],
            "agents_available": True,
            "slug": "renamed",
        }

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}", json=changes, headers=world.admin.auth
        )

        assert response.status_code == 200
        updated = response.json()
        expected = {**bot, **changes, "modified": True, "updatedAt": updated["updatedAt"]}
        del expected["url"]
        assert updated == expected
        assert updated["updatedAt"] >= bot["updatedAt"]
        assert (await _read(client, world, bot["_id"])).json() == updated

    async def test_leaves_alone_what_put_does_not_accept(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world, language="fr", attributes={"a": 1})

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}",
            json={
                "id_project": world.other_project_id,
                "createdBy": "x",
                "language": "de",
                "attributes": {},
                "score": 9,
                "secret": "s",
                "subtype": "voice",
                "_id": "0123456789abcdef01234567",
            },
            headers=world.owner.auth,
        )

        assert response.status_code == 200
        stored = (await _read(client, world, bot["_id"])).json()
        assert stored == {**bot, "modified": True, "updatedAt": stored["updatedAt"]}

    async def test_emits_faqbot_update(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        bot = await _bot(client, world)

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}",
            json={"name": "N"},
            headers=world.owner.auth,
        )

        events = event_log.named("faqbot.update", world.project_id)
        assert [event.payload for event in events] == [response.json()]

    async def test_a_slug_in_use_is_409_with_tiledesk_code(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await _bot(client, world, "Taken")
        bot = await _bot(client, world, "Mine")

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}",
            json={"slug": "taken", "name": "Changed"},
            headers=world.owner.auth,
        )

        assert response.status_code == 409
        assert response.json() == {
            "success": False,
            "msg": "Error updating object.",
            "error": "Slug already exists: taken",
            "error_code": 12001,
        }
        assert (await _read(client, world, bot["_id"])).json() == bot

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"name": None}, "name"),
            ({"name": ""}, "name"),
            ({"tags": "a"}, "tags"),
            ({"tags": None}, "tags"),
            ({"public": "perhaps"}, "public"),
            ({"trashed": None}, "trashed"),
            ({"certifiedTags": {"a": 1}}, "certifiedTags"),
            ({"slug": ""}, "slug"),
        ],
    )
    async def test_bad_input_is_422_and_writes_nothing(
        self,
        client: httpx.AsyncClient,
        world: World,
        body: dict[str, Any],
        param: str,
    ) -> None:
        bot = await _bot(client, world)

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}", json=body, headers=world.owner.auth
        )

        assert response.status_code == 422
        assert [error["param"] for error in response.json()["errors"]] == [param]
        assert (await _read(client, world, bot["_id"])).json() == bot

    async def test_an_unknown_bot_is_404_not_an_upsert(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot_id = "0123456789abcdef01234567"

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot_id}", json={"name": "x"}, headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == _not_found(world, bot_id)
        assert await _listed(client, world, "?all=true") == []

    async def test_a_bot_of_another_project_is_404_and_unchanged(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world)

        response = await client.put(
            f"/{world.other_project_id}/faq_kb/{bot['_id']}",
            json={"name": "Hijacked"},
            headers=world.stranger.auth,
        )

        assert response.status_code == 404
        assert response.json() == _not_found(world, bot["_id"], world.other_project_id)
        assert (await _read(client, world, bot["_id"])).json() == bot


class TestTrash:
    async def test_trashing_renames_the_slug_and_stamps_trashed_at(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        bot = await _bot(client, world, "Old")

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}",
            json={"trashed": True},
            headers=world.owner.auth,
        )

        trashed = response.json()
        assert response.status_code == 200
        assert trashed["trashed"] is True
        assert re.fullmatch(r"old-trashed-\d{13}", trashed["slug"])
        assert ISO.match(trashed["trashedAt"])
        assert (await _read(client, world, bot["_id"])).json() == trashed
        assert event_log.named("faqbot.update", world.project_id)[-1].payload == trashed

    async def test_the_slug_of_a_trashed_bot_is_free_again(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world, "Reuse")
        await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}",
            json={"trashed": True},
            headers=world.owner.auth,
        )

        assert (await _bot(client, world, "Reuse"))["slug"] == "reuse"

    async def test_restoring_brings_it_back_to_the_list(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world, "Back")
        url = f"/{world.project_id}/faq_kb/{bot['_id']}"
        trashed = (await client.put(url, json={"trashed": True}, headers=world.owner.auth)).json()

        restored = await client.put(url, json={"trashed": False}, headers=world.owner.auth)

        assert restored.status_code == 200
        assert restored.json()["trashed"] is False
        assert "trashedAt" not in restored.json()
        assert restored.json()["slug"] == trashed["slug"]
        assert [listed["_id"] for listed in await _listed(client, world)] == [bot["_id"]]


class TestAttributes:
    async def test_merges_top_level_keys(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        bot = await _bot(client, world, attributes={"keep": 1, "replace": {"a": 1}})

        response = await client.patch(
            f"/{world.project_id}/faq_kb/{bot['_id']}/attributes",
            json={"replace": {"b": 2}, "rules": []},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        merged = {"keep": 1, "replace": {"b": 2}, "rules": []}
        assert response.json()["attributes"] == merged
        assert (await _read(client, world, bot["_id"])).json()["attributes"] == merged
        assert event_log.named("faqbot.update", world.project_id)[-1].payload == response.json()

    async def test_starts_from_nothing(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await _bot(client, world)

        response = await client.patch(
            f"/{world.project_id}/bots/{bot['_id']}/attributes",
            json={"rules": [1]},
            headers=world.owner.auth,
        )

        assert response.json()["attributes"] == {"rules": [1]}

    async def test_a_body_that_is_not_an_object_is_422(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world, attributes={"a": 1})

        response = await client.patch(
            f"/{world.project_id}/faq_kb/{bot['_id']}/attributes",
            json=["x"],
            headers=world.owner.auth,
        )

        assert response.status_code == 422
        assert (await _read(client, world, bot["_id"])).json() == bot

    async def test_an_unknown_bot_is_404(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.patch(
            f"/{world.project_id}/faq_kb/0123456789abcdef01234567/attributes",
            json={"a": 1},
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        assert response.json() == _not_found(world, "0123456789abcdef01234567")


class TestLanguage:
    async def test_sets_the_language(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await _bot(client, world)

        response = await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}/language/it", headers=world.admin.auth
        )

        assert response.status_code == 200
        assert response.json()["language"] == "it"
        assert response.json()["modified"] is False
        assert (await _read(client, world, bot["_id"])).json()["language"] == "it"

    async def test_an_unknown_bot_is_404(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.put(
            f"/{world.project_id}/faq_kb/nope/language/it", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == _not_found(world, "nope")


class TestDelete:
    async def test_removes_the_bot_for_good(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        bot = await _bot(client, world)

        response = await client.delete(
            f"/{world.project_id}/faq_kb/{bot['_id']}", headers=world.admin.auth
        )

        assert response.status_code == 200
        assert response.json() == {
            "success": True,
            "message": f"Chatbot with id {bot['_id']} deleted successfully",
        }
        assert (await _read(client, world, bot["_id"])).status_code == 404
        assert await _listed(client, world, "?all=true") == []
        assert [e.payload for e in event_log.named("faqbot.delete", world.project_id)] == [bot]

    async def test_an_unknown_bot_is_404(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await _bot(client, world)
        await client.delete(f"/{world.project_id}/faq_kb/{bot['_id']}", headers=world.owner.auth)

        again = await client.delete(
            f"/{world.project_id}/faq_kb/{bot['_id']}", headers=world.owner.auth
        )

        assert again.status_code == 404
        assert again.json() == _not_found(world, bot["_id"])

    async def test_a_bot_of_another_project_stays(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot = await _bot(client, world)

        response = await client.delete(
            f"/{world.other_project_id}/faq_kb/{bot['_id']}", headers=world.stranger.auth
        )

        assert response.status_code == 404
        assert (await _read(client, world, bot["_id"])).json() == bot


# Who may call what (§5.13): the list is for agents and up, everything else for admins.
_CALLERS = ["owner", "admin", "supervisor", "agent", "guest", "end_user", "outsider", "stranger"]
_ADMINS_ONLY = {
    "owner": 200,
    "admin": 200,
    "supervisor": ROLE_TOO_LOW,
    "agent": ROLE_TOO_LOW,
    "guest": ROLE_TOO_LOW,
    "end_user": ROLE_TOO_LOW,
    "outsider": NOT_A_MEMBER,
    "stranger": NOT_A_MEMBER,
}


def _headers(world: World, who: str) -> dict[str, str]:
    caller: Any = getattr(world, who)
    headers: dict[str, str] = caller.auth
    return headers


class TestRoles:
    @pytest.mark.parametrize("who", _CALLERS)
    async def test_create(self, client: httpx.AsyncClient, world: World, who: str) -> None:
        response = await client.post(
            f"/{world.project_id}/faq_kb", json={"name": "R"}, headers=_headers(world, who)
        )

        await self._check(client, world, response, _ADMINS_ONLY[who])
        expected = 1 if _ADMINS_ONLY[who] == 200 else 0
        assert len(await _listed(client, world)) == expected

    @pytest.mark.parametrize("who", _CALLERS)
    async def test_list(self, client: httpx.AsyncClient, world: World, who: str) -> None:
        response = await client.get(f"/{world.project_id}/faq_kb", headers=_headers(world, who))

        expected = {**_ADMINS_ONLY, "supervisor": 200, "agent": 200}[who]
        await self._check(client, world, response, expected)

    @pytest.mark.parametrize("who", _CALLERS)
    @pytest.mark.parametrize(
        ("method", "path", "body"),
        [
            ("GET", "", None),
            ("PUT", "", {"name": "Changed"}),
            ("PUT", "/language/de", None),
            ("PATCH", "/attributes", {"changed": True}),
            ("DELETE", "", None),
        ],
    )
    async def test_by_id(
        self,
        client: httpx.AsyncClient,
        world: World,
        who: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
    ) -> None:
        bot = await _bot(client, world)

        response = await client.request(
            method,
            f"/{world.project_id}/faq_kb/{bot['_id']}{path}",
            json=body,
            headers=_headers(world, who),
        )

        await self._check(client, world, response, _ADMINS_ONLY[who])
        if _ADMINS_ONLY[who] != 200:
            assert (await _read(client, world, bot["_id"])).json() == bot

    async def test_without_credentials_is_401(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(f"/{world.project_id}/faq_kb", json={"name": "x"})

        assert response.status_code == 401
        assert response.text == "Unauthorized"
        assert await _listed(client, world) == []

    @staticmethod
    async def _check(
        client: httpx.AsyncClient, world: World, response: httpx.Response, expected: object
    ) -> None:
        if expected == 200:
            assert response.status_code == 200, response.text
        else:
            assert response.status_code == 403
            assert response.json() == expected


class TestConcurrency:
    async def test_simultaneous_creations_get_distinct_slugs(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        responses = await asyncio.gather(
            *(
                client.post(
                    f"/{world.project_id}/faq_kb", json={"name": "Race"}, headers=world.admin.auth
                )
                for _ in range(8)
            )
        )

        assert [response.status_code for response in responses] == [200] * 8
        slugs = sorted(bot["slug"] for bot in await _listed(client, world))
        assert slugs == ["race"] + [f"race-{n}" for n in range(1, 8)]
