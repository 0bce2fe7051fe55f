"""Edits of a conversation by agents: PATCH, attributes, notes, followers, tags, and an
e-mail to its contact (fact sheet §5.4.3). Every change goes through
``repository.update_fields`` and announces ``request.update`` with the populated request."""

from collections.abc import Iterable, Mapping
from typing import Any

from tessera.auth.principal import Member, Role
from tessera.context import Context
from tessera.conversations import repository, service
from tessera.conversations.schemas import EmailQueued, EmailSendIn, NoteIn, RequestPatch, TagIn
from tessera.core.clock import iso
from tessera.core.db import Record, Tx
from tessera.core.errors import BadRequest, InvalidInput, NotFound, PermissionDenied
from tessera.core.ids import is_object_id, new_id
from tessera.emails.messages import message_to_contact
from tessera.leads import repository as leads

# PATCH fields applied only when truthy, and those applied whenever present (§5.4.3):
# Tiledesk name -> column. Objects and arrays are always truthy in JavaScript.
_TRUTHY = {
    "status": "status",
    "rating": "rating",
    "rating_message": "rating_message",
    "sourcePage": "source_page",
    "language": "language",
    "first_text": "first_text",
    "subject": "subject",
    "priority": "priority",
}
_PRESENT = {
    "location": "location",
    "smartAssignment": "smart_assignment",
    "workingStatus": "working_status",
}


def _locked(tx: Tx, member: Member, request_id: str, error: NotFound) -> Record:
    conversation = repository.get_for_update(tx, member.project_id, request_id)
    if conversation is None:
        raise error
    return conversation


def _saved(
    tx: Tx, member: Member, conversation: Record, values: Mapping[str, Any]
) -> dict[str, Any]:
    """Write ``values``, announce ``request.update``, answer the populated request."""
    updated = repository.update_fields(tx, conversation.id, values)
    payload = service.present(tx, member.project, updated)
    tx.emit("request.update", member.project_id, payload)
    return payload


# ---------------------------------------------------------------- PATCH and attributes


def patch_conversation(
    tx: Tx, member: Member, request_id: str, body: RequestPatch
) -> dict[str, Any]:
    """``PATCH /:rid``. A ``status`` set here runs no close logic (§5.4.3), but the assigned
    counters follow it and ``workingStatus`` (§8.2: "pending" conversations do not count)."""
    conversation = _locked(tx, member, request_id, NotFound("Request not found"))
    patch = _applied(body)
    values = _columns(tx, member, conversation, patch)
    payload = _saved(tx, member, conversation, values)
    if _moves_the_load(conversation, values):
        service.recount_assigned(tx, member.project_id, conversation.participants_agents)
    if "workingStatus" in patch:
        tx.emit("request.workingStatus.update", member.project_id, {"request": payload})
    if "rating" in patch:
        tx.emit("request.satisfaction", member.project_id, {"request": payload, "patch": patch})
    return payload


def _moves_the_load(conversation: Record, values: Mapping[str, Any]) -> bool:
    return any(
        column in values and values[column] != conversation[column]
        for column in ("status", "working_status")
    )


def _applied(body: RequestPatch) -> dict[str, Any]:
    """The body fields Tiledesk applies, under their Tiledesk names."""
    fields = body.model_dump(exclude_none=True)
    patch = {name: fields[name] for name in _TRUTHY if fields.get(name)}
    patch.update({name: fields[name] for name in _PRESENT if name in fields})
    if body.lead:
        patch["lead"] = body.lead
    if body.tags is not None:
        patch["tags"] = [_tag(tag) for tag in body.tags]
    if body.channelName:
        patch["channel.name"] = body.channelName
    return patch


def _columns(
    tx: Tx, member: Member, conversation: Record, patch: Mapping[str, Any]
) -> dict[str, Any]:
    values = {
        column: patch[name] for name, column in {**_TRUTHY, **_PRESENT}.items() if name in patch
    }
    if "lead" in patch:
        values["lead_id"] = _lead_of_project(tx, member, patch["lead"])
    if "tags" in patch:
        values["tags"] = patch["tags"]
    if "channel.name" in patch:
        values["channel"] = {**(conversation.channel or {}), "name": patch["channel.name"]}
    return values


