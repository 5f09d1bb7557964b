"""/v1/webhooks: subscriptions (scope write for one's own, admin for all), their delivery log,
redelivery and test pings. Each route calls one use case in app/services/webhooks.py."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, status
from starlette.responses import Response

from app.api.kit import cursor as pager
from app.api.kit import idempotency
from app.api.kit.cursor import CursorQuery
from app.api.kit.deps import Principal, RuntimeDep, SessionDep, WriteAccess
from app.api.kit.responses import JSONBody
from app.api.webhooks.schemas import (
    DeliveryOut,
    DeliveryPage,
    RotateIn,
    SecretOut,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
    WebhookPage,
    WebhookPatch,
    page_key,
)
from app.domain import keys
from app.domain.keys import Scope
from app.services import webhooks
from app.services.webhooks import Caller, Draft

router = APIRouter(tags=["webhooks"])

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
_TEXT = {
    401: "No API key, or an unknown one",
    403: "The API key lacks scope `write`",
    404: "No such webhook (or it belongs to another key)",
    409: "An Idempotency-Key request is still in progress",
    422: "Bad input; `errors[].field` names it (also: a refused URL, or an Idempotency-Key "
    "reused with another body)",
}


def _problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"description": _TEXT[code], "content": _PROBLEM} for code in codes}


WebhookId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The webhook's id")]
Limit = Annotated[int, Query(ge=1, le=200)]


def _caller(principal: Principal) -> Caller:
    return Caller(owner=principal.actor, admin=keys.grants(list(principal.scopes), Scope.ADMIN))


def _json(model: Any, code: int = status.HTTP_200_OK, **headers: str) -> Response:
    return JSONBody(model.model_dump_json(), status_code=code, headers=headers or None)


@router.post(
    "/v1/webhooks",
    operation_id="webhooks.create",
    status_code=status.HTTP_201_CREATED,
    response_model=WebhookCreated,
    summary="Subscribe a URL to change events; the signing secret is shown only here",
    description="Messages follow the Standard Webhooks specification (`webhook-id`, "
    "`webhook-timestamp`, `webhook-signature`), one event per request, in feed order. "
    "Retry safely with `Idempotency-Key`.",
    responses=_problems(401, 403, 409, 422),
)
async def create(
    body: WebhookIn,
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: WriteAccess,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        row, secret = await webhooks.create(
            session,
            _caller(principal),
            Draft(
                url=body.url,
                event_types=[t.value for t in body.event_types],
                profile=body.filters.profile,
                office=body.filters.office,
                decision_id=body.filters.decision_id,
                description=body.description,
                max_batch=body.max_batch,
                enabled=body.enabled,
                start_after=body.start_after,
            ),
            runtime.settings.webhook_http_hosts,
        )
        out = WebhookCreated(**WebhookOut.of(row).model_dump(), secret=secret)
        return _json(out, status.HTTP_201_CREATED, Location=f"/v1/webhooks/{row.id}")

    return await idempotency.run(request, session, principal, key, handler)


@router.get(
    "/v1/webhooks",
    operation_id="webhooks.list",
    response_model=WebhookPage,
    summary="Your webhooks (an admin key: everyone's), oldest first",
    responses=_problems(401, 403, 422),
)
async def list_webhooks(
    session: SessionDep, principal: WriteAccess, limit: Limit = 50, cursor: CursorQuery = None
) -> WebhookPage:
    after = page_key(cursor, "webhooks") if cursor is not None else 0
    rows = await webhooks.page(session, _caller(principal), after, limit)
    return WebhookPage(
        items=[WebhookOut.of(r) for r in rows],
        next_cursor=pager.encode("webhooks", rows[-1].id) if len(rows) == limit else None,
    )


@router.get(
    "/v1/webhooks/{webhook_id}",
    operation_id="webhooks.get",
    response_model=WebhookOut,
    summary="One webhook (never its secret)",
    responses=_problems(401, 403, 404, 422),
)
async def get_webhook(
    webhook_id: WebhookId, session: SessionDep, principal: WriteAccess
) -> WebhookOut:
    return WebhookOut.of(await webhooks.get(session, _caller(principal), webhook_id))


@router.patch(
    "/v1/webhooks/{webhook_id}",
    operation_id="webhooks.update",
    response_model=WebhookOut,
    summary="Change a webhook; `enabled: true` resumes a failing one where it stopped",
    responses=_problems(401, 403, 404, 422),
)
async def update_webhook(
    webhook_id: WebhookId,
    body: WebhookPatch,
    session: SessionDep,
    runtime: RuntimeDep,
    principal: WriteAccess,
) -> WebhookOut:
    changes = body.model_dump(exclude_unset=True, exclude={"filters"})
    if "event_types" in changes and changes["event_types"] is not None:
        changes["event_types"] = [t.value for t in body.event_types or []]
    if body.filters is not None:
        changes |= body.filters.model_dump()
    # null is "unchanged" for the fields that cannot be empty
    changes = {
        k: v
        for k, v in changes.items()
        if v is not None or k in ("profile", "office", "decision_id")
    }
    row = await webhooks.update(
        session, _caller(principal), webhook_id, changes, runtime.settings.webhook_http_hosts
    )
    return WebhookOut.of(row)


@router.delete(
    "/v1/webhooks/{webhook_id}",
    operation_id="webhooks.delete",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook and its delivery log",
    responses=_problems(401, 403, 404, 422),
)
async def delete_webhook(
    webhook_id: WebhookId, session: SessionDep, principal: WriteAccess
) -> Response:
    await webhooks.delete(session, _caller(principal), webhook_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/v1/webhooks/{webhook_id}/rotate-secret",
    operation_id="webhooks.rotateSecret",
    response_model=SecretOut,
    summary="A new signing secret (shown only here); the old one signs too during the overlap",
    responses=_problems(401, 403, 404, 409, 422),
)
async def rotate_secret(
    webhook_id: WebhookId,
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    body: RotateIn | None = None,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    overlap = dt.timedelta(seconds=(body or RotateIn()).overlap_seconds)

    async def handler() -> Response:
        row, secret = await webhooks.rotate_secret(session, _caller(principal), webhook_id, overlap)
        out = SecretOut(
            secret=secret, previous_secret_expires_at=WebhookOut.of(row).previous_secret_expires_at
        )
        return _json(out)

    return await idempotency.run(request, session, principal, key, handler)


@router.get(
    "/v1/webhooks/{webhook_id}/deliveries",
    operation_id="webhooks.listDeliveries",
    response_model=DeliveryPage,
    summary="The delivery log, newest first: event, attempts, last status, latency, next retry",
    responses=_problems(401, 403, 404, 422),
)
async def list_deliveries(
    webhook_id: WebhookId,
    session: SessionDep,
    principal: WriteAccess,
    limit: Limit = 50,
    cursor: CursorQuery = None,
) -> DeliveryPage:
    before = page_key(cursor, "deliveries") if cursor is not None else None
    rows = await webhooks.deliveries(session, _caller(principal), webhook_id, before, limit)
    return DeliveryPage(
        items=[DeliveryOut.of(r) for r in rows],
        next_cursor=pager.encode("deliveries", rows[-1].id) if len(rows) == limit else None,
    )


@router.post(
    "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    operation_id="webhooks.redeliver",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryOut,
    summary="Send a past delivery's message again (same webhook-id), once, outside the order",
    responses=_problems(401, 403, 404, 409, 422),
)
async def redeliver(
    webhook_id: WebhookId,
    delivery_id: Annotated[int, Path(ge=1, le=2**63 - 1)],
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        row = await webhooks.redeliver(session, _caller(principal), webhook_id, delivery_id)
        return _json(DeliveryOut.of(row), status.HTTP_202_ACCEPTED)

    return await idempotency.run(request, session, principal, key, handler)


@router.post(
    "/v1/webhooks/{webhook_id}/ping",
    operation_id="webhooks.ping",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=DeliveryOut,
    summary="Queue a signed `webhook.ping` message; its outcome shows in the delivery log",
    responses=_problems(401, 403, 404, 409, 422),
)
async def ping(
    webhook_id: WebhookId,
    request: Request,
    session: SessionDep,
    principal: WriteAccess,
    key: idempotency.IdempotencyKey = None,
) -> Response:
    async def handler() -> Response:
        row = await webhooks.ping(session, _caller(principal), webhook_id)
        return _json(DeliveryOut.of(row), status.HTTP_202_ACCEPTED)

    return await idempotency.run(request, session, principal, key, handler)
