"""A fake HTTP service the bot tests run on a free port: a bot's NLU, its intent webhook or
the training service. Each path answers what the test set (status, JSON body, delay) and
every POST is recorded."""

import json
import threading
import time
import uuid
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

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

    def answer(self, path: str, body: Any, *, status: int = 200, delay: float = 0.0) -> None:
        """What POST ``<url><path>`` answers: ``body`` as JSON (bytes as they are)."""
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        with self._lock:
            self._routes[self.prefix + path] = Route(status, raw, delay)

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
