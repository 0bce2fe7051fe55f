"""A webhook receiver the tests run on a free port, and a clock they move forward."""

import hashlib
import hmac
import json
import threading
import time
import uuid
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import jwt

from tessera.core.clock import now_ms
from tessera.subscriptions.dispatcher import Dispatcher
from tests.support.server import free_port


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]  # names lower-cased
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed

    @property
    def delivery_id(self) -> str:
        return self.headers["x-tessera-delivery"]

    def signature_matches(self, secret: str) -> bool:
        """What a receiver does: HMAC-SHA256 of ``"<timestamp>.<raw body>"`` with the secret."""
        timestamp = self.headers["x-tessera-timestamp"]
        expected = hmac.new(
            secret.encode(), timestamp.encode() + b"." + self.body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(self.headers["x-tessera-signature"], "sha256=" + expected)


class Receiver:
    """An HTTP server in a thread that records every POST and answers the statuses queued
    with ``answer`` (then 200). ``stop``/``start`` take it down and bring it back on the
    same port (a target that refuses connections meanwhile)."""

    def __init__(self) -> None:
        self.port = free_port()
        # Only requests to this path are recorded: a port freed by an earlier test's
        # receiver may be reused, and that test's deliveries may still come to it.
        self.path = f"/hook/{uuid.uuid4().hex}"
        self.received: list[Received] = []
        self._statuses: deque[int] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.reply = b'{"ok":true}'

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{self.path}"

    def answer(self, *statuses: int) -> None:
        with self._lock:
            self._statuses.extend(statuses)

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                if len(body) < length:
                    return  # the sender died half-way: nothing was delivered
                headers = {name.lower(): value for name, value in self.headers.items()}
                with receiver._lock:
                    if urlsplit(self.path).path != receiver.path:
                        status = 410
                    else:
                        receiver.received.append(Received(self.path, headers, body))
                        status = receiver._statuses.popleft() if receiver._statuses else 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(receiver.reply)))
                    self.end_headers()
                    self.wfile.write(receiver.reply)
                except OSError:
                    return  # the sender is gone (killed): it will never read the answer

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def for_delivery(self, delivery_id: str) -> list[Received]:
        with self._lock:
            return [request for request in self.received if request.delivery_id == delivery_id]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[Received]:
        """Block until ``count`` requests arrived (for a receiver fed by another process)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"received {len(self.received)} requests, expected {count}")


class Clock:
    """The dispatcher's clock: real time plus an offset the test moves forward, so rows
    written by the app (stamped with real time) and the dispatcher agree on "now"."""

    def __init__(self) -> None:
        self.offset_ms = 0

    def __call__(self) -> int:
        return now_ms() + self.offset_ms

    def advance(self, milliseconds: int) -> None:
        self.offset_ms += milliseconds


async def drain(dispatcher: Dispatcher) -> int:
    """Run batches until nothing is due; how many attempts were made."""
    total = 0
    while handled := await dispatcher.run_once():
        total += handled
    return total


def subscription_token(subscription: dict[str, Any]) -> str:
    """A token as Tessera signs it for a subscription (§3.2), from ``POST``'s answer."""
    claims = {key: value for key, value in subscription.items() if key not in ("secret", "global")}
    claims.update(
        sub="subscription",
        iss="https://tiledesk.com",
        aud=f"https://tiledesk.com/subscriptions/{subscription['_id']}",
        iat=int(time.time()),
    )
    return jwt.encode(claims, subscription["secret"], algorithm="HS256")
