"""Every word a template asks for exists in Vietnamese and English."""

from __future__ import annotations

import re
from pathlib import Path

from app.console import board as board_page
from app.console.i18n import WORDS
from app.console.timeline import SPANS
from app.db.models.decisions import CHANGE_REASONS
from app.domain.calendar.explain import CalendarStepKind
from app.domain.calendar.model import AdjustmentStatus, DayKind
from app.domain.citations import Confidence
from app.domain.deadlines.model import AnchorEvent
from app.domain.deadlines.result import StepKind
from app.domain.dossiers.events import EventKind
from app.domain.dossiers.state import ClockState, DossierStatus
from app.domain.dossiers.trace import STEP_KINDS
from app.domain.levels import LEGACY_LEVELS, Level
from app.domain.obligations.status import ObligationStatus
from app.domain.plans.draft import Reading
from app.domain.reporting.model import ReportStepKind

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


def test_every_value_a_template_names_by_family_is_translated() -> None:
    """Templates build keys from values (`t("level." ~ lv)`): each family's every value has
    its words, else the page shows the bare key (the board once listed `level.commune`)."""
    families: dict[str, set[str]] = {
        "level": {lv.value for lv in Level} | set(LEGACY_LEVELS),
        "st": set(board_page.STATUSES)
        | {s.value for s in ObligationStatus}
        | {s.value for s in DossierStatus},
        "kind": {k.value for k in DayKind} | {"obligation", "dossier"},
        "conf": {c.value for c in Confidence},
        "reading": {r.value for r in Reading},
        "clock": {c.value for c in ClockState},
        "ev": {e.value for e in EventKind} | {"due", "now", "reappointed_due"},
        "span": {name for _, name in SPANS.values()},
        "adj": {s.value for s in AdjustmentStatus},
        "notice": {"preview", "applied", "unchanged", "withdrawn"},
        "reason": set(CHANGE_REASONS),
        # trace steps, named on Vietnamese pages by app/console/steps.py: every family's kinds
        "step": {k.value for k in StepKind},
        "dstep": set(STEP_KINDS),
        "cstep": {k.value for k in CalendarStepKind},
        "rstep": {k.value for k in ReportStepKind},
        "anchor": {a.value for a in AnchorEvent},
        "left": {"days", "today", "late", "none", "late_hours", "overdue_today", "overdue_since"},
    }
    missing = sorted(
        f"{family}.{value}"
        for family, values in families.items()
        for value in values
        if f"{family}.{value}" not in WORDS
    )
    assert missing == []
    used = {
        family
        for template in TEMPLATES.glob("*.html")
        for family in re.findall(r"""\bt\(\s*["']([a-z_]+)\.["']\s*~""", template.read_text())
    }
    assert used <= families.keys(), f"a template builds keys of a family not checked here: {used}"
