"""Due dates for the deadline endpoints: one question with its full trace, or a batch.

A question is either a catalog rule (`rule`, optional `profile`) or an ad-hoc period (`amount`,
`unit`, optional `roll` and `direction`), both from an `anchor` date. A batch is grouped so that
each group of periods is one vectorised call (app/domain/deadlines/batch.py): ad-hoc items by
(unit, direction, roll), rule items by (rule, profile). Rules of other shapes are computed once
per distinct anchor. An item the vectorised pass refuses is asked again through the scalar
engine, so its error is exactly the one a single request would get.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import (
    ANCHORED_SHAPES,
    BatchDueDates,
    Catalog,
    Deadline,
    Direction,
    Flag,
    Profile,
    Roll,
    Rule,
    Shape,
    Unit,
    compute_ad_hoc,
    compute_rule,
    due_dates_many,
    rule_due_dates_many,
)
from app.domain.errors import DomainError

IntArray = npt.NDArray[np.int64]

# Per-item flag codes of the vectorised pass (the serialiser turns them into Flag values).
NO_FLAG, ROLLED, DUE_ON_DAY_OFF = 0, 1, 2

_AD_HOC_FIELDS = ("amount", "unit", "roll", "direction")

ANCHOR_NOT_USED = "The anchor given is not used: this rule names its own dates."


@dataclass(frozen=True, slots=True)
class Question:
    """One compute request, its form checked: a rule, or an ad-hoc period."""

    anchor: dt.date | None
    rule: str | None = None
    profile: str | None = None
    amount: int | None = None
    unit: Unit | None = None
    roll: Roll | None = None
    direction: Direction = Direction.FORWARD


def question(item: Mapping[str, Any]) -> Question:
    """The question a validated request item asks; DomainError naming the field when its form
    is wrong (both forms, neither, a piece of one missing)."""
    rule = item.get("rule")
    if rule is not None:
        for name in _AD_HOC_FIELDS:
            if item.get(name) is not None:
                raise DomainError(
                    f"give either a rule or an ad-hoc period (amount, unit), not both: "
                    f"'{name}' goes with an ad-hoc period",
                    field=name,
                )
        return Question(anchor=item.get("anchor"), rule=rule, profile=item.get("profile"))
    if item.get("profile") is not None:
        raise DomainError("'profile' goes with a rule; give 'rule' too", field="profile")
    amount, unit = item.get("amount"), item.get("unit")
    if amount is None and unit is None:
        raise DomainError(
            "give a rule (rule, anchor) or an ad-hoc period (anchor, amount, unit)", field="rule"
        )
    if amount is None:
        raise DomainError("an ad-hoc period needs 'amount' with its unit", field="amount")
    if unit is None:
        raise DomainError(
            "an ad-hoc period needs 'unit': calendar_days, working_days, weeks or months",
            field="unit",
        )
    anchor = item.get("anchor")
    if anchor is None:
        raise DomainError("an ad-hoc period needs 'anchor', the day it counts from", field="anchor")
    return Question(
        anchor=anchor,
        amount=amount,
        unit=unit,
        roll=item.get("roll"),
        direction=item.get("direction") or Direction.FORWARD,
    )


@dataclass(frozen=True, slots=True)
class Answer:
    """A computed deadline and, for a rule, the rule and the profile it was read in."""

    deadline: Deadline
    rule: Rule | None = None
    profile: Profile | None = None
    notes: tuple[str, ...] = ()  # notes of this answer on top of the deadline's own


class RecurringRule(DomainError):
    """A recurring rule: dated per period by the reporting endpoints, not from one anchor."""

    code = "rule-not-computed-here"

    def __init__(self, detail: str, *, profile: str, field: str = "rule") -> None:
        super().__init__(detail, field=field)
        self.see = f"/v1/reporting/next?profile={profile}"


def resolve(catalog: Catalog, code: str, profile: str | None) -> tuple[Rule, Profile]:
    """The rule as `profile` sees it (by default the profile its code is prefixed with, else
    national). Unknown rule or profile: NotFound (404)."""
    if profile is None:
        prefix = code.split(".", 1)[0]
        profile = prefix if prefix in catalog.profiles else "national"
    found = catalog.profile(profile)
    return catalog.rule(code, profile), found


def answer(catalog: Catalog, calendar: CalendarSnapshot, q: Question) -> Answer:
    """Compute one question with its trace. Raises the domain's errors (each a DomainError)."""
    if q.rule is None:
        assert q.anchor is not None and q.amount is not None and q.unit is not None
        return Answer(
            compute_ad_hoc(calendar, q.anchor, q.amount, q.unit, direction=q.direction, roll=q.roll)
        )
    rule, profile = resolve(catalog, q.rule, q.profile)
    if rule.shape is Shape.RECURRING:
        raise RecurringRule(
            f"rule {rule.code} recurs each period ({rule.recurrence}): its due dates are "
            f"computed per reporting period; ask GET /v1/reporting/next?profile={profile.code} "
            f"or /v1/reporting/schedule?profile={profile.code}&year=…",
            profile=profile.code,
        )
    deadline = compute_rule(rule, calendar, q.anchor)
    extra = (ANCHOR_NOT_USED,) if q.anchor is not None and rule.shape not in ANCHORED_SHAPES else ()
    return Answer(deadline, rule, profile, extra)


