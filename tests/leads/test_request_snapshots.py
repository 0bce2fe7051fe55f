"""A lead's changes reach ``snapshot.lead`` of its conversations (fact sheet §5.6 PUT: Tiledesk
copies the updated lead into them on ``lead.update``)."""

from typing import Any

import httpx

from tests.conversations.support import post_message
from tests.factories import Person, make_guest, make_project, signup


async def visitor_conversation(
    client: httpx.AsyncClient, project_id: str, fullname: str, email: str
) -> dict[str, Any]:
    guest = await make_guest(client, project_id)
    request_id = f"support-group-{project_id}-{guest.id.replace('-', '')}"
    message = await post_message(
        client, project_id, request_id, guest, senderFullname=fullname, email=email
    )
    request: dict[str, Any] = message["request"]
    return request


async def read(
    client: httpx.AsyncClient, project_id: str, owner: Person, request_id: str
) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/requests/{request_id}", headers=owner.auth)
    assert response.status_code == 200, response.text
    request: dict[str, Any] = response.json()
    return request


async def test_a_new_name_and_email_reach_the_conversations(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project_id = await make_project(client, owner)
    request = await visitor_conversation(client, project_id, "Old Name", "old@mail.example")
    other = await visitor_conversation(client, project_id, "Someone Else", "else@mail.example")
    lead_id = request["lead"]["_id"]

    response = await client.put(
        f"/{project_id}/leads/{lead_id}",
        json={"fullname": "New Name", "email": "new@mail.example"},
        headers=owner.auth,
    )

    assert response.status_code == 200
    updated = await read(client, project_id, owner, request["request_id"])
    snapshot_lead = updated["snapshot"]["lead"]
    assert snapshot_lead["_id"] == lead_id
    assert snapshot_lead["fullname"] == "New Name"
    assert snapshot_lead["email"] == "new@mail.example"
    assert snapshot_lead["updatedAt"] == response.json()["updatedAt"]
    assert updated["updatedAt"] >= response.json()["updatedAt"]
    untouched = await read(client, project_id, owner, other["request_id"])
    assert untouched["snapshot"]["lead"]["fullname"] == "Someone Else"
    assert untouched["updatedAt"] == other["updatedAt"]


async def test_any_lead_update_refreshes_the_snapshot(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project_id = await make_project(client, owner)
    request = await visitor_conversation(client, project_id, "Tagged Lead", "t@mail.example")
    lead_id = request["lead"]["_id"]

    tagged = await client.put(
        f"/{project_id}/leads/{lead_id}/tag", json=["vip"], headers=owner.auth
    )

    assert tagged.status_code == 200
    snapshot_lead = (await read(client, project_id, owner, request["request_id"]))["snapshot"][
        "lead"
    ]
    assert snapshot_lead["tags"] == ["vip"]
    assert snapshot_lead["fullname"] == "Tagged Lead"


async def test_a_failed_update_changes_no_snapshot(client: httpx.AsyncClient) -> None:
    owner = await signup(client)
    project_id = await make_project(client, owner)
    request = await visitor_conversation(client, project_id, "Stable Name", "s@mail.example")
    lead_id = request["lead"]["_id"]

    response = await client.put(
        f"/{project_id}/leads/{lead_id}", json={"fullname": 12}, headers=owner.auth
    )

    assert response.status_code == 422
    unchanged = await read(client, project_id, owner, request["request_id"])
    assert unchanged["snapshot"]["lead"]["fullname"] == "Stable Name"
    assert unchanged["updatedAt"] == request["updatedAt"]
