"""The triggers table. ``trigger``, ``conditions`` and ``actions`` are Tiledesk's
subdocuments as stored JSON; ``trigger_key`` repeats ``trigger.key`` so that the rules
engine finds a project's enabled triggers for one event by index."""

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

triggers = Table(
    "triggers",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(500), nullable=False),
    Column("description", Text),
    Column("trigger_key", String(100), nullable=False),
    json_column("trigger", nullable=False),
    json_column("conditions", nullable=False),
    json_column("actions", nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("code", String(100)),
    Column("type", String(100)),
    Column("version", Integer),
    Column("created_by", String(300), nullable=False),
    Column("updated_by", String(300), nullable=False),
    *timestamp_columns(),
    Index("ix_triggers_project_key_enabled", "project_id", "trigger_key", "enabled"),
)
