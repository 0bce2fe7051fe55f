"""Mails to the contact (Tiledesk's requestNotification ``sendUserEmail`` and
``sendToUserEmailChannelEmail``): the "new offline message" of a chat whose contact went
away, and every answer on the e-mail and form channels (``ticket``)."""

import dataclasses
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tessera.emails.notifier import Notifier
from tests.emails.support import (
    PROJECT_NAME,
    Team,
    make_bot,
    open_conversation,
    post,
    set_settings,
    team,
)
from tests.factories import unique_email
from tests.support.smtp import ReceivedMail, SmtpSink

HOSTILE = '<img src=x onerror="alert(1)"> & <b>bold</b>'
ESCAPED = "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"
OFFLINE = "New Offline Message"


@pytest.fixture
def away(notifier: Notifier, monkeypatch: pytest.MonkeyPatch) -> Notifier:
    """Contacts count as away as soon as they stop writing (instead of after 5 minutes)."""
    monkeypatch.setattr(notifier, "policy", dataclasses.replace(notifier.policy, away_after_ms=0))
    return notifier


def _mails(smtp: SmtpSink, to: str, subject: str) -> list[ReceivedMail]:
    return [mail for mail in smtp.received if to in mail.recipients and subject in mail.subject]


def _link(mail: ReceivedMail, label: str) -> tuple[str, dict[str, list[str]]]:
    """The address of the link ``label`` in the mail's text part, and its query."""
    line = next(line for line in mail.text.splitlines() if line.startswith(f"{label}: "))
    url = line.removeprefix(f"{label}: ")
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}", parse_qs(parts.query)


async def _chat(
    client: httpx.AsyncClient, crew: Team, contact: str | None, **body: Any
) -> dict[str, Any]:
    if contact is not None:
        body["email"] = contact
    return await open_conversation(client, crew, first_text="Where is my order?", **body)


