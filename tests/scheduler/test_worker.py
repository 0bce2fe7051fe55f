"""``tessera worker`` runs the schedulers too (§8.3), with the server's commit hooks."""

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx

from tests.conversations.support import create_request
from tests.factories import make_project, signup
from tests.realtime.conftest import TEST_SECRET


async def test_the_worker_closes_unresponsive_bot_conversations(
    client: httpx.AsyncClient, database_url: str, tmp_path: Path
) -> None:
    owner = await signup(client)
    project_id = await make_project(client, owner)
    bot = await client.post(f"/{project_id}/faq_kb", json={"name": "Bot"}, headers=owner.auth)
    created = await create_request(
        client, project_id, owner, participants=[f"bot_{bot.json()['_id']}"]
    )
    path = f"/{project_id}/requests/{created['request_id']}"

    worker = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tessera",
        "worker",
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "DATA_DIR": str(tmp_path),
            "GLOBAL_SECRET": TEST_SECRET,
            "LOG_LEVEL": "WARNING",
            # Any bot conversation of this project is unresponsive, looked for ten times a second.
            "CLOSE_BOT_UNRESPONSIVE_REQUESTS_AFTER_TIMEOUT": "0",
            "CLOSE_BOT_UNRESPONSIVE_REQUESTS_INTERVAL_SECONDS": "0.1",
            "CLOSE_BOT_UNRESPONSIVE_REQUESTS_QUERY_FILTER_ONLY_PROJECT": project_id,
        },
    )
    try:
        for _ in range(300):
            request = (await client.get(path, headers=owner.auth)).json()
            if request["status"] == 1000:
                break
            await asyncio.sleep(0.1)
    finally:
        worker.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(worker.wait(), 15)
    log = await client.get(
        f"/{project_id}/activities", params={"activities": "REQUEST_CLOSE"}, headers=owner.auth
    )

    assert request["status"] == 1000
    assert request["closed_by"] == "system"
    assert [a["actor"]["type"] for a in log.json()["activities"]] == ["system"]
    assert code == 0  # SIGTERM stops it cleanly
