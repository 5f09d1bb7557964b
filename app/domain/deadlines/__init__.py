"""Statutory deadline rules: the rule and profile values, the counting engine, batches.

Counting follows the Civil Code 2015 Arts. 147–148 (docs/legal-basis.md#counting). Legal values
live in the
catalog data (app/data/rules/), never here.
"""

from app.domain.citations import Citation, Confidence
from app.domain.deadlines.batch import (
    BatchDueDates,
    BatchError,
    due_dates_many,
    rule_due_dates_many,
)
from app.domain.deadlines.catalog import Catalog
from app.domain.deadlines.chain import Schedule, schedule
from app.domain.deadlines.engine import compute_ad_hoc, compute_rule
from app.domain.deadlines.errors import (
    AnchorRequired,
    InvalidPeriod,
    NotComputedHere,
    RuleNotInForce,
)
from app.domain.deadlines.model import (
    ANCHORED_SHAPES,
    DECISION_ANCHORS,
    AnchorEvent,
    Bound,
    Direction,
    DutyTrigger,
    Frequency,
    Recurrence,
    Roll,
    Scope,
    Shape,
    Unit,
)
from app.domain.deadlines.period import Period, PeriodKind, add_months
from app.domain.deadlines.result import Deadline, Flag, Instalment, StepKind, TraceStep
from app.domain.deadlines.rule import Profile, Rule, SourcePlan, default_roll
from app.domain.levels import Level

__all__ = [
    "ANCHORED_SHAPES",
    "DECISION_ANCHORS",
    "AnchorEvent",
    "AnchorRequired",
    "BatchDueDates",
    "BatchError",
    "Bound",
    "Catalog",
    "Citation",
    "Confidence",
    "Deadline",
    "Direction",
    "DutyTrigger",
    "Flag",
    "Frequency",
    "Instalment",
    "InvalidPeriod",
    "Level",
    "NotComputedHere",
    "Period",
    "PeriodKind",
    "Profile",
    "Recurrence",
    "Roll",
    "Rule",
    "RuleNotInForce",
    "Schedule",
    "Scope",
    "Shape",
    "SourcePlan",
    "StepKind",
    "TraceStep",
    "Unit",
    "add_months",
    "compute_ad_hoc",
    "compute_rule",
    "default_roll",
    "due_dates_many",
    "rule_due_dates_many",
    "schedule",
]
