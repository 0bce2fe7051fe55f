"""``Idempotency-Key``: a client retrying a creation gets the first answer, and nothing is
created twice (a Tessera addition, DESIGN.md "Beyond the original").

A key is scoped to a project and a caller. The first request with a key claims it (inserts
its row) in the same transaction as its effect and stores the response there: a failed
write rolls the claim back with everything else, so only a success is ever replayed. A
concurrent request with the same key blocks on the claimed row until the first commits
(PostgreSQL's unique index; SQLite serializes writers anyway), then replays its response.
The same key on a different request (method, path, query or body) is refused. Keys expire
after 24 hours; expired rows are purged a few at a time by later keyed writes.

Routers use it as a dependency::

    once = idempotency.scoped(member.project_id, member.caller.id, present=to_json)
    return await once.write(db, service.create_thing, member, body)
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Concatenate, Generic, ParamSpec, TypeVar, overload

import orjson
from fastapi import Depends, Header, Request
from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    delete,
    select,
    tuple_,
)
from sqlalchemy.dialects import postgresql, sqlite
from starlette.responses import Response

from tessera.core.db import Database, Tx, metadata
from tessera.core.errors import AppError, BadRequest
from tessera.core.responses import JSON_MEDIA_TYPE, JSONResponse

P = ParamSpec("P")
T = TypeVar("T")

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
TTL_MS = 24 * 60 * 60 * 1000
MAX_KEY = 255
_PURGE_BATCH = 100
_OK = 200

idempotency_keys = Table(
    "idempotency_keys",
    metadata,
    Column("project_id", String(24), nullable=False),
    Column("caller", String(300), nullable=False),
    Column("key", String(MAX_KEY), nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("status", Integer, nullable=False),
    # The response exactly as first sent (rendered JSON), so a replay is byte for byte.
    Column("body", Text, nullable=False),
    Column("created_at", BigInteger, nullable=False),
    PrimaryKeyConstraint("project_id", "caller", "key"),
    Index("ix_idempotency_keys_created", "created_at"),
)
"""Keys by project, caller and key. No foreign key to ``projects``: core knows no domain,
and a row is worthless after a day anyway."""


class IdempotencyKeyReused(AppError):
    status_code = 422


@dataclass(frozen=True, slots=True)
class _Stored:
    status: int
    body: str
    replayed: bool


@dataclass(frozen=True, slots=True)
class _Claim:
    project_id: str
    caller: str
    key: str
    fingerprint: str


class Idempotency:
    """The ``Idempotency-Key`` of the current request (or none) and the request's
    fingerprint."""

    def __init__(self, key: str | None, fingerprint: str) -> None:
        self.key = key
        self.fingerprint = fingerprint

    @overload
    def scoped(self, project_id: str, caller: str) -> "Once[Any]": ...

    @overload
    def scoped(self, project_id: str, caller: str, *, present: Callable[[T], Any]) -> "Once[T]": ...

    def scoped(
        self, project_id: str, caller: str, *, present: Callable[[Any], Any] | None = None
    ) -> "Once[Any]":
        """Keys of ``caller`` in ``project_id``; ``present`` turns the service's result
        into the JSON answered (and stored), the result itself when omitted."""
        claim = (
            _Claim(project_id, caller, self.key, self.fingerprint) if self.key is not None else None
        )
        return Once(claim, present or _same)


class Once(Generic[T]):
    """Runs one write at most once per key."""

    def __init__(self, claim: _Claim | None, present: Callable[[T], Any]) -> None:
        self._claim = claim
        self._present = present

    async def write(
        self, db: Database, fn: Callable[Concatenate[Tx, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> Response:
        """``db.write(fn, ...)`` answered as JSON; with a key, a replay when it was used."""
        if self._claim is None:
            return JSONResponse(self._present(await db.write(fn, *args, **kwargs)))

        def unit(tx: Tx) -> T:
            return fn(tx, *args, **kwargs)

        stored = await db.write(_once, self._claim, unit, self._present)
        headers = {REPLAYED_HEADER: "true"} if stored.replayed else None
        return Response(
            stored.body, status_code=stored.status, headers=headers, media_type=JSON_MEDIA_TYPE
        )


def _same(value: Any) -> Any:
    return value


def _once(tx: Tx, claim: _Claim, unit: Callable[[Tx], T], present: Callable[[T], Any]) -> _Stored:
    previous = _take(tx, claim)
    if previous is not None:
        return previous
    body = bytes(JSONResponse(present(unit(tx))).body).decode()
    tx.conn.execute(
        idempotency_keys.update().where(*_identity(claim)).values(status=_OK, body=body)
    )
    return _Stored(_OK, body, replayed=False)


def _take(tx: Tx, claim: _Claim) -> _Stored | None:
    """Claim the key, or answer the response stored under it. Expired rows go first: the
    caller's own key (so that it can be used anew), then a few others."""
    cutoff = tx.now - TTL_MS
    tx.conn.execute(
        delete(idempotency_keys).where(*_identity(claim), idempotency_keys.c.created_at < cutoff)
    )
    _purge(tx, cutoff)
    if _claimed(tx, claim):
        return None
    row = tx.one(
        select(
            idempotency_keys.c.fingerprint, idempotency_keys.c.status, idempotency_keys.c.body
        ).where(*_identity(claim))
    )
    if row.fingerprint != claim.fingerprint:
        raise IdempotencyKeyReused(f"{HEADER} reused with a different request")
    return _Stored(row.status, row.body, replayed=True)


