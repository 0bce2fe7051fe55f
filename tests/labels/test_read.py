"""Public label reads: ``GET /{pid}/labels[/:lang]`` and the built-in sets (§5.12, §9.15)."""

import re
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from tessera.core.db import Tx
from tessera.labels.defaults import LANGUAGES, builtin_sets
from tessera.labels.models import label_entries
from tessera.main import create_app
from tests.conftest import make_settings
from tests.factories import World, make_project, make_world, signup
from tests.labels.support import (
    BRAND,
    DOCUMENT_FIELDS,
    ENTRY_FIELDS,
    builtin,
    document,
    languages,
    resolved,
    save,
    with_languages,
)
from tests.project_users.support import headers_of

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UNKNOWN_PROJECT = "0123456789abcdef01234567"
EVERYONE = ["owner", "admin", "agent", "guest", "end_user", "outsider", "stranger", "nobody"]
# The verb-final languages leave the complement of the "joined the chat" notice empty
# (the widget appends it last): see their modules.
VERB_FINAL = {"TR", "KK", "UZ", "AZ"}
COMPLEMENT = "INFO_SUPPORT_USER_ADDED_COMPLEMENT"


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture(scope="module")
async def italian_world(client: httpx.AsyncClient) -> World:
    """A World whose project stores IT only, read by the tests that take it."""
    world = await make_world(client)
    await with_languages(client, world, "IT")
    return world


class TestProjectLabels:
    async def test_is_an_empty_object_for_a_project_without_labels(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        assert await document(client, world.project_id) == {}

    async def test_shows_the_document_field_by_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        stored = await save(
            client, world.project_id, world.admin, "IT", {"LABEL_PLACEHOLDER": "Scrivi…"}
        )

        found = await document(client, world.project_id)

        assert set(found) == DOCUMENT_FIELDS
        assert found["id_project"] == world.project_id
        assert found["createdBy"] == world.admin.id
        assert found["__v"] == 0
        assert ISO.match(found["createdAt"])
        assert ISO.match(found["updatedAt"])
        assert re.fullmatch(r"[0-9a-f]{24}", found["_id"])
        assert found["data"] == [stored]
        assert set(stored) == ENTRY_FIELDS
        assert stored["lang"] == "IT"
        assert stored["data"] == {"LABEL_PLACEHOLDER": "Scrivi…"}
        assert stored["default"] is True

    async def test_lists_languages_in_the_order_they_were_first_stored(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "FR", "EN", "DE")
        await save(client, world.project_id, world.admin, "EN", {"A": "again"})

        found = await document(client, world.project_id)

        assert languages(found) == [("FR", True), ("EN", False), ("DE", False)]

    async def test_never_shows_another_projects_labels(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await save(client, world.other_project_id, world.stranger, "SV", {"A": "theirs"})

        assert await document(client, world.project_id) == {}
        assert (await resolved(client, world.project_id, "SV"))["lang"] == "EN"
        assert "_id" not in await resolved(client, world.project_id, "SV")

        mine = await save(client, world.project_id, world.admin, "SV", {"A": "mine"})

        assert (await document(client, world.project_id))["data"] == [mine]
        assert (await document(client, world.other_project_id))["data"][0]["data"] == {
            "A": "theirs"
        }

    @pytest.mark.parametrize("who", EVERYONE)
    async def test_answers_anyone_with_or_without_credentials(
        self, client: httpx.AsyncClient, italian_world: World, who: str
    ) -> None:
        world = italian_world
        headers = headers_of(world, who)

        paths = ["", "/IT", "/default", "/default/FR"]
        answers = [
            await client.get(f"/{world.project_id}/labels{path}", headers=headers) for path in paths
        ]

        assert [answer.status_code for answer in answers] == [200, 200, 200, 200]
        assert answers[1].json()["data"] == {"GREETING": "hello IT"}


@pytest.mark.parametrize("path", ["", "/EN", "/default", "/default/EN"])
class TestProjectCheck:
    async def test_a_malformed_project_id_is_a_400(
        self, client: httpx.AsyncClient, path: str
    ) -> None:
        response = await client.get(f"/not-a-project/labels{path}")

        assert response.status_code == 400
        assert response.json() == {"error": "Invalid project id: not-a-project"}

    async def test_an_unknown_project_is_a_400(self, client: httpx.AsyncClient, path: str) -> None:
        response = await client.get(f"/{UNKNOWN_PROJECT}/labels{path}")

        assert response.status_code == 400
        assert response.json() == {"error": f"Project not found with id: {UNKNOWN_PROJECT}"}


class TestBuiltinLabels:
    async def test_list_fifteen_languages_english_first(
        self, client: httpx.AsyncClient, italian_world: World
    ) -> None:
        response = await client.get(f"/{italian_world.project_id}/labels/default")

        assert response.status_code == 200
        sets = response.json()
        assert [entry["lang"] for entry in sets] == list(LANGUAGES)
        assert len(sets) == 15
        assert all(set(entry) == {"lang", "data"} for entry in sets)

    async def test_every_language_has_every_key(
        self, client: httpx.AsyncClient, italian_world: World
    ) -> None:
        sets = (await client.get(f"/{italian_world.project_id}/labels/default")).json()
        english = sets[0]["data"]

        assert len(english) == 87
        for entry in sets:
            assert list(entry["data"]) == list(english), entry["lang"]
            _assert_texts_complete(entry["lang"], entry["data"])

    async def test_carry_the_brand_name_and_never_tiledesk(
        self, client: httpx.AsyncClient, italian_world: World
    ) -> None:
        response = await client.get(f"/{italian_world.project_id}/labels/default")

        assert "tiledesk" not in response.text.lower()
        for entry in response.json():
            assert BRAND in entry["data"]["WELCOME_TITLE"], entry["lang"]

    async def test_one_language_by_code_in_any_case(
        self, client: httpx.AsyncClient, italian_world: World
    ) -> None:
        upper = await client.get(f"/{italian_world.project_id}/labels/default/IT")
        lower = await client.get(f"/{italian_world.project_id}/labels/default/it")

        assert upper.status_code == lower.status_code == 200
        assert upper.json() == lower.json() == builtin("IT")
        assert upper.json()["data"]["YES"] == "Sì"

    async def test_a_language_without_builtin_texts_is_an_empty_answer(
        self, client: httpx.AsyncClient, italian_world: World
    ) -> None:
        response = await client.get(f"/{italian_world.project_id}/labels/default/NL")

        assert response.status_code == 200
        assert response.content == b""
        assert response.headers["content-type"] == "application/json; charset=utf-8"

    async def test_english_reads_naturally(
        self, client: httpx.AsyncClient, italian_world: World
    ) -> None:
        english = (await client.get(f"/{italian_world.project_id}/labels/default/EN")).json()[
            "data"
        ]

        assert english["WELCOME_TITLE"] == f"Hi, welcome to {BRAND} 👋"
        assert english["WAITING_TIME_FOUND"] == "We usually reply within $reply_time"
        joined = " ".join(
            english[key]
            for key in (
                "INFO_SUPPORT_USER_ADDED_SUBJECT",
                "INFO_SUPPORT_USER_ADDED_YOU_VERB",
                "INFO_SUPPORT_USER_ADDED_COMPLEMENT",
            )
        )
        assert joined == "You have been added to the chat"
        assert english["ARRAY_DAYS"][0] == "Sunday"  # Date.getDay() indexes it


async def test_the_brand_name_setting_names_the_product(database_url: str, tmp_path: Path) -> None:
    """``BRAND_NAME``: an app whose product is "Acme Help"."""
    app = create_app(make_settings(database_url, tmp_path, brand_name="Acme Help"))
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50002))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as acme:
            owner = await signup(acme)
            project_id = await make_project(acme, owner)
            sets = (await acme.get(f"/{project_id}/labels/default")).json()
            fallback = (await acme.get(f"/{project_id}/labels/IT")).json()
    finally:
        app.state.db.close()

    assert sets[0]["data"]["WELCOME_TITLE"] == "Hi, welcome to Acme Help 👋"
    assert sets[4]["data"]["WELCOME_TITLE"] == "Hallo, willkommen bei Acme Help 👋"
    assert fallback == sets[0]


