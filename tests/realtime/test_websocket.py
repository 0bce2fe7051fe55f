"""The websocket API (fact sheet §6) against a running server."""

import asyncio

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.conversations.support import create_request, post_message
from tests.factories import add_member, make_guest, make_project, signup
from tests.realtime.support import Realtime
from tests.support.server import Server


class TestConnection:
    async def test_without_a_token_the_handshake_is_refused_with_401(self, server: Server) -> None:
        with pytest.raises(InvalidStatus) as refused:
            await connect(server.ws_url)
        assert refused.value.response.status_code == 401

    async def test_a_forged_token_is_refused_with_401(self, server: Server) -> None:
        with pytest.raises(InvalidStatus) as refused:
            await connect(server.ws_url + "?token=JWT%20not.a.token")
        assert refused.value.response.status_code == 401

    async def test_the_token_is_accepted_with_or_without_its_prefix(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        person = await signup(live)
        for token in (person.token, person.token.removeprefix("JWT ")):
            socket = await Realtime.open(server.ws_url, token)
            await socket.send("me")
            me = await socket.next_frame()
            assert me["action"] == "me"
            assert me["payload"]["userId"] is None
            assert len(me["payload"]["id"]) == 36
            await socket.close()

    async def test_ping_is_answered_with_pong(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        person = await signup(live)
        socket = await Realtime.open(server.ws_url, person.token)
        await socket.send("heartbeat", message={"text": "ping"})
        frame = await socket.next_frame(skip_heartbeats=False)
        while frame["payload"]["message"]["text"] == "ping":  # the server's own ping
            frame = await socket.next_frame(skip_heartbeats=False)
        assert frame == {"action": "heartbeat", "payload": {"message": {"text": "pong"}}}
        await socket.close()

    async def test_a_silent_client_is_dropped_after_a_heartbeat(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        person = await signup(live)
        async with connect(server.ws_url + "?token=" + person.token.removeprefix("JWT ")) as ws:
            first = await asyncio.wait_for(ws.recv(), 2)
            assert '"ping"' in str(first)
            # Say nothing: the next heartbeat finds the client silent and drops it.
            with pytest.raises(ConnectionClosed):
                await _drain(ws)


async def _drain(ws: ClientConnection) -> None:
    while True:
        await asyncio.wait_for(ws.recv(), 3)


class TestConversationTopics:
    async def test_messages_topic_sends_history_then_new_messages(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        request = await create_request(live, project_id, owner)
        rid = request["request_id"]
        first = await post_message(live, project_id, rid, owner, text="first")
        socket = await Realtime.open(server.ws_url, owner.token)
        topic = f"/{project_id}/requests/{rid}/messages"

        await socket.subscribe(topic)
        snapshot = await socket.publication(topic)
        await post_message(live, project_id, rid, owner, text="second")
        pushed = await socket.publication(topic)

        assert snapshot["payload"]["method"] == "CREATE"
        assert [m["_id"] for m in snapshot["payload"]["message"]] == [first["_id"]]
        assert pushed["payload"]["method"] == "CREATE"
        assert pushed["payload"]["message"]["text"] == "second"
        assert pushed["payload"]["message"]["request"]["request_id"] == rid
        assert pushed["id"]
        await socket.close()

    async def test_request_topic_sends_the_conversation_then_its_updates(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        request = await create_request(live, project_id, owner)
        topic = f"/{project_id}/requests/{request['request_id']}"
        socket = await Realtime.open(server.ws_url, owner.token)

        await socket.subscribe(topic)
        snapshot = await socket.publication(topic)
        await post_message(live, project_id, request["request_id"], owner, text="hi")
        update = await socket.publication(topic)

        assert snapshot["payload"]["message"]["_id"] == request["_id"]
        assert isinstance(snapshot["payload"]["message"]["lead"], dict)
        assert update["payload"]["method"] == "UPDATE"
        assert update["payload"]["message"]["attributes"]["last_message"]["text"] == "hi"
        await socket.close()

    async def test_an_agent_outside_the_conversation_gets_null_and_no_pushes(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        supervisor = await signup(live)
        await add_member(live, project_id, owner, supervisor, "supervisor")
        request = await create_request(live, project_id, owner, participants=[owner.id])
        rid = request["request_id"]
        socket = await Realtime.open(server.ws_url, supervisor.token)

        await socket.subscribe(f"/{project_id}/requests/{rid}")
        snapshot = await socket.publication(f"/{project_id}/requests/{rid}")
        await socket.subscribe(f"/{project_id}/requests/{rid}/messages")
        await post_message(live, project_id, rid, owner, text="private")

        assert snapshot["payload"]["message"] is None
        await socket.silence(f"/{project_id}/requests/{rid}")
        await socket.silence(f"/{project_id}/requests/{rid}/messages", 0.3)
        await socket.close()

    async def test_a_guest_follows_its_own_conversation_only(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        guest = await make_guest(live, project_id)
        own = await post_message(live, project_id, f"support-group-{project_id}-g1", guest)
        other = await create_request(live, project_id, owner)
        socket = await Realtime.open(server.ws_url, guest.token)
        own_topic = f"/{project_id}/requests/{own['recipient']}/messages"
        other_topic = f"/{project_id}/requests/{other['request_id']}/messages"

        await socket.subscribe(other_topic)
        await socket.subscribe(f"/{project_id}/requests")
        await socket.subscribe(own_topic)
        snapshot = await socket.publication(own_topic)
        await post_message(live, project_id, other["request_id"], owner, text="not for you")
        await post_message(live, project_id, own["recipient"], owner, text="for you")
        pushed = await socket.publication(own_topic)

        assert [m["text"] for m in snapshot["payload"]["message"]] == ["Hello"]
        assert pushed["payload"]["message"]["text"] == "for you"
        await socket.silence(other_topic, 0.3)
        await socket.close()

    async def test_a_member_of_another_project_is_refused(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        request = await create_request(live, project_id, owner)
        stranger = await signup(live)
        await make_project(live, stranger)
        socket = await Realtime.open(server.ws_url, stranger.token)
        topic = f"/{project_id}/requests/{request['request_id']}"

        await socket.subscribe(topic)
        await post_message(live, project_id, request["request_id"], owner, text="hi")

        await socket.silence(topic)
        await socket.close()


class TestResume:
    async def test_a_client_resuming_with_its_last_id_gets_what_it_missed(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        request = await create_request(live, project_id, owner)
        rid = request["request_id"]
        topic = f"/{project_id}/requests/{rid}/messages"
        socket = await Realtime.open(server.ws_url, owner.token)
        await socket.subscribe(topic)
        await socket.publication(topic)
        await post_message(live, project_id, rid, owner, text="seen")
        last_seen = (await socket.publication(topic))["id"]
        await socket.close()

        await post_message(live, project_id, rid, owner, text="missed 1")
        await post_message(live, project_id, rid, owner, text="missed 2")
        socket = await Realtime.open(server.ws_url, owner.token, last_event_id=last_seen)
        await socket.subscribe(topic)
        caught_up = [await socket.publication(topic), await socket.publication(topic)]
        await post_message(live, project_id, rid, owner, text="live")
        live_push = await socket.publication(topic)

        assert [f["payload"]["message"]["text"] for f in caught_up] == ["missed 1", "missed 2"]
        assert live_push["payload"]["message"]["text"] == "live"
        await socket.close()

    async def test_an_unknown_last_id_falls_back_to_the_snapshot(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        request = await create_request(live, project_id, owner)
        topic = f"/{project_id}/requests/{request['request_id']}"
        socket = await Realtime.open(server.ws_url, owner.token, last_event_id="99999999")

        await socket.subscribe(topic)
        snapshot = await socket.publication(topic)

        assert snapshot["payload"]["method"] == "CREATE"
        assert snapshot["payload"]["message"]["request_id"] == request["request_id"]
        await socket.close()


class TestRequestsTopic:
    async def test_sends_recent_open_conversations_then_creations_and_updates(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        older = await create_request(live, project_id, owner, first_text="older")
        newer = await create_request(live, project_id, owner, first_text="newer")
        await create_request(live, project_id, owner, first_text="hidden", request_status=50)
        topic = f"/{project_id}/requests"
        socket = await Realtime.open(server.ws_url, owner.token)

        await socket.subscribe(topic)
        snapshot = (await socket.publication(topic))["payload"]
        created = await create_request(live, project_id, owner, first_text="live")
        creation = (await socket.publication(topic))["payload"]
        await post_message(live, project_id, older["request_id"], owner, text="bump")
        update = (await socket.publication(topic))["payload"]

        assert snapshot["method"] == "CREATE"
        listed = snapshot["message"]
        assert [r["request_id"] for r in listed] == [newer["request_id"], older["request_id"]]
        first = listed[0]
        assert first["id"] == first["_id"]
        assert first["requester_id"] == first["lead"]
        assert isinstance(first["lead"], str)
        assert first["snapshot"]["requester"]["isAuthenticated"] is True
        assert first["snapshot"]["agents"] == [{"id_user": owner.id}]
        assert creation["method"] == "CREATE"
        assert creation["message"]["request_id"] == created["request_id"]
        assert update["method"] == "UPDATE"
        assert update["message"]["request_id"] == older["request_id"]
        assert update["message"]["snapshot"] == {"agents": [{"id_user": owner.id}]}
        await socket.close()

    async def test_a_supervisor_sees_only_the_conversations_it_takes_part_in(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        supervisor = await signup(live)
        await add_member(live, project_id, owner, supervisor, "supervisor")
        await create_request(live, project_id, owner, participants=[owner.id])
        joined = await create_request(live, project_id, owner, participants=[supervisor.id])
        topic = f"/{project_id}/requests"
        socket = await Realtime.open(server.ws_url, supervisor.token)

        await socket.subscribe(topic)
        snapshot = (await socket.publication(topic))["payload"]["message"]
        await create_request(live, project_id, owner, participants=[owner.id])
        mine = await create_request(live, project_id, owner, participants=[supervisor.id])
        pushed = (await socket.publication(topic))["payload"]["message"]

        assert [r["request_id"] for r in snapshot] == [joined["request_id"]]
        assert pushed["request_id"] == mine["request_id"]
        await socket.close()

    async def test_guests_may_not_follow_the_project_list(
        self, server: Server, live: httpx.AsyncClient
    ) -> None:
        owner = await signup(live)
        project_id = await make_project(live, owner)
        guest = await make_guest(live, project_id)
        socket = await Realtime.open(server.ws_url, guest.token)

        await socket.subscribe(f"/{project_id}/requests")
        await create_request(live, project_id, owner)

        await socket.silence(f"/{project_id}/requests")
        await socket.close()
