"""The built-in FAQ bot (fact sheet §7.3: bots of type ``internal``), end to end through the
messages API: a visitor writes in a conversation of the bot's department, the bot answers
in-process with the intent that matches, or hands the conversation over to a human."""

import httpx

from tests.bots.support import make_desk
from tests.intents.support import make_bot, make_intent

WELCOME = "Hello, I am a bot. Pick a question below or write your own."
HOURS = "We answer from 9:00 to 18:00, Monday to Friday."


class TestAnswers:
    async def test_welcomes_then_answers_the_exact_question(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await make_desk(client)

        request_id = await desk.start(client, "What are your opening hours?")

        messages = await desk.messages(client, request_id)
        assert [m["sender"] for m in messages] == [desk.visitor.id] + [desk.bot_sender] * 2
        welcome, answer = messages[1], messages[2]
        assert welcome["text"] == WELCOME
        assert welcome["senderFullname"] == "Faq Bot"
        assert welcome["attributes"]["attachment"]["buttons"] == [
            {"type": "text", "value": "Who are you?"},
            {"type": "text", "value": "What are your opening hours?"},
            {"type": "text", "value": "I want to talk to a person"},
        ]
        assert answer["text"] == HOURS
        assert answer["attributes"]["intent_info"] == {
            "intent_name": answer["attributes"]["intent_info"]["intent_name"],
            "is_fallback": False,
            "confidence": 100.0,
        }
        assert answer["attributes"]["attachment"]["buttons"] == [
            {"type": "action", "value": "Back to start", "action": "start"}
        ]
        assert answer["attributes"]["_raw_message"].startswith(HOURS)
        conversation = await desk.conversation(client, request_id)
        assert conversation["participants"] == [desk.bot_sender]
        assert conversation["attributes"]["last_message"]["text"] == HOURS

    async def test_finds_the_best_match_by_words(self, client: httpx.AsyncClient) -> None:
        desk = await make_desk(client)
        request_id = await desk.start(client, "Hi")

        await desk.say(client, request_id, "opening HOURS, please?")

        texts = desk.bot_texts(await desk.messages(client, request_id))
        assert texts == [WELCOME, "Hello! What can I do for you?", HOURS]

    async def test_a_question_line_matches_exactly_whatever_the_case(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await make_desk(client, template="empty")
        await make_intent(
            client,
            desk.project_id,
            desk.owner,
            desk.bot["_id"],
            question="Where is my order?\nTrack my parcel",
            answer="Look at your e-mail.",
        )
        request_id = await desk.start(client, "track my PARCEL")

        messages = await desk.messages(client, request_id)

        assert desk.bot_texts(messages) == ["Look at your e-mail."]
        assert messages[-1]["attributes"]["intent_info"]["confidence"] == 100.0

    async def test_a_button_action_answers_that_intent(self, client: httpx.AsyncClient) -> None:
        desk = await make_desk(client)
        request_id = await desk.start(client, "Hi")

        await desk.say(client, request_id, "Back to start", attributes={"action": "start"})

        texts = desk.bot_texts(await desk.messages(client, request_id))
        assert texts[-1] == WELCOME

    async def test_a_disabled_intent_is_never_answered(self, client: httpx.AsyncClient) -> None:
        desk = await make_desk(client, agents=0, template="empty")
        await make_intent(
            client,
            desk.project_id,
            desk.owner,
            desk.bot["_id"],
            question="Hi",
            answer="No",
            enabled=False,
        )

        request_id = await desk.start(client, "Hi")

        texts = desk.bot_texts(await desk.messages(client, request_id))
        assert texts == [
            "I did not find an answer in the knowledge base.\nPlease rephrase your question."
        ]

    async def test_flow_intents_follow_their_actions(self, client: httpx.AsyncClient) -> None:
        desk = await make_desk(client, template="blank")

        request_id = await desk.start(client, "Hi")

        texts = desk.bot_texts(await desk.messages(client, request_id))
        assert texts[0] == "Hello! How can I help you?"  # start -> welcome intent


class TestNoMatch:
    async def test_hands_over_when_the_department_has_agents(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await make_desk(client)

        request_id = await desk.start(client, "My parcel arrived broken")

        messages = await desk.messages(client, request_id)
        assert desk.bot_texts(messages) == [WELCOME, "\\agent"]
        command = [m for m in messages if m["sender"] == desk.bot_sender][-1]
        assert command["attributes"] == {"subtype": "info"}
        conversation = await desk.conversation(client, request_id)
        (agent,) = desk.agents
        assert (conversation["participants"], conversation["hasBot"]) == ([agent.id], False)

    async def test_answers_the_fallback_when_nobody_is_available(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await make_desk(client, agents=0)

        request_id = await desk.start(client, "My parcel arrived broken")

        messages = await desk.messages(client, request_id)
        fallback = messages[-1]
        assert fallback["sender"] == desk.bot_sender
        assert fallback["text"].startswith("Sorry, I have no answer to that yet.")
        assert fallback["attributes"]["intent_info"] == {
            "intent_name": "defaultFallback",
            "is_fallback": True,
            "confidence": 0,
        }
        conversation = await desk.conversation(client, request_id)
        assert conversation["participants"] == [desk.bot_sender]


class TestHandOff:
    async def test_an_answer_with_the_agent_command_hands_over(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await make_desk(client)

        request_id = await desk.start(client, "I want to talk to a person")

        messages = await desk.messages(client, request_id)
        assert desk.bot_texts(messages) == [WELCOME, "Let me find someone for you.", "\\agent"]
        conversation = await desk.conversation(client, request_id)
        assert conversation["participants"] == [desk.agents[0].id]

    async def test_the_visitor_s_agent_command_is_not_answered(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await make_desk(client)
        request_id = await desk.start(client, "Hi")

        await desk.say(client, request_id, "\\agent")

        spoken = [m for m in await desk.messages(client, request_id) if m["sender"] != "system"]
        assert spoken[-1]["text"] == "\\agent"
        assert spoken[-1]["sender"] == desk.visitor.id
        conversation = await desk.conversation(client, request_id)
        assert conversation["participants"] == [desk.agents[0].id]

    async def test_once_handed_over_the_bot_is_silent(self, client: httpx.AsyncClient) -> None:
        desk = await make_desk(client)
        request_id = await desk.start(client, "I want to talk to a person")
        before = len(await desk.messages(client, request_id))

        await desk.say(client, request_id, "Hi")

        messages = await desk.messages(client, request_id)
        assert len(messages) == before + 1
        assert messages[-1]["sender"] == desk.visitor.id


class TestSilence:
    async def test_a_bot_without_intents_never_speaks(self, client: httpx.AsyncClient) -> None:
        desk = await make_desk(client, template="empty")

        request_id = await desk.start(client, "Anyone there?")
        await desk.say(client, request_id, "Hello?")

        messages = await desk.messages(client, request_id)
        assert desk.bot_texts(messages) == []
        assert (await desk.conversation(client, request_id))["participants"] == [desk.bot_sender]

    async def test_an_external_bot_is_not_answered_in_process(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await make_desk(client, type="external")
        await make_intent(
            client, desk.project_id, desk.owner, desk.bot["_id"], question="Hi", answer="Hey"
        )

        request_id = await desk.start(client, "Hi")

        assert desk.bot_texts(await desk.messages(client, request_id)) == []

    async def test_bots_never_answer_bots(self, client: httpx.AsyncClient) -> None:
        desk = await make_desk(client)
        request_id = await desk.start(client, "Hi")
        before = len(await desk.messages(client, request_id))
        other = await make_bot(client, desk.project_id, desk.owner, "Other Bot")
        tokens = []
        for bot_id in (desk.bot["_id"], other["_id"]):
            answer = await client.get(
                f"/{desk.project_id}/faq_kb/{bot_id}/jwt", headers=desk.owner.auth
            )
            tokens.append({"Authorization": "JWT " + answer.json()["jwt"]})

        for headers, body in (
            (tokens[0], {"text": "Hi", "sender": desk.bot_sender}),
            (tokens[0], {"text": "Hi"}),
            (tokens[1], {"text": "Hi"}),
            (tokens[1], {"text": "Hi", "sender": f"bot_{other['_id']}"}),
        ):
            response = await client.post(
                f"/{desk.project_id}/requests/{request_id}/messages", json=body, headers=headers
            )
            assert response.status_code == 200, response.text

        assert len(await desk.messages(client, request_id)) == before + 4

    async def test_a_closed_conversation_is_not_answered(self, client: httpx.AsyncClient) -> None:
        desk = await make_desk(client, agents=0)
        request_id = await desk.start(client, "Hi")
        closed = await client.put(
            f"/{desk.project_id}/requests/{request_id}/close", headers=desk.owner.auth
        )
        assert closed.status_code == 200, closed.text
        before = desk.bot_texts(await desk.messages(client, request_id))

        response = await client.post(
            f"/{desk.project_id}/requests/{request_id}/messages",
            json={"text": "Hi"},
            headers=desk.owner.auth,
        )

        assert response.status_code == 200
        assert desk.bot_texts(await desk.messages(client, request_id)) == before
