"""HTTP surface of e-mails: ``/{project_id}/emails`` (agents, bots, subscriptions; §5.26)."""

from fastapi import APIRouter
from starlette.responses import Response

from tessera.auth.dependencies import Agent
from tessera.dependencies import ContextDep, DatabaseDep, SettingsDep
from tessera.emails import service
from tessera.emails.schemas import InternalSendIn, Queued, SmtpTestIn, SmtpTestOut, TemplateOut
from tessera.emails.transport import Courier

router = APIRouter(prefix="/{project_id}/emails", tags=["emails"])


@router.get("/templates/{template_id}", response_model=TemplateOut)
async def get_email_template(member: Agent, template_id: str, settings: SettingsDep) -> Response:
    return TemplateOut(template=service.get_template(template_id, settings.brand_name)).respond()


@router.post("/test/send", response_model=SmtpTestOut)
async def send_test_email(
    member: Agent, body: SmtpTestIn, settings: SettingsDep, context: ContextDep
) -> Response:
    result = await service.send_test(
        body,
        context.mailer,
        allow_private=settings.email_allow_private_smtp,
        brand=settings.brand_name,
    )
    return result.respond()


@router.post("/internal/send", response_model=Queued)
async def send_internal_email(
    member: Agent,
    body: InternalSendIn,
    db: DatabaseDep,
    context: ContextDep,
    settings: SettingsDep,
) -> Response:
    courier = Courier(context.mailer, allow_private=settings.email_allow_private_smtp, bcc=None)
    for outgoing in await db.read(service.internal_emails, member, body, context.links):
        courier.send(outgoing)
    return Queued(queued=True).respond()
