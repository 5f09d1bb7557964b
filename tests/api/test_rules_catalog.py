"""Reading the rule catalog: rules with their citations and readings, profiles with their
rules and versions, filters, and 404/422 problems. Counts are those of the shipped files
(app/data/rules/*.toml): national 12 rules, Nghệ An 17, Hà Tĩnh 7, Quảng Nam 29, the Thanh Hóa
district 7, An Giang 13."""

from __future__ import annotations

from typing import Any

import pytest
from httpx import AsyncClient

PROBLEM = "application/problem+json"
OWN_RULES = {
    "national": 12,
    "nghe-an-2023": 17,
    "ha-tinh-2022": 7,
    "quang-nam-2024": 29,
    "thanh-hoa-district-2021": 7,
    "an-giang-construction-2023": 13,
}


async def rules(client: AsyncClient, **params: str) -> list[dict[str, Any]]:
    r = await client.get("/v1/rules", params=params)
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def test_profiles(client: AsyncClient) -> None:
    body = (await client.get("/v1/profiles")).json()
    got = {p["code"]: p for p in body["items"]}
    assert {code: p["rule_count"] for code, p in got.items()} == OWN_RULES
    assert got["national"]["extends"] is None
    assert all(p["extends"] == "national" for c, p in got.items() if c != "national")
    # national.toml is at version 2 (ND 118/2025 read); the plans never changed
    assert {c: p["version"] for c, p in got.items()} == {
        c: 2 if c == "national" else 1 for c in got
    }
    quang_nam = got["quang-nam-2024"]
    assert quang_nam["source"] == {
        "title": quang_nam["source"]["title"],
        "document": "467/QĐ-UBND",
        "signed": "2024-03-05",
    }
    assert (quang_nam["level"], quang_nam["year"], quang_nam["before_day"]) == (
        "province",
        2024,
        "strict",
    )
    assert isinstance(body["catalog_revision"], int)


async def test_one_profile_with_its_rules_and_history(client: AsyncClient) -> None:
    body = (await client.get("/v1/profiles/quang-nam-2024")).json()
    assert body["lineage"] == ["national", "quang-nam-2024"]
    # 29 of its own and the 12 national rules, none of which it overrides
    assert len(body["rules"]) == 29 + 12
    owners = {r["code"]: r["profile"] for r in body["rules"]}
    assert owners["national.database-entry-province"] == "national"
    assert owners["quang-nam-2024.posting-counter"] == "quang-nam-2024"
    assert [(v["version"], v["changed_by"]) for v in body["history"]] == [
        (1, "seed: app/data/rules")
    ]


async def test_a_profile_version_document(client: AsyncClient) -> None:
    body = (await client.get("/v1/profiles/nghe-an-2023/versions/1")).json()
    assert body["document"]["profile"]["code"] == "nghe-an-2023"
    assert body["document"]["profile"]["effective_from"] == "2023-02-10"  # an ISO string
    assert len(body["document"]["rule"]) == 17
    missing = await client.get("/v1/profiles/nghe-an-2023/versions/2")
    assert missing.status_code == 404


async def test_every_rule_is_listed_once_with_its_profile(client: AsyncClient) -> None:
    items = await rules(client)
    assert len(items) == sum(OWN_RULES.values())
    assert len({r["code"] for r in items}) == len(items)
    for code, count in OWN_RULES.items():
        assert sum(1 for r in items if r["profile"] == code) == count


async def test_a_rule(client: AsyncClient) -> None:
    r = await client.get("/v1/rules/quang-nam-2024.posting-counter")
    assert r.status_code == 200
    assert r.json() == {
        "code": "quang-nam-2024.posting-counter",
        "profile": "quang-nam-2024",
        "title_vi": "Niêm yết, công khai TTHC tại Bộ phận tiếp nhận và trả kết quả",
        "title_en": "Post the procedures at the one-stop counters",
        "shape": "period",
        "amount": 3,
        "unit": "working_days",
        "direction": "forward",
        "anchor": "decision_signed",
        "chain_from": None,
        "roll": "following",  # the default of a forward period (Civil Code 2015 Art. 148(5))
        "roll_stated": False,
        "bound": "inclusive",
        "fixed_date": None,
        "periods": [],
        "recurrence": None,
        "citation": {
            "document": "Quyết định 467/QĐ-UBND ngày 05/3/2024 của UBND tỉnh Quảng Nam",
            "article": "Kế hoạch kèm theo, mục II, nhiệm vụ 4",
            "confidence": "V",
        },
        "effective_from": "2024-03-05",  # the plan's span, the default of its rules
        "effective_to": "2024-12-31",
        "phrases_vi": ["Chậm nhất là 03 ngày làm việc kể từ ngày quyết định công bố"],
        "interpretation": None,
        "duty_on": "publication_decision",
        "scope": None,
        "replaces": None,
    }


