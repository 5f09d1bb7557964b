"""Every problem type the service answers with: its title and a short explanation, served at
GET /problems/{code} (HTML for people, JSON for programs). A problem's `type` is the absolute
URI of that page under the service's own base."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemType:
    status: int
    title: str
    description: str


TYPES: dict[str, ProblemType] = {
    "validation-error": ProblemType(
        422,
        "Invalid input",
        "A parameter or a body field is missing, of the wrong type or out of range. "
        "`errors[]` lists each one: `field` is a dotted path with indices into the query or "
        "the body (`start`, `items[3].anchor`; `body` for the whole body).",
    ),
    "invalid-value": ProblemType(
        422,
        "Value not acceptable",
        "A value is valid JSON of the right type but cannot be recorded: blank text, "
        "contradicting values, text with NUL characters, a number too large for its column.",
    ),
    "domain-error": ProblemType(
        422,
        "Not computable",
        "The input is well-formed but the law or the calendar cannot answer it as asked; "
        "`detail` says why and `errors[].field` names the input.",
    ),
    "date-out-of-range": ProblemType(
        422,
        "Date outside the supported calendar",
        "The date (or the period it starts) falls outside the years whose holidays the service "
        "knows (GET /v1/calendar/revision gives them).",
    ),
    "outside-profile-period": ProblemType(
        422,
        "Outside the profile's period",
        "The anchor or the period falls outside the plan's own year or period.",
    ),
    "invalid-period": ProblemType(
        422,
        "Invalid period",
        "The period asked for is not one the rule counts in (an unknown unit, a negative "
        "amount, a period code that does not exist).",
    ),
    "anchor-required": ProblemType(
        422, "Anchor required", "The rule counts from an event: give its date as `anchor`."
    ),
    "rule-not-in-force": ProblemType(
        422,
        "Rule not in force",
        "The rule was not (or no longer) in force on the anchor date.",
    ),
    "rule-not-computed-here": ProblemType(
        422,
        "Recurring rule",
        "A recurring rule is dated per period by the reporting routes; `see` links there.",
    ),
    "level-abolished": ProblemType(
        422,
        "Administrative level abolished",
        "The administrative level named no longer exists on that date (district level ended "
        "on 1 July 2025).",
    ),
    "invalid-profile": ProblemType(
        422,
        "Invalid profile document",
        "The profile document cannot be loaded into the catalog; `errors[].field` names the "
        "part refused.",
    ),
    "invalid-entries": ProblemType(
        422,
        "Entries refused",
        "Entries of a calendar notice the calendar cannot take (a day outside the supported "
        "years, a day off on a day already off, a swap whose days do not pair); "
        "`errors[].field` names each entry, e.g. `swaps[0].working_day`.",
    ),
    "invalid-dossier-rules": ProblemType(
        422,
        "Invalid dossier rule set",
        "The dossier rule set cannot be loaded into the rule book; `errors[].field` names the "
        "part refused.",
    ),
    "invalid-office-schedule": ProblemType(
        422,
        "Invalid office schedule",
        "The office schedule cannot be loaded (opening hours that overlap or end before they "
        "start, an unknown policy); `errors[].field` names the part refused.",
    ),
    "unreadable-plan": ProblemType(
        422, "Unreadable plan", "The plan's text has no table of deadlines the reader knows."
    ),
    "webhook-url-refused": ProblemType(
        422,
        "Webhook address refused",
        "Receivers must be public https addresses (plain http only for the loopback names the "
        "operator allows).",
    ),
    "idempotency-key-reused": ProblemType(
        422,
        "Idempotency-Key reused",
        "The Idempotency-Key was used before with another request body; use a new key.",
    ),
    "idempotency-in-progress": ProblemType(
        409,
        "Request in progress",
        "The first request with this Idempotency-Key is still being carried out; retry later.",
    ),
    "not-found": ProblemType(404, "Not found", "No record, rule or profile has this identifier."),
    "conflict": ProblemType(
        409,
        "Conflict",
        "The change conflicts with what is recorded (a duplicate, a state that forbids it).",
    ),
    "precondition-failed": ProblemType(
        412,
        "Precondition failed",
        "The If-Match tag is stale: read the record again and retry with its ETag.",
    ),
    "precondition-required": ProblemType(
        428,
        "Precondition required",
        "Replacing an existing record needs the ETag you read as `If-Match` (the answer "
        "carries the current one), so that two writers never silently overwrite each other.",
    ),
    "rate-limited": ProblemType(
        429,
        "Too many requests",
        "This API key (or, without a verified key, this address) has used its allowance; "
        "retry after the `Retry-After` seconds.",
    ),
    "unsupported-media-type": ProblemType(
        415,
        "Unsupported media type",
        "The body is not in the media type the route reads (the console's forms are "
        "application/x-www-form-urlencoded).",
    ),
    "bad-form": ProblemType(
        400,
        "Unreadable form",
        "The form body cannot be read (it is not UTF-8).",
    ),
    "unauthorized": ProblemType(
        401,
        "API key required",
        "Send an API key as `Authorization: Bearer <key>` or `X-API-Key`; it is unknown or "
        "revoked otherwise.",
    ),
    "forbidden": ProblemType(
        403, "Scope missing", "The API key lacks the scope this route needs (`scopes` lists it)."
    ),
    "content-too-large": ProblemType(
        413, "Body too large", "The request body is larger than the route accepts."
    ),
    "client-disconnected": ProblemType(
        400, "Client went away", "The client closed the connection before sending its body."
    ),
    "not-ready": ProblemType(
        503,
        "Not ready",
        "The calendar or the rule catalog is not loaded yet (the service is starting, or "
        "waiting for the database); retry after `Retry-After` seconds.",
    ),
    "database-unavailable": ProblemType(
        503,
        "Database unavailable",
        "The database is out of reach; nothing was carried out. Retry after `Retry-After` seconds.",
    ),
    "internal-error": ProblemType(
        500,
        "Internal error",
        "An unexpected error; quote `correlation_id` when reporting it.",
    ),
}

# The base the problem `type` URIs are under: the request's own (scheme, host and root path),
# or PUBLIC_BASE_URL when the operator sets one; set per request by the request middleware.
BASE: ContextVar[str] = ContextVar("problem_base", default="")
# The request a problem is about (its path): the problem's `instance`.
INSTANCE: ContextVar[str | None] = ContextVar("problem_instance", default=None)


def problem_type(code: str) -> str:
    """The absolute URI of a problem type."""
    return f"{BASE.get()}/problems/{code}"


def title_of(code: str | None, fallback: str) -> str:
    known = TYPES.get(code) if code is not None else None
    return known.title if known is not None else fallback
