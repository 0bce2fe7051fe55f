"""Labels: a project's widget texts per language, over the built-in defaults (§5.12).

Rules kept from Tiledesk: the first language a project stores becomes its default; asking
for a language answers, in order, the project's own entry for it, the project's default
entry, its ``EN`` entry, then the built-in English set; the default language cannot be
deleted. Tessera also keeps exactly one default while a project has languages: storing
the default language again never un-marks it, and only an existing language can become
the default (Tiledesk could leave a project without one).
"""

import re
from collections.abc import Mapping
from typing import Any

from tessera.auth.principal import Member
from tessera.core.db import Record, Tx
from tessera.core.errors import BadRequest, NotFound
from tessera.labels import defaults, repository
from tessera.labels.schemas import CloneIn, LabelEntryOut, LabelIn, LabelsOut

_NOT_FOUND = "Object not found."
_LANG_NOT_FOUND = "Lang not found"
_DEFAULT_UNDELETABLE = "You can't delete the default language."
_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")
# Built-in texts used inside messages carry the default brand: the server's BRAND_NAME is a
# request-time setting that the message services do not see.
_MESSAGE_BRAND = "Tessera"


def builtin_labels(brand: str) -> list[dict[str, Any]]:
    return defaults.builtin_sets(brand)


def builtin_language(lang: str, brand: str) -> dict[str, Any] | None:
    return defaults.builtin_set(lang, brand)


def project_labels(tx: Tx, project_id: str) -> dict[str, Any] | None:
    """The project's label document as Tiledesk shows it, None when it has none."""
    document = repository.get(tx, project_id)
    return None if document is None else _document_wire(tx, document)


def resolve_language(tx: Tx, project_id: str, lang: str, brand: str) -> dict[str, Any]:
    """The texts the widget should use for ``lang`` (fallback order in the module docstring)."""
    entries = repository.fallback_candidates(tx, project_id, lang, defaults.FALLBACK_LANGUAGE)
    chosen = _chosen(entries, lang)
    if chosen is not None:
        return LabelEntryOut.of(chosen).wire()
    pivot = defaults.builtin_set(defaults.FALLBACK_LANGUAGE, brand)
    assert pivot is not None
    return pivot


def fill_placeholder(tx: Tx, project_id: str, language: str | None, text: str) -> str:
    """The text a message is saved with: when it holds a ``${KEY}`` naming a label, the whole
    text becomes that label in the conversation's language (fact sheet §8.4, Tiledesk's label
    message transformer: first placeholder only, English when the conversation has no
    language); any other text is kept as it is."""
    if "${" not in text:
        return text
    found = _PLACEHOLDER.search(text)
    if found is None:
        return text
    lang = (language or defaults.FALLBACK_LANGUAGE).upper()
    value = _label_value(tx, project_id, lang, found.group(1))
    return value if isinstance(value, str) and value else text


def _label_value(tx: Tx, project_id: str, lang: str, key: str) -> object:
    # The project's own texts follow the widget's fallback chain; without any, the built-in
    # texts of the conversation's language (Tiledesk would answer English ones).
    entries = repository.fallback_candidates(tx, project_id, lang, defaults.FALLBACK_LANGUAGE)
    chosen = _chosen(entries, lang)
    if chosen is not None:
        data = LabelEntryOut.of(chosen).wire().get("data") or {}
        if key in data:
            return data[key]
    for fallback in (lang, defaults.FALLBACK_LANGUAGE):
        builtin = defaults.builtin_set(fallback, _MESSAGE_BRAND)
        if builtin is not None and key in builtin["data"]:
            return builtin["data"][key]
    return None


def save_language(tx: Tx, member: Member, body: LabelIn, brand: str) -> dict[str, Any]:
    """Store the texts of ``body.lang`` (replacing them if the project has the language) and
    answer the entry as ``GET /labels/:lang`` shows it."""
    _store(tx, member, body.lang, body.data, make_default=body.default is True)
    tx.emit("label.create", member.project_id, _document_wire_of(tx, member.project_id))
    return resolve_language(tx, member.project_id, body.lang, brand)


