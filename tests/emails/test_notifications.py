"""Notification e-mails driven by committed events (§5.26, Tiledesk's requestNotification):
what each says, who receives it and when nobody does."""

import httpx

from tessera.emails.notifier import Notifier
from tests.emails.support import (
    PROJECT_NAME,
    open_conversation,
    post,
    set_available,
    set_settings,
    team,
    verified,
)
from tests.factories import add_member, unique_email
from tests.support.smtp import SmtpSink

DASHBOARD = "https://dashboard.example.com"
HOSTILE = '<img src=x onerror="alert(1)"> & <b>bold</b>'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"


def _got(smtp: SmtpSink, to: str, subject: str) -> int:
    return sum(1 for mail in smtp.received if to in mail.recipients and subject in mail.subject)


class TestAssigned:
    async def test_the_assigned_agent_gets_the_conversation_with_escaped_text_and_a_link(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        crew = await team(client, smtp)
        agent = crew.agents[0]

        created = await open_conversation(
            client, crew, first_text=HOSTILE, sourcePage="https://shop.example.com/cart"
        )

        mail = await smtp.wait_for(agent.email, subject="New Assigned Chat")
        assert mail.subject == f"[Tessera {PROJECT_NAME}] New Assigned Chat"
        assert mail.recipients == [agent.email]
        assert ESCAPED in mail.html
        assert "<img src=x" not in mail.html
        assert "<b>bold</b>" not in mail.html
        assert "Acme &lt;Support&gt;" in mail.html
        link = f"{DASHBOARD}/#/project/{crew.project_id}/wsrequest/{created['request_id']}/messages"
        assert f'href="{link}"' in mail.html
        assert link in mail.text
        assert HOSTILE in mail.text
        assert "https://shop.example.com/cart" in mail.text

    async def test_a_subject_replaces_the_default_one(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        crew = await team(client, smtp)

        await open_conversation(client, crew, subject="Refund for order 42")

        mail = await smtp.wait_for(crew.agents[0].email, subject="Refund")
        assert mail.subject == f"[Tessera {PROJECT_NAME}] Refund for order 42"

    async def test_an_agent_assigned_by_an_admin_is_told_and_one_joining_alone_is_not(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp, agents=2, routing="pooled")
        first, second = crew.agents
        created = await open_conversation(client, crew, first_text="Queue me")
        participants = f"/{crew.project_id}/requests/{created['request_id']}/participants"

        by_admin = await client.post(
            participants, json={"member": first.id}, headers=crew.owner.auth
        )
        by_self = await client.post(participants, json={"member": second.id}, headers=second.auth)
        await notifier.drain()

        assert by_admin.status_code == 200
        assert by_self.status_code == 200
        assert _got(smtp, first.email, "New Assigned Chat") == 1
        assert _got(smtp, second.email, "New Assigned Chat") == 0

    async def test_the_project_may_switch_it_off(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        await set_settings(
            client, crew, {"email": {"notification": {"conversation": {"assigned": False}}}}
        )

        await open_conversation(client, crew)
        await notifier.drain()

        assert _got(smtp, crew.agents[0].email, "New Assigned Chat") == 0

    async def test_blocked_projects_send_nothing(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        await set_settings(
            client, crew, {"email": {"notification": {"conversation": {"blocked": True}}}}
        )

        await open_conversation(client, crew)
        await notifier.drain()

        assert _got(smtp, crew.agents[0].email, "New Assigned Chat") == 0

    async def test_preflight_conversations_notify_nobody(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)

        await open_conversation(client, crew, preflight=True)
        await notifier.drain()

        assert _got(smtp, crew.agents[0].email, "New Assigned Chat") == 0


class TestPooled:
    async def test_every_candidate_with_a_verified_address_hears_of_a_waiting_conversation(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp, agents=2, routing="pooled")
        unverified = await team(client, smtp, agents=1, routing="pooled", verify=False)

        await open_conversation(client, crew, first_text="Anyone <there>?")
        await open_conversation(client, unverified, first_text="Anyone?")
        await notifier.drain()

        for agent in crew.agents:
            mail = await smtp.wait_for(agent.email, subject="New Pooled Chat")
            assert mail.subject == f"[Tessera {PROJECT_NAME}] New Pooled Chat"
            assert mail.recipients == [agent.email]
            assert "Anyone &lt;there&gt;?" in mail.html
        assert _got(smtp, crew.owner.email, "New Pooled Chat") == 0  # unavailable: no candidate
        assert _got(smtp, unverified.agents[0].email, "New Pooled Chat") == 0

    async def test_members_may_switch_it_off_for_themselves(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp, agents=2, routing="pooled")
        quiet, loud = crew.agents
        switched = await client.put(
            f"/{crew.project_id}/project_users/{crew.memberships[quiet.id]}",
            json={"settings.email.notification.conversation.pooled": False},
            headers=crew.owner.auth,
        )
        assert switched.status_code == 200, switched.text

        await open_conversation(client, crew)
        await notifier.drain()

        assert _got(smtp, loud.email, "New Pooled Chat") == 1
        assert _got(smtp, quiet.email, "New Pooled Chat") == 0


class TestNewMessages:
    async def test_an_unavailable_agent_gets_the_contacts_message_and_an_available_one_does_not(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        agent = crew.agents[0]
        away = await open_conversation(client, crew, first_text="First")
        here = await open_conversation(client, crew, first_text="First too")
        await notifier.drain()

        await post(client, crew, here["request_id"], crew.guest, "Still there?")
        await notifier.drain()
        while_available = _got(smtp, agent.email, "New message")
        await set_available(client, crew.project_id, agent, False)
        await post(client, crew, away["request_id"], crew.guest, HOSTILE)
        await notifier.drain()

        assert while_available == 0
        mail = await smtp.wait_for(agent.email, subject="New message")
        assert mail.subject == f"[Ticket #{away['ticket_id']}] New message"
        assert ESCAPED in mail.html
        assert "<img src=x" not in mail.html
        assert f"/wsrequest/{away['request_id']}/messages" in mail.html
        assert _got(smtp, agent.email, "New message") == 1

    async def test_the_agents_own_messages_and_the_first_message_send_nothing_to_agents(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        agent = crew.agents[0]
        created = await open_conversation(client, crew, first_text="Hello")
        await set_available(client, crew.project_id, agent, False)

        await post(client, crew, created["request_id"], agent, "Answer from the agent")
        await post(client, crew, created["request_id"], crew.guest, "Hello")  # same as first_text
        await notifier.drain()

        assert _got(smtp, agent.email, "New message") == 0


class TestFollowers:
    async def test_followers_get_every_message_but_their_own(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        follower = await verified(client, smtp, firstname="Fiona")
        membership = await add_member(client, crew.project_id, crew.owner, follower, "admin")
        created = await open_conversation(client, crew, first_text="Help")
        added = await client.post(
            f"/{crew.project_id}/requests/{created['request_id']}/followers",
            json={"member": membership["_id"]},
            headers=crew.owner.auth,
        )
        assert added.status_code == 200, added.text

        await post(client, crew, created["request_id"], crew.guest, "From <the> contact")
        await notifier.drain()
        first = await smtp.wait_for(follower.email, subject="New message")
        await post(client, crew, created["request_id"], crew.agents[0], "From the agent")
        await notifier.drain()
        await post(client, crew, created["request_id"], follower, "From the follower")
        await notifier.drain()

        assert first.recipients == [follower.email]
        assert "From &lt;the&gt; contact" in first.html
        assert "conversation you follow" in first.html
        follower_mails = [
            mail
            for mail in smtp.received
            if follower.email in mail.recipients and "New message" in mail.subject
        ]
        assert len(follower_mails) == 2
        assert "From the agent" in follower_mails[1].text
        assert _got(smtp, crew.agents[0].email, "New message") == 0  # available


class TestTranscripts:
    async def test_closing_sends_the_transcript_when_the_project_asks_for_it(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        await set_settings(client, crew, {"email": {"autoSendTranscriptToRequester": True}})
        contact = unique_email("contact")
        created = await open_conversation(client, crew, first_text="Hi", email=contact)
        await post(client, crew, created["request_id"], crew.guest, HOSTILE)
        await post(client, crew, created["request_id"], crew.agents[0], "Sorted")

        closed = await client.put(
            f"/{crew.project_id}/requests/{created['request_id']}/close",
            headers=crew.agents[0].auth,
        )
        again = await client.put(
            f"/{crew.project_id}/requests/{created['request_id']}/close",
            headers=crew.agents[0].auth,
        )
        await notifier.drain()

        assert closed.status_code == 200
        assert again.status_code == 200
        mail = await smtp.wait_for(contact, subject="Transcript")
        assert mail.subject == f"[Tessera {PROJECT_NAME}] Transcript"
        assert mail.recipients == [contact]
        assert ESCAPED in mail.html
        assert "<img src=x" not in mail.html
        assert "Sorted" in mail.text
        assert _got(smtp, contact, "Transcript") == 1  # closing a closed one sends nothing
        assert _got(smtp, crew.owner.email, "Transcript") == 1
        assert _got(smtp, crew.agents[0].email, "Transcript") == 0

    async def test_no_transcript_unless_asked(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("contact")
        created = await open_conversation(client, crew, email=contact)

        closed = await client.put(
            f"/{crew.project_id}/requests/{created['request_id']}/close",
            headers=crew.owner.auth,
        )
        await notifier.drain()

        assert closed.status_code == 200
        assert _got(smtp, contact, "Transcript") == 0
        assert _got(smtp, crew.owner.email, "Transcript") == 0


class TestCustomTemplates:
    async def test_a_projects_own_template_renders_with_tiledesks_names_and_escapes_values(
        self, client: httpx.AsyncClient, smtp: SmtpSink
    ) -> None:
        crew = await team(client, smtp)
        template = (
            "<html><body><p>Chat for {{project.name}}</p><div>{{{msgText}}}</div>"
            "<p>{{request.first_text}}</p>"
            '{{#if request.lead.email}}<a href="mailto:{{request.lead.email}}">mail</a>{{/if}}'
            '{{#ifEquals request.channel.name "chat21"}}<i>Chat</i>{{else}}other{{/ifEquals}}'
            "</body></html>"
        )
        await set_settings(client, crew, {"email": {"templates": {"assignedRequest": template}}})

        await open_conversation(client, crew, first_text="{{project.name}} <b>x</b>")

        mail = await smtp.wait_for(crew.agents[0].email, subject="New Assigned Chat")
        assert mail.html.startswith("<html><body><p>Chat for Acme &lt;Support&gt;</p>")
        assert "<div>{{project.name}} &lt;b&gt;x&lt;/b&gt;</div>" in mail.html
        assert "<p>{{project.name}} &lt;b&gt;x&lt;/b&gt;</p>" in mail.html
        assert "<i>Chat</i>" in mail.html
