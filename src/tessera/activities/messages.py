"""The human-readable line of an activity (§5.18: "each activity also gets a human-readable
message"), in English. The wording of Tiledesk's messages where it has one; Tessera adds
lines for the verbs Tiledesk leaves without (conversation created and closed, membership
updated)."""

from collections.abc import Callable, Mapping
from typing import Any

from tessera.activities import verbs
from tessera.activities.archiver import availability

Activity = Mapping[str, Any]


def message_of(activity: Activity) -> str:
    """The activity's line; a verb without a line of its own reads ``<actor> <VERB>``."""
    compose = _MESSAGES.get(str(activity.get("verb")))
    return (
        compose(activity) if compose is not None else f"{_actor(activity)} {activity.get('verb')}"
    )


def _actor(activity: Activity) -> str:
    if _by_system(activity):
        return "System"
    actor = activity.get("actor") or {}
    return str(actor.get("name") or actor.get("id") or "Someone")


def _by_system(activity: Activity) -> bool:
    return (activity.get("actor") or {}).get("type") == "system"


def _object(activity: Activity) -> Mapping[str, Any]:
    target = activity.get("target") or {}
    found = target.get("object")
    return found if isinstance(found, dict) else {}


def _action(activity: Activity) -> Mapping[str, Any]:
    found = activity.get("actionObj")
    return found if isinstance(found, dict) else {}


def _conversation(activity: Activity) -> str:
    request_id = _object(activity).get("request_id")
    return str(request_id or (activity.get("target") or {}).get("id") or "conversation")


def _person(user: object) -> str | None:
    if not isinstance(user, dict):
        return None
    name = f"{user.get('firstname') or ''} {user.get('lastname') or ''}".strip()
    return name or None


def _target_user(activity: Activity) -> str:
    user = _object(activity).get("id_user")
    if isinstance(user, dict):
        return _person(user) or str(user.get("_id") or "unknown user")
    return str(user or "unknown user")


def _participant(activity: Activity, user_id: object) -> str:
    """An agent of the target conversation by name (its id when not among them)."""
    if not user_id:
        return "unknown agent"
    for agent in _object(activity).get("participatingAgents") or []:
        if isinstance(agent, dict) and agent.get("_id") == user_id:
            return _person(agent) or str(user_id)
    return str(user_id)


def _assignee(activity: Activity) -> str:
    """The assignee's name: given by the event, else the related user's (Tessera names user
    assignees when recording), else the conversation's agent of that id."""
    action = _action(activity)
    related = activity.get("related") or {}
    if action.get("assigneeName"):
        return str(action["assigneeName"])
    if action.get("assigneeType") in ("department", "bot"):
        return str(action.get("assigneeId") or action["assigneeType"])
    if related.get("name"):
        return str(related["name"])
    return _participant(activity, action.get("assigneeId"))


def _source(activity: Activity) -> str:
    return f"(source: {_action(activity).get('source') or 'unknown'})"


def _replaced(activity: Activity) -> str:
    previous = _action(activity).get("previousAssigneeId")
    return f" (replaced {_participant(activity, previous)})" if previous else ""


def _created(activity: Activity) -> str:
    return f"{_actor(activity)} started conversation {_conversation(activity)}"


def _closed(activity: Activity) -> str:
    return f"{_actor(activity)} closed conversation {_conversation(activity)}"


def _assigned_auto(activity: Activity) -> str:
    if _by_system(activity):
        return (
            f"System automatically assigned conversation {_conversation(activity)} to "
            f"{_assignee(activity)} {_source(activity)}"
        )
    return (
        f"{_actor(activity)} triggered automatic assignment of conversation "
        f"{_conversation(activity)} to {_assignee(activity)} {_source(activity)}"
    )


def _assigned_self(activity: Activity) -> str:
    return f"{_actor(activity)} joined conversation {_conversation(activity)} {_source(activity)}"


def _assigned_manual(activity: Activity) -> str:
    kind = _action(activity).get("assigneeType") or "user"
    verb = {"bot": "reassigned", "department": "reassigned"}.get(kind, "manually assigned")
    to = {"bot": "chatbot ", "department": "department "}.get(kind, "")
    return (
        f"{_actor(activity)} {verb} conversation {_conversation(activity)} to {to}"
        f"{_assignee(activity)} {_source(activity)}{_replaced(activity)}"
    )


def _unassigned(activity: Activity) -> str:
    who = "System" if _action(activity).get("source") == "subscription" else _actor(activity)
    return (
        f"{who} unassigned {_assignee(activity)} from conversation "
        f"{_conversation(activity)} {_source(activity)}"
    )


def _left(activity: Activity) -> str:
    return f"{_actor(activity)} left conversation {_conversation(activity)} {_source(activity)}"


def _invited(activity: Activity) -> str:
    action = _action(activity)
    target = activity.get("target") or {}
    email = str(action.get("email") or "")
    if target.get("type") == "pendinginvitation":
        invited = email or "unknown user"
    else:
        user = _object(activity).get("id_user")
        invited = _person(user) or email or "unknown user"
    email_part = f" ({email})" if email and invited != email else ""
    role = action.get("role") or "agent"
    return f"{_actor(activity)} invited {invited}{email_part} to take on the role of {role}"


def _removed(activity: Activity) -> str:
    """In the passive when the actor is the system: Tessera records removals so when the
    event does not say who acted (``archiver``), and "System removed" would be untrue."""
    if _by_system(activity):
        return f"{_target_user(activity)} was removed from the project"
    return f"{_actor(activity)} removed {_target_user(activity)} from the project"


def _membership_updated(activity: Activity) -> str:
    member = _object(activity)
    return (
        f"The membership of {_target_user(activity)} was updated "
        f"(role: {member.get('role') or 'unknown'}, status: {availability(member)})"
    )


def _bot_name(activity: Activity) -> str:
    return str(_object(activity).get("name") or _action(activity).get("name") or "chatbot")


def _bot_created(activity: Activity) -> str:
    return f"{_actor(activity)} created chatbot {_bot_name(activity)}"


def _bot_deleted(activity: Activity) -> str:
    if _by_system(activity):  # see ``_removed``
        return f"Chatbot {_bot_name(activity)} was deleted"
    return f"{_actor(activity)} deleted chatbot {_bot_name(activity)}"


_MESSAGES: dict[str, Callable[[Activity], str]] = {
    verbs.REQUEST_CREATE: _created,
    verbs.REQUEST_CLOSE: _closed,
    verbs.REQUEST_ASSIGNED_AUTO: _assigned_auto,
    verbs.REQUEST_ASSIGNED_SELF: _assigned_self,
    verbs.REQUEST_ASSIGNED_MANUAL: _assigned_manual,
    verbs.REQUEST_UNASSIGNED: _unassigned,
    verbs.LEAVE_CONVERSATION: _left,
    verbs.PROJECT_USER_INVITE: _invited,
    verbs.PROJECT_USER_DELETE: _removed,
    verbs.PROJECT_USER_UPDATE: _membership_updated,
    verbs.FAQ_KB_CREATE: _bot_created,
    verbs.FAQ_KB_DELETE: _bot_deleted,
}
