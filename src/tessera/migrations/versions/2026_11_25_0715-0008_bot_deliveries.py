"""bot deliveries: the webhook outbox and its attempt log also serve the external bot webhook

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25 07:15:00

A delivery (and each attempt) goes to a subscription or to a bot (§7.3): ``bot_id`` is
added, ``subscription_id`` becomes optional, and a check keeps exactly one of them set.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_RECIPIENT = "(subscription_id IS NULL) <> (bot_id IS NULL)"
TABLES = ("webhook_attempts", "webhook_deliveries")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("bot_id", sa.String(length=24), nullable=True))
            batch_op.alter_column(
                "subscription_id", existing_type=sa.String(length=24), nullable=True
            )
            batch_op.create_check_constraint(op.f(f"ck_{table}_one_recipient"), ONE_RECIPIENT)


def downgrade() -> None:
    for table in reversed(TABLES):
        rows = sa.table(table, sa.column("bot_id"))
        op.execute(rows.delete().where(rows.c.bot_id.is_not(None)))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_one_recipient"), type_="check")
            batch_op.alter_column(
                "subscription_id", existing_type=sa.String(length=24), nullable=False
            )
            batch_op.drop_column("bot_id")
