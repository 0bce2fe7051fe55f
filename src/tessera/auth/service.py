"""Authentication use cases: who a token or password names, sign-up and the sign-in flows.

Deviations from Tiledesk (DESIGN.md "Deliberate deviations", README "Security"):
* no master password; only ``admin`` bookkeeping for ``ADMIN_EMAIL``;
* a token signed with a project secret is always an end user pinned to that project, never
  a registered user: a project secret cannot impersonate accounts;
* ``signinWithCustomToken`` never hands an agent token for an account the project's SSO did
  not create itself, and end users it creates get the ``user`` or ``guest`` role only;
* ``PUT /auth/verifyemail`` sets the verification flag, nothing else from the body.
"""

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from tessera.auth import tokens
from tessera.auth.principal import AGENT_SIDE_ROLES, Caller, CallerKind, Member, Role
from tessera.auth.schemas import AnonymousIn, SignupIn
from tessera.context import Context, TokenKeys
from tessera.core.db import Record, Tx
from tessera.core.errors import (
    BadRequest,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    Unauthorized,
)
from tessera.core.ids import is_object_id, new_id, new_uuid
from tessera.emails import messages
from tessera.invitations import service as invitations
from tessera.project_users import repository as memberships
from tessera.project_users.models import ROLE_TYPE_AGENTS, ROLE_TYPE_USERS, STATUS_ACTIVE
from tessera.projects import repository as projects
from tessera.roles import repository as roles
from tessera.users import repository as users
from tessera.users import service as account
from tessera.users.models import USER_ACTIVE
from tessera.users.schemas import UserBrief, UserOut

RESET_KEY_TTL_MS = 24 * 60 * 60 * 1000

AudienceResolver = Callable[[Tx, str], "tuple[str, str] | None"]
"""``(tx, entity id)`` -> ``(secret, project id)`` of a bot, project or subscription."""


@dataclass(frozen=True, slots=True)
class KeyChoice:
    key: str
    algorithms: list[str]
    audience_kind: str | None
    project_id: str | None


_GLOBAL_CHOICE = KeyChoice("", [], None, None)
"""How a cached global-secret token was verified (the key itself is not needed again)."""


def _project_secret(tx: Tx, project_id: str) -> tuple[str, str] | None:
    project = projects.get_active(tx, project_id) if is_object_id(project_id) else None
    if project is None or not project.jwt_secret:
        return None
    return project.jwt_secret, project.id


_AUDIENCES: dict[str, AudienceResolver] = {"projects": _project_secret}


def register_audience(kind: str, resolver: AudienceResolver) -> None:
    """Let a domain (bots, subscriptions) say which secret verifies tokens addressed to it.

    The resolver runs inside ``Database.lookup``: it must read with ``FastQuery`` only."""
    _AUDIENCES[kind] = resolver


# ---------------------------------------------------------------- credentials


def caller_from_token(
    tx: Tx, token: str, keys: TokenKeys, verified: tokens.VerifiedTokens | None = None
) -> Caller:
    """The principal a JWT names (§3.3-3.4); any failure is a plain 401."""
    claims = verified.get(token) if verified is not None else None
    if claims is not None:
        return _caller_from_claims(tx, claims, _GLOBAL_CHOICE)
    try:
        claims = tokens.unverified_claims(token)
        choice = _choose_key(tx, claims, keys)
        claims = tokens.verify(token, choice.key, choice.algorithms)
    except tokens.InvalidToken:
        raise Unauthorized() from None
    caller = _caller_from_claims(tx, claims, choice)
    if verified is not None and choice.audience_kind is None:
        verified.remember(token, claims)
    return caller


def _choose_key(tx: Tx, claims: Mapping[str, Any], keys: TokenKeys) -> KeyChoice:
    kind, entity_id = _audience(claims.get("aud"))
    if kind not in _AUDIENCES:
        return KeyChoice(keys.secret, [keys.algorithm], None, None)
    resolved = _AUDIENCES[kind](tx, entity_id) if entity_id else None
    if resolved is None:
        raise Unauthorized()
    secret, project_id = resolved
    return KeyChoice(secret, tokens.HMAC_ALGORITHMS, kind, project_id)


