"""Taking an upload in, and purging expired ones: the steps around the unit of work.

Checking the bytes and making a thumbnail is CPU work, writing them is I/O: both run in a
worker thread, never on the event loop (which also runs SQLite's units of work). The bytes
are written before the rows that name them, under a fresh UUID folder (or atomically over an
avatar), and removed again if the rows cannot be written: a file is never listed without
its bytes.
"""

import anyio

from tessera.auth.principal import Caller, Member
from tessera.config import Settings
from tessera.core.clock import now_ms
from tessera.core.db import Database, Record
from tessera.core.errors import PermissionDenied
from tessera.files import names, policy, service
from tessera.files.models import KIND_ASSET, KIND_AVATAR, KIND_CHAT, KIND_LEGACY
from tessera.files.service import Plan, Prepared, Upload
from tessera.files.storage import Storage

PURGE_BATCH = 500


async def accept(db: Database, storage: Storage, upload: Upload, plan: Plan) -> Prepared:
    """Check, store and record ``upload``; ``policy.Refused`` when the policy says no."""
    try:
        prepared = await anyio.to_thread.run_sync(service.prepare, upload, plan)
    except policy.Refused as error:
        raise refused_as_error(error) from None
    await anyio.to_thread.run_sync(_store, storage, prepared)
    try:
        await db.write(service.record, prepared)
    except BaseException:
        if not plan.replace:
            await anyio.to_thread.run_sync(_unstore, storage, prepared)
        raise
    return prepared


def _store(storage: Storage, prepared: Prepared) -> None:
    storage.put(prepared.path, prepared.data)
    if prepared.thumbnail_path is not None and prepared.thumbnail_data is not None:
        storage.put(prepared.thumbnail_path, prepared.thumbnail_data)
    elif prepared.plan.replace:
        storage.delete(names.thumbnail_path(prepared.path))  # the replaced photo's


def _unstore(storage: Storage, prepared: Prepared) -> None:
    storage.delete(prepared.path)
    if prepared.thumbnail_path is not None:
        storage.delete(prepared.thumbnail_path)


async def purge_expired(db: Database, storage: Storage, now: int) -> int:
    """Remove the files expired at ``now`` (epoch ms), rows first, in batches; the number
    removed. Safe to run in several processes at once: removing twice changes nothing."""
    removed = 0
    while True:
        rows: list[Record] = await db.read(service.expired_files, now, PURGE_BATCH)
        if not rows:
            return removed
        paths = [row.path for row in rows]
        await db.write(service.forget_paths, paths)
        await anyio.to_thread.run_sync(_delete_all, storage, paths)
        removed += len(paths)
        if len(rows) < PURGE_BATCH:
            return removed


def _delete_all(storage: Storage, paths: list[str]) -> None:
    for path in paths:
        storage.delete(path)


def refused_as_error(error: policy.Refused) -> PermissionDenied:
    return PermissionDenied(error.message, key="error")


def chat_plan(member: Member, settings: Settings) -> Plan:
    """``POST /:pid/files/chat``: kept ``CHAT_FILE_EXPIRATION_TIME`` seconds."""
    owner = member.caller.id
    return Plan(
        kind=KIND_CHAT,
        project_id=member.project_id,
        owner_id=owner,
        allowed=service.chat_allow_list(member, settings.chat_files_allow_list),
        path=lambda filename: names.chat_path(owner, filename),
        thumbnail=True,
        expires_at=now_ms() + settings.chat_file_expiration_time * 1000,
    )


def asset_plan(member: Member, settings: Settings, expiration: str | None) -> Plan:
    """``POST /:pid/files/assets``: kept for ever, or ``expiration`` seconds when that is a
    positive integer (anything else is ignored, as Tiledesk's ``parseInt`` test does)."""
    project_id = member.project_id
    seconds = int(expiration) if expiration and expiration.strip().isdigit() else 0
    return Plan(
        kind=KIND_ASSET,
        project_id=project_id,
        owner_id=member.caller.id,
        allowed=policy.AllowList.parse(settings.assets_files_allow_list),
        path=lambda filename: names.asset_path(project_id, filename),
        thumbnail=True,
        expires_at=now_ms() + seconds * 1000 if seconds > 0 else None,
    )


def avatar_plan(entity_id: str, project_id: str | None) -> Plan:
    """A user's or bot's photo, at its fixed path, replacing the previous one."""
    return Plan(
        kind=KIND_AVATAR,
        project_id=project_id,
        owner_id=entity_id,
        allowed=policy.AllowList.parse(list(policy.IMAGE_EXTENSIONS)),
        path=lambda _filename: names.avatar_path(entity_id),
        thumbnail=True,
        replace=True,
    )


def legacy_file_plan(caller: Caller, settings: Settings) -> Plan:
    """``POST /files/users`` (removed from Tiledesk, still called by widgets): no project,
    so the default chat allow-list; no expiry, as there."""
    owner = caller.id
    return Plan(
        kind=KIND_LEGACY,
        project_id=caller.project_id,
        owner_id=owner,
        allowed=policy.AllowList.parse(settings.chat_files_allow_list),
        path=lambda filename: names.chat_path(owner, filename),
    )


def legacy_image_plan(caller: Caller) -> Plan:
    """``POST /images/users``: images only, with a thumbnail."""
    owner = caller.id
    return Plan(
        kind=KIND_LEGACY,
        project_id=caller.project_id,
        owner_id=owner,
        allowed=policy.AllowList.parse(list(policy.LEGACY_IMAGE_EXTENSIONS)),
        path=lambda filename: names.legacy_image_path(owner, filename),
        thumbnail=True,
    )
