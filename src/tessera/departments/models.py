"""The departments table."""

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

ROUTING_POOLED = "pooled"
ROUTING_ASSIGNED = "assigned"
DEPARTMENT_VISIBLE = 1

departments = Table(
    "departments",
    metadata,
    id_column(),
    Column(
        "project_id",
        String(24),
        ForeignKey("projects.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    Column("id_bot", String(64)),
    Column("bot_only", Boolean),
    Column("routing", String(20), nullable=False, default=ROUTING_POOLED),
    Column("name", String(500), nullable=False),
    Column("description", Text),
    Column("id_group", String(64)),
    json_column("groups"),
    Column("online_msg", Text),
    Column("offline_msg", Text),
    Column("default", Boolean, nullable=False, default=False),
    json_column("tags", nullable=False),
    Column("status", Integer, nullable=False, default=DEPARTMENT_VISIBLE),
    Column("created_by", String(200), nullable=False),
    *timestamp_columns(),
)
