"""A catalog change as the admin routes (rules and profile drafts) answer it: run once per
Idempotency-Key, committed, then this replica's catalog reloaded."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, status
from starlette.responses import Response

from app.api.kit import idempotency
from app.api.kit.deps import Principal, SessionDep
from app.api.kit.responses import JSONBody
from app.api.rules import schemas as s
from app.runtime import Runtime
from app.services import catalog_admin


async def write_catalog_change(
    request: Request,
    runtime: Runtime,
    session: SessionDep,
    principal: Principal,
    key: str | None,
    work: Callable[[], Awaitable[catalog_admin.Change]],
) -> Response:
    """Run a catalog change once per Idempotency-Key, commit it, then reload this replica's
    catalog at once (the others follow by NOTIFY)."""

    async def handler() -> Response:
        change = await work()
        code = change.profile.code
        lineage = change.catalog.lineage(code)
        body = s.ProfileChange(
            action=change.action,
            profile=s.ProfileOut.of(change.profile),
            version=change.version,
            catalog_revision=change.revision,
            rule=s.rules_of(lineage, [change.rule])[0] if change.rule else None,
        )
        created = change.action in ("created", "rule_added")
        location = (
            f"/v1/rules/{change.rule.code}?profile={code}"
            if change.rule
            else f"/v1/profiles/{code}"
        )
        return JSONBody(
            body.model_dump_json(),
            status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": location},
        )

    response = await idempotency.run(request, session, principal, key, handler)
    await catalog_admin.commit(
        session, runtime.catalog.refresh if runtime.catalog is not None else None
    )
    return response
