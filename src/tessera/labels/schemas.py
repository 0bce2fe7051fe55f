"""Wire shapes of labels (§5.12, §9.15).

Language codes travel upper-case (``EN``, ``IT``...); lower-case input is accepted and
normalised, as the widget itself upper-cases the browser's language before asking.
"""

from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

from tessera.core.schemas import Document, InModel, JsonObject, WireModel
from tessera.labels.models import LANG_LENGTH

# "DEFAULT" would be shadowed by the ``/labels/default`` routes, so no language may be called so.
_RESERVED = "DEFAULT"


def normalise_lang(value: str) -> str:
    """How a language code given in a path is looked up."""
    return value.strip().upper()


def _not_reserved(value: str) -> str:
    if value == _RESERVED:
        raise ValueError("'default' is reserved for the built-in labels")
    return value


LangCode = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_upper=True,
        max_length=LANG_LENGTH,
        pattern=r"^[A-Za-z]{2,8}([_-][A-Za-z0-9]{1,8})*$",
    ),
    AfterValidator(_not_reserved),
]
"""A language code such as ``en``, ``PT-BR`` or ``sr_Latn``, stored upper-case."""


class LabelEntryOut(WireModel):
    """One language of a project: ``{_id, lang, data, default, category?}`` (no timestamps:
    it is a sub-document in Tiledesk)."""

    id: str = Field(serialization_alias="_id")
    lang: str
    data: JsonObject
    is_default: bool = Field(serialization_alias="default")
    category: str | None = None


class LabelsOut(Document):
    """The project's label document, its languages in the order they were first stored."""

    project_id: str = Field(serialization_alias="id_project")
    data: list[LabelEntryOut]
    attributes: JsonObject | None = None
    created_by: str = Field(serialization_alias="createdBy")


class BuiltinLabelOut(WireModel):
    """A built-in language set: ``{lang, data}``, without ``_id`` (it is not stored)."""

    lang: str
    data: JsonObject


class LabelIn(InModel):
    """``POST /labels``: the texts of one language, made the default one on request."""

    lang: LangCode
    data: JsonObject
    default: bool | None = None


class CloneIn(InModel):
    """``POST /labels/default/clone``: the language whose built-in texts are copied."""

    lang: LangCode
