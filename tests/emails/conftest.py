"""An app whose SMTP tests may reach the local SMTP sink (private hosts allowed), the sink
being also its mail server; a client of the suite's usual app, where they are refused; an
app with EMAIL_BCC and DISABLE_SEND_OFFLINE_EMAIL set; and a second SMTP sink, the server a
project names in its settings."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tessera.emails.notifier import Notifier
from tessera.main import create_app
from tests.conftest import make_settings
from tests.emails.support import BCC
from tests.support.smtp import SmtpSink


@pytest.fixture(scope="session")
def email_app(
    database_url: str, smtp: SmtpSink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    data_dir: Path = tmp_path_factory.mktemp("emails")
    settings = make_settings(
        database_url,
        data_dir,
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        email_allow_private_smtp=True,
    )
    application = create_app(settings)
    yield application
    application.state.db.close()


@pytest.fixture(scope="session")
async def client(email_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=email_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def notifier(email_app: FastAPI) -> Notifier:
    found: Notifier = email_app.state.notifier
    return found


@pytest.fixture(scope="session")
async def default_client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """The suite's usual app: EMAIL_ALLOW_PRIVATE_SMTP is off."""
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture(scope="session")
async def project_smtp() -> AsyncIterator[SmtpSink]:
    """A second SMTP server: the one a project names in ``settings.email.config``."""
    sink = SmtpSink()
    await sink.start()
    yield sink
    await sink.stop()


@pytest.fixture(scope="session")
def configured_app(
    database_url: str, smtp: SmtpSink, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """An app with EMAIL_BCC set and DISABLE_SEND_OFFLINE_EMAIL on."""
    settings = make_settings(
        database_url,
        tmp_path_factory.mktemp("emails-configured"),
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        email_bcc=BCC,
        disable_send_offline_email=True,
    )
    application = create_app(settings)
    yield application
    application.state.db.close()


@pytest.fixture(scope="session")
async def configured_client(configured_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=configured_app, client=("127.0.0.1", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def configured_notifier(configured_app: FastAPI) -> Notifier:
    found: Notifier = configured_app.state.notifier
    return found


@pytest.fixture
def default_notifier(app: FastAPI) -> Notifier:
    found: Notifier = app.state.notifier
    return found
