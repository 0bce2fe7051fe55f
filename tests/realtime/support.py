"""A small websocket client speaking Tiledesk's realtime protocol, for tests."""

import asyncio
from typing import Any
from urllib.parse import quote

import orjson
from websockets.asyncio.client import ClientConnection, connect


class Realtime:
    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    @classmethod
    async def open(cls, ws_url: str, token: str, **params: str) -> "Realtime":
        query = "&".join([f"token={quote(token)}", *(f"{k}={quote(v)}" for k, v in params.items())])
        return cls(await connect(f"{ws_url}?{query}"))

    async def send(self, action: str, **payload: Any) -> None:
        frame: dict[str, Any] = {"action": action}
        if payload:
            frame["payload"] = payload
        await self.connection.send(orjson.dumps(frame).decode())

    async def subscribe(self, topic: str) -> None:
        await self.send("subscribe", topic=topic)

    async def next_frame(self, wait: float = 5.0, *, skip_heartbeats: bool = True) -> Any:
        """The next frame within ``wait`` seconds, heartbeats answered and skipped."""
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            raw = await asyncio.wait_for(self.connection.recv(), _left(deadline))
            frame = orjson.loads(raw)
            if skip_heartbeats and frame.get("action") == "heartbeat":
                if frame["payload"]["message"]["text"] == "ping":  # stay alive (§6.1)
                    await self.send("heartbeat", message={"text": "ping"})
                continue
            return frame

    async def publication(self, topic: str, wait: float = 5.0) -> dict[str, Any]:
        """The next data frame of ``topic`` within ``wait`` seconds (frames of other topics
        and heartbeats are skipped)."""
        # One deadline and one timer per frame: an ``asyncio.timeout`` around ``wait_for``
        # with the same delay can lose its cancellation on Python 3.11 when both fire at once.
        deadline = asyncio.get_running_loop().time() + wait
        while True:
            frame = await self.next_frame(_left(deadline))
            if frame.get("action") == "publish" and frame["payload"]["topic"] == topic:
                result: dict[str, Any] = frame
                return result

    async def silence(self, topic: str, seconds: float = 1.0) -> None:
        """Assert that nothing is published on ``topic`` for ``seconds``."""
        try:
            frame = await self.publication(topic, wait=seconds)
        except TimeoutError:
            return
        raise AssertionError(f"unexpected push on {topic}: {frame}")

    async def close(self) -> None:
        await self.connection.close()


def _left(deadline: float) -> float:
    """Seconds until ``deadline``; a TimeoutError once it has passed."""
    remaining = deadline - asyncio.get_running_loop().time()
    if remaining <= 0:
        raise TimeoutError
    return remaining
