"""Subscriptions CRUD, ``/:pid/subscriptions`` (fact sheet §5.15, §9.13): shapes, guards,
validation, and the delivery logs."""

import re
from typing import Any

import httpx
import pytest

from tests.factories import World, make_world, signup
from tests.subscriptions.support import Receiver, subscription_token

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
OBJECT_ID = re.compile(r"^[0-9a-f]{24}$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TARGET = "https://hooks.example.com/tiledesk"
PUBLIC_FIELDS = {
    "_id",
    "target",
    "event",
    "id_project",
    "createdBy",
    "createdAt",
    "updatedAt",
    "__v",
}


async def _create(
    client: httpx.AsyncClient, world: World, event: str = "request.create", target: str = TARGET
) -> httpx.Response:
    return await client.post(
        f"/{world.project_id}/subscriptions",
        json={"event": event, "target": target},
        headers=world.admin.auth,
    )


async def _list(client: httpx.AsyncClient, world: World) -> list[dict[str, Any]]:
    response = await client.get(f"/{world.project_id}/subscriptions", headers=world.owner.auth)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


@pytest.fixture(scope="module")
async def shared_world(client: httpx.AsyncClient) -> World:
    """For the tests that create nothing, or only subscriptions to events no other test of the
    module uses, and compare the project's list before and after."""
    return await make_world(client)


@pytest.fixture(scope="module")
async def shared_default_world(default_client: httpx.AsyncClient) -> World:
    """The same, in the app that refuses private targets."""
    return await make_world(default_client)


class TestCreate:
    async def test_answers_the_subscription_with_its_secret_in_body_and_header(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await _create(client, world)

        assert response.status_code == 200
        body = response.json()
        assert set(body) == PUBLIC_FIELDS | {"secret", "global"}
        assert OBJECT_ID.match(body["_id"])
        assert body["target"] == TARGET
        assert body["event"] == "request.create"
        assert body["id_project"] == world.project_id
        assert body["createdBy"] == world.admin.id
        assert ISO.match(body["createdAt"])
        assert body["createdAt"] == body["updatedAt"]
        assert body["__v"] == 0
        assert body["global"] is False
        assert UUID.match(body["secret"])
        assert response.headers["x-hook-secret"] == body["secret"]

    async def test_every_subscription_gets_its_own_secret(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        first = (await _create(client, world, target=TARGET + "/1")).json()
        second = (await _create(client, world, target=TARGET + "/2")).json()
        assert first["secret"] != second["secret"]

    async def test_the_same_event_and_target_answer_the_existing_subscription(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = (await _create(client, world)).json()

        again = await _create(client, world)

        assert again.status_code == 200
        body = again.json()
        assert body["_id"] == created["_id"]
        assert body["secret"] == created["secret"]
        assert again.headers["x-hook-secret"] == created["secret"]
        assert "global" not in body  # Tiledesk re-reads it with only +secret selected
        assert [s["_id"] for s in await _list(client, world)] == [created["_id"]]

    async def test_another_target_or_event_is_another_subscription(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await _create(client, world)
        await _create(client, world, event="request.close")
        await _create(client, world, target=TARGET + "/other")
        assert len(await _list(client, world)) == 3

    @pytest.mark.parametrize(
        "event",
        [
            "message.create",
            "message.create.request.channel.whatsapp",
            "message.create.channel.chat21",
            "event.emit.typing.start",
            "operator.select",
            "faqbot.update",
            "project_user.delete",
        ],
    )
    async def test_accepts_the_catalogue(
        self, client: httpx.AsyncClient, shared_world: World, event: str
    ) -> None:
        response = await _create(client, shared_world, event=event)
        assert response.status_code == 200, response.text
        assert response.json()["event"] == event

    @pytest.mark.parametrize(
        ("body", "param"),
        [
            ({"target": TARGET}, "event"),
            ({"event": "request.create"}, "target"),
            ({"event": "", "target": TARGET}, "event"),
            ({"event": "request.explode", "target": TARGET}, "event"),
            ({"event": "message.create.channel.", "target": TARGET}, "event"),
            ({"event": "faqBot.create", "target": TARGET}, "event"),
            ({"event": "request.create", "target": "not a url"}, "target"),
            ({"event": "request.create", "target": "ftp://example.com/x"}, "target"),
            ({"event": "request.create", "target": "https:///no-host"}, "target"),
            ({"event": "request.create", "target": "https://example.com:99999/"}, "target"),
            ({"event": ["request.create"], "target": TARGET}, "event"),
        ],
    )
    async def test_bad_input_is_422_and_creates_nothing(
        self, client: httpx.AsyncClient, shared_world: World, body: dict[str, Any], param: str
    ) -> None:
        world = shared_world
        before = await _list(client, world)

        response = await client.post(
            f"/{world.project_id}/subscriptions", json=body, headers=world.admin.auth
        )

        assert response.status_code == 422
        errors = response.json()["errors"]
        assert [(e["param"], e["msg"], e["location"]) for e in errors] == [
            (param, "Invalid value", "body")
        ]
        assert await _list(client, world) == before


class TestPrivateTargets:
    """The suite's app allows loopback targets (its receivers run there); the default app
    refuses them (README "Webhooks")."""

    @pytest.mark.parametrize(
        "target",
        [
            "http://127.0.0.1:8080/hook",
            "http://localhost/hook",
            "http://api.localhost/hook",
            "http://10.1.2.3/hook",
            "http://192.168.0.1/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://[::1]/hook",
            "http://[::ffff:127.0.0.1]/hook",
            "http://0.0.0.0/hook",
        ],
    )
    async def test_are_422_when_not_allowed(
        self, default_client: httpx.AsyncClient, shared_default_world: World, target: str
    ) -> None:
        listed_before = await default_client.get(
            f"/{shared_default_world.project_id}/subscriptions",
            headers=shared_default_world.admin.auth,
        )

        response = await default_client.post(
            f"/{shared_default_world.project_id}/subscriptions",
            json={"event": "request.create", "target": target},
            headers=shared_default_world.admin.auth,
        )

        assert response.status_code == 422
        (error,) = response.json()["errors"]
        assert error["param"] == "target"
        assert "WEBHOOK_ALLOW_PRIVATE_TARGETS" in error["reason"]
        listed = await default_client.get(
            f"/{shared_default_world.project_id}/subscriptions",
            headers=shared_default_world.admin.auth,
        )
        assert listed.json() == listed_before.json()

    async def test_a_public_target_is_accepted_by_the_default_app(
        self, default_client: httpx.AsyncClient, shared_default_world: World
    ) -> None:
        response = await default_client.post(
            f"/{shared_default_world.project_id}/subscriptions",
            json={"event": "request.create", "target": "https://93.184.215.14/hook"},
            headers=shared_default_world.admin.auth,
        )
        assert response.status_code == 200, response.text

    async def test_an_update_to_a_private_target_is_422_and_changes_nothing(
        self, default_client: httpx.AsyncClient, shared_default_world: World
    ) -> None:
        created = await default_client.post(
            f"/{shared_default_world.project_id}/subscriptions",
            json={"event": "request.update", "target": TARGET},
            headers=shared_default_world.admin.auth,
        )
        url = f"/{shared_default_world.project_id}/subscriptions/{created.json()['_id']}"

        response = await default_client.put(
            url, json={"target": "http://127.0.0.1/x"}, headers=shared_default_world.admin.auth
        )

        assert response.status_code == 422
        reread = await default_client.get(url, headers=shared_default_world.admin.auth)
        assert reread.json()["target"] == TARGET


class TestRead:
    async def test_list_and_get_never_show_the_secret(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = (await _create(client, world)).json()

        listed = await _list(client, world)
        one = await client.get(
            f"/{world.project_id}/subscriptions/{created['_id']}", headers=world.admin.auth
        )

        expected = {key: created[key] for key in PUBLIC_FIELDS}
        assert listed == [expected]
        assert one.status_code == 200
        assert one.json() == expected

    async def test_the_list_is_a_bare_array_oldest_first(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        ids = [
            (await _create(client, world, target=f"{TARGET}/{n}")).json()["_id"] for n in range(3)
        ]
        assert [s["_id"] for s in await _list(client, world)] == ids

    @pytest.mark.parametrize("subscription_id", ["6b067d2d0c9d2d1b14da90d9", "xyz"])
    async def test_an_unknown_id_is_404(
        self, client: httpx.AsyncClient, shared_world: World, subscription_id: str
    ) -> None:
        response = await client.get(
            f"/{shared_world.project_id}/subscriptions/{subscription_id}",
            headers=shared_world.admin.auth,
        )
        assert response.status_code == 404
        assert response.json() == {"success": False, "msg": "Object not found."}


class TestUpdate:
    async def test_changes_event_and_target(self, client: httpx.AsyncClient, world: World) -> None:
        created = (await _create(client, world)).json()
        url = f"/{world.project_id}/subscriptions/{created['_id']}"

        response = await client.put(
            url,
            json={
                "event": "lead.create",
                "target": TARGET + "/v2",
                "secret": "mine",
                "id_project": "x",
            },
            headers=world.admin.auth,
        )

        assert response.status_code == 200
        body = response.json()
        assert set(body) == PUBLIC_FIELDS
        assert body["event"] == "lead.create"
        assert body["target"] == TARGET + "/v2"
        assert body["id_project"] == world.project_id
        assert body["createdAt"] == created["createdAt"]
        assert (await client.get(url, headers=world.admin.auth)).json() == body

    async def test_a_partial_update_keeps_the_other_field(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = (await _create(client, world)).json()
        url = f"/{world.project_id}/subscriptions/{created['_id']}"

        response = await client.put(url, json={"target": TARGET + "/v3"}, headers=world.admin.auth)

        assert response.json()["event"] == created["event"]
        assert response.json()["target"] == TARGET + "/v3"

    @pytest.mark.parametrize(
        "body", [{"event": "nope"}, {"target": "mailto:x@example.com"}, {"event": None}]
    )
    async def test_bad_input_is_422_and_changes_nothing(
        self, client: httpx.AsyncClient, world: World, body: dict[str, Any]
    ) -> None:
        created = (await _create(client, world)).json()
        url = f"/{world.project_id}/subscriptions/{created['_id']}"

        response = await client.put(url, json=body, headers=world.admin.auth)

        assert response.status_code == 422
        assert (await client.get(url, headers=world.admin.auth)).json()["event"] == created["event"]

    async def test_onto_another_subscription_is_409_and_changes_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await _create(client, world, event="lead.create")
        other = (await _create(client, world, event="request.close")).json()
        url = f"/{world.project_id}/subscriptions/{other['_id']}"

        response = await client.put(url, json={"event": "lead.create"}, headers=world.admin.auth)

        assert response.status_code == 409
        assert response.json() == {
            "success": False,
            "msg": "A subscription for this event and target already exists.",
        }
        assert (await client.get(url, headers=world.admin.auth)).json()["event"] == "request.close"

    async def test_an_unknown_id_is_404_and_creates_nothing(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.put(
            f"/{world.project_id}/subscriptions/6b067d2d0c9d2d1b14da90d9",
            json={"event": "lead.create", "target": TARGET},
            headers=world.admin.auth,
        )
        assert response.status_code == 404
        assert await _list(client, world) == []


class TestDelete:
    async def test_answers_the_deleted_subscription_and_removes_it(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        created = (await _create(client, world)).json()
        url = f"/{world.project_id}/subscriptions/{created['_id']}"

        response = await client.delete(url, headers=world.admin.auth)

        assert response.status_code == 200
        assert response.json() == {key: created[key] for key in PUBLIC_FIELDS}
        assert (await client.get(url, headers=world.admin.auth)).status_code == 404
        assert await _list(client, world) == []

    async def test_an_unknown_id_is_404(self, client: httpx.AsyncClient, world: World) -> None:
        response = await client.delete(
            f"/{world.project_id}/subscriptions/6b067d2d0c9d2d1b14da90d9",
            headers=world.admin.auth,
        )
        assert response.status_code == 404


class TestTestRoute:
    async def test_post_test_is_not_offered(self, client: httpx.AsyncClient, world: World) -> None:
        """Tiledesk's ``POST /subscriptions/test`` always fails (§5.15); Tessera has none."""
        response = await client.post(
            f"/{world.project_id}/subscriptions/test", json={}, headers=world.admin.auth
        )
        assert response.status_code == 404
        assert await _list(client, world) == []


class TestGuards:
    ROLES_ALLOWED = ("owner", "admin")
    ROLES_TOO_LOW = ("supervisor", "agent")

    def _callers(self, world: World) -> dict[str, dict[str, str]]:
        return {
            "owner": world.owner.auth,
            "admin": world.admin.auth,
            "supervisor": world.supervisor.auth,
            "agent": world.agent.auth,
            "guest": world.guest.auth,
            "end_user": world.end_user.auth,
            "outsider": world.outsider.auth,
            "stranger": world.stranger.auth,
        }

    @pytest.mark.parametrize(
        ("caller", "status", "msg"),
        [
            ("owner", 200, None),
            ("admin", 200, None),
            ("supervisor", 403, "you dont have the required role."),
            ("agent", 403, "you dont have the required role."),
            ("guest", 403, "you dont have the required role."),
            ("end_user", 403, "you dont have the required role."),
            ("outsider", 403, "you dont belong to the project."),
            ("stranger", 403, "you dont belong to the project."),
        ],
    )
    async def test_every_route_is_for_admins(
        self, client: httpx.AsyncClient, world: World, caller: str, status: int, msg: str | None
    ) -> None:
        existing = (await _create(client, world)).json()
        base = f"/{world.project_id}/subscriptions"
        headers = self._callers(world)[caller]
        calls = [
            ("GET", base, None),
            ("GET", f"{base}/history", None),
            ("GET", f"{base}/{existing['_id']}", None),
            ("GET", f"{base}/{existing['_id']}/logs", None),
            ("POST", base, {"event": "lead.create", "target": TARGET + "/" + caller}),
            ("PUT", f"{base}/{existing['_id']}", {"target": TARGET + "/put/" + caller}),
        ]
        for method, url, body in calls:
            response = await client.request(method, url, json=body, headers=headers)
            assert response.status_code == status, (method, url, response.text)
            if msg is not None:
                assert response.json() == {"success": False, "msg": msg}

        deleted = await client.delete(f"{base}/{existing['_id']}", headers=headers)
        assert deleted.status_code == status
        remaining = await _list(client, world)
        if status == 200:
            assert [s["event"] for s in remaining] == ["lead.create"]
        else:
            assert remaining == [{key: existing[key] for key in PUBLIC_FIELDS}]

    async def test_without_credentials_is_401(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(f"/{world.project_id}/subscriptions")
        assert response.status_code == 401
        assert response.text == "Unauthorized"

    async def test_another_projects_subscription_is_not_found_from_there(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        """The stranger administers another project: ids of this one are not found there."""
        mine = (await _create(client, world)).json()
        theirs = f"/{world.other_project_id}/subscriptions/{mine['_id']}"

        read = await client.get(theirs, headers=world.stranger.auth)
        updated = await client.put(
            theirs, json={"target": TARGET + "/x"}, headers=world.stranger.auth
        )
        deleted = await client.delete(theirs, headers=world.stranger.auth)
        logs = await client.get(theirs + "/logs", headers=world.stranger.auth)

        assert [r.status_code for r in (read, updated, deleted, logs)] == [404, 404, 404, 404]
        listed = await client.get(
            f"/{world.other_project_id}/subscriptions", headers=world.stranger.auth
        )
        assert listed.json() == []
        assert await _list(client, world) == [{key: mine[key] for key in PUBLIC_FIELDS}]

    async def test_a_subscription_token_does_not_manage_subscriptions(
        self, client: httpx.AsyncClient, world: World, receiver: Receiver
    ) -> None:
        """Tiledesk's guard for this router lists no token types (§5.15)."""
        created = (await _create(client, world, target=receiver.url)).json()
        token = subscription_token(created)

        response = await client.get(
            f"/{world.project_id}/subscriptions", headers={"Authorization": "JWT " + token}
        )

        assert response.status_code == 403
        assert response.json() == {"success": False, "msg": "you dont belong to the project."}


async def test_the_project_must_exist(client: httpx.AsyncClient) -> None:
    person = await signup(client)
    response = await client.get("/6b067d2d0c9d2d1b14da90d9/subscriptions", headers=person.auth)
    assert response.status_code == 400
    assert response.json() == {"error": "Project not found with id: 6b067d2d0c9d2d1b14da90d9"}
