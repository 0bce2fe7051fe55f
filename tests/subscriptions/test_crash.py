"""A server killed hard (SIGKILL) while messages are being posted loses no webhook: every
message it answered 200 is stored, and reaches the receiver once a server is back."""

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from tests.conversations.support import post_message
from tests.factories import make_guest, make_project, signup
from tests.realtime.conftest import TEST_SECRET
from tests.subscriptions.support import Receiver
from tests.subscriptions.test_delivery import new_request_id
from tests.support.server import Server, running_server

ANSWERED_BEFORE_KILL = 20
POSTERS = 4
DELIVERY_DEADLINE_SECONDS = 60


def _environment() -> dict[str, str]:
    return {
        "GLOBAL_SECRET": TEST_SECRET,
        "WEBHOOK_DISPATCHER": "in_process",
        "WEBHOOK_ALLOW_PRIVATE_TARGETS": "true",
        "WEBHOOK_TIMEOUT_SECONDS": "1",  # claims of the killed server expire after 3 s
    }


async def test_sigkill_while_posting_loses_no_delivery(
    database_url: str, tmp_path_factory: pytest.TempPathFactory, receiver: Receiver
) -> None:
    data_dir: Path = tmp_path_factory.mktemp("crash")
    with running_server(database_url, data_dir, env=_environment()) as first:
        project_id, rid, guest_auth, answered, cut_short = await _post_until_killed(first, receiver)
    assert len(answered) >= ANSWERED_BEFORE_KILL
    assert cut_short > 0  # posts were in flight when the process died

    with running_server(database_url, data_dir, env=_environment()) as second:
        delivered = await _wait_for_deliveries(receiver, set(answered))
        async with httpx.AsyncClient(base_url=second.url, timeout=10) as live:
            listed = await live.get(f"/{project_id}/requests/{rid}/messages", headers=guest_auth)

    assert listed.status_code == 200
    stored = {message["_id"] for message in listed.json()}
    assert set(answered) <= stored
    assert set(answered) <= delivered


async def _post_until_killed(
    server: Server, receiver: Receiver
) -> tuple[str, str, dict[str, str], list[str], int]:
    """Set up a project whose ``message.create`` goes to ``receiver``, then post messages
    from several clients at once and SIGKILL the server once enough were answered."""
    async with httpx.AsyncClient(base_url=server.url, timeout=5) as live:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        subscribed = await live.post(
            f"/{project_id}/subscriptions",
            json={"event": "message.create", "target": receiver.url},
            headers=owner.auth,
        )
        assert subscribed.status_code == 200
        guest = await make_guest(live, project_id)
        rid = new_request_id(project_id)
        first = await post_message(live, project_id, rid, guest, text="first")
        answered = [first["_id"]]
        cut_short = 0
        enough = asyncio.Event()

        async def poster(number: int) -> None:
            nonlocal cut_short
            for sequence in range(10_000):
                try:
                    response = await live.post(
                        f"/{project_id}/requests/{rid}/messages",
                        json={"text": f"poster {number} message {sequence}"},
                        headers=guest.auth,
                    )
                except httpx.TransportError:
                    cut_short += 1
                    return
                if response.status_code == 200:
                    answered.append(response.json()["_id"])
                    if len(answered) >= ANSWERED_BEFORE_KILL:
                        enough.set()

        posting = [asyncio.create_task(poster(number)) for number in range(POSTERS)]
        await asyncio.wait_for(enough.wait(), 60)
        server.process.kill()
        server.process.wait()
        await asyncio.gather(*posting)
    return project_id, rid, guest.auth, answered, cut_short


async def _wait_for_deliveries(receiver: Receiver, wanted: set[str]) -> set[str]:
    """The message ids delivered so far, once they include ``wanted``. A delivery may come
    twice (posted by the killed server, not recorded): the same delivery id, the same
    message."""
    deadline = time.monotonic() + DELIVERY_DEADLINE_SECONDS
    while True:
        by_delivery: dict[str, str] = {}
        for request in list(receiver.received):
            message_id = request.json["payload"]["_id"]
            assert by_delivery.setdefault(request.delivery_id, message_id) == message_id
        delivered = set(by_delivery.values())
        if wanted <= delivered or time.monotonic() > deadline:
            return delivered
        await asyncio.sleep(0.2)
