"""Wire shapes of memberships (§5.3, §9.3)."""

from typing import Any

from pydantic import Field, computed_field

from tessera.core.schemas import Document, InModel, JsonObject, Millis
from tessera.projects.schemas import ProjectOut
from tessera.users.schemas import UserOut


class ProjectUserOut(Document):
    project_id: str | ProjectOut = Field(serialization_alias="id_project")
    user_id: str | UserOut | JsonObject | None = Field(None, serialization_alias="id_user")
    uuid_user: str | None = None
    role: str
    role_type: int = Field(serialization_alias="roleType")
    user_available: bool
    profile_status: str | None = Field(None, serialization_alias="profileStatus")
    presence: JsonObject | None = None
    attributes: JsonObject | None = None
    max_assigned_chat: int | None = None
    number_assigned_requests: int
    last_ip: str | None = None
    last_login_at: Millis | None = None
    settings: JsonObject | None = None
    tags: list[Any]
    permissions: list[str]
    created_by: str = Field(serialization_alias="createdBy")
    status: str
    trashed: bool
    is_busy: bool | None = Field(None, serialization_alias="isBusy")

    @computed_field(alias="id")  # type: ignore[prop-decorator]
    @property
    def id_virtual(self) -> str:
        return self.id

    @computed_field(alias="isAuthenticated")  # type: ignore[prop-decorator]
    @property
    def is_authenticated(self) -> bool:
        return self.role != "guest"


class MembershipUpdate(InModel):
    """What a member may change of its own membership (``PUT /:pid/project_users``)."""

    user_available: bool | None = None
    profileStatus: str | None = None
    max_assigned_chat: int | None = None
    number_assigned_requests: int | None = None
    attributes: JsonObject | None = None
    tags: list[Any] | None = None
    assigned_toyou: bool | None = Field(
        None, alias="settings.email.notification.conversation.assigned.toyou"
    )
    pooled: bool | None = Field(None, alias="settings.email.notification.conversation.pooled")


class MembershipAdminUpdate(MembershipUpdate):
    """What an admin may change of any membership (``PUT /:pid/project_users/:id``)."""

    role: str | None = Field(None, min_length=1)
    status: str | None = None


class InviteIn(InModel):
    email: str = Field(min_length=3)
    role: str | None = None
    user_available: bool | None = None


class EndUserCreate(InModel):
    tags: list[Any] | None = None
