"""CSV exports as Tiledesk sends them: ``;``-separated, a header row, ``text/csv``."""

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import orjson
from starlette.responses import Response


def render_csv(rows: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> str:
    """One line per row; objects and arrays are written as JSON, None as an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    return buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return orjson.dumps(value).decode()
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def csv_response(body: str, filename: str | None = None) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else None
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
