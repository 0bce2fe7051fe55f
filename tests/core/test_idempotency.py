"""``Idempotency-Key`` on ``POST /:pid/requests`` and ``POST /:pid/requests/:rid/messages``: a
retry answers the first response and creates nothing (a Tessera addition)."""

import asyncio
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tessera.core import db as core_db
from tessera.core.clock import now_ms
from tests.conftest import EventLog
from tests.factories import Person, make_guest, make_project, signup

REUSED = {"success": False, "msg": "Idempotency-Key reused with a different request"}


@dataclass
class Desk:
    project_id: str
    owner: Person


@pytest.fixture
async def desk(client: httpx.AsyncClient) -> Desk:
    owner = await signup(client)
    return Desk(await make_project(client, owner), owner)


def keyed(who: Any, key: str) -> dict[str, str]:
    return {**who.auth, "Idempotency-Key": key}


def new_key() -> str:
    return uuid.uuid4().hex


def conversation_id(desk: Desk) -> str:
    return f"support-group-{desk.project_id}-{uuid.uuid4().hex}"


async def conversations(client: httpx.AsyncClient, desk: Desk) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{desk.project_id}/requests", params={"status": "all"}, headers=desk.owner.auth
    )
    assert response.status_code == 200
    listed: list[dict[str, Any]] = response.json()["requests"]
    return listed


async def messages(client: httpx.AsyncClient, desk: Desk, request_id: str) -> list[str]:
    response = await client.get(
        f"/{desk.project_id}/requests/{request_id}/messages", headers=desk.owner.auth
    )
    assert response.status_code == 200
    return [message["text"] for message in response.json()]


