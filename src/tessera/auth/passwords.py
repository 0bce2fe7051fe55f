"""Password hashing: bcrypt, compatible with Tiledesk's ``$2a$`` hashes (cost 10 by default)."""

import hashlib
import hmac
import threading
import time

import bcrypt


def hash_password(password: str, rounds: int) -> str:
    return bcrypt.hashpw(_encode(password), bcrypt.gensalt(rounds=rounds)).decode()


def verify_password(password: str, hashed: str) -> bool:
    """Check ``password`` against a ``$2a$``/``$2b$``/``$2y$`` hash; a malformed hash is False."""
    try:
        return bcrypt.checkpw(_encode(password), hashed.encode())
    except ValueError:
        return False


def _encode(password: str) -> bytes:
    # bcrypt reads at most 72 bytes; bcrypt 5 refuses longer input instead of truncating it.
    return password.encode("utf-8")[:72]


class VerifiedPasswords:
    """Remembers recent successful Basic-auth checks so a request does not pay for bcrypt.

    An entry is keyed by the e-mail and a keyed digest of the password, and remembers the
    stored hash it was checked against: when the password changes, the stored hash changes
    and the entry no longer matches, in every worker, without any invalidation message.
    """

    def __init__(self, ttl_seconds: float, max_entries: int = 10_000) -> None:
        self._ttl = ttl_seconds
        self._max = max_entries
        self._key = hashlib.sha256(str(time.time_ns()).encode()).digest()
        self._entries: dict[tuple[str, bytes], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def matches(self, email: str, password: str, stored_hash: str) -> bool:
        """True when ``password`` is known to verify against ``stored_hash``."""
        key = (email, self._digest(password))
        with self._lock:
            entry = self._entries.get(key)
        if entry is None:
            return False
        remembered_hash, expires_at = entry
        return remembered_hash == stored_hash and time.monotonic() < expires_at

    def remember(self, email: str, password: str, stored_hash: str) -> None:
        if self._ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= self._max:
                self._entries.clear()
            self._entries[(email, self._digest(password))] = (
                stored_hash,
                time.monotonic() + self._ttl,
            )

    def _digest(self, password: str) -> bytes:
        return hmac.new(self._key, password.encode(), hashlib.sha256).digest()
