"""``GET /{pid}/leads?segment=<id>``: every filter operator, ``match: any``, and the errors
(fact sheet §5.6, §5.25)."""

from typing import Any

import httpx
import pytest

from tests.factories import World, make_world
from tests.segments.test_api import create_segment


async def _lead(
    client: httpx.AsyncClient, world: World, body: dict[str, Any], **extra: Any
) -> None:
    created = await client.post(f"/{world.project_id}/leads", json=body, headers=world.agent.auth)
    assert created.status_code == 200, created.text
    lead_pk = created.json()["_id"]
    properties = extra.pop("properties", None)
    if extra:
        updated = await client.put(
            f"/{world.project_id}/leads/{lead_pk}", json=extra, headers=world.agent.auth
        )
        assert updated.status_code == 200, updated.text
    if properties:
        merged = await client.patch(
            f"/{world.project_id}/leads/{lead_pk}/properties",
            json=properties,
            headers=world.agent.auth,
        )
        assert merged.status_code == 200, merged.text


@pytest.fixture(scope="module")
async def crm(client: httpx.AsyncClient) -> World:
    """Three leads: ``ada`` (a VIP in Rome), ``bob`` (on a trial in Milan) and ``cy`` (almost
    nothing known). Shared by the module: its tests add segments, never leads."""
    world = await make_world(client)
    await _lead(
        client,
        world,
        {
            "lead_id": "ada",
            "fullname": "Ada Lovelace",
            "email": "ada@acme.com",
            "attributes": {"plan": "vip", "age": 36, "active": True},
        },
        phone="+39061234",
        city="Rome",
        tags=["vip", "beta"],
        properties={"score": 12, "tier": "Gold"},
    )
    await _lead(
        client,
        world,
        {
            "lead_id": "bob",
            "fullname": "Bob Stone",
            "email": "bob@example.org",
            "attributes": {"plan": "basic", "age": 19},
        },
        city="Milan",
        tags=["trial"],
        properties={"score": 3},
    )
    await _lead(client, world, {"lead_id": "cy", "fullname": "cy_admin"})
    return world


async def _segment_leads(
    client: httpx.AsyncClient, world: World, segment_id: str, **params: Any
) -> dict[str, Any]:
    response = await client.get(
        f"/{world.project_id}/leads",
        params={"segment": segment_id, **params},
        headers=world.agent.auth,
    )
    assert response.status_code == 200, response.text
    listed: dict[str, Any] = response.json()
    return listed


def _f(field: str, operator: str, value: Any = None) -> dict[str, Any]:
    found: dict[str, Any] = {"field": field, "operator": operator}
    if value is not None:
        found["value"] = value
    return found


EVERYONE = {"ada", "bob", "cy"}

CASES = [
    # =, and the casts mongoose applies to lead columns
    ([_f("email", "=", "ada@acme.com")], {"ada"}),
    ([_f("status", "=", "100")], EVERYONE),
    ([_f("attributes.plan", "=", "vip")], {"ada"}),
    ([_f("attributes.active", "=", True)], {"ada"}),
    ([_f("attributes.age", "=", 19)], {"bob"}),
    ([_f("attributes.age", "=", "19")], set()),
    ([_f("properties.tier", "=", "Gold")], {"ada"}),
    ([_f("tags", "=", "vip")], {"ada"}),
    # != also matches leads without the field
    ([_f("email", "!=", "ada@acme.com")], {"bob", "cy"}),
    ([_f("attributes.plan", "!=", "vip")], {"bob", "cy"}),
    ([_f("tags", "!=", "vip")], {"bob", "cy"}),
    # > and >=: numbers with numbers, text with text (byte order), dates with dates
    ([_f("attributes.age", ">", 20)], {"ada"}),
    ([_f("attributes.age", ">=", 19)], {"ada", "bob"}),
    ([_f("attributes.age", ">", "20")], set()),
    ([_f("properties.score", ">=", 10)], {"ada"}),
    ([_f("fullname", ">", "B")], {"bob", "cy"}),
    ([_f("fullname", ">=", "Bob Stone")], {"bob", "cy"}),
    ([_f("createdAt", ">=", "2000-01-01T00:00:00.000Z")], EVERYONE),
    ([_f("createdAt", ">", "2999-01-01T00:00:00Z")], set()),
    ([_f("createdAt", ">", "not a date")], set()),
    # starts with: a prefix, case ignored, wildcards taken literally
    ([_f("fullname", "starts with", "ada")], {"ada"}),
    ([_f("fullname", "starts with", "CY_")], {"cy"}),
    ([_f("fullname", "starts with", "%")], set()),
    ([_f("phone", "starts with", "+39")], {"ada"}),
    ([_f("attributes.plan", "starts with", "VI")], {"ada"}),
    ([_f("tags", "starts with", "BE")], {"ada"}),
    # contains: a substring, case kept
    ([_f("email", "contains", "@acme")], {"ada"}),
    ([_f("fullname", "contains", "ada")], set()),
    ([_f("fullname", "contains", "_")], {"cy"}),
    ([_f("attributes.plan", "contains", "as")], {"bob"}),
    ([_f("tags", "contains", "ri")], {"bob"}),
    # is null / is not null: the field is absent (or present)
    ([_f("email", "is null")], {"cy"}),
    ([_f("email", "is not null")], {"ada", "bob"}),
    ([_f("properties.score", "is null")], {"cy"}),
    ([_f("attributes.plan", "is not null")], {"ada", "bob"}),
    ([_f("tags", "is not null")], EVERYONE),
    # several filters: all of them
    ([_f("city", "=", "Rome"), _f("attributes.age", ">", 30)], {"ada"}),
    ([_f("city", "=", "Rome"), _f("city", "=", "Milan")], set()),
    ([], EVERYONE),
]


