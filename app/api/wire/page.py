"""The one list shape: `{items, next_cursor}`. A feature's page is `class XPage(Page[X])` (so
its OpenAPI component keeps a plain name) and may add fields of its own (`as_of`)."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Opaque: pass it as `cursor` for the next page; null on the last page."
    )
