"""The role guard (§4.3) for every kind of caller, including machine callers (bots and
subscriptions) whose tokens come from resources built later: the rule is checked here
directly on ``member_in``, the function every guard dependency runs."""

import httpx
import pytest
from fastapi import FastAPI

from tessera.auth.principal import MACHINES, Caller, CallerKind, Member, Role
from tessera.auth.service import NOT_A_MEMBER, ROLE_TOO_LOW, member_in
from tessera.core.errors import PermissionDenied
from tessera.projects import repository as projects
from tests.factories import World, make_world

MACHINE_KINDS = [CallerKind.BOT, CallerKind.SUBSCRIPTION]


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Only read: every test asks the guard about it."""
    return await make_world(client)


async def _guard(
    app: FastAPI,
    project_id: str,
    caller: Caller,
    minimum: Role | None,
    machines: frozenset[CallerKind],
) -> Member:
    db = app.state.db
    project = await db.read(projects.get_active, project_id)
    return await db.read(member_in, project, caller, minimum, machines)


@pytest.mark.parametrize("kind", MACHINE_KINDS)
async def test_a_machine_acts_in_its_own_project_where_machines_are_admitted(
    app: FastAPI, world: World, kind: CallerKind
) -> None:
    caller = Caller(kind, "machine-1", {}, project_id=world.project_id)

    member = await _guard(app, world.project_id, caller, Role.AGENT, MACHINES)

    assert member.caller is caller
    assert member.role is None
    assert member.membership is None


@pytest.mark.parametrize("kind", MACHINE_KINDS)
async def test_a_machine_never_acts_in_another_project(
    app: FastAPI, world: World, kind: CallerKind
) -> None:
    caller = Caller(kind, "machine-1", {}, project_id=world.other_project_id)

    with pytest.raises(PermissionDenied) as refused:
        await _guard(app, world.project_id, caller, Role.AGENT, MACHINES)

    assert refused.value.message == NOT_A_MEMBER


@pytest.mark.parametrize("kind", MACHINE_KINDS)
async def test_a_machine_is_refused_where_only_members_are_admitted(
    app: FastAPI, world: World, kind: CallerKind
) -> None:
    caller = Caller(kind, "machine-1", {}, project_id=world.project_id)

    with pytest.raises(PermissionDenied) as refused:
        await _guard(app, world.project_id, caller, Role.ADMIN, frozenset())

    assert refused.value.message == NOT_A_MEMBER


async def test_only_the_listed_machine_kind_passes(app: FastAPI, world: World) -> None:
    bot = Caller(CallerKind.BOT, "bot-1", {}, project_id=world.project_id)

    with pytest.raises(PermissionDenied):
        await _guard(app, world.project_id, bot, Role.AGENT, frozenset({CallerKind.SUBSCRIPTION}))


@pytest.mark.parametrize(
    ("role", "minimum", "allowed"),
    [
        ("agent", Role.AGENT, True),
        ("agent", Role.SUPERVISOR, False),
        ("supervisor", Role.SUPERVISOR, True),
        ("supervisor", Role.ADMIN, False),
        ("admin", Role.ADMIN, True),
        ("admin", Role.OWNER, False),
        ("owner", Role.OWNER, True),
        ("agent", None, True),
    ],
)
async def test_the_role_hierarchy(
    app: FastAPI, world: World, role: str, minimum: Role | None, allowed: bool
) -> None:
    person = world.person(role)
    caller = Caller(CallerKind.USER, person.id, {"_id": person.id})

    if allowed:
        member = await _guard(app, world.project_id, caller, minimum, MACHINES)
        assert member.role == Role(role)
    else:
        with pytest.raises(PermissionDenied) as refused:
            await _guard(app, world.project_id, caller, minimum, MACHINES)
        assert refused.value.message == ROLE_TOO_LOW


async def test_guests_pass_only_the_guest_level(app: FastAPI, world: World) -> None:
    guest = Caller(CallerKind.GUEST, world.guest.id, {})

    member = await _guard(app, world.project_id, guest, Role.GUEST, MACHINES)
    with pytest.raises(PermissionDenied) as refused:
        await _guard(app, world.project_id, guest, Role.USER, MACHINES)

    assert member.role is Role.GUEST
    assert refused.value.message == ROLE_TOO_LOW


async def test_an_end_user_pinned_to_another_project_is_not_a_member(
    app: FastAPI, world: World
) -> None:
    end_user = Caller(CallerKind.EXTERNAL, world.end_user.id, {}, project_id=world.other_project_id)

    with pytest.raises(PermissionDenied) as refused:
        await _guard(app, world.project_id, end_user, None, MACHINES)

    assert refused.value.message == NOT_A_MEMBER
