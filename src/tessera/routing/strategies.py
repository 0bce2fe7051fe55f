"""The operator choice itself, as pure functions (every rule is a one-line test).

Tiledesk's order (services/departmentService.js, pubmodules/routing-queue/listener.js):
``assigned`` departments pick the agent after the one who took the project's latest human
conversation, among the available agents in membership order (random when there is no such
conversation). With chat limits on, only agents below their limit are eligible, agents who
abandoned this conversation are skipped, and if those leave nobody the conversation is
"fully abandoned". ``pooled`` departments queue the conversation for everyone.

Deviation: Tiledesk's chat-limit step also assigns conversations of ``pooled`` departments;
Tessera keeps pooled conversations in the queue, as the department says.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

POOLED = "pooled"
ASSIGNED = "assigned"


@dataclass(frozen=True, slots=True)
class Agent:
    """An available agent: its user id, membership id, open conversations and own limit."""

    user_id: str
    membership_id: str
    open_conversations: int = 0
    own_limit: int | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    operator: str | None
    fully_abandoned: bool = False


def choose_operator(
    agents: Sequence[Agent],
    *,
    routing: str,
    chat_limit: int | None,
    last_operator: str | None,
    abandoned_by: Collection[str] = (),
    pick: Callable[[int], int],
) -> Decision:
    """Who takes the conversation (``None``: it waits in the queue).

    ``chat_limit`` is the project's limit when chat limits are on, else None; ``pick(n)``
    returns a random index below ``n`` (passed in so tests are deterministic)."""
    if routing != ASSIGNED:
        return Decision(None)
    if chat_limit is None:
        if last_operator is None:
            return Decision(agents[pick(len(agents))].user_id if agents else None)
        return Decision(_user_after(agents, last_operator))
    eligible = [agent for agent in agents if agent.open_conversations < limit_of(agent, chat_limit)]
    if abandoned_by:
        eligible = [agent for agent in eligible if agent.membership_id not in abandoned_by]
        if not eligible:
            return Decision(None, fully_abandoned=True)
    return Decision(_user_after(eligible, last_operator))


def limit_of(agent: Agent, project_limit: int) -> int:
    """A member's own limit wins when it is set (neither 0 nor -1)."""
    own = agent.own_limit
    return own if own is not None and own not in (0, -1) else project_limit


def _user_after(agents: Sequence[Agent], last_operator: str | None) -> str | None:
    """Round robin: the agent after ``last_operator`` (wrapping); the first when absent."""
    if not agents:
        return None
    ids = [agent.user_id for agent in agents]
    index = ids.index(last_operator) if last_operator in ids else -1
    return ids[(index + 1) % len(ids)]
