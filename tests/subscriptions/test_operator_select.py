"""``operator.select`` (fact sheet §7.2): routing asks the project's webhook who takes a
conversation. ``select_operators`` is tested through the database as routing calls it; the
last test goes through ``POST /requests``."""

from collections.abc import Iterator
from typing import Any

import httpx
import orjson
import pytest
from fastapi import FastAPI

from tessera.core.db import Tx
from tessera.projects import repository as projects
from tessera.routing.service import route
from tessera.subscriptions import operator_select
from tessera.subscriptions.dispatcher import Dispatcher
from tessera.subscriptions.operator_select import HookSettings, select_operators
from tests.conversations.support import create_request
from tests.factories import Person, World, add_member, signup
from tests.subscriptions.support import Receiver, drain
from tests.subscriptions.test_delivery import HOOK_FIELDS, deliveries, logs, subscribe

LOOPBACK = HookSettings(allow_private=True)


async def _unavailable_agent(client: httpx.AsyncClient, world: World) -> Person:
    """An agent routing never picks (not available); the hook may still choose him."""
    agent = await signup(client, firstname="Busy")
    await add_member(client, world.project_id, world.owner, agent, "agent")
    response = await client.put(
        f"/{world.project_id}/project_users", json={"user_available": False}, headers=agent.auth
    )
    assert response.status_code == 200
    return agent


async def _ask(
    app: FastAPI, project_id: str, settings: HookSettings = LOOPBACK
) -> tuple[list[str] | None, str | None]:
    """Route the project's default department, then ask the hook, in one transaction as
    routing does: ``(the hook's choice, routing's own)``."""

    def ask(tx: Tx) -> tuple[list[str] | None, str | None]:
        project = projects.get_active(tx, project_id)
        assert project is not None
        routing = route(tx, project, None, ask_hook=False)
        chosen = select_operators(
            tx,
            project,
            department=routing.department,
            agents=routing.agents,
            available=routing.available,
            operator=routing.operator,
            group=routing.group,
            last_operator=routing.last_operator,
            settings=settings,
        )
        return chosen, routing.operator

    result: tuple[list[str] | None, str | None] = await app.state.db.write(ask)
    return result


def _answer(receiver: Receiver, body: Any) -> None:
    receiver.reply = orjson.dumps(body)


