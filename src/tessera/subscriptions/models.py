"""Subscriptions (fact sheet §9.13), the webhook outbox and its attempt log."""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

subscriptions = Table(
    "subscriptions",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("event", String(300), nullable=False),
    Column("target", Text, nullable=False),
    Column("secret", String(64), nullable=False),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("project_id", "event", "target"),
)
"""The unique key leads with ``(project_id, event)``: the outbox looks subscriptions up by
project and event on every write that emits one."""

_ONE_RECIPIENT = "(subscription_id IS NULL) <> (bot_id IS NULL)"

PENDING = "pending"
SENDING = "sending"
DELIVERED = "delivered"
FAILED = "failed"

webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    id_column(),  # the delivery id receivers de-duplicate on (X-Tessera-Delivery)
    Column("subscription_id", String(24)),
    Column("bot_id", String(24)),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("event", String(300), nullable=False),
    json_column("payload", nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", BigInteger, nullable=False),
    Column("claim", String(36)),
    Column("last_error", Text),
    *timestamp_columns(),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_at"),
    CheckConstraint(_ONE_RECIPIENT, name="one_recipient"),
)
"""One row per (recipient, event occurrence), written in the transaction of the data. The
recipient is a subscription (§7.1) or, for the external bot webhook (§7.3), a bot: exactly
one of ``subscription_id`` and ``bot_id`` is set.

``next_attempt_at`` (epoch ms) is when a ``pending`` delivery is due; while a dispatcher
holds a claim (``sending``) it is the end of the lease, after which another dispatcher may
take the delivery over. ``claim`` identifies the dispatcher's hold, so a late answer from a
lease that expired cannot overwrite the outcome of the retry that replaced it.
Neither recipient column is a foreign key: deleting a subscription or a bot keeps its log."""

webhook_attempts = Table(
    "webhook_attempts",
    metadata,
    id_column(),
    Column("delivery_id", String(24), nullable=False),
    Column("subscription_id", String(24)),
    Column("bot_id", String(24)),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("event", String(300), nullable=False),
    Column("target", Text, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("status_code", Integer),
    Column("error", Text),
    Column("duration_ms", Integer, nullable=False),
    Column("response_body", Text),
    *timestamp_columns(),
    Index("ix_webhook_attempts_project_created", "project_id", "created_at"),
    Index("ix_webhook_attempts_subscription_created", "subscription_id", "created_at"),
    CheckConstraint(_ONE_RECIPIENT, name="one_recipient"),
)
"""Every POST a dispatcher made. Those to subscriptions are the project's webhook log
(``GET /:pid/subscriptions/history`` and ``/:id/logs``); those to bots are kept for the
operator."""
