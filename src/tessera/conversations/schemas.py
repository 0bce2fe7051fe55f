"""Wire shapes of conversations ("requests", §5.4, §9.4)."""

from typing import Any

from pydantic import Field, computed_field

from tessera.core.schemas import Document, InModel, JsonObject, Millis, WireModel


class RequestOut(Document):
    """A conversation. ``lead``, ``department`` and ``requester`` are ids, or the documents
    themselves when populated; ``participatingAgents`` only when populated."""

    request_id: str
    project_id: str = Field(serialization_alias="id_project")
    ticket_id: int | None = None
    requester_id: str | JsonObject | None = Field(None, serialization_alias="requester")
    lead_id: str | JsonObject | None = Field(None, serialization_alias="lead")
    department_id: str | JsonObject | None = Field(None, serialization_alias="department")
    subject: str | None = None
    first_text: str
    status: int
    preflight: bool
    has_bot: bool = Field(serialization_alias="hasBot")
    participants: list[str]
    participants_agents: list[str] = Field(serialization_alias="participantsAgents")
    participants_bots: list[str] = Field(serialization_alias="participantsBots")
    followers: list[str]
    priority: str | None = None
    transcript: str | None = None
    first_response_at: Millis | None = None
    assigned_at: Millis | None = None
    closed_at: Millis | None = None
    waiting_time: int | None = None
    duration: int | None = None
    closed_by: str | None = None
    tags: list[JsonObject]
    notes: list[JsonObject]
    snapshot: JsonObject | None = None
    rating: int | None = None
    rating_message: str | None = None
    source_page: str | None = Field(None, serialization_alias="sourcePage")
    language: str | None = None
    user_agent: str | None = Field(None, serialization_alias="userAgent")
    channel: JsonObject | None = None
    channel_outbound: JsonObject | None = Field(None, serialization_alias="channelOutbound")
    attributes: JsonObject | None = None
    location: JsonObject | None = None
    contact: JsonObject | None = None
    auto_close: int | None = None
    smart_assignment: bool | None = Field(None, serialization_alias="smartAssignment")
    working_status: str | None = Field(None, serialization_alias="workingStatus")
    draft: bool | None = None
    created_by: str = Field(serialization_alias="createdBy")
    participating_agents: list[JsonObject] | None = Field(
        None, serialization_alias="participatingAgents"
    )
    participating_bots: list[JsonObject] = Field(
        default_factory=list, serialization_alias="participatingBots"
    )
    lead_pk: str | None = Field(None, exclude=True)

    @computed_field(alias="id")  # type: ignore[prop-decorator]
    @property
    def id_virtual(self) -> str:
        return self.id

    @computed_field(alias="requester_id")  # type: ignore[prop-decorator]
    @property
    def lead_reference(self) -> str | None:
        """Tiledesk's ``requester_id`` virtual: the lead's ``_id`` (null without a lead)."""
        return self.lead_pk


class RequestList(WireModel):
    """``{"perPage": 40, "count": n, "requests": [...]}``."""

    per_page: int = Field(serialization_alias="perPage")
    count: int
    requests: list[dict[str, Any]]


class RequestCreate(InModel):
    """``POST /:pid/requests`` (and the request half of a first message)."""

    first_text: str = Field(min_length=1)
    request_id: str | None = Field(None, min_length=1, max_length=300)
    sender: str | None = None
    senderFullname: str | None = None
    email: str | None = None
    departmentid: str | None = None
    sourcePage: str | None = None
    language: str | None = None
    userAgent: str | None = None
    attributes: JsonObject | None = None
    subject: str | None = None
    channel: JsonObject | None = None
    location: JsonObject | None = None
    participants: list[str] | None = None
    priority: str | None = None
    followers: list[str] | None = None
    status: int | None = None
    preflight: bool | None = None
    request_status: int | None = None
