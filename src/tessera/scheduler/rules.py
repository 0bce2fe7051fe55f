"""What the auto-close tasks close (§8.3), read from the settings."""

import json
from dataclasses import dataclass

from tessera.config import Settings

BOT = "bot"
AGENT = "agent"


@dataclass(frozen=True, slots=True)
class CloseRule:
    """Close up to ``limit`` open conversations with (``has_bot``) or without a bot, not
    updated for ``after_ms`` and not ``pending``, every ``interval_seconds``; only in
    ``projects`` when some are named."""

    name: str
    enabled: bool
    has_bot: bool
    after_ms: int
    interval_seconds: float
    limit: int
    projects: tuple[str, ...] = ()


def close_rules(settings: Settings) -> tuple[CloseRule, CloseRule]:
    """Tiledesk's two tasks: bot conversations (on by default, two days, every five
    minutes) and agent conversations (off by default, five days, every half hour)."""
    return (
        CloseRule(
            BOT,
            settings.close_bot_unresponsive_requests_enable,
            True,
            settings.close_bot_unresponsive_requests_after_timeout,
            settings.close_bot_unresponsive_requests_interval_seconds,
            settings.close_bot_unresponsive_requests_query_limit,
            project_filter(settings.close_bot_unresponsive_requests_query_filter_only_project),
        ),
        CloseRule(
            AGENT,
            settings.close_agent_unresponsive_requests_enable,
            False,
            settings.close_agent_unresponsive_requests_after_timeout,
            settings.close_agent_unresponsive_requests_interval_seconds,
            settings.close_agent_unresponsive_requests_query_limit,
            project_filter(settings.close_agent_unresponsive_requests_query_filter_only_project),
        ),
    )


def project_filter(value: str | None) -> tuple[str, ...]:
    """Project ids from ``a,b``, or from Tiledesk's JSON (``"a"`` or ``{"$in": ["a", "b"]}``)."""
    if not value or not value.strip():
        return ()
    try:
        parsed = json.loads(value)
    except ValueError:
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(parsed, dict):
        parsed = parsed.get("$in", [])
    if isinstance(parsed, str):
        parsed = [parsed]
    if not isinstance(parsed, list) or not all(isinstance(item, str) for item in parsed):
        raise ValueError(f"not a project filter: {value!r}")
    return tuple(parsed)
