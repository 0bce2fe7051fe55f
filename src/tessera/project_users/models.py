"""The project_users table: one row per membership of a user, guest or end user in a project."""

from sqlalchemy import BigInteger, Boolean, Column, ForeignKey, Index, Integer, String, Table

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

ROLE_TYPE_AGENTS = 1
ROLE_TYPE_USERS = 2
STATUS_ACTIVE = "active"
STATUS_DISABLED = "disabled"

project_users = Table(
    "project_users",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE")),
    Column("uuid_user", String(200)),
    Column("role", String(100), nullable=False),
    Column("role_type", Integer, nullable=False),
    Column("user_available", Boolean, nullable=False, default=True),
    Column("profile_status", String(100)),
    json_column("presence"),
    json_column("attributes"),
    Column("max_assigned_chat", Integer),
    Column("number_assigned_requests", Integer, nullable=False, default=0),
    Column("last_ip", String(100)),
    Column("last_login_at", BigInteger),
    json_column("settings"),
    json_column("tags", nullable=False),
    json_column("permissions", nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("status", String(20), nullable=False, default=STATUS_ACTIVE),
    Column("trashed", Boolean, nullable=False, default=False),
    *timestamp_columns(),
    Index("ix_project_users_project_user", "project_id", "user_id"),
    Index("ix_project_users_project_uuid", "project_id", "uuid_user"),
    Index("ix_project_users_user", "user_id"),
    Index("ix_project_users_project_created", "project_id", "created_at"),  # analytics by date
)
