"""Subscription use cases (§5.15), the outbox written with every write (§7.1), and the
dispatcher's bookkeeping: claiming due deliveries and recording each attempt."""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.auth.principal import Member
from tessera.auth.service import register_audience
from tessera.core import targets
from tessera.core.db import CommitHook, Record, Tx
from tessera.core.errors import Conflict, InvalidInput, NotFound
from tessera.core.events import DomainEvent
from tessera.core.ids import new_id, new_uuid
from tessera.subscriptions import bot_webhook, catalog, delivery, repository
from tessera.subscriptions.delivery import SignedRequest
from tessera.subscriptions.models import DELIVERED, FAILED, PENDING
from tessera.subscriptions.schemas import (
    HISTORY_PAGE_SIZE,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionUpdate,
)

# Tokens addressed to ``/subscriptions/<id>`` are verified with that subscription's secret
# (§3.3): the token of every delivery authenticates the receiver's callbacks.
register_audience("subscriptions", repository.token_secret)

_NOT_FOUND = "Object not found."
_PRIVATE_TARGET = (
    "loopback and private addresses are not allowed as targets (WEBHOOK_ALLOW_PRIVATE_TARGETS)"
)


# ---------------------------------------------------------------- subscriptions


def list_subscriptions(tx: Tx, member: Member) -> list[Record]:
    return repository.list_all(tx, member.project_id)


def get_subscription(tx: Tx, member: Member, subscription_id: str) -> Record:
    """The project's subscription; one of another project is not found (Tessera scopes
    by-id reads to the URL's project, §12.6)."""
    found = repository.get(tx, member.project_id, subscription_id)
    if found is None:
        raise NotFound(_NOT_FOUND)
    return found


def create_subscription(
    tx: Tx, member: Member, body: SubscriptionIn, *, allow_private: bool
) -> tuple[Record, bool]:
    """``(subscription, created)``. The same (event, target) again answers the existing
    subscription (§5.15), also when two requests race. Each subscription gets its own
    random secret (Tiledesk shared one per process, §12.9)."""
    _check_target(body.target, allow_private)
    existing = repository.find(tx, member.project_id, body.event, body.target)
    if existing is not None:
        return existing, False
    try:
        created = repository.add(
            tx,
            {
                "project_id": member.project_id,
                "event": body.event,
                "target": body.target,
                "secret": new_uuid(),
                "created_by": member.caller.id,
            },
        )
    except repository.Duplicate:
        raced = repository.find(tx, member.project_id, body.event, body.target)
        assert raced is not None
        return raced, False
    tx.emit("subscription.create", member.project_id, SubscriptionOut.of(created).wire())
    return created, True


def update_subscription(
    tx: Tx, member: Member, subscription_id: str, body: SubscriptionUpdate, *, allow_private: bool
) -> Record:
    """Tessera answers 404 where Tiledesk upserts, and 409 where its unique index makes the
    update a 500."""
    values = body.columns()
    if "target" in values:
        _check_target(values["target"], allow_private)
    try:
        updated = repository.update_fields(tx, member.project_id, subscription_id, values)
    except repository.Duplicate:
        raise Conflict("A subscription for this event and target already exists.") from None
    if updated is None:
        raise NotFound(_NOT_FOUND)
    tx.emit("subscription.update", member.project_id, SubscriptionOut.of(updated).wire())
    return updated


def delete_subscription(tx: Tx, member: Member, subscription_id: str) -> Record:
    """Answers the deleted subscription. Deliveries still waiting for it end as failed;
    its log stays in the project's history."""
    removed = repository.remove(tx, member.project_id, subscription_id)
    if removed is None:
        raise NotFound(_NOT_FOUND)
    repository.abandon_pending(tx, member.project_id, removed.id, "subscription deleted")
    tx.emit("subscription.delete", member.project_id, SubscriptionOut.of(removed).wire())
    return removed


def _check_target(target: str, allow_private: bool) -> None:
    if not allow_private and targets.names_private_host(target):
        raise InvalidInput.field("target", _PRIVATE_TARGET, value=target)


def history(tx: Tx, member: Member, page: int) -> list[Record]:
    """Every attempt of the project, newest first, 40 per page (§5.15)."""
    return repository.attempts(
        tx,
        member.project_id,
        subscription_id=None,
        offset=page * HISTORY_PAGE_SIZE,
        limit=HISTORY_PAGE_SIZE,
    )


