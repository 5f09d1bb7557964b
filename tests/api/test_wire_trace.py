"""Obligations keep their trace as JSON. Rows written before the one TraceStep shape name a step
`kind` and give the law as `legal_basis` text; they must read as today's shape, not fail."""

from __future__ import annotations

import datetime as dt

from app.api.wire.trace import stored_step
from app.domain.calendar import DayKind
from app.domain.citations import Confidence
from app.domain.deadlines import StepKind

# A step as the service stored it before (an excerpt of its notable days): 5 working days from
# Thu 25/04/2024 are Fri 26/4, Thu 2/5, Fri 3/5, Sat 4/5 (worked in exchange for Mon 29/4) and
# Mon 6/5; 30/4 and 1/5 are holidays; Sat 27, Sun 28 and Sun 5/5 are plain weekend days.
OLD_STEP = {
    "kind": "count",
    "detail": "5 working days from 2024-04-25",
    "date": "2024-05-06",
    "legal_basis": "Bộ luật Dân sự 2015, Điều 148",
    "weekend_days": 3,
    "notable_days": [
        {
            "date": "2024-04-30",
            "kind": "holiday",
            "name_vi": "Ngày Giải phóng miền Nam",
            "name_en": "Reunification Day",
            "source": "Bộ luật Lao động 2019, Điều 112",
        },
        {
            "date": "2024-05-04",
            "kind": "swap_working",
            "name_vi": None,
            "name_en": None,
            "source": None,
        },
    ],
}


def test_an_old_stored_step_reads_as_the_one_shape() -> None:
    step = stored_step(OLD_STEP)
    assert step["step"] is StepKind.COUNT
    assert step["date"] == dt.date(2024, 5, 6)
    # the old text becomes the document of a citation read in the primary text
    assert step["citation"] == {
        "document": "Bộ luật Dân sự 2015, Điều 148",
        "article": None,
        "confidence": Confidence.VERIFIED,
    }
    holiday, worked = step["notable_days"]
    assert (holiday["kind"], holiday["working"]) == (DayKind.HOLIDAY, False)
    # an old row has no `working`: a make-up working day is a working day
    assert (worked["kind"], worked["working"]) == (DayKind.SWAP_WORKING, True)
    assert step["weekend_days"] == 3


def test_a_new_stored_step_keeps_its_citation() -> None:
    new = {key: value for key, value in OLD_STEP.items() if key not in ("kind", "legal_basis")}
    new["step"] = "roll"
    new["citation"] = {
        "document": "Bộ luật Dân sự 2015",
        "article": "Điều 148(5)",
        "confidence": "V",
    }
    step = stored_step(new)
    assert step["step"] is StepKind.ROLL
    assert step["citation"] == {
        "document": "Bộ luật Dân sự 2015",
        "article": "Điều 148(5)",
        "confidence": Confidence.VERIFIED,
    }
