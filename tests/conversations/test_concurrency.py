"""Routing and conversation creation under concurrency, across two real server processes.

Two ``tessera serve`` processes share the test database (the session's SQLite file, or its
PostgreSQL database), and requests fired at the same instant alternate between them: no
in-process lock can hide a race here, only the database's (the ticket counter row that
serializes routing per project, the unique ``request_id``).
"""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tessera.bootstrap import ensure_first_admin
from tests.conftest import make_settings
from tests.conversations.support import project_with_agents
from tests.factories import Person, make_guest

CONCURRENT = 20
CHAT_LIMIT = 2
AGENTS = 3
ASSIGNED = 200
UNASSIGNED = 100
# Both processes must verify each other's tokens.
SECRET = "concurrency-test-secret-of-at-least-32-bytes"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _environment(database_url: str, data_dir: Path) -> dict[str, str]:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in ("ADMIN_EMAIL", "ADMIN_PASSWORD", "REDIS_URL", "WORKERS")
    }
    return {
        **inherited,
        "DATABASE_URL": database_url,
        "DATA_DIR": str(data_dir),
        "GLOBAL_SECRET": SECRET,
        "RATE_LIMIT": "off",
        "BCRYPT_ROUNDS": "4",
        "LOG_LEVEL": "WARNING",
    }


def _ensure_an_account(database_url: str, data_dir: Path) -> None:
    """Both servers start at once: if the database had no account yet, each would try to
    create the first administrator. Create it here (never the tests' super-admin)."""
    settings = make_settings(
        database_url,
        data_dir,
        admin_email=f"concurrency-admin-{uuid.uuid4().hex[:8]}@example.com",
        admin_password="Concurrency-admin-1",
    )
    ensure_first_admin(settings)