# -- batches ----------------------------------------------------------------------------------

# Items as given to compute_batch; the helpers only read the positions of their group, never a
# refused (None) one.
_Items = Sequence[Any]


@dataclass(slots=True)
class BatchOutcome:
    """What a batch computed, item by item, in the order given.

    Vectorised items (`vectorised[i]`): `due` (an ordinal), `provisional`, `flag` (NO_FLAG,
    ROLLED, DUE_ON_DAY_OFF). Other items: an Answer in `answers` (rules of other shapes, or
    every item when traces are asked for) or a DomainError in `errors`. `rules`: each (rule,
    profile) the batch used, once.
    """

    size: int
    due: IntArray
    provisional: npt.NDArray[np.bool_]
    flag: npt.NDArray[np.int8]
    vectorised: npt.NDArray[np.bool_]
    answers: dict[int, Answer] = field(default_factory=dict)
    errors: dict[int, DomainError] = field(default_factory=dict)
    rules: dict[tuple[str, str], tuple[Rule, Profile]] = field(default_factory=dict)


_FLAGS: dict[int, list[Flag]] = {
    NO_FLAG: [],
    ROLLED: [Flag.ROLLED],
    DUE_ON_DAY_OFF: [Flag.DUE_ON_DAY_OFF],
}


def flags_of(flag: int) -> list[Flag]:
    """The flags of a vectorised item's flag code."""
    return list(_FLAGS[flag])


def batch_due(outcome: BatchOutcome, index: int) -> tuple[dt.date, bool, list[Flag]]:
    """A vectorised item's due date, provisional mark and flags."""
    return (
        dt.date.fromordinal(int(outcome.due[index])),
        bool(outcome.provisional[index]),
        flags_of(int(outcome.flag[index])),
    )


def compute_batch(
    catalog: Catalog,
    calendar: CalendarSnapshot,
    items: Sequence[Mapping[str, Any] | None],
    *,
    with_trace: bool = False,
) -> BatchOutcome:
    """Every item of a batch; one bad item gets its own error and never fails the others.
    None stands for an item the caller already refused (it is left out)."""
    n = len(items)
    out = BatchOutcome(
        size=n,
        due=np.full(n, -1, dtype=np.int64),
        provisional=np.zeros(n, dtype=bool),
        flag=np.zeros(n, dtype=np.int8),
        vectorised=np.zeros(n, dtype=bool),
    )
    if with_trace:
        for i, item in enumerate(items):
            if item is not None:
                _one(out, catalog, calendar, i, item)
        return out
    # Group by what a vectorised call shares; the anchor and amount vary within a group.
    groups: dict[tuple[Any, ...], list[int]] = {}
    for i, item in enumerate(items):
        if item is None:
            continue
        key = (
            item.get("rule"),
            item.get("profile"),
            item.get("unit"),
            item.get("direction"),
            item.get("roll"),
        )
        members = groups.get(key)
        if members is None:
            groups[key] = [i]
        else:
            members.append(i)
    for (rule_code, profile, unit, direction, roll), members in groups.items():
        if rule_code is None:
            _ad_hoc_group(out, catalog, calendar, items, members, unit, direction, roll)
        elif unit is None and direction is None and roll is None:
            _rule_group(out, catalog, calendar, items, members, rule_code, profile)
        else:  # both forms at once: each item gets the error a single request would
            for i in members:
                _one(out, catalog, calendar, i, items[i])
    return out


def _one(
    out: BatchOutcome,
    catalog: Catalog,
    calendar: CalendarSnapshot,
    i: int,
    item: Any,
) -> None:
    """The scalar path for one item: its answer, or its error."""
    try:
        found = answer(catalog, calendar, question(item))
    except DomainError as error:
        out.errors[i] = error
        return
    out.answers[i] = found
    if found.rule is not None and found.profile is not None:
        out.rules.setdefault((found.profile.code, found.rule.code), (found.rule, found.profile))


