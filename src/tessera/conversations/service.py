"""Conversation use cases (§5.4): create (with routing), read, present."""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from tessera.auth.principal import Member, Role
from tessera.conversations import repository
from tessera.conversations.models import ABANDONED, ASSIGNED, UNASSIGNED
from tessera.conversations.schemas import RequestCreate, RequestOut
from tessera.core.db import Record, Tx
from tessera.core.errors import InvalidInput, NotFound, PermissionDenied
from tessera.core.ids import is_object_id, new_uuid
from tessera.departments.schemas import DepartmentOut
from tessera.leads import repository as leads
from tessera.leads.models import LEAD_NORMAL
from tessera.leads.schemas import LeadOut
from tessera.project_users import repository as memberships
from tessera.project_users.schemas import ProjectUserOut
from tessera.routing.service import BOT_PREFIX, Routing, route
from tessera.users import repository as users
from tessera.users.schemas import UserOut

_NOT_FOUND = "Object not found."
_OFFLINE_CHANNELS = frozenset({"form", "email"})
_DIGITS = re.compile(r"\D")


def new_request_id(project_id: str) -> str:
    """Tiledesk's form: ``support-group-<project id>-<uuid4 without dashes>``."""
    return f"support-group-{project_id}-{new_uuid().replace('-', '')}"


def get_conversation(tx: Tx, member: Member, request_id: str) -> Record:
    conversation = repository.get(tx, member.project_id, request_id)
    if conversation is None:
        raise NotFound(_NOT_FOUND)
    return conversation


def read_conversation(tx: Tx, member: Member, request_id: str) -> dict[str, Any]:
    return present(tx, member.project, get_conversation(tx, member, request_id))


def create_conversation(tx: Tx, member: Member, body: RequestCreate) -> Record:
    """A conversation routed per §5.8 (explicit ``participants`` skip routing), with its lead
    and snapshot; an existing ``request_id`` answers that conversation unchanged."""
    request_id = body.request_id or new_request_id(member.project_id)
    existing = repository.get(tx, member.project_id, request_id)
    if existing is not None:
        return existing
    requester = _requester(tx, member, body.sender)
    ticket = repository.next_ticket(tx, member.project_id)  # also the routing lock
    lead = _lead_for(tx, member, requester, body)
    routing = route(tx, member.project, body.departmentid)
    participants = body.participants if body.participants is not None else _operators(routing)
    row = _new_row(member, body, request_id, ticket, requester, lead, routing, participants, tx.now)
    created = repository.add(tx, row)
    if created is None:  # created concurrently under the same request_id
        return get_conversation(tx, member, request_id)
    candidates = [agent.user_id for agent in routing.agents]
    repository.set_agents(tx, member.project_id, created.id, participants, candidates)
    recount_assigned(
        tx, member.project_id, [p for p in participants if not p.startswith(BOT_PREFIX)]
    )
    payload = present(tx, member.project, created)
    tx.emit("request.create", member.project_id, payload)
    if participants:
        tx.emit("request.assigned", member.project_id, payload)
    return created


def _requester(tx: Tx, member: Member, sender: str | None) -> Record | None:
    """The membership the conversation is requested by: ``sender``'s when one is named (only
    agents, bots and subscriptions may speak for someone else), else the caller's."""
    if sender and sender != member.caller.id:
        if not (member.role is None or member.has_role(Role.AGENT)):
            raise PermissionDenied("Only agents, bots and subscriptions may set sender")
        key = "user_id" if is_object_id(sender) else "uuid_user"
        found = memberships.find_active(tx, member.project_id, key, sender)
        if found is None:
            raise PermissionDenied(f"Unauthorized. Project_user not found with user id  : {sender}")
        return found
    if member.membership is None:
        raise InvalidInput.field("sender", "bots and subscriptions must name the sender")
    return memberships.get(tx, member.project_id, member.membership["id"])


def _lead_for(tx: Tx, member: Member, requester: Record | None, body: RequestCreate) -> Record:
    """Upsert the lead whose ``lead_id`` is the requester's id (§5.6): a different e-mail
    overwrites name and e-mail."""
    lead_id = _person_id(requester, member)
    profile = member.caller.profile if requester is None or _is_caller(requester, member) else {}
    fullname = body.senderFullname or _fullname(profile) or None
    email = body.email or profile.get("email") or None
    email = email.lower() if isinstance(email, str) else None
    existing = leads.find_by_lead_id(tx, member.project_id, lead_id)
    if existing is None:
        return leads.add(
            tx,
            {
                "project_id": member.project_id,
                "lead_id": lead_id,
                "fullname": fullname,
                "email": email,
                "phone": _DIGITS.sub("", str(profile.get("phone") or "")) or None,
                "status": LEAD_NORMAL,
                "created_by": "system",
            },
        )
    if email and email != existing.email:
        updated = leads.update_fields(
            tx,
            member.project_id,
            existing.id,
            {"email": email, "fullname": fullname or existing.fullname},
        )
        assert updated is not None
        return updated
    return existing


def _person_id(requester: Record | None, member: Member) -> str:
    if requester is not None:
        return str(requester.user_id or requester.uuid_user)
    return member.caller.id


