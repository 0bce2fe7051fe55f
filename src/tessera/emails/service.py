"""Rules of ``/:pid/emails`` (fact sheet §5.26): templates, the SMTP test and the internal
send; and which notification e-mails committed domain events cause.

Notifications (Tiledesk: pubmodules/emailNotification/requestNotification.js):

* a conversation assigned to an agent (``request.assigned``, automatic or by someone else;
  not an agent taking it themselves) → that agent, ``assignedRequest``;
* a conversation waiting in the queue (``request.create`` or a change of participants that
  leaves it unassigned, status 100) → the department's available agents (routing
  candidates with ``user_available``; Tiledesk mails all of them) with a verified address,
  ``pooledRequest``;
* a message from the contact in an assigned conversation → its agents who are unavailable
  (on the e-mail and form channels: all of them), ``assignedEmailMessage``; in a waiting
  conversation of the e-mail and form channels → the candidates, ``pooledEmailMessage``;
* any message but service messages → the conversation's followers with a verified
  address, except its sender, ``newMessageFollower``;
* a conversation closed, when the project's ``settings.email.autoSendTranscriptToRequester``
  is true → the contact and the project's owners and admins, ``sendTranscript``;
* an answer to the contact (a teammate's or a bot's message, not a service or private one)
  → on the e-mail and form channels, the contact, ``ticket``; in a chat, a teammate's answer
  when the contact seems away, ``newMessage``.

Project settings ``email.notification.conversation.{blocked, assigned, pooled,
ticket.assigned, ticket.pooled}`` and each membership's ``settings.email.notification...``
switch the agents' mails off, ``email.notification.conversation.offline.{blocked, enabled}``
the contact's offline mail, with Tiledesk's names. Preflight and draft conversations notify
nobody.

Tessera knows nothing of a visitor's connection (no chat engine reports it), so a contact
counts as away when they have not written in the conversation for ``AWAY_AFTER_MS`` (what
Tiledesk's code leaves as a to-do: mail when the last message is older than a few minutes).
"""

import asyncio
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from tessera.auth.principal import Member
from tessera.conversations.models import ASSIGNED, UNASSIGNED
from tessera.core.clock import parse_iso
from tessera.core.db import Record, Tx
from tessera.core.errors import NotFound
from tessera.core.events import DomainEvent
from tessera.core.mail import Email, Mailer
from tessera.emails import notices, repository, smtp_test
from tessera.emails.messages import Links
from tessera.emails.schemas import InternalSendIn, SmtpSettingsIn, SmtpTestIn, SmtpTestOut
from tessera.emails.smtp_test import Outcome, SmtpTestError
from tessera.emails.transport import Outgoing, project_smtp

# What the notifier listens to.
WATCHED = frozenset(
    {
        "request.create",
        "request.assigned",
        "request.participants.update",
        "message.create",
        "request.close",
    }
)
_NOTIFIED_ASSIGNMENTS = frozenset({"auto", "manual_reassign"})
_SERVICE_SUBTYPES = frozenset({"info", "info/support"})
_PRIVATE_SUBTYPE = "private"  # a note between teammates, never shown to the contact
_TICKET_CHANNELS = frozenset({"email", "form"})
_ACTIVE = "active"
_OFFLINE = ("email", "notification", "conversation", "offline")
# The notifications Tiledesk copies to EMAIL_BCC (emailService.js).
_COPIED = frozenset(
    {
        notices.ASSIGNED_REQUEST,
        notices.ASSIGNED_MESSAGE,
        notices.NEW_MESSAGE,
        notices.TICKET,
        notices.TRANSCRIPT,
    }
)
AWAY_AFTER_MS = 5 * 60_000  # a contact silent for this long is mailed the answers


@dataclass(frozen=True, slots=True)
class Policy:
    """What the deployment decides about notifications."""

    links: Links
    widget_page: str  # WIDGET_TEST_LOCATION: where a contact without a page continues
    offline_mail: bool = True  # false: Tiledesk's DISABLE_SEND_OFFLINE_EMAIL
    away_after_ms: int = AWAY_AFTER_MS


