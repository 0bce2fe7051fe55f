"""The bot's own token (§3.2, §3.3, §5.13 ``GET /:pid/faq_kb/:id/jwt``)."""

import httpx
import jwt
import pytest

from tests.conversations.support import create_request
from tests.factories import World, make_world


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def _bot_token(client: httpx.AsyncClient, world: World) -> tuple[dict[str, object], str]:
    created = await client.post(
        f"/{world.project_id}/faq_kb", json={"name": "Token Bot"}, headers=world.admin.auth
    )
    assert created.status_code == 200, created.text
    bot = created.json()
    answer = await client.get(
        f"/{world.project_id}/faq_kb/{bot['_id']}/jwt", headers=world.admin.auth
    )
    assert answer.status_code == 200, answer.text
    token: str = answer.json()["jwt"]
    return bot, token


class TestBotToken:
    async def test_names_the_bot_and_is_addressed_to_it(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot, token = await _bot_token(client, world)

        claims = jwt.decode(token, options={"verify_signature": False})

        assert not token.startswith("JWT")
        assert claims["sub"] == "bot"
        assert claims["aud"] == f"https://tiledesk.com/bots/{bot['_id']}"
        assert claims["iss"] == "https://tiledesk.com"
        assert claims["_id"] == bot["_id"]
        assert claims["id_project"] == world.project_id
        assert claims["name"] == "Token Bot"
        assert "secret" not in claims
        assert "attributes" not in claims

    async def test_lets_the_bot_act_in_its_project(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        _bot, token = await _bot_token(client, world)
        request = await create_request(client, world.project_id, world.owner)

        read = await client.get(
            f"/{world.project_id}/requests/{request['request_id']}",
            headers={"Authorization": "JWT " + token},
        )

        assert read.status_code == 200
        assert read.json()["request_id"] == request["request_id"]

    async def test_is_refused_in_another_project(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        _bot, token = await _bot_token(client, world)

        response = await client.get(
            f"/{world.other_project_id}/faq_kb", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 403

    async def test_a_token_signed_with_another_key_is_refused(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        _bot, token = await _bot_token(client, world)
        claims = jwt.decode(token, options={"verify_signature": False})
        forged = jwt.encode(claims, "not-the-bot-secret", algorithm="HS256")

        response = await client.get(
            f"/{world.project_id}/faq_kb", headers={"Authorization": "JWT " + forged}
        )

        assert response.status_code == 401

    async def test_stops_working_once_the_bot_is_deleted(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        bot, token = await _bot_token(client, world)
        deleted = await client.delete(
            f"/{world.project_id}/faq_kb/{bot['_id']}", headers=world.admin.auth
        )
        assert deleted.status_code == 200

        response = await client.get(
            f"/{world.project_id}/faq_kb", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 401

    @pytest.mark.parametrize("role", ["agent", "supervisor"])
    async def test_only_admins_may_get_it(
        self, client: httpx.AsyncClient, world: World, role: str
    ) -> None:
        bot, _token = await _bot_token(client, world)

        response = await client.get(
            f"/{world.project_id}/faq_kb/{bot['_id']}/jwt", headers=world.person(role).auth
        )

        assert response.status_code == 403

    async def test_an_unknown_bot_is_404(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.get(
            f"/{world.project_id}/faq_kb/5f0000000000000000000000/jwt", headers=world.admin.auth
        )

        assert response.status_code == 404
