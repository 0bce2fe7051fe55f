"""What the built-in FAQ bot's answers may hold besides text (fact sheet §7.3, Tiledesk's
reply syntax): ``tdImage``/``tdFrame``/``tdVideo`` media lines and the ``\\close`` command."""

from typing import Any

import httpx
import pytest

from tests.bots.support import Desk, make_desk
from tests.conftest import EventLog
from tests.intents.support import make_intent


async def desk_answering(client: httpx.AsyncClient, answer: str, **desk: Any) -> Desk:
    """A desk whose bot answers ``answer`` to "Show me"."""
    made = await make_desk(client, template="empty", **desk)
    await make_intent(
        client, made.project_id, made.owner, made.bot["_id"],
        intent_display_name="show", question="Show me", answer=answer,
    )  # fmt: skip
    return made


async def answer_to(client: httpx.AsyncClient, desk: Desk, text: str = "Show me") -> Any:
    request_id = await desk.start(client, text)
    [answer] = [m for m in await desk.messages(client, request_id) if m["sender"] != "system"][1:]
    assert answer["sender"] == desk.bot_sender
    return answer


class TestMedia:
    async def test_an_image_line_makes_an_image_message(self, client: httpx.AsyncClient) -> None:
        raw = "Our shop:\ntdImage:https://img.example.com/shop.png"
        desk = await desk_answering(client, raw)

        answer = await answer_to(client, desk)

        assert answer["type"] == "image"
        assert answer["text"] == "Our shop:"
        assert answer["metadata"] == {"src": "https://img.example.com/shop.png"}
        assert answer["attributes"]["_raw_message"] == raw
        assert answer["attributes"]["intent_info"]["intent_name"] == "show"

    @pytest.mark.parametrize(
        ("tag", "size"),
        [
            ("tdImage,w200 h100", {"width": 200, "height": 100}),
            ("tdImage, w320", {"width": 320}),
            ("tdImage , h90", {"height": 90}),
        ],
    )
    async def test_an_image_may_have_a_size(
        self, client: httpx.AsyncClient, tag: str, size: dict[str, int]
    ) -> None:
        desk = await desk_answering(client, f"See\n{tag}:http://img.example.com/a.gif")

        answer = await answer_to(client, desk)

        assert answer["metadata"] == {"src": "http://img.example.com/a.gif", **size}

    async def test_a_frame_line_makes_a_frame_message(self, client: httpx.AsyncClient) -> None:
        desk = await desk_answering(client, "tdFrame,w300 h200:https://maps.example.com/?q=shop")

        answer = await answer_to(client, desk)

        assert answer["type"] == "frame"
        assert answer["metadata"] == {
            "src": "https://maps.example.com/?q=shop",
            "width": 300,
            "height": 200,
        }
        assert "text" not in answer or not answer["text"]

    @pytest.mark.parametrize(
        ("url", "src"),
        [
            (
                "https://www.youtube.com/watch?v=MHXO86wKeDY&t=12",
                "https://www.youtube.com/embed/MHXO86wKeDY",
            ),
            ("https://videos.example.com/intro.mp4", "https://videos.example.com/intro.mp4"),
        ],
    )
    async def test_a_video_line_makes_a_video_frame(
        self, client: httpx.AsyncClient, url: str, src: str
    ) -> None:
        desk = await desk_answering(client, f"Watch this\ntdVideo:{url}")

        answer = await answer_to(client, desk)

        assert (answer["type"], answer["text"]) == ("frame", "Watch this")
        assert answer["metadata"] == {"src": src, "type": "video"}

    async def test_buttons_stay_beside_the_media(self, client: httpx.AsyncClient) -> None:
        raw = "Pick one\ntdImage:https://img.example.com/menu.png\n* Pizza\n* Back tdAction:start"
        desk = await desk_answering(client, raw)

        answer = await answer_to(client, desk)

        assert (answer["type"], answer["text"]) == ("image", "Pick one")
        assert answer["attributes"]["attachment"]["buttons"] == [
            {"type": "text", "value": "Pizza"},
            {"type": "action", "value": "Back", "action": "start"},
        ]

    @pytest.mark.parametrize(
        "answer",
        ["tdImage:ftp://img.example.com/a.png", "Say tdImage:https://img.example.com/a.png"],
        ids=["not http", "not at the start of a line"],
    )
    async def test_other_lines_stay_text(self, client: httpx.AsyncClient, answer: str) -> None:
        desk = await desk_answering(client, answer)

        message = await answer_to(client, desk)

        assert (message["type"], message["text"]) == ("text", answer)
        assert "metadata" not in message or message["metadata"] is None


class TestClose:
    async def test_closes_the_conversation_after_the_text(
        self, client: httpx.AsyncClient, event_log: EventLog
    ) -> None:
        desk = await desk_answering(client, "Goodbye!\n\\close", agents=1)

        request_id = await desk.start(client, "Show me")

        messages = await desk.messages(client, request_id)
        assert [(m["sender"], m["text"]) for m in messages] == [
            (desk.visitor.id, "Show me"),
            (desk.bot_sender, "Goodbye!"),
            ("system", "Chat closed"),
        ]
        conversation = await desk.conversation(client, request_id)
        assert conversation["status"] == 1000
        assert conversation["closed_by"] == desk.bot["_id"]
        assert conversation["participants"] == [desk.bot_sender]
        closes = [e for e in event_log.named("request.close", desk.project_id)]
        assert [e.payload["request_id"] for e in closes] == [request_id]

    async def test_a_bare_close_says_nothing_and_closes(self, client: httpx.AsyncClient) -> None:
        desk = await desk_answering(client, "\\close")

        request_id = await desk.start(client, "Show me")

        messages = await desk.messages(client, request_id)
        assert desk.bot_texts(messages) == []
        assert (await desk.conversation(client, request_id))["status"] == 1000

    async def test_close_wins_over_agent(self, client: httpx.AsyncClient) -> None:
        desk = await desk_answering(client, "Bye\n\\agent\n\\close", agents=1)

        request_id = await desk.start(client, "Show me")

        conversation = await desk.conversation(client, request_id)
        assert conversation["status"] == 1000
        assert conversation["participants"] == [desk.bot_sender]
        assert desk.bot_texts(await desk.messages(client, request_id)) == ["Bye"]

    async def test_the_closed_conversation_is_answered_no_more(
        self, client: httpx.AsyncClient
    ) -> None:
        desk = await desk_answering(client, "Goodbye!\n\\close")
        request_id = await desk.start(client, "Show me")

        response = await client.post(
            f"/{desk.project_id}/requests/{request_id}/messages",
            json={"text": "Show me"},
            headers=desk.owner.auth,
        )

        assert response.status_code == 200
        assert desk.bot_texts(await desk.messages(client, request_id)) == ["Goodbye!"]
