"""Stored files: what an upload becomes, who may read and delete it (fact sheet §5.23).

Deliberate deviations from Tiledesk (DESIGN.md "by-id lookups are always scoped"):
* ``/:pid/files`` serves and deletes only files of that project, or of no project (avatars
  and legacy uploads, which belong to a user); Tiledesk serves any path to anyone signed in.
* deleting needs a right to the file: its uploader, or in its project an admin, a bot or a
  subscription, or an agent for chat attachments. Tiledesk lets anyone signed in delete any
  path.
* an expired chat upload is gone at once (404), even before the purge removes its bytes.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from tessera.auth.principal import Caller, Member, Role
from tessera.bots import repository as bots
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound, PermissionDenied
from tessera.files import names, policy, repository
from tessera.files.models import KIND_CHAT, KIND_THUMBNAIL
from tessera.files.storage import Storage
from tessera.files.thumbnails import make_thumbnail
from tessera.project_users.models import ROLE_TYPE_USERS

FILE_NOT_FOUND = "File not found."
IMAGE_NOT_FOUND = "Image not found."


@dataclass(frozen=True, slots=True)
class Upload:
    """The file part of a multipart body, as the client sent it."""

    filename: str
    declared_type: str | None
    data: bytes


@dataclass(frozen=True, slots=True)
class Plan:
    """Where and how an upload is kept: ``path`` builds the stored path from the sanitised
    name; ``replace`` overwrites what is there (avatars live at a fixed path)."""

    kind: str
    project_id: str | None
    owner_id: str
    allowed: policy.AllowList
    path: Callable[[str], str]
    thumbnail: bool = False
    expires_at: int | None = None
    replace: bool = False


@dataclass(frozen=True, slots=True)
class Prepared:
    """An upload that passed the policy, with its thumbnail: ready to be stored."""

    plan: Plan
    path: str
    filename: str
    content_type: str
    data: bytes
    thumbnail_path: str | None
    thumbnail_data: bytes | None


def prepare(upload: Upload, plan: Plan) -> Prepared:
    """Check ``upload`` against the plan's policy (``policy.Refused``) and make its
    thumbnail. CPU work without I/O: run it off the event loop."""
    filename = names.safe_filename(upload.filename)
    extension = names.extension_of(filename)
    content_type = policy.checked_type(extension, upload.declared_type, upload.data, plan.allowed)
    path = plan.path(filename)
    thumbnail = None
    if plan.thumbnail and content_type.startswith("image/"):
        thumbnail = make_thumbnail(upload.data)
    return Prepared(
        plan=plan,
        path=path,
        filename=filename,
        content_type=content_type,
        data=upload.data,
        thumbnail_path=names.thumbnail_path(path) if thumbnail is not None else None,
        thumbnail_data=thumbnail,
    )


def record(tx: Tx, prepared: Prepared) -> Record:
    """The rows of a stored upload (and of its thumbnail); a replaced file's rows go first."""
    plan = prepared.plan
    if plan.replace:
        repository.remove_paths(tx, [prepared.path, names.thumbnail_path(prepared.path)])
    common = {
        "project_id": plan.project_id,
        "owner_id": plan.owner_id,
        "expires_at": plan.expires_at,
    }
    if prepared.thumbnail_path is not None and prepared.thumbnail_data is not None:
        repository.add(
            tx,
            {
                **common,
                "path": prepared.thumbnail_path,
                "kind": KIND_THUMBNAIL,
                "filename": names.THUMBNAIL_PREFIX + prepared.filename,
                "content_type": prepared.content_type,
                "size": len(prepared.thumbnail_data),
            },
        )
    return repository.add(
        tx,
        {
            **common,
            "path": prepared.path,
            "kind": plan.kind,
            "filename": prepared.filename,
            "content_type": prepared.content_type,
            "size": len(prepared.data),
            "thumbnail": prepared.thumbnail_path,
        },
    )


