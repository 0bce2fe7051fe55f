"""The properties table: the custom fields a project defines for its leads (§9.18)."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from tessera.core.db import id_column, metadata, timestamp_columns

PROPERTY_NORMAL = 100
PROPERTY_DELETED = 1000

properties = Table(
    "properties",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("label", String(500), nullable=False),
    Column("name", String(500), nullable=False),
    Column("type", String(100), nullable=False),
    Column("status", Integer, nullable=False),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    Index("ix_properties_project_status_created", "project_id", "status", "created_at"),
)
