"""Wire shapes of intents (§5.14, §9.12)."""

from typing import Any

from pydantic import Field, computed_field, field_validator

from tessera.core.schemas import InModel, JsonObject, Millis, WireModel


class AgentIntentOut(WireModel):
    """What a member with role ``agent`` sees in the list: the intent without the fields
    Tiledesk strips for agents (§5.14: ``webhook_enabled``, ``faq_kb``, ``actions``,
    ``attributes``, ``createdBy``, timestamps, ``__v``)."""

    id: str = Field(serialization_alias="_id")
    bot_id: str = Field(serialization_alias="id_faq_kb")
    intent_id: str
    intent_display_name: str
    question: str | None = None
    answer: str | None = None
    reply: JsonObject | None = None
    enabled: bool = True
    project_id: str = Field(serialization_alias="id_project")
    topic: str = "default"
    status: str = "live"
    language: str | None = None
    form: JsonObject | None = None
    agents_available: bool | None = None
    trashed: bool | None = None
    trashed_at: Millis | None = Field(None, serialization_alias="trashedAt")

    @computed_field(alias="id")  # type: ignore[prop-decorator]
    @property
    def id_virtual(self) -> str:
        """The mongoose ``id`` virtual, present on intents (§1.4)."""
        return self.id


class IntentOut(AgentIntentOut):
    """The intent document as admins, bots and subscriptions see it."""

    created_at: Millis = Field(serialization_alias="createdAt")
    updated_at: Millis = Field(serialization_alias="updatedAt")
    v: int = Field(0, serialization_alias="__v")
    webhook_enabled: bool = False
    actions: list[Any] | None = None
    attributes: JsonObject | None = None
    created_by: str = Field(serialization_alias="createdBy")
    faq_kb: list[JsonObject] | None = None
    """The populated bot (``[bot]``) in lists and ``faqpub`` (§5.14), else absent."""


EXPORTED_FIELDS = (
    "intent_id", "intent_display_name", "question", "answer", "reply", "enabled", "language",
    "form", "actions", "attributes", "webhook_enabled", "agents_available",
)  # fmt: skip
"""The fields of an intent in a bot's JSON export: Tiledesk's export drops the ids, the
project, ``topic``, ``status``, the author and the timestamps (§5.13 ``exportjson``)."""


class IntentFields(InModel):
    """The content of an intent, as a client writes it."""

    question: str | None = None
    answer: str | None = None
    reply: JsonObject | None = None
    form: JsonObject | None = None
    enabled: bool | None = None
    topic: str | None = Field(None, min_length=1, max_length=200)
    webhook_enabled: bool | None = None
    intent_display_name: str | None = Field(None, min_length=1, max_length=500)
    actions: list[Any] | None = None
    attributes: JsonObject | None = None


class IntentCreate(IntentFields):
    """``POST /:pid/faq``; also each intent of a JSON import and of ``ops_update``."""

    id: str | None = Field(None, alias="_id")
    id_faq_kb: str | None = None
    intent_id: str | None = Field(None, min_length=1, max_length=100)
    language: str | None = Field(None, min_length=1, max_length=20)
    agents_available: bool | None = None


# PUT fields whose column may not be emptied: an explicit null is a 422, not a NOT NULL crash.
_NOT_NULL = ("enabled", "topic", "status", "webhook_enabled", "intent_display_name")


class IntentUpdate(IntentFields):
    """``PUT /:pid/faq/:id``: the fields Tiledesk lets through, each written only when
    present. ``id_faq_kb`` names the bot and is required (checked by the service, which
    answers Tiledesk's own 422 body)."""

    id_faq_kb: str | None = None
    status: str | None = Field(None, min_length=1, max_length=50)
    language: str | None = Field(None, max_length=20)
    agents_available: bool | None = None

    @field_validator(*_NOT_NULL)
    @classmethod
    def _not_null(cls, value: object) -> object:
        if value is None:
            raise ValueError("may not be null")
        return value

    def columns(self) -> dict[str, Any]:
        """The sent content fields (``id_faq_kb`` only addresses the bot)."""
        return self.model_dump(exclude_unset=True, exclude={"id_faq_kb"})


class Operation(InModel):
    """One change of ``POST /:pid/faq/ops_update``."""

    type: str
    intent: JsonObject = Field(default_factory=dict)


class OperationsIn(InModel):
    id_faq_kb: str | None = None
    operations: list[Operation] = Field(default_factory=list)
