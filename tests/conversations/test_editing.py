"""Edits of conversations by agents (§5.4.3): PATCH, attributes, notes, followers, tags and
the e-mail to the contact."""

import uuid
from typing import Any

import httpx
import pytest

from tests.conftest import EventLog
from tests.conversations.support import create_request, post_message
from tests.factories import World, make_world
from tests.support.smtp import SmtpSink

OBJECT_ID = "0123456789abcdef01234567"


@pytest.fixture(scope="module")
async def world(client: httpx.AsyncClient) -> World:
    """Shared by the classes whose tests edit a conversation of their own and look only at it
    and its events; TestPatch and TestEmail check the project's counters and mails, and
    make a World per test."""
    return await make_world(client)


@pytest.fixture
async def conversation(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    """Requested by the owner, with the agent as its only participant."""
    return await create_request(
        client, world.project_id, world.owner, participants=[world.agent.id]
    )


def path(world: World, conversation: dict[str, Any], suffix: str = "") -> str:
    return f"/{world.project_id}/requests/{conversation['request_id']}{suffix}"


async def read(
    client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
) -> dict[str, Any]:
    response = await client.get(path(world, conversation), headers=world.owner.auth)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def events_of(event_log: EventLog, name: str, conversation: dict[str, Any]) -> list[Any]:
    """Events ``name`` whose payload is (or holds under ``request``) this conversation."""
    found = []
    for event in event_log.named(name):
        request = event.payload.get("request", event.payload)
        if request.get("request_id") == conversation["request_id"]:
            found.append(event)
    return found


async def membership_id(
    client: httpx.AsyncClient, project_id: str, owner: Any, user_id: str
) -> str:
    response = await client.get(f"/{project_id}/project_users/users/{user_id}", headers=owner.auth)
    assert response.status_code == 200, response.text
    found: str = response.json()[0]["_id"]
    return found


class TestPatch:
    @pytest.fixture
    async def world(self, client: httpx.AsyncClient) -> World:
        return await make_world(client)

    async def test_truthy_values_are_applied(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        response = await client.patch(
            path(world, conversation),
            json={
                "subject": "Invoice",
                "priority": "high",
                "language": "it",
                "first_text": "Changed",
                "sourcePage": "https://shop.example.com",
                "rating_message": "fine",
                "location": {"country": "IT"},
                "channelName": "email",
                "tags": [{"tag": "vip", "color": "#f00"}],
            },
            headers=world.agent.auth,
        )

        assert response.status_code == 200, response.text
        patched = response.json()
        assert patched["subject"] == "Invoice"
        assert patched["priority"] == "high"
        assert patched["language"] == "it"
        assert patched["first_text"] == "Changed"
        assert patched["sourcePage"] == "https://shop.example.com"
        assert patched["rating_message"] == "fine"
        assert patched["location"] == {"country": "IT"}
        assert patched["channel"] == {"name": "email"}
        (tag,) = patched["tags"]
        assert (tag["tag"], tag["color"]) == ("vip", "#f00")
        assert len(tag["_id"]) == 24
        assert isinstance(patched["lead"], dict)  # populated
        stored = await read(client, world, conversation)
        assert stored["subject"] == "Invoice"
        assert stored["channel"] == {"name": "email"}
        assert stored["tags"] == patched["tags"]

    async def test_falsy_values_are_ignored_but_the_two_flags_apply_when_present(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        await client.patch(
            path(world, conversation),
            json={"subject": "Keep", "workingStatus": "open"},
            headers=world.agent.auth,
        )

        response = await client.patch(
            path(world, conversation),
            json={
                "subject": "",
                "status": 0,
                "rating": 0,
                "priority": None,
                "smartAssignment": False,
                "workingStatus": "",
            },
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        stored = await read(client, world, conversation)
        assert stored["subject"] == "Keep"
        assert stored["status"] == 200
        assert "rating" not in stored
        assert stored["priority"] == "medium"
        assert stored["smartAssignment"] is False
        assert stored["workingStatus"] == ""

    async def test_an_empty_tag_list_clears_the_tags(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        await client.put(
            path(world, conversation, "/tag"), json=[{"tag": "a"}], headers=world.agent.auth
        )

        response = await client.patch(
            path(world, conversation), json={"tags": []}, headers=world.agent.auth
        )

        assert response.json()["tags"] == []
        assert (await read(client, world, conversation))["tags"] == []

    async def test_rating_and_working_status_have_their_events(
        self,
        client: httpx.AsyncClient,
        world: World,
        conversation: dict[str, Any],
        event_log: EventLog,
    ) -> None:
        await client.patch(
            path(world, conversation),
            json={"rating": 4, "workingStatus": "pending"},
            headers=world.agent.auth,
        )

        (update,) = events_of(event_log, "request.update", conversation)
        assert update.payload["rating"] == 4
        assert isinstance(update.payload["lead"], dict)
        (satisfaction,) = events_of(event_log, "request.satisfaction", conversation)
        assert satisfaction.payload["patch"] == {"rating": 4, "workingStatus": "pending"}
        (working,) = events_of(event_log, "request.workingStatus.update", conversation)
        assert working.payload["request"]["workingStatus"] == "pending"

    async def test_a_status_runs_no_close_logic_but_moves_the_counters(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        response = await client.patch(
            path(world, conversation), json={"status": 1000}, headers=world.agent.auth
        )

        assert response.status_code == 200
        stored = await read(client, world, conversation)
        assert stored["status"] == 1000
        assert "closed_at" not in stored
        assert "transcript" not in stored
        messages = await client.get(
            path(world, conversation, "/messages"), headers=world.owner.auth
        )
        assert messages.json() == []
        agent_membership = await membership_id(
            client, world.project_id, world.owner, world.agent.id
        )
        membership = await client.get(
            f"/{world.project_id}/project_users/{agent_membership}", headers=world.owner.auth
        )
        assert membership.json()["number_assigned_requests"] == 0

    async def test_a_pending_working_status_moves_the_counters(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        agent_membership = await membership_id(
            client, world.project_id, world.owner, world.agent.id
        )
        counted = []
        for working_status in ("pending", "open"):
            response = await client.patch(
                path(world, conversation),
                json={"workingStatus": working_status},
                headers=world.agent.auth,
            )
            assert response.status_code == 200
            membership = await client.get(
                f"/{world.project_id}/project_users/{agent_membership}", headers=world.owner.auth
            )
            counted.append(membership.json()["number_assigned_requests"])

        assert counted == [0, 1]

    async def test_the_lead_must_belong_to_the_project(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        other = await create_request(client, world.project_id, world.admin)
        foreign = await create_request(client, world.other_project_id, world.stranger)

        moved = await client.patch(
            path(world, conversation), json={"lead": other["lead"]}, headers=world.agent.auth
        )
        refused = await client.patch(
            path(world, conversation), json={"lead": foreign["lead"]}, headers=world.agent.auth
        )

        assert moved.status_code == 200
        assert moved.json()["lead"]["_id"] == other["lead"]
        assert moved.json()["requester_id"] == other["lead"]
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["param"] == "lead"
        assert (await read(client, world, conversation))["lead"]["_id"] == other["lead"]

    async def test_bad_input(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        unknown = await client.patch(
            f"/{world.project_id}/requests/nope", json={"subject": "x"}, headers=world.agent.auth
        )
        wrong = [
            await client.patch(path(world, conversation), json=body, headers=world.agent.auth)
            for body in (
                {"rating": "five", "subject": "x"},
                {"tags": "vip"},
                {"tags": [{"color": "red"}]},
                {"status": 2**40, "subject": "x"},
            )
        ]

        assert unknown.status_code == 404
        assert unknown.json() == {"success": False, "msg": "Request not found"}
        assert [response.status_code for response in wrong] == [422, 422, 422, 422]
        stored = await read(client, world, conversation)
        assert "subject" not in stored
        assert stored["tags"] == []
        assert stored["updatedAt"] == conversation["updatedAt"]


class TestAttributes:
    async def test_keys_are_merged(
        self,
        client: httpx.AsyncClient,
        world: World,
        conversation: dict[str, Any],
        event_log: EventLog,
    ) -> None:
        await client.patch(
            path(world, conversation, "/attributes"),
            json={"a": 1, "b": {"x": 1}},
            headers=world.agent.auth,
        )

        response = await client.patch(
            path(world, conversation, "/attributes"),
            json={"b": {"y": 2}, "c": "z"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json()["attributes"] == {"a": 1, "b": {"y": 2}, "c": "z"}
        assert (await read(client, world, conversation))["attributes"] == {
            "a": 1,
            "b": {"y": 2},
            "c": "z",
        }
        assert len(events_of(event_log, "request.attributes.update", conversation)) == 2
        assert len(events_of(event_log, "request.update", conversation)) == 2

    async def test_bad_input(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        not_an_object = await client.patch(
            path(world, conversation, "/attributes"), json=["a"], headers=world.agent.auth
        )
        unknown = await client.patch(
            f"/{world.project_id}/requests/nope/attributes", json={"a": 1}, headers=world.agent.auth
        )

        assert not_an_object.status_code == 422
        assert unknown.status_code == 404
        assert unknown.json() == {"success": False, "msg": "Object not found."}
        assert "attributes" not in await read(client, world, conversation)


class TestNotes:
    async def test_a_participant_adds_and_deletes_a_note(
        self,
        client: httpx.AsyncClient,
        world: World,
        conversation: dict[str, Any],
        event_log: EventLog,
    ) -> None:
        added = await client.post(
            path(world, conversation, "/notes"),
            json={"text": "Called back", "attributes": {"x": 1}},
            headers=world.agent.auth,
        )

        assert added.status_code == 200, added.text
        (note,) = added.json()["notes"]
        assert set(note) == {"_id", "text", "createdBy", "createdAt", "updatedAt"}
        assert (note["text"], note["createdBy"]) == ("Called back", world.agent.id)
        assert note["createdAt"] == note["updatedAt"]
        assert (await read(client, world, conversation))["notes"] == [note]

        deleted = await client.delete(
            path(world, conversation, f"/notes/{note['_id']}"), headers=world.agent.auth
        )

        assert deleted.status_code == 200
        assert deleted.json()["notes"] == []
        assert (await read(client, world, conversation))["notes"] == []
        assert len(events_of(event_log, "request.update", conversation)) == 2

    @pytest.mark.parametrize(("body", "received"), [({"text": "   "}, "   "), ({}, "undefined")])
    async def test_a_blank_text_is_400(
        self,
        client: httpx.AsyncClient,
        world: World,
        conversation: dict[str, Any],
        body: dict[str, str],
        received: str,
    ) -> None:
        response = await client.post(
            path(world, conversation, "/notes"), json=body, headers=world.agent.auth
        )

        assert response.status_code == 400
        assert response.json() == {
            "success": False,
            "error": f"Field 'text' is required. Received value: {received}",
        }
        assert (await read(client, world, conversation))["notes"] == []

    async def test_agents_must_participate_but_not_supervisors(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        elsewhere = await create_request(
            client, world.project_id, world.owner, participants=[world.admin.id]
        )

        agent = await client.post(
            path(world, elsewhere, "/notes"), json={"text": "x"}, headers=world.agent.auth
        )
        supervisor = await client.post(
            path(world, elsewhere, "/notes"),
            json={"text": "from the supervisor"},
            headers=world.supervisor.auth,
        )
        agent_delete = await client.delete(
            path(world, elsewhere, f"/notes/{supervisor.json()['notes'][0]['_id']}"),
            headers=world.agent.auth,
        )

        assert agent.status_code == 403
        assert agent.json() == {
            "success": False,
            "error": "You are not participating in the conversation",
        }
        assert agent_delete.status_code == 403
        assert supervisor.status_code == 200
        assert [n["text"] for n in (await read(client, world, elsewhere))["notes"]] == [
            "from the supervisor"
        ]

    async def test_unknown_ids(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        await client.post(
            path(world, conversation, "/notes"), json={"text": "keep"}, headers=world.agent.auth
        )
        before = await read(client, world, conversation)

        unknown_note = await client.delete(
            path(world, conversation, f"/notes/{OBJECT_ID}"), headers=world.agent.auth
        )
        malformed = await client.delete(
            path(world, conversation, "/notes/xyz"), headers=world.agent.auth
        )
        unknown_request = await client.post(
            f"/{world.project_id}/requests/nope/notes", json={"text": "x"}, headers=world.owner.auth
        )

        assert unknown_note.status_code == 200
        assert unknown_note.json()["notes"] == before["notes"]
        assert malformed.status_code == 404
        assert malformed.json() == {"success": False, "error": "Note not found with id xyz"}
        assert unknown_request.status_code == 404
        assert unknown_request.json() == {
            "success": False,
            "error": "Request with id nope not found.",
        }
        after = await read(client, world, conversation)
        assert after["notes"] == before["notes"]
        assert after["updatedAt"] == before["updatedAt"]


class TestFollowers:
    async def test_add_set_and_remove(
        self,
        client: httpx.AsyncClient,
        world: World,
        conversation: dict[str, Any],
        event_log: EventLog,
    ) -> None:
        admin = await membership_id(client, world.project_id, world.owner, world.admin.id)
        agent = await membership_id(client, world.project_id, world.owner, world.agent.id)
        followers = path(world, conversation, "/followers")

        added = await client.post(followers, json={"member": admin}, headers=world.agent.auth)
        again = await client.post(followers, json={"member": admin}, headers=world.agent.auth)
        replaced = await client.put(followers, json=[agent, admin, agent], headers=world.agent.auth)
        removed = await client.delete(f"{followers}/{agent}", headers=world.agent.auth)
        not_following = await client.delete(f"{followers}/{agent}", headers=world.agent.auth)

        assert added.status_code == 200
        assert added.json()["followers"] == [admin]
        assert isinstance(added.json()["lead"], dict)
        assert again.json()["followers"] == [admin]
        assert replaced.json()["followers"] == [agent, admin]
        assert removed.json()["followers"] == [admin]
        assert not_following.status_code == 200
        assert (await read(client, world, conversation))["followers"] == [admin]
        joins = events_of(event_log, "request.followers.join", conversation)
        assert [event.payload["member"] for event in joins] == [admin]
        leaves = events_of(event_log, "request.followers.leave", conversation)
        assert [event.payload["member"] for event in leaves] == [agent]
        assert len(events_of(event_log, "request.update", conversation)) == 3

    async def test_followers_must_be_members_of_the_project(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        foreign = await membership_id(
            client, world.other_project_id, world.stranger, world.stranger.id
        )
        followers = path(world, conversation, "/followers")

        one = await client.post(followers, json={"member": foreign}, headers=world.agent.auth)
        many = await client.put(followers, json=[foreign], headers=world.agent.auth)
        missing = await client.post(followers, json={}, headers=world.agent.auth)
        not_a_list = await client.put(followers, json={"member": foreign}, headers=world.agent.auth)
        unknown = await client.post(
            f"/{world.project_id}/requests/nope/followers",
            json={"member": foreign},
            headers=world.agent.auth,
        )

        assert one.status_code == 422
        assert one.json()["errors"][0]["param"] == "member"
        assert many.status_code == 422
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["param"] == "member"
        assert not_a_list.status_code == 422
        assert unknown.status_code == 404
        assert (await read(client, world, conversation))["followers"] == []


class TestTags:
    async def test_tags_are_appended_once_by_name(
        self,
        client: httpx.AsyncClient,
        world: World,
        conversation: dict[str, Any],
        event_log: EventLog,
    ) -> None:
        tag = path(world, conversation, "/tag")
        first = await client.put(
            tag, json=[{"tag": "vip", "color": "red"}], headers=world.agent.auth
        )

        second = await client.put(
            tag,
            json=[{"tag": "vip", "color": "blue"}, {"tag": "late"}, {"tag": "late", "color": "x"}],
            headers=world.agent.auth,
        )

        assert first.status_code == 200
        tags = second.json()["tags"]
        assert [(t["tag"], t.get("color")) for t in tags] == [("vip", "red"), ("late", None)]
        assert all(len(t["_id"]) == 24 for t in tags)
        assert isinstance(second.json()["lead"], dict)
        assert (await read(client, world, conversation))["tags"] == tags
        added = [
            [t["tag"] for t in e.payload["tags"]]
            for e in events_of(event_log, "request.tag.update", conversation)
        ]
        assert added == [["vip"], ["late"]]

    async def test_a_tag_is_removed_by_its_id(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        tags = (
            await client.put(
                path(world, conversation, "/tag"),
                json=[{"tag": "a"}, {"tag": "b"}],
                headers=world.agent.auth,
            )
        ).json()["tags"]

        removed = await client.delete(
            path(world, conversation, f"/tag/{tags[0]['_id']}"), headers=world.agent.auth
        )
        unknown = await client.delete(
            path(world, conversation, f"/tag/{OBJECT_ID}"), headers=world.agent.auth
        )
        malformed = await client.delete(
            path(world, conversation, "/tag/zz"), headers=world.agent.auth
        )

        assert removed.status_code == 200
        assert [t["tag"] for t in removed.json()["tags"]] == ["b"]
        assert unknown.status_code == 200
        assert [t["tag"] for t in unknown.json()["tags"]] == ["b"]
        assert malformed.status_code == 404
        assert [t["tag"] for t in (await read(client, world, conversation))["tags"]] == ["b"]

    async def test_bad_input(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any]
    ) -> None:
        tag = path(world, conversation, "/tag")

        empty = await client.put(tag, json=[], headers=world.agent.auth)
        not_a_list = await client.put(tag, json={"tag": "a"}, headers=world.agent.auth)
        no_name = await client.put(tag, json=[{"color": "red"}], headers=world.agent.auth)
        unknown = await client.put(
            f"/{world.project_id}/requests/nope/tag", json=[{"tag": "a"}], headers=world.agent.auth
        )
        unknown_delete = await client.delete(
            f"/{world.project_id}/requests/nope/tag/{OBJECT_ID}", headers=world.agent.auth
        )

        assert empty.status_code == 400
        assert empty.json() == {"success": False, "message": "No tag specified"}
        assert not_a_list.status_code == 422
        assert no_name.status_code == 422
        assert unknown.status_code == 404
        assert unknown.json() == {
            "success": False,
            "error": "Request not found with request id nope",
        }
        assert unknown_delete.status_code == 404
        assert unknown_delete.json() == {
            "success": False,
            "error": "Request not found with id nope",
        }
        assert (await read(client, world, conversation))["tags"] == []


class TestEmail:
    @pytest.fixture
    async def world(self, client: httpx.AsyncClient) -> World:
        return await make_world(client)

    async def test_the_contact_receives_the_message(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any], smtp: SmtpSink
    ) -> None:
        response = await client.post(
            path(world, conversation, "/email/send"),
            json={"text": "Your order shipped.\nTracking: 42", "subject": "Order update"},
            headers=world.agent.auth,
        )

        assert response.status_code == 200
        assert response.json() == {"queued": True}
        mail = await smtp.wait_for(world.owner.email, subject="Order update")
        assert "Your order shipped." in mail.text
        assert "Tracking: 42" in mail.text

    async def test_a_contact_without_email_is_400(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        request_id = f"support-group-{world.project_id}-{uuid.uuid4().hex}"
        await post_message(client, world.project_id, request_id, world.guest, text="hi")

        response = await client.post(
            f"/{world.project_id}/requests/{request_id}/email/send",
            json={"text": "hello"},
            headers=world.agent.auth,
        )

        assert response.status_code == 400
        assert response.json() == {
            "success": False,
            "msg": "The contact of the conversation has no email address",
        }

    async def test_bad_input(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any], smtp: SmtpSink
    ) -> None:
        no_text = await client.post(
            path(world, conversation, "/email/send"),
            json={"subject": "s"},
            headers=world.agent.auth,
        )
        unknown = await client.post(
            f"/{world.project_id}/requests/nope/email/send",
            json={"text": "x"},
            headers=world.agent.auth,
        )
        guest = await client.post(
            path(world, conversation, "/email/send"), json={"text": "x"}, headers=world.guest.auth
        )

        assert no_text.status_code == 422
        assert no_text.json()["errors"][0]["param"] == "text"
        assert unknown.status_code == 404
        assert unknown.json() == {"success": False, "msg": "Object not found."}
        assert guest.status_code == 403
        assert smtp.count_for(world.owner.email) == 0


EDITS: list[tuple[str, str, Any]] = [
    ("PATCH", "", {"subject": "x"}),
    ("PATCH", "/attributes", {"a": 1}),
    ("POST", "/notes", {"text": "x"}),
    ("PUT", "/tag", [{"tag": "x"}]),
    ("PUT", "/followers", []),
    ("POST", "/email/send", {"text": "x"}),
]


class TestRoleMatrix:
    @pytest.mark.parametrize(
        ("who", "status"),
        [
            ("guest", 403),
            ("end_user", 403),
            ("outsider", 403),
            ("stranger", 403),
        ],
    )
    @pytest.mark.parametrize(("method", "suffix", "body"), EDITS)
    async def test_non_agents_cannot_edit(
        self,
        client: httpx.AsyncClient,
        world: World,
        conversation: dict[str, Any],
        who: str,
        status: int,
        method: str,
        suffix: str,
        body: Any,
    ) -> None:
        response = await client.request(
            method, path(world, conversation, suffix), json=body, headers=getattr(world, who).auth
        )

        assert response.status_code == status
        stored = await read(client, world, conversation)
        assert stored["updatedAt"] == conversation["updatedAt"]

    @pytest.mark.parametrize(("method", "suffix", "body"), EDITS)
    async def test_another_projects_conversation_is_404(
        self, client: httpx.AsyncClient, world: World, method: str, suffix: str, body: Any
    ) -> None:
        foreign = await create_request(client, world.other_project_id, world.stranger)

        response = await client.request(
            method,
            f"/{world.project_id}/requests/{foreign['request_id']}{suffix}",
            json=body,
            headers=world.owner.auth,
        )

        assert response.status_code == 404
        still = await client.get(
            f"/{world.other_project_id}/requests/{foreign['request_id']}",
            headers=world.stranger.auth,
        )
        assert still.json()["updatedAt"] == foreign["updatedAt"]

    @pytest.mark.parametrize("role", ["agent", "supervisor", "admin", "owner"])
    async def test_agents_and_above_edit(
        self, client: httpx.AsyncClient, world: World, conversation: dict[str, Any], role: str
    ) -> None:
        response = await client.patch(
            path(world, conversation), json={"subject": role}, headers=world.person(role).auth
        )

        assert response.status_code == 200
        assert (await read(client, world, conversation))["subject"] == role
