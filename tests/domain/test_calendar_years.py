"""The shipped calendar, year by year 2019-2026, against the official schedules.

Every expected value below was worked out by hand from the law and the Government's notices,
not from the code under test:

- Holidays: Bộ luật Lao động 2012 Art. 115(1) for 2019-2020 (1/1; Tết 5 days; Giỗ Tổ 10/3 lunar;
  30/4; 1/5; 2/9 one day); Bộ luật Lao động 2019 Art. 112(1) from 2021 (the same, with 2/9 plus
  one adjacent day fixed each year); Ngày Văn hóa Việt Nam 24/11 from 2026
  (docs/legal-basis.md#calendar).
- Compensatory days: BLLĐ 2012 Art. 115(3) / BLLĐ 2019 Art. 111(3): a holiday on the weekly rest
  day is taken on the next working day. For Tết the Government fixes the days (BLLĐ 2019
  Art. 112(3)): the five statutory days are read here as the eve (30 or 29 tháng Chạp) to mùng 4;
  a Saturday among them is made up on the working day before, a Sunday on the working day after,
  which gives exactly each year's published public-servant schedule. Those days are the
  notice's decision, not Art. 111(3)'s: where a recorded notice places Tết or 2/9, their
  compensatory days cite it.
- Lunar dates (Vietnamese calendar, UTC+7): Tết 2019-02-05, 2020-01-25, 2021-02-12, 2022-02-01,
  2023-01-22, 2024-02-10, 2025-01-29, 2026-02-17; Giỗ Tổ (10/3 lunar) 2019-04-14, 2020-04-02,
  2021-04-21, 2022-04-10, 2023-04-29 (2023 has a leap 2nd month), 2024-04-18, 2025-04-07,
  2026-04-26.
- Swaps (a weekday off, a Saturday worked): Công văn 6519/VPCP-KGVX (2019), Công văn
  2450/VPCP-KGVX (2024), Thông báo 6150/TB-BLĐTBXH (2025), Thông báo 9441/TB-BNV and Công văn
  12729/VPCP-KGVX (2026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

import numpy as np
import pytest

from app.data.calendar import seed_adjustments, seed_years
from app.domain.calendar import (
    Adjustment,
    AdjustmentKind,
    AdjustmentStatus,
    CalendarSnapshot,
    DayKind,
    YearStatus,
    build_snapshot,
)
from app.domain.citations import Confidence
from app.domain.errors import OutOfRange

D = dt.date
HOL = DayKind.HOLIDAY
COMP = DayKind.COMPENSATORY
SWAP_OFF = DayKind.SWAP_OFF
MAKE_UP = DayKind.SWAP_WORKING

# name fragments (Vietnamese names)
NEW_YEAR = "Tết Dương lịch"
TET = "Tết Nguyên Đán"
EVE = "Giao thừa"
HUNG = "Giỗ Tổ Hùng Vương"
VICTORY = "Ngày Chiến thắng"
LABOUR = "Quốc tế Lao động"
NATIONAL = "Quốc khánh"
OBSERVED = "(nghỉ bù)"
SWAPPED = "Nghỉ hoán đổi"
WORKED = "Làm bù"
CULTURE = "Văn hóa Việt Nam"

Row = tuple[dt.date, DayKind, bool, str]

# Every holiday (also on a weekend), compensatory day, swapped day off and make-up Saturday.
SCHEDULES: dict[int, list[Row]] = {
    # 2019, BLLĐ 2012 Art. 115. 1/1 Tue. Công văn 6519/VPCP-KGVX: Mon 31/12/2018 off, worked on
    # Sat 5/1/2019; Tết off Sat 2/2-Sun 10/2, the statutory days Mon 4/2 (30 Tết)-Fri 8/2 (mùng 4)
    # are all weekdays; Giỗ Tổ Sun 14/4 -> Mon 15/4 (Art. 115(3)); Mon 29/4 off, worked on Sat
    # 4/5, so 27/4-1/5 off; 2/9 Mon (one day under the 2012 Code).
    2019: [
        (D(2019, 1, 1), HOL, False, NEW_YEAR),
        (D(2019, 1, 5), MAKE_UP, True, WORKED),
        (D(2019, 2, 4), HOL, False, EVE),
        (D(2019, 2, 5), HOL, False, TET),
        (D(2019, 2, 6), HOL, False, "Mùng hai"),
        (D(2019, 2, 7), HOL, False, "Mùng ba"),
        (D(2019, 2, 8), HOL, False, "Mùng bốn"),
        (D(2019, 4, 14), HOL, False, HUNG),
        (D(2019, 4, 15), COMP, False, HUNG + " " + OBSERVED),
        (D(2019, 4, 29), SWAP_OFF, False, SWAPPED),
        (D(2019, 4, 30), HOL, False, VICTORY),
        (D(2019, 5, 1), HOL, False, LABOUR),
        (D(2019, 5, 4), MAKE_UP, True, WORKED),
        (D(2019, 9, 2), HOL, False, NATIONAL),
    ],
    # 2020, BLLĐ 2012. Tết Sat 25/1: statutory Fri 24/1 (30 Tết)-Tue 28/1; Sat 25 and Sun 26 are
    # rest days, made up Thu 23/1 and Wed 29/1: off Thu 23/1-Wed 29/1 (public-servant schedule);
    # Giỗ Tổ Thu 2/4; 30/4 Thu, 1/5 Fri; 2/9 Wed, one day. No swap.
    2020: [
        (D(2020, 1, 1), HOL, False, NEW_YEAR),
        (D(2020, 1, 23), COMP, False, TET),
        (D(2020, 1, 24), HOL, False, EVE),
        (D(2020, 1, 25), HOL, False, TET),
        (D(2020, 1, 26), HOL, False, "Mùng hai"),
        (D(2020, 1, 27), HOL, False, "Mùng ba"),
        (D(2020, 1, 28), HOL, False, "Mùng bốn"),
        (D(2020, 1, 29), COMP, False, "Mùng năm"),
        (D(2020, 4, 2), HOL, False, HUNG),
        (D(2020, 4, 30), HOL, False, VICTORY),
        (D(2020, 5, 1), HOL, False, LABOUR),
        (D(2020, 9, 2), HOL, False, NATIONAL),
    ],
    # 2021, BLLĐ 2019 Art. 112. 1/1 Fri. Tết Fri 12/2: statutory Thu 11/2 (30 Tết)-Mon 15/2;
    # Sat 13 -> Wed 10/2, Sun 14 -> Tue 16/2: off Wed 10/2-Tue 16/2; Giỗ Tổ Wed 21/4; 30/4 Fri,
    # 1/5 Sat -> Mon 3/5; 2/9 Thu + Fri 3/9.
    2021: [
        (D(2021, 1, 1), HOL, False, NEW_YEAR),
        (D(2021, 2, 10), COMP, False, TET),
        (D(2021, 2, 11), HOL, False, EVE),
        (D(2021, 2, 12), HOL, False, TET),
        (D(2021, 2, 13), HOL, False, "Mùng hai"),
        (D(2021, 2, 14), HOL, False, "Mùng ba"),
        (D(2021, 2, 15), HOL, False, "Mùng bốn"),
        (D(2021, 2, 16), COMP, False, "Mùng năm"),
        (D(2021, 4, 21), HOL, False, HUNG),
        (D(2021, 4, 30), HOL, False, VICTORY),
        (D(2021, 5, 1), HOL, False, LABOUR),
        (D(2021, 5, 3), COMP, False, LABOUR + " " + OBSERVED),
        (D(2021, 9, 2), HOL, False, NATIONAL),
        (D(2021, 9, 3), HOL, False, NATIONAL),
    ],
    # 2022. 1/1 Sat -> Mon 3/1. Tết Tue 1/2: statutory Mon 31/1 (29 Tết, Chạp has 29 days)-Fri
    # 4/2, all weekdays; Giỗ Tổ Sun 10/4 -> Mon 11/4; 30/4 Sat -> Mon 2/5, 1/5 Sun -> Tue 3/5;
    # 2/9 Fri + Thu 1/9.
    2022: [
        (D(2022, 1, 1), HOL, False, NEW_YEAR),
        (D(2022, 1, 3), COMP, False, NEW_YEAR + " " + OBSERVED),
        (D(2022, 1, 31), HOL, False, EVE),
        (D(2022, 2, 1), HOL, False, TET),
        (D(2022, 2, 2), HOL, False, "Mùng hai"),
        (D(2022, 2, 3), HOL, False, "Mùng ba"),
        (D(2022, 2, 4), HOL, False, "Mùng bốn"),
        (D(2022, 4, 10), HOL, False, HUNG),
        (D(2022, 4, 11), COMP, False, HUNG + " " + OBSERVED),
        (D(2022, 4, 30), HOL, False, VICTORY),
        (D(2022, 5, 1), HOL, False, LABOUR),
        (D(2022, 5, 2), COMP, False, VICTORY + " " + OBSERVED),
        (D(2022, 5, 3), COMP, False, LABOUR + " " + OBSERVED),
        (D(2022, 9, 1), HOL, False, NATIONAL),
        (D(2022, 9, 2), HOL, False, NATIONAL),
    ],
    # 2023. 1/1 Sun -> Mon 2/1. Tết Sun 22/1: statutory Sat 21/1 (30 Tết)-Wed 25/1; Sat 21 ->
    # Fri 20/1, Sun 22 -> Thu 26/1: off Fri 20/1-Thu 26/1; Giỗ Tổ Sat 29/4, 30/4 Sun, 1/5 Mon:
    # the two rest-day holidays are taken Tue 2/5 and Wed 3/5 (off 29/4-3/5); 2/9 Sat + Fri 1/9,
    # Sat 2/9 -> Mon 4/9.
    2023: [
        (D(2023, 1, 1), HOL, False, NEW_YEAR),
        (D(2023, 1, 2), COMP, False, NEW_YEAR + " " + OBSERVED),
        (D(2023, 1, 20), COMP, False, TET),
        (D(2023, 1, 21), HOL, False, EVE),
        (D(2023, 1, 22), HOL, False, TET),
        (D(2023, 1, 23), HOL, False, "Mùng hai"),
        (D(2023, 1, 24), HOL, False, "Mùng ba"),
        (D(2023, 1, 25), HOL, False, "Mùng bốn"),
        (D(2023, 1, 26), COMP, False, "Mùng năm"),
        (D(2023, 4, 29), HOL, False, HUNG),
        (D(2023, 4, 30), HOL, False, VICTORY),
        (D(2023, 5, 1), HOL, False, LABOUR),
        (D(2023, 5, 2), COMP, False, HUNG + " " + OBSERVED),
        (D(2023, 5, 3), COMP, False, VICTORY + " " + OBSERVED),
        (D(2023, 9, 1), HOL, False, NATIONAL),
        (D(2023, 9, 2), HOL, False, NATIONAL),
        (D(2023, 9, 4), COMP, False, NATIONAL + " " + OBSERVED),
    ],
    # 2024. 1/1 Mon. Tết Sat 10/2: statutory Fri 9/2 (30 Tết)-Tue 13/2; Sat 10 -> Thu 8/2,
    # Sun 11 -> Wed 14/2: off Thu 8/2-Wed 14/2; Giỗ Tổ Thu 18/4; Công văn 2450/VPCP-KGVX: Mon 29/4
    # off, worked on Sat 4/5 (off 27/4-1/5); 2/9 Mon + Tue 3/9.
    2024: [
        (D(2024, 1, 1), HOL, False, NEW_YEAR),
        (D(2024, 2, 8), COMP, False, TET),
        (D(2024, 2, 9), HOL, False, EVE),
        (D(2024, 2, 10), HOL, False, TET),
        (D(2024, 2, 11), HOL, False, "Mùng hai"),
        (D(2024, 2, 12), HOL, False, "Mùng ba"),
        (D(2024, 2, 13), HOL, False, "Mùng bốn"),
        (D(2024, 2, 14), COMP, False, "Mùng năm"),
        (D(2024, 4, 18), HOL, False, HUNG),
        (D(2024, 4, 29), SWAP_OFF, False, SWAPPED),
        (D(2024, 4, 30), HOL, False, VICTORY),
        (D(2024, 5, 1), HOL, False, LABOUR),
        (D(2024, 5, 4), MAKE_UP, True, WORKED),
        (D(2024, 9, 2), HOL, False, NATIONAL),
        (D(2024, 9, 3), HOL, False, NATIONAL),
    ],
    # 2025. 1/1 Wed. Tết Wed 29/1 (Chạp has 29 days: the eve Tue 28/1 is 29 Tết). Thông báo
    # 6150/TB-BLĐTBXH: Tết Mon 27/1 (28 tháng Chạp)-Fri 31/1, off Sat 25/1-Sun 2/2. Read as
    # above: statutory eve-mùng 4 = Tue 28/1-Sat 1/2, the Saturday 1/2 made up on Mon 27/1; the
    # days off are the same. Giỗ Tổ Mon 7/4; Fri 2/5 off, worked on Sat 26/4 (off 30/4-4/5);
    # 2/9 Tue + Mon 1/9.
    2025: [
        (D(2025, 1, 1), HOL, False, NEW_YEAR),
        (D(2025, 1, 27), COMP, False, TET),
        (D(2025, 1, 28), HOL, False, EVE),
        (D(2025, 1, 29), HOL, False, TET),
        (D(2025, 1, 30), HOL, False, "Mùng hai"),
        (D(2025, 1, 31), HOL, False, "Mùng ba"),
        (D(2025, 2, 1), HOL, False, "Mùng bốn"),
        (D(2025, 4, 7), HOL, False, HUNG),
        (D(2025, 4, 26), MAKE_UP, True, WORKED),
        (D(2025, 4, 30), HOL, False, VICTORY),
        (D(2025, 5, 1), HOL, False, LABOUR),
        (D(2025, 5, 2), SWAP_OFF, False, SWAPPED),
        (D(2025, 9, 1), HOL, False, NATIONAL),
        (D(2025, 9, 2), HOL, False, NATIONAL),
    ],
    # 2026. 1/1 Thu; Công văn 12729/VPCP-KGVX / Thông báo 9441/TB-BNV: Fri 2/1 off, worked on
    # Sat 10/1. Tết Tue 17/2: statutory Mon 16/2 (29 Tết)-Fri 20/2, all weekdays (off Sat 14/2-Sun
    # 22/2). Giỗ Tổ Sun 26/4 -> Mon 27/4; 30/4 Thu, 1/5 Fri; 2/9 Wed + Tue 1/9, and Mon 31/8 off,
    # worked on Sat 22/8 (off 29/8-2/9); 24/11 Tue, Ngày Văn hóa Việt Nam.
    2026: [
        (D(2026, 1, 1), HOL, False, NEW_YEAR),
        (D(2026, 1, 2), SWAP_OFF, False, SWAPPED),
        (D(2026, 1, 10), MAKE_UP, True, WORKED),
        (D(2026, 2, 16), HOL, False, EVE),
        (D(2026, 2, 17), HOL, False, TET),
        (D(2026, 2, 18), HOL, False, "Mùng hai"),
        (D(2026, 2, 19), HOL, False, "Mùng ba"),
        (D(2026, 2, 20), HOL, False, "Mùng bốn"),
        (D(2026, 4, 26), HOL, False, HUNG),
        (D(2026, 4, 27), COMP, False, HUNG + " " + OBSERVED),
        (D(2026, 4, 30), HOL, False, VICTORY),
        (D(2026, 5, 1), HOL, False, LABOUR),
        (D(2026, 8, 22), MAKE_UP, True, WORKED),
        (D(2026, 8, 31), SWAP_OFF, False, SWAPPED),
        (D(2026, 9, 1), HOL, False, NATIONAL),
        (D(2026, 9, 2), HOL, False, NATIONAL),
        (D(2026, 11, 24), HOL, False, CULTURE),
    ],
}

ALL_ROWS = [row for year in sorted(SCHEDULES) for row in SCHEDULES[year]]

# Working days per year, by hand: weekdays in the year (52 weeks = 260, plus the weekdays among
# the 1 or 2 days left over), minus the weekday days off in SCHEDULES, plus the make-up Saturdays.
WORKING_DAYS = {
    2019: 252,  # Jan 1 Tue: 261 - 11 (1/1, 4-8/2, 15/4, 29/4, 30/4, 1/5, 2/9) + 2 (5/1, 4/5)
    2020: 252,  # Jan 1 Wed, leap: 262 - 10 (1/1, 23-24/1, 27-29/1, 2/4, 30/4, 1/5, 2/9)
    2021: 250,  # Jan 1 Fri: 261 - 11 (1/1, 10-12/2, 15-16/2, 21/4, 30/4, 3/5, 2-3/9)
    2022: 249,  # Jan 1 Sat: 260 - 11 (3/1, 31/1-4/2, 11/4, 2-3/5, 1-2/9)
    2023: 249,  # Jan 1 Sun: 260 - 11 (2/1, 20/1, 23-26/1, 1-3/5, 1/9, 4/9)
    2024: 251,  # Jan 1 Mon, leap: 262 - 12 (1/1, 8-9/2, 12-14/2, 18/4, 29/4-1/5, 2-3/9) + 1 (4/5)
    2025: 250,  # Jan 1 Wed: 261 - 12 (1/1, 27-31/1, 7/4, 30/4-2/5, 1-2/9) + 1 (26/4)
    2026: 249,  # Jan 1 Thu: 261 - 14 (1-2/1, 16-20/2, 27/4, 30/4, 1/5, 31/8-2/9, 24/11) + 2
}

# (start, n, n-th working day after start), read off the schedules above with a wall calendar.
ADDS: dict[int, list[tuple[dt.date, int, dt.date]]] = {
    2019: [
        (D(2019, 1, 4), 1, D(2019, 1, 5)),  # Fri -> the make-up Sat 5/1 (Công văn 6519)
        (D(2019, 2, 1), 1, D(2019, 2, 11)),  # Tết 4-8/2, weekend 9-10/2
        (D(2019, 4, 12), 1, D(2019, 4, 16)),  # Giỗ Tổ Sun 14/4, compensatory Mon 15/4
        (D(2019, 4, 26), 1, D(2019, 5, 2)),  # 27/4-1/5 off
        (D(2019, 4, 26), 3, D(2019, 5, 4)),  # Thu 2/5, Fri 3/5, make-up Sat 4/5
        (D(2019, 5, 2), -1, D(2019, 4, 26)),
        (D(2019, 8, 30), 1, D(2019, 9, 3)),  # 2/9 Mon, a single day under the 2012 Code
    ],
    2020: [
        (D(2020, 1, 22), 1, D(2020, 1, 30)),  # Tết off Thu 23/1-Wed 29/1
        (D(2020, 1, 30), -1, D(2020, 1, 22)),
        (D(2020, 4, 1), 1, D(2020, 4, 3)),  # Giỗ Tổ Thu 2/4
        (D(2020, 4, 29), 1, D(2020, 5, 4)),  # 30/4 Thu, 1/5 Fri, weekend
        (D(2020, 9, 1), 1, D(2020, 9, 3)),  # 2/9 Wed only
    ],
    2021: [
        (D(2021, 2, 9), 1, D(2021, 2, 17)),  # Tết off Wed 10/2-Tue 16/2
        (D(2021, 4, 20), 1, D(2021, 4, 22)),  # Giỗ Tổ Wed 21/4
        (D(2021, 4, 29), 1, D(2021, 5, 4)),  # 30/4 Fri, 1/5 Sat -> Mon 3/5
        (D(2021, 9, 1), 1, D(2021, 9, 6)),  # 2-3/9, weekend
        (D(2021, 9, 6), -2, D(2021, 8, 31)),
    ],
    2022: [
        (D(2021, 12, 31), 1, D(2022, 1, 4)),  # 1/1 Sat -> Mon 3/1
        (D(2022, 1, 28), 1, D(2022, 2, 7)),  # Tết 31/1-4/2 between two weekends
        (D(2022, 4, 8), 1, D(2022, 4, 12)),  # Giỗ Tổ Sun 10/4 -> Mon 11/4
        (D(2022, 4, 29), 1, D(2022, 5, 4)),  # 30/4-3/5 off
        (D(2022, 8, 31), 1, D(2022, 9, 5)),  # 1-2/9, weekend
    ],
    2023: [
        (D(2022, 12, 30), 1, D(2023, 1, 3)),  # 1/1 Sun -> Mon 2/1
        (D(2023, 1, 19), 1, D(2023, 1, 27)),  # Tết off Fri 20/1-Thu 26/1
        (D(2023, 4, 28), 1, D(2023, 5, 4)),  # 29/4-3/5 off
        (D(2023, 5, 4), -1, D(2023, 4, 28)),
        (D(2023, 8, 31), 1, D(2023, 9, 5)),  # Fri 1/9-Mon 4/9 off
    ],
    2024: [
        (D(2024, 2, 7), 1, D(2024, 2, 15)),  # Tết off Thu 8/2-Wed 14/2
        (D(2024, 2, 15), -1, D(2024, 2, 7)),
        (D(2024, 4, 17), 1, D(2024, 4, 19)),  # Giỗ Tổ Thu 18/4
        (D(2024, 4, 26), 1, D(2024, 5, 2)),  # 27/4-1/5 off (Công văn 2450)
        (D(2024, 4, 26), 3, D(2024, 5, 4)),  # make-up Sat 4/5
        (D(2024, 5, 6), -1, D(2024, 5, 4)),
        (D(2024, 8, 30), 1, D(2024, 9, 4)),  # 31/8-3/9 off
    ],
    2025: [
        (D(2025, 1, 24), 1, D(2025, 2, 3)),  # off Sat 25/1-Sun 2/2 (Thông báo 6150)
        (D(2025, 2, 3), -1, D(2025, 1, 24)),
        (D(2025, 4, 4), 1, D(2025, 4, 8)),  # Giỗ Tổ Mon 7/4
        (D(2025, 4, 25), 1, D(2025, 4, 26)),  # make-up Sat 26/4
        (D(2025, 4, 29), 1, D(2025, 5, 5)),  # 30/4-4/5 off
        (D(2025, 8, 29), 1, D(2025, 9, 3)),  # 30/8-2/9 off
    ],
    2026: [
        (D(2025, 12, 31), 1, D(2026, 1, 5)),  # 1/1 Thu, swapped Fri 2/1 (Công văn 12729)
        (D(2026, 1, 9), 1, D(2026, 1, 10)),  # make-up Sat 10/1
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # off Sat 14/2-Sun 22/2
        (D(2026, 4, 24), 1, D(2026, 4, 28)),  # Giỗ Tổ Sun 26/4 -> Mon 27/4
        (D(2026, 4, 29), 1, D(2026, 5, 4)),  # 30/4 Thu, 1/5 Fri
        (D(2026, 8, 21), 1, D(2026, 8, 22)),  # make-up Sat 22/8 (Thông báo 9441)
        (D(2026, 8, 28), 1, D(2026, 9, 3)),  # 29/8-2/9 off
        (D(2026, 11, 23), 1, D(2026, 11, 25)),  # 24/11 Ngày Văn hóa Việt Nam
    ],
}

# (start, end, working days in (start, end]), counted by hand on the schedules above.
COUNTS: dict[int, list[tuple[dt.date, dt.date, int]]] = {
    # Jan 2019 weekdays 2-31: 22, plus the make-up Sat 5/1
    2019: [(D(2019, 1, 1), D(2019, 1, 31), 23), (D(2019, 2, 1), D(2019, 2, 11), 1)],
    # 18-31/1: Mon 20-Wed 22 and Thu 30-Fri 31
    2020: [(D(2020, 1, 17), D(2020, 1, 31), 5), (D(2020, 4, 29), D(2020, 5, 4), 1)],
    2021: [(D(2020, 12, 31), D(2021, 1, 8), 5), (D(2021, 2, 9), D(2021, 2, 19), 3)],
    2022: [(D(2022, 4, 29), D(2022, 5, 6), 3), (D(2022, 1, 28), D(2022, 2, 11), 5)],
    # Jan 2023 weekdays 2-31: 22, minus 2/1, 20/1, 23-26/1
    2023: [(D(2023, 1, 1), D(2023, 1, 31), 16), (D(2023, 4, 28), D(2023, 5, 5), 2)],
    # Feb 2024 weekdays 2-29: 20, minus 8-9/2 and 12-14/2
    2024: [(D(2024, 2, 1), D(2024, 2, 29), 15), (D(2024, 4, 26), D(2024, 5, 6), 4)],
    # Apr 2025 weekdays 2-30: 21, minus 7/4 and 30/4, plus Sat 26/4
    2025: [(D(2025, 4, 1), D(2025, 4, 30), 20), (D(2025, 1, 24), D(2025, 2, 7), 5)],
    # Jan 2026 weekdays 2-31: 21, minus Fri 2/1, plus Sat 10/1
    2026: [(D(2026, 1, 1), D(2026, 1, 31), 21), (D(2026, 8, 28), D(2026, 9, 4), 2)],
}


@pytest.mark.parametrize("year", sorted(SCHEDULES))
def test_notable_days_of_the_year_are_exactly_the_official_ones(
    calendar: CalendarSnapshot, year: int
) -> None:
    got = [
        (d.date, d.kind, d.working) for d in calendar.notable_days(D(year, 1, 1), D(year, 12, 31))
    ]
    assert got == [(date, kind, working) for date, kind, working, _ in SCHEDULES[year]]


@pytest.mark.parametrize(("date", "kind", "working", "name"), ALL_ROWS, ids=str)
def test_official_day(
    calendar: CalendarSnapshot, date: dt.date, kind: DayKind, working: bool, name: str
) -> None:
    day = calendar.day(date)
    assert (day.kind, day.working, calendar.is_working(date)) == (kind, working, working)
    assert day.name_vi is not None
    assert name in day.name_vi
    assert day.name_en
    assert day.source
    assert day.provisional is False


@pytest.mark.parametrize(("year", "expected"), sorted(WORKING_DAYS.items()))
def test_working_days_per_year(calendar: CalendarSnapshot, year: int, expected: int) -> None:
    days = calendar.days(D(year, 1, 1), D(year, 12, 31))
    assert sum(d.working for d in days) == expected
    if year > 2019:
        assert calendar.count_working_days(D(year - 1, 12, 31), D(year, 12, 31)) == expected
    # 1/1 is a holiday every year, so (1/1, 31/12] holds every working day of the year
    assert calendar.count_working_days(D(year, 1, 1), D(year, 12, 31)) == expected


@pytest.mark.parametrize(
    ("start", "n", "expected"), [row for y in sorted(ADDS) for row in ADDS[y]], ids=str
)
def test_add_working_days(
    calendar: CalendarSnapshot, start: dt.date, n: int, expected: dt.date
) -> None:
    assert calendar.add_working_days(start, n) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"), [row for y in sorted(COUNTS) for row in COUNTS[y]], ids=str
)
def test_count_working_days(
    calendar: CalendarSnapshot, start: dt.date, end: dt.date, expected: int
) -> None:
    assert calendar.count_working_days(start, end) == expected
    assert calendar.count_working_days(end, start) == -expected


def test_batches_agree_with_the_hand_tables(calendar: CalendarSnapshot) -> None:
    adds = [row for y in sorted(ADDS) for row in ADDS[y]]
    starts = np.array([s.toordinal() for s, _, _ in adds], dtype=np.int64)
    ns = np.array([n for _, n, _ in adds], dtype=np.int64)
    result, ok = calendar.add_working_days_many(starts, ns)
    assert ok.all()
    assert [D.fromordinal(int(o)) for o in result] == [e for _, _, e in adds]
    counts = [row for y in sorted(COUNTS) for row in COUNTS[y]]
    a = np.array([s.toordinal() for s, _, _ in counts], dtype=np.int64)
    b = np.array([e.toordinal() for _, e, _ in counts], dtype=np.int64)
    got, ok = calendar.count_working_days_many(a, b)
    assert ok.all()
    assert got.tolist() == [c for _, _, c in counts]


def test_neighbours_and_rolls(calendar: CalendarSnapshot) -> None:
    # Tết 2024: off Thu 8/2-Wed 14/2 (hand schedule above)
    assert calendar.next_working_day(D(2024, 2, 10)) == D(2024, 2, 15)
    assert calendar.previous_working_day(D(2024, 2, 10)) == D(2024, 2, 7)
    assert calendar.on_or_after(D(2024, 2, 10)) == D(2024, 2, 15)
    assert calendar.on_or_before(D(2024, 2, 10)) == D(2024, 2, 7)
    assert calendar.on_or_after(D(2024, 2, 15)) == D(2024, 2, 15)
    # n = 0 counts nothing and returns the day itself, even a day off
    assert calendar.add_working_days(D(2024, 2, 10), 0) == D(2024, 2, 10)
    # n < 0 from a day off: the n-th working day strictly before it
    assert calendar.add_working_days(D(2024, 2, 10), -2) == D(2024, 2, 6)


def test_weekend_and_notable_days_of_a_tet_window(calendar: CalendarSnapshot) -> None:
    # 5/2-18/2/2024: weekends 10-11/2 (Tết days, not plain weekend) and 17-18/2 (plain)
    assert calendar.weekend_days_between(D(2024, 2, 5), D(2024, 2, 18)) == 2
    notable = calendar.notable_days(D(2024, 2, 18), D(2024, 2, 5))
    assert [d.date for d in notable] == [D(2024, 2, day) for day in range(8, 15)]


# -- citations -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "source"),
    [
        (D(2019, 1, 1), "Bộ luật Lao động 2012, Điều 115(1)"),
        # BLLĐ 2012 Art. 115(3): "trùng vào ngày nghỉ hằng tuần ... nghỉ bù vào ngày kế tiếp"
        (D(2019, 4, 15), "Bộ luật Lao động 2012, Điều 115(3)"),
        (D(2020, 1, 29), "Bộ luật Lao động 2012, Điều 115(3)"),
        (D(2021, 9, 3), "Bộ luật Lao động 2019, Điều 112(1)"),
        (D(2021, 5, 3), "Bộ luật Lao động 2019, Điều 111(3)"),
        (D(2019, 1, 5), "6519/VPCP-KGVX"),
        (D(2024, 4, 29), "2450/VPCP-KGVX"),
        (D(2025, 4, 26), "6150/TB-BLĐTBXH"),
        (D(2026, 1, 2), "12729/VPCP-KGVX"),
        (D(2026, 8, 31), "9441/TB-BNV"),
        (D(2026, 11, 24), "Nghị quyết 28/2026/QH16"),
    ],
    ids=str,
)
def test_sources(calendar: CalendarSnapshot, date: dt.date, source: str) -> None:
    day_source = calendar.day(date).source
    assert day_source is not None
    assert source in day_source


@pytest.mark.parametrize(
    ("date", "source", "confidence"),
    [
        # Art. 111(3) gives a holiday on the weekly rest day the NEXT working day; placing the
        # Tết days (one made up before Tết) is the Prime Minister's (Art. 112(3)), announced by
        # the year's notice, so those compensatory days cite the notice where one is recorded.
        # 2027: Công văn 10065/VPCP-KGVX, Tết Thu 4/2 - Wed 10/2; Sat 6/2 (mùng 1) made up on
        # Thu 4/2, Sun 7/2 on Wed 10/2.
        (D(2027, 2, 4), "Công văn 10065/VPCP-KGVX (2026)", Confidence.SECONDARY),
        (D(2027, 2, 10), "Công văn 10065/VPCP-KGVX (2026)", Confidence.SECONDARY),
        # 1/5/2027 is a Saturday and the notice says nothing of it: Mon 3/5 by Art. 111(3).
        (D(2027, 5, 3), "Bộ luật Lao động 2019, Điều 111(3)", Confidence.VERIFIED),
        # The statutory days themselves stay Art. 112(1); the adjacent day of 2/9 is a holiday.
        (D(2027, 2, 6), "Bộ luật Lao động 2019, Điều 112(1)", Confidence.VERIFIED),
        (D(2027, 9, 3), "Bộ luật Lao động 2019, Điều 112(1)", Confidence.VERIFIED),
        # 2025: Thông báo 6150/TB-BLĐTBXH places Tết Sat 25/1 - Sun 2/2; mùng 4 is Sat 1/2,
        # made up on Mon 27/1 (before Tết).
        (D(2025, 1, 27), "Thông báo 6150/TB-BLĐTBXH (2024)", Confidence.SECONDARY),
        # 2024: the only notice recorded, Công văn 2450/VPCP-KGVX, swaps 29/4 for 4/5 and does
        # not place Tết: Thu 8/2 and Wed 14/2 keep the article (no Tết notice recorded).
        (D(2024, 2, 8), "Bộ luật Lao động 2019, Điều 111(3)", Confidence.VERIFIED),
        (D(2024, 2, 14), "Bộ luật Lao động 2019, Điều 111(3)", Confidence.VERIFIED),
        # 2019: Công văn 6519/VPCP-KGVX swaps days around 1/1 and 30/4 only; Giỗ Tổ Sun 14/4 is
        # taken Mon 15/4 (BLLĐ 2012 Art. 115(3)). 2020-2023: no notice recorded.
        (D(2019, 4, 15), "Bộ luật Lao động 2012, Điều 115(3)", Confidence.VERIFIED),
        (D(2020, 1, 23), "Bộ luật Lao động 2012, Điều 115(3)", Confidence.VERIFIED),
        (D(2023, 9, 4), "Bộ luật Lao động 2019, Điều 111(3)", Confidence.VERIFIED),
        # 2026 (Thông báo 9441/TB-BNV places Tết and 2/9): Tết Mon 16/2 - Fri 20/2 and 2/9 Wed
        # with Tue 1/9 are all weekdays, so no compensatory day; Giỗ Tổ Sun 26/4 is taken Mon
        # 27/4 by Art. 111(3), not by the notice.
        (D(2026, 4, 27), "Bộ luật Lao động 2019, Điều 111(3)", Confidence.VERIFIED),
        # 2028 is not decided: no notice, the article.
        (D(2028, 1, 24), "Bộ luật Lao động 2019, Điều 111(3)", Confidence.VERIFIED),
    ],
    ids=str,
)
def test_compensatory_days_of_tet_and_national_day_cite_the_notice_placing_them(
    calendar: CalendarSnapshot, date: dt.date, source: str, confidence: Confidence
) -> None:
    day = calendar.day(date)
    assert (day.source, day.confidence) == (source, confidence)


def test_no_compensatory_day_of_2026_rests_on_its_notice(calendar: CalendarSnapshot) -> None:
    # Hand schedule above: the only compensatory day of 2026 is Mon 27/4 (Giỗ Tổ).
    days = calendar.notable_days(D(2026, 1, 1), D(2026, 12, 31))
    assert [d.date for d in days if d.kind is DayKind.COMPENSATORY] == [D(2026, 4, 27)]


def test_tet_day_moved_before_tet_claims_no_wrong_lunar_date(calendar: CalendarSnapshot) -> None:
    # Thông báo 6150/TB-BLĐTBXH: Mon 27/1/2025 is 28 tháng Chạp (Chạp Giáp Thìn has 29 days).
    for date in (D(2024, 2, 8), D(2025, 1, 27)):
        day = calendar.day(date)
        assert day.name_vi is not None
        assert day.name_en is not None
        assert "29 Tết" not in day.name_vi
        assert "29 of" not in day.name_en


# -- provisional years and the supported range ----------------------------------------------


def test_provisional_flags(calendar: CalendarSnapshot) -> None:
    # calendar.toml: 2019-2027 decided (2027 by Công văn 10065/VPCP-KGVX of 02/10/2026),
    # 2028-2030 not decided
    assert not calendar.provisional_between(D(2019, 1, 1), D(2027, 12, 31))
    assert calendar.provisional_between(D(2027, 12, 31), D(2028, 1, 1))
    assert calendar.day(D(2028, 1, 1)).provisional
    assert calendar.day(D(2030, 12, 31)).provisional
    assert not calendar.day(D(2027, 12, 31)).provisional
    assert all(d.provisional for d in calendar.days(D(2028, 1, 1), D(2030, 12, 31)))


def test_a_year_without_a_status_is_provisional() -> None:
    years = [YearStatus(2026, provisional=False, note="decided")]
    snap = build_snapshot([], years, revision=1, first=D(2026, 12, 1), last=D(2027, 1, 31))
    assert not snap.day(D(2026, 12, 31)).provisional
    assert snap.day(D(2027, 1, 1)).provisional  # no status for 2027: not known to be decided


OUT_OF_RANGE: dict[str, tuple[Callable[[CalendarSnapshot], object], str]] = {
    "day-before-range": (lambda c: c.is_working(D(2018, 12, 31)), "date"),
    "day-after-range": (lambda c: c.day(D(2031, 1, 1)), "date"),
    "add-from-outside": (lambda c: c.add_working_days(D(2031, 1, 1), 1), "start"),
    "count-from-outside": (lambda c: c.count_working_days(D(2018, 12, 31), D(2019, 1, 2)), "start"),
    "count-to-outside": (lambda c: c.count_working_days(D(2019, 1, 2), D(2031, 1, 1)), "end"),
    # Tue 31/12/2030 is the last supported day: there is no next working day
    "add-past-the-end": (lambda c: c.add_working_days(D(2030, 12, 31), 1), "days"),
    "add-30-past-the-end": (lambda c: c.add_working_days(D(2030, 12, 1), 30), "days"),
    # 1/1/2019 is a holiday: no working day before 2/1/2019 is known
    "add-before-the-start": (lambda c: c.add_working_days(D(2019, 1, 2), -1), "days"),
    "next-past-the-end": (lambda c: c.next_working_day(D(2030, 12, 31)), "date"),
}


@pytest.mark.parametrize("case", sorted(OUT_OF_RANGE))
def test_out_of_range_is_refused(calendar: CalendarSnapshot, case: str) -> None:
    call, field = OUT_OF_RANGE[case]
    with pytest.raises(OutOfRange) as info:
        call(calendar)
    assert info.value.field == field
    assert info.value.code == "date-out-of-range"
    assert "2019-01-01..2030-12-31" in info.value.detail


def test_range_edges(calendar: CalendarSnapshot) -> None:
    assert (calendar.first, calendar.last) == (D(2019, 1, 1), D(2030, 12, 31))
    # 2/1/2019 Wed is the first working day; Tue 31/12/2030 the last
    assert calendar.add_working_days(D(2019, 1, 3), -1) == D(2019, 1, 2)
    assert calendar.add_working_days(D(2030, 12, 30), 1) == D(2030, 12, 31)


def test_batches_refuse_out_of_range_items(calendar: CalendarSnapshot) -> None:
    dates = [D(2018, 12, 31), D(2030, 12, 31), D(2024, 2, 7), D(2031, 1, 1), D(2024, 2, 10)]
    ordinals = np.array([d.toordinal() for d in dates], dtype=np.int64)
    result, ok = calendar.add_working_days_many(ordinals, np.array([1, 1, 1, 0, 0]))
    assert ok.tolist() == [False, False, True, False, True]
    assert result.tolist() == [-1, -1, D(2024, 2, 15).toordinal(), -1, D(2024, 2, 10).toordinal()]
    ends = np.full(5, D(2024, 2, 10).toordinal(), dtype=np.int64)
    counts, ok = calendar.count_working_days_many(ordinals, ends)
    assert ok.tolist() == [False, True, True, False, True]
    # out-of-range items count 0; (7/2, 10/2/2024] is Tết 8-9/2 and Sat 10/2: 0 as well
    assert counts[[0, 2, 3, 4]].tolist() == [0, 0, 0, 0]
    # (10/2/2024, 31/12/2030] backwards: -(rest of 2024 + 2025 + 2026 + ...), at least the two
    # decided years 2025 (250) and 2026 (249)
    assert counts[1] < -(250 + 249)


# -- settings and adjustments ---------------------------------------------------------------


def _snapshot_2029(**kwargs: bool) -> CalendarSnapshot:
    return build_snapshot(
        seed_adjustments(),
        seed_years(),
        revision=1,
        first=D(2029, 11, 1),
        last=D(2029, 12, 31),
        **kwargs,
    )


def test_culture_day_compensatory_setting() -> None:
    # 24/11/2029 is a Saturday; with the compensatory day it is taken on Mon 26/11 (Art. 111(3)).
    on = _snapshot_2029()
    assert on.day(D(2029, 11, 24)).kind is HOL
    assert on.day(D(2029, 11, 26)).kind is COMP
    assert not on.is_working(D(2029, 11, 26))
    assert on.add_working_days(D(2029, 11, 23), 1) == D(2029, 11, 27)
    off = _snapshot_2029(culture_day_compensatory=False)
    assert off.day(D(2029, 11, 24)).kind is HOL
    assert off.day(D(2029, 11, 26)).kind is DayKind.WORKING
    assert off.is_working(D(2029, 11, 26))
    assert off.add_working_days(D(2029, 11, 23), 1) == D(2029, 11, 26)


def _adjustment(date: dt.date, kind: AdjustmentKind, **kwargs: AdjustmentStatus) -> Adjustment:
    return Adjustment(date, kind, "Điều chỉnh thử", "Test adjustment", "Test notice", **kwargs)


def test_proposed_adjustment_marks_its_day_provisional() -> None:
    proposed = _adjustment(D(2026, 4, 28), AdjustmentKind.DAY_OFF, status=AdjustmentStatus.PROPOSED)
    snap = build_snapshot(
        [*seed_adjustments(), proposed],
        seed_years(),
        revision=2,
        first=D(2026, 4, 1),
        last=D(2026, 5, 31),
    )
    day = snap.day(D(2026, 4, 28))
    assert (day.kind, day.working, day.provisional) == (SWAP_OFF, False, True)
    assert not snap.day(D(2026, 4, 29)).provisional  # 2026 itself is decided
    assert snap.provisional_between(D(2026, 4, 24), D(2026, 4, 28))
    assert not snap.provisional_between(D(2026, 4, 29), D(2026, 5, 31))
    # Giỗ Tổ Sun 26/4 -> Mon 27/4, then the proposed Tue 28/4: Fri 24/4 + 1 = Wed 29/4
    assert snap.add_working_days(D(2026, 4, 24), 1) == D(2026, 4, 29)
    assert snap.revision == 2


def test_decided_adjustment_status_changes_to_proposed() -> None:
    rows = [
        replace(a, status=AdjustmentStatus.PROPOSED) if a.date == D(2025, 5, 2) else a
        for a in seed_adjustments()
    ]
    snap = build_snapshot(rows, seed_years(), revision=1, first=D(2025, 4, 1), last=D(2025, 5, 31))
    assert snap.day(D(2025, 5, 2)).provisional
    assert not snap.day(D(2025, 4, 26)).provisional


def test_adjustment_overrides_the_holidays_package() -> None:
    # A working day on a statutory holiday (30/4/2026) wins over the package.
    worked = _adjustment(D(2026, 4, 30), AdjustmentKind.WORKING_DAY)
    snap = build_snapshot(
        [worked], seed_years(), revision=1, first=D(2026, 4, 1), last=D(2026, 5, 31)
    )
    day = snap.day(D(2026, 4, 30))
    assert (day.kind, day.working, day.name_en, day.source) == (
        MAKE_UP,
        True,
        "Test adjustment",
        "Test notice",
    )


def test_withdrawn_swap_is_not_taken_from_the_package() -> None:
    # The package carries the 2024 swap (29/4 <-> 4/5) too; without our rows it must not apply.
    rows = [a for a in seed_adjustments() if a.date.year != 2024]
    snap = build_snapshot(rows, seed_years(), revision=1, first=D(2024, 4, 1), last=D(2024, 5, 31))
    assert snap.day(D(2024, 4, 29)).kind is DayKind.WORKING
    assert snap.day(D(2024, 5, 4)).kind is DayKind.WEEKEND
    assert snap.add_working_days(D(2024, 4, 26), 1) == D(2024, 4, 29)
