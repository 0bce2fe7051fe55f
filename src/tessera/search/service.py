"""Keeping the search index in step with requests and leads, and querying it.

Request writes go through ``conversations.repository.add``/``update_fields`` and lead writes
through ``leads.repository``; those call the functions here in the same transaction, so the
index never disagrees with committed data. What is indexed is what Tiledesk's text indexes
hold (``models/request.js``, ``models/lead.js``): for a request its ``subject``,
``transcript``, ``rating_message``, tag names, note texts and its lead's e-mail and full name;
for a lead its full name and e-mail.
"""

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Subquery

from tessera.core.db import Tx
from tessera.search import repository, text
from tessera.search.models import LEAD, REQUEST

# Columns whose change alters a document's text (the others never cost a reindex).
_REQUEST_COLUMNS = frozenset(
    {"subject", "transcript", "rating_message", "tags", "notes", "lead_id"}
)
_LEAD_COLUMNS = frozenset({"fullname", "email"})


def request_text_changed(values: Mapping[str, Any]) -> bool:
    return not _REQUEST_COLUMNS.isdisjoint(values)


def lead_text_changed(values: Mapping[str, Any]) -> bool:
    return not _LEAD_COLUMNS.isdisjoint(values)


def reindex_request(tx: Tx, request: Mapping[str, Any]) -> None:
    """(Re)write the document of ``request`` (a ``requests`` row)."""
    lead_pk = request["lead_id"]
    lead = repository.lead_names(tx, request["project_id"], lead_pk) if lead_pk else None
    repository.upsert(tx, [_request_document(request, lead)])


def index_lead(tx: Tx, lead: Mapping[str, Any]) -> None:
    """Write the document of a new lead (it has no requests yet)."""
    repository.upsert(tx, [_lead_document(lead)])


def reindex_lead(tx: Tx, lead: Mapping[str, Any]) -> None:
    """Rewrite the documents of ``lead`` and of its requests, whose text holds the lead's
    name and e-mail."""
    conversations = repository.requests_of_lead(tx, lead["project_id"], lead["id"])
    repository.upsert(
        tx, [_lead_document(lead), *(_request_document(row, lead) for row in conversations)]
    )


def delete_document(tx: Tx, kind: str, doc_id: str) -> None:
    repository.remove(tx, kind, doc_id)


def matching(tx: Tx, project_id: str, kind: str, search: str) -> Subquery:
    """``(doc_id, score)`` of the project's documents of ``kind`` (``REQUEST``, ``LEAD``)
    matching the ``$search``-style ``search`` (``search.text.parse``); higher scores are
    better matches. Filter with ``id.in_(select(hits.c.doc_id))`` or join on ``doc_id``."""
    return repository.matching(tx, project_id, kind, text.parse(search))


def _request_document(request: Mapping[str, Any], lead: Mapping[str, Any] | None) -> dict[str, Any]:
    parts = [request["subject"], request["rating_message"]]
    parts += [_tag_name(tag) for tag in request["tags"] or []]
    parts += [note.get("text") for note in request["notes"] or [] if isinstance(note, dict)]
    if lead is not None:
        parts += [lead["email"], lead["fullname"]]
    # Last: a very long transcript is what ``text.MAX_BODY`` cuts, never the short fields.
    parts.append(request["transcript"])
    return _document(request["project_id"], REQUEST, request["id"], parts)


def _tag_name(tag: object) -> str | None:
    """Request tags are ``{tag, color}`` objects (§9.4); a bare string counts as its name."""
    if isinstance(tag, dict):
        name = tag.get("tag")
        return name if isinstance(name, str) else None
    return tag if isinstance(tag, str) else None


def _lead_document(lead: Mapping[str, Any]) -> dict[str, Any]:
    return _document(lead["project_id"], LEAD, lead["id"], [lead["fullname"], lead["email"]])


def _document(project_id: str, kind: str, doc_id: str, parts: list[Any]) -> dict[str, Any]:
    strings = [part for part in parts if isinstance(part, str)]
    return {"project_id": project_id, "kind": kind, "doc_id": doc_id, "body": text.body(strings)}
