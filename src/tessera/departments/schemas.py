"""Wire shapes of departments (§5.7, §9.7)."""

from typing import Annotated, Any

from pydantic import AfterValidator, Field, computed_field, field_validator

from tessera.core.schemas import Document, InModel, JsonObject
from tessera.departments.models import ROUTING_ASSIGNED, ROUTING_POOLED

STATUSES = (1, 0, -1)  # visible; hidden in the widget; hidden in the dashboard too


def _routing(value: str) -> str:
    if value not in (ROUTING_POOLED, ROUTING_ASSIGNED):
        raise ValueError(f"must be {ROUTING_POOLED} or {ROUTING_ASSIGNED}")
    return value


def _status(value: int) -> int:
    if value not in STATUSES:
        raise ValueError("must be 1, 0 or -1")
    return value


Routing = Annotated[str, AfterValidator(_routing)]
Status = Annotated[int, AfterValidator(_status)]


class DepartmentOut(Document):
    project_id: str = Field(serialization_alias="id_project")
    id_bot: str | None = None
    bot_only: bool | None = None
    routing: str
    name: str
    description: str | None = None
    id_group: str | None = None
    groups: list[JsonObject] = Field(default_factory=list)
    online_msg: str | None = None
    offline_msg: str | None = None
    default: bool
    tags: list[Any]
    status: int
    created_by: str = Field(serialization_alias="createdBy")

    @field_validator("groups", mode="before")
    @classmethod
    def _no_groups(cls, value: Any) -> Any:
        """``groups`` is a mongoose array: ``[]`` when never set."""
        return [] if value is None else value

    @computed_field(alias="id")  # type: ignore[prop-decorator]
    @property
    def id_virtual(self) -> str:
        return self.id

    @computed_field(alias="hasBot")  # type: ignore[prop-decorator]
    @property
    def has_bot(self) -> bool:
        return bool(self.id_bot)


class GroupShare(InModel):
    """One entry of ``groups``: a group and the share of conversations it gets."""

    group_id: str = Field(min_length=1)
    percentage: int | float


class DepartmentCreate(InModel):
    name: str = Field(min_length=1)
    routing: Routing | None = None
    description: str | None = None
    default: bool | None = None
    status: Status | None = None
    id_group: str | None = None
    groups: list[GroupShare] | None = None
    id_bot: str | None = None
    bot_only: bool | None = None


class DepartmentUpdate(InModel):
    """The body of PUT and PATCH: a field that is absent or null is "not given"."""

    name: str | None = Field(None, min_length=1)
    routing: Routing | None = None
    description: str | None = None
    status: Status | None = None
    id_group: str | None = None
    groups: list[GroupShare] | None = None
    id_bot: str | None = None
    bot_only: bool | None = None
    online_msg: str | None = None
