"""Conditional requests and caching (RFC 9110 §8.8.3 and §13, RFC 9111 §5.2).

A route names its entity tag (from the calendar revision, the catalog revision or the record's
version: whatever its answer is a function of) and a cache policy, and sets both on its
response; NotModifiedMiddleware turns a 200 into a 304 when the client's `If-None-Match`
already holds that tag, for every route alike.
Writes check `If-Match` against the record's version (app.services.procedures.version_matches:
a strong comparison, a weak tag never matches).

The tag names the representation's data, not its content coding: a gzip'd and an identity
answer carry the same tag, and `Vary: Accept-Encoding` keeps caches from mixing them up.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app import __version__


@dataclass(frozen=True)
class CachePolicy:
    """A Cache-Control value, named for what it suits."""

    cache_control: str


# Days of a decided year change only by a new Government notice, which an operator enters
# as an adjustment; hours of staleness are harmless and the ETag revalidates cheaply after.
DECIDED = CachePolicy("public, max-age=3600, stale-while-revalidate=600")
# A provisional year can be decided any day: a short freshness, then revalidate.
PROVISIONAL = CachePolicy("public, max-age=60")
# Reference data (rules, profiles, the reporting calendar, feeds of the calendar): changes
# with an operator's edit; briefly fresh, then revalidated by ETag.
REFERENCE = CachePolicy("public, max-age=300")
# Records (procedures, decisions, dossiers, obligation feeds): may change at any write, and
# may be behind an API key: only the caller's own cache, and it asks each time.
RECORD = CachePolicy("private, no-cache")


def entity_tag(*parts: object) -> str:
    """A strong tag from what the answer is a function of (revisions, versions, parameters)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()
    return f'"{digest}"'


def content_tag(body: bytes) -> str:
    """A strong tag from the bytes themselves, for answers derived as of the moment they are
    asked (a dossier's remaining time) or assembled from many rows (a feed)."""
    return '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'


def _tags(header: str) -> list[str]:
    return [tag.strip() for tag in header.split(",") if tag.strip()]


def none_match(header: str | None, etag: str) -> bool:
    """True when `If-None-Match` holds the tag: weak comparison (RFC 9110 §13.1.2)."""
    if header is None:
        return False
    if header.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(tag.removeprefix("W/") == bare for tag in _tags(header))


def tag(response: Response, etag: str, policy: CachePolicy) -> None:
    """Set the ETag and Cache-Control of a response (the 304 is NotModifiedMiddleware's)."""
    response.headers["ETag"] = etag
    response.headers["Cache-Control"] = policy.cache_control


def revision_tag(kind: str, *revisions: int) -> str:
    """The tag of an answer that is a function of the URL and of these revisions alone (a tag
    is per URL, so the query needs no place in it); the release is in it too, so a new answer
    shape is never revalidated as the old one."""
    return f'"{kind}-{"-".join(map(str, revisions))}-{__version__}"'


def headers(etag: str, policy: CachePolicy) -> dict[str, str]:
    return {"ETag": etag, "Cache-Control": policy.cache_control}


@lru_cache(maxsize=64)
def calendar_headers(revision: int, provisional: bool) -> dict[str, str]:
    """The headers of an answer computed from the calendar alone (built once per revision:
    the working-day routes are the hottest)."""
    return headers(revision_tag("calendar", revision), PROVISIONAL if provisional else DECIDED)


def calendar_answer_headers(revision: int, answer: bytes) -> dict[str, str]:
    """The same for a remembered JSON answer, whose `provisional` field says which policy
    (written with or without the space after the colon)."""
    provisional = b'"provisional": true' in answer or b'"provisional":true' in answer
    return calendar_headers(revision, provisional)


def tag_calendar(response: Response, revision: int, provisional: bool) -> None:
    response.headers.update(calendar_headers(revision, provisional))


# A 304 repeats the headers a 200 would have sent that describe the cached representation
# (RFC 9110 §15.4.5).
_KEPT = frozenset({b"etag", b"cache-control", b"vary", b"content-location", b"expires", b"date"})


class NotModifiedMiddleware:
    """Answers 304 to a GET or HEAD whose `If-None-Match` holds the ETag of the 200 the route
    produced. Requests without `If-None-Match` pass straight through (one header scan)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        condition = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"if-none-match"), None
        )
        if condition is None:
            await self.app(scope, receive, send)
            return
        replaced = False

        async def send_304_when_held(message: Message) -> None:
            nonlocal replaced
            if message["type"] == "http.response.start" and message["status"] == 200:
                etag = next(
                    (v.decode("latin-1") for k, v in message.get("headers", []) if k == b"etag"),
                    None,
                )
                if etag is not None and none_match(condition, etag):
                    replaced = True
                    kept = [(k, v) for k, v in message.get("headers", []) if k in _KEPT]
                    await send({"type": "http.response.start", "status": 304, "headers": kept})
                    await send({"type": "http.response.body", "body": b""})
                    return
            if replaced:
                return  # the 200's body: not sent
            await send(message)

        await self.app(scope, receive, send_304_when_held)
