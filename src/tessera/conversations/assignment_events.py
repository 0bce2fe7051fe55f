"""What a change of participants announces: ``request.assigned`` with who did it and how
(fact sheet §8.1), and the TOUCHING_OPERATOR message to the agents who join (§8.4).

Tiledesk's rules (utils/assignmentContextUtil.js, services/requestService.js
``emitAssignedEvent``, pubmodules/rules/conciergeBot.js), restated as pure functions.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from tessera.auth.principal import CallerKind, Member
from tessera.core.db import Record
from tessera.core.schemas import JsonObject
from tessera.routing.service import BOT_PREFIX

SYSTEM_ACTOR: JsonObject = {"type": "system", "id": "system", "name": "System"}

# ``assignmentType`` values.
AUTO = "auto"
SELF_JOIN = "self_join"
MANUAL_REASSIGN = "manual_reassign"
MANUAL_REASSIGN_BOT = "manual_reassign_bot"
MANUAL_REASSIGN_DEPARTMENT = "manual_reassign_department"
UNASSIGN = "unassign"

# i8nUtil: the request's language upper-cased, English when there is no such label.
_TOUCHING_OPERATOR = {
    "EN": "A new support request has been assigned to you",
    "IT": "Una nuova richiesta di supporto è stata assegnata a te",
    "IT-IT": "Una nuova richiesta di supporto è stata assegnata a te",
}
_TOUCH_LENGTH = 30
_NEWLINES = re.compile(r"[\n\r]+")


@dataclass(frozen=True, slots=True)
class Assignment:
    """Who changed the participants (``actor``), through what (``source``: ``api``,
    ``chatbot``, ``subscription``) and Tiledesk's ``assignmentType`` (None: derived from
    who joined)."""

    actor: JsonObject
    source: str
    kind: str | None


@dataclass(frozen=True, slots=True)
class DepartmentChange:
    """A re-route's department, before and after (``/departments`` announces the move)."""

    previous_id: str | None
    department_id: str
    name: str


def assignment_by(member: Member, kind: str | None, *, source: str = "api") -> Assignment:
    """Subscriptions act as the system; bots and users as themselves."""
    caller = member.caller
    if caller.kind is CallerKind.SUBSCRIPTION:
        return Assignment(SYSTEM_ACTOR, "subscription", kind)
    if caller.kind is CallerKind.BOT:
        actor = {"type": "bot", "id": caller.id, "name": caller.profile.get("name") or caller.id}
        return Assignment(actor, source, kind)
    actor = {"type": "user", "id": caller.id}
    if caller.fullname:
        actor["name"] = caller.fullname
    return Assignment(actor, source, kind)


def assignment_for_join(member: Member, participant: str) -> Assignment:
    """``POST /participants``: the kind follows from who joins and who adds them."""
    assignment = assignment_by(member, None)
    return replace(assignment, kind=kind_for_join(assignment.actor, [participant]))


def assignment_for_set(member: Member, participants: Sequence[str]) -> Assignment:
    """``PUT /participants`` and ``/replace``."""
    assignment = assignment_by(member, None)
    return replace(assignment, kind=kind_for_set(assignment.actor, participants))


def leave_details(member: Member, participant: str) -> JsonObject:
    """What ``request.participants.leave`` says besides the member and the request: an
    agent leaving is tracked, as the actor when they left themselves, else as the one left;
    a bot leaving is not tracked."""
    if is_bot(participant):
        return {"trackLeave": False}
    assignment = assignment_by(member, None)
    actor = assignment.actor
    if actor.get("id") != participant:
        actor = {"type": "user", "id": participant, "name": participant}
    return {"actor": actor, "source": assignment.source, "trackLeave": True}


def is_bot(participant: str) -> bool:
    return participant.startswith(BOT_PREFIX)


def humans(participants: Sequence[str]) -> list[str]:
    return [participant for participant in participants if not is_bot(participant)]


