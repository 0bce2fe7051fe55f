"""Analytics benchmark: the latency of every analytics route on a populated project.

The project is the one of ``benchmarks/conversations.py`` (100 000 conversations, 1 000 000
messages, 100 000 visitor memberships, written by its ``seed``), moved 30 days later so that
it spans the last 70 days: the 7-day windows then hold about 10 000 conversations and
100 000 messages, the 30-day ones about 43 000 and 430 000, and the all-time routes read
everything. Closed conversations get ratings and one in three a bot, so that every average
has values. Each route is called one at a time (the dashboard's pattern: a page fires a few
of them), interleaved round after round; the script prints p50 and p95 per route.
Target: p95 under 200 ms for every route, on SQLite and on PostgreSQL.

    .venv/bin/python benchmarks/analytics.py [--conversations 100000] [--rounds 30]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
"""

import argparse
import json
import statistics
import time
import urllib.request
from typing import Any

from common import tessera_server
from sqlalchemy import text

from conversations import bench_database, make_team, seed
from tessera.core.db import create_engine as tessera_engine

DAY_MS = 86_400_000
SHIFT_MS = 30 * DAY_MS
TARGET_P95_MS = 200.0
ROUTES = [
    "requests/count",
    "requests/aggregate/status",
    "requests/aggregate/day",
    "requests/aggregate/day?lastdays=30&timezone=Europe/Rome",
    "requests/aggregate/status/day",
    "requests/aggregate/month",
    "requests/aggregate/week?timezone=America/New_York",
    "requests/aggregate/hours?timezone=Asia/Kolkata",
    "requests/aggregate/dayoftheweek/hours",
    "requests/waiting",
    "requests/waiting/day/last",
    "requests/waiting/day",
    "requests/waiting/month",
    "requests/duration",
    "requests/duration/day",
    "requests/duration/month",
    "requests/satisfaction",
    "requests/satisfaction/day",
    "requests/satisfaction/month",
    "requests/hasBot/count",
    "requests/aggregate/hasBot/day",
    "requests/aggregate/sourcePage",
    "requests/aggregate/attributes/_answerid",
    "project_users/count",
    "project_users/aggregate/day",
    "project_users/aggregate/month",
    "project_users/aggregate/week",
    "messages/count",
    "messages/aggregate/day",
    "messages/aggregate/month",
    "messages/aggregate/week",
    "messages/aggregate/sender",
    "events/aggregate/day",
    "tags/conversation-tag",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite)")
    args = parser.parse_args()
    with bench_database(args.postgres) as database_url:
        report = populated_benchmark(database_url, args)
    print(json.dumps(report))


def populated_benchmark(database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    with tessera_server(database_url=database_url) as base:
        owner_token, project_id = make_team(base)
    started = time.monotonic()
    seed(database_url, project_id, args.conversations)
    make_recent(database_url, project_id)
    print(f"seeded {args.conversations} conversations in {time.monotonic() - started:.0f} s")
    # Started on the full database, so that SQLite's planner statistics describe it.
    with tessera_server(database_url=database_url) as base:
        paths = {route: f"{base}/{project_id}/analytics/{route}" for route in ROUTES}
        public = "publicanalytics/waiting/current"
        paths[public] = f"{base}/{project_id}/{public}"
        timings = measure(paths, owner_token, rounds=args.rounds)
    summary = {route: percentiles(values) for route, values in timings.items()}
    print_table(summary)
    slow = [route for route, figures in summary.items() if figures["p95_ms"] >= TARGET_P95_MS]
    print("every p95 under 200 ms" if not slow else f"p95 at or over 200 ms: {slow}")
    return {"summary": summary, "over_target": slow}


def make_recent(database_url: str, project_id: str) -> None:
    """Move the seeded project 30 days later (it then ends about now), rate the closed
    conversations 1 to 5 and give one in three a bot."""
    engine = tessera_engine(database_url)
    shift = {"shift": SHIFT_MS, "project_id": project_id}
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    "UPDATE requests SET created_at = created_at + :shift, "
                    "updated_at = updated_at + :shift, closed_at = closed_at + :shift, "
                    "first_response_at = first_response_at + :shift, "
                    "assigned_at = assigned_at + :shift, rating = CASE WHEN status = 1000 "
                    "THEN ticket_id % 5 + 1 END, has_bot = (ticket_id % 3 = 0) "
                    "WHERE project_id = :project_id"
                ),
                shift,
            )
            for table in ("messages", "project_users"):
                conn.execute(
                    text(
                        f"UPDATE {table} SET created_at = created_at + :shift, "  # noqa: S608
                        "updated_at = updated_at + :shift "
                        "WHERE project_id = :project_id AND created_at < :shift_floor"
                    ),
                    {**shift, "shift_floor": int(time.time() * 1000) - SHIFT_MS},
                )
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))  # what autovacuum would have done by now
    finally:
        engine.dispose()


def measure(paths: dict[str, str], token: str, *, rounds: int) -> dict[str, list[float]]:
    """Each route once per round, one call at a time; two warm-up rounds not counted."""
    timings: dict[str, list[float]] = {route: [] for route in paths}
    for round_number in range(rounds + 2):
        for route, url in paths.items():
            request = urllib.request.Request(url, headers={"Authorization": token})
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                assert response.status == 200, (route, response.status)
            elapsed = (time.perf_counter() - started) * 1000
            if round_number >= 2:
                timings[route].append(elapsed)
    return timings


def percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=20, method="inclusive")
    return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(cuts[18], 1)}


def print_table(summary: dict[str, dict[str, float]]) -> None:
    width = max(len(route) for route in summary)
    print(f"{'route':<{width}}  {'p50 ms':>8}  {'p95 ms':>8}")
    for route, figures in summary.items():
        print(f"{route:<{width}}  {figures['p50_ms']:>8}  {figures['p95_ms']:>8}")


if __name__ == "__main__":
    main()
