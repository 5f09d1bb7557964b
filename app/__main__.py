"""Command line: `python -m app serve | migrate | seed | openapi | apikey create|list|revoke`."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncEngine

from app import cli_calendar, cli_profile, logging_setup
from app.db import migrate
from app.db.embedded import DATABASE_NAME, EmbeddedUnavailable, ensure_database, start_embedded
from app.db.engine import make_engine, make_sessionmaker
from app.domain.keys import Scope
from app.settings import get_settings

T = TypeVar("T")
CLI_ACTOR = "cli"


@asynccontextmanager
async def _engine() -> AsyncIterator[AsyncEngine]:
    """The configured database, or the embedded one (shared with a running `serve`)."""
    settings = get_settings()
    embedded = None
    url = settings.database_url
    if url is None:
        embedded = start_embedded(settings.data_dir)
        await ensure_database(embedded.admin_dsn, DATABASE_NAME)
        url = embedded.url()
    engine = make_engine(url, pool_size=1, max_overflow=0)
    try:
        yield engine
    finally:
        await engine.dispose()
        if embedded is not None:
            embedded.stop()  # only stops the server if no other process holds it


def _run(job: Callable[[AsyncEngine], Awaitable[T]]) -> T:
    async def main() -> T:
        async with _engine() as engine:
            return await job(engine)

    return asyncio.run(main())


def _exit_on_sigterm(_signum: int, _frame: object) -> None:
    raise SystemExit(0)


def serve(_: argparse.Namespace) -> int:
    """Serve with WORKERS processes on one port. Without DATABASE_URL this process starts the
    embedded PostgreSQL once, hands its URL to the workers through the environment (so their
    start-up connects instead of starting one each) and stops it when they have exited."""
    import uvicorn

    settings = get_settings()
    logging_setup.configure(settings.log_level)
    embedded = None
    if settings.database_url is None:
        embedded = start_embedded(settings.data_dir)
        asyncio.run(ensure_database(embedded.admin_dsn, DATABASE_NAME))
        os.environ["DATABASE_URL"] = embedded.url()
        get_settings.cache_clear()
    # uvicorn shuts down gracefully on SIGTERM, then raises the signal again with the handler it
    # found: left as the default, that kills this process before the `finally` below stops the
    # embedded server (a `docker stop` left it running). This handler ends the process normally.
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    counters = None
    if settings.workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        # Each worker writes its metrics here; /metrics adds them up (app.api.ops.metrics).
        counters = tempfile.mkdtemp(prefix="vnd-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = counters
    try:
        uvicorn.run(
            "app.worker:create",
            factory=True,
            workers=settings.workers,
            host=settings.host,
            port=settings.port,
            access_log=False,  # the app logs one JSON line per request itself
            log_config=None,
            proxy_headers=False,
            timeout_keep_alive=settings.keep_alive_seconds,
        )
    finally:
        if counters is not None:
            shutil.rmtree(counters, ignore_errors=True)
        if embedded is not None:
            embedded.stop()
    return 0


def migrate_cmd(_: argparse.Namespace) -> int:
    _run(migrate.upgrade)
    print(f"database at {migrate.head_revision()}")
    return 0


def seed_cmd(_: argparse.Namespace) -> int:
    from app.services.seed import seed_database

    report = _run(seed_database)
    print(json.dumps(report.summary()))
    return 0


def openapi(_: argparse.Namespace) -> int:
    from app.main import create_app

    json.dump(create_app().openapi(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def key_create(args: argparse.Namespace) -> int:
    from app.services import api_keys

    async def job(engine: AsyncEngine) -> str:
        async with make_sessionmaker(engine)() as session:
            key, _ = await api_keys.create(
                session, args.name, [Scope(s) for s in args.scope], CLI_ACTOR
            )
            await session.commit()
            return key

    key = _run(job)
    print(key)
    print("Store this key now: it is shown once and cannot be recovered.", file=sys.stderr)
    return 0


def key_list(_: argparse.Namespace) -> int:
    from app.db.repositories import api_keys

    async def job(engine: AsyncEngine) -> list[str]:
        async with make_sessionmaker(engine)() as session:
            return [
                f"{k.prefix}\t{k.name}\t{','.join(k.scopes)}\t{k.created_at:%Y-%m-%d %H:%M}\t"
                + ("revoked " + f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "active")
                for k in await api_keys.all_keys(session)
            ]

    print("prefix\tname\tscopes\tcreated\tstatus")
    for line in _run(job):
        print(line)
    return 0


def key_revoke(args: argparse.Namespace) -> int:
    from app.services import api_keys

    async def job(engine: AsyncEngine) -> bool:
        async with make_sessionmaker(engine)() as session:
            done = await api_keys.revoke(session, args.prefix, CLI_ACTOR)
            await session.commit()
            return done

    if not _run(job):
        print(f"no active key with prefix {args.prefix}", file=sys.stderr)
        return 1
    print(f"revoked {args.prefix}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    sub = root.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="start the service (and the embedded PostgreSQL if no URL)")
    sub.add_parser("migrate", help="migrate the database to head")
    sub.add_parser("seed", help="apply the shipped reference data (never what an admin changed)")
    sub.add_parser("openapi", help="print the OpenAPI document")
    keys = sub.add_parser("apikey", help="manage API keys").add_subparsers(
        dest="action", required=True
    )
    create = keys.add_parser("create", help="create a key and print it once")
    create.add_argument("--name", required=True, help="who or what uses the key")
    create.add_argument(
        "--scope",
        action="append",
        required=True,
        choices=[s.value for s in Scope],
        help="repeat for several scopes; admin implies all",
    )
    keys.add_parser("list", help="list keys (never the keys themselves)")
    revoke = keys.add_parser("revoke", help="revoke a key by its prefix")
    revoke.add_argument("prefix")
    cli_profile.add_to(sub)
    cli_calendar.add_to(sub)
    return root


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "serve": serve,
    "migrate": migrate_cmd,
    "seed": seed_cmd,
    "openapi": openapi,
    "create": key_create,
    "list": key_list,
    "revoke": key_revoke,
    "draft": cli_profile.draft,
    "import": lambda args: cli_calendar.import_cmd(args, _run),
    "show": lambda args: cli_calendar.show_cmd(args, _run),
}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[getattr(args, "action", None) or args.command](args)
    except EmbeddedUnavailable as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
