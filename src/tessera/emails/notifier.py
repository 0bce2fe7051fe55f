"""Notification e-mails, driven by committed domain events (a subscriber of the event bus,
like the realtime publisher).

The bus hands events over right after the commit, while the HTTP request that caused them
is still waiting for its response: the notifier only starts a background task and returns.
The task reads what the e-mails need and hands them to the courier one by one off the event
loop (the project's own SMTP server or the server's); any failure is logged and never
reaches the request.
"""

import asyncio
import logging
from collections.abc import Sequence

from tessera.config import Settings
from tessera.core.db import Database
from tessera.core.events import DomainEvent
from tessera.core.mail import Mailer
from tessera.emails import service
from tessera.emails.messages import Links
from tessera.emails.service import Policy
from tessera.emails.transport import Courier

log = logging.getLogger("tessera.emails")

_SHUTDOWN_SECONDS = 10.0  # how long a stopping server waits for notifications under way


class Notifier:
    def __init__(
        self, db: Database, courier: Courier, policy: Policy, *, enabled: bool = True
    ) -> None:
        self.db = db
        self.courier = courier
        self.policy = policy
        self.enabled = enabled
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    def from_settings(cls, db: Database, mailer: Mailer, settings: Settings) -> "Notifier":
        courier = Courier(
            mailer, allow_private=settings.email_allow_private_smtp, bcc=settings.email_bcc
        )
        policy = Policy(
            links=Links(base_url=settings.email_baseurl, brand=settings.brand_name),
            widget_page=settings.widget_test_location,
            offline_mail=not settings.disable_send_offline_email,
        )
        return cls(db, courier, policy, enabled=settings.email_notification_enabled)

    async def __call__(self, events: Sequence[DomainEvent]) -> None:
        if not self.enabled or not any(event.name in service.WATCHED for event in events):
            return
        task = asyncio.create_task(self._notify(list(events)))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Wait for the notifications under way (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def close(self) -> None:
        try:
            await asyncio.wait_for(self.drain(), _SHUTDOWN_SECONDS)
        except TimeoutError:
            log.warning("e-mail notifications still running at shutdown were abandoned")

    async def _notify(self, events: list[DomainEvent]) -> None:
        try:
            emails = await self.db.read(service.notifications_for, self.policy, events)
        except Exception:
            log.exception("e-mail notifications failed for %s", [event.name for event in events])
            return
        for outgoing in emails:
            try:
                await asyncio.to_thread(self.courier.deliver, outgoing)
            except Exception:
                log.exception("e-mail notification %r could not be sent", outgoing.email.subject)