def test_any_brand_name_keeps_the_texts_intact() -> None:
    branded = builtin_sets('Q"uote\\ & Co')

    assert branded[0]["data"]["WELCOME_TITLE"] == 'Hi, welcome to Q"uote\\ & Co 👋'
    assert [entry["lang"] for entry in branded] == list(LANGUAGES)


def _assert_texts_complete(lang: str, data: dict[str, Any]) -> None:
    days = data["ARRAY_DAYS"]
    assert isinstance(days, list), lang
    assert len(days) == 7, lang
    assert all(isinstance(day, str) and day for day in days), lang
    assert "$reply_time" in data["WAITING_TIME_FOUND"], lang
    assert data["AGENT_AVAILABLE"].startswith(" "), lang  # the widget glues it to a name
    assert data["AGENT_NOT_AVAILABLE"].startswith(" "), lang
    for key, text in data.items():
        if key == "ARRAY_DAYS":
            continue
        assert isinstance(text, str), (lang, key)
        assert text.strip() or (lang in VERB_FINAL and key == COMPLEMENT), (lang, key)


class TestResolvedLanguage:
    async def test_is_the_builtin_english_set_for_a_project_without_labels(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        assert await resolved(client, world.project_id, "IT") == builtin("EN")

    async def test_is_the_projects_own_entry_for_a_stored_language(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "FR", "IT")

        found = await resolved(client, world.project_id, "it")

        assert set(found) == ENTRY_FIELDS
        assert (found["lang"], found["data"], found["default"]) == (
            "IT",
            {"GREETING": "hello IT"},
            False,
        )

    async def test_falls_back_to_the_projects_default_language(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "FR", "EN")

        found = await resolved(client, world.project_id, "DE")

        assert (found["lang"], found["default"]) == ("FR", True)

    async def test_falls_back_to_english_when_the_project_has_no_default(
        self, client: httpx.AsyncClient, world: World, app: Any
    ) -> None:
        """A project imported from Tiledesk may have lost its default language (Tiledesk's
        ``POST`` could un-mark it); the API keeps one, so the test clears it in the table."""
        await with_languages(client, world, "FR", "EN")
        await app.state.db.write(_clear_defaults, world.project_id)

        found = await resolved(client, world.project_id, "DE")

        assert (found["lang"], found["data"]) == ("EN", {"GREETING": "hello EN"})


def _clear_defaults(tx: Tx, project_id: str) -> None:
    statement = (
        update(label_entries)
        .where(label_entries.c.project_id == project_id)
        .values(is_default=False)
    )
    tx.conn.execute(statement)
