"""The SMTP test of ``POST /:pid/emails/test/send``: one message through the SMTP server the
caller names, with the outcome reported the way nodemailer reports it to Tiledesk. A
project's own server (``settings.email.config``) is reached the same way (``transport.py``).

The caller chooses the host, so the server would otherwise connect wherever it is told:
the host is resolved once, every address it resolves to must be public (unless
``EMAIL_ALLOW_PRIVATE_SMTP``), and the connection goes to the address that was checked
(TLS still verifies the name). Every network step has a timeout. The password is used to
log in and never appears in an answer or a log line.
"""

import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from tessera.core.mail import SmtpConfig
from tessera.core.targets import is_public

TIMEOUT_SECONDS = 10.0
_SUBMISSION_PORT = 587
_TLS_PORT = 465


class SmtpTestError(Exception):
    """A failed test, with nodemailer's error code (``ECONNECTION``, ``EAUTH``...)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_wire(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True, slots=True)
class Outcome:
    """What the server answered: the accepted and refused recipients and its last reply."""

    accepted: list[str]
    rejected: list[str]
    response: str


def config_from(
    host: str, port: int | None, secure: bool | None, user: str | None, password: str | None
) -> SmtpConfig:
    """Nodemailer's defaults: port 465 with implicit TLS when ``secure``, else 587."""
    tls = bool(secure)
    return SmtpConfig(
        host=host,
        port=port or (_TLS_PORT if tls else _SUBMISSION_PORT),
        user=user or None,
        password=password or None,
        secure=tls,
        timeout=TIMEOUT_SECONDS,
    )


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The address to connect to: the first ``host`` resolves to, all of which must be
    public unless private ones are allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as error:
        raise SmtpTestError("EDNS", f"cannot resolve {host}") from error
    addresses = [str(info[4][0]) for info in infos]
    if not addresses:
        raise SmtpTestError("EDNS", f"cannot resolve {host}")
    if not allow_private and not all(is_public(address) for address in addresses):
        raise SmtpTestError(
            "EHOSTNOTALLOWED",
            f"{host} is a loopback or private address: a project's SMTP server must be public",
        )
    return addresses[0]


def send(config: SmtpConfig, address: str, message: EmailMessage, *, sender: str) -> Outcome:
    """Deliver ``message`` from ``sender`` through ``config``, connecting to ``address``
    (blocking)."""
    try:
        with _client(config, address) as client:
            return _converse(client, config, message, sender)
    except SmtpTestError:
        raise
    except smtplib.SMTPAuthenticationError as error:
        raise SmtpTestError("EAUTH", f"invalid login: {_reply(error.smtp_error)}") from error
    except TimeoutError as error:
        raise SmtpTestError("ETIMEDOUT", "the SMTP server did not answer in time") from error
    except ssl.SSLError as error:
        raise SmtpTestError("ETLS", f"TLS failed: {error.reason or error}") from error
    except smtplib.SMTPServerDisconnected as error:
        # smtplib reports a read that timed out as a disconnection caused by the timeout.
        if isinstance(error.__context__, TimeoutError):
            raise SmtpTestError("ETIMEDOUT", "the SMTP server did not answer in time") from error
        raise SmtpTestError("ECONNECTION", f"connection failed: {error}") from error
    except smtplib.SMTPResponseException as error:
        raise SmtpTestError("EPROTOCOL", f"{error.smtp_code} {_reply(error.smtp_error)}") from error
    except (OSError, smtplib.SMTPException) as error:
        raise SmtpTestError("ECONNECTION", f"connection failed: {error}") from error


def _client(config: SmtpConfig, address: str) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if config.secure:
        return _PinnedSmtpSsl(
            config.host, config.port, address=address, timeout=config.timeout, context=context
        )
    return _PinnedSmtp(config.host, config.port, address=address, timeout=config.timeout)


def _converse(
    client: smtplib.SMTP, config: SmtpConfig, message: EmailMessage, sender: str
) -> Outcome:
    client.ehlo()
    if not config.secure and client.has_extn("starttls"):
        client.starttls(context=ssl.create_default_context())
        client.ehlo()
    if config.user and config.password:
        client.login(config.user, config.password)
    recipients = [str(message["To"])]
    code, reply = client.mail(sender)
    if code != 250:
        raise SmtpTestError("EENVELOPE", f"sender refused: {code} {_reply(reply)}")
    accepted: list[str] = []
    rejected: list[str] = []
    for recipient in recipients:
        code, reply = client.rcpt(recipient)
        (accepted if code in (250, 251) else rejected).append(recipient)
    if not accepted:
        raise SmtpTestError("EENVELOPE", f"recipient refused: {code} {_reply(reply)}")
    code, reply = client.data(message.as_bytes())
    if code != 250:
        raise SmtpTestError("EMESSAGE", f"message refused: {code} {_reply(reply)}")
    return Outcome(accepted, rejected, f"{code} {_reply(reply)}")


def _reply(raw: bytes | str) -> str:
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)


class _PinnedSmtp(smtplib.SMTP):
    """Connects to the checked ``address`` while ``host`` stays the name TLS verifies."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        self._address = address
        super().__init__(host, port, timeout=timeout)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        pinned: socket.socket = super()._get_socket(self._address, port, timeout)  # type: ignore[misc]
        return pinned


class _PinnedSmtpSsl(smtplib.SMTP_SSL):
    def __init__(
        self, host: str, port: int, *, address: str, timeout: float, context: ssl.SSLContext
    ) -> None:
        self._address = address
        super().__init__(host, port, timeout=timeout, context=context)

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        pinned: socket.socket = super()._get_socket(self._address, port, timeout)  # type: ignore[misc]
        return pinned
