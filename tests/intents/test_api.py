"""Intents, ``/:pid/faq`` and its alias ``/:pid/intents``, and the public ``/:pid/faqpub``
(fact sheet §5.14, §9.12)."""

import re
from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import World, make_world
from tests.intents.support import (
    NOT_A_MEMBER,
    OBJECT_NOT_FOUND,
    ROLE_TOO_LOW,
    bot_token,
    intents_of,
    make_bot,
    make_intent,
)

FIELDS = {
    "_id", "id", "id_faq_kb", "intent_id", "intent_display_name", "enabled", "id_project",
    "topic", "status", "language", "webhook_enabled", "agents_available", "createdBy",
    "createdAt", "updatedAt", "__v",
}  # fmt: skip
AGENT_HIDDEN = {
    "webhook_enabled", "faq_kb", "actions", "attributes", "createdBy", "createdAt", "updatedAt",
    "__v",
}  # fmt: skip
DUPLICATE = {"success": False, "msg": "Duplicate  intent_display_name."}
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture
async def bot(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    return await make_bot(client, world.project_id, world.admin, language="it")


async def _get(client: httpx.AsyncClient, world: World, intent_id: str) -> httpx.Response:
    return await client.get(f"/{world.project_id}/faq/{intent_id}", headers=world.owner.auth)


class TestCreate:
    async def test_answers_the_intent_field_by_field(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/faq",
            json={"id_faq_kb": bot["_id"], "question": "Where is my order?", "answer": "Here."},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        intent = response.json()
        assert set(intent) == FIELDS | {"question", "answer"}
        assert re.fullmatch(r"[0-9a-f]{24}", intent["_id"])
        assert intent["id"] == intent["_id"]
        assert intent["id_faq_kb"] == bot["_id"]
        assert intent["id_project"] == world.project_id
        assert intent["question"] == "Where is my order?"
        assert intent["answer"] == "Here."
        assert UUID.match(intent["intent_id"])
        assert re.fullmatch(r"[A-Za-z0-9_-]{6}", intent["intent_display_name"])
        assert intent["language"] == "it"  # the bot's (§5.14)
        assert (intent["enabled"], intent["webhook_enabled"]) == (True, False)
        assert (intent["topic"], intent["status"]) == ("default", "live")
        assert intent["agents_available"] is False
        assert intent["createdBy"] == world.admin.id
        assert intent["__v"] == 0
        assert (await _get(client, world, intent["_id"])).json() == intent

    async def test_keeps_every_accepted_field(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        body = {
            "_id": "0123456789abcdef01234567",
            "intent_id": "my-intent",
            "intent_display_name": "orders",
            "question": "Q",
            "answer": "A",
            "reply": {"text": "r"},
            "form": {"fields": []},
            "enabled": False,
            "topic": "shop",
            "webhook_enabled": True,
            "actions": [{"_tdActionType": "reply", "text": "A"}],
            "attributes": {"position": {"x": 1, "y": 2}},
        }

        intent = await make_intent(client, world.project_id, world.admin, bot["_id"], **body)

        for key, value in body.items():
            assert intent[key] == value, key

    async def test_emits_faq_create(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any], event_log: EventLog
    ) -> None:
        intent = await make_intent(client, world.project_id, world.admin, bot["_id"], question="Q")

        created = [e.payload for e in event_log.named("faq.create", world.project_id)]

        assert created == [intent]

    @pytest.mark.parametrize("field", ["intent_display_name", "intent_id"])
    async def test_a_name_or_intent_id_in_use_in_the_bot_is_409(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any], field: str
    ) -> None:
        await make_intent(client, world.project_id, world.admin, bot["_id"], **{field: "same"})
        other = await make_bot(client, world.project_id, world.admin, "Other")
        await make_intent(client, world.project_id, world.admin, other["_id"], **{field: "same"})

        response = await client.post(
            f"/{world.project_id}/faq",
            json={"id_faq_kb": bot["_id"], field: "same"},
            headers=world.admin.auth,
        )

        assert response.status_code == 409
        assert response.json() == DUPLICATE
        assert len(await intents_of(client, world.project_id, world.owner, bot["_id"])) == 1

    async def test_needs_a_bot_of_the_project(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await make_bot(client, world.other_project_id, world.stranger)

        for body in ({}, {"id_faq_kb": "0123456789abcdef01234567"}, {"id_faq_kb": foreign["_id"]}):
            response = await client.post(
                f"/{world.project_id}/faq", json={"question": "Q", **body}, headers=world.admin.auth
            )
            assert response.status_code == 404
            assert response.json() == OBJECT_NOT_FOUND
        listed = await client.get(f"/{world.project_id}/faq", headers=world.owner.auth)
        assert listed.json() == []

    @pytest.mark.parametrize(
        "body",
        [
            {"enabled": "maybe"},
            {"actions": "not a list"},
            {"attributes": [1]},
            {"_id": "not-an-object-id"},
            {"intent_display_name": ""},
        ],
    )
    async def test_bad_input_is_422_and_writes_nothing(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any], body: dict[str, Any]
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/faq",
            json={"id_faq_kb": bot["_id"], **body},
            headers=world.admin.auth,
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["msg"] == "Invalid value"
        assert await intents_of(client, world.project_id, world.owner, bot["_id"]) == []


class TestList:
    async def test_is_a_bare_array_oldest_first_with_the_bot_populated(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        first = await make_intent(client, world.project_id, world.admin, bot["_id"], question="1")
        second = await make_intent(client, world.project_id, world.admin, bot["_id"], question="2")

        listed = await intents_of(client, world.project_id, world.owner, bot["_id"])

        assert [item["_id"] for item in listed] == [first["_id"], second["_id"]]
        assert listed[0] == {**first, "faq_kb": [bot]}

    async def test_the_alias_lists_the_same(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        await make_intent(client, world.project_id, world.admin, bot["_id"], question="1")

        alias = await client.get(f"/{world.project_id}/intents", headers=world.owner.auth)
        main = await client.get(f"/{world.project_id}/faq", headers=world.owner.auth)

        assert alias.status_code == 200
        assert alias.json() == main.json()
        assert len(main.json()) == 1

    async def test_filters(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        other = await make_bot(client, world.project_id, world.admin, "Other")
        hours = await make_intent(
            client,
            world.project_id,
            world.admin,
            bot["_id"],
            question="What are your opening hours?",
            intent_display_name="hours",
        )
        refund = await make_intent(
            client, world.project_id, world.admin, bot["_id"], question="Refunds", answer="Crème"
        )
        elsewhere = await make_intent(
            client, world.project_id, world.admin, other["_id"], question="opening soon"
        )

        async def ids(**params: str) -> list[str]:
            response = await client.get(
                f"/{world.project_id}/faq", params=params, headers=world.owner.auth
            )
            assert response.status_code == 200, response.text
            return [item["_id"] for item in response.json()]

        assert await ids(id_faq_kb=other["_id"]) == [elsewhere["_id"]]
        assert await ids(intent_display_name="hours") == [hours["_id"]]
        assert await ids(text="OPENING") == [hours["_id"], elsewhere["_id"]]
        assert await ids(text="creme") == [refund["_id"]]  # answers too, accents folded
        assert await ids(text="opening", id_faq_kb=bot["_id"]) == [hours["_id"]]
        assert await ids(limit="1", page="1") == [refund["_id"]]

    async def test_never_lists_another_project_s_intents(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await make_bot(client, world.other_project_id, world.stranger)
        await make_intent(
            client, world.other_project_id, world.stranger, foreign["_id"], question="secret"
        )

        for params in ({}, {"id_faq_kb": foreign["_id"]}, {"text": "secret"}):
            response = await client.get(
                f"/{world.project_id}/faq", params=params, headers=world.owner.auth
            )
            assert response.json() == []

    async def test_agents_see_available_intents_only_in_a_reduced_shape(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        shown = await make_intent(client, world.project_id, world.admin, bot["_id"], question="Q")
        await client.put(
            f"/{world.project_id}/faq/{shown['_id']}",
            json={"id_faq_kb": bot["_id"], "agents_available": True},
            headers=world.admin.auth,
        )
        for name in ("start", "defaultFallback", "hidden"):
            made = await make_intent(
                client, world.project_id, world.admin, bot["_id"], intent_display_name=name
            )
            if name != "hidden":
                await client.put(
                    f"/{world.project_id}/faq/{made['_id']}",
                    json={"id_faq_kb": bot["_id"], "agents_available": True},
                    headers=world.admin.auth,
                )

        listed = await intents_of(client, world.project_id, world.agent, bot["_id"])

        assert [item["_id"] for item in listed] == [shown["_id"]]
        assert not AGENT_HIDDEN & set(listed[0])
        assert listed[0]["question"] == "Q"

    async def test_a_non_numeric_limit_is_422(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/faq", params={"limit": "many"}, headers=world.owner.auth
        )

        assert response.status_code == 422


class TestGet:
    @pytest.mark.parametrize("intent_id", ["0123456789abcdef01234567", "nonsense"])
    async def test_an_unknown_or_malformed_id_is_404(
        self, client: httpx.AsyncClient, world: World, intent_id: str
    ) -> None:
        response = await _get(client, world, intent_id)

        assert response.status_code == 404
        assert response.json() == OBJECT_NOT_FOUND

    async def test_an_intent_of_another_project_is_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await make_bot(client, world.other_project_id, world.stranger)
        intent = await make_intent(client, world.other_project_id, world.stranger, foreign["_id"])

        response = await _get(client, world, intent["_id"])

        assert response.status_code == 404


class TestUpdate:
    async def test_writes_the_fields_sent(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any], event_log: EventLog
    ) -> None:
        intent = await make_intent(
            client, world.project_id, world.admin, bot["_id"], question="Old words", answer="A"
        )

        response = await client.put(
            f"/{world.project_id}/faq/{intent['_id']}",
            json={
                "id_faq_kb": bot["_id"],
                "question": "Fresh words",
                "enabled": False,
                "status": "draft",
                "language": "fr",
                "actions": [],
                "createdBy": "someone",
            },
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        updated = response.json()
        assert updated["question"] == "Fresh words"
        assert (updated["enabled"], updated["status"], updated["language"]) == (
            False,
            "draft",
            "fr",
        )
        assert updated["actions"] == []
        assert updated["answer"] == "A"
        assert updated["createdBy"] == world.admin.id
        assert (await _get(client, world, intent["_id"])).json() == updated
        assert event_log.named("faq.update", world.project_id)[-1].payload == updated
        found = await client.get(
            f"/{world.project_id}/faq", params={"text": "fresh"}, headers=world.owner.auth
        )
        gone = await client.get(
            f"/{world.project_id}/faq", params={"text": "old"}, headers=world.owner.auth
        )
        assert [item["_id"] for item in found.json()] == [intent["_id"]]
        assert gone.json() == []

    async def test_addresses_an_intent_by_intent_id(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        intent = await make_intent(
            client, world.project_id, world.admin, bot["_id"], intent_id="abc"
        )

        response = await client.put(
            f"/{world.project_id}/faq/intentIdabc",
            json={"id_faq_kb": bot["_id"], "answer": "Via intent id"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json()["_id"] == intent["_id"]
        assert response.json()["answer"] == "Via intent id"

    async def test_without_the_bot_is_tiledesk_s_422(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        intent = await make_intent(client, world.project_id, world.admin, bot["_id"], answer="A")

        response = await client.put(
            f"/{world.project_id}/faq/{intent['_id']}",
            json={"answer": "B"},
            headers=world.admin.auth,
        )

        assert response.status_code == 422
        assert response.json() == {"err": "Missing id_faq_kb in Request Body"}
        assert (await _get(client, world, intent["_id"])).json() == intent

    async def test_a_name_in_use_is_409(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        await make_intent(
            client, world.project_id, world.admin, bot["_id"], intent_display_name="a"
        )
        second = await make_intent(
            client, world.project_id, world.admin, bot["_id"], intent_display_name="b"
        )

        response = await client.put(
            f"/{world.project_id}/faq/{second['_id']}",
            json={"id_faq_kb": bot["_id"], "intent_display_name": "a"},
            headers=world.admin.auth,
        )

        assert response.status_code == 409
        assert response.json() == DUPLICATE
        assert (await _get(client, world, second["_id"])).json() == second

    @pytest.mark.parametrize("body", [{"enabled": None}, {"topic": None}, {"reply": "text"}])
    async def test_bad_input_is_422(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any], body: dict[str, Any]
    ) -> None:
        intent = await make_intent(client, world.project_id, world.admin, bot["_id"])

        response = await client.put(
            f"/{world.project_id}/faq/{intent['_id']}",
            json={"id_faq_kb": bot["_id"], **body},
            headers=world.admin.auth,
        )

        assert response.status_code == 422
        assert (await _get(client, world, intent["_id"])).json() == intent

    async def test_an_unknown_intent_is_404_not_an_upsert(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        for key in ("0123456789abcdef01234567", "intentIdnothing"):
            response = await client.put(
                f"/{world.project_id}/faq/{key}",
                json={"id_faq_kb": bot["_id"], "question": "Q"},
                headers=world.admin.auth,
            )
            assert response.status_code == 404
            assert response.json() == OBJECT_NOT_FOUND
        assert await intents_of(client, world.project_id, world.owner, bot["_id"]) == []


class TestAttributes:
    async def test_merges_top_level_keys(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        intent = await make_intent(
            client, world.project_id, world.admin, bot["_id"], attributes={"a": 1, "b": {"c": 2}}
        )

        response = await client.patch(
            f"/{world.project_id}/faq/{intent['_id']}/attributes",
            json={"b": {"d": 3}, "e": True},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json()["attributes"] == {"a": 1, "b": {"d": 3}, "e": True}

    async def test_a_body_that_is_not_an_object_is_422(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        intent = await make_intent(client, world.project_id, world.admin, bot["_id"])

        response = await client.patch(
            f"/{world.project_id}/faq/{intent['_id']}/attributes",
            json=[1, 2],
            headers=world.admin.auth,
        )

        assert response.status_code == 422


class TestDelete:
    async def test_answers_the_deleted_intent(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any], event_log: EventLog
    ) -> None:
        intent = await make_intent(client, world.project_id, world.admin, bot["_id"], question="Q")

        response = await client.delete(
            f"/{world.project_id}/faq/{intent['_id']}", headers=world.admin.auth
        )

        assert response.status_code == 200
        assert response.json() == intent
        assert (await _get(client, world, intent["_id"])).status_code == 404
        assert event_log.named("faq.delete", world.project_id)[-1].payload == intent

    async def test_by_intent_id_needs_the_bot(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        intent = await make_intent(
            client, world.project_id, world.admin, bot["_id"], intent_id="x1"
        )
        base = f"/{world.project_id}/faq/intentIdx1"

        without = await client.delete(base, headers=world.admin.auth)
        unknown = await client.delete(
            f"/{world.project_id}/faq/intentIdnope",
            params={"id_faq_kb": bot["_id"]},
            headers=world.admin.auth,
        )
        deleted = await client.delete(
            base, params={"id_faq_kb": bot["_id"]}, headers=world.admin.auth
        )

        assert without.status_code == 400
        assert "id_faq_kb" in without.json()["msg"]
        assert unknown.status_code == 404
        assert unknown.json() == {
            "success": False,
            "msg": "Error deleting object. The object does not exists.",
        }
        assert deleted.status_code == 200
        assert deleted.json()["_id"] == intent["_id"]

    async def test_an_intent_of_another_project_stays(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await make_bot(client, world.other_project_id, world.stranger)
        intent = await make_intent(client, world.other_project_id, world.stranger, foreign["_id"])

        response = await client.delete(
            f"/{world.project_id}/faq/{intent['_id']}", headers=world.owner.auth
        )

        assert response.status_code == 404
        still = await client.get(
            f"/{world.other_project_id}/faq/{intent['_id']}", headers=world.stranger.auth
        )
        assert still.status_code == 200


class TestCsv:
    async def test_download_lists_the_bot_s_intents(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        await make_intent(
            client,
            world.project_id,
            world.admin,
            bot["_id"],
            question="Where; now?",
            answer="Here",
            intent_id="i1",
            intent_display_name="where",
        )

        response = await client.get(
            f"/{world.project_id}/faq/csv",
            params={"id_faq_kb": bot["_id"]},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")
        assert response.text == (
            "question;answer;intent_id;intent_display_name;webhook_enabled\n"
            '"Where; now?";Here;i1;where;false\n'
        )

    async def test_upload_makes_one_intent_per_row(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any], event_log: EventLog
    ) -> None:
        await make_intent(
            client, world.project_id, world.admin, bot["_id"], intent_display_name="taken"
        )
        content = (
            "question;answer;intent_id;intent_display_name;webhook_enabled\n"
            "Opening hours?;9 to 5;h1;hours;true\n"
            "Refund?;Within 30 days\n"
            "\n"
            "Dup;Skipped;d1;taken;false\n"
        )

        response = await client.post(
            f"/{world.project_id}/faq/uploadcsv",
            data={"id_faq_kb": bot["_id"]},
            files={"uploadFile": ("faq.csv", content.encode(), "text/csv")},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json() == {"success": True, "msg": "CSV Parsed"}
        listed = await intents_of(client, world.project_id, world.owner, bot["_id"])
        assert [item["question"] for item in listed[1:]] == ["Opening hours?", "Refund?"]
        hours = listed[1]
        assert (hours["answer"], hours["intent_id"], hours["intent_display_name"]) == (
            "9 to 5",
            "h1",
            "hours",
        )
        assert hours["webhook_enabled"] is True
        assert hours["language"] == "it"
        assert hours["actions"][0]["_tdActionType"] == "reply"
        assert hours["actions"][0]["text"] == "9 to 5"
        assert listed[2]["webhook_enabled"] is False
        assert len(event_log.named("faq.create", world.project_id)) == 3

    async def test_download_then_upload_gives_the_same_rows(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        for n in range(3):
            await make_intent(
                client,
                world.project_id,
                world.admin,
                bot["_id"],
                question=f"Question {n}",
                answer=f"Answer {n}",
            )
        copy = await make_bot(client, world.project_id, world.admin, "Copy")
        download = f"/{world.project_id}/faq/csv"
        exported = await client.get(
            download, params={"id_faq_kb": bot["_id"]}, headers=world.admin.auth
        )

        await client.post(
            f"/{world.project_id}/faq/uploadcsv",
            data={"id_faq_kb": copy["_id"]},
            files={"uploadFile": ("faq.csv", exported.content, "text/csv")},
            headers=world.admin.auth,
        )

        again = await client.get(
            download, params={"id_faq_kb": copy["_id"]}, headers=world.admin.auth
        )
        assert again.text == exported.text

    async def test_a_custom_delimiter(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/faq/uploadcsv",
            data={"id_faq_kb": bot["_id"], "delimiter": ","},
            files={"uploadFile": ("faq.csv", b"Hi,Hello", "text/csv")},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        listed = await intents_of(client, world.project_id, world.owner, bot["_id"])
        assert [(item["question"], item["answer"]) for item in listed] == [("Hi", "Hello")]

    @pytest.mark.parametrize(
        ("data", "files", "status"),
        [
            ({}, {"uploadFile": ("f.csv", b"a;b", "text/csv")}, 404),
            ({"id_faq_kb": "BOT"}, {}, 422),
            (
                {"id_faq_kb": "BOT", "delimiter": ";;"},
                {"uploadFile": ("f", b"a;b", "text/csv")},
                422,
            ),
            ({"id_faq_kb": "BOT"}, {"uploadFile": ("f.csv", b"\xff\xfe\x00", "text/csv")}, 400),
        ],
    )
    async def test_bad_uploads_write_nothing(
        self,
        client: httpx.AsyncClient,
        world: World,
        bot: dict[str, Any],
        data: dict[str, str],
        files: dict[str, Any],
        status: int,
    ) -> None:
        body = {key: bot["_id"] if value == "BOT" else value for key, value in data.items()}

        response = await client.post(
            f"/{world.project_id}/faq/uploadcsv",
            data=body,
            files=files or {"other": ("x", b"", "text/plain")},
            headers=world.admin.auth,
        )

        assert response.status_code == status, response.text
        assert await intents_of(client, world.project_id, world.owner, bot["_id"]) == []


class TestOperations:
    async def test_applies_each_operation_in_order(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        kept = await make_intent(client, world.project_id, world.admin, bot["_id"], question="K")
        dropped = await make_intent(
            client, world.project_id, world.admin, bot["_id"], intent_id="d"
        )
        operations = [
            {"type": "post", "intent": {"intent_display_name": "new", "question": "N"}},
            {"type": "put", "intent": {"_id": kept["_id"], "answer": "Changed"}},
            {"type": "patch", "intent": {"_id": kept["_id"], "attributes": {"x": 1}}},
            {"type": "delete", "intent": {"intent_id": "d"}},
            {"type": "put", "intent": {"_id": "0123456789abcdef01234567", "answer": "lost"}},
            {"type": "post", "intent": {"intent_display_name": "new"}},
            {"type": "unknown", "intent": {}},
        ]

        response = await client.post(
            f"/{world.project_id}/faq/ops_update",
            json={"id_faq_kb": bot["_id"], "operations": operations},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json() == {"success": True}
        listed = await intents_of(client, world.project_id, world.owner, bot["_id"])
        assert [item["intent_display_name"] for item in listed][1:] == ["new"]
        assert (listed[0]["answer"], listed[0]["attributes"]) == ("Changed", {"x": 1})
        assert dropped["_id"] not in {item["_id"] for item in listed}
        stored = await client.get(
            f"/{world.project_id}/faq_kb/{bot['_id']}", headers=world.owner.auth
        )
        assert stored.json()["modified"] is True

    async def test_a_bot_of_another_project_is_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        foreign = await make_bot(client, world.other_project_id, world.stranger)

        response = await client.post(
            f"/{world.project_id}/faq/ops_update",
            json={"id_faq_kb": foreign["_id"], "operations": [{"type": "post", "intent": {}}]},
            headers=world.admin.auth,
        )

        assert response.status_code == 404
        assert (
            await intents_of(client, world.other_project_id, world.stranger, foreign["_id"]) == []
        )


class TestPublicSearch:
    async def test_needs_no_credentials_and_shows_only_this_project(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        mine = await make_intent(
            client, world.project_id, world.admin, bot["_id"], question="Shipping costs"
        )
        foreign = await make_bot(client, world.other_project_id, world.stranger)
        await make_intent(
            client, world.other_project_id, world.stranger, foreign["_id"], question="Shipping"
        )

        everything = await client.get(f"/{world.project_id}/faqpub")
        by_text = await client.get(f"/{world.project_id}/faqpub", params={"text": "shipping"})
        by_foreign_bot = await client.get(
            f"/{world.project_id}/faqpub", params={"id_faq_kb": foreign["_id"]}
        )

        assert everything.status_code == 200
        assert everything.json() == [{**mine, "faq_kb": [bot]}]
        assert [item["_id"] for item in by_text.json()] == [mine["_id"]]
        assert by_foreign_bot.json() == []

    async def test_leaves_out_trashed_bots(
        self, client: httpx.AsyncClient, world: World, bot: dict[str, Any]
    ) -> None:
        await make_intent(client, world.project_id, world.admin, bot["_id"], question="Q")
        await client.put(
            f"/{world.project_id}/faq_kb/{bot['_id']}",
            json={"trashed": True},
            headers=world.admin.auth,
        )

        response = await client.get(f"/{world.project_id}/faqpub")

        assert response.json() == []

    async def test_an_unknown_project_is_400(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/0123456789abcdef01234567/faqpub")

        assert response.status_code == 400


# Who may call what (§5.14): the list is for agents and machines, the rest for admins and
# machines of the project.
_CALLERS = ["owner", "admin", "supervisor", "agent", "guest", "end_user", "outsider", "stranger"]
_ADMINS = {
    "owner": 200,
    "admin": 200,
    "supervisor": ROLE_TOO_LOW,
    "agent": ROLE_TOO_LOW,
    "guest": ROLE_TOO_LOW,
    "end_user": ROLE_TOO_LOW,
    "outsider": NOT_A_MEMBER,
    "stranger": NOT_A_MEMBER,
}
_AGENTS = {**_ADMINS, "supervisor": 200, "agent": 200}
_ROUTES = [
    ("GET", "", None, _AGENTS),
    ("GET", "/csv", None, _ADMINS),
    ("POST", "", {"question": "New"}, _ADMINS),
    ("GET", "/INTENT", None, _ADMINS),
    ("PUT", "/INTENT", {"answer": "Changed"}, _ADMINS),
    ("PATCH", "/INTENT/attributes", {"x": 1}, _ADMINS),
    ("POST", "/ops_update", {"operations": []}, _ADMINS),
    ("DELETE", "/INTENT", None, _ADMINS),
]


@pytest.fixture(scope="module")
async def shared_world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


class TestRoles:
    @pytest.mark.parametrize("who", _CALLERS)
    @pytest.mark.parametrize(("method", "path", "body", "access"), _ROUTES)
    async def test_members(
        self,
        client: httpx.AsyncClient,
        shared_world: World,
        who: str,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        access: dict[str, Any],
    ) -> None:
        world = shared_world
        bot = await make_bot(client, world.project_id, world.admin)
        intent = await make_intent(client, world.project_id, world.admin, bot["_id"], answer="A")
        caller: Any = getattr(world, who)

        response = await client.request(
            method,
            f"/{world.project_id}/faq{path.replace('INTENT', intent['_id'])}",
            params={"id_faq_kb": bot["_id"]},
            json={"id_faq_kb": bot["_id"], **body} if body is not None else None,
            headers=caller.auth,
        )

        if access[who] == 200:
            assert response.status_code == 200, response.text
        else:
            assert response.status_code == 403
            assert response.json() == access[who]
            stored = await intents_of(client, world.project_id, world.owner, bot["_id"])
            assert stored == [{**intent, "faq_kb": [bot]}]

    @pytest.mark.parametrize(("method", "path", "body", "access"), _ROUTES)
    async def test_the_project_s_bots_may_call_and_other_projects_bots_may_not(
        self,
        client: httpx.AsyncClient,
        shared_world: World,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        access: dict[str, Any],
    ) -> None:
        world = shared_world
        bot = await make_bot(client, world.project_id, world.admin)
        intent = await make_intent(client, world.project_id, world.admin, bot["_id"], answer="A")
        foreign = await make_bot(client, world.other_project_id, world.stranger)
        foreign_token = await client.get(
            f"/{world.other_project_id}/faq_kb/{foreign['_id']}/jwt", headers=world.stranger.auth
        )
        url = f"/{world.project_id}/faq{path.replace('INTENT', intent['_id'])}"
        payload = {"id_faq_kb": bot["_id"], **body} if body is not None else None

        own = await client.request(
            method,
            url,
            params={"id_faq_kb": bot["_id"]},
            json=payload,
            headers=await bot_token(client, world, bot["_id"]),
        )
        other = await client.request(
            method,
            url,
            params={"id_faq_kb": bot["_id"]},
            json=payload,
            headers={"Authorization": "JWT " + foreign_token.json()["jwt"]},
        )

        assert own.status_code == 200, own.text
        assert other.status_code == 403
        assert other.json() == NOT_A_MEMBER

    @pytest.mark.parametrize(("method", "path", "body", "access"), _ROUTES)
    async def test_without_credentials_is_401(
        self,
        client: httpx.AsyncClient,
        shared_world: World,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        access: dict[str, Any],
    ) -> None:
        url = f"/{shared_world.project_id}/faq{path.replace('INTENT', '0123456789abcdef01234567')}"

        response = await client.request(method, url, json=body)

        assert response.status_code == 401
        assert response.text == "Unauthorized"
