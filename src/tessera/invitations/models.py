"""The pending_invitations table."""

from sqlalchemy import Column, ForeignKey, String, Table

from tessera.core.db import id_column, metadata, timestamp_columns

pending_invitations = Table(
    "pending_invitations",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), index=True),
    Column("email", String(320), index=True),
    Column("role", String(100)),
    Column("created_by", String(200), nullable=False),
    *timestamp_columns(),
)
