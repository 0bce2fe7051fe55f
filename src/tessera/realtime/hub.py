"""Connections, their subscriptions, and the delivery of pushes to them.

A push is appended to the push log (``log.py``); every worker's hub receives it back from
the log and hands it to the local connections subscribed to its topic that may see it.
"""

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson

from tessera.realtime.log import Entry, PushLog

log = logging.getLogger("tessera.realtime")

CREATE = "CREATE"
UPDATE = "UPDATE"
OUTBOX_LIMIT = 1000  # frames queued for one client before it is judged too slow and dropped
PING = orjson.dumps({"action": "heartbeat", "payload": {"message": {"text": "ping"}}}).decode()


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
    """One websocket client: its subscriptions and the frames waiting to be sent to it.

    A writer task exists only while frames are waiting, so that an idle client costs no task
    (the hub's heartbeat is one loop for all connections): a slow client never holds up
    delivery to the others, and thousands of idle ones stay cheap.
    """

    __slots__ = ("_closing", "_on_close", "_send", "_waiting", "_writer", "heard", "id", "topics")

    def __init__(
        self,
        connection_id: str,
        send: Callable[[str], Awaitable[None]],
        on_close: Callable[[], object],
    ) -> None:
        self.id = connection_id
        self.topics: dict[str, Subscription] = {}
        self.heard = True  # the client spoke since the last heartbeat
        self._send = send
        self._on_close = on_close
        self._waiting: deque[str] = deque()
        self._writer: asyncio.Task[None] | None = None
        self._closing = False

    @property
    def writing(self) -> bool:
        """Whether a writer task exists (only while frames wait to be sent)."""
        return self._writer is not None

    def push(self, data: str) -> None:
        if self._closing:
            return
        if len(self._waiting) >= OUTBOX_LIMIT:
            self.close()  # too slow a reader: dropped rather than buffered without end
            return
        self._waiting.append(data)
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        try:
            while self._waiting and not self._closing:
                await self._send(self._waiting.popleft())
        except Exception:  # whatever the transport raised, the client cannot be written to
            log.debug("connection %s: send failed, closing", self.id, exc_info=True)
            self.close()
        finally:
            self._writer = None

    def close(self) -> None:
        """Drop the client: nothing more is sent, and its session is told to end."""
        if not self._closing:
            self._closing = True
            self._waiting.clear()
            self._on_close()

    def release(self) -> None:
        """The session is over: discard what was waiting, stop the writer."""
        self._closing = True
        self._waiting.clear()
        if self._writer is not None:
            self._writer.cancel()

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

    def __init__(self, push_log: PushLog, heartbeat_seconds: float) -> None:
        self.log = push_log
        self.heartbeat_seconds = heartbeat_seconds
        self._by_topic: dict[str, set[Connection]] = {}
        self._connections: set[Connection] = set()
        self._heartbeat: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.log.start(self._deliver)
        self._heartbeat = asyncio.create_task(self._beat())

    async def stop(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.cancel()
        await self.log.stop()

    def attach(self, connection: Connection) -> None:
        self._connections.add(connection)

    def beat(self) -> None:
        """§6.1: a ping to every client; one that said nothing since the previous ping is
        dropped."""
        for connection in list(self._connections):
            if connection.heard:
                connection.heard = False
                connection.push(PING)
            else:
                connection.close()

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self.heartbeat_seconds)
            self.beat()

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
        self._connections.discard(connection)
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
