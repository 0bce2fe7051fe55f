"""Wire shapes of departments (§5.7, §9.7)."""

from typing import Any

from pydantic import Field, computed_field

from tessera.core.schemas import Document, JsonObject


class DepartmentOut(Document):
    project_id: str = Field(serialization_alias="id_project")
    id_bot: str | None = None
    bot_only: bool | None = None
    routing: str
    name: str
    description: str | None = None
    id_group: str | None = None
    groups: list[JsonObject] | None = None
    online_msg: str | None = None
    offline_msg: str | None = None
    default: bool
    tags: list[Any]
    status: int
    created_by: str = Field(serialization_alias="createdBy")

    @computed_field(alias="id")  # type: ignore[prop-decorator]
    @property
    def id_virtual(self) -> str:
        return self.id

    @computed_field(alias="hasBot")  # type: ignore[prop-decorator]
    @property
    def has_bot(self) -> bool:
        return bool(self.id_bot)
