"""Admin label writes: save, clone, default switch, deletes (§5.12), and their events."""

from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import World, make_world
from tests.labels.support import (
    DEFAULT_UNDELETABLE,
    DOCUMENT_FIELDS,
    ENTRY_FIELDS,
    LANG_NOT_FOUND,
    NOT_FOUND,
    builtin,
    document,
    languages,
    resolved,
    save,
    with_languages,
)


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


@pytest.fixture(scope="module")
async def untouched_world(client: httpx.AsyncClient) -> World:
    """A World whose project never stores labels: the refused writes share it."""
    return await make_world(client)


def _events(event_log: EventLog, name: str, world: World) -> list[dict[str, Any]]:
    return [event.payload for event in event_log.named(name, world.project_id)]


class TestSaveLanguage:
    async def test_the_first_language_becomes_the_default_whatever_the_body_says(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        entry = await save(client, world.project_id, world.admin, "de", {"A": "x"}, default=False)

        assert set(entry) == ENTRY_FIELDS
        assert (entry["lang"], entry["data"], entry["default"]) == ("DE", {"A": "x"}, True)
        [payload] = _events(event_log, "label.create", world)
        assert set(payload) == DOCUMENT_FIELDS
        assert payload["data"] == [entry]

    async def test_a_later_language_is_not_the_default_unless_asked(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "EN")

        entry = await save(client, world.project_id, world.admin, "IT", {"A": "x"})

        assert entry["default"] is False
        assert languages(await document(client, world.project_id)) == [
            ("EN", True),
            ("IT", False),
        ]

    async def test_asking_for_default_moves_it(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "EN", "FR")

        entry = await save(client, world.project_id, world.owner, "IT", {"A": "x"}, default=True)

        assert entry["default"] is True
        assert languages(await document(client, world.project_id)) == [
            ("EN", False),
            ("FR", False),
            ("IT", True),
        ]

    async def test_saving_a_stored_language_replaces_its_texts_in_place(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "EN", "FR")
        before = await resolved(client, world.project_id, "EN")

        entry = await save(client, world.project_id, world.admin, "en", {"B": "new"})

        assert entry == {"_id": before["_id"], "lang": "EN", "data": {"B": "new"}, "default": True}
        assert languages(await document(client, world.project_id)) == [
            ("EN", True),
            ("FR", False),
        ]

    async def test_answers_the_entry_even_with_form_bodies(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/labels",
            data={"lang": "pt-br", "data[HELLO]": "Olá", "default": "true"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        assert response.json()["lang"] == "PT-BR"
        assert response.json()["data"] == {"HELLO": "Olá"}

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"data": {"A": "x"}}, "lang"),
            ({"lang": "", "data": {"A": "x"}}, "lang"),
            ({"lang": "e1!", "data": {"A": "x"}}, "lang"),
            ({"lang": 5, "data": {"A": "x"}}, "lang"),
            ({"lang": "default", "data": {"A": "x"}}, "lang"),
            ({"lang": "IT"}, "data"),
            ({"lang": "IT", "data": ["A"]}, "data"),
            ({"lang": "IT", "data": "texts"}, "data"),
        ],
    )
    async def test_bad_input_is_a_422_and_writes_nothing(
        self,
        client: httpx.AsyncClient,
        untouched_world: World,
        event_log: EventLog,
        body: dict[str, Any],
        param: str,
    ) -> None:
        response = await client.post(
            f"/{untouched_world.project_id}/labels", json=body, headers=untouched_world.admin.auth
        )

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert (error["msg"], error["param"], error["location"]) == ("Invalid value", param, "body")
        assert await document(client, untouched_world.project_id) == {}
        assert _events(event_log, "label.create", untouched_world) == []


