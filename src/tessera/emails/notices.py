"""What each notification e-mail says (fact sheet §5.26): its subject, the values its template
reads, and which template renders it (the project's own from ``settings.email.templates``, or
ours).

Template values follow the names of Tiledesk's templates (``project.name``,
``request.lead.fullname``, ``{{{msgText}}}``, ``baseScope.baseUrl``...), so that a template a
project wrote for Tiledesk keeps working. User text reaches the HTML escaped: ``msgText``
and ``transcriptAsHtml`` are built here from escaped text, everything else is escaped by
the renderer.
"""

import html
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from tessera.core.clock import iso
from tessera.core.mail import Email
from tessera.emails.messages import Links
from tessera.emails.render import Markup, as_text, fill, message_html, page, template_source

ASSIGNED_REQUEST = "assignedRequest"
ASSIGNED_MESSAGE = "assignedEmailMessage"
POOLED_REQUEST = "pooledRequest"
POOLED_MESSAGE = "pooledEmailMessage"
NEW_MESSAGE = "newMessage"
FOLLOWER_MESSAGE = "newMessageFollower"
TICKET = "ticket"
EMAIL_DIRECT = "emailDirect"
TRANSCRIPT = "sendTranscript"
TEST = "test"

# ``GET /:pid/emails/templates/:templateid`` (§5.26): every template a dashboard may ask for.
TEMPLATE_NAMES = frozenset(
    {
        ASSIGNED_REQUEST,
        ASSIGNED_MESSAGE,
        POOLED_REQUEST,
        POOLED_MESSAGE,
        NEW_MESSAGE,
        FOLLOWER_MESSAGE,
        TICKET,
        EMAIL_DIRECT,
        TRANSCRIPT,
        "resetPassword",
        "passwordChanged",
        "beenInvitedExistingUser",
        "beenInvitedNewUser",
        "verify",
    }
)


def full_template(name: str, brand: str) -> str:
    """Template ``name`` as a whole HTML document (ours: the body inside the layout), tags
    left in place: what a project copies and edits into ``settings.email.templates``."""
    return page(template_source(name), title="{{subject}}", brand=brand)


def compose(
    name: str,
    *,
    to: str,
    subject: str,
    context: Mapping[str, Any],
    brand: str,
    settings: Mapping[str, Any] | None,
    reply_to: str | None = None,
) -> Email:
    """The e-mail of template ``name``: the project's own template when it stored one
    (a whole document), else ours inside the shared layout."""
    values = {**context, "subject": subject, "brand": brand}
    custom = _custom_template(settings, name)
    if custom is not None:
        document = fill(custom, values)
        return Email(
            to=to, subject=subject, html=document, text=as_text(document), reply_to=reply_to
        )
    body = fill(template_source(name), values)
    return Email(
        to=to,
        subject=subject,
        html=page(body, title=subject, brand=brand),
        text=as_text(body),
        reply_to=reply_to,
    )


