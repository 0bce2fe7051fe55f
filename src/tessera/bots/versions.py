"""Copies of a bot (§5.13): published versions (``PUT /:id/publish``, ``GET /:id/published``)
and forks (``POST /fork/:id``). A copy has its own id, secret and intents (same names and
intent ids); the original is untouched but for ``modified``.

Tessera deviations: Tiledesk builds copies by calling its own REST API with the caller's
token; Tessera copies in one transaction. A fork into another project needs the caller to be
an admin there (Tiledesk's inner API call would fail otherwise, as a 500). The original of a
published ``tilebot`` keeps its ``url`` (Tiledesk points it at its embedded chatbot engine,
which Tessera has not). ``fork?public=true`` copies a public bot of any project where
Tiledesk fetches its templates registry (``CHATBOT_TEMPLATES_API_URL``), and another
project's ``globals`` never come along; ``fork?for_publish=true`` makes the copy a published
version of the project's bot (Tessera's reading of the flag).
"""

from collections.abc import Mapping
from typing import Any

from tessera.auth.principal import CallerKind, Member, Role
from tessera.auth.service import NOT_A_MEMBER
from tessera.bots import repository, service
from tessera.bots.models import bots
from tessera.bots.schemas import BotOut, PublishIn
from tessera.core.db import Record, Tx
from tessera.core.errors import BadRequest, NotFound, PermissionDenied
from tessera.core.ids import is_object_id, new_uuid
from tessera.intents import service as intents
from tessera.project_users import repository as memberships
from tessera.projects import repository as projects
from tessera.users import repository as users

MAX_VERSIONS = 100

# Columns a copy does not take from its original.
_OWN = frozenset({"id", "project_id", "secret", "slug", "created_by", "created_at", "updated_at"})


def publish(tx: Tx, member: Member, bot_id: str, body: PublishIn) -> dict[str, Any]:
    """A new published version: a trashed copy with ``root_id``, ``publishedBy``,
    ``publishedAt`` and the ``release_note``; the bot is no longer ``modified``. With
    ``restore_from`` (one of its versions) the bot's intents and attributes become that
    version's instead."""
    bot = service.get_bot(tx, member, bot_id)
    if body.restore_from is not None:
        return _restore(tx, member, bot, body.restore_from)
    version = _version_of(tx, member, bot, body.release_note)
    tx.emit("faqbot.update", member.project_id, BotOut.of(version).wire())
    _set(tx, member, bot, {"modified": False})
    return {"message": "Chatbot published successfully", "bot_id": version.id}


def _version_of(tx: Tx, member: Member, bot: Record, release_note: str | None) -> Record:
    """A published version of ``bot``: a trashed copy, without slug, pointing at its root."""
    return copy_bot(
        tx,
        bot,
        project_id=member.project_id,
        created_by=member.caller.id,
        overrides={
            "trashed": True,
            "root_id": bot.id,
            "published_by": member.caller.id,
            "published_at": tx.now,
            "release_note": release_note,
            "modified": False,
        },
    )


def _restore(tx: Tx, member: Member, bot: Record, version_id: str) -> dict[str, Any]:
    version = (
        repository.get(tx, member.project_id, version_id) if is_object_id(version_id) else None
    )
    if version is None or version.root_id != bot.id:
        raise NotFound(f"Chatbot not found with id {version_id} for project {member.project_id}")
    intents.delete_intents_of_bot(tx, member.project_id, bot.id)
    _copy_intents(tx, version, bot, member.caller.id)
    _set(tx, member, bot, {"attributes": version.attributes, "modified": False})
    return {"message": "Chatbot restored successfully", "bot_id": bot.id}


def published(tx: Tx, member: Member, bot_id: str) -> list[dict[str, Any]]:
    """``GET /:id/published``: the bot's versions, newest first (100 at most), with
    ``publishedBy`` as ``{_id, firstname, lastname, email}``."""
    bot = service.get_bot(tx, member, bot_id)
    versions = repository.list_any(
        tx,
        member.project_id,
        conditions=[bots.c.root_id == bot.id],
        order=(bots.c.published_at.desc(), bots.c.id.desc()),
        limit=MAX_VERSIONS,
    )
    authors = users.get_many(tx, [v.published_by for v in versions if v.published_by])
    answers = []
    for version in versions:
        document = BotOut.of(version).wire()
        author = authors.get(version.published_by or "")
        if author is not None:
            document["publishedBy"] = {
                "_id": author.id,
                "firstname": author.firstname,
                "lastname": author.lastname,
                "email": author.email,
            }
        answers.append(document)
    return answers


