"""POST /v1/deadlines/compute-batch: order kept, bad items isolated, the limit, traces on
request. Expected dates are worked by hand (each row says how); the agreement test compares
the batch with the single route, whose answers are hand-checked in test_deadlines_compute.py."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from httpx import AsyncClient

PROBLEM = "application/problem+json"
URL = "/v1/deadlines/compute-batch"


async def batch(client: AsyncClient, items: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    r = await client.post(URL, json={"items": items, **extra})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "application/json"
    body: dict[str, Any] = r.json()
    assert len(body["results"]) == len(items)
    return body


async def test_results_come_in_order(client: AsyncClient) -> None:
    items: list[dict[str, Any]] = [
        # Tue 5/3/2024 + 5 calendar days → Sun 10/3 → Mon 11/3
        {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days"},
        # Quảng Nam posting: Tue 5/3/2024 + 3 working days → Fri 8/3
        {"anchor": "2024-03-05", "rule": "quang-nam-2024.posting-counter"},
        # "Trước ngày 31/3/2024" → Sat 30/3 → Fri 29/3
        {"rule": "quang-nam-2024.by-31-03"},
        # Fri 26/4/2024 + 3 working days → Thu 2/5, Fri 3/5, Sat 4/5 (make-up day)
        {"anchor": "2024-04-26", "amount": 3, "unit": "working_days"},
        # Fri 5/7/2024 − 5 calendar days → Sun 30/6, kept and flagged
        {"anchor": "2024-07-05", "amount": 5, "unit": "calendar_days", "direction": "backward"},
        # Mon 29/4/2024 + 5 → Sat 4/5, a make-up working day: no roll
        {"anchor": "2024-04-29", "amount": 5, "unit": "calendar_days"},
        # Quảng Nam posting again, Fri 8/3/2024 + 3 working days: Mon 11, Tue 12, Wed 13
        {"anchor": "2024-03-08", "rule": "quang-nam-2024.posting-counter"},
        # 2028 is not decided: Wed 1/3/2028 + 5 working days → provisional
        {"anchor": "2028-03-01", "amount": 5, "unit": "working_days"},
        # "Tháng 3 đến tháng 7 năm 2022": from Tue 1/3, Sun 31/7 → Fri 29/7
        {"rule": "ha-tinh-2022.review-window"},
    ]
    body = await batch(client, items)
    got = [(r["due_date"], r["flags"], r["provisional"]) for r in body["results"]]
    assert got[:7] == [
        ("2024-03-11", ["rolled"], False),
        ("2024-03-08", [], False),
        ("2024-03-29", ["rolled"], False),
        ("2024-05-04", [], False),
        ("2024-06-30", ["due_on_day_off"], False),
        ("2024-05-04", [], False),
        ("2024-03-13", [], False),
    ]
    assert got[7][2] is True
    assert body["results"][8]["start_date"] == "2022-03-01"
    assert "trace" not in body["results"][0]  # no traces unless asked for
    assert {(r["rule"], r["profile"]) for r in body["rules"]} == {
        ("quang-nam-2024.posting-counter", "quang-nam-2024"),
        ("quang-nam-2024.by-31-03", "quang-nam-2024"),
        ("ha-tinh-2022.review-window", "ha-tinh-2022"),
    }
    assert all(r["citation"]["document"] and r["citation"]["confidence"] for r in body["rules"])
    assert isinstance(body["calendar_revision"], int) and isinstance(body["catalog_revision"], int)


async def test_a_bad_item_gets_its_own_error_and_the_others_are_answered(
    client: AsyncClient,
) -> None:
    items: list[dict[str, Any]] = [
        {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days"},  # → Mon 11/3
        {"anchor": "2024-02-30", "amount": 5, "unit": "calendar_days"},  # impossible date
        {"anchor": "2024-03-05", "rule": "national.no-such-rule"},  # unknown rule
        {"rule": "quang-nam-2024.posting-counter"},  # missing anchor
        {"anchor": "2024-03-05", "rule": "quang-nam-2024.report-commune"},  # recurring
        {"anchor": "2024-03-05", "amount": 5},  # no unit
        {"anchor": "2024-03-05", "amount": 5, "unit": "fortnights"},  # unknown unit
        {"anchor": "2018-06-01", "amount": 5, "unit": "calendar_days"},  # before 2019
        {"anchor": "2030-12-20", "amount": 30, "unit": "calendar_days"},  # past 2030
        {"anchor": "2025-07-10", "rule": "national.dossier-apology"},  # not in force
        {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days", "rule": "x"},  # both
        {"anchor": "2024-03-05", "amount": -1, "unit": "calendar_days"},  # negative
        # Tue 5/3/2024 + 5 working days → 6, 7, 8, 11, 12 → Tue 12/3
        {"anchor": "2024-03-05", "amount": 5, "unit": "working_days"},
    ]
    results = (await batch(client, items))["results"]
    assert results[0] == {"due_date": "2024-03-11", "provisional": False, "flags": ["rolled"]}
    assert results[12] == {"due_date": "2024-03-12", "provisional": False, "flags": []}
    expected = {
        1: (422, "items[1].anchor"),
        2: (404, "items[2].rule"),
        3: (422, "items[3].anchor"),
        4: (422, "items[4].rule"),
        5: (422, "items[5].unit"),
        6: (422, "items[6].unit"),
        7: (422, "items[7].anchor"),
        8: (422, "items[8].amount"),
        9: (422, "items[9].anchor"),
        10: (422, "items[10].amount"),
        11: (422, "items[11].amount"),
    }
    for index, (status, field) in expected.items():
        entry = results[index]
        assert entry["index"] == index
        problem = entry["error"]
        assert problem["status"] == status, (index, problem)
        assert problem["detail"] and "/problems/" in problem["type"]
        assert field in [e["field"] for e in problem["errors"]], (index, problem)
    assert results[4]["error"]["see"] == "/v1/reporting/next?profile=quang-nam-2024"
    assert results[9]["error"]["type"].endswith("/problems/rule-not-in-force")


async def test_an_item_error_is_the_one_a_single_request_gets(client: AsyncClient) -> None:
    item = {"anchor": "2030-12-20", "amount": 30, "unit": "calendar_days"}
    single = (await client.post("/v1/deadlines/compute", json=item)).json()
    entry = (await batch(client, [item]))["results"][0]["error"]
    assert (entry["type"], entry["detail"], entry["status"]) == (
        single["type"],
        single["detail"],
        single["status"],
    )


async def test_the_limit(client: AsyncClient) -> None:
    item = {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days"}
    over = await client.post(URL, json={"items": [item] * 10_001})
    assert over.status_code == 422
    assert over.headers["content-type"] == PROBLEM
    assert [e["field"] for e in over.json()["errors"]] == ["items"]
    full = await batch(client, [item] * 10_000)
    # Tue 5/3/2024 + 5 → Sun 10/3 → Mon 11/3, ten thousand times
    assert {r["due_date"] for r in full["results"]} == {"2024-03-11"}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "items"),
        ({"items": "many"}, "items"),
        ({"items": [], "include_trace": "yes"}, "include_trace"),
        ({"items": [], "colour": "red"}, "colour"),
    ],
)
async def test_a_bad_batch_is_a_problem(
    client: AsyncClient, body: dict[str, Any], field: str
) -> None:
    r = await client.post(URL, json=body)
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in r.json()["errors"]]


async def test_not_json_is_a_problem(client: AsyncClient) -> None:
    r = await client.post(URL, content=b"{items", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["body"]


async def test_an_empty_batch(client: AsyncClient) -> None:
    assert (await batch(client, []))["results"] == []


async def test_traces_on_request(client: AsyncClient) -> None:
    items = [
        # Tue 5/3/2024 + 5 → Sun 10/3 → Mon 11/3
        {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days"},
        {"anchor": "2024-02-30", "amount": 5, "unit": "calendar_days"},
    ]
    results = (await batch(client, items, include_trace=True))["results"]
    assert results[0]["due_date"] == "2024-03-11"
    assert [s["step"] for s in results[0]["trace"]] == ["anchor", "count", "roll"]
    assert isinstance(results[0]["notes"], list)
    assert results[1]["error"]["errors"][0]["field"] == "items[1].anchor"
    too_many = await client.post(URL, json={"items": [items[0]] * 1_001, "include_trace": True})
    assert too_many.status_code == 422
    assert [e["field"] for e in too_many.json()["errors"]] == ["include_trace"]


async def test_the_batch_agrees_with_single_requests(client: AsyncClient) -> None:
    rng = random.Random(20240305)
    rules = [
        "national.database-entry-province",  # working days
        "quang-nam-2024.database-from-decision",  # calendar days, rolls
        "national.publication-decision-province",  # backward
        "national.dossier-supplement-request",  # in force until 30/6/2025
        "nghe-an-2023.publicise",  # on the anchor day
        "quang-nam-2024.reception-list",  # immediately after
        "nghe-an-2023.after-inspection",  # no due date
        "quang-nam-2024.q1-q2-2024",  # instalments
    ]
    items: list[dict[str, Any]] = []
    for _ in range(80):
        anchor = (dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(1100))).isoformat()
        if rng.random() < 0.5:
            items.append({"anchor": anchor, "rule": rng.choice(rules)})
        else:
            item: dict[str, Any] = {
                "anchor": anchor,
                "amount": rng.randrange(0, 40),
                "unit": rng.choice(["calendar_days", "working_days", "weeks", "months"]),
            }
            if rng.random() < 0.3:
                item["direction"] = "backward"
            if rng.random() < 0.3:
                item["roll"] = rng.choice(["following", "preceding", "none"])
            items.append(item)
    results = (await batch(client, items))["results"]
    for item, result in zip(items, results, strict=True):
        single = await client.post("/v1/deadlines/compute", json=item)
        if single.status_code != 200:
            assert result["error"]["status"] == single.status_code, item
            assert result["error"]["type"] == single.json()["type"], item
            continue
        one = single.json()
        assert result["due_date"] == one["due_date"], item
        assert result["flags"] == one["flags"], item
        assert result["provisional"] == one["provisional"], item
        assert result.get("start_date") == one["start_date"], item
