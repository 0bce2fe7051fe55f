"""Wire shapes of the tag library (§5.10, §9.9)."""

from typing import Annotated, Literal

from pydantic import BeforeValidator, Field

from tessera.core.schemas import Document, InModel, JsonObject

TAGS_PER_PAGE = 40  # fixed: Tiledesk's routes/tag.js reads no ``limit``

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
