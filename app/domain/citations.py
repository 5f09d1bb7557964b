"""Where a legal value comes from, and how sure we are of it (docs/legal-basis.md#confidence)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    """How sure the service is of a legal value (docs/legal-basis.md#confidence): V read in the
    primary legal text; S secondary sources only; ? not found, or a reading this service chose
    where the text is unclear."""

    VERIFIED = "V"  # read in the primary legal text
    SECONDARY = "S"  # secondary sources only
    UNCERTAIN = "?"  # not found, or a reading this service chose where the text is unclear


CONFIDENCE_MEANINGS = {
    Confidence.VERIFIED: "read in the primary legal text",
    Confidence.SECONDARY: "secondary sources only: press, official Q&A pages, other projects' data",
    Confidence.UNCERTAIN: "not found, or a reading this service chose where the text is unclear",
}


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a legal value comes from (a document and, when known, where in it) and how sure
    we are of it: the one citation of rules, reporting duties, dossier rules and traces."""

    document: str
    article: str | None = None
    confidence: Confidence = Confidence.UNCERTAIN

    def __str__(self) -> str:
        # Text for people names the document and article; the confidence travels as its own
        # field (docs/legal-basis.md#confidence), never as a bracketed code inside the text.
        return f"{self.document}, {self.article}" if self.article else self.document


_MARKS = {f" [{c.value}]": c for c in Confidence}


def split_confidence(source: str) -> tuple[str, Confidence | None]:
    """A source text and the confidence code it ends with, if any.

    Stored calendar adjustments (and those an operator enters) may end with a code such as
    "[S]"; answers carry it as the `confidence` field and the text without it.
    """
    for mark, confidence in _MARKS.items():
        if source.endswith(mark):
            return source[: -len(mark)], confidence
    return source, None


# Where in a document a citation points, in the words Vietnamese legal texts use (article,
# clause, point, section, chapter), after the document's name and a comma.
_PLACES = ("Điều ", "Khoản ", "Điểm ", "Mục ", "Chương ")


def cited(source: str, confidence: Confidence) -> Citation:
    """A citation from one line of text such as "Bộ luật Lao động 2019, Điều 112(1)": from the
    first comma followed by an article (or clause, point, section, chapter) on is the article;
    a text without one is all document ("Công văn 2450/VPCP-KGVX (2024)")."""
    found = [at for at in (source.find(", " + place) for place in _PLACES) if at > 0]
    if not found:
        return Citation(source, None, confidence)
    at = min(found)
    return Citation(source[:at], source[at + 2 :], confidence)