def kind_for_set(actor: Mapping[str, Any], participants: Sequence[str]) -> str | None:
    """Setting participants: nobody is an unassignment, only bots a hand-over to a bot,
    else as for a join."""
    if not participants:
        return UNASSIGN
    if not humans(participants):
        return MANUAL_REASSIGN_BOT
    return kind_for_join(actor, participants)


def kind_for_join(actor: Mapping[str, Any], assignees: Sequence[str]) -> str | None:
    """The system assigns ``auto``; an agent taking a conversation is ``self_join``;
    someone else putting an agent in is ``manual_reassign``; bots alone are nothing."""
    people = humans(assignees)
    if not people:
        return None
    if actor.get("type") == "system":
        return AUTO
    return SELF_JOIN if str(actor.get("id")) == people[0] else MANUAL_REASSIGN


def assigned_events(
    request: JsonObject,
    assignment: Assignment,
    added: Sequence[str],
    removed: Sequence[str],
    *,
    department: DepartmentChange | None = None,
    bot_names: Mapping[str, str] | None = None,
) -> list[JsonObject]:
    """The ``request.assigned`` payloads a change announces: one for a new department or a
    hand-over to a bot, else one per agent who left (unassignment) or joined (often none)."""
    joined, left = humans(added), humans(removed)
    common: JsonObject = {
        "request": request,
        "actor": assignment.actor,
        "source": assignment.source,
        "removedParticipants": left,
        "previousAssigneeId": left[0] if left else None,
    }
    moved = department is not None and department.department_id != department.previous_id
    if assignment.kind == MANUAL_REASSIGN_DEPARTMENT and department is not None and moved:
        return [_to_department(common, department)]
    bots_added = [
        participant.removeprefix(BOT_PREFIX) for participant in added if is_bot(participant)
    ]
    if assignment.kind == MANUAL_REASSIGN_BOT and bots_added:
        return [_to_bot(common, bots_added[0], bot_names or {})]
    if assignment.kind == UNASSIGN or (not joined and left):
        return [
            {
                **common,
                "assigneeId": person,
                "assignmentType": UNASSIGN,
                "previousAssigneeId": person,
            }
            for person in left
        ]
    kind = assignment.kind or kind_for_join(assignment.actor, joined)
    if kind is None:
        return []
    return [
        {**common, "assigneeId": person, "assigneeType": "user", "assignmentType": kind}
        for person in joined
    ]


def _to_department(common: JsonObject, department: DepartmentChange) -> JsonObject:
    return {
        **common,
        "assigneeId": department.department_id,
        "assigneeName": department.name,
        "assigneeType": "department",
        "assignmentType": MANUAL_REASSIGN_DEPARTMENT,
    }


def _to_bot(common: JsonObject, bot_id: str, bot_names: Mapping[str, str]) -> JsonObject:
    return {
        **common,
        "assigneeId": bot_id,
        "assigneeName": bot_names.get(bot_id, bot_id),
        "assigneeType": "bot",
        "assignmentType": MANUAL_REASSIGN_BOT,
    }


def touching_operator_text(conversation: Record) -> str:
    """The label ("A new support request has been assigned to you") and what the
    conversation is about: its subject, else the first 30 characters of its first text on
    one line; without backslashes (a first text such as ``\\agent`` must not read as a
    command)."""
    touch = _NEWLINES.sub(" ", conversation.first_text or "")[:_TOUCH_LENGTH]
    if conversation.subject:
        touch = conversation.subject
    label = _TOUCHING_OPERATOR.get(
        (conversation.language or "EN").upper(), _TOUCHING_OPERATOR["EN"]
    )
    return f"{label}: {touch.replace(chr(92), '')}"


def touching_operator_attributes(recipients: Sequence[str]) -> JsonObject:
    """The message refreshes the conversation for, and notifies, the agents named."""
    return {
        "subtype": "info",
        "updateconversation": True,
        "updateconversationfor": list(recipients),
        "forcenotification": True,
        "messagelabel": {"key": "TOUCHING_OPERATOR"},
    }
