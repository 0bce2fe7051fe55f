"""Chatbot use cases (§5.13): create, list, read, update, trash, delete."""

import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement

from tessera.auth.principal import Member, Role
from tessera.auth.service import register_audience
from tessera.bots import repository, templates, token
from tessera.bots.models import bots
from tessera.bots.schemas import AskBotIn, BotCreate, BotOut, BotUpdate
from tessera.core.db import Record, Tx
from tessera.core.errors import BadRequest, Conflict, NotFound
from tessera.core.ids import is_object_id, new_uuid
from tessera.departments import service as departments
from tessera.departments.schemas import DepartmentOut
from tessera.intents import engine
from tessera.intents import service as intents
from tessera.intents.schemas import IntentOut

# Tokens addressed to ``/bots/<id>`` are verified with that bot's secret (§3.3).
register_audience("bots", repository.token_secret)

IDENTITY = "identity"
"""Bots of this type stand for a project's identity; lists leave them out unless ``all=true``."""

DUPLICATE_SLUG = 12001
"""Tiledesk's ``error_code`` for a slug already used in the project (§1.7)."""

# Creating retries with the next free slug when a concurrent creation took the one chosen.
# Each failed attempt means another creation committed that slug (PostgreSQL waits for the
# other transaction before reporting the violation), so this bounds how many creations of
# one name may race; beyond it the client gets the duplicate-slug 409 and may retry.
_SLUG_ATTEMPTS = 20


# ---------------------------------------------------------------- slugs


def slugify(name: str) -> str:
    """Tiledesk's slug of a name (§9.11): lower case, accents dropped, characters other than
    letters, digits, blanks, ``-`` and ``_`` removed, blank runs and ``_`` turned into ``-``.
    The name is trimmed before the removal, so ``"Bot !"`` gives ``"bot-"`` as in Tiledesk."""
    text = unicodedata.normalize("NFD", name.lower().strip())
    text = re.sub("[\u0300-\u036f]", "", text)
    text = re.sub(r"[^a-z0-9\s_-]", "", text)
    text = re.sub(r"\s+", "-", text).replace("_", "-")
    return re.sub("-+", "-", text)


def next_free_slug(base: str, taken: list[str]) -> str:
    """``base`` when no bot has it, else ``base-N`` with N one above the highest suffix in
    use: with ``x`` and ``x-4`` taken, ``x-5`` (Tiledesk does not fill gaps)."""
    if base not in taken:
        return base
    suffix = re.compile(rf"^{re.escape(base)}-(\d+)$")
    numbers = [int(match.group(1)) for slug in taken if (match := suffix.match(slug))]
    return f"{base}-{max(numbers, default=0) + 1}"


# ---------------------------------------------------------------- reads


def list_bots(
    tx: Tx,
    member: Member,
    *,
    include_identity: bool,
    text: str | None,
    public: bool | None,
    certified: bool | None,
) -> list[Record]:
    """The project's bots out of the trash. Members with role ``agent`` see only the bots
    made available to agents (§5.13)."""
    conditions: list[ColumnElement[bool]] = []
    if sees_agent_view(member):
        conditions.append(bots.c.agents_available.is_not(False))
    if not include_identity:
        conditions.append(bots.c.type != IDENTITY)
    if text:
        conditions.append(repository.text_condition(text))
    if public is not None:
        conditions.append(bots.c.public.is_(public))
    if certified is not None:
        conditions.append(bots.c.certified.is_(certified))
    return repository.list_untrashed(tx, member.project_id, conditions=conditions)


def sees_agent_view(member: Member) -> bool:
    """Exactly the role ``agent`` gets the reduced list; supervisors and custom roles, which
    pass the same guard, see whole documents as in Tiledesk."""
    return member.role_name == Role.AGENT


def get_bot(tx: Tx, member: Member, bot_id: str) -> Record:
    """The bot of the URL's project (a malformed id is the same 404, not Tiledesk's 500)."""
    bot = repository.get(tx, member.project_id, bot_id) if is_object_id(bot_id) else None
    if bot is None:
        raise NotFound(f"Chatbot not found with id {bot_id} for project {member.project_id}")
    return bot


