"""Usage counters that no table of the data already holds (AI tokens, e-mails...), one row per
project, kind and monthly slot (§1.9)."""

from sqlalchemy import BigInteger, Column, ForeignKey, PrimaryKeyConstraint, String, Table

from tessera.core.db import metadata

quota_counters = Table(
    "quota_counters",
    metadata,
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(50), nullable=False),
    Column("slot_start", BigInteger, nullable=False),
    Column("value", BigInteger, nullable=False),
    PrimaryKeyConstraint("project_id", "kind", "slot_start"),
)
