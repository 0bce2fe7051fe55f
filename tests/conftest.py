"""Test fixtures: one real database per test worker (SQLite, or PostgreSQL when
``TESSERA_TEST_DATABASE_URL`` names a server), the real app over HTTP, a real SMTP sink.

Tests are isolated by their data, not by rolling back: the app commits for real, as it does
in production. A World (tests/factories.py) costs ~20 requests, so a module shares one
(``@pytest.fixture(scope="module")``) among the tests that only read it or write objects of
their own and compare the project's lists and events before and after; a test that changes
the project's settings or a member's role, or asserts on a whole list, makes its own.
"""

import os
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator, Sequence
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tessera.config import Settings
from tessera.core.events import DomainEvent, LocalBus
from tessera.keys import service as keys_service
from tessera.main import create_app
from tessera.migrate import upgrade
from tests.factories import PASSWORD, Person, signup
from tests.support.smtp import SmtpSink

ADMIN_EMAIL = "superadmin@example.com"
REAL_NEW_KEY_PAIR = keys_service.new_key_pair


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    server = os.environ.get("TESSERA_TEST_DATABASE_URL")
    if not server:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'tessera.db'}"
        upgrade(url)
        yield url
        return
    # One database per test session and worker: concurrent runs never share or drop each
    # other's data.
    name = f"tessera_test_{_worker()}_{os.getpid()}"
    url = _postgres_database(server, name, create=True)
    upgrade(url)
    yield url
    _postgres_database(server, name, create=False)


def _postgres_database(server_url: str, name: str, *, create: bool) -> str:
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if create:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def redis_url() -> str | None:
    return os.environ.get("TESSERA_TEST_REDIS_URL")


@pytest.fixture(scope="session")
async def smtp() -> AsyncIterator[SmtpSink]:
    sink = SmtpSink()
    await sink.start()
    yield sink
    await sink.stop()


def make_settings(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "global_secret": "tessera-test-secret-of-at-least-32-bytes",
        "rate_limit": "off",
        "bcrypt_rounds": 4,
        "admin_email": ADMIN_EMAIL,
        "email_baseurl": "https://dashboard.example.com",
        "smtp_host": None,
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture(scope="session")
def settings(
    database_url: str, smtp: SmtpSink, tmp_path_factory: pytest.TempPathFactory
) -> Settings:
    return make_settings(
        database_url,
        tmp_path_factory.mktemp("data"),
        smtp_host=smtp.host,
        smtp_port=smtp.port,
    )


class EventLog:
    """Every event the app published, in order."""

    def __init__(self) -> None:
        self.events: list[DomainEvent] = []
        # The log holds the whole session's events: ``named`` reads an index, not the log.
        self._by_name: defaultdict[str, list[DomainEvent]] = defaultdict(list)
        self._by_name_and_project: defaultdict[tuple[str, str | None], list[DomainEvent]] = (
            defaultdict(list)
        )

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        self.events.extend(events)
        for event in events:
            self._by_name[event.name].append(event)
            self._by_name_and_project[event.name, event.project_id].append(event)

    def named(self, name: str, project_id: str | None = None) -> list[DomainEvent]:
        if project_id is None:
            return list(self._by_name.get(name, ()))
        return list(self._by_name_and_project.get((name, project_id), ()))


@pytest.fixture(scope="session")
def event_log() -> EventLog:
    return EventLog()


@pytest.fixture(scope="session", autouse=True)
def one_key_pair_per_session() -> Iterator[None]:
    """Every ``make_world`` generates its project's keys, and a 2048-bit RSA pair costs ~40 ms,
    a third of a World. The pair is only shown, never used to check anything (keys/service.py),
    so the session makes one for real and every project gets it; tests/keys uses the real
    generator."""
    key_pair = REAL_NEW_KEY_PAIR()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(keys_service, "new_key_pair", lambda: key_pair)
        yield


@pytest.fixture(scope="session")
def app(settings: Settings, event_log: EventLog):  # type: ignore[no-untyped-def]
    application = create_app(settings)
    bus = application.state.db.bus
    assert isinstance(bus, LocalBus)
    bus.subscribe(event_log)
    yield application
    application.state.db.close()


@pytest.fixture(scope="session")
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="session")
async def super_admin(client: httpx.AsyncClient) -> Person:
    """The account named by ADMIN_EMAIL (Tiledesk's super-admin), signed up once per session."""
    signin = await client.post("/auth/signin", json={"email": ADMIN_EMAIL, "password": PASSWORD})
    if signin.status_code == 200:
        user = signin.json()["user"]
        return Person(id=user["_id"], email=ADMIN_EMAIL, token=signin.json()["token"])
    return await signup(client, email=ADMIN_EMAIL)
