"""The caller's own conversations, ``GET /:pid/requests/me`` (§5.4.1)."""

from typing import Any

import httpx
import pytest

from tests.conversations.support import create_request, post_message, project_with_agents
from tests.factories import make_end_user, make_guest, make_project, project_secret, signup


async def mine(
    client: httpx.AsyncClient, project_id: str, who: Any, **params: object
) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/requests/me", params=params, headers=who.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def request_ids(body: dict[str, Any]) -> set[str]:
    return {request["request_id"] for request in body["requests"]}


def new_request_id(project_id: str, n: int) -> str:
    return f"support-group-{project_id}-{n:032x}"


class TestOwnConversations:
    async def test_a_guest_sees_only_the_conversations_it_requested(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        visitor, other = await make_guest(client, project_id), await make_guest(client, project_id)
        own = new_request_id(project_id, 1)
        await post_message(client, project_id, own, visitor, senderFullname="Vera Visitor")
        await post_message(client, project_id, new_request_id(project_id, 2), other)
        await create_request(client, project_id, owner)

        body = await mine(client, project_id, visitor)

        assert body["perPage"] == 40
        assert body["count"] == 1
        (request,) = body["requests"]
        assert request["request_id"] == own
        assert request["lead"]["lead_id"] == visitor.id
        assert request["lead"]["fullname"] == "Vera Visitor"
        assert request["requester"]["uuid_user"] == visitor.id
        assert request["requester"]["role"] == "guest"
        assert [user["_id"] for user in request["participatingAgents"]] == [agent.id]
        assert request["participatingBots"] == []
        assert "agents" not in request["snapshot"]

    async def test_an_end_user_sees_only_its_own(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        secret = await project_secret(client, project_id, owner)
        end_user = await make_end_user(client, project_id, secret)
        other = await make_end_user(client, project_id, secret)
        own = new_request_id(project_id, 3)
        await post_message(client, project_id, own, end_user)
        await post_message(client, project_id, new_request_id(project_id, 4), other)

        body = await mine(client, project_id, end_user)

        assert request_ids(body) == {own}
        assert body["requests"][0]["requester"]["role"] == "user"

    async def test_an_agent_sees_what_it_requested_not_what_it_answers(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, (agent,) = await project_with_agents(client, 1)
        answered = await create_request(client, project_id, owner)
        asked = await create_request(client, project_id, agent, participants=[owner.id])

        body = await mine(client, project_id, agent)

        assert answered["participants"] == [agent.id]
        assert request_ids(body) == {asked["request_id"]}

    async def test_conversations_requested_for_a_guest_are_the_guests(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        created = await create_request(client, project_id, owner, sender=visitor.id)

        assert request_ids(await mine(client, project_id, visitor)) == {created["request_id"]}
        assert request_ids(await mine(client, project_id, owner)) == set()


class TestStatusAndFilters:
    async def test_status_defaults_to_open_including_hidden_ones(
        self, client: httpx.AsyncClient
    ) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        made = {
            name: (await create_request(client, project_id, owner, sender=visitor.id))["request_id"]
            for name in ("open", "temp", "closed")
        }
        for name, path, body in (("temp", "", {"status": 50}), ("closed", "/close", {})):
            method = "PATCH" if name == "temp" else "PUT"
            response = await client.request(
                method, f"/{project_id}/requests/{made[name]}{path}", json=body, headers=owner.auth
            )
            assert response.status_code == 200, response.text

        default = await mine(client, project_id, visitor)
        closed = await mine(client, project_id, visitor, status=1000)
        everything = await mine(client, project_id, visitor, status="all")

        assert request_ids(default) == {made["open"], made["temp"]}
        assert request_ids(closed) == {made["closed"]}
        assert request_ids(everything) == set(made.values())
        assert everything["count"] == 3

    async def test_preflight_ones_only_when_asked(self, client: httpx.AsyncClient) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        preflight = new_request_id(project_id, 5)
        await post_message(client, project_id, preflight, visitor, preflight=True)

        hidden = await mine(client, project_id, visitor)
        shown = await mine(client, project_id, visitor, preflight="true")

        assert request_ids(hidden) == set()
        assert request_ids(shown) == {preflight}

    async def test_the_lists_filters_apply(self, client: httpx.AsyncClient) -> None:
        project_id, owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        form = await create_request(
            client, project_id, owner, sender=visitor.id, channel={"name": "form"}
        )
        chat = await create_request(client, project_id, owner, sender=visitor.id)

        offline = await mine(client, project_id, visitor, channel="offline")
        by_ticket = await mine(client, project_id, visitor, ticket_id=chat["ticket_id"])
        oldest_first = await mine(client, project_id, visitor, sort="ticket_id", direction=1)
        one = await mine(client, project_id, visitor, limit=1, page=1, sort="ticket_id")

        assert request_ids(offline) == {form["request_id"]}
        assert request_ids(by_ticket) == {chat["request_id"]}
        assert [r["ticket_id"] for r in oldest_first["requests"]] == [
            form["ticket_id"],
            chat["ticket_id"],
        ]
        assert request_ids(one) == {form["request_id"]}
        assert one["count"] == 2

    async def test_the_widgets_double_slash_path_works(self, client: httpx.AsyncClient) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        own = new_request_id(project_id, 7)
        await post_message(client, project_id, own, visitor, preflight=True)

        response = await client.get(
            f"/{project_id}/requests//me", params={"preflight": "true"}, headers=visitor.auth
        )

        assert response.status_code == 200
        assert request_ids(response.json()) == {own}

    async def test_no_populate_and_a_big_limit(self, client: httpx.AsyncClient) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)
        await post_message(client, project_id, new_request_id(project_id, 6), visitor)

        body = await mine(client, project_id, visitor, no_populate="true", limit=500)

        assert body["perPage"] == 40
        assert isinstance(body["requests"][0]["lead"], str)
        assert "participatingAgents" not in body["requests"][0]

    @pytest.mark.parametrize(
        ("params", "status"),
        [
            ({"start_date": "32/01/2024"}, 400),
            ({"status": "open"}, 422),
            ({"direction": "sideways"}, 422),
        ],
    )
    async def test_bad_parameters_are_4xx(
        self, client: httpx.AsyncClient, params: dict[str, str], status: int
    ) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        visitor = await make_guest(client, project_id)

        response = await client.get(
            f"/{project_id}/requests/me", params=params, headers=visitor.auth
        )

        assert response.status_code == status


class TestAccess:
    async def test_only_members_of_the_project(self, client: httpx.AsyncClient) -> None:
        project_id, _owner, _agents = await project_with_agents(client, 1)
        outsider = await signup(client)
        stranger = await signup(client)
        their_project = await make_project(client, stranger)
        their_guest = await make_guest(client, their_project)

        answers = [
            await client.get(f"/{project_id}/requests/me", headers=who.auth)
            for who in (outsider, stranger, their_guest)
        ]
        anonymous = await client.get(f"/{project_id}/requests/me")

        assert [a.status_code for a in answers] == [403, 403, 403]
        assert answers[0].json() == {"success": False, "msg": "you dont belong to the project."}
        assert anonymous.status_code == 401
