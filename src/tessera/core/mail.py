"""The one way Tessera sends e-mail: SMTP when configured, otherwise the log.

Nothing is ever dropped silently: without SMTP every message is written to the log in
full (a development set-up, announced once at start-up), and an SMTP failure is logged
with the recipient and subject. Delivery runs off the event loop, after the transaction
that asked for it has committed (callers use ``tx.after_commit``).
"""

import asyncio
import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

log = logging.getLogger("tessera.mail")


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 587
    user: str | None = None
    password: str | None = None
    secure: bool = False  # implicit TLS (port 465); otherwise STARTTLS when offered
    timeout: float = 15.0


@dataclass(frozen=True, slots=True)
class Email:
    to: str
    subject: str
    html: str
    text: str
    reply_to: str | None = None


class Mailer:
    def __init__(self, smtp: SmtpConfig | None, *, sender: str, sender_name: str) -> None:
        self.smtp = smtp
        self.sender = sender
        self.sender_name = sender_name

    def announce(self) -> None:
        if self.smtp is None:
            log.warning("SMTP is not configured (SMTP_HOST): e-mails are written to this log")

    def send(self, email: Email) -> None:
        """Queue ``email`` for delivery without blocking the caller."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.deliver(email)
            return
        loop.run_in_executor(None, self.deliver, email)

    def deliver(self, email: Email) -> bool:
        """Deliver now (blocking). True when SMTP accepted it or it was logged."""
        message = self.compose(email)
        if self.smtp is None:
            log.info("e-mail (not sent, SMTP not configured):\n%s", message.as_string())
            return True
        try:
            self._send_smtp(self.smtp, message)
        except (OSError, smtplib.SMTPException) as error:
            log.error("e-mail to %s (%s) failed: %s", email.to, email.subject, error)
            return False
        log.info("e-mail sent to %s: %s", email.to, email.subject)
        return True

    def compose(self, email: Email) -> EmailMessage:
        message = EmailMessage()
        message["From"] = formataddr((self.sender_name, self.sender))
        message["To"] = email.to
        message["Subject"] = email.subject
        if email.reply_to:
            message["Reply-To"] = email.reply_to
        message["Message-ID"] = make_msgid(domain=self.sender.rpartition("@")[2] or None)
        message.set_content(email.text)
        message.add_alternative(email.html, subtype="html")
        return message

    @staticmethod
    def _send_smtp(config: SmtpConfig, message: EmailMessage) -> None:
        context = ssl.create_default_context()
        if config.secure:
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                config.host, config.port, timeout=config.timeout, context=context
            )
        else:
            client = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
        with client:
            client.ehlo()
            if not config.secure and client.has_extn("starttls"):
                client.starttls(context=context)
                client.ehlo()
            if config.user and config.password:
                client.login(config.user, config.password)
            client.send_message(message)