def _audience(aud: object) -> tuple[str | None, str | None]:
    if isinstance(aud, list):
        aud = aud[0] if aud else None
    if not isinstance(aud, str):
        return None, None
    parts = [part for part in urlparse(aud).path.split("/") if part]
    if not parts:
        return None, None
    return parts[0], parts[1] if len(parts) > 1 else None


def _caller_from_claims(tx: Tx, claims: dict[str, Any], choice: KeyChoice) -> Caller:
    subject = claims.get("sub")
    principal_id = _principal_id(claims)
    if choice.audience_kind == "bots" and subject == CallerKind.BOT:
        return Caller(CallerKind.BOT, principal_id, claims, choice.project_id)
    if choice.audience_kind == "subscriptions" and subject == CallerKind.SUBSCRIPTION:
        return Caller(CallerKind.SUBSCRIPTION, principal_id, claims, choice.project_id)
    if choice.audience_kind == "projects" or subject in (CallerKind.EXTERNAL, CallerKind.GUEST):
        kind = CallerKind.GUEST if subject == CallerKind.GUEST else CallerKind.EXTERNAL
        return Caller(kind, principal_id, decorate(claims), choice.project_id)
    if subject in (CallerKind.BOT, CallerKind.SUBSCRIPTION):
        raise Unauthorized()  # a machine token must be signed with its own secret
    user = users.get_active(tx, principal_id)
    if user is None:
        raise Unauthorized()
    return user_caller(user)


def _principal_id(claims: Mapping[str, Any]) -> str:
    legacy = claims.get("_doc")
    principal = claims.get("_id") or (legacy.get("_id") if isinstance(legacy, dict) else None)
    if not principal:
        raise Unauthorized()
    return str(principal)


def user_caller(user: Record) -> Caller:
    return Caller(CallerKind.USER, user.id, UserBrief.of(user).wire())


def decorate(profile: Mapping[str, Any]) -> dict[str, Any]:
    """Tiledesk's ``decorateUser``: ``id`` = ``_id`` and ``fullName``."""
    decorated = dict(profile)
    decorated["id"] = decorated.get("_id")
    first = decorated.get("firstname") or ""
    decorated["fullName"] = f"{first} {decorated.get('lastname') or ''}"
    return decorated


# ---------------------------------------------------------------- sign-up and sign-in


def signup(
    tx: Tx, body: SignupIn, password_hash: str, ctx: Context, *, verified: bool = False
) -> Record:
    """Create an account, turn its pending invitations into memberships, send verification
    (unless asked not to, or ``verified`` when the super-admin creates the account).

    The e-mail is stored lower-cased and must be unused (even by a deleted account).
    """
    email = body.email.lower()
    if users.find_by_email(tx, email) is not None:
        raise PermissionDenied("Email already registered", key="message")
    if body.phone and users.find_by_phone(tx, body.phone) is not None:
        raise PermissionDenied("Phone number already registered", key="message")
    user_id = new_id()
    users.add(
        tx,
        {
            "id": user_id,
            "email": email,
            "password": password_hash,
            "firstname": body.firstname,
            "lastname": body.lastname,
            "phone": body.phone,
            "emailverified": verified,
            "status": USER_ACTIVE,
        },
    )
    invitations.accept_pending(tx, email, user_id)
    user = users.get_active(tx, user_id)
    assert user is not None
    if not body.disableEmail and not verified:
        account.send_verification(tx, user, ctx)
    tx.emit("user.signup", None, UserOut.of(user).wire())
    return user