class TestSelectOperators:
    async def test_the_hook_chooses_and_sees_the_routing_context(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, webhook_app: FastAPI
    ) -> None:
        busy = await _unavailable_agent(client, world)
        subscription = await subscribe(client, world, receiver.url, event="operator.select")
        _answer(receiver, {"operators": [{"id_user": busy.id}]})

        chosen, default = await _ask(webhook_app, world.project_id)

        assert chosen == [busy.id]
        assert default != busy.id
        (received,) = receiver.received
        assert received.signature_matches(subscription["secret"])
        body = received.json
        assert body["hook"] == {key: subscription[key] for key in HOOK_FIELDS}
        context = body["payload"]
        assert set(context) == {
            "department",
            "available_agents",
            "agents",
            "operators",
            "id_project",
            "project",
            "context",
        }
        assert context["id_project"] == world.project_id
        assert context["project"]["_id"] == world.project_id
        assert context["department"]["default"] is True
        assert busy.id in {agent["id_user"] for agent in context["agents"]}
        assert busy.id not in {agent["id_user"] for agent in context["available_agents"]}
        assert context["operators"] == ([{"id_user": default}] if default else [])

    async def test_the_call_is_logged_and_never_sent_again(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        webhook_app: FastAPI,
        dispatcher: Dispatcher,
    ) -> None:
        subscription = await subscribe(client, world, receiver.url, event="operator.select")
        _answer(receiver, {"operators": []})

        chosen, _ = await _ask(webhook_app, world.project_id)
        await drain(dispatcher)

        assert chosen == []  # nobody: the conversation waits in the queue
        assert len(receiver.received) == 1
        (entry,) = await logs(client, world, subscription["_id"])
        assert (entry["event"], entry["status_code"], entry["attempt"]) == (
            "operator.select",
            200,
            1,
        )
        assert entry["delivery_id"] == receiver.received[0].delivery_id
        (row,) = await deliveries(webhook_app, world.project_id)
        assert row.status == "delivered"

    async def test_without_a_subscription_nothing_is_called(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, webhook_app: FastAPI
    ) -> None:
        await subscribe(client, world, receiver.url, event="request.create")

        chosen, _ = await _ask(webhook_app, world.project_id)

        assert chosen is None
        assert receiver.received == []

    @pytest.mark.parametrize(
        "answer",
        [
            {"operators": [{"id_user": "6b067d2d0c9d2d1b14da90d9"}]},  # nobody of the project
            {"operators": "everyone"},
            {"no": "operators"},
            ["not", "an", "object"],
        ],
    )
    async def test_an_unusable_answer_keeps_routings_choice(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        webhook_app: FastAPI,
        answer: Any,
    ) -> None:
        await subscribe(client, world, receiver.url, event="operator.select")
        _answer(receiver, answer)

        chosen, _ = await _ask(webhook_app, world.project_id)

        assert chosen is None
        assert len(receiver.received) == 1

    async def test_a_failing_hook_keeps_routings_choice_and_is_logged(
        self,
        client: httpx.AsyncClient,
        world: World,
        receiver: Receiver,
        webhook_app: FastAPI,
    ) -> None:
        subscription = await subscribe(client, world, receiver.url, event="operator.select")
        receiver.answer(500)
        first, _ = await _ask(webhook_app, world.project_id)
        receiver.stop()
        second, _ = await _ask(webhook_app, world.project_id)

        assert (first, second) == (None, None)
        down, error = await logs(client, world, subscription["_id"])
        assert error["status_code"] == 500
        assert "status_code" not in down
        assert down["err"]
        rows = await deliveries(webhook_app, world.project_id)
        assert [row.status for row in rows] == ["failed", "failed"]

    async def test_a_bot_of_the_project_may_be_chosen(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, webhook_app: FastAPI
    ) -> None:
        mine = await client.post(
            f"/{world.project_id}/faq_kb", json={"name": "Helper"}, headers=world.admin.auth
        )
        theirs = await client.post(
            f"/{world.other_project_id}/faq_kb", json={"name": "Other"}, headers=world.stranger.auth
        )
        await subscribe(client, world, receiver.url, event="operator.select")

        _answer(receiver, {"operators": [{"id_user": f"bot_{mine.json()['_id']}"}]})
        chosen_mine, _ = await _ask(webhook_app, world.project_id)
        _answer(receiver, {"operators": [{"id_user": f"bot_{theirs.json()['_id']}"}]})
        chosen_theirs, _ = await _ask(webhook_app, world.project_id)

        assert chosen_mine == [f"bot_{mine.json()['_id']}"]
        assert chosen_theirs is None

    async def test_a_private_target_is_refused_by_default(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver, webhook_app: FastAPI
    ) -> None:
        subscription = await subscribe(client, world, receiver.url, event="operator.select")

        chosen, _ = await _ask(webhook_app, world.project_id, HookSettings())

        assert chosen is None
        assert receiver.received == []
        (entry,) = await logs(client, world, subscription["_id"])
        assert entry["err"] == "target host 127.0.0.1 is not a public address (127.0.0.1)"


@pytest.fixture
def loopback_hooks() -> Iterator[None]:
    """Routing calls the hook with the settings ``configure`` set at app creation; several
    apps share this process, so the test sets them itself."""
    operator_select.configure(allow_private=True, origin="http://localhost:3000")
    yield
    operator_select.configure(allow_private=False, origin="http://localhost:3000")


async def test_a_new_conversation_goes_to_the_operator_the_hook_chose(
    client: httpx.AsyncClient, world: World, receiver: Receiver, loopback_hooks: None
) -> None:
    busy = await _unavailable_agent(client, world)
    await subscribe(client, world, receiver.url, event="operator.select")
    _answer(receiver, {"operators": [{"id_user": busy.id}]})

    created = await create_request(client, world.project_id, world.owner)

    assert created["participants"] == [busy.id]
    assert len(receiver.received) == 1
