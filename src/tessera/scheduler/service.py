"""The schedulers' units of work (§8.3)."""

from tessera.activities import service as activities
from tessera.auth.principal import Caller, CallerKind, Member
from tessera.conversations import lifecycle
from tessera.core.db import Record, Tx
from tessera.custom_events import service as custom_events
from tessera.projects import repository as projects
from tessera.scheduler import repository
from tessera.scheduler.rules import CloseRule

SYSTEM = "system"


def unresponsive_conversations(tx: Tx, rule: CloseRule, cutoff: int) -> list[Record]:
    return repository.candidates(tx, rule, cutoff)


def close_if_unresponsive(
    tx: Tx, rule: CloseRule, cutoff: int, project_id: str, request_id: str
) -> bool:
    """Close the conversation exactly as ``PUT /close`` does (transcript, counters, the
    "Chat closed" message, ``request.close``), by ``system``, if it still matches ``rule``
    once locked. False when it no longer does: several schedulers may pick the same
    conversation, and only the first to lock it closes it."""
    if not repository.still_unresponsive(tx, rule, cutoff, project_id, request_id):
        return False
    project = projects.get(tx, project_id)
    assert project is not None  # the locked conversation's project (a foreign key)
    lifecycle.close_conversation(tx, _system_in(project), request_id, force=False)
    return True


def _system_in(project: Record) -> Member:
    """The scheduler as a member of ``project``: like a subscription, it acts without a
    membership (so no participant check applies) and under its own name, ``system``
    (``closed_by``; Tiledesk's activity log shows it as the system)."""
    caller = Caller(CallerKind.SUBSCRIPTION, SYSTEM, {"_id": SYSTEM}, project.id)
    return Member(caller, project, None, None, None)


def purge_expired(tx: Tx, now: int, *, activity_days: int) -> tuple[int, int]:
    """Delete the expired events and activities of every project; how many of each."""
    return (
        custom_events.purge_expired(tx, now),
        activities.purge_expired(tx, now, days=activity_days),
    )
