"""Migrations build exactly the schema the code declares, on the test database's engine."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from tessera.core.db import create_engine
from tessera.migrate import is_current
from tessera.models import managed, metadata


def test_the_migrated_database_matches_the_tables_in_code(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts={"include_name": managed}), metadata
            )
    finally:
        engine.dispose()

    assert diff == []


def test_the_test_database_is_at_the_newest_migration(database_url: str) -> None:
    assert is_current(database_url)
