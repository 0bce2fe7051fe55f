"""HTTP surface of chatbots: ``/{project_id}/faq_kb`` and its alias ``/{project_id}/bots``
(§5.13). Guards: the list is for agents, creating and deleting for admins, everything else
for admins and the project's bots and subscriptions."""

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Body, Query, Request
from fastapi.routing import APIRoute
from starlette.responses import Response

from tessera.auth.dependencies import Admin, AdminOrMachine, Agent
from tessera.bots import service, training, transfer, versions
from tessera.bots.calls import CallOptions
from tessera.bots.schemas import (
    AgentBotOut,
    AiTrainIn,
    AskBotIn,
    BotCreate,
    BotOut,
    BotUpdate,
    PublishIn,
    TrainIn,
)
from tessera.core.responses import JSON_MEDIA_TYPE, json_response
from tessera.core.schemas import WireModel, respond_list
from tessera.dependencies import DatabaseDep, SettingsDep
from tessera.intents.uploads import file_or_body

JsonObjectBody = Annotated[dict[str, Any], Body()]


def _yes(value: str | None) -> bool:
    """Tiledesk's query flags are on only when exactly ``true``."""
    return value == "true"


def _given(value: str | None) -> bool:
    """``globals``: Tiledesk keeps them for any non-empty value."""
    return bool(value) and value != "false"


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

    @router.post("/askbot")
    async def ask_bot(member: Admin, body: AskBotIn, db: DatabaseDep) -> Response:
        """``{"hits": [intent + score, ...]}``: what the FAQ engine finds for ``question``."""
        return json_response(await db.read(service.ask_bot, member, body))

    @router.post("/train")
    async def train_bot(
        member: Admin, body: TrainIn, db: DatabaseDep, settings: SettingsDep
    ) -> Response:
        """An internal bot's intents posted to its NLU, ``<url>/trainandload``."""
        options = CallOptions.from_settings(settings)
        return json_response(await training.train(db, member, body, options))

    @router.post("/aitrain")
    async def ai_train_bot(
        member: Admin, body: AiTrainIn, db: DatabaseDep, settings: SettingsDep
    ) -> Response:
        """A ``tiledesk-ai`` bot's intents posted to the training service."""
        trainer = training.Trainer.from_settings(settings)
        return json_response(await training.ai_train(db, member, body, trainer))

    @router.post("/fork/{bot_id}")
    async def fork_bot(
        member: Admin,
        bot_id: str,
        db: DatabaseDep,
        projectid: str | None = None,
        globals: str | None = None,
        public: str | None = None,
        for_publish: str | None = None,
    ) -> Response:
        """A copy of the bot and its intents in ``projectid`` (default: this project);
        ``public=true``: of a public bot of any project; ``for_publish=true``: a published
        version."""
        forked = await db.write(
            versions.fork,
            member,
            bot_id,
            target_project_id=projectid,
            keep_globals=_given(globals),
            public=_yes(public),
            for_publish=_yes(for_publish),
        )
        return json_response(forked)

    @router.get("/exportjson/{bot_id}")
    async def export_bot(
        member: Admin,
        bot_id: str,
        db: DatabaseDep,
        intentsOnly: str | None = None,
        globals: str | None = None,
    ) -> Response:
        """The bot and its intents as a JSON file (``bot.json``, or ``intents.json``)."""
        only = _yes(intentsOnly)
        document = await db.read(
            transfer.export_bot, member, bot_id, intents_only=only, keep_globals=_given(globals)
        )
        filename = "intents.json" if only else "bot.json"
        return Response(
            orjson.dumps(document),
            media_type=JSON_MEDIA_TYPE,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )

    @router.post("/importjson/{bot_id}")
    async def import_bot(
        member: Admin,
        bot_id: str,
        request: Request,
        db: DatabaseDep,
        create: str | None = None,
        replace: str | None = None,
        overwrite: str | None = None,
        intentsOnly: str | None = None,
    ) -> Response:
        """A bot's JSON export, as multipart ``uploadFile`` or as the body."""
        document = transfer.parse(await file_or_body(request))
        imported = await db.write(
            transfer.import_bot,
            member,
            bot_id,
            document,
            create=_yes(create),
            replace=_yes(replace),
            overwrite=_yes(overwrite),
            intents_only=_yes(intentsOnly),
        )
        return json_response(imported)

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

    @router.put("/{bot_id}/publish")
    async def publish_bot(
        member: Admin, bot_id: str, db: DatabaseDep, body: PublishIn | None = None
    ) -> Response:
        """``{"message", "bot_id"}`` of the new version (or of the bot, ``restore_from``)."""
        done = await db.write(versions.publish, member, bot_id, body or PublishIn())
        return json_response(done)

    @router.get("/{bot_id}/published")
    async def list_published_versions(
        member: AdminOrMachine, bot_id: str, db: DatabaseDep
    ) -> Response:
        return json_response(await db.read(versions.published, member, bot_id))

    @router.post("/{bot_id}/training", response_model=BotOut)
    async def mark_bot_trained(member: Admin, bot_id: str, db: DatabaseDep) -> Response:
        return BotOut.of(await db.write(service.mark_trained, member, bot_id)).respond()

    @router.delete("/{bot_id}")
    async def delete_bot(member: Admin, bot_id: str, db: DatabaseDep) -> Response:
        return json_response(await db.write(service.delete_bot, member, bot_id))

    for route in router.routes:
        if isinstance(route, APIRoute):
            route.name += operation_suffix
    return router


router = build_router("faq_kb")
alias_router = build_router("bots", operation_suffix="_alias")
