"""Wire shapes of agent groups (§5.9, §9.8). Groups have no ``id`` virtual (§1.4)."""

from typing import Any

from pydantic import Field

from tessera.core.schemas import Document, InModel, JsonObject, WireModel


class GroupOut(Document):
    name: str
    members: list[Any]
    project_id: str = Field(serialization_alias="id_project")
    enabled: bool
    trashed: bool
    attributes: JsonObject | None = None
    created_by: str = Field(serialization_alias="createdBy")


class GroupCreate(InModel):
    name: str = Field(min_length=1)
    members: list[str] | None = None


class GroupUpdate(InModel):
    """``PUT /:pid/groups/:id``: a field that is absent or null is left as it is."""

    name: str | None = Field(None, min_length=1)
    members: list[str] | None = None
    trashed: bool | None = None
    attributes: JsonObject | None = None


class GroupTrashed(WireModel):
    """The answer to a soft delete."""

    success: bool = True
    message: str = "Group successfully deleted"
