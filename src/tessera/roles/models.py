"""The custom roles table. Tiledesk's role documents have no timestamps; ``created_at`` is
kept only to list roles in the order they were made (never on the wire)."""

from sqlalchemy import BigInteger, Column, ForeignKey, String, Table, UniqueConstraint

from tessera.core.db import id_column, json_column, metadata

roles = Table(
    "roles",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(300), nullable=False),
    json_column("permissions", nullable=False),
    Column("created_by", String(300), nullable=False),
    Column("created_at", BigInteger, nullable=False),
    UniqueConstraint("project_id", "name"),
)
