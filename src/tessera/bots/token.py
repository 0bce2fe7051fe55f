"""The bot's own token (fact sheet §3.2): what ``GET /:pid/faq_kb/:id/jwt`` answers and what
every external-bot webhook carries (§7.3)."""

from tessera.auth import tokens
from tessera.auth.principal import CallerKind
from tessera.bots.schemas import BotOut
from tessera.core.db import Record


def audience(bot_id: str) -> str:
    """Tokens addressed here are verified with the bot's secret (§3.3)."""
    return f"{tokens.ISSUER}/bots/{bot_id}"


def sign(bot: Record) -> str:
    """The bot document without its secret, description and attributes, signed with the
    bot's secret; no expiry."""
    claims = BotOut.of(bot).wire()
    for hidden in ("description", "attributes"):
        claims.pop(hidden, None)
    return tokens.sign(claims, bot.secret, subject=CallerKind.BOT, audience=audience(bot.id))
