"""An app whose link previews may reach the test's own web server (loopback allowed, short
timeout, small size cap), and that server."""

import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tessera.main import create_app
from tests.conftest import make_settings
from tests.support.server import free_port

PAGE = b"""<!DOCTYPE html><html><head>
<title> Acme  home </title>
<meta property="og:title" content="Acme &amp; Co">
<meta content="Everything for coyotes" name="description">
<meta property="og:image" content="https://acme.example/logo.png">
<meta property="og:site_name" content="Acme">
<meta name="twitter:card" content="summary">
</head><body>Hi</body></html>"""
PLAIN = b"<html><head><title>Plain</title></head></html>"
MAX_BYTES = 4096
TIMEOUT_SECONDS = 0.5


class WebServer:
    """Pages for the previews, on a free loopback port, in a thread."""

    def __init__(self) -> None:
        self.port = free_port()
        self._server: ThreadingHTTPServer | None = None
        self.requests: list[str] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                if self.path == "/page":
                    self._answer(200, PAGE)
                elif self.path == "/plain":
                    self._answer(200, PLAIN)
                elif self.path == "/moved":
                    self.send_response(302)
                    self.send_header("Location", "/page")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/loop":
                    self.send_response(302)
                    self.send_header("Location", "/loop")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/big":
                    self._answer(200, b"<html>" + b"x" * (MAX_BYTES * 2))
                elif self.path == "/slow":
                    time.sleep(TIMEOUT_SECONDS * 3)
                    self._answer(200, PAGE)
                else:
                    self._answer(404, b"missing")

            def _answer(self, status: int, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout, size cap)

            def log_message(self, format: str, *args: object) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


@pytest.fixture(scope="module")
def web() -> Iterator[WebServer]:
    server = WebServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def preview_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    data_dir: Path = tmp_path_factory.mktemp("previews")
    settings = make_settings(
        database_url,
        data_dir,
        url_preview_allow_private_targets=True,
        url_preview_timeout_seconds=TIMEOUT_SECONDS,
        url_preview_max_bytes=MAX_BYTES,
        quotes_enabled=True,
    )
    application = create_app(settings)
    yield application
    application.state.db.close()


@pytest.fixture
async def preview_client(preview_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=preview_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client
