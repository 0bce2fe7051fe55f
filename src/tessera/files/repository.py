"""SQL for stored files. A file is found by its path, and only where the caller may see it."""

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, insert, or_, select

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.files.models import files


def live(tx: Tx, path: str, now: int) -> Record | None:
    """The unexpired file stored under ``path``, whoever it belongs to."""
    statement = select(files).where(
        files.c.path == path, or_(files.c.expires_at.is_(None), files.c.expires_at > now)
    )
    return tx.first(statement)


def live_in_project(tx: Tx, project_id: str, path: str, now: int) -> Record | None:
    """The unexpired file under ``path`` if it is the project's, or no project's (a user's
    avatar or legacy upload): never a file of another project."""
    statement = select(files).where(
        files.c.path == path,
        or_(files.c.project_id == project_id, files.c.project_id.is_(None)),
        or_(files.c.expires_at.is_(None), files.c.expires_at > now),
    )
    return tx.first(statement)


def add(tx: Tx, values: Mapping[str, Any]) -> Record:
    statement = (
        insert(files)
        .values({"id": new_id(), "created_at": tx.now, "updated_at": tx.now, **values})
        .returning(*files.c)
    )
    return tx.one(statement)


def remove_paths(tx: Tx, paths: Iterable[str]) -> int:
    wanted = [path for path in paths if path]
    if not wanted:
        return 0
    return tx.conn.execute(delete(files).where(files.c.path.in_(wanted))).rowcount


def expired(tx: Tx, now: int, limit: int) -> list[Record]:
    statement = (
        select(files)
        .where(files.c.expires_at.is_not(None), files.c.expires_at <= now)
        .order_by(files.c.expires_at, files.c.id)
        .limit(limit)
    )
    return tx.all(statement)
