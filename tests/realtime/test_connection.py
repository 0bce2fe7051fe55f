"""A connection's outgoing frames: order, the slow-client limit, a failing transport, and the
hub's heartbeat (fact sheet §6.1). These run the hub's classes directly, with a send function
standing in for the websocket, so that a client can be made slow or broken on purpose."""

import asyncio

from tessera.realtime.hub import OUTBOX_LIMIT, PING, Connection, Hub
from tessera.realtime.log import MemoryLog


class Client:
    def __init__(self) -> None:
        self.received: list[str] = []
        self.closed = 0
        self.gate = asyncio.Event()
        self.gate.set()
        self.broken = False
        self.arrived = asyncio.Event()

    async def send(self, data: str) -> None:
        await self.gate.wait()
        if self.broken:
            raise ConnectionResetError("gone")
        self.received.append(data)
        self.arrived.set()

    def on_close(self) -> None:
        self.closed += 1


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_frames_arrive_in_order_and_no_writer_is_left_when_idle() -> None:
    client = Client()
    connection = Connection("c1", client.send, client.on_close)

    for number in range(5):
        connection.push(str(number))
    await settle()
    connection.push("5")
    await settle()

    assert client.received == ["0", "1", "2", "3", "4", "5"]
    assert not connection.writing
    assert client.closed == 0


async def test_a_client_too_slow_to_read_is_dropped_at_the_limit() -> None:
    client = Client()
    client.gate.clear()  # the client reads nothing
    connection = Connection("c2", client.send, client.on_close)

    for number in range(OUTBOX_LIMIT + 5):
        connection.push(str(number))
    client.gate.set()
    await settle()

    assert client.closed == 1
    assert len(client.received) <= 1  # at most the frame already being sent
    connection.push("after")
    await settle()
    assert "after" not in client.received


async def test_a_failing_transport_closes_the_connection_once() -> None:
    client = Client()
    client.broken = True
    connection = Connection("c3", client.send, client.on_close)

    connection.push("a")
    connection.push("b")
    await settle()

    assert client.closed == 1
    assert client.received == []
    assert not connection.writing


async def test_a_heartbeat_pings_every_client_and_drops_one_silent_since_the_last() -> None:
    hub = Hub(MemoryLog(100), heartbeat_seconds=30)
    talker, silent = Client(), Client()
    talking = Connection("talking", talker.send, talker.on_close)
    quiet = Connection("quiet", silent.send, silent.on_close)
    hub.attach(talking)
    hub.attach(quiet)

    for _ in range(3):
        hub.beat()
        await settle()
        talking.heard = True  # this client answers every ping

    assert talker.received == [PING, PING, PING]
    assert talker.closed == 0
    assert silent.received == [PING]
    assert silent.closed == 1


async def test_the_running_hub_beats_on_its_own() -> None:
    hub = Hub(MemoryLog(100), heartbeat_seconds=0.01)
    client = Client()
    hub.attach(Connection("c4", client.send, client.on_close))
    await hub.start()
    try:
        await asyncio.wait_for(client.arrived.wait(), 5)
    finally:
        await hub.stop()

    assert client.received[0] == PING
