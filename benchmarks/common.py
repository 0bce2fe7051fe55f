"""Shared helpers for the benchmarks: a throw-away server, wrk runs, medians."""

import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

TESSERA = str(Path(sys.executable).parent / "tessera")
SECRET = "benchmark-secret-benchmark-secret-0123"


@dataclass
class WrkResult:
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx: int


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def tessera_server(
    *, workers: int = 1, database_url: str | None = None, **env: str
) -> Iterator[str]:
    """A fresh Tessera on a free port (SQLite in a temp dir unless ``database_url``)."""
    workdir = Path(tempfile.mkdtemp(prefix="tessera-bench-"))
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url or f"sqlite:///{workdir / 'bench.db'}",
        "DATA_DIR": str(workdir),
        "RATE_LIMIT": "off",
        "GLOBAL_SECRET": SECRET,
        "LOG_LEVEL": "WARNING",
        "BCRYPT_ROUNDS": "10",
        **env,
    }
    process = subprocess.Popen(
        [TESSERA, "serve", "--port", str(port), "--workers", str(workers)],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(workdir, ignore_errors=True)


def wait_until_up(base: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/health", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{base} did not start")


def call(base: str, method: str, path: str, body: object = None, token: str | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        result: dict = json.loads(response.read())
        return result


def wrk(
    url: str,
    *,
    seconds: int,
    threads: int = 2,
    connections: int = 10,
    headers: dict[str, str] | None = None,
    script: str | None = None,
) -> WrkResult:
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    return WrkResult(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        p50_ms=_latency(output, "50%"),
        p99_ms=_latency(output, "99%"),
        non_2xx=int(m.group(1)) if (m := re.search(r"Non-2xx.*?:\s+(\d+)", output)) else 0,
    )


def _latency(output: str, label: str) -> float:
    match = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", output)
    if match is None:
        return float("nan")
    value, unit = float(match.group(1)), match.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value


def median(values: list[float]) -> float:
    return statistics.median(values)
