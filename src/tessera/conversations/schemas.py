"""Wire shapes of conversations ("requests", §5.4, §9.4)."""

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, computed_field

from tessera.core.pagination import Direction, Page
from tessera.core.schemas import Document, InModel, JsonObject, Millis, WireModel


class RequestOut(Document):
    """A conversation. ``lead``, ``department`` and ``requester`` are ids, or the documents
    themselves when populated; ``participatingAgents`` only when populated, and
    ``participatingBots`` too except right after creation (``[]``, as Tiledesk's ``save()``
    answers it)."""

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
    participating_bots: list[JsonObject] | None = Field(
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


def _blank_is_absent(value: object) -> object:
    """Tiledesk tests query parameters for truthiness: ``?ticket_id=`` filters nothing."""
    return None if value == "" else value


def _no_nul(value: str) -> str:
    """PostgreSQL text cannot hold NUL: refused here rather than failing in the database."""
    if "\x00" in value:
        raise ValueError("must not contain NUL characters")
    return value


QueryText = Annotated[str, AfterValidator(_no_nul)]
# Bounded so that every value binds as a SQL integer (a 500 otherwise).
Int32 = Annotated[int, Field(ge=-(2**31), le=2**31 - 1)]
OptionalInt = Annotated[Int32 | None, BeforeValidator(_blank_is_absent)]
OptionalBool = Annotated[bool | None, BeforeValidator(_blank_is_absent)]
OptionalNumber = Annotated[
    Annotated[float, Field(allow_inf_nan=False)] | None, BeforeValidator(_blank_is_absent)
]


class RequestQuery(InModel):
    """The filters of ``GET /:pid/requests`` (§5.4.2), also read by ``/me`` and ``/csv``.

    Flags Tiledesk compares with the string ``"true"`` stay strings (``?preflight=1`` is
    simply not ``true``); values Mongoose casts (numbers, booleans) are typed, so a value it
    could not cast is a 422 here instead of Tiledesk's 500."""

    page: Page = 0
    limit: QueryText | None = None
    sort: QueryText | None = None
    direction: Direction = -1
    status: QueryText | None = None
    preflight: QueryText | None = None
    dept_id: QueryText | None = None
    requester_email: QueryText | None = None
    full_text: QueryText | None = None
    phone: QueryText | None = None
    lead: QueryText | None = None
    participant: QueryText | None = None
    hasbot: OptionalBool = None
    tags: QueryText | None = None
    location: QueryText | None = None
    ticket_id: OptionalInt = None
    priority: QueryText | None = None
    smartAssignment: OptionalBool = None
    start_date: QueryText | None = None
    end_date: QueryText | None = None
    start_date_time: QueryText | None = None
    end_date_time: QueryText | None = None
    timezone: QueryText | None = None
    filterRangeField: QueryText | None = None
    snap_department_routing: QueryText | None = None
    snap_department_default: OptionalBool = None
    snap_department_id_bot: QueryText | None = None
    snap_department_id_bot_exists: OptionalBool = None
    snap_lead_lead_id: QueryText | None = None
    snap_lead_email: QueryText | None = None
    channel: QueryText | None = None
    working_status_ne: QueryText | None = Field(None, alias="workingStatus[ne]")
    working_status_in: QueryText | None = Field(None, alias="workingStatus[in]")
    working_status_nin: QueryText | None = Field(None, alias="workingStatus[nin]")
    caller: QueryText | None = None
    called: QueryText | None = None
    call_id: QueryText | None = None
    duration: OptionalNumber = None
    duration_op: QueryText | None = None
    rated: QueryText | None = None
    draft: QueryText | None = None
    abandonded: QueryText | None = None
    abandoned: QueryText | None = None
    no_populate: QueryText | None = None
    no_count: QueryText | None = None
    no_textscore: QueryText | None = None


class RequestCsvQuery(RequestQuery):
    """``GET /:pid/requests/csv``: the list's filters, plus ``mine`` for owners and admins."""

    mine: QueryText | None = None


class RequestCountQuery(InModel):
    merge_assigned: QueryText | None = None
    conversation_quota: QueryText | None = None


class QuotaSlot(WireModel):
    """The plan month the quota counts cover, as ``DD/MM/YYYY``."""

    start_date: str = Field(serialization_alias="startDate")
    end_date: str = Field(serialization_alias="endDate")


class RequestCounts(WireModel):
    """``GET /:pid/requests/count``: ``{unassigned, assigned, bot_assigned}``, without
    ``bot_assigned`` when merged, or ``{open, closed, slot}`` for the conversation quota."""

    unassigned: int | None = None
    assigned: int | None = None
    bot_assigned: int | None = None
    open: int | None = None
    closed: int | None = None
    slot: QuotaSlot | None = None


class TagIn(InModel):
    """A tag of a conversation, ``{"tag": <name>, "color": <css color>}``."""

    tag: str = Field(min_length=1)
    color: str | None = None
    attributes: JsonObject | None = None


class RequestPatch(InModel):
    """``PATCH /:pid/requests/:rid``: only truthy values are applied, except
    ``smartAssignment`` and ``workingStatus`` which apply whenever present (§5.4.3)."""

    lead: str | None = None
    status: Int32 | None = None
    tags: list[TagIn] | None = None
    rating: Int32 | None = None
    rating_message: str | None = None
    sourcePage: str | None = None
    language: str | None = None
    first_text: str | None = None
    subject: str | None = None
    location: JsonObject | None = None
    priority: str | None = None
    smartAssignment: bool | None = None
    workingStatus: str | None = None
    channelName: str | None = None


class RatingIn(InModel):
    """``PATCH /:pid/requests/:rid/rating`` (§5.4.1): only truthy values are applied."""

    rating: Int32 | None = None
    rating_message: str | None = None


class CloseIn(InModel):
    """``PUT /:pid/requests/:rid/close``: ``force`` closes again a closed conversation."""

    force: bool = False


class NoteIn(InModel):
    """``POST /:pid/requests/:rid/notes``; a blank ``text`` is Tiledesk's 400, not a 422."""

    text: str | None = None


class FollowerIn(InModel):
    """``POST /:pid/requests/:rid/followers``: a membership (project_user) id."""

    member: str = Field(min_length=1)


class EmailSendIn(InModel):
    """``POST /:pid/requests/:rid/email/send``: a message e-mailed to the contact."""

    text: str = Field(min_length=1)
    subject: str | None = None
    replyto: str | None = None


class DeleteResult(WireModel):
    """What ``DELETE /:pid/requests/id/:id`` answers (mongoose's ``remove()`` result)."""

    n: int
    ok: int
    deleted_count: int = Field(serialization_alias="deletedCount")


class EmailQueued(WireModel):
    """``POST /:pid/requests/:rid/email/send``: ``{"queued": true}``."""

    queued: bool


class RouteIn(InModel):
    """``PUT /:pid/requests/:rid/assign`` and ``/departments``: where to route (absent: the
    default department) and whether to skip the department's bot. ``no_populate`` is
    accepted and ignored, as in Tiledesk (its answer is always populated)."""

    departmentid: str | None = None
    nobot: bool | None = None
    no_populate: str | bool | None = None


class ParticipantIn(InModel):
    """``POST /:pid/requests/:rid/participants``: a user id or ``bot_<bot id>``."""

    member: str = Field(min_length=1)


class ReplaceBotIn(InModel):
    """``PUT /:pid/requests/:rid/replace``: the bot by ``id``, else ``name``, else ``slug``."""

    id: str | None = None
    name: str | None = None
    slug: str | None = None


class RequestReplacedOut(RequestOut):
    """The conversation after ``/replace``, plus the bot's root id (its ``root_id`` for a
    published copy, else its own id)."""

    replaced_bot_root_id: str


def unpopulated(row: Mapping[str, Any]) -> dict[str, Any]:
    """A conversation as mongoose reads it back from the database: ids rather than documents,
    no populated virtuals, no ``snapshot.agents`` (``select: false``)."""
    snapshot = {key: value for key, value in (row["snapshot"] or {}).items() if key != "agents"}
    data = {**row, "snapshot": snapshot, "lead_pk": row["lead_id"], "participating_bots": None}
    return RequestOut.model_validate(data).wire()
