"""Generating a project's custom-JWT secret, and checking or minting tokens signed with it."""

from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tessera.auth import tokens
from tessera.auth.principal import Member
from tessera.core.db import Tx
from tessera.core.errors import NotAuthenticated, NotFound
from tessera.core.ids import new_uuid
from tessera.projects import repository as projects

TEST_TOKEN_SECONDS = 300
MAX_TOKEN_SECONDS = 600


def new_key_pair() -> tuple[str, str]:
    """An RSA key pair in PEM (SPKI public, PKCS#1 private), as Tiledesk shows them.

    Tiledesk uses 256-bit keys; these are 2048-bit. Authentication does not use them."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    return public.decode().strip(), private.decode().strip()


def generate_keys(tx: Tx, member: Member, public_key: str, private_key: str) -> dict[str, str]:
    """Replace the project secret: every custom token signed with the old one stops working."""
    secret = new_uuid()
    values = {"public_key": public_key, "private_key": private_key, "jwt_secret": secret}
    if projects.update_fields(tx, member.project_id, values) is None:
        raise NotFound("Project not found")
    return {"publicKey": public_key, "privateKey": private_key, "jwtSecret": secret}


def _secret(tx: Tx, project_id: str) -> str:
    project = projects.get_active(tx, project_id)
    if project is None:
        raise NotFound("Project not found")
    if not project.jwt_secret:
        raise NotFound("Project hasnt  a jwtSecret")
    secret: str = project.jwt_secret
    return secret


def decode_token(tx: Tx, project: Mapping[str, Any], token: str) -> dict[str, Any]:
    """Verify a customer token: signed with the project secret, ``exp - iat`` at most 10 min."""
    try:
        claims = tokens.verify(token, _secret(tx, project["id"]), tokens.HMAC_ALGORITHMS)
    except tokens.InvalidToken as error:
        raise NotAuthenticated("Authentication failed", err={"message": str(error)}) from None
    if not claims.get("iat"):
        raise NotAuthenticated("Authentication failed. Token iat is required")
    if not claims.get("exp"):
        raise NotAuthenticated("Authentication failed. Token exp is required")
    if claims["exp"] - claims["iat"] > MAX_TOKEN_SECONDS:
        raise NotAuthenticated(
            "Authentication failed. The value of exp is permitted to be up to a maximum of "
            "10 minutes from the iat value"
        )
    return {"decoded": claims}


def generate_test_token(tx: Tx, member: Member, claims: Mapping[str, Any]) -> dict[str, Any]:
    token = tokens.sign_raw(claims, _secret(tx, member.project_id), expires_in=TEST_TOKEN_SECONDS)
    return {"success": True, "token": "JWT " + token}
