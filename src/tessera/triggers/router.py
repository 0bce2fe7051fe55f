"""HTTP surface of triggers: ``/{project_id}/modules/triggers`` (admins, §5.29)."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import Admin
from tessera.core.schemas import respond_list
from tessera.dependencies import DatabaseDep
from tessera.triggers import service
from tessera.triggers.schemas import TriggerIn, TriggerOut

router = APIRouter(prefix="/{project_id}/modules/triggers", tags=["triggers"])


@router.get("", response_model=list[TriggerOut])
async def list_triggers(member: Admin, db: DatabaseDep) -> Response:
    rows = await db.read(service.list_triggers, member)
    return respond_list([TriggerOut.of(row) for row in rows])


@router.get("/{trigger_id}", response_model=TriggerOut)
async def get_trigger(member: Admin, trigger_id: str, db: DatabaseDep) -> Response:
    return TriggerOut.of(await db.read(service.get_trigger, member, trigger_id)).respond()


@router.post("", response_model=TriggerOut)
async def create_trigger(member: Admin, body: TriggerIn, db: DatabaseDep) -> Response:
    return TriggerOut.of(await db.write(service.create_trigger, member, body)).respond()


@router.put("/{code}/reset", response_model=TriggerOut)
async def reset_trigger(member: Admin, code: str, db: DatabaseDep) -> Response:
    return TriggerOut.of(await db.write(service.reset_trigger, member, code)).respond()


@router.put("/{trigger_id}", response_model=TriggerOut)
async def update_trigger(
    member: Admin, trigger_id: str, body: TriggerIn, db: DatabaseDep
) -> Response:
    return TriggerOut.of(await db.write(service.update_trigger, member, trigger_id, body)).respond()


@router.delete("/{trigger_id}", response_model=TriggerOut)
async def delete_trigger(member: Admin, trigger_id: str, db: DatabaseDep) -> Response:
    return TriggerOut.of(await db.write(service.delete_trigger, member, trigger_id)).respond()
