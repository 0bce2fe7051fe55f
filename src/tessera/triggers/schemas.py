"""Wire shapes of triggers (§5.29, Tiledesk's ``pubmodules/trigger/models/trigger.js``).

Stored subdocuments keep mongoose's shape: ``trigger`` and each action carry their own
``_id``, ``conditions`` has ``_id``, ``all`` and ``any`` (conditions themselves have none).
"""

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field

from tessera.core.schemas import Document, InModel, JsonObject

EventKey = Literal[
    "request.create",
    "request.participants.join",
    "event.emit",
    "message.received",
    "message.create.from.requester",
]
ActionKey = Literal[
    "message.send",
    "email.send",
    "request.create",
    "request.close",
    "request.reopen",
    "request.status.update",
    "request.department.route",
    "request.department.route.self",
    "request.department.bot.launch",
    "request.bot.launch",
    "request.participants.join",
    "request.participants.leave",
    "request.tags.add",
    "bot.calling",
]
Operator = Literal[
    "equal",
    "notEqual",
    "in",
    "notIn",
    "contains",
    "doesNotContain",
    "lessThan",
    "lessThanInclusive",
    "greaterThan",
    "greaterThanInclusive",
]
Text = Annotated[str, Field(min_length=1, max_length=500)]


def _present(value: Any) -> Any:
    """Mongoose's ``required``: ``null`` is no value."""
    if value is None:
        raise ValueError("value is required")
    return value


class TriggerOut(Document):
    name: str
    description: str | None = None
    trigger: JsonObject
    conditions: JsonObject
    actions: list[JsonObject]
    enabled: bool
    project_id: str = Field(serialization_alias="id_project")
    code: str | None = None
    type: str | None = None
    version: int | None = None
    created_by: str = Field(serialization_alias="createdBy")
    updated_by: str = Field(serialization_alias="updatedBy")


class EventIn(InModel):
    """``trigger``: the event the trigger listens to."""

    key: EventKey
    name: Text
    description: str | None = Field(None, max_length=2000)


class ConditionIn(InModel):
    """One condition; ``value`` is required but may be any JSON (even ``false`` or ``0``)."""

    key: Text
    fact: Literal["json"] = "json"
    path: str | None = Field(None, max_length=500)
    operator: Operator
    value: Annotated[Any, AfterValidator(_present)] = Field(...)


class ConditionsIn(InModel):
    all: list[ConditionIn] = Field(default_factory=list, max_length=50)
    any: list[ConditionIn] = Field(default_factory=list, max_length=50)


class ActionIn(InModel):
    key: ActionKey
    parameters: JsonObject | None = None
    script: str | None = Field(None, max_length=10_000)


class TriggerIn(InModel):
    """``POST`` (created enabled) and ``PUT`` (every field written, ``enabled`` included)."""

    name: Text
    description: str | None = Field(None, max_length=2000)
    trigger: EventIn
    conditions: ConditionsIn = Field(default_factory=ConditionsIn)
    actions: list[ActionIn] = Field(default_factory=list, max_length=20)
    enabled: bool | None = None
