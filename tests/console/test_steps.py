"""Trace steps on a Vietnamese page (app/console/steps.py, templates/_steps.html): the kind in
words, dd/mm/yyyy, the citation's confidence in words, the days off by name, and a Vietnamese
sentence or else the English text labelled as the technical detail. Due dates worked out by
hand as in tests/domain/test_deadlines_counting.py."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.console.board import left_badge
from app.console.i18n import WORDS, word
from app.console.steps import dossier_steps, instant_text, obligation_steps
from app.console.web import templates
from app.data.calendar import seed_adjustments, seed_years
from app.domain.calendar import CalendarSnapshot, build_snapshot
from app.domain.citations import Citation, Confidence
from app.domain.deadlines import Direction, Roll, Unit, compute_ad_hoc
from app.domain.dossiers import VIETNAM
from app.domain.dossiers.trace import TraceStep
from app.services.board import BoardRow
from app.services.obligation_trace import deadline_document

D = dt.date


@pytest.fixture(scope="module")
def calendar() -> CalendarSnapshot:
    """The shipped calendar: statutory holidays plus the seeded official swaps."""
    return build_snapshot(seed_adjustments(), seed_years(), revision=1)


CITED = Citation("Bộ luật Dân sự 2015", "Điều 147", Confidence.VERIFIED)


def _render(steps: object) -> str:
    source = '{% import "_steps.html" as shown with context %}{{ shown.shown_steps(steps) }}'
    return templates.from_string(source).render(
        steps=steps, t=lambda key, **v: word("vi", key, **v)
    )


def test_a_rolled_period_reads_in_vietnamese(calendar: CalendarSnapshot) -> None:
    # Thu 25/4/2024 + 5 calendar days: 26, 27, 28, 29, 30 → Tue 30/4 (Victory Day); Wed 1/5
    # (Labour Day) off too → Thu 2/5/2024. The span holds Sat 27, Sun 28, the swapped Mon 29.
    deadline = compute_ad_hoc(calendar, D(2024, 4, 25), 5, Unit.CALENDAR_DAYS)
    assert deadline.due_date == D(2024, 5, 2)
    steps = obligation_steps("vi", deadline_document(deadline, CITED))
    assert [s.label for s in steps] == ["Mốc tính", "Đếm thời hạn", "Ngày nghỉ"]
    anchor, count, roll = steps
    assert (anchor.when, anchor.sentence, anchor.detail) == (
        "25/04/2024",
        "Tính từ ngày 25/04/2024.",
        None,
    )
    # the count's English names the amount, which the step does not keep: technical detail
    assert count.when == "30/04/2024" and count.detail and "5 calendar days" in count.detail
    assert count.citation and count.citation.confidence_words == "đã đối chiếu văn bản"
    assert [d.date for d in count.days] == ["29/04/2024", "30/04/2024"]
    assert count.weekend_days == 2
    # the roll says it all in Vietnamese: no English
    assert roll.sentence == (
        "Ngày 30/04/2024 là ngày nghỉ: dời sang ngày làm việc tiếp theo, ngày 02/05/2024."
    )
    assert roll.detail is None
    assert [(d.date, d.kind_words) for d in roll.days] == [
        ("30/04/2024", "Ngày lễ"),
        ("01/05/2024", "Ngày lễ"),
    ]
    assert all(d.name for d in roll.days)  # the Vietnamese names of the holidays

    html = _render(steps)
    assert 'class="step-kind">Mốc tính<' in html and '<b class="step-when">30/04/2024</b>' in html
    assert "Chi tiết kỹ thuật (tiếng Anh):" in html
    assert '<span lang="en">5 calendar days after Thu 2024-04-25' in html
    assert "2 ngày nghỉ cuối tuần" in html
    # no ISO date outside the English technical detail
    assert "2024-04-30" not in re.sub(r'<span lang="en">[^<]*</span>', "", html)


def test_rolls_back_kept_and_on_a_make_up_saturday(calendar: CalendarSnapshot) -> None:
    # preceding: Tue 30/4/2024 off, Mon 29/4 swapped off, Sun 28, Sat 27 → Fri 26/4
    back = compute_ad_hoc(calendar, D(2024, 4, 25), 5, Unit.CALENDAR_DAYS, roll=Roll.PRECEDING)
    assert obligation_steps("vi", deadline_document(back, None))[-1].sentence == (
        "Ngày 30/04/2024 là ngày nghỉ: dời sang ngày làm việc liền trước, ngày 26/04/2024."
    )
    # backward, roll none: Thu 2/5/2024 − 2 calendar days = Tue 30/4, a holiday, kept
    kept = compute_ad_hoc(
        calendar, D(2024, 5, 2), 2, Unit.CALENDAR_DAYS, direction=Direction.BACKWARD
    )
    assert kept.due_date == D(2024, 4, 30)
    last = obligation_steps("vi", deadline_document(kept, None))[-1]
    assert last.sentence and last.sentence.startswith("Ngày 30/04/2024 là ngày nghỉ; quy định giữ")
    # Mon 29/4/2024 + 5 calendar days → Sat 4/5/2024, worked in exchange for 29/4: no roll
    make_up = compute_ad_hoc(calendar, D(2024, 4, 29), 5, Unit.CALENDAR_DAYS)
    assert make_up.due_date == D(2024, 5, 4)
    last = obligation_steps("vi", deadline_document(make_up, None))[-1]
    assert last.sentence and last.sentence.startswith("Ngày 04/05/2024 là ngày làm bù")


def test_stored_steps_of_every_shape_still_show() -> None:
    """A bound reads as D − 1; a kept step of the older shape (`kind`, `legal_basis`) and an
    unknown kind still show, with the English as technical detail."""
    trace = {
        "steps": [
            {
                "step": "bound",
                "detail": "strictly before 2024-03-31: Sat 2024-03-30",
                "date": "2024-03-30",
            },
            {"kind": "count", "detail": "old text", "date": "2024-03-08", "legal_basis": "BLDS"},
        ]
    }
    bound, old = obligation_steps("vi", trace)
    assert bound.sentence == "“Trước ngày 31/03/2024” được hiểu là hạn cuối ngày 30/03/2024."
    assert bound.detail is None
    assert (old.label, old.detail, old.legal_basis) == ("Đếm thời hạn", "old text", "BLDS")
    # English pages keep the domain's text: no sentence
    assert obligation_steps("en", trace)[0].sentence is None


def test_dossier_steps_in_vietnamese() -> None:
    due = dt.datetime(2024, 3, 13, 0, 0, tzinfo=VIETNAM)  # 24:00 of Tue 12/3/2024
    paused = dt.datetime(2024, 3, 7, 3, 0, tzinfo=dt.UTC)  # 10:00 in Vietnam
    trace = [
        TraceStep("counted", "5 working days after 2024-03-05 (Tue) ...", citation=CITED),
        TraceStep("paused", "events[1] paused 2024-03-07 10:00 (Thu)", at=paused),
        TraceStep("period_end", "ends at 24:00 of 2024-03-12 (Tue)", at=due),
    ]
    counted, stop, end = dossier_steps("vi", trace)
    assert (counted.label, counted.sentence) == ("Đếm thời hạn", None)
    assert counted.detail and counted.citation and counted.citation.article == "Điều 147"
    assert (stop.when, stop.sentence, stop.detail) == (
        "10:00 07/03/2024",
        "Tạm dừng tính thời gian lúc 10:00 07/03/2024.",
        None,
    )
    assert end.sentence == "Thời hạn kết thúc lúc 24:00 12/03/2024."
    assert instant_text(dt.datetime(2024, 3, 5, 9, 0, tzinfo=VIETNAM)) == "09:00 05/03/2024"


def _row(status: str, due: dt.date, n: int, due_at: dt.datetime | None = None) -> BoardRow:
    return BoardRow("dossier", 1, "x", "x", "o", due, status, n, None, None, None, due_at)


def test_the_board_never_says_zero_days_late() -> None:
    today = D(2026, 1, 7)  # a Wednesday
    now = dt.datetime(2026, 1, 7, 15, 30, tzinfo=VIETNAM)
    # a dossier due at 09:00 today, overdue: 6 h late (not "trễ 0 ngày")
    at_nine = dt.datetime(2026, 1, 7, 9, 0, tzinfo=VIETNAM)
    assert left_badge(_row("overdue", today, 0, at_nine), today, now) == (
        "late",
        "left.late_hours",
        {"n": 6},
    )
    # stored as on time, but the due instant has passed: overdue all the same
    assert left_badge(_row("on_time", today, 0, at_nine), today, now)[1] == "left.late_hours"
    # due 15:00, half an hour ago: overdue today
    at_three = dt.datetime(2026, 1, 7, 15, 0, tzinfo=VIETNAM)
    assert left_badge(_row("overdue", today, 0, at_three), today, now)[1] == "left.overdue_today"
    # a duty due Sat 3/1/2026 (kept), seen Sun 4/1: no working day late yet
    sunday = D(2026, 1, 4)
    kept = left_badge(_row("overdue", D(2026, 1, 3), 0), sunday, now)
    assert kept == ("late", "left.overdue_since", {"d": "03/01/2026"})
    assert left_badge(_row("overdue", D(2026, 1, 5), -2), today, now)[1:] == ("left.late", {"n": 2})
    assert left_badge(_row("on_time", today, 0, now + dt.timedelta(hours=1)), today, now)[1] == (
        "left.today"
    )
    for key in ("left.late_hours", "left.overdue_today", "left.overdue_since", "left.today"):
        assert key in WORDS
    assert word("vi", "left.late_hours", n=6) == "trễ 6 giờ"
    assert word("en", "left.overdue_today") == "overdue today"
