"""The rule catalog: rules and jurisdiction profiles as data, with their versions; ops add
profiles and rules (scope admin, audited, followed by every replica)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Body, Path, Query, Request, status
from starlette.responses import Response

from app.api.kit import conditional, deps
from app.api.kit.conditional import REFERENCE
from app.api.kit.deps import AdminAccess, ReadAccess, RuntimeDep, SessionDep
from app.api.kit.idempotency import IdempotencyKey
from app.api.rules import schemas as s
from app.api.rules.catalog_write import write_catalog_change as _write
from app.api.wire.dates import IsoDate
from app.data.profile_document import ProfileDocument, RuleDocument
from app.domain.deadlines import Catalog, Confidence, DutyTrigger, Rule, Shape
from app.domain.errors import DomainError, NotFound
from app.runtime import Runtime
from app.services import catalog_admin
from app.services.compute import resolve

router = APIRouter(prefix="/v1", tags=["rules"])

E = TypeVar("E", bound=StrEnum)

_PROBLEM: dict[str, Any] = {"application/problem+json": {}}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Unknown rule or profile", "content": _PROBLEM},
    422: {"description": "A filter with an unknown value", "content": _PROBLEM},
}
_WRITES: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API key", "content": _PROBLEM},
    403: {"description": "The key lacks the admin scope", "content": _PROBLEM},
    404: {"description": "Unknown profile", "content": _PROBLEM},
    409: {
        "description": "The profile exists, or changed since the version given",
        "content": _PROBLEM,
    },
    422: {
        "description": "A document the catalog cannot load; `errors[].field` names the place "
        "(e.g. `rule[2].amount`, `profile.extends`) and `detail` the problem",
        "content": _PROBLEM,
    },
}

ProfileCode = Annotated[str, Path(max_length=100, examples=["quang-nam-2024"])]


def _catalog(runtime: Runtime) -> tuple[Catalog, int]:
    state = runtime.catalog
    if state is None or state.catalog is None:
        raise deps.not_loaded("The rule catalog is")
    return state.catalog, state.revision


def _choice(enum: type[E], value: str | None, field: str) -> E | None:
    if value is None:
        return None
    try:
        return enum(value)
    except ValueError:
        options = ", ".join(e.value for e in enum)
        raise DomainError(f"{field} {value!r} is not one of {options}", field=field) from None


def _filter(enum: type[StrEnum], description: str) -> Any:
    return Query(description=description, json_schema_extra={"enum": [e.value for e in enum]})


@router.get(
    "/rules",
    response_model=s.Rules,
    summary="The deadline rules, with their citations, confidence and readings",
    description="Without `profile`: every profile's own rules. With `profile`: the rules in "
    "force for it (its own and the inherited ones it does not override), as it reads them.",
    responses=_NOT_FOUND,
)
async def list_rules(
    runtime: RuntimeDep,
    response: Response,
    _: ReadAccess,
    profile: Annotated[str | None, Query(max_length=100, examples=["quang-nam-2024"])] = None,
    shape: Annotated[str | None, _filter(Shape, "Only rules of this shape.")] = None,
    duty_on: Annotated[
        str | None, _filter(DutyTrigger, "Only rules that become duties of this record.")
    ] = None,
    confidence: Annotated[str | None, _filter(Confidence, "Only rules this sure.")] = None,
    on: Annotated[IsoDate | None, Query(description="Only rules in force on this date.")] = None,
) -> s.Rules:
    catalog, revision = _catalog(runtime)
    conditional.tag(response, conditional.revision_tag("catalog", revision), REFERENCE)
    wanted_shape = _choice(Shape, shape, "shape")
    wanted_duty = _choice(DutyTrigger, duty_on, "duty_on")
    wanted_confidence = _choice(Confidence, confidence, "confidence")
    codes = [profile] if profile is not None else list(catalog.profiles)
    items: list[s.RuleOut] = []
    for code in codes:
        lineage = catalog.lineage(code)
        rules = catalog.effective_rules(code, on)
        if profile is None:  # each profile's own rules, once
            own = {r.code for r in lineage[-1].rules}
            rules = tuple(r for r in rules if r.code in own)
        items += s.rules_of(
            lineage, [r for r in rules if _keep(r, wanted_shape, wanted_duty, wanted_confidence)]
        )
    return s.Rules(items=items, catalog_revision=revision)


def _keep(
    rule: Rule, shape: Shape | None, duty: DutyTrigger | None, confidence: Confidence | None
) -> bool:
    return (
        (shape is None or rule.shape is shape)
        and (duty is None or rule.duty_on is duty)
        and (confidence is None or rule.confidence is confidence)
    )


@router.get(
    "/rules/{code}",
    response_model=s.RuleOut,
    summary="One rule, as a profile reads it",
    description="By default the profile the code starts with (`quang-nam-2024.…`), else "
    "national; `profile` reads it in another (e.g. a national rule in a province).",
    responses=_NOT_FOUND,
)
async def get_rule(
    code: Annotated[str, Path(max_length=200, examples=["national.database-entry-province"])],
    runtime: RuntimeDep,
    response: Response,
    _: ReadAccess,
    profile: Annotated[str | None, Query(max_length=100)] = None,
    on: Annotated[IsoDate | None, Query(description="The rule as in force on this date.")] = None,
) -> s.RuleOut:
    catalog, revision = _catalog(runtime)
    conditional.tag(response, conditional.revision_tag("catalog", revision), REFERENCE)
    try:
        rule, found = resolve(catalog, code, profile)
    except NotFound:
        if profile is not None:
            raise
        # a rule whose code does not name its profile: look for it among the profiles' own
        owners = [p for p in catalog.profiles.values() if any(r.code == code for r in p.rules)]
        if len(owners) != 1:
            raise
        rule, found = catalog.rule(code, owners[0].code), owners[0]
    if on is not None and not rule.in_force(on):
        raise NotFound(f"rule {code!r} is not in force on {on.isoformat()}", field="on")
    return s.rules_of(catalog.lineage(found.code), [rule])[0]


@router.get("/profiles", response_model=s.Profiles, summary="The jurisdiction profiles")
async def list_profiles(runtime: RuntimeDep, response: Response, _: ReadAccess) -> s.Profiles:
    catalog, revision = _catalog(runtime)
    conditional.tag(response, conditional.revision_tag("catalog", revision), REFERENCE)
    return s.Profiles(
        items=[s.ProfileOut.of(p) for p in catalog.profiles.values()], catalog_revision=revision
    )


@router.get(
    "/profiles/{code}",
    response_model=s.ProfileDetail,
    summary="A profile with the rules in force for it and its version history",
    responses=_NOT_FOUND,
)
async def get_profile(
    code: ProfileCode, runtime: RuntimeDep, response: Response, session: SessionDep, _: ReadAccess
) -> s.ProfileDetail:
    catalog, revision = _catalog(runtime)
    # Its history is written with the profile, which bumps the catalog revision.
    conditional.tag(response, conditional.revision_tag("catalog", revision), REFERENCE)
    profile = catalog.profile(code)
    lineage = catalog.lineage(code)
    return s.ProfileDetail(
        **s.ProfileOut.of(profile).model_dump(),
        lineage=[p.code for p in lineage],
        rules=s.rules_of(lineage, catalog.effective_rules(code)),
        history=[
            s.VersionOut(version=v.version, changed_by=v.changed_by, changed_at=v.changed_at)
            for v in await catalog_admin.history(session, code)
        ],
        catalog_revision=revision,
    )


@router.get(
    "/profiles/{code}/versions/{version}",
    response_model=s.ProfileVersionOut,
    summary="A profile's document at one version (what was computed with it)",
    responses=_NOT_FOUND,
)
async def get_profile_version(
    code: ProfileCode,
    version: Annotated[int, Path(ge=1)],
    session: SessionDep,
    _: ReadAccess,
) -> s.ProfileVersionOut:
    for row in await catalog_admin.history(session, code):
        if row.version == version:
            return s.ProfileVersionOut(
                code=code,
                version=row.version,
                changed_by=row.changed_by,
                changed_at=row.changed_at,
                document=row.document,
            )
    raise NotFound(f"no version {version} of profile {code!r}", field="version")


# -- writes (ops) -------------------------------------------------------------------------------


ProfileBody = Annotated[
    ProfileDocument,
    Body(
        description="A profile document in the JSON form of the shipped TOML files "
        "(app/data/rules/*.toml): `schema`, `profile` (with `source`), `rule` (a list), "
        "`reporting` (its reporting calendar). `version` is assigned by the service.",
        openapi_examples={"profile": {"summary": "A plan's profile", "value": s.PROFILE_EXAMPLE}},
    ),
]


@router.post(
    "/profiles",
    response_model=s.ProfileChange,
    status_code=status.HTTP_201_CREATED,
    summary="Add a jurisdiction profile (scope admin; audited; Idempotency-Key)",
    description="Checked as every replica will load it: the document parses, and the whole "
    "catalog with it resolves (its `extends`, rules it `replaces`, chains between duties).",
    responses=_WRITES,
)
async def create_profile(
    document: ProfileBody,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
) -> Response:
    return await _write(
        request,
        runtime,
        session,
        principal,
        key,
        lambda: catalog_admin.create_profile(session, document.as_json(), principal.actor),
    )


@router.put(
    "/profiles/{code}",
    response_model=s.ProfileChange,
    summary="Replace a profile's document as its next version (scope admin; audited)",
    description="A `version` in the document, when given, must be the next version: an edit "
    "made on a stale copy is a 409.",
    responses=_WRITES,
)
async def replace_profile(
    code: ProfileCode,
    document: ProfileBody,
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
) -> Response:
    return await _write(
        request,
        runtime,
        session,
        principal,
        key,
        lambda: catalog_admin.replace_profile(session, code, document.as_json(), principal.actor),
    )


@router.post(
    "/profiles/{code}/rules",
    response_model=s.ProfileChange,
    status_code=status.HTTP_201_CREATED,
    summary="Add a rule to a profile, or replace its rule of the same code (scope admin)",
    description="The profile's next version; 201 when added, 200 when replaced. The rule is a "
    "`[[rule]]` table of the TOML files in JSON form; its code starts with the profile's "
    "code and a dot, unless it overrides an inherited rule of the same code.",
    responses=_WRITES | {200: {"description": "Replaced", "model": s.ProfileChange}},
)
async def put_rule(
    code: ProfileCode,
    rule: Annotated[
        RuleDocument,
        Body(openapi_examples={"rule": {"summary": "A period rule", "value": s.RULE_EXAMPLE}}),
    ],
    request: Request,
    runtime: RuntimeDep,
    session: SessionDep,
    principal: AdminAccess,
    key: IdempotencyKey = None,
) -> Response:
    return await _write(
        request,
        runtime,
        session,
        principal,
        key,
        lambda: catalog_admin.put_rule(
            session, code, rule.model_dump(mode="json", exclude_unset=True), principal.actor
        ),
    )