async def test_rules_of_other_shapes(client: AsyncClient) -> None:
    recurring = (await client.get("/v1/rules/quang-nam-2024.report-commune")).json()
    assert recurring["recurrence"] == {
        "frequency": "quarterly",
        "day": 17,
        "last_month": True,
        "reporting_duty": "kstthc-report",
    }
    assert recurring["roll"] is None
    window = (await client.get("/v1/rules/ha-tinh-2022.review-window")).json()
    # the data say 2022-03 and 2022-07; the wire writes the one period-code syntax
    assert (window["periods"], window["roll"]) == (["2022-M03", "2022-M07"], "preceding")
    chained = (await client.get("/v1/rules/quang-nam-2024.electronic-process")).json()
    assert (chained["anchor"], chained["chain_from"]) == (
        "duty_completed",
        "quang-nam-2024.internal-process",
    )
    backward = (await client.get("/v1/rules/national.publication-decision-province")).json()
    assert (backward["direction"], backward["roll"], backward["scope"]) == (
        "backward",
        "none",
        "province",
    )


async def test_a_national_rule_read_in_a_profile(client: AsyncClient) -> None:
    r = await client.get(
        "/v1/rules/national.database-entry-province", params={"profile": "quang-nam-2024"}
    )
    assert r.status_code == 200
    assert (r.json()["profile"], r.json()["amount"]) == ("national", 5)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        # the 13 recurring rules of the six profiles
        ({"shape": "recurring"}, 13),
        # Quảng Nam's decision duties: its 5 and the 3 national database entries
        ({"profile": "quang-nam-2024", "duty_on": "publication_decision"}, 8),
        # no national rule is uncertain since Decree 118/2025 was read (its Art. 19(5), 19(6))
        ({"profile": "national", "confidence": "?"}, 0),
        # secondary only: the report to the Government (ND 09/2019 Art. 13(1))
        ({"profile": "national", "confidence": "S"}, 1),
        # fixed dates: Nghệ An 1, Quảng Nam 3, An Giang 2
        ({"shape": "fixed_date"}, 6),
        # in force on 1/7/2025: the national rules without the two of Decree 61/2018
        ({"profile": "national", "on": "2025-07-01"}, 10),
    ],
)
async def test_filters(client: AsyncClient, params: dict[str, str], expected: int) -> None:
    items = await rules(client, **params)
    assert len(items) == expected
    for key in ("shape", "duty_on"):
        if key in params and expected:
            assert {r[key] for r in items} == {params[key]}
    if "confidence" in params and expected:
        assert {r["citation"]["confidence"] for r in items} == {params["confidence"]}


async def test_in_force_on_a_date(client: AsyncClient) -> None:
    codes = {r["code"] for r in await rules(client, profile="national", on="2025-07-01")}
    assert "national.dossier-apology-2025" in codes
    assert "national.dossier-apology" not in codes  # Decree 61/2018 ended 30/6/2025
    r = await client.get("/v1/rules/national.dossier-apology", params={"on": "2025-07-01"})
    assert r.status_code == 404


@pytest.mark.parametrize(
    ("path", "params", "status", "field"),
    [
        ("/v1/rules/national.no-such-rule", {}, 404, "rule"),
        ("/v1/rules/national.feedback-forward", {"profile": "atlantis"}, 404, "profile"),
        ("/v1/rules", {"profile": "atlantis"}, 404, "profile"),
        ("/v1/rules", {"shape": "triangle"}, 422, "shape"),
        ("/v1/rules", {"confidence": "maybe"}, 422, "confidence"),
        ("/v1/rules", {"on": "2024-02-30"}, 422, "on"),
        ("/v1/profiles/atlantis", {}, 404, "profile"),
    ],
)
async def test_problems(
    client: AsyncClient, path: str, params: dict[str, str], status: int, field: str
) -> None:
    r = await client.get(path, params=params)
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == PROBLEM
    assert field in [e["field"] for e in r.json()["errors"]]
