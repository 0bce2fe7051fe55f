"""The ``tessera`` command: serve, worker, migrate, create-admin."""

import logging
import os
import sys
from collections.abc import Coroutine
from typing import Any

import typer

from tessera.auth.passwords import hash_password
from tessera.bootstrap import create_admin, ensure_first_admin
from tessera.config import Settings, get_settings
from tessera.core.db import Database
from tessera.migrate import upgrade

app = typer.Typer(help="Tessera: a Tiledesk-compatible live-chat server.", no_args_is_help=True)


@app.command()
def serve(
    host: str = typer.Option(None, help="Interface to bind (default HOST or 127.0.0.1)."),
    port: int = typer.Option(None, help="Port (default PORT or 3000)."),
    workers: int = typer.Option(None, help="Worker processes (default WORKERS or 1)."),
    migrate: bool = typer.Option(True, help="Apply pending migrations first."),
) -> None:
    """Start the HTTP and websocket server."""
    import uvicorn

    settings = get_settings()
    _configure_logging(settings)
    if migrate:
        upgrade(settings.database_url)
    # Resolve the token secret once, so that every worker shares it.
    os.environ["GLOBAL_SECRET"] = settings.jwt_secret()
    _announce_first_admin(settings)
    uvicorn.run(
        "tessera.main:app_factory",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        loop="uvloop" if sys.platform != "win32" else "asyncio",
        http="httptools",
        ws="websockets-sansio",
        ws_per_message_deflate=False,
        log_level=settings.log_level.lower(),
        access_log=False,
        server_header=False,
    )


@app.command(name="migrate")
def migrate_command() -> None:
    """Apply every pending schema migration to DATABASE_URL."""
    settings = get_settings()
    _configure_logging(settings)
    upgrade(settings.database_url)
    typer.echo(f"database is up to date ({_safe_url(settings.database_url)})")


@app.command()
def worker() -> None:
    """Deliver webhooks from the outbox and run the schedulers (auto-close, purges), apart
    from the servers (set WEBHOOK_DISPATCHER=off and SCHEDULER=off on them). Several workers
    may run at once."""
    import asyncio

    from tessera.subscriptions.dispatcher import run_worker

    settings = get_settings()
    _configure_logging(settings)
    asyncio.run(_with_schedulers(settings, run_worker(settings)))


async def _with_schedulers(settings: Settings, work: Coroutine[Any, Any, None]) -> None:
    """Run ``work`` with the schedulers beside it until it ends. They write through an app's
    database, so that their changes get the server's commit hooks (webhook outbox,
    activities) and realtime pushes (through Redis when REDIS_URL is set)."""
    from tessera.main import create_app
    from tessera.scheduler.runner import Scheduler

    # No HTTP is served here: no rate limiter to open.
    database: Database = create_app(settings.model_copy(update={"rate_limit": "off"})).state.db
    scheduler = Scheduler(database, settings)
    await scheduler.start()
    try:
        await work
    finally:
        await scheduler.stop()
        database.close()


@app.command(name="create-admin")
def create_admin_command(
    email: str = typer.Option(..., help="E-mail of the new administrator."),
    password: str = typer.Option(..., prompt=True, hide_input=True, help="Its password."),
) -> None:
    """Create a verified account (it can then create projects, or be invited to them)."""
    settings = get_settings()
    db = Database(settings.database_url)
    try:
        password_hash = hash_password(password, settings.bcrypt_rounds)
        db.run_sync(create_admin, email, password_hash, with_project=False)
    finally:
        db.close()
    typer.echo(f"created {email.lower()}")


def _announce_first_admin(settings: Settings) -> None:
    admin = ensure_first_admin(settings)
    if admin is None:
        return
    if admin.password is None:
        typer.echo(f"Created the first administrator {admin.email} (password from ADMIN_PASSWORD).")
    else:
        typer.echo(
            f"Created the first administrator {admin.email} with the generated password "
            f"{admin.password} (shown only this once).",
            err=True,
        )


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def _configure_logging(settings: Settings) -> None:
    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )


def main() -> None:
    app()
