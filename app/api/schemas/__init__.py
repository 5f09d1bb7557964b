"""Request and response bodies. `fast_json` skips FastAPI's second validation of a response
model that the route built itself: the hot compute routes answer with it."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.responses import Response


class JSONBody(Response):
    media_type = "application/json"


def fast_json(model: BaseModel, status_code: int = 200) -> Response:
    return JSONBody(model.model_dump_json(), status_code=status_code)
