"""A problem type described."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ProblemTypeOut(BaseModel):
    type: str = Field(description="The problem type URI (this page's address).")
    title: str
    status: int = Field(description="The HTTP status it comes with.")
    description: str
