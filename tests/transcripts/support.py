"""Builders shared by the transcript, utility and property tests: bot tokens, conversations."""

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.factories import Person


@dataclass
class Machine:
    id: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": self.token}

    @property
    def auth(self) -> dict[str, str]:
        return self.headers


async def bot_auth(client: httpx.AsyncClient, project_id: str, admin: Person) -> Machine:
    """A bot of the project and its token (``GET /:pid/faq_kb/:id/jwt``)."""
    bot = await client.post(f"/{project_id}/faq_kb", json={"name": "Helper"}, headers=admin.auth)
    assert bot.status_code == 200, bot.text
    token = await client.get(f"/{project_id}/faq_kb/{bot.json()['_id']}/jwt", headers=admin.auth)
    assert token.status_code == 200, token.text
    return Machine(id=bot.json()["_id"], token="JWT " + token.json()["jwt"])


async def guest_conversation(
    client: httpx.AsyncClient, project_id: str, guest: Any, texts: list[str]
) -> str:
    """A conversation the guest opens by writing ``texts`` (its first message creates it);
    its ``request_id``."""
    request_id = f"support-group-{project_id}-{uuid.uuid4().hex}"
    for text in texts:
        response = await client.post(
            f"/{project_id}/requests/{request_id}/messages",
            json={"text": text},
            headers=guest.auth,
        )
        assert response.status_code == 200, response.text
    return request_id


async def reply(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Any, text: str
) -> dict[str, Any]:
    response = await client.post(
        f"/{project_id}/requests/{request_id}/messages", json={"text": text}, headers=who.auth
    )
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()
    return message
