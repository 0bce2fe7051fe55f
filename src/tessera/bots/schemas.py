"""Wire shapes of bots (§5.13, §9.11). The ``secret`` is never part of the document."""

from pydantic import Field

from tessera.core.schemas import Document, JsonObject, Millis


class BotOut(Document):
    name: str
    description: str | None = None
    url: str | None = None
    webhook_url: str | None = None
    webhook_enabled: bool = False
    project_id: str = Field(serialization_alias="id_project")
    type: str = "internal"
    subtype: str | None = None
    trashed: bool = False
    trashed_at: Millis | None = Field(None, serialization_alias="trashedAt")
    language: str = "en"
    attributes: JsonObject | None = None
    public: bool = False
    certified: bool = False
    main_category: str | None = Field(None, serialization_alias="mainCategory")
    intents_engine: str = Field("none", serialization_alias="intentsEngine")
    tags: list[str] = Field(default_factory=list)
    score: int = 0
    published_by: str | None = Field(None, serialization_alias="publishedBy")
    published_at: Millis | None = Field(None, serialization_alias="publishedAt")
    trained: bool = True
    short_description: str | None = None
    title: str | None = None
    release_note: str | None = None
    certified_tags: list[JsonObject] | None = Field(None, serialization_alias="certifiedTags")
    agents_available: bool = False
    slug: str | None = None
    modified: bool = False
    root_id: str | None = None
    created_by: str = Field(serialization_alias="createdBy")
