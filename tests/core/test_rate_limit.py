"""Per-client moving-window rate limit with ``RateLimit-*`` headers (foundation item 7)."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from tessera.config import Settings
from tessera.main import create_app
from tests.conftest import make_settings
from tests.factories import signup

WINDOW_SECONDS = 2
LIMIT = 5


def _limited_app(database_url: str, data_dir: Path, **overrides: object) -> FastAPI:
    settings = make_settings(
        database_url, data_dir, rate_limit=f"{LIMIT}/{WINDOW_SECONDS} seconds", **overrides
    )
    return create_app(settings)


async def _client(app: FastAPI, ip: str = "203.0.113.7") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(ip, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@pytest.fixture
async def limited(settings: Settings, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    app = _limited_app(settings.database_url, tmp_path)
    async with await _client(app) as client:
        yield client
    await _close(app)


async def _close(app: FastAPI) -> None:
    await app.state.rate_limiter.close()
    app.state.db.close()


async def test_a_burst_over_the_limit_is_429_with_headers_then_recovers(
    limited: httpx.AsyncClient,
) -> None:
    answers = [await limited.get("/") for _ in range(LIMIT + 1)]

    assert [a.status_code for a in answers[:LIMIT]] == [200] * LIMIT
    assert [int(a.headers["ratelimit-remaining"]) for a in answers[:LIMIT]] == [4, 3, 2, 1, 0]
    assert all(a.headers["ratelimit-limit"] == str(LIMIT) for a in answers)
    refused = answers[LIMIT]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= WINDOW_SECONDS
    assert refused.headers["ratelimit-remaining"] == "0"
    body = refused.json()
    assert body["success"] is False
    assert body["limit"] == "5 per 2 second"
    assert body["retry_after"] == int(refused.headers["retry-after"])
    assert "Too many requests" in body["error"]

    await asyncio.sleep(WINDOW_SECONDS + 0.2)
    recovered = await limited.get("/")

    assert recovered.status_code == 200


async def test_each_client_has_its_own_budget(
    limited: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    first, second = await signup(client), await signup(client)
    for _ in range(LIMIT):
        await limited.get("/users", headers=first.auth)

    refused = await limited.get("/users", headers=first.auth)
    other = await limited.get("/users", headers=second.auth)
    anonymous = await limited.get("/")

    assert refused.status_code == 429
    assert other.status_code == 200
    assert anonymous.status_code == 200


async def test_health_probes_are_never_limited(limited: httpx.AsyncClient) -> None:
    answers = [await limited.get("/health") for _ in range(LIMIT * 2)]

    assert {a.status_code for a in answers} == {200}


async def test_preflights_are_never_limited(limited: httpx.AsyncClient) -> None:
    answers = [await limited.options("/users") for _ in range(LIMIT * 2)]

    assert {a.status_code for a in answers} == {204}


async def test_workers_sharing_redis_share_the_budget(
    settings: Settings, redis_url: str | None, tmp_path: Path
) -> None:
    if redis_url is None:
        pytest.skip("needs Redis: the PostgreSQL run of `make test` sets TESSERA_TEST_REDIS_URL")
    ip = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    apps = [_limited_app(settings.database_url, tmp_path, redis_url=redis_url) for _ in range(2)]
    clients = [await _client(app, ip) for app in apps]

    answers = [await clients[i % 2].get("/") for i in range(LIMIT + 1)]

    assert [a.status_code for a in answers] == [200] * LIMIT + [429]
    for client_, app in zip(clients, apps, strict=True):
        await client_.aclose()
        await _close(app)


async def test_an_unreachable_redis_lets_requests_through(
    settings: Settings, tmp_path: Path
) -> None:
    app = _limited_app(settings.database_url, tmp_path, redis_url="redis://127.0.0.1:1/0")
    async with await _client(app) as client:
        response = await client.get("/")

    await _close(app)
    assert response.status_code == 200
    assert "ratelimit-limit" not in response.headers
