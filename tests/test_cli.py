"""The ``tessera`` command: first start, migrate, create-admin, and a real server."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tessera.bootstrap import ensure_first_admin
from tests.conftest import make_settings

TESSERA = str(Path(sys.executable).parent / "tessera")


def _fresh_sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh.db'}"


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("ADMIN_EMAIL", "ADMIN_PASSWORD", "GLOBAL_SECRET", "REDIS_URL")
    }
    env.update(
        DATABASE_URL=_fresh_sqlite(tmp_path),
        DATA_DIR=str(tmp_path / "data"),
        BCRYPT_ROUNDS="4",
        **extra,
    )
    return env


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_migrate_builds_a_fresh_database(tmp_path: Path) -> None:
    result = subprocess.run(
        [TESSERA, "migrate"], env=_env(tmp_path), capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stderr
    assert "database is up to date" in result.stdout
    assert (tmp_path / "fresh.db").exists()


def test_first_start_generates_the_admin_password_once(tmp_path: Path) -> None:
    subprocess.run([TESSERA, "migrate"], env=_env(tmp_path), check=True, capture_output=True)
    settings = make_settings(_fresh_sqlite(tmp_path), tmp_path, admin_email=None)

    first = ensure_first_admin(settings)
    second = ensure_first_admin(settings)

    assert first is not None
    assert first.email == "admin@tessera.localhost"
    assert first.password is not None
    assert len(first.password) >= 16
    assert second is None


def test_first_start_uses_admin_email_and_password(tmp_path: Path) -> None:
    subprocess.run([TESSERA, "migrate"], env=_env(tmp_path), check=True, capture_output=True)
    settings = make_settings(
        _fresh_sqlite(tmp_path),
        tmp_path,
        admin_email="Boss@Example.com",
        admin_password="Chosen-password-1",
    )

    admin = ensure_first_admin(settings)

    assert admin is not None
    assert admin.email == "boss@example.com"
    assert admin.password is None


def test_create_admin_adds_a_verified_account(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([TESSERA, "migrate"], env=env, check=True, capture_output=True)

    result = subprocess.run(
        [TESSERA, "create-admin", "--email", "Ops@Example.com", "--password", "Ops-pass-12"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "created ops@example.com" in result.stdout
    assert "Ops-pass-12" not in result.stdout + result.stderr


def test_serve_starts_a_server_whose_admin_can_sign_in(tmp_path: Path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [TESSERA, "serve", "--port", str(port)],
        env=_env(tmp_path, RATE_LIMIT="off"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(base, process)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=20)
        match = re.search(r"administrator (\S+) with the generated password (\S+)", err)
        assert match, err
        email, password = match.groups()

        restarted = subprocess.Popen(
            [TESSERA, "serve", "--port", str(port)],
            env=_env(tmp_path, RATE_LIMIT="off"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            _wait_until_up(base, restarted)
            signin = httpx.post(f"{base}/auth/signin", json={"email": email, "password": password})
            projects = httpx.get(
                f"{base}/projects", headers={"Authorization": signin.json()["token"]}
            )
        finally:
            restarted.send_signal(signal.SIGINT)
            _out2, err2 = restarted.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()

    assert signin.status_code == 200
    assert [p["id_project"]["name"] for p in projects.json()] == ["default"]
    assert "generated password" not in err2


def _wait_until_up(base: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.communicate()[1])
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")
