"""Who is calling (``Caller``) and who they are inside one project (``Member``)."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class CallerKind(StrEnum):
    """The token's ``sub``: what kind of principal is calling."""

    USER = "user"
    GUEST = "guest"
    EXTERNAL = "userexternal"
    BOT = "bot"
    SUBSCRIPTION = "subscription"


MACHINES = frozenset({CallerKind.BOT, CallerKind.SUBSCRIPTION})
END_USERS = frozenset({CallerKind.GUEST, CallerKind.EXTERNAL})


class Role(StrEnum):
    """Tiledesk project roles, weakest first; a role includes every role before it (§4.2)."""

    GUEST = "guest"
    USER = "user"
    TEAMMATE = "teammate"
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"
    OWNER = "owner"

    def includes(self, other: "Role") -> bool:
        return _RANK[self] >= _RANK[other]

    @classmethod
    def parse(cls, value: str) -> "Role | None":
        """The standard role called ``value``, or None for a custom role."""
        try:
            return cls(value)
        except ValueError:
            return None


_RANK = {role: rank for rank, role in enumerate(Role)}
AGENT_SIDE_ROLES = frozenset({Role.TEAMMATE, Role.AGENT, Role.SUPERVISOR, Role.ADMIN, Role.OWNER})


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated principal.

    ``id`` is the user ``_id``, the guest or end-user id, the bot or subscription id.
    ``project_id`` pins callers whose credentials belong to one project (bots,
    subscriptions, end users signed with a project secret): they act only there.
    ``profile`` is what Tiledesk exposes as ``req.user`` (the user document fields, or the
    decorated token payload for guests and end users).
    """

    kind: CallerKind
    id: str
    profile: Mapping[str, Any]
    project_id: str | None = None

    @property
    def is_machine(self) -> bool:
        return self.kind in MACHINES

    @property
    def membership_key(self) -> str:
        """The membership column that identifies this caller: registered users by user id."""
        return "user_id" if self.kind is CallerKind.USER else "uuid_user"

    @property
    def fullname(self) -> str:
        first = self.profile.get("firstname") or ""
        last = self.profile.get("lastname") or ""
        return f"{first} {last}".strip()


@dataclass(frozen=True, slots=True)
class Member:
    """A caller inside the project of the URL.

    ``role`` is the role the guards use (a custom role counts as ``agent``; ``role_name``
    keeps its name); it is None for machines, which act without a membership.
    ``permissions``: the membership's own ``permissions`` and, for a custom role, the
    role's (§4.4 "has permission or role").
    """

    caller: Caller
    project: Mapping[str, Any]
    membership: Mapping[str, Any] | None
    role: Role | None
    role_name: str | None
    permissions: frozenset[str] = frozenset()

    @property
    def project_id(self) -> str:
        project_id: str = self.project["id"]
        return project_id

    def has_role(self, minimum: Role) -> bool:
        return self.role is not None and self.role.includes(minimum)
