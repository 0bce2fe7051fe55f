"""Domain events → realtime pushes (fact sheet §6.4, "Live pushes" column).

Runs after commit as a subscriber of the event bus. A push about a conversation carries its
audience (participants, routing candidates, requester) so that every worker can apply the
visibility rules per subscriber without asking the database again.
"""

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tessera.core.db import Database
from tessera.core.events import DomainEvent
from tessera.realtime import repository
from tessera.realtime.hub import CREATE, UPDATE, Audience, Hub

TEMP = 50


class Publisher:
    def __init__(self, hub: Hub, db: Database) -> None:
        self.hub = hub
        self.db = db
        self._handlers: dict[str, Callable[[str, dict[str, Any]], Awaitable[None]]] = {
            "request.create": self._request_created,
            "request.update": self._request_updated,
            "message.create": self._message_created,
            "project_user.update": self._membership_updated,
            "faqbot.update": self._bot_updated,
            "event.emit": self._event_emitted,
        }

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        for event in events:
            handler = self._handlers.get(event.name)
            if handler is not None and event.project_id is not None:
                await handler(event.project_id, event.payload)

    async def _request_created(self, project_id: str, request: dict[str, Any]) -> None:
        audience = await self._audience(request)
        if not request.get("preflight") and not request.get("draft"):
            await self.hub.publish(f"/{project_id}/requests", CREATE, request, audience)
        await self.hub.publish(
            f"/{project_id}/requests/{request['request_id']}", CREATE, request, audience
        )

    async def _request_updated(self, project_id: str, request: dict[str, Any]) -> None:
        audience = await self._audience(request)
        if not request.get("preflight") and request["status"] > TEMP and not request.get("draft"):
            # The list topic's UPDATE replaces the snapshot by the agents' ids (§6.4).
            listed = {
                **request,
                "snapshot": {"agents": [{"id_user": user} for user in sorted(audience.candidates)]},
            }
            await self.hub.publish(f"/{project_id}/requests", UPDATE, listed, audience)
        await self.hub.publish(
            f"/{project_id}/requests/{request['request_id']}", UPDATE, request, audience
        )

    async def _message_created(self, project_id: str, message: dict[str, Any]) -> None:
        request = message.get("request")
        if message.get("channel_type") != "group" or not isinstance(request, dict):
            return
        audience = await self._audience(request)
        topic = f"/{project_id}/requests/{message['recipient']}/messages"
        await self.hub.publish(topic, CREATE, message, audience)

    async def _membership_updated(self, project_id: str, membership: dict[str, Any]) -> None:
        await self.hub.publish(
            f"/{project_id}/project_users/{membership['_id']}", UPDATE, membership
        )
        person = membership.get("id_user")
        if isinstance(person, dict):
            person = person.get("_id")
        person = person or membership.get("uuid_user")
        if person:
            await self.hub.publish(
                f"/{project_id}/project_users/users/{person}", UPDATE, membership
            )

    async def _bot_updated(self, project_id: str, bot: dict[str, Any]) -> None:
        await self.hub.publish(f"/{project_id}/bots/{bot['_id']}", UPDATE, bot)

    async def _event_emitted(self, project_id: str, event: dict[str, Any]) -> None:
        """On the sender membership's topic, and on its topic for the event's name (Tiledesk
        publishes only on the first); events of bots and subscriptions have no membership."""
        membership = event.get("project_user")
        if not isinstance(membership, dict):
            return
        topic = f"/{project_id}/events/{membership['_id']}"
        await self.hub.publish(topic, CREATE, event)
        await self.hub.publish(f"{topic}/{event['name']}", CREATE, event)

    async def _audience(self, request: dict[str, Any]) -> Audience:
        participants, candidates = await self.db.lookup(repository.agents_of, request["_id"])
        requester = request.get("requester")
        if isinstance(requester, dict):
            requester = requester.get("_id")
        return Audience(participants, candidates, requester if isinstance(requester, str) else None)
