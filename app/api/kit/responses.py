"""The JSON response of routes that encode their answer themselves (through their response
model's `model_dump_json`, or the endpoint helper's TypeAdapter), skipping FastAPI's second
validation of a response model."""

from __future__ import annotations

from starlette.responses import Response


class JSONBody(Response):
    media_type = "application/json"
