"""The API-key command line, run as an operator would, against the test database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from httpx import AsyncClient


def _cli(database_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "app", "apikey", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


async def test_create_list_use_and_revoke_a_key(database_url: str, client: AsyncClient) -> None:
    created = _cli(database_url, "create", "--name", "cli-test", "--scope", "admin")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("vnd_")
    prefix = key.split("_")[1]
    listed = _cli(database_url, "list")
    row = next(line for line in listed.stdout.splitlines() if line.startswith(prefix))
    assert "cli-test" in row and "admin" in row and "active" in row
    assert key not in listed.stdout  # never shown again

    # A missing body with a valid admin key is a validation error, not an auth error.
    ok = await client.post("/v1/calendar/adjustments", json={}, headers={"X-API-Key": key})
    assert ok.status_code == 422

    assert _cli(database_url, "revoke", prefix).returncode == 0
    assert "revoked" in next(
        line for line in _cli(database_url, "list").stdout.splitlines() if line.startswith(prefix)
    )
    # Replicas cache verified keys; a revocation reaches every one within a second.
    for _ in range(50):
        refused = await client.post("/v1/calendar/adjustments", json={}, headers={"X-API-Key": key})
        if refused.status_code == 401:
            break
        await asyncio.sleep(0.02)
    assert refused.status_code == 401
    assert _cli(database_url, "revoke", prefix).returncode == 1


def test_unknown_scope_is_refused(database_url: str) -> None:
    bad = _cli(database_url, "create", "--name", "x", "--scope", "root")
    assert bad.returncode == 2
    assert "invalid choice" in bad.stderr
