"""Production layout: servers with ``WEBHOOK_DISPATCHER=off`` only queue deliveries, and a
``tessera worker`` process sends them."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest

from tests.conversations.support import post_message
from tests.factories import make_guest, make_project, signup
from tests.realtime.conftest import TEST_SECRET
from tests.subscriptions.support import Receiver
from tests.subscriptions.test_delivery import new_request_id
from tests.support.server import running_server

QUIET_SECONDS = 2.0  # longer than the worker's poll: a server that sends would have


async def test_the_worker_sends_what_servers_only_queue(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, receiver: Receiver
) -> None:
    data_dir: Path = tmp_path_factory.mktemp("worker")
    env = {
        "GLOBAL_SECRET": TEST_SECRET,
        "WEBHOOK_DISPATCHER": "off",
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
    }
    with running_server(database_url, data_dir, env=env) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=10) as live:
            owner = await signup(live)
            project_id = await make_project(live, owner)
            subscribed = await live.post(
                f"/{project_id}/subscriptions",
                json={"event": "message.create", "target": receiver.url},
                headers=owner.auth,
            )
            assert subscribed.status_code == 200
            guest = await make_guest(live, project_id)
            message = await post_message(live, project_id, new_request_id(project_id), guest)

        await asyncio.sleep(QUIET_SECONDS)
        assert receiver.received == []  # queued, not sent

        worker = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tessera",
            "worker",
            env={
                **os.environ,
                "DATABASE_URL": database_url,
                "DATA_DIR": str(data_dir),
                "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
                "LOG_LEVEL": "WARNING",
            },
        )
        try:
            received = await asyncio.to_thread(receiver.wait_for, 1)
        finally:
            worker.send_signal(signal.SIGTERM)
            code = await asyncio.wait_for(worker.wait(), 15)

    assert received[0].json["payload"]["_id"] == message["_id"]
    assert received[0].signature_matches(subscribed.json()["secret"])
    assert code == 0  # SIGTERM stops it cleanly
