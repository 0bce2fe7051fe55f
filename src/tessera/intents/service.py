"""Intent use cases (§5.14): list, read, create, update, delete, CSV in and out, batched
operations, the public search; and what bots need of their intents (templates, copies,
imports).

Tessera deviations: every lookup is scoped to the project of the URL (Tiledesk reads intents
and bots by id alone, and ``faqpub`` without a filter dumps every project's intents, §12.10);
a PUT of an unknown intent is a 404 (Tiledesk upserts it, §12.7); bad client input is a 4xx,
never Tiledesk's 500.
"""

import csv
import io
import secrets
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError
from sqlalchemy import ColumnElement

from tessera.auth.principal import Member, Role
from tessera.bots import repository as bots
from tessera.bots.schemas import BotOut
from tessera.core.db import Record, Tx
from tessera.core.errors import AppError, BadRequest, Conflict, InvalidInput, NotFound
from tessera.core.ids import is_object_id, new_uuid
from tessera.core.pagination import PageParams
from tessera.intents import engine, repository
from tessera.intents.models import intents
from tessera.intents.schemas import (
    AgentIntentOut,
    IntentCreate,
    IntentOut,
    IntentUpdate,
    OperationsIn,
)
from tessera.search.text import words

OBJECT_NOT_FOUND = "Object not found."
_DUPLICATE = "Duplicate  intent_display_name."  # sic, two spaces (§5.14)
_BY_INTENT_ID = "intentId"
_NANOID_ALPHABET = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict"
CSV_COLUMNS = ("question", "answer", "intent_id", "intent_display_name", "webhook_enabled")
"""``GET /:pid/faq/csv`` and ``POST /:pid/faq/uploadcsv`` (§5.14), in this order."""


class MissingBot(AppError):
    """PUT without ``id_faq_kb``: Tiledesk's own 422 body ``{"err": ...}``."""

    status_code = 422


def nanoid(size: int = 6) -> str:
    """Tiledesk's default ``intent_display_name``: 6 characters of nanoid's alphabet."""
    return "".join(secrets.choice(_NANOID_ALPHABET) for _ in range(size))


# ---------------------------------------------------------------- reads


def sees_agent_view(member: Member) -> bool:
    """Exactly the role ``agent`` gets the reduced list (as for bots)."""
    return member.role_name == Role.AGENT


def list_intents(
    tx: Tx,
    member: Member,
    *,
    bot_id: str | None,
    text: str | None,
    intent_display_name: str | None,
    page: PageParams,
) -> list[dict[str, Any]]:
    """``GET /:pid/faq``: the project's intents, oldest first, with ``faq_kb`` populated.
    Agents see only intents made available to them, never ``start`` nor ``defaultFallback``,
    in the reduced shape (§5.14)."""
    conditions: list[ColumnElement[bool]] = []
    if bot_id is not None:
        conditions.append(intents.c.bot_id == bot_id)
    if text:
        conditions.append(repository.text_condition(tx, member.project_id, text))
    if intent_display_name is not None:
        conditions.append(intents.c.intent_display_name == intent_display_name)
    agent_view = sees_agent_view(member)
    if agent_view:
        conditions.append(intents.c.agents_available.is_not(False))
        conditions.append(intents.c.intent_display_name.not_in(sorted(engine.SPECIAL)))
    rows = repository.listed(
        tx, member.project_id, conditions=conditions, offset=page.offset, limit=page.limit
    )
    if agent_view:
        return [AgentIntentOut.of(row).wire() for row in rows]
    return populated(tx, member.project_id, rows)


def populated(tx: Tx, project_id: str, rows: list[Record]) -> list[dict[str, Any]]:
    """The intents with their bot as ``faq_kb: [bot]`` (mongoose's populated virtual)."""
    found = bots.get_many(tx, project_id, {row.bot_id for row in rows})
    return [
        IntentOut.of(
            row, faq_kb=[BotOut.of(found[row.bot_id]).wire()] if row.bot_id in found else []
        ).wire()
        for row in rows
    ]


