"""labels: the widget texts of a project, per language

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 00:09:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_labels_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labels")),
        sa.UniqueConstraint("project_id", name=op.f("uq_labels_project_id")),
    )
    op.create_table(
        "label_entries",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("lang", sa.String(length=35), nullable=False),
        sa.Column("data", JSON_TYPE, nullable=False),
        sa.Column("category", sa.String(length=300), nullable=True),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["labels.project_id"],
            name=op.f("fk_label_entries_project_id_labels"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_entries")),
        sa.UniqueConstraint("project_id", "lang", name=op.f("uq_label_entries_project_id_lang")),
    )


def downgrade() -> None:
    op.drop_table("label_entries")
    op.drop_table("labels")
