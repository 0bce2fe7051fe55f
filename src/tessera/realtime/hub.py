"""Connections, their subscriptions, and the delivery of pushes to them.

A push is appended to the push log (``log.py``); every worker's hub receives it back from
the log and hands it to the local connections subscribed to its topic that may see it.
"""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from tessera.realtime.log import Entry, PushLog

log = logging.getLogger("tessera.realtime")

CREATE = "CREATE"
UPDATE = "UPDATE"
OUTBOX_LIMIT = 1000  # frames queued for one client before it is judged too slow and dropped


@dataclass(frozen=True, slots=True)
class Audience:
    """Who may receive a push about a conversation (fact sheet §4.4, applied per
    subscriber by Tessera): its participants, its routing candidates, its requester."""

    participants: frozenset[str] = frozenset()
    candidates: frozenset[str] = frozenset()
    requester: str | None = None

    def entry(self) -> dict[str, Any]:
        return {
            "participants": sorted(self.participants),
            "candidates": sorted(self.candidates),
            "requester": self.requester,
        }

    @classmethod
    def from_entry(cls, value: object) -> "Audience | None":
        if not isinstance(value, dict):
            return None
        return cls(
            frozenset(value.get("participants") or ()),
            frozenset(value.get("candidates") or ()),
            value.get("requester"),
        )


@dataclass(frozen=True, slots=True)
class Viewer:
    """What one connection may see in one project, fixed when it subscribes."""

    caller_id: str
    membership_id: str | None
    sees_all: bool  # owner, admin, ``request_read_all``, bots and subscriptions
    sees_candidates: bool  # agents and ``request_read_group``
    end_user: bool  # guests and custom-JWT end users: their own conversations only

    def may_see(self, audience: Audience | None) -> bool:
        if audience is None or self.sees_all:
            return True
        if self.end_user:
            return audience.requester is not None and audience.requester == self.membership_id
        if self.caller_id in audience.participants:
            return True
        return self.sees_candidates and self.caller_id in audience.candidates


def frame(topic: str, method: str, message: Any, push_id: str | None = None) -> str:
    """A data frame (§6.3); Tessera adds the push ``id`` used to resume after a reconnect."""
    body: dict[str, Any] = {
        "action": "publish",
        "payload": {"topic": topic, "method": method, "message": message},
    }
    if push_id is not None:
        body["id"] = push_id
    return orjson.dumps(body).decode()


class Push:
    """One entry of the push log as the local connections receive it: its frame is
    serialized and its audience parsed once, however many subscribers it has."""

    __slots__ = ("_data", "audience", "entry", "id", "topic")

    def __init__(self, push_id: str, entry: Entry) -> None:
        self.id = push_id
        self.entry = entry
        self.topic = str(entry["topic"])
        self.audience = Audience.from_entry(entry.get("audience"))
        self._data: str | None = None

    @property
    def data(self) -> str:
        if self._data is None:
            entry = self.entry
            self._data = frame(self.topic, str(entry["method"]), entry["message"], self.id)
        return self._data


@dataclass(eq=False, slots=True)
class Subscription:
    viewer: Viewer | None = None  # known once authorised
    pending: list[Push] | None = field(default_factory=list)
    """Pushes that arrived while the snapshot or catch-up was being sent; None once live."""


class Connection:
    """One websocket client: its subscriptions and an outgoing queue drained by a writer,
    so that a slow client never holds up delivery to the others."""

    def __init__(self, connection_id: str, send: Callable[[str], Awaitable[None]]) -> None:
        self.id = connection_id
        self.topics: dict[str, Subscription] = {}
        self.outbox: asyncio.Queue[str | None] = asyncio.Queue(OUTBOX_LIMIT)
        self.overflowed = False
        self._send = send

    def push(self, data: str) -> None:
        try:
            self.outbox.put_nowait(data)
        except asyncio.QueueFull:
            self.overflowed = True
            self.close()

    def close(self) -> None:
        with contextlib.suppress(asyncio.QueueFull):
            self.outbox.put_nowait(None)

    async def write_until_closed(self) -> None:
        while (data := await self.outbox.get()) is not None and not self.overflowed:
            await self._send(data)

    def offer(self, push: Push) -> None:
        subscription = self.topics.get(push.topic)
        if subscription is None:
            return
        if subscription.pending is not None:
            subscription.pending.append(push)
            return
        if subscription.viewer is not None and subscription.viewer.may_see(push.audience):
            self.push(push.data)

    def go_live(
        self, topic: str, replay: Iterable[tuple[str, Entry]] = (), after: str | None = None
    ) -> None:
        """Deliver ``replay`` (pushes a resuming client missed), then what arrived while the
        subscription was being set up (only pushes newer than the last one delivered), then
        every following push directly."""
        subscription = self.topics.get(topic)
        if subscription is None or subscription.pending is None:
            return
        pending, subscription.pending = subscription.pending, None
        for push_id, entry in replay:
            self.offer(Push(push_id, entry))
            after = push_id
        for push in pending:
            if after is None or _newer(push.id, after):
                self.offer(push)


def _newer(push_id: str, than: str) -> bool:
    return _order(push_id) > _order(than)


def _order(push_id: str) -> tuple[int, int]:
    head, _, tail = push_id.partition("-")
    return int(head), int(tail or 0)


class Hub:
    """The connections of this worker, indexed by topic."""

    def __init__(self, push_log: PushLog) -> None:
        self.log = push_log
        self._by_topic: dict[str, set[Connection]] = {}

    async def start(self) -> None:
        await self.log.start(self._deliver)

    async def stop(self) -> None:
        await self.log.stop()

    async def publish(
        self, topic: str, method: str, message: Any, audience: Audience | None = None
    ) -> None:
        entry: Entry = {"topic": topic, "method": method, "message": message}
        if audience is not None:
            entry["audience"] = audience.entry()
        await self.log.append(entry)

    def subscribe(self, connection: Connection, topic: str) -> Subscription:
        """Start collecting the topic's pushes for ``connection`` (held until ``go_live``),
        before its snapshot is read, so that nothing published meanwhile is lost."""
        subscription = connection.topics[topic] = Subscription()
        self._by_topic.setdefault(topic, set()).add(connection)
        return subscription

    def unsubscribe(self, connection: Connection, topic: str) -> None:
        connection.topics.pop(topic, None)
        subscribers = self._by_topic.get(topic)
        if subscribers is not None:
            subscribers.discard(connection)
            if not subscribers:
                del self._by_topic[topic]

    def forget(self, connection: Connection) -> None:
        for topic in list(connection.topics):
            self.unsubscribe(connection, topic)

    def relay(self, topic: str, message: Any, sender: Connection, *, to_sender: bool) -> None:
        """Tiledesk's ``publish``/``broadcast`` actions: a client's frame to the other
        subscribers of a topic of its own project (checked by the caller)."""
        data = frame(topic, CREATE, message)
        for connection in self._by_topic.get(topic, ()):
            if to_sender or connection is not sender:
                connection.push(data)

    async def _deliver(self, push_id: str, entry: Entry) -> None:
        push = Push(push_id, entry)
        for connection in list(self._by_topic.get(push.topic, ())):
            connection.offer(push)

    def subscribers(self, topic: str) -> Iterable[Connection]:
        return self._by_topic.get(topic, ())