def public_search(
    tx: Tx, project_id: str, *, bot_id: str | None, text: str | None
) -> list[dict[str, Any]]:
    """``GET /:pid/faqpub`` (public): the intents of the project's bots out of the trash, of
    one bot and/or matching ``text``. Only this project's: Tiledesk answers every project's
    intents when no filter is given (§12.10)."""
    conditions: list[ColumnElement[bool]] = [repository.of_bots_out_of_trash(project_id)]
    if bot_id is not None:
        conditions.append(intents.c.bot_id == bot_id)
    if text:
        conditions.append(repository.text_condition(tx, project_id, text))
    return populated(tx, project_id, repository.listed(tx, project_id, conditions=conditions))


def get_intent(tx: Tx, member: Member, intent_pk: str) -> Record:
    intent = repository.get(tx, member.project_id, intent_pk) if is_object_id(intent_pk) else None
    if intent is None:
        raise NotFound(OBJECT_NOT_FOUND)
    return intent


def bot_of_project(tx: Tx, project_id: str, bot_id: str | None) -> Record:
    """The project's bot ``bot_id`` names, else Tiledesk's 404 of the intent routes."""
    bot = bots.get(tx, project_id, bot_id) if bot_id and is_object_id(bot_id) else None
    if bot is None:
        raise NotFound(OBJECT_NOT_FOUND)
    return bot


def export_csv(tx: Tx, member: Member, bot_id: str | None) -> list[dict[str, Any]]:
    """``GET /:pid/faq/csv``: the CSV rows of the project's intents (of one bot, when named)."""
    conditions = [intents.c.bot_id == bot_id] if bot_id is not None else []
    return [
        {
            "question": row.question,
            "answer": row.answer,
            "intent_id": row.intent_id,
            "intent_display_name": row.intent_display_name,
            "webhook_enabled": row.webhook_enabled,
        }
        for row in repository.listed(tx, member.project_id, conditions=conditions)
    ]


# ---------------------------------------------------------------- writes


def create_intent(tx: Tx, member: Member, body: IntentCreate) -> Record:
    """``POST /:pid/faq``: a new intent of one of the project's bots, in the bot's language;
    409 when the bot already has its ``intent_display_name`` or ``intent_id``."""
    bot = bot_of_project(tx, member.project_id, body.id_faq_kb)
    try:
        intent = add_intent(tx, bot, body, created_by=member.caller.id, language=bot.language)
    except repository.Duplicate:
        raise Conflict(_DUPLICATE) from None
    tx.emit("faq.create", member.project_id, IntentOut.of(intent).wire())
    return intent


def add_intent(
    tx: Tx, bot: Record, body: IntentCreate, *, created_by: str, language: str | None
) -> Record:
    """Insert one intent of ``bot`` (``repository.Duplicate`` on a name or intent id in use);
    no event: callers emit."""
    if body.id is not None and not is_object_id(body.id):
        raise InvalidInput.field("_id", "must be an ObjectId", value=body.id)
    values: dict[str, Any] = {
        "project_id": bot.project_id,
        "bot_id": bot.id,
        "intent_id": body.intent_id or new_uuid(),
        "intent_display_name": body.intent_display_name or nanoid(),
        "question": body.question,
        "answer": body.answer,
        "reply": body.reply,
        "form": body.form,
        "enabled": True if body.enabled is None else body.enabled,
        "topic": body.topic or "default",
        "status": "live",
        "language": language,
        "webhook_enabled": bool(body.webhook_enabled),
        "actions": body.actions,
        "attributes": body.attributes,
        "agents_available": bool(body.agents_available),
        "created_by": created_by,
    }
    if body.id is not None:
        values["id"] = body.id.lower()
    return repository.add(tx, values)


def update_intent(tx: Tx, member: Member, key: str, body: IntentUpdate) -> Record:
    """``PUT /:pid/faq/:id``: the fields sent. ``:id`` is the intent's ``_id``, or
    ``intentId<intent_id>`` for the intent of the bot ``id_faq_kb`` (§5.14)."""
    if not body.id_faq_kb:
        raise MissingBot("Missing id_faq_kb in Request Body", key="err", success=None)
    intent = _addressed(tx, member.project_id, key, body.id_faq_kb)
    if intent is None:
        raise NotFound(OBJECT_NOT_FOUND)
    return _update(tx, member, intent, body.columns())


def merge_attributes(tx: Tx, member: Member, intent_pk: str, data: Mapping[str, Any]) -> Record:
    """``PATCH /:pid/faq/:id/attributes``: top-level keys replace those stored."""
    intent = get_intent(tx, member, intent_pk)
    return _update(tx, member, intent, {"attributes": {**(intent.attributes or {}), **data}})


