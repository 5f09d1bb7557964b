"""The hot lane (app/api/kit/hot_lane.py) answers exactly what the router would: the same status,
headers and body for good and bad requests, a problem for a refusal, the route's label in the
metrics, and the router's own answer for a method the route does not take; for a dossier's
events (a path parameter, a write key, an Idempotency-Key), the same checks in the same order."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient
from starlette.routing import Match

from app.api.kit import hot_lane
from app.api.kit.clock import current_time
from app.api.kit.middleware import every_route
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import rolled_back, settings_for
from tests.dossier_data import dossier

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
    application = create_app(settings_for(database_url))
    async with application.router.lifespan_context(application):
        # The lane reads its routes at its first request: this one, while they are hidden.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(hot_lane, "lane_table", lambda routes: {})
            patch.setattr(hot_lane, "lane_patterns", lambda routes: [])
            async with AsyncClient(
                transport=ASGITransport(app=application), base_url="http://testserver"
            ) as http:
                await http.get("/health/live")
        assert _lane(application).table == {}
        yield application


def _lane(application: FastAPI) -> hot_lane.HotLane:
    layer = application.middleware_stack
    while not isinstance(layer, hot_lane.HotLane):
        layer = layer.app  # type: ignore[union-attr]
    return layer


def test_the_lane_serves_the_helper_routes_without_path_parameters(app: FastAPI) -> None:
    served = set(hot_lane.lane_table(app.routes))
    assert served == LANE


def test_a_route_with_a_path_parameter_is_served_by_its_pattern_where_the_router_would(
    app: FastAPI,
) -> None:
    patterns = hot_lane.lane_patterns(app.routes)
    assert [(method, route.path) for method, route, _ in patterns] == [
        ("POST", "/v1/dossiers/{dossier_id}/events")
    ]
    # The router takes the first route that matches fully: for these paths, the lane's own.
    for method, route, _ in patterns:
        for value in ("1", "9223372036854775808", "by-code", "0", "x%20y"):
            path = route.path.replace("{dossier_id}", value)
            scope = {"type": "http", "method": method, "path": path, "root_path": ""}
            first = next(r for r in every_route(app.routes) if r.matches(scope)[0] == Match.FULL)
            assert first is route, path


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
    assert _lane(app).table, "the application's own lane served nothing"
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


ICT = dt.timezone(dt.timedelta(hours=7))


async def _events_answers(
    application: FastAPI, writer: str, reader: str
) -> list[tuple[int, dict[str, str], bytes]]:
    """A dossier's events asked of `application` in a transaction rolled back afterwards, its
    clock at Tue 5/3/2024 10:00 (the new dossier's path written /v1/dossiers/ID/events)."""
    runtime: Runtime = application.state.runtime

    async def now() -> dt.datetime:
        return dt.datetime(2024, 3, 5, 10, tzinfo=ICT)

    application.dependency_overrides[current_time] = now
    try:
        async with (
            rolled_back(runtime),
            AsyncClient(transport=ASGITransport(app=application), base_url="http://t") as http,
        ):
            write = {"Authorization": f"Bearer {writer}", "X-Request-ID": "same"}
            created = await http.post(
                "/v1/dossiers", json=dossier("lane-office", "H12-LANE"), headers=write
            )
            assert created.status_code == 201, created.text
            events = f"/v1/dossiers/{created.json()['id']}/events"
            pause = {"events": [{"kind": "paused", "at": "2024-03-05T09:30:00+07:00"}]}
            asked: list[tuple[str, str, object, dict[str, str]]] = [
                ("POST", events, pause, write),  # 201: the clock pauses at 09:30
                ("POST", events, pause, {}),  # no key: 401
                ("POST", events, pause, {"X-API-Key": reader}),  # a compute key: 403
                ("POST", "/v1/dossiers/abc/events", pause, write),  # not an id: 422
                ("POST", "/v1/dossiers/0/events", pause, write),  # ids start at 1: 422
                ("POST", "/v1/dossiers/999999999999/events", pause, write),  # 404
                ("POST", events, {"events": []}, write),  # no event: 422
                # a second pause at 09:40 while paused: refused by the clock, 422
                (
                    "POST",
                    events,
                    {"events": [{"kind": "paused", "at": "2024-03-05T09:40:00+07:00"}]},
                    write,
                ),
                ("POST", events, pause, write | {"Idempotency-Key": "k" * 201}),  # 422
                ("POST", events, b'{"events": [', write),  # not JSON: 422
                ("GET", events, None, write),  # 405
                ("POST", "/v1/dossiers/abc/events", pause, {}),  # the key first: 401
            ]
            answers = []
            for method, url, body, headers in asked:
                response = await http.request(
                    method,
                    url,
                    **({"content": body} if isinstance(body, bytes) else {"json": body}),
                    headers={"X-Request-ID": "same", **headers},
                )
                found = dict(response.headers)
                found.pop("date", None)
                # the problem's `instance` names the new dossier's path
                same = response.content.replace(events.encode(), b"/v1/dossiers/ID/events")
                answers.append((response.status_code, found, same))
            return answers
    finally:
        application.dependency_overrides.pop(current_time, None)


async def test_event_answers_are_the_routers_own(
    app: FastAPI, router_only: FastAPI, api_key: Callable[..., Awaitable[str]]
) -> None:
    writer, reader = await api_key("write"), await api_key("compute")
    through_lane = await _events_answers(app, writer, reader)
    through_router = await _events_answers(router_only, writer, reader)
    assert _lane(app).patterns, "the application's own lane served nothing"
    assert [a[0] for a in through_lane] == [
        201,
        401,
        403,
        422,
        422,
        404,
        422,
        422,
        422,
        422,
        405,
        401,
    ]
    for lane_answer, router_answer in zip(through_lane, through_router, strict=True):
        if lane_answer[0] == 201:  # two dossiers: their ids and record times differ
            a, b = json.loads(lane_answer[2]), json.loads(router_answer[2])
            assert lane_answer[1].pop("location") == f"/v1/dossiers/{a.pop('dossier_id')}"
            assert router_answer[1].pop("location") == f"/v1/dossiers/{b.pop('dossier_id')}"
            for answer in (a, b):
                for event in answer["events"]:
                    event.pop("recorded_at")
            lane_answer[1].pop("content-length")
            router_answer[1].pop("content-length")
            assert (lane_answer[0], lane_answer[1], a) == (router_answer[0], router_answer[1], b)
            assert a["clock"] == "paused"
            assert a["events"][0]["seq"] == 1
        else:
            assert lane_answer == router_answer
    fields = [json.loads(a[2])["errors"][0]["field"] for a in through_lane[3:5]]
    assert fields == ["dossier_id", "dossier_id"]
    assert json.loads(through_lane[8][2])["errors"][0]["field"] == "Idempotency-Key"
