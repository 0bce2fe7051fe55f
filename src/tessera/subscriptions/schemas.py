"""Wire shapes of subscriptions (§5.15, §9.13) and of their delivery log."""

from typing import Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator

from tessera.core.schemas import InModel, Millis, WireModel
from tessera.subscriptions import catalog

HISTORY_PAGE_SIZE = 40  # §5.15: the history route's fixed page size
_MAX_TARGET_LENGTH = 2048


class SubscriptionOut(WireModel):
    """A subscription as lists and reads show it: never the ``secret`` (§1.4)."""

    id: str = Field(serialization_alias="_id")
    target: str
    event: str
    project_id: str = Field(serialization_alias="id_project")
    created_by: str = Field(serialization_alias="createdBy")
    created_at: Millis = Field(serialization_alias="createdAt")
    updated_at: Millis = Field(serialization_alias="updatedAt")
    v: int = Field(0, serialization_alias="__v")


def with_secret(row: Any, *, created: bool) -> dict[str, Any]:
    """``POST``'s answer: the document as mongoose returns it right after ``save()``, with
    ``secret`` (and ``global`` for a new document; a duplicate is re-read with only
    ``+secret`` selected, so it has no ``global``)."""
    head: dict[str, Any] = {"secret": row.secret}
    if created:
        head["global"] = False
    return {**head, **SubscriptionOut.of(row).wire()}


def _event(value: str) -> str:
    if not catalog.is_subscribable(value):
        raise ValueError("not an event a subscription can receive (fact sheet §5.15)")
    return value


def _target(value: str) -> str:
    """An absolute ``http``/``https`` URL with a host (where the webhook is POSTed)."""
    if len(value) > _MAX_TARGET_LENGTH:
        raise ValueError(f"at most {_MAX_TARGET_LENGTH} characters")
    try:
        parts = urlsplit(value)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        raise ValueError("not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or not port_ok:
        raise ValueError("must be an http or https URL")
    return value


class SubscriptionIn(InModel):
    """``POST /:pid/subscriptions``: both fields are required."""

    event: str = Field(min_length=1)
    target: str = Field(min_length=1)

    @field_validator("event")
    @classmethod
    def _check_event(cls, value: str) -> str:
        return _event(value)

    @field_validator("target")
    @classmethod
    def _check_target(cls, value: str) -> str:
        return _target(value)


class SubscriptionUpdate(InModel):
    """``PUT /:pid/subscriptions/:id``: ``event`` and ``target``, each when present.
    Tiledesk applies the raw body (even ``id_project`` or ``secret``); Tessera lets only
    these two through."""

    event: str | None = Field(None, min_length=1)
    target: str | None = Field(None, min_length=1)

    @field_validator("event")
    @classmethod
    def _check_event(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("may not be null")
        return _event(value)

    @field_validator("target")
    @classmethod
    def _check_target(cls, value: str | None) -> str:
        if value is None:
            raise ValueError("may not be null")
        return _target(value)

    def columns(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class AttemptOut(WireModel):
    """One POST to a target. Tiledesk's log fields (§5.15: ``event``, ``target``, ``body``
    = the response body, ``err``, ``id_project``) plus Tessera's: the delivery it belongs
    to, the attempt number, the status code and the duration. Tiledesk's ``response`` and
    ``jsonRequest`` (serialised request and response objects) are not kept."""

    id: str = Field(serialization_alias="_id")
    event: str
    target: str
    response_body: str | None = Field(None, serialization_alias="body")
    error: str | None = Field(None, serialization_alias="err")
    project_id: str = Field(serialization_alias="id_project")
    delivery_id: str
    subscription_id: str
    attempt: int
    status_code: int | None = None
    duration_ms: int
    created_at: Millis = Field(serialization_alias="createdAt")
    updated_at: Millis = Field(serialization_alias="updatedAt")
    v: int = Field(0, serialization_alias="__v")