class TestCloneBuiltin:
    async def test_copies_the_builtin_texts_and_answers_the_document(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/labels/default/clone",
            json={"lang": "it"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200, response.text
        found = response.json()
        assert set(found) == DOCUMENT_FIELDS
        assert found == await document(client, world.project_id)
        [entry] = found["data"]
        assert (entry["lang"], entry["default"]) == ("IT", True)
        assert entry["data"] == builtin("IT")["data"]
        assert _events(event_log, "label.clone", world) == [found]

    async def test_a_language_without_builtin_texts_gets_the_english_ones(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "EN")

        response = await client.post(
            f"/{world.project_id}/labels/default/clone",
            json={"lang": "NL"},
            headers=world.owner.auth,
        )

        assert response.status_code == 200, response.text
        entry = response.json()["data"][1]
        assert (entry["lang"], entry["default"]) == ("NL", False)
        assert entry["data"] == builtin("EN")["data"]

    async def test_resets_a_customised_language_and_keeps_it_default(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "FR", "EN")

        response = await client.post(
            f"/{world.project_id}/labels/default/clone",
            json={"lang": "FR"},
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        assert languages(response.json()) == [("FR", True), ("EN", False)]
        assert response.json()["data"][0]["data"] == builtin("FR")["data"]

    @pytest.mark.parametrize("body", [{}, {"lang": ""}, {"lang": None}, {"lang": "default"}])
    async def test_without_a_language_is_a_422_and_writes_nothing(
        self, client: httpx.AsyncClient, untouched_world: World, body: dict[str, Any]
    ) -> None:
        response = await client.post(
            f"/{untouched_world.project_id}/labels/default/clone",
            json=body,
            headers=untouched_world.admin.auth,
        )

        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert (error["msg"], error["param"], error["location"]) == (
            "Invalid value",
            "lang",
            "body",
        )
        assert await document(client, untouched_world.project_id) == {}


class TestMakeDefault:
    async def test_moves_the_default_to_the_language(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        await with_languages(client, world, "EN", "IT", "FR")

        response = await client.patch(
            f"/{world.project_id}/labels/it/default", headers=world.admin.auth
        )

        assert response.status_code == 200, response.text
        entry = response.json()
        assert set(entry) == ENTRY_FIELDS
        assert (entry["lang"], entry["default"]) == ("IT", True)
        found = await document(client, world.project_id)
        assert languages(found) == [("EN", False), ("IT", True), ("FR", False)]
        assert _events(event_log, "label.update", world) == [found]
        assert (await resolved(client, world.project_id, "DE"))["lang"] == "IT"

    async def test_a_project_without_labels_is_a_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.patch(
            f"/{world.project_id}/labels/EN/default", headers=world.admin.auth
        )

        assert response.status_code == 404
        assert response.json() == LANG_NOT_FOUND
        assert await document(client, world.project_id) == {}

    async def test_a_language_the_project_lacks_is_a_404_and_changes_nothing(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        await with_languages(client, world, "EN", "IT")

        response = await client.patch(
            f"/{world.project_id}/labels/DE/default", headers=world.admin.auth
        )

        assert response.status_code == 404
        assert response.json() == LANG_NOT_FOUND
        assert languages(await document(client, world.project_id)) == [
            ("EN", True),
            ("IT", False),
        ]
        assert _events(event_log, "label.update", world) == []


class TestDeleteLanguage:
    async def test_removes_it_and_answers_the_fallback(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        await with_languages(client, world, "FR", "IT")

        response = await client.delete(f"/{world.project_id}/labels/it", headers=world.admin.auth)

        assert response.status_code == 200, response.text
        assert (response.json()["lang"], response.json()["default"]) == ("FR", True)
        found = await document(client, world.project_id)
        assert languages(found) == [("FR", True)]
        assert _events(event_log, "label.delete", world) == [found]

    async def test_the_default_language_stays(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        await with_languages(client, world, "FR", "IT")

        response = await client.delete(f"/{world.project_id}/labels/FR", headers=world.admin.auth)

        assert response.status_code == 400
        assert response.json() == DEFAULT_UNDELETABLE
        assert languages(await document(client, world.project_id)) == [
            ("FR", True),
            ("IT", False),
        ]
        assert _events(event_log, "label.delete", world) == []

    async def test_a_language_the_project_lacks_is_a_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "FR")

        response = await client.delete(f"/{world.project_id}/labels/DE", headers=world.admin.auth)

        assert response.status_code == 404
        assert response.json() == NOT_FOUND

    async def test_a_project_without_labels_is_a_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.delete(f"/{world.project_id}/labels/EN", headers=world.admin.auth)

        assert response.status_code == 404
        assert response.json() == NOT_FOUND


class TestDeleteLabels:
    async def test_drops_every_language_of_the_project_only(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        await with_languages(client, world, "FR", "IT")
        theirs = await save(client, world.other_project_id, world.stranger, "SV", {"A": "x"})
        before = await document(client, world.project_id)

        response = await client.delete(f"/{world.project_id}/labels", headers=world.admin.auth)

        assert response.status_code == 200
        assert response.json() == {"n": 1, "ok": 1, "deletedCount": 1}
        assert await document(client, world.project_id) == {}
        assert (await document(client, world.other_project_id))["data"] == [theirs]
        assert _events(event_log, "label.delete", world) == [before]

    async def test_without_labels_deletes_nothing(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        response = await client.delete(f"/{world.project_id}/labels", headers=world.admin.auth)

        assert response.status_code == 200
        assert response.json() == {"n": 0, "ok": 1, "deletedCount": 0}
        assert _events(event_log, "label.delete", world) == []

    async def test_languages_can_be_stored_again_afterwards(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await with_languages(client, world, "FR", "IT")
        await client.delete(f"/{world.project_id}/labels", headers=world.admin.auth)

        entry = await save(client, world.project_id, world.owner, "IT", {"A": "x"})

        assert entry["default"] is True
