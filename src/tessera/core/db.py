"""Storage: table metadata, column types, the engine and the unit of work.

How units of work run was decided by measurement (DESIGN.md "Measured facts", README
"Storage"): SQLite executes each unit of work inline on the event loop over one connection,
so writes are serialized by the loop itself (``BEGIN IMMEDIATE``, WAL, ``synchronous=NORMAL``)
and no statement pays a thread hop; PostgreSQL executes each unit of work in a worker thread
with a pooled connection, so network round trips never block the loop. Services are plain
synchronous functions ``fn(tx, ...)`` either way; they never commit.
"""

import asyncio
import functools
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar

import anyio
import orjson
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Dialect,
    Engine,
    Executable,
    MetaData,
    Select,
    String,
    Table,
    bindparam,
    event,
    select,
    text,
)
from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.dml import ReturningInsert, ReturningUpdate

from tessera.core.clock import now_ms
from tessera.core.events import DomainEvent, EventBus, LocalBus

log = logging.getLogger("tessera.db")

P = ParamSpec("P")
T = TypeVar("T")

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# Free-form Tiledesk objects (attributes, settings, snapshot...): JSONB on PostgreSQL.
JsonType = JSON().with_variant(JSONB(), "postgresql")


def id_column() -> Column[str]:
    """The ``_id``: a 24-hex ObjectId string."""
    return Column("id", String(24), primary_key=True)


def timestamp_columns() -> tuple[Column[int], Column[int]]:
    """``createdAt`` / ``updatedAt`` as epoch milliseconds (exact, sortable, same on both DBs)."""
    return (
        Column("created_at", BigInteger, nullable=False),
        Column("updated_at", BigInteger, nullable=False),
    )


def json_column(name: str, **kwargs: Any) -> Column[Any]:
    return Column(name, JsonType, **kwargs)


class Record(dict[str, Any]):
    """A row read by ``FastQuery``: a dict whose columns also read as attributes, like
    SQLAlchemy's ``Row`` (``record.id``, ``record._mapping``)."""

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def _mapping(self) -> "Record":
        return self


@dataclass(frozen=True, slots=True)
class _Compiled:
    sql: str
    positional: tuple[str, ...] | None
    defaults: dict[str, Any]
    binders: dict[str, Callable[[Any], Any]]
    names: tuple[str, ...]
    processed: tuple[tuple[str, Callable[[Any], Any]], ...]
    """The columns whose values need a result processor (JSON, booleans on SQLite...)."""


class FastQuery:
    """A statement compiled once per dialect and run on the driver's own cursor: a SELECT,
    or an INSERT/UPDATE with RETURNING.

    SQLAlchemy spends ~40 µs per execution on cache keys and execution contexts; the few
    statements every request makes (who calls, which project, which membership, a message's
    INSERT) skip that. Parameters pass through SQLAlchemy's bind processors (JSON is
    serialized) except ``None``, which is SQL NULL; values come back through its result
    processors, exactly as ``conn.execute`` returns them.
    """

    def __init__(
        self, statement: Select[Any] | ReturningInsert[Any] | ReturningUpdate[Any]
    ) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def first(self, tx: "Tx", **params: Any) -> Record | None:
        compiled, cursor = self._cursor(tx, params)
        row = cursor.fetchone()
        return _record(compiled, row) if row is not None else None

    def all(self, tx: "Tx", **params: Any) -> list[Record]:
        compiled, cursor = self._cursor(tx, params)
        return [_record(compiled, row) for row in cursor.fetchall()]

    def _cursor(self, tx: "Tx", params: dict[str, Any]) -> tuple[_Compiled, Any]:
        compiled = self._compiled(tx.conn.dialect)
        values = {**compiled.defaults, **params}
        for name, bind in compiled.binders.items():
            if values[name] is not None:
                values[name] = bind(values[name])
        arguments: Any = (
            tuple(values[name] for name in compiled.positional)
            if compiled.positional is not None
            else values
        )
        conn = tx.conn
        if conn._has_events:
            # Listeners of the engine's statements (the tests that count a route's statements)
            # see these too; without any, this costs one attribute read.
            conn.dispatch.before_cursor_execute(conn, None, compiled.sql, arguments, None, False)
        return compiled, conn.connection.driver_connection.execute(compiled.sql, arguments)  # type: ignore[union-attr]

    def _compiled(self, dialect: Dialect) -> _Compiled:
        found = self._by_dialect.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(dialect=dialect)
            columns = list(self.statement.exported_columns)
            binders = {
                name: bind.type._cached_bind_processor(dialect)
                for name, bind in compiled.binds.items()
            }
            found = _Compiled(
                sql=compiled.string,
                positional=tuple(compiled.positiontup or ()) if compiled.positional else None,
                defaults=dict(compiled.construct_params(_check=False)),
                binders={name: bind for name, bind in binders.items() if bind is not None},
                names=tuple(str(column.key) for column in columns),
                processed=tuple(
                    (str(column.key), processor)
                    for column in columns
                    if (processor := column.type._cached_result_processor(dialect, None))
                    is not None
                ),
            )
            self._by_dialect[dialect.name] = found
        return found