def _lead_of_project(tx: Tx, member: Member, lead_pk: str) -> str:
    """A lead of this project (Tiledesk stores any id, even another project's lead)."""
    lead = leads.get(tx, member.project_id, lead_pk) if is_object_id(lead_pk) else None
    if lead is None:
        raise InvalidInput.field("lead", "no lead with this id in the project", value=lead_pk)
    return str(lead.id)


def patch_attributes(
    tx: Tx, member: Member, request_id: str, attributes: Mapping[str, Any]
) -> dict[str, Any]:
    """``PATCH /:rid/attributes``: the body's keys replace those of ``attributes``."""
    conversation = _locked(tx, member, request_id, NotFound("Object not found."))
    merged = {**(conversation.attributes or {}), **attributes}
    payload = _saved(tx, member, conversation, {"attributes": merged})
    tx.emit("request.attributes.update", member.project_id, payload)
    return payload


# ---------------------------------------------------------------- notes


def add_note(tx: Tx, member: Member, request_id: str, body: NoteIn) -> dict[str, Any]:
    """``POST /:rid/notes``: ``{_id, text, createdBy, updatedAt, createdAt}`` appended
    (Tiledesk keeps no other field of the body)."""
    text = body.text
    if text is None or not text.strip():
        received = "undefined" if text is None else text
        raise BadRequest(f"Field 'text' is required. Received value: {received}", key="error")
    conversation = _participated(tx, member, request_id)
    now = iso(tx.now)
    note = {
        "_id": new_id(),
        "text": text,
        "createdBy": member.caller.id,
        "updatedAt": now,
        "createdAt": now,
    }
    return _saved(tx, member, conversation, {"notes": [*conversation.notes, note]})


def delete_note(tx: Tx, member: Member, request_id: str, note_id: str) -> dict[str, Any]:
    """``DELETE /:rid/notes/:noteid``: an unknown note leaves the conversation unchanged
    (Tiledesk's ``$pull``); a malformed id is a 404 (Tiledesk: a 500 cast error)."""
    conversation = _participated(tx, member, request_id)
    if not is_object_id(note_id):
        raise NotFound(f"Note not found with id {note_id}", key="error")
    kept = [note for note in conversation.notes if note.get("_id") != note_id]
    if len(kept) == len(conversation.notes):
        return service.present(tx, member.project, conversation)
    return _saved(tx, member, conversation, {"notes": kept})


def _participated(tx: Tx, member: Member, request_id: str) -> Record:
    """Agents (not supervisors, admins, owners) write notes only where they take part."""
    error = NotFound(f"Request with id {request_id} not found.", key="error")
    conversation = _locked(tx, member, request_id, error)
    if member.role is Role.AGENT and member.caller.id not in conversation.participants_agents:
        raise PermissionDenied("You are not participating in the conversation", key="error")
    return conversation


# ---------------------------------------------------------------- followers


def add_follower(tx: Tx, member: Member, request_id: str, follower: str) -> dict[str, Any]:
    """``POST /:rid/followers``: a membership of this project (Tiledesk takes any id)."""
    conversation = _locked(tx, member, request_id, NotFound("Request not found", key="error"))
    _check_memberships(tx, member, [follower], "member")
    if follower in conversation.followers:
        return service.present(tx, member.project, conversation)
    payload = _saved(tx, member, conversation, {"followers": [*conversation.followers, follower]})
    tx.emit("request.followers.join", member.project_id, {"member": follower, "request": payload})
    return payload


def set_followers(tx: Tx, member: Member, request_id: str, followers: list[str]) -> dict[str, Any]:
    """``PUT /:rid/followers``: replace them (no-op when equal)."""
    conversation = _locked(tx, member, request_id, NotFound("Request not found", key="error"))
    wanted = list(dict.fromkeys(followers))
    _check_memberships(tx, member, wanted, "followers")
    if wanted == conversation.followers:
        return service.present(tx, member.project, conversation)
    return _saved(tx, member, conversation, {"followers": wanted})


