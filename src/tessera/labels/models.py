"""The labels tables: one document per project and its language entries (fact sheet §9.15).

Tiledesk keeps the entries as an array inside the document; here they are rows, in the
order they were first stored (``position``), one per language of a project.
"""

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

LANG_LENGTH = 35  # the longest BCP 47 tags in use ("ZH-HANT-TW", "SR-LATN") fit easily

labels = Table(
    "labels",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE"), nullable=False),
    json_column("attributes"),
    Column("created_by", String(300), nullable=False),
    *timestamp_columns(),
    UniqueConstraint("project_id"),
)

label_entries = Table(
    "label_entries",
    metadata,
    id_column(),
    Column(
        "project_id",
        String(24),
        ForeignKey("labels.project_id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("lang", String(LANG_LENGTH), nullable=False),
    json_column("data", nullable=False),
    Column("category", String(300)),
    Column("is_default", Boolean, nullable=False),
    Column("position", Integer, nullable=False),
    UniqueConstraint("project_id", "lang"),
)
