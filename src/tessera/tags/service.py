"""The project's tag library: names and colours agents pick from to label conversations."""

from tessera.auth.principal import Member
from tessera.core.db import Record, Tx
from tessera.core.errors import Conflict, NotFound, ServerError
from tessera.tags import repository
from tessera.tags.schemas import TAGS_PER_PAGE, TagIn, TagListQuery

_NOT_FOUND = "Object not found."


def list_tags(tx: Tx, member: Member, query: TagListQuery) -> list[Record]:
    return repository.search(
        tx,
        member.project_id,
        sort=query.sort,
        ascending=query.direction == 1,
        limit=TAGS_PER_PAGE,
        offset=query.page * TAGS_PER_PAGE,
    )


def get_tag(tx: Tx, member: Member, tag_id: str) -> Record:
    tag = repository.get(tx, member.project_id, tag_id)
    if tag is None:
        raise NotFound(_NOT_FOUND)
    return tag


def create_tag(tx: Tx, member: Member, body: TagIn) -> Record:
    """Creating a name the project already has answers the existing tag, unchanged (§5.10),
    also when two requests race to create it."""
    try:
        return repository.add(
            tx,
            {
                "project_id": member.project_id,
                "tag": body.tag,
                "color": body.color,
                "created_by": member.caller.id,
            },
        )
    except repository.NameTaken:
        existing = repository.find_by_name(tx, member.project_id, body.tag)
        if existing is None:  # the constraint that failed was not the name's
            raise ServerError("Error saving object.") from None
        return existing


def update_tag(tx: Tx, member: Member, tag_id: str, body: TagIn) -> Record:
    """Both fields are always written, a missing colour clears it (§5.10). Tessera answers
    404 where Tiledesk upserts, and 409 where Tiledesk's unique index makes it a 500."""
    try:
        tag = repository.update_fields(
            tx, member.project_id, tag_id, {"tag": body.tag, "color": body.color}
        )
    except repository.NameTaken:
        raise Conflict(f"A tag named '{body.tag}' already exists in this project.") from None
    if tag is None:
        raise NotFound(_NOT_FOUND)
    return tag


def delete_tag(tx: Tx, member: Member, tag_id: str) -> dict[str, int]:
    """Mongo's delete result; deleting what is not there deletes nothing and succeeds."""
    deleted = repository.remove(tx, member.project_id, tag_id)
    return {"n": deleted, "ok": 1, "deletedCount": deleted}