def _update(tx: Tx, member: Member, intent: Record, values: Mapping[str, Any]) -> Record:
    try:
        updated = repository.update_fields(tx, member.project_id, intent.id, values)
    except repository.Duplicate:
        raise Conflict(_DUPLICATE) from None
    assert updated is not None  # read in this transaction, scoped to its project
    tx.emit("faq.update", member.project_id, IntentOut.of(updated).wire())
    return updated


def delete_intent(tx: Tx, member: Member, key: str, bot_id: str | None) -> Record:
    """``DELETE /:pid/faq/:id``: answers the deleted intent. The ``intentId<intent_id>``
    form needs the bot (query ``id_faq_kb``): 400 without it (Tiledesk: 500)."""
    if key.startswith(_BY_INTENT_ID) and not bot_id:
        raise BadRequest(
            "Unable to delete object. Query param 'id_faq_kb' is mandatory if you want to "
            "delete via intent_id"
        )
    intent = _addressed(tx, member.project_id, key, bot_id)
    if intent is None:
        message = (
            "Error deleting object. The object does not exists."
            if key.startswith(_BY_INTENT_ID)
            else OBJECT_NOT_FOUND
        )
        raise NotFound(message)
    repository.remove(tx, member.project_id, intent.id)
    tx.emit("faq.delete", member.project_id, IntentOut.of(intent).wire())
    return intent


def _addressed(tx: Tx, project_id: str, key: str, bot_id: str | None) -> Record | None:
    if key.startswith(_BY_INTENT_ID):
        if not bot_id:
            return None
        return repository.find_by(tx, project_id, bot_id, "intent_id", key[len(_BY_INTENT_ID) :])
    return repository.get(tx, project_id, key) if is_object_id(key) else None


def import_csv(
    tx: Tx, member: Member, bot_id: str | None, content: bytes, delimiter: str | None
) -> dict[str, Any]:
    """``POST /:pid/faq/uploadcsv``: one intent per row (``question; answer; intent_id;
    intent_display_name; webhook_enabled``). The answer is kept as ``answer`` and, as Tiledesk
    writes it, as a ``reply`` action. A first row equal to the export's header is skipped
    (Tiledesk would make it an intent); rows whose name or intent id the bot already has are
    skipped, as Tiledesk does."""
    bot = bot_of_project(tx, member.project_id, bot_id)
    separator = delimiter or ";"
    if len(separator) != 1:
        raise InvalidInput.field("delimiter", "must be one character", value=separator)
    try:
        text = content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    except (UnicodeDecodeError, csv.Error):
        raise BadRequest("Parsing error") from None
    if "\x00" in text:  # no database stores it in text
        raise BadRequest("Parsing error")
    if rows and tuple(cell.strip() for cell in rows[0]) == CSV_COLUMNS:
        rows = rows[1:]
    for row in rows:
        if any(cell.strip() for cell in row):
            _add_csv_row(tx, member, bot, row)
    return {"success": True, "msg": "CSV Parsed"}


def _add_csv_row(tx: Tx, member: Member, bot: Record, row: list[str]) -> None:
    cells = [*row, "", "", "", "", ""][:5]
    question, answer, intent_id, name, webhook = (cell.strip() for cell in cells)
    body = IntentCreate(
        question=question or None,
        answer=answer or None,
        intent_id=intent_id[:100] or None,
        intent_display_name=name[:500] or None,
        webhook_enabled=webhook == "true",
        actions=[reply_action(answer)] if answer else None,
    )
    try:
        intent = add_intent(tx, bot, body, created_by=member.caller.id, language=bot.language)
    except repository.Duplicate:
        return
    tx.emit("faq.create", member.project_id, IntentOut.of(intent).wire())


def reply_action(text: str) -> dict[str, Any]:
    """A flow designer ``reply`` action saying ``text``."""
    message = {"type": "text", "text": text}
    return {
        "_tdActionType": "reply",
        "_tdActionId": new_uuid(),
        "text": text,
        "attributes": {
            "commands": [{"type": "wait", "time": 500}, {"type": "message", "message": message}]
        },
    }