def clone_builtin(tx: Tx, member: Member, body: CloneIn, brand: str) -> dict[str, Any]:
    """Copy the built-in texts of ``body.lang`` into the project (English ones for a language
    without built-in texts) and answer the whole document."""
    builtin = defaults.builtin_set(body.lang, brand) or defaults.builtin_set(
        defaults.FALLBACK_LANGUAGE, brand
    )
    assert builtin is not None
    _store(tx, member, body.lang, builtin["data"], make_default=False)
    document = _document_wire_of(tx, member.project_id)
    tx.emit("label.clone", member.project_id, document)
    return document


def make_default_language(tx: Tx, member: Member, lang: str, brand: str) -> dict[str, Any]:
    """``lang`` becomes the project's default language; 404 for a language it has not stored."""
    if repository.get_for_update(tx, member.project_id) is None:
        raise NotFound(_LANG_NOT_FOUND)
    if _find(repository.entries(tx, member.project_id), lang) is None:
        raise NotFound(_LANG_NOT_FOUND)
    repository.make_default(tx, member.project_id, lang)
    repository.touch(tx, member.project_id)
    tx.emit("label.update", member.project_id, _document_wire_of(tx, member.project_id))
    return resolve_language(tx, member.project_id, lang, brand)


def delete_language(tx: Tx, member: Member, lang: str, brand: str) -> dict[str, Any]:
    """Remove one language; the answer is what the widget now gets for it (the fallback)."""
    if repository.get_for_update(tx, member.project_id) is None:
        raise NotFound(_NOT_FOUND)
    entry = _find(repository.entries(tx, member.project_id), lang)
    if entry is None:
        raise NotFound(_NOT_FOUND)
    if entry.is_default:
        raise BadRequest(_DEFAULT_UNDELETABLE)
    repository.remove_entry(tx, member.project_id, lang)
    repository.touch(tx, member.project_id)
    tx.emit("label.delete", member.project_id, _document_wire_of(tx, member.project_id))
    return resolve_language(tx, member.project_id, lang, brand)


def delete_labels(tx: Tx, member: Member) -> dict[str, int]:
    """Drop every customised language: the widget falls back to the built-in texts. Mongo's
    delete result; deleting what is not there deletes nothing and succeeds."""
    document = repository.get_for_update(tx, member.project_id)
    if document is not None:
        payload = _document_wire(tx, document)
        repository.remove(tx, member.project_id)
        tx.emit("label.delete", member.project_id, payload)
    deleted = 0 if document is None else 1
    return {"n": deleted, "ok": 1, "deletedCount": deleted}


def _store(
    tx: Tx, member: Member, lang: str, data: Mapping[str, Any], *, make_default: bool
) -> None:
    """Insert or replace one language, keeping exactly one default (§5.12: the first language
    stored is the default)."""
    _lock_document(tx, member)
    entries = repository.entries(tx, member.project_id)
    existing = _find(entries, lang)
    values = {"data": dict(data), "category": None}
    if existing is None:
        repository.add_entry(
            tx, member.project_id, {"lang": lang, "is_default": not entries, **values}
        )
    else:
        repository.replace_entry(tx, member.project_id, lang, values)
    if make_default:
        repository.make_default(tx, member.project_id, lang)
    repository.touch(tx, member.project_id)


def _lock_document(tx: Tx, member: Member) -> Record:
    document = repository.get_for_update(tx, member.project_id)
    if document is None:
        document = repository.add(tx, member.project_id, member.caller.id)
    if document is None:  # created meanwhile by a concurrent writer: take its row
        document = repository.get_for_update(tx, member.project_id)
    assert document is not None
    return document


def _chosen(entries: list[Record], lang: str) -> Record | None:
    return (
        _find(entries, lang)
        or next((entry for entry in entries if entry.is_default), None)
        or _find(entries, defaults.FALLBACK_LANGUAGE)
    )


def _find(entries: list[Record], lang: str) -> Record | None:
    return next((entry for entry in entries if entry.lang == lang), None)


def _document_wire_of(tx: Tx, project_id: str) -> dict[str, Any]:
    document = repository.get(tx, project_id)
    assert document is not None
    return _document_wire(tx, document)


def _document_wire(tx: Tx, document: Record) -> dict[str, Any]:
    entries = [LabelEntryOut.of(entry) for entry in repository.entries(tx, document.project_id)]
    return LabelsOut.of(document, data=entries).wire()
