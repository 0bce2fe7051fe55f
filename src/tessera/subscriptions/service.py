"""Subscription use cases (§5.15), the outbox written with every write (§7.1), and the
dispatcher's bookkeeping: claiming due deliveries and recording each attempt."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.auth.principal import Member
from tessera.auth.service import register_audience
from tessera.core.db import CommitHook, Record, Tx
from tessera.core.errors import Conflict, InvalidInput, NotFound
from tessera.core.events import DomainEvent
from tessera.core.ids import new_id, new_uuid
from tessera.subscriptions import catalog, delivery, repository, targets
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
    """The commit hook: one outbox row per (subscription, event) of this write, inside its
    transaction, so a delivery exists exactly when the data it reports was committed.

    Cheap when nothing listens: events outside the catalogue cost a set lookup, and a
    project without subscriptions one indexed probe. Returns how many rows were written.
    """
    by_project: dict[str, list[DomainEvent]] = defaultdict(list)
    for event in events:
        if event.project_id and catalog.is_deliverable(event.name):
            by_project[event.project_id].append(event)
    written = 0
    for project_id, project_events in by_project.items():
        if repository.has_subscriptions(tx, project_id):
            written += _record_for_project(tx, project_id, project_events)
    return written


def _record_for_project(tx: Tx, project_id: str, events: list[DomainEvent]) -> int:
    named = [(name, event) for event in events for name in catalog.webhook_names(event)]
    listeners: dict[str, list[Record]] = defaultdict(list)
    for subscription in repository.listening(tx, project_id, {name for name, _ in named}):
        listeners[subscription.event].append(subscription)
    rows = [
        {
            "id": new_id(),
            "subscription_id": subscription.id,
            "project_id": project_id,
            "event": name,
            "payload": event.payload,
            "status": PENDING,
            "attempts": 0,
            "next_attempt_at": tx.now,
            "created_at": tx.now,
            "updated_at": tx.now,
        }
        for name, event in named
        for subscription in listeners[name]
    ]
    if rows:
        repository.add_deliveries(tx, rows)
    return len(rows)


# ---------------------------------------------------------------- dispatching


@dataclass(frozen=True, slots=True)
class Job:
    """A claimed delivery, the subscription it goes to, and the claim that holds it."""

    delivery: Record
    subscription: Record
    claim: str

    @property
    def attempt(self) -> int:
        number: int = self.delivery.attempts + 1
        return number


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
    """Take the deliveries due at ``now``. One whose subscription was deleted meanwhile
    ends as failed instead of being sent."""
    rows = repository.claim_due(tx, now=now, lease_until=lease_until, claim=claim, limit=limit)
    found = repository.subscriptions_by_id(tx, {row.subscription_id for row in rows})
    jobs = []
    for row in rows:
        subscription = found.get(row.subscription_id)
        if subscription is None:
            repository.finish(
                tx, row.id, claim, {"status": FAILED, "last_error": "subscription deleted"}
            )
        else:
            jobs.append(Job(row, subscription, claim))
    return jobs


def record_attempt(tx: Tx, job: Job, outcome: Outcome, *, now: int) -> str | None:
    """Log the attempt, then settle the delivery: delivered on 2xx, else due again after
    the back-off, or failed once the retry window has passed. Returns the new status, or
    None when the claim had expired and another dispatcher took the delivery over (the
    attempt is logged all the same: it was made)."""
    _add_attempt(tx, job.delivery.id, job.subscription, job.delivery.event, job.attempt, outcome)
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
    repository.add_deliveries(
        tx,
        [
            {
                "id": delivery_id,
                "subscription_id": subscription.id,
                "project_id": subscription.project_id,
                "event": event,
                "payload": payload,
                "status": DELIVERED if outcome.delivered else FAILED,
                "attempts": 1,
                "next_attempt_at": tx.now,
                "last_error": _failure(outcome),
                "created_at": tx.now,
                "updated_at": tx.now,
            }
        ],
    )
    _add_attempt(tx, delivery_id, subscription, event, 1, outcome)


def _add_attempt(
    tx: Tx, delivery_id: str, subscription: Record, event: str, attempt: int, outcome: Outcome
) -> None:
    repository.add_attempt(
        tx,
        {
            "delivery_id": delivery_id,
            "subscription_id": subscription.id,
            "project_id": subscription.project_id,
            "event": event,
            "target": outcome.target,
            "attempt": attempt,
            "status_code": outcome.status_code,
            "error": outcome.error,
            "duration_ms": outcome.duration_ms,
            "response_body": outcome.response_body,
        },
    )
