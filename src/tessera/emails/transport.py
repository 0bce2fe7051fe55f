"""How a project's e-mails leave: through the project's own SMTP server when its settings name
one (``settings.email.config`` and ``settings.email.from``, fact sheet §5.2), otherwise
through the server's mailer; plus the ``EMAIL_BCC`` copy of the notifications Tiledesk copies.

A project's server is chosen by its admins, so it gets the rules of the SMTP test: its host
must resolve to public addresses (unless ``EMAIL_ALLOW_PRIVATE_SMTP``) and every step has a
timeout. Its password is used to log in, never logged (``SmtpConfig`` is not printed either).
"""

import asyncio
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.utils import parseaddr
from typing import Any

from tessera.core.mail import Email, Mailer, SmtpConfig
from tessera.emails import smtp_test
from tessera.emails.smtp_test import SmtpTestError

log = logging.getLogger("tessera.emails")

_HOST = re.compile(r"^[A-Za-z0-9.\-]+$|^\[[0-9A-Fa-f:.]+\]$")
_ADDRESS = re.compile(r"^[^\s@<>,;\"']+@[^\s@<>,;\"']+$")


@dataclass(frozen=True, slots=True)
class ProjectSmtp:
    """A project's own SMTP server and the sender its mails carry (None: the server's)."""

    config: SmtpConfig = field(repr=False)
    sender: str | None = None
    sender_name: str = ""


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One e-mail to send: through ``smtp`` (None: the server's), and, when ``copy_subject``
    is set, copied to ``EMAIL_BCC`` under that subject (Tiledesk's "- notification" copy)."""

    email: Email
    smtp: ProjectSmtp | None = None
    copy_subject: str | None = None


def project_smtp(settings: Mapping[str, Any] | None) -> ProjectSmtp | None:
    """The project's server from ``settings.email.config`` (Tiledesk's keys ``host``, ``port``,
    ``secure``, ``user``, ``pass``), or None without a usable host: then the server's SMTP
    sends, from the server's address. ``settings.email.from`` (``"Name <address>"`` or an
    address) names the sender; Tessera honours it only with the project's own server, so that
    no project sends as anyone it likes through the server's."""
    email_settings = (settings or {}).get("email")
    if not isinstance(email_settings, Mapping):
        return None
    config = email_settings.get("config")
    if not isinstance(config, Mapping):
        return None
    host = config.get("host")
    if not isinstance(host, str) or not _HOST.match(host.strip()):
        return None
    name, address = _sender(email_settings.get("from"))
    return ProjectSmtp(
        config=smtp_test.config_from(
            host.strip(),
            _port(config.get("port")),
            config.get("secure") in (True, "true"),
            _text(config.get("user")),
            _text(config.get("pass")),
        ),
        sender=address,
        sender_name=name,
    )


class Courier:
    """Sends ``Outgoing`` mails (blocking ``deliver``, or ``send`` off the event loop)."""

    def __init__(self, mailer: Mailer, *, allow_private: bool, bcc: str | None) -> None:
        self.mailer = mailer
        self.allow_private = allow_private
        self.bcc = bcc

    def send(self, outgoing: Outgoing) -> None:
        asyncio.get_running_loop().run_in_executor(None, self.deliver, outgoing)

    def deliver(self, outgoing: Outgoing) -> bool:
        """True when the mail was accepted (or logged, without SMTP); failures are logged."""
        email = outgoing.email
        delivered = (
            self.mailer.deliver(email)
            if outgoing.smtp is None
            else self._through_project(outgoing.smtp, email)
        )
        if self.bcc and outgoing.copy_subject:
            copy = Email(
                to=self.bcc, subject=outgoing.copy_subject, html=email.html, text=email.text
            )
            self.mailer.deliver(copy)
        return delivered

    def _through_project(self, smtp: ProjectSmtp, email: Email) -> bool:
        if smtp.sender is None:
            sender = Mailer(None, sender=self.mailer.sender, sender_name=self.mailer.sender_name)
        else:
            sender = Mailer(None, sender=smtp.sender, sender_name=smtp.sender_name)
        message = sender.compose(email)
        host = smtp.config.host
        try:
            address = smtp_test.resolve(host, smtp.config.port, allow_private=self.allow_private)
            smtp_test.send(smtp.config, address, message, sender=sender.sender)
        except SmtpTestError as error:
            log.error(
                "e-mail to %s (%s) through the project's SMTP server %s failed: %s %s",
                email.to,
                email.subject,
                host,
                error.code,
                error.message,
            )
            return False
        log.info("e-mail sent to %s through %s: %s", email.to, host, email.subject)
        return True


def _sender(value: object) -> tuple[str, str | None]:
    if not isinstance(value, str) or "\n" in value or "\r" in value:
        return "", None
    name, address = parseaddr(value)
    return (name, address) if _ADDRESS.match(address) else ("", None)


def _port(value: object) -> int | None:
    """A port as the dashboard stores it (a number or its text); anything else: the default."""
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 < value < 65536:
        return value
    return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
