"""Signing in to the console the way a browser does: read the form's CSRF token, post it."""

from __future__ import annotations

import re

from httpx import AsyncClient, Response

CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def csrf_of(client: AsyncClient, path: str) -> str:
    r = await client.get(path)
    found = CSRF.search(r.text)
    assert found, r.text[:500]
    return found.group(1)


async def sign_in(client: AsyncClient, key: str) -> Response:
    token = await csrf_of(client, "/signin")
    r = await client.post("/signin", data={"key": key, "csrf": token, "next": "/"})
    assert r.status_code == 303, r.text
    return r
