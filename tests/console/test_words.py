"""Every word a template asks for exists in Vietnamese and English."""

from __future__ import annotations

import re
from pathlib import Path

from app.console.i18n import WORDS

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "console" / "templates"


def test_every_literal_key_is_translated() -> None:
    asked = {
        key
        for template in TEMPLATES.glob("*.html")
        for key in re.findall(r"""\bt\(\s*["']([a-z_.?]+)["']\s*[,)]""", template.read_text())
    }
    assert asked, "no t('...') found: the pattern is stale"
    assert sorted(asked - WORDS.keys()) == []
    assert all(vi.strip() and en.strip() for vi, en in WORDS.values())
