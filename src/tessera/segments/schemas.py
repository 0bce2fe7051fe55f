"""Wire shapes of segments (§5.25, §9.18)."""

from typing import Any, Literal, Self

from pydantic import Field, field_validator, model_validator

from tessera.core.schemas import Document, InModel, WireModel
from tessera.segments.conditions import TEXT_OPERATORS, is_known_field

Operator = Literal["=", "!=", ">", ">=", "starts with", "contains", "is null", "is not null"]
Match = Literal["all", "any"]


class SegmentFilter(InModel):
    """``{"field": "email", "operator": "contains", "value": "@acme.com"}``. ``field`` is a
    lead field or a path inside ``attributes``/``properties`` (``attributes.plan``)."""

    field: str = Field(min_length=1, max_length=500)
    operator: Operator
    value: Any = None

    @field_validator("field")
    @classmethod
    def _lead_field(cls, field: str) -> str:
        if not is_known_field(field):
            raise ValueError("not a lead field nor an attributes.<key> / properties.<key> path")
        return field

    @model_validator(mode="after")
    def _text_value(self) -> Self:
        if self.operator in TEXT_OPERATORS and not isinstance(self.value, str):
            raise ValueError(f"'{self.operator}' needs a string value")
        return self

    def stored(self) -> dict[str, Any]:
        """As saved: the value only when the client sent one (``is null`` needs none)."""
        return self.model_dump(exclude_unset=True)


class SegmentCreate(InModel):
    name: str = Field(min_length=1)
    match: Match = "all"
    filters: list[SegmentFilter] = Field(default_factory=list, max_length=100)


class SegmentUpdate(InModel):
    """Only the fields present are written (``filters`` replaces the list)."""

    name: str | None = Field(None, min_length=1)
    match: Match | None = None
    filters: list[SegmentFilter] | None = Field(None, max_length=100)


class SegmentOut(Document):
    name: str
    match: str
    filters: list[dict[str, Any]]
    project_id: str = Field(serialization_alias="id_project")
    status: int
    created_by: str = Field(serialization_alias="createdBy")


class SegmentList(WireModel):
    """``{"perPage": 40, "count": 3, "segments": [...]}``."""

    per_page: int = Field(serialization_alias="perPage")
    count: int
    segments: list[SegmentOut]
