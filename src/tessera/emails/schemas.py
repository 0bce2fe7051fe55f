"""Wire shapes of ``/:pid/emails`` (fact sheet §5.26)."""

from typing import Any

from pydantic import Field, field_validator

from tessera.core.schemas import InModel, JsonObject, WireModel

# Header values may never carry line breaks (they would start new headers).
_NO_LINE_BREAK = r"^[^\r\n]*$"


class TemplateOut(WireModel):
    """``GET /templates/:templateid``: ``{"template": "<html>"}``."""

    template: str


class SmtpSettingsIn(InModel):
    """The SMTP settings of ``settings.email.config`` as the dashboard sends them for a test."""

    host: str | None = Field(None, max_length=255, pattern=r"^[A-Za-z0-9.:\-\[\]]*$")
    port: int | None = Field(None, ge=1, le=65535)
    secure: bool | None = None
    user: str | None = Field(None, max_length=320, pattern=_NO_LINE_BREAK)
    password: str | None = Field(None, alias="pass", max_length=1000, repr=False)

    @field_validator("port", mode="before")
    @classmethod
    def _blank_port(cls, value: Any) -> Any:
        """The dashboard sends an empty field as ``""``: no port, the default one."""
        return None if value == "" else value


class SmtpTestIn(InModel):
    """``POST /test/send``: where to send the test, with which SMTP settings (none: the
    server's own)."""

    to: str = Field(min_length=3, max_length=320, pattern=r"^[^\s@,;<>]+@[^\s@,;<>]+$")
    config: SmtpSettingsIn | None = None


class SmtpTestOut(WireModel):
    """Nodemailer's callback as Tiledesk answers it: ``{"error": ..., "response": ...}``."""

    error: JsonObject | None
    response: JsonObject

    def wire(self) -> dict[str, Any]:
        return {"error": self.error, "response": self.response}


class InternalSendIn(InModel):
    """``POST /internal/send`` (the chatbots' "send email" action). ``to`` is an address, a
    comma-separated list, ``@...`` (the project's owners and admins) or a group's name."""

    to: str = Field(min_length=1, max_length=2000, pattern=_NO_LINE_BREAK)
    text: str = Field("", max_length=100_000)
    request_id: str | None = Field(None, max_length=300)
    subject: str | None = Field(None, max_length=1000)
    replyto: str | None = Field(None, max_length=320, pattern=r"^[^\s@,;<>]+@[^\s@,;<>]+$")


class Queued(WireModel):
    """``{"queued": true}``."""

    queued: bool
