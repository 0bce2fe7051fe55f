"""Wire shapes of messages (§5.5, §9.5)."""

from typing import Any

from pydantic import Field

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


class MessageCreate(InModel):
    """A message of a conversation; the request fields serve only when the conversation does
    not exist yet and is created by this first message (§5.5.1)."""

    text: str | None = None
    type: str = "text"
    metadata: JsonObject | None = None
    attributes: JsonObject | None = None
    sender: str | None = None
    senderFullname: str | None = None
    language: str | None = None
    channel: JsonObject | None = None
    status: int = 0
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
