"""The rows of a plan, from its text as pasted: a table (tab- or pipe-separated, a row's cells
possibly continued on the next lines, the header repeated at page breaks) or running text with
numbered headings and "Thời gian thực hiện: …" lines.

Each row keeps its task (the "Nội dung" column or the heading), its time phrase, its notes (the
"Ghi chú" column, where some plans put the deadline) and the line it starts on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.domain.plans.text import fold, one_line

_TAG = re.compile(r"<[^>]+>")
_ROW_NUMBER = re.compile(r"^\d{1,3}[.)]?$")
_HEADING = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>\S.*)$")
_TIME_LINE = re.compile(
    r"^(?:[a-zđ]\)\s*)?thời gian(?: thực hiện| hoàn thành)?\s*:\s*", re.IGNORECASE
)
_TIME_HEADER = re.compile(r"^thời gian(?: thực hiện| hoàn thành)?(?: \(.*\))?$")
_TASK_HEADER = re.compile(r"^nội dung")
_NOTES_HEADER = re.compile(r"^ghi chú")


@dataclass(slots=True)
class PlanRow:
    line: int  # 1-based line of the text where the row starts
    number: str  # its number in the plan ("II.3", "3.2")
    task: str
    phrase: str
    notes: str = ""
    parts: dict[str, list[str]] = field(default_factory=dict, repr=False)


@dataclass(frozen=True, slots=True)
class _Columns:
    task: int
    time: int
    notes: int | None


def _cells(line: str) -> list[str] | None:
    if "\t" in line:
        cells = line.split("\t")
    elif line.count("|") >= 2:
        cells = line.strip().removeprefix("|").removesuffix("|").split("|")
    else:
        return None
    return [one_line(_TAG.sub(" ", c)) for c in cells]


def _header(cells: list[str]) -> _Columns | None:
    if _ROW_NUMBER.match(cells[0]):
        return None  # a numbered row, whatever its cells say
    folded = [fold(c) for c in cells]
    time = next((i for i, c in enumerate(folded) if _TIME_HEADER.match(c)), None)
    if time is None:
        return None
    task = next((i for i, c in enumerate(folded) if _TASK_HEADER.match(c)), 1)
    notes = next((i for i, c in enumerate(folded) if _NOTES_HEADER.match(c)), None)
    return _Columns(task, time, notes)


def _cell(cells: list[str], index: int | None) -> str:
    return cells[index] if index is not None and index < len(cells) else ""


def plan_rows(text: str) -> list[PlanRow]:
    """Every row of the plan that has a task, in the order of the text."""
    rows: list[PlanRow] = []
    columns: _Columns | None = None
    current: PlanRow | None = None
    section = ""
    heading = ("", "")
    for index, raw in enumerate(text.splitlines(), start=1):
        cells = _cells(raw)
        if cells is None:
            line = one_line(raw)
            if not line:
                continue
            if match := _TIME_LINE.match(line):
                number, title = heading
                rows.append(PlanRow(index, number, title, line[match.end() :]))
            elif match := _HEADING.match(line):
                heading = (match["number"], match["title"])
            continue
        header = _header(cells)
        if header is not None:
            columns = header  # a header repeated at a page break keeps the row open
            continue
        first = cells[0]
        if fold(first) in ("stt", "tt"):
            columns = None  # a table with no time column (an appendix of results, say)
        if columns is None:
            continue
        if _ROW_NUMBER.match(first):
            number = first.rstrip(".)")
            current = PlanRow(
                index,
                f"{section}.{number}" if section else number,
                _cell(cells, columns.task),
                _cell(cells, columns.time),
                _cell(cells, columns.notes),
            )
            rows.append(current)
        elif first:
            section = first.split()[0] if first.split()[0].isupper() else ""
            current = None  # a section heading ends the row before it
        elif current is not None:
            # the row's cells continued on this line (a page or a line break inside a cell)
            current.task = _join(current.task, _cell(cells, columns.task))
            current.phrase = _join(current.phrase, _cell(cells, columns.time))
            current.notes = _join(current.notes, _cell(cells, columns.notes))
    return rows


def _join(before: str, more: str) -> str:
    return f"{before} {more}".strip() if more else before
