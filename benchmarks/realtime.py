"""Realtime and webhook benchmark (issue 4).

1. Fan-out: ``--subscribers`` websocket clients (default 200) of one project follow one
   conversation's messages topic; messages are posted at ``--rate`` per second (default 100)
   for ``--seconds`` (default 30). Reported: delivery latency from the start of the POST to
   the receipt of the push (p50/p99 over every delivery), the fraction delivered, and the
   server's memory per idle connection (RSS growth after the clients connected, before any
   message, divided by their number).
2. Webhooks: a local receiver subscribed to ``message.create``; ``--webhook-messages``
   messages are posted as fast as one client can; reported: deliveries per second from the
   first POST to the last delivery.

    .venv/bin/python benchmarks/realtime.py [--subscribers 200] [--rate 100] [--seconds 30]
        [--webhook-messages 2000] [--peer http://127.0.0.1:3300 --peer-pid PID]

With ``--peer`` the fan-out runs against the real Tiledesk server (``../shared/peer/``)
instead of a fresh Tessera; ``--peer-pid`` is its node process (for the memory figure). The
peer's webhooks are off unless it runs with ``RESTHOOK_ENABLED``: that part is skipped.
"""

import argparse
import asyncio
import json
import os
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import orjson
from common import call, free_port, tessera_server
from websockets.asyncio.client import ClientConnection, connect

PASSWORD = "Bench-password-1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--rate", type=float, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument(
        "--conversations",
        type=int,
        default=1,
        help="subscribers and messages spread over this many conversations (1: everyone "
        "watches one conversation and receives every message)",
    )
    parser.add_argument("--webhook-messages", type=int, default=2000)
    parser.add_argument("--peer", help="the real Tiledesk server's base URL")
    parser.add_argument("--peer-pid", type=int, help="the peer's node process id")
    args = parser.parse_args()
    if args.peer:
        token, project_id = _project(args.peer)
        request_ids = [
            _conversation(args.peer, token, project_id) for _ in range(args.conversations)
        ]
        fan_out = asyncio.run(
            _fan_out(args.peer, args.peer_pid, token, project_id, request_ids, args)
        )
        print(json.dumps({"peer_fan_out": fan_out}, indent=2))
        return
    with tessera_server(WEBHOOK_ALLOW_PRIVATE_TARGETS="true") as base:
        pid = _server_pid()
        token, project_id = _project(base)
        request_ids = [_conversation(base, token, project_id) for _ in range(args.conversations)]
        fan_out = asyncio.run(_fan_out(base, pid, token, project_id, request_ids, args))
        webhooks = _webhook_throughput(base, token, project_id, request_ids[0], args)
    print(json.dumps({"fan_out": fan_out, "webhooks": webhooks}, indent=2))


def _project(base: str) -> tuple[str, str]:
    email = f"owner-{os.getpid()}-{time.time_ns()}@example.com"
    body = {"email": email, "password": PASSWORD, "firstname": "Bench", "lastname": "Owner"}
    # The peer's users.phone index is unique and not sparse: every sign-up needs its own.
    body["phone"] = f"+1555{time.time_ns() % 10**8:08d}"
    call(base, "POST", "/auth/signup", body)
    token: str = call(base, "POST", "/auth/signin", {"email": email, "password": PASSWORD})["token"]
    project_id: str = call(base, "POST", "/projects", {"name": "Realtime"}, token)["_id"]
    return token, project_id


def _conversation(base: str, token: str, project_id: str) -> str:
    request = call(base, "POST", f"/{project_id}/requests", {"first_text": "Hello"}, token)
    return str(request["request_id"])


# --- fan-out ---------------------------------------------------------------------------------


async def _fan_out(
    base: str,
    pid: int,
    token: str,
    project_id: str,
    request_ids: list[str],
    args: argparse.Namespace,
) -> dict[str, Any]:
    """Subscriber ``i`` watches conversation ``i mod n``; message ``j`` goes to conversation
    ``j mod n``: each message is pushed to the subscribers of its conversation."""
    topics = [f"/{project_id}/requests/{request_id}/messages" for request_id in request_ids]
    ws_url = base.replace("http://", "ws://") + "/?token=" + quote(token)
    before_kb = _rss_kb(pid)
    sockets = [
        await connect(ws_url, max_queue=None, ping_interval=None) for _ in range(args.subscribers)
    ]
    received: dict[str, list[float]] = {}
    watched = [topics[index % len(topics)] for index in range(args.subscribers)]
    readers = [
        asyncio.create_task(_read(sock, topic, received))
        for sock, topic in zip(sockets, watched, strict=True)
    ]
    for sock, topic in zip(sockets, watched, strict=True):
        await sock.send(json.dumps({"action": "subscribe", "payload": {"topic": topic}}))
    await asyncio.sleep(3)  # every snapshot sent
    idle_kb = _rss_kb(pid)
    sent: dict[str, float] = {}
    limits = httpx.Limits(max_connections=20)
    async with httpx.AsyncClient(
        base_url=base, headers={"Authorization": token}, limits=limits, timeout=60
    ) as client:
        paths = [f"/{project_id}/requests/{request_id}/messages" for request_id in request_ids]
        await _post_at_rate(client, paths, args, sent)
    await asyncio.sleep(3)  # the last pushes arrive
    for reader in readers:
        reader.cancel()
    for sock in sockets:
        await sock.close()
    latencies = [
        (arrival - sent[text]) * 1000
        for text, arrivals in received.items()
        if text in sent
        for arrival in arrivals
    ]
    watchers = [watched.count(topic) for topic in topics]
    expected = sum(watchers[index % len(topics)] for index in range(len(sent)))
    return {
        "subscribers": args.subscribers,
        "conversations": len(topics),
        "messages": len(sent),
        "deliveries": len(latencies),
        "delivered_fraction": round(len(latencies) / expected, 4) if expected else 0,
        "latency_p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p99_ms": round(_percentile(latencies, 99), 1) if latencies else None,
        "idle_kib_per_connection": round((idle_kb - before_kb) / args.subscribers, 1),
        "post_p50_ms": round(statistics.median(_POST_MS), 1) if _POST_MS else None,
        "post_p99_ms": round(_percentile(_POST_MS, 99), 1) if _POST_MS else None,
    }


