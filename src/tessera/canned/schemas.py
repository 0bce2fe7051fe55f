"""Wire shapes of canned responses (§5.11, §9.10)."""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_validator

from tessera.core.schemas import Document, InModel, JsonObject

CANNED_PER_PAGE = 1000  # fixed: the route reads no ``limit``

_DIRECTIONS = {"1": 1, "-1": -1, "asc": 1, "ascending": 1, "desc": -1, "descending": -1}


def _direction(value: object) -> object:
    """Mongoose's sort directions: ``1``/``-1`` and their spelled-out forms; an empty
    parameter means the default, as Tiledesk tests it for truthiness."""
    return _DIRECTIONS.get(str(value).strip().lower() or "-1", value)


def _page(value: object) -> object:
    return value or 0


Direction = Annotated[Literal[1, -1], BeforeValidator(_direction)]
# Bounded so that ``page * per_page`` stays a valid SQL OFFSET.
Page = Annotated[int, BeforeValidator(_page), Field(ge=0, le=1_000_000_000)]


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
