"""HTTP surface of chatbots: ``/{project_id}/faq_kb`` and its alias ``/{project_id}/bots``
(§5.13). Guards: the list is for agents, creating and deleting for admins, everything else
for admins and the project's bots and subscriptions."""

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query
from fastapi.routing import APIRoute
from starlette.responses import Response

from tessera.auth.dependencies import Admin, AdminOrMachine, Agent
from tessera.bots import service
from tessera.bots.schemas import AgentBotOut, BotCreate, BotOut, BotUpdate
from tessera.core.responses import json_response
from tessera.core.schemas import WireModel, respond_list
from tessera.dependencies import DatabaseDep

JsonObjectBody = Annotated[dict[str, Any], Body()]


def build_router(segment: str, *, operation_suffix: str = "") -> APIRouter:
    """The bot routes under ``/{project_id}/<segment>``; Tiledesk mounts the same router
    under two names, and a FastAPI router has one prefix. Route names are the OpenAPI
    operation ids, so the second mount's get ``operation_suffix``."""
    router = APIRouter(prefix=f"/{{project_id}}/{segment}", tags=["bots"])

    @router.get("", response_model=list[BotOut])
    async def list_bots(
        member: Agent,
        db: DatabaseDep,
        include_all: Annotated[str | None, Query(alias="all")] = None,
        text: str | None = None,
        public: bool | None = None,
        certified: bool | None = None,
    ) -> Response:
        rows = await db.read(
            service.list_bots,
            member,
            include_identity=include_all == "true",
            text=text,
            public=public,
            certified=certified,
        )
        shape: type[WireModel] = AgentBotOut if service.sees_agent_view(member) else BotOut
        return respond_list([shape.of(row) for row in rows])

    @router.post("", response_model=BotOut)
    async def create_bot(member: Admin, body: BotCreate, db: DatabaseDep) -> Response:
        return BotOut.of(await db.write(service.create_bot, member, body)).respond()

    @router.get("/{bot_id}", response_model=BotOut)
    async def get_bot(
        member: AdminOrMachine, bot_id: str, db: DatabaseDep, departmentid: str | None = None
    ) -> Response:
        bot = await db.read(service.read_bot, member, bot_id, department_id=departmentid)
        return bot.respond()

    @router.get("/{bot_id}/jwt")
    async def get_bot_jwt(member: AdminOrMachine, bot_id: str, db: DatabaseDep) -> Response:
        """``{"jwt": <token>}`` without the ``JWT `` prefix (§5.13)."""
        return json_response({"jwt": await db.read(service.bot_token, member, bot_id)})

    @router.put("/{bot_id}", response_model=BotOut)
    async def update_bot(
        member: AdminOrMachine, bot_id: str, body: BotUpdate, db: DatabaseDep
    ) -> Response:
        return BotOut.of(await db.write(service.update_bot, member, bot_id, body)).respond()

    @router.put("/{bot_id}/language/{language}", response_model=BotOut)
    async def set_bot_language(
        member: AdminOrMachine, bot_id: str, language: str, db: DatabaseDep
    ) -> Response:
        return BotOut.of(await db.write(service.set_language, member, bot_id, language)).respond()

    @router.patch("/{bot_id}/attributes", response_model=BotOut)
    async def patch_bot_attributes(
        member: AdminOrMachine, bot_id: str, body: JsonObjectBody, db: DatabaseDep
    ) -> Response:
        return BotOut.of(await db.write(service.merge_attributes, member, bot_id, body)).respond()

    @router.delete("/{bot_id}")
    async def delete_bot(member: Admin, bot_id: str, db: DatabaseDep) -> Response:
        return json_response(await db.write(service.delete_bot, member, bot_id))

    for route in router.routes:
        if isinstance(route, APIRoute):
            route.name += operation_suffix
    return router


router = build_router("faq_kb")
alias_router = build_router("bots", operation_suffix="_alias")
