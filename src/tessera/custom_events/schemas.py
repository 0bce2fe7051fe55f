"""Wire shapes of custom events (§5.17, §9.17). Events have no ``id`` virtual (§1.4); the
populated payload of ``event.emit`` adds one (``service.populated``)."""

from pydantic import Field

from tessera.core.schemas import Document, InModel, JsonObject, WireModel


class EventOut(Document):
    name: str
    attributes: JsonObject | None = None
    project_user_id: str | None = Field(None, serialization_alias="project_user")
    project_id: str = Field(serialization_alias="id_project")
    status: str
    created_by: str = Field(serialization_alias="createdBy")


class EventList(WireModel):
    """``{"perPage": 40, "count": n, "events": [...]}``."""

    per_page: int = Field(serialization_alias="perPage")
    count: int
    events: list[EventOut]


class EventCreate(InModel):
    """``POST /:pid/events``: ``name`` must not be empty (express-validator's ``notEmpty``)."""

    name: str = Field(min_length=1)
    attributes: JsonObject | None = None
