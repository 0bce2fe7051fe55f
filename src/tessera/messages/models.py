"""The messages table."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

# Message status (fact sheet §5.5.3).
FAILED = -100
SENDING = 0
SENT = 100
DELIVERED = 150
RECEIVED = 200
RETURN_RECEIPT = 250
SEEN = 300

messages = Table(
    "messages",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("recipient", String(300), nullable=False),
    Column("recipient_fullname", String(500)),
    Column("sender", String(300), nullable=False),
    Column("sender_fullname", String(500)),
    Column("type", String(50), nullable=False),
    Column("channel_type", String(20), nullable=False),
    Column("text", Text),
    Column("language", String(50)),
    json_column("channel"),
    json_column("attributes"),
    json_column("metadata"),
    Column("status", Integer, nullable=False),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    Index("ix_messages_project_recipient_created", "project_id", "recipient", "created_at"),
    Index("ix_messages_project_created", "project_id", "created_at"),
)
