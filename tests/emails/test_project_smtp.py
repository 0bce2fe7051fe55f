"""A project's own SMTP server and sender (``settings.email.config``, ``settings.email.from``,
Tiledesk's emailService), and the ``EMAIL_BCC`` copies."""

import dataclasses
import logging
from typing import Any

import httpx
import pytest

from tessera.emails.notifier import Notifier
from tests.emails.support import BCC, PROJECT_NAME, Team, open_conversation, set_settings, team
from tests.factories import unique_email
from tests.support.smtp import SmtpSink

SECRET = "pr0ject-SMTP-secret"
PROJECT_FROM = "Acme Desk <desk@acme.example.com>"


def _config(sink: SmtpSink, **extra: Any) -> dict[str, Any]:
    return {"host": sink.host, "port": sink.port, "secure": False, **extra}


def _count(sink: SmtpSink, to: str, subject: str) -> int:
    return sum(1 for mail in sink.received if to in mail.recipients and subject in mail.subject)


async def _use_server(client: httpx.AsyncClient, crew: Team, sink: SmtpSink, **config: Any) -> None:
    await set_settings(
        client, crew, {"email": {"from": PROJECT_FROM, "config": _config(sink, **config)}}
    )


class TestProjectSmtp:
    async def test_the_projects_server_and_sender_carry_its_notifications(
        self,
        client: httpx.AsyncClient,
        smtp: SmtpSink,
        project_smtp: SmtpSink,
        notifier: Notifier,
    ) -> None:
        crew = await team(client, smtp)
        agent = crew.agents[0]
        await _use_server(client, crew, project_smtp, port=str(project_smtp.port))

        await open_conversation(client, crew)
        await notifier.drain()

        mail = await project_smtp.wait_for(agent.email, subject="New Assigned Chat")
        assert mail.subject == f"[Tessera {PROJECT_NAME}] New Assigned Chat"
        assert mail.message["From"] == PROJECT_FROM
        assert mail.sender == "desk@acme.example.com"
        assert _count(smtp, agent.email, "New Assigned Chat") == 0

    async def test_the_internal_send_goes_through_it_too(
        self, client: httpx.AsyncClient, smtp: SmtpSink, project_smtp: SmtpSink
    ) -> None:
        crew = await team(client, smtp)
        await _use_server(client, crew, project_smtp)
        to = unique_email("direct")

        response = await client.post(
            f"/{crew.project_id}/emails/internal/send",
            json={"to": to, "text": "Your invoice", "subject": "Invoice"},
            headers=crew.agents[0].auth,
        )

        assert response.status_code == 200
        mail = await project_smtp.wait_for(to, subject="Invoice")
        assert mail.message["From"] == PROJECT_FROM
        assert smtp.count_for(to) == 0

    @pytest.mark.parametrize(
        "config",
        [None, "smtp.example.com", {"host": "", "port": 25}, {"host": "bad host\r\n"}, {"host": 7}],
        ids=["none", "text", "blank-host", "bad-host", "number"],
    )
    async def test_without_a_usable_host_the_servers_smtp_and_address_are_used(
        self, client: httpx.AsyncClient, smtp: SmtpSink, project_smtp: SmtpSink, config: Any
    ) -> None:
        crew = await team(client, smtp)
        await set_settings(client, crew, {"email": {"from": PROJECT_FROM, "config": config}})

        await open_conversation(client, crew)

        mail = await smtp.wait_for(crew.agents[0].email, subject="New Assigned Chat")
        assert mail.message["From"] == "Tessera <noreply@tessera.localhost>"
        assert mail.sender == "noreply@tessera.localhost"
        assert project_smtp.count_for(crew.agents[0].email) == 0

    async def test_a_sender_that_is_no_address_gives_way_to_the_servers(
        self,
        client: httpx.AsyncClient,
        smtp: SmtpSink,
        project_smtp: SmtpSink,
        notifier: Notifier,
    ) -> None:
        crew = await team(client, smtp)
        settings = {"from": "Desk\r\nBcc: x@evil.example", "config": _config(project_smtp)}
        await set_settings(client, crew, {"email": settings})

        await open_conversation(client, crew)
        await notifier.drain()

        mail = await project_smtp.wait_for(crew.agents[0].email, subject="New Assigned Chat")
        assert mail.message["From"] == "Tessera <noreply@tessera.localhost>"
        assert mail.recipients == [crew.agents[0].email]

    async def test_a_failing_server_is_logged_without_its_password(
        self,
        client: httpx.AsyncClient,
        smtp: SmtpSink,
        project_smtp: SmtpSink,
        notifier: Notifier,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        crew = await team(client, smtp)
        agent = crew.agents[0]
        # The sink offers no AUTH: logging in fails.
        await _use_server(client, crew, project_smtp, user="desk", **{"pass": SECRET})

        with caplog.at_level(logging.INFO, logger="tessera"):
            await open_conversation(client, crew)
            await notifier.drain()

        failures = [r for r in caplog.records if "project's SMTP server" in r.getMessage()]
        assert [failure.levelno for failure in failures] == [logging.ERROR]
        assert agent.email in failures[0].getMessage()
        assert SECRET not in caplog.text
        assert project_smtp.count_for(agent.email) == 0
        assert _count(smtp, agent.email, "New Assigned Chat") == 0  # no fallback

    async def test_a_private_host_is_refused_unless_allowed(
        self,
        default_client: httpx.AsyncClient,
        smtp: SmtpSink,
        project_smtp: SmtpSink,
        default_notifier: Notifier,
        caplog: pytest.LogCaptureFixture,
    ) -> None:
        crew = await team(default_client, smtp)
        agent = crew.agents[0]
        await _use_server(default_client, crew, project_smtp, **{"pass": SECRET})

        with caplog.at_level(logging.INFO, logger="tessera"):
            await open_conversation(default_client, crew)
            await default_notifier.drain()

        assert "EHOSTNOTALLOWED" in caplog.text
        assert SECRET not in caplog.text
        assert project_smtp.count_for(agent.email) == 0
        assert _count(smtp, agent.email, "New Assigned Chat") == 0

    async def test_only_owners_and_admins_read_the_projects_smtp_password(
        self, client: httpx.AsyncClient, smtp: SmtpSink, project_smtp: SmtpSink
    ) -> None:
        crew = await team(client, smtp)
        await _use_server(client, crew, project_smtp, **{"pass": SECRET})
        agent = crew.agents[0]

        one = await client.get(f"/projects/{crew.project_id}", headers=agent.auth)
        listed = await client.get("/projects", headers=agent.auth)
        operators = await client.get(
            f"/{crew.project_id}/departments/default/operators", headers=agent.auth
        )
        owners = await client.get(f"/projects/{crew.project_id}", headers=crew.owner.auth)

        assert one.status_code == listed.status_code == operators.status_code == 200
        for shown in (one, listed, operators):
            assert SECRET not in shown.text
        assert one.json()["settings"]["email"]["config"]["host"]
        assert owners.json()["settings"]["email"]["config"]["pass"] == SECRET


class TestServerSettings:
    async def test_bcc_copies_the_notifications_tiledesk_copies(
        self,
        configured_client: httpx.AsyncClient,
        smtp: SmtpSink,
        configured_notifier: Notifier,
    ) -> None:
        assigned = await team(configured_client, smtp)
        pooled = await team(configured_client, smtp, routing="pooled")

        await open_conversation(configured_client, assigned, subject="Copied")
        await open_conversation(configured_client, pooled, subject="Not copied")
        await configured_notifier.drain()

        copy = await smtp.wait_for(BCC, subject="Copied")
        assert copy.subject == f"[Tessera {PROJECT_NAME}] Copied - notification"
        assert copy.recipients == [BCC]
        assert "A new conversation is assigned to you" in copy.html
        assert _count(smtp, pooled.agents[0].email, "Not copied") == 1
        assert _count(smtp, BCC, "Not copied") == 0

    async def test_disable_send_offline_email_keeps_contacts_unmailed(
        self,
        configured_client: httpx.AsyncClient,
        smtp: SmtpSink,
        configured_notifier: Notifier,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        away_at_once = dataclasses.replace(configured_notifier.policy, away_after_ms=0)
        monkeypatch.setattr(configured_notifier, "policy", away_at_once)
        crew = await team(configured_client, smtp)
        contact = unique_email("contact")
        created = await open_conversation(configured_client, crew, email=contact)

        response = await configured_client.post(
            f"/{crew.project_id}/requests/{created['request_id']}/messages",
            json={"text": "Answer"},
            headers=crew.agents[0].auth,
        )
        await configured_notifier.drain()

        assert response.status_code == 200
        assert smtp.count_for(contact) == 0