def subscription_logs(tx: Tx, member: Member, subscription_id: str, page: int) -> list[Record]:
    """The attempts of one subscription, newest first, 40 per page."""
    subscription = get_subscription(tx, member, subscription_id)
    return repository.attempts(
        tx,
        member.project_id,
        subscription_id=subscription.id,
        offset=page * HISTORY_PAGE_SIZE,
        limit=HISTORY_PAGE_SIZE,
    )


# ---------------------------------------------------------------- the outbox


def outbox_hook(on_queued: Callable[[], object]) -> CommitHook:
    """The commit hook to register on the database: writes the deliveries of each write and
    calls ``on_queued`` after a commit that queued some (the dispatcher's ``wake``)."""

    def hook(tx: Tx, events: Sequence[DomainEvent]) -> None:
        if record_deliveries(tx, events):
            tx.after_commit(on_queued)

    return hook


def record_deliveries(tx: Tx, events: Sequence[DomainEvent]) -> int:
    """The commit hook: one outbox row per (subscription, event) of this write, and one per
    message a bot must receive (§7.3), inside its transaction, so a delivery exists exactly
    when the data it reports was committed.

    Cheap when nothing listens: events outside the catalogue cost a set lookup, a project
    without subscriptions one indexed probe, and a message in a conversation without bot
    nothing more. Returns how many rows were written.
    """
    by_project: dict[str, list[DomainEvent]] = defaultdict(list)
    for event in events:
        if event.project_id and catalog.is_deliverable(event.name):
            by_project[event.project_id].append(event)
    written = 0
    for project_id, project_events in by_project.items():
        if repository.has_subscriptions(tx, project_id):
            written += _record_for_project(tx, project_id, project_events)
        written += _record_for_bots(tx, project_id, project_events)
    return written


def _record_for_project(tx: Tx, project_id: str, events: list[DomainEvent]) -> int:
    named = [(name, event) for event in events for name in catalog.webhook_names(event)]
    listeners: dict[str, list[Record]] = defaultdict(list)
    for subscription in repository.listening(tx, project_id, {name for name, _ in named}):
        listeners[subscription.event].append(subscription)
    rows = [
        _pending(tx, project_id, name, event.payload, subscription_id=subscription.id)
        for name, event in named
        for subscription in listeners[name]
    ]
    if rows:
        repository.add_deliveries(tx, rows)
    return len(rows)


def _record_for_bots(tx: Tx, project_id: str, events: list[DomainEvent]) -> int:
    """The external bot webhook (§7.3): each new message for a bot of the project that is
    posted to goes to it through the outbox, with the subscriptions' guarantees."""
    rows = []
    for event in events:
        bot_id = bot_webhook.addressee(event.payload) if event.name == "message.create" else None
        bot = repository.bot(tx, project_id, bot_id) if bot_id else None
        if bot is not None and bot_webhook.is_posted_to(bot):
            message = bot_webhook.payload(event.payload)
            rows.append(_pending(tx, project_id, event.name, message, bot_id=bot.id))
    if rows:
        repository.add_deliveries(tx, rows)
    return len(rows)


def _pending(
    tx: Tx,
    project_id: str,
    event: str,
    payload: dict[str, Any],
    *,
    subscription_id: str | None = None,
    bot_id: str | None = None,
) -> dict[str, Any]:
    """A delivery due now, to a subscription or to a bot."""
    return {
        "id": new_id(),
        "subscription_id": subscription_id,
        "bot_id": bot_id,
        "project_id": project_id,
        "event": event,
        "payload": payload,
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": tx.now,
        "created_at": tx.now,
        "updated_at": tx.now,
    }


# ---------------------------------------------------------------- dispatching


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed delivery, where it goes (the subscription, or the bot of §7.3, as it is
    now), and the claim that holds it."""

    delivery: Record
    recipient: Record
    claim: str

    @property
    def attempt(self) -> int:
        number: int = self.delivery.attempts + 1
        return number

    @property
    def to_bot(self) -> bool:
        return self.delivery.bot_id is not None

    @property
    def target(self) -> str:
        """The URL the POST goes to."""
        if self.to_bot:
            return bot_webhook.url(self.recipient, self.delivery.payload)
        return str(self.recipient.target)

    def signed_request(self, *, now_ms: int, origin: str) -> SignedRequest:
        """The body and headers of this attempt, by kind of recipient."""
        sign = bot_webhook.signed_request if self.to_bot else delivery.signed_request
        return sign(
            self.delivery.id,
            self.delivery.created_at,
            self.delivery.payload,
            self.recipient,
            now_ms=now_ms,
            origin=origin,
        )


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one POST gave: a status code (and the start of the answer) or an error."""

    target: str
    duration_ms: int
    status_code: int | None = None
    response_body: str | None = None
    error: str | None = None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and delivery.is_success(self.status_code)


