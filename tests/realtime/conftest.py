"""A running server for websocket tests, sharing the test database."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.server import Server, running_server

TEST_SECRET = "tessera-test-secret-of-at-least-32-bytes"  # the one tests/conftest.py uses


@pytest.fixture(scope="module")
def server(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    data_dir: Path = tmp_path_factory.mktemp("server")
    env = {"GLOBAL_SECRET": TEST_SECRET, "WS_HEARTBEAT_SECONDS": "0.5"}
    with running_server(database_url, data_dir, env=env) as running:
        yield running


@pytest.fixture
async def live(server: Server) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the running server: writes made through it reach its websockets."""
    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        yield client