# ----------------------------------------------------------------------------- templates


def get_template(name: str, brand: str) -> str:
    """The default template ``name``, as a whole document (Tiledesk reads its template file;
    environment overrides are not supported)."""
    if name not in notices.TEMPLATE_NAMES:
        raise NotFound(f"Template {name} not found", key="error")
    return notices.full_template(name, brand)


# ------------------------------------------------------------------------- SMTP test


async def send_test(
    body: SmtpTestIn, mailer: Mailer, *, allow_private: bool, brand: str
) -> SmtpTestOut:
    """Send a test message through ``body.config`` (none: the server's own SMTP) and say
    what the server answered; every failure is an ``error`` in a 200, as in Tiledesk."""
    email = notices.compose(
        notices.TEST,
        to=body.to,
        subject=f"{brand} test email",
        context={},
        brand=brand,
        settings=None,
    )
    loop = asyncio.get_running_loop()
    attempt = loop.run_in_executor(None, _deliver_test, body.config, mailer, email, allow_private)
    try:
        # Each network step has its own timeout; this bounds them all together.
        outcome = await asyncio.wait_for(attempt, smtp_test.TIMEOUT_SECONDS * 1.5)
    except SmtpTestError as error:
        return SmtpTestOut(error=error.as_wire(), response={})
    except TimeoutError:
        failure = SmtpTestError("ETIMEDOUT", "the SMTP server did not answer in time")
        return SmtpTestOut(error=failure.as_wire(), response={})
    info = {
        "accepted": outcome.accepted,
        "rejected": outcome.rejected,
        "response": outcome.response,
        "envelope": {"from": mailer.sender, "to": [body.to]},
    }
    return SmtpTestOut(error=None, response={"info": info})


def _deliver_test(
    settings: SmtpSettingsIn | None, mailer: Mailer, email: Email, allow_private: bool
) -> Outcome:
    message = mailer.compose(email)
    if settings is None:
        if mailer.smtp is None:
            mailer.deliver(email)
            return Outcome([email.to], [], "logged: SMTP is not configured (SMTP_HOST)")
        return smtp_test.send(mailer.smtp, mailer.smtp.host, message, sender=mailer.sender)
    if not settings.host:
        raise SmtpTestError("ECONFIG", "config.host is required")
    config = smtp_test.config_from(
        settings.host, settings.port, settings.secure, settings.user, settings.password
    )
    address = smtp_test.resolve(config.host, config.port, allow_private=allow_private)
    return smtp_test.send(config, address, message, sender=mailer.sender)


# ----------------------------------------------------------------------- internal send


def internal_emails(tx: Tx, member: Member, body: InternalSendIn, links: Links) -> list[Outgoing]:
    """``POST /internal/send``: the message for the addresses ``to`` names (nobody: nothing
    is sent, and the answer is still ``queued``, as in Tiledesk), through the project's own
    SMTP server when it has one."""
    addresses = _recipients(tx, member.project_id, body.to)
    if not addresses:
        return []
    project = member.project
    request = {"request_id": body.request_id} if body.request_id else None
    values = notices.context(links, project, request, {"text": body.text})
    values.update({"text": body.text, "project_name": project["name"]})
    subject = " ".join((body.subject or "").split()) or f"Message from {project['name']}"
    email = notices.compose(
        notices.EMAIL_DIRECT,
        to=", ".join(addresses),
        subject=subject,
        context=values,
        brand=links.brand,
        settings=project.get("settings"),
        reply_to=body.replyto,
    )
    return [Outgoing(email, smtp=project_smtp(project.get("settings")))]


def _recipients(tx: Tx, project_id: str, to: str) -> list[str]:
    """Tiledesk's recipientEmailUtil: ``@...`` names the owners and admins, a word without
    ``@`` a group of the project, anything else is a list of addresses."""
    to = to.strip()
    if to.startswith("@"):
        return _addresses(repository.administrators(tx, project_id))
    if "@" not in to:
        group = repository.group_by_name(tx, project_id, to)
        members = group.members if group is not None else []
        return _addresses(repository.teammates_by_user(tx, project_id, members))
    return [part.strip() for part in to.split(",") if _is_address(part.strip())]