def fork(
    tx: Tx,
    member: Member,
    bot_id: str,
    *,
    target_project_id: str | None,
    keep_globals: bool,
    public: bool = False,
    for_publish: bool = False,
) -> dict[str, Any]:
    """``POST /fork/:id?projectid=``: a new bot (and intents) in the target project (default:
    this one), with a slug free there; ``attributes.globals`` are left out unless
    ``globals``. With ``public`` the bot may be another project's public bot (Tiledesk's
    templates); its ``globals`` never come along. With ``for_publish`` the copy is a
    published version of the project's bot (as ``PUT /:id/publish`` makes)."""
    if for_publish:
        return _fork_for_publish(tx, member, bot_id, target_project_id)
    bot = _public_bot(tx, member, bot_id) if public else service.get_bot(tx, member, bot_id)
    target = target_project_id or member.project_id
    if target != member.project_id:
        _check_admin_of(tx, member, target)
    attributes = dict(bot.attributes) if bot.attributes is not None else None
    if attributes is not None and not (keep_globals and bot.project_id == member.project_id):
        attributes.pop("globals", None)
    forked = copy_bot(
        tx,
        bot,
        project_id=target,
        created_by=member.caller.id,
        overrides={
            "attributes": attributes,
            "trashed": False,
            "trashed_at": None,
            "root_id": None,
            "published_by": None,
            "published_at": None,
            "release_note": None,
            "public": False,
            "certified": False,
            "modified": False,
        },
        slug_base=service.slugify(bot.name),
    )
    tx.emit("faqbot.create", target, BotOut.of(forked).wire())
    return _forked(forked)


def _public_bot(tx: Tx, member: Member, bot_id: str) -> Record:
    """The bot of this project, or a public one out of the trash of any project; another
    project's private bot is the same 404 as an unknown one."""
    found = None
    if is_object_id(bot_id):
        found = repository.get(tx, member.project_id, bot_id) or repository.find_public(tx, bot_id)
    if found is None:
        raise NotFound(f"Chatbot not found with id {bot_id} for project {member.project_id}")
    return found


def _fork_for_publish(
    tx: Tx, member: Member, bot_id: str, target_project_id: str | None
) -> dict[str, Any]:
    if target_project_id not in (None, member.project_id):
        raise BadRequest("A chatbot is published in its own project")
    bot = service.get_bot(tx, member, bot_id)
    version = _version_of(tx, member, bot, None)
    tx.emit("faqbot.create", member.project_id, BotOut.of(version).wire())
    return _forked(version)


def _forked(bot: Record) -> dict[str, Any]:
    return {"message": "Chatbot forked successfully", "bot_id": bot.id}


def _check_admin_of(tx: Tx, member: Member, project_id: str) -> None:
    caller = member.caller
    project = projects.get_active(tx, project_id) if is_object_id(project_id) else None
    membership = (
        memberships.find_active(tx, project_id, "user_id", caller.id)
        if project is not None and caller.kind is CallerKind.USER
        else None
    )
    role = Role.parse(membership.role) if membership is not None else None
    if role is None or not role.includes(Role.ADMIN):
        raise PermissionDenied(NOT_A_MEMBER)


def copy_bot(
    tx: Tx,
    source: Record,
    *,
    project_id: str,
    created_by: str,
    overrides: Mapping[str, Any],
    slug_base: str | None = None,
) -> Record:
    """A copy of ``source`` and its intents in ``project_id``; without ``slug_base`` the copy
    has no slug (published versions)."""
    values = {key: value for key, value in source.items() if key not in _OWN}
    values.update(overrides)
    values.update({"project_id": project_id, "secret": new_uuid(), "created_by": created_by})
    if slug_base is None:
        copy = repository.add(tx, {**values, "slug": None})
    else:
        copy = service.insert_bot(tx, project_id, slug_base, values)
    _copy_intents(tx, source, copy, created_by)
    return copy


def _copy_intents(tx: Tx, source: Record, target: Record, created_by: str) -> None:
    rows = intents.intents_of_bot(tx, source.project_id, source.id)
    intents.add_intents(tx, target, [intents.as_body(row) for row in rows], created_by=created_by)


def _set(tx: Tx, member: Member, bot: Record, values: Mapping[str, Any]) -> Record:
    updated = repository.update_fields(tx, member.project_id, bot.id, values)
    assert updated is not None  # read in this transaction
    tx.emit("faqbot.update", member.project_id, BotOut.of(updated).wire())
    return updated
