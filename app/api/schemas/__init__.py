"""Request and response bodies. Hot routes build their JSON themselves and answer with
`JSONBody`, skipping FastAPI's second validation of a response model."""

from __future__ import annotations

from starlette.responses import Response


class JSONBody(Response):
    media_type = "application/json"
