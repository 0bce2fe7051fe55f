"""``operator.select`` (fact sheet §7.2): routing asks the project's webhook who should take
a conversation, and waits for the answer.

Called by routing inside its transaction, so the call is synchronous and short (3 s): on
PostgreSQL it holds a worker thread; on SQLite, where units of work run on the event loop,
it holds the whole process for as long as the receiver takes, up to the timeout. Projects
without an ``operator.select`` subscription pay one indexed probe. Any failure (no answer,
non-2xx, bad JSON, no ``operators``) keeps routing's own decision, as in Tiledesk. Each call
is logged like a delivery (``/subscriptions/history``) but never retried: its answer is
only useful now. Tiledesk only consults the hook on active trial or paid plans; Tessera has
no plan gate.
"""

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from tessera.core import targets
from tessera.core.db import Record, Tx
from tessera.core.ids import new_id
from tessera.departments.schemas import DepartmentOut
from tessera.groups.schemas import GroupOut
from tessera.project_users.schemas import ProjectUserOut
from tessera.projects.schemas import ProjectOut
from tessera.subscriptions import catalog, delivery, repository
from tessera.subscriptions.service import Outcome, log_synchronous_call

log = logging.getLogger("tessera.webhooks")

BOT_PREFIX = "bot_"


@dataclass(frozen=True, slots=True)
class HookSettings:
    timeout: float = 3.0
    allow_private: bool = False
    origin: str = "http://localhost:3000"


_settings = HookSettings()


def configure(*, allow_private: bool, origin: str) -> None:
    """Set once at app creation (``WEBHOOK_ALLOW_PRIVATE_TARGETS``, ``WEBHOOK_ORIGIN``):
    routing calls ``select_operators`` without the app's settings at hand."""
    global _settings
    _settings = HookSettings(allow_private=allow_private, origin=origin)


def select_operators(
    tx: Tx,
    project: Mapping[str, Any],
    *,
    department: Record,
    agents: Sequence[Record],
    available: Sequence[Record],
    operator: str | None,
    group: Record | None = None,
    last_operator: str | None = None,
    request: Mapping[str, Any] | None = None,
    settings: HookSettings | None = None,
) -> list[str] | None:
    """The operators the project's ``operator.select`` webhook chose (user ids or
    ``bot_<id>``; empty: nobody, the conversation waits), or None to keep ``operator``,
    routing's own choice. Only the project's agents and bots are accepted. ``settings``
    default to those ``configure`` set."""
    settings = settings or _settings
    project_id = project["id"]
    if not repository.has_subscriptions(tx, project_id):
        return None
    hooks = repository.listening(tx, project_id, [catalog.OPERATOR_SELECT])
    if not hooks:
        return None
    context = _routing_context(
        project, department, agents, available, operator, group, last_operator, request
    )
    for subscription in hooks:
        answer = _call(tx, subscription, context, settings)
        chosen = _operators(tx, project_id, answer, agents) if answer is not None else None
        if chosen is not None:
            return chosen
    return None


def _routing_context(
    project: Mapping[str, Any],
    department: Record,
    agents: Sequence[Record],
    available: Sequence[Record],
    operator: str | None,
    group: Record | None,
    last_operator: str | None,
    request: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """Tiledesk's routing context (§7.2), with Tessera's wire shapes."""
    context: dict[str, Any] = {
        "department": DepartmentOut.of(department).wire(),
        "available_agents": [ProjectUserOut.of(agent).wire() for agent in available],
        "agents": [ProjectUserOut.of(agent).wire() for agent in agents],
        "operators": [{"id_user": operator}] if operator else [],
        "id_project": project["id"],
        "project": ProjectOut.model_validate(dict(project)).for_reader(administers=False).wire(),
        "context": {"request": dict(request)} if request is not None else {},
    }
    if group is not None:
        context["group"] = GroupOut.of(group).wire()
    if last_operator is not None:
        context["lastOperatorId"] = last_operator
    return context


def _call(tx: Tx, subscription: Record, context: dict[str, Any], settings: HookSettings) -> Any:
    """POST the context to one hook and log it; the parsed answer, or None on failure."""
    delivery_id = new_id()
    started = time.monotonic()
    answer: Any = None
    try:
        status, body = _post(delivery_id, tx.now, subscription, context, settings)
        outcome = Outcome(
            subscription.target, _elapsed(started), status, body[: delivery.RESPONSE_EXCERPT]
        )
        if outcome.delivered:
            answer = orjson.loads(body) if body else None
    except (targets.TargetRefused, httpx.HTTPError, OSError, orjson.JSONDecodeError) as error:
        outcome = Outcome(subscription.target, _elapsed(started), error=str(error) or "error")
    log_synchronous_call(tx, delivery_id, subscription, catalog.OPERATOR_SELECT, context, outcome)
    return answer


def _post(
    delivery_id: str,
    now_ms: int,
    subscription: Record,
    context: dict[str, Any],
    settings: HookSettings,
) -> tuple[int, str]:
    target = subscription.target
    pinned = targets.unpinned(target) if settings.allow_private else targets.pin_public_sync(target)
    request = delivery.signed_request(
        delivery_id, now_ms, context, subscription, now_ms=now_ms, origin=settings.origin
    )
    with httpx.Client(follow_redirects=False, timeout=settings.timeout) as client:
        response = client.post(
            pinned.url,
            content=request.body,
            headers={**request.headers, **pinned.headers},
            extensions=pinned.extensions,
        )
    return response.status_code, response.text


def _operators(tx: Tx, project_id: str, answer: Any, agents: Sequence[Record]) -> list[str] | None:
    """``answer["operators"]`` as ids, keeping only the project's agents and bots; None
    when the answer names no usable operator list."""
    if not isinstance(answer, dict) or not isinstance(answer.get("operators"), list):
        return None
    named = [
        entry["id_user"]
        for entry in answer["operators"]
        if isinstance(entry, dict) and isinstance(entry.get("id_user"), str)
    ]
    agent_ids = {agent.user_id for agent in agents}
    bot_ids = repository.project_bot_ids(
        tx,
        project_id,
        [name.removeprefix(BOT_PREFIX) for name in named if name.startswith(BOT_PREFIX)],
    )
    chosen = [
        name
        for name in named
        if name in agent_ids or (name.startswith(BOT_PREFIX) and name[len(BOT_PREFIX) :] in bot_ids)
    ]
    if named and not chosen:
        log.warning("operator.select named no agent or bot of project %s: %s", project_id, named)
        return None
    return chosen


def _elapsed(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
