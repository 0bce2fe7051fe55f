"""What the built-in FAQ bot asks outside the server (fact sheet §7.3, Tiledesk's
``faqBotHandler``): a bot with a ``url`` asks its NLU (``<url>/parse``) which intent a text
means; an intent with ``webhook_enabled`` asks the bot's ``webhook_url`` what to say. The NLU
and the webhook are fake services run by the test; such answers come in the background."""

import threading
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI

from tests.bots.support import Desk, FakeService, make_desk
from tests.intents.support import make_intent

NOT_FOUND_TEXT = "I did not find an answer in the knowledge base.\nPlease rephrase your question."


async def shop_desk(client: httpx.AsyncClient, *, agents: int = 0, **bot: Any) -> Desk:
    """A desk whose bot knows "hours" and "refunds" (no welcome, no fallback)."""
    desk = await make_desk(client, agents=agents, template="empty", **bot)
    for name, question, answer in (
        ("hours", "When are you open?", "From 9 to 18."),
        ("refunds", "Can I get a refund?", "Yes, within 30 days."),
    ):
        await make_intent(
            client, desk.project_id, desk.owner, desk.bot["_id"],
            intent_display_name=name, question=question, answer=answer,
        )  # fmt: skip
    return desk


class TestNlu:
    async def test_answers_the_intent_the_nlu_names(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        service.answer("/parse", {"intent": {"name": "refunds", "confidence": 0.87}})
        desk = await shop_desk(calling_client, url=service.url, language="it")

        request_id = await desk.start(calling_client, "I want my money back")

        [answer] = await desk.bot_messages(calling_client, request_id, 1)
        assert answer["text"] == "Yes, within 30 days."
        assert answer["attributes"]["intent_info"] == {
            "intent_name": "refunds",
            "is_fallback": False,
            "confidence": 0.87,
        }
        [call] = service.calls_to("/parse")
        assert call.json == {
            "text": "I want my money back",
            "language": "it",
            "id_project": desk.project_id,
            "id_faq_kb": desk.bot["_id"],
        }
        assert call.headers["user-agent"] == "tiledesk-bot"
        assert call.headers["x-tessera-signature"].startswith("sha256=")

    async def test_an_exact_question_or_a_button_needs_no_nlu(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        desk = await shop_desk(calling_client, url=service.url)
        request_id = await desk.start(calling_client, "When are you open?")

        await desk.say(calling_client, request_id, "Refunds", attributes={"action": "refunds"})

        texts = [m["text"] for m in await desk.bot_messages(calling_client, request_id, 2)]
        assert texts == ["From 9 to 18.", "Yes, within 30 days."]
        assert service.calls == []

    @pytest.mark.parametrize(
        "answer",
        [{"intent": {"name": "unknown"}}, {"intent": {}}, {"entities": []}],
        ids=["unknown intent", "no name", "no intent"],
    )
    async def test_an_nlu_that_names_no_intent_of_the_bot_is_no_match(
        self, calling_client: httpx.AsyncClient, service: FakeService, answer: dict[str, Any]
    ) -> None:
        service.answer("/parse", answer)
        desk = await shop_desk(calling_client, url=service.url)

        request_id = await desk.start(calling_client, "Refund please, when open?")

        [reply] = await desk.bot_messages(calling_client, request_id, 1)
        assert reply["text"] == NOT_FOUND_TEXT
        assert len(service.calls_to("/parse")) == 1

    @pytest.mark.parametrize("status", [404, 500])
    async def test_an_nlu_error_leaves_the_matching_to_the_engine(
        self, calling_client: httpx.AsyncClient, service: FakeService, status: int
    ) -> None:
        service.answer("/parse", {"intent": {"name": "hours"}}, status=status)
        desk = await shop_desk(calling_client, url=service.url)

        request_id = await desk.start(calling_client, "can i get a refund")

        [reply] = await desk.bot_messages(calling_client, request_id, 1)
        assert reply["text"] == "Yes, within 30 days."

    async def test_an_unreachable_nlu_leaves_the_matching_to_the_engine(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        desk = await shop_desk(calling_client, url=service.url)
        service.stop()

        request_id = await desk.start(calling_client, "can i get a refund")

        [reply] = await desk.bot_messages(calling_client, request_id, 1)
        assert reply["text"] == "Yes, within 30 days."

    async def test_a_slow_nlu_is_given_up_after_the_timeout(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        service.answer("/parse", {"intent": {"name": "hours"}}, delay=3)
        desk = await shop_desk(calling_client, url=service.url)

        request_id = await desk.start(calling_client, "can i get a refund")

        [reply] = await desk.bot_messages(calling_client, request_id, 1)
        assert reply["text"] == "Yes, within 30 days."

    async def test_a_private_nlu_is_not_asked_unless_allowed(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await shop_desk(client, url="http://127.0.0.1:9/nlu")

        request_id = await desk.start(client, "can i get a refund")

        [reply] = await desk.bot_messages(client, request_id, 1)
        assert reply["text"] == "Yes, within 30 days."

    async def test_the_visitor_does_not_wait_for_the_nlu(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        gate = threading.Event()
        service.answer("/parse", {"intent": {"name": "hours"}}, gate=gate)
        desk = await shop_desk(calling_client, url=service.url)

        request_id = await desk.start(calling_client, "opening times?")
        before = desk.bot_texts(await desk.messages(calling_client, request_id))
        gate.set()

        assert before == []
        [reply] = await desk.bot_messages(calling_client, request_id, 1)
        assert reply["text"] == "From 9 to 18."


async def hooked_desk(
    client: httpx.AsyncClient, webhook_url: str | None, *, agents: int = 0
) -> Desk:
    """A desk whose "orders" intent asks the bot's webhook."""
    desk = await make_desk(
        client, agents=agents, template="empty", webhook_url=webhook_url, webhook_enabled=True
    )
    await make_intent(
        client, desk.project_id, desk.owner, desk.bot["_id"],
        intent_display_name="orders", question="Where is my order?",
        answer="Let me check your order.", webhook_enabled=True,
    )  # fmt: skip
    await make_intent(
        client, desk.project_id, desk.owner, desk.bot["_id"],
        intent_display_name="hours", question="When are you open?", answer="From 9 to 18.",
    )  # fmt: skip
    return desk


class TestIntentWebhook:
    async def test_the_webhook_text_and_attributes_make_the_answer(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        service.answer(
            "/hook",
            {
                "text": "Order 42 ships today\n* Track it tdAction:hours",
                "attributes": {"order": 42},
            },
        )
        desk = await hooked_desk(calling_client, service.url + "/hook")

        request_id = await desk.start(calling_client, "Where is my order?")

        [answer] = await desk.bot_messages(calling_client, request_id, 1)
        assert answer["text"] == "Order 42 ships today"
        assert answer["attributes"]["order"] == 42
        assert answer["attributes"]["attachment"]["buttons"] == [
            {"type": "action", "value": "Track it", "action": "hours"}
        ]
        assert answer["attributes"]["intent_info"]["intent_name"] == "orders"

    async def test_posts_tiledesk_s_payload_with_the_bot_s_token(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        service.answer("/hook", {"text": "ok"})
        desk = await hooked_desk(calling_client, service.url + "/hook")

        request_id = await desk.start(calling_client, "Where is my order?")
        await desk.bot_messages(calling_client, request_id, 1)

        [call] = service.calls_to("/hook")
        body = call.json
        assert set(body) == {"payload", "token"}
        payload = body["payload"]
        assert payload["text"] == "Let me check your order."
        assert payload["bot"]["_id"] == desk.bot["_id"]
        assert "secret" not in payload["bot"]
        assert payload["intent"]["intent_display_name"] == "orders"
        assert payload["message"]["text"] == "Where is my order?"
        assert payload["message"]["sender"] == desk.visitor.id
        claims = jwt.decode(body["token"], options={"verify_signature": False})
        assert claims["aud"] == f"https://tiledesk.com/bots/{desk.bot['_id']}"
        assert call.headers["user-agent"] == "tiledesk-bot"
        assert call.headers["x-tessera-signature"].startswith("sha256=")

    async def test_the_webhook_may_set_type_metadata_and_language(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        service.answer(
            "/hook",
            {
                "text": "Your parcel",
                "type": "image",
                "metadata": {"src": "https://img.example.com/p.png"},
                "language": "de",
            },
        )
        desk = await hooked_desk(calling_client, service.url + "/hook")

        request_id = await desk.start(calling_client, "Where is my order?")

        [answer] = await desk.bot_messages(calling_client, request_id, 1)
        assert (answer["type"], answer["text"], answer["language"]) == (
            "image",
            "Your parcel",
            "de",
        )
        assert answer["metadata"] == {"src": "https://img.example.com/p.png"}

    async def test_an_agent_command_from_the_webhook_hands_over(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        service.answer("/hook", {"text": "A colleague will help you.\n\\agent"})
        desk = await hooked_desk(calling_client, service.url + "/hook", agents=1)

        request_id = await desk.start(calling_client, "Where is my order?")

        spoken = await desk.bot_messages(calling_client, request_id, 2)
        assert [m["text"] for m in spoken] == ["A colleague will help you.", "\\agent"]
        conversation = await desk.conversation(calling_client, request_id)
        assert conversation["participants"] == [desk.agents[0].id]

    @pytest.mark.parametrize(
        ("status", "body"),
        [(500, {"text": "boom"}), (200, {"message": "no text"}), (200, b"not json"),
         (200, {"text": None})],
        ids=["error status", "no text", "not json", "null text"],
    )  # fmt: skip
    async def test_a_bad_webhook_answer_gives_the_intent_s_own(
        self, calling_client: httpx.AsyncClient, service: FakeService, status: int, body: Any
    ) -> None:
        service.answer("/hook", body, status=status)
        desk = await hooked_desk(calling_client, service.url + "/hook")

        request_id = await desk.start(calling_client, "Where is my order?")

        [answer] = await desk.bot_messages(calling_client, request_id, 1)
        assert answer["text"] == "Let me check your order."
        assert len(service.calls_to("/hook")) == 1

    async def test_a_slow_or_unreachable_webhook_gives_the_intent_s_own(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        service.answer("/hook", {"text": "too late"}, delay=3)
        desk = await hooked_desk(calling_client, service.url + "/hook")
        down = await hooked_desk(calling_client, "http://127.0.0.1:9/hook")

        slow_request = await desk.start(calling_client, "Where is my order?")
        down_request = await down.start(calling_client, "Where is my order?")

        [slow] = await desk.bot_messages(calling_client, slow_request, 1)
        [refused] = await down.bot_messages(calling_client, down_request, 1)
        assert slow["text"] == refused["text"] == "Let me check your order."

    async def test_a_private_webhook_is_not_called_unless_allowed(
        self, client: httpx.AsyncClient, service: FakeService
    ) -> None:
        service.answer("/hook", {"text": "should not be asked"})
        desk = await hooked_desk(client, service.url + "/hook")

        request_id = await desk.start(client, "Where is my order?")

        [answer] = await desk.bot_messages(client, request_id, 1)
        assert answer["text"] == "Let me check your order."
        assert service.calls == []

    async def test_without_a_webhook_url_the_intent_answers_itself(
        self, calling_client: httpx.AsyncClient
    ) -> None:
        desk = await hooked_desk(calling_client, None)

        request_id = await desk.start(calling_client, "Where is my order?")

        assert desk.bot_texts(await desk.messages(calling_client, request_id)) == [
            "Let me check your order."
        ]

    async def test_other_intents_are_answered_without_the_webhook(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        desk = await hooked_desk(calling_client, service.url + "/hook")

        request_id = await desk.start(calling_client, "When are you open?")

        assert desk.bot_texts(await desk.messages(calling_client, request_id)) == ["From 9 to 18."]
        assert service.calls == []

    async def test_a_conversation_s_answers_keep_their_order(
        self, calling_client: httpx.AsyncClient, service: FakeService
    ) -> None:
        gate = threading.Event()
        service.answer("/hook", {"text": "Order 7 is on its way."}, gate=gate)
        desk = await hooked_desk(calling_client, service.url + "/hook")
        request_id = await desk.start(calling_client, "Where is my order?")

        await desk.say(calling_client, request_id, "When are you open?")
        waiting = desk.bot_texts(await desk.messages(calling_client, request_id))
        gate.set()

        assert waiting == []
        spoken = await desk.bot_messages(calling_client, request_id, 2)
        assert [m["text"] for m in spoken] == ["Order 7 is on its way.", "From 9 to 18."]

    async def test_the_answer_is_dropped_if_the_conversation_closed_meanwhile(
        self, calling_client: httpx.AsyncClient, calling_app: FastAPI, service: FakeService
    ) -> None:
        gate = threading.Event()
        service.answer("/hook", {"text": "Order 7 is on its way."}, gate=gate)
        desk = await hooked_desk(calling_client, service.url + "/hook")
        request_id = await desk.start(calling_client, "Where is my order?")

        closed = await calling_client.put(
            f"/{desk.project_id}/requests/{request_id}/close", headers=desk.owner.auth
        )
        gate.set()
        await calling_app.state.faq_bot.idle()

        assert closed.status_code == 200
        assert len(service.calls_to("/hook")) == 1
        assert desk.bot_texts(await desk.messages(calling_client, request_id)) == []
