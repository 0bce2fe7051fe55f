"""events and activities: custom events (with their expiry) and the activity log

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25 07:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("actor", JSON_TYPE, nullable=False),
        sa.Column("verb", sa.String(length=64), nullable=False),
        sa.Column("action_obj", JSON_TYPE, nullable=True),
        sa.Column("target", JSON_TYPE, nullable=False),
        sa.Column("related", JSON_TYPE, nullable=True),
        sa.Column("involved_user_ids", JSON_TYPE, nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_activities_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index("ix_activities_created", ["created_at"], unique=False)
        batch_op.create_index(
            "ix_activities_project_created", ["project_id", "created_at"], unique=False
        )

    op.create_table(
        "events",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("project_user_id", sa.String(length=24), nullable=True),
        sa.Column("status", sa.String(length=50), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_events_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_expires", ["expires_at"], unique=False)
        batch_op.create_index(
            "ix_events_project_created", ["project_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_events_project_user_created",
            ["project_id", "project_user_id", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index("ix_events_project_user_created")
        batch_op.drop_index("ix_events_project_created")
        batch_op.drop_index("ix_events_expires")

    op.drop_table("events")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index("ix_activities_project_created")
        batch_op.drop_index("ix_activities_created")

    op.drop_table("activities")
