"""Label placeholders in messages: a message saved with ``${KEY}`` naming a label becomes that
label in the conversation's language (fact sheet §8.4, §5.12)."""

import httpx
import pytest

from tests.conversations.support import post_message
from tests.factories import World, make_world
from tests.labels.support import builtin, save
from tests.messages.support import guest_conversation, messages_of


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def agent_says(client: httpx.AsyncClient, world: World, request_id: str, text: str) -> str:
    message = await post_message(client, world.project_id, request_id, world.owner, text=text)
    saved: str = message["text"]
    listed = await messages_of(client, world.project_id, request_id, world.owner)
    assert listed[-1]["text"] == saved
    return saved


async def test_a_placeholder_becomes_the_builtin_english_label(
    client: httpx.AsyncClient, world: World
) -> None:
    request_id = await guest_conversation(client, world)

    saved = await agent_says(client, world, request_id, "${LABEL_FIRST_MSG}")

    assert saved == builtin("EN")["data"]["LABEL_FIRST_MSG"]


async def test_the_conversation_language_picks_the_builtin_set(
    client: httpx.AsyncClient, world: World
) -> None:
    request_id = await guest_conversation(client, world, language="it")

    saved = await agent_says(client, world, request_id, "${LABEL_FIRST_MSG_NO_AGENTS}")

    assert saved == builtin("IT")["data"]["LABEL_FIRST_MSG_NO_AGENTS"]
    assert saved != builtin("EN")["data"]["LABEL_FIRST_MSG_NO_AGENTS"]


async def test_the_projects_own_texts_come_first(client: httpx.AsyncClient, world: World) -> None:
    await save(client, world.project_id, world.owner, "EN", {"LABEL_FIRST_MSG": "Ciao from us"})
    request_id = await guest_conversation(client, world, language="en")

    saved = await agent_says(client, world, request_id, "${LABEL_FIRST_MSG}")

    assert saved == "Ciao from us"


async def test_a_key_missing_from_the_projects_texts_falls_back_to_the_builtin_one(
    client: httpx.AsyncClient, world: World
) -> None:
    await save(client, world.project_id, world.owner, "EN", {"LABEL_PLACEHOLDER": "Type"})
    request_id = await guest_conversation(client, world)

    saved = await agent_says(client, world, request_id, "${LABEL_FIRST_MSG}")

    assert saved == builtin("EN")["data"]["LABEL_FIRST_MSG"]


@pytest.mark.parametrize(
    "text",
    ["${NOT_A_LABEL}", "Price: $5 {net}", "plain text", "${unclosed"],
)
async def test_other_texts_are_kept_as_written(
    client: httpx.AsyncClient, world: World, text: str
) -> None:
    request_id = await guest_conversation(client, world)

    assert await agent_says(client, world, request_id, text) == text


async def test_the_whole_text_is_replaced_as_in_tiledesk(
    client: httpx.AsyncClient, world: World
) -> None:
    request_id = await guest_conversation(client, world)

    saved = await agent_says(client, world, request_id, "Hi! ${LABEL_FIRST_MSG} Bye")

    assert saved == builtin("EN")["data"]["LABEL_FIRST_MSG"]


async def test_another_projects_texts_are_never_used(
    client: httpx.AsyncClient, world: World
) -> None:
    await save(client, world.other_project_id, world.stranger, "EN", {"LABEL_FIRST_MSG": "Theirs"})
    request_id = await guest_conversation(client, world)

    saved = await agent_says(client, world, request_id, "${LABEL_FIRST_MSG}")

    assert saved == builtin("EN")["data"]["LABEL_FIRST_MSG"]
