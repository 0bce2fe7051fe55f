"""Domain events -> activities (§5.18, §8.1): Tiledesk's activity archiver, restated.

The recorder runs inside the transaction of the change (``Database.add_commit_hook``), so
an activity exists exactly when its change was committed. It only sees the events, whose
payloads are the resources' wire JSON; who acted (the ``actor``) is therefore read from the
payload where it says so:

* ``request.assigned`` and ``request.participants.leave`` carry an ``actor``;
* ``request.close``: ``closed_by`` (``system`` for the schedulers);
* ``request.create``: the requester's lead, as Tiledesk records it;
* ``project_user.invite``, ``project_user.invite.pending``, ``faqbot.create``: ``createdBy``.

``project_user.update``, ``project_user.delete`` and ``faqbot.delete`` say nothing of who
acted: they are recorded with the system actor. A ``project_user.update`` is recorded only
when it comes from the membership routes, not from the assigned-chats recount (§8.2) that
accompanies every conversation change: a write that also emitted ``request.*`` events is a
conversation change.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.activities import verbs
from tessera.core.db import Tx
from tessera.core.events import DomainEvent
from tessera.core.ids import is_object_id
from tessera.core.schemas import JsonObject
from tessera.users import repository as users

SYSTEM_ACTOR: JsonObject = {"type": "system", "id": "system", "name": "System"}
_BOT_PREFIX = "bot_"
_PREFLIGHT_ENDED = "FIRSTTEXT_PREFLIGHT_CHANGE"


@dataclass(frozen=True, slots=True)
class Draft:
    """An activity before it is stored."""

    project_id: str
    verb: str
    actor: JsonObject
    target: JsonObject
    action: JsonObject | None = None
    related: JsonObject | None = None

    def involved_user_ids(self) -> list[str]:
        """Who the ``agent_id`` filter finds the activity for: a user actor, the target's
        user, the related user, and the human participants of a target conversation."""
        found: list[str] = []
        if self.actor.get("type") == "user" and self.actor.get("id"):
            found.append(str(self.actor["id"]))
        for entity in (self.target, self.related):
            user_id = _entity_user(entity)
            if user_id:
                found.append(user_id)
        found += _request_agents(self.target)
        return list(dict.fromkeys(found))


class People:
    """Display names of users, read once per unit of work."""

    def __init__(self, tx: Tx) -> None:
        self.tx = tx
        self._names: dict[str, str | None] = {}

    def name(self, user_id: str) -> str | None:
        if user_id not in self._names:
            user = (
                users.get_many(self.tx, [user_id]).get(user_id) if is_object_id(user_id) else None
            )
            fullname = f"{user.firstname or ''} {user.lastname or ''}".strip() if user else ""
            self._names[user_id] = fullname or None
        return self._names[user_id]

    def actor(self, user_id: object) -> JsonObject:
        """A user actor named after the account (its id when there is no such account);
        the system when nobody is named."""
        if not isinstance(user_id, str) or not user_id or user_id == "system":
            return SYSTEM_ACTOR
        return {"type": "user", "id": user_id, "name": self.name(user_id) or user_id}


Builder = Callable[[People, str, JsonObject], Draft | None]


def drafts(tx: Tx, events: Sequence[DomainEvent]) -> list[Draft]:
    """The activities a unit of work's events describe, in order."""
    people = People(tx)
    conversation_change = any(event.name.startswith("request.") for event in events)
    found: list[Draft] = []
    for event in events:
        builder = _BUILDERS.get(event.name)
        if builder is None or event.project_id is None:
            continue
        if event.name == "project_user.update" and conversation_change:
            continue
        draft = builder(people, event.project_id, event.payload)
        if draft is not None:
            found.append(draft)
    return found


# ------------------------------------------------------------------ conversations


def _request_created(people: People, project_id: str, request: JsonObject) -> Draft | None:
    """Not while in preflight: the conversation counts once the visitor wrote (below)."""
    if request.get("preflight"):
        return None
    return Draft(
        project_id, verbs.REQUEST_CREATE, _requester(request), _request(request), action=request
    )


def _preflight_ended(people: People, project_id: str, payload: JsonObject) -> Draft | None:
    request = payload.get("request")
    if payload.get("comment") != _PREFLIGHT_ENDED or not isinstance(request, dict):
        return None
    return _request_created(people, project_id, request)


