"""The HTTP conventions every route gets, as middleware, outermost first:

1. HEAD served as GET (app.api.kit.head);
2. CORS for the configured origins (CORS_ALLOWED_ORIGINS; none by default), so a preflight is
   answered before anything else and every later answer, a 429 included, is readable by the
   page;
3. the rate limit (app.api.kit.rate_limit);
4. gzip for answers of at least GZIP_MINIMUM_BYTES to clients that accept it
   (app.api.kit.compression);
5. 304 for a GET whose If-None-Match holds the answer's ETag (app.api.kit.conditional).

The request context (request id, access log, metrics) wraps them all (app.main).
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app.api.kit.compression import Compression
from app.api.kit.conditional import NotModifiedMiddleware
from app.api.kit.head import HeadAsGetMiddleware
from app.api.kit.rate_limit import RateLimitMiddleware
from app.settings import Settings

CORS_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
CORS_REQUEST_HEADERS = [
    "Authorization",
    "X-API-Key",
    "Content-Type",
    "Idempotency-Key",
    "If-Match",
    "If-None-Match",
    "X-Request-ID",
    "traceparent",
]
CORS_EXPOSED_HEADERS = ["ETag", "Location", "Retry-After", "X-Request-ID", "Content-Disposition"]


def install(app: FastAPI, settings: Settings) -> None:
    """Added innermost first (Starlette wraps each new middleware around the previous ones)."""
    app.add_middleware(NotModifiedMiddleware)
    if settings.gzip_minimum_bytes > 0:
        app.add_middleware(Compression, minimum_size=settings.gzip_minimum_bytes)
    processes = settings.rate_limit_replicas * settings.workers
    if settings.rate_limit_key_per_minute or settings.rate_limit_anonymous_per_minute:
        app.add_middleware(
            RateLimitMiddleware,
            key_per_minute=settings.rate_limit_key_per_minute / processes,
            anonymous_per_minute=settings.rate_limit_anonymous_per_minute / processes,
        )
    origins = settings.cors_origins
    if origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=origins,
            allow_methods=CORS_METHODS,
            allow_headers=CORS_REQUEST_HEADERS,
            expose_headers=CORS_EXPOSED_HEADERS,
            max_age=600,
        )
    app.add_middleware(HeadAsGetMiddleware)
