"""SQLite checkpoints run in the background, off the event loop (``Database``)."""

import asyncio
import sqlite3
from pathlib import Path

from sqlalchemy import text

from tessera.core.db import Database, Tx


def _write_rows(tx: Tx, count: int) -> None:
    tx.conn.execute(text("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, body TEXT)"))
    for index in range(count):
        tx.conn.execute(text("INSERT INTO notes (body) VALUES (:body)"), {"body": f"n{index}"})


def _rows_in_main_file(path: Path) -> int:
    """Rows visible in the database file alone, the WAL ignored (``immutable``)."""
    connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        tables = connection.execute("SELECT name FROM sqlite_master WHERE name = 'notes'")
        if tables.fetchone() is None:
            return 0
        return int(connection.execute("SELECT count(*) FROM notes").fetchone()[0])
    finally:
        connection.close()


async def test_committed_rows_reach_the_database_file_without_an_automatic_checkpoint(
    tmp_path: Path,
) -> None:
    path = tmp_path / "checkpoints.db"
    database = Database(f"sqlite:///{path}")
    try:
        await database.write(_write_rows, 200)
        before = _rows_in_main_file(path)
        checkpoints = asyncio.create_task(database.checkpoint_in_background(0.05))
        await asyncio.sleep(0.5)
        checkpoints.cancel()
        after = _rows_in_main_file(path)
    finally:
        database.close()

    assert before == 0  # still only in the WAL: SQLite did not checkpoint on commit
    assert after == 200


async def test_postgresql_has_no_checkpoint_task() -> None:
    database = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    try:
        finished = await asyncio.wait_for(database.checkpoint_in_background(0.01), timeout=1)
        assert finished is None  # returned at once: PostgreSQL checkpoints by itself
    finally:
        database.close()