def _record(compiled: _Compiled, row: Sequence[Any]) -> Record:
    record = Record(zip(compiled.names, row, strict=True))
    for name, process in compiled.processed:
        value = record[name]
        if value is not None:
            record[name] = process(value)
    return record


class Tx:
    """One unit of work: a connection inside a transaction, its clock reading and its events."""

    __slots__ = ("_after_commit", "conn", "events", "now")

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.now = now_ms()
        self.events: list[DomainEvent] = []
        self._after_commit: list[Callable[[], object]] = []

    def first(self, statement: Executable) -> Record | None:
        """The first row of ``statement`` as a ``Record``, or None."""
        row = self.conn.execute(statement).first()
        return Record(row._mapping) if row is not None else None

    def one(self, statement: Executable) -> Record:
        return Record(self.conn.execute(statement).one()._mapping)

    def all(self, statement: Executable) -> list[Record]:
        return [Record(row._mapping) for row in self.conn.execute(statement)]

    def emit(self, name: str, project_id: str | None, payload: dict[str, Any]) -> None:
        self.events.append(DomainEvent(name, project_id, payload))

    def after_commit(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the transaction has committed (never after a rollback)."""
        self._after_commit.append(callback)

    def run_after_commit(self) -> None:
        for callback in self._after_commit:
            try:
                callback()
            except Exception:
                log.exception("after-commit callback failed")


def ping(tx: Tx) -> None:
    """A round trip to the database (readiness probe)."""
    tx.conn.execute(text("SELECT 1"))


def create_engine(url: str, *, pool_size: int = 10) -> Engine:
    """An engine for ``url`` with Tessera's connection settings (see the module docstring)."""
    json_options = {
        "json_serializer": lambda value: orjson.dumps(value).decode(),
        "json_deserializer": orjson.loads,
    }
    if is_sqlite(url):
        _ensure_sqlite_directory(url)
        engine = sa_create_engine(
            url,
            poolclass=StaticPool,
            connect_args={"check_same_thread": False},
            **json_options,
        )
        _configure_sqlite(engine)
        return engine
    return sa_create_engine(
        url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True, **json_options
    )


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def _ensure_sqlite_directory(url: str) -> None:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy's documented fix: let the driver stay in autocommit and emit BEGIN
        # ourselves, so SAVEPOINTs work and write transactions can take the lock up front.
        dbapi_connection.isolation_level = None
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "busy_timeout=10000",
            "foreign_keys=ON",
            # A big database's hot pages (indexes of a 100 000-conversation project) stay in
            # memory: 32 MiB of page cache per connection instead of 2 MiB, and reads mapped
            # from the OS cache instead of copied by read(2).
            f"cache_size=-{SQLITE_CACHE_KIB}",
            f"mmap_size={SQLITE_MMAP_BYTES}",
            "temp_store=MEMORY",
            # Checkpoints run off the event loop (``Database.checkpoint_in_background``);
            # this bound only stops the WAL growing without end when nothing runs them.
            f"wal_autocheckpoint={AUTOCHECKPOINT_PAGES}",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def on_begin(conn: Connection) -> None:
        # IMMEDIATE takes the write lock at BEGIN: a writer never fails half-way on
        # SQLITE_BUSY when another process wrote since our snapshot.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.info.get("write") else "BEGIN")


AUTOCHECKPOINT_PAGES = 50_000  # ~200 MB of WAL
SQLITE_CACHE_KIB = 32 * 1024
SQLITE_MMAP_BYTES = 256 * 1024 * 1024

CommitHook = Callable[[Tx, Sequence[DomainEvent]], None]
"""Called inside a write's transaction with the events it emitted (``Database.add_commit_hook``)."""


def project_rows_by_id(
    tx: Tx, table: Table, project_id: str, ids: Iterable[str]
) -> dict[str, Record]:
    """The rows of ``table`` among ``ids`` that belong to ``project_id``, by id.

    The project is checked on the rows rather than in SQL: with ``project_id = ?`` in the
    WHERE clause and no statistics, SQLite's planner guesses the project index is the
    selective one and scans a whole project instead of looking 40 ids up by primary key.
    One id (a single conversation's lead, department...) takes the ``FastQuery`` path."""
    rows = rows_by_id(tx, table, ids)
    return {row_id: row for row_id, row in rows.items() if row.project_id == project_id}


def rows_by_id(tx: Tx, table: Table, ids: Iterable[str]) -> dict[str, Record]:
    """The rows of ``table`` among ``ids``, by id; one id takes the ``FastQuery`` path."""
    wanted = {value for value in ids if value}
    if not wanted:
        return {}
    if len(wanted) == 1:
        found = _by_primary_key(table).first(tx, id=next(iter(wanted)))
        rows = [found] if found is not None else []
    else:
        rows = tx.all(select(table).where(table.c.id.in_(wanted)))
    return {row.id: row for row in rows}


@functools.cache
def _by_primary_key(table: Table) -> FastQuery:
    return FastQuery(select(table).where(table.c.id == bindparam("id")))


class Database:
    """Runs units of work: ``await db.write(service_fn, *args)`` / ``await db.read(...)``.

    A write commits, then hands the events it emitted to the bus and runs its
    after-commit callbacks; a unit of work that raises is rolled back and emits nothing.
    """

    def __init__(self, url: str, *, bus: EventBus | None = None, pool_size: int = 10) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size=pool_size)
        self.bus: EventBus = bus or LocalBus()
        self.inline = is_sqlite(url)
        self._inline_conn: Connection | None = None
        self._limiter = anyio.CapacityLimiter(pool_size)
        self._pid = os.getpid()
        self._commit_hooks: list[CommitHook] = []

    def add_commit_hook(self, hook: CommitHook) -> None:
        """Run ``hook(tx, events)`` inside every write that emitted events, just before its
        COMMIT: what the hook writes (the webhook outbox) commits or rolls back with the data."""
        self._commit_hooks.append(hook)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def read(
        self, fn: Callable[Concatenate[Tx, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        result, _tx = await self._run(functools.partial(fn, **kwargs), args, write=False)
        return result

    async def write(
        self, fn: Callable[Concatenate[Tx, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        result, tx = await self._run(functools.partial(fn, **kwargs), args, write=True)
        await self.bus.publish(tx.events)
        tx.run_after_commit()
        return result

    async def lookup(
        self, fn: Callable[Concatenate[Tx, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """A read made of ``FastQuery`` statements only (the lookups of every request).

        On SQLite it skips the transaction bookkeeping: the driver runs in autocommit, and one
        statement is atomic on its own. Anything that opens a transaction is a programming
        error here, rolled back and reported."""
        if not self.inline:
            return await self.read(fn, *args, **kwargs)
        conn = self._connection()
        result = fn(Tx(conn), *args, **kwargs)
        if conn.in_transaction():
            conn.rollback()
            raise RuntimeError(f"{fn!r} is not a FastQuery lookup: use Database.read")
        return result

    def run_sync(self, fn: Callable[Concatenate[Tx, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """A write outside the event loop (command line, start-up). Events are not published."""
        result, tx = self._execute(functools.partial(fn, **kwargs), args, True)
        tx.run_after_commit()
        return result

    async def _run(
        self, fn: Callable[..., T], args: tuple[Any, ...], *, write: bool
    ) -> tuple[T, Tx]:
        if self.inline:
            return self._execute(fn, args, write)
        return await anyio.to_thread.run_sync(self._execute, fn, args, write, limiter=self._limiter)

    def _execute(self, fn: Callable[..., T], args: tuple[Any, ...], write: bool) -> tuple[T, Tx]:
        if self.inline:
            return self._in_transaction(self._connection(), fn, args, write)
        with self.engine.connect() as conn:
            return self._in_transaction(conn, fn, args, write)

    def _in_transaction(
        self, conn: Connection, fn: Callable[..., T], args: tuple[Any, ...], write: bool
    ) -> tuple[T, Tx]:
        conn.info["write"] = write
        with conn.begin():
            tx = Tx(conn)
            result = fn(tx, *args)
            if write and tx.events:
                for hook in self._commit_hooks:
                    hook(tx, tx.events)
        return result, tx

    def _connection(self) -> Connection:
        if self._inline_conn is None or self._pid != os.getpid():
            self._inline_conn = self.engine.connect()
            self._pid = os.getpid()
        return self._inline_conn

    def close(self) -> None:
        if self._inline_conn is not None:
            self._inline_conn.close()
            self._inline_conn = None
        self.engine.dispose()

    async def keep_statistics_fresh(self, interval_seconds: float = 3600) -> None:
        """SQLite's planner needs statistics to tell a selective index from a whole
        project (without them it assumes any equality picks ten rows): gather them now and
        every ``interval_seconds``. Sampled (``analysis_limit``), it takes milliseconds even
        on gigabytes. PostgreSQL's autovacuum does this by itself."""
        if self.dialect != "sqlite":
            return
        while True:
            try:
                await self.write(_analyze)
            except OperationalError:
                log.warning("gathering SQLite statistics failed; retrying later", exc_info=True)
            await asyncio.sleep(interval_seconds)

    async def checkpoint_in_background(self, interval_seconds: float = 1.0) -> None:
        """Copy the SQLite WAL back into the database every ``interval_seconds``, in a
        thread on a connection of its own. SQLite's automatic checkpoint would run inside
        whichever commit crosses the threshold, on the event loop, with an fsync: tens to
        hundreds of milliseconds during which no request moves. PASSIVE never waits for
        readers or writers (other workers run theirs too; that is harmless)."""
        if self.dialect != "sqlite":
            return
        database = make_url(self.url).database
        if not database or database == ":memory:":
            return
        connection = await anyio.to_thread.run_sync(_checkpoint_connection, database)
        try:
            while True:
                await asyncio.sleep(interval_seconds)
                try:
                    await anyio.to_thread.run_sync(_checkpoint, connection)
                except sqlite3.Error:
                    log.warning("SQLite checkpoint failed; retrying later", exc_info=True)
        finally:
            connection.close()


def _checkpoint_connection(database: str) -> sqlite3.Connection:
    connection = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
    connection.execute("PRAGMA busy_timeout=1000")
    return connection


def _checkpoint(connection: sqlite3.Connection) -> None:
    connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _analyze(tx: Tx) -> None:
    tx.conn.exec_driver_sql("PRAGMA analysis_limit=1000")
    tx.conn.exec_driver_sql("ANALYZE")


class JsonArrayContains(ColumnElement[bool]):
    """``<JSON array column>`` contains the string ``value``, compiled for each database."""

    inherit_cache = True
    type = Boolean()

    def __init__(self, column: ColumnElement[Any], value: str) -> None:
        self.column = column
        self.value = bindparam(None, value, type_=String())


@compiles(JsonArrayContains, "sqlite")
def _json_array_contains_sqlite(element: JsonArrayContains, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    value = compiler.process(element.value, **kw)
    # Both parts are compiled SQL (a column and a bound parameter), never client text.
    return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = {value})"  # noqa: S608


@compiles(JsonArrayContains, "postgresql")
def _json_array_contains_postgresql(element: JsonArrayContains, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    value = compiler.process(element.value, **kw)
    return f"({column} @> to_jsonb(CAST({value} AS TEXT)))"


def _json_path(keys: tuple[str, ...]) -> str:
    """SQLite's JSON path for ``keys`` (``$."a"."b"``); keys are names chosen by the code."""
    return "$" + "".join(f'."{key}"' for key in keys)


class _JsonPath(ColumnElement[Any]):
    """Base of the constructs that read one value inside a JSON column, at a path of keys."""

    inherit_cache = True

    def __init__(self, column: ColumnElement[Any], keys: tuple[str, ...]) -> None:
        self.column = column
        self.path = bindparam(None, _json_path(keys), type_=String())
        self.keys = tuple(bindparam(None, key, type_=String()) for key in keys)

    def _sqlite_args(self, compiler: Any, **kw: Any) -> str:
        return f"{compiler.process(self.column, **kw)}, {compiler.process(self.path, **kw)}"

    def _postgresql_args(self, compiler: Any, **kw: Any) -> str:
        keys = ", ".join(compiler.process(key, **kw) for key in self.keys)
        return f"{compiler.process(self.column, **kw)}, {keys}"


class JsonPathText(_JsonPath):
    """The value at ``keys`` inside a JSON column as text (NULL when absent), to compare
    with ``LIKE``/``IN`` and friends."""

    inherit_cache = True
    type = String()


@compiles(JsonPathText, "sqlite")
def _json_path_text_sqlite(element: JsonPathText, compiler: Any, **kw: Any) -> str:
    return f"json_extract({element._sqlite_args(compiler, **kw)})"


@compiles(JsonPathText, "postgresql")
def _json_path_text_postgresql(element: JsonPathText, compiler: Any, **kw: Any) -> str:
    return f"jsonb_extract_path_text({element._postgresql_args(compiler, **kw)})"


class JsonPathExists(_JsonPath):
    """A value (even JSON ``null``) is present at ``keys``: MongoDB's ``$exists: true``."""

    inherit_cache = True
    type = Boolean()


@compiles(JsonPathExists, "sqlite")
def _json_path_exists_sqlite(element: JsonPathExists, compiler: Any, **kw: Any) -> str:
    return f"(json_type({element._sqlite_args(compiler, **kw)}) IS NOT NULL)"


@compiles(JsonPathExists, "postgresql")
def _json_path_exists_postgresql(element: JsonPathExists, compiler: Any, **kw: Any) -> str:
    return f"(jsonb_extract_path({element._postgresql_args(compiler, **kw)}) IS NOT NULL)"


class JsonPathEquals(_JsonPath):
    """The value at ``keys`` is exactly the JSON string or boolean ``value`` (no casts: a
    string ``"true"`` never equals ``true``, and a stray value never makes the query fail)."""

    inherit_cache = True
    type = Boolean()

    def __init__(
        self, column: ColumnElement[Any], keys: tuple[str, ...], value: str | bool
    ) -> None:
        super().__init__(column, keys)
        self.is_boolean = isinstance(value, bool)
        self.value = bindparam(None, value, type_=Boolean() if self.is_boolean else String())


@compiles(JsonPathEquals, "sqlite")
def _json_path_equals_sqlite(element: JsonPathEquals, compiler: Any, **kw: Any) -> str:
    args = element._sqlite_args(compiler, **kw)
    value = compiler.process(element.value, **kw)
    if element.is_boolean:
        return f"(json_type({args}) = CASE WHEN {value} THEN 'true' ELSE 'false' END)"
    return f"(json_type({args}) = 'text' AND json_extract({args}) = {value})"


@compiles(JsonPathEquals, "postgresql")
def _json_path_equals_postgresql(element: JsonPathEquals, compiler: Any, **kw: Any) -> str:
    value = compiler.process(element.value, **kw)
    cast = "BOOLEAN" if element.is_boolean else "TEXT"
    return (
        f"(jsonb_extract_path({element._postgresql_args(compiler, **kw)})"
        f" = to_jsonb(CAST({value} AS {cast})))"
    )


class JsonArrayHasObject(ColumnElement[bool]):
    """``<JSON array of objects>`` has an element whose ``key`` is the string ``value``
    (MongoDB's ``"tags.tag": value``)."""

    inherit_cache = True
    type = Boolean()

    def __init__(self, column: ColumnElement[Any], key: str, value: str) -> None:
        self.column = column
        self.field = bindparam(None, key, type_=String())
        self.path = bindparam(None, _json_path((key,)), type_=String())
        self.value = bindparam(None, value, type_=String())


@compiles(JsonArrayHasObject, "sqlite")
def _json_array_has_object_sqlite(element: JsonArrayHasObject, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    path = compiler.process(element.path, **kw)
    value = compiler.process(element.value, **kw)
    # Compiled SQL parts only (a column and bound parameters), never client text.
    return (
        f"EXISTS (SELECT 1 FROM json_each({column}) "  # noqa: S608
        f"WHERE json_each.type = 'object' AND json_extract(json_each.value, {path}) = {value})"
    )


@compiles(JsonArrayHasObject, "postgresql")
def _json_array_has_object_postgresql(element: JsonArrayHasObject, compiler: Any, **kw: Any) -> str:
    column = compiler.process(element.column, **kw)
    field = compiler.process(element.field, **kw)
    value = compiler.process(element.value, **kw)
    return (
        f"({column} @> jsonb_build_array(jsonb_build_object(CAST({field} AS TEXT), "
        f"CAST({value} AS TEXT))))"
    )
