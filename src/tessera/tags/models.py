"""The tags table (the library; tags on conversations are copies, tags on leads strings)."""

from sqlalchemy import Column, ForeignKey, String, Table, UniqueConstraint

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

tags = Table(
    "tags",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("tag", String(500), nullable=False),
    Column("color", String(100)),
    json_column("attributes"),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("project_id", "tag"),
)
