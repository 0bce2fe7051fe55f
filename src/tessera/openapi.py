"""``python -m tessera.openapi`` prints the OpenAPI document (committed as ``openapi.json``)."""

import json
from typing import Any

from tessera.config import Settings
from tessera.main import create_app


def document() -> dict[str, Any]:
    settings = Settings(
        _env_file=None,
        database_url="sqlite://",
        global_secret="only-used-to-describe-the-api-not-to-sign-anything",  # noqa: S106
        rate_limit="off",
    )
    app = create_app(settings)
    try:
        return app.openapi()
    finally:
        app.state.db.close()


def render() -> str:
    return json.dumps(document(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(render(), end="")
