"""Credentials on protected routes (§3.1) and role guards as dependencies (§4.3).

Routers state who may call them in the signature: ``member: Agent``, ``member: Admin``...
"""

import base64
import binascii
from collections.abc import Awaitable, Callable
from typing import Annotated

import anyio
from fastapi import Depends, Request

from tessera.auth import service
from tessera.auth.passwords import VerifiedPasswords, verify_password
from tessera.auth.principal import MACHINES, Caller, CallerKind, Member, Role
from tessera.auth.tokens import strip_scheme
from tessera.context import Context
from tessera.core.db import Database
from tessera.core.errors import Unauthorized
from tessera.dependencies import DatabaseDep
from tessera.projects.dependencies import CurrentProject, ProjectAnyStatus, ProjectIfActive
from tessera.users import service as account


async def current_caller(request: Request) -> Caller:
    # The app's state is read directly rather than through dependencies: this runs on every
    # authenticated request, and each dependency level costs FastAPI several microseconds.
    state = request.app.state
    scheme, value = _credentials(request)
    if scheme == "basic":
        return await _basic_caller(state.db, state.verified_passwords, value)
    context: Context = state.context
    db: Database = state.db
    return await db.lookup(service.caller_from_token, value, context.keys, state.verified_tokens)


def _credentials(request: Request) -> tuple[str, str]:
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.strip().partition(" ")
        scheme = scheme.lower()
        if scheme in ("basic", "jwt") and value.strip():
            return scheme, value.strip()
        raise Unauthorized()
    token = request.query_params.get("secret_token")
    if token:
        return "jwt", strip_scheme(token)
    raise Unauthorized()


async def _basic_caller(db: Database, verified: VerifiedPasswords, value: str) -> Caller:
    try:
        decoded = base64.b64decode(value, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise Unauthorized() from None
    email, separator, password = decoded.partition(":")
    email = email.strip().lower()
    if not separator or not email or not password:
        raise Unauthorized()
    user = await db.lookup(account.find_active_by_email, email)
    if user is None:
        raise Unauthorized()
    if not verified.matches(email, password, user.password):
        if not await anyio.to_thread.run_sync(verify_password, password, user.password):
            raise Unauthorized()
        verified.remember(email, password, user.password)
    return service.user_caller(user)


CurrentCaller = Annotated[Caller, Depends(current_caller)]


async def current_user(caller: CurrentCaller) -> Caller:
    """A registered user (``/users`` routes and everything without a project)."""
    if caller.kind is not CallerKind.USER:
        raise Unauthorized()
    return caller


CurrentUser = Annotated[Caller, Depends(current_user)]

Guard = Callable[..., Awaitable[Member]]


def require_role(minimum: Role | None, *, machines: frozenset[CallerKind] = frozenset()) -> Guard:
    """A dependency admitting members of the URL's project with at least ``minimum``
    (``None``: any member), plus callers of the ``machines`` kinds from that project."""

    async def guard(project: CurrentProject, caller: CurrentCaller, db: DatabaseDep) -> Member:
        return await db.lookup(service.member_in, project, caller, minimum, machines)

    return guard


def require_project_role(minimum: Role, *, machines: frozenset[CallerKind] = frozenset()) -> Guard:
    """The same for ``/projects/:pid`` routes, which skip the 400 project check."""

    async def guard(project: ProjectIfActive, caller: CurrentCaller, db: DatabaseDep) -> Member:
        return await db.lookup(service.member_in, project, caller, minimum, machines)

    return guard


_SUBSCRIPTION = frozenset({CallerKind.SUBSCRIPTION})


async def _project_reader(
    project: ProjectAnyStatus, caller: CurrentCaller, db: DatabaseDep
) -> Member:
    """``GET /projects/:pid``: agents and the project's subscriptions, even of a soft-deleted
    project; as in Tiledesk, the guard finds the membership and the read then answers 404."""
    return await db.lookup(service.member_in, project, caller, Role.AGENT, _SUBSCRIPTION)


AnyMember = Annotated[Member, Depends(require_role(None, machines=MACHINES))]
Guest = Annotated[Member, Depends(require_role(Role.GUEST, machines=MACHINES))]
UserOrSubscription = Annotated[Member, Depends(require_role(Role.USER, machines=_SUBSCRIPTION))]
Agent = Annotated[Member, Depends(require_role(Role.AGENT, machines=MACHINES))]
AgentOrSubscription = Annotated[Member, Depends(require_role(Role.AGENT, machines=_SUBSCRIPTION))]
AgentOnly = Annotated[Member, Depends(require_role(Role.AGENT))]
Admin = Annotated[Member, Depends(require_role(Role.ADMIN))]
AdminOrSubscription = Annotated[Member, Depends(require_role(Role.ADMIN, machines=_SUBSCRIPTION))]
AdminOrMachine = Annotated[Member, Depends(require_role(Role.ADMIN, machines=MACHINES))]
Owner = Annotated[Member, Depends(require_role(Role.OWNER))]

ProjectReader = Annotated[Member, Depends(_project_reader)]
ProjectAdmin = Annotated[Member, Depends(require_project_role(Role.ADMIN))]
ProjectOwner = Annotated[Member, Depends(require_project_role(Role.OWNER))]
