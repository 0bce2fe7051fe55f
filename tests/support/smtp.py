"""A minimal SMTP server for tests: Tessera's mailer talks real SMTP to it and it keeps what
it receives, so e-mail assertions go through the same path as production."""

import asyncio
import email
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage


@dataclass
class ReceivedMail:
    sender: str
    recipients: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


@dataclass
class SmtpSink:
    host: str = "127.0.0.1"
    port: int = 0
    received: list[ReceivedMail] = field(default_factory=list)
    _server: asyncio.base_events.Server | None = None
    _arrived: asyncio.Condition | None = None
    _open: set[asyncio.StreamWriter] = field(default_factory=set)

    async def start(self) -> None:
        self._arrived = asyncio.Condition()
        self._server = await asyncio.start_server(self._session, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """Stop listening and hang up on the clients still connected: the app sends e-mail from
        threads it never waits for (core/mail.py), and a client left without an answer would
        wait out its SMTP timeout at the end of the session."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._open):
                writer.close()
            await self._server.wait_closed()

    async def wait_for(self, to: str, *, subject: str = "", within: float = 5.0) -> ReceivedMail:
        """The newest message for ``to`` (whose subject contains ``subject``), waiting for it."""
        assert self._arrived is not None

        def latest() -> ReceivedMail | None:
            for mail in reversed(self.received):
                if to.lower() in mail.recipients and subject.lower() in mail.subject.lower():
                    return mail
            return None

        async with self._arrived:
            await asyncio.wait_for(self._arrived.wait_for(latest), within)
        found = latest()
        assert found is not None
        return found

    def count_for(self, to: str) -> int:
        return sum(1 for mail in self.received if to.lower() in mail.recipients)

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._open.add(writer)
        try:
            await self._converse(reader, writer)
        finally:
            self._open.discard(writer)
            writer.close()

    async def _converse(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sender, recipients = "", []
        writer.write(b"220 sink ESMTP\r\n")
        while line := await reader.readline():
            command = line.decode().strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                writer.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                writer.write(b"250 OK\r\n")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>").lower())
                writer.write(b"250 OK\r\n")
            elif verb == "DATA":
                writer.write(b"354 go ahead\r\n")
                await writer.drain()
                data = await reader.readuntil(b"\r\n.\r\n")
                await self._keep(sender, recipients, data[:-5])
                writer.write(b"250 OK queued\r\n")
            elif verb == "QUIT":
                writer.write(b"221 bye\r\n")
                await writer.drain()
                break
            else:
                writer.write(b"250 OK\r\n")
            await writer.drain()

    async def _keep(self, sender: str, recipients: list[str], data: bytes) -> None:
        assert self._arrived is not None
        raw = data.replace(b"\r\n..", b"\r\n.")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        async with self._arrived:
            self.received.append(ReceivedMail(sender, recipients, message))  # type: ignore[arg-type]
            self._arrived.notify_all()
