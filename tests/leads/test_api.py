"""Leads (contacts), ``/:pid/leads`` (fact sheet §5.6)."""

import uuid

import httpx
import pytest

from tests.conftest import EventLog
from tests.factories import Person, World, make_world


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def _lead(client: httpx.AsyncClient, world: World, **body: object) -> dict[str, object]:
    response = await client.post(f"/{world.project_id}/leads", json=body, headers=world.agent.auth)
    assert response.status_code == 200, response.text
    lead: dict[str, object] = response.json()
    return lead


class TestCreate:
    async def test_answers_the_lead(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.post(
            f"/{world.project_id}/leads",
            json={"fullname": "Ada Client", "email": "ada@client.example", "attributes": {"a": 1}},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        lead = response.json()
        assert uuid.UUID(lead["lead_id"]).version == 4
        assert lead["fullname"] == "Ada Client"
        assert lead["email"] == "ada@client.example"
        assert lead["attributes"] == {"a": 1}
        assert lead["status"] == 100
        assert lead["tags"] == []
        assert lead["id_project"] == world.project_id
        assert lead["createdBy"] == world.agent.id
        assert {"_id", "createdAt", "updatedAt", "__v"} <= set(lead)
        assert "id" not in lead

    async def test_emits_lead_create(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        lead = await _lead(client, world, fullname="Evented")

        events = event_log.named("lead.create", world.project_id)

        assert [event.payload["_id"] for event in events] == [lead["_id"]]

    async def test_an_existing_lead_id_is_not_duplicated(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        first = await _lead(client, world, lead_id="visitor-1", fullname="First")

        second = await _lead(client, world, lead_id="visitor-1", fullname="Renamed")
        listed = await client.get(f"/{world.project_id}/leads", headers=world.agent.auth)

        assert second["_id"] == first["_id"]
        assert second["fullname"] == "Renamed"
        assert listed.json()["count"] == 1

    async def test_wrong_types_are_422_and_create_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.post(
            f"/{world.project_id}/leads", json={"attributes": "x"}, headers=world.agent.auth
        )
        listed = await client.get(f"/{world.project_id}/leads", headers=world.agent.auth)

        assert response.status_code == 422
        assert listed.json()["count"] == 0


class TestList:
    async def test_is_wrapped_with_paging(self, client: httpx.AsyncClient, world: World) -> None:
        for index in range(3):
            await _lead(client, world, fullname=f"Lead {index}")

        first = await client.get(
            f"/{world.project_id}/leads", params={"limit": 2}, headers=world.agent.auth
        )
        second = await client.get(
            f"/{world.project_id}/leads", params={"limit": 2, "page": 1}, headers=world.agent.auth
        )

        assert first.json()["perPage"] == 2
        assert first.json()["count"] == 3
        assert [lead["fullname"] for lead in first.json()["leads"]] == ["Lead 2", "Lead 1"]
        assert [lead["fullname"] for lead in second.json()["leads"]] == ["Lead 0"]

    async def test_sorts_by_any_field_and_direction(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        for name in ("Bea", "Al", "Cy"):
            await _lead(client, world, fullname=name)

        response = await client.get(
            f"/{world.project_id}/leads",
            params={"sort": "fullname", "direction": "1"},
            headers=world.agent.auth,
        )

        assert [lead["fullname"] for lead in response.json()["leads"]] == ["Al", "Bea", "Cy"]

    async def test_filters(self, client: httpx.AsyncClient, world: World) -> None:
        with_email = await _lead(client, world, fullname="Mail Person", email="m@p.example")
        tagged = await _lead(client, world, fullname="Tagged Person")
        await client.put(
            f"/{world.project_id}/leads/{tagged['_id']}/tag", json=["vip"], headers=world.agent.auth
        )
        await _lead(client, world)

        async def ids(**params: str) -> list[object]:
            response = await client.get(
                f"/{world.project_id}/leads", params=params, headers=world.agent.auth
            )
            return [lead["_id"] for lead in response.json()["leads"]]

        assert await ids(email="m@p.example") == [with_email["_id"]]
        assert await ids(with_email="true") == [with_email["_id"]]
        assert set(await ids(with_fullname="true")) == {with_email["_id"], tagged["_id"]}
        assert await ids(tags="vip") == [tagged["_id"]]
        assert await ids(full_text="TAGGED") == [tagged["_id"]]
        # MongoDB's $text: any of the words.
        assert set(await ids(full_text="tagged PERSON")) == {with_email["_id"], tagged["_id"]}
        assert await ids(full_text="nobody") == []

    async def test_deleted_leads_leave_the_list(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead = await _lead(client, world, fullname="Gone")

        await client.delete(f"/{world.project_id}/leads/{lead['_id']}", headers=world.agent.auth)
        default = await client.get(f"/{world.project_id}/leads", headers=world.agent.auth)
        deleted = await client.get(
            f"/{world.project_id}/leads", params={"status": 1000}, headers=world.agent.auth
        )

        assert default.json()["count"] == 0
        assert [found["_id"] for found in deleted.json()["leads"]] == [lead["_id"]]

    async def test_never_shows_other_projects_leads(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await client.post(
            f"/{world.other_project_id}/leads",
            json={"fullname": "Theirs"},
            headers=world.stranger.auth,
        )

        response = await client.get(f"/{world.project_id}/leads", headers=world.agent.auth)

        assert response.json()["count"] == 0

    async def test_a_non_numeric_limit_is_422(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/leads", params={"limit": "many"}, headers=world.agent.auth
        )

        assert response.status_code == 422


async def test_csv_export(client: httpx.AsyncClient, world: World) -> None:
    await _lead(client, world, fullname="Csv; Person", email="csv@p.example", attributes={"x": 1})

    response = await client.get(f"/{world.project_id}/leads/csv", headers=world.agent.auth)

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    header, row = response.text.strip().split("\n")
    assert header.startswith("_id;lead_id;fullname;email")
    assert '"Csv; Person"' in row
    assert "csv@p.example" in row
    assert "attributes" not in header


class TestReadAndUpdate:
    async def test_get_is_scoped_to_the_project(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead = await _lead(client, world)

        mine = await client.get(
            f"/{world.project_id}/leads/{lead['_id']}", headers=world.agent.auth
        )
        theirs = await client.get(
            f"/{world.other_project_id}/leads/{lead['_id']}", headers=world.stranger.auth
        )
        malformed = await client.get(f"/{world.project_id}/leads/nope", headers=world.agent.auth)

        assert mine.json()["_id"] == lead["_id"]
        assert theirs.status_code == 404
        assert theirs.json() == {"success": False, "msg": "Object not found."}
        assert malformed.status_code == 404

    async def test_put_applies_present_fields(
        self, client: httpx.AsyncClient, world: World, event_log: EventLog
    ) -> None:
        lead = await _lead(client, world, fullname="Before", attributes={"keep": False})

        response = await client.put(
            f"/{world.project_id}/leads/{lead['_id']}",
            json={
                "fullname": "After",
                "streetAddress": "1 Main St",
                "city": "Rome",
                "attributes": {"new": True},
                "tags": ["a", "b"],
            },
            headers=world.agent.auth,
        )

        updated = response.json()
        assert updated["fullname"] == "After"
        assert updated["streetAddress"] == "1 Main St"
        assert updated["city"] == "Rome"
        assert updated["attributes"] == {"new": True}
        assert updated["tags"] == ["a", "b"]
        assert any(e.payload["_id"] == lead["_id"] for e in event_log.named("lead.fullname.update"))

    async def test_put_on_an_unknown_lead_is_404(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.put(
            f"/{world.project_id}/leads/{'0' * 24}",
            json={"fullname": "X"},
            headers=world.agent.auth,
        )

        assert response.status_code == 404

    async def test_attributes_and_properties_are_merged(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead = await _lead(client, world, attributes={"a": 1})
        path = f"/{world.project_id}/leads/{lead['_id']}"

        attributes = await client.patch(
            f"{path}/attributes", json={"b": 2}, headers=world.agent.auth
        )
        await client.post(f"{path}/properties", json={"p": 1}, headers=world.agent.auth)
        properties = await client.patch(
            f"{path}/properties", json={"q": 2}, headers=world.agent.auth
        )

        assert attributes.json()["attributes"] == {"a": 1, "b": 2}
        assert properties.json()["properties"] == {"p": 1, "q": 2}

    async def test_tags_are_appended_once_and_removed(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead = await _lead(client, world)
        path = f"/{world.project_id}/leads/{lead['_id']}/tag"

        await client.put(path, json=["a", "b"], headers=world.agent.auth)
        added = await client.put(path, json=["b", "c", "c"], headers=world.agent.auth)
        removed = await client.delete(f"{path}/b", headers=world.agent.auth)
        empty = await client.put(path, json=[], headers=world.agent.auth)

        assert added.json()["tags"] == ["a", "b", "c"]
        assert removed.json()["tags"] == ["a", "c"]
        assert empty.status_code == 400
        assert empty.json() == {"success": False, "message": "No tag specified"}


class TestDelete:
    async def test_physical_delete_is_for_owners(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        lead = await _lead(client, world)
        path = f"/{world.project_id}/leads/{lead['_id']}/physical"

        refused = await client.delete(path, headers=world.admin.auth)
        done = await client.delete(path, headers=world.owner.auth)
        gone = await client.get(
            f"/{world.project_id}/leads/{lead['_id']}", headers=world.owner.auth
        )

        assert refused.status_code == 403
        assert refused.json() == {"success": False, "msg": "Unauthorized."}
        assert done.json() == {"n": 1, "ok": 1, "deletedCount": 1}
        assert gone.status_code == 404


@pytest.mark.parametrize(
    ("who", "expected"),
    [("agent", 200), ("supervisor", 200), ("admin", 200), ("owner", 200), ("outsider", 403),
     ("stranger", 403)],
)  # fmt: skip
async def test_members_from_agent_up_read_leads(
    client: httpx.AsyncClient, world: World, who: str, expected: int
) -> None:
    person: Person = world.person(who)

    response = await client.get(f"/{world.project_id}/leads", headers=person.auth)

    assert response.status_code == expected


async def test_visitors_cannot_read_leads(client: httpx.AsyncClient, world: World) -> None:
    for visitor in (world.guest, world.end_user):
        response = await client.get(f"/{world.project_id}/leads", headers=visitor.auth)

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "you dont have the required role."}
