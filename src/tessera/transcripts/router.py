"""HTTP surface of transcripts: ``/public/requests/{request_id}/...`` (top level).

Every document answers to the conversation's requester, the project's agents (Authorization
header or ``?secret_token=``), or a signed link (``?expires=&signature=``) that those callers
get from ``GET /public/requests/{request_id}/link`` (docs/transcripts.md).
"""

import re
import time
from collections.abc import Awaitable, Callable
from datetime import tzinfo
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import HTMLResponse, Response

from tessera.auth.dependencies import current_caller
from tessera.core.csv import csv_response
from tessera.core.db import Record
from tessera.core.errors import BadRequest, NotFound
from tessera.core.responses import json_response
from tessera.dependencies import ContextDep, DatabaseDep, SettingsDep
from tessera.messages.schemas import MessageOut
from tessera.transcripts import render, service
from tessera.transcripts.schemas import TranscriptLinkOut
from tessera.transcripts.service import SignedLink, Transcript

router = APIRouter(prefix="/public/requests", tags=["transcripts"])

View = Literal["all", "agent", "user"]
Format = Literal["json", "html", "csv", "txt", "pdf"]

# Document name -> (messages shown, format), §5.27.
DOCUMENTS: dict[str, tuple[View, Format]] = {
    "messages": ("all", "json"),
    "messages.html": ("agent", "html"),
    "messages.csv": ("agent", "csv"),
    "messages.txt": ("all", "txt"),
    "messages.pdf": ("all", "pdf"),
    "messages-user.html": ("user", "html"),
    "messages-user.txt": ("user", "txt"),
    "messages-user.pdf": ("user", "pdf"),
    "messages-user.csv": ("user", "csv"),
}
_UNSAFE_FILENAME = re.compile(r'["\\\r\n]')
# The HTML documents show message texts only: no script, no remote resource, no referrer
# (the page's URL may carry a signed link).
_HTML_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


async def _enabled(settings: SettingsDep) -> None:
    """``DISABLE_TRANSCRIPT_VIEW_PAGE``: Tiledesk leaves the path to its project catch-all,
    which refuses ``public`` as a project id."""
    if settings.disable_transcript_view_page:
        raise BadRequest("Invalid project id: public", key="error", success=None)


transcripts_router = APIRouter(dependencies=[Depends(_enabled)])


async def _read(
    request: Request,
    request_id: str,
    db: DatabaseDep,
    context: ContextDep,
    expires: Annotated[int | None, Query(ge=0, le=2**53)] = None,
    signature: Annotated[str | None, Query(max_length=128)] = None,
) -> Transcript:
    link = None
    caller = None
    if signature is not None or expires is not None:
        link = SignedLink(expires=expires or 0, signature=signature or "")
    else:
        caller = await current_caller(request)  # 401 without credentials
    return await db.read(
        service.read_transcript,
        request_id,
        caller=caller,
        link=link,
        keys=context.keys,
        now_s=int(time.time()),
    )


TranscriptDep = Annotated[Transcript, Depends(_read)]


def _document_route(document: str) -> Callable[..., Awaitable[Response]]:
    view, kind = DOCUMENTS[document]

    async def get_document(
        request_id: str,
        transcript: TranscriptDep,
        settings: SettingsDep,
        tz: str | None = None,
        timezone: str | None = None,
    ) -> Response:
        messages = _shown(transcript, view)
        zone = render.zone_of(
            tz or timezone,
            settings.transcript_display_timezone,
            transcript.project["operating_hours"],
        )
        return _respond(kind, request_id, messages, zone, settings.brand_name)

    return get_document


def _shown(transcript: Transcript, view: View) -> list[Record]:
    if view == "all":
        return transcript.messages
    if view == "agent":
        return render.agent_view(transcript.messages)
    shown = render.without_system(transcript.messages)
    if not shown:
        raise NotFound("Object not found.")
    return shown


def _respond(
    kind: Format, request_id: str, messages: list[Record], zone: tzinfo, brand: str
) -> Response:
    filename = _UNSAFE_FILENAME.sub("_", request_id)
    if kind == "json":
        return json_response([MessageOut.of(message).wire() for message in messages])
    if kind == "html":
        page = render.as_html(messages, zone, brand)
        return HTMLResponse(page, headers=_HTML_HEADERS)
    if kind == "csv":
        return csv_response(render.as_csv(messages, zone), f"{filename}.csv")
    if kind == "txt":
        return Response(
            render.as_text(messages, zone),
            media_type="text/plain; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="transcript.txt"'},
        )
    return Response(
        render.as_pdf(messages, zone, brand),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}.pdf"'},
    )


for _document in DOCUMENTS:
    _name = "get_transcript_" + _document.replace(".", "_").replace("-", "_")
    transcripts_router.add_api_route(
        "/{request_id}/" + _document, _document_route(_document), methods=["GET"], name=_name
    )


@transcripts_router.get("/{request_id}/link", response_model=TranscriptLinkOut)
async def get_transcript_link(
    request: Request,
    request_id: str,
    db: DatabaseDep,
    context: ContextDep,
    settings: SettingsDep,
) -> Response:
    """Tessera: a signed link to the transcript, for whoever may read it."""
    caller = await current_caller(request)
    link = await db.read(
        service.sign_link,
        request_id,
        caller=caller,
        keys=context.keys,
        now_s=int(time.time()),
        ttl_s=settings.transcript_link_ttl_seconds,
    )
    return link.respond()


@transcripts_router.get("/{request_id}/test/error")
async def show_transcript_error_page(request_id: str, settings: SettingsDep) -> Response:
    page = render.error_page("An error occurred while getting the request", settings.brand_name)
    return HTMLResponse(page, status_code=500, headers=_HTML_HEADERS)


router.include_router(transcripts_router)
