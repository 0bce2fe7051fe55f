"""Wire shapes of pending invitations (§5.21, §9.16)."""

from pydantic import Field

from tessera.core.schemas import Document, InModel


class InvitationOut(Document):
    email: str | None = None
    role: str | None = None
    project_id: str | None = Field(None, serialization_alias="id_project")
    created_by: str = Field(serialization_alias="createdBy")


class InvitationIn(InModel):
    email: str | None = None
    role: str | None = None
