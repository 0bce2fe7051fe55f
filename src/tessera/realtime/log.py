"""The push log: every realtime push gets an id, is kept for a bounded window (so that a
client reconnecting with the last id it saw can catch up), and reaches every worker.

In one process a ring buffer does it all. With Redis, a stream does: ``XADD`` gives ids that
grow monotonically across workers and hosts, ``MAXLEN`` bounds the window, each worker
follows the stream with ``XREAD`` and ``XRANGE`` serves the catch-up.
"""

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import orjson
from redis.asyncio import Redis
from redis.exceptions import RedisError

log = logging.getLogger("tessera.realtime")

Entry = dict[str, object]
Listener = Callable[[str, Entry], Awaitable[None]]

DEFAULT_WINDOW = 10_000
STREAM_KEY = "tessera:realtime"


class PushLog(Protocol):
    async def append(self, entry: Entry) -> None: ...

    async def since(self, last_id: str) -> list[tuple[str, Entry]] | None:
        """The entries after ``last_id``, oldest first; None when the window no longer
        reaches back to it (the caller then starts from a snapshot)."""

    async def start(self, listener: Listener) -> None: ...

    async def stop(self) -> None: ...


class MemoryLog:
    """One process: a ring buffer; ids are decimal strings of a counter.

    Entries are kept serialized: a window of 10 000 pushes as live documents is a few hundred
    thousand dicts and lists that every full garbage collection walks (pauses of ~100 ms
    under load); as bytes it is 10 000 objects the collector does not track."""

    def __init__(self, window: int = DEFAULT_WINDOW) -> None:
        self._entries: deque[tuple[int, bytes]] = deque(maxlen=window)
        self._counter = 0
        self._listener: Listener | None = None

    async def append(self, entry: Entry) -> None:
        self._counter += 1
        self._entries.append((self._counter, orjson.dumps(entry)))
        if self._listener is not None:
            await self._listener(str(self._counter), entry)

    async def since(self, last_id: str) -> list[tuple[str, Entry]] | None:
        try:
            last = int(last_id)
        except ValueError:
            return None
        if last > self._counter:
            return None
        oldest = self._entries[0][0] if self._entries else self._counter + 1
        if last < oldest - 1:
            return None
        return [
            (str(number), orjson.loads(entry)) for number, entry in self._entries if number > last
        ]

    async def start(self, listener: Listener) -> None:
        self._listener = listener

    async def stop(self) -> None:
        self._listener = None


class RedisLog:
    """Several workers or hosts: a Redis stream shared by all of them."""

    def __init__(self, url: str, window: int = DEFAULT_WINDOW, key: str = STREAM_KEY) -> None:
        # redis-py types stream replies as unions of every reply shape; these are bytes.
        self._redis: Any = Redis.from_url(url)
        self._window = window
        self._key = key
        self._reader: asyncio.Task[None] | None = None

    async def append(self, entry: Entry) -> None:
        await self._redis.xadd(
            self._key, {"e": orjson.dumps(entry)}, maxlen=self._window, approximate=True
        )

    async def since(self, last_id: str) -> list[tuple[str, Entry]] | None:
        if not _is_stream_id(last_id):
            return None
        oldest = await self._redis.xrange(self._key, count=1)
        if not oldest or _stream_key(oldest[0][0].decode()) > _stream_key(last_id):
            # Trimmed past the client's position (or lost with Redis): pushes it missed
            # may be gone, so it starts again from a snapshot.
            return None
        rows = await self._redis.xrange(self._key, min=f"({last_id}", count=self._window)
        return [(raw_id.decode(), orjson.loads(fields[b"e"])) for raw_id, fields in rows]

    async def start(self, listener: Listener) -> None:
        last = await self._last_id()
        self._reader = asyncio.create_task(self._follow(listener, last))

    async def stop(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        await self._redis.aclose()

    async def _last_id(self) -> str:
        newest = await self._redis.xrevrange(self._key, count=1)
        return str(newest[0][0].decode()) if newest else "0-0"

    async def _follow(self, listener: Listener, last: str) -> None:
        while True:
            try:
                batches = await self._redis.xread({self._key: last}, block=5000, count=500)
            except RedisError:
                log.exception("reading the realtime stream failed; retrying")
                await asyncio.sleep(1)
                continue
            for _key, rows in batches:
                for raw_id, fields in rows:
                    last = raw_id.decode()
                    await _deliver(listener, last, orjson.loads(fields[b"e"]))


async def _deliver(listener: Listener, push_id: str, entry: Entry) -> None:
    try:
        await listener(push_id, entry)
    except Exception:  # one bad push must not stop the stream for everyone
        log.exception("delivering realtime push %s failed", push_id)


def _is_stream_id(value: str) -> bool:
    head, _, tail = value.partition("-")
    return head.isdigit() and tail.isdigit()


def _stream_key(value: str) -> tuple[int, int]:
    head, _, tail = value.partition("-")
    return int(head), int(tail or 0)


def open_log(redis_url: str | None, window: int = DEFAULT_WINDOW) -> PushLog:
    return RedisLog(redis_url, window) if redis_url else MemoryLog(window)
