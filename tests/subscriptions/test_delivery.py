"""Webhook delivery (fact sheet §7.1 and Tessera's additions) to a receiver run by the test:
body, headers, signature, the callback token, retries with back-off, and the outbox's
transactional guarantees. Dispatchers are driven by hand with a clock the test moves."""

import re
import time
import uuid
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from tessera.core.db import Record, Tx
from tessera.core.errors import BadRequest
from tessera.subscriptions.delivery import RETRY_WINDOW_MS
from tessera.subscriptions.dispatcher import Dispatcher
from tessera.subscriptions.models import webhook_deliveries
from tests.conversations.support import post_message
from tests.factories import World
from tests.subscriptions.support import Clock, Receiver, drain

OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
HOOK_FIELDS = {"_id", "target", "event", "id_project", "createdBy", "createdAt", "updatedAt", "__v"}
HOUR_MS = 60 * 60 * 1000


async def subscribe(
    client: httpx.AsyncClient, world: World, target: str, event: str = "message.create"
) -> dict[str, Any]:
    response = await client.post(
        f"/{world.project_id}/subscriptions",
        json={"event": event, "target": target},
        headers=world.admin.auth,
    )
    assert response.status_code == 200, response.text
    created: dict[str, Any] = response.json()
    return created


def new_request_id(project_id: str) -> str:
    return f"support-group-{project_id}-{uuid.uuid4().hex}"


async def guest_message(
    client: httpx.AsyncClient, world: World, text: str = "Hello"
) -> dict[str, Any]:
    """A guest's first message, which creates its conversation on the fly."""
    return await post_message(
        client, world.project_id, new_request_id(world.project_id), world.guest, text=text
    )


async def logs(
    client: httpx.AsyncClient, world: World, subscription_id: str
) -> list[dict[str, Any]]:
    response = await client.get(
        f"/{world.project_id}/subscriptions/{subscription_id}/logs", headers=world.admin.auth
    )
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def deliveries(app: FastAPI, project_id: str) -> list[Record]:
    """The project's outbox rows, oldest first (what the API does not show: status)."""

    def read(tx: Tx) -> list[Record]:
        statement = (
            select(webhook_deliveries)
            .where(webhook_deliveries.c.project_id == project_id)
            .order_by(webhook_deliveries.c.created_at, webhook_deliveries.c.id)
        )
        return tx.all(statement)

    rows: list[Record] = await app.state.db.read(read)
    return rows


