"""The hot lane (app/api/kit/hot_lane.py) answers exactly what the router would: the same status,
headers and body for good and bad requests, a problem for a refusal, the route's label in the
metrics, and the router's own answer for a method the route does not take."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from app.api.kit import hot_lane
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import settings_for

# The helper's routes without path parameters, each with its method: what the lane serves.
LANE = {
    ("GET", "/v1/calendar/working-days/add"),
    ("GET", "/v1/calendar/working-days/count"),
    ("POST", "/v1/deadlines/compute"),
    ("POST", "/v1/deadlines/compute-batch"),
    ("POST", "/v1/dossiers/appointment"),
    ("POST", "/v1/dossiers/appointment/batch"),
}

ASKED: list[tuple[str, str, object]] = [
    ("GET", "/v1/calendar/working-days/add?start=2024-02-07&days=3", None),
    ("GET", "/v1/calendar/working-days/add?start=2024-02-07&days=-3", None),
    ("GET", "/v1/calendar/working-days/add?start=2024-02-30&days=3", None),  # no such day: 422
    ("GET", "/v1/calendar/working-days/count?start=2024-04-15&end=2024-05-06", None),
    ("HEAD", "/v1/calendar/working-days/add?start=2024-02-07&days=3", None),
    ("POST", "/v1/deadlines/compute", {"anchor": "2024-03-05", "amount": 5, "unit": "weeks"}),
    ("POST", "/v1/deadlines/compute", {"anchor": "2024-03-05", "rule": "no-such.rule"}),  # 404
    ("POST", "/v1/deadlines/compute", {"anchor": "2024-03-05"}),  # neither form: 422
    ("POST", "/v1/deadlines/compute-batch", {"items": [{"anchor": "2024-03-05"}]}),
    (
        "POST",
        "/v1/dossiers/appointment",
        {
            "received_at": "2025-07-04T16:30:00+07:00",
            "processing": {"amount": 3, "unit": "working_days"},
        },
    ),
    ("POST", "/v1/dossiers/appointment", {"received_at": "2025-07-04T16:30:00"}),  # naive: 422
    ("POST", "/v1/calendar/working-days/add?start=2024-02-07&days=3", None),  # 405
    ("GET", "/v1/deadlines/compute", None),  # 405
]


@pytest.fixture(scope="module")
async def router_only(database_url: str) -> AsyncIterator[FastAPI]:
    """The same application with an empty lane: every request goes through the router."""
    patch = pytest.MonkeyPatch()
    patch.setattr(hot_lane, "lane_table", lambda routes: {})
    application = create_app(settings_for(database_url))
    try:
        async with application.router.lifespan_context(application):
            yield application
    finally:
        patch.undo()


def test_the_lane_serves_the_helper_routes_without_path_parameters(app: FastAPI) -> None:
    served = set(hot_lane.lane_table(app.routes))
    assert served == LANE


async def test_answers_are_the_routers_own(app: FastAPI, router_only: FastAPI) -> None:
    async def ask(application: FastAPI) -> list[tuple[int, dict[str, str], bytes]]:
        answers = []
        async with AsyncClient(
            transport=ASGITransport(app=application), base_url="http://testserver"
        ) as http:
            for method, url, body in ASKED:
                response = await http.request(
                    method, url, json=body, headers={"X-Request-ID": "same"}
                )
                headers = dict(response.headers)
                headers.pop("date", None)
                answers.append((response.status_code, headers, response.content))
        return answers

    through_lane, through_router = await ask(app), await ask(router_only)
    assert [a[0] for a in through_lane] == [
        200, 200, 422, 200, 200, 200, 404, 422, 200, 200, 422, 405, 405,
    ]  # fmt: skip
    assert through_lane == through_router
    problem = json.loads(through_lane[2][2])
    assert through_lane[2][1]["content-type"] == "application/problem+json"
    assert problem["errors"][0]["field"] == "start"


async def test_metrics_label_lane_requests_with_their_route(client: AsyncClient) -> None:
    await client.get("/v1/calendar/working-days/count?start=2024-04-15&end=2024-05-06")
    metrics = (await client.get("/metrics")).text
    assert 'route="/v1/calendar/working-days/count"' in metrics


async def test_reads_need_a_key_on_the_lane_when_required(
    client: AsyncClient, runtime: Runtime, api_key: Callable[..., Awaitable[str]]
) -> None:
    # REQUIRE_API_KEY_FOR_READS: the hot routes check the key in their context, before reading
    # the question; the refusal is the service's 401 problem.
    key = await api_key("compute")
    runtime.settings.require_api_key_for_reads = True
    try:
        add = "/v1/calendar/working-days/add?start=2024-02-07&days=3"
        refused = await client.get(add)
        assert refused.status_code == 401
        assert refused.headers["content-type"] == "application/problem+json"
        body = {"anchor": "2024-03-05", "amount": 5, "unit": "calendar_days"}
        assert (await client.post("/v1/deadlines/compute", json=body)).status_code == 401
        assert (await client.get(add, headers={"X-API-Key": "vnd_wrong"})).status_code == 401
        allowed = await client.get(add, headers={"Authorization": f"Bearer {key}"})
        assert allowed.status_code == 200
        # Tet 2024: Thu 8/2 to Wed 14/2 off, so 3 working days after Wed 7/2 end on Mon 19/2.
        assert allowed.json()["result"] == "2024-02-19"
    finally:
        runtime.settings.require_api_key_for_reads = False
