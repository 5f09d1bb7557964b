"""The one citation shape: where a legal value comes from and how sure the service is of it
(docs/legal-basis.md#confidence). Rules, compute answers, obligations, reporting duties,
dossier traces and traces of due dates all cite with it."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from pydantic import Field
from typing_extensions import TypedDict

from app.domain.citations import CONFIDENCE_MEANINGS, Confidence
from app.domain.citations import Citation as Cited

CONFIDENCE_DESCRIPTION = (
    "How sure the service is of the value (docs/legal-basis.md#confidence): "
    + ("; ".join(f"{c.value}: {meaning}" for c, meaning in CONFIDENCE_MEANINGS.items()))
)


class Citation(TypedDict):
    """A legal source: the document, where in it, and how sure the service is of it."""

    document: Annotated[
        str,
        Field(
            description="The legal document or plan.",
            examples=["Nghị định 63/2010/NĐ-CP ngày 08/6/2010 về kiểm soát thủ tục hành chính"],
        ),
    ]
    article: Annotated[
        str | None,
        Field(
            description="Where in it (article, clause, section), when known.", examples=["Điều 15"]
        ),
    ]
    confidence: Annotated[Confidence, Field(description=CONFIDENCE_DESCRIPTION)]


@lru_cache(maxsize=4096)
def citation(cited: Cited) -> Citation:
    """A domain citation as its wire value (shared between answers, never mutated)."""
    return {"document": cited.document, "article": cited.article, "confidence": cited.confidence}


def stored_citation(kept: dict[str, Any]) -> Citation:
    """A citation as the service keeps it in JSON (an obligation's trace and its steps)."""
    return {
        "document": kept["document"],
        "article": kept.get("article"),
        "confidence": Confidence(kept["confidence"]),
    }
