"""The repository cites the law and its own docs/, never a file that lives outside it.

Team notes kept beside the repository are not shipped: a reference to them in code, data, the
OpenAPI document or an API string is a dead link for every reader of the product.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("app", "migrations", "tests", "bench", "openapi", "docs", "scripts")
SUFFIXES = {".py", ".toml", ".json", ".md", ".txt", ".cfg", ".ini", ".sh"}
# Built from pieces so that this file does not match itself.
OUTSIDE = re.compile(
    "|".join(
        [
            r"\b" + "DOMAIN" + r"\.md",
            r"\b" + "DESIGN" + r"\.md",
            r"\b" + "EXAMPLES" + r"\.md",
            r"\.\./" + "shared",
            "/" + "work/",
        ]
    )
)
ANCHOR = re.compile(r"docs/legal-basis\.md#([a-z0-9-]+)")


def _files() -> list[Path]:
    found = [ROOT / name for name in ("README.md", "Makefile", "Dockerfile", "alembic.ini")]
    for top in SCANNED:
        found += [p for p in (ROOT / top).rglob("*") if p.is_file() and p.suffix in SUFFIXES]
    return [p for p in found if p.exists() and "results" not in p.parts]


def test_no_reference_to_a_file_outside_the_repository() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_every_legal_basis_link_names_an_existing_section() -> None:
    text = (ROOT / "docs" / "legal-basis.md").read_text(encoding="utf-8")
    ids = set(re.findall(r'<a id="([a-z0-9-]+)"></a>', text))
    assert ids, "docs/legal-basis.md has no section ids"
    broken = sorted(
        f"{path.relative_to(ROOT)}#{anchor}"
        for path in _files()
        for anchor in ANCHOR.findall(path.read_text(encoding="utf-8"))
        if anchor not in ids
    )
    assert broken == []


@pytest.mark.parametrize("line", ["see DOMAIN" + ".md §2", "../" + "shared/seeds"])
def test_the_check_catches_an_outside_reference(line: str) -> None:
    assert OUTSIDE.search(line)
