"""Wire shapes of the tag library (§5.10, §9.9)."""

from pydantic import Field

from tessera.core.pagination import Direction, Page
from tessera.core.schemas import Document, InModel, JsonObject

TAGS_PER_PAGE = 40  # fixed: Tiledesk's routes/tag.js reads no ``limit``


class TagOut(Document):
    tag: str
    color: str | None = None
    attributes: JsonObject | None = None
    project_id: str = Field(serialization_alias="id_project")
    created_by: str = Field(serialization_alias="createdBy")


class TagIn(InModel):
    """``POST`` and ``PUT`` bodies: a name and an optional colour."""

    tag: str = Field(min_length=1)
    color: str | None = None


class TagListQuery(InModel):
    page: Page = 0
    sort: str = "createdAt"
    direction: Direction = -1
