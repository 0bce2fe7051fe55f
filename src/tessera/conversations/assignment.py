"""Who takes part in a conversation (fact sheet §5.4.3, §5.8, §8.1, §8.2, §8.4): routing it
again (``/assign``, ``/departments``, ``/agent``), handing it to a bot (``/replace``), and
adding, setting or removing participants.

Every change goes through ``_save``: the participant arrays, ``hasBot``, the status (200
with someone, else 100 — or 150 when every agent abandoned it; a closed conversation stays
1000), who may see it (``request_agents``) and the assigned counters of whoever joined or
left. Then the populated request is announced (``request.update``, the participant events,
``request.assigned``) and agents who joined get the TOUCHING_OPERATOR message.

Tessera deviation: participants must belong to the project — an active agent-side member's
user id, or ``bot_<id>`` of one of its bots not in the trash. Tiledesk stores any string,
and an unknown one breaks every later read of the conversation.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tessera.auth.principal import Member
from tessera.bots import repository as bots
from tessera.conversations import repository, service
from tessera.conversations.assignment_events import (
    AUTO,
    MANUAL_REASSIGN_DEPARTMENT,
    SYSTEM_ACTOR,
    Assignment,
    DepartmentChange,
    assigned_events,
    assignment_by,
    assignment_for_join,
    assignment_for_set,
    humans,
    is_bot,
    leave_details,
    touching_operator_attributes,
    touching_operator_text,
)
from tessera.conversations.models import ABANDONED, ASSIGNED, CLOSED, SERVED, UNASSIGNED
from tessera.conversations.schemas import ReplaceBotIn, RouteIn, unpopulated
from tessera.core.db import Record, Tx
from tessera.core.errors import AppError, BadRequest, InvalidInput, NotFound
from tessera.departments.schemas import DepartmentOut
from tessera.messages import service as messages
from tessera.project_users import repository as memberships
from tessera.routing.service import BOT_PREFIX, Routing, route

_REQUEST_NOT_FOUND = "Request not found"
_OBJECT_NOT_FOUND = "Object not found."
_ALREADY_ROUTED = frozenset({ASSIGNED, SERVED, CLOSED})
_ONE_AGENT_CHANNELS = frozenset({"form", "email"})  # tickets: one agent, set once


# ---------------------------------------------------------------- routing again (§5.8)


def assign_conversation(tx: Tx, member: Member, request_id: str, body: RouteIn) -> dict[str, Any]:
    """``PUT /assign`` (the SDK's ``assign()``): a conversation already assigned, served or
    closed is answered as stored (unpopulated, as Tiledesk does); any other is routed in
    ``departmentid`` (default: the default department)."""
    repository.lock_routing(tx, member.project_id)
    conversation = _locked(tx, member, request_id, NotFound(_REQUEST_NOT_FOUND))
    if conversation.status in _ALREADY_ROUTED:
        return unpopulated(conversation)
    assignment = assignment_by(member, AUTO)
    return _reroute(tx, member, conversation, body.departmentid, bool(body.nobot), assignment)


def change_department(tx: Tx, member: Member, request_id: str, body: RouteIn) -> dict[str, Any]:
    """``PUT /departments``: route again whatever the status (participants replaced, waiting
    time reset, snapshot refreshed). An unknown conversation is a 404 (Tiledesk: 500)."""
    repository.lock_routing(tx, member.project_id)
    conversation = _locked(tx, member, request_id, NotFound(_OBJECT_NOT_FOUND))
    assignment = assignment_by(member, MANUAL_REASSIGN_DEPARTMENT)
    return _reroute(tx, member, conversation, body.departmentid, bool(body.nobot), assignment)


def hand_to_agent(
    tx: Tx, member: Member, request_id: str, *, by: Assignment | None = None
) -> dict[str, Any]:
    """``PUT /agent`` (a bot hands over to a human): route again in the conversation's own
    department, or the default one when it has none (left, or deleted since), skipping the
    department's bot. ``by``: who hands over, when it is not the caller."""
    repository.lock_routing(tx, member.project_id)
    conversation = _locked(tx, member, request_id, NotFound(_OBJECT_NOT_FOUND))
    department = repository.departments_by_id(tx, member.project_id, [conversation.department_id])
    department_id = conversation.department_id if department else None
    assignment = by or assignment_by(member, AUTO, source="chatbot")
    return _reroute(tx, member, conversation, department_id, True, assignment)


AGENT_ASKED = Assignment(SYSTEM_ACTOR, "system", AUTO)
"""Who hands over when a message asks for an agent (``\\agent``, §5.5.3): the system, as
Tiledesk's message actions do."""


ROUTING_RULES = Assignment(SYSTEM_ACTOR, "rules", AUTO)
"""Who routes a conversation leaving preflight: Tiledesk's concierge rules, as the system."""


def reroute_by_rules(tx: Tx, member: Member, conversation: Record) -> Record:
    """A hidden (TEMP) conversation whose visitor wrote: routed again in its department (the
    default one if it was deleted), bots allowed (§5.4.4). The caller holds the project's
    routing lock. Answers the conversation as routed."""
    department = repository.departments_by_id(tx, member.project_id, [conversation.department_id])
    department_id = conversation.department_id if department else None
    _reroute(tx, member, conversation, department_id, False, ROUTING_RULES)
    routed = repository.get_by_pk(tx, member.project_id, conversation.id)
    assert routed is not None  # locked by the caller
    return routed


def _reroute(
    tx: Tx,
    member: Member,
    conversation: Record,
    department_id: str | None,
    nobot: bool,
    assignment: Assignment,
) -> dict[str, Any]:
    """Route and apply the result. Agents listed in ``attributes.abandoned_by_project_users``
    are skipped; when that leaves nobody the conversation is fully abandoned (150,
    ``request.fully_abandoned``). If nothing changes nothing is written, but the events are
    announced again, as in Tiledesk."""
    routing = route(
        tx, member.project, department_id, nobot=nobot, abandoned_by=_abandoned_by(conversation)
    )
    participants = [routing.operator] if routing.operator else []
    status = _status(conversation, participants, abandoned=routing.fully_abandoned)
    unchanged = (
        status == conversation.status
        and routing.department.id == conversation.department_id
        and participants == conversation.participants
    )
    if unchanged:
        payload = _announce_set(tx, member, conversation, assignment)
    else:
        payload = _apply_routing(
            tx, member, conversation, routing, participants, status, assignment
        )
    if status == ABANDONED:
        tx.emit("request.fully_abandoned", member.project_id, payload)
    return payload


def _apply_routing(
    tx: Tx,
    member: Member,
    conversation: Record,
    routing: Routing,
    participants: list[str],
    status: int,
    assignment: Assignment,
) -> dict[str, Any]:
    updated = _save(
        tx,
        member,
        conversation,
        participants,
        {**_routed_values(tx, conversation, routing, participants), "status": status},
        candidates=[agent.user_id for agent in routing.agents],
    )
    department = DepartmentChange(
        conversation.department_id, routing.department.id, routing.department.name
    )
    payload = _announce_set(
        tx, member, updated, assignment, before=conversation, department=department
    )
    tx.emit("request.department.update", member.project_id, payload)
    return payload


def _abandoned_by(conversation: Record) -> list[str]:
    abandoned = (conversation.attributes or {}).get("abandoned_by_project_users")
    return list(abandoned) if isinstance(abandoned, dict) else []


def _routed_values(
    tx: Tx, conversation: Record, routing: Routing, participants: list[str]
) -> dict[str, Any]:
    """What routing writes besides participants: department, ``assigned_at``, the waiting
    time reset, the snapshot's department and agents, and the abandonment mark."""
    values: dict[str, Any] = {
        "department_id": routing.department.id,
        "assigned_at": tx.now if participants else None,
        "waiting_time": None,
        "snapshot": {
            **(conversation.snapshot or {}),
            "department": DepartmentOut.of(routing.department).wire(),
            "agents": [{"id_user": agent.user_id} for agent in routing.agents],
            "availableAgentsCount": len(routing.available),
        },
    }
    if routing.fully_abandoned:
        values["attributes"] = {**(conversation.attributes or {}), "fully_abandoned": True}
    return values


# ---------------------------------------------------------------- participants


def add_participant(tx: Tx, member: Member, request_id: str, participant: str) -> dict[str, Any]:
    """``POST /participants``: append ``participant`` (already there: unchanged). An agent
    joining takes the conversation over from its bot (Tiledesk's concierge removes the bot
    when a human joins)."""
    conversation = _locked(tx, member, request_id, NotFound(_REQUEST_NOT_FOUND, key="error"))
    _check_participants(tx, member.project_id, [participant], "member")
    if participant in conversation.participants:
        return service.present(tx, member.project, conversation)
    kept = conversation.participants
    if not is_bot(participant):
        kept = humans(kept)
    participants = [*kept, participant]
    status = _status(conversation, participants)
    updated = _save(tx, member, conversation, participants, {"status": status})
    payload = service.present(tx, member.project, updated)
    tx.emit("request.update", member.project_id, payload)
    tx.emit(
        "request.participants.join", member.project_id, {"member": participant, "request": payload}
    )
    for bot in [current for current in conversation.participants if current not in participants]:
        tx.emit(
            "request.participants.leave",
            member.project_id,
            {"member": bot, "request": payload, "trackLeave": False},
        )
    _emit_assigned(tx, member, payload, assignment_for_join(member, participant), [participant], [])
    _welcome_agents(tx, member, updated, [participant], recipients=[participant])
    return payload


def set_participants(
    tx: Tx, member: Member, request_id: str, participants: Sequence[str]
) -> dict[str, Any]:
    """``PUT /participants`` (a JSON array): replace them; equal ones change nothing."""
    conversation = _locked(tx, member, request_id, NotFound(_REQUEST_NOT_FOUND, key="error"))
    wanted = list(dict.fromkeys(participants))
    found = _check_participants(tx, member.project_id, wanted, "participants")
    return _replace(tx, member, conversation, wanted, {bot.id: bot.name for bot in found})


def replace_with_bot(tx: Tx, member: Member, request_id: str, body: ReplaceBotIn) -> dict[str, Any]:
    """``PUT /replace``: the bot named by ``id``, ``name`` or ``slug`` becomes the only
    participant. Only this project's bots (Tiledesk takes any id); the answer adds
    ``replaced_bot_root_id``."""
    bot = _bot_named(tx, member.project_id, body)
    conversation = _locked(tx, member, request_id, NotFound(_REQUEST_NOT_FOUND, key="error"))
    payload = _replace(tx, member, conversation, [BOT_PREFIX + bot.id], {bot.id: bot.name})
    return {**payload, "replaced_bot_root_id": bot.root_id or bot.id}


def remove_participant(tx: Tx, member: Member, request_id: str, participant: str) -> dict[str, Any]:
    """``DELETE /participants/:id``: someone who does not take part changes nothing (as in
    Tiledesk). An agent who leaves is remembered in ``attributes.abandoned_by_project_users``
    (membership id → epoch ms), so that routing passes over them next time."""
    missing = BadRequest(
        f"Unable to remove the participant {participant} from the request {request_id}",
        key="error",
    )
    conversation = _locked(tx, member, request_id, missing)
    if participant not in conversation.participants:
        return service.present(tx, member.project, conversation)
    participants = [current for current in conversation.participants if current != participant]
    values: dict[str, Any] = {"status": _status(conversation, participants)}
    if not is_bot(participant):
        values.update(_abandonment(tx, member.project_id, conversation, participant))
    updated = _save(tx, member, conversation, participants, values)
    payload = service.present(tx, member.project, updated)
    tx.emit("request.update", member.project_id, payload)
    leave = {"member": participant, "request": payload, **leave_details(member, participant)}
    tx.emit("request.participants.leave", member.project_id, leave)
    return payload


def _abandonment(tx: Tx, project_id: str, conversation: Record, user_id: str) -> dict[str, Any]:
    membership = memberships.find_any(tx, project_id, "user_id", user_id)
    if membership is None:
        return {}
    attributes = conversation.attributes or {}
    abandoned = {**(attributes.get("abandoned_by_project_users") or {}), membership.id: tx.now}
    return {"attributes": {**attributes, "abandoned_by_project_users": abandoned}}


def _replace(
    tx: Tx,
    member: Member,
    conversation: Record,
    participants: list[str],
    bot_names: Mapping[str, str],
) -> dict[str, Any]:
    """Set semantics shared by ``PUT /participants`` and ``/replace`` (Tiledesk's
    ``setParticipantsByRequestId``): the waiting time starts again."""
    _check_one_agent_channel(conversation, participants)
    if participants == conversation.participants:
        return service.present(tx, member.project, conversation)
    status = _status(conversation, participants)
    updated = _save(
        tx, member, conversation, participants, {"status": status, "waiting_time": None}
    )
    assignment = assignment_for_set(member, participants)
    return _announce_set(tx, member, updated, assignment, before=conversation, bot_names=bot_names)


def _check_one_agent_channel(conversation: Record, participants: Sequence[str]) -> None:
    """Form and e-mail tickets get one agent, once: with one agent set nothing more can be
    set, and the first time exactly one participant (Tiledesk answers 500; Tessera 400)."""
    if (conversation.channel or {}).get("name") not in _ONE_AGENT_CHANNELS:
        return
    if len(conversation.participants_agents) == 1:
        raise BadRequest(
            "Cannot add participants: only one participant allowed for this request", key="error"
        )
    if not conversation.participants_agents and len(participants) != 1:
        raise BadRequest("Can only add one participant for this request", key="error")


def _bot_named(tx: Tx, project_id: str, body: ReplaceBotIn) -> Record:
    """The bot to hand over to, by ``id``, else ``name``, else ``slug`` (not in the trash)."""
    for column in ("id", "name", "slug"):
        value = getattr(body, column)
        if value:
            bot = bots.find_untrashed(tx, project_id, column=column, value=value)
            if bot is None:
                raise NotFound(f"Chatbot with {column} '{value}' not found", key="error")
            return bot
    raise BadRequest("Missing field 'id' or 'name' in body", key="error")


def _check_participants(
    tx: Tx, project_id: str, participants: Iterable[str], param: str
) -> list[Record]:
    """Every participant must be an active agent-side member's user id or ``bot_<id>`` of
    a bot of this project not in the trash; answers the bots named."""
    wanted = list(participants)
    bot_ids = [
        participant.removeprefix(BOT_PREFIX) for participant in wanted if is_bot(participant)
    ]
    named = [bot for bot in bots.get_many(tx, project_id, bot_ids).values() if not bot.trashed]
    known_bots = {BOT_PREFIX + bot.id for bot in named}
    for participant in wanted:
        known = (
            participant in known_bots
            if is_bot(participant)
            else memberships.find_agent_membership(tx, project_id, participant) is not None
        )
        if not known:
            raise InvalidInput.field(
                param, "not an agent or a bot of this project", value=participant
            )
    return named


# ---------------------------------------------------------------- writing and announcing


def _status(conversation: Record, participants: Sequence[str], *, abandoned: bool = False) -> int:
    if conversation.status == CLOSED:
        return CLOSED
    if participants:
        return ASSIGNED
    return ABANDONED if abandoned else UNASSIGNED


def _save(
    tx: Tx,
    member: Member,
    conversation: Record,
    participants: list[str],
    values: Mapping[str, Any],
    *,
    candidates: Iterable[str] | None = None,
) -> Record:
    """Write the participants (and ``values``), who may see the conversation, and recount
    the agents who joined or left. ``assigned_at`` moves when someone joins, unless
    ``values`` says otherwise. ``candidates``: the routing candidates (default: unchanged,
    those of ``snapshot.agents``)."""
    bots_in = [
        participant.removeprefix(BOT_PREFIX) for participant in participants if is_bot(participant)
    ]
    joined = set(participants) - set(conversation.participants)
    written: dict[str, Any] = {
        "participants": participants,
        "participants_agents": humans(participants),
        "participants_bots": bots_in,
        "has_bot": bool(bots_in),
        **({"assigned_at": tx.now} if joined else {}),
        **values,
    }
    updated = repository.update_fields(tx, conversation.id, written)
    if candidates is None:
        candidates = _candidates(conversation)
    repository.set_agents(tx, member.project_id, conversation.id, participants, candidates)
    moved = set(humans(participants)) ^ set(conversation.participants_agents)
    service.recount_assigned(tx, member.project_id, sorted(moved))
    return updated


def _candidates(conversation: Record) -> list[str]:
    agents = (conversation.snapshot or {}).get("agents") or []
    return [
        agent["id_user"] for agent in agents if isinstance(agent, dict) and agent.get("id_user")
    ]


def _announce_set(
    tx: Tx,
    member: Member,
    updated: Record,
    assignment: Assignment,
    *,
    before: Record | None = None,
    department: DepartmentChange | None = None,
    bot_names: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """``request.update``, ``request.participants.update`` (who was added and removed),
    ``request.assigned``, and the welcome of the agents who joined. ``before`` is the
    conversation before the change (None: nothing changed)."""
    payload = service.present(tx, member.project, updated)
    previous = before if before is not None else updated
    added = [p for p in updated.participants if p not in previous.participants]
    removed = [p for p in previous.participants if p not in updated.participants]
    tx.emit("request.update", member.project_id, payload)
    tx.emit(
        "request.participants.update",
        member.project_id,
        {
            "beforeRequest": unpopulated(previous),
            "removedParticipants": removed,
            "addedParticipants": added,
            "request": payload,
        },
    )
    _emit_assigned(tx, member, payload, assignment, added, removed, department, bot_names)
    _welcome_agents(tx, member, updated, added, recipients=updated.participants)
    return payload


def _emit_assigned(
    tx: Tx,
    member: Member,
    payload: dict[str, Any],
    assignment: Assignment,
    added: Sequence[str],
    removed: Sequence[str],
    department: DepartmentChange | None = None,
    bot_names: Mapping[str, str] | None = None,
) -> None:
    for event in assigned_events(
        payload, assignment, added, removed, department=department, bot_names=bot_names
    ):
        tx.emit("request.assigned", member.project_id, event)


def _welcome_agents(
    tx: Tx, member: Member, conversation: Record, added: Sequence[str], *, recipients: Sequence[str]
) -> None:
    """TOUCHING_OPERATOR (§8.4) when agents joined a conversation that is assigned and has
    no bot. Tiledesk posts it again on every re-route, even when nobody new joined; Tessera
    only when somebody did."""
    if not humans(added) or conversation.status != ASSIGNED or conversation.has_bot:
        return
    messages.post_system_message(
        tx,
        member.project,
        conversation,
        touching_operator_text(conversation),
        touching_operator_attributes(recipients),
    )


def _locked(tx: Tx, member: Member, request_id: str, missing: AppError) -> Record:
    conversation = repository.get_for_update(tx, member.project_id, request_id)
    if conversation is None:
        raise missing
    return conversation
