"""Several dispatchers on one database, and a dispatcher that dies holding a claim."""

import asyncio
from collections import Counter

import httpx
from fastapi import FastAPI

from tessera.core.db import Database
from tessera.core.ids import new_uuid
from tessera.subscriptions import service
from tessera.subscriptions.dispatcher import Dispatcher
from tessera.subscriptions.service import Outcome
from tests.factories import World
from tests.subscriptions.support import Clock, Receiver, drain
from tests.subscriptions.test_delivery import deliveries, subscribe

LEADS = 30


async def _leads(client: httpx.AsyncClient, world: World, count: int) -> None:
    for number in range(count):
        response = await client.post(
            f"/{world.project_id}/leads",
            json={"fullname": f"Lead {number}"},
            headers=world.agent.auth,
        )
        assert response.status_code == 200


async def test_two_dispatchers_never_post_the_same_delivery(
    client: httpx.AsyncClient, world: World, receiver: Receiver, webhook_app: FastAPI, clock: Clock
) -> None:
    """Two dispatchers, each with its own database connection(s) as two processes would
    have, claim concurrently: every delivery is posted exactly once."""
    await subscribe(client, world, receiver.url, event="lead.create")
    await _leads(client, world, LEADS)
    other_db = Database(webhook_app.state.db.url)
    try:
        async with (
            Dispatcher(webhook_app.state.db, allow_private=True, clock=clock, batch_size=4) as one,
            Dispatcher(other_db, allow_private=True, clock=clock, batch_size=4) as two,
        ):
            handled = await asyncio.gather(drain(one), drain(two))
    finally:
        other_db.close()

    posts = Counter(request.delivery_id for request in receiver.received)
    assert len(posts) == LEADS
    assert set(posts.values()) == {1}
    assert all(count > 0 for count in handled)  # both took part
    rows = await deliveries(webhook_app, world.project_id)
    assert {row.status for row in rows} == {"delivered"}
    assert {row.attempts for row in rows} == {1}


async def test_a_claim_left_by_a_dead_dispatcher_is_retried_after_its_lease(
    client: httpx.AsyncClient,
    world: World,
    receiver: Receiver,
    webhook_app: FastAPI,
    dispatcher: Dispatcher,
    clock: Clock,
) -> None:
    """A dispatcher claims, then dies before posting or recording: the delivery waits for
    the lease to run out, then another dispatcher sends it. If the dead one's answer
    arrives late after all, it no longer decides the delivery's state."""
    await subscribe(client, world, receiver.url, event="lead.create")
    await _leads(client, world, 1)
    now = clock()
    (abandoned,) = [
        job
        for job in await webhook_app.state.db.write(
            service.claim_deliveries,
            claim=new_uuid(),
            now=now,
            lease_until=now + dispatcher.lease_ms,
            limit=1000,
        )
        if job.delivery.project_id == world.project_id
    ]

    await drain(dispatcher)
    assert receiver.received == []  # still leased
    clock.advance(dispatcher.lease_ms + 1)
    await drain(dispatcher)

    (received,) = receiver.received
    assert received.delivery_id == abandoned.delivery.id
    late = Outcome(receiver.url, 5, error="the dead dispatcher's timeout")
    status = await webhook_app.state.db.write(service.record_attempt, abandoned, late, now=clock())
    assert status is None
    (row,) = await deliveries(webhook_app, world.project_id)
    assert (row.status, row.attempts, row.claim) == ("delivered", 1, None)
