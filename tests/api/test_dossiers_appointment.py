"""The stateless appointment over HTTP (POST /v1/dossiers/appointment and its batch form).

Every expected date-time is worked out by hand from the law (Civil Code 2015 Arts. 147-148:
the receipt day is not counted) and the official calendar (docs/legal-basis.md#calendar); the
comment next to it
shows the count. Default office hours: 07:30-11:30 and 13:30-17:00 (app/data/dossiers.toml).
"""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

PROBLEM = "application/problem+json"
URL = "/v1/dossiers/appointment"


def body(
    received_at: str, amount: float | str = 3, unit: str = "working_days", **extra: Any
) -> dict[str, Any]:
    return {"received_at": received_at, "processing": {"amount": amount, "unit": unit}, **extra}


@pytest.mark.parametrize(
    ("received_at", "due_at"),
    [
        # Tue 5/3/2024 09:00: Wed 6 (1), Thu 7 (2), Fri 8 (3) -> Fri 8/3 09:00
        ("2024-03-05T09:00:00+07:00", "2024-03-08T09:00:00+07:00"),
        # Fri 26/4/2024 10:00: Sat 27, Sun 28 weekend; Mon 29/4 swapped off (Công văn
        # 2450/VPCP-KGVX); Tue 30/4, Wed 1/5 holidays; Thu 2/5 (1), Fri 3/5 (2), Sat 4/5 the
        # make-up working day (3) -> Sat 4/5 10:00
        ("2024-04-26T10:00:00+07:00", "2024-05-04T10:00:00+07:00"),
        # Fri 24/1/2025 14:00: Sat 25, Sun 26; Mon 27/1 - Sat 1/2 Tết Ất Tỵ (with its
        # compensatory day); Sun 2/2; Mon 3/2 (1), Tue 4/2 (2), Wed 5/2 (3) -> Wed 5/2 14:00
        ("2025-01-24T14:00:00+07:00", "2025-02-05T14:00:00+07:00"),
        # 02:00 UTC is 09:00 in Hà Nội: the Tuesday example again, answered in +07:00
        ("2024-03-05T02:00:00Z", "2024-03-08T09:00:00+07:00"),
    ],
)
async def test_worked_examples(client: AsyncClient, received_at: str, due_at: str) -> None:
    r = await client.post(URL, json=body(received_at))
    assert r.status_code == 200, r.text
    got = r.json()
    assert got["due_at"] == due_at
    assert got["due_day"] == due_at[:10]
    assert got["counted_from"] == got["received_at"]  # within office hours
    assert got["receipt_timing"] == "in_hours"
    assert got["provisional"] is False
    assert got["processing"] == {"amount": 3, "unit": "working_days"}
    assert got["schedule"] == "default"
    assert isinstance(got["calendar_revision"], int)
    assert got["trace"][0]["step"] == "received"


async def test_the_trace_cites_the_law_and_names_the_make_up_day(client: AsyncClient) -> None:
    got = (await client.post(URL, json=body("2024-04-26T10:00:00+07:00"))).json()
    text = " ".join(step["detail"] for step in got["trace"])
    assert "2024-05-04" in text
    assert any("Điều 147" in (step["citation"] or {}).get("article", "") for step in got["trace"])


@pytest.mark.parametrize(
    ("received_at", "schedule", "timing", "counted_from", "due_at"),
    [
        # 16:45 Tuesday is within the afternoon window (13:30-17:00): counted from 16:45;
        # Wed 6 (1), Thu 7 (2), Fri 8 (3) -> Fri 8/3 16:45
        (
            "2024-03-05T16:45:00+07:00",
            "default",
            "in_hours",
            "2024-03-05T16:45:00+07:00",
            "2024-03-08T16:45:00+07:00",
        ),
        # 17:30 Tuesday is after closing: counted from Wed 6/3 07:30 (not counted);
        # Thu 7 (1), Fri 8 (2), Mon 11 (3) -> Mon 11/3 07:30
        (
            "2024-03-05T17:30:00+07:00",
            "default",
            "after_closing",
            "2024-03-06T07:30:00+07:00",
            "2024-03-11T07:30:00+07:00",
        ),
        # Saturday 9/3 09:00 at an office closed on Saturday: counted from Mon 11/3 07:30;
        # Tue 12 (1), Wed 13 (2), Thu 14 (3) -> Thu 14/3 07:30
        (
            "2024-03-09T09:00:00+07:00",
            "default",
            "day_off",
            "2024-03-11T07:30:00+07:00",
            "2024-03-14T07:30:00+07:00",
        ),
        # the same Saturday morning at a centre that receives on Saturday mornings: received,
        # but Saturday is not a counting day -> the same Thu 14/3 07:30
        (
            "2024-03-09T09:00:00+07:00",
            "saturday-morning-reception",
            "saturday_reception",
            "2024-03-11T07:30:00+07:00",
            "2024-03-14T07:30:00+07:00",
        ),
    ],
)
async def test_receipt_times(
    client: AsyncClient,
    received_at: str,
    schedule: str,
    timing: str,
    counted_from: str,
    due_at: str,
) -> None:
    r = await client.post(URL, json=body(received_at, schedule=schedule))
    assert r.status_code == 200, r.text
    got = r.json()
    assert (got["receipt_timing"], got["counted_from"], got["due_at"]) == (
        timing,
        counted_from,
        due_at,
    )
    assert got["received_at"] == received_at


