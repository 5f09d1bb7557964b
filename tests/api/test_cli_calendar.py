"""`python -m app calendar import|show`, run as an operator would, against the test database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.cli import Cli, Done
from tests.conftest import Databases

EXAMPLE = Path(__file__).parents[2] / "examples" / "notice-2027.toml"


def _cli(cli: Cli, database_url: str, *args: str) -> Done:
    return cli("calendar", *args, env={"DATABASE_URL": database_url})


def test_the_2027_example_is_already_in_force(database_url: str, tmp_path: Path, cli: Cli) -> None:
    # the seed recorded Công văn 10065/VPCP-KGVX exactly as examples/notice-2027.toml says
    done = _cli(cli, database_url, "import", str(EXAMPLE), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "10065/VPCP-KGVX v1 (decided, decides 2027): unchanged" in done.stdout
    # a half swap: Sat 9/3/2024 alone, named by its entry
    half = tmp_path / "half.toml"
    half.write_text(
        'number = "9/TB-THUNGHIEM"\nissuer = "x"\ntitle = "x"\nstatus = "proposed"\n'
        "decides_years = [2024]\n[[working_days]]\ndate = 2024-03-09\n"
        'name_vi = "x"\nname_en = "x"\n',
        encoding="utf-8",
    )
    refused = _cli(cli, database_url, "import", str(half))
    assert refused.returncode == 1
    assert "working_days[0].date" in refused.stderr


def test_a_year_as_month_grids(database_url: str, cli: Cli) -> None:
    shown = _cli(cli, database_url, "show", "2026")
    assert shown.returncode == 0, shown.stderr
    # Thông báo 9441/TB-BNV: Fri 2/1/2026 off (~), Sat 10/1/2026 worked (w); 1/1 a holiday (*)
    january = shown.stdout.split("January 2026")[1].split("February")[0]
    assert "  1*  2~" in january and " 10w" in january
    assert "(provisional" not in shown.stdout.splitlines()[0]
    assert "provisional" in _cli(cli, database_url, "show", "2029").stdout.splitlines()[0]
    assert _cli(cli, database_url, "show", "2031").returncode == 2


async def test_a_database_not_yet_migrated_is_named_not_a_traceback(
    databases: Databases, cli: Cli
) -> None:
    # an empty database (the service never started on it): the commands say what to do
    empty = await databases.create()
    for args in (("import", str(EXAMPLE), "--dry-run"), ("show", "2027")):
        # in a thread: the command runs its own event loop (asyncio.run), as from a shell
        done = await asyncio.to_thread(_cli, cli, empty, *args)
        assert done.returncode == 2, done.stderr
        assert "start the service once" in done.stderr
        assert "Traceback" not in done.stderr
