"""An app that may send webhooks to the test's own receivers (loopback targets allowed),
receivers, a movable clock and dispatchers driven by hand."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tessera.main import create_app
from tessera.subscriptions.dispatcher import Dispatcher
from tests.conftest import make_settings
from tests.factories import World, make_world
from tests.subscriptions.support import Clock, Receiver


@pytest.fixture(scope="session")
def webhook_app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    data_dir: Path = tmp_path_factory.mktemp("webhooks")
    settings = make_settings(database_url, data_dir, webhook_allow_private_targets=True)
    application = create_app(settings)
    yield application
    application.state.db.close()


@pytest.fixture(scope="session")
async def client(webhook_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The suite's client, against the app above (every other fixture of the suite works
    through it unchanged)."""
    transport = httpx.ASGITransport(app=webhook_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture(scope="session")
async def default_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the suite's usual app, whose settings are the defaults: private targets
    refused."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def default_world(default_client: httpx.AsyncClient) -> World:
    return await make_world(default_client)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    running.start()
    yield running
    running.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def dispatcher(webhook_app: FastAPI, clock: Clock) -> AsyncIterator[Dispatcher]:
    async with Dispatcher(
        webhook_app.state.db, allow_private=True, clock=clock, timeout=5
    ) as running:
        yield running