class TestOfflineMessage:
    async def test_an_agents_answer_reaches_a_contact_who_went_away(
        self, client: httpx.AsyncClient, smtp: SmtpSink, away: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("contact")
        page = "https://shop.example.com/cart?item=7#top"
        created = await _chat(client, crew, contact, sourcePage=page)

        await post(client, crew, created["request_id"], crew.agents[0], HOSTILE)
        await away.drain()

        mail = await smtp.wait_for(contact, subject=OFFLINE)
        assert mail.subject == f"[Tessera {PROJECT_NAME}] {OFFLINE}"
        assert mail.recipients == [contact]
        assert mail.message["From"] == "Tessera <noreply@tessera.localhost>"
        assert ESCAPED in mail.html
        assert "<img src=x" not in mail.html
        assert "Agent0 Lovelace" in mail.html
        address, query = _link(mail, "Continue the conversation")
        assert address == "https://shop.example.com/cart"
        assert query == {
            "item": ["7"],
            "tiledesk_recipientId": [created["request_id"]],
            "tiledesk_isOpen": ["true"],
        }
        assert "jwt" not in mail.html.lower()
        assert "/wsrequest/" not in mail.html  # the dashboard is for agents
        assert len(_mails(smtp, contact, OFFLINE)) == 1

    async def test_a_contact_still_writing_is_not_mailed(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("contact")
        created = await _chat(client, crew, contact)

        await post(client, crew, created["request_id"], crew.agents[0], "Let me check")
        await post(client, crew, created["request_id"], crew.guest, "Thanks")
        await post(client, crew, created["request_id"], crew.agents[0], "It ships today")
        await notifier.drain()

        assert _mails(smtp, contact, OFFLINE) == []

    async def test_without_a_page_the_link_opens_the_widgets_test_page(
        self, client: httpx.AsyncClient, smtp: SmtpSink, away: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("contact")
        created = await _chat(client, crew, contact, sourcePage="javascript:alert(1)")

        await post(client, crew, created["request_id"], crew.agents[0], "Here you are")
        await away.drain()

        mail = await smtp.wait_for(contact, subject=OFFLINE)
        address, query = _link(mail, "Continue the conversation")
        assert address == "http://localhost:4200/assets/twp/index.html"
        assert query == {
            "tiledesk_projectid": [crew.project_id],
            "project_name": [PROJECT_NAME],
            "tiledesk_recipientId": [created["request_id"]],
            "tiledesk_isOpen": ["true"],
        }
        assert "javascript:" not in mail.html

    async def test_only_a_teammates_answer_is_mailed(
        self, client: httpx.AsyncClient, smtp: SmtpSink, away: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("contact")
        created = await _chat(client, crew, contact)
        messages = f"/{crew.project_id}/requests/{created['request_id']}/messages"

        bot_id, bot = await make_bot(client, crew)
        own = await client.post(messages, json={"text": "Me again"}, headers=crew.guest.auth)
        as_itself = await client.post(messages, json={"text": "I am a bot"}, headers=bot)
        as_participant = await client.post(
            messages, json={"text": "Still a bot", "sender": f"bot_{bot_id}"}, headers=bot
        )
        note = await client.post(
            messages,
            json={"text": "Internal note", "attributes": {"subtype": "private"}},
            headers=crew.agents[0].auth,
        )
        closed = await client.put(
            f"/{crew.project_id}/requests/{created['request_id']}/close",
            headers=crew.agents[0].auth,
        )
        await away.drain()

        sent = [own, as_itself, as_participant, note]
        assert [response.status_code for response in sent] == [200] * 4
        assert as_itself.json()["sender"] == bot_id
        assert as_participant.json()["sender"] == f"bot_{bot_id}"
        assert closed.status_code == 200
        assert _mails(smtp, contact, OFFLINE) == []

    @pytest.mark.parametrize(
        "offline", [{"blocked": True}, {"enabled": False}], ids=["blocked", "disabled"]
    )
    async def test_the_project_may_switch_it_off(
        self, client: httpx.AsyncClient, smtp: SmtpSink, away: Notifier, offline: dict[str, Any]
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("contact")
        await set_settings(
            client, crew, {"email": {"notification": {"conversation": {"offline": offline}}}}
        )
        created = await _chat(client, crew, contact)

        await post(client, crew, created["request_id"], crew.agents[0], "Answer")
        await away.drain()

        assert _mails(smtp, contact, OFFLINE) == []

    async def test_blocking_the_agents_notifications_does_not_silence_the_contacts(
        self, client: httpx.AsyncClient, smtp: SmtpSink, away: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("contact")
        await set_settings(
            client, crew, {"email": {"notification": {"conversation": {"blocked": True}}}}
        )
        created = await _chat(client, crew, contact)

        await post(client, crew, created["request_id"], crew.agents[0], "Answer")
        await away.drain()

        assert len(_mails(smtp, contact, OFFLINE)) == 1
        assert _mails(smtp, crew.agents[0].email, "New Assigned Chat") == []

    async def test_a_contact_without_an_address_is_not_mailed(
        self, client: httpx.AsyncClient, smtp: SmtpSink, away: Notifier
    ) -> None:
        crew = await team(client, smtp)
        created = await _chat(client, crew, None)
        before = len(smtp.received)

        await post(client, crew, created["request_id"], crew.agents[0], "Answer")
        await away.drain()

        assert [mail for mail in smtp.received[before:] if OFFLINE in mail.subject] == []

    async def test_a_projects_tiledesk_template_gets_the_link_values(
        self, client: httpx.AsyncClient, smtp: SmtpSink, away: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("contact")
        template = (
            "<html><body><strong>{{message.text}}</strong> from {{message.senderFullname}}"
            ' <a href="{{seamlessPage}}{{tokenQueryString}}">here</a></body></html>'
        )
        await set_settings(client, crew, {"email": {"templates": {"newMessage": template}}})
        created = await _chat(client, crew, contact, sourcePage="https://shop.example.com/")

        await post(client, crew, created["request_id"], crew.agents[0], "Sent <today>")
        await away.drain()

        mail = await smtp.wait_for(contact, subject=OFFLINE)
        link = (
            f"https://shop.example.com/?tiledesk_recipientId={created['request_id']}"
            "&amp;tiledesk_isOpen=true"
        )
        assert mail.html.rstrip() == (
            "<html><body><strong>Sent &lt;today&gt;</strong> from Agent0 Lovelace"
            f' <a href="{link}">here</a></body></html>'
        )


class TestTicketChannel:
    async def test_every_answer_on_the_email_channel_is_mailed_to_the_contact(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("ticket")
        created = await _chat(
            client, crew, contact, channel={"name": "email"}, subject="Refund for order 42"
        )

        await post(client, crew, created["request_id"], crew.agents[0], HOSTILE)
        await post(client, crew, created["request_id"], crew.agents[0], "Refund sent")
        await post(client, crew, created["request_id"], crew.guest, "Thanks")
        await notifier.drain()

        mails = _mails(smtp, contact, "R: ")
        assert [mail.subject for mail in mails] == [
            f"R: Refund for order 42 [Ticket #{created['ticket_id']}]"
        ] * 2
        hostile = next(mail for mail in mails if "Refund sent" not in mail.text)
        assert ESCAPED in hostile.html
        assert "<img src=x" not in hostile.html
        assert f"ticket #{created['ticket_id']}" in hostile.text
        _, query = _link(hostile, "Continue by chat")
        assert query["tiledesk_recipientId"] == [created["request_id"]]

    async def test_a_form_conversation_without_subject_names_the_project(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("form")
        created = await _chat(client, crew, contact, channel={"name": "form"})

        await post(client, crew, created["request_id"], crew.agents[0], "We got your form")
        await notifier.drain()

        mail = await smtp.wait_for(contact, subject="R: ")
        assert mail.subject == f"R: {PROJECT_NAME} [Ticket #{created['ticket_id']}]"
        assert _mails(smtp, contact, OFFLINE) == []

    async def test_bots_are_mailed_and_notes_and_service_messages_are_not(
        self, client: httpx.AsyncClient, smtp: SmtpSink, notifier: Notifier
    ) -> None:
        crew = await team(client, smtp)
        contact = unique_email("ticket")
        created = await _chat(client, crew, contact, channel={"name": "email"})
        messages = f"/{crew.project_id}/requests/{created['request_id']}/messages"

        _, bot_auth = await make_bot(client, crew)
        bot = await client.post(messages, json={"text": "Automatic answer"}, headers=bot_auth)
        note = await client.post(
            messages,
            json={"text": "Internal note", "attributes": {"subtype": "private"}},
            headers=crew.agents[0].auth,
        )
        closed = await client.put(
            f"/{crew.project_id}/requests/{created['request_id']}/close",
            headers=crew.agents[0].auth,
        )
        await notifier.drain()

        assert [bot.status_code, note.status_code, closed.status_code] == [200, 200, 200]
        mails = _mails(smtp, contact, "R: ")
        assert len(mails) == 1
        assert "Automatic answer" in mails[0].text
