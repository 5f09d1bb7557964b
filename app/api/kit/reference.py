"""What the record routes (decisions, obligations, procedures) share: the reference data in
force, their declared problems, the If-Match precondition and the as-of day."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Query

from app.api.kit import deps
from app.api.kit.deps import RuntimeDep
from app.api.kit.problems import ApiProblem
from app.api.wire.dates import IsoDate
from app.services import procedures
from app.services.obligations import Reference

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}


def problems(*codes: int) -> dict[int | str, dict[str, Any]]:
    text = {
        401: "No API key, or an unknown one",
        403: "The API key lacks the scope",
        404: "No such record",
        409: "Conflicts with what is recorded (duplicate number, completed obligations...)",
        412: "The If-Match tag is stale: read the record again",
        428: "If-Match is required to replace an existing record",
        422: "Bad input; `errors[].field` names it (also: an Idempotency-Key reused with "
        "another body)",
        503: "The calendar or the rule catalog is not loaded yet",
    }
    return {code: {"description": text[code], "content": _PROBLEM} for code in codes}


async def reference(runtime: RuntimeDep) -> Reference:
    """This replica's calendar snapshot and rule catalog (one read each: a reload cannot tear
    them within the request)."""
    snapshot = runtime.calendar.snapshot if runtime.calendar is not None else None
    state = runtime.catalog
    if snapshot is None or state is None or state.catalog is None:
        raise deps.not_loaded("The calendar or the rule catalog is")
    return Reference(
        calendar=snapshot,
        catalog=state.catalog,
        catalog_revision=state.revision,
        culture_day_compensatory=runtime.settings.culture_day_compensatory,
    )


ReferenceDep = Annotated[Reference, Depends(reference)]
IfMatch = Annotated[
    str | None,
    Header(alias="If-Match", description="The ETag last read: refused with 412 when stale."),
]
AsOf = Annotated[
    IsoDate | None,
    Query(description="Evaluate overdue as of this day; default today in Asia/Ho_Chi_Minh."),
]


def precondition_failed(error: procedures.PreconditionFailed) -> ApiProblem:
    headers = {"ETag": error.etag} if error.etag else None
    if error.required:
        return ApiProblem(428, error.detail, code="precondition-required", headers=headers)
    return ApiProblem(412, error.detail, code="precondition-failed", headers=headers)
