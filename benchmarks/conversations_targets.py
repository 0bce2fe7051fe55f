"""The conversations issue's targets, measured in one run on one database:

- the dashboard's default list (``GET /:pid/requests``) at one connection, p50/p95, in a project
  of 100 000 conversations and in one of 1 000 (same database, same server);
- ``GET /:pid/requests/:rid/messages`` of a 100-message conversation;
- an agent's message POST into an existing conversation, req/s and p99 at 10 connections,
  against the raw floor of DESIGN.md (bare ASGI + ``sqlite3``, one INSERT; ``floor_app.py``)
  measured in the same rounds;
- new conversations opened by an anonymous visitor (``signinAnonymously`` token, first message
  to a new ``request_id``), req/s and p99.

    .venv/bin/python benchmarks/conversations_targets.py [--workers 2]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import call, free_port, tessera_server

from conversations import (
    POST_SCRIPT,
    bench_database,
    make_team,
    run_interleaved,
    seed,
    summarize,
)

NEW_CONVERSATION_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"text":"Hello, I need help with my order"}'
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
function request()
  counter = counter + 1
  local rid = string.format("support-group-PID-%02d%030d", tid, counter)
  return wrk.format(nil, "/PID/requests/" .. rid .. "/messages")
end
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--samples", type=int, default=200, help="per target and round")
    args = parser.parse_args()
    with bench_database(args.postgres) as database_url:
        print(json.dumps(measure(database_url, args), indent=2))


def measure(database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    with tessera_server(database_url=database_url) as base:
        token, big = make_team(base)
        small_token, small = make_team(base)
    big_ids = seed(database_url, big, args.conversations)
    seed(database_url, small, args.small)
    with (
        tessera_server(database_url=database_url, workers=args.workers) as base,
        floor_server() as floor,
    ):
        long_rid = big_ids[len(big_ids) // 2]
        for index in range(90):  # 10 seeded + 90: a 100-message conversation
            call(base, "POST", f"/{big}/requests/{long_rid}/messages", {"text": f"m{index}"}, token)
        guest = call(base, "POST", "/auth/signinAnonymously", {"id_project": big})["token"]
        single = single_connection(
            base,
            {
                f"list, {args.conversations} conversations": (f"/{big}/requests", token),
                f"list, {args.small} conversations": (f"/{small}/requests", small_token),
            },
            rounds=args.rounds,
            samples=args.samples,
        )
        owner = {"Authorization": token}
        jobs = {
            "GET /:pid/requests (10 connections)": (f"{base}/{big}/requests", owner, None),
            "GET /:pid/requests/:rid/messages (100)": (
                f"{base}/{big}/requests/{long_rid}/messages",
                owner,
                None,
            ),
            "POST message, existing conversation": (
                f"{base}/{big}/requests/{big_ids[-1]}/messages",
                owner,
                POST_SCRIPT,
            ),
            "POST message, new conversation (anonymous)": (
                f"{base}/",
                {"Authorization": guest},
                NEW_CONVERSATION_SCRIPT.replace("PID", big),
            ),
            "raw floor: ASGI + sqlite3 INSERT": (f"{floor}/", {}, POST_SCRIPT),
        }
        wrk_results = summarize(run_interleaved(jobs, rounds=args.rounds, seconds=args.seconds))
    post = wrk_results["POST message, existing conversation"]
    floor_rps = wrk_results["raw floor: ASGI + sqlite3 INSERT"]["rps"]
    big_list, small_list = single.values()
    return {
        "database": "postgresql" if database_url.startswith("postgresql") else "sqlite",
        "workers": args.workers,
        "single_connection_ms": single,
        "wrk": wrk_results,
        "list_p95_ratio_big_to_small": round(big_list["p95_ms"] / small_list["p95_ms"], 2),
        "post_rps_to_floor": round(post["rps"] / floor_rps, 3) if floor_rps else None,
    }


def single_connection(
    base: str, targets: dict[str, tuple[str, str]], *, rounds: int, samples: int
) -> dict[str, dict[str, float]]:
    """Each target's latency over one kept-alive connection, rounds interleaved."""
    location = urllib.parse.urlsplit(base)
    timings: dict[str, list[float]] = {name: [] for name in targets}
    connection = http.client.HTTPConnection(location.hostname or "", location.port)
    try:
        for _ in range(rounds):
            for name, (path, token) in targets.items():
                for _ in range(samples):
                    started = time.perf_counter()
                    connection.request("GET", path, headers={"Authorization": token})
                    response = connection.getresponse()
                    response.read()
                    timings[name].append((time.perf_counter() - started) * 1000)
                    if response.status != 200:
                        raise SystemExit(f"{name}: HTTP {response.status}")
    finally:
        connection.close()
    return {name: _percentiles(values) for name, values in timings.items()}


def _percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100)
    return {
        "p50_ms": round(statistics.median(values), 2),
        "p95_ms": round(cuts[94], 2),
        "p99_ms": round(cuts[98], 2),
    }


@contextmanager
def floor_server() -> Iterator[str]:
    """``floor_app.py`` under uvicorn (one worker, uvloop, httptools) on a fresh file."""
    directory = tempfile.mkdtemp(prefix="tessera-floor-")
    port = free_port()
    process = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "floor_app:app"),
            *("--port", str(port), "--loop", "uvloop", "--http", "httptools"),
            *("--log-level", "warning", "--no-access-log"),
        ],
        cwd=Path(__file__).parent,
        env={**os.environ, "FLOOR_DB": str(Path(directory) / "floor.db")},
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_floor(base)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=20)


def _wait_floor(base: str) -> None:
    """The floor app has no /health: it is up once a POST answers."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            call(base, "POST", "/", {"text": "up"})
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


if __name__ == "__main__":
    main()
