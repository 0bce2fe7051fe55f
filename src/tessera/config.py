"""Settings, read from the environment (Tiledesk's variable names where the meaning is the same)."""

import logging
import os
import re
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from tessera.core.mail import Mailer, SmtpConfig

log = logging.getLogger("tessera.config")

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?\s*$", re.IGNORECASE)
_UNITS = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3}
_STRONG_SECRET_BYTES = 32


def parse_size(value: str | int) -> int:
    """``"500KB"`` -> 512000, the way Express's ``bytes`` package reads body limits."""
    if isinstance(value, int):
        return value
    match = _SIZE.match(value)
    if not match:
        raise ValueError(f"not a size: {value!r}")
    return int(float(match.group(1)) * _UNITS[(match.group(2) or "b").lower()])


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    host: str = "127.0.0.1"
    port: int = 3000
    workers: int = 1
    log_level: str = "INFO"
    data_dir: Path = Path("./data")
    database_url: str = "sqlite:///./data/tessera.db"
    database_pool_size: int = 10
    redis_url: str | None = None
    ws_heartbeat_seconds: float = 30.0  # §6.1
    realtime_window: int = 10_000  # pushes kept for clients resuming with last_event_id

    # Outbound webhooks (README "Webhooks"): the dispatcher runs in every server process
    # unless ``off`` (then run ``tessera worker``); loopback and private targets are refused
    # unless allowed (a webhook must not reach into the server's own network).
    webhook_dispatcher: Literal["in_process", "off"] = "in_process"
    webhook_allow_private_targets: bool = False
    webhook_timeout_seconds: float = 10.0
    webhook_origin: str = "http://localhost:3000"  # Tiledesk's WEBHOOK_ORIGIN (§7.1)

    # Conversation transcripts at /public/requests (§5.27, docs/transcripts.md): the
    # requester, the project's agents or a signed link read them; times in the query's
    # ``tz``, else TRANSCRIPT_DISPLAY_TIMEZONE, else the project's operating-hours zone.
    disable_transcript_view_page: bool = False
    transcript_display_timezone: str | None = None
    transcript_link_ttl_seconds: int = Field(7 * 86_400, ge=60)

    # Link previews (POST /:pid/url-preview, §5.28): public targets only unless allowed.
    url_preview_allow_private_targets: bool = False
    url_preview_timeout_seconds: float = Field(5.0, gt=0)
    url_preview_max_bytes: int = Field(1_000_000, ge=1024)

    # Monthly usage (/:pid/quotes, §1.9): reported always, plan limits checked only when on.
    quotes_enabled: bool = False

    # Chatbots (§5.13, docs/bots.md): a trashed bot is deleted this long after ``trashedAt``
    # (Tiledesk's TTL index); ``POST /faq_kb/aitrain`` posts to the training service when
    # one is named (CHATBOT_TRAINING_API_URL, authorized with TRAINING_BOT_JWT_TOKEN), which
    # calls back ``<API_URL>/:pid/bots/:id/training``. A bot's own ``url`` and
    # ``webhook_url`` are reached like webhooks (WEBHOOK_ALLOW_PRIVATE_TARGETS, timeout).
    chatbot_trash_ttl_seconds: int = Field(30 * 86_400, ge=60)
    chatbot_training_api_url: str | None = None
    training_bot_jwt_token: str | None = Field(default=None, repr=False)
    api_url: str = "http://localhost:3000"

    events_ttl_seconds: int = Field(3600, ge=0)  # custom events' lifetime (§5.17)
    activity_expiration_days: int = Field(30, ge=1)  # activities' lifetime (§5.18)

    # Schedulers (§8.3): auto-close of unresponsive conversations and the purge of expired
    # events and activities, in every server process unless ``off`` (and in ``tessera
    # worker``); several may run at once. Timeouts are in ms, as Tiledesk's; the
    # ``..._ONLY_PROJECT`` filters take project ids (comma-separated, or Tiledesk's JSON).
    scheduler: Literal["in_process", "off"] = "in_process"
    close_bot_unresponsive_requests_enable: bool = True
    close_bot_unresponsive_requests_after_timeout: int = Field(2 * 86_400_000, ge=0)
    close_bot_unresponsive_requests_interval_seconds: float = Field(300.0, gt=0)
    close_bot_unresponsive_requests_query_limit: int = Field(10, ge=1)
    close_bot_unresponsive_requests_query_filter_only_project: str | None = None
    close_agent_unresponsive_requests_enable: bool = False
    close_agent_unresponsive_requests_after_timeout: int = Field(5 * 86_400_000, ge=0)
    close_agent_unresponsive_requests_interval_seconds: float = Field(1800.0, gt=0)
    close_agent_unresponsive_requests_query_limit: int = Field(10, ge=1)
    close_agent_unresponsive_requests_query_filter_only_project: str | None = None

    global_secret: str | None = Field(default=None, repr=False)
    global_secret_algorithm: str = "HS256"  # noqa: S105 (an algorithm name, not a secret)

    admin_email: str | None = None
    admin_password: str | None = Field(default=None, repr=False)

    rate_limit: str = "600/minute"
    trusted_proxies: int = 0
    json_body_limit: int = 512000
    # Uploads (§5.23, docs/files.md): bytes under DATA_DIR/files; Tiledesk's variable names.
    max_upload_file_size: int = Field(1_024_000, ge=1)
    chat_file_expiration_time: int = Field(2_592_000, ge=1)  # seconds (30 days)
    chat_files_allow_list: str = ".jpg,.jpeg,.png,.gif,.pdf,.txt"
    assets_files_allow_list: str = ".jpg,.jpeg,.png,.gif,.pdf,.txt,.csv,.doc,.docx"
    # The widget's script (§5.22): /widgets/load redirects there, /widgets/v5 loads it.
    widget_location: str = "http://localhost:4200/"
    widget_test_location: str = "http://localhost:4200/"
    # GET /urls/redirect (§5.28) goes only to local paths, the widget and dashboard origins and
    # these (comma-separated origins such as ``https://www.example.com``).
    redirect_allowed_origins: str = ""
    bcrypt_rounds: int = 10
    basic_auth_cache_seconds: int = 60

    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = Field(default=None, repr=False)
    smtp_secure: bool = False
    email_from: str = "noreply@tessera.localhost"
    brand_name: str = "Tessera"
    email_baseurl: str = "http://localhost:4200"
    # Notification e-mails (§5.26; Tiledesk's EMAIL_NOTIFICATION_ENABLED), and the SMTP host
    # a caller names in ``POST /:pid/emails/test/send``: loopback and private hosts are
    # refused unless allowed (the test must not probe the server's own network).
    email_notification_enabled: bool = True
    email_allow_private_smtp: bool = False
    # Tiledesk's EMAIL_BCC (a copy of the assigned, offline-message, ticket and transcript
    # mails) and DISABLE_SEND_OFFLINE_EMAIL (no "new offline message" mail to contacts).
    email_bcc: str | None = None
    disable_send_offline_email: bool = False

    @field_validator("json_body_limit", "max_upload_file_size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> int:
        return parse_size(value)

    @field_validator("database_url")
    @classmethod
    def _driver(cls, value: str) -> str:
        """Plain ``postgres://`` URLs get the psycopg 3 driver SQLAlchemy needs."""
        for prefix in ("postgres://", "postgresql://"):
            if value.startswith(prefix):
                return "postgresql+psycopg://" + value[len(prefix) :]
        return value

    @property
    def rate_limit_enabled(self) -> bool:
        return self.rate_limit.strip().lower() not in ("", "0", "off", "none", "false")

    def jwt_secret(self) -> str:
        """``GLOBAL_SECRET``, or a random one generated once and kept in the data directory."""
        if self.global_secret:
            if len(self.global_secret.encode()) < _STRONG_SECRET_BYTES:
                log.warning("GLOBAL_SECRET is shorter than 32 bytes: tokens are easier to forge")
            return self.global_secret
        return _stored_secret(self.data_dir / "global_secret")

    def mailer(self) -> Mailer:
        smtp = (
            SmtpConfig(
                host=self.smtp_host,
                port=self.smtp_port,
                user=self.smtp_user,
                password=self.smtp_password,
                secure=self.smtp_secure,
            )
            if self.smtp_host
            else None
        )
        return Mailer(smtp, sender=self.email_from, sender_name=self.brand_name)


def _stored_secret(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as file:
        file.write(secrets.token_urlsafe(48))
    log.warning("GLOBAL_SECRET is not set: generated one in %s (keep this file private)", path)
    return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