@pytest.mark.parametrize(
    ("received_at", "amount", "due_at"),
    [
        # nhận sáng trả sáng: half a day is one session, Tue morning -> Tue afternoon, its end
        ("2024-03-05T09:00:00+07:00", 0.5, "2024-03-05T17:00:00+07:00"),
        # nhận chiều trả chiều: Tue afternoon -> Wed morning, its end 11:30
        ("2024-03-05T14:00:00+07:00", 0.5, "2024-03-06T11:30:00+07:00"),
        # three days from Tue morning: the morning of Fri 8/3, its end 11:30
        ("2024-03-05T09:00:00+07:00", 3, "2024-03-08T11:30:00+07:00"),
    ],
)
async def test_the_am_pm_option(
    client: AsyncClient, received_at: str, amount: float, due_at: str
) -> None:
    r = await client.post(URL, json=body(received_at, amount, schedule="by-session"))
    assert r.status_code == 200, r.text
    assert r.json()["due_at"] == due_at
    assert any(step["step"] == "session" for step in r.json()["trace"])


async def test_hours_and_calendar_days(client: AsyncClient) -> None:
    # 4 working hours from Tue 09:00: 09:00-11:30 (2 h 30) + 13:30-15:00 (1 h 30) -> 15:00
    hours = (
        await client.post(URL, json=body("2024-03-05T09:00:00+07:00", 4, "working_hours"))
    ).json()
    assert hours["due_at"] == "2024-03-05T15:00:00+07:00"
    # 10 calendar days from Tue 5/3: Wed 6 (1) ... Fri 15 (10), ends at 24:00 Fri 15
    # (Art. 148(6)), written 00:00 Sat 16 with due_day the 15th
    days = (
        await client.post(URL, json=body("2024-03-05T09:00:00+07:00", 10, "calendar_days"))
    ).json()
    assert (days["due_at"], days["due_day"]) == ("2024-03-16T00:00:00+07:00", "2024-03-15")


async def test_an_undecided_year_is_provisional(client: AsyncClient) -> None:
    # 2028's holiday schedule is not decided (docs/legal-basis.md#calendar-years):
    # Thu 2/3/2028 + 3 working days -> Fri 3 (1), Mon 6 (2), Tue 7/3 (3)
    got = (await client.post(URL, json=body("2028-03-02T09:00:00+07:00"))).json()
    assert got["due_at"] == "2028-03-07T09:00:00+07:00"
    assert got["provisional"] is True


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        (body("2024-03-05T09:00:00"), "received_at"),  # naive: refused, never guessed
        (body("2024-03-05"), "received_at"),
        (body("2024-03-05T09:00:00+07:00", 0), "processing.amount"),
        (body("2024-03-05T09:00:00+07:00", -2), "processing.amount"),
        (body("2024-03-05T09:00:00+07:00", 5000), "processing.amount"),  # absurd
        (body("2024-03-05T09:00:00+07:00", 0.3), "processing.amount"),  # half days only
        (body("2024-03-05T09:00:00+07:00", "NaN"), "processing.amount"),
        (body("2024-03-05T09:00:00+07:00", 3, "fortnights"), "processing.unit"),
        (body("2024-03-05T09:00:00+07:00", schedule="night-shift"), "schedule"),
        (body("2031-06-03T09:00:00+07:00"), "received_at"),  # outside the calendar
        ({"processing": {"amount": 3, "unit": "working_days"}}, "received_at"),
        (body("2024-03-05T09:00:00+07:00", recieved="typo"), "recieved"),
    ],
)
async def test_bad_input_is_a_problem_naming_the_field(
    client: AsyncClient, payload: dict[str, Any], field: str
) -> None:
    r = await client.post(URL, json=payload)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in r.json()["errors"]]


async def test_not_json_is_a_problem(client: AsyncClient) -> None:
    r = await client.post(URL, content=b"{not json", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.headers["content-type"] == PROBLEM


async def test_batch_with_one_bad_item(client: AsyncClient) -> None:
    items = [
        body("2024-03-05T09:00:00+07:00"),  # -> Fri 8/3 09:00, as above
        body("2024-03-05T09:00:00"),  # naive
        body("2025-01-24T14:00:00+07:00"),  # across Tết -> Wed 5/2/2025 14:00
        body("2024-03-05T09:00:00+07:00", 3, schedule="night-shift"),
        body("2024-04-26T10:00:00+07:00", 0),
    ]
    r = await client.post(URL + "/batch", json={"items": items})
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert [x["index"] for x in results] == [0, 1, 2, 3, 4]
    assert results[0]["due_at"] == "2024-03-08T09:00:00+07:00"
    assert results[2]["due_at"] == "2025-02-05T14:00:00+07:00"
    assert "trace" not in results[0]
    for index, field in (
        (1, "items[1].received_at"),
        (3, "items[3].schedule"),
        (4, "items[4].processing.amount"),
    ):
        error = results[index]["error"]
        assert error["status"] == 422
        assert field in [e["field"] for e in error["errors"]], error
        assert "due_at" not in results[index]


async def test_batch_with_traces(client: AsyncClient) -> None:
    r = await client.post(
        URL + "/batch",
        json={"items": [body("2024-03-05T09:00:00+07:00")], "include_trace": True},
    )
    assert r.json()["results"][0]["trace"][0]["step"] == "received"


async def test_batch_limits(client: AsyncClient) -> None:
    item = body("2024-03-05T09:00:00+07:00")
    too_many = await client.post(URL + "/batch", json={"items": [item] * 10_001})
    assert too_many.status_code == 422
    assert "items" in [e["field"] for e in too_many.json()["errors"]]
    # 10 000 is allowed: every one the Tuesday example
    full = await client.post(URL + "/batch", json={"items": [item] * 10_000})
    assert full.status_code == 200
    results = full.json()["results"]
    assert len(results) == 10_000
    assert {x["due_at"] for x in results} == {"2024-03-08T09:00:00+07:00"}
    assert (await client.post(URL + "/batch", json=[item])).status_code == 422
