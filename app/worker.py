"""The application factory each uvicorn worker process calls (`python -m app serve`).

Workers are fresh processes: they read the settings from the environment (where `serve` put the
embedded PostgreSQL's URL, if it started one) and set up the JSON logging themselves.
"""

from __future__ import annotations

from fastapi import FastAPI

from app import logging_setup
from app.main import create_app
from app.settings import get_settings


def create() -> FastAPI:
    settings = get_settings()
    logging_setup.configure(settings.log_level)
    return create_app(settings)
