"""Project secrets for custom JWTs (``/:pid/keys``) and their test helpers (``/:pid/jwt``)."""
