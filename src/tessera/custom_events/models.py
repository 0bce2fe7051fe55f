"""The events table (§9.17). A row expires ``EVENTS_TTL_SECONDS`` after its creation
(``expires_at``, fixed when it is written): reads skip it at once, the scheduler's purge
deletes it later."""

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Table, Text

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

STANDARD = "stardard"  # sic: Tiledesk's default status (§9.17)

events = Table(
    "events",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    # Free text of any length: not indexed, so that no name is too long for an index entry.
    Column("name", Text, nullable=False),
    json_column("attributes"),
    # The sender's membership; none for bots and subscriptions. Not a foreign key: an event
    # outlives nothing (one hour), and Tiledesk keeps the reference as it was.
    Column("project_user_id", String(24)),
    Column("status", String(50), nullable=False),
    Column("created_by", String(300), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
    *timestamp_columns(),
    Index("ix_events_project_created", "project_id", "created_at"),
    Index("ix_events_project_user_created", "project_id", "project_user_id", "created_at"),
    Index("ix_events_expires", "expires_at"),
)
