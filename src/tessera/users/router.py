"""HTTP surface of accounts: ``/users`` (the caller's own) and ``/users_util`` (public)."""

import anyio
from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import CurrentUser
from tessera.auth.passwords import hash_password, verify_password
from tessera.core.errors import NotAuthenticated, PermissionDenied
from tessera.core.responses import json_response
from tessera.core.schemas import InModel
from tessera.dependencies import ContextDep, DatabaseDep
from tessera.users import service
from tessera.users.schemas import PasswordChange, PublicProfile, UserBrief, UserOut, UserUpdate

router = APIRouter(prefix="/users", tags=["users"])
public_router = APIRouter(prefix="/users_util", tags=["users"])


class LoginEmailIn(InModel):
    id_project: str | None = None
    bot_id: str | None = None
    namespace_id: str | None = None


@router.get("", response_model=UserBrief)
async def get_current_user(caller: CurrentUser) -> Response:
    # The caller's profile was read from the database to authenticate this very request.
    return json_response(dict(caller.profile))


@router.put("")
async def update_current_user(caller: CurrentUser, body: UserUpdate, db: DatabaseDep) -> Response:
    user = await db.write(service.update_account, caller, body)
    return json_response({"success": True, "updatedUser": UserOut.of(user).wire()})


@router.delete("")
async def anonymize_current_user(caller: CurrentUser, db: DatabaseDep) -> Response:
    user = await db.write(service.anonymize_account, caller)
    return json_response({"success": True, "updatedUser": UserOut.of(user).wire()})


@router.delete("/physical")
async def delete_current_user(caller: CurrentUser, db: DatabaseDep) -> Response:
    result = await db.write(service.delete_account, caller)
    return json_response({"success": True, "user": result})


@router.put("/changepsw")
async def change_password(
    caller: CurrentUser, body: PasswordChange, db: DatabaseDep, context: ContextDep
) -> Response:
    user = await db.read(service.get_account, caller)
    if not await anyio.to_thread.run_sync(verify_password, body.oldpsw, user.password):
        raise NotAuthenticated("Current password is invalid.")
    if body.newpsw == body.oldpsw:
        raise PermissionDenied(
            "The new password must be different from the previous one.", key="message"
        )
    password_hash = await anyio.to_thread.run_sync(
        hash_password, body.newpsw, context.bcrypt_rounds
    )
    await db.write(service.set_password, caller, password_hash, context)
    return json_response({"message": "Password change successful"})


@router.get("/resendverifyemail")
async def resend_verification_email(
    caller: CurrentUser, db: DatabaseDep, context: ContextDep
) -> Response:
    await db.write(service.resend_verification, caller, context)
    return json_response({"success": True, "message": "Verify email successfully sent"})


@router.post("/loginemail")
async def send_login_email(
    caller: CurrentUser, body: LoginEmailIn, db: DatabaseDep, context: ContextDep
) -> Response:
    await db.write(
        service.mail_desktop_link,
        caller,
        body.id_project,
        body.bot_id,
        body.namespace_id,
        context,
    )
    return json_response({"success": True, "message": "Sending email..."})


@public_router.get("/{user_id}", response_model=PublicProfile)
async def get_public_profile(user_id: str, db: DatabaseDep) -> Response:
    user = await db.read(service.public_profile, user_id)
    return PublicProfile.of(user).respond()