def chat_allow_list(member: Member, default: str) -> policy.AllowList:
    """End users upload what the widget allows, agents what the project's settings allow
    (Tiledesk: ``widget.allowedUploadExtentions`` / ``settings.allowed_upload_extentions``)."""
    project = member.project
    if _is_end_user(member):
        configured = (project.get("widget") or {}).get("allowedUploadExtentions")
    else:
        configured = (project.get("settings") or {}).get("allowed_upload_extentions")
    return policy.AllowList.parse(configured or default)


def _is_end_user(member: Member) -> bool:
    membership = member.membership
    return membership is not None and (
        membership["role_type"] == ROLE_TYPE_USERS or member.role is Role.GUEST
    )


def avatar_entity(tx: Tx, member: Member, bot_id: str | None) -> tuple[str, str | None]:
    """Whose photo an avatar upload sets, and the project it then belongs to: the caller's
    own (no project), or with ``bot_id`` a bot of this project, for its admins."""
    if not bot_id:
        return member.caller.id, None
    if bots.get(tx, member.project_id, bot_id) is None:
        raise NotFound("Chatbot not found", key="error")
    if not (member.caller.is_machine or member.has_role(Role.ADMIN)):
        raise PermissionDenied(
            "You don't have the role required to modify the chatbot", key="error"
        )
    return bot_id, member.project_id


def project_file(tx: Tx, member: Member, path: str) -> Record:
    """A file the member may read through ``/:pid/files``."""
    for candidate in _spellings(path):
        row = repository.live_in_project(tx, member.project_id, candidate, tx.now)
        if row is not None:
            return row
    raise NotFound(FILE_NOT_FOUND, key="error")


def public_file(tx: Tx, path: str) -> Record | None:
    """A file by its path for the public download routes (its path is its capability: a
    random UUID folder for uploads), None when there is none or it has expired."""
    for candidate in _spellings(path):
        row = repository.live(tx, candidate, tx.now)
        if row is not None:
            return row
    return None


def _spellings(path: str) -> list[str]:
    """The path as given, then once more URL-decoded: some clients pass on the encoded
    ``filename`` of an upload answer and encode it again."""
    decoded = unquote(path)
    return [path, decoded] if decoded != path else [path]


def delete_project_file(tx: Tx, member: Member, path: str, storage: Storage) -> Record:
    row = project_file(tx, member, path)
    if not _may_delete(member, row):
        raise PermissionDenied(
            "You don't have the permission required to delete this file", key="error"
        )
    return _forget(tx, row, storage)


def delete_own_file(tx: Tx, caller: Caller, path: str, storage: Storage) -> Record:
    """Legacy ``DELETE /images/users``: the uploader only (there is no project to be an admin
    of). Tiledesk deletes any path for anyone signed in."""
    row = public_file(tx, path)
    if row is None:
        raise NotFound(IMAGE_NOT_FOUND)
    if row.owner_id != caller.id:
        raise PermissionDenied("You don't have the permission required to delete this image")
    return _forget(tx, row, storage)


def _may_delete(member: Member, row: Mapping[str, Any]) -> bool:
    caller = member.caller
    if row["owner_id"] == caller.id:
        return True
    if row["project_id"] != member.project_id:
        return False  # a user's avatar or legacy upload: theirs only
    if caller.is_machine or member.has_role(Role.ADMIN):
        return True
    return row["kind"] in (KIND_CHAT, KIND_THUMBNAIL) and member.has_role(Role.AGENT)


def _forget(tx: Tx, row: Record, storage: Storage) -> Record:
    """Drop the rows now and the bytes once the transaction has committed."""
    paths = [row.path, row.thumbnail] if row.thumbnail else [row.path]
    repository.remove_paths(tx, paths)
    tx.after_commit(lambda: _delete_bytes(storage, paths))
    return row


def _delete_bytes(storage: Storage, paths: list[str]) -> None:
    for path in paths:
        storage.delete(path)


def expired_files(tx: Tx, now: int, limit: int) -> list[Record]:
    return repository.expired(tx, now, limit)


def forget_paths(tx: Tx, paths: list[str]) -> int:
    return repository.remove_paths(tx, paths)
