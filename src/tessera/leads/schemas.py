"""Wire shapes of leads (§5.6, §9.6)."""

from typing import Any

from pydantic import Field

from tessera.core.schemas import Document, InModel, JsonObject, WireModel


class LeadOut(Document):
    lead_id: str
    fullname: str | None = None
    email: str | None = None
    phone: str | None = None
    company: str | None = None
    note: str | None = None
    street_address: str | None = Field(None, serialization_alias="streetAddress")
    city: str | None = None
    region: str | None = None
    zipcode: str | None = None
    country: str | None = None
    tags: list[str]
    attributes: JsonObject | None = None
    properties: JsonObject | None = None
    project_id: str = Field(serialization_alias="id_project")
    created_by: str = Field(serialization_alias="createdBy")
    status: int


class LeadList(WireModel):
    """``{"perPage": 40, "count": 123, "leads": [...]}``."""

    per_page: int = Field(serialization_alias="perPage")
    count: int
    leads: list[LeadOut]


class LeadCreate(InModel):
    lead_id: str | None = Field(None, min_length=1)
    fullname: str | None = None
    email: str | None = None
    attributes: JsonObject | None = None


class LeadUpdate(InModel):
    """Every field applied only when present (``attributes`` and ``tags`` replace)."""

    fullname: str | None = None
    email: str | None = None
    attributes: JsonObject | None = None
    status: int | None = None
    phone: str | None = None
    company: str | None = None
    note: str | None = None
    streetAddress: str | None = None
    city: str | None = None
    region: str | None = None
    zipcode: str | None = None
    country: str | None = None
    tags: list[str] | None = None

    def columns(self) -> dict[str, Any]:
        values = self.model_dump(exclude_none=True)
        if "streetAddress" in values:
            values["street_address"] = values.pop("streetAddress")
        return values


CSV_COLUMNS = (
    "_id", "lead_id", "fullname", "email", "phone", "company", "note", "streetAddress", "city",
    "region", "zipcode", "country", "tags", "id_project", "createdBy", "status", "createdAt",
    "updatedAt",
)  # fmt: skip
