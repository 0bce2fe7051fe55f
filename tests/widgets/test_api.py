"""Widget settings ``GET /{pid}/widgets`` and the widget loader ``/widgets``, ``/w`` (§5.22)."""

import json
import re
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from tests.factories import World, make_world
from tests.projects.helpers import hours_json, set_project

WIDGET_KEYS = ["project", "user_available", "departments", "ip", "botsRules"]
PRIVATE_PROJECT_FIELDS = ("ipFilter", "ipFilterEnabled", "ipFilterDeny", "ipFilterDenyEnabled")
LAPSED_PROFILE = {"type": "payment", "name": "Custom", "subEnd": "2001-01-01T00:00:00.000Z"}


@pytest.fixture
async def world(client: httpx.AsyncClient) -> World:
    return await make_world(client)


async def _widget(client: httpx.AsyncClient, project_id: str, **headers: str) -> dict[str, Any]:
    response = await client.get(f"/{project_id}/widgets", headers=headers)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _project(client: httpx.AsyncClient, world: World) -> dict[str, Any]:
    response = await client.get(f"/projects/{world.project_id}", headers=world.owner.auth)
    assert response.status_code == 200, response.text
    project: dict[str, Any] = response.json()
    return project


class TestWidgetSettings:
    async def test_answers_the_shape_the_widget_reads_without_credentials(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = await _widget(client, world.project_id)

        assert list(body) == WIDGET_KEYS
        assert body["ip"] == "127.0.0.1"
        assert body["botsRules"] == []
        assert [department["default"] for department in body["departments"]] == [True]
        assert body["departments"][0]["id_project"] == world.project_id

    async def test_the_project_is_the_public_project_without_filters_or_bans(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await set_project(
            client,
            world.project_id,
            world.owner.auth,
            ipFilterDeny=["10.9.9.9"],
            bannedUsers=[{"id": "someone", "ip": "10.1.1.1"}],
        )
        project = await _project(client, world)

        shown = (await _widget(client, world.project_id))["project"]

        for field in (*PRIVATE_PROJECT_FIELDS, "bannedUsers", "jwtSecret"):
            assert field not in shown
        expected = {
            key: value
            for key, value in project.items()
            if key not in (*PRIVATE_PROJECT_FIELDS, "bannedUsers", "updatedAt")
        }
        assert {key: value for key, value in shown.items() if key != "updatedAt"} == expected

    async def test_settings_are_reduced_to_the_four_the_widget_uses(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        settings = {
            "allowed_urls": True,
            "allowed_urls_list": ["https://shop.example.com"],
            "allow_send_emoji": False,
            "allowed_upload_extentions": ".pdf,.png",
            "chat_limit_on": True,
            "max_agent_assigned_chat": 3,
        }
        await set_project(client, world.project_id, world.owner.auth, settings=settings)

        shown = (await _widget(client, world.project_id))["project"]

        assert shown["settings"] == {
            "allowed_urls": True,
            "allowed_urls_list": ["https://shop.example.com"],
            "allow_send_emoji": False,
            "allowed_upload_extentions": ".pdf,.png",
        }

    async def test_lists_available_agents_with_their_first_names(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = await _widget(client, world.project_id)

        assert body["user_available"] == [
            {"id": world.owner.id, "firstname": "Olivia"},
            {"id": world.admin.id, "firstname": "Admin"},
            {"id": world.supervisor.id, "firstname": "Supervisor"},
            {"id": world.agent.id, "firstname": "Agent"},
        ]

    async def test_leaves_out_unavailable_agents(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.put(
            f"/{world.project_id}/project_users",
            json={"user_available": False},
            headers=world.agent.auth,
        )
        assert response.status_code == 200, response.text

        body = await _widget(client, world.project_id)

        assert world.agent.id not in [agent["id"] for agent in body["user_available"]]
        assert len(body["user_available"]) == 3

    async def test_lists_nobody_while_operating_hours_say_closed(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        await set_project(
            client,
            world.project_id,
            world.owner.auth,
            activeOperatingHours=True,
            operatingHours=hours_json("UTC", {}),
        )

        body = await _widget(client, world.project_id)

        assert body["user_available"] == []
        assert body["project"]["activeOperatingHours"] is True

    async def test_shows_only_departments_visible_in_the_widget(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        for name, status in (("Sales", 1), ("Hidden", 0), ("Internal", -1)):
            response = await client.post(
                f"/{world.project_id}/departments",
                json={"name": name, "status": status},
                headers=world.admin.auth,
            )
            assert response.status_code == 200, response.text
        public = await client.get(f"/{world.project_id}/departments")

        body = await _widget(client, world.project_id)

        assert [department["name"] for department in body["departments"]] == [
            department["name"] for department in public.json()
        ]
        assert "Sales" in [department["name"] for department in body["departments"]]
        assert "Hidden" not in [department["name"] for department in body["departments"]]

    async def test_bots_rules_gather_every_untrashed_bots_rules(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        rules = {
            "first": [{"uid": "r1", "when": {"regexOption": "url"}}],
            "second": [{"uid": "r2"}, {"uid": "r3"}],
            "trashed": [{"uid": "r4"}],
        }
        for name, bot_rules in rules.items():
            created = await client.post(
                f"/{world.project_id}/faq_kb", json={"name": name}, headers=world.admin.auth
            )
            assert created.status_code == 200, created.text
            bot_id = created.json()["_id"]
            patched = await client.patch(
                f"/{world.project_id}/faq_kb/{bot_id}/attributes",
                json={"rules": bot_rules},
                headers=world.admin.auth,
            )
            assert patched.status_code == 200, patched.text
            if name == "trashed":
                trashed = await client.put(
                    f"/{world.project_id}/faq_kb/{bot_id}",
                    json={"trashed": True},
                    headers=world.admin.auth,
                )
                assert trashed.status_code == 200, trashed.text

        body = await _widget(client, world.project_id)

        assert [rule["uid"] for rule in body["botsRules"]] == ["r1", "r2", "r3"]

    async def test_the_ip_ignores_forwarded_for_from_untrusted_peers(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = await _widget(client, world.project_id, **{"X-Forwarded-For": "203.0.113.9"})

        assert body["ip"] == "127.0.0.1"

    async def test_a_lapsed_plan_loses_the_branding_fields(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        widget = {"poweredBy": "<a>us</a>", "baloonImage": "https://x.example/b.png", "x": 1}
        await set_project(client, world.project_id, world.owner.auth, widget=widget)
        before = (await _widget(client, world.project_id))["project"]["widget"]
        downgraded = await client.put(
            f"/projects/{world.project_id}/downgradeplan",
            json={"profile": LAPSED_PROFILE},
            headers=world.owner.auth,
        )
        assert downgraded.status_code == 200, downgraded.text

        after = (await _widget(client, world.project_id))["project"]["widget"]

        assert before == widget
        assert after == {"x": 1}

    async def test_other_projects_agents_and_departments_never_show(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        body = await _widget(client, world.other_project_id)

        assert body["user_available"] == [{"id": world.stranger.id, "firstname": "Sam"}]
        assert {department["id_project"] for department in body["departments"]} == {
            world.other_project_id
        }
        assert body["project"]["_id"] == world.other_project_id

    @pytest.mark.parametrize(
        ("project_id", "message"),
        [
            ("not-an-id", "Invalid project id: not-an-id"),
            ("0123456789abcdef01234567", "Project not found with id: 0123456789abcdef01234567"),
        ],
    )
    async def test_an_unknown_project_is_a_400(
        self, client: httpx.AsyncClient, project_id: str, message: str
    ) -> None:
        response = await client.get(f"/{project_id}/widgets")

        assert response.status_code == 400
        assert response.json() == {"error": message}


class TestWidgetIp:
    async def test_reports_the_address_and_the_forwarded_header(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(
            f"/{world.project_id}/widgets/ip",
            headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"},
        )

        assert response.status_code == 200
        assert response.json() == {
            "ip": "127.0.0.1",
            "ipStandard": "203.0.113.9",
            "parseIp": "203.0.113.9",
        }

    async def test_without_a_proxy_every_field_is_the_peer(
        self, client: httpx.AsyncClient, world: World
    ) -> None:
        response = await client.get(f"/{world.project_id}/widgets/ip")

        assert response.json() == {
            "ip": "127.0.0.1",
            "ipStandard": "127.0.0.1",
            "parseIp": "127.0.0.1",
        }


class TestWidgetLoader:
    @pytest.mark.parametrize("prefix", ["widgets", "w"])
    async def test_load_redirects_to_the_widget_with_the_same_query(
        self, client: httpx.AsyncClient, prefix: str
    ) -> None:
        response = await client.get(f"/{prefix}/load?tiledesk_projectid=abc&lang=it")

        assert response.status_code == 302
        assert response.headers["location"] == (
            "http://localhost:4200/?tiledesk_projectid=abc&lang=it"
        )

    async def test_load_without_a_query_redirects_to_the_widget(
        self, client: httpx.AsyncClient
    ) -> None:
        response = await client.get("/widgets/load")

        assert response.status_code == 302
        assert response.headers["location"] == "http://localhost:4200/"

    @pytest.mark.parametrize("prefix", ["widgets", "w"])
    async def test_test_load_redirects_to_the_test_widget(
        self, client: httpx.AsyncClient, prefix: str
    ) -> None:
        response = await client.get(f"/{prefix}/test/load?a=1")

        assert response.status_code == 302
        assert response.headers["location"] == "http://localhost:4200/?a=1"

    @pytest.mark.parametrize("prefix", ["widgets", "w"])
    async def test_v5_answers_the_launch_script(
        self, client: httpx.AsyncClient, world: World, prefix: str
    ) -> None:
        response = await client.get(f"/{prefix}/v5/{world.project_id}")

        assert response.status_code == 200
        assert response.headers["content-type"] == "application/javascript; charset=utf-8"
        assert f'window.tiledeskSettings = {{ projectid: "{world.project_id}" }};' in response.text
        assert 'script.src = "http://localhost:4200/launch.js";' in response.text

    async def test_v5_cannot_be_made_to_run_a_script_through_the_project_id(
        self, client: httpx.AsyncClient
    ) -> None:
        hostile = '"};alert(1);<script>x("'

        response = await client.get("/widgets/v5/" + quote(hostile, safe=""))

        assert response.status_code == 200
        assert "<" not in response.text
        match = re.search(r"projectid: (\"(?:[^\"\\]|\\.)*\")", response.text)
        assert match is not None
        assert json.loads(match.group(1)) == hostile
