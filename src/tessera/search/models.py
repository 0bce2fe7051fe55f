"""The full-text index behind the ``full_text`` filters (fact sheet §5.4.2, §5.6).

``search_documents`` holds one normalized text (``search.text.body``) per request and per
lead. Migration 0004 adds what is specific to each database, outside ``metadata``:

- SQLite: ``search_fts``, an FTS5 table over ``search_documents.body`` (external content,
  so the text is stored once) kept in step by triggers on ``search_documents``. Triggers
  rather than code: every change, including the cascade when a project is deleted, reaches
  the index, and the trigger knows the old text FTS5 needs to remove an entry.
- PostgreSQL: ``GIN_INDEX``, a GIN index on the body's words as lexemes, split on spaces
  only (``array_to_tsvector(string_to_array(body, ' '))``, see ``search.text``).

A later migration that alters ``search_documents`` in SQLite's batch mode recreates the table
and so drops its triggers: it must create them again.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tessera.core.db import metadata

REQUEST = "request"
LEAD = "lead"

search_documents = Table(
    "search_documents",
    metadata,
    # An integer key: FTS5 addresses external-content rows by a stable rowid.
    Column("id", BigInteger().with_variant(Integer(), "sqlite"), primary_key=True),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("doc_id", String(24), nullable=False),
    Column("body", Text, nullable=False),
    UniqueConstraint("kind", "doc_id"),
    Index("ix_search_documents_project_kind", "project_id", "kind"),
)

FTS_TABLE = "search_fts"
GIN_INDEX = "ix_search_documents_body_words"

# Read-only view of the FTS5 table for queries; on a separate MetaData because migrations
# create it by hand (a virtual table) and must not see it as a table of the schema.
search_fts = Table(FTS_TABLE, MetaData(), Column("rowid", Integer), Column(FTS_TABLE, Text))

UNMANAGED = frozenset(
    {
        FTS_TABLE,
        *(f"{FTS_TABLE}_{shadow}" for shadow in ("data", "idx", "docsize", "config", "content")),
        GIN_INDEX,
    }
)
"""Database objects of the search index that migrations create by hand (dialect-specific):
schema comparisons must skip them."""
