"""request list indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 07:05:00

The default conversation list walks ``ix_requests_list_order`` newest first (the status is
checked in the index) and counts with ``ix_requests_list_count`` alone; they replace
``ix_requests_project_status_created``, which neither query could use well.
``ix_requests_open_by_update`` serves the schedulers' sweep of unresponsive conversations.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("ix_requests_project_status_created")
        batch_op.create_index(
            "ix_requests_list_order",
            ["project_id", "preflight", "created_at", "id", "status"],
            unique=False,
        )
        batch_op.create_index(
            "ix_requests_list_count", ["project_id", "preflight", "status", "id"], unique=False
        )
        batch_op.create_index(
            "ix_requests_open_by_update",
            ["has_bot", "updated_at"],
            unique=False,
            postgresql_where=sa.text("status < 1000"),
            sqlite_where=sa.text("status < 1000"),
        )


def downgrade() -> None:
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("ix_requests_open_by_update")
        batch_op.drop_index("ix_requests_list_count")
        batch_op.drop_index("ix_requests_list_order")
        batch_op.create_index(
            "ix_requests_project_status_created",
            ["project_id", "status", "created_at"],
            unique=False,
        )
