"""Vietnamese text as people type and paste it, made comparable.

The same word reaches us in several spellings: composed (NFC) or decomposed (NFD) Unicode, and
the tone mark of "oa", "oe", "uy" placed on either vowel ("hoà"/"hòa", "thuỷ"/"thủy", both in
use since the 1980s spelling reform left the choice open). Phrases pasted from a PDF are broken
over lines. `fold` maps all of these to one form for matching; the verbatim text is kept
elsewhere for display.
"""

from __future__ import annotations

import re
import unicodedata

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# A tone mark on the first vowel of "oa", "oe", "uy" moves to the second ("hòa" → "hoà"), the
# placement NFC text of the reformed spelling uses; the vowel pair then reads the same either way.
_PAIR = re.compile(rf"([oO])([{_TONES}])([aAeE])|([uU])([{_TONES}])([yY])")
_SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower case, NFC, one tone placement, one space between words, no outer spaces."""
    decomposed = unicodedata.normalize("NFD", text)
    moved = _PAIR.sub(_move_tone, decomposed)
    return _SPACE.sub(" ", unicodedata.normalize("NFC", moved)).strip().lower()


def _move_tone(match: re.Match[str]) -> str:
    first, tone, second = (g for g in match.groups() if g is not None)
    return first + second + tone


def one_line(text: str) -> str:
    """A phrase broken over lines (as pasted from a PDF) on one line, spaces collapsed."""
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text)).strip()
