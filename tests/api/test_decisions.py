"""Publication decisions over HTTP: the obligations each profile creates, worked by hand.

Counting (docs/legal-basis.md#counting, Civil Code 2015 Arts. 147–148): the signing day is not
counted; N
working days end on the Nth working day after it; N calendar days end on the Nth day after it,
moved to the next working day when that is a day off. Official calendar
(docs/legal-basis.md#calendar): 2023 —
Sat 29/4 Giỗ Tổ, Sun 30/4, Mon 1/5, then compensatory Tue 2/5 and Wed 3/5; 2024 — Mon 29/4 off,
Tue 30/4 and Wed 1/5 holidays, Sat 4/5 worked (Công văn 2450/VPCP-KGVX), Mon 2/9 and Tue 3/9
National Day; 1/1/2025 New Year.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from httpx import AsyncClient

from app.runtime import Runtime
from app.services.obligations import today_local
from tests.api.test_decisions_support import (
    QN,
    by_rule,
    counts,
    create,
    decision_body,
    due_dates,
    events_after,
    last_event,
    problem_fields,
    sql,
)

KeyMaker = Callable[..., Awaitable[str]]


@pytest.fixture
async def writer(api_key: KeyMaker) -> str:
    return await api_key("write")


async def test_the_quang_nam_decision_creates_its_duties(
    client: AsyncClient, writer: str, runtime: Runtime
) -> None:
    """Provincial decision signed Tuesday 5/3/2024 under quang-nam-2024 (467/QĐ-UBND)."""
    cursor = await last_event(runtime)
    created = await create(client, writer)
    assert created["profile"] == QN and created["level"] == "province"
    assert due_dates(created["obligations"]) == {
        # "Chậm nhất là 03 ngày làm việc": Wed 6 (1), Thu 7 (2), Fri 8 (3) → Fri 8/3
        "quang-nam-2024.posting-counter": "2024-03-08",
        "quang-nam-2024.posting-portals": "2024-03-08",
        # "05 ngày thông thường": 6, 7, 8, 9, 10 → Sun 10/3, a day off → Mon 11/3
        "quang-nam-2024.provincial-system-list": "2024-03-11",
        # "trước 07 ngày": 5/3 + 7 calendar days → Tue 12/3 (a working day)
        "quang-nam-2024.internal-process": "2024-03-12",
        # "chậm nhất là 03 ngày" after the internal process, projected from its due date:
        # 12/3 + 3 → Fri 15/3
        "quang-nam-2024.electronic-process": "2024-03-15",
        # ND 63/2010 Art. 24(2), 5 working days: 6, 7, 8, 11, 12 → Tue 12/3
        "national.database-entry-province": "2024-03-12",
    }
    duties = by_rule(created["obligations"])
    electronic = duties["quang-nam-2024.electronic-process"]
    assert electronic["projected"] is True and "anchor_projected" in electronic["flags"]
    assert electronic["chain_from"] == "quang-nam-2024.internal-process"
    assert [o["projected"] for o in created["obligations"]].count(True) == 1
    listing = duties["quang-nam-2024.provincial-system-list"]
    assert listing["flags"] == ["rolled"]
    assert [s["step"] for s in listing["trace"]["steps"]] == ["anchor", "count", "roll"]
    assert listing["trace"]["steps"][-1]["date"] == "2024-03-11"
    database = duties["national.database-entry-province"]
    assert "63/2010" in database["citation"]["document"]
    assert database["citation"]["confidence"] == "V"
    # Every obligation records what it was computed with.
    assert {o["calendar_revision"] for o in created["obligations"]} == {
        runtime.calendar.snapshot.revision  # type: ignore[union-attr]
    }
    assert {o["profile_version"] for o in created["obligations"]} == {1}
    # Long past (today is after 2024): every open duty is overdue as of today ...
    assert {o["status"] for o in created["obligations"]} == {"overdue"}
    assert created["status"] == "overdue"
    # ... but pending as of Wednesday 6/3/2024, and the posting is due (not late) on Fri 8/3.
    listed = await client.get(
        f"/v1/decisions/{created['id']}/obligations", params={"as_of": "2024-03-08"}
    )
    assert {o["status"] for o in listed.json()["items"]} == {"pending"}
    nine = await client.get(
        f"/v1/decisions/{created['id']}/obligations", params={"as_of": "2024-03-09"}
    )
    statuses = {o["rule"]: o["status"] for o in nine.json()["items"]}
    assert statuses["quang-nam-2024.posting-counter"] == "overdue"
    assert statuses["quang-nam-2024.internal-process"] == "pending"
    # The procedures, in the order given, and the events: the decision, the two new catalog
    # entries, one per obligation.
    assert [(p["code"], p["action"]) for p in created["procedures"]] == [
        ("1.001234", "new"),
        ("2.000123", "new"),
    ]
    events = await events_after(runtime, cursor)
    assert [e[0] for e in events] == [
        "decision.created",
        "procedure.upserted",
        "procedure.upserted",
        *["obligation.created"] * 6,
    ]
    assert events[0][2]["obligations"] == [o["id"] for o in created["obligations"]]


async def test_get_one_and_its_obligations(client: AsyncClient, writer: str) -> None:
    created = await create(client, writer)
    one = await client.get(f"/v1/decisions/{created['id']}")
    assert one.status_code == 200
    assert one.headers["etag"] == f'"1.{today_local().isoformat()}"'  # version 1, read today
    assert one.json()["obligations"] == created["obligations"]
    assert (await client.get("/v1/decisions/999999999")).status_code == 404
    listed = (await client.get(f"/v1/decisions/{created['id']}/obligations")).json()
    assert [o["id"] for o in listed["items"]] == [o["id"] for o in created["obligations"]]


# (profile, level, shortened, signed, effective, expected due dates with the count)
OTHER_PROFILES: list[tuple[str, str, bool, str, str, dict[str, str]]] = [
    (
        "nghe-an-2023",
        "province",
        False,
        "2023-03-17",  # Friday
        "2023-04-01",  # Saturday
        {
            # "Chậm nhất 10 ngày kể từ ngày ban hành": 17/3 + 10 → Mon 27/3
            "nghe-an-2023.processes": "2023-03-27",
            # "đúng ngày … có hiệu lực": Sat 1/4 is a day off → Mon 3/4
            "nghe-an-2023.publicise": "2023-04-03",
            # 5 working days: Mon 20, 21, 22, 23, Fri 24/3
            "national.database-entry-province": "2023-03-24",
        },
    ),
    (
        "an-giang-construction-2023",
        "province",
        False,
        "2023-04-20",  # Thursday
        "2023-04-20",
        {
            # 5 working days: Fri 21 (1), Mon 24 (2), 25 (3), 26 (4), Thu 27/4 (5)
            "national.database-entry-province": "2023-04-27",
            # 10 days: 20/4 + 10 → Sun 30/4; Mon 1/5 holiday, Tue 2/5 and Wed 3/5
            # compensatory → Thu 4/5
            "an-giang-construction-2023.internal-process": "2023-05-04",
            # 10 days after the internal process, projected from 4/5: → Sun 14/5 → Mon 15/5
            "an-giang-construction-2023.electronic-process": "2023-05-15",
        },
    ),
    (
        "national",
        "national",  # a minister's decision
        False,
        "2024-04-22",  # Monday
        "2024-06-01",
        {
            # ND 63/2010 Art. 24(2), 10 working days: Tue 23 (1), 24 (2), 25 (3), Fri 26 (4);
            # Mon 29/4 swapped off, 30/4 and 1/5 holidays; Thu 2/5 (5), Fri 3/5 (6), Sat 4/5
            # worked (7), Mon 6/5 (8), Tue 7/5 (9), Wed 8/5 (10)
            "national.database-entry-ministry": "2024-05-08",
        },
    ),
    (
        "national",
        "province",
        True,
        "2024-08-29",  # Thursday
        "2024-08-29",
        {
            # shortened procedure, 2 working days: Fri 30/8 (1); Mon 2/9 and Tue 3/9 National
            # Day; Wed 4/9 (2)
            "national.database-entry-shortened": "2024-09-04",
        },
    ),
    (
        "thanh-hoa-district-2021",
        "province",
        False,
        "2021-06-08",  # Tuesday
        "2021-06-08",
        {
            # the district plan tracks no duty of its own: the statutory 5 working days,
            # Wed 9 (1), 10 (2), 11 (3), Mon 14 (4), Tue 15/6 (5)
            "national.database-entry-province": "2021-06-15",
        },
    ),
    (
        QN,
        "province",
        False,
        "2024-12-30",  # Monday, two days before the plan ends
        "2024-12-30",
        {
            # 3 working days: Tue 31/12 (1); Wed 1/1/2025 New Year; Thu 2/1 (2), Fri 3/1 (3)
            "quang-nam-2024.posting-counter": "2025-01-03",
            "quang-nam-2024.posting-portals": "2025-01-03",
            # 5 days: → Sat 4/1/2025 → Mon 6/1
            "quang-nam-2024.provincial-system-list": "2025-01-06",
            # 7 days: → Mon 6/1/2025 (the duty stays owed after the plan's year ends)
            "quang-nam-2024.internal-process": "2025-01-06",
            # projected: 6/1 + 3 → Thu 9/1/2025
            "quang-nam-2024.electronic-process": "2025-01-09",
            # 5 working days: 31/12 (1), 2/1 (2), 3/1 (3), 6/1 (4), Tue 7/1/2025 (5)
            "national.database-entry-province": "2025-01-07",
        },
    ),
    (
        "national",
        "province",
        False,
        "2025-03-03",  # Monday, after the Quảng Nam 2024 plan: the national profile
        "2025-03-03",
        {
            # 5 working days: Tue 4 (1), 5 (2), 6 (3), Fri 7 (4), Mon 10/3 (5)
            "national.database-entry-province": "2025-03-10",
        },
    ),
]


@pytest.mark.parametrize(
    ("profile", "level", "shortened", "signed", "effective", "expected"), OTHER_PROFILES
)
async def test_other_profiles(
    client: AsyncClient,
    writer: str,
    profile: str,
    level: str,
    shortened: bool,
    signed: str,
    effective: str,
    expected: dict[str, str],
) -> None:
    body = decision_body(
        profile=profile,
        level=level,
        shortened=shortened,
        signed_on=signed,
        effective_on=effective,
        issuer="Bộ Tư pháp" if level == "national" else "UBND tỉnh",
    )
    created = await create(client, writer, body)
    assert due_dates(created["obligations"]) == expected


@pytest.mark.parametrize(
    "signed",
    [
        "2025-01-15",  # after quang-nam-2024's rules end (31/12/2024)
        "2024-03-04",  # the day before the plan (467/QĐ-UBND) starts on 5/3/2024
    ],
)
async def test_a_decision_outside_its_profiles_period_is_refused(
    client: AsyncClient, writer: str, runtime: Runtime, signed: str
) -> None:
    # Recording it would drop the plan's five duties silently (1 obligation instead of 6):
    # refused, naming the plan's period and the profiles that do cover the date
    # (docs/legal-basis.md#profile-period). Nothing is written.
    before = await counts(runtime)
    body = decision_body(signed_on=signed, effective_on=signed)
    r = await client.post("/v1/decisions", json=body, headers={"Authorization": f"Bearer {writer}"})
    assert r.status_code == 422, r.text
    assert problem_fields(r) == ["signed_on"]
    problem = r.json()
    assert problem["type"].endswith("outside-profile-period")
    assert "from 2024-03-05 to 2024-12-31" in problem["detail"]
    assert problem["detail"].endswith(f"Profiles covering {signed}: national")
    assert await counts(runtime) == before


async def test_a_correction_that_moves_the_signing_out_of_the_period_is_refused(
    client: AsyncClient, writer: str
) -> None:
    created = await create(client, writer)
    r = await client.patch(
        f"/v1/decisions/{created['id']}",
        json={"signed_on": "2025-01-02", "effective_on": "2025-01-02"},
        headers={"Authorization": f"Bearer {writer}", "If-Match": f'"{created["version"]}"'},
    )
    assert r.status_code == 422, r.text
    assert problem_fields(r) == ["signed_on"]


async def test_completing_the_internal_process_gives_the_electronic_one_its_real_date(
    client: AsyncClient, writer: str, runtime: Runtime
) -> None:
    created = await create(client, writer)
    duties = by_rule(created["obligations"])
    internal = duties["quang-nam-2024.internal-process"]
    electronic = duties["quang-nam-2024.electronic-process"]
    cursor = await last_event(runtime)
    # approved early, Friday 8/3/2024 → the electronic process is due 8/3 + 3 = Mon 11/3
    r = await client.post(
        f"/v1/obligations/{internal['id']}/complete",
        json={"completed_on": "2024-03-08", "evidence": "Quyết định 512/QĐ-UBND phê duyệt"},
        headers={"Authorization": f"Bearer {writer}"},
    )
    assert r.status_code == 200, r.text
    assert (r.json()["status"], r.json()["completed_on"]) == ("done", "2024-03-08")
    after = (await client.get(f"/v1/obligations/{electronic['id']}")).json()
    assert (after["due_date"], after["projected"], after["flags"]) == ("2024-03-11", False, [])
    assert after["trace"]["steps"][0]["step"] == "chain"
    (change,) = after["changes"]
    assert (change["reason"], change["old_due_date"], change["new_due_date"]) == (
        "anchor_completed",
        "2024-03-15",
        "2024-03-11",
    )
    events = await events_after(runtime, cursor)
    assert [(e[0], e[1]) for e in events] == [
        ("obligation.completed", str(internal["id"])),
        ("obligation.rescheduled", str(electronic["id"])),
    ]
    assert events[1][2]["old_due_date"] == "2024-03-15"
    assert events[1][2]["new_due_date"] == "2024-03-11"


async def test_done_late_waived_and_refusals(
    client: AsyncClient, writer: str, runtime: Runtime
) -> None:
    created = await create(client, writer)
    duties = by_rule(created["obligations"])
    auth = {"Authorization": f"Bearer {writer}"}
    counter = duties["quang-nam-2024.posting-counter"]["id"]  # due Fri 8/3/2024
    portals = duties["quang-nam-2024.posting-portals"]["id"]  # due Fri 8/3/2024
    database = duties["national.database-entry-province"]["id"]  # due Tue 12/3/2024

    on_time = await client.post(
        f"/v1/obligations/{counter}/complete", json={"completed_on": "2024-03-08"}, headers=auth
    )
    assert on_time.json()["status"] == "done"  # the due day itself is in time
    late = await client.post(
        f"/v1/obligations/{portals}/complete", json={"completed_on": "2024-03-11"}, headers=auth
    )
    assert late.json()["status"] == "done_late"  # Monday 11/3, a working day after
    again = await client.post(
        f"/v1/obligations/{portals}/complete", json={"completed_on": "2024-03-11"}, headers=auth
    )
    assert again.status_code == 409 and problem_fields(again) == ["status"]
    cannot_waive = await client.post(
        f"/v1/obligations/{counter}/waive", json={"reason": "không cần"}, headers=auth
    )
    assert cannot_waive.status_code == 409
    future = await client.post(
        f"/v1/obligations/{database}/complete", json={"completed_on": "2999-01-01"}, headers=auth
    )
    assert future.status_code == 422 and problem_fields(future) == ["completed_on"]
    before = await client.post(
        f"/v1/obligations/{database}/complete", json={"completed_on": "2024-03-04"}, headers=auth
    )
    assert before.status_code == 422 and problem_fields(before) == ["completed_on"]
    listing = duties["quang-nam-2024.provincial-system-list"]["id"]
    waived = await client.post(
        f"/v1/obligations/{listing}/waive",
        json={"reason": "Đã cập nhật theo quyết định trước"},
        headers=auth,
    )
    assert (waived.json()["status"], waived.json()["waived_reason"]) == (
        "waived",
        "Đã cập nhật theo quyết định trước",
    )
    # a retried completion with its Idempotency-Key gets the first answer, not a conflict
    keyed = auth | {"Idempotency-Key": "complete-db-1"}
    retry_body = {"completed_on": "2024-03-12"}
    first = await client.post(
        f"/v1/obligations/{database}/complete", json=retry_body, headers=keyed
    )
    replay = await client.post(
        f"/v1/obligations/{database}/complete", json=retry_body, headers=keyed
    )
    assert first.status_code == replay.status_code == 200
    assert replay.headers["idempotent-replayed"] == "true" and replay.json() == first.json()
    missing = await client.post(
        "/v1/obligations/987654321/complete", json={"completed_on": "2024-03-08"}, headers=auth
    )
    assert missing.status_code == 404
    anonymous = await client.post(
        f"/v1/obligations/{database}/complete", json={"completed_on": "2024-03-08"}
    )
    assert anonymous.status_code == 401
    rows = await sql(
        runtime,
        "SELECT status, completed_on::text, closed_by IS NOT NULL FROM obligations "
        "WHERE id IN (:a, :b) ORDER BY id",
        a=counter,
        b=portals,
    )
    assert [tuple(r) for r in rows] == [
        ("done", "2024-03-08", True),
        ("done_late", "2024-03-11", True),
    ]


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"procedures": [{"code": "1.00123", "name": "x"}]}, 422, "procedures[0].code"),
        ({"procedures": [{"code": "A.001234", "name": "x"}]}, 422, "procedures[0].code"),
        ({"procedures": [{"code": "1001234", "name": "x"}]}, 422, "procedures[0].code"),
        ({"procedures": [{"code": "1.0012345", "name": "x"}]}, 422, "procedures[0].code"),
        ({"procedures": []}, 422, "procedures"),
        (
            {"procedures": [{"code": "1.001234", "name": "a"}, {"code": "1.001234", "name": "b"}]},
            422,
            "procedures",
        ),
        ({"effective_on": "2024-03-04"}, 422, "effective_on"),  # before signing (5/3)
        ({"ministry_list_signed_on": "2024-03-06"}, 422, "ministry_list_signed_on"),
        ({"profile": "da-nang-2030"}, 422, "profile"),
        ({"level": "ministry"}, 422, "level"),  # a provincial plan tracks provincial decisions
        ({"level": "district"}, 422, "level"),
        ({"kind": "merged"}, 422, "kind"),
        ({"number": "QĐ-UBND"}, 422, "number"),
        ({"signed_on": "2031-01-06", "effective_on": "2031-01-06"}, 422, "signed_on"),
        ({"signed_on": "2024-02-30"}, 422, "signed_on"),
        ({"surprise": 1}, 422, "surprise"),
        (
            {
                "kind": "abolished",
                "procedures": [{"code": "1.001234", "name": "x", "action": "new"}],
            },
            422,
            "procedures[0].action",
        ),
    ],
)
async def test_bad_decisions_are_refused_and_nothing_is_written(
    client: AsyncClient,
    writer: str,
    runtime: Runtime,
    change: dict[str, Any],
    status: int,
    field: str,
) -> None:
    before = await counts(runtime)
    r = await client.post(
        "/v1/decisions",
        json=decision_body(**change),
        headers={"Authorization": f"Bearer {writer}"},
    )
    assert r.status_code == status, r.text
    assert field in problem_fields(r)
    assert await counts(runtime) == before


async def test_a_duplicate_number_for_one_issuer_is_a_conflict(
    client: AsyncClient, writer: str, runtime: Runtime
) -> None:
    body = decision_body(number="467/QĐ-UBND")
    await create(client, writer, body)
    before = await counts(runtime)
    # the same number again, with other procedures: refused whole
    again = decision_body(
        number="467/QĐ-UBND", procedures=[{"code": "1.009999", "name": "Thủ tục khác"}]
    )
    r = await client.post(
        "/v1/decisions", json=again, headers={"Authorization": f"Bearer {writer}"}
    )
    assert r.status_code == 409, r.text
    assert problem_fields(r) == ["number"]
    assert await counts(runtime) == before
    assert await sql(runtime, "SELECT 1 FROM procedures WHERE code = '1.009999'") == []
    # another issuer may use the same number
    other = decision_body(number="467/QĐ-UBND", issuer="UBND tỉnh Nghệ An")
    await create(client, writer, other)


async def test_writes_need_the_write_scope(client: AsyncClient, api_key: KeyMaker) -> None:
    assert (await client.post("/v1/decisions", json=decision_body())).status_code == 401
    reader = await api_key("compute")
    r = await client.post(
        "/v1/decisions", json=decision_body(), headers={"Authorization": f"Bearer {reader}"}
    )
    assert r.status_code == 403


async def test_correcting_the_signing_date_moves_the_open_obligations(
    client: AsyncClient, writer: str, runtime: Runtime
) -> None:
    auth = {"Authorization": f"Bearer {writer}"}
    created = await create(client, writer)
    duties = by_rule(created["obligations"])
    counter = duties["quang-nam-2024.posting-counter"]
    await client.post(
        f"/v1/obligations/{counter['id']}/complete",
        json={"completed_on": "2024-03-07"},
        headers=auth,
    )
    cursor = await last_event(runtime)
    stale = await client.patch(
        f"/v1/decisions/{created['id']}",
        json={"signed_on": "2024-03-06", "effective_on": "2024-03-06"},
        headers=auth | {"If-Match": '"7"'},
    )
    assert stale.status_code == 412 and stale.headers["etag"] == '"1"'
    r = await client.patch(
        f"/v1/decisions/{created['id']}",
        json={"signed_on": "2024-03-06", "effective_on": "2024-03-06", "note": "đính chính"},
        headers=auth | {"If-Match": '"1"'},
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["version"], body["signed_on"], body["note"]) == (2, "2024-03-06", "đính chính")
    assert r.headers["etag"] == '"2"'
    assert due_dates(body["obligations"]) == {
        # completed on 7/3: stays as it was
        "quang-nam-2024.posting-counter": "2024-03-08",
        # signed Wed 6/3: Thu 7 (1), Fri 8 (2), Mon 11 (3) → 11/3
        "quang-nam-2024.posting-portals": "2024-03-11",
        # 6/3 + 5 → Mon 11/3
        "quang-nam-2024.provincial-system-list": "2024-03-11",
        # 6/3 + 7 → Wed 13/3
        "quang-nam-2024.internal-process": "2024-03-13",
        # projected: 13/3 + 3 → Sat 16/3 → Mon 18/3
        "quang-nam-2024.electronic-process": "2024-03-18",
        # 5 working days: 7, 8, 11, 12, 13 → Wed 13/3
        "national.database-entry-province": "2024-03-13",
    }
    events = await events_after(runtime, cursor)
    assert events[0][0] == "decision.updated"
    assert events[0][2]["changes"]["signed_on"] == ["2024-03-05", "2024-03-06"]
    moved = {e[1] for e in events if e[0] == "obligation.rescheduled"}
    # the provincial list stays on Monday 11/3: not moved, no event
    assert moved == {
        str(duties[rule]["id"])
        for rule in (
            "quang-nam-2024.posting-portals",
            "quang-nam-2024.internal-process",
            "quang-nam-2024.electronic-process",
            "national.database-entry-province",
        )
    }
    assert sorted(events[0][2]["rescheduled"]) == sorted(int(i) for i in moved)
    changes = await sql(
        runtime,
        "SELECT reason, old_due_date::text, new_due_date::text FROM obligation_changes "
        "WHERE obligation_id = :o",
        o=duties["national.database-entry-province"]["id"],
    )
    assert [tuple(c) for c in changes] == [("decision_corrected", "2024-03-12", "2024-03-13")]
    # a correction out of the plan's period is refused: 4/3 is before the plan starts
    # (docs/legal-basis.md#profile-period)
    before_plan = await client.patch(
        f"/v1/decisions/{created['id']}",
        json={"signed_on": "2024-03-04", "effective_on": "2024-03-04"},
        headers=auth,
    )
    assert before_plan.status_code == 422 and problem_fields(before_plan) == ["signed_on"]
    bad = await client.patch(
        f"/v1/decisions/{created['id']}", json={"effective_on": "2024-03-01"}, headers=auth
    )
    assert bad.status_code == 422 and problem_fields(bad) == ["effective_on"]
    frozen = await client.patch(
        f"/v1/decisions/{created['id']}", json={"profile": "national"}, headers=auth
    )
    assert frozen.status_code == 422


async def test_delete_only_while_nothing_is_completed(
    client: AsyncClient, writer: str, runtime: Runtime
) -> None:
    auth = {"Authorization": f"Bearer {writer}"}
    first = await create(client, writer)
    cursor = await last_event(runtime)
    gone = await client.delete(f"/v1/decisions/{first['id']}", headers=auth)
    assert gone.status_code == 204
    assert (await client.get(f"/v1/decisions/{first['id']}")).status_code == 404
    assert (
        await sql(runtime, "SELECT 1 FROM obligations WHERE decision_id = :d", d=first["id"]) == []
    )
    (event,) = await events_after(runtime, cursor)
    assert event[0] == "decision.deleted"
    assert event[2]["obligations"] == [o["id"] for o in first["obligations"]]

    second = await create(client, writer)
    done = by_rule(second["obligations"])["quang-nam-2024.posting-counter"]
    await client.post(
        f"/v1/obligations/{done['id']}/complete", json={"completed_on": "2024-03-07"}, headers=auth
    )
    refused = await client.delete(f"/v1/decisions/{second['id']}", headers=auth)
    assert refused.status_code == 409
    assert (await client.get(f"/v1/decisions/{second['id']}")).status_code == 200


async def test_list_filters_and_keyset_pagination(client: AsyncClient, writer: str) -> None:
    issuer = "UBND tỉnh Thử nghiệm"
    signed = ["2024-03-05", "2024-03-12", "2024-04-02", "2024-05-07", "2024-06-04"]
    ids = []
    for day in signed:
        body = decision_body(issuer=issuer, signed_on=day, effective_on=day)
        ids.append((await create(client, writer, body))["id"])
    seen: list[int] = []
    after = None
    pages = 0
    while True:
        params: dict[str, Any] = {"issuer": issuer, "limit": 2}
        if after:
            params["cursor"] = after
        page = (await client.get("/v1/decisions", params=params)).json()
        seen += [d["id"] for d in page["items"]]
        pages += 1
        after = page["next_cursor"]
        if after is None:
            break
    assert seen == list(reversed(ids)) and pages == 3  # newest signing first
    window = await client.get(
        "/v1/decisions",
        params={"issuer": issuer, "signed_from": "2024-03-12", "signed_to": "2024-05-07"},
    )
    assert [d["signed_on"] for d in window.json()["items"]] == [
        "2024-05-07",
        "2024-04-02",
        "2024-03-12",
    ]
    summary = window.json()["items"][0]
    assert summary["obligations"] == {"overdue": 6} and summary["status"] == "overdue"
    as_of = await client.get(
        "/v1/decisions", params={"issuer": issuer, "status": "overdue", "as_of": "2024-04-01"}
    )
    # as of 1/4/2024 only the decisions signed in March have duties past due
    assert [d["signed_on"] for d in as_of.json()["items"]] == ["2024-03-12", "2024-03-05"]
    still_open = await client.get(
        "/v1/decisions", params={"issuer": issuer, "status": "open", "as_of": "2024-04-01"}
    )
    assert [d["signed_on"] for d in still_open.json()["items"]] == [
        "2024-06-04",
        "2024-05-07",
        "2024-04-02",
    ]
    assert {d["status"] for d in still_open.json()["items"]} == {"open"}
    closed = await client.get("/v1/decisions", params={"issuer": issuer, "status": "closed"})
    assert closed.json()["items"] == []
    by_profile = await client.get("/v1/decisions", params={"issuer": issuer, "profile": "national"})
    assert by_profile.json()["items"] == []
    bad = await client.get("/v1/decisions", params={"cursor": "not-a-cursor"})
    assert bad.status_code == 422 and problem_fields(bad) == ["cursor"]
