"""Builders of the bot tests: a desk (a project with a FAQ bot in front of its agents), and a
fake HTTP service run on a free port (a bot's NLU, its intent webhook or the training
service: each path answers what the test set, every POST is recorded)."""

import asyncio
import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import httpx

from tests.conversations.support import post_message, project_with_agents
from tests.factories import Person, Visitor, make_guest
from tests.intents.support import make_bot
from tests.support.server import free_port


@dataclass(frozen=True)
class Call:
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Route:
    status: int = 200
    body: bytes = b"{}"
    delay: float = 0.0
    gate: threading.Event | None = None


class FakeService:
    """Answers POSTs under its own random prefix (a port reused from an earlier test never
    records another test's requests)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.prefix = f"/svc/{uuid.uuid4().hex}"
        self.calls: list[Call] = []
        self._routes: dict[str, Route] = {}
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.prefix}"

    def answer(
        self,
        path: str,
        body: Any,
        *,
        status: int = 200,
        delay: float = 0.0,
        gate: threading.Event | None = None,
    ) -> None:
        """What POST ``<url><path>`` answers: ``body`` as JSON (bytes as they are), after
        ``delay`` seconds, or once ``gate`` is set."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        with self._lock:
            self._routes[self.prefix + path] = Route(status, raw, delay, gate)

    def calls_to(self, path: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.path == self.prefix + path]

    def start(self) -> None:
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                path = urlsplit(self.path).path
                if not path.startswith(service.prefix):
                    self._send(Route(410, b"{}"))
                    return
                headers = {name.lower(): value for name, value in self.headers.items()}
                with service._lock:
                    service.calls.append(Call(path, headers, body))
                    route = service._routes.get(path, Route(404, b'{"error":"no route"}'))
                time.sleep(route.delay)
                if route.gate is not None:
                    route.gate.wait(timeout=10)
                self._send(route)

            def _send(self, route: Route) -> None:
                try:
                    self.send_response(route.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(route.body)))
                    self.end_headers()
                    self.wfile.write(route.body)
                except OSError:
                    return  # the client gave up (a timeout under test)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class Desk:
    """A project with a FAQ bot in front of its agents, and a visitor."""

    def __init__(
        self,
        project_id: str,
        owner: Person,
        agents: list[Person],
        bot: dict[str, Any],
        department: dict[str, Any],
        visitor: Visitor,
    ) -> None:
        self.project_id = project_id
        self.owner = owner
        self.agents = agents
        self.bot = bot
        self.department = department
        self.visitor = visitor

    @property
    def bot_sender(self) -> str:
        return f"bot_{self.bot['_id']}"

    async def start(self, client: httpx.AsyncClient, text: str) -> str:
        """The visitor's first message, in a new conversation of the bot's department."""
        request_id = f"support-group-{self.project_id}-{uuid.uuid4().hex}"
        message = await post_message(
            client,
            self.project_id,
            request_id,
            self.visitor,
            text=text,
            departmentid=self.department["_id"],
        )
        assert message["request"]["participants"] == [self.bot_sender]
        return request_id

    async def say(self, client: httpx.AsyncClient, request_id: str, text: str, **body: Any) -> None:
        await post_message(client, self.project_id, request_id, self.visitor, text=text, **body)

    async def messages(self, client: httpx.AsyncClient, request_id: str) -> list[dict[str, Any]]:
        response = await client.get(
            f"/{self.project_id}/requests/{request_id}/messages", headers=self.owner.auth
        )
        assert response.status_code == 200, response.text
        found: list[dict[str, Any]] = response.json()
        return found

    async def conversation(self, client: httpx.AsyncClient, request_id: str) -> dict[str, Any]:
        response = await client.get(
            f"/{self.project_id}/requests/{request_id}", headers=self.owner.auth
        )
        assert response.status_code == 200, response.text
        found: dict[str, Any] = response.json()
        return found

    def bot_texts(self, messages: list[dict[str, Any]]) -> list[str]:
        return [m["text"] for m in messages if m["sender"] == self.bot_sender]

    async def bot_messages(
        self, client: httpx.AsyncClient, request_id: str, count: int
    ) -> list[dict[str, Any]]:
        """The bot's messages once there are ``count`` of them (answers made in the
        background, after the NLU or a webhook, come a little later; 10 s at most)."""
        deadline = time.monotonic() + 10
        while True:
            messages = await self.messages(client, request_id)
            spoken = [m for m in messages if m["sender"] == self.bot_sender]
            if len(spoken) >= count or time.monotonic() > deadline:
                assert len(spoken) == count, spoken
                return spoken
            await asyncio.sleep(0.05)


async def make_desk(
    client: httpx.AsyncClient, *, agents: int = 1, template: str = "example", **bot: Any
) -> Desk:
    project_id, owner, people = await project_with_agents(client, agents)
    created = await make_bot(client, project_id, owner, "Faq Bot", template=template, **bot)
    department = await client.post(
        f"/{project_id}/departments",
        json={"name": "Front desk", "id_bot": created["_id"], "routing": "assigned"},
        headers=owner.auth,
    )
    assert department.status_code == 200, department.text
    visitor = await make_guest(client, project_id)
    return Desk(project_id, owner, people, created, department.json(), visitor)
