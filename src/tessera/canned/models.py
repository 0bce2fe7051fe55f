"""The canned_responses table."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

CANNED_ACTIVE = 100
CANNED_DELETED = 1000

canned_responses = Table(
    "canned_responses",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(1000)),
    Column("text", Text, nullable=False),
    Column("shared", Boolean, nullable=False),
    json_column("attributes"),
    Column("status", Integer, nullable=False),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    Index("ix_canned_responses_project_status", "project_id", "status"),
)
