"""The caller's own account (``/users``) and public profiles (``/users_util``)."""

import secrets

from tessera.auth.principal import Caller
from tessera.auth.tokens import sign
from tessera.context import Context, TokenKeys
from tessera.core.db import Record, Tx
from tessera.core.errors import BadRequest, Conflict, NotFound
from tessera.core.ids import is_object_id, new_uuid
from tessera.emails import messages
from tessera.users import repository
from tessera.users.models import USER_DELETED
from tessera.users.schemas import UserBrief, UserOut, UserUpdate

_NOT_FOUND = "Object not found."
VERIFY_CODE_TTL_MS = 15 * 60 * 1000


def get_account(tx: Tx, caller: Caller) -> Record:
    user = repository.get_active(tx, caller.id)
    if user is None:
        raise NotFound(_NOT_FOUND)
    return user


def find_active_by_email(tx: Tx, email: str) -> Record | None:
    return repository.find_active_by_email(tx, email.lower())


def update_account(tx: Tx, caller: Caller, body: UserUpdate) -> Record:
    """Apply the fields that are present; a phone number belongs to one account only."""
    values = body.model_dump(exclude_none=True)
    if "phone" in values:
        owner = repository.find_by_phone(tx, values["phone"])
        if owner is not None and owner.id != caller.id:
            raise Conflict("Phone number already registered")
    user = repository.update_fields(tx, caller.id, values) if values else get_account(tx, caller)
    if user is None:
        raise NotFound("User not found")
    tx.emit("user.update", None, UserOut.of(user).wire())
    return user


def anonymize_account(tx: Tx, caller: Caller) -> Record:
    """Soft delete: the account can no longer sign in and keeps no personal data."""
    values = {
        "status": USER_DELETED,
        "email": f"{new_uuid()}@tessera.invalid",
        "firstname": "anonymized",
        "lastname": "anonymized",
        "phone": None,
        "attributes": None,
        "description": None,
        "public_email": None,
        "public_website": None,
    }
    user = repository.update_fields(tx, caller.id, values)
    if user is None:
        raise NotFound("User not found")
    tx.emit("user.delete", None, UserOut.of(user).wire())
    return user


def delete_account(tx: Tx, caller: Caller) -> dict[str, int]:
    """Hard delete; the account's memberships go with it."""
    deleted = repository.delete_user(tx, caller.id)
    tx.emit("user.delete", None, {"_id": caller.id})
    return {"n": deleted, "ok": 1, "deletedCount": deleted}


def set_password(tx: Tx, caller: Caller, password_hash: str, ctx: Context) -> None:
    user = repository.update_fields(tx, caller.id, {"password": password_hash})
    if user is None:
        raise NotFound("User not found")
    message = messages.password_changed(ctx.links, to=user.email, firstname=user.firstname or "")
    ctx.send_after_commit(tx, message)


def resend_verification(tx: Tx, caller: Caller, ctx: Context) -> None:
    send_verification(tx, get_account(tx, caller), ctx)


def send_verification(tx: Tx, user: Record, ctx: Context) -> None:
    """Issue a verification code (valid 15 minutes) and mail its link."""
    code = secrets.token_urlsafe(24)
    repository.add_verification(tx, code, user.id, user.email, tx.now + VERIFY_CODE_TTL_MS)
    email = messages.verify_email(
        ctx.links, to=user.email, firstname=user.firstname or "", user_id=user.id, code=code
    )
    ctx.send_after_commit(tx, email)


def mail_desktop_link(
    tx: Tx,
    caller: Caller,
    project_id: str | None,
    bot_id: str | None,
    namespace_id: str | None,
    ctx: Context,
) -> None:
    """E-mail a link that opens the dashboard on a desktop, signed in (``loginemail``).

    The link carries a fresh login token, never the credentials of the request (which may
    be a Basic password)."""
    if not project_id:
        raise BadRequest("missing 'id_project' field", key="error")
    if not bot_id and not namespace_id:
        raise BadRequest("missing 'bot_id' or 'namespace_id' field", key="error")
    user = get_account(tx, caller)
    token = login_token(user, ctx.keys)
    target = f"chatbot/{bot_id}" if bot_id else f"knowledge-bases/{namespace_id}"
    link = ctx.links.url(f"project/{project_id}/{target}?token={token}")
    ctx.send_after_commit(
        tx,
        messages.continue_on_desktop(
            ctx.links, to=user.email, firstname=user.firstname or "", link=link
        ),
    )


def public_profile(tx: Tx, user_id: str) -> Record:
    if not is_object_id(user_id):
        raise NotFound("User id not found")
    user = repository.get_active(tx, user_id)
    if user is None:
        raise NotFound(_NOT_FOUND)
    return user


def login_token(user: Record, keys: TokenKeys) -> str:
    """A registered user's login token, ``JWT `` prefix included (§3.2)."""
    claims = UserBrief.of(user).wire()
    return "JWT " + sign(claims, keys.secret, subject="user", algorithm=keys.algorithm)
