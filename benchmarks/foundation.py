"""Foundation benchmark: the cost of authentication on one worker.

Measures, interleaved in one run, ``GET /`` (bare), ``GET /users`` with a JWT and ``GET
/users`` with Basic auth (warm: the password check is cached), and reports medians and
the cost ratios the foundation issue targets: JWT <= 2.5x bare, Basic <= 1.3x JWT.

    .venv/bin/python benchmarks/foundation.py [--rounds 5] [--seconds 5]
"""

import argparse
import base64
import json
import uuid

from common import call, median, tessera_server, wrk


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=5)
    args = parser.parse_args()

    with tessera_server() as base:
        email, password = f"bench-{uuid.uuid4().hex[:8]}@example.com", "Bench-password-1"
        call(
            base,
            "POST",
            "/auth/signup",
            {"email": email, "password": password, "firstname": "Bench", "lastname": "Mark"},
        )
        token = call(base, "POST", "/auth/signin", {"email": email, "password": password})["token"]
        basic = "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode()
        call(base, "GET", "/users", token=basic)  # warm the verified-password cache

        targets = {
            "GET / (bare)": ("/", {}),
            "GET /users (JWT)": ("/users", {"Authorization": token}),
            "GET /users (Basic, warm)": ("/users", {"Authorization": basic}),
        }
        results: dict[str, list] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, (path, headers) in targets.items():
                results[name].append(wrk(base + path, seconds=args.seconds, headers=headers))

    summary = {
        name: {
            "rps": median([r.rps for r in runs]),
            "p50_ms": median([r.p50_ms for r in runs]),
            "p99_ms": median([r.p99_ms for r in runs]),
            "non_2xx": sum(r.non_2xx for r in runs),
        }
        for name, runs in results.items()
    }
    bare, jwt_, basic_ = (summary[name]["rps"] for name in targets)
    ratios = {"JWT cost / bare cost": bare / jwt_, "Basic cost / JWT cost": jwt_ / basic_}
    print("| request | req/s (median) | p50 ms | p99 ms |")
    print("|---|---|---|---|")
    for name, row in summary.items():
        print(f"| {name} | {row['rps']:.0f} | {row['p50_ms']:.2f} | {row['p99_ms']:.2f} |")
    for name, value in ratios.items():
        print(f"{name}: {value:.2f}x")
    print(json.dumps({"summary": summary, "ratios": ratios}))


if __name__ == "__main__":
    main()