def _is_caller(requester: Record, member: Member) -> bool:
    return member.caller.id in (requester.user_id, requester.uuid_user)


def _fullname(profile: Mapping[str, Any]) -> str:
    return f"{profile.get('firstname') or ''} {profile.get('lastname') or ''}".strip()


def _operators(routing: Routing) -> list[str]:
    return [routing.operator] if routing.operator else []


def _new_row(
    member: Member,
    body: RequestCreate,
    request_id: str,
    ticket: int,
    requester: Record | None,
    lead: Record,
    routing: Routing,
    participants: list[str],
    now: int,
) -> dict[str, Any]:
    bots = [p.removeprefix(BOT_PREFIX) for p in participants if p.startswith(BOT_PREFIX)]
    agents = [p for p in participants if not p.startswith(BOT_PREFIX)]
    channel = body.channel or {"name": "chat21"}
    status = body.request_status or (
        ASSIGNED if participants else ABANDONED if routing.fully_abandoned else UNASSIGNED
    )
    contact = {key: value for key, value in (("phone", lead.phone), ("email", lead.email)) if value}
    return {
        "request_id": request_id,
        "project_id": member.project_id,
        "ticket_id": ticket,
        "requester_id": requester.id if requester is not None else None,
        "lead_id": lead.id,
        "subject": body.subject,
        "first_text": body.first_text,
        "status": status,
        "preflight": bool(body.preflight),
        "has_bot": bool(bots),
        "participants": participants,
        "participants_agents": agents,
        "participants_bots": bots,
        "followers": body.followers or [],
        "priority": body.priority or "medium",
        "department_id": routing.department.id,
        "assigned_at": now if participants else None,
        "tags": [],
        "notes": [],
        "snapshot": _snapshot(routing, requester, lead),
        "source_page": body.sourcePage,
        "language": body.language,
        "user_agent": body.userAgent,
        "channel": channel,
        "channel_outbound": {"name": "chat21"},
        "attributes": body.attributes,
        "location": body.location,
        "contact": contact or None,
        "smart_assignment": channel.get("name") not in _OFFLINE_CHANNELS,
        "draft": True if body.sourcePage and "td_draft=true" in body.sourcePage else None,
        "created_by": member.caller.id,
    }


def _snapshot(routing: Routing, requester: Record | None, lead: Record) -> dict[str, Any]:
    return {
        "department": DepartmentOut.of(routing.department).wire(),
        "requester": ProjectUserOut.of(requester).wire() if requester is not None else None,
        "lead": LeadOut.of(lead).wire(),
        "availableAgentsCount": len(routing.available),
        "agents": [{"id_user": agent.user_id} for agent in routing.agents],
    }


def recount_assigned(tx: Tx, project_id: str, user_ids: Iterable[str]) -> None:
    """``number_assigned_requests`` = open conversations the agent takes part in (§8.2).
    Call it with every human whose participation changed (joined, left, closed)."""
    for user_id in dict.fromkeys(user_ids):
        if user_id.startswith(BOT_PREFIX):
            continue
        membership = memberships.find_active(tx, project_id, "user_id", user_id)
        if membership is None:
            continue
        count = repository.open_conversations_of(tx, project_id, user_id)
        memberships.update_fields(
            tx, project_id, membership.id, {"number_assigned_requests": count}
        )


def present(tx: Tx, project: Mapping[str, Any], row: Record) -> dict[str, Any]:
    """The conversation as the API shows it: lead, department, requester (with its user) and
    participating agents populated, ``snapshot`` without ``agents``."""
    project_id = project["id"]
    lead = leads.get(tx, project_id, row.lead_id) if row.lead_id else None
    department = repository.departments_by_id(tx, project_id, [row.department_id]).get(
        row.department_id
    )
    requester = repository.memberships_by_id(tx, project_id, [row.requester_id]).get(
        row.requester_id
    )
    people = users.get_many(
        tx,
        [
            *row.participants_agents,
            *([requester.user_id] if requester and requester.user_id else []),
        ],
    )
    data = dict(row)
    data["lead_id"] = LeadOut.of(lead).wire() if lead else row.lead_id
    data["department_id"] = DepartmentOut.of(department).wire() if department else row.department_id
    if requester is not None:
        account = people.get(requester.user_id) if requester.user_id else None
        data["requester_id"] = ProjectUserOut.of(
            requester, user_id=UserOut.of(account).wire() if account else requester.user_id
        ).wire()
    data["participating_agents"] = [
        UserOut.of(people[user_id]).wire()
        for user_id in row.participants_agents
        if user_id in people
    ]
    data["snapshot"] = {k: v for k, v in (row.snapshot or {}).items() if k != "agents"}
    data["lead_pk"] = row.lead_id
    return RequestOut.model_validate(data).wire()


def present_saved(row: Record) -> dict[str, Any]:
    """Right after creation Tiledesk answers the saved document: ids, not populated, with
    ``snapshot.agents`` (mongoose's ``save()`` result)."""
    return RequestOut.model_validate({**dict(row), "lead_pk": row.lead_id}).wire()