def context(
    links: Links,
    project: Mapping[str, Any],
    request: Mapping[str, Any] | None,
    message: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The values every conversation template may read."""
    values: dict[str, Any] = {
        "project": {"_id": project["id"], "name": project["name"]},
        "baseScope": {"baseUrl": links.base_url.rstrip("/"), "brand": links.brand},
        "request": dict(request or {}),
    }
    if request is not None:
        values["conversationUrl"] = links.url(
            f"project/{project['id']}/wsrequest/{request.get('request_id')}/messages"
        )
        values["contactName"] = _lead(request).get("fullname") or ""
        values["departmentName"] = _department(request).get("name") or ""
    about = message if message is not None else request or {}
    values["msgText"] = message_html(about.get("text" if message is not None else "first_text"))
    if message is not None:
        values["message"] = dict(message)
    return values


def contact_context(
    links: Links,
    project: Mapping[str, Any],
    request: Mapping[str, Any],
    message: Mapping[str, Any],
    widget_page: str,
) -> dict[str, Any]:
    """The values of the mails to the contact: those of every conversation template, and
    Tiledesk's ``seamlessPage`` (where to continue the chat) with an empty
    ``tokenQueryString``: the link carries no token (see ``widget_link``)."""
    values = context(links, project, request, message)
    values["seamlessPage"] = widget_link(widget_page, project, request)
    values["tokenQueryString"] = ""
    return values


def widget_link(widget_page: str, project: Mapping[str, Any], request: Mapping[str, Any]) -> str:
    """The page the contact wrote from (an http(s) address), else the widget's test page for
    the project, opened on the conversation (Tiledesk's ``tiledesk_recipientId`` and
    ``tiledesk_isOpen``). Tiledesk adds a guest token that never expires; here the browser the
    contact used resumes the chat with the session the widget keeps."""
    page = request.get("sourcePage")
    parts = urlsplit(page) if isinstance(page, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        test_page = f"{widget_page.rstrip('/')}/assets/twp/index.html"
        query = urlencode({"tiledesk_projectid": project["id"], "project_name": project["name"]})
        parts = urlsplit(f"{test_page}?{query}")
    opened = [("tiledesk_recipientId", str(request.get("request_id"))), ("tiledesk_isOpen", "true")]
    query = urlencode([*parse_qsl(parts.query, keep_blank_values=True), *opened])
    return urlunsplit(parts._replace(query=query))


def transcript_context(
    links: Links,
    project: Mapping[str, Any],
    request: Mapping[str, Any],
    messages: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    """The values of the transcript template: the conversation and its messages, one line
    each (``[time] sender: text``, times in UTC as Tiledesk prints them)."""
    values = context(links, project, request)
    lines = [
        f"[{_time(message.get('createdAt'))}] "
        f"{html.escape(str(message.get('senderFullname') or message.get('sender') or ''))}: "
        f"{message_html(message.get('text'))}"
        for message in messages
    ]
    values["transcriptAsHtml"] = Markup("<br>\n".join(lines))
    values["formattedCreatedAt"] = _date_time(request.get("createdAt"))
    values["messages"] = list(messages)
    return values


# ------------------------------------------------------------------ subjects (emailService.js)


def assigned_subject(brand: str, project_name: str, request: Mapping[str, Any]) -> str:
    return _about(brand, project_name, request, "New Assigned Chat")


def pooled_subject(brand: str, project_name: str, request: Mapping[str, Any]) -> str:
    return _about(brand, project_name, request, "New Pooled Chat")


def message_subject(brand: str, project_name: str, request: Mapping[str, Any]) -> str:
    """New messages name the ticket when there is one (Tiledesk: ``[Ticket #n] ...``)."""
    ticket = request.get("ticket_id")
    if ticket:
        return f"[Ticket #{ticket}] {_one_line(request.get('subject')) or 'New message'}"
    return _about(brand, project_name, request, "New message")


def offline_subject(brand: str, project_name: str) -> str:
    return f"[{brand} {project_name}] New Offline Message"


def ticket_subject(project_name: str, request: Mapping[str, Any]) -> str:
    """A reply in the thread of the contact's e-mail (Tiledesk: ``R: <subject>``), with the
    ticket number so that the contact can name it."""
    subject = f"R: {_one_line(request.get('subject')) or project_name}"
    ticket = request.get("ticket_id")
    return f"{subject} [Ticket #{ticket}]" if ticket else subject


def transcript_subject(brand: str, project_name: str) -> str:
    return f"[{brand} {project_name}] Transcript"


def _about(brand: str, project_name: str, request: Mapping[str, Any], default: str) -> str:
    return f"[{brand} {project_name}] {_one_line(request.get('subject')) or default}"


def _one_line(value: object) -> str:
    return " ".join(str(value or "").split())


def _custom_template(settings: Mapping[str, Any] | None, name: str) -> str | None:
    templates = ((settings or {}).get("email") or {}).get("templates")
    if not isinstance(templates, Mapping):
        return None
    custom = templates.get(name)
    return custom if isinstance(custom, str) and custom.strip() else None


def _lead(request: Mapping[str, Any]) -> Mapping[str, Any]:
    lead = request.get("lead")
    return lead if isinstance(lead, Mapping) else {}


def _department(request: Mapping[str, Any]) -> Mapping[str, Any]:
    department = request.get("department")
    return department if isinstance(department, Mapping) else {}


def _parsed(value: object) -> datetime | None:
    if isinstance(value, int):
        value = iso(value)
    if not isinstance(value, str):
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    except ValueError:
        return None


def _time(value: object) -> str:
    parsed = _parsed(value)
    return parsed.strftime("%H:%M:%S") if parsed else ""


def _date_time(value: object) -> str:
    parsed = _parsed(value)
    return parsed.strftime("%Y-%m-%d %H:%M:%S UTC") if parsed else ""
