"""HTTP surface of webhook subscriptions: ``/{project_id}/subscriptions`` (§5.15, admins).

``POST /subscriptions/test`` is not offered: Tiledesk's handler always fails (it tries to
serialise the request object), so no client can depend on it; it answers 404 like any
unknown route (README "Webhooks")."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import Admin
from tessera.core.pagination import Page
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep, SettingsDep
from tessera.subscriptions import service
from tessera.subscriptions.schemas import (
    AttemptOut,
    SubscriptionIn,
    SubscriptionOut,
    SubscriptionUpdate,
    with_secret,
)

router = APIRouter(prefix="/{project_id}/subscriptions", tags=["subscriptions"])


@router.get("", response_model=list[SubscriptionOut])
async def list_subscriptions(member: Admin, db: DatabaseDep) -> Response:
    rows = await db.read(service.list_subscriptions, member)
    return respond_list([SubscriptionOut.of(row) for row in rows])


@router.get("/history", response_model=list[AttemptOut])
async def subscription_history(member: Admin, db: DatabaseDep, page: Page = 0) -> Response:
    rows = await db.read(service.history, member, page)
    return respond_list([AttemptOut.of(row) for row in rows])


@router.post("", response_model=SubscriptionOut)
async def create_subscription(
    member: Admin, body: SubscriptionIn, db: DatabaseDep, settings: SettingsDep
) -> Response:
    """The subscription with its ``secret``, also in the ``x-hook-secret`` header."""
    row, created = await db.write(
        service.create_subscription,
        member,
        body,
        allow_private=settings.webhook_allow_private_targets,
    )
    return json_response(with_secret(row, created=created), headers={"x-hook-secret": row.secret})


@router.get("/{subscription_id}", response_model=SubscriptionOut)
async def get_subscription(member: Admin, subscription_id: str, db: DatabaseDep) -> Response:
    return SubscriptionOut.of(
        await db.read(service.get_subscription, member, subscription_id)
    ).respond()


@router.get("/{subscription_id}/logs", response_model=list[AttemptOut])
async def subscription_logs(
    member: Admin, subscription_id: str, db: DatabaseDep, page: Page = 0
) -> Response:
    """Tessera's addition: the attempts of one subscription, newest first, 40 per page."""
    rows = await db.read(service.subscription_logs, member, subscription_id, page)
    return respond_list([AttemptOut.of(row) for row in rows])


@router.put("/{subscription_id}", response_model=SubscriptionOut)
async def update_subscription(
    member: Admin,
    subscription_id: str,
    body: SubscriptionUpdate,
    db: DatabaseDep,
    settings: SettingsDep,
) -> Response:
    row = await db.write(
        service.update_subscription,
        member,
        subscription_id,
        body,
        allow_private=settings.webhook_allow_private_targets,
    )
    return SubscriptionOut.of(row).respond()


@router.delete("/{subscription_id}", response_model=SubscriptionOut)
async def delete_subscription(member: Admin, subscription_id: str, db: DatabaseDep) -> Response:
    row = await db.write(service.delete_subscription, member, subscription_id)
    return SubscriptionOut.of(row).respond()
