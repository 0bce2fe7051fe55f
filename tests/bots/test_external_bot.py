# ruff: noqa: F811 (tests take the webhook suite's fixtures, imported below, as arguments)
"""The external bot webhook (fact sheet §7.3, §5.5.3): messages for a bot with a ``url`` go to
it through the webhook outbox, to a receiver run by the test; the bot answers through the
messages API with the token it received; ``\\agent`` hands the conversation to a human.

The app, receivers, clock and dispatcher are those of the webhook suite (private targets
allowed, dispatchers driven by hand)."""

import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from tessera.bots.models import bots
from tessera.core.db import Record, Tx
from tessera.subscriptions.dispatcher import Dispatcher
from tessera.subscriptions.models import webhook_attempts, webhook_deliveries
from tests.conversations.support import post_message, project_with_agents
from tests.factories import Person, Visitor, World, make_guest
from tests.subscriptions.conftest import (  # noqa: F401
    client,
    clock,
    dispatcher,
    receiver,
    webhook_app,
    world,
)
from tests.subscriptions.support import Clock, Receiver, drain

# ---------------------------------------------------------------- builders


async def external_bot(
    client: httpx.AsyncClient,
    project_id: str,
    admin: Person,
    url: str | None,
    *,
    bot_type: str | None = "external",
    name: str = "Order Bot",
) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name}
    if bot_type is not None:
        body["type"] = bot_type
    if url is not None:
        body["url"] = url
    response = await client.post(f"/{project_id}/faq_kb", json=body, headers=admin.auth)
    assert response.status_code == 200, response.text
    bot: dict[str, Any] = response.json()
    return bot


async def bot_department(
    client: httpx.AsyncClient, project_id: str, admin: Person, bot: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/departments",
        json={"name": "Bot desk", "id_bot": bot["_id"], "routing": "assigned"},
        headers=admin.auth,
    )
    assert response.status_code == 200, response.text
    department: dict[str, Any] = response.json()
    return department


async def talk_to(
    client: httpx.AsyncClient,
    project_id: str,
    admin: Person,
    visitor: Visitor,
    bot: dict[str, Any],
    text: str = "Where is my order?",
    **body: object,
) -> dict[str, Any]:
    """A visitor's first message, in a new conversation of the bot's department: the
    conversation is the bot's (§14.3)."""
    department = await bot_department(client, project_id, admin, bot)
    request_id = f"support-group-{project_id}-{uuid.uuid4().hex}"
    message = await post_message(
        client, project_id, request_id, visitor, text=text, departmentid=department["_id"], **body
    )
    assert message["request"]["participants"] == [f"bot_{bot['_id']}"]
    return message


async def bot_rows(app: FastAPI, bot_id: str) -> list[Record]:
    """The outbox rows of a bot, oldest first."""

    def read(tx: Tx) -> list[Record]:
        statement = (
            select(webhook_deliveries)
            .where(webhook_deliveries.c.bot_id == bot_id)
            .order_by(webhook_deliveries.c.created_at, webhook_deliveries.c.id)
        )
        return tx.all(statement)

    rows: list[Record] = await app.state.db.read(read)
    return rows


async def bot_attempts(app: FastAPI, bot_id: str) -> list[Record]:
    def read(tx: Tx) -> list[Record]:
        statement = (
            select(webhook_attempts)
            .where(webhook_attempts.c.bot_id == bot_id)
            .order_by(webhook_attempts.c.attempt)
        )
        return tx.all(statement)

    rows: list[Record] = await app.state.db.read(read)
    return rows


async def bot_secret(app: FastAPI, bot_id: str) -> str:
    """The stored secret (no API shows it: §9.11 ``select: false``)."""

    def read(tx: Tx) -> str:
        return str(tx.one(select(bots.c.secret).where(bots.c.id == bot_id)).secret)

    secret: str = await app.state.db.read(read)
    return secret


def as_bot(received: Any) -> dict[str, str]:
    """The headers a bot calls the API back with: the token of the webhook it received."""
    return {"Authorization": "JWT " + received.json["token"]}


async def messages_of(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Person
) -> list[dict[str, Any]]:
    response = await client.get(f"/{project_id}/requests/{request_id}/messages", headers=who.auth)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def conversation(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Person
) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/requests/{request_id}", headers=who.auth)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


# ---------------------------------------------------------------- what the bot receives