def remove_follower(tx: Tx, member: Member, request_id: str, follower: str) -> dict[str, Any]:
    """``DELETE /:rid/followers/:followerid``: someone who does not follow is a no-op."""
    conversation = _locked(tx, member, request_id, NotFound("Request not found", key="error"))
    if follower not in conversation.followers:
        return service.present(tx, member.project, conversation)
    kept = [current for current in conversation.followers if current != follower]
    payload = _saved(tx, member, conversation, {"followers": kept})
    tx.emit("request.followers.leave", member.project_id, {"member": follower, "request": payload})
    return payload


def _check_memberships(tx: Tx, member: Member, ids: Iterable[str], param: str) -> None:
    wanted = list(ids)
    found = repository.memberships_by_id(tx, member.project_id, wanted)
    unknown = [value for value in wanted if value not in found]
    if unknown:
        raise InvalidInput.field(param, "not a member of this project", value=unknown[0])


# ---------------------------------------------------------------- tags


def add_tags(tx: Tx, member: Member, request_id: str, tags: list[TagIn]) -> dict[str, Any]:
    """``PUT /:rid/tag``: append the tags whose name is not there yet. Tiledesk answers the
    request populated (its ``populate`` mutates the document it sends)."""
    if not tags:
        raise BadRequest("No tag specified", key="message")
    error = NotFound(f"Request not found with request id {request_id}", key="error")
    conversation = _locked(tx, member, request_id, error)
    names = {tag.get("tag") for tag in conversation.tags}
    added = []
    for tag in tags:
        if tag.tag not in names:
            names.add(tag.tag)
            added.append(_tag(tag))
    if not added:
        return service.present(tx, member.project, conversation)
    payload = _saved(tx, member, conversation, {"tags": [*conversation.tags, *added]})
    tx.emit("request.tag.update", member.project_id, {"request": payload, "tags": added})
    return payload


def remove_tag(tx: Tx, member: Member, request_id: str, tag_id: str) -> dict[str, Any]:
    """``DELETE /:rid/tag/:tag_id`` by the tag's ``_id``; an unknown one changes nothing."""
    error = NotFound(f"Request not found with id {request_id}", key="error")
    conversation = _locked(tx, member, request_id, error)
    if not is_object_id(tag_id):
        raise NotFound(f"Tag not found with id {tag_id}", key="error")
    kept = [tag for tag in conversation.tags if tag.get("_id") != tag_id]
    if len(kept) == len(conversation.tags):
        return service.present(tx, member.project, conversation)
    return _saved(tx, member, conversation, {"tags": kept})


def _tag(tag: TagIn) -> dict[str, Any]:
    """A tag subdocument: its own ``_id``, then the fields given."""
    return {"_id": new_id(), **tag.model_dump(exclude_none=True)}


# ---------------------------------------------------------------- e-mail


def email_contact(
    tx: Tx, member: Member, request_id: str, body: EmailSendIn, ctx: Context
) -> EmailQueued:
    """``POST /:rid/email/send``: mail ``text`` to the conversation's lead once the unit of
    work commits. Without a lead e-mail Tiledesk answers ``{"no queued": true}`` and then
    crashes on its second answer; Tessera answers a 400."""
    conversation = repository.get(tx, member.project_id, request_id)
    if conversation is None:
        raise NotFound("Object not found.")
    lead = leads.get(tx, member.project_id, conversation.lead_id) if conversation.lead_id else None
    if lead is None or not lead.email:
        raise BadRequest("The contact of the conversation has no email address")
    email = message_to_contact(
        ctx.links,
        to=lead.email,
        text=body.text,
        subject=body.subject,
        project_name=member.project["name"],
    )
    ctx.send_after_commit(tx, email)
    return EmailQueued(queued=True)
