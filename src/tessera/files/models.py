"""The stored files table: one row per file kept in the storage (fact sheet §5.23).

Tiledesk addresses a file by its full stored name (``path``, e.g.
``uploads/users/<id>/files/<uuid>/<name>``); the bytes live in the storage under the same
key. The row says whose the file is: the project it belongs to (None for what belongs to a
user rather than a project: avatars and the legacy uploads of registered users), who uploaded
it, and when it expires (chat uploads).
"""

from sqlalchemy import BigInteger, Column, ForeignKey, Index, String, Table

from tessera.core.db import id_column, metadata, timestamp_columns

KIND_CHAT = "chat"
KIND_ASSET = "asset"
KIND_AVATAR = "avatar"
KIND_LEGACY = "legacy"
KIND_THUMBNAIL = "thumbnail"

MAX_PATH = 1024

files = Table(
    "files",
    metadata,
    id_column(),
    Column("project_id", String(24), ForeignKey("projects.id", ondelete="CASCADE")),
    Column("path", String(MAX_PATH), nullable=False, unique=True),
    Column("kind", String(20), nullable=False),
    Column("owner_id", String(300), nullable=False),
    Column("filename", String(300), nullable=False),
    Column("content_type", String(200), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("thumbnail", String(MAX_PATH)),
    Column("expires_at", BigInteger),
    *timestamp_columns(),
    Index("ix_files_expires_at", "expires_at"),
)
