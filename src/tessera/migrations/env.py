"""Alembic environment: the URL comes from the caller (``tessera migrate``), never a file."""

from alembic import context

from tessera.core.db import create_engine
from tessera.models import managed, metadata

config = context.config
url = config.attributes["database_url"]
engine = create_engine(url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=managed,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
engine.dispose()
