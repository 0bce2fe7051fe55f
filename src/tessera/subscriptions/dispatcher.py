"""The webhook dispatcher: takes due deliveries from the outbox, POSTs them, records every
attempt, and schedules retries.

Delivery is at least once. A dispatcher claims deliveries for a lease; if it dies before
recording the result (crash, SIGKILL, lost database), the lease runs out and any
dispatcher sends them again, so a receiver may see one delivery twice and de-duplicates
on ``X-Tessera-Delivery``. Several dispatchers (server processes, ``tessera worker``) can
run against one database: a claim is exclusive (``FOR UPDATE SKIP LOCKED`` on PostgreSQL,
the write lock on SQLite), so within a lease no delivery is posted by two of them.
"""

import asyncio
import contextlib
import logging
import signal
import time
from collections.abc import Callable
from types import TracebackType

import anyio
import httpx

from tessera.config import Settings
from tessera.core import targets
from tessera.core.clock import now_ms
from tessera.core.db import Database
from tessera.core.ids import new_uuid
from tessera.subscriptions import delivery, service
from tessera.subscriptions.models import PENDING
from tessera.subscriptions.service import Job, Outcome

log = logging.getLogger("tessera.webhooks")

_READ_LIMIT = 4 * delivery.RESPONSE_EXCERPT  # bytes of an answer read before giving up on it


class Dispatcher:
    """Delivers the outbox. ``run_once`` handles one batch (tests drive it directly, with a
    ``clock`` they move forward); ``start``/``stop`` run batches in the background, woken
    by ``wake`` when a write has just queued deliveries and every ``poll_seconds``
    otherwise (deliveries queued by other processes, retries coming due)."""

    def __init__(
        self,
        db: Database,
        *,
        timeout: float = 10.0,
        allow_private: bool = False,
        origin: str = "http://localhost:3000",
        clock: Callable[[], int] = now_ms,
        batch_size: int = 20,
        poll_seconds: float = 1.0,
    ) -> None:
        self.db = db
        self.timeout = timeout
        self.allow_private = allow_private
        self.origin = origin
        self.clock = clock
        self.batch_size = batch_size
        self.poll_seconds = poll_seconds
        # A claim lasts three times an attempt's timeout: it runs out only when its
        # dispatcher is gone (or could not record the outcome), never under a slow target.
        self.lease_ms = int(timeout * 3000)
        self._client: httpx.AsyncClient | None = None
        self._wakeup = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    @classmethod
    def from_settings(cls, db: Database, settings: Settings) -> "Dispatcher":
        return cls(
            db,
            timeout=settings.webhook_timeout_seconds,
            allow_private=settings.webhook_allow_private_targets,
            origin=settings.webhook_origin,
        )

    # ------------------------------------------------------------ one batch

    async def run_once(self) -> int:
        """Claim the deliveries due now, POST them concurrently, record the outcomes.
        Returns how many were attempted."""
        now = self.clock()
        if not await self.db.lookup(service.anything_due, now):
            return 0
        jobs = await self.db.write(
            service.claim_deliveries,
            claim=new_uuid(),
            now=now,
            lease_until=now + self.lease_ms,
            limit=self.batch_size,
        )
        async with anyio.create_task_group() as group:
            for job in jobs:
                group.start_soon(self._deliver, job)
        return len(jobs)

    async def _deliver(self, job: Job) -> None:
        outcome = await self._post(job)
        try:
            status = await self.db.write(service.record_attempt, job, outcome, now=self.clock())
        except Exception:
            # The lease will run out and the delivery be sent again (at least once).
            log.exception("could not record the attempt of delivery %s", job.delivery.id)
            return
        if status is not None and status != PENDING:
            log.info("delivery %s to %s: %s", job.delivery.id, outcome.target, status)

    async def _post(self, job: Job) -> Outcome:
        target = job.target
        started = time.monotonic()
        try:
            with anyio.fail_after(self.timeout):
                code, excerpt = await self._send(job)
        except (targets.TargetRefused, httpx.InvalidURL) as error:
            # A bot's url is whatever its admin typed (§7.3): one that is no URL fails too.
            return Outcome(target, _elapsed_ms(started), error=str(error))
        except (TimeoutError, httpx.TimeoutException):
            return Outcome(target, _elapsed_ms(started), error=f"timeout after {self.timeout} s")
        except (httpx.HTTPError, OSError) as error:
            reason = str(error) or type(error).__name__
            return Outcome(target, _elapsed_ms(started), error=reason)
        return Outcome(target, _elapsed_ms(started), status_code=code, response_body=excerpt)

    async def _send(self, job: Job) -> tuple[int, str]:
        target = job.target
        pinned = (
            targets.unpinned(target) if self.allow_private else await targets.pin_public(target)
        )
        request = job.signed_request(now_ms=self.clock(), origin=self.origin)
        async with self._http().stream(
            "POST",
            pinned.url,
            content=request.body,
            headers={**request.headers, **pinned.headers},
            extensions=pinned.extensions,
            timeout=self.timeout,
        ) as response:
            return response.status_code, await _excerpt(response)

    # ------------------------------------------------------------ in the background

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="webhook-dispatcher")

    def wake(self) -> None:
        """Deliveries were just queued: look now rather than at the next poll. Safe to call
        from any thread; a no-op while the dispatcher is not running."""
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._wakeup.set)

    async def stop(self) -> None:
        """Let the batch in flight finish (bounded by the timeout), then stop. A batch cut
        short is sent again once its lease runs out."""
        self._stopping = True
        self._wakeup.set()
        if self._task is not None:
            try:
                await asyncio.wait_for(self._task, timeout=self.timeout + 1)
            except TimeoutError:
                log.warning("webhook dispatcher stopped with deliveries in flight")
            self._task = None
        self._loop = None
        await self.close()

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _http(self) -> httpx.AsyncClient:
        # Made on first use: a dispatcher that never sends holds no connection pool.
        if self._client is None:
            self._client = httpx.AsyncClient(follow_redirects=False)
        return self._client

    async def _run(self) -> None:
        while not self._stopping:
            self._wakeup.clear()
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("webhook dispatcher batch failed")
                handled = 0
            if handled < self.batch_size and not self._stopping:
                await self._idle()

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wakeup.wait(), timeout=self.poll_seconds)

    async def __aenter__(self) -> "Dispatcher":
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()


async def _excerpt(response: httpx.Response) -> str:
    """The start of the answer, for the log; the rest is not read."""
    received = b""
    async for chunk in response.aiter_bytes():
        received += chunk
        if len(received) >= _READ_LIMIT:
            break
    return received.decode("utf-8", errors="replace")[: delivery.RESPONSE_EXCERPT]


def _elapsed_ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


async def run_worker(settings: Settings) -> None:
    """``tessera worker``: a dispatcher on its own, until SIGINT or SIGTERM."""
    db = Database(settings.database_url, pool_size=settings.database_pool_size)
    dispatcher = Dispatcher.from_settings(db, settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    await dispatcher.start()
    log.info("webhook worker started")
    try:
        await stop.wait()
    finally:
        await dispatcher.stop()
        db.close()
        log.info("webhook worker stopped")