class TestConversationCreation:
    async def test_a_retry_answers_the_first_response(
        self, client: httpx.AsyncClient, desk: Desk, event_log: EventLog
    ) -> None:
        key = new_key()
        path = f"/{desk.project_id}/requests"

        first = await client.post(path, json={"first_text": "Hi"}, headers=keyed(desk.owner, key))
        retry = await client.post(path, json={"first_text": "Hi"}, headers=keyed(desk.owner, key))

        assert first.status_code == retry.status_code == 200
        assert retry.content == first.content
        assert "Idempotent-Replayed" not in first.headers
        assert retry.headers["Idempotent-Replayed"] == "true"
        assert retry.headers["content-type"] == first.headers["content-type"]
        listed = await conversations(client, desk)
        assert [request["_id"] for request in listed] == [first.json()["_id"]]
        assert len(event_log.named("request.create", desk.project_id)) == 1

    async def test_json_spacing_and_key_order_do_not_matter(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        path = f"/{desk.project_id}/requests"
        headers = {**keyed(desk.owner, key), "content-type": "application/json"}

        first = await client.post(
            path, content=b'{"first_text":"Hi","subject":"S"}', headers=headers
        )
        retry = await client.post(
            path, content=b'{ "subject": "S",  "first_text": "Hi" }', headers=headers
        )

        assert retry.status_code == 200
        assert retry.json()["_id"] == first.json()["_id"]

    async def test_without_a_key_every_post_creates(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        path = f"/{desk.project_id}/requests"

        for _ in range(2):
            response = await client.post(path, json={"first_text": "Hi"}, headers=desk.owner.auth)
            assert response.status_code == 200

        assert len(await conversations(client, desk)) == 2

    async def test_concurrent_duplicates_have_one_effect(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        path = f"/{desk.project_id}/requests"

        answers = await asyncio.gather(
            *(
                client.post(path, json={"first_text": "Hi"}, headers=keyed(desk.owner, key))
                for _ in range(4)
            )
        )

        assert [answer.status_code for answer in answers] == [200] * 4
        assert len({answer.content for answer in answers}) == 1
        assert sum("Idempotent-Replayed" in answer.headers for answer in answers) == 3
        assert len(await conversations(client, desk)) == 1


class TestMessages:
    async def test_a_retry_posts_one_message(self, client: httpx.AsyncClient, desk: Desk) -> None:
        key = new_key()
        request_id = conversation_id(desk)
        path = f"/{desk.project_id}/requests/{request_id}/messages"

        first = await client.post(path, json={"text": "once"}, headers=keyed(desk.owner, key))
        retry = await client.post(path, json={"text": "once"}, headers=keyed(desk.owner, key))

        assert first.status_code == retry.status_code == 200
        assert retry.content == first.content
        assert await messages(client, desk, request_id) == ["once"]

    async def test_a_different_body_with_the_same_key_is_422(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        request_id = conversation_id(desk)
        path = f"/{desk.project_id}/requests/{request_id}/messages"
        await client.post(path, json={"text": "once"}, headers=keyed(desk.owner, key))

        reused = await client.post(path, json={"text": "twice"}, headers=keyed(desk.owner, key))

        assert reused.status_code == 422
        assert reused.json() == REUSED
        assert await messages(client, desk, request_id) == ["once"]

    async def test_the_same_key_on_another_path_is_422(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        first_id, second_id = conversation_id(desk), conversation_id(desk)
        await client.post(
            f"/{desk.project_id}/requests/{first_id}/messages",
            json={"text": "once"},
            headers=keyed(desk.owner, key),
        )

        reused = await client.post(
            f"/{desk.project_id}/requests/{second_id}/messages",
            json={"text": "once"},
            headers=keyed(desk.owner, key),
        )

        assert reused.status_code == 422
        assert reused.json() == REUSED
        assert await messages(client, desk, second_id) == []

    async def test_keys_of_different_callers_are_independent(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        request_id = conversation_id(desk)
        path = f"/{desk.project_id}/requests/{request_id}/messages"
        colleague = await signup(client)
        invited = await client.post(
            f"/{desk.project_id}/project_users/invite",
            json={"email": colleague.email, "role": "agent"},
            headers=desk.owner.auth,
        )
        assert invited.status_code == 200

        mine = await client.post(path, json={"text": "same"}, headers=keyed(desk.owner, key))
        theirs = await client.post(path, json={"text": "same"}, headers=keyed(colleague, key))

        assert mine.status_code == theirs.status_code == 200
        assert mine.json()["_id"] != theirs.json()["_id"]
        assert "Idempotent-Replayed" not in theirs.headers
        assert await messages(client, desk, request_id) == ["same", "same"]

    async def test_keys_of_different_projects_are_independent(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        other = Desk(await make_project(client, desk.owner, name="Other"), desk.owner)

        here = await client.post(
            f"/{desk.project_id}/requests",
            json={"first_text": "Hi"},
            headers=keyed(desk.owner, key),
        )
        there = await client.post(
            f"/{other.project_id}/requests",
            json={"first_text": "Hi"},
            headers=keyed(desk.owner, key),
        )

        assert here.status_code == there.status_code == 200
        assert there.json()["id_project"] == other.project_id
        assert len(await conversations(client, other)) == 1

    async def test_a_failed_write_stores_no_key(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        request_id = conversation_id(desk)
        path = f"/{desk.project_id}/requests/{request_id}/messages"

        failed = await client.post(path, json={"type": "text"}, headers=keyed(desk.owner, key))
        # Had the failure stored the key, this different body would be refused as a reuse.
        succeeded = await client.post(path, json={"text": "ok"}, headers=keyed(desk.owner, key))

        assert failed.status_code == 422
        assert succeeded.status_code == 200
        assert "Idempotent-Replayed" not in succeeded.headers
        assert await messages(client, desk, request_id) == ["ok"]

    async def test_a_refused_caller_stores_no_key(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        request_id = conversation_id(desk)
        path = f"/{desk.project_id}/requests/{request_id}/messages"
        await client.post(path, json={"text": "agent side"}, headers=desk.owner.auth)
        guest = await make_guest(client, desk.project_id)

        refused = await client.post(path, json={"text": "intruder"}, headers=keyed(guest, key))
        own_path = f"/{desk.project_id}/requests/{conversation_id(desk)}/messages"
        own = await client.post(own_path, json={"text": "mine"}, headers=keyed(guest, key))

        assert refused.status_code == 404
        assert own.status_code == 200
        assert "Idempotent-Replayed" not in own.headers
        assert await messages(client, desk, request_id) == ["agent side"]

    async def test_concurrent_duplicates_post_one_message(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        key = new_key()
        request_id = conversation_id(desk)
        path = f"/{desk.project_id}/requests/{request_id}/messages"

        answers = await asyncio.gather(
            *(
                client.post(path, json={"text": "race"}, headers=keyed(desk.owner, key))
                for _ in range(4)
            )
        )

        assert [answer.status_code for answer in answers] == [200] * 4
        assert len({answer.json()["_id"] for answer in answers}) == 1
        assert await messages(client, desk, request_id) == ["race"]
        assert len(await conversations(client, desk)) == 1


class TestKeys:
    async def test_a_key_expires_after_a_day(
        self, client: httpx.AsyncClient, desk: Desk, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        key = new_key()
        request_id = conversation_id(desk)
        path = f"/{desk.project_id}/requests/{request_id}/messages"
        first = await client.post(path, json={"text": "day one"}, headers=keyed(desk.owner, key))

        tomorrow = now_ms() + 24 * 60 * 60 * 1000 + 1
        monkeypatch.setattr(core_db, "now_ms", lambda: tomorrow)
        later = await client.post(path, json={"text": "day two"}, headers=keyed(desk.owner, key))

        assert first.status_code == later.status_code == 200
        assert "Idempotent-Replayed" not in later.headers
        assert await messages(client, desk, request_id) == ["day one", "day two"]

    async def test_a_key_longer_than_255_characters_is_400(
        self, client: httpx.AsyncClient, desk: Desk
    ) -> None:
        response = await client.post(
            f"/{desk.project_id}/requests",
            json={"first_text": "Hi"},
            headers=keyed(desk.owner, "k" * 256),
        )

        assert response.status_code == 400
        assert response.json() == {
            "success": False,
            "msg": "Idempotency-Key must be at most 255 characters",
        }
        assert await conversations(client, desk) == []
