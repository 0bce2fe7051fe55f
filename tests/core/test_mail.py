"""The mail service: SMTP when configured, the log otherwise, never a silent drop."""

import logging
import socket

import pytest

from tessera.core.mail import Email, Mailer, SmtpConfig
from tests.support.smtp import SmtpSink

MESSAGE = Email(
    to="reader@example.com",
    subject="Hello",
    html="<p>Open <a href='https://x.example/#/resetpassword/k1'>this</a></p>",
    text="Open https://x.example/#/resetpassword/k1",
)


async def test_smtp_delivers_html_and_text(smtp: SmtpSink) -> None:
    mailer = Mailer(
        SmtpConfig(host=smtp.host, port=smtp.port), sender="desk@example.com", sender_name="Desk"
    )

    mailer.send(MESSAGE)

    mail = await smtp.wait_for("reader@example.com", subject="Hello")
    assert mail.sender == "desk@example.com"
    assert mail.message["From"] == "Desk <desk@example.com>"
    assert "resetpassword/k1" in mail.text
    assert "<a href=" in mail.html


def test_without_smtp_the_whole_message_goes_to_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mailer = Mailer(None, sender="desk@example.com", sender_name="Desk")

    with caplog.at_level(logging.INFO, logger="tessera.mail"):
        delivered = mailer.deliver(MESSAGE)

    assert delivered is True
    assert "reader@example.com" in caplog.text
    assert "resetpassword/k1" in caplog.text


def test_an_smtp_failure_is_logged_not_dropped(caplog: pytest.LogCaptureFixture) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    mailer = Mailer(
        SmtpConfig(host="127.0.0.1", port=port, timeout=2),
        sender="desk@example.com",
        sender_name="Desk",
    )

    with caplog.at_level(logging.ERROR, logger="tessera.mail"):
        delivered = mailer.deliver(MESSAGE)

    assert delivered is False
    assert "reader@example.com" in caplog.text
    assert "Hello" in caplog.text


def test_the_missing_smtp_is_announced_at_start(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="tessera.mail"):
        Mailer(None, sender="desk@example.com", sender_name="Desk").announce()

    assert "SMTP is not configured" in caplog.text
