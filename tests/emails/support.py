"""Builders of the e-mail tests: verified accounts, projects with agents, conversations."""

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.factories import Person, Visitor, add_member, make_guest, make_project, signup
from tests.support.smtp import SmtpSink

PROJECT_NAME = "Acme <Support>"
BCC = "copies@desk.example.com"  # EMAIL_BCC of the ``configured_app``


async def verified(client: httpx.AsyncClient, smtp: SmtpSink, **profile: Any) -> Person:
    """A registered user whose address is verified (through the e-mailed link)."""
    person = await signup(client, send_email=True, **profile)
    mail = await smtp.wait_for(person.email, subject="Verify")
    match = re.search(r"/#/verify/email/([^\s\"<]+)", mail.text)
    assert match is not None
    user_id, code = match.group(1).split("/")
    response = await client.put(f"/auth/verifyemail/{user_id}/{code}", json={})
    assert response.status_code == 200, response.text
    return person


@dataclass
class Team:
    project_id: str
    owner: Person
    agents: list[Person]
    memberships: dict[str, str]  # user id -> membership id
    guest: Visitor


async def team(
    client: httpx.AsyncClient,
    smtp: SmtpSink,
    *,
    agents: int = 1,
    routing: str = "assigned",
    verify: bool = True,
) -> Team:
    """A project whose owner is unavailable (routing picks among ``agents``), and a guest."""
    owner = await verified(client, smtp, firstname="Olivia", lastname="Owner")
    project_id = await make_project(client, owner, name=PROJECT_NAME)
    await client.put(
        f"/{project_id}/project_users", json={"user_available": False}, headers=owner.auth
    )
    people, memberships = [], {}
    for number in range(agents):
        agent = (
            await verified(client, smtp, firstname=f"Agent{number}")
            if verify
            else await signup(client, firstname=f"Agent{number}")
        )
        membership = await add_member(client, project_id, owner, agent, "agent")
        memberships[agent.id] = membership["_id"]
        people.append(agent)
    if routing != "assigned":
        default = (await client.get(f"/{project_id}/departments/default")).json()
        patched = await client.patch(
            f"/{project_id}/departments/{default['_id']}",
            json={"routing": routing},
            headers=owner.auth,
        )
        assert patched.status_code == 200, patched.text
    guest = await make_guest(client, project_id)
    return Team(project_id, owner, people, memberships, guest)


async def open_conversation(
    client: httpx.AsyncClient, team: Team, *, first_text: str = "Hello", **body: object
) -> dict[str, Any]:
    """The guest's first message, which creates (and routes) the conversation, as the
    widget does; answers the conversation as the owner reads it."""
    request_id = f"support-group-{team.project_id}-{uuid.uuid4().hex}"
    response = await client.post(
        f"/{team.project_id}/requests/{request_id}/messages",
        json={"text": first_text, **body},
        headers=team.guest.auth,
    )
    assert response.status_code == 200, response.text
    read = await client.get(f"/{team.project_id}/requests/{request_id}", headers=team.owner.auth)
    assert read.status_code == 200, read.text
    created: dict[str, Any] = read.json()
    return created


async def post(
    client: httpx.AsyncClient, team: Team, request_id: str, who: Any, text: str
) -> dict[str, Any]:
    response = await client.post(
        f"/{team.project_id}/requests/{request_id}/messages",
        json={"text": text},
        headers=who.auth,
    )
    assert response.status_code == 200, response.text
    message: dict[str, Any] = response.json()
    return message


async def set_available(
    client: httpx.AsyncClient, project_id: str, person: Person, available: bool
) -> None:
    response = await client.put(
        f"/{project_id}/project_users", json={"user_available": available}, headers=person.auth
    )
    assert response.status_code == 200, response.text


async def set_settings(client: httpx.AsyncClient, team: Team, settings: dict[str, Any]) -> None:
    response = await client.put(
        f"/projects/{team.project_id}", json={"settings": settings}, headers=team.owner.auth
    )
    assert response.status_code == 200, response.text


async def make_bot(client: httpx.AsyncClient, team: Team) -> tuple[str, dict[str, str]]:
    """A new bot of the team's project: its id and the headers of its own token."""
    bot = await client.post(
        f"/{team.project_id}/faq_kb", json={"name": "Helper"}, headers=team.owner.auth
    )
    assert bot.status_code == 200, bot.text
    token = await client.get(
        f"/{team.project_id}/faq_kb/{bot.json()['_id']}/jwt", headers=team.owner.auth
    )
    assert token.status_code == 200, token.text
    return bot.json()["_id"], {"Authorization": "JWT " + token.json()["jwt"]}
