"""An app that may call the test's own fake services (loopback allowed, 1 s timeout, a
training service configured), for the tests of the calls the server makes for bots. The
names differ from the root fixtures', which the other bot tests keep using."""

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
from fastapi import FastAPI

from tessera.main import create_app
from tests.bots.support import FakeService
from tests.conftest import make_settings
from tests.factories import World, make_world

TRAINING_PATH = "/model/enqueuetrain"
TRAINING_TOKEN = "JWT training-service-token"
API_URL = "https://api.example.com"
TIMEOUT_SECONDS = 1.0


@pytest.fixture(scope="session")
def trainer() -> Iterator[FakeService]:
    """The training service of ``calling_app`` (its URL is part of the app's settings)."""
    service = FakeService()
    service.start()
    yield service
    service.stop()


@pytest.fixture(scope="session")
def calling_app(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, trainer: FakeService
) -> Iterator[FastAPI]:
    settings = make_settings(
        database_url,
        tmp_path_factory.mktemp("bot-calls"),
        webhook_allow_private_targets=True,
        webhook_timeout_seconds=TIMEOUT_SECONDS,
        chatbot_training_api_url=trainer.url + TRAINING_PATH,
        training_bot_jwt_token=TRAINING_TOKEN,
        api_url=API_URL,
    )
    application = create_app(settings)
    yield application
    application.state.db.close()


@pytest.fixture(scope="session")
async def calling_client(calling_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=calling_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
async def calling_world(calling_client: httpx.AsyncClient) -> World:
    return await make_world(calling_client)


@pytest.fixture
def service() -> Iterator[FakeService]:
    """A bot's NLU or webhook, for one test."""
    running = FakeService()
    running.start()
    yield running
    running.stop()
