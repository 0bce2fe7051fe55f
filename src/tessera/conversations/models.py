"""Tables of conversations, their agents (participants and routing candidates) and the
per-project ticket counter."""

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    text,
)

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

# Request status (fact sheet §5.4.4).
TEMP = 50
UNASSIGNED = 100
ABANDONED = 150
ASSIGNED = 200
SERVED = 300
CLOSED = 1000

requests = Table(
    "requests",
    metadata,
    id_column(),
    Column("request_id", String(300), nullable=False, unique=True),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("ticket_id", Integer),
    Column("requester_id", String(24)),
    Column("lead_id", String(24)),
    Column("subject", Text),
    Column("first_text", Text, nullable=False),
    Column("status", Integer, nullable=False),
    Column("preflight", Boolean, nullable=False, default=False),
    Column("has_bot", Boolean, nullable=False, default=False),
    json_column("participants", nullable=False),
    json_column("participants_agents", nullable=False),
    json_column("participants_bots", nullable=False),
    json_column("followers", nullable=False),
    Column("priority", String(50)),
    Column("department_id", String(24)),
    Column("transcript", Text),
    Column("first_response_at", BigInteger),
    Column("assigned_at", BigInteger),
    Column("closed_at", BigInteger),
    Column("waiting_time", BigInteger),
    Column("duration", BigInteger),
    Column("closed_by", String(300)),
    json_column("tags", nullable=False),
    json_column("notes", nullable=False),
    json_column("snapshot"),
    Column("rating", Integer),
    Column("rating_message", Text),
    Column("source_page", Text),
    Column("language", String(50)),
    Column("user_agent", Text),
    json_column("channel"),
    json_column("channel_outbound"),
    json_column("attributes"),
    json_column("location"),
    json_column("contact"),
    Column("auto_close", Integer),
    Column("smart_assignment", Boolean),
    Column("working_status", String(50)),
    Column("draft", Boolean),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    # The default list: its page walks ix_requests_list_order newest first (status checked in
    # the index), its count reads ix_requests_list_count only (``id`` included for the
    # visibility check of agents, an EXISTS on request_agents per row).
    Index("ix_requests_list_order", "project_id", "preflight", "created_at", "id", "status"),
    Index("ix_requests_list_count", "project_id", "preflight", "status", "id"),
    # The schedulers' sweep of unresponsive conversations, across projects (§8.3).
    Index(
        "ix_requests_open_by_update",
        "has_bot",
        "updated_at",
        postgresql_where=text("status < 1000"),
        sqlite_where=text("status < 1000"),
    ),
    Index("ix_requests_project_created", "project_id", "created_at"),
    # An agent's open conversations (``open_conversations_of``) read their state here.
    Index("ix_requests_open_state", "id", "status", "draft", "working_status"),
    Index("ix_requests_project_updated", "project_id", "updated_at"),
    Index("ix_requests_project_lead", "project_id", "lead_id"),
    Index("ix_requests_project_ticket", "project_id", "ticket_id"),
    # The all-time averages and counts of analytics (§5.19), read from the index alone.
    Index(
        "ix_requests_analytics",
        "project_id",
        "preflight",
        "created_at",
        "waiting_time",
        "rating",
        "closed_at",
        "has_bot",
    ),
)

PARTICIPANT = "participant"
CANDIDATE = "candidate"

request_agents = Table(
    "request_agents",
    metadata,
    Column("request_pk", String(24), ForeignKey("requests.id", ondelete="CASCADE"), nullable=False),
    Column("project_id", String(24), nullable=False),
    Column("agent", String(300), nullable=False),
    Column("kind", String(12), nullable=False),
    PrimaryKeyConstraint("request_pk", "agent", "kind"),
    Index("ix_request_agents_project_agent", "project_id", "agent", "kind"),
)
"""Who a conversation is visible to without ``request_read_all``: its participants (user ids
and ``bot_<id>``) and the agents it was routed among (``snapshot.agents``), kept beside the
JSON so that lists filter with an index instead of scanning arrays."""

project_counters = Table(
    "project_counters",
    metadata,
    Column(
        "project_id",
        String(24),
        ForeignKey("projects.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("ticket_seq", Integer, nullable=False, default=0),
)
"""The ``ticket_id`` sequence. Incrementing it locks the row until commit, which also
serializes routing decisions inside one project (chat limits hold under concurrency)."""
