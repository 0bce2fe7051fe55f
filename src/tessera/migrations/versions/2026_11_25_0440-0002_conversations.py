"""conversations

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 04:38:06.134446
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "canned_responses",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("title", sa.String(length=1000), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_canned_responses_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_canned_responses")),
    )
    with op.batch_alter_table("canned_responses", schema=None) as batch_op:
        batch_op.create_index(
            "ix_canned_responses_project_status", ["project_id", "status"], unique=False
        )

    op.create_table(
        "groups",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=500), nullable=False),
        sa.Column("members", JSON_TYPE, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("trashed", sa.Boolean(), nullable=False),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_groups_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_groups")),
    )
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_groups_project_id"), ["project_id"], unique=False)

    op.create_table(
        "leads",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("lead_id", sa.String(length=300), nullable=False),
        sa.Column("fullname", sa.String(length=500), nullable=True),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=64), nullable=True),
        sa.Column("company", sa.String(length=500), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("street_address", sa.String(length=500), nullable=True),
        sa.Column("city", sa.String(length=200), nullable=True),
        sa.Column("region", sa.String(length=200), nullable=True),
        sa.Column("zipcode", sa.String(length=50), nullable=True),
        sa.Column("country", sa.String(length=200), nullable=True),
        sa.Column("tags", JSON_TYPE, nullable=False),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("properties", JSON_TYPE, nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_leads_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
        sa.UniqueConstraint("project_id", "lead_id", name=op.f("uq_leads_project_id_lead_id")),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index("ix_leads_project_email", ["project_id", "email"], unique=False)
        batch_op.create_index(
            "ix_leads_project_status_created", ["project_id", "status", "created_at"], unique=False
        )

    op.create_table(
        "messages",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("recipient", sa.String(length=300), nullable=False),
        sa.Column("recipient_fullname", sa.String(length=500), nullable=True),
        sa.Column("sender", sa.String(length=300), nullable=False),
        sa.Column("sender_fullname", sa.String(length=500), nullable=True),
        sa.Column("type", sa.String(length=50), nullable=False),
        sa.Column("channel_type", sa.String(length=20), nullable=False),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=50), nullable=True),
        sa.Column("channel", JSON_TYPE, nullable=True),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("metadata", JSON_TYPE, nullable=True),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_messages_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_messages_project_created", ["project_id", "created_at"], unique=False
        )
        batch_op.create_index(
            "ix_messages_project_recipient_created",
            ["project_id", "recipient", "created_at"],
            unique=False,
        )

    op.create_table(
        "project_counters",
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("ticket_seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_counters_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", name=op.f("pk_project_counters")),
    )
    op.create_table(
        "requests",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("request_id", sa.String(length=300), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("requester_id", sa.String(length=24), nullable=True),
        sa.Column("lead_id", sa.String(length=24), nullable=True),
        sa.Column("subject", sa.Text(), nullable=True),
        sa.Column("first_text", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("preflight", sa.Boolean(), nullable=False),
        sa.Column("has_bot", sa.Boolean(), nullable=False),
        sa.Column("participants", JSON_TYPE, nullable=False),
        sa.Column("participants_agents", JSON_TYPE, nullable=False),
        sa.Column("participants_bots", JSON_TYPE, nullable=False),
        sa.Column("followers", JSON_TYPE, nullable=False),
        sa.Column("priority", sa.String(length=50), nullable=True),
        sa.Column("department_id", sa.String(length=24), nullable=True),
        sa.Column("transcript", sa.Text(), nullable=True),
        sa.Column("first_response_at", sa.BigInteger(), nullable=True),
        sa.Column("assigned_at", sa.BigInteger(), nullable=True),
        sa.Column("closed_at", sa.BigInteger(), nullable=True),
        sa.Column("waiting_time", sa.BigInteger(), nullable=True),
        sa.Column("duration", sa.BigInteger(), nullable=True),
        sa.Column("closed_by", sa.String(length=300), nullable=True),
        sa.Column("tags", JSON_TYPE, nullable=False),
        sa.Column("notes", JSON_TYPE, nullable=False),
        sa.Column("snapshot", JSON_TYPE, nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("rating_message", sa.Text(), nullable=True),
        sa.Column("source_page", sa.Text(), nullable=True),
        sa.Column("language", sa.String(length=50), nullable=True),
        sa.Column("user_agent", sa.Text(), nullable=True),
        sa.Column("channel", JSON_TYPE, nullable=True),
        sa.Column("channel_outbound", JSON_TYPE, nullable=True),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("location", JSON_TYPE, nullable=True),
        sa.Column("contact", JSON_TYPE, nullable=True),
        sa.Column("auto_close", sa.Integer(), nullable=True),
        sa.Column("smart_assignment", sa.Boolean(), nullable=True),
        sa.Column("working_status", sa.String(length=50), nullable=True),
        sa.Column("draft", sa.Boolean(), nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_requests_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_requests")),
        sa.UniqueConstraint("request_id", name=op.f("uq_requests_request_id")),
    )
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_requests_project_created", ["project_id", "created_at"], unique=False
        )
        batch_op.create_index("ix_requests_project_lead", ["project_id", "lead_id"], unique=False)
        batch_op.create_index(
            "ix_requests_project_status_created",
            ["project_id", "status", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_requests_project_ticket", ["project_id", "ticket_id"], unique=False
        )
        batch_op.create_index(
            "ix_requests_project_updated", ["project_id", "updated_at"], unique=False
        )

    op.create_table(
        "tags",
        sa.Column("id", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("tag", sa.String(length=500), nullable=False),
        sa.Column("color", sa.String(length=100), nullable=True),
        sa.Column("attributes", JSON_TYPE, nullable=True),
        sa.Column("created_by", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_tags_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("project_id", "tag", name=op.f("uq_tags_project_id_tag")),
    )
    op.create_table(
        "request_agents",
        sa.Column("request_pk", sa.String(length=24), nullable=False),
        sa.Column("project_id", sa.String(length=24), nullable=False),
        sa.Column("agent", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_pk"],
            ["requests.id"],
            name=op.f("fk_request_agents_request_pk_requests"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("request_pk", "agent", "kind", name=op.f("pk_request_agents")),
    )
    with op.batch_alter_table("request_agents", schema=None) as batch_op:
        batch_op.create_index(
            "ix_request_agents_project_agent", ["project_id", "agent", "kind"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("request_agents", schema=None) as batch_op:
        batch_op.drop_index("ix_request_agents_project_agent")

    op.drop_table("request_agents")
    op.drop_table("tags")
    with op.batch_alter_table("requests", schema=None) as batch_op:
        batch_op.drop_index("ix_requests_project_updated")
        batch_op.drop_index("ix_requests_project_ticket")
        batch_op.drop_index("ix_requests_project_status_created")
        batch_op.drop_index("ix_requests_project_lead")
        batch_op.drop_index("ix_requests_project_created")

    op.drop_table("requests")
    op.drop_table("project_counters")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_project_recipient_created")
        batch_op.drop_index("ix_messages_project_created")

    op.drop_table("messages")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("ix_leads_project_status_created")
        batch_op.drop_index("ix_leads_project_email")

    op.drop_table("leads")
    with op.batch_alter_table("groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_groups_project_id"))

    op.drop_table("groups")
    with op.batch_alter_table("canned_responses", schema=None) as batch_op:
        batch_op.drop_index("ix_canned_responses_project_status")

    op.drop_table("canned_responses")
