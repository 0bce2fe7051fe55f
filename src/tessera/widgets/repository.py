"""SQL of the widget settings: who is available to chat."""

from sqlalchemy import select

from tessera.core.db import Record, Tx
from tessera.project_users.models import STATUS_ACTIVE, project_users
from tessera.users.models import users

# Tiledesk lists these roles only (routes/widget.js): not teammates, not custom roles.
WIDGET_AGENT_ROLES = ("owner", "admin", "supervisor", "agent")


def available_agents(tx: Tx, project_id: str) -> list[Record]:
    """Available members of the project's agent roles with their first name, oldest first."""
    statement = (
        select(project_users.c.user_id, users.c.firstname)
        .join(users, users.c.id == project_users.c.user_id)
        .where(
            project_users.c.project_id == project_id,
            project_users.c.user_available.is_(True),
            project_users.c.role.in_(WIDGET_AGENT_ROLES),
            project_users.c.status == STATUS_ACTIVE,
        )
        .order_by(project_users.c.created_at, project_users.c.id)
    )
    return tx.all(statement)
