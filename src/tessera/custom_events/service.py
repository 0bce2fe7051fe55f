"""Custom event use cases (§5.17): emit, list, read, and what realtime and the scheduler
need (recent events of a membership, the purge of expired ones)."""

from typing import Any

from tessera.auth.principal import Member, Role
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound
from tessera.core.ids import is_object_id
from tessera.core.pagination import PageParams
from tessera.custom_events import repository
from tessera.custom_events.models import STANDARD
from tessera.custom_events.schemas import EventCreate, EventOut
from tessera.project_users import service as membership_service
from tessera.users import repository as users
from tessera.users.schemas import UserOut

_NOT_FOUND = "Object not found."


def emit_event(tx: Tx, member: Member, body: EventCreate, *, ttl_seconds: int) -> Record:
    """Store the event and announce it as ``event.emit`` and ``event.emit.<name>`` (webhooks,
    realtime). Bots and subscriptions have no membership: their events have no
    ``project_user`` (and are not pushed on any membership's topic)."""
    membership = member.membership
    row = repository.add(
        tx,
        {
            "project_id": member.project_id,
            "name": body.name,
            "attributes": body.attributes,
            "project_user_id": membership["id"] if membership is not None else None,
            "status": STANDARD,
            "created_by": member.caller.id,
            "expires_at": tx.now + ttl_seconds * 1000,
        },
    )
    payload = populated(tx, member, row)
    tx.emit("event.emit", member.project_id, payload)
    tx.emit(f"event.emit.{row.name}", member.project_id, payload)
    return row


def populated(tx: Tx, member: Member, row: Record) -> dict[str, Any]:
    """The ``event.emit`` payload (§5.15): the event with ``project_user`` populated (its
    ``id_user`` too), the caller as ``user`` (Tiledesk's ``req.user``) and an ``id``."""
    document = EventOut.of(row).wire()
    membership = member.membership
    if membership is not None:
        user_id = membership["user_id"]  # none for guests and end users
        account = users.get_many(tx, [user_id]).get(user_id) if user_id else None
        person = UserOut.of(account) if account is not None else None
        document["project_user"] = membership_service.present(
            membership, member.project, user=person, busy=False
        ).wire()
    document["user"] = dict(member.caller.profile)
    document["id"] = row.id
    return document


def list_events(
    tx: Tx,
    member: Member,
    *,
    page: PageParams,
    project_user: str | None,
    sort: str | None,
    direction: int,
) -> tuple[list[Record], int]:
    return repository.search(
        tx,
        member.project_id,
        project_user_id=project_user or None,
        page=page,
        sort=sort,
        direction=direction,
    )


def get_event(tx: Tx, member: Member, event_id: str) -> Record:
    """One live event of the URL's project (Tiledesk reads any project's, and answers 500
    for a malformed id)."""
    row = repository.get(tx, member.project_id, event_id) if is_object_id(event_id) else None
    if row is None:
        raise NotFound(_NOT_FOUND)
    return row


def recent_of_membership(
    tx: Tx, member: Member, membership_id: str, name: str | None, limit: int
) -> list[dict[str, Any]] | None:
    """The realtime snapshot of ``/<pid>/events/<membership id>[/<name>]`` (§6.4): the
    ``limit`` newest events, newest first. None when ``member`` may not watch them: agents
    and above watch anyone's (they may list all events), others only their own."""
    own = member.membership is not None and member.membership["id"] == membership_id
    if not own and not member.has_role(Role.AGENT):
        return None
    rows = repository.latest_of_membership(tx, member.project_id, membership_id, name, limit)
    return [EventOut.of(row).wire() for row in rows]


def purge_expired(tx: Tx, now: int) -> int:
    """Delete the events expired at ``now`` (the scheduler runs it); how many went."""
    return repository.purge(tx, now)
