"""Settings from the environment (and an optional .env file). Every variable is in the README."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="PostgreSQL URL. Unset: start the embedded PostgreSQL under DATA_DIR.",
    )
    data_dir: Path = Field(default=Path(".data"), description="Embedded PostgreSQL data folder.")
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(
        default=1,
        ge=1,
        validation_alias=AliasChoices("workers", "web_concurrency"),
        description="Worker processes behind the one port (WORKERS, or WEB_CONCURRENCY).",
    )
    # A keep-alive connection left idle this long is closed. A client reusing its connection
    # just as the server closes it gets no answer (a POST cannot then be retried blindly), so
    # the server must wait longer than clients and proxies keep idle connections themselves
    # (httpx 5 s, nginx 60 s, common load balancers 60 s); uvicorn's own default is 5 s.
    keep_alive_seconds: int = Field(
        default=75, ge=1, description="Seconds an idle HTTP keep-alive connection stays open."
    )
    log_level: str = "INFO"
    # The pool keeps every connection it may open: an overflow connection is closed as it is
    # returned while the pool is full, so under a steady load near the pool's size each
    # request paid for a new server process and re-prepared its statements (the event ingest
    # halved). A burst beyond it waits for a connection (DB_POOL_TIMEOUT_SECONDS).
    db_pool_size: int = Field(default=20, ge=1)
    db_max_overflow: int = Field(default=0, ge=0)
    # Every wait on the database is bounded, so a stalled or stopped server gives prompt 503s
    # instead of requests that hang for as long as the outage lasts. A request may wait for a
    # pooled connection, open one and run a statement: 1.5 + 1 + 3.5 (the driver's margin) = 6 s
    # at worst, under the 8 s an operator expects an answer within during a stall.
    db_connect_timeout_seconds: float = Field(
        default=1.0, gt=0, description="Opening a database connection."
    )
    db_pool_timeout_seconds: float = Field(
        default=1.5, gt=0, description="Waiting for a pooled connection when all are in use."
    )
    db_statement_timeout_seconds: float = Field(
        default=3.0,
        gt=0,
        description="One statement of a request: the server's statement_timeout and the "
        "driver's command_timeout (which also holds when the server does not answer at all).",
    )
    background_statement_timeout_seconds: float = Field(
        default=60.0, gt=0, description="One statement of the scanner and of migrations."
    )
    ready_timeout_seconds: float = Field(
        default=1.0, gt=0, description="Deadline of the database check of /health/ready."
    )
    db_start_wait_seconds: float = Field(
        default=180.0,
        ge=0,
        description="How long start-up waits for the database before the process gives up.",
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        ge=1024,
        description="Largest request body on any route but the batch routes (8 MiB each).",
    )
    require_api_key_for_reads: bool = Field(
        default=False, description="Require a key with scope `compute` on read and compute routes."
    )
    public_base_url: str | None = Field(
        default=None,
        pattern=r"^https?://[^/\s]+(/\S*)?$",
        description="The service's public address (e.g. https://deadlines.example.gov.vn), "
        "the base of problem `type` URIs; by default the address each request was made to.",
    )
    culture_day_compensatory: bool = Field(
        default=True,
        description="24/11 (Ngày Văn hóa Việt Nam) on a weekend gets a compensatory day.",
    )
    calendar_poll_seconds: float = Field(
        default=5.0,
        gt=0,
        description="Fallback revision check interval when a LISTEN notification is missed.",
    )
    scanner_interval_seconds: float = Field(
        default=60.0, ge=0, description="Overdue scanner period; 0 disables the scanner."
    )
    migrate_on_start: bool = Field(
        default=True, description="Migrate to head at start (off when migrations run apart)."
    )
    webhook_concurrency: int = Field(
        default=8, ge=0, description="Webhook receivers sent to at once; 0 disables delivery."
    )
    webhook_allow_http_hosts: str = Field(
        default="",
        description="Comma-separated hosts webhooks may reach over http and at private "
        "addresses (e.g. localhost,127.0.0.1); every other receiver needs https and a public "
        "address.",
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, description="Time a receiver has to answer one delivery."
    )
    webhook_retry_seconds: float = Field(
        default=3 * 86400.0,
        gt=0,
        description="How long a failing delivery is retried before its subscription is "
        "marked failing (default 3 days).",
    )
    webhook_log_days: float = Field(
        default=7.0,
        ge=0,
        description="Days the delivery log keeps finished deliveries; 0 keeps them forever.",
    )
    webhook_poll_seconds: float = Field(
        default=10.0,
        gt=0,
        description="Fallback check for due deliveries between NOTIFYs and scheduled retries.",
    )
    console_secret: str | None = Field(
        default=None,
        description="Signs the console's session and CSRF cookies (at least 32 characters). "
        "Unset: a random secret per process, so sessions end at restart and several workers "
        "do not share them (a warning is logged).",
    )
    cors_allowed_origins: str = Field(
        default="",
        description="Comma-separated origins a browser page may call the API from (e.g. "
        "https://dichvucong.example.gov.vn); `*` for any; empty: none (no CORS headers).",
    )
    gzip_minimum_bytes: int = Field(
        default=4096,
        ge=0,
        description="Answers at least this large are gzip'd for clients that accept it; 0 "
        "turns compression off. Above the hot routes' answers (add/count with their trace, "
        "1.5 KB), whose compression costs more CPU than the bytes it saves "
        "(bench/results/http_conventions.txt).",
    )
    rate_limit_key_per_minute: int = Field(
        default=1200,
        ge=0,
        description="Requests a minute per API key, over all replicas; 0: no limit.",
    )
    rate_limit_anonymous_per_minute: int = Field(
        default=300,
        ge=0,
        description="Requests a minute per client address without a key, over all "
        "replicas; 0: no limit.",
    )
    rate_limit_replicas: int = Field(
        default=1,
        ge=1,
        description="Replicas sharing the limits: each process enforces its share, "
        "limit / (RATE_LIMIT_REPLICAS × WORKERS).",
    )
    idempotency_ttl_hours: float = Field(
        default=24.0,
        gt=0,
        description="How long an Idempotency-Key's first response is replayed; older records "
        "are deleted by the scanner's `idempotency.expire` job.",
    )
    git_commit: str | None = Field(default=None, description="Shown by /version.")

    @property
    def webhook_http_hosts(self) -> frozenset[str]:
        return frozenset(
            h.strip().lower() for h in self.webhook_allow_http_hosts.split(",") if h.strip()
        )

    @property
    def cors_origins(self) -> list[str]:
        return [o.strip() for o in self.cors_allowed_origins.split(",") if o.strip()]

    @field_validator("database_url")
    @classmethod
    def _asyncpg_driver(cls, value: str | None) -> str | None:
        """Accept the usual postgresql:// form and use the asyncpg driver."""
        if value is None or value == "":
            return None
        for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
            if value.startswith(prefix):
                return "postgresql+asyncpg://" + value[len(prefix) :]
        raise ValueError("DATABASE_URL must be a postgresql:// URL")


@lru_cache
def get_settings() -> Settings:
    return Settings()
