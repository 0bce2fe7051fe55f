"""Wire shapes of custom roles (§5.29, §9.18): ``{_id, name, permissions, id_project, __v}``,
without timestamps."""

from typing import Annotated

from pydantic import AfterValidator, Field

from tessera.auth.principal import Role
from tessera.core.pagination import Direction, Page
from tessera.core.schemas import InModel, WireModel

ROLES_PER_PAGE = 40


class RoleOut(WireModel):
    id: str = Field(serialization_alias="_id")
    name: str
    permissions: list[str]
    project_id: str = Field(serialization_alias="id_project")
    v: int = Field(0, serialization_alias="__v")


def _custom_name(value: str) -> str:
    """A role named like a standard one would never apply: members with that role are judged
    by the standard role (Tessera refuses such names, Tiledesk stores them)."""
    if Role.parse(value) is not None:
        raise ValueError(f"'{value}' is a standard role")
    return value


RoleName = Annotated[str, Field(min_length=1, max_length=300), AfterValidator(_custom_name)]
Permission = Annotated[str, Field(min_length=1, max_length=300)]


class RoleIn(InModel):
    """``POST /:pid/roles``."""

    name: RoleName
    permissions: list[Permission] = Field(default_factory=list, max_length=100)


class RolePatch(InModel):
    """``PUT /:pid/roles/:id``: only the fields given are written."""

    name: RoleName | None = None
    permissions: list[Permission] | None = Field(None, max_length=100)


class RoleListQuery(InModel):
    page: Page = 0
    limit: str | None = None
    sort: str = "createdAt"
    direction: Direction = -1