def signin_anonymously(tx: Tx, body: AnonymousIn, ctx: Context) -> dict[str, Any]:
    """A guest identity and its membership in the project (§3.5)."""
    if projects.get_active(tx, body.id_project) is None:
        raise BadRequest(f"Project not found with id: {body.id_project}", key="error", success=None)
    guest_id = new_uuid()
    profile: dict[str, Any] = {
        "_id": guest_id,
        "firstname": body.firstname or f"guest#{guest_id[:4]}",
    }
    for field in ("lastname", "email", "attributes"):
        value = getattr(body, field)
        if value is not None:
            profile[field] = value
    memberships.add(
        tx,
        {
            "project_id": body.id_project,
            "uuid_user": guest_id,
            "role": Role.GUEST,
            "role_type": ROLE_TYPE_USERS,
            "user_available": True,
            "created_by": guest_id,
        },
    )
    user = decorate(profile)
    token = tokens.sign(user, ctx.keys.secret, subject="guest", algorithm=ctx.keys.algorithm)
    return {"success": True, "token": "JWT " + token, "user": user}


def signin_with_custom_token(
    tx: Tx, header_token: str, body_project_id: str | None, ctx: Context
) -> dict[str, Any]:
    """Exchange a customer-signed end-user token (§3.5 decision table, with the deviations
    in the module docstring). The token is verified but, as in Tiledesk, names no stored
    entity: its payload is the user."""
    raw = tokens.strip_scheme(header_token)
    try:
        claims = tokens.unverified_claims(raw)
        choice = _choose_key(tx, claims, ctx.keys)
        claims = tokens.verify(raw, choice.key, choice.algorithms)
    except tokens.InvalidToken:
        raise Unauthorized() from None
    token = "JWT " + raw
    if not claims.get("aud"):
        raise BadRequest("JWT Aud field is required")
    project_id = choice.project_id or body_project_id
    if project_id is None:
        return {"success": True, "token": token, "user": claims}
    if not is_object_id(project_id) or projects.get_active(tx, project_id) is None:
        raise NotAuthenticated("Authentication failed. Project not found.")
    caller = Caller(CallerKind.EXTERNAL, _principal_id(claims), decorate(claims), project_id)
    role = str(claims.get("role") or Role.USER)
    membership = memberships.find_any(tx, project_id, "uuid_user", caller.id)
    if membership is not None and membership.status != STATUS_ACTIVE:
        raise NotAuthenticated("Authentication failed. Project_user not active.")
    if Role.parse(role) in AGENT_SIDE_ROLES:
        return _agent_single_sign_on(tx, caller, project_id, role, membership, ctx)
    if membership is None:
        end_user_role = Role.GUEST if role == Role.GUEST else Role.USER
        memberships.add(
            tx,
            {
                "project_id": project_id,
                "uuid_user": caller.id,
                "role": end_user_role,
                "role_type": ROLE_TYPE_USERS,
                "user_available": True,
                "created_by": caller.id,
            },
        )
    return {"success": True, "token": token, "user": claims}


def _agent_single_sign_on(
    tx: Tx,
    caller: Caller,
    project_id: str,
    role: str,
    membership: Record | None,
    ctx: Context,
) -> dict[str, Any]:
    if membership is not None:
        user = users.get_active(tx, membership.user_id) if membership.user_id else None
        if user is None:
            raise NotAuthenticated("User not found.")
    else:
        user = _new_sso_account(tx, caller, ctx)
        memberships.add(
            tx,
            {
                "project_id": project_id,
                "uuid_user": caller.id,
                "user_id": user.id,
                "role": role,
                "role_type": ROLE_TYPE_AGENTS,
                "user_available": True,
                "created_by": caller.id,
            },
        )
    return {
        "success": True,
        "token": account.login_token(user, ctx.keys),
        "user": UserOut.of(user).wire(),
    }


def _new_sso_account(tx: Tx, caller: Caller, ctx: Context) -> Record:
    email = str(caller.profile.get("email") or "").lower()
    if not email:
        raise BadRequest("JWT email field is required for agent roles")
    if users.find_by_email(tx, email) is not None:
        raise PermissionDenied(
            "An account with this email already exists: invite it to the project instead"
        )
    user_id = new_id()
    users.add(
        tx,
        {
            "id": user_id,
            "email": email,
            "password": "!sso",  # no password can match: the account signs in through its SSO
            "firstname": caller.profile.get("firstname"),
            "lastname": caller.profile.get("lastname"),
            "emailverified": False,
            "status": USER_ACTIVE,
        },
    )
    user = users.get_active(tx, user_id)
    assert user is not None
    tx.emit("user.signup", None, UserOut.of(user).wire())
    return user


