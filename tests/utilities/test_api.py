"""Utilities and diagnostics (fact sheet §5.28): request lookup, test-auth routes, project
membership test, monthly usage (``quotes``)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from tessera.projects import repository as projects
from tests.factories import World, make_world
from tests.project_users.support import AGENT_ROUTE_ACCESS, assert_access, headers_of
from tests.transcripts.support import bot_auth, guest_conversation, reply

SUCCESS = '{"success":true}'


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the tests that read, or open conversations of their own; the usage reports
    count what a project did and make a World of their own. Nothing here reports tokens."""
    return await make_world(client)


class TestRequestLookup:
    @pytest.mark.parametrize("who", ["agent", "owner", "guest"])
    async def test_answers_the_project_of_a_readable_conversation(
        self, client: httpx.AsyncClient, world: World, who: str
    ) -> None:
        request_id = await guest_conversation(client, world.project_id, world.guest, ["hi"])

        response = await client.get(
            f"/requests_util/lookup/id_project/{request_id}", headers=headers_of(world, who)
        )

        assert response.status_code == 200
        assert response.json() == {"id_project": world.project_id}

    @pytest.mark.parametrize("who", ["outsider", "stranger", "end_user"])
    async def test_hides_conversations_the_caller_may_not_read(
        self, client: httpx.AsyncClient, world: World, who: str
    ) -> None:
        request_id = await guest_conversation(client, world.project_id, world.guest, ["hi"])

        response = await client.get(
            f"/requests_util/lookup/id_project/{request_id}", headers=headers_of(world, who)
        )

        assert response.status_code == 404
        assert response.json() == {
            "success": False,
            "msg": f"Request with  {request_id} not found",
        }

    async def test_needs_credentials(self, client: httpx.AsyncClient) -> None:
        response = await client.get("/requests_util/lookup/id_project/support-group-x")

        assert response.status_code == 401
        assert response.text == "Unauthorized"

    async def test_an_unknown_conversation_is_not_found(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            "/requests_util/lookup/id_project/nope", headers=world.owner.auth
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Request with  nope not found"}


class TestAuthDiagnostics:
    @pytest.mark.parametrize("path", ["/testauth", "/testauth/noentitycheck"])
    async def test_testauth_answers_any_authenticated_caller(
        self, client: httpx.AsyncClient, world: World, path: str
    ) -> None:
        for headers in (world.outsider.auth, world.guest.auth, world.outsider.basic):
            response = await client.get(path, headers=headers)
            assert response.status_code == 200
            assert response.headers["content-type"] == "text/html; charset=utf-8"
            assert response.text == SUCCESS
        anonymous = await client.get(path)
        assert (anonymous.status_code, anonymous.text) == (401, "Unauthorized")

    @pytest.mark.parametrize("path", ["", "/noentitycheck"])
    async def test_authtest_in_a_project_needs_credentials_only(
        self, client: httpx.AsyncClient, world: World, path: str
    ) -> None:
        url = f"/{world.project_id}/authtestWithRoleCheck{path}"

        allowed = await client.get(url, headers=world.outsider.auth)
        anonymous = await client.get(url)
        bad_project = await client.get(
            f"/nope/authtestWithRoleCheck{path}", headers=world.outsider.auth
        )

        assert (allowed.status_code, allowed.text) == (200, SUCCESS)
        assert anonymous.status_code == 401
        assert bad_project.status_code == 400
        assert bad_project.json() == {"error": "Invalid project id: nope"}

    @pytest.mark.parametrize(
        ("who", "status"),
        [("bot", 200), ("agent", 200), ("guest", 200), ("outsider", 403), ("nobody", 401)],
    )
    async def test_authtest_bot_admits_members_and_bots(
        self, client: httpx.AsyncClient, world: World, who: str, status: int
    ) -> None:
        if who == "bot":
            headers = (await bot_auth(client, world.project_id, world.owner)).headers
        else:
            headers = headers_of(world, who)

        response = await client.get(
            f"/{world.project_id}/authtestWithRoleCheck/bot", headers=headers
        )

        assert response.status_code == status

    async def test_project_users_test_answers_the_callers_membership(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/project_users_test/test", headers=world.agent.auth
        )

        assert response.status_code == 200
        membership = response.json()
        assert membership["id_user"] == world.agent.id
        assert membership["id_project"] == world.project_id
        assert membership["role"] == "agent"
        assert membership["id"] == membership["_id"]
        assert membership["isAuthenticated"] is True

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_project_users_test_role_matrix(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/project_users_test/test", headers=headers_of(world, who)
        )

        assert_access(response, expected)


def _quotes(body: dict[str, Any]) -> dict[str, int]:
    return {kind: value["quote"] for kind, value in body["quotes"].items()}


class TestQuotes:
    async def test_reports_this_months_usage(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        request_id = await guest_conversation(client, world.project_id, world.guest, ["one", "two"])
        await reply(client, world.project_id, request_id, world.agent, "three")
        messages = await client.get(
            f"/{world.project_id}/requests/{request_id}/messages", headers=world.agent.auth
        )
        await bot_auth(client, world.project_id, world.owner)

        response = await client.post(f"/{world.project_id}/quotes", headers=world.agent.auth)

        assert response.status_code == 200
        body = response.json()
        assert (body["message"], body["success"]) == ("ok", True)
        assert _quotes(body) == {
            "requests": 1,
            "messages": len(messages.json()),
            "email": 0,
            "tokens": 0,
            "voice_duration": 0,
            "chatbots": 1,
            "kbs": 0,
        }
        start = datetime.fromisoformat(body["slot"]["startDate"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(body["slot"]["endDate"].replace("Z", "+00:00"))
        assert start <= datetime.now(UTC) < end
        assert timedelta(days=28) <= end - start <= timedelta(days=31)

    async def test_a_date_outside_the_slot_reports_another_slot(
        self, client: httpx.AsyncClient
    ) -> None:
        world = await make_world(client)
        await guest_conversation(client, world.project_id, world.guest, ["one"])
        later = (datetime.now(UTC) + timedelta(days=95)).isoformat()

        response = await client.post(
            f"/{world.project_id}/quotes", json={"date": later}, headers=world.agent.auth
        )

        assert response.status_code == 200
        assert _quotes(response.json())["requests"] == 0

    async def test_counts_ai_tokens_reported_by_bots(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        bot = await bot_auth(client, world.project_id, world.owner)

        first = await client.post(
            f"/{world.project_id}/quotes/incr/tokens",
            json={"tokens": 120, "model": "gpt-4o"},
            headers=bot.headers,
        )
        second = await client.post(
            f"/{world.project_id}/quotes/incr/tokens", json={"tokens": 30}, headers=bot.headers
        )
        usage = await client.post(f"/{world.project_id}/quotes", headers=world.agent.auth)

        assert first.status_code == 200
        assert first.json()["currentQuote"] == 120
        assert first.json()["key"].startswith(f"quotes:tokens:{world.project_id}:")
        assert first.json()["message"] == "value incremented for key " + first.json()["key"]
        assert second.json()["currentQuote"] == 150
        assert _quotes(usage.json())["tokens"] == 150

    async def test_counters_are_per_project(self, client: httpx.AsyncClient) -> None:
        world = await make_world(client)
        await client.post(
            f"/{world.other_project_id}/quotes/incr/tokens",
            json={"tokens": 5},
            headers=world.stranger.auth,
        )

        usage = await client.post(f"/{world.project_id}/quotes", headers=world.agent.auth)

        assert _quotes(usage.json())["tokens"] == 0

    @pytest.mark.parametrize("kind", ["requests", "messages", "tokens", "email"])
    async def test_everything_is_available_when_limits_are_off(
        self, client: httpx.AsyncClient, world: World, kind: str
    ) -> None:
        response = await client.get(f"/{world.project_id}/quotes/{kind}", headers=world.agent.auth)

        assert response.status_code == 200
        assert response.json() == {"isAvailable": True}

    async def test_enforced_limits_compare_usage_with_the_plan(
        self, preview_client: httpx.AsyncClient, preview_app: FastAPI
    ) -> None:
        # The utilities' own app runs with QUOTES_ENABLED; the plan's token limit is lowered.
        world = await make_world(preview_client)
        profile = {"name": "Sandbox", "type": "payment", "quotes": {"tokens": 100}}
        await _set_profile(preview_app, world, profile)

        before = await preview_client.get(
            f"/{world.project_id}/quotes/tokens", headers=world.agent.auth
        )
        await preview_client.post(
            f"/{world.project_id}/quotes/incr/tokens",
            json={"tokens": 101},
            headers=world.agent.auth,
        )
        after = await preview_client.get(
            f"/{world.project_id}/quotes/tokens", headers=world.agent.auth
        )
        requests = await preview_client.get(
            f"/{world.project_id}/quotes/requests", headers=world.agent.auth
        )

        assert before.json() == {"isAvailable": True}
        assert after.json() == {"isAvailable": False}
        assert requests.json() == {"isAvailable": True}

    @pytest.mark.parametrize(
        ("method", "path", "body", "status"),
        [
            ("GET", "/quotes/bananas", None, 400),
            ("POST", "/quotes/incr/requests", {"tokens": 1}, 400),
            ("POST", "/quotes/incr/tokens", {"tokens": -1}, 422),
            ("POST", "/quotes/incr/tokens", {"tokens": "many"}, 422),
            ("POST", "/quotes", {"date": "yesterday"}, 422),
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_counted(
        self,
        client: httpx.AsyncClient,
        world: World,
        method: str,
        path: str,
        body: dict[str, Any] | None,
        status: int,
    ) -> None:
        response = await client.request(
            method, f"/{world.project_id}{path}", json=body, headers=world.agent.auth
        )
        usage = await client.post(f"/{world.project_id}/quotes", headers=world.agent.auth)

        assert response.status_code == status
        assert _quotes(usage.json())["tokens"] == 0

    @pytest.mark.parametrize(("who", "expected"), AGENT_ROUTE_ACCESS)
    async def test_role_matrix(
        self, client: httpx.AsyncClient, world: World, who: str, expected: str
    ) -> None:
        response = await client.post(f"/{world.project_id}/quotes", headers=headers_of(world, who))

        assert_access(response, expected)


async def _set_profile(app: FastAPI, world: World, profile: dict[str, Any]) -> None:
    """Plans are set by the super-admin in Tiledesk; the tests write the row directly."""
    await app.state.db.write(projects.update_fields, world.project_id, {"profile": profile})
