"""The console in a real browser: headless Chromium (the system's, never a download) driven by
Playwright against `python -m app serve` on a free port and a database of its own.

Skipped, saying why, only when Chromium is not installed (`.ci/run` installs it). Screenshots
of the board and the calendar are written to docs/ when UPDATE_SCREENSHOTS=1 (as committed
there and shown in the README), else to a temporary folder.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from app.console.i18n import WORDS
from app.db import migrate
from app.db.engine import make_engine, make_sessionmaker
from app.domain.keys import Scope
from app.services import api_keys
from app.services.seed import seed_database
from tests.conftest import Databases
from tests.console.test_notices_page import NOTICE
from tests.console.test_profiles_page import PLAN

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# The Quảng Nam profile is that province's 2024 plan: its decisions are the province's own
# (the board and its screenshot show the issuer next to the plan's citation).
ISSUER = "UBND tỉnh Quảng Nam"
OFFICE = "Bộ phận Một cửa tỉnh Quảng Nam"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="Chromium is not installed at /usr/bin/chromium (apt-get install -y chromium; "
    ".ci/run installs it)",
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_ready(base: str, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with urllib.request.urlopen(f"{base}/health/ready", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the service did not become ready (exit code {proc.poll()})")


def _post(base: str, path: str, key: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(
        base + path,
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as r:
        answer: dict[str, Any] = json.loads(r.read())
        return answer


def _start(url: str) -> tuple[subprocess.Popen[bytes], str]:
    """`python -m app serve` on a free port of 127.0.0.1, ready."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {
        "DATABASE_URL": url,
        "PORT": str(port),
        "MIGRATE_ON_START": "false",
        "SCANNER_INTERVAL_SECONDS": "0",
        "WEBHOOK_CONCURRENCY": "0",
        "CONSOLE_SECRET": uuid.uuid4().hex * 2,
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base, proc)
    except AssertionError:
        _stop(proc)
        raise
    return proc, base


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


@dataclass
class Service:
    base: str
    admin: str
    decision: dict[str, Any]
    dossier: dict[str, Any]
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="module")
async def service(databases: Databases) -> AsyncIterator[Service]:
    url = await databases.create()
    engine = make_engine(url, pool_size=1, max_overflow=0)
    await migrate.upgrade(engine)
    await seed_database(engine)
    async with make_sessionmaker(engine)() as session:
        admin, _ = await api_keys.create(session, "browser", [Scope.ADMIN], "tests")
        await session.commit()
    await engine.dispose()
    proc, base = await asyncio.to_thread(_start, url)
    try:
        # Signed Tue 5/3/2024: the posting at the counter was due Fri 8/3/2024 (worked out in
        # tests/api/test_decisions.py), long past: overdue.
        decision = await asyncio.to_thread(
            _post,
            base,
            "/v1/decisions",
            admin,
            {
                "number": "9/QĐ-UBND",
                "issuer": ISSUER,
                "level": "province",
                "profile": "quang-nam-2024",
                "kind": "new",
                "signed_on": "2024-03-05",
                "effective_on": "2024-03-05",
                "procedures": [{"code": "1.009999", "name": "Thủ tục thử"}],
            },
        )
        # Received Tue 5/3/2024 09:00, 5 working days (none off that week or the next):
        # due Tue 12/3/2024 09:00, long past: overdue, on the board next to the duties.
        dossier = await asyncio.to_thread(
            _post,
            base,
            "/v1/dossiers",
            admin,
            {
                "office": OFFICE,
                "code": "000.00.01.H42-240305-0001",
                "procedure_code": "1.009999",
                "processing": {"amount": 5, "unit": "working_days"},
                "received_at": "2024-03-05T09:00:00+07:00",
            },
        )
        yield Service(base, admin, decision, dossier)
    finally:
        await asyncio.to_thread(_stop, proc)


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ROOT / "docs" if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path_factory.mktemp("s")


def _record(service: Service) -> Callable[[Any], Awaitable[None]]:
    """Every request the browser makes is noted; none may leave 127.0.0.1."""

    async def record(route: Any) -> None:
        service.requests.append(route.request.url)
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            await route.continue_()
        else:
            await route.abort()

    return record


@pytest.fixture(scope="module")
async def browser(service: Service) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        chromium = await p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = await chromium.new_context(viewport={"width": 1280, "height": 900})

        await context.route("**/*", _record(service))
        yield context
        await context.close()
        await chromium.close()


def _contrast(fg: str, bg: str) -> float:
    """WCAG 2 contrast ratio of two computed `rgb(r, g, b)` colours."""

    def luminance(colour: str) -> float:
        parts = [int(x) for x in re.findall(r"\d+", colour)[:3]]
        channels = [
            c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
            for c in (p / 255 for p in parts)
        ]
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


