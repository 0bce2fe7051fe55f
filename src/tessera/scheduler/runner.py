"""Running the schedulers: ``run_once`` (one pass of every task, at a given time) and
``Scheduler`` (each task on its own interval, in the background).

Safe with several processes: each close is a unit of work that re-checks its conversation
under a row lock, so two schedulers racing close it once; the purges are idempotent.
"""

import asyncio
import contextlib
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from tessera.bots import service as bot_service
from tessera.config import Settings
from tessera.core.clock import now_ms
from tessera.core.db import Database
from tessera.files import uploads
from tessera.files.storage import local_storage
from tessera.scheduler import service
from tessera.scheduler.rules import CloseRule, close_rules

log = logging.getLogger("tessera.scheduler")

PURGE_INTERVAL_SECONDS = 300.0
_STOP_TIMEOUT_SECONDS = 10.0


@dataclass
class Report:
    """What one pass did: the request ids closed, by rule; the rows purged."""

    closed: dict[str, list[str]] = field(default_factory=dict)
    events_purged: int = 0
    activities_purged: int = 0
    files_purged: int = 0
    bots_purged: int = 0


async def close_unresponsive(db: Database, rule: CloseRule, now: int) -> list[str]:
    """Close what ``rule`` finds at ``now``, one conversation per unit of work (a failure
    closes the others all the same); the request ids closed."""
    cutoff = now - rule.after_ms
    found = await db.read(service.unresponsive_conversations, rule, cutoff)
    closed: list[str] = []
    for candidate in found:
        try:
            done = await db.write(
                service.close_if_unresponsive,
                rule,
                cutoff,
                candidate.project_id,
                candidate.request_id,
            )
        except Exception:
            log.exception("could not close unresponsive conversation %s", candidate.request_id)
            continue
        if done:
            closed.append(candidate.request_id)
    if closed:
        log.info("closed %d unresponsive %s conversations", len(closed), rule.name)
    return closed


async def purge(db: Database, settings: Settings, now: int) -> tuple[int, int, int, int]:
    """Expired events, activities, chat uploads (their rows, then their bytes) and bots
    trashed longer than ``CHATBOT_TRASH_TTL_SECONDS``."""
    events, activities = await db.write(
        service.purge_expired, now, activity_days=settings.activity_expiration_days
    )
    files = await uploads.purge_expired(db, local_storage(settings), now)
    bots = await purge_trashed_bots(db, now, settings.chatbot_trash_ttl_seconds)
    return events, activities, files, bots


async def purge_trashed_bots(db: Database, now: int, ttl_seconds: int) -> int:
    """Batch after batch, one unit of work each, until the trash holds no expired bot."""
    total = 0
    while True:
        purged = await db.write(bot_service.purge_trash, now, ttl_seconds=ttl_seconds)
        total += purged
        if purged < bot_service.PURGE_BATCH:
            return total


async def run_once(db: Database, settings: Settings, now: int | None = None) -> Report:
    """Every task once, as if the time were ``now`` (epoch ms; the clock by default)."""
    moment = now_ms() if now is None else now
    report = Report()
    for rule in close_rules(settings):
        if rule.enabled:
            report.closed[rule.name] = await close_unresponsive(db, rule, moment)
    purged = await purge(db, settings, moment)
    report.events_purged, report.activities_purged, report.files_purged, report.bots_purged = purged
    return report


@dataclass(frozen=True, slots=True)
class _Task:
    name: str
    interval_seconds: float
    run: Callable[[], Awaitable[object]]


class Scheduler:
    """The tasks of ``run_once``, each repeated on its interval until ``stop``. The first
    run of each comes after a random part of its interval, so that the processes of a
    deployment, started together, do not all look at the same moment."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._stopping = asyncio.Event()
        self._running: list[asyncio.Task[None]] = []

    def tasks(self) -> list[_Task]:
        found = [
            _Task(f"close-{rule.name}", rule.interval_seconds, self._closer(rule))
            for rule in close_rules(self.settings)
            if rule.enabled
        ]
        found.append(_Task("purge", PURGE_INTERVAL_SECONDS, self._purge))
        return found

    def _closer(self, rule: CloseRule) -> Callable[[], Awaitable[object]]:
        return lambda: close_unresponsive(self.db, rule, now_ms())

    async def _purge(self) -> object:
        return await purge(self.db, self.settings, now_ms())

    async def start(self) -> None:
        self._stopping.clear()
        self._running = [
            asyncio.create_task(self._repeat(task), name=f"scheduler-{task.name}")
            for task in self.tasks()
        ]

    async def stop(self) -> None:
        """Let a run in progress finish (its closes are committed one by one), then stop."""
        self._stopping.set()
        running, self._running = self._running, []
        if not running:
            return
        _done, late = await asyncio.wait(running, timeout=_STOP_TIMEOUT_SECONDS)
        for task in late:
            task.cancel()
        for task in late:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _repeat(self, task: _Task) -> None:
        delay = task.interval_seconds * random.random()  # noqa: S311 (spreading, not secrecy)
        while not await self._stopped_within(delay):
            try:
                await task.run()
            except Exception:
                log.exception("scheduler task %s failed", task.name)
            delay = task.interval_seconds

    async def _stopped_within(self, seconds: float) -> bool:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        return self._stopping.is_set()