def _claimed(tx: Tx, claim: _Claim) -> bool:
    """Insert the key's row unless it exists. On PostgreSQL this waits for a concurrent
    transaction holding the same key to finish. The status and body are placeholders until
    the effect is done, in this same transaction: no one else ever reads them."""
    dialect = postgresql if tx.conn.dialect.name == "postgresql" else sqlite
    values = {
        "project_id": claim.project_id,
        "caller": claim.caller,
        "key": claim.key,
        "fingerprint": claim.fingerprint,
        "status": 0,
        "body": "",
        "created_at": tx.now,
    }
    statement = dialect.insert(idempotency_keys).values(values).on_conflict_do_nothing()
    return tx.conn.execute(statement.returning(idempotency_keys.c.key)).first() is not None


def _identity(claim: _Claim) -> tuple[Any, ...]:
    return (
        idempotency_keys.c.project_id == claim.project_id,
        idempotency_keys.c.caller == claim.caller,
        idempotency_keys.c.key == claim.key,
    )


def _purge(tx: Tx, cutoff: int) -> None:
    """Delete a few expired keys of anyone; rows another transaction holds are skipped, so
    the purge never waits."""
    key = tuple_(idempotency_keys.c.project_id, idempotency_keys.c.caller, idempotency_keys.c.key)
    expired = (
        select(idempotency_keys.c.project_id, idempotency_keys.c.caller, idempotency_keys.c.key)
        .where(idempotency_keys.c.created_at < cutoff)
        .limit(_PURGE_BATCH)
        .with_for_update(skip_locked=True)
    )
    tx.conn.execute(delete(idempotency_keys).where(key.in_(expired)))


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests "the same": method, path, query and body (JSON compared by
    value, whatever its key order or spacing)."""
    try:
        canonical = orjson.dumps(orjson.loads(body), option=orjson.OPT_SORT_KEYS)
    except orjson.JSONDecodeError:
        canonical = body
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), canonical):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def _idempotency(
    request: Request, idempotency_key: Annotated[str | None, Header(alias=HEADER)] = None
) -> Idempotency:
    """The request's key; without one (or an empty one), nothing to hash."""
    if not idempotency_key:
        return Idempotency(None, "")
    if len(idempotency_key) > MAX_KEY:
        raise BadRequest(f"{HEADER} must be at most {MAX_KEY} characters")
    body = await request.body()
    signature = fingerprint(request.method, request.url.path, request.url.query, body)
    return Idempotency(idempotency_key, signature)


IdempotencyDep = Annotated[Idempotency, Depends(_idempotency)]
