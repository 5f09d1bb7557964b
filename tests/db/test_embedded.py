"""The embedded PostgreSQL refuses a data folder made by another major version, and says why."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.db.embedded import POSTGRES_MAJOR, DataFolderTooOld, check_data_folder
from tests.cli import Cli


def _old_data_dir(tmp_path: Path) -> Path:
    """A data folder as the previous release left it: PostgreSQL 16 wrote PG_VERSION = 16."""
    pgdata = tmp_path / "pg"
    (pgdata / "base").mkdir(parents=True)
    (pgdata / "PG_VERSION").write_text("16\n")
    (pgdata / "base" / "marker").write_text("old data")
    return pgdata


def test_a_folder_of_the_embedded_major_or_none_at_all_is_accepted(tmp_path: Path) -> None:
    check_data_folder(tmp_path / "missing")
    (tmp_path / "PG_VERSION").write_text(f"{POSTGRES_MAJOR}\n")
    check_data_folder(tmp_path)


def test_an_old_major_is_refused_with_what_to_do(tmp_path: Path) -> None:
    pgdata = _old_data_dir(tmp_path)
    with pytest.raises(DataFolderTooOld) as refused:
        check_data_folder(pgdata)
    message = str(refused.value)
    assert "PostgreSQL 16" in message and f"PostgreSQL {POSTGRES_MAJOR}" in message
    assert f"mv {pgdata} {pgdata}-16" in message


def test_the_command_line_refuses_an_old_folder_in_one_line_and_leaves_it_alone(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    pgdata = _old_data_dir(tmp_path)
    before = sorted(p.relative_to(pgdata) for p in pgdata.rglob("*"))
    monkeypatch.chdir(tmp_path)  # no .env file from the working tree
    done = cli("migrate", env={"DATA_DIR": str(tmp_path)}, unset=("DATABASE_URL",))
    assert done.returncode == 2
    assert "PostgreSQL 16" in done.stderr and "Traceback" not in done.stderr
    assert sorted(p.relative_to(pgdata) for p in pgdata.rglob("*")) == before
    assert (pgdata / "base" / "marker").read_text() == "old data"
    assert not (pgdata / "postmaster.pid").exists()
