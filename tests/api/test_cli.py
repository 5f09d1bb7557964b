"""The API-key command line, run as an operator would, against the test database."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys

from httpx import AsyncClient

from tests.cli import Cli, Done


async def test_create_list_use_and_revoke_a_key(
    database_url: str, client: AsyncClient, cli: Cli
) -> None:
    async def apikey(*args: str) -> Done:
        # in a thread: the command runs its own event loop (asyncio.run), as from a shell
        return await asyncio.to_thread(cli, "apikey", *args, env={"DATABASE_URL": database_url})

    created = await apikey("create", "--name", "cli-test", "--scope", "admin")
    assert created.returncode == 0, created.stderr
    key = created.stdout.strip()
    assert key.startswith("vnd_")
    prefix = key.split("_")[1]
    listed = await apikey("list")
    row = next(line for line in listed.stdout.splitlines() if line.startswith(prefix))
    assert "cli-test" in row and "admin" in row and "active" in row
    assert key not in listed.stdout  # never shown again

    # A missing body with a valid admin key is a validation error, not an auth error.
    ok = await client.post("/v1/calendar/adjustments", json={}, headers={"X-API-Key": key})
    assert ok.status_code == 422

    assert (await apikey("revoke", prefix)).returncode == 0
    assert "revoked" in next(
        line for line in (await apikey("list")).stdout.splitlines() if line.startswith(prefix)
    )
    # Replicas cache verified keys; a revocation reaches every one within a second.
    for _ in range(50):
        refused = await client.post("/v1/calendar/adjustments", json={}, headers={"X-API-Key": key})
        if refused.status_code == 401:
            break
        await asyncio.sleep(0.02)
    assert refused.status_code == 401
    assert (await apikey("revoke", prefix)).returncode == 1


def test_python_m_app_runs_a_command_and_exits_with_its_status(database_url: str) -> None:
    # The real entry point, once, in a process of its own (the other CLI tests call main() in
    # this one): `python -m app` reads DATABASE_URL from its environment, runs the command on
    # the database and exits with the command's status.
    done = subprocess.run(
        [sys.executable, "-m", "app", "apikey", "revoke", "nosuchkey"],
        capture_output=True,
        text=True,
        env=os.environ | {"DATABASE_URL": database_url},
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == "no active key with prefix nosuchkey\n"


def test_unknown_scope_is_refused(database_url: str, cli: Cli) -> None:
    bad = cli(
        "apikey", "create", "--name", "x", "--scope", "root", env={"DATABASE_URL": database_url}
    )
    assert bad.returncode == 2
    assert "invalid choice" in bad.stderr
