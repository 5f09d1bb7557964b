"""Rules and profiles in the console: browse; paste a plan, review its rows, publish."""

from __future__ import annotations

import re
import uuid
from collections.abc import Awaitable, Callable

from httpx import AsyncClient

from tests.console.support import csrf_of, sign_in

KeyMaker = Callable[..., Awaitable[str]]

# A two-row plan in the style of the provincial plans (written for the tests, not a real
# document): a fixed day and a plan-level period, both read without interpretation.
PLAN = (
    "STT\tNội dung công việc\tCơ quan chủ trì\tThời gian thực hiện\n"
    "1\tKế hoạch kiểm tra hoạt động kiểm soát TTHC\tVăn phòng UBND tỉnh\tTrước ngày 20/3/2026\n"
    "2\tBáo cáo kết quả kiểm soát TTHC quý I\tVăn phòng UBND tỉnh\tTrước ngày 15/4/2026\n"
)


async def test_browse_profiles_and_rules(client: AsyncClient) -> None:
    r = await client.get("/profiles")
    assert r.status_code == 200 and 'href="/profiles/quang-nam-2024"' in r.text
    r = await client.get("/profiles/quang-nam-2024")
    assert r.status_code == 200
    assert "quang-nam-2024.posting-counter" in r.text
    assert 'class="conf"' in r.text and "v1" in r.text
    assert (await client.get("/profiles/no-such-profile")).status_code == 404


async def test_paste_review_publish(client: AsyncClient, api_key: KeyMaker) -> None:
    await sign_in(client, await api_key("admin"))
    code = f"console-{uuid.uuid4().hex[:8]}"
    token = await csrf_of(client, "/profiles")
    form = {
        "csrf": token,
        "code": code,
        "issuer": "UBND tỉnh Thử nghiệm",
        "level": "province",
        "year": "2026",
        "document": "1/QĐ-UBND",
        "text": PLAN,
    }
    r = await client.post("/profiles/drafts", data=form | {"text": "   "})
    assert r.status_code == 200 and "empty" in r.text  # refused with the reason
    r = await client.post("/profiles/drafts", data=form)
    assert r.status_code == 303, r.text
    draft = r.headers["location"]
    page = (await client.get(draft)).text
    assert page.count('class="reading-row-') == 2
    assert re.fullmatch(r"/profiles/drafts/\d+", draft)
    r = await client.post(f"{draft}/publish", data={"csrf": token})
    assert r.status_code == 303, r.text
    # version 1 of a new profile (the catalog reload is seen in the browser test, which
    # commits: this client's writes are rolled back and invisible to the catalog's reload)
    assert 'class="flash ok published"' in (await client.get(draft)).text
    r = await client.post(f"{draft}/publish", data={"csrf": token})
    assert r.status_code == 200 and "published" in r.text  # twice: refused with the reason
