"""Import and withdraw calendar notices: each one change, previewed before it is applied.

A notice's days off, make-up days and swaps (docs/legal-basis.md#calendar-swaps) are written in
one transaction with the years it decides: the calendar revision moves once, open obligations
and dossiers are re-dated once on the new calendar, and one `calendar.changed` event carries
the notice and the days that changed, followed by the `obligation.rescheduled` and dossier
events the change causes. A preview (`dry_run`) runs exactly the same code and rolls back, so
what it lists is what the change would do.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from app.data.notices import CalendarNotice, entries_of
from app.db.models import CalendarAdjustment
from app.db.models import CalendarNotice as CalendarNoticeRow
from app.db.models import CalendarNotice as NoticeRow
from app.db.repositories import audit, feed
from app.db.repositories import calendar as calendar_repo
from app.db.repositories import dossiers as dossier_repo
from app.db.repositories import notices as notices_repo
from app.db.repositories import notices as repo
from app.domain.calendar import CalendarSnapshot, DayKind, build_snapshot
from app.domain.citations import split_confidence
from app.domain.deadlines import Catalog
from app.domain.errors import DomainError, InvalidEntries, NotFound, OutOfRange
from app.services.dossier_clock import about, iso, rescan
from app.services.obligations import FeedEvent
from app.services.recompute import redate_obligations, snapshot_in_transaction

ENTITY = "calendar_notice"
REASON = "calendar_changed"
_DOSSIER_BATCH = 200


@dataclass(frozen=True)
class CalendarContext:
    """What a calendar change needs besides the database: the calendar setting and the rule
    catalog open obligations are re-dated with (None: no obligation is re-dated)."""

    culture_day_compensatory: bool
    catalog: Catalog | None = None
    catalog_revision: int | None = None


@dataclass(frozen=True)
class DayChange:
    date: dt.date
    entry: str | None  # the notice entry that decides it; None for an entry withdrawn
    from_kind: DayKind
    to_kind: DayKind
    from_working: bool
    to_working: bool
    name_vi: str | None
    name_en: str | None


@dataclass(frozen=True)
class YearChange:
    year: int
    from_provisional: bool
    to_provisional: bool


@dataclass(frozen=True)
class DueDateMove:
    kind: Literal["obligation", "dossier"]
    id: int
    label: str  # the obligation's rule, the dossier's office and code
    from_due: str | None
    to_due: str | None
    reason: str


@dataclass
class NoticeChange:
    action: Literal["import", "withdraw"]
    outcome: Literal["applied", "unchanged", "preview"]
    notice: CalendarNotice
    version: int
    from_revision: int
    calendar_revision: int
    days: list[DayChange] = field(default_factory=list)
    years: list[YearChange] = field(default_factory=list)
    moves: list[DueDateMove] = field(default_factory=list)


def document_of(notice: CalendarNotice) -> dict[str, Any]:
    return notice.model_dump(mode="json")


def content_hash(notice: CalendarNotice) -> str:
    text = json.dumps(document_of(notice), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def row_values(notice: CalendarNotice) -> dict[str, Any]:
    return {
        "number": notice.number,
        "issuer": notice.issuer,
        "signed_on": notice.signed_on,
        "title": notice.title,
        "link": str(notice.link) if notice.link is not None else None,
        "status": notice.status,
        "decides_years": list(notice.decides_years),
        "document": document_of(notice),
        "content_hash": content_hash(notice),
    }


def entry_rows(notice: CalendarNotice, notice_id: int, actor: str) -> list[dict[str, Any]]:
    return [
        {
            "date": e.adjustment.date,
            "kind": e.adjustment.kind.value,
            "name_vi": e.adjustment.name_vi,
            "name_en": e.adjustment.name_en,
            "source": e.adjustment.source,
            "status": e.adjustment.status.value,
            "created_by": actor,
            "notice_id": notice_id,
            "entry": e.entry,
            "swap_with": e.swap_with,
        }
        for e in entries_of(notice)
    ]


def notice_of(row: NoticeRow) -> CalendarNotice:
    return CalendarNotice.model_validate(row.document)


# -- validation -----------------------------------------------------------------------------


def calendar_problems(
    notice: CalendarNotice,
    base: CalendarSnapshot,
    taken: dict[dt.date, CalendarAdjustment],
) -> list[tuple[str, str]]:
    """Each entry checked against the calendar it changes (`base`: the calendar without this
    notice's own entries): the years it decides and its dates in the supported range, each
    date one no other adjustment holds, and changing the day (a day off on a working day, a
    make-up day on a day off)."""
    found: list[tuple[str, str]] = [
        (
            f"decides_years[{i}]",
            f"{year} is outside the supported years {base.first.year}..{base.last.year}: "
            "nothing to decide",
        )
        for i, year in enumerate(notice.decides_years)
        if not base.first.year <= year <= base.last.year
    ]
    for e in entries_of(notice):
        day = e.adjustment.date
        where = f"{e.entry}.date" if "swaps" not in e.entry else e.entry
        try:
            info = base.day(day)
        except OutOfRange as error:
            found.append((where, error.detail))
            continue
        other = taken.get(day)
        if other is not None:
            owner = f"notice entry {other.entry}" if other.entry else "an adjustment of its own"
            found.append(
                (
                    where,
                    f"{day.isoformat()} already has {owner} "
                    f"({split_confidence(other.source)[0]}): withdraw it first",
                )
            )
            continue
        off = e.adjustment.kind.value == "day_off"
        if off and not info.working:
            found.append(
                (
                    where,
                    f"{day.isoformat()} is already a day off ({info.kind.value}): "
                    "nothing to change",
                )
            )
        if not off and info.working:
            found.append((where, f"{day.isoformat()} is already a working day: nothing to change"))
    return found


# -- the change -----------------------------------------------------------------------------


async def import_notice(
    session: AsyncSession,
    context: CalendarContext,
    notice: CalendarNotice,
    *,
    actor: str,
    dry_run: bool,
) -> NoticeChange:
    """Record the notice (a new version if its number is known with other content) and apply
    it; the same notice again changes nothing."""
    revision = await calendar_repo.lock_revision(session)
    problems = notice.problems()
    if problems:
        raise InvalidEntries(f"notice {notice.number}: {problems[0][1]}", problems)
    previous = await repo.current(session, notice.number)
    in_force = previous if previous is not None and previous.withdrawn_at is None else None
    if in_force is not None and in_force.content_hash == content_hash(notice):
        version = in_force.version
        await session.rollback()
        return NoticeChange("import", "unchanged", notice, version, revision, revision)
    before = await snapshot_in_transaction(session, context.culture_day_compensatory)
    own = await repo.entries(session, [in_force.id] if in_force is not None else [])
    base = before
    if own:
        _, adjustments, years = await calendar_repo.load(session)
        own_dates = {a.date for a in own}
        base = await asyncio.to_thread(
            build_snapshot,
            [a for a in adjustments if a.date not in own_dates],
            years,
            revision=revision,
            culture_day_compensatory=context.culture_day_compensatory,
        )
    dates = [e.adjustment.date for e in entries_of(notice)]
    taken = {
        a.date: a
        for a in await repo.on_dates(session, dates)
        if in_force is None or a.notice_id != in_force.id
    }
    problems = calendar_problems(notice, base, taken)
    if problems:
        raise InvalidEntries(f"notice {notice.number}: {problems[0][1]}", problems)

    row = await repo.save_version(session, row_values(notice), actor)
    if in_force is not None and own:  # an empty DELETE would still move the revision
        await repo.remove_entries(session, in_force.id)
    await repo.add_entries(session, entry_rows(notice, row.id, actor))
    if notice.status == "decided":
        for year in notice.decides_years:
            if year in before.provisional_years and before.first.year <= year <= before.last.year:
                await calendar_repo.upsert_year(
                    session, year, False, f"Decided by {notice.citation or notice.number}"
                )
    await audit.record(
        session,
        actor=actor,
        action="create" if previous is None else "update",
        entity=ENTITY,
        entity_id=notice.number,
        detail={"version": row.version, "content_hash": row.content_hash},
    )
    entries = {e.adjustment.date: e.entry for e in entries_of(notice)}
    touched = sorted({*dates, *(a.date for a in own)})
    return await _finish(
        session, context, "import", notice, row.version, before, touched, entries, actor, dry_run
    )


async def withdraw_notice(
    session: AsyncSession,
    context: CalendarContext,
    number: str,
    *,
    actor: str,
    dry_run: bool,
) -> NoticeChange:
    """Reverse the notice's entries (and the decision of its years) in one change; the notice
    is kept, marked withdrawn."""
    await calendar_repo.lock_revision(session)
    row = await repo.current(session, number)
    if row is None or row.withdrawn_at is not None:
        raise NotFound(f"no notice {number} in force", field="number")
    notice = notice_of(row)
    before = await snapshot_in_transaction(session, context.culture_day_compensatory)
    own = await repo.entries(session, [row.id])
    if own:  # a notice without entries changes no day: no statement, no revision
        await repo.remove_entries(session, row.id)
    await repo.mark_withdrawn(session, row, actor)
    if notice.status == "decided":
        still = {
            y
            for other in await repo.listing(session)
            if other.withdrawn_at is None and other.status == "decided"
            for y in other.decides_years
        }
        for year in notice.decides_years:
            if year not in still and year not in before.provisional_years:
                await calendar_repo.upsert_year(
                    session, year, True, f"Not decided: {number} withdrawn"
                )
    await audit.record(
        session,
        actor=actor,
        action="delete",
        entity=ENTITY,
        entity_id=number,
        detail={"version": row.version},
    )
    touched = sorted(a.date for a in own)
    return await _finish(
        session, context, "withdraw", notice, row.version, before, touched, {}, actor, dry_run
    )


async def _finish(
    session: AsyncSession,
    context: CalendarContext,
    action: Literal["import", "withdraw"],
    notice: CalendarNotice,
    version: int,
    before: CalendarSnapshot,
    touched: list[dt.date],
    entries: dict[dt.date, str],
    actor: str,
    dry_run: bool,
) -> NoticeChange:
    """Re-date what the change moves, announce it, then commit it, or roll it back for a
    preview: both from the same transaction, so a preview is exactly the change."""
    # The triggers bump the revision once per statement; the change is one revision.
    await calendar_repo.settle_revision(session, before.revision + 1)
    after = await snapshot_in_transaction(session, context.culture_day_compensatory)
    change = NoticeChange(
        action,
        "preview" if dry_run else "applied",
        notice,
        version,
        before.revision,
        after.revision,
        days=day_changes(before, after, touched, entries),
        years=[
            YearChange(y, y in before.provisional_years, y in after.provisional_years)
            for y in sorted(set(notice.decides_years))
            if (y in before.provisional_years) != (y in after.provisional_years)
        ],
    )
    events: list[FeedEvent] = []
    if after.revision != before.revision:
        if context.catalog is not None:
            events += await redate_obligations(
                session,
                after,
                context.catalog,
                actor,
                catalog_revision=context.catalog_revision,
            )
        events += await _redate_dossiers(session, after, notice.number)
    change.moves = [_move(e) for e in events if e[0] in _MOVES]
    await feed.append(session, [_calendar_changed(change), *events])
    if dry_run:
        await session.rollback()
    else:
        await session.commit()
    return change


def day_changes(
    before: CalendarSnapshot,
    after: CalendarSnapshot,
    touched: list[dt.date],
    entries: dict[dt.date, str],
) -> list[DayChange]:
    changes = []
    for day in touched:
        old, new = before.day(day), after.day(day)
        if (old.kind, old.working, old.name_vi) != (new.kind, new.working, new.name_vi):
            changes.append(
                DayChange(
                    day,
                    entries.get(day),
                    old.kind,
                    new.kind,
                    old.working,
                    new.working,
                    new.name_vi,
                    new.name_en,
                )
            )
    return changes


async def _redate_dossiers(
    session: AsyncSession, calendar: CalendarSnapshot, number: str
) -> list[FeedEvent]:
    """Re-derive every open dossier's clock on the new calendar now (rather than leave it to
    the scanner), so the change says which due dates it moves."""
    now = dt.datetime.now(dt.UTC)
    events: list[FeedEvent] = []
    updates: list[dict[str, Any]] = []
    done: list[int] = []
    while claimed := await dossier_repo.claim_stale(
        session, calendar.revision, _DOSSIER_BATCH, done
    ):
        done.extend(found.dossier.id for found in claimed)
        for found in claimed:
            try:
                outcome = rescan(found, calendar, now)
            except DomainError:
                continue  # left to the scanner, which parks and announces it
            updates.append({"dossier_id": found.dossier.id, **outcome.columns})
            old, new = found.dossier.due_at, outcome.columns["due_at"]
            if old != new:
                events.append(
                    (
                        "dossier.rescheduled",
                        "dossier",
                        str(found.dossier.id),
                        {
                            **about(found.dossier),
                            "old_due_at": iso(old),
                            "new_due_at": iso(new),
                            "reason": REASON,
                            "notice": number,
                            "calendar_revision": calendar.revision,
                        },
                    )
                )
            events.extend(outcome.changes)
    await dossier_repo.update_clocks(session, updates)
    return events


_MOVES = {"obligation.rescheduled", "dossier.rescheduled"}


def _move(event: FeedEvent) -> DueDateMove:
    kind, _, entity_id, payload = event
    if kind == "obligation.rescheduled":
        return DueDateMove(
            "obligation",
            int(entity_id),
            str(payload["rule"]),
            payload["old_due_date"],
            payload["new_due_date"],
            str(payload["reason"]),
        )
    return DueDateMove(
        "dossier",
        int(entity_id),
        f"{payload['office']} {payload['code']}",
        payload["old_due_at"],
        payload["new_due_at"],
        str(payload["reason"]),
    )


def _calendar_changed(change: NoticeChange) -> FeedEvent:
    return calendar_changed(
        change.action,
        ENTITY,
        change.notice.number,
        {
            "number": change.notice.number,
            "version": change.version,
            "issuer": change.notice.issuer,
            "title": change.notice.title,
            "status": change.notice.status,
            "decides_years": change.notice.decides_years,
        },
        change.calendar_revision,
        change.days,
        change.years,
    )


def calendar_changed(
    action: str,
    entity: str,
    entity_id: str,
    notice: dict[str, Any] | None,
    revision: int,
    days: list[DayChange],
    years: list[YearChange],
) -> FeedEvent:
    """The `calendar.changed` event of one change: what did it (a notice imported or
    withdrawn, a single adjustment, a year's status), the revision, the day and year diff."""
    return (
        "calendar.changed",
        entity,
        entity_id,
        {
            "action": action,
            "notice": notice,
            "calendar_revision": revision,
            "days": [
                {
                    "date": d.date.isoformat(),
                    "entry": d.entry,
                    "from": d.from_kind.value,
                    "to": d.to_kind.value,
                    "working": [d.from_working, d.to_working],
                }
                for d in days
            ],
            "years": [
                {"year": y.year, "provisional": [y.from_provisional, y.to_provisional]}
                for y in years
            ],
        },
    )


# -- reads ------------------------------------------------------------------------------------


async def listing(session: AsyncSession, year: int | None) -> list[CalendarNoticeRow]:
    """The notices in force (their latest versions), those deciding `year` when given."""
    return await notices_repo.listing(session, year)


async def versions(session: AsyncSession, number: str) -> list[CalendarNoticeRow]:
    """Every version of a notice, oldest first."""
    return await notices_repo.versions(session, number)


async def current(session: AsyncSession, number: str) -> CalendarNoticeRow | None:
    """A notice's latest version (withdrawn or not)."""
    return await notices_repo.current(session, number)
