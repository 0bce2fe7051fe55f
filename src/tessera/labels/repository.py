"""SQL for labels. Every query is scoped by project."""

from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.labels.models import label_entries, labels

_e = label_entries.c


def get(tx: Tx, project_id: str) -> Record | None:
    """The project's label document (without its entries)."""
    return tx.first(select(labels).where(labels.c.project_id == project_id))


def get_for_update(tx: Tx, project_id: str) -> Record | None:
    """The document, locked: writers of one project's labels take turns (PostgreSQL; SQLite
    serialises every write already)."""
    statement = select(labels).where(labels.c.project_id == project_id).with_for_update()
    return tx.first(statement)


def add(tx: Tx, project_id: str, created_by: str) -> Record | None:
    """A new, empty document; None when another writer created the project's one first."""
    statement = (
        insert(labels)
        .values(
            id=new_id(),
            project_id=project_id,
            created_by=created_by,
            created_at=tx.now,
            updated_at=tx.now,
        )
        .returning(*labels.c)
    )
    # A SAVEPOINT, so that the loser of a race (PostgreSQL aborts the whole transaction on
    # a violated constraint) can go on to read the winner's row.
    try:
        with tx.conn.begin_nested():
            return tx.first(statement)
    except IntegrityError:
        return None


def touch(tx: Tx, project_id: str) -> None:
    tx.conn.execute(
        update(labels).where(labels.c.project_id == project_id).values(updated_at=tx.now)
    )


def remove(tx: Tx, project_id: str) -> int:
    """Delete the document and its entries; how many documents went (0 or 1)."""
    tx.conn.execute(delete(label_entries).where(_e.project_id == project_id))
    return tx.conn.execute(delete(labels).where(labels.c.project_id == project_id)).rowcount


def entries(tx: Tx, project_id: str) -> list[Record]:
    """The project's languages in the order they were first stored."""
    statement = select(label_entries).where(_e.project_id == project_id).order_by(_e.position)
    return tx.all(statement)


def fallback_candidates(tx: Tx, project_id: str, lang: str, pivot: str) -> list[Record]:
    """The entries a read of ``lang`` may answer: that language, the default one, the pivot
    (the widget asks on every page load; the other languages need not be read)."""
    statement = select(label_entries).where(
        _e.project_id == project_id, or_(_e.lang == lang, _e.is_default, _e.lang == pivot)
    )
    return tx.all(statement.order_by(_e.position))


def add_entry(tx: Tx, project_id: str, values: dict[str, Any]) -> None:
    """Append a language after the project's others."""
    last = select(func.coalesce(func.max(_e.position), 0)).where(_e.project_id == project_id)
    position = tx.conn.execute(last).scalar_one() + 1
    tx.conn.execute(
        insert(label_entries).values(
            id=new_id(), project_id=project_id, position=position, **values
        )
    )


def replace_entry(tx: Tx, project_id: str, lang: str, values: dict[str, Any]) -> None:
    """New contents for a language, in the same place."""
    statement = (
        update(label_entries).where(_e.project_id == project_id, _e.lang == lang).values(**values)
    )
    tx.conn.execute(statement)


def make_default(tx: Tx, project_id: str, lang: str) -> None:
    """``lang`` becomes the project's only default language."""
    statement = (
        update(label_entries).where(_e.project_id == project_id).values(is_default=_e.lang == lang)
    )
    tx.conn.execute(statement)


def remove_entry(tx: Tx, project_id: str, lang: str) -> int:
    statement = delete(label_entries).where(_e.project_id == project_id, _e.lang == lang)
    return tx.conn.execute(statement).rowcount
