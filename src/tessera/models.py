"""Every table, imported once so that ``metadata`` is complete (migrations, tests)."""

from tessera.activities import models as activities
from tessera.bots import models as bots
from tessera.canned import models as canned
from tessera.conversations import models as conversations
from tessera.core import idempotency
from tessera.core.db import metadata
from tessera.custom_events import models as custom_events
from tessera.departments import models as departments
from tessera.files import models as files
from tessera.groups import models as groups
from tessera.intents import models as intents
from tessera.invitations import models as invitations
from tessera.labels import models as labels
from tessera.leads import models as leads
from tessera.messages import models as messages
from tessera.project_users import models as project_users
from tessera.projects import models as projects
from tessera.properties import models as properties
from tessera.roles import models as roles
from tessera.search import models as search
from tessera.segments import models as segments
from tessera.subscriptions import models as subscriptions
from tessera.tags import models as tags
from tessera.triggers import models as triggers
from tessera.users import models as users
from tessera.utilities import models as utilities


def managed(name: str | None, type_: str, parent_names: object) -> bool:
    """Alembic's ``include_name``: objects migrations create by hand for one database (the
    search index) are left out of schema comparisons."""
    return name not in search.UNMANAGED


__all__ = [
    "activities",
    "bots",
    "canned",
    "conversations",
    "custom_events",
    "departments",
    "files",
    "groups",
    "idempotency",
    "intents",
    "invitations",
    "labels",
    "leads",
    "managed",
    "messages",
    "metadata",
    "project_users",
    "projects",
    "properties",
    "roles",
    "search",
    "segments",
    "subscriptions",
    "tags",
    "triggers",
    "users",
    "utilities",
]
