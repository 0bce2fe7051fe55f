"""Wire-format building blocks shared by every resource's schemas.

Output models (``*Out``) have snake_case field names matching the table columns and
serialization aliases with Tiledesk's names (``_id``, ``createdAt``...). Dumped with
``wire()``: aliases on, ``None`` omitted (mongoose omits unset fields), ``__v`` included.
Input models (``*In``) use Tiledesk's names directly and ignore unknown keys.
"""

from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, WithJsonSchema

from tessera.core.clock import iso
from tessera.core.responses import JSONResponse, json_response

Millis = Annotated[
    int,
    PlainSerializer(iso, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time"}, mode="serialization"),
]
"""Epoch milliseconds in storage, ISO-8601 UTC with milliseconds on the wire."""

JsonObject = dict[str, Any]


class WireModel(BaseModel):
    """Base of every response model."""

    model_config = ConfigDict(from_attributes=True, populate_by_name=True, extra="ignore")

    def wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    def respond(self, status_code: int = 200) -> JSONResponse:
        return json_response(self.wire(), status_code)

    @classmethod
    def of(cls, row: Any, **extra: Any) -> Self:
        """Build from a table row (or mapping), with computed fields given as keywords."""
        data = dict(row._mapping) if hasattr(row, "_mapping") else dict(row)
        data.update(extra)
        return cls.model_validate(data)


class Document(WireModel):
    """A stored document: ``_id``, ``createdAt``, ``updatedAt`` and mongoose's ``__v``."""

    id: str = Field(serialization_alias="_id")
    created_at: Millis = Field(serialization_alias="createdAt")
    updated_at: Millis = Field(serialization_alias="updatedAt")
    v: int = Field(0, serialization_alias="__v")


class InModel(BaseModel):
    """Base of request bodies: Tiledesk's field names, unknown keys ignored."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)


def respond_list(items: list[WireModel]) -> JSONResponse:
    """A bare JSON array, the shape of most Tiledesk lists."""
    return json_response([item.wire() for item in items])
