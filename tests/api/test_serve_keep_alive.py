"""`python -m app serve` keeps an idle HTTP keep-alive connection open for KEEP_ALIVE_SECONDS.

A client that reuses its connection just as the server closes it gets no answer at all: with
uvicorn's own 5 s, httpx clients (which keep idle connections 5 s themselves) saw a few POSTs
in every thousand fail that way under load. By default the service waits longer than clients
and proxies do."""

from __future__ import annotations

import os
import signal
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests.serving import start_serve, wait_ready

REQUEST = b"GET /health/live HTTP/1.1\r\nHost: test\r\n\r\n"


@contextmanager
def _serving(database_url: str, **env: str) -> Iterator[int]:
    proc, port = start_serve(
        os.environ
        | {
            "DATABASE_URL": database_url,
            "SCANNER_INTERVAL_SECONDS": "0",
            "WEBHOOK_CONCURRENCY": "0",
            **env,
        }
    )
    try:
        wait_ready(f"http://127.0.0.1:{port}", proc, seconds=60)
        yield port
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _answered(connection: socket.socket) -> bool:
    """Whether a request sent on `connection` gets its whole response (False: the server had
    closed the connection)."""
    try:
        connection.sendall(REQUEST)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                return False
            received += chunk
    except (ConnectionResetError, BrokenPipeError):
        return False
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += connection.recv(65536)
    assert head.startswith(b"HTTP/1.1 200"), head
    return True


def test_an_idle_connection_outlives_a_clients_own_idle_limit(database_url: str) -> None:
    with _serving(database_url) as port, socket.create_connection(("127.0.0.1", port)) as c:
        c.settimeout(10)
        assert _answered(c)
        time.sleep(6)  # longer than httpx keeps an idle connection, and uvicorn's own default
        assert _answered(c)


def test_an_idle_connection_is_closed_after_keep_alive_seconds(database_url: str) -> None:
    with (
        _serving(database_url, KEEP_ALIVE_SECONDS="1") as port,
        socket.create_connection(("127.0.0.1", port)) as c,
    ):
        c.settimeout(10)
        assert _answered(c)
        time.sleep(0.3)
        assert _answered(c)  # idle, but not for long: still open
        time.sleep(2.5)
        assert not _answered(c)
