"""``/:pid/emails`` (§5.26): templates, the SMTP test and the internal send."""

import asyncio
import socket
from collections.abc import AsyncIterator

import httpx
import pytest

from tessera.emails import smtp_test
from tests.factories import World, make_world, unique_email
from tests.support.smtp import SmtpSink

TEMPLATES = [
    "assignedRequest",
    "assignedEmailMessage",
    "pooledRequest",
    "pooledEmailMessage",
    "newMessage",
    "newMessageFollower",
    "ticket",
    "emailDirect",
    "resetPassword",
    "passwordChanged",
    "beenInvitedExistingUser",
    "beenInvitedNewUser",
    "verify",
    "sendTranscript",
]
ALLOWED = ["owner", "admin", "supervisor", "agent"]


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


def _headers(world: World, who: str) -> dict[str, str]:
    if who == "nobody":
        return {}
    if who in ("guest", "end_user"):
        visitor = world.guest if who == "guest" else world.end_user
        return visitor.auth
    return world.person(who).auth


class TestTemplates:
    @pytest.mark.parametrize("name", TEMPLATES)
    async def test_every_template_is_a_whole_responsive_document(
        self, client: httpx.AsyncClient, world: World, name: str
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/emails/templates/{name}", headers=world.agent.auth
        )

        assert response.status_code == 200
        body = response.json()
        assert list(body) == ["template"]
        assert body["template"].startswith("<!DOCTYPE html>")
        assert '<meta name="viewport"' in body["template"]
        assert "@media (max-width: 600px)" in body["template"]
        assert "{{" in body["template"]  # the tags stay for a project to edit

    async def test_notification_templates_use_tiledesks_value_names(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/emails/templates/assignedRequest", headers=world.agent.auth
        )

        template = response.json()["template"]
        assert "{{{msgText}}}" in template
        assert "{{project.name}}" in template
        assert "{{conversationUrl}}" in template

    @pytest.mark.parametrize("name", ["nope", "layout", "..pyproject", "test"])
    async def test_unknown_templates_are_not_found(
        self, client: httpx.AsyncClient, world: World, name: str
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/emails/templates/{name}", headers=world.agent.auth
        )

        assert response.status_code == 404
        assert response.json() == {"success": False, "error": f"Template {name} not found"}

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("nobody", 401),
            ("outsider", 403),
            ("stranger", 403),
            ("guest", 403),
            ("end_user", 403),
            *[(role, 200) for role in ALLOWED],
        ],
    )
    async def test_role_matrix(
        self, client: httpx.AsyncClient, world: World, who: str, status: int
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/emails/templates/verify", headers=_headers(world, who)
        )

        assert response.status_code == status

    async def test_members_of_another_project_are_refused(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.other_project_id}/emails/templates/verify", headers=world.agent.auth
        )

        assert response.status_code == 403


class _SilentServer:
    """Accepts connections and never says a word (an SMTP server that hangs)."""

    def __init__(self) -> None:
        self.server: asyncio.base_events.Server | None = None
        self.port = 0

    async def __aenter__(self) -> "_SilentServer":
        self.server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *_: object) -> None:
        assert self.server is not None
        self.server.close()

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()
        writer.close()


@pytest.fixture
async def silent_server() -> AsyncIterator[_SilentServer]:
    async with _SilentServer() as server:
        yield server