async def _read(sock: ClientConnection, topic: str, received: dict[str, list[float]]) -> None:
    async for raw in sock:
        frame = orjson.loads(raw)
        if frame.get("action") == "heartbeat":
            if frame["payload"]["message"]["text"] == "ping":
                await sock.send(raw)  # stay alive (§6.1)
            continue
        payload = frame.get("payload") or {}
        message = payload.get("message")
        created = payload.get("topic") == topic and payload.get("method") == "CREATE"
        if created and isinstance(message, dict):
            received.setdefault(message.get("text", ""), []).append(time.monotonic())


async def _post_at_rate(
    client: httpx.AsyncClient, paths: list[str], args: argparse.Namespace, sent: dict[str, float]
) -> None:
    interval = 1 / args.rate
    start = time.monotonic()
    tasks = []
    for index in range(int(args.rate * args.seconds)):
        delay = start + index * interval - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        path = paths[index % len(paths)]
        tasks.append(asyncio.create_task(_post(client, path, f"fan-out {index}", sent)))
    await asyncio.gather(*tasks)


async def _post(client: httpx.AsyncClient, path: str, text: str, sent: dict[str, float]) -> None:
    sent[text] = time.monotonic()
    response = await client.post(path, json={"text": text})
    response.raise_for_status()
    _POST_MS.append((time.monotonic() - sent[text]) * 1000)


_POST_MS: list[float] = []  # how long each POST took to be answered


# --- webhooks --------------------------------------------------------------------------------


class _Receiver(BaseHTTPRequestHandler):
    count = 0
    last = 0.0
    lock = threading.Lock()

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.send_response(200)
        self.end_headers()
        with _Receiver.lock:
            _Receiver.count += 1
            _Receiver.last = time.monotonic()

    def log_message(self, *args: Any) -> None:
        return


class _ReceiverServer(ThreadingHTTPServer):
    # The default backlog (5) resets connections when the dispatcher posts a batch of 20 at
    # once: the deliveries then fail and wait for their retry, which measured the receiver.
    request_queue_size = 128
    daemon_threads = True


def _webhook_throughput(
    base: str, token: str, project_id: str, request_id: str, args: argparse.Namespace
) -> dict[str, Any]:
    port = free_port()
    receiver = _ReceiverServer(("127.0.0.1", port), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    target = f"http://127.0.0.1:{port}/hook"
    call(
        base,
        "POST",
        f"/{project_id}/subscriptions",
        {"event": "message.create", "target": target},
        token,
    )
    start = time.monotonic()
    with httpx.Client(base_url=base, headers={"Authorization": token}) as client:
        for index in range(args.webhook_messages):
            client.post(
                f"/{project_id}/requests/{request_id}/messages", json={"text": f"hook {index}"}
            )
    deadline = time.monotonic() + 120
    while _Receiver.count < args.webhook_messages and time.monotonic() < deadline:
        time.sleep(0.1)
    receiver.shutdown()
    seconds = _Receiver.last - start
    return {
        "messages": args.webhook_messages,
        "delivered": _Receiver.count,
        "seconds": round(seconds, 1),
        "deliveries_per_second": round(_Receiver.count / seconds, 1) if seconds > 0 else None,
    }


# --- helpers ---------------------------------------------------------------------------------


def _server_pid() -> int:
    me = os.getpid()
    for child in Path(f"/proc/{me}/task/{me}/children").read_text().split():
        if b"serve" in Path(f"/proc/{child}/cmdline").read_bytes():
            return int(child)
    raise RuntimeError("no tessera serve child process")


def _rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def _percentile(values: list[float], percent: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(percent / 100 * (len(ordered) - 1)))
    return ordered[index]


if __name__ == "__main__":
    main()
