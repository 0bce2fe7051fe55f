"""HTTP surface of pending invitations: ``/{project_id}/pendinginvitations`` (agents)."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import AgentOnly
from tessera.core.responses import json_response
from tessera.core.schemas import respond_list
from tessera.dependencies import ContextDep, DatabaseDep
from tessera.invitations import service
from tessera.invitations.schemas import InvitationIn, InvitationOut

router = APIRouter(prefix="/{project_id}/pendinginvitations", tags=["pendinginvitations"])


@router.get("", response_model=list[InvitationOut])
async def list_pending_invitations(member: AgentOnly, db: DatabaseDep) -> Response:
    rows = await db.read(service.list_invitations, member)
    return respond_list([InvitationOut.of(row) for row in rows])


@router.get("/resendinvite/{invitation_id}")
async def resend_pending_invitation(
    member: AgentOnly, invitation_id: str, db: DatabaseDep, context: ContextDep
) -> Response:
    row = await db.write(service.resend_invitation, member, invitation_id, context)
    return json_response({"Resend invitation email to": InvitationOut.of(row).wire()})


@router.get("/{invitation_id}", response_model=InvitationOut)
async def get_pending_invitation(
    member: AgentOnly, invitation_id: str, db: DatabaseDep
) -> Response:
    return InvitationOut.of(await db.read(service.get_invitation, member, invitation_id)).respond()


@router.post("", response_model=InvitationOut)
async def create_pending_invitation(
    member: AgentOnly, body: InvitationIn, db: DatabaseDep
) -> Response:
    return InvitationOut.of(await db.write(service.create_invitation, member, body)).respond()


@router.put("/{invitation_id}", response_model=InvitationOut)
async def update_pending_invitation(
    member: AgentOnly, invitation_id: str, body: InvitationIn, db: DatabaseDep
) -> Response:
    row = await db.write(service.update_invitation, member, invitation_id, body)
    return InvitationOut.of(row).respond()


@router.delete("/{invitation_id}")
async def delete_pending_invitation(
    member: AgentOnly, invitation_id: str, db: DatabaseDep
) -> Response:
    return json_response(await db.write(service.delete_invitation, member, invitation_id))