def _request_closed(people: People, project_id: str, payload: JsonObject) -> Draft:
    """The transcript's messages of the ``request.close`` payload are left out."""
    request = {key: value for key, value in payload.items() if key != "messages"}
    actor = _closer(people, request)
    return Draft(project_id, verbs.REQUEST_CLOSE, actor, _request(request), action=request)


def _assigned(people: People, project_id: str, payload: JsonObject) -> Draft | None:
    verb = verbs.BY_ASSIGNMENT_TYPE.get(str(payload.get("assignmentType")))
    request = payload.get("request")
    if verb is None or not isinstance(request, dict):
        return None
    source = payload.get("source") or "system"
    actor = payload.get("actor")
    if source == "subscription" or not isinstance(actor, dict) or actor.get("type") == "system":
        actor = SYSTEM_ACTOR
    assignee = payload.get("assigneeId")
    assignee_type = payload.get("assigneeType") or "user"
    action = _compact(
        assigneeId=assignee,
        assigneeName=payload.get("assigneeName"),
        assigneeType=assignee_type,
        assignmentType=payload.get("assignmentType"),
        source=source,
        previousAssigneeId=payload.get("previousAssigneeId"),
        removedParticipants=payload.get("removedParticipants"),
    )
    related = (
        _compact(
            role="unassigned_user" if verb == verbs.REQUEST_UNASSIGNED else "assignee",
            type=assignee_type,
            id=str(assignee),
            name=payload.get("assigneeName")
            or (people.name(str(assignee)) if assignee_type == "user" else None),
        )
        if assignee
        else None
    )
    return Draft(
        project_id,
        verb,
        _named(people, actor),
        _request(request),
        action=action,
        related=related,
    )


def _left(people: People, project_id: str, payload: JsonObject) -> Draft | None:
    """Only agents leaving are tracked (``trackLeave``), not bots."""
    member = payload.get("member")
    request = payload.get("request")
    if (
        not payload.get("trackLeave")
        or not isinstance(member, str)
        or not isinstance(request, dict)
    ):
        return None
    if member.startswith(_BOT_PREFIX):
        return None
    actor = payload.get("actor")
    actor = _named(people, actor) if isinstance(actor, dict) else people.actor(member)
    action = {"member": member, "source": payload.get("source") or "api"}
    return Draft(project_id, verbs.LEAVE_CONVERSATION, actor, _request(request), action=action)


def _request(request: JsonObject) -> JsonObject:
    return {"type": "request", "id": request.get("_id"), "object": request}


def _requester(request: JsonObject) -> JsonObject:
    """Tiledesk's REQUEST_CREATE actor: a user named by the requester's lead (its ``_id``,
    the ``requester_id`` virtual, and its full name)."""
    lead = request.get("lead")
    name = lead.get("fullname") if isinstance(lead, dict) else None
    return _compact(type="user", id=request.get("requester_id"), name=name)


def _closer(people: People, request: JsonObject) -> JsonObject:
    closed_by = request.get("closed_by")
    if not isinstance(closed_by, str) or closed_by.lower() in ("", "system", "_trigger"):
        return SYSTEM_ACTOR
    for agent in request.get("participatingAgents") or []:
        if isinstance(agent, dict) and agent.get("_id") == closed_by:
            name = f"{agent.get('firstname') or ''} {agent.get('lastname') or ''}".strip()
            return {"type": "user", "id": closed_by, "name": name or closed_by}
    return people.actor(closed_by)


def _named(people: People, actor: JsonObject) -> JsonObject:
    """A user actor known only by its id gets the account's name."""
    user_id = actor.get("id")
    if actor.get("type") != "user" or not isinstance(user_id, str):
        return actor
    if actor.get("name") and actor.get("name") != user_id:
        return actor
    return {**actor, "name": people.name(user_id) or actor.get("name") or user_id}


# ------------------------------------------------------------------ memberships


def _invited(people: People, project_id: str, membership: JsonObject) -> Draft:
    user = membership.get("id_user")
    action = _compact(
        email=user.get("email") if isinstance(user, dict) else None,
        role=membership.get("role"),
        user_available=membership.get("user_available"),
        inviteType="registered",
    )
    target = {"type": "project_user", "id": membership.get("_id"), "object": membership}
    actor = people.actor(membership.get("createdBy"))
    return Draft(project_id, verbs.PROJECT_USER_INVITE, actor, target, action=action)


