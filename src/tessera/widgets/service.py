"""What the widget reads when it starts: ``GET /:pid/widgets`` (fact sheet §5.22).

Tiledesk's answer: the project (its settings reduced to the four the widget uses), the agents
available now (none while operating hours say closed), the departments shown in the widget,
the visitor's address and the rules of every bot not in the trash. Tessera also leaves out
the deny-list and the banned users (IP addresses and ids of other people, which the widget
does not read), besides the allow-list Tiledesk already removes.
"""

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tessera.bots import repository as bots
from tessera.core.db import Tx
from tessera.departments import service as departments
from tessera.departments.schemas import DepartmentOut
from tessera.projects import hours
from tessera.projects.schemas import ProjectOut
from tessera.widgets import repository

WIDGET_SETTINGS = (
    "allowed_urls",
    "allowed_urls_list",
    "allow_send_emoji",
    "allowed_upload_extentions",
)
_PRIVATE_PROJECT_FIELDS = (
    "ipFilter",
    "ipFilterEnabled",
    "ipFilterDeny",
    "ipFilterDenyEnabled",
    "bannedUsers",
)
# Branding a lapsed plan may not show (Tiledesk removes them when the plan is not active).
_PLAN_WIDGET_FIELDS = ("poweredBy", "baloonImage")


def widget_settings(tx: Tx, project: Mapping[str, Any], ip: str) -> dict[str, Any]:
    now = datetime.now(UTC)
    visible = departments.list_visible_departments(tx, project, by_name=False)
    return {
        "project": public_project(project, lapsed=hours.plan_lapsed(project, now)),
        "user_available": _available_agents(tx, project, now),
        "departments": [DepartmentOut.of(row).wire() for row in visible],
        "ip": ip,
        "botsRules": _bot_rules(tx, project["id"]),
    }


def public_project(project: Mapping[str, Any], *, lapsed: bool) -> dict[str, Any]:
    shown = ProjectOut.of(project).wire()
    for field in _PRIVATE_PROJECT_FIELDS:
        shown.pop(field, None)
    settings = shown.get("settings")
    if isinstance(settings, dict):
        shown["settings"] = {key: settings[key] for key in WIDGET_SETTINGS if key in settings}
    widget = shown.get("widget")
    if lapsed and isinstance(widget, dict):
        shown["widget"] = {k: v for k, v in widget.items() if k not in _PLAN_WIDGET_FIELDS}
    return shown


def _available_agents(tx: Tx, project: Mapping[str, Any], now: datetime) -> list[dict[str, Any]]:
    if not _open(project, now):
        return []
    rows = repository.available_agents(tx, project["id"])
    # A missing first name is left out, as JSON.stringify leaves out undefined.
    return [
        {"id": row.user_id, "firstname": row.firstname}
        if row.firstname is not None
        else {"id": row.user_id}
        for row in rows
    ]


def _open(project: Mapping[str, Any], now: datetime) -> bool:
    """Hours that cannot be read do not close the project (as ``/users/availables``)."""
    try:
        return hours.project_is_open(project, now)
    except hours.HoursError:
        return True


def _bot_rules(tx: Tx, project_id: str) -> list[Any]:
    rules: list[Any] = []
    for bot in bots.list_untrashed(tx, project_id, conditions=()):
        found = (bot.attributes or {}).get("rules")
        if isinstance(found, list):
            rules.extend(found)
    return rules
