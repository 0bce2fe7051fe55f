"""Wire shapes of messages (§5.5, §9.5)."""

from typing import Annotated, Any

from pydantic import BeforeValidator, Field

from tessera.core.schemas import Document, InModel, JsonObject


class MessageOut(Document):
    sender: str
    sender_fullname: str | None = Field(None, serialization_alias="senderFullname")
    recipient: str
    recipient_fullname: str | None = Field(None, serialization_alias="recipientFullname")
    type: str
    channel_type: str
    text: str | None = None
    language: str | None = None
    channel: JsonObject | None = None
    project_id: str = Field(serialization_alias="id_project")
    status: int
    attributes: JsonObject | None = None
    metadata: JsonObject | None = None
    created_by: str = Field(serialization_alias="createdBy")
    request: dict[str, Any] | None = None


# Tiledesk's CSV exports have no usable column list to copy: ``res.csv`` (csv-express) and
# fast-csv take the own properties of mongoose documents, which are mongoose's internals
# (``$__;isNew;errors;$locals;$op;_doc``). Tessera writes the message fields in schema order.
CONVERSATION_CSV_COLUMNS = (
    "_id", "sender", "senderFullname", "recipient", "recipientFullname", "type", "channel_type",
    "text", "language", "channel", "id_project", "status", "attributes", "metadata", "createdBy",
    "createdAt", "updatedAt",
)  # fmt: skip
"""``GET /:pid/requests/:rid/messages/csv``."""

PROJECT_CSV_COLUMNS = tuple(
    column
    for column in CONVERSATION_CSV_COLUMNS
    if column not in ("channel", "attributes", "metadata")
)
"""``GET /:pid/messages/csv``: the same without ``channel``, ``attributes``, ``metadata``
(§5.5.2)."""


def _text_by_default(value: object) -> object:
    """An absent, null or empty ``type`` is a text message (Tiledesk tests it for truthiness)."""
    return value or "text"


MessageType = Annotated[str, BeforeValidator(_text_by_default)]


class MessageCreate(InModel):
    """A message of a conversation; the request fields serve only when the conversation does
    not exist yet and is created by this first message (§5.5.1)."""

    text: str | None = None
    type: MessageType = "text"
    metadata: JsonObject | None = None
    attributes: JsonObject | None = None
    sender: str | None = None
    senderFullname: str | None = None
    language: str | None = None
    channel: JsonObject | None = None
    status: int | None = None
    departmentid: str | None = None
    sourcePage: str | None = None
    userAgent: str | None = None
    subject: str | None = None
    request_status: int | None = None
    preflight: bool | None = None
    participants: list[str] | None = None
    location: JsonObject | None = None
    priority: str | None = None
    followers: list[str] | None = None
    email: str | None = None


class DirectMessageCreate(InModel):
    """``POST /:pid/messages`` (§5.5.2): a direct message, or a message to a bot. Required
    fields are checked by the service, which reports them all at once as express-validator
    does."""

    recipient: str | None = None
    recipientFullname: str | None = None
    text: str | None = None
    type: MessageType = "text"
    sender: str | None = None
    senderFullname: str | None = None
    attributes: JsonObject | None = None
    metadata: JsonObject | None = None
    language: str | None = None
    channel_type: str | None = None
    channel: JsonObject | None = None
