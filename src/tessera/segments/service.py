"""Segments: named lead filters, applied by ``GET /:pid/leads?segment=<id>`` (§5.25)."""

from typing import Any

from sqlalchemy import ColumnElement

from tessera.auth.principal import Member
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound
from tessera.core.ids import is_object_id
from tessera.core.pagination import PageParams
from tessera.segments import repository
from tessera.segments.conditions import segment_condition
from tessera.segments.models import SEGMENT_DELETED, SEGMENT_NORMAL
from tessera.segments.schemas import SegmentCreate, SegmentUpdate

_NOT_FOUND = "Object not found."
_SEGMENT_NOT_FOUND = "Error segment not found"


def list_segments(
    tx: Tx, member: Member, *, page: PageParams, sort: str | None, direction: int
) -> tuple[list[Record], int]:
    """The active segments (``status`` 100) and their count."""
    return repository.search(
        tx, member.project_id, status=SEGMENT_NORMAL, page=page, sort=sort, direction=direction
    )


def get_segment(tx: Tx, member: Member, segment_id: str) -> Record:
    """Any segment of the project, deleted ones too (as Tiledesk's ``findById``)."""
    found = _find(tx, member.project_id, segment_id)
    if found is None:
        raise NotFound(_NOT_FOUND)
    return found


def create_segment(tx: Tx, member: Member, body: SegmentCreate) -> Record:
    return repository.add(
        tx,
        {
            "project_id": member.project_id,
            "name": body.name,
            "match": body.match,
            "filters": [item.stored() for item in body.filters],
            "status": SEGMENT_NORMAL,
            "created_by": member.caller.id,
        },
    )


def update_segment(tx: Tx, member: Member, segment_id: str, body: SegmentUpdate) -> Record:
    """Tiledesk upserts an unknown id; Tessera answers 404."""
    found = get_segment(tx, member, segment_id)
    values: dict[str, Any] = body.model_dump(exclude_none=True, exclude={"filters"})
    if body.filters is not None:
        values["filters"] = [item.stored() for item in body.filters]
    return _write(tx, member, found, values)


def delete_segment(tx: Tx, member: Member, segment_id: str) -> Record:
    """Soft delete: ``status`` 0; the segment leaves the list but still filters leads."""
    return _write(tx, member, get_segment(tx, member, segment_id), {"status": SEGMENT_DELETED})


def lead_condition(tx: Tx, member: Member, segment_id: str) -> ColumnElement[bool]:
    """The leads a segment of the project selects; 404 for a segment the project lacks."""
    found = _find(tx, member.project_id, segment_id)
    if found is None:
        raise NotFound(_SEGMENT_NOT_FOUND)
    return segment_condition(found.match, found.filters)


def _find(tx: Tx, project_id: str, segment_id: str) -> Record | None:
    return repository.get(tx, project_id, segment_id) if is_object_id(segment_id) else None


def _write(tx: Tx, member: Member, segment: Record, values: dict[str, Any]) -> Record:
    if not values:
        return segment
    updated = repository.update_fields(tx, member.project_id, segment.id, values)
    assert updated is not None
    return updated
