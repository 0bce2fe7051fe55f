"""The groups table."""

from sqlalchemy import Boolean, Column, ForeignKey, String, Table

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

groups = Table(
    "groups",
    metadata,
    id_column(),
    Column(
        "project_id",
        String(24),
        ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("name", String(500), nullable=False),
    json_column("members", nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("trashed", Boolean, nullable=False, default=False),
    json_column("attributes"),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
)
