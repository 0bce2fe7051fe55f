"""Trigger CRUD: ``/{pid}/modules/triggers`` (fact sheet §5.29) and the system triggers every
new project starts with."""

import re
from typing import Any

import httpx
import pytest

from tests.factories import World, make_world
from tests.project_users.support import ADMIN_ROUTE_ACCESS, NOT_FOUND, assert_access, headers_of
from tests.triggers.support import (
    SYSTEM_CODES,
    condition,
    create_trigger,
    trigger_body,
    triggers_of,
)

UNKNOWN_ID = "0123456789abcdef01234567"
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture(scope="module")
async def untouched_world(client: httpx.AsyncClient) -> World:
    """A World whose project keeps its system triggers only: the refused writes share it."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def shared_world(client: httpx.AsyncClient) -> World:
    """For the role matrix: each test makes a trigger of its own and compares the project's
    list before and after."""
    return await make_world(client)


def _body() -> dict[str, Any]:
    return trigger_body(
        "message.create.from.requester",
        [{"key": "message.send", "parameters": {"text": "Hi!"}}],
        all_of=[condition("text", "equal", "hello")],
    )


class TestSystemTriggers:
    async def test_a_new_project_has_the_system_triggers(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        found = await triggers_of(client, world.project_id, world.owner)
        by_code = {trigger["code"]: trigger for trigger in found}

        assert [trigger["code"] for trigger in found] == SYSTEM_CODES
        assert {code: t["enabled"] for code, t in by_code.items()} == {
            code: code != "s_checkout_page_01" for code in SYSTEM_CODES
        }
        welcome = by_code["s_online_welcome_01"]
        assert welcome["name"] == "Online Welcome Greeting"
        assert welcome["trigger"]["key"] == "request.create"
        assert welcome["actions"][0]["key"] == "message.send"
        assert welcome["actions"][0]["parameters"] == {"text": "${LABEL_FIRST_MSG}"}
        assert {c["path"] for c in welcome["conditions"]["all"]} == {
            "department.hasBot", "snapshot.availableAgentsCount", "isOpen", "first_text", "status"
        }  # fmt: skip
        assert welcome["type"] == "internal"
        assert welcome["version"] == 3
        assert welcome["createdBy"] == welcome["updatedBy"] == "system"
        assert welcome["id_project"] == world.project_id
        new_conversation = by_code["s_new_conversation_01"]
        assert new_conversation["trigger"]["key"] == "event.emit"
        assert new_conversation["actions"][0]["parameters"] == {
            "departmentid": "default",
            "text": "welcome:tdk_req_status_hidden",
        }

    async def test_each_project_has_its_own_copies(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        mine = await triggers_of(client, world.project_id, world.owner)
        theirs = await triggers_of(client, world.other_project_id, world.stranger)

        assert {t["_id"] for t in mine}.isdisjoint({t["_id"] for t in theirs})
        assert {t["id_project"] for t in theirs} == {world.other_project_id}

    async def test_reset_restores_a_system_trigger(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        base = f"/{world.project_id}/modules/triggers"
        original = {t["code"]: t for t in await triggers_of(client, world.project_id, world.owner)}
        welcome = original["s_online_welcome_01"]
        changed = await client.put(
            f"{base}/{welcome['_id']}",
            json={**_body(), "enabled": False},
            headers=world.admin.auth,
        )

        reset = await client.put(f"{base}/s_online_welcome_01/reset", headers=world.admin.auth)
        after = await triggers_of(client, world.project_id, world.owner)

        assert changed.status_code == 200
        assert reset.status_code == 200
        restored = reset.json()
        assert restored["_id"] != welcome["_id"]
        assert restored["code"] == "s_online_welcome_01"
        assert restored["enabled"] is True
        assert restored["actions"][0]["parameters"] == welcome["actions"][0]["parameters"]
        assert restored["conditions"]["all"] == welcome["conditions"]["all"]
        assert [t["_id"] for t in after if t["code"] == "s_online_welcome_01"] == [restored["_id"]]
        assert len(after) == len(original)

    async def test_reset_of_a_system_trigger_the_project_never_had_adds_it(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        reset = await client.put(
            f"/{world.project_id}/modules/triggers/s_new_login_01/reset", headers=world.admin.auth
        )

        assert reset.status_code == 200
        assert reset.json()["trigger"]["key"] == "event.emit"
        codes = [t["code"] for t in await triggers_of(client, world.project_id, world.owner)]
        assert codes == [*SYSTEM_CODES, "s_new_login_01"]

    async def test_reset_of_an_unknown_code_is_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.put(
            f"/{world.project_id}/modules/triggers/nope/reset", headers=world.admin.auth
        )

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestCrud:
    async def test_create_answers_the_stored_trigger_always_enabled(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = {**_body(), "enabled": False}

        trigger = await create_trigger(client, world.project_id, world.admin, body)

        assert set(trigger) == {
            "_id", "name", "description", "trigger", "conditions", "actions", "enabled",
            "id_project", "createdBy", "updatedBy", "createdAt", "updatedAt", "__v",
        }  # fmt: skip
        assert OBJECT_ID.match(trigger["_id"])
        assert trigger["name"] == "My trigger"
        assert trigger["description"] == "made by a test"
        assert OBJECT_ID.match(trigger["trigger"].pop("_id"))
        assert trigger["trigger"] == body["trigger"]
        assert OBJECT_ID.match(trigger["conditions"].pop("_id"))
        assert trigger["conditions"] == body["conditions"]
        assert OBJECT_ID.match(trigger["actions"][0].pop("_id"))
        assert trigger["actions"] == body["actions"]
        assert trigger["enabled"] is True
        assert trigger["id_project"] == world.project_id
        assert trigger["createdBy"] == trigger["updatedBy"] == world.admin.id
        assert ISO.match(trigger["createdAt"])
        assert trigger["__v"] == 0

    async def test_list_and_get(self, client: httpx.AsyncClient, world: World) -> None:
        trigger = await create_trigger(client, world.project_id, world.admin, _body())

        listed = await triggers_of(client, world.project_id, world.owner)
        found = await client.get(
            f"/{world.project_id}/modules/triggers/{trigger['_id']}", headers=world.owner.auth
        )

        assert listed[-1] == trigger
        assert len(listed) == len(SYSTEM_CODES) + 1
        assert found.status_code == 200
        assert found.json() == trigger

    async def test_unknown_and_foreign_ids_are_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        theirs = await create_trigger(client, world.other_project_id, world.stranger, _body())
        base = f"/{world.project_id}/modules/triggers"

        for trigger_id in (UNKNOWN_ID, theirs["_id"], "not-an-id"):
            got = await client.get(f"{base}/{trigger_id}", headers=world.admin.auth)
            put = await client.put(f"{base}/{trigger_id}", json=_body(), headers=world.admin.auth)
            deleted = await client.delete(f"{base}/{trigger_id}", headers=world.admin.auth)
            for response in (got, put, deleted):
                assert response.status_code == 404
                assert response.json() == NOT_FOUND
        assert (
            len(await triggers_of(client, world.other_project_id, world.stranger))
            == len(SYSTEM_CODES) + 1
        )

    async def test_put_overwrites_every_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        trigger = await create_trigger(client, world.project_id, world.admin, _body())
        body = trigger_body(
            "request.create",
            [{"key": "request.close"}],
            any_of=[condition("status", "greaterThan", 100)],
            name="Renamed",
        )

        disabled = await client.put(
            f"/{world.project_id}/modules/triggers/{trigger['_id']}",
            json=body,
            headers=world.owner.auth,
        )
        enabled = await client.put(
            f"/{world.project_id}/modules/triggers/{trigger['_id']}",
            json={**body, "enabled": True},
            headers=world.owner.auth,
        )

        assert disabled.status_code == 200
        updated = disabled.json()
        assert updated["_id"] == trigger["_id"]
        assert updated["name"] == "Renamed"
        assert updated["enabled"] is False
        assert updated["trigger"]["key"] == "request.create"
        assert updated["conditions"]["all"] == []
        assert updated["conditions"]["any"] == body["conditions"]["any"]
        assert [a["key"] for a in updated["actions"]] == ["request.close"]
        assert updated["createdBy"] == world.admin.id
        assert updated["updatedBy"] == world.owner.id
        assert enabled.json()["enabled"] is True

    async def test_delete_answers_the_deleted_trigger(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        trigger = await create_trigger(client, world.project_id, world.admin, _body())
        url = f"/{world.project_id}/modules/triggers/{trigger['_id']}"

        deleted = await client.delete(url, headers=world.admin.auth)
        again = await client.get(url, headers=world.admin.auth)

        assert deleted.status_code == 200
        assert deleted.json() == trigger
        assert again.status_code == 404


class TestBadInput:
    @pytest.mark.parametrize(
        "change",
        [
            {"name": None},
            {"name": ""},
            {"trigger": None},
            {"trigger": {"key": "request.create"}},
            {"trigger": {"key": "request.deleted", "name": "x"}},
            {"conditions": {"all": [condition("status", "between", 1)]}},
            {"conditions": {"all": [condition("status", "equal", None)]}},
            {"conditions": {"all": [{"fact": "json", "operator": "equal", "value": 1}]}},
            {"conditions": {"all": [{**condition("status", "equal", 1), "fact": "other"}]}},
            {"conditions": {"all": "status"}},
            {"actions": [{"key": "request.explode"}]},
            {"actions": [{"key": "message.send", "parameters": "hi"}]},
            {"actions": {"key": "message.send"}},
        ],
    )
    async def test_is_422_and_nothing_is_written(
        self, client: httpx.AsyncClient, untouched_world: World, change: dict[str, Any]
    ) -> None:
        body = {key: value for key, value in {**_body(), **change}.items() if value is not None}

        created = await client.post(
            f"/{untouched_world.project_id}/modules/triggers",
            json=body,
            headers=untouched_world.admin.auth,
        )

        assert created.status_code == 422, created.text
        assert created.json()["errors"]
        assert len(
            await triggers_of(client, untouched_world.project_id, untouched_world.owner)
        ) == len(SYSTEM_CODES)

    async def test_a_bad_put_changes_nothing(self, client: httpx.AsyncClient, world: World) -> None:
        trigger = await create_trigger(client, world.project_id, world.admin, _body())
        url = f"/{world.project_id}/modules/triggers/{trigger['_id']}"

        response = await client.put(
            url, json={**_body(), "actions": [{"key": "nope"}]}, headers=world.admin.auth
        )
        after = await client.get(url, headers=world.admin.auth)

        assert response.status_code == 422
        assert after.json() == trigger


class TestAccess:
    @pytest.mark.parametrize(("who", "expected"), ADMIN_ROUTE_ACCESS)
    async def test_admins_only(
        self, client: httpx.AsyncClient, shared_world: World, who: str, expected: str
    ) -> None:
        trigger = await create_trigger(client, shared_world.project_id, shared_world.admin, _body())
        before = await triggers_of(client, shared_world.project_id, shared_world.owner)
        base = f"/{shared_world.project_id}/modules/triggers"
        headers = headers_of(shared_world, who)

        calls = [
            await client.get(base, headers=headers),
            await client.get(f"{base}/{trigger['_id']}", headers=headers),
            await client.post(base, json=_body(), headers=headers),
            await client.put(f"{base}/{trigger['_id']}", json=_body(), headers=headers),
            await client.put(f"{base}/s_invite_bot_01/reset", headers=headers),
            await client.delete(f"{base}/{trigger['_id']}", headers=headers),
        ]

        for response in calls:
            assert_access(response, expected)
        if expected != "allowed":
            found = await triggers_of(client, shared_world.project_id, shared_world.owner)
            assert found[-1] == trigger
            assert found == before

    async def test_bots_may_not_call(self, client: httpx.AsyncClient, world: World) -> None:
        bot = await client.post(
            f"/{world.project_id}/faq_kb", json={"name": "Helper"}, headers=world.admin.auth
        )
        token = await client.get(
            f"/{world.project_id}/faq_kb/{bot.json()['_id']}/jwt", headers=world.admin.auth
        )
        auth = {"Authorization": "JWT " + token.json()["jwt"]}

        response = await client.get(f"/{world.project_id}/modules/triggers", headers=auth)

        assert response.status_code == 403
