"""Realtime topics (fact sheet §6.4): parsing, who may subscribe, and what they see first."""

from dataclasses import dataclass

REQUESTS = "requests"
REQUEST = "request"
MESSAGES = "messages"
MEMBERSHIP = "project_user"
MEMBERSHIP_OF_USER = "project_user_of_user"
EVENTS = "events"
BOT = "bot"


@dataclass(frozen=True, slots=True)
class Topic:
    name: str  # as the client wrote it: pushes are published under this exact string
    project_id: str
    kind: str
    target: str | None = None  # request id, membership id, user id or bot id
    event_name: str | None = None


def parse(name: str) -> Topic | None:
    """``/<pid>/requests[/<rid>[/messages]]``, ``/<pid>/project_users/<id>``,
    ``/<pid>/project_users/users/<user id>``, ``/<pid>/events/<membership id>[/<event>]``,
    ``/<pid>/bots/<id>``; any other ``/<pid>/<x>/<id>`` is a conversation (§6.4)."""
    parts = name.split("/")
    if len(parts) < 3 or parts[0] != "" or not all(parts[1:]):
        return None
    project_id, family, rest = parts[1], parts[2], parts[3:]
    if family == "requests" and not rest:
        return Topic(name, project_id, REQUESTS)
    if family == "requests" and len(rest) == 2 and rest[1] == "messages":
        return Topic(name, project_id, MESSAGES, rest[0])
    if family == "project_users" and len(rest) == 2 and rest[0] == "users":
        return Topic(name, project_id, MEMBERSHIP_OF_USER, rest[1])
    if family == "project_users" and len(rest) == 1:
        return Topic(name, project_id, MEMBERSHIP, rest[0])
    if family == "events" and len(rest) in (1, 2):
        return Topic(name, project_id, EVENTS, rest[0], rest[1] if len(rest) == 2 else None)
    if family == "bots" and len(rest) == 1:
        return Topic(name, project_id, BOT, rest[0])
    if rest:
        return Topic(name, project_id, REQUEST, rest[0])
    return None
