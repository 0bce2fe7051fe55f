"""HTTP surface of authentication: ``/auth`` (all public, §3.5)."""

import anyio
from fastapi import APIRouter, Request
from starlette.responses import Response

from tessera.auth import service
from tessera.auth.passwords import hash_password, verify_password
from tessera.auth.principal import CallerKind
from tessera.auth.schemas import (
    AnonymousIn,
    CustomTokenIn,
    EmailIn,
    PasswordChanged,
    PasswordIn,
    ResetKeyValid,
    SigninIn,
    SigninOut,
    SignupIn,
    SignupOut,
    TokenOut,
)
from tessera.auth.tokens import strip_scheme
from tessera.context import Context
from tessera.core.db import Database
from tessera.core.errors import NotAuthenticated, Unauthorized
from tessera.core.responses import json_response
from tessera.dependencies import ContextDep, DatabaseDep
from tessera.invitations import service as invitations
from tessera.invitations.schemas import InvitationOut
from tessera.users import service as account
from tessera.users.schemas import UserBrief, UserOut

router = APIRouter(prefix="/auth", tags=["auth"])


@router.post("/signup", response_model=SignupOut)
async def signup(
    body: SignupIn, request: Request, db: DatabaseDep, context: ContextDep
) -> Response:
    if not body.password:
        # Tiledesk answers this one with HTTP 200 (§3.5).
        return json_response({"success": False, "msg": "Please pass email and password."})
    by_admin = await _signed_by_admin(request, db, context)
    password_hash = await anyio.to_thread.run_sync(
        hash_password, body.password, context.bcrypt_rounds
    )
    user = await db.write(service.signup, body, password_hash, context, verified=by_admin)
    return SignupOut(user=UserOut.of(user)).respond()


async def _signed_by_admin(request: Request, db: Database, context: Context) -> bool:
    """Tiledesk lets the super-admin create verified accounts by signing up with its token."""
    header = request.headers.get("authorization")
    if not context.admin_email or not header or not header.lower().startswith("jwt "):
        return False
    try:
        caller = await db.read(service.caller_from_token, strip_scheme(header), context.keys)
    except Unauthorized:
        return False
    return caller.kind is CallerKind.USER and caller.profile.get("email") == context.admin_email


@router.post("/signin", response_model=SigninOut)
async def signin(body: SigninIn, db: DatabaseDep, context: ContextDep) -> Response:
    user = await db.read(account.find_active_by_email, body.email)
    if user is None:
        raise NotAuthenticated("Authentication failed. User not found.")
    if not await anyio.to_thread.run_sync(verify_password, body.password, user.password):
        raise NotAuthenticated("Authentication failed. Wrong password.")
    role = "admin" if context.admin_email and user.email == context.admin_email else None
    token = account.login_token(user, context.keys)
    return SigninOut(token=token, user=UserBrief.of(user), role=role).respond()


@router.post("/signinAnonymously", response_model=TokenOut)
async def signin_anonymously(body: AnonymousIn, db: DatabaseDep, context: ContextDep) -> Response:
    return json_response(await db.write(service.signin_anonymously, body, context))


@router.post("/signinWithCustomToken", response_model=TokenOut)
async def signin_with_custom_token(
    request: Request, db: DatabaseDep, context: ContextDep, body: CustomTokenIn | None = None
) -> Response:
    header = request.headers.get("authorization")
    if not header:
        raise Unauthorized()
    project_id = body.id_project if body else None
    return json_response(
        await db.write(service.signin_with_custom_token, header, project_id, context)
    )


@router.put("/verifyemail/{user_id}/{code}", response_model=UserOut)
async def verify_email(user_id: str, code: str, db: DatabaseDep) -> Response:
    user = await db.write(service.verify_email, user_id, code)
    return UserOut.of(user).respond()


@router.get("/pendinginvitationsnoauth/{invitation_id}", response_model=InvitationOut)
async def get_pending_invitation_public(invitation_id: str, db: DatabaseDep) -> Response:
    invitation = await db.read(invitations.get_public_invitation, invitation_id)
    return InvitationOut.of(invitation).respond()


@router.put("/requestresetpsw")
async def request_password_reset(body: EmailIn, db: DatabaseDep, context: ContextDep) -> Response:
    if await db.write(service.request_password_reset, body.email, context):
        return json_response(
            {"success": True, "message": "An email has been sent to reset your password"}
        )
    return json_response({"success": False, "msg": "User not found."})


@router.put("/resetpsw/{reset_id}", response_model=PasswordChanged)
async def reset_password(
    reset_id: str, body: PasswordIn, db: DatabaseDep, context: ContextDep
) -> Response:
    await db.read(service.user_for_reset_key, reset_id)
    password_hash = await anyio.to_thread.run_sync(
        hash_password, body.password, context.bcrypt_rounds
    )
    user = await db.write(service.reset_password, reset_id, password_hash, context)
    return PasswordChanged(user=UserOut.of(user)).respond()


@router.get("/checkpswresetkey/{reset_id}", response_model=ResetKeyValid)
async def check_reset_key(reset_id: str, db: DatabaseDep) -> Response:
    user = await db.read(service.user_for_reset_key, reset_id)
    return ResetKeyValid(user=UserOut.of(user)).respond()
