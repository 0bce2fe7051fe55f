"""The raw floor of DESIGN.md ("Measured facts"): a bare ASGI app that parses a small JSON body
and INSERTs one row with the stdlib ``sqlite3`` (WAL, ``synchronous=NORMAL``), served by
uvicorn like Tessera. ``conversations_targets.py`` measures it in the same run as Tessera.

    FLOOR_DB=/tmp/floor.db uvicorn floor_app:app --loop uvloop --http httptools
"""

import json
import os
import sqlite3
import time
from typing import Any

_db = sqlite3.connect(os.environ.get("FLOOR_DB", "floor.db"), isolation_level=None)
_db.execute("PRAGMA journal_mode=WAL")
_db.execute("PRAGMA synchronous=NORMAL")
_db.execute("CREATE TABLE IF NOT EXISTS messages (id INTEGER PRIMARY KEY, text TEXT, at INTEGER)")


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    more = True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    text = json.loads(body or b"{}").get("text")
    cursor = _db.execute(
        "INSERT INTO messages (text, at) VALUES (?, ?)", (text, int(time.time() * 1000))
    )
    answer = json.dumps({"id": cursor.lastrowid, "text": text}).encode()
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": answer})
