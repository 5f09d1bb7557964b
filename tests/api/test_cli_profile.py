"""`python -m app profile draft`: a plan's text printed as a draft profile's TOML."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path

from app.data.documents import from_json
from app.data.rules import parse_profile
from app.domain.deadlines import Level
from app.domain.plans.profile import PlanHeader, draft_profile
from tests.cli import Cli

PLANS = Path(__file__).parent.parent / "fixtures" / "plans"


def test_a_plan_prints_as_the_toml_of_its_draft(cli: Cli) -> None:
    plan = PLANS / "nghe-an-2023.txt"
    done = cli(
        "profile",
        "draft",
        str(plan),
        "--code",
        "nghe-an-2023",
        "--year",
        "2023",
        "--signed",
        "2023-02-10",
    )
    assert done.returncode == 0, done.stderr
    printed = tomllib.loads(done.stdout)
    header = PlanHeader(
        "nghe-an-2023", "(cơ quan ban hành)", Level.PROVINCE, 2023, signed=dt.date(2023, 2, 10)
    )
    expected = draft_profile(plan.read_text(encoding="utf-8"), header).document
    # the TOML holds exactly the draft's document, and loads as a profile
    assert printed == from_json({**expected, "version": 1})
    assert len(parse_profile(printed, "printed").rules) == len(expected["rule"])
    assert "# Draft profile read from" in done.stdout
    assert "# line 117, row II.3: interpreted" in done.stdout


def test_bad_files_are_refused_with_a_message(tmp_path: Path, cli: Cli) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    done = cli("profile", "draft", str(empty), "--code", "x-2025", "--year", "2025")
    assert done.returncode == 1 and "empty" in done.stderr
    missing = cli(
        "profile", "draft", str(tmp_path / "none.txt"), "--code", "x-2025", "--year", "2025"
    )
    assert missing.returncode == 2 and "cannot read" in missing.stderr
    binary = tmp_path / "plan.pdf"
    binary.write_bytes(b"%PDF-1.7\x00\x01\x02" * 100)
    done = cli("profile", "draft", str(binary), "--code", "x-2025", "--year", "2025")
    assert done.returncode == 1 and "binary" in done.stderr
