"""Logs: one JSON object per line, no terminal escapes, the access line names the caller."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import logging

import pytest
from httpx import AsyncClient

from app.logging_setup import EMBEDDED_POSTGRES_LOGGER, FoldedLines, JsonFormatter, LineWriter

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def _line(record: logging.LogRecord) -> dict[str, object]:
    text = JsonFormatter().format(record)
    assert "\n" not in text and "\x1b" not in text and "\\u001b" not in text
    parsed: dict[str, object] = json.loads(text)
    return parsed


@pytest.mark.parametrize(
    "created",
    [0.0, 1_764_510_000.25, 1_764_510_000.9999996, 1_764_510_059.9999999, 1_798_761_599.000001],
)
def test_time_is_iso_8601_utc_as_datetime_writes_it(created: float) -> None:
    # The formatter builds the date and seconds once a second; the line still reads as the
    # record's time in ISO 8601 with microseconds, rounding into the next second included.
    formatter = JsonFormatter()
    record = logging.LogRecord("app.access", logging.INFO, "", 0, "request", None, None)
    expected = dt.datetime.fromtimestamp(created, dt.UTC)
    for when in (created, created):  # the second time from the remembered second
        record.created = when
        written = json.loads(formatter.format(record))["time"]
        assert dt.datetime.fromisoformat(written) == expected
        assert written == expected.isoformat(timespec="microseconds")


def test_values_json_cannot_hold_are_written_as_text() -> None:
    record = logging.LogRecord("app.error", logging.ERROR, "", 0, "Hồ sơ %s", ("trễ",), None)
    record.when = dt.date(2026, 9, 2)
    record.problem = ValueError("bad")
    line = _line(record)
    assert line["message"] == "Hồ sơ trễ"  # non-ASCII kept as is
    assert line["when"] == "2026-09-02"
    assert line["problem"] == "bad"


class _Writes(io.StringIO):
    """A stream that keeps each write apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return len(text)


def _writer() -> tuple[logging.Logger, _Writes]:
    stream = _Writes()
    handler = LineWriter(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.Logger("lines")  # not registered: the test's own
    logger.addHandler(handler)
    return logger, stream


def _messages(written: str) -> list[object]:
    return [json.loads(line)["message"] for line in written.splitlines()]


async def test_lines_of_one_loop_turn_leave_in_one_write_at_its_end() -> None:
    logger, stream = _writer()
    for n in range(3):
        logger.info("request %d", n)
    assert stream.writes == []  # not yet: the turn goes on
    await asyncio.sleep(0)
    [written] = stream.writes
    assert _messages(written) == ["request 0", "request 1", "request 2"]
    logger.info("next")
    await asyncio.sleep(0)
    assert _messages(stream.writes[1]) == ["next"]


async def test_a_warning_leaves_at_once_after_the_lines_before_it() -> None:
    logger, stream = _writer()
    logger.info("request")
    logger.warning("database out of reach")
    [written] = stream.writes
    assert _messages(written) == ["request", "database out of reach"]


def test_outside_a_loop_each_line_leaves_at_once() -> None:
    logger, stream = _writer()
    logger.info("one")
    logger.info("two")
    assert [_messages(w) for w in stream.writes] == [["one"], ["two"]]


def test_a_line_left_due_on_a_closed_loop_leaves_with_the_next_loops() -> None:
    logger, stream = _writer()

    async def log(message: str) -> None:
        logger.info(message)

    def log_and_stop() -> None:
        logger.info("last of a loop")
        first.stop()  # the loop ends with this turn: the flush due at its end never runs

    first = asyncio.new_event_loop()
    first.call_soon(log_and_stop)
    first.run_forever()
    first.close()
    assert stream.writes == []
    asyncio.run(log("first of the next"))
    assert _messages("".join(stream.writes)) == ["last of a loop", "first of the next"]


def test_uvicorn_colour_copy_is_dropped() -> None:
    # What uvicorn logs at start: the plain message plus `color_message` with ANSI escapes.
    record = logging.LogRecord(
        "uvicorn.error", logging.INFO, "", 0, "Started server process [%d]", (42,), None
    )
    record.color_message = "Started server process [\x1b[36m%d\x1b[0m]"
    line = _line(record)
    assert line["message"] == "Started server process [42]"
    assert "color_message" not in line


def test_embedded_postgres_output_is_one_debug_line(caplog: pytest.LogCaptureFixture) -> None:
    # The shape the pgserver wrapper logs after each command: a header and the command's
    # stdout/stderr, several lines each.
    record = logging.LogRecord(
        EMBEDDED_POSTGRES_LOGGER,
        logging.INFO,
        "",
        0,
        "Successful postgres command %s\nstdout:\n%s\n---\nstderr:\n%s\n---\n",
        ("initdb", "The files belonging to this database system\nwill be owned by user.", ""),
        None,
    )
    root = logging.getLogger()
    previous = root.level
    root.setLevel(logging.DEBUG)
    try:
        assert FoldedLines().filter(record)
    finally:
        root.setLevel(previous)
    line = _line(record)
    assert line["level"] == "DEBUG"
    assert line["message"] == (
        "Successful postgres command initdb | stdout: | The files belonging to this database "
        "system | will be owned by user. | stderr:"
    )
    # At the default level the narration is left out altogether.
    assert not FoldedLines().filter(
        logging.LogRecord(EMBEDDED_POSTGRES_LOGGER, logging.INFO, "", 0, "a\nb", None, None)
    )


async def test_access_line_names_caller_route_and_trace(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        await client.get(
            "/v1/calendar/working-days/add?start=2026-01-05&days=1",
            headers={
                "X-API-Key": "vnd_0a1b2c3d_notarealsecret",
                "User-Agent": "portal/1.0",
                "traceparent": f"00-{TRACE}-00f067aa0ba902b7-01",
                "X-Request-ID": "log-1",
            },
        )
    (record,) = [r for r in caplog.records if r.name == "app.access"]
    line = _line(record)
    assert line["actor"] == "key:0a1b2c3d"
    assert "notarealsecret" not in json.dumps(line)
    assert line["user_agent"] == "portal/1.0"
    assert line["client"] == "127.0.0.1"
    assert line["route"] == "/v1/calendar/working-days/add"
    assert line["trace_id"] == TRACE
    assert line["request_id"] == "log-1"
    assert isinstance(line["status"], int) and isinstance(line["duration_ms"], float)


async def test_anonymous_caller_and_malformed_traceparent(
    client: AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        await client.get("/v1/calendar/years", headers={"traceparent": "00-zz-11-01"})
    (record,) = [r for r in caplog.records if r.name == "app.access"]
    line = _line(record)
    assert line["actor"] == "anonymous"
    assert "trace_id" not in line


async def test_probes_log_at_debug(client: AsyncClient, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="app.access"):
        for probe in ("/health/live", "/health/ready", "/metrics"):
            assert (await client.get(probe)).status_code == 200
    assert [r for r in caplog.records if r.name == "app.access"] == []
    with caplog.at_level(logging.DEBUG, logger="app.access"):
        await client.get("/health/live")
    (record,) = [r for r in caplog.records if r.name == "app.access"]
    assert record.levelno == logging.DEBUG


async def test_openapi_and_docs_assets_are_labelled(client: AsyncClient) -> None:
    await client.get("/openapi.json")
    await client.get("/static/docs/favicon.png")
    text = (await client.get("/metrics")).text
    assert 'route="/openapi.json",status="200"' in text
    assert 'route="/static/docs/{path}",status="200"' in text
