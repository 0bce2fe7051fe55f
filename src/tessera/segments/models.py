"""The segments table: named lead filters (§9.18)."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

SEGMENT_NORMAL = 100
SEGMENT_DELETED = 0

segments = Table(
    "segments",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(500), nullable=False),
    Column("match", String(10), nullable=False),
    json_column("filters", nullable=False),
    Column("status", Integer, nullable=False),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    Index("ix_segments_project_status_created", "project_id", "status", "created_at"),
)
