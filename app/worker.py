"""The application factory each uvicorn worker process calls (`python -m app serve`).

Workers are fresh processes: they read the settings from the environment (where `serve` put the
embedded PostgreSQL's URL, if it started one) and set up the JSON logging themselves.
"""

from __future__ import annotations

import gc

from fastapi import FastAPI

from app import logging_setup
from app.main import create_app
from app.settings import get_settings

# A young collection after this many new container objects (CPython's default: 700). A request
# makes a few hundred, most gone by its end; at 700, those of requests still in flight were
# promoted, and the full collections they led to walked every long-lived object (the calendar
# snapshot, catalog, routes, the dossier histories a replica remembers): about a fifth of the
# CPU under load (bench/results/NOTE.md).
YOUNG_COLLECTION_THRESHOLD = 10_000


def create() -> FastAPI:
    settings = get_settings()
    logging_setup.configure(settings.log_level)
    app = create_app(settings)
    # What start-up made lives as long as the process: out of every collection.
    gc.freeze()
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_THRESHOLD, older, oldest)
    return app
