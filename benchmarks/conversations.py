"""Conversations benchmark: reading and writing conversations of a populated project.

1. Tessera alone: a project with 100 000 conversations and 1 000 000 messages, written in bulk
   straight into a fresh database with the row shapes the services write (each conversation
   from its own guest, with its lead, snapshot, routing candidates and ``last_message``; 80 %
   closed). Then, interleaved in one run, wrk measures ``GET /:pid/requests`` (the open ones,
   page 0, 40 populated), ``GET /:pid/requests?status=all&page=100``, ``GET
   /:pid/requests/:rid``, ``GET /:pid/requests/:rid/messages`` (10 messages) and ``POST
   /:pid/requests/:rid/messages``; the server's peak RSS is read at the end.
2. Against the real Tiledesk (``--peer``, skipped when it does not answer): 2 000 conversations
   of 10 messages seeded on both through the public API (the first message creates the
   conversation), then the same GETs interleaved, as ratios Tessera / peer.

    .venv/bin/python benchmarks/conversations.py [--rounds 3] [--seconds 5]
        [--conversations 100000] [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]
        [--peer http://127.0.0.1:3300 | --no-peer] [--peer-conversations 2000] [--skip-populated]
"""

import argparse
import asyncio
import json
import os
import secrets
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from common import WrkResult, call, median, tessera_server, wrk
from sqlalchemy import Engine, create_engine, select, text, update
from sqlalchemy.engine import make_url

from tessera.conversations.models import (
    ASSIGNED,
    CANDIDATE,
    CLOSED,
    PARTICIPANT,
    SERVED,
    UNASSIGNED,
    project_counters,
    request_agents,
    requests,
)
from tessera.core.db import Record
from tessera.core.db import create_engine as tessera_engine
from tessera.core.ids import new_id, new_uuid
from tessera.departments.models import departments
from tessera.departments.schemas import DepartmentOut
from tessera.leads.models import LEAD_NORMAL, leads
from tessera.leads.schemas import LeadOut
from tessera.messages.models import SENDING, messages
from tessera.messages.schemas import MessageOut
from tessera.project_users.models import ROLE_TYPE_USERS, STATUS_ACTIVE, project_users
from tessera.project_users.schemas import ProjectUserOut

PASSWORD = "Bench-password-1"
AGENTS = 10
MESSAGES_PER_CONVERSATION = 10
CHUNK = 5_000  # conversations per transaction while seeding
# One conversation in 20 of each kind: 16 closed, 2 assigned, 1 unassigned, 1 served.
STATUS_CYCLE = [CLOSED] * 16 + [ASSIGNED, ASSIGNED, UNASSIGNED, SERVED]
POST_SCRIPT = """
wrk.method = "POST"
wrk.body = '{"text":"A benchmark message"}'
wrk.headers["Content-Type"] = "application/json"
"""


# --- Tessera alone, 100 000 conversations --------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--postgres", help="a PostgreSQL server URL (default: SQLite)")
    parser.add_argument("--peer", default="http://127.0.0.1:3300")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--skip-populated", action="store_true", help="only the comparison")
    parser.add_argument("--peer-conversations", type=int, default=2_000)
    args = parser.parse_args()

    report: dict[str, Any] = {}
    if not args.skip_populated:
        with bench_database(args.postgres) as database_url:
            report["tessera"] = populated_benchmark(database_url, args)
    if not args.no_peer:
        if is_up(args.peer):
            report["comparison"] = peer_comparison(args)
        else:
            print(f"peer {args.peer} is not answering: comparison skipped")
    print(json.dumps(report))


