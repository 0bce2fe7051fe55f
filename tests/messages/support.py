"""Builders shared by the message tests."""

import uuid
from typing import Any

import httpx

from tests.conftest import EventLog
from tests.factories import Person, Visitor, World


def new_request_id(project_id: str) -> str:
    return f"support-group-{project_id}-{uuid.uuid4().hex}"


async def guest_conversation(
    client: httpx.AsyncClient, world: World, visitor: Visitor | None = None, **body: object
) -> str:
    """A conversation the world's guest (or ``visitor``) opens with its first message."""
    request_id = new_request_id(world.project_id)
    response = await client.post(
        f"/{world.project_id}/requests/{request_id}/messages",
        json={"text": "Hello", **body},
        headers=(visitor or world.guest).auth,
    )
    assert response.status_code == 200, response.text
    return request_id


async def messages_of(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Any
) -> list[dict[str, Any]]:
    response = await client.get(f"/{project_id}/requests/{request_id}/messages", headers=who.auth)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


async def read_request(
    client: httpx.AsyncClient, project_id: str, request_id: str, who: Any
) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/requests/{request_id}", headers=who.auth)
    assert response.status_code == 200, response.text
    request: dict[str, Any] = response.json()
    return request


class EventsSince:
    """The events published from now on, by name (the log is shared by the whole session)."""

    def __init__(self, log: EventLog, project_id: str) -> None:
        self._log = log
        self._project_id = project_id
        self._start = len(log.events)

    def names(self) -> list[str]:
        """Message and request events in order (counters announce themselves too)."""
        return [
            event.name for event in self._new() if event.name.startswith(("message.", "request."))
        ]

    def payloads(self, name: str) -> list[dict[str, Any]]:
        return [event.payload for event in self._new() if event.name == name]

    def _new(self) -> list[Any]:
        return [
            event
            for event in self._log.events[self._start :]
            if event.project_id == self._project_id
        ]


async def assigned_and_bystander(
    client: httpx.AsyncClient, world: World, request_id: str
) -> tuple[Person, Person]:
    """The teammate routing assigned the conversation to, and one it did not."""
    request = await read_request(client, world.project_id, request_id, world.owner)
    teammates = [world.owner, world.admin, world.supervisor, world.agent]
    assigned = next(person for person in teammates if person.id == request["participants"][0])
    bystander = next(person for person in teammates if person.id != assigned.id)
    return assigned, bystander