class TestWhatIsSent:
    async def test_a_message_reaches_the_receiver_with_tiledesks_body(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        subscription = await subscribe(client, world, receiver.url)
        before = int(time.time() * 1000)
        message = await guest_message(client, world, "Where is my order?")

        assert await drain(dispatcher) >= 1

        (received,) = receiver.received
        body = received.json
        assert set(body) == {"timestamp", "payload", "hook", "token"}
        assert before <= body["timestamp"] <= int(time.time() * 1000)
        assert body["payload"]["_id"] == message["_id"]
        assert body["payload"]["text"] == "Where is my order?"
        assert body["payload"]["request"]["request_id"] == message["recipient"]
        assert body["hook"] == {key: subscription[key] for key in HOOK_FIELDS}

    async def test_headers_carry_the_secret_the_delivery_id_and_a_signature(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        subscription = await subscribe(client, world, receiver.url)
        await guest_message(client, world)
        sent_after = int(time.time())

        await drain(dispatcher)

        (received,) = receiver.received
        headers = received.headers
        assert headers["content-type"] == "application/json"
        assert headers["user-agent"] == "tiledesk-webhooks"
        assert headers["origin"] == "http://localhost:3000"
        assert headers["x-hook-secret"] == subscription["secret"]
        assert OBJECT_ID.match(headers["x-tessera-delivery"])
        assert sent_after - 1 <= int(headers["x-tessera-timestamp"]) <= int(time.time())
        assert headers["x-tessera-signature"].startswith("sha256=")
        assert received.signature_matches(subscription["secret"])
        assert not received.signature_matches(subscription["secret"] + "x")

    async def test_the_token_is_signed_with_the_subscriptions_secret(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        subscription = await subscribe(client, world, receiver.url)
        await guest_message(client, world)
        await drain(dispatcher)

        token = receiver.received[0].json["token"]
        claims = jwt.decode(
            token,
            subscription["secret"],
            algorithms=["HS256"],
            audience=f"https://tiledesk.com/subscriptions/{subscription['_id']}",
            issuer="https://tiledesk.com",
        )

        assert claims["sub"] == "subscription"
        assert {key: claims[key] for key in HOOK_FIELDS} == {
            key: subscription[key] for key in HOOK_FIELDS
        }
        assert "secret" not in claims
        assert "exp" not in claims
        with pytest.raises(jwt.InvalidSignatureError):
            jwt.decode(token, "another-secret", algorithms=["HS256"], options={"verify_aud": False})

    async def test_the_token_calls_the_api_back_in_its_project_only(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        subscription = await subscribe(client, world, receiver.url)
        message = await guest_message(client, world)
        await drain(dispatcher)
        auth = {"Authorization": "JWT " + receiver.received[0].json["token"]}

        read = await client.get(
            f"/{world.project_id}/requests/{message['recipient']}", headers=auth
        )
        elsewhere = await client.get(f"/{world.other_project_id}/leads", headers=auth)
        await client.delete(
            f"/{world.project_id}/subscriptions/{subscription['_id']}", headers=world.admin.auth
        )
        after_delete = await client.get(f"/{world.project_id}/leads", headers=auth)

        assert read.status_code == 200
        assert read.json()["request_id"] == message["recipient"]
        assert elsewhere.status_code == 403
        assert after_delete.status_code == 401  # its secret is gone with it

    async def test_each_subscription_gets_its_own_delivery_and_secret(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        first = await subscribe(client, world, receiver.url)
        second = await subscribe(client, world, receiver.url + "?second")
        await guest_message(client, world)

        await drain(dispatcher)

        by_hook = {request.json["hook"]["_id"]: request for request in receiver.received}
        assert set(by_hook) == {first["_id"], second["_id"]}
        assert by_hook[first["_id"]].signature_matches(first["secret"])
        assert by_hook[second["_id"]].signature_matches(second["secret"])
        assert by_hook[first["_id"]].delivery_id != by_hook[second["_id"]].delivery_id

    async def test_only_the_subscribed_event_of_the_subscribed_project_is_sent(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        await subscribe(client, world, receiver.url, event="lead.create")
        await guest_message(client, world)  # request.create, message.create... no lead.create
        other = await client.post(
            f"/{world.other_project_id}/leads",
            json={"fullname": "Elsewhere"},
            headers=world.stranger.auth,
        )
        assert other.status_code == 200
        lead = await client.post(
            f"/{world.project_id}/leads", json={"fullname": "Grace"}, headers=world.agent.auth
        )

        await drain(dispatcher)

        assert [request.json["hook"]["event"] for request in receiver.received] == ["lead.create"]
        assert receiver.received[0].json["payload"]["_id"] == lead.json()["_id"]

    async def test_channel_variants_of_message_create(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        """``message.create.request.channel.<name>`` (§5.15): here the request's channel."""
        message = await guest_message(client, world)
        channel = message["request"]["channel"]["name"]
        await subscribe(
            client, world, receiver.url, event=f"message.create.request.channel.{channel}"
        )
        await subscribe(client, world, receiver.url, event="message.create.request.channel.nowhere")

        second = await post_message(client, world.project_id, message["recipient"], world.guest)
        await drain(dispatcher)

        assert [request.json["hook"]["event"] for request in receiver.received] == [
            f"message.create.request.channel.{channel}"
        ]
        assert receiver.received[0].json["payload"]["_id"] == second["_id"]

    async def test_the_log_records_the_attempt(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        subscription = await subscribe(client, world, receiver.url)
        receiver.reply = b'{"thanks":"received"}'
        await guest_message(client, world)
        await drain(dispatcher)

        (entry,) = await logs(client, world, subscription["_id"])
        history = await client.get(
            f"/{world.project_id}/subscriptions/history", headers=world.admin.auth
        )

        assert entry["event"] == "message.create"
        assert entry["target"] == receiver.url
        assert entry["id_project"] == world.project_id
        assert entry["subscription_id"] == subscription["_id"]
        assert entry["delivery_id"] == receiver.received[0].delivery_id
        assert entry["attempt"] == 1
        assert entry["status_code"] == 200
        assert entry["body"] == '{"thanks":"received"}'
        assert "err" not in entry
        assert entry["duration_ms"] >= 0
        assert history.json() == [entry]


class TestRetries:
    async def test_a_500_is_retried_after_the_back_off_with_the_same_delivery(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        clock: Clock,
        webhook_app: FastAPI,
    ) -> None:
        subscription = await subscribe(client, world, receiver.url)
        receiver.answer(500)
        await guest_message(client, world)

        await drain(dispatcher)
        (pending,) = await deliveries(webhook_app, world.project_id)
        assert pending.status == "pending"
        assert pending.attempts == 1
        assert pending.last_error == "HTTP 500"
        await drain(dispatcher)  # not due yet: nothing is sent
        assert len(receiver.received) == 1

        clock.advance(10_001)  # the first back-off is 5 to 10 s
        await drain(dispatcher)

        first, second = receiver.received
        assert first.delivery_id == second.delivery_id
        assert first.json["payload"] == second.json["payload"]
        assert first.json["timestamp"] == second.json["timestamp"]
        assert second.signature_matches(subscription["secret"])
        (delivered,) = await deliveries(webhook_app, world.project_id)
        assert delivered.status == "delivered"
        assert delivered.attempts == 2
        assert delivered.last_error is None
        newest, oldest = await logs(client, world, subscription["_id"])
        assert (newest["attempt"], newest["status_code"]) == (2, 200)
        assert (oldest["attempt"], oldest["status_code"]) == (1, 500)
        assert "err" not in oldest  # ``err`` is for failures without an answer

    async def test_a_receiver_that_is_down_gets_it_once_it_is_back(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        clock: Clock,
        webhook_app: FastAPI,
    ) -> None:
        subscription = await subscribe(client, world, receiver.url)
        receiver.stop()
        message = await guest_message(client, world)

        await drain(dispatcher)
        (refused,) = await logs(client, world, subscription["_id"])
        assert "status_code" not in refused
        assert refused["err"]
        receiver.start()
        clock.advance(10_001)
        await drain(dispatcher)

        (received,) = receiver.received
        assert received.json["payload"]["_id"] == message["_id"]
        assert [row.status for row in await deliveries(webhook_app, world.project_id)] == [
            "delivered"
        ]

    async def test_failures_are_retried_for_24_hours_then_given_up(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        clock: Clock,
        webhook_app: FastAPI,
    ) -> None:
        await subscribe(client, world, receiver.url, event="lead.create")
        receiver.answer(*[503] * 100)
        await client.post(
            f"/{world.project_id}/leads", json={"fullname": "Ada"}, headers=world.agent.auth
        )

        await drain(dispatcher)
        for _ in range(RETRY_WINDOW_MS // HOUR_MS):
            clock.advance(HOUR_MS)  # the back-off never exceeds an hour
            await drain(dispatcher)
        (given_up,) = await deliveries(webhook_app, world.project_id)
        clock.advance(10 * HOUR_MS)
        await drain(dispatcher)

        assert given_up.status == "failed"
        assert given_up.attempts == 25  # at 0 h, 1 h, ..., 24 h
        assert given_up.last_error == "HTTP 503"
        assert len(receiver.received) == 25  # and nothing after

    async def test_the_back_off_doubles_up_to_an_hour(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        clock: Clock,
        webhook_app: FastAPI,
    ) -> None:
        await subscribe(client, world, receiver.url, event="lead.create")
        receiver.answer(*[500] * 20)
        await client.post(
            f"/{world.project_id}/leads", json={"fullname": "Ada"}, headers=world.agent.auth
        )

        waits = []
        await drain(dispatcher)
        for _ in range(12):
            (row,) = await deliveries(webhook_app, world.project_id)
            waits.append(row.next_attempt_at - clock())
            clock.advance(row.next_attempt_at - clock())
            await drain(dispatcher)

        for failures, wait in enumerate(waits, start=1):
            ceiling = min(10_000 * 2 ** (failures - 1), HOUR_MS)
            assert ceiling / 2 - 1_000 <= wait <= ceiling, (failures, wait)


class TestTheOutbox:
    async def test_a_rolled_back_write_delivers_nothing(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        """The outbox rows are written inside the write's transaction, so a write that emits
        an event and then fails leaves no delivery behind."""
        await subscribe(client, world, receiver.url, event="lead.create")

        def create_then_fail(tx: Tx, fail: bool) -> None:
            tx.emit("lead.create", world.project_id, {"_id": "lead-of-a-failed-write"})
            if fail:
                raise BadRequest("the write fails after emitting")

        with pytest.raises(BadRequest):
            await webhook_app.state.db.write(create_then_fail, True)
        assert await deliveries(webhook_app, world.project_id) == []
        await webhook_app.state.db.write(create_then_fail, False)  # the same write, committed
        await drain(dispatcher)

        assert [row.status for row in await deliveries(webhook_app, world.project_id)] == [
            "delivered"
        ]
        (received,) = receiver.received
        assert received.json["payload"] == {"_id": "lead-of-a-failed-write"}

    async def test_a_refused_request_delivers_nothing(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        await subscribe(client, world, receiver.url, event="lead.create")

        response = await client.post(
            f"/{world.project_id}/leads",
            json={"fullname": ["not", "text"]},
            headers=world.agent.auth,
        )
        await drain(dispatcher)

        assert response.status_code == 422
        assert await deliveries(webhook_app, world.project_id) == []
        assert receiver.received == []

    async def test_deliveries_of_a_deleted_subscription_are_dropped(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        dispatcher: Dispatcher,
        webhook_app: FastAPI,
    ) -> None:
        subscription = await subscribe(client, world, receiver.url)
        await guest_message(client, world)

        await client.delete(
            f"/{world.project_id}/subscriptions/{subscription['_id']}", headers=world.admin.auth
        )
        await drain(dispatcher)

        assert receiver.received == []
        (dropped,) = await deliveries(webhook_app, world.project_id)
        assert (dropped.status, dropped.last_error) == ("failed", "subscription deleted")

    async def test_a_private_target_is_refused_when_sending(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, webhook_app: FastAPI
    ) -> None:
        """A dispatcher with the default settings resolves the target and refuses loopback
        and private addresses (the suite's app let the subscription be saved)."""
        subscription = await subscribe(
            client, world, receiver.url.replace("127.0.0.1", "localhost")
        )
        await guest_message(client, world)

        async with Dispatcher(webhook_app.state.db, timeout=5) as strict:
            await drain(strict)

        assert receiver.received == []
        (refused,) = await logs(client, world, subscription["_id"])
        assert refused["err"] == "target host localhost is not a public address (127.0.0.1)"
        (row,) = await deliveries(webhook_app, world.project_id)
        assert row.status == "pending"  # retried: the name may point elsewhere later

    async def test_the_history_pages_by_40_newest_first(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, dispatcher: Dispatcher
    ) -> None:
        await subscribe(client, world, receiver.url, event="lead.create")
        for number in range(41):
            response = await client.post(
                f"/{world.project_id}/leads",
                json={"fullname": f"Lead {number}"},
                headers=world.agent.auth,
            )
            assert response.status_code == 200
        await drain(dispatcher)
        url = f"/{world.project_id}/subscriptions/history"

        first = (await client.get(url, headers=world.admin.auth)).json()
        second = (await client.get(url, params={"page": 1}, headers=world.admin.auth)).json()

        assert len(first) == 40
        assert len(second) == 1
        stamps = [entry["createdAt"] for entry in first + second]
        assert stamps == sorted(stamps, reverse=True)
        assert len({entry["delivery_id"] for entry in first + second}) == 41
