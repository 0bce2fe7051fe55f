"""The projects table."""

from sqlalchemy import Boolean, Column, Integer, String, Table, Text

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

PROJECT_ACTIVE = 100
PROJECT_DELETED = 0

projects = Table(
    "projects",
    metadata,
    id_column(),
    Column("name", String(500), nullable=False),
    Column("active_operating_hours", Boolean, nullable=False, default=False),
    Column("operating_hours", Text),
    json_column("time_slots"),
    json_column("settings"),
    json_column("widget"),
    Column("public_key", Text),
    Column("private_key", Text),
    Column("jwt_secret", String(200)),
    Column("status", Integer, nullable=False, default=PROJECT_ACTIVE),
    json_column("attributes"),
    json_column("profile", nullable=False),
    Column("versions", Integer),
    json_column("channels"),
    Column("organization", String(500)),
    Column("ip_filter_enabled", Boolean, nullable=False, default=False),
    json_column("ip_filter", nullable=False),
    Column("ip_filter_deny_enabled", Boolean, nullable=False, default=False),
    json_column("ip_filter_deny", nullable=False),
    json_column("banned_users", nullable=False),
    Column("created_by", String(64), nullable=False),
    *timestamp_columns(),
)