def _launch(database_url: str, data_dir: Path) -> tuple[subprocess.Popen[bytes], str, Path]:
    port = _free_port()
    log = data_dir / f"server-{port}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "tessera", "serve", "--port", str(port), "--no-migrate"],
            env=_environment(database_url, data_dir),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return process, f"http://127.0.0.1:{port}", log


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 120  # a loaded CI machine starts a server slowly
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/ready", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    process.kill()
    raise AssertionError(f"the server did not become ready:\n{log.read_text()}")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def servers(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two server processes on the session's database (already migrated)."""
    data_dir = tmp_path_factory.mktemp("two-servers")
    _ensure_an_account(database_url, data_dir)
    launched = [_launch(database_url, data_dir) for _ in range(2)]
    try:
        for process, base, log in launched:
            _wait_until_ready(base, process, log)
        yield [base for _process, base, _log in launched]
    finally:
        for process, _base, _log in launched:
            _stop(process)


@pytest.fixture
async def clients(servers: list[str]) -> AsyncIterator[list[httpx.AsyncClient]]:
    async with (
        httpx.AsyncClient(base_url=servers[0], timeout=30) as first,
        httpx.AsyncClient(base_url=servers[1], timeout=30) as second,
    ):
        yield [first, second]


async def _limited_project(client: httpx.AsyncClient) -> tuple[str, Person, list[Person]]:
    """A project with three available agents (the owner is away), chat limit 2."""
    project_id, owner, agents = await project_with_agents(client, AGENTS)
    updated = await client.put(
        f"/projects/{project_id}",
        json={"settings.chat_limit_on": True, "settings.max_agent_assigned_chat": CHAT_LIMIT},
        headers=owner.auth,
    )
    assert updated.status_code == 200, updated.text
    return project_id, owner, agents


async def _at_once(
    clients: list[httpx.AsyncClient], path: str, bodies: list[dict[str, Any]], auth: Any
) -> list[httpx.Response]:
    """POST every body at the same instant, alternating between the two servers."""
    return await asyncio.gather(
        *(
            clients[index % 2].post(path, json=body, headers=auth)
            for index, body in enumerate(bodies)
        )
    )


async def _assigned_counts(
    client: httpx.AsyncClient, project_id: str, owner: Person
) -> dict[str, int]:
    """``number_assigned_requests`` of every registered member, by user id."""
    response = await client.get(f"/{project_id}/project_users", headers=owner.auth)
    assert response.status_code == 200, response.text
    return {
        member["id_user"]["_id"]: member["number_assigned_requests"]
        for member in response.json()
        if isinstance(member.get("id_user"), dict)
    }


async def _conversation_count(client: httpx.AsyncClient, project_id: str, owner: Person) -> int:
    """How many conversations the project holds, in any status."""
    response = await client.get(f"/{project_id}/requests?status=all", headers=owner.auth)
    assert response.status_code == 200, response.text
    count: int = response.json()["count"]
    return count


def _statuses(responses: list[httpx.Response]) -> list[int]:
    return [response.status_code for response in responses]


class TestSimultaneousCreations:
    async def test_chat_limits_hold_and_tickets_stay_unique(
        self, clients: list[httpx.AsyncClient]
    ) -> None:
        project_id, owner, agents = await _limited_project(clients[0])

        responses = await _at_once(
            clients,
            f"/{project_id}/requests",
            [{"first_text": f"Help {index}"} for index in range(CONCURRENT)],
            owner.auth,
        )

        assert _statuses(responses) == [200] * CONCURRENT, [r.text for r in responses]
        created = [response.json() for response in responses]
        assert sorted(c["ticket_id"] for c in created) == list(range(1, CONCURRENT + 1))
        reread = [
            (
                await clients[index % 2].get(
                    f"/{project_id}/requests/{c['request_id']}", headers=owner.auth
                )
            ).json()
            for index, c in enumerate(created)
        ]
        served = Counter(
            participant for conversation in reread for participant in conversation["participants"]
        )
        assert all(count <= CHAT_LIMIT for count in served.values()), served
        assert served == {agent.id: CHAT_LIMIT for agent in agents}
        assert sorted(c["status"] for c in reread) == sorted(
            [ASSIGNED] * (AGENTS * CHAT_LIMIT) + [UNASSIGNED] * (CONCURRENT - AGENTS * CHAT_LIMIT)
        )
        counts = await _assigned_counts(clients[1], project_id, owner)
        assert {agent.id: counts[agent.id] for agent in agents} == served
        assert counts[owner.id] == 0

    async def test_one_request_id_posted_twenty_times_is_one_conversation(
        self, clients: list[httpx.AsyncClient]
    ) -> None:
        project_id, owner, agents = await _limited_project(clients[0])
        request_id = f"support-group-{project_id}-{uuid.uuid4().hex}"

        responses = await _at_once(
            clients,
            f"/{project_id}/requests",
            [
                {"first_text": f"Hello {index}", "request_id": request_id}
                for index in range(CONCURRENT)
            ],
            owner.auth,
        )

        assert _statuses(responses) == [200] * CONCURRENT, [r.text for r in responses]
        created = [response.json() for response in responses]
        assert {c["_id"] for c in created} == {created[0]["_id"]}
        assert {c["request_id"] for c in created} == {request_id}
        assert {c["ticket_id"] for c in created} == {1}
        assert await _conversation_count(clients[0], project_id, owner) == 1
        reread = await clients[1].get(f"/{project_id}/requests/{request_id}", headers=owner.auth)
        assert reread.status_code == 200
        assert reread.json()["_id"] == created[0]["_id"]
        assert reread.json()["first_text"] == created[0]["first_text"]
        counts = await _assigned_counts(clients[0], project_id, owner)
        assert sorted(counts[agent.id] for agent in agents) == [0, 0, 1]
        # The losers drew no ticket: the next conversation is number 2.
        following = await clients[0].post(
            f"/{project_id}/requests", json={"first_text": "Next"}, headers=owner.auth
        )
        assert following.status_code == 200, following.text
        assert following.json()["ticket_id"] == 2


class TestSimultaneousFirstMessages:
    async def test_twenty_first_messages_make_one_conversation_with_twenty_messages(
        self, clients: list[httpx.AsyncClient]
    ) -> None:
        project_id, owner, agents = await _limited_project(clients[0])
        guest = await make_guest(clients[1], project_id)
        request_id = f"support-group-{project_id}-{uuid.uuid4().hex}"

        responses = await _at_once(
            clients,
            f"/{project_id}/requests/{request_id}/messages",
            [{"text": f"Message {index}"} for index in range(CONCURRENT)],
            guest.auth,
        )

        assert _statuses(responses) == [200] * CONCURRENT, [r.text for r in responses]
        answers = [response.json() for response in responses]
        assert {a["request"]["_id"] for a in answers} == {answers[0]["request"]["_id"]}
        assert {a["recipient"] for a in answers} == {request_id}
        assert await _conversation_count(clients[0], project_id, owner) == 1
        conversation = await clients[0].get(
            f"/{project_id}/requests/{request_id}", headers=owner.auth
        )
        assert conversation.status_code == 200
        assert conversation.json()["ticket_id"] == 1
        assert conversation.json()["first_text"].startswith("Message ")
        messages = await clients[1].get(
            f"/{project_id}/requests/{request_id}/messages", headers=guest.auth
        )
        assert messages.status_code == 200
        assert sorted(m["text"] for m in messages.json()) == sorted(
            f"Message {index}" for index in range(CONCURRENT)
        )
        assert {m["_id"] for m in messages.json()} == {a["_id"] for a in answers}
        counts = await _assigned_counts(clients[0], project_id, owner)
        assert sorted(counts[agent.id] for agent in agents) == [0, 0, 1]