def read_bot(tx: Tx, member: Member, bot_id: str, *, department_id: str | None) -> BotOut:
    """``GET /:id``; ``departmentid`` adds that department of the project when it exists."""
    bot = get_bot(tx, member, bot_id)
    department = _department(tx, member.project_id, department_id)
    extra = {"department": DepartmentOut.of(department).wire()} if department else {}
    return BotOut.of(bot, **extra)


def _department(tx: Tx, project_id: str, department_id: str | None) -> Record | None:
    """The project's department with this id; an unknown one is simply left out (§5.13)."""
    if department_id is None or not is_object_id(department_id):
        return None
    try:
        return departments.get_department(tx, project_id, department_id)
    except NotFound:
        return None


# ---------------------------------------------------------------- writes


def create_bot(tx: Tx, member: Member, body: BotCreate) -> Record:
    """A new bot with a per-document random secret (Tiledesk shares one per process, §12.9)
    and a slug unique in the project (§9.11); ``internal`` and ``tilebot`` bots get the
    intents of their ``template`` (default ``empty``: none)."""
    bot_type = body.type or "internal"
    values: dict[str, Any] = {
        "project_id": member.project_id,
        "name": body.name,
        "description": body.description,
        "url": body.url,
        "webhook_url": body.webhook_url,
        "webhook_enabled": bool(body.webhook_enabled),
        "type": bot_type,
        "subtype": body.subtype or ("chatbot" if bot_type == "tilebot" else None),
        "language": body.language or "en",
        "main_category": body.mainCategory,
        "intents_engine": body.intentsEngine or "none",
        "attributes": body.attributes,
        "secret": new_uuid(),
        "trashed": False,
        "public": False,
        "certified": False,
        "agents_available": False,
        "trained": True,
        "score": 0,
        "tags": [],
        "certified_tags": [],
        "modified": False,
        "created_by": member.caller.id,
    }
    bot = _insert_with_free_slug(tx, member.project_id, body.slug or slugify(body.name), values)
    tx.emit("faqbot.create", member.project_id, BotOut.of(bot).wire())
    if bot_type in templates.WITH_TEMPLATES:
        created = templates.intents_of(body.template)
        intents.add_intents(tx, bot, created, created_by=member.caller.id)
    return bot


def insert_bot(tx: Tx, project_id: str, slug_base: str, values: Mapping[str, Any]) -> Record:
    """A bot with a slug free in ``project_id`` (copies: forks, imports)."""
    return _insert_with_free_slug(tx, project_id, slug_base, values)


def _insert_with_free_slug(tx: Tx, project_id: str, base: str, values: Mapping[str, Any]) -> Record:
    for _ in range(_SLUG_ATTEMPTS):
        slug = next_free_slug(base, repository.slugs_like(tx, project_id, base))
        try:
            return repository.add(tx, {**values, "slug": slug})
        except repository.SlugTaken:
            continue  # a concurrent creation took it: look again
    raise _slug_conflict(base, "Error saving object.")


def update_bot(tx: Tx, member: Member, bot_id: str, body: BotUpdate) -> Record:
    """PUT: the fields sent, and ``modified`` set. Trashing renames the slug to
    ``<slug>-trashed-<ms>`` (freeing it for a new bot) and stamps ``trashedAt`` (§5.13).
    Restoring (``trashed:false``) clears ``trashedAt``: Tiledesk keeps it, so its TTL index
    later purges the restored bot. The bot's intents follow it into the trash and out."""
    bot = get_bot(tx, member, bot_id)
    values = {**body.columns(), "modified": True}
    if body.trashed:
        values["trashed_at"] = tx.now
        if bot.slug:
            values["slug"] = f"{bot.slug}-trashed-{tx.now}"
    elif body.trashed is False:
        values["trashed_at"] = None
    if body.trashed is not None:
        trash = {"trashed": body.trashed, "trashed_at": values["trashed_at"]}
        intents.set_on_intents_of_bot(tx, member.project_id, bot.id, trash)
    return _update(tx, member, bot, values)


def set_language(tx: Tx, member: Member, bot_id: str, language: str) -> Record:
    """The bot's language, and its intents'. As in Tiledesk, no ``faqbot.update`` is
    emitted for this change."""
    bot = get_bot(tx, member, bot_id)
    updated = repository.update_fields(tx, member.project_id, bot.id, {"language": language})
    intents.set_on_intents_of_bot(tx, member.project_id, bot.id, {"language": language})
    assert updated is not None
    return updated


