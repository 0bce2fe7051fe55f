"""Several server processes share realtime pushes through Redis (issue: several workers)."""

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conversations.support import create_request, post_message
from tests.factories import make_project, signup
from tests.realtime.conftest import TEST_SECRET
from tests.realtime.support import Realtime
from tests.support.server import Server, running_server


@pytest.fixture(scope="module")
def two_servers(
    database_url: str, redis_url: str | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Server, Server]]:
    if redis_url is None:
        pytest.skip("needs Redis: runs in the PostgreSQL + Redis pass (TESSERA_TEST_REDIS_URL)")
    data_dir: Path = tmp_path_factory.mktemp("fan-out")
    env = {"GLOBAL_SECRET": TEST_SECRET, "REDIS_URL": redis_url}
    with (
        running_server(database_url, data_dir, env=env) as first,
        running_server(database_url, data_dir, env=env) as second,
    ):
        yield first, second


async def test_a_subscriber_of_one_process_receives_a_message_posted_through_another(
    two_servers: tuple[Server, Server],
) -> None:
    first, second = two_servers
    async with httpx.AsyncClient(base_url=second.url, timeout=10) as through_second:
        owner = await signup(through_second)
        project_id = await make_project(through_second, owner)
        request = await create_request(through_second, project_id, owner)
        rid = request["request_id"]
        topic = f"/{project_id}/requests/{rid}/messages"
        socket = await Realtime.open(first.ws_url, owner.token)
        await socket.subscribe(topic)
        await socket.publication(topic)

        await post_message(through_second, project_id, rid, owner, text="across processes")
        pushed = await socket.publication(topic)

    assert pushed["payload"]["message"]["text"] == "across processes"
    assert pushed["id"].count("-") == 1  # a Redis stream id: ordered across processes
    await socket.close()
