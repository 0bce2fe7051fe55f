"""Pending invitations: people invited before they have an account."""

from tessera.auth.principal import Member
from tessera.context import Context
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound
from tessera.emails import messages
from tessera.invitations import repository
from tessera.invitations.schemas import InvitationIn
from tessera.project_users import repository as memberships
from tessera.project_users.models import ROLE_TYPE_AGENTS

_NOT_FOUND = "Object not found."


def list_invitations(tx: Tx, member: Member) -> list[Record]:
    return repository.list_for_project(tx, member.project_id)


def get_invitation(tx: Tx, member: Member, invitation_id: str) -> Record:
    invitation = repository.get(tx, member.project_id, invitation_id)
    if invitation is None:
        raise NotFound(_NOT_FOUND)
    return invitation


def get_public_invitation(tx: Tx, invitation_id: str) -> Record:
    """The invitation behind an e-mailed link (its id is the unguessable part)."""
    invitation = repository.get_any_project(tx, invitation_id)
    if invitation is None:
        raise NotFound(_NOT_FOUND)
    return invitation


def create_invitation(tx: Tx, member: Member, body: InvitationIn) -> Record:
    """Tiledesk forgets the project here (§5.21); Tessera records it."""
    return repository.add(
        tx,
        {
            "project_id": member.project_id,
            "email": body.email.lower() if body.email else None,
            "role": body.role,
            "created_by": member.caller.id,
        },
    )


def update_invitation(tx: Tx, member: Member, invitation_id: str, body: InvitationIn) -> Record:
    """Both fields are always written, as Tiledesk does (a missing one is cleared)."""
    values = {"email": body.email.lower() if body.email else None, "role": body.role}
    invitation = repository.update_fields(tx, member.project_id, invitation_id, values)
    if invitation is None:
        raise NotFound(_NOT_FOUND)
    return invitation


def delete_invitation(tx: Tx, member: Member, invitation_id: str) -> dict[str, int]:
    deleted = repository.remove(tx, member.project_id, invitation_id)
    return {"n": deleted, "ok": 1, "deletedCount": deleted}


def resend_invitation(tx: Tx, member: Member, invitation_id: str, ctx: Context) -> Record:
    invitation = get_invitation(tx, member, invitation_id)
    send_invitation_email(tx, member, invitation, ctx)
    return invitation


def send_invitation_email(tx: Tx, member: Member, invitation: Record, ctx: Context) -> None:
    email = messages.invited_new_user(
        ctx.links,
        to=invitation.email,
        inviter=member.caller.fullname or "A teammate",
        project_name=member.project["name"],
        role=invitation.role or "",
        invitation_id=invitation.id,
    )
    ctx.send_after_commit(tx, email)


def accept_pending(tx: Tx, email: str, user_id: str) -> None:
    """On sign-up, every invitation for ``email`` becomes an agent-side membership."""
    invitations = repository.find_for_email(tx, email)
    for invitation in invitations:
        if invitation.project_id is None:
            continue
        memberships.add(
            tx,
            {
                "project_id": invitation.project_id,
                "user_id": user_id,
                "role": invitation.role or "agent",
                "role_type": ROLE_TYPE_AGENTS,
                "user_available": True,
                "created_by": invitation.created_by,
            },
        )
    repository.remove_ids(tx, [invitation.id for invitation in invitations])
