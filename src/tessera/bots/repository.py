"""SQL for bots; every query is scoped to one project."""

from collections.abc import Iterable

from sqlalchemy import select

from tessera.bots.models import bots
from tessera.core.db import Record, Tx


def get(tx: Tx, project_id: str, bot_id: str) -> Record | None:
    statement = select(bots).where(bots.c.project_id == project_id, bots.c.id == bot_id)
    return tx.first(statement)


def get_many(tx: Tx, project_id: str, ids: Iterable[str]) -> dict[str, Record]:
    """The project's bots among ``ids`` (ids of other projects' bots are ignored)."""
    wanted = {value for value in ids if value}
    if not wanted:
        return {}
    statement = select(bots).where(bots.c.project_id == project_id, bots.c.id.in_(wanted))
    return {row.id: row for row in tx.all(statement)}


def find_untrashed(tx: Tx, project_id: str, *, column: str, value: str) -> Record | None:
    """The project's non-trashed bot whose ``column`` (``id``, ``name`` or ``slug``) is
    ``value``."""
    statement = (
        select(bots)
        .where(bots.c.project_id == project_id, bots.c[column] == value, bots.c.trashed.is_(False))
        .order_by(bots.c.created_at)
        .limit(1)
    )
    return tx.first(statement)
