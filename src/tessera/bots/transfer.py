"""A bot as a JSON file (§5.13): ``GET /exportjson/:id`` and ``POST /importjson/:id``.

The export holds the bot's ``webhook_enabled``, ``webhook_url``, ``language``, ``name``,
``type``, ``description``, ``attributes`` (without ``globals`` unless asked) and its intents
without ids, project, topic, status, author and timestamps, as Tiledesk writes it. Importing
an export with ``create=true`` gives the same bot again: Tessera keeps the exported ``type``
(Tiledesk makes every created import a ``tilebot``), so that export → import → export is
stable.
"""

from typing import Any

import orjson
from pydantic import ValidationError

from tessera.auth.principal import Member
from tessera.bots import repository, service
from tessera.bots.schemas import BotCreate, BotImport, BotOut
from tessera.core.db import Record, Tx
from tessera.core.errors import BadRequest, InvalidInput, NotFound
from tessera.core.ids import is_object_id
from tessera.intents import service as intents
from tessera.intents.schemas import EXPORTED_FIELDS, IntentCreate, IntentOut

_BOT_FIELDS = ("webhook_enabled", "webhook_url", "language", "name", "type", "description")


def export_bot(
    tx: Tx, member: Member, bot_id: str, *, intents_only: bool, keep_globals: bool
) -> dict[str, Any]:
    """The JSON document of the bot (or ``{"intents": [...]}`` with ``intents_only``)."""
    bot = service.get_bot(tx, member, bot_id)
    exported = [_exported_intent(row) for row in intents.intents_of_bot(tx, bot.project_id, bot.id)]
    if intents_only:
        return {"intents": exported}
    document: dict[str, Any] = {
        field: bot[field] for field in _BOT_FIELDS if bot[field] is not None
    }
    attributes = dict(bot.attributes) if bot.attributes is not None else None
    if attributes is not None and not keep_globals:
        attributes.pop("globals", None)
    if attributes is not None:
        document["attributes"] = attributes
    document["intents"] = exported
    return document


def _exported_intent(row: Record) -> dict[str, Any]:
    wire = IntentOut.of(row).wire()
    return {field: wire[field] for field in EXPORTED_FIELDS if field in wire}


def parse(content: bytes) -> BotImport:
    """The uploaded export; 400 when it is not a JSON object, 422 when a field has the wrong
    type (nothing is written then)."""
    try:
        data = orjson.loads(content)
    except orjson.JSONDecodeError:
        raise BadRequest("The file is not valid JSON", key="error") from None
    if b"\\u0000" in orjson.dumps(data):  # NUL: no database stores it in text
        raise BadRequest("The file holds NUL characters", key="error")
    if not isinstance(data, dict):
        raise BadRequest("The file must hold a JSON object", key="error")
    try:
        return BotImport.model_validate(data)
    except ValidationError as error:
        raise InvalidInput(
            [
                {
                    "msg": "Invalid value",
                    "param": ".".join(str(part) for part in entry["loc"]),
                    "location": "body",
                    "reason": entry["msg"],
                }
                for entry in error.errors()
            ]
        ) from None


def import_bot(
    tx: Tx,
    member: Member,
    bot_id: str,
    document: BotImport,
    *,
    create: bool,
    replace: bool,
    overwrite: bool,
    intents_only: bool,
) -> dict[str, Any]:
    """``POST /importjson/:id``: with ``create`` a new bot (``:id`` unused); else the bot
    ``:id`` takes the document's fields (``replace``: its intents are deleted first). The
    intents are added; one whose name the bot already has is skipped, or replaced with
    ``overwrite``. With ``intentsOnly`` only the intents are imported."""
    if create and not intents_only:
        bot = _created(tx, member, document)
    else:
        bot = _existing(tx, member, bot_id)
        if replace:
            intents.delete_intents_of_bot(tx, member.project_id, bot.id)
        if not intents_only:
            bot = _updated(tx, member, bot, document)
    bodies = [_intent_body(intent) for intent in document.intents]
    intents.add_intents(tx, bot, bodies, created_by=member.caller.id, overwrite=overwrite)
    if intents_only:
        return {"success": True, "msg": "Intents imported successfully"}
    return BotOut.of(bot).wire()


def _existing(tx: Tx, member: Member, bot_id: str) -> Record:
    bot = repository.get(tx, member.project_id, bot_id) if is_object_id(bot_id) else None
    if bot is None:
        raise NotFound("Bot not found.")
    return bot


def _created(tx: Tx, member: Member, document: BotImport) -> Record:
    if document.name is None:
        raise InvalidInput.field("name", "a created bot needs a name")
    body = BotCreate(
        name=document.name,
        description=document.description,
        webhook_url=document.webhook_url,
        webhook_enabled=document.webhook_enabled,
        type=document.type or "tilebot",
        language=document.language,
        attributes=document.attributes,
    )
    bot = service.create_bot(tx, member, body)
    if document.attributes is None:
        return bot
    attributes = _rules_for(bot.id, document.attributes)
    updated = repository.update_fields(tx, member.project_id, bot.id, {"attributes": attributes})
    assert updated is not None
    return updated


def _updated(tx: Tx, member: Member, bot: Record, document: BotImport) -> Record:
    values = document.model_dump(exclude_unset=True, exclude_none=True, exclude={"intents", "type"})
    if "attributes" in values:
        values["attributes"] = _rules_for(bot.id, values["attributes"])
    if not values:
        return bot
    updated = repository.update_fields(tx, member.project_id, bot.id, values)
    assert updated is not None
    tx.emit("faqbot.update", member.project_id, BotOut.of(updated).wire())
    return updated


def _rules_for(bot_id: str, attributes: dict[str, Any]) -> dict[str, Any]:
    """The widget rules of the import now launch this bot: a rule's first message goes to
    ``bot_<id>`` (Tiledesk rewrites ``rules[].do[0].message.participants[0]`` the same way)."""
    rules = attributes.get("rules")
    if not isinstance(rules, list):
        return attributes
    return {**attributes, "rules": [_rule_for(bot_id, rule) for rule in rules]}


def _rule_for(bot_id: str, rule: Any) -> Any:
    actions = rule.get("do") if isinstance(rule, dict) else None
    if not isinstance(actions, list) or not actions or not isinstance(actions[0], dict):
        return rule
    first: dict[str, Any] = actions[0]
    message = first.get("message")
    if not isinstance(message, dict):
        return rule
    participants = message.get("participants")
    if not isinstance(participants, list) or not participants:
        return rule
    new_message = {**message, "participants": [f"bot_{bot_id}", *participants[1:]]}
    return {**rule, "do": [{**first, "message": new_message}, *actions[1:]]}


def _intent_body(intent: IntentCreate) -> IntentCreate:
    """An imported intent never brings its ``_id`` (ids stay unique across bots)."""
    return intent.model_copy(update={"id": None})