def _got(smtp: SmtpSink, to: str, subject: str) -> int:
    """How many mails ``to`` received whose subject contains ``subject``."""
    return sum(1 for mail in smtp.received if to in mail.recipients and subject in mail.subject)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class TestSmtpTest:
    async def test_sends_through_the_smtp_server_of_the_body(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink
    ) -> None:
        to = unique_email("smtp-test")
        config = {"host": "127.0.0.1", "port": smtp.port, "secure": False, "user": "", "pass": ""}

        response = await client.post(
            f"/{world.project_id}/emails/test/send",
            json={"to": to, "config": config},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        assert response.json() == {
            "error": None,
            "response": {
                "info": {
                    "accepted": [to],
                    "rejected": [],
                    "response": "250 OK queued",
                    "envelope": {"from": "noreply@tessera.localhost", "to": [to]},
                }
            },
        }
        mail = await smtp.wait_for(to)
        assert mail.subject == "Tessera test email"
        assert mail.recipients == [to]
        assert "Your e-mail settings work" in mail.html

    async def test_without_settings_the_servers_own_smtp_sends_it(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink
    ) -> None:
        to = unique_email("smtp-default")

        response = await client.post(
            f"/{world.project_id}/emails/test/send", json={"to": to}, headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json()["error"] is None
        assert response.json()["response"]["info"]["accepted"] == [to]
        assert (await smtp.wait_for(to)).subject == "Tessera test email"

    async def test_private_and_loopback_hosts_are_refused_unless_allowed(
        self, default_client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        world = await make_world(default_client)
        to = unique_email("smtp-private")
        refused = {}
        for host in ("127.0.0.1", "localhost", "10.0.0.8", "169.254.169.254"):
            response = await default_client.post(
                f"/{world.project_id}/emails/test/send",
                json={"to": to, "config": {"host": host, "port": smtp.port}},
                headers=world.admin.auth,
            )
            refused[host] = (response.status_code, response.json())

        for host, (status, body) in refused.items():
            assert status == 200
            assert body["response"] == {}
            assert body["error"]["code"] == "EHOSTNOTALLOWED", host
        assert smtp.count_for(to) == 0

    async def test_a_server_that_does_not_answer_times_out(
        self,
        client: httpx.AsyncClient,
        world: World,
        silent_server: _SilentServer,
        monkeypatch: pytest.MonkeyPatch,
    ) -> None:
        monkeypatch.setattr(smtp_test, "TIMEOUT_SECONDS", 0.5)

        response = await client.post(
            f"/{world.project_id}/emails/test/send",
            json={
                "to": unique_email(),
                "config": {"host": "127.0.0.1", "port": silent_server.port},
            },
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        assert response.json()["error"]["code"] == "ETIMEDOUT"
        assert response.json()["response"] == {}

    async def test_connection_failures_are_reported_without_the_password(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink
    ) -> None:
        secret = "pa55-Never-Shown"

        closed = await client.post(
            f"/{world.project_id}/emails/test/send",
            json={"to": unique_email(), "config": {"host": "127.0.0.1", "port": _closed_port()}},
            headers=world.admin.auth,
        )
        login = await client.post(
            f"/{world.project_id}/emails/test/send",
            json={
                "to": unique_email(),
                "config": {"host": "127.0.0.1", "port": smtp.port, "user": "me", "pass": secret},
            },
            headers=world.admin.auth,
        )

        assert closed.status_code == 200
        assert closed.json()["error"]["code"] == "ECONNECTION"
        assert login.status_code == 200
        assert login.json()["error"]["code"] == "ECONNECTION"  # the sink offers no AUTH
        assert secret not in login.text

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"to": "not-an-address"},
            {"to": "a@b.c\r\nBcc: x@y.z"},
            {"to": "a@example.com", "config": {"host": "127.0.0.1", "port": 70000}},
            {"to": "a@example.com", "config": {"host": "bad host\r\n", "port": 25}},
        ],
    )
    async def test_bad_input_is_refused_and_nothing_is_sent(
        self, client: httpx.AsyncClient, world: World, body: dict[str, object]
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/emails/test/send", json=body, headers=world.admin.auth
        )

        assert response.status_code == 422
        assert response.json()["errors"][0]["msg"] == "Invalid value"

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("nobody", 401),
            ("outsider", 403),
            ("stranger", 403),
            ("guest", 403),
            ("end_user", 403),
            *[(role, 200) for role in ALLOWED],
        ],
    )
    async def test_role_matrix(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink, who: str, status: int
    ) -> None:
        to = unique_email("smtp-roles")

        response = await client.post(
            f"/{world.project_id}/emails/test/send", json={"to": to}, headers=_headers(world, who)
        )

        assert response.status_code == status
        if status != 200:
            assert smtp.count_for(to) == 0