# ---------------------------------------------------------------- e-mail and password


def verify_email(tx: Tx, user_id: str, code: str) -> Record:
    """Mark the account verified when ``code`` is a live code issued to it."""
    verification = users.take_verification(tx, code)
    if verification is None:
        raise NotAuthenticated(
            "Unable to verify email: the verification code is expired or invalid.",
            key="error",
            error_code=10005,
        )
    if verification.user_id != user_id:
        raise NotAuthenticated(
            "Trying to use a verification code from another user.", key="error", error_code=10006
        )
    user = users.update_fields(tx, user_id, {"emailverified": True})
    if user is None:
        raise NotFound("User not found", key="error", error_code=10001)
    return user


def request_password_reset(tx: Tx, email: str, ctx: Context) -> bool:
    """Store a fresh reset key and mail its link; False when no active account has ``email``."""
    user = users.find_active_by_email(tx, email.lower())
    if user is None:
        return False
    reset_id = secrets.token_urlsafe(24)
    users.update_fields(
        tx, user.id, {"resetpswrequestid": reset_id, "reset_expires_at": tx.now + RESET_KEY_TTL_MS}
    )
    message = messages.reset_password(
        ctx.links, to=user.email, firstname=user.firstname or "", reset_id=reset_id
    )
    ctx.send_after_commit(tx, message)
    tx.emit("user.requestresetpassword", None, {"_id": user.id, "email": user.email})
    return True


def user_for_reset_key(tx: Tx, reset_id: str) -> Record:
    user = users.find_by_reset_id(tx, reset_id) if reset_id else None
    if user is None or (user.reset_expires_at or 0) < tx.now:
        raise NotFound("Invalid password reset key")
    return user


def reset_password(tx: Tx, reset_id: str, password_hash: str, ctx: Context) -> Record:
    """Set the new password and burn the key (it works once)."""
    user = user_for_reset_key(tx, reset_id)
    updated = users.update_fields(
        tx,
        user.id,
        {"password": password_hash, "resetpswrequestid": None, "reset_expires_at": None},
    )
    assert updated is not None
    message = messages.password_changed(ctx.links, to=user.email, firstname=user.firstname or "")
    ctx.send_after_commit(tx, message)
    tx.emit("user.resetpassword", None, UserOut.of(updated).wire())
    return updated


# ---------------------------------------------------------------- guards

NOT_A_MEMBER = "you dont belong to the project."
ROLE_TOO_LOW = "you dont have the required role."


def member_in(
    tx: Tx,
    project: Mapping[str, Any] | None,
    caller: Caller,
    minimum: Role | None,
    machines: frozenset[CallerKind],
) -> Member:
    """The guard of §4.3, with Tessera's deviations: bot and subscription tokens act only in
    their own project, end users signed by a project secret only in that project, and a
    custom role counts as ``agent`` for the role guards (its permissions are honoured by the
    routes' permission checks, §4.4; they cost one lookup, for custom roles only)."""
    if project is None or (caller.project_id is not None and caller.project_id != project["id"]):
        raise PermissionDenied(NOT_A_MEMBER)
    if caller.is_machine:
        if caller.kind not in machines:
            raise PermissionDenied(NOT_A_MEMBER)
        return Member(caller, project, None, None, None)
    membership = memberships.find_active(tx, project["id"], caller.membership_key, caller.id)
    if membership is None:
        raise PermissionDenied(NOT_A_MEMBER)
    standard = Role.parse(membership.role)
    permissions = frozenset(membership.permissions or ())
    if standard is None:
        permissions |= frozenset(roles.permissions_of(tx, project["id"], membership.role))
    role = standard or Role.AGENT
    member = Member(caller, project, membership, role, membership.role, permissions)
    if minimum is not None and not role.includes(minimum):
        raise PermissionDenied(ROLE_TOO_LOW)
    return member
