"""The route table: every router, one line each, with its URL prefix."""

from fastapi import Depends, FastAPI

from tessera.auth.router import router as auth
from tessera.health.router import router as health
from tessera.invitations.router import router as invitations
from tessera.keys.router import jwt_router, keys_router
from tessera.project_users.router import router as project_users
from tessera.projects.dependencies import current_project
from tessera.projects.router import router as projects
from tessera.users.router import public_router as users_util
from tessera.users.router import router as users

# Routers below /{project_id} run the project check first (400 before 401, fact sheet §2).
_PROJECT_CHECK = [Depends(current_project)]


def include_routers(app: FastAPI) -> None:
    app.include_router(health)  # /, /health, /ready
    app.include_router(auth)  # /auth
    app.include_router(users)  # /users
    app.include_router(users_util)  # /users_util
    app.include_router(projects)  # /projects
    app.include_router(project_users, dependencies=_PROJECT_CHECK)  # /{pid}/project_users
    app.include_router(invitations, dependencies=_PROJECT_CHECK)  # /{pid}/pendinginvitations
    app.include_router(keys_router, dependencies=_PROJECT_CHECK)  # /{pid}/keys
    app.include_router(jwt_router, dependencies=_PROJECT_CHECK)  # /{pid}/jwt