def _ad_hoc_group(
    out: BatchOutcome,
    catalog: Catalog,
    calendar: CalendarSnapshot,
    items: _Items,
    members: list[int],
    unit: Unit | None,
    direction: Direction | None,
    roll: Roll | None,
) -> None:
    ok = [
        i
        for i in members
        if unit is not None
        and items[i].get("anchor") is not None
        and items[i].get("amount") is not None
        and items[i].get("profile") is None
    ]
    if len(ok) < len(members):
        chosen = set(ok)
        for i in members:
            if i not in chosen:
                _one(out, catalog, calendar, i, items[i])
    if not ok or unit is None:
        return
    idx = np.asarray(ok, dtype=np.int64)
    anchors = np.fromiter(
        (items[i]["anchor"].toordinal() for i in ok), dtype=np.int64, count=len(ok)
    )
    amounts = np.fromiter((items[i]["amount"] for i in ok), dtype=np.int64, count=len(ok))
    used = direction or Direction.FORWARD
    result = due_dates_many(anchors, amounts, unit, calendar, direction=used, roll=roll)
    _store(out, calendar, idx, result, roll_none=(roll or _default(used)) is Roll.NONE)
    _retry_refused(out, catalog, calendar, items, idx, result)


def _default(direction: Direction) -> Roll:
    return Roll.FOLLOWING if direction is Direction.FORWARD else Roll.NONE


def _rule_group(
    out: BatchOutcome,
    catalog: Catalog,
    calendar: CalendarSnapshot,
    items: _Items,
    members: list[int],
    code: str,
    profile: str | None,
) -> None:
    try:
        rule, found = resolve(catalog, code, profile)
    except DomainError as error:
        for i in members:
            out.errors[i] = error
        return
    if rule.shape is not Shape.PERIOD:
        _rule_by_anchor(out, catalog, calendar, items, members)
        return
    out.rules.setdefault((found.code, rule.code), (rule, found))
    ok = [
        i for i in members if items[i].get("anchor") is not None and items[i].get("amount") is None
    ]
    if len(ok) < len(members):
        chosen = set(ok)
        for i in members:
            if i not in chosen:
                _one(out, catalog, calendar, i, items[i])
    if not ok:
        return
    idx = np.asarray(ok, dtype=np.int64)
    anchors = np.fromiter(
        (items[i]["anchor"].toordinal() for i in ok), dtype=np.int64, count=len(ok)
    )
    result = rule_due_dates_many(rule, anchors, calendar)
    _store(out, calendar, idx, result, roll_none=rule.effective_roll is Roll.NONE)
    _retry_refused(out, catalog, calendar, items, idx, result)


def _rule_by_anchor(
    out: BatchOutcome,
    catalog: Catalog,
    calendar: CalendarSnapshot,
    items: _Items,
    members: list[int],
) -> None:
    """Rules of other shapes: computed once per distinct anchor (one computation in all for a
    rule that names its own dates); an error is shared the same way."""
    seen: dict[Any, Answer | DomainError] = {}
    for i in members:
        item = items[i]
        key = (item.get("anchor"), item.get("amount"))
        found = seen.get(key)
        if found is None:
            try:
                found = answer(catalog, calendar, question(item))
            except DomainError as error:
                found = error
            seen[key] = found
        if isinstance(found, DomainError):
            out.errors[i] = found
        else:
            out.answers[i] = found
            if found.rule is not None and found.profile is not None:
                key_rule = (found.profile.code, found.rule.code)
                out.rules.setdefault(key_rule, (found.rule, found.profile))


def _store(
    out: BatchOutcome,
    calendar: CalendarSnapshot,
    idx: IntArray,
    result: BatchDueDates,
    *,
    roll_none: bool,
) -> None:
    good = result.error == 0
    where = idx[good]
    due = result.due[good]
    out.due[where] = due
    out.provisional[where] = result.provisional[good]
    out.vectorised[where] = True
    flags = np.where(result.rolled[good], ROLLED, NO_FLAG).astype(np.int8)
    if roll_none:
        # roll = none keeps a last day off; the answer flags it (docs/legal-basis.md#counting)
        off = ~calendar.np_working[due - calendar.first_ordinal]
        flags[off] = DUE_ON_DAY_OFF
    out.flag[where] = flags


def _retry_refused(
    out: BatchOutcome,
    catalog: Catalog,
    calendar: CalendarSnapshot,
    items: _Items,
    idx: IntArray,
    result: BatchDueDates,
) -> None:
    """Items the vectorised pass refused, through the scalar engine for their exact error."""
    for i in idx[result.error != 0].tolist():
        _one(out, catalog, calendar, i, items[i])
