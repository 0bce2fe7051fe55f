"""The intents table (fact sheet §9.12): a bot's questions and answers."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

intents = Table(
    "intents",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("bot_id", String(24), ForeignKey("bots.id", ondelete="CASCADE"), nullable=False),
    Column("intent_id", String(100), nullable=False),
    Column("intent_display_name", String(500), nullable=False),
    Column("question", Text),
    Column("answer", Text),
    json_column("reply"),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("topic", String(200), nullable=False, default="default"),
    Column("status", String(50), nullable=False, default="live"),
    Column("language", String(20)),
    json_column("form"),
    json_column("actions"),
    json_column("attributes"),
    Column("webhook_enabled", Boolean, nullable=False, default=False),
    Column("agents_available", Boolean),
    Column("trashed", Boolean),
    Column("trashed_at", BigInteger),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("project_id", "bot_id", "intent_display_name"),
    UniqueConstraint("project_id", "bot_id", "intent_id"),
    Index("ix_intents_bot_created", "bot_id", "created_at"),
)
"""``bot_id`` is Tiledesk's ``id_faq_kb``. Unique per bot: ``intent_display_name`` and
``intent_id`` (§9.12). A bot's intents go with it when it is deleted."""
