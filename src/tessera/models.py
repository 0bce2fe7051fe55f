"""Every table, imported once so that ``metadata`` is complete (migrations, tests)."""

from tessera.core.db import metadata
from tessera.departments import models as departments
from tessera.invitations import models as invitations
from tessera.project_users import models as project_users
from tessera.projects import models as projects
from tessera.users import models as users

__all__ = ["departments", "invitations", "metadata", "project_users", "projects", "users"]
