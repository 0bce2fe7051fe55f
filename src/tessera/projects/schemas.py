"""Wire shapes of projects (§5.2, §9.1). Secrets (jwtSecret, keys) never appear."""

from typing import Any

from pydantic import Field, computed_field

from tessera.core.clock import now_ms, parse_iso
from tessera.core.schemas import Document, InModel, JsonObject, Millis, WireModel

_DAY_MS = 86_400_000
_GRACE_MS = 3 * _DAY_MS


class ProjectOut(Document):
    status: int
    name: str
    active_operating_hours: bool = Field(serialization_alias="activeOperatingHours")
    operating_hours: str | None = Field(None, serialization_alias="operatingHours")
    time_slots: JsonObject | None = Field(None, serialization_alias="timeSlots")
    settings: JsonObject | None = None
    widget: JsonObject | None = None
    attributes: JsonObject | None = None
    profile: JsonObject
    versions: int | None = None
    channels: list[JsonObject] | None = None
    organization: str | None = None
    ip_filter_enabled: bool = Field(serialization_alias="ipFilterEnabled")
    ip_filter: list[str] = Field(serialization_alias="ipFilter")
    ip_filter_deny_enabled: bool = Field(serialization_alias="ipFilterDenyEnabled")
    ip_filter_deny: list[str] = Field(serialization_alias="ipFilterDeny")
    banned_users: list[JsonObject] = Field(serialization_alias="bannedUsers")
    created_by: str = Field(serialization_alias="createdBy")

    @computed_field(alias="id")  # type: ignore[prop-decorator]
    @property
    def id_virtual(self) -> str:
        return self.id

    def for_reader(self, *, administers: bool) -> "ProjectOut":
        """The project as a member may read it: the password of the project's own SMTP server
        (``settings.email.config.pass``, §5.26) only for its owner and admins, who set it.
        Deviation: Tiledesk shows it to every agent."""
        config = ((self.settings or {}).get("email") or {}).get("config")
        if administers or not isinstance(config, dict) or "pass" not in config:
            return self
        settings = dict(self.settings or {})
        email = dict(settings["email"])
        email["config"] = {key: value for key, value in config.items() if key != "pass"}
        settings["email"] = email
        return self.model_copy(update={"settings": settings})

    @computed_field(alias="trialExpired")  # type: ignore[prop-decorator]
    @property
    def trial_expired(self) -> bool:
        """Tessera runs no trials (Tiledesk: false unless TRIAL_MODE_ENABLED)."""
        return False

    @computed_field(alias="trialDaysLeft")  # type: ignore[prop-decorator]
    @property
    def trial_days_left(self) -> int:
        trial_days = int(self.profile.get("trialDays") or 0)
        return (now_ms() - (self.created_at + trial_days * _DAY_MS)) // _DAY_MS

    @computed_field(alias="isActiveSubscription")  # type: ignore[prop-decorator]
    @property
    def is_active_subscription(self) -> bool:
        """A ``payment`` plan whose end (plus three days of grace) is not past."""
        if self.profile.get("type") != "payment":
            return False
        sub_end = self.profile.get("subEnd")
        end = parse_iso(sub_end) if isinstance(sub_end, str) else None
        return end is not None and now_ms() <= end + _GRACE_MS

    @property
    def payload(self) -> dict[str, Any]:
        """The webhook payload of project events: the project plus ``id_project``."""
        return {**self.wire(), "id_project": self.id}


class ProjectCreate(InModel):
    name: str = Field(min_length=1)
    defaultLanguage: str | None = None


class ProjectBrief(WireModel):
    """An entry of ``GET /projects/all`` (super-admin)."""

    id: str = Field(serialization_alias="_id")
    name: str
    owner: str | None = None
    created_at: Millis = Field(serialization_alias="createdAt")
    profile_name: str | None = None


class OpenState(WireModel):
    isopen: bool


class AvailableAgent(WireModel):
    """An entry of ``GET /projects/:pid/users/availables``."""

    id: str
    pu_id: str
    fullname: str
    email: str
    assigned_request: int


class BanIn(InModel):
    id: str | None = None
    ip: str | None = None
