"""Helpers shared by the membership and pending-invitation API tests."""

import asyncio
from typing import Any

import httpx

from tessera.core.db import Database
from tessera.project_users import repository as memberships
from tests.factories import Person, Visitor, World
from tests.support.smtp import ReceivedMail, SmtpSink

NOT_A_MEMBER = {"success": False, "msg": "you dont belong to the project."}
ROLE_TOO_LOW = {"success": False, "msg": "you dont have the required role."}
NOT_FOUND = {"success": False, "msg": "Object not found."}

# Who calls, in a World: its members by role, a registered user of no project ("outsider"),
# the owner of another project ("stranger") and a caller without credentials ("nobody").
AGENT_ROUTE_ACCESS = [
    ("owner", "allowed"),
    ("admin", "allowed"),
    ("supervisor", "allowed"),
    ("agent", "allowed"),
    ("guest", "role too low"),
    ("end_user", "role too low"),
    ("outsider", "not a member"),
    ("stranger", "not a member"),
    ("nobody", "unauthenticated"),
]
ADMIN_ROUTE_ACCESS = [
    ("owner", "allowed"),
    ("admin", "allowed"),
    ("supervisor", "role too low"),
    ("agent", "role too low"),
    ("guest", "role too low"),
    ("end_user", "role too low"),
    ("outsider", "not a member"),
    ("stranger", "not a member"),
    ("nobody", "unauthenticated"),
]


def caller(world: World, who: str) -> Person | Visitor | None:
    if who == "nobody":
        return None
    found: Person | Visitor = getattr(world, who)
    return found


def headers_of(world: World, who: str) -> dict[str, str]:
    found = caller(world, who)
    return {} if found is None else found.auth


def assert_access(response: httpx.Response, expected: str) -> None:
    """``expected`` is one of the words used in the access tables above."""
    if expected == "allowed":
        assert response.status_code == 200, response.text
    elif expected == "unauthenticated":
        assert response.status_code == 401
        assert response.text == "Unauthorized"
    elif expected == "not a member":
        assert response.status_code == 403
        assert response.json() == NOT_A_MEMBER
    else:
        assert expected == "role too low"
        assert response.status_code == 403
        assert response.json() == ROLE_TOO_LOW


async def membership_of(
    client: httpx.AsyncClient, project_id: str, viewer: Person, user_id: str
) -> dict[str, Any]:
    """The membership of ``user_id`` as ``viewer`` (an admin) sees it, trashed ones included."""
    response = await client.get(
        f"/{project_id}/project_users", params={"trashed": "true"}, headers=viewer.auth
    )
    assert response.status_code == 200, response.text
    found = [item for item in response.json() if item["id_user"]["_id"] == user_id]
    assert len(found) == 1, found
    membership: dict[str, Any] = found[0]
    return membership


async def set_presence(db: Database, project_id: str, membership_id: str, status: str) -> None:
    """Nothing in the REST API writes ``presence`` (the chat engine's presence webhook does in
    Tiledesk), so tests put it straight into the row."""
    await db.write(
        memberships.update_fields, project_id, membership_id, {"presence": {"status": status}}
    )


async def wait_for_mails(smtp: SmtpSink, to: str, count: int) -> list[ReceivedMail]:
    """The mails received for ``to`` once there are at least ``count`` of them (the sink's
    own ``wait_for`` answers the newest one, which cannot tell a second mail from the first)."""
    arrived = smtp._arrived
    assert arrived is not None
    async with arrived:
        await asyncio.wait_for(arrived.wait_for(lambda: smtp.count_for(to) >= count), 5)
    return [mail for mail in smtp.received if to.lower() in mail.recipients]
