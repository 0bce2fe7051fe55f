"""analytics indexes: averages and counts over a project's conversations read an index only

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 00:14:00

The all-time averages of §5.19 (waiting time, satisfaction, duration, bot share) read every
conversation of a project: with the averaged columns in the index they never touch the
table (33.5 -> 2.4 ms at 20 000 conversations on SQLite). Visitor counts by date read the
project's memberships by creation time.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ANALYTICS_COLUMNS = [
    "project_id",
    "preflight",
    "created_at",
    "waiting_time",
    "rating",
    "closed_at",
    "has_bot",
]


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index("ix_requests_analytics", ANALYTICS_COLUMNS, unique=False)
    with op.batch_alter_table("project_users", schema=None) as batch_op:
        batch_op.create_index(
            "ix_project_users_project_created", ["project_id", "created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("project_users", schema=None) as batch_op:
        batch_op.drop_index("ix_project_users_project_created")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("ix_requests_analytics")
