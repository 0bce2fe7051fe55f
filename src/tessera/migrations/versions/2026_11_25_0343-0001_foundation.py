"""foundation: users, projects, memberships, invitations, departments

Revision ID: 0001
Revises:
Create Date: 2026-11-25 03:43:14.592722
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "email_verifications",
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=24), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_email_verifications")),
    )
    with op.batch_alter_table("email_verifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_email_verifications_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "projects",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("active_operating_hours", sa.Boolean(), nullable=False),
        sa.Column("operating_hours", sa.Text(), nullable=True),
        sa.Column("time_slots", JSON_TYPE, nullable=True),
        sa.Column("settings", JSON_TYPE, nullable=True),
        sa.Column("widget", JSON_TYPE, nullable=True),
        sa.Column("public_key", sa.Text(), nullable=True),
        sa.Column("private_key", sa.Text(), nullable=True),
        sa.Column("jwt_secret", sa.String(length=200), nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("profile", JSON_TYPE, nullable=False),
        sa.Column("versions", sa.Integer(), nullable=True),
        sa.Column("channels", JSON_TYPE, nullable=True),
        sa.Column("organization", sa.String(length=500), nullable=True),
        sa.Column("ip_filter_enabled", sa.Boolean(), nullable=False),
        sa.Column("ip_filter", JSON_TYPE, nullable=False),
        sa.Column("ip_filter_deny_enabled", sa.Boolean(), nullable=False),
        sa.Column("ip_filter_deny", JSON_TYPE, nullable=False),
        sa.Column("banned_users", JSON_TYPE, nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("password", sa.String(length=100), nullable=False),
        sa.Column("firstname", sa.String(length=200), nullable=True),
        sa.Column("lastname", sa.String(length=200), nullable=True),
        sa.Column("emailverified", sa.Boolean(), nullable=False),
        sa.Column("resetpswrequestid", sa.String(length=64), nullable=True),
        sa.Column("reset_expires_at", sa.BigInteger(), nullable=True),
        sa.Column("signed_in_at", sa.BigInteger(), nullable=True),
        sa.Column("auth_url", sa.String(length=2000), nullable=True),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("description", sa.String(length=2000), nullable=True),
        sa.Column("public_email", sa.String(length=320), nullable=True),
        sa.Column("public_website", sa.String(length=2000), nullable=True),
        sa.Column("phone", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
        sa.UniqueConstraint("phone", name=op.f("uq_users_phone")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_users_resetpswrequestid"), ["resetpswrequestid"], unique=False
        )

    op.create_table(
        "departments",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("id_bot", sa.String(length=64), nullable=True),
        sa.Column("bot_only", sa.Boolean(), nullable=True),
        sa.Column("routing", sa.String(length=20), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("id_group", sa.String(length=64), nullable=True),
        sa.Column("groups", JSON_TYPE, nullable=True),
        sa.Column("online_msg", sa.Text(), nullable=True),
        sa.Column("offline_msg", sa.Text(), nullable=True),
        sa.Column("default", sa.Boolean(), nullable=False),
        sa.Column("tags", JSON_TYPE, nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_departments_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_departments")),
    )
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_departments_project_id"), ["project_id"], unique=False)

    op.create_table(
        "pending_invitations",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("role", sa.String(length=100), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_pending_invitations_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_invitations")),
    )
    with op.batch_alter_table("pending_invitations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pending_invitations_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pending_invitations_project_id"), ["project_id"], unique=False
        )

    op.create_table(
        "project_users",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("user_id", sa.String(length=24), nullable=True),
        sa.Column("uuid_user", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("role_type", sa.Integer(), nullable=False),
        sa.Column("user_available", sa.Boolean(), nullable=False),
        sa.Column("profile_status", sa.String(length=100), nullable=True),
        sa.Column("presence", JSON_TYPE, nullable=True),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("max_assigned_chat", sa.Integer(), nullable=True),
        sa.Column("number_assigned_requests", sa.Integer(), nullable=False),
        sa.Column("last_ip", sa.String(length=100), nullable=True),
        sa.Column("last_login_at", sa.BigInteger(), nullable=True),
        sa.Column("settings", JSON_TYPE, nullable=True),
        sa.Column("tags", JSON_TYPE, nullable=False),
        sa.Column("permissions", JSON_TYPE, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("trashed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_users_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_project_users_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_users")),
    )
    with op.batch_alter_table("project_users", schema=None) as batch_op:
        batch_op.create_index(
            "ix_project_users_project_user", ["project_id", "user_id"], unique=False
        )
        batch_op.create_index(
            "ix_project_users_project_uuid", ["project_id", "uuid_user"], unique=False
        )
        batch_op.create_index("ix_project_users_user", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("project_users", schema=None) as batch_op:
        batch_op.drop_index("ix_project_users_user")
        batch_op.drop_index("ix_project_users_project_uuid")
        batch_op.drop_index("ix_project_users_project_user")

    op.drop_table("project_users")
    with op.batch_alter_table("pending_invitations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pending_invitations_project_id"))
        batch_op.drop_index(batch_op.f("ix_pending_invitations_email"))

    op.drop_table("pending_invitations")
    with op.batch_alter_table("departments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_departments_project_id"))

    op.drop_table("departments")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_resetpswrequestid"))

    op.drop_table("users")
    op.drop_table("projects")
    with op.batch_alter_table("email_verifications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_verifications_user_id"))

    op.drop_table("email_verifications")
