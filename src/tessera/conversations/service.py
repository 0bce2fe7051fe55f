"""Conversation use cases (§5.4): create (with routing), read, present."""

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tessera.auth.principal import Member, Role
from tessera.bots import repository as bots
from tessera.bots.schemas import BotOut
from tessera.conversations import repository
from tessera.conversations.assignment_events import AUTO, assigned_events, assignment_by
from tessera.conversations.models import ABANDONED, ASSIGNED, TEMP, UNASSIGNED
from tessera.conversations.schemas import RequestCreate, RequestOut, unpopulated
from tessera.core.db import Record, Tx
from tessera.core.errors import InvalidInput, NotFound, PermissionDenied
from tessera.core.ids import is_object_id, new_uuid
from tessera.core.schemas import JsonObject
from tessera.departments.schemas import DepartmentOut
from tessera.leads import repository as leads
from tessera.leads.models import LEAD_NORMAL
from tessera.leads.schemas import LeadOut
from tessera.project_users import repository as memberships
from tessera.project_users import service as membership_service
from tessera.project_users.schemas import ProjectUserOut
from tessera.projects import repository as projects
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
    # Under the routing lock a concurrent creation of the same request_id has committed (or
    # not begun): found now, it is answered, and this attempt draws no ticket.
    repository.lock_routing(tx, member.project_id)
    existing = repository.get(tx, member.project_id, request_id)
    if existing is not None:
        return existing
    requester = _requester(tx, member, body.sender)
    ticket = repository.next_ticket(tx, member.project_id)
    lead = _lead_for(tx, member, requester, body)
    routing = route(tx, member.project, body.departmentid)
    participants = (
        body.participants
        if body.participants is not None
        else []
        if body.request_status == TEMP  # hidden until the visitor writes (§5.4.4)
        else _operators(routing)
    )
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
    assignment = assignment_by(member, AUTO)
    for event in assigned_events(payload, assignment, participants, []):
        tx.emit("request.assigned", member.project_id, event)
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
    Call it with every human whose participation changed (joined, left, closed); a count
    that changed is announced with ``project_user.update`` (dashboards show it live)."""
    project: Record | None = None
    for user_id in dict.fromkeys(user_ids):
        if user_id.startswith(BOT_PREFIX):
            continue
        membership = memberships.find_active(tx, project_id, "user_id", user_id)
        if membership is None:
            continue
        count = repository.open_conversations_of(tx, project_id, user_id)
        if count == membership.number_assigned_requests:
            continue
        updated = memberships.update_fields(
            tx, project_id, membership.id, {"number_assigned_requests": count}
        )
        project = project or projects.get_active(tx, project_id)
        if updated is not None and project is not None:
            payload = membership_service.event_payload(
                tx, updated, project, "firstname", "lastname"
            )
            tx.emit("project_user.update", project_id, payload)


def present(tx: Tx, project: Mapping[str, Any], row: Record) -> dict[str, Any]:
    """The conversation as the API shows it (see ``present_many``)."""
    return present_many(tx, project, [row])[0]


def present_many(
    tx: Tx, project: Mapping[str, Any], rows: Sequence[Record], populate: bool = True
) -> list[dict[str, Any]]:
    """Conversations as the API shows them: lead, department, requester (with its user),
    participating agents and bots populated, ``snapshot`` without ``agents``. The related
    documents are loaded in one statement per kind, however many ``rows`` there are.
    Without ``populate`` (``no_populate=true``) the references stay ids and neither
    ``participatingAgents`` nor ``participatingBots`` is present, as in Tiledesk."""
    if not populate:
        return [unpopulated(row) for row in rows]
    related = _Related.load(tx, project["id"], rows)
    return [related.populated(row) for row in rows]


@dataclass(frozen=True, slots=True)
class _Related:
    """The documents a page of conversations refers to, by id."""

    leads: dict[str, Record]
    departments: dict[str, Record]
    requesters: dict[str, Record]
    users: dict[str, Record]
    bots: dict[str, Record]

    @classmethod
    def load(cls, tx: Tx, project_id: str, rows: Sequence[Record]) -> "_Related":
        requesters = repository.memberships_by_id(tx, project_id, [r.requester_id for r in rows])
        user_ids = [user_id for row in rows for user_id in row.participants_agents]
        user_ids += [m.user_id for m in requesters.values() if m.user_id]
        return cls(
            leads=leads.get_many(tx, project_id, _distinct(r.lead_id for r in rows)),
            departments=repository.departments_by_id(
                tx, project_id, [r.department_id for r in rows]
            ),
            requesters=requesters,
            users=users.get_many(tx, _distinct(user_ids)),
            bots=bots.get_many(tx, project_id, [b for row in rows for b in row.participants_bots]),
        )

    wired: dict[tuple[str, str], JsonObject] = field(default_factory=dict)
    """Related documents already serialized: the agents and departments of a page repeat."""

    def populated(self, row: Record) -> dict[str, Any]:
        fields = {
            "lead_id": self._lead(row.lead_id),
            "department_id": self._department(row.department_id),
            "requester_id": self._requester(row.requester_id),
            "participating_agents": [
                self._user(user_id) for user_id in row.participants_agents if user_id in self.users
            ],
            "participating_bots": [
                self._once("bot", bot_id, _bot_wire, self.bots[bot_id])
                for bot_id in row.participants_bots
                if bot_id in self.bots
            ],
        }
        return _wire(row, fields)

    def _once(
        self, kind: str, key: str, serialize: Callable[[Record], JsonObject], document: Record
    ) -> JsonObject:
        found = self.wired.get((kind, key))
        if found is None:
            found = self.wired[(kind, key)] = serialize(document)
        return found

    def _user(self, user_id: str) -> JsonObject:
        return self._once("user", user_id, _user_wire, self.users[user_id])

    def _lead(self, lead_pk: str | None) -> JsonObject | str | None:
        lead = self.leads.get(lead_pk) if lead_pk else None
        return LeadOut.of(lead).wire() if lead is not None else lead_pk

    def _department(self, department_id: str | None) -> JsonObject | str | None:
        department = self.departments.get(department_id) if department_id else None
        if department is None:
            return department_id
        return self._once("department", department.id, _department_wire, department)

    def _requester(self, membership_id: str | None) -> JsonObject | str | None:
        """The requester's membership, with its user document as ``id_user``."""
        requester = self.requesters.get(membership_id) if membership_id else None
        if requester is None:
            return membership_id
        account = self.users.get(requester.user_id) if requester.user_id else None
        user = self._user(account.id) if account is not None else requester.user_id
        return ProjectUserOut.of(requester, user_id=user).wire()


def _department_wire(department: Record) -> JsonObject:
    return DepartmentOut.of(department).wire()


def _user_wire(user: Record) -> JsonObject:
    return UserOut.of(user).wire()


def _bot_wire(bot: Record) -> JsonObject:
    return BotOut.of(bot).wire()


def _distinct(values: Iterable[str | None]) -> list[str]:
    return [value for value in dict.fromkeys(values) if value]


def _wire(row: Record, fields: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` with ``fields`` replaced, ``snapshot`` without ``agents`` (hidden by Tiledesk)."""
    snapshot = {k: v for k, v in (row.snapshot or {}).items() if k != "agents"}
    data = {**dict(row), "snapshot": snapshot, "lead_pk": row.lead_id, **fields}
    return RequestOut.model_validate(data).wire()


def present_saved(row: Record) -> dict[str, Any]:
    """Right after creation Tiledesk answers the saved document: ids, not populated, with
    ``snapshot.agents`` (mongoose's ``save()`` result)."""
    return RequestOut.model_validate({**dict(row), "lead_pk": row.lead_id}).wire()
