"""Properties: the custom contact fields a project adds to its leads (§5.24)."""

from tessera.auth.principal import Member, Role
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound, PermissionDenied
from tessera.core.ids import is_object_id
from tessera.core.pagination import PageParams
from tessera.properties import repository
from tessera.properties.models import PROPERTY_DELETED, PROPERTY_NORMAL, properties
from tessera.properties.schemas import PropertyCreate, PropertyUpdate

_NOT_FOUND = "Object not found."


def list_properties(
    tx: Tx,
    member: Member,
    *,
    page: PageParams,
    name: str | None,
    status: int | None,
    sort: str | None,
    direction: int,
) -> list[Record]:
    """Active properties (``status`` 100) unless another status is asked for."""
    conditions = [properties.c.status == (PROPERTY_NORMAL if status is None else status)]
    if name:
        conditions.append(properties.c.name == name)
    return repository.search(
        tx, member.project_id, conditions=conditions, page=page, sort=sort, direction=direction
    )


def get_property(tx: Tx, member: Member, property_id: str) -> Record:
    found = (
        repository.get(tx, member.project_id, property_id) if is_object_id(property_id) else None
    )
    if found is None:
        raise NotFound(_NOT_FOUND)
    return found


def create_property(tx: Tx, member: Member, body: PropertyCreate) -> Record:
    return repository.add(
        tx,
        {
            "project_id": member.project_id,
            "label": body.label,
            "name": body.name,
            "type": body.type,
            "status": PROPERTY_NORMAL,
            "created_by": member.caller.id,
        },
    )


def update_property(tx: Tx, member: Member, property_id: str, body: PropertyUpdate) -> Record:
    """Tiledesk upserts an unknown id; Tessera answers 404."""
    found = get_property(tx, member, property_id)
    values = body.model_dump(exclude_none=True)
    if not values:
        return found
    updated = repository.update_fields(tx, member.project_id, found.id, values)
    assert updated is not None
    return updated


def delete_property(tx: Tx, member: Member, property_id: str) -> Record:
    """Soft delete: ``status`` 1000, the property leaves the default list."""
    found = get_property(tx, member, property_id)
    updated = repository.update_fields(
        tx, member.project_id, found.id, {"status": PROPERTY_DELETED}
    )
    assert updated is not None
    return updated


def delete_property_physically(tx: Tx, member: Member, property_id: str) -> dict[str, int]:
    """Owners only (Tiledesk checks the role inside the route, §5.24)."""
    if member.role is not Role.OWNER:
        raise PermissionDenied("Unauthorized.")
    found = get_property(tx, member, property_id)
    deleted = repository.remove(tx, member.project_id, found.id)
    return {"n": deleted, "ok": 1, "deletedCount": deleted}