def populated_benchmark(database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    with tessera_server(database_url=database_url) as base:
        owner_token, project_id = make_team(base)
    started = time.monotonic()
    request_ids = seed(database_url, project_id, args.conversations)
    seconds = time.monotonic() - started
    print(
        f"seeded {args.conversations} conversations, "
        f"{args.conversations * MESSAGES_PER_CONVERSATION} messages in {seconds:.0f} s"
    )
    # Started again on the full database, as a server that watched it grow: the SQLite
    # planner statistics it gathers at start-up (then hourly) describe these tables, not
    # the empty ones of the first start.
    with tessera_server(database_url=database_url) as base:
        pid = server_pid()
        read_rid, write_rid = request_ids[len(request_ids) // 2], request_ids[-1]
        auth = {"Authorization": owner_token}
        targets = {
            "GET /:pid/requests (open, page 0)": (f"/{project_id}/requests", None),
            "GET /:pid/requests?status=all&page=100": (
                f"/{project_id}/requests?status=all&page=100",
                None,
            ),
            "GET /:pid/requests/:rid": (f"/{project_id}/requests/{read_rid}", None),
            "GET /:pid/requests/:rid/messages (10)": (
                f"/{project_id}/requests/{read_rid}/messages",
                None,
            ),
            "POST /:pid/requests/:rid/messages": (
                f"/{project_id}/requests/{write_rid}/messages",
                POST_SCRIPT,
            ),
        }
        check_targets(base, targets, owner_token)
        results = run_interleaved(
            {name: (base + path, auth, script) for name, (path, script) in targets.items()},
            rounds=args.rounds,
            seconds=args.seconds,
        )
        peak_rss_mb = peak_rss_kb(pid) / 1024
    summary = summarize(results)
    print_table(summary)
    print(f"server peak RSS: {peak_rss_mb:.0f} MB")
    return {"summary": summary, "peak_rss_mb": peak_rss_mb, "seed_seconds": seconds}


@contextmanager
def bench_database(postgres: str | None) -> Iterator[str]:
    """A fresh SQLite file, or a fresh database on the PostgreSQL server (dropped after)."""
    if postgres is None:
        with tempfile.TemporaryDirectory(prefix="tessera-conversations-") as directory:
            yield f"sqlite:///{Path(directory) / 'bench.db'}"
        return
    name = f"tessera_bench_{os.getpid()}"
    admin = create_engine(postgres, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(postgres).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_team(base: str) -> tuple[str, str]:
    """An owner (away, so routing would choose agents) with a project and ten agents."""
    owner_token = signed_up(base, "owner")
    project_id = call(base, "POST", "/projects", {"name": "Benchmark"}, owner_token)["_id"]
    call(base, "PUT", f"/{project_id}/project_users", {"user_available": False}, owner_token)
    for index in range(AGENTS):
        email = signed_up_email(base, f"agent{index}")
        call(
            base,
            "POST",
            f"/{project_id}/project_users/invite",
            {"email": email, "role": "agent"},
            owner_token,
        )
    return owner_token, project_id


def signed_up(base: str, name: str) -> str:
    email = signed_up_email(base, name)
    token: str = call(base, "POST", "/auth/signin", {"email": email, "password": PASSWORD})["token"]
    return token


def signed_up_email(base: str, name: str) -> str:
    email = f"{name}-{uuid.uuid4().hex[:8]}@example.com"
    body = {"email": email, "password": PASSWORD, "firstname": name.title(), "lastname": "Bench"}
    call(base, "POST", "/auth/signup", body)
    return email


# --- Bulk seeding ----------------------------------------------------------------------------


class Seeder:
    """Rows shaped as the services write them: ``conversations.service._new_row`` for requests
    (with ``request_agents`` as ``set_agents`` keeps it), the guest membership of
    ``signinAnonymously``, the lead of ``_lead_for`` and the messages of ``post_message``."""

    def __init__(self, engine: Engine, project_id: str) -> None:
        self.project_id = project_id
        with engine.connect() as conn:
            self.department = Record(
                conn.execute(
                    select(departments).where(
                        departments.c.project_id == project_id, departments.c.default.is_(True)
                    )
                )
                .one()
                ._mapping
            )
            team = conn.execute(
                select(project_users.c.user_id)
                .where(project_users.c.project_id == project_id, project_users.c.role != "guest")
                .order_by(project_users.c.created_at, project_users.c.id)
            ).scalars()
            self.team = [user_id for user_id in team if user_id]
        self.agents = self.team[1:]  # the owner is away
        self.department_wire = DepartmentOut.of(self.department).wire()
        self.start = int(time.time() * 1000) - 100 * 86_400_000

    def conversation(self, index: int) -> dict[str, list[dict[str, Any]]]:
        created = self.start + index * 60_000
        guest_id = new_uuid()
        membership = self._membership(guest_id, created)
        lead = self._lead(guest_id, index, created)
        request_id = f"support-group-{self.project_id}-{uuid.uuid4().hex}"
        status = STATUS_CYCLE[index % len(STATUS_CYCLE)]
        agent = self.agents[index % len(self.agents)] if status != UNASSIGNED else None
        chat = self._messages(request_id, guest_id, agent, created)
        request = self._request(index, request_id, status, agent, membership, lead, chat, created)
        return {
            "project_users": [membership],
            "leads": [lead],
            "requests": [request],
            "request_agents": self._agents_of(request["id"], agent),
            "messages": chat,
        }

    def _membership(self, guest_id: str, created: int) -> dict[str, Any]:
        return {
            "id": new_id(),
            "project_id": self.project_id,
            "user_id": None,
            "uuid_user": guest_id,
            "role": "guest",
            "role_type": ROLE_TYPE_USERS,
            "user_available": True,
            "profile_status": None,
            "presence": None,
            "attributes": None,
            "max_assigned_chat": None,
            "number_assigned_requests": 0,
            "last_ip": None,
            "last_login_at": created,
            "settings": None,
            "tags": [],
            "permissions": [],
            "created_by": guest_id,
            "status": STATUS_ACTIVE,
            "trashed": False,
            "created_at": created,
            "updated_at": created,
        }

    def _lead(self, guest_id: str, index: int, created: int) -> dict[str, Any]:
        row: dict[str, Any] = {column.key: None for column in leads.c}
        row.update(
            id=new_id(),
            project_id=self.project_id,
            lead_id=guest_id,
            fullname=f"guest#{guest_id[:4]}",
            email=f"visitor{index}@example.com",
            tags=[],
            status=LEAD_NORMAL,
            created_by="system",
            created_at=created,
            updated_at=created,
        )
        return row

    def _messages(
        self, request_id: str, guest_id: str, agent: str | None, created: int
    ) -> list[dict[str, Any]]:
        rows = []
        for turn in range(MESSAGES_PER_CONVERSATION):
            sender = agent if agent is not None and turn % 2 else guest_id
            at = created + turn * 1_000
            rows.append(
                {
                    "id": new_id(),
                    "project_id": self.project_id,
                    "recipient": request_id,
                    "recipient_fullname": None,
                    "sender": sender,
                    "sender_fullname": "Agent" if sender == agent else f"guest#{guest_id[:4]}",
                    "type": "text",
                    "channel_type": "group",
                    "text": f"Message {turn + 1}: could you help me with my order, please?",
                    "language": None,
                    "channel": {"name": "chat21"},
                    "attributes": None,
                    "metadata": None,
                    "status": SENDING,
                    "created_by": sender,
                    "created_at": at,
                    "updated_at": at,
                }
            )
        return rows

    def _request(
        self,
        index: int,
        request_id: str,
        status: int,
        agent: str | None,
        membership: dict[str, Any],
        lead: dict[str, Any],
        chat: list[dict[str, Any]],
        created: int,
    ) -> dict[str, Any]:
        participants = [agent] if agent else []
        last = chat[-1]
        reply = next((m for m in chat if m["sender"] == agent), None)
        closed = status == CLOSED
        return {
            "id": new_id(),
            "request_id": request_id,
            "project_id": self.project_id,
            "ticket_id": index + 1,
            "requester_id": membership["id"],
            "lead_id": lead["id"],
            "subject": None,
            "first_text": chat[0]["text"],
            "status": status,
            "preflight": False,
            "has_bot": False,
            "participants": participants,
            "participants_agents": participants,
            "participants_bots": [],
            "followers": [],
            "priority": "medium",
            "department_id": self.department.id,
            "transcript": None,
            "first_response_at": reply["created_at"] if reply else None,
            "assigned_at": created if agent else None,
            "closed_at": last["created_at"] if closed else None,
            "waiting_time": reply["created_at"] - created if reply else None,
            "duration": last["created_at"] - created if closed else None,
            "closed_by": agent if closed else None,
            "tags": [],
            "notes": [],
            "snapshot": {
                "department": self.department_wire,
                "requester": ProjectUserOut.of(membership).wire(),
                "lead": LeadOut.of(lead).wire(),
                "availableAgentsCount": len(self.agents),
                "agents": [{"id_user": user_id} for user_id in self.team],
            },
            "rating": None,
            "rating_message": None,
            "source_page": "https://shop.example.com/orders",
            "language": "en",
            "user_agent": "Mozilla/5.0 (X11; Linux x86_64) Benchmark",
            "channel": {"name": "chat21"},
            "channel_outbound": {"name": "chat21"},
            "attributes": {"last_message": MessageOut.of(last).wire()},
            "location": None,
            "contact": {"email": lead["email"]},
            "auto_close": None,
            "smart_assignment": True,
            "working_status": None,
            "draft": None,
            "created_by": membership["uuid_user"],
            "created_at": created,
            "updated_at": last["created_at"],
        }

    def _agents_of(self, request_pk: str, agent: str | None) -> list[dict[str, Any]]:
        rows = [
            {"request_pk": request_pk, "project_id": self.project_id, "agent": user, "kind": kind}
            for kind, users in ((PARTICIPANT, [agent] if agent else []), (CANDIDATE, self.team))
            for user in users
        ]
        return rows


def seed(database_url: str, project_id: str, count: int) -> list[str]:
    """Write ``count`` conversations in transactions of ``CHUNK``; answer their request ids.
    Then the ticket counter and the agents' ``number_assigned_requests`` are set as the
    services would have left them."""
    engine = tessera_engine(database_url)
    seeder = Seeder(engine, project_id)
    tables = {
        "project_users": project_users,
        "leads": leads,
        "requests": requests,
        "request_agents": request_agents,
        "messages": messages,
    }
    request_ids: list[str] = []
    try:
        for first in range(0, count, CHUNK):
            batch: dict[str, list[dict[str, Any]]] = {name: [] for name in tables}
            for index in range(first, min(first + CHUNK, count)):
                for name, rows in seeder.conversation(index).items():
                    batch[name].extend(rows)
            with engine.begin() as conn:
                for name, table in tables.items():
                    conn.execute(table.insert(), batch[name])
            request_ids.extend(row["request_id"] for row in batch["requests"])
        with engine.begin() as conn:
            conn.execute(project_counters.insert().values(project_id=project_id, ticket_seq=count))
            for position, agent in enumerate(seeder.agents):
                open_count = sum(
                    1
                    for index in range(position, count, len(seeder.agents))
                    if STATUS_CYCLE[index % len(STATUS_CYCLE)] not in (CLOSED, UNASSIGNED)
                )
                conn.execute(
                    update(project_users)
                    .where(
                        project_users.c.project_id == project_id, project_users.c.user_id == agent
                    )
                    .values(number_assigned_requests=open_count)
                )
        if engine.dialect.name == "postgresql":
            # What autovacuum does after a bulk insert: statistics, and the visibility map
            # that lets the list's count be answered from its index alone.
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()
    return request_ids


# --- Against the real Tiledesk ---------------------------------------------------------------


def peer_comparison(args: argparse.Namespace) -> dict[str, Any]:
    """Both servers seeded through the public API, then the same GETs interleaved."""
    with tempfile.TemporaryDirectory(prefix="tessera-comparison-") as directory:
        database_url = f"sqlite:///{Path(directory) / 'compare.db'}"
        with tessera_server(database_url=database_url) as base:
            seeded = {"tessera": asyncio.run(seed_through_api(base, args.peer_conversations))}
        seeded["peer"] = asyncio.run(seed_through_api(args.peer, args.peer_conversations))
        # Restarted for the same reason as in ``populated_benchmark``.
        with tessera_server(database_url=database_url) as base:
            return compare(args, {"tessera": base, "peer": args.peer}, seeded)


def compare(
    args: argparse.Namespace, sides: dict[str, str], seeded: dict[str, tuple[str, str, str]]
) -> dict[str, Any]:
    """The same GETs on both sides, interleaved; medians and ratios Tessera / peer."""
    page = max(args.peer_conversations // 40 // 5, 1)
    jobs: dict[str, tuple[str, dict[str, str], str | None]] = {}
    for name, path in (
        ("GET /:pid/requests (page 0)", "/{pid}/requests"),
        (
            f"GET /:pid/requests?status=all&page={page}",
            f"/{{pid}}/requests?status=all&page={page}",
        ),
        ("GET /:pid/requests/:rid", "/{pid}/requests/{rid}"),
        ("GET /:pid/requests/:rid/messages (10)", "/{pid}/requests/{rid}/messages"),
    ):
        for side, url in sides.items():
            token, project_id, request_id = seeded[side]
            target = path.format(pid=project_id, rid=request_id)
            check_targets(url, {name: (target, None)}, token)
            jobs[f"{side}: {name}"] = (url + target, {"Authorization": token}, None)
    results = run_interleaved(jobs, rounds=args.rounds, seconds=args.seconds)
    summary = summarize(results)
    print_table(summary)
    ratios: dict[str, float | None] = {}
    for name in summary:
        if name.startswith("tessera: "):
            target = name.removeprefix("tessera: ")
            peer_rps = summary["peer: " + target]["rps"]
            # A peer that completed nothing in the window has no ratio (wrk reports 0 req/s).
            ratios[target] = summary[name]["rps"] / peer_rps if peer_rps else None
    for name, ratio in ratios.items():
        shown = f"{ratio:.2f}x" if ratio is not None else "n/a (peer: 0 req/s)"
        print(f"Tessera / peer req/s, {name}: {shown}")
    return {"summary": summary, "ratios": ratios}


async def seed_through_api(base: str, count: int) -> tuple[str, str, str]:
    """An owner (the only agent), a project and ``count`` conversations of 10 messages, each
    opened by its own guest and answered by the owner in turns. Answers (owner token,
    project id, a request id)."""
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
        # A unique phone: the peer's ``users.phone`` index is unique but not sparse, so once
        # one account has no phone, every later sign-up without one fails (E11000).
        phone = f"+1555{secrets.randbelow(10**8):08d}"
        signup = await client.post(
            "/auth/signup",
            json={
                "email": email,
                "password": PASSWORD,
                "firstname": "Owner",
                "lastname": "Bench",
                "phone": phone,
            },
        )
        signup.raise_for_status()
        signin = await client.post("/auth/signin", json={"email": email, "password": PASSWORD})
        owner = {"Authorization": signin.json()["token"]}
        project = await client.post("/projects", json={"name": "Comparison"}, headers=owner)
        project_id: str = project.json()["_id"]
        gate = asyncio.Semaphore(8)

        async def conversation() -> str:
            async with gate:
                guest = await client.post(
                    "/auth/signinAnonymously", json={"id_project": project_id}
                )
                visitor = {"Authorization": guest.json()["token"]}
                request_id = f"support-group-{project_id}-{uuid.uuid4().hex}"
                for turn in range(MESSAGES_PER_CONVERSATION):
                    posted = await client.post(
                        f"/{project_id}/requests/{request_id}/messages",
                        json={"text": f"Message {turn + 1}: could you help me with my order?"},
                        headers=owner if turn % 2 else visitor,
                    )
                    posted.raise_for_status()
                return request_id

        started = time.monotonic()
        request_ids = await asyncio.gather(*(conversation() for _ in range(count)))
        print(f"seeded {count} conversations on {base} in {time.monotonic() - started:.0f} s")
        return owner["Authorization"], project_id, request_ids[len(request_ids) // 2]


# --- Measuring ---------------------------------------------------------------------------------


def run_interleaved(
    jobs: dict[str, tuple[str, dict[str, str], str | None]], *, rounds: int, seconds: int
) -> dict[str, list[WrkResult]]:
    """Every job once per round, rounds one after the other (so drift hits them all alike)."""
    results: dict[str, list[WrkResult]] = {name: [] for name in jobs}
    with tempfile.TemporaryDirectory() as directory:
        scripts: dict[str, str] = {}
        for name, (_url, _headers, script) in jobs.items():
            if script is not None:
                path = Path(directory) / f"script{len(scripts)}.lua"
                path.write_text(script)
                scripts[name] = str(path)
        for _ in range(rounds):
            for name, (url, headers, _script) in jobs.items():
                results[name].append(
                    wrk(url, seconds=seconds, headers=headers, script=scripts.get(name))
                )
                wait_idle(url)
    return results


def wait_idle(url: str) -> None:
    """Wait until the server has worked off what wrk left in flight: a slow target's backlog
    would otherwise be timed against the next target."""
    greeting = urllib.parse.urlsplit(url)._replace(path="/", query="").geturl()
    deadline = time.monotonic() + 120
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(greeting, timeout=120) as response:
            response.read()
        quick = quick + 1 if time.monotonic() - started < 0.1 else 0
        time.sleep(0.05)


def check_targets(base: str, targets: dict[str, tuple[str, str | None]], token: str) -> None:
    """Each GET answers 200 before it is measured (wrk would happily time 404s)."""
    for name, (path, script) in targets.items():
        if script is not None:
            continue
        request = urllib.request.Request(base + path, headers={"Authorization": token})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                response.read()
        except OSError as error:
            raise SystemExit(f"{name} on {base}: {error}") from error


def summarize(results: dict[str, list[WrkResult]]) -> dict[str, dict[str, float]]:
    return {
        name: {
            "rps": median([r.rps for r in runs]),
            "p50_ms": median([r.p50_ms for r in runs]),
            "p99_ms": median([r.p99_ms for r in runs]),
            "non_2xx": sum(r.non_2xx for r in runs),
        }
        for name, runs in results.items()
    }


def print_table(summary: dict[str, dict[str, float]]) -> None:
    print("| request | req/s (median) | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|")
    for name, row in summary.items():
        print(
            f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} "
            f"| {row['non_2xx']:.0f} |"
        )


def server_pid() -> int:
    """The ``tessera serve`` child of this process (one worker: it is the server itself)."""
    me = os.getpid()
    children = Path(f"/proc/{me}/task/{me}/children").read_text().split()
    for child in children:
        if b"serve" in Path(f"/proc/{child}/cmdline").read_bytes():
            return int(child)
    raise RuntimeError("no tessera serve child process")


def peak_rss_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmHWM for process {pid}")


def is_up(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/", timeout=10):
            return True
    except OSError:
        return False


if __name__ == "__main__":
    main()
