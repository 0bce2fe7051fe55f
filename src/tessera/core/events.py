"""Domain events: collected during a unit of work, published after it commits."""

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

log = logging.getLogger("tessera.events")


@dataclass(frozen=True, slots=True)
class DomainEvent:
    """A Tiledesk-named event (``request.create``, ``project_user.update``...) and its payload.

    The payload is the JSON the REST API returns for the resource, so realtime pushes and
    webhooks send exactly what clients already read.
    """

    name: str
    project_id: str | None
    payload: dict[str, Any] = field(default_factory=dict)


class EventBus(Protocol):
    async def publish(self, events: Sequence[DomainEvent]) -> None: ...


Subscriber = Callable[[Sequence[DomainEvent]], Awaitable[None]]


class LocalBus:
    """Hands committed events to in-process subscribers; a failing subscriber is logged, not raised.

    A committed write must never turn into an error because a consumer failed.
    """

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> None:
        self._subscribers.append(subscriber)

    async def publish(self, events: Sequence[DomainEvent]) -> None:
        if not events:
            return
        for subscriber in self._subscribers:
            try:
                await subscriber(events)
            except Exception:
                log.exception("event subscriber failed for %s", [e.name for e in events])
