"""`python -m app profile draft PLAN.txt --code … --year …`: a plan's text read into a draft
profile, printed as the TOML of the catalog files, each rule preceded by how its row was read;
rows not understood are listed at the top. Reads no database."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from app.data.profile_toml import profile_toml
from app.domain.deadlines import Level
from app.domain.errors import DomainError
from app.domain.plans.profile import PlanHeader, RowReport
from app.services.profile_drafts import read_plan

MAX_PLAN_BYTES = 1_000_000  # as the API's limit on a pasted text (app/api/rules/drafts_schemas.py)


def add_to(sub: Any) -> None:
    """The `profile` command and its `draft` action, on the CLI's subparsers."""
    actions = sub.add_parser("profile", help="jurisdiction profiles").add_subparsers(
        dest="action", required=True
    )
    draft = actions.add_parser("draft", help="read a plan's text into a draft profile (TOML)")
    draft.add_argument("plan", type=Path, help="the plan's text (UTF-8), '-' for stdin")
    draft.add_argument("--code", required=True, help="the profile's code, e.g. quang-nam-2025")
    draft.add_argument("--year", required=True, type=int, help="the plan's year")
    draft.add_argument("--issuer", default="(cơ quan ban hành)", help="e.g. 'UBND tỉnh X'")
    draft.add_argument("--level", default="province", choices=[v.value for v in Level])
    draft.add_argument("--document", help="the plan's number, e.g. 35/QĐ-UBND")
    draft.add_argument("--signed", type=dt.date.fromisoformat, help="signing day, YYYY-MM-DD")


def _comment(row: RowReport) -> list[str]:
    said = f"line {row.line}, row {row.number}: {row.reading.value}"
    return [said, *(f"  {note}" for note in row.interpretations)] + (
        [f"  needs an anchor: {', '.join(row.needs_anchor)}"] if row.needs_anchor else []
    )


def draft(args: argparse.Namespace) -> int:
    source = sys.stdin.buffer if str(args.plan) == "-" else None
    try:
        data = source.read(MAX_PLAN_BYTES + 1) if source else args.plan.read_bytes()
    except OSError as error:
        print(f"cannot read {args.plan}: {error.strerror}", file=sys.stderr)
        return 2
    if len(data) > MAX_PLAN_BYTES:
        print(f"{args.plan}: larger than {MAX_PLAN_BYTES:,} bytes: not a plan", file=sys.stderr)
        return 2
    header = PlanHeader(
        code=args.code,
        issuer=args.issuer,
        level=Level(args.level),
        year=args.year,
        document=args.document,
        signed=args.signed,
    )
    try:
        plan = read_plan(data.decode("utf-8", errors="replace"), header)
    except DomainError as error:
        print(f"{args.plan}: {error.detail}", file=sys.stderr)
        return 1
    s = plan.summary
    top = [
        f"Draft profile read from {args.plan}: {s.rows} rows, {s.parsed} parsed, "
        f"{s.interpreted} interpreted, {s.not_understood} not understood; {s.rules} rules.",
        "Review every rule marked interpreted (confidence '?'), name the anchors it could",
        "not map, translate title_en, then ship the file or POST it to /v1/profiles.",
        *(
            f"not understood, line {r.line}, row {r.number}: {r.unread!r}"
            for r in plan.rows
            if r.reading.value == "not_understood"
        ),
    ]
    comments: dict[str, list[str]] = {"": top}
    for row in plan.rows:
        for code in row.rules:
            comments[code] = _comment(row)
    sys.stdout.write(profile_toml({**plan.document, "version": 1}, comments))
    return 0
