"""MongoDB-style ObjectId strings (24 lowercase hex), generated in-process.

Layout as in MongoDB: 4 bytes of seconds since the epoch, 5 random bytes chosen once per
process, a 3-byte counter starting at a random value. Ids sort roughly by creation time.
"""

import itertools
import os
import re
import secrets
import threading
import time
import uuid

_OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
_lock = threading.Lock()
_process_bytes = b""
_process_pid = -1
_counter = itertools.count(secrets.randbelow(0xFFFFFF))


def new_id() -> str:
    """A fresh ObjectId hex string."""
    global _process_bytes, _process_pid
    with _lock:
        if _process_pid != os.getpid():  # forked workers must not share the random part
            _process_bytes = secrets.token_bytes(5)
            _process_pid = os.getpid()
        count = next(_counter) & 0xFFFFFF
        random_part = _process_bytes
    return (int(time.time()).to_bytes(4, "big") + random_part + count.to_bytes(3, "big")).hex()


def is_object_id(value: object) -> bool:
    """True for a 24-hex string (upper-case hex is accepted, as mongoose does)."""
    return isinstance(value, str) and _OBJECT_ID.match(value.lower()) is not None


def new_uuid() -> str:
    """A UUID v4 with dashes: guest ids, secrets, jti claims."""
    return str(uuid.uuid4())
