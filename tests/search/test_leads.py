"""``GET /:pid/leads?full_text=`` and the CSV's (fact sheet §5.6): MongoDB's ``$text`` over a
lead's full name and e-mail."""

import httpx
import pytest

from tests.factories import World, make_world


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def lead(client: httpx.AsyncClient, world: World, **body: object) -> str:
    response = await client.post(f"/{world.project_id}/leads", json=body, headers=world.agent.auth)
    assert response.status_code == 200, response.text
    lead_pk: str = response.json()["_id"]
    return lead_pk


async def found(client: httpx.AsyncClient, world: World, text: str, **params: str) -> set[str]:
    response = await client.get(
        f"/{world.project_id}/leads",
        params={"full_text": text, **params},
        headers=world.agent.auth,
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["count"] == len(body["leads"])
    return {found["_id"] for found in body["leads"]}


@pytest.fixture(scope="module")
async def plain_world(client: httpx.AsyncClient) -> World:
    """A World with one lead, "Plain Name", only searched."""
    world = await make_world(client)
    await lead(client, world, fullname="Plain Name")
    return world


class TestMatching:
    async def test_fullname_and_email_words(self, client: httpx.AsyncClient, world: World) -> None:
        ada = await lead(client, world, fullname="Ada Lovelace", email="ada@engine.example")
        alan = await lead(client, world, fullname="Alan Turing", email="alan@bletchley.example")

        assert await found(client, world, "lovelace") == {ada}
        assert await found(client, world, "bletchley") == {alan}
        # MongoDB splits e-mails at "@" and "." and matches any word: "example" is both.
        assert await found(client, world, "ada@engine.example") == {ada, alan}
        assert await found(client, world, '"ada engine"') == {ada}

    async def test_any_word_case_and_diacritics(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        zoe = await lead(client, world, fullname="Zoë Ångström")
        jose = await lead(client, world, fullname="JOSÉ Núñez")
        await lead(client, world, fullname="Someone Else")

        assert await found(client, world, "zoe NUNEZ") == {zoe, jose}
        assert await found(client, world, "angstrom") == {zoe}
        assert await found(client, world, "José") == {jose}

    async def test_combines_with_the_other_filters(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        with_email = await lead(client, world, fullname="Grace Hopper", email="g@navy.example")
        await lead(client, world, fullname="Grace Kelly")

        assert await found(client, world, "grace", with_email="true") == {with_email}

    @pytest.mark.parametrize("hostile", ['"', "*", "AND", "-", "(", "NEAR", "'", "\\", "%", "\x00"])
    async def test_any_input_is_a_search_never_an_error(
        self, client: httpx.AsyncClient, plain_world: World, hostile: str
    ) -> None:
        assert await found(client, plain_world, hostile) == set()

    async def test_the_csv_filters_alike(self, client: httpx.AsyncClient, world: World) -> None:
        await lead(client, world, fullname="Exported Person", email="exp@csv.example")
        await lead(client, world, fullname="Left Out")

        response = await client.get(
            f"/{world.project_id}/leads/csv",
            params={"full_text": "exported"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert "exp@csv.example" in response.text
        assert "Left Out" not in response.text


class TestScopeAndChanges:
    async def test_other_projects_leads_never_match(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        ours = await lead(client, world, fullname="Common Name")
        theirs = await client.post(
            f"/{world.other_project_id}/leads",
            json={"fullname": "Common Name"},
            headers=world.stranger.auth,
        )
        assert theirs.status_code == 200

        assert await found(client, world, "common") == {ours}

    async def test_an_update_replaces_the_words(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead_pk = await lead(client, world, fullname="Before Rename", email="b@x.example")

        updated = await client.put(
            f"/{world.project_id}/leads/{lead_pk}",
            json={"fullname": "After Rename"},
            headers=world.agent.auth,
        )

        assert updated.status_code == 200
        assert await found(client, world, "before") == set()
        assert await found(client, world, "after") == {lead_pk}
        assert await found(client, world, "b") == {lead_pk}

    async def test_a_lead_upserted_by_lead_id_is_reindexed(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead_pk = await lead(client, world, lead_id="visitor-9", fullname="First Version")

        again = await lead(client, world, lead_id="visitor-9", fullname="Second Version")

        assert again == lead_pk
        assert await found(client, world, "first") == set()
        assert await found(client, world, "second") == {lead_pk}

    async def test_a_deleted_lead_is_found_only_among_deleted_ones(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead_pk = await lead(client, world, fullname="Soft Deleted")

        await client.delete(f"/{world.project_id}/leads/{lead_pk}", headers=world.agent.auth)

        assert await found(client, world, "soft") == set()
        assert await found(client, world, "soft", status="1000") == {lead_pk}

    async def test_a_physically_deleted_lead_is_gone(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead_pk = await lead(client, world, fullname="Hard Deleted")

        deleted = await client.delete(
            f"/{world.project_id}/leads/{lead_pk}/physical", headers=world.owner.auth
        )

        assert deleted.status_code == 200
        assert await found(client, world, "hard", status="1000") == set()
        assert await found(client, world, "hard") == set()