class TestWhatTheBotReceives:
    async def test_a_visitors_message_is_posted_with_tiledesks_body(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        before = int(time.time() * 1000)
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot)

        await drain(dispatcher)

        (received,) = receiver.received
        body = received.json
        assert set(body) == {"timestamp", "payload", "hook", "token"}
        assert before <= body["timestamp"] <= int(time.time() * 1000)
        payload = body["payload"]
        assert payload["_id"] == message["_id"]
        assert payload["text"] == "Where is my order?"
        assert payload["sender"] == world.guest.id
        assert payload["request"]["request_id"] == message["recipient"]
        assert payload["request"]["participants"] == [f"bot_{bot['_id']}"]
        assert "snapshot" in message["request"]
        assert "snapshot" not in payload["request"]
        assert {key: value for key, value in payload.items() if key != "request"} == {
            key: value for key, value in message.items() if key != "request"
        }

    async def test_the_hook_is_the_bot_with_its_secret(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        await talk_to(client, world.project_id, world.admin, world.guest, bot)

        await drain(dispatcher)

        hook = receiver.received[0].json["hook"]
        assert hook == {**bot, "secret": await bot_secret(webhook_app, bot["_id"])}
        assert (hook["type"], hook["url"], hook["name"]) == ("external", receiver.url, "Order Bot")

    async def test_headers_and_signature(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        await talk_to(client, world.project_id, world.admin, world.guest, bot)
        sent_after = int(time.time())

        await drain(dispatcher)

        (received,) = receiver.received
        headers = received.headers
        secret = await bot_secret(webhook_app, bot["_id"])
        assert headers["content-type"] == "application/json"
        assert headers["user-agent"] == "tiledesk-bot"
        assert headers["origin"] == "http://localhost:3000"
        assert "x-hook-secret" not in headers
        (row,) = await bot_rows(webhook_app, bot["_id"])
        assert headers["x-tessera-delivery"] == row.id
        assert sent_after - 1 <= int(headers["x-tessera-timestamp"]) <= int(time.time())
        assert received.signature_matches(secret)
        assert not received.signature_matches(secret + "x")
        assert (row.status, row.event, row.subscription_id) == ("delivered", "message.create", None)

    async def test_the_token_is_the_bots_own(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        await talk_to(client, world.project_id, world.admin, world.guest, bot)
        await drain(dispatcher)

        token = receiver.received[0].json["token"]
        claims = jwt.decode(
            token,
            await bot_secret(webhook_app, bot["_id"]),
            algorithms=["HS256"],
            audience=f"https://tiledesk.com/bots/{bot['_id']}",
            issuer="https://tiledesk.com",
        )

        assert claims["sub"] == "bot"
        assert (claims["_id"], claims["id_project"], claims["name"]) == (
            bot["_id"],
            world.project_id,
            "Order Bot",
        )
        assert claims["url"] == receiver.url
        assert "jti" in claims
        assert "exp" not in claims
        assert not {"secret", "description", "attributes"} & set(claims)

    async def test_a_bot_added_as_participant_receives_the_next_messages(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        request_id = f"support-group-{world.project_id}-{uuid.uuid4().hex}"
        await post_message(client, world.project_id, request_id, world.guest, text="Hi")
        await drain(dispatcher)
        assert receiver.received == []

        joined = await client.post(
            f"/{world.project_id}/requests/{request_id}/participants",
            json={"member": f"bot_{bot['_id']}"},
            headers=world.agent.auth,
        )
        assert joined.status_code == 200, joined.text
        second = await post_message(
            client, world.project_id, request_id, world.guest, text="Anyone?"
        )
        await drain(dispatcher)

        (received,) = receiver.received
        assert received.json["payload"]["_id"] == second["_id"]
        assert f"bot_{bot['_id']}" in received.json["payload"]["request"]["participants"]

    async def test_a_direct_message_to_the_bot_is_posted_without_request(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)

        sent = await client.post(
            f"/{world.project_id}/messages",
            json={
                "recipient": f"bot_{bot['_id']}",
                "recipientFullname": "Order Bot",
                "text": "Status of order 42?",
            },
            headers=world.agent.auth,
        )
        await drain(dispatcher)

        assert sent.status_code == 200, sent.text
        (received,) = receiver.received
        payload = received.json["payload"]
        assert payload["_id"] == sent.json()["_id"]
        assert payload["recipient"] == f"bot_{bot['_id']}"
        assert "request" not in payload


# ---------------------------------------------------------------- the bot answers


class TestTheBotAnswers:
    async def test_without_sender_it_writes_as_its_id_and_name(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot)
        await drain(dispatcher)
        (received,) = receiver.received

        reply = await client.post(
            f"/{world.project_id}/requests/{message['recipient']}/messages",
            json={"text": "It ships tomorrow."},
            headers=as_bot(received),
        )

        assert reply.status_code == 200, reply.text
        assert (reply.json()["sender"], reply.json()["senderFullname"]) == (
            bot["_id"],
            "Order Bot",
        )
        stored = await messages_of(client, world.project_id, message["recipient"], world.agent)
        assert [(m["sender"], m["text"]) for m in stored] == [
            (world.guest.id, "Where is my order?"),
            (bot["_id"], "It ships tomorrow."),
        ]
        await drain(dispatcher)
        assert len(receiver.received) == 1  # its own message does not come back to it
        assert len(await bot_rows(webhook_app, bot["_id"])) == 1

    async def test_as_bot_prefix_it_keeps_its_name_and_is_not_told(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot)
        await drain(dispatcher)

        reply = await client.post(
            f"/{world.project_id}/requests/{message['recipient']}/messages",
            json={"text": "Anything else?", "sender": f"bot_{bot['_id']}"},
            headers=as_bot(receiver.received[0]),
        )
        await drain(dispatcher)

        assert reply.status_code == 200, reply.text
        assert (reply.json()["sender"], reply.json()["senderFullname"]) == (
            f"bot_{bot['_id']}",
            "Order Bot",
        )
        assert len(receiver.received) == 1
        assert len(await bot_rows(webhook_app, bot["_id"])) == 1

    async def test_the_visitors_next_message_goes_to_the_bot_again(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot)
        await drain(dispatcher)
        question = await client.post(
            f"/{world.project_id}/requests/{message['recipient']}/messages",
            json={"text": "Your order number?"},
            headers=as_bot(receiver.received[0]),
        )
        assert question.status_code == 200, question.text
        answer = await post_message(
            client, world.project_id, message["recipient"], world.guest, text="42"
        )

        await drain(dispatcher)

        first, second = receiver.received
        assert second.json["payload"]["_id"] == answer["_id"]
        assert second.delivery_id != first.delivery_id


# ---------------------------------------------------------------- what is not sent


class TestWhatIsNotSent:
    @pytest.mark.parametrize("text", ["\\agent", "I want a human \\agent", "\\close", "bye\\close"])
    async def test_commands_are_not_forwarded(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
        text: str,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot)
        await drain(dispatcher)

        command = await post_message(
            client, world.project_id, message["recipient"], world.guest, text=text
        )
        await drain(dispatcher)

        assert command["text"] == text
        assert [r.json["payload"]["_id"] for r in receiver.received] == [message["_id"]]
        assert len(await bot_rows(webhook_app, bot["_id"])) == 1

    @pytest.mark.parametrize(("text", "sent"), [("/start", True), ("\\start", True), ("Hi", False)])
    async def test_system_messages_only_start_the_bot(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        text: str,
        sent: bool,
    ) -> None:
        """Machines may write as ``system`` (Tiledesk's triggers post ``/start`` so); here a
        second bot of the project, whose token the admin fetched."""
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot)
        await drain(dispatcher)
        launcher = await external_bot(client, world.project_id, world.admin, None, name="Launcher")
        jwt_answer = await client.get(
            f"/{world.project_id}/faq_kb/{launcher['_id']}/jwt", headers=world.admin.auth
        )

        posted = await client.post(
            f"/{world.project_id}/requests/{message['recipient']}/messages",
            json={"text": text, "sender": "system"},
            headers={"Authorization": "JWT " + jwt_answer.json()["jwt"]},
        )
        await drain(dispatcher)

        assert posted.status_code == 200, posted.text
        assert posted.json()["sender"] == "system"
        forwarded = [r.json["payload"]["_id"] for r in receiver.received[1:]]
        assert forwarded == ([posted.json()["_id"]] if sent else [])

    async def test_the_close_notice_is_not_sent(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot)
        await drain(dispatcher)

        closed = await client.put(
            f"/{world.project_id}/requests/{message['recipient']}/close",
            json={},
            headers=world.admin.auth,
        )
        await drain(dispatcher)

        assert closed.status_code == 200, closed.text
        stored = await messages_of(client, world.project_id, message["recipient"], world.agent)
        assert stored[-1]["sender"] == "system"
        assert stored[-1]["text"] == "Chat closed"
        assert len(receiver.received) == 1

    @pytest.mark.parametrize(
        ("bot_type", "url"),
        [
            (None, "receiver"),  # internal (the default): the FAQ engine answers
            ("internal", "receiver"),
            ("external", None),
            ("tilebot", None),
        ],
    )
    async def test_internal_bots_and_bots_without_url_get_nothing(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
        bot_type: str | None,
        url: str | None,
    ) -> None:
        target = receiver.url if url == "receiver" else None
        bot = await external_bot(client, world.project_id, world.admin, target, bot_type=bot_type)
        await talk_to(client, world.project_id, world.admin, world.guest, bot)

        await drain(dispatcher)

        assert receiver.received == []
        assert await bot_rows(webhook_app, bot["_id"]) == []

    async def test_another_projects_bot_never_receives_anything(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        theirs = await external_bot(
            client, world.other_project_id, world.stranger, receiver.url, name="Their Bot"
        )
        message = await talk_to(
            client,
            world.project_id,
            world.admin,
            world.guest,
            await external_bot(client, world.project_id, world.admin, None),
        )

        joined = await client.post(
            f"/{world.project_id}/requests/{message['recipient']}/participants",
            json={"member": f"bot_{theirs['_id']}"},
            headers=world.admin.auth,
        )
        direct = await client.post(
            f"/{world.project_id}/messages",
            json={"recipient": f"bot_{theirs['_id']}", "recipientFullname": "x", "text": "psst"},
            headers=world.admin.auth,
        )
        await post_message(client, world.project_id, message["recipient"], world.guest)
        await drain(dispatcher)

        assert joined.status_code == 422
        after = await conversation(client, world.project_id, message["recipient"], world.admin)
        assert f"bot_{theirs['_id']}" not in after["participants"]
        assert direct.status_code == 200  # a direct message is stored, as in Tiledesk...
        assert receiver.received == []  # ...but no bot of this project is named by it
        assert await bot_rows(webhook_app, theirs["_id"]) == []


# ---------------------------------------------------------------- delivery guarantees


class TestDelivery:
    async def test_a_500_is_retried_after_the_back_off(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        clock: Clock,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        receiver.answer(500)
        await talk_to(client, world.project_id, world.admin, world.guest, bot)

        await drain(dispatcher)
        (pending,) = await bot_rows(webhook_app, bot["_id"])
        assert (pending.status, pending.attempts, pending.last_error) == ("pending", 1, "HTTP 500")
        await drain(dispatcher)
        assert len(receiver.received) == 1  # not due yet
        clock.advance(10_001)
        await drain(dispatcher)

        first, second = receiver.received
        assert first.delivery_id == second.delivery_id == pending.id
        assert first.json["payload"] == second.json["payload"]
        assert second.signature_matches(await bot_secret(webhook_app, bot["_id"]))
        (delivered,) = await bot_rows(webhook_app, bot["_id"])
        assert (delivered.status, delivered.attempts) == ("delivered", 2)
        attempts = await bot_attempts(webhook_app, bot["_id"])
        assert [(a.attempt, a.status_code, a.target) for a in attempts] == [
            (1, 500, receiver.url),
            (2, 200, receiver.url),
        ]
        assert {(a.subscription_id, a.project_id) for a in attempts} == {(None, world.project_id)}
        history = await client.get(
            f"/{world.project_id}/subscriptions/history", headers=world.admin.auth
        )
        assert history.status_code == 200
        assert history.json() == []  # the subscriptions' log shows subscriptions only

    async def test_a_receiver_that_is_down_gets_it_once_it_is_back(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        clock: Clock,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        receiver.stop()
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot)
        await drain(dispatcher)
        (failed_once,) = await bot_rows(webhook_app, bot["_id"])
        assert (failed_once.status, failed_once.attempts) == ("pending", 1)

        receiver.start()
        clock.advance(10_001)
        await drain(dispatcher)

        (received,) = receiver.received
        assert received.json["payload"]["_id"] == message["_id"]

    async def test_deliveries_of_a_deleted_bot_are_dropped(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        await talk_to(client, world.project_id, world.admin, world.guest, bot)
        deleted = await client.delete(
            f"/{world.project_id}/faq_kb/{bot['_id']}", headers=world.admin.auth
        )
        assert deleted.status_code == 200

        await drain(dispatcher)

        assert receiver.received == []
        (dropped,) = await bot_rows(webhook_app, bot["_id"])
        assert (dropped.status, dropped.last_error) == ("failed", "bot deleted")

    async def test_a_private_url_is_refused_when_sending(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        webhook_app: FastAPI,
    ) -> None:
        """A dispatcher with the default settings refuses loopback and private addresses
        (WEBHOOK_ALLOW_PRIVATE_TARGETS), for bots as for subscriptions."""
        url = receiver.url.replace("127.0.0.1", "localhost")
        bot = await external_bot(client, world.project_id, world.admin, url)
        await talk_to(client, world.project_id, world.admin, world.guest, bot)

        async with Dispatcher(webhook_app.state.db, timeout=5) as strict:
            await drain(strict)

        assert receiver.received == []
        (attempt,) = await bot_attempts(webhook_app, bot["_id"])
        assert attempt.error == "target host localhost is not a public address (127.0.0.1)"
        (row,) = await bot_rows(webhook_app, bot["_id"])
        assert row.status == "pending"

    async def test_a_url_that_is_no_url_fails_the_attempt(
        self,
        client: httpx.AsyncClient,
        world: World,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, "not a url")
        await talk_to(client, world.project_id, world.admin, world.guest, bot)

        await drain(dispatcher)

        (attempt,) = await bot_attempts(webhook_app, bot["_id"])
        assert attempt.status_code is None
        assert attempt.error
        (row,) = await bot_rows(webhook_app, bot["_id"])
        assert (row.status, row.attempts) == ("pending", 1)


# ---------------------------------------------------------------- tilebot drafts


class TestDrafts:
    @pytest.mark.parametrize(
        "page",
        [
            {"sourcePage": "https://panel.example.com/widget?tiledesk_projectid=p&td_draft=true"},
            {"attributes": {"sourcePage": "https://panel.example.com/w?x=1&td_draft=true"}},
        ],
    )
    async def test_a_tilebot_draft_is_posted_to_its_own_id(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        page: dict[str, Any],
    ) -> None:
        published = f"http://127.0.0.1:{receiver.port}/hook/published-bot"
        bot = await external_bot(
            client, world.project_id, world.admin, published, bot_type="tilebot"
        )
        receiver.path = f"/hook/{bot['_id']}"
        message = await talk_to(client, world.project_id, world.admin, world.guest, bot, **page)

        await drain(dispatcher)

        (received,) = receiver.received
        assert received.path == f"/hook/{bot['_id']}"
        assert received.json["payload"]["_id"] == message["_id"]
        assert received.json["hook"]["url"] == published

    async def test_a_published_tilebot_keeps_its_url(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
    ) -> None:
        bot = await external_bot(
            client, world.project_id, world.admin, receiver.url, bot_type="tilebot"
        )
        await talk_to(
            client,
            world.project_id,
            world.admin,
            world.guest,
            bot,
            sourcePage="https://shop.example.com/checkout",
        )

        await drain(dispatcher)

        (received,) = receiver.received
        assert received.path == receiver.path

    async def test_only_tilebots_are_rewritten(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
    ) -> None:
        bot = await external_bot(client, world.project_id, world.admin, receiver.url)
        await talk_to(
            client,
            world.project_id,
            world.admin,
            world.guest,
            bot,
            sourcePage="https://panel.example.com/w?a=1&td_draft=true",
        )

        await drain(dispatcher)

        (received,) = receiver.received
        assert received.path == receiver.path


# ---------------------------------------------------------------- handing over to a human


class TestHandOver:
    async def test_a_visitor_asking_for_an_agent_gets_one_and_the_bot_is_not_told(
        self,
        client: httpx.AsyncClient,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)
        bot = await external_bot(client, project_id, owner, receiver.url)
        message = await talk_to(client, project_id, owner, guest, bot)
        await drain(dispatcher)

        asked = await post_message(client, project_id, message["recipient"], guest, text="\\agent")
        await post_message(client, project_id, message["recipient"], guest, text="Thanks")
        await drain(dispatcher)

        assert asked["request"]["participants"] == [f"bot_{bot['_id']}"]  # as it found it
        handed = await conversation(client, project_id, message["recipient"], owner)
        assert handed["participants"] == [agent.id]
        assert handed["hasBot"] is False
        assert handed["status"] == 200
        assert handed["department"]["_id"] == message["request"]["department"]["_id"]
        stored = await messages_of(client, project_id, message["recipient"], owner)
        labels = [(m.get("attributes") or {}).get("messagelabel", {}).get("key") for m in stored]
        assert "TOUCHING_OPERATOR" in labels
        assert [r.json["payload"]["_id"] for r in receiver.received] == [message["_id"]]
        assert len(await bot_rows(webhook_app, bot["_id"])) == 1

    async def test_the_bot_hands_over_by_writing_agent(
        self,
        client: httpx.AsyncClient,
        receiver: Receiver,
        dispatcher: Dispatcher,
    ) -> None:
        """What Tiledesk's chatbots do: they write ``\\agent`` into the conversation."""
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)
        bot = await external_bot(client, project_id, owner, receiver.url)
        message = await talk_to(client, project_id, owner, guest, bot)
        await drain(dispatcher)

        written = await client.post(
            f"/{project_id}/requests/{message['recipient']}/messages",
            json={"text": "\\agent", "sender": f"bot_{bot['_id']}"},
            headers=as_bot(receiver.received[0]),
        )

        assert written.status_code == 200, written.text
        handed = await conversation(client, project_id, message["recipient"], owner)
        assert handed["participants"] == [agent.id]
        assert handed["hasBot"] is False

    async def test_the_bot_hands_over_with_put_agent_and_its_token(
        self,
        client: httpx.AsyncClient,
        receiver: Receiver,
        dispatcher: Dispatcher,
    ) -> None:
        """The REST way (§14.3): ``PUT /:pid/requests/:rid/agent`` with the webhook's token."""
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)
        bot = await external_bot(client, project_id, owner, receiver.url)
        message = await talk_to(client, project_id, owner, guest, bot)
        await drain(dispatcher)

        response = await client.put(
            f"/{project_id}/requests/{message['recipient']}/agent",
            headers=as_bot(receiver.received[0]),
        )
        await post_message(client, project_id, message["recipient"], guest, text="Hello?")
        await drain(dispatcher)

        assert response.status_code == 200, response.text
        assert response.json()["participants"] == [agent.id]
        assert (await conversation(client, project_id, message["recipient"], owner))[
            "participants"
        ] == [agent.id]
        assert len(receiver.received) == 1  # the bot left: the visitor's next message is not its

    async def test_without_an_available_agent_the_conversation_waits_unassigned(
        self,
        client: httpx.AsyncClient,
        receiver: Receiver,
        dispatcher: Dispatcher,
    ) -> None:
        """As Tiledesk's re-route without bots: nobody available leaves it unassigned (100),
        the bot gone."""
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        unavailable = await client.put(
            f"/{project_id}/project_users", json={"user_available": False}, headers=agent.auth
        )
        assert unavailable.status_code == 200
        guest = await make_guest(client, project_id)
        bot = await external_bot(client, project_id, owner, receiver.url)
        message = await talk_to(client, project_id, owner, guest, bot)

        await post_message(client, project_id, message["recipient"], guest, text="\\agent")

        handed = await conversation(client, project_id, message["recipient"], owner)
        assert (handed["participants"], handed["status"], handed["hasBot"]) == ([], 100, False)

    async def test_asking_in_a_multi_post_hands_over_once_for_the_rest(
        self,
        client: httpx.AsyncClient,
        receiver: Receiver,
        dispatcher: Dispatcher,
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        guest = await make_guest(client, project_id)
        bot = await external_bot(client, project_id, owner, receiver.url)
        message = await talk_to(client, project_id, owner, guest, bot)
        await drain(dispatcher)

        response = await client.post(
            f"/{project_id}/requests/{message['recipient']}/messages/multi",
            json=[{"text": "one more for the bot"}, {"text": "\\agent"}, {"text": "after"}],
            headers=guest.auth,
        )
        await drain(dispatcher)

        assert response.status_code == 200, response.text
        handed = await conversation(client, project_id, message["recipient"], owner)
        assert handed["participants"] == [agent.id]
        forwarded = [r.json["payload"]["text"] for r in receiver.received]
        assert forwarded == ["Where is my order?", "one more for the bot"]
