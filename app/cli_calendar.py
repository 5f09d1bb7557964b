"""`python -m app calendar import NOTICE.toml [--dry-run]` and `python -m app calendar show
YEAR`: the calendar notices service (app/services/calendar_notices.py) from the command line,
the same code as POST /v1/calendar/notices."""

from __future__ import annotations

import argparse
import calendar as months
import datetime as dt
import sys
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from app.data.notices import CalendarNotice
from app.db import migrate
from app.db.engine import make_sessionmaker
from app.domain.calendar import CalendarSnapshot, DayKind
from app.domain.errors import DomainError, InvalidEntries
from app.runtime.calendar_state import CalendarState
from app.runtime.catalog_state import CatalogState
from app.services.calendar_notices import CalendarContext, NoticeChange, import_notice
from app.settings import get_settings

CLI_ACTOR = "cli"


def add_to(sub: Any) -> None:
    actions = sub.add_parser("calendar", help="the working-day calendar").add_subparsers(
        dest="action", required=True
    )
    imported = actions.add_parser("import", help="import a notice (TOML) as one change")
    imported.add_argument("notice", type=Path, help="the notice, e.g. examples/notice-2027.toml")
    imported.add_argument("--dry-run", action="store_true", help="preview; write nothing")
    show = actions.add_parser("show", help="a year as month grids")
    show.add_argument("year", type=int)


class NotReady(Exception):
    """The database is not at the service's schema: nothing to read or change yet."""


async def _ready(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        found = await migrate.current_revision(conn)
    head = migrate.head_revision()
    if found != head:
        raise NotReady(
            f"the database is at schema {found or 'none'}, not {head}: start the service "
            "once (it migrates and seeds), or run `python -m app migrate` then "
            "`python -m app seed`"
        )


def render_change(change: NoticeChange) -> str:
    n = change.notice
    lines = [
        f"{change.action} {n.number} v{change.version} ({n.status}, decides "
        f"{', '.join(map(str, n.decides_years))}): {change.outcome}",
        f"calendar revision {change.from_revision} -> {change.calendar_revision}",
    ]
    lines += [
        f"  day  {d.date:%a %d/%m/%Y}  {d.from_kind.value} -> {d.to_kind.value}"
        f"  ({d.entry or 'withdrawn'})"
        for d in change.days
    ] or ["  no day changes kind"]
    lines += [
        f"  year {y.year}  {'provisional' if y.from_provisional else 'decided'} -> "
        f"{'provisional' if y.to_provisional else 'decided'}"
        for y in change.years
    ]
    lines += [
        f"  {m.kind} {m.id} ({m.label})  due {m.from_due} -> {m.to_due}  [{m.reason}]"
        for m in change.moves
    ] or ["  no open obligation or dossier moves"]
    return "\n".join(lines)


_MARKS = {
    DayKind.HOLIDAY: "*",
    DayKind.COMPENSATORY: "+",
    DayKind.SWAP_OFF: "~",
    DayKind.SWAP_WORKING: "w",
}


def render_year(calendar: CalendarSnapshot, year: int) -> str:
    """Month grids; a mark after each day: * holiday, + compensatory, ~ swapped day off,
    w make-up working day; the title says when the year is provisional."""
    provisional = year in calendar.provisional_years
    out = [f"{year}{' (provisional: not decided yet)' if provisional else ''}"]
    out.append("marks: * holiday  + compensatory  ~ swapped day off  w make-up working day")
    for month in range(1, 13):
        out += ["", f"{months.month_name[month]} {year}", " Mo  Tu  We  Th  Fr  Sa  Su"]
        for week in months.Calendar().monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append("    ")
                    continue
                mark = _MARKS.get(calendar.day(day).kind, " ")
                cells.append(f"{day.day:>3}{mark}")
            out.append("".join(cells).rstrip())
    notable = calendar.notable_days(dt.date(year, 1, 1), dt.date(year, 12, 31))
    out += [""] + [f"{d.date:%d/%m} {_MARKS[d.kind]} {d.name_vi} — {d.source}" for d in notable]
    return "\n".join(out)


def import_cmd(args: argparse.Namespace, run: Any) -> int:
    try:
        data = tomllib.loads(args.notice.read_text(encoding="utf-8"))
        notice = CalendarNotice.model_validate(data)
    except (OSError, tomllib.TOMLDecodeError, ValidationError) as error:
        print(f"{args.notice}: {error}", file=sys.stderr)
        return 2

    async def job(engine: AsyncEngine) -> NoticeChange:
        await _ready(engine)
        sessionmaker = make_sessionmaker(engine)
        catalog = CatalogState(sessionmaker)
        await catalog.refresh()
        context = CalendarContext(
            get_settings().culture_day_compensatory, catalog.catalog, catalog.revision
        )
        async with sessionmaker() as session:
            return await import_notice(
                session, context, notice, actor=CLI_ACTOR, dry_run=args.dry_run
            )

    try:
        change = run(job)
    except NotReady as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except InvalidEntries as error:
        for entry, message in error.problems:
            print(f"{args.notice}: {entry}: {message}", file=sys.stderr)
        return 1
    except DomainError as error:
        print(f"{args.notice}: {error.detail}", file=sys.stderr)
        return 1
    print(render_change(change))
    return 0


def show_cmd(args: argparse.Namespace, run: Any) -> int:
    async def job(engine: AsyncEngine) -> CalendarSnapshot:
        await _ready(engine)
        state = CalendarState(
            make_sessionmaker(engine),
            culture_day_compensatory=get_settings().culture_day_compensatory,
        )
        return await state.refresh()

    try:
        calendar = run(job)
    except NotReady as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not calendar.first.year <= args.year <= calendar.last.year:
        print(
            f"{args.year} is outside the supported years "
            f"{calendar.first.year}..{calendar.last.year}",
            file=sys.stderr,
        )
        return 2
    print(render_year(calendar, args.year))
    return 0
