"""Conditional requests and caching (RFC 9110): ETags, 304, Cache-Control, HEAD, gzip, CORS."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from httpx import ASGITransport, AsyncClient, Response
from starlette.types import Message, Receive, Scope, Send

from app.api.kit.compression import Compression
from app.main import create_app
from tests.api.test_decisions_support import QN, create
from tests.api.test_dossiers import dossier, office  # noqa: F401 (a fixture)
from tests.api.test_procedures import CODE, ENTRY
from tests.conftest import settings_for

KeyMaker = Callable[..., Awaitable[str]]
PORTAL = "https://dichvucong.example.gov.vn"


async def _revalidates(client: AsyncClient, url: str, **params: str) -> Response:
    """GET, then GET again with the tag (strong, then weak form): both 304, same tag."""
    first = await client.get(url, params=params)
    assert first.status_code == 200, first.text
    etag = first.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')  # strong
    for sent in (etag, f"W/{etag}", f'"other", {etag}'):
        again = await client.get(url, params=params, headers={"If-None-Match": sent})
        assert again.status_code == 304, (url, sent)
        assert again.content == b""
        assert again.headers["etag"] == etag
        assert again.headers["cache-control"] == first.headers["cache-control"]
    stale = await client.get(url, params=params, headers={"If-None-Match": '"stale"'})
    assert stale.status_code == 200 and stale.content == first.content
    return first


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/v1/calendar/days/2024-04-29", {}),
        ("/v1/calendar/days", {"from": "2024-01-01", "to": "2024-12-31"}),
        ("/v1/calendar/holidays", {"year": "2024"}),
        ("/v1/calendar/working-days/add", {"start": "2024-04-26", "days": "1"}),
        ("/v1/calendar/working-days/count", {"start": "2024-04-26", "end": "2024-05-06"}),
        ("/v1/calendar/revision", {}),
        ("/v1/calendar.ics", {"year": "2024"}),
        ("/v1/reporting.ics", {"profile": QN, "year": "2024"}),
        ("/v1/rules", {"profile": QN}),
        ("/v1/rules/national.database-entry-province", {}),
        ("/v1/profiles", {}),
        (f"/v1/profiles/{QN}", {}),
        ("/v1/obligations.ics", {"profile": QN}),
    ],
)
async def test_reads_revalidate(client: AsyncClient, url: str, params: dict[str, str]) -> None:
    await _revalidates(client, url, **params)


async def test_decided_years_cache_for_hours_provisional_briefly(client: AsyncClient) -> None:
    # 2024 is decided; 2028's Tết is not decided yet.
    decided = await client.get("/v1/calendar/days/2024-04-29")
    provisional = await client.get("/v1/calendar/days/2028-01-26")
    assert provisional.json()["provisional"] is True
    assert "max-age=3600" in decided.headers["cache-control"]
    assert "max-age=60" in provisional.headers["cache-control"]
    # The hot routes give the same answer from their memo: the same headers the second time.
    for _ in range(2):
        add = await client.get(
            "/v1/calendar/working-days/add", params={"start": "2027-12-30", "days": "5"}
        )
        assert add.json()["provisional"] is True
        assert "max-age=60" in add.headers["cache-control"]


async def test_records_revalidate(client: AsyncClient, api_key: KeyMaker) -> None:
    writer = await api_key("write")
    created = await create(client, writer)
    first = await _revalidates(client, f"/v1/decisions/{created['id']}")
    assert first.headers["cache-control"] == "private, no-cache"
    auth = {"Authorization": f"Bearer {writer}"}
    put = await client.put(f"/v1/procedures/{CODE}", json=ENTRY, headers=auth)
    assert put.status_code == 201, put.text
    await _revalidates(client, f"/v1/procedures/{CODE}")


async def test_dossier_revalidates(
    client: AsyncClient,
    api_key: KeyMaker,
    office: str,  # noqa: F811
) -> None:
    headers = {"Authorization": f"Bearer {await api_key('write')}"}
    made = await client.post("/v1/dossiers", json=dossier(office), headers=headers)
    assert made.status_code == 201, made.text
    url = f"/v1/dossiers/{made.json()['id']}"
    await _revalidates(client, url, as_of="2024-03-06T10:00:00+07:00")


async def test_head_wherever_get_is(client: AsyncClient) -> None:
    for url in ("/health/live", "/v1/calendar.ics?year=2024", "/metrics", "/openapi.json"):
        get = await client.get(url)
        head = await client.head(url)
        assert head.status_code == 200, url
        assert head.content == b""
        assert head.headers.get("etag") == get.headers.get("etag")
        assert head.headers["content-type"] == get.headers["content-type"]
        if url != "/metrics":  # counters move between the two requests
            assert head.headers["content-length"] == get.headers["content-length"]
    # Only where GET is: HEAD on a POST-only route is still 405.
    assert (await client.head("/v1/deadlines/compute")).status_code == 405


async def test_large_answers_are_gzipped_small_ones_not(client: AsyncClient) -> None:
    params = {"from": "2024-01-01", "to": "2024-12-31"}
    plain = await client.get("/v1/calendar/days", params=params, headers={"Accept-Encoding": ""})
    assert "content-encoding" not in plain.headers
    packed = await client.get(
        "/v1/calendar/days", params=params, headers={"Accept-Encoding": "gzip"}
    )
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    # httpx decodes it: the same JSON, sent in far fewer bytes
    assert packed.json() == plain.json()
    assert int(packed.headers["content-length"]) < len(plain.content) / 5
    small = await client.get("/health/live", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers
    assert small.content == b'{"status":"alive"}'  # sent as is, not compressed
    assert small.headers["vary"] == "Accept-Encoding"
    assert int(small.headers["content-length"]) == len(small.content)


async def test_cors_is_off_by_default(client: AsyncClient) -> None:
    r = await client.options(
        "/v1/calendar/days/2024-04-29",
        headers={"Origin": PORTAL, "Access-Control-Request-Method": "GET"},
    )
    assert "access-control-allow-origin" not in r.headers
    simple = await client.get("/health/live", headers={"Origin": PORTAL})
    assert "access-control-allow-origin" not in simple.headers


async def test_cors_for_configured_origins(database_url: str) -> None:
    app = create_app(settings_for(database_url, cors_allowed_origins=f"{PORTAL}, https://x.vn"))
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
        preflight = await http.options(
            "/v1/procedures/1.001234",
            headers={
                "Origin": PORTAL,
                "Access-Control-Request-Method": "PUT",
                "Access-Control-Request-Headers": "authorization, if-match, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == PORTAL
        assert "PUT" in preflight.headers["access-control-allow-methods"]
        allowed = preflight.headers["access-control-allow-headers"].lower()
        assert {"authorization", "if-match", "content-type"} <= {
            h.strip() for h in allowed.split(",")
        }
        stranger = await http.options(
            "/v1/procedures/1.001234",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "PUT"},
        )
        assert stranger.status_code == 400
        assert "access-control-allow-origin" not in stranger.headers
        simple = await http.get("/health/live", headers={"Origin": PORTAL})
        assert simple.headers["access-control-allow-origin"] == PORTAL
        assert "etag" in simple.headers["access-control-expose-headers"].lower()


async def test_a_static_file_is_gzipped_too(client: AsyncClient) -> None:
    # The console's stylesheet (6 KB, over the 4 KB threshold) comes from StaticFiles, not a
    # route: compressed all the same, and decoded to the very bytes sent plain.
    path = "/static/console/console.css"
    plain = await client.get(path, headers={"Accept-Encoding": ""})
    assert plain.status_code == 200 and len(plain.content) > 4096
    packed = await client.get(path, headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert int(packed.headers["content-length"]) < len(plain.content) / 2
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert packed.content == plain.content


async def test_a_streamed_answer_is_compressed_as_a_stream() -> None:
    # An answer sent in several body messages (more_body) over the threshold: one gzip stream
    # without Content-Length; below it, an answer sent whole passes untouched.
    chunks = [b"a" * 3000, b"b" * 3000, b""]

    async def stream(scope: Scope, receive: Receive, send: Send) -> None:
        start: Message = {"type": "http.response.start", "status": 200, "headers": []}
        start["headers"] = [(b"content-type", b"text/plain")]
        await send(start)
        for i, chunk in enumerate(chunks):
            more = i < len(chunks) - 1
            await send({"type": "http.response.body", "body": chunk, "more_body": more})

    app = Compression(stream, minimum_size=4096)
    async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as http:
        packed = await http.get("/", headers={"Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip"
    assert "content-length" not in packed.headers
    assert packed.content == b"a" * 3000 + b"b" * 3000
