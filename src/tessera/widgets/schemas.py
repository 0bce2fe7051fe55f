"""Wire shapes of the widget settings (§5.22), for the API description: the answer itself
is assembled by the service from the project's and departments' own wire shapes."""

from typing import Any

from pydantic import Field

from tessera.core.schemas import JsonObject, WireModel


class AvailableAgent(WireModel):
    id: str
    firstname: str | None = None


class WidgetSettings(WireModel):
    project: JsonObject
    user_available: list[AvailableAgent]
    departments: list[JsonObject]
    ip: str
    bots_rules: list[Any] = Field(serialization_alias="botsRules")


class WidgetIp(WireModel):
    ip: str
    ipStandard: str
    parseIp: str
