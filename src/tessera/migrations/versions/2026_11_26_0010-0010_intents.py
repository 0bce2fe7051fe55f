"""intents: a bot's questions and answers, bot publishing and trash

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 00:10:00

The bot columns publishing and trash need (``trashed_at``, ``root_id``, ``published_by``,
``published_at``, ``release_note``, ``modified``) came with the bots table (0003). Intents
are full-text searchable through ``search_documents`` (0004, kind ``intent``): nothing to add
for that here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "intents",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("bot_id", sa.String(length=24), nullable=False),
        sa.Column("intent_id", sa.String(length=100), nullable=False),
        sa.Column("intent_display_name", sa.String(length=500), nullable=False),
        sa.Column("question", sa.Text(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("reply", JSON_TYPE, nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("topic", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=50), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=True),
        sa.Column("form", JSON_TYPE, nullable=True),
        sa.Column("actions", JSON_TYPE, nullable=True),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("webhook_enabled", sa.Boolean(), nullable=False),
        sa.Column("agents_available", sa.Boolean(), nullable=True),
        sa.Column("trashed", sa.Boolean(), nullable=True),
        sa.Column("trashed_at", sa.BigInteger(), nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["bot_id"], ["bots.id"], name=op.f("fk_intents_bot_id_bots"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_intents_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_intents")),
        sa.UniqueConstraint(
            "project_id",
            "bot_id",
            "intent_display_name",
            name=op.f("uq_intents_project_id_bot_id_intent_display_name"),
        ),
        sa.UniqueConstraint(
            "project_id",
            "bot_id",
            "intent_id",
            name=op.f("uq_intents_project_id_bot_id_intent_id"),
        ),
    )
    with op.batch_alter_table("intents", schema=None) as batch_op:
        batch_op.create_index("ix_intents_bot_created", ["bot_id", "created_at"], unique=False)


def downgrade() -> None:
    op.execute("DELETE FROM search_documents WHERE kind = 'intent'")
    with op.batch_alter_table("intents", schema=None) as batch_op:
        batch_op.drop_index("ix_intents_bot_created")
    op.drop_table("intents")