async def _unlabelled(page: Any) -> list[str]:
    found: list[str] = await page.evaluate(
        """() => [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
            .filter(e => e.labels.length === 0 && !e.getAttribute('aria-label'))
            .map(e => e.name || e.id)"""
    )
    return found


async def test_board_shows_the_overdue_obligation_and_why(
    service: Service, browser: Any, shots: Path
) -> None:
    posting = next(
        o for o in service.decision["obligations"] if o["rule"] == "quang-nam-2024.posting-counter"
    )
    page = await browser.new_page()
    await page.goto(f"{service.base}/?status=overdue")
    row = page.locator(f'tr[data-kind="obligation"][data-id="{posting["id"]}"]')
    await row.wait_for()
    assert "2024-03-08" in await row.inner_text()
    assert "trễ" in await row.locator(".badge.late").inner_text()
    dossier = page.locator(f'tr[data-kind="dossier"][data-id="{service.dossier["id"]}"]')
    assert "2024-03-12" in await dossier.inner_text()  # dossiers and duties on one board
    await page.screenshot(path=str(shots / "console-board.png"), full_page=False)
    assert await _unlabelled(page) == []

    # keyboard: Tab reaches the filters, then the rows' links
    reached: list[str] = []
    for _ in range(60):
        await page.keyboard.press("Tab")
        reached.append(
            await page.evaluate(
                "() => (document.activeElement.id || '') + '|' + "
                "(document.activeElement.className || '')"
            )
        )
    assert any(r.startswith("f-status|") for r in reached)
    assert any(r.endswith("|why") for r in reached)

    await row.locator("a.why").click()
    await page.wait_for_url(re.compile(rf"/obligations/{posting['id']}$"))
    cited = posting["citation"]
    shown = await page.locator(".citation").inner_text()
    assert f"{cited['document']}, {cited['article']}" in shown
    assert await page.locator("ol.steps > li").count() >= 1
    # a Vietnamese page names each step in Vietnamese; the English is the technical detail
    kinds = await page.locator("ol.steps > li > .step-kind").all_inner_texts()
    assert "Mốc tính" in kinds and "Đếm thời hạn" in kinds
    assert "08/03/2024" in await page.locator("ol.steps").inner_text()
    technical = page.locator(".step-technical").first
    assert "Chi tiết kỹ thuật (tiếng Anh)" in await technical.inner_text()
    assert await technical.locator("[lang=en]").count() == 1
    await page.close()


async def test_calendar_swapped_and_make_up_days(
    service: Service, browser: Any, shots: Path
) -> None:
    page = await browser.new_page()
    await page.goto(f"{service.base}/calendar/2026")
    # 2026: Fri 2/1 off, made up on Sat 10/1 (the Government's 2026 day-swap notice).
    off = page.locator('button.day[data-date="2026-01-02"]')
    make_up = page.locator('button.day[data-date="2026-01-10"]')
    assert await off.get_attribute("data-kind") == "swap_off"
    assert await make_up.get_attribute("data-kind") == "swap_working"
    await make_up.click()  # a tap shows the name and the source document
    info = await page.locator("#day-info").inner_text()
    assert "2026-01-10" in info and "Làm bù" in info
    colours = await off.evaluate("e => getComputedStyle(e).backgroundColor")
    working = await page.locator('button.day[data-date="2026-01-05"]').evaluate(
        "e => getComputedStyle(e).backgroundColor"
    )
    assert colours != working  # a swapped day off does not look like a working day
    # every kind of day and every status badge reads at WCAG AA contrast (4.5:1)
    pairs = await page.evaluate(
        """() => {
            const out = [];
            for (const cls of ['day k-working', 'day k-weekend', 'day k-holiday',
                               'day k-compensatory', 'day k-swap_off', 'day k-swap_working',
                               'badge late', 'badge ok', 'badge today', 'badge none',
                               'status reading-parsed', 'status reading-interpreted',
                               'status reading-not_understood']) {
                const e = document.createElement('span');
                e.className = cls; e.textContent = 'x'; document.body.appendChild(e);
                const s = getComputedStyle(e);
                out.push([cls, s.color, s.backgroundColor]);
                e.remove();
            }
            return out;
        }"""
    )
    low = [(c, round(_contrast(fg, bg), 2)) for c, fg, bg in pairs if _contrast(fg, bg) < 4.5]
    assert low == []
    await page.screenshot(path=str(shots / "console-calendar.png"), full_page=False)
    await page.close()


