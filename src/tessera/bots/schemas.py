"""Wire shapes of bots (§5.13, §9.11). The ``secret`` is never part of the document (Tessera
leaves it out even right after creation, where mongoose would still show it, §1.4)."""

from typing import Any

from pydantic import Field, field_validator

from tessera.core.schemas import InModel, JsonObject, Millis, WireModel
from tessera.intents.schemas import IntentCreate


class AgentBotOut(WireModel):
    """What a member with role ``agent`` sees in the list: the bot without the fields Tiledesk
    strips for agents (§5.13: ``webhook_enabled``, ``intentsEngine``, ``score``, ``url``,
    ``attributes``, ``trained``, ``certifiedTags``, ``createdBy``, timestamps, ``__v``)."""

    id: str = Field(serialization_alias="_id")
    name: str
    description: str | None = None
    webhook_url: str | None = None
    project_id: str = Field(serialization_alias="id_project")
    type: str = "internal"
    subtype: str | None = None
    trashed: bool = False
    trashed_at: Millis | None = Field(None, serialization_alias="trashedAt")
    language: str = "en"
    public: bool = False
    certified: bool = False
    main_category: str | None = Field(None, serialization_alias="mainCategory")
    tags: list[str] = Field(default_factory=list)
    published_by: str | None = Field(None, serialization_alias="publishedBy")
    published_at: Millis | None = Field(None, serialization_alias="publishedAt")
    short_description: str | None = None
    title: str | None = None
    release_note: str | None = None
    agents_available: bool = False
    slug: str | None = None
    modified: bool = False
    root_id: str | None = None


class BotOut(AgentBotOut):
    """The bot document as admins, bots and subscriptions see it."""

    created_at: Millis = Field(serialization_alias="createdAt")
    updated_at: Millis = Field(serialization_alias="updatedAt")
    v: int = Field(0, serialization_alias="__v")
    url: str | None = None
    webhook_enabled: bool = False
    attributes: JsonObject | None = None
    intents_engine: str = Field("none", serialization_alias="intentsEngine")
    score: int = 0
    trained: bool = True
    certified_tags: list[Any] = Field(default_factory=list, serialization_alias="certifiedTags")
    created_by: str = Field(serialization_alias="createdBy")
    department: JsonObject | None = None
    """The department named by ``?departmentid=`` on ``GET /:id`` (§5.13), else absent."""


class BotCreate(InModel):
    """``POST /:pid/faq_kb``. Tiledesk ignores anything else on creation (``tags``,
    ``public``...): ``public`` and ``certified`` start false whatever is sent."""

    name: str = Field(min_length=1)
    slug: str | None = Field(None, min_length=1)
    description: str | None = None
    url: str | None = None
    webhook_url: str | None = None
    webhook_enabled: bool | None = None
    type: str | None = Field(None, min_length=1)
    subtype: str | None = None
    language: str | None = Field(None, min_length=1)
    mainCategory: str | None = None
    intentsEngine: str | None = Field(None, min_length=1)
    attributes: JsonObject | None = None
    template: str | None = None
    """The intents an ``internal`` or ``tilebot`` bot starts with (``bots.templates``)."""


# PUT fields whose column may not be emptied: an explicit null is a 422, not a NOT NULL crash.
_NOT_NULL = (
    "name", "webhook_enabled", "type", "trashed", "public", "certified", "intentsEngine", "tags",
    "trained", "agents_available",
)  # fmt: skip

# Tiledesk's names of the PUT fields mapped to column names where they differ.
_COLUMNS = {
    "mainCategory": "main_category",
    "intentsEngine": "intents_engine",
    "certifiedTags": "certified_tags",
}


class BotUpdate(InModel):
    """``PUT /:pid/faq_kb/:id``: the fields Tiledesk lets through (§5.13), each written only
    when present; ``null`` clears an optional field."""

    name: str | None = Field(None, min_length=1)
    description: str | None = None
    url: str | None = None
    webhook_url: str | None = None
    webhook_enabled: bool | None = None
    type: str | None = Field(None, min_length=1)
    trashed: bool | None = None
    public: bool | None = None
    certified: bool | None = None
    mainCategory: str | None = None
    intentsEngine: str | None = Field(None, min_length=1)
    tags: list[str] | None = None
    trained: bool | None = None
    short_description: str | None = None
    title: str | None = None
    certifiedTags: list[Any] | None = None
    agents_available: bool | None = None
    slug: str | None = Field(None, min_length=1)

    @field_validator(*_NOT_NULL)
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Runs only for fields the client sent: absent fields keep their default None.
        if value is None:
            raise ValueError("may not be null")
        return value

    def columns(self) -> dict[str, Any]:
        """The sent fields, keyed by column name."""
        return {
            _COLUMNS.get(name, name): value
            for name, value in self.model_dump(exclude_unset=True).items()
        }


class AskBotIn(InModel):
    """``POST /:pid/faq_kb/askbot``."""

    id_faq_kb: str | None = None
    question: str = Field(min_length=1)


class TrainIn(InModel):
    """``POST /:pid/faq_kb/train``."""

    id_faq_kb: str | None = None


class AiTrainIn(InModel):
    """``POST /:pid/faq_kb/aitrain``: ``webhook_enabled`` true asks the training service to
    call back; false returns its queue message."""

    id_faq_kb: str | None = None
    webhook_enabled: bool | None = None


class PublishIn(InModel):
    """``PUT /:pid/faq_kb/:id/publish``: a new version, or ``restore_from`` a published one."""

    release_note: str | None = None
    restore_from: str | None = None


class BotImport(InModel):
    """A bot's JSON export (``GET /exportjson``), as ``POST /importjson`` reads it."""

    name: str | None = Field(None, min_length=1)
    type: str | None = Field(None, min_length=1)
    description: str | None = None
    webhook_url: str | None = None
    webhook_enabled: bool | None = None
    language: str | None = Field(None, min_length=1, max_length=20)
    attributes: JsonObject | None = None
    intents: list[IntentCreate] = Field(default_factory=list)
