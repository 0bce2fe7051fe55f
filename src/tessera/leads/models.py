"""The leads table."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

LEAD_TEMP = 50
LEAD_NORMAL = 100
LEAD_DELETED = 1000

leads = Table(
    "leads",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("lead_id", String(300), nullable=False),
    Column("fullname", String(500)),
    Column("email", String(320)),
    Column("phone", String(64)),
    Column("company", String(500)),
    Column("note", Text),
    Column("street_address", String(500)),
    Column("city", String(200)),
    Column("region", String(200)),
    Column("zipcode", String(50)),
    Column("country", String(200)),
    json_column("tags", nullable=False),
    json_column("attributes"),
    json_column("properties"),
    Column("status", Integer, nullable=False),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("project_id", "lead_id"),
    Index("ix_leads_project_status_created", "project_id", "status", "created_at"),
    Index("ix_leads_project_email", "project_id", "email"),
)
