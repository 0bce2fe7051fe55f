"""The custom events topic ``/<pid>/events/<membership id>[/<name>]`` (fact sheet §6.4,
§5.17) against a running server."""

from typing import Any

import httpx

from tests.factories import Person, add_member, make_guest, make_project, signup
from tests.realtime.support import Realtime
from tests.support.server import Server


async def emit(
    live: httpx.AsyncClient, project_id: str, who: Any, name: str, **attributes: object
) -> dict[str, Any]:
    response = await live.post(
        f"/{project_id}/events",
        json={"name": name, "attributes": attributes},
        headers=who.auth,
    )
    assert response.status_code == 200, response.text
    event: dict[str, Any] = response.json()
    return event


async def team(live: httpx.AsyncClient) -> tuple[str, Person, Person]:
    """A project, its owner and one agent."""
    owner = await signup(live)
    project_id = await make_project(live, owner)
    agent = await signup(live)
    await add_member(live, project_id, owner, agent, "agent")
    return project_id, owner, agent


async def test_the_snapshot_is_the_last_twenty_events_newest_first_then_live_ones(
    server: Server, live: httpx.AsyncClient
) -> None:
    project_id, _owner, agent = await team(live)
    sent = [await emit(live, project_id, agent, f"step{i}") for i in range(22)]
    topic = f"/{project_id}/events/{sent[0]['project_user']}"
    socket = await Realtime.open(server.ws_url, agent.token)

    await socket.subscribe(topic)
    snapshot = await socket.publication(topic)
    new = await emit(live, project_id, agent, "typing.start", typing=True)
    pushed = await socket.publication(topic)

    assert snapshot["payload"]["method"] == "CREATE"
    assert [e["_id"] for e in snapshot["payload"]["message"]] == [
        e["_id"] for e in reversed(sent[2:])
    ]
    assert snapshot["payload"]["message"][0] == sent[-1]
    assert pushed["payload"]["method"] == "CREATE"
    event = pushed["payload"]["message"]
    assert event["_id"] == event["id"] == new["_id"]
    assert event["attributes"] == {"typing": True}
    assert event["project_user"]["_id"] == new["project_user"]
    assert event["project_user"]["id_user"]["_id"] == agent.id
    assert event["user"]["_id"] == agent.id
    await socket.close()


async def test_the_named_topic_has_only_that_events_history_and_pushes(
    server: Server, live: httpx.AsyncClient
) -> None:
    project_id, _owner, agent = await team(live)
    typing = await emit(live, project_id, agent, "typing.start")
    await emit(live, project_id, agent, "logged_in")
    named = f"/{project_id}/events/{typing['project_user']}/typing.start"
    socket = await Realtime.open(server.ws_url, agent.token)

    await socket.subscribe(named)
    snapshot = await socket.publication(named)
    await emit(live, project_id, agent, "logged_in")
    await socket.silence(named, 0.5)
    again = await emit(live, project_id, agent, "typing.start")
    pushed = await socket.publication(named)

    assert [e["_id"] for e in snapshot["payload"]["message"]] == [typing["_id"]]
    assert pushed["payload"]["message"]["_id"] == again["_id"]
    await socket.close()


async def test_agents_watch_a_visitors_events(server: Server, live: httpx.AsyncClient) -> None:
    project_id, _owner, agent = await team(live)
    guest = await make_guest(live, project_id)
    first = await emit(live, project_id, guest, "new_conversation")
    topic = f"/{project_id}/events/{first['project_user']}"
    socket = await Realtime.open(server.ws_url, agent.token)

    await socket.subscribe(topic)
    snapshot = await socket.publication(topic)
    second = await emit(live, project_id, guest, "logged_in")
    pushed = await socket.publication(topic)

    assert [e["_id"] for e in snapshot["payload"]["message"]] == [first["_id"]]
    assert pushed["payload"]["message"]["_id"] == second["_id"]
    assert pushed["payload"]["message"]["project_user"]["role"] == "guest"
    await socket.close()


async def test_a_member_below_agent_sees_only_its_own_events(
    server: Server, live: httpx.AsyncClient
) -> None:
    project_id, owner, agent = await team(live)
    teammate = await signup(live)
    await add_member(live, project_id, owner, teammate, "teammate")
    agents_event = await emit(live, project_id, agent, "typing.start")
    own_event = await emit(live, project_id, teammate, "typing.start")
    socket = await Realtime.open(server.ws_url, teammate.token)
    others = f"/{project_id}/events/{agents_event['project_user']}"
    own = f"/{project_id}/events/{own_event['project_user']}"

    await socket.subscribe(others)
    await socket.subscribe(own)
    snapshot = await socket.publication(own)
    await emit(live, project_id, agent, "typing.stop")

    assert [e["_id"] for e in snapshot["payload"]["message"]] == [own_event["_id"]]
    await socket.silence(others, 0.5)
    await socket.close()


async def test_a_member_of_another_project_is_refused(
    server: Server, live: httpx.AsyncClient
) -> None:
    project_id, _owner, agent = await team(live)
    event = await emit(live, project_id, agent, "typing.start")
    stranger = await signup(live)
    await make_project(live, stranger)
    topic = f"/{project_id}/events/{event['project_user']}"
    socket = await Realtime.open(server.ws_url, stranger.token)

    await socket.subscribe(topic)
    await emit(live, project_id, agent, "typing.stop")

    await socket.silence(topic)
    await socket.close()
