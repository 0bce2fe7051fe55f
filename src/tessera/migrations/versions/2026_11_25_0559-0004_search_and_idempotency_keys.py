"""search and idempotency keys

The search index (``tessera.search.models``) needs what autogenerate cannot express: on
SQLite an FTS5 table over ``search_documents.body`` with the triggers keeping it in step, on
PostgreSQL a GIN index on the body's words. The body is already normalized by the code
(``tessera.search.text``), so both only split it on spaces. No backfill: the tables are new
and so is the product (no request or lead predates this revision).

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 05:59:58.998599
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_keys",
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("caller", sa.String(length=300), nullable=False),
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "caller", "key", name=op.f("pk_idempotency_keys")),
    )
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.create_index("ix_idempotency_keys_created", ["created_at"], unique=False)

    op.create_table(
        "search_documents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("doc_id", sa.String(length=24), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_search_documents_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_documents")),
        sa.UniqueConstraint("kind", "doc_id", name=op.f("uq_search_documents_kind_doc_id")),
    )
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_search_documents_project_kind", ["project_id", "kind"], unique=False
        )

    if op.get_bind().dialect.name == "sqlite":
        _create_fts5_index()
    else:
        op.execute(
            "CREATE INDEX ix_search_documents_body_words ON search_documents"
            " USING gin (array_to_tsvector(string_to_array(body, ' ')))"
        )


def _create_fts5_index() -> None:
    # External content: the text lives once, in search_documents; FTS5 reads it by rowid.
    # The ascii tokenizer splits on ASCII separators only (the stored words are separated by
    # spaces and hold letters, digits and "_"), so SQLite's Unicode tables play no part.
    op.execute(
        "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_documents',"
        " content_rowid='id', tokenize=\"ascii tokenchars '_'\")"
    )
    # FTS5 removes an entry given its old text: triggers are the one place that has it,
    # whatever deletes or rewrites a document (an upsert, a project's cascade).
    op.execute(
        "CREATE TRIGGER search_documents_ai AFTER INSERT ON search_documents BEGIN"
        " INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END"
    )
    op.execute(
        "CREATE TRIGGER search_documents_ad AFTER DELETE ON search_documents BEGIN"
        " INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body);"
        " END"
    )
    op.execute(
        "CREATE TRIGGER search_documents_au AFTER UPDATE ON search_documents BEGIN"
        " INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body);"
        " INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("search_documents_ai", "search_documents_ad", "search_documents_au"):
            op.execute(f"DROP TRIGGER {trigger}")
        op.execute("DROP TABLE search_fts")
    else:
        op.execute("DROP INDEX ix_search_documents_body_words")
    with op.batch_alter_table("search_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_search_documents_project_kind")

    op.drop_table("search_documents")
    with op.batch_alter_table("idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_keys_created")

    op.drop_table("idempotency_keys")
