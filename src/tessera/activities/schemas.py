"""Wire shapes of activities (§5.18)."""

from dataclasses import dataclass
from typing import Any

from pydantic import Field

from tessera.core.schemas import Document, JsonObject, WireModel


class ActivityOut(Document):
    """The stored activity; the list adds its ``message`` (``service.present``)."""

    actor: JsonObject
    verb: str
    action_obj: JsonObject | None = Field(None, serialization_alias="actionObj")
    target: JsonObject
    related: JsonObject | None = None
    involved_user_ids: list[str] | None = Field(None, serialization_alias="involvedUserIds")
    project_id: str = Field(serialization_alias="id_project")
    message: str | None = None


class ActivityList(WireModel):
    """``{"perPage", "count", "activities", "chart"?, "limitWarning"?}``."""

    per_page: int = Field(serialization_alias="perPage")
    count: int
    activities: list[dict[str, Any]]
    chart: bool | None = None
    limit_warning: str | None = Field(None, serialization_alias="limitWarning")


@dataclass(frozen=True, slots=True)
class ActivityFilter:
    """The list's and the CSV's query: a creation window (epoch ms, inclusive), a user
    involved, verbs, and the order."""

    start: int | None = None
    end: int | None = None
    agent_id: str | None = None
    verbs: tuple[str, ...] = ()
    sort: str | None = None
    direction: int = -1


CSV_COLUMNS = (
    "message", "activity_id", "createdAt", "updatedAt", "project_id", "actor_name", "actor_id",
    "actor_type", "verb", "target_user_fullname", "target_email", "target_type",
    "target_user_id", "actionObj_email", "actionObj_id_project", "actionObj_project_name",
    "actionObj_role", "actionObj_user_available", "target_id", "target_createdAt",
    "target_createdBy", "target_role", "target_user_available",
)  # fmt: skip