def _is_address(value: str) -> bool:
    local, at, domain = value.partition("@")
    return bool(local and at and domain) and not any(c in value for c in " <>;,\"'")


def _addresses(teammates: Iterable[Record]) -> list[str]:
    return list(dict.fromkeys(teammate.email for teammate in teammates if teammate.email))


# ------------------------------------------------------------------------ notifications


def notifications_for(tx: Tx, policy: Policy, events: Sequence[DomainEvent]) -> list[Outgoing]:
    """The notification e-mails of one committed unit of work's events."""
    plan = _Plan(tx, policy, events)
    for event in events:
        handler = plan.handlers.get(event.name)
        if handler is not None and event.project_id is not None:
            handler(event.project_id, event.payload)
    return plan.emails


class _Plan:
    """The e-mails of a batch of events, with the projects they read loaded once."""

    def __init__(self, tx: Tx, policy: Policy, events: Sequence[DomainEvent]) -> None:
        self.tx = tx
        self.policy = policy
        self.links = policy.links
        self.emails: list[Outgoing] = []
        self._projects: dict[str, Record | None] = {}
        # A close that changed something comes with its ``request.update``; closing a closed
        # conversation only announces ``request.close`` again and sends no transcript.
        self._updated = {
            str(event.payload.get("request_id"))
            for event in events
            if event.name == "request.update"
        }
        self._from_requester = {
            str(event.payload.get("_id"))
            for event in events
            if event.name == "message.create.from.requester"
        }
        self.handlers: dict[str, Callable[[str, dict[str, Any]], None]] = {
            "request.create": self._created,
            "request.assigned": self._assigned,
            "request.participants.update": self._participants_changed,
            "message.create": self._message,
            "request.close": self._closed,
        }

    # -------------------------------------------------------------- conversations

    def _created(self, project_id: str, request: dict[str, Any]) -> None:
        if request.get("status") == UNASSIGNED:
            self._pooled(project_id, request)

    def _participants_changed(self, project_id: str, change: dict[str, Any]) -> None:
        request = change.get("request")
        if isinstance(request, dict) and request.get("status") == UNASSIGNED:
            self._pooled(project_id, request)

    def _pooled(self, project_id: str, request: dict[str, Any]) -> None:
        project = self._unblocked_project(project_id)
        if project is None or _quiet(request) or _off(project.settings, "pooled"):
            return
        candidates = repository.candidates_of(self.tx, str(request["_id"]))
        for teammate in repository.teammates_by_user(self.tx, project_id, candidates):
            if (
                teammate.user_available
                and teammate.emailverified
                and not _member_off(teammate, "pooled")
            ):
                self._add(notices.POOLED_REQUEST, teammate.email, project, request)

    def _assigned(self, project_id: str, event: dict[str, Any]) -> None:
        request = event.get("request")
        if (
            not isinstance(request, dict)
            or event.get("assigneeType") != "user"
            or event.get("assignmentType") not in _NOTIFIED_ASSIGNMENTS
            or request.get("status") != ASSIGNED
            or _quiet(request)
        ):
            return
        project = self._unblocked_project(project_id)
        if project is None or _off(project.settings, "assigned"):
            return
        assignee = str(event.get("assigneeId"))
        for teammate in repository.teammates_by_user(self.tx, project_id, [assignee]):
            if not _member_off(teammate, "assigned", "toyou"):
                self._add(notices.ASSIGNED_REQUEST, teammate.email, project, request)

    def _closed(self, project_id: str, request: dict[str, Any]) -> None:
        project = self._unblocked_project(project_id)
        if project is None or str(request.get("request_id")) not in self._updated:
            return
        if _setting(project.settings, "email", "autoSendTranscriptToRequester") is not True:
            return
        lead = request.get("lead")
        addresses = _addresses(repository.administrators(self.tx, project_id))
        if isinstance(lead, dict) and lead.get("email"):
            addresses = list(dict.fromkeys([str(lead["email"]), *addresses]))
        history = request.get("messages") or []
        values = notices.transcript_context(self.links, project, request, history)
        subject = notices.transcript_subject(self.links.brand, project.name)
        for address in addresses:
            self._compose(notices.TRANSCRIPT, address, subject, values, project)

    # -------------------------------------------------------------------- messages

    def _message(self, project_id: str, message: dict[str, Any]) -> None:
        request = message.get("request")
        attributes = message.get("attributes") or {}
        if (
            not isinstance(request, dict)
            or message.get("sender") == "system"
            or attributes.get("subtype") in _SERVICE_SUBTYPES
            or _quiet(request)
        ):
            return
        project = self._project(project_id)
        if project is None:
            return
        from_requester = str(message.get("_id")) in self._from_requester
        if not _blocked(project):
            notified = self._followers(project, request, message)
            if from_requester:
                self._agents(project, request, message, notified)
        if not from_requester and attributes.get("subtype") != _PRIVATE_SUBTYPE:
            self._contact(project, request, message)

    def _followers(
        self, project: Record, request: dict[str, Any], message: dict[str, Any]
    ) -> set[str]:
        followers = [str(follower) for follower in request.get("followers") or []]
        notified = set()
        for teammate in repository.teammates_by_membership(self.tx, project.id, followers):
            if (
                teammate.user_id != message.get("sender")
                and teammate.emailverified
                and not _member_off(teammate, "ticket", "follower")
            ):
                self._add(notices.FOLLOWER_MESSAGE, teammate.email, project, request, message)
                notified.add(teammate.user_id)
        return notified

    def _agents(
        self, project: Record, request: dict[str, Any], message: dict[str, Any], notified: set[str]
    ) -> None:
        """The contact wrote: its agents hear of it when they are away (Tiledesk mails them
        on the e-mail and form channels only, where nobody watches a chat)."""
        if message.get("text") == request.get("first_text"):
            return  # the conversation's first message: the assigned/pooled e-mail tells it
        ticket = (request.get("channel") or {}).get("name") in _TICKET_CHANNELS
        if request.get("status") == ASSIGNED and not _off(project.settings, "ticket", "assigned"):
            people = [p for p in request.get("participants") or [] if not p.startswith("bot_")]
            for teammate in repository.teammates_by_user(self.tx, project.id, people):
                if (
                    teammate.user_id not in notified
                    and (ticket or not teammate.user_available)
                    and not _member_off(teammate, "ticket", "assigned", "toyou")
                ):
                    self._add(notices.ASSIGNED_MESSAGE, teammate.email, project, request, message)
        elif request.get("status") == UNASSIGNED and ticket:
            if _off(project.settings, "ticket", "pooled"):
                return
            candidates = repository.candidates_of(self.tx, str(request["_id"]))
            for teammate in repository.teammates_by_user(self.tx, project.id, candidates):
                if teammate.emailverified and teammate.user_id not in notified:
                    self._add(notices.POOLED_MESSAGE, teammate.email, project, request, message)

    # ---------------------------------------------------------------------- contact

    def _contact(self, project: Record, request: dict[str, Any], message: dict[str, Any]) -> None:
        """An answer to the contact reaches them by e-mail: always on the e-mail and form
        channels (where they wrote from a mailbox), in a chat only when they seem away and
        a teammate wrote (a bot answers while the contact is there). Tiledesk's
        ``conversation.blocked`` switch concerns the agents' mails, not these."""
        to = str(_lead(request).get("email") or "").strip()
        if not _is_address(to):
            return
        if (request.get("channel") or {}).get("name") in _TICKET_CHANNELS:
            subject = notices.ticket_subject(project.name, request)
            self._to_contact(notices.TICKET, to, subject, project, request, message)
        elif self._offline_mail(project, request, message):
            subject = notices.offline_subject(self.links.brand, project.name)
            self._to_contact(notices.NEW_MESSAGE, to, subject, project, request, message)

    def _offline_mail(
        self, project: Record, request: dict[str, Any], message: dict[str, Any]
    ) -> bool:
        """Tiledesk's conditions (``sendUserEmail``): not switched off by the server nor by
        the project's ``offline.blocked``/``offline.enabled``, the contact's membership
        active and the contact away; Tessera adds that a teammate wrote."""
        requester = request.get("requester")
        return (
            self.policy.offline_mail
            and _setting(project.settings, *_OFFLINE, "blocked") is not True
            and _setting(project.settings, *_OFFLINE, "enabled") is not False
            and isinstance(requester, Mapping)
            and requester.get("status") == _ACTIVE
            and self._teammate(project.id, str(message.get("sender")))
            and self._away(project.id, request, message)
        )

    def _teammate(self, project_id: str, sender: str) -> bool:
        return bool(repository.teammates_by_user(self.tx, project_id, [sender]))

    def _away(self, project_id: str, request: dict[str, Any], message: dict[str, Any]) -> bool:
        """The contact has not written in the conversation for ``away_after_ms``."""
        lead_id = str(_lead(request).get("lead_id") or "")
        request_id = str(request.get("request_id"))
        last = repository.last_message_at(self.tx, project_id, request_id, lead_id)
        answered = parse_iso(str(message.get("createdAt"))) or self.tx.now
        return last is None or answered - last >= self.policy.away_after_ms

    def _to_contact(
        self,
        kind: str,
        to: str,
        subject: str,
        project: Record,
        request: dict[str, Any],
        message: dict[str, Any],
    ) -> None:
        page = self.policy.widget_page
        values = notices.contact_context(self.links, project, request, message, page)
        self._compose(kind, to, subject, values, project)

    # --------------------------------------------------------------------- helpers

    def _project(self, project_id: str) -> Record | None:
        if project_id not in self._projects:
            self._projects[project_id] = repository.project(self.tx, project_id)
        return self._projects[project_id]

    def _unblocked_project(self, project_id: str) -> Record | None:
        """The project, unless its ``conversation.blocked`` switch silences the agents'
        notifications (and the transcript)."""
        project = self._project(project_id)
        return None if project is None or _blocked(project) else project

    def _add(
        self,
        kind: str,
        to: str,
        project: Record,
        request: Mapping[str, Any],
        message: Mapping[str, Any] | None = None,
    ) -> None:
        brand, name = self.links.brand, project.name
        subject = {
            notices.ASSIGNED_REQUEST: notices.assigned_subject,
            notices.POOLED_REQUEST: notices.pooled_subject,
        }.get(kind, notices.message_subject)(brand, name, request)
        values = notices.context(self.links, project, request, message)
        self._compose(kind, to, subject, values, project)

    def _compose(
        self, kind: str, to: str, subject: str, values: dict[str, Any], project: Record
    ) -> None:
        email = notices.compose(
            kind,
            to=to,
            subject=subject,
            context=values,
            brand=self.links.brand,
            settings=project.settings,
        )
        copy_subject = f"{subject} - notification" if kind in _COPIED else None
        smtp = project_smtp(project.settings)
        self.emails.append(Outgoing(email, smtp=smtp, copy_subject=copy_subject))


def _blocked(project: Record) -> bool:
    return _setting(project.settings, "email", "notification", "conversation", "blocked") is True


def _lead(request: Mapping[str, Any]) -> Mapping[str, Any]:
    lead = request.get("lead")
    return lead if isinstance(lead, Mapping) else {}


def _quiet(request: Mapping[str, Any]) -> bool:
    """Preflight conversations (the widget opened, nobody wrote) and drafts notify nobody."""
    return bool(request.get("preflight")) or bool(request.get("draft"))


def _setting(settings: Any, *path: str) -> Any:
    value = settings
    for key in path:
        if not isinstance(value, Mapping):
            return None
        value = value.get(key)
    return value


def _off(settings: Any, *path: str) -> bool:
    """A project switch ``email.notification.conversation.<path>`` set to false (Tiledesk
    compares with ``== false``: only an explicit false switches off)."""
    return _setting(settings, "email", "notification", "conversation", *path) is False


def _member_off(teammate: Record, *path: str) -> bool:
    return _off(teammate.settings, *path)