def _invited_pending(people: People, project_id: str, invitation: JsonObject) -> Draft:
    action = _compact(
        email=invitation.get("email"), role=invitation.get("role"), inviteType="pending"
    )
    target = {"type": "pendinginvitation", "id": invitation.get("_id"), "object": invitation}
    actor = people.actor(invitation.get("createdBy"))
    return Draft(project_id, verbs.PROJECT_USER_INVITE, actor, target, action=action)


def _membership_deleted(people: People, project_id: str, payload: JsonObject) -> Draft:
    membership = {key: value for key, value in payload.items() if key != "deleteType"}
    user = membership.get("id_user")
    action = _compact(
        deleteType=payload.get("deleteType") or "soft",
        role=membership.get("role"),
        email=user.get("email") if isinstance(user, dict) else None,
    )
    target = {"type": "project_user", "id": membership.get("_id"), "object": membership}
    return Draft(project_id, verbs.PROJECT_USER_DELETE, SYSTEM_ACTOR, target, action=action)


def _membership_updated(people: People, project_id: str, membership: JsonObject) -> Draft:
    """What changed is not in the payload: the action states the membership as it now is."""
    action = {"newStatus": availability(membership), "source": "api"}
    target = {"type": "project_user", "id": membership.get("_id"), "object": membership}
    return Draft(project_id, verbs.PROJECT_USER_UPDATE, SYSTEM_ACTOR, target, action=action)


def availability(membership: Mapping[str, Any]) -> str:
    """Tiledesk's label: the profile status when set, else available/unavailable."""
    status = membership.get("profileStatus")
    if status:
        return str(status)
    available = membership.get("user_available")
    return "available" if available is True else "unavailable" if available is False else "unknown"


# ------------------------------------------------------------------ chatbots


def _bot_created(people: People, project_id: str, bot: JsonObject) -> Draft:
    action = _compact(name=bot.get("name"), type=bot.get("type"), subtype=bot.get("subtype"))
    target = {"type": "faq_kb", "id": bot.get("_id"), "object": bot}
    actor = people.actor(bot.get("createdBy"))
    return Draft(project_id, verbs.FAQ_KB_CREATE, actor, target, action=action)


def _bot_deleted(people: People, project_id: str, bot: JsonObject) -> Draft:
    action = _compact(name=bot.get("name"), type=bot.get("type"))
    target = {"type": "faq_kb", "id": bot.get("_id"), "object": bot}
    return Draft(project_id, verbs.FAQ_KB_DELETE, SYSTEM_ACTOR, target, action=action)


_BUILDERS: dict[str, Builder] = {
    "request.create": _request_created,
    "request.updated": _preflight_ended,
    "request.close": _request_closed,
    "request.assigned": _assigned,
    "request.participants.leave": _left,
    "project_user.invite": _invited,
    "project_user.invite.pending": _invited_pending,
    "project_user.delete": _membership_deleted,
    "project_user.update": _membership_updated,
    "faqbot.create": _bot_created,
    "faqbot.delete": _bot_deleted,
}


# ------------------------------------------------------------------ helpers


def _compact(**values: Any) -> JsonObject:
    """Without the unset values (mongoose leaves ``undefined`` fields out)."""
    return {key: value for key, value in values.items() if value is not None}


def _entity_user(entity: Mapping[str, Any] | None) -> str | None:
    """The user a target or related entity is about: its object's ``id_user`` (populated or
    not), or the entity itself when it is a user."""
    if not entity:
        return None
    found = entity.get("object")
    person = found.get("id_user") if isinstance(found, dict) else None
    if isinstance(person, dict):
        person = person.get("_id")
    if isinstance(person, str) and person:
        return person
    if entity.get("type") == "user" and entity.get("id"):
        return str(entity["id"])
    return None


def _request_agents(target: Mapping[str, Any]) -> list[str]:
    """The human participants of a target conversation."""
    request = target.get("object")
    if target.get("type") != "request" or not isinstance(request, dict):
        return []
    agents: Iterable[Any] = request.get("participantsAgents") or []
    return [str(agent) for agent in agents if agent and not str(agent).startswith(_BOT_PREFIX)]
