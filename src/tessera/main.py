"""The application factory. Wiring only: settings, storage, middlewares, routes."""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

from tessera import __version__, docs
from tessera.api import include_routers
from tessera.auth.passwords import VerifiedPasswords
from tessera.auth.tokens import VerifiedTokens
from tessera.config import Settings, get_settings
from tessera.context import Context
from tessera.core import error_handlers
from tessera.core.db import Database
from tessera.core.http import BodyGuard, Cors, PathNormalizer
from tessera.core.ratelimit import RateLimit, RateLimiter
from tessera.core.responses import JSONResponse
from tessera.projects.dependencies import unmatched_route

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

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        mailer.announce()
        yield
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
    app.state.verified_passwords = VerifiedPasswords(settings.basic_auth_cache_seconds)
    app.state.verified_tokens = VerifiedTokens()
    app.state.rate_limiter = limiter

    error_handlers.install(app, unmatched_route)
    include_routers(app)
    docs.install(app)

    # Added innermost first: a request meets Cors, then path normalisation, then the rate
    # limit, then the body checks.
    app.add_middleware(BodyGuard, limit=settings.json_body_limit)
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


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory`` (and ``tessera serve``)."""
    return create_app()