def anything_due(tx: Tx, now: int) -> bool:
    """A ``Database.lookup``: is any delivery due at ``now``?"""
    return repository.any_due(tx, now)


def claim_deliveries(tx: Tx, *, claim: str, now: int, lease_until: int, limit: int) -> list[Job]:
    """Take the deliveries due at ``now``. One whose subscription or bot was deleted
    meanwhile, or whose bot is no longer posted to, ends as failed instead of being sent."""
    rows = repository.claim_due(tx, now=now, lease_until=lease_until, claim=claim, limit=limit)
    subscriptions = repository.subscriptions_by_id(
        tx, {row.subscription_id for row in rows if row.subscription_id is not None}
    )
    bots = repository.bots_by_id(tx, {row.bot_id for row in rows if row.bot_id is not None})
    jobs = []
    for row in rows:
        recipient, missing = _recipient(row, subscriptions, bots)
        if recipient is None:
            repository.finish(tx, row.id, claim, {"status": FAILED, "last_error": missing})
        else:
            jobs.append(Job(row, recipient, claim))
    return jobs


def _recipient(
    row: Record, subscriptions: dict[str, Record], bots: dict[str, Record]
) -> tuple[Record | None, str]:
    """Where a claimed delivery goes, or None and why it cannot go anywhere."""
    if row.bot_id is None:
        return subscriptions.get(row.subscription_id), "subscription deleted"
    bot = bots.get(row.bot_id)
    if bot is None:
        return None, "bot deleted"
    if not bot_webhook.is_posted_to(bot):
        return None, "the bot is no longer posted to (internal, or without url)"
    return bot, ""


def record_attempt(tx: Tx, job: Job, outcome: Outcome, *, now: int) -> str | None:
    """Log the attempt, then settle the delivery: delivered on 2xx, else due again after
    the back-off, or failed once the retry window has passed. Returns the new status, or
    None when the claim had expired and another dispatcher took the delivery over (the
    attempt is logged all the same: it was made)."""
    _add_attempt(tx, job.delivery, job.attempt, outcome)
    values: dict[str, Any] = {"attempts": job.attempt, "last_error": _failure(outcome)}
    if outcome.delivered:
        values["status"] = DELIVERED
    elif delivery.gives_up(job.delivery.created_at, now):
        values["status"] = FAILED
    else:
        values["status"] = PENDING
        values["next_attempt_at"] = now + delivery.retry_delay_ms(job.attempt)
    if not repository.finish(tx, job.delivery.id, job.claim, values):
        return None
    return str(values["status"])


def _failure(outcome: Outcome) -> str | None:
    if outcome.delivered:
        return None
    return outcome.error or f"HTTP {outcome.status_code}"


def log_synchronous_call(
    tx: Tx,
    delivery_id: str,
    subscription: Record,
    event: str,
    payload: dict[str, Any],
    outcome: Outcome,
) -> None:
    """A call made and answered on the spot (``operator.select``): a settled delivery with
    its one attempt, so it shows in the project's log; never retried."""
    row = {
        **_pending(tx, subscription.project_id, event, payload, subscription_id=subscription.id),
        "id": delivery_id,
        "status": DELIVERED if outcome.delivered else FAILED,
        "attempts": 1,
        "last_error": _failure(outcome),
    }
    repository.add_deliveries(tx, [row])
    _add_attempt(tx, row, 1, outcome)


def _add_attempt(tx: Tx, row: Mapping[str, Any], attempt: int, outcome: Outcome) -> None:
    """Log an attempt of the delivery ``row``, under its recipient."""
    repository.add_attempt(
        tx,
        {
            "delivery_id": row["id"],
            "subscription_id": row["subscription_id"],
            "bot_id": row["bot_id"],
            "project_id": row["project_id"],
            "event": row["event"],
            "target": outcome.target,
            "attempt": attempt,
            "status_code": outcome.status_code,
            "error": outcome.error,
            "duration_ms": outcome.duration_ms,
            "response_body": outcome.response_body,
        },
    )
