"""bots

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 05:47:55.529457
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "bots",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("webhook_url", sa.Text(), nullable=True),
        sa.Column("webhook_enabled", sa.Boolean(), nullable=False),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("subtype", sa.String(length=50), nullable=True),
        sa.Column("trashed", sa.Boolean(), nullable=False),
        sa.Column("trashed_at", sa.BigInteger(), nullable=True),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column(
            "attributes",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("certified", sa.Boolean(), nullable=False),
        sa.Column("main_category", sa.String(length=200), nullable=True),
        sa.Column("intents_engine", sa.String(length=50), nullable=False),
        sa.Column(
            "tags",
            JSON_TYPE,
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("published_by", sa.String(length=24), nullable=True),
        sa.Column("published_at", sa.BigInteger(), nullable=True),
        sa.Column("trained", sa.Boolean(), nullable=False),
        sa.Column("short_description", sa.Text(), nullable=True),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("release_note", sa.Text(), nullable=True),
        sa.Column(
            "certified_tags",
            JSON_TYPE,
            nullable=True,
        ),
        sa.Column("agents_available", sa.Boolean(), nullable=False),
        sa.Column("slug", sa.String(length=500), nullable=True),
        sa.Column("modified", sa.Boolean(), nullable=False),
        sa.Column("root_id", sa.String(length=24), nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_bots_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bots")),
        sa.UniqueConstraint("project_id", "slug", name=op.f("uq_bots_project_id_slug")),
    )
    with op.batch_alter_table("bots", schema=None) as batch_op:
        batch_op.create_index("ix_bots_project_trashed", ["project_id", "trashed"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("bots", schema=None) as batch_op:
        batch_op.drop_index("ix_bots_project_trashed")

    op.drop_table("bots")
