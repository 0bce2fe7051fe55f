"""The application factory. Wiring only: settings, storage, middlewares, routes."""

import asyncio
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from tessera import __version__, api, docs
from tessera.activities import service as activities
from tessera.auth.passwords import VerifiedPasswords
from tessera.auth.tokens import VerifiedTokens
from tessera.bots.calls import CallOptions
from tessera.config import Settings, get_settings
from tessera.context import Context
from tessera.core import error_handlers
from tessera.core.db import Database
from tessera.core.events import LocalBus
from tessera.core.http import BodyGuard, Cors, PathNormalizer
from tessera.core.ratelimit import RateLimit, RateLimiter
from tessera.core.responses import JSONResponse
from tessera.core.routing import SegmentDispatcher
from tessera.emails.notifier import Notifier
from tessera.intents.faqbot import FaqBot
from tessera.projects.dependencies import current_project, unmatched_route
from tessera.realtime.hub import Hub
from tessera.realtime.log import open_log
from tessera.realtime.publisher import Publisher
from tessera.scheduler.runner import Scheduler
from tessera.subscriptions import operator_select
from tessera.subscriptions import service as subscriptions
from tessera.subscriptions.dispatcher import Dispatcher
from tessera.triggers import service as triggers
from tessera.triggers.runner import TriggerRunner

log = logging.getLogger("tessera")

# Probes and the API description are never rate limited.
_UNLIMITED_PATHS = frozenset({"/health", "/ready", "/openapi.json", "/docs"})


def create_app(settings: Settings | None = None, *, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    database = db or Database(settings.database_url, pool_size=settings.database_pool_size)
    mailer = settings.mailer()
    limiter = (
        RateLimiter(settings.rate_limit, settings.redis_url)
        if settings.rate_limit_enabled
        else None
    )

    hub = Hub(open_log(settings.redis_url, settings.realtime_window), settings.ws_heartbeat_seconds)
    notifier = Notifier.from_settings(database, mailer, settings)  # notification e-mails (§5.26)
    faq_bot = FaqBot(database, CallOptions.from_settings(settings))
    if isinstance(database.bus, LocalBus):
        database.bus.subscribe(Publisher(hub, database))
        # Internal bots answer in-process once a visitor's message is committed (§7.3).
        database.bus.subscribe(faq_bot)
        database.bus.subscribe(notifier)

    # Webhooks: every write queues its deliveries in its own transaction (the outbox); the
    # dispatcher sends them, here or in ``tessera worker`` (WEBHOOK_DISPATCHER=off).
    webhooks = Dispatcher.from_settings(database, settings)
    database.add_commit_hook(subscriptions.outbox_hook(webhooks.wake))
    operator_select.configure(
        allow_private=settings.webhook_allow_private_targets, origin=settings.webhook_origin
    )
    # Activities are written in the transaction of the change they record (§5.18).
    database.add_commit_hook(activities.record)
    database.add_commit_hook(triggers.seed_new_projects)  # system triggers (§5.29)
    scheduler = Scheduler(database, settings)  # §8.3 (SCHEDULER=off: in ``tessera worker``)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        mailer.announce()
        statistics = asyncio.create_task(database.keep_statistics_fresh())
        checkpoints = asyncio.create_task(database.checkpoint_in_background())
        await hub.start()
        if settings.webhook_dispatcher == "in_process":
            await webhooks.start()
        if settings.scheduler == "in_process":
            await scheduler.start()
        _settle_garbage_collector()
        yield
        await faq_bot.idle()  # answers waiting on a bot's NLU or webhook (bounded by timeouts)
        await scheduler.stop()
        await notifier.close()
        await webhooks.stop()
        await hub.stop()
        statistics.cancel()
        checkpoints.cancel()
        if limiter is not None:
            await limiter.close()
        database.close()

    app = FastAPI(
        title="Tessera",
        version=__version__,
        summary="A live-chat and helpdesk server that speaks the Tiledesk REST API.",
        default_response_class=JSONResponse,
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.db = database
    app.state.mailer = mailer
    app.state.context = Context.from_settings(settings, mailer)
    if isinstance(database.bus, LocalBus):  # triggers run after commit, where the write ran
        database.bus.subscribe(TriggerRunner(database, app.state.context))
    app.state.verified_passwords = VerifiedPasswords(settings.basic_auth_cache_seconds)
    app.state.verified_tokens = VerifiedTokens()
    app.state.rate_limiter = limiter
    app.state.hub = hub
    app.state.webhooks = webhooks
    app.state.scheduler = scheduler
    app.state.notifier = notifier
    app.state.faq_bot = faq_bot

    error_handlers.install(app, unmatched_route)
    for router in api.ROOT:
        app.include_router(router)
    docs.install(app)
    families = _mount_families(app)
    app.openapi = lambda: _merged_openapi(app, families)  # type: ignore[method-assign]

    # Added innermost first: a request meets Cors, then path normalisation, then the rate
    # limit, then the body checks.
    app.add_middleware(
        BodyGuard, limit=settings.json_body_limit, upload_limit=settings.max_upload_file_size
    )
    if limiter is not None:
        app.add_middleware(
            RateLimit,
            limiter=limiter,
            trusted_proxies=settings.trusted_proxies,
            exempt_paths=_UNLIMITED_PATHS,
        )
    app.add_middleware(PathNormalizer)
    app.add_middleware(Cors)
    return app


def _operation_id(route: APIRoute) -> str:
    return route.name


def _family(routers: list[APIRouter], *, project_check: bool) -> APIRouter:
    """The routes of one URL family. Called directly as an ASGI app by the dispatcher, so it
    runs inside the shell's middlewares and error handlers (no stack of its own)."""
    family = APIRouter(
        default_response_class=JSONResponse, generate_unique_id_function=_operation_id
    )
    dependencies = [Depends(current_project)] if project_check else []
    for router in routers:
        family.include_router(router, dependencies=dependencies)
    return family


def _mount_families(shell: FastAPI) -> list[APIRouter]:
    top = {name: _family(routers, project_check=False) for name, routers in api.TOP_LEVEL.items()}
    scoped = {
        name: _family(routers, project_check=True) for name, routers in api.PROJECT_SCOPED.items()
    }
    unknown = _family([], project_check=False)
    project_dispatch = SegmentDispatcher(dict(scoped), unknown, index=1)
    shell.mount("", SegmentDispatcher(dict(top), project_dispatch, index=0))
    return [*top.values(), *scoped.values()]


def _merged_openapi(shell: FastAPI, families: list[APIRouter]) -> dict[str, Any]:
    """One document for the shell and every family (cached, like FastAPI's own)."""
    if shell.openapi_schema is None:
        document = get_openapi(
            title=shell.title,
            version=shell.version,
            summary=shell.summary,
            routes=[*shell.routes, *(route for family in families for route in family.routes)],
        )
        shell.openapi_schema = document
    return shell.openapi_schema


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory`` (and ``tessera serve``)."""
    return create_app()


def _settle_garbage_collector() -> None:
    """Once started, what start-up allocated (modules, routes, settings) moves out of the
    collector's sight for good: full collections then scan only what requests made, and
    a request no longer waits behind a long one now and then."""
    gc.collect()
    gc.freeze()
