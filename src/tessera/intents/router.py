"""HTTP surface of intents: ``/{project_id}/faq``, its alias ``/{project_id}/intents``, and the
public ``/{project_id}/faqpub`` (§5.14). Guards: the list is for agents and machines,
everything else for admins and the project's bots and subscriptions."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, File, Form, UploadFile
from fastapi.routing import APIRoute
from starlette.responses import Response

from tessera.auth.dependencies import AdminOrMachine, Agent
from tessera.core.csv import csv_response, render_csv
from tessera.core.pagination import Page, page_params
from tessera.core.responses import json_response
from tessera.dependencies import DatabaseDep
from tessera.intents import service
from tessera.intents.schemas import IntentCreate, IntentOut, IntentUpdate, OperationsIn
from tessera.intents.uploads import read_upload

JsonObjectBody = Annotated[dict[str, Any], Body()]
DEFAULT_LIMIT = 3000  # Tiledesk's page size for intents (§5.14)


def build_router(segment: str, *, operation_suffix: str = "") -> APIRouter:
    """The intent routes under ``/{project_id}/<segment>`` (mounted as ``faq`` and
    ``intents``); the second mount's operation ids get ``operation_suffix``."""
    router = APIRouter(prefix=f"/{{project_id}}/{segment}", tags=["intents"])

    @router.get("", response_model=list[IntentOut])
    async def list_intents(
        member: Agent,
        db: DatabaseDep,
        id_faq_kb: str | None = None,
        text: str | None = None,
        intent_display_name: str | None = None,
        page: Page = 0,
        limit: str | None = None,
    ) -> Response:
        found = await db.read(
            service.list_intents,
            member,
            bot_id=id_faq_kb,
            text=text,
            intent_display_name=intent_display_name,
            page=page_params(page, limit, default=DEFAULT_LIMIT),
        )
        return json_response(found)

    @router.get("/csv")
    async def export_intents_csv(
        member: AdminOrMachine, db: DatabaseDep, id_faq_kb: str | None = None
    ) -> Response:
        """``question;answer;intent_id;intent_display_name;webhook_enabled`` with a header."""
        rows = await db.read(service.export_csv, member, id_faq_kb)
        return csv_response(render_csv(rows, service.CSV_COLUMNS), "intents.csv")

    @router.post("/uploadcsv")
    async def upload_intents_csv(
        member: AdminOrMachine,
        db: DatabaseDep,
        uploadFile: Annotated[UploadFile, File()],
        id_faq_kb: Annotated[str | None, Form()] = None,
        delimiter: Annotated[str | None, Form()] = None,
    ) -> Response:
        content = await read_upload(uploadFile)
        return json_response(
            await db.write(service.import_csv, member, id_faq_kb, content, delimiter)
        )

    @router.post("/ops_update")
    async def apply_intent_operations(
        member: AdminOrMachine, body: OperationsIn, db: DatabaseDep
    ) -> Response:
        return json_response(await db.write(service.apply_operations, member, body))

    @router.post("", response_model=IntentOut)
    async def create_intent(
        member: AdminOrMachine, body: IntentCreate, db: DatabaseDep
    ) -> Response:
        return IntentOut.of(await db.write(service.create_intent, member, body)).respond()

    @router.get("/{intent_id}", response_model=IntentOut)
    async def get_intent(member: AdminOrMachine, intent_id: str, db: DatabaseDep) -> Response:
        return IntentOut.of(await db.read(service.get_intent, member, intent_id)).respond()

    @router.put("/{intent_id}", response_model=IntentOut)
    async def update_intent(
        member: AdminOrMachine, intent_id: str, body: IntentUpdate, db: DatabaseDep
    ) -> Response:
        """``:id`` is the intent's ``_id`` or ``intentId<intent_id>``."""
        updated = await db.write(service.update_intent, member, intent_id, body)
        return IntentOut.of(updated).respond()

    @router.patch("/{intent_id}/attributes", response_model=IntentOut)
    async def patch_intent_attributes(
        member: AdminOrMachine, intent_id: str, body: JsonObjectBody, db: DatabaseDep
    ) -> Response:
        updated = await db.write(service.merge_attributes, member, intent_id, body)
        return IntentOut.of(updated).respond()

    @router.delete("/{intent_id}", response_model=IntentOut)
    async def delete_intent(
        member: AdminOrMachine, intent_id: str, db: DatabaseDep, id_faq_kb: str | None = None
    ) -> Response:
        """``:id`` is the intent's ``_id``, or ``intentId<intent_id>`` with ``id_faq_kb``."""
        deleted = await db.write(service.delete_intent, member, intent_id, id_faq_kb)
        return IntentOut.of(deleted).respond()

    for route in router.routes:
        if isinstance(route, APIRoute):
            route.name += operation_suffix
    return router


router = build_router("faq")
alias_router = build_router("intents", operation_suffix="_alias")

public_router = APIRouter(prefix="/{project_id}/faqpub", tags=["intents"])


@public_router.get("", response_model=list[IntentOut])
async def search_public_intents(
    project_id: str, db: DatabaseDep, id_faq_kb: str | None = None, text: str | None = None
) -> Response:
    """Public: the project's intents (of one bot, matching ``text``), never another
    project's (§12.10)."""
    found = await db.read(service.public_search, project_id, bot_id=id_faq_kb, text=text)
    return json_response(found)
