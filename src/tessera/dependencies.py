"""What every router may ask for: the app's settings, database and mailer."""

from typing import Annotated

from fastapi import Depends, Request

from tessera.config import Settings
from tessera.context import Context
from tessera.core.db import Database
from tessera.core.mail import Mailer


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def _database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


async def _mailer(request: Request) -> Mailer:
    mailer: Mailer = request.app.state.mailer
    return mailer


async def _context(request: Request) -> Context:
    context: Context = request.app.state.context
    return context


SettingsDep = Annotated[Settings, Depends(_settings)]
DatabaseDep = Annotated[Database, Depends(_database)]
MailerDep = Annotated[Mailer, Depends(_mailer)]
ContextDep = Annotated[Context, Depends(_context)]
