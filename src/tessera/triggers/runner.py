"""The rules engine driven by the event bus: after a write commits, its events fire the
enabled triggers of their project whose conditions hold, and each action of those runs as
a unit of work of its own (a failing action is logged; the others still run).

Loop safety: the triggers whose actions are running are remembered along the chain of
writes they cause (a context variable, since those writes publish their events within the
action's ``await``). A trigger never fires again inside its own chain — its own message can
never re-fire it — and chains stop after ``MAX_CHAIN`` triggers.
"""

import logging
from collections.abc import Sequence
from contextvars import ContextVar

from tessera.context import Context
from tessera.core.db import Database
from tessera.core.errors import AppError
from tessera.core.events import DomainEvent
from tessera.triggers import actions, service

log = logging.getLogger("tessera.triggers")

MAX_CHAIN = 4
_running: ContextVar[tuple[str, ...]] = ContextVar("running_triggers", default=())


class TriggerRunner:
    """A subscriber of the event bus (``Database.bus.subscribe``)."""

    def __init__(self, db: Database, ctx: Context) -> None:
        self.db = db
        self.ctx = ctx

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        chain = _running.get()
        if len(chain) >= MAX_CHAIN:
            return
        for event in events:
            if event.name in service.LISTENED and event.project_id is not None:
                await self._fire(event, chain)

    async def _fire(self, event: DomainEvent, chain: tuple[str, ...]) -> None:
        assert event.project_id is not None
        if not await self.db.lookup(service.may_fire, event.project_id, event.name):
            return
        for trigger in await self.db.read(service.firing, event):
            if trigger.id in chain:
                continue
            token = _running.set((*chain, trigger.id))
            try:
                for action in trigger.actions or []:
                    await self._act(event, trigger.id, action)
            finally:
                _running.reset(token)

    async def _act(self, event: DomainEvent, trigger_id: str, action: dict[str, object]) -> None:
        try:
            await self.db.write(actions.run, self.ctx, event, action)
        except actions.Skipped as skipped:
            log.info("trigger %s: %s skipped: %s", trigger_id, action.get("key"), skipped)
        except AppError as refused:
            log.info("trigger %s: %s refused: %s", trigger_id, action.get("key"), refused)
        except Exception:
            log.exception("trigger %s: %s failed", trigger_id, action.get("key"))