async def test_sign_in_and_publish_a_draft_profile(service: Service, browser: Any) -> None:
    page = await browser.new_page()
    await page.goto(f"{service.base}/signin?lang=en")
    assert await _unlabelled(page) == []
    await page.fill("#key", service.admin)
    await page.click("form.stack button[type=submit]")
    await page.wait_for_url(re.compile(r"/$"))
    assert "Signed in as" in await page.locator(".who").inner_text()  # English remembered
    cookie = next(c for c in await browser.cookies() if c["name"] == "vnd_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    code = f"browser-{uuid.uuid4().hex[:8]}"
    await page.goto(f"{service.base}/profiles")
    assert await _unlabelled(page) == []
    await page.fill("#d-code", code)
    await page.fill("#d-issuer", "UBND tỉnh Thử nghiệm")
    await page.fill("#d-year", "2026")
    await page.fill("#d-text", PLAN)
    await page.click("form.wide button[type=submit]")
    await page.wait_for_url(re.compile(r"/profiles/drafts/\d+$"))
    assert await page.locator("tr.reading-row-parsed").count() == 2
    await page.click("#publish")
    await page.wait_for_selector(".published")
    await page.goto(f"{service.base}/profiles/{code}")
    assert code in await page.locator("h1").inner_text()  # in the catalog, on every page
    await page.close()


async def test_a_notice_previews_then_applies(service: Service, browser: Any) -> None:
    page = await browser.new_page()  # signed in as admin by the test before
    await page.goto(f"{service.base}/calendar/2028")
    await page.fill("#notice", NOTICE)
    await page.click("#preview-notice")
    await page.wait_for_selector(".outcome-preview")
    assert await page.locator('.notice-days tr[data-date="2028-03-10"]').count() == 1
    # the preview wrote nothing: the day is still an ordinary working day
    other = await browser.new_page()
    await other.goto(f"{service.base}/calendar/2028")
    kind = await other.locator('button.day[data-date="2028-03-10"]').get_attribute("data-kind")
    assert kind == "working"
    await other.close()
    await page.click("#apply-notice")
    await page.wait_for_selector(".outcome-applied")
    await page.goto(f"{service.base}/calendar/2028")
    day = page.locator('button.day[data-date="2028-03-10"]')
    assert await day.get_attribute("data-kind") == "swap_off"
    assert (
        await page.locator('button.day[data-date="2028-03-18"]').get_attribute("data-kind")
        == "swap_working"
    )
    assert "7/TB-BANGDIEUKHIEN" in await page.locator("ul.notices").inner_text()
    await page.close()


# A key the console failed to translate shows as itself: `level.commune`, `st.overdue`...
UNTRANSLATED = re.compile(
    r"\b(?:" + "|".join(sorted({k.split(".")[0] for k in WORDS if "." in k})) + r")\.[a-z_?]+\b"
)


async def test_every_page_reads_in_both_languages_on_a_phone(
    service: Service, browser: Any
) -> None:
    """At 375 px (a phone) no page scrolls sideways, and no page shows an untranslated key,
    in Vietnamese or in English (visible text, tooltips and labels)."""
    context = await browser.browser.new_context(viewport={"width": 375, "height": 800})
    await context.route("**/*", _record(service))
    page = await context.new_page()
    posting = service.decision["obligations"][0]
    paths = [
        "/",
        "/?status=closed",
        f"/obligations/{posting['id']}",
        f"/decisions/{service.decision['id']}",
        f"/dossiers/{service.dossier['id']}",
        "/calendar/2026",
        "/profiles",
        "/profiles/quang-nam-2024",
        "/reporting",
        "/signin",
    ]
    found: dict[str, list[str]] = {}
    for lang in ("vi", "en"):
        for path in paths:
            answer = await page.goto(
                f"{service.base}{path}{'&' if '?' in path else '?'}lang={lang}"
            )
            assert answer is not None and answer.status == 200, path
            text = await page.inner_text("body")
            attrs = await page.evaluate(
                """() => [...document.querySelectorAll('[title], [aria-label], option')]
                    .map(e => (e.getAttribute('title') || '') + ' ' +
                              (e.getAttribute('aria-label') || '') + ' ' + e.textContent)"""
            )
            keys = sorted(set(UNTRANSLATED.findall(" ".join([text, *attrs]))))
            wide = await page.evaluate("() => document.documentElement.scrollWidth")
            if keys or wide > 375:
                found[f"{lang} {path}"] = [*keys, *([f"{wide}px wide"] if wide > 375 else [])]
    assert found == {}
    # the dossier's picture reads in Vietnam's time: received at 09:00, not 02:00 (UTC)
    await page.goto(f"{service.base}/dossiers/{service.dossier['id']}?lang=vi")
    received = await page.locator("g.mark-received").text_content() or ""
    assert "tiếp nhận" in received and "05/03 09:00" in received
    await context.close()


def test_no_request_left_127_0_0_1(service: Service) -> None:
    assert service.requests, "the browser tests recorded no request"
    assert {urlsplit(u).hostname for u in service.requests} == {"127.0.0.1"}
