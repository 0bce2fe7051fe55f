"""The websocket endpoint (fact sheet §6): ``ws://host/?token=JWT ...`` on the API's port.

Deviations: guests and custom-JWT end users may connect (for their own conversations),
pushes follow the §4.4 visibility rules per subscriber, ``publish``/``broadcast`` relay
only within a project the sender belongs to, and ``last_event_id`` resumes a session.
"""

import asyncio
import contextlib
import logging
from typing import Any

import orjson
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.responses import PlainTextResponse

from tessera.auth import service as auth
from tessera.auth.principal import Caller, CallerKind
from tessera.auth.tokens import strip_scheme
from tessera.core.errors import AppError
from tessera.core.ids import new_uuid
from tessera.realtime import service
from tessera.realtime.hub import CREATE, Connection, Hub, frame
from tessera.realtime.topics import Topic, parse

router = APIRouter(tags=["realtime"])
log = logging.getLogger("tessera.realtime")

PONG = orjson.dumps({"action": "heartbeat", "payload": {"message": {"text": "pong"}}}).decode()


@router.websocket("/")
async def realtime(websocket: WebSocket) -> None:
    state = websocket.app.state
    caller = await _authenticate(websocket)
    if caller is None:
        await websocket.send_denial_response(PlainTextResponse("Unauthorized", 401))
        return
    await websocket.accept()
    session = Session(websocket, caller, state.hub, websocket.query_params.get("last_event_id"))
    await session.run()


async def _authenticate(websocket: WebSocket) -> Caller | None:
    token = websocket.query_params.get("token")
    if not token:
        return None
    state = websocket.app.state
    try:
        caller: Caller = await state.db.lookup(
            auth.caller_from_token, strip_scheme(token), state.context.keys, state.verified_tokens
        )
    except AppError:
        return None
    if caller.is_machine:
        return None
    return caller


class Session:
    """One connected client: its frames are read in the endpoint's own task; pushes are
    written by its connection; the hub's heartbeat, or a client too slow to read, ends it."""

    def __init__(self, websocket: WebSocket, caller: Caller, hub: Hub, resume: str | None):
        self.websocket = websocket
        self.caller = caller
        self.hub = hub
        self.resume_after = resume
        self.connection = Connection(new_uuid(), websocket.send_text, self._drop)
        self._task: asyncio.Task[Any] | None = None
        self._dropped = False

    async def run(self) -> None:
        task = asyncio.current_task()
        assert task is not None  # an ASGI app always runs in a task
        self._task = task
        self.hub.attach(self.connection)
        try:
            await self._read()
        except asyncio.CancelledError:
            if not self._dropped:
                raise
            task.uncancel()  # our own cancellation: the session ends normally
        finally:
            self._task = None
            self.connection.release()
            self.hub.forget(self.connection)
            with contextlib.suppress(RuntimeError, WebSocketDisconnect):
                await self.websocket.close()

    def _drop(self) -> None:
        if self._task is not None:
            self._dropped = True
            self._task.cancel()

    async def _read(self) -> None:
        with contextlib.suppress(WebSocketDisconnect):
            while True:
                text = await self.websocket.receive_text()
                self.connection.heard = True
                await self._handle(text)

    async def _handle(self, text: str) -> None:
        try:
            message = orjson.loads(text)
        except orjson.JSONDecodeError:
            return  # §6.1: non-JSON frames are ignored
        if not isinstance(message, dict):
            return
        action = message.get("action")
        payload = message.get("payload")
        if not isinstance(payload, dict):
            payload = {}
        if action == "heartbeat":
            if (payload.get("message") or {}).get("text") == "ping":
                self.connection.push(PONG)
        elif action == "me":
            me = {"action": "me", "payload": {"id": self.connection.id, "userId": None}}
            self.connection.push(orjson.dumps(me).decode())
        elif action == "subscribe":
            await self._subscribe(payload.get("topic"))
        elif action == "unsubscribe" and isinstance(payload.get("topic"), str):
            self.hub.unsubscribe(self.connection, payload["topic"])
        elif action in ("publish", "broadcast"):
            self._relay(payload, to_sender=action == "publish")

    async def _subscribe(self, name: object) -> None:
        topic = parse(name) if isinstance(name, str) else None
        if topic is None or topic.name in self.connection.topics:
            return  # unknown topics are ignored; re-subscribing is idempotent (§6.2)
        subscription = self.hub.subscribe(self.connection, topic.name)
        db = self.websocket.app.state.db
        try:
            subscription.viewer, snapshot = await db.read(service.subscribe, self.caller, topic)
        except service.Refused:
            self.hub.unsubscribe(self.connection, topic.name)
            return
        await self._first_frames(topic, snapshot)

    async def _first_frames(self, topic: Topic, snapshot: Any) -> None:
        """The snapshot, or, for a client resuming with ``last_event_id``, the pushes it
        missed when the log still holds them; then live pushes."""
        missed = await self.hub.log.since(self.resume_after) if self.resume_after else None
        if missed is None:
            self.connection.push(frame(topic.name, CREATE, snapshot))
            self.connection.go_live(topic.name)
        else:
            self.connection.go_live(topic.name, missed, after=self.resume_after)

    def _relay(self, payload: dict[str, Any], *, to_sender: bool) -> None:
        """Tessera relays a client's frame only to a topic of a project the sender is a
        member of (checked at subscribe time: it must be subscribed to that topic)."""
        topic = payload.get("topic")
        if not isinstance(topic, str) or topic not in self.connection.topics:
            return
        if self.caller.kind is not CallerKind.USER:
            return
        self.hub.relay(topic, payload.get("message"), self.connection, to_sender=to_sender)
