"""Files benchmark: upload and download throughput of 1 MB files on one worker.

Uploads are ``POST /:pid/files/chat`` (multipart, a 1 MiB PDF: checked, written to the
storage, recorded), downloads ``GET /files?path=`` of one such file (streamed from the
storage). Interleaved rounds, medians; the throughput in MB/s is req/s x 1 MiB.

    .venv/bin/python benchmarks/files.py [--rounds 3] [--seconds 5] [--connections 4]

Every upload stays on disk until the server's temp directory is removed at the end: a run
writes about (upload req/s x seconds x rounds) MiB there.
"""

import argparse
import json
import os
import tempfile
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from common import call, median, tessera_server, wrk

MIB = 1024 * 1024
BOUNDARY = "tessera-bench-" + uuid.uuid4().hex


def pdf_payload() -> bytes:
    return b"%PDF-1.4\n" + os.urandom(MIB - 9)


def multipart(payload: bytes) -> bytes:
    head = (
        f"--{BOUNDARY}\r\n"
        'Content-Disposition: form-data; name="file"; filename="bench.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return head + payload + f"\r\n--{BOUNDARY}--\r\n".encode()


def upload_once(base: str, url: str, token: str, body: bytes) -> str:
    request = urllib.request.Request(base + url, data=body, method="POST")
    request.add_header("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    request.add_header("Authorization", token)
    with urllib.request.urlopen(request, timeout=30) as response:
        answer: dict[str, str] = json.loads(response.read())
        return answer["filename"]


def upload_script(workdir: Path, body: bytes, token: str) -> str:
    """A wrk script that POSTs ``body`` (read from a file: Lua strings hold bytes)."""
    body_file = workdir / "body.bin"
    body_file.write_bytes(body)
    script = workdir / "upload.lua"
    script.write_text(
        f"""
local file = io.open("{body_file}", "rb")
wrk.method = "POST"
wrk.body = file:read("*all")
file:close()
wrk.headers["Content-Type"] = "multipart/form-data; boundary={BOUNDARY}"
wrk.headers["Authorization"] = "{token}"
"""
    )
    return str(script)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=4)
    args = parser.parse_args()

    with (
        tempfile.TemporaryDirectory(prefix="tessera-bench-files-") as scratch,
        tessera_server(MAX_UPLOAD_FILE_SIZE="2mb") as base,
    ):
        workdir = Path(scratch)
        email, password = f"bench-{uuid.uuid4().hex[:8]}@example.com", "Bench-password-1"
        call(
            base,
            "POST",
            "/auth/signup",
            {"email": email, "password": password, "firstname": "Bench", "lastname": "Mark"},
        )
        token = call(base, "POST", "/auth/signin", {"email": email, "password": password})["token"]
        project_id = call(base, "POST", "/projects", {"name": "Files"}, token=token)["_id"]
        upload_url = f"/{project_id}/files/chat"
        body = multipart(pdf_payload())
        path = upload_once(base, upload_url, token, body)
        download_url = base + "/files?" + urllib.parse.urlencode({"path": path})
        script = upload_script(workdir, body, token)

        targets = {
            "POST /:pid/files/chat (1 MiB)": (base + upload_url, script),
            "GET /files?path= (1 MiB)": (download_url, None),
        }
        results: dict[str, list] = {name: [] for name in targets}
        for _ in range(args.rounds):
            for name, (url, lua) in targets.items():
                results[name].append(
                    wrk(url, seconds=args.seconds, connections=args.connections, script=lua)
                )

    print("| request | req/s (median) | MB/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---|---|---|---|---|")
    for name, runs in results.items():
        rps = median([run.rps for run in runs])
        print(
            f"| {name} | {rps:.0f} | {rps * MIB / 1e6:.0f} "
            f"| {median([run.p50_ms for run in runs]):.2f} "
            f"| {median([run.p99_ms for run in runs]):.2f} "
            f"| {sum(run.non_2xx for run in runs)} |"
        )


if __name__ == "__main__":
    main()