@pytest.mark.parametrize(("filters", "expected"), CASES)
async def test_every_operator_selects_the_right_leads(
    client: httpx.AsyncClient, crm: World, filters: list[dict[str, Any]], expected: set[str]
) -> None:
    segment = await create_segment(client, crm, filters=filters)

    listed = await _segment_leads(client, crm, segment["_id"])

    assert {lead["lead_id"] for lead in listed["leads"]} == expected
    assert listed["count"] == len(expected)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ([_f("city", "=", "Rome"), _f("city", "=", "Milan")], {"ada", "bob"}),
        ([_f("email", "is null"), _f("attributes.age", ">", 30)], {"ada", "cy"}),
        ([], EVERYONE),
    ],
)
async def test_match_any_selects_leads_meeting_one_filter(
    client: httpx.AsyncClient, crm: World, filters: list[dict[str, Any]], expected: set[str]
) -> None:
    segment = await create_segment(client, crm, match="any", filters=filters)

    listed = await _segment_leads(client, crm, segment["_id"])

    assert {lead["lead_id"] for lead in listed["leads"]} == expected


async def test_the_segment_narrows_the_other_filters_and_pages(
    client: httpx.AsyncClient, crm: World
) -> None:
    segment = await create_segment(client, crm, filters=[_f("email", "is not null")])

    by_email = await _segment_leads(client, crm, segment["_id"], email="bob@example.org")
    first_page = await _segment_leads(client, crm, segment["_id"], limit=1, sort="fullname")

    assert [lead["lead_id"] for lead in by_email["leads"]] == ["bob"]
    assert first_page["count"] == 2
    assert [lead["lead_id"] for lead in first_page["leads"]] == ["bob"]


async def test_a_deleted_segment_still_filters(client: httpx.AsyncClient, crm: World) -> None:
    segment = await create_segment(client, crm, filters=[_f("city", "=", "Milan")])
    await client.delete(f"/{crm.project_id}/segments/{segment['_id']}", headers=crm.agent.auth)

    listed = await _segment_leads(client, crm, segment["_id"])

    assert [lead["lead_id"] for lead in listed["leads"]] == ["bob"]


@pytest.mark.parametrize("segment_id", ["0123456789abcdef01234567", "not-an-id"])
async def test_an_unknown_segment_is_not_found(
    client: httpx.AsyncClient, crm: World, segment_id: str
) -> None:
    response = await client.get(
        f"/{crm.project_id}/leads", params={"segment": segment_id}, headers=crm.agent.auth
    )

    assert response.status_code == 404
    assert response.json() == {"success": False, "msg": "Error segment not found"}


async def test_another_projects_segment_is_not_found(client: httpx.AsyncClient, crm: World) -> None:
    theirs = await client.post(
        f"/{crm.other_project_id}/segments", json={"name": "T"}, headers=crm.stranger.auth
    )

    response = await client.get(
        f"/{crm.project_id}/leads",
        params={"segment": theirs.json()["_id"]},
        headers=crm.agent.auth,
    )

    assert response.status_code == 404
    assert response.json() == {"success": False, "msg": "Error segment not found"}
