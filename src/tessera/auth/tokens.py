"""JSON Web Tokens as Tiledesk issues and reads them. The only module that imports ``jwt``."""

import time
import warnings
from collections.abc import Mapping
from typing import Any

import jwt
from jwt.warnings import InsecureKeyLengthWarning

from tessera.core.ids import new_uuid

# Tiledesk deployments sign with short secrets (its default is 14 bytes); compatibility means
# accepting them. The operator is warned once at start-up instead (config.Settings).
warnings.filterwarnings("ignore", category=InsecureKeyLengthWarning)

ISSUER = "https://tiledesk.com"
GLOBAL_AUDIENCE = "https://tiledesk.com"
HMAC_ALGORITHMS = ["HS256", "HS384", "HS512"]


class InvalidToken(Exception):
    """The token is malformed, badly signed or expired."""


def sign(
    claims: Mapping[str, Any],
    key: str,
    *,
    subject: str,
    audience: str = GLOBAL_AUDIENCE,
    algorithm: str = "HS256",
    with_jti: bool = True,
) -> str:
    """A token with ``claims`` plus ``iat``, ``aud``, ``iss``, ``sub`` (and ``jti``), as §3.2."""
    payload: dict[str, Any] = dict(claims)
    payload.pop("password", None)
    payload["iat"] = _now_seconds()
    payload["aud"] = audience
    payload["iss"] = ISSUER
    payload["sub"] = subject
    if with_jti:
        payload["jti"] = new_uuid()
    return jwt.encode(payload, key, algorithm=algorithm)


def sign_raw(claims: Mapping[str, Any], key: str, *, expires_in: int) -> str:
    """A token of exactly ``claims`` plus ``iat``/``exp`` (the custom-JWT test helper)."""
    payload: dict[str, Any] = dict(claims)
    now = _now_seconds()
    payload.setdefault("iat", now)
    payload["exp"] = now + expires_in
    return jwt.encode(payload, key, algorithm="HS256")


def unverified_claims(token: str) -> dict[str, Any]:
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from None
    if not isinstance(claims, dict):
        raise InvalidToken("claims are not an object")
    return claims


def verify(token: str, key: str, algorithms: list[str]) -> dict[str, Any]:
    """Check the signature and, when present, ``exp``/``nbf``. Audience and issuer are not
    checked beyond key selection, as in Tiledesk (§3.3)."""
    try:
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=algorithms,
            options={"verify_aud": False, "verify_iss": False},
        )
    except jwt.PyJWTError as error:
        raise InvalidToken(str(error)) from None
    return claims


class VerifiedTokens:
    """Recently verified global-secret tokens and their claims, so that an agent's repeated
    requests skip signature checks. A token's own ``exp`` is still enforced on every hit;
    tokens signed with project, bot or subscription secrets are never cached (those secrets
    can be rotated)."""

    def __init__(self, max_entries: int = 20_000) -> None:
        self._max = max_entries
        self._claims: dict[str, dict[str, Any]] = {}

    def get(self, token: str) -> dict[str, Any] | None:
        claims = self._claims.get(token)
        if claims is not None and "exp" in claims and claims["exp"] <= time.time():
            self._claims.pop(token, None)
            return None
        return claims

    def remember(self, token: str, claims: dict[str, Any]) -> None:
        if len(self._claims) >= self._max:
            self._claims.clear()
        self._claims[token] = claims


def strip_scheme(value: str) -> str:
    """``"JWT eyJ..."`` -> ``"eyJ..."``; a bare token is returned unchanged."""
    scheme, _, rest = value.strip().partition(" ")
    return rest.strip() if rest and scheme.lower() == "jwt" else value.strip()


def _now_seconds() -> int:
    return int(time.time())
