"""Who may subscribe to a topic, what they may see, and the snapshot they get first
(fact sheet §6.4, with Tessera's visibility rules applied to every push)."""

from typing import Any

from tessera.auth.principal import END_USERS, Caller, Member
from tessera.auth.service import member_in
from tessera.bots import repository as bots
from tessera.bots.schemas import BotOut
from tessera.conversations import listing
from tessera.conversations import repository as conversations
from tessera.conversations import service as conversation_service
from tessera.core.db import Record, Tx
from tessera.core.errors import PermissionDenied
from tessera.custom_events import service as custom_events
from tessera.messages.schemas import MessageOut
from tessera.project_users import repository as memberships
from tessera.project_users import service as membership_service
from tessera.projects import repository as projects
from tessera.realtime import repository
from tessera.realtime.hub import Audience, Viewer
from tessera.realtime.topics import (
    BOT,
    EVENTS,
    MEMBERSHIP,
    MEMBERSHIP_OF_USER,
    MESSAGES,
    REQUEST,
    REQUESTS,
    Topic,
)

HISTORY_MESSAGES = 300  # WS_HISTORY_MESSAGES_LIMIT
HISTORY_REQUESTS = 100  # WS_HISTORY_REQUESTS_LIMIT
HISTORY_EVENTS = 20  # WS_HISTORY_EVENTS_LIMIT


class Refused(Exception):
    """The caller may not subscribe: nothing is sent and no subscription is made (§6.2)."""


def viewer_of(member: Member) -> Viewer:
    """The REST lists' rule (§4.4, ``listing.reading_scope``) for pushes; guests and end
    users see only the conversations they requested."""
    membership_id = member.membership["id"] if member.membership else None
    end_user = member.caller.kind in END_USERS
    scope = listing.reading_scope(member)
    return Viewer(
        caller_id=member.caller.id,
        membership_id=membership_id,
        sees_all=scope is listing.Scope.ALL and not end_user,
        sees_candidates=scope is listing.Scope.GROUP,
        end_user=end_user,
    )


def subscribe(tx: Tx, caller: Caller, topic: Topic) -> tuple[Viewer, Any]:
    """The viewer the subscription is made for and the snapshot to send (``CREATE``)."""
    project = projects.get_active(tx, topic.project_id)
    try:
        member = member_in(tx, project, caller, None, frozenset())
    except PermissionDenied:
        raise Refused from None
    viewer = viewer_of(member)
    if viewer.end_user and topic.kind not in (REQUEST, MESSAGES):
        raise Refused
    return viewer, _snapshot(tx, member, viewer, topic)


def _snapshot(tx: Tx, member: Member, viewer: Viewer, topic: Topic) -> Any:
    if topic.kind == REQUESTS:
        return _requests(tx, member)
    if topic.kind == REQUEST:
        return _request(tx, member, viewer, str(topic.target))
    if topic.kind == MESSAGES:
        return _messages(tx, member, viewer, str(topic.target))
    if topic.kind == MEMBERSHIP:
        return _own_membership(tx, member, str(topic.target))
    if topic.kind == MEMBERSHIP_OF_USER:
        return _membership_of_user(tx, member, str(topic.target))
    if topic.kind == BOT:
        return _bot(tx, member, str(topic.target))
    if topic.kind == EVENTS:
        return _events(tx, member, topic)
    raise Refused


def audience_of(tx: Tx, conversation: Record) -> Audience:
    participants, candidates = repository.agents_of(tx, conversation.id)
    return Audience(participants, candidates, conversation.requester_id)


def _visible(tx: Tx, viewer: Viewer, conversation: Record) -> bool:
    return viewer.may_see(audience_of(tx, conversation))


def _requests(tx: Tx, member: Member) -> list[dict[str, Any]]:
    return listing.recent_for_realtime(tx, member, HISTORY_REQUESTS)


def _request(tx: Tx, member: Member, viewer: Viewer, request_id: str) -> Any:
    """The populated conversation, or null when the caller may not see it: Tiledesk still
    makes the subscription (§6.4), and pushes then follow the same rule. Guests and end users
    are refused outright for conversations they did not request (Tessera)."""
    conversation = conversations.get(tx, member.project_id, request_id)
    if conversation is None or not _visible(tx, viewer, conversation):
        if viewer.end_user:
            raise Refused
        return None
    return conversation_service.present(tx, member.project, conversation)


def _messages(tx: Tx, member: Member, viewer: Viewer, request_id: str) -> list[dict[str, Any]]:
    conversation = conversations.get(tx, member.project_id, request_id)
    if conversation is None or not _visible(tx, viewer, conversation):
        raise Refused
    rows = repository.latest_messages(tx, member.project_id, request_id, HISTORY_MESSAGES)
    return [MessageOut.of(row).wire() for row in rows]


def _own_membership(tx: Tx, member: Member, membership_id: str) -> dict[str, Any]:
    if member.membership is None or member.membership["id"] != membership_id:
        raise Refused
    row = memberships.get(tx, member.project_id, membership_id)
    if row is None:
        raise Refused
    return membership_service.present(row, member.project).wire()


def _membership_of_user(tx: Tx, member: Member, person: str) -> dict[str, Any]:
    row = memberships.find_active(tx, member.project_id, "user_id", person) or (
        memberships.find_active(tx, member.project_id, "uuid_user", person)
    )
    if row is None:
        raise Refused
    return membership_service.present(row, member.project).wire()


def _events(tx: Tx, member: Member, topic: Topic) -> list[dict[str, Any]]:
    """The membership's latest events (§6.4); agents watch anyone's, others their own."""
    found = custom_events.recent_of_membership(
        tx, member, str(topic.target), topic.event_name, HISTORY_EVENTS
    )
    if found is None:
        raise Refused
    return found


def _bot(tx: Tx, member: Member, bot_id: str) -> dict[str, Any]:
    bot = bots.get(tx, member.project_id, bot_id)
    if bot is None:
        raise Refused
    return BotOut.of(bot).wire()