class TestInternalSend:
    async def test_sends_the_text_escaped_with_subject_and_reply_to(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink
    ) -> None:
        to = unique_email("internal")
        body = {
            "to": to,
            "text": "Order <b>42</b> & co\nshipped",
            "subject": "Your order",
            "replyto": "desk@example.com",
            "request_id": "support-group-x",
        }

        response = await client.post(
            f"/{world.project_id}/emails/internal/send", json=body, headers=world.agent.auth
        )

        assert response.status_code == 200
        assert response.json() == {"queued": True}
        mail = await smtp.wait_for(to)
        assert mail.subject == "Your order"
        assert mail.recipients == [to]
        assert mail.message["Reply-To"] == "desk@example.com"
        assert "Order &lt;b&gt;42&lt;/b&gt; &amp; co<br>" in mail.html
        assert "<b>42</b>" not in mail.html
        assert "Order <b>42</b> & co\nshipped" in mail.text.replace("\r\n", "\n")
        assert "Sent on behalf of Acme." in mail.text

    async def test_an_at_sign_reaches_the_owners_and_admins(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/emails/internal/send",
            json={"to": "@admins", "text": "Heads up", "subject": "Escalation"},
            headers=world.agent.auth,
        )

        assert response.json() == {"queued": True}
        owner = await smtp.wait_for(world.owner.email, subject="Escalation")
        assert sorted(owner.recipients) == sorted([world.owner.email, world.admin.email])
        assert _got(smtp, world.agent.email, "Escalation") == 0
        assert _got(smtp, world.supervisor.email, "Escalation") == 0

    async def test_a_group_name_reaches_its_members(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink
    ) -> None:
        created = await client.post(
            f"/{world.project_id}/groups",
            json={"name": "Billing", "members": [world.agent.id, world.supervisor.id]},
            headers=world.admin.auth,
        )
        assert created.status_code == 200, created.text

        response = await client.post(
            f"/{world.project_id}/emails/internal/send",
            json={"to": "Billing", "text": "Invoice question", "subject": "Billing help"},
            headers=world.owner.auth,
        )

        assert response.json() == {"queued": True}
        mail = await smtp.wait_for(world.agent.email, subject="Billing help")
        assert sorted(mail.recipients) == sorted([world.agent.email, world.supervisor.email])
        assert _got(smtp, world.owner.email, "Billing help") == 0

    async def test_an_unknown_group_sends_nothing_but_is_queued(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink
    ) -> None:
        subject = f"ghost-{world.project_id}"

        response = await client.post(
            f"/{world.project_id}/emails/internal/send",
            json={"to": "Nobody", "text": "x", "subject": subject},
            headers=world.owner.auth,
        )
        await asyncio.sleep(0.3)

        assert response.json() == {"queued": True}
        assert not [mail for mail in smtp.received if mail.subject == subject]

    @pytest.mark.parametrize(
        "body",
        [
            {},
            {"text": "no recipient"},
            {"to": "a@b.c\nBcc: x@y.z"},
            {"to": "a@b.c", "replyto": "x"},
        ],
    )
    async def test_bad_input_is_refused(
        self, client: httpx.AsyncClient, world: World, body: dict[str, object]
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/emails/internal/send", json=body, headers=world.agent.auth
        )

        assert response.status_code == 422

    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("nobody", 401),
            ("outsider", 403),
            ("stranger", 403),
            ("guest", 403),
            ("end_user", 403),
            *[(role, 200) for role in ALLOWED],
        ],
    )
    async def test_role_matrix(
        self, client: httpx.AsyncClient, world: World, smtp: SmtpSink, who: str, status: int
    ) -> None:
        to = unique_email("internal-roles")

        response = await client.post(
            f"/{world.project_id}/emails/internal/send",
            json={"to": to, "text": "hi"},
            headers=_headers(world, who),
        )

        assert response.status_code == status
        if status == 200:
            assert (await smtp.wait_for(to)).recipients == [to]
        else:
            assert smtp.count_for(to) == 0