def merge_attributes(tx: Tx, member: Member, bot_id: str, data: dict[str, Any]) -> Record:
    """PATCH ``/attributes``: top-level keys replace those of the stored object."""
    bot = get_bot(tx, member, bot_id)
    return _update(tx, member, bot, {"attributes": {**(bot.attributes or {}), **data}})


def delete_bot(tx: Tx, member: Member, bot_id: str) -> dict[str, Any]:
    """The hard delete (the dashboard trashes with PUT ``trashed:true`` instead)."""
    bot = get_bot(tx, member, bot_id)
    _erase(tx, member.project_id, bot.id)
    tx.emit("faqbot.delete", member.project_id, BotOut.of(bot).wire())
    return {"success": True, "message": f"Chatbot with id {bot_id} deleted successfully"}


PURGE_BATCH = 200


def purge_trash(tx: Tx, now: int, *, ttl_seconds: int) -> int:
    """Delete the bots in the trash for ``ttl_seconds`` or more (``CHATBOT_TRASH_TTL_SECONDS``,
    Tiledesk's TTL index on ``trashedAt``), a batch at a time, with their intents and their
    published versions (which nothing reaches once their root is gone); how many bots.
    Silent, as a TTL removal is in Tiledesk: no ``faqbot.delete``. Versions have no
    ``trashedAt`` of their own: they go with their root."""
    expired = repository.expired_trash(tx, now - ttl_seconds * 1000, PURGE_BATCH)
    for bot in expired:
        for version_id in repository.version_ids(tx, bot.project_id, bot.id):
            _erase(tx, bot.project_id, version_id)
        _erase(tx, bot.project_id, bot.id)
    return len(expired)


def _erase(tx: Tx, project_id: str, bot_id: str) -> None:
    intents.delete_intents_of_bot(tx, project_id, bot_id)
    repository.remove(tx, project_id, bot_id)


def _update(tx: Tx, member: Member, bot: Record, values: Mapping[str, Any]) -> Record:
    try:
        updated = repository.update_fields(tx, member.project_id, bot.id, values)
    except repository.SlugTaken:
        raise _slug_conflict(values.get("slug"), "Error updating object.") from None
    assert updated is not None  # read in this transaction and scoped to its project
    tx.emit("faqbot.update", member.project_id, BotOut.of(updated).wire())
    return updated


def _slug_conflict(slug: object, message: str) -> Conflict:
    """Tiledesk's body for a duplicate slug, with 409 where Tiledesk answers 500."""
    return Conflict(message, error=f"Slug already exists: {slug}", error_code=DUPLICATE_SLUG)


def bot_token(tx: Tx, member: Member, bot_id: str) -> str:
    """The bot's own token (§3.2), addressed to ``/bots/<id>``."""
    return token.sign(get_bot(tx, member, bot_id))


def mark_trained(tx: Tx, member: Member, bot_id: str) -> Record:
    """``POST /:id/training``: Tiledesk sets ``trained`` true whatever is sent."""
    return _update(tx, member, get_bot(tx, member, bot_id), {"trained": True})


ASKABLE = frozenset({"internal", "tilebot"})


def ask_bot(tx: Tx, member: Member, body: AskBotIn) -> dict[str, Any]:
    """``POST /askbot``: the intents the FAQ engine finds for ``question``, best first, each
    with its ``score``: the intents whose question is exactly it (``score`` 100), else the
    ranked full-text matches (``intents.engine``; the bot answers the first one when its
    score reaches the engine's threshold)."""
    bot = intents.bot_of_project(tx, member.project_id, body.id_faq_kb)
    if bot.type not in ASKABLE:
        raise BadRequest("askbot on external bot.")
    exact = intents.exact_questions(tx, bot, body.question)
    if exact:
        return {"hits": [{**IntentOut.of(row).wire(), "score": engine.EXACT} for row in exact]}
    hits = intents.ranked(tx, bot, body.question)
    return {"hits": [{**IntentOut.of(hit.intent).wire(), "score": hit.score} for hit in hits]}
