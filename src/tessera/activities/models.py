"""The activities table (§5.18). Rows are deleted ``ACTIVITY_EXPIRATION_DAYS`` after their
creation by the scheduler's purge."""

from sqlalchemy import Column, ForeignKey, Index, String, Table

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

activities = Table(
    "activities",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    json_column("actor", nullable=False),  # {type: user|bot|system, id, name}
    Column("verb", String(64), nullable=False),
    json_column("action_obj"),
    json_column("target", nullable=False),  # {type, id, object}
    json_column("related"),  # {role, type, id, name}: a third party (the assignee...)
    json_column("involved_user_ids"),  # users the ``agent_id`` filter finds it for
    *timestamp_columns(),
    Index("ix_activities_project_created", "project_id", "created_at"),
    Index("ix_activities_created", "created_at"),
)
