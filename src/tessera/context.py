"""What services need from the deployment, bundled once per app (never read from globals)."""

from dataclasses import dataclass

from tessera.config import Settings
from tessera.core.db import Tx
from tessera.core.mail import Email, Mailer
from tessera.emails.messages import Links


@dataclass(frozen=True, slots=True)
class TokenKeys:
    """How global tokens are signed and verified (``GLOBAL_SECRET``)."""

    secret: str
    algorithm: str


@dataclass(frozen=True, slots=True)
class Context:
    mailer: Mailer
    links: Links
    keys: TokenKeys
    bcrypt_rounds: int
    admin_email: str | None

    def send_after_commit(self, tx: Tx, email: Email) -> None:
        """Send ``email`` once ``tx`` commits; a rolled-back unit of work sends nothing."""
        tx.after_commit(lambda: self.mailer.send(email))

    @classmethod
    def from_settings(cls, settings: Settings, mailer: Mailer) -> "Context":
        return cls(
            mailer=mailer,
            links=Links(base_url=settings.email_baseurl, brand=settings.brand_name),
            keys=TokenKeys(
                secret=settings.jwt_secret(), algorithm=settings.global_secret_algorithm
            ),
            bcrypt_rounds=settings.bcrypt_rounds,
            admin_email=settings.admin_email.lower() if settings.admin_email else None,
        )
