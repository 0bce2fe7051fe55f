"""Wire shapes of canned responses (§5.11, §9.10)."""

from pydantic import Field, field_validator

from tessera.core.pagination import Direction, Page
from tessera.core.schemas import Document, InModel, JsonObject

CANNED_PER_PAGE = 1000  # fixed: the route reads no ``limit``


class CannedOut(Document):
    title: str | None = None
    text: str
    shared: bool
    attributes: JsonObject | None = None
    project_id: str = Field(serialization_alias="id_project")
    created_by: str = Field(serialization_alias="createdBy")
    status: int


class CannedCreate(InModel):
    title: str | None = None
    text: str = Field(min_length=1)
    shared: bool | None = None


class CannedUpdate(InModel):
    """Only the fields present are written; ``title`` and ``attributes`` may be cleared."""

    title: str | None = None
    text: str | None = Field(None, min_length=1)
    attributes: JsonObject | None = None

    @field_validator("text")
    @classmethod
    def _text_stays(cls, value: str | None) -> str | None:
        if value is None:  # only an explicit null gets here: a canned response needs a text
            raise ValueError("text cannot be null")
        return value


class CannedListQuery(InModel):
    page: Page = 0
    sort: str = "createdAt"
    direction: Direction = -1
    full_text: str | None = None
