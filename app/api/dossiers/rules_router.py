"""The dossier rule sets: the statutory values of the dossier clock by decree, as versioned
documents; ops replace or add one (scope admin, audited, followed by every replica)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Path, Query, Request, status
from starlette.responses import Response

from app.api.dossiers import rules_schemas as s
from app.api.kit import idempotency
from app.api.kit.deps import AdminAccess, ReadAccess, RuntimeDep, SessionDep
from app.api.kit.idempotency import IdempotencyKey
from app.api.kit.responses import JSONBody
from app.data.dossier_rules import DossierRuleSet
from app.db.models import DossierRuleSetRow
from app.domain.errors import NotFound
from app.services import dossier_rules_admin

router = APIRouter(prefix="/v1/dossier-rules", tags=["dossiers"])

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
_WRITES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API key", "content": _PROBLEM},
    403: {"description": "The key lacks the admin scope", "content": _PROBLEM},
    409: {"description": "The set changed since the version given", "content": _PROBLEM},
    422: {
        "description": "A document the clock cannot load; `errors[].field` names the place "
        "(e.g. `supplement_request.amount`, `effective_from` for periods that overlap)",
        "content": _PROBLEM,
    },
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such rule set", "content": _PROBLEM}
}
Code = Annotated[str, Path(max_length=100, examples=["nd-118-2025"])]


@router.get(
    "",
    response_model=s.DossierRuleSets,
    summary="The dossier rule sets, by the period of receipt they govern",
)
async def list_rule_sets(session: SessionDep, _: ReadAccess) -> s.DossierRuleSets:
    rows = await dossier_rules_admin.documents(session)
    items = sorted((_out(row) for row in rows), key=lambda item: item.document.effective_from)
    return s.DossierRuleSets(
        items=items, dossier_rules_revision=await dossier_rules_admin.revision(session)
    )


def _out(row: DossierRuleSetRow) -> s.DossierRuleSetOut:
    return s.DossierRuleSetOut(
        code=row.code,
        version=row.version,
        updated_by=row.updated_by,
        updated_at=row.updated_at,
        document=DossierRuleSet.model_validate(row.document),
    )


@router.get(
    "/{code}",
    response_model=s.DossierRuleSetOut,
    summary="A dossier rule set (its current version)",
    responses=_NOT_FOUND,
)
async def get_rule_set(code: Code, session: SessionDep, _: ReadAccess) -> s.DossierRuleSetOut:
    row = await dossier_rules_admin.document(session, code)
    if row is None:
        raise NotFound(f"no dossier rule set {code!r}", field="code")
    return _out(row)


@router.get(
    "/{code}/versions",
    response_model=s.DocumentVersions,
    summary="Every version of a dossier rule set, oldest first (kept when the set is retired)",
    responses=_NOT_FOUND,
)
async def rule_set_versions(code: Code, session: SessionDep, _: ReadAccess) -> s.DocumentVersions:
    rows = await dossier_rules_admin.history(session, code)
    if not rows:
        raise NotFound(f"no dossier rule set {code!r}", field="code")
    return s.DocumentVersions(code=code, items=[s.versions_of(row) for row in rows])


@router.put(
    "/{code}",
    response_model=s.DossierRuleSetChange,
    summary="Replace a dossier rule set as its next version, or add one (scope admin; audited; "
    "Idempotency-Key)",
    description="The version in force on a dossier's day of receipt applies to it: the sets' "
    "periods must not overlap. Dossiers are re-evaluated with the new values by the scanner's "
    "next pass and on their next event.",
    responses=_WRITES | {201: {"description": "Added", "model": s.DossierRuleSetChange}},
)
async def put_rule_set(
    code: Code,
    document: Annotated[DossierRuleSet, Body()],
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
    based_on: Annotated[
        int | None,
        Query(ge=1, description="The version the edit was made on: 409 if the set moved on."),
    ] = None,
) -> Response:
    async def handler() -> Response:
        change = await dossier_rules_admin.put_rule_set(
            session, code, document, principal.actor, based_on
        )
        row = change.row
        body = s.DossierRuleSetChange(
            code=row.code,
            version=row.version,
            updated_by=row.updated_by,
            updated_at=row.updated_at,
            document=DossierRuleSet.model_validate(row.document),
            dossier_rules_revision=change.revision,
        )
        return JSONBody(
            body.model_dump_json(),
            status_code=status.HTTP_201_CREATED if change.created else status.HTTP_200_OK,
            headers={"Location": f"/v1/dossier-rules/{row.code}"},
        )

    response = await idempotency.run(request, session, principal, key, handler)
    await dossier_rules_admin.commit(  # this replica at once; the others by NOTIFY
        session, runtime.dossier_rules.refresh if runtime.dossier_rules is not None else None
    )
    return response
