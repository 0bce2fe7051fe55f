"""Wire shapes of properties (§5.24, §9.18)."""

from pydantic import Field

from tessera.core.schemas import Document, InModel


class PropertyOut(Document):
    label: str
    name: str
    type: str
    status: int
    project_id: str = Field(serialization_alias="id_project")
    created_by: str = Field(serialization_alias="createdBy")


class PropertyCreate(InModel):
    label: str = Field(min_length=1)
    name: str = Field(min_length=1)
    type: str = Field("text", min_length=1)


class PropertyUpdate(InModel):
    """Only the fields present are written."""

    label: str | None = Field(None, min_length=1)
    name: str | None = Field(None, min_length=1)
    type: str | None = Field(None, min_length=1)
    status: int | None = None
