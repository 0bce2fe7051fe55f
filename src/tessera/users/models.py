"""Tables of registered users and their e-mail verification codes."""

from sqlalchemy import BigInteger, Boolean, Column, Integer, String, Table

from tessera.core.db import id_column, json_column, metadata, timestamp_columns

USER_ACTIVE = 100
USER_DELETED = 0

users = Table(
    "users",
    metadata,
    id_column(),
    Column("email", String(320), nullable=False, unique=True),
    Column("password", String(100), nullable=False),
    Column("firstname", String(200)),
    Column("lastname", String(200)),
    Column("emailverified", Boolean, nullable=False, default=False),
    Column("resetpswrequestid", String(64), index=True),
    Column("reset_expires_at", BigInteger),
    Column("signed_in_at", BigInteger),
    Column("auth_url", String(2000)),
    json_column("attributes"),
    Column("status", Integer, nullable=False, default=USER_ACTIVE),
    Column("description", String(2000)),
    Column("public_email", String(320)),
    Column("public_website", String(2000)),
    Column("phone", String(32), unique=True),
    *timestamp_columns(),
)

email_verifications = Table(
    "email_verifications",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("user_id", String(24), nullable=False, index=True),
    Column("email", String(320), nullable=False),
    Column("expires_at", BigInteger, nullable=False),
)