def apply_operations(tx: Tx, member: Member, body: OperationsIn) -> dict[str, bool]:
    """``POST /:pid/faq/ops_update``: the flow designer's batch of ``post``, ``put``,
    ``patch`` and ``delete`` operations, applied in order in-process (Tiledesk replays each
    against its own API and ignores failures: an operation that fails here is skipped too);
    the bot is marked ``modified``."""
    bot = bot_of_project(tx, member.project_id, body.id_faq_kb)
    for operation in body.operations:
        try:
            _apply(tx, member, bot.id, operation.type, dict(operation.intent))
        except (AppError, ValidationError):
            continue
    bots.update_fields(tx, member.project_id, bot.id, {"modified": True})
    return {"success": True}


def _apply(tx: Tx, member: Member, bot_id: str, kind: str, intent: dict[str, Any]) -> None:
    intent.setdefault("id_faq_kb", bot_id)
    key = f"{_BY_INTENT_ID}{intent['intent_id']}" if intent.get("intent_id") else intent.get("_id")
    if kind == "post":
        create_intent(tx, member, IntentCreate.model_validate(intent))
    elif kind == "put" and isinstance(key, str):
        update_intent(tx, member, key, IntentUpdate.model_validate(intent))
    elif kind == "patch" and isinstance(intent.get("_id"), str):
        attributes = intent.get("attributes")
        merge_attributes(
            tx, member, intent["_id"], attributes if isinstance(attributes, dict) else {}
        )
    elif kind == "delete" and isinstance(key, str):
        delete_intent(tx, member, key, bot_id)


# ---------------------------------------------------------------- for bots


def add_intents(
    tx: Tx,
    bot: Record,
    bodies: Iterable[IntentCreate],
    *,
    created_by: str,
    overwrite: bool = False,
) -> list[Record]:
    """Add ``bodies`` to ``bot`` (templates, copies, imports), each in its own language or
    the bot's. An intent whose name the bot already has is skipped, or replaced with
    ``overwrite``. ``faq.create``/``faq.update`` for each."""
    saved: list[Record] = []
    for body in bodies:
        language = body.language or bot.language
        try:
            intent = add_intent(tx, bot, body, created_by=created_by, language=language)
            event = "faq.create"
        except repository.Duplicate:
            if not overwrite or not body.intent_display_name:
                continue
            existing = repository.find_by(
                tx, bot.project_id, bot.id, "intent_display_name", body.intent_display_name
            )
            if existing is None:
                continue
            values = body.model_dump(exclude_unset=True, exclude={"id", "id_faq_kb"})
            try:
                updated = repository.update_fields(tx, bot.project_id, existing.id, values)
            except repository.Duplicate:
                continue
            assert updated is not None
            intent, event = updated, "faq.update"
        tx.emit(event, bot.project_id, IntentOut.of(intent).wire())
        saved.append(intent)
    return saved


def as_body(intent: Record) -> IntentCreate:
    """An intent's content, to copy it into another bot (publishing, forking)."""
    return IntentCreate.model_validate(
        {
            "intent_id": intent.intent_id,
            "intent_display_name": intent.intent_display_name,
            "question": intent.question,
            "answer": intent.answer,
            "reply": intent.reply,
            "form": intent.form,
            "enabled": intent.enabled,
            "topic": intent.topic,
            "webhook_enabled": intent.webhook_enabled,
            "language": intent.language,
            "actions": intent.actions,
            "attributes": intent.attributes,
            "agents_available": intent.agents_available,
        }
    )


def intents_of_bot(tx: Tx, project_id: str, bot_id: str) -> list[Record]:
    return repository.of_bot(tx, project_id, bot_id)


def delete_intents_of_bot(tx: Tx, project_id: str, bot_id: str) -> None:
    repository.remove_of_bot(tx, project_id, bot_id)


def set_on_intents_of_bot(tx: Tx, project_id: str, bot_id: str, values: Mapping[str, Any]) -> None:
    repository.update_of_bot(tx, project_id, bot_id, values)


def exact_questions(tx: Tx, bot: Record, question: str) -> list[Record]:
    """The bot's enabled intents whose question is exactly ``question``."""
    return repository.exact_question(tx, bot.project_id, bot.id, question)


def ranked(tx: Tx, bot: Record, question: str) -> list[engine.Hit]:
    """The bot's enabled intents sharing a word with ``question``, best first."""
    asked = words(question)
    if not asked:
        return []
    return engine.rank(question, repository.sharing_a_word(tx, bot.project_id, bot.id, asked))
