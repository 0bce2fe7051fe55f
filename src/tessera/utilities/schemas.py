"""Wire shapes of the utilities (§5.28)."""

from typing import Any

from pydantic import Field

from tessera.core.schemas import InModel, WireModel

MAX_PREVIEW_URLS = 10
QUOTE_KINDS = ("requests", "messages", "email", "tokens", "voice_duration")
COUNTED_KINDS = frozenset({"email", "tokens", "voice_duration"})


class LookupOut(WireModel):
    id_project: str


class PreviewData(WireModel):
    """What a page says about itself (Open Graph, Twitter cards, ``<title>``); missing
    values are ``null``, as Tiledesk sends them."""

    url: str
    title: str | None
    description: str | None
    image: str | None
    siteName: str | None  # Tiledesk's names, as clients read them
    type: str | None
    locale: str | None
    author: str | None
    keywords: str | None
    twitterCard: str | None
    twitterTitle: str | None
    twitterDescription: str | None
    twitterImage: str | None

    def wire(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


class PreviewIn(InModel):
    urls: Any = None


class QuotesIn(InModel):
    date: str | None = None


class IncrementIn(InModel):
    tokens: int = Field(0, ge=0, le=10**12)
    model: str | None = None
