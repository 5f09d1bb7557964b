"""Use cases that change the rule catalog: a new profile, a profile replaced, one rule added or
replaced. Each change is a new version of the profile's document (the history keeps every one)
and an audit entry; the database bumps the catalog revision and every replica reloads (see
catalog_state).

A document is checked exactly as every replica will load it: parse_profile on its JSON form,
then a Catalog of all the profiles, so that extensions, replacements and chains resolve. The
check runs after the write, on the rows as this transaction sees them: the write took the
catalog-revision row lock (trigger), so concurrent catalog writers are serialised and each
checks against the others' committed work.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.data.documents import from_json
from app.data.profile_document import ProfileDocument
from app.data.reporting import reporting_catalog
from app.data.rules import SCHEMA, parse_profile
from app.db.models import ProfileVersion
from app.db.repositories import audit
from app.db.repositories import catalog as repo
from app.domain.deadlines import Catalog, Profile, Rule
from app.domain.errors import Conflict, DomainError, NotFound

# What runs once the transaction is committed (a reload of this replica's catalog).
AfterCommit = Callable[[], Awaitable[object]]

PROFILE_CODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RULE_CODE = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
MAX_CODE = 100
# No legal period is anywhere near this long; the vectorised engine counts in 64-bit integers.
MAX_AMOUNT = 100_000

_NAME = "document"  # how parse_profile names the document in its messages
_PLACE = re.compile(
    r"^document(?P<table>(?:\.\w+)*)(?:: rule #(?P<n>\d+)(?: \([^)]*\))?(?P<sub>(?:\.\w+)*))?: "
    r"(?P<rest>.*)$",
    re.DOTALL,
)
_KEY = re.compile(r"^(\w+) (?:has the wrong type|is required|must|=)")


class InvalidProfile(DomainError):
    """A profile document (or rule) the catalog cannot load."""

    code = "invalid-profile"


@dataclass(frozen=True, slots=True)
class Change:
    """What a catalog write did. `catalog`: all the profiles as they are once it commits;
    `revision`: the catalog revision it creates."""

    action: str  # created | replaced | rule_added | rule_replaced
    profile: Profile
    version: int
    catalog: Catalog
    revision: int
    rule: Rule | None = None


async def create_profile(session: AsyncSession, document: Mapping[str, Any], actor: str) -> Change:
    """A new profile at version 1. Conflict when the code exists."""
    doc = _normalised(document, version_field_value=1)
    code = _profile_code(doc)
    if await repo.get(session, code) is not None:
        raise Conflict(
            f"profile {code!r} exists; change it with PUT /v1/profiles/{code} or add rules "
            f"with POST /v1/profiles/{code}/rules",
            field="profile.code",
        )
    _parse(doc)
    try:
        await repo.save(session, code, 1, doc, actor)
    except IntegrityError:  # created concurrently by another request
        raise Conflict(f"profile {code!r} exists", field="profile.code") from None
    return await _settle(session, "created", code, 1, actor)


async def replace_profile(
    session: AsyncSession, code: str, document: Mapping[str, Any], actor: str
) -> Change:
    """The whole document of an existing profile, as its next version. A `version` in the
    document must be that next version (a stale edit is a Conflict)."""
    row = await repo.get(session, code, lock=True)
    if row is None:
        raise NotFound(f"no profile {code!r}", field="code")
    version = row.version + 1
    given = document.get("version")
    if given is not None and given != version:
        raise Conflict(
            f"profile {code!r} is at version {row.version}: a new document is version "
            f"{version} (omit 'version' to take the next one)",
            field="version",
        )
    doc = _normalised(document, version_field_value=version)
    if _profile_code(doc) != code:
        raise InvalidProfile(
            f"the document's profile.code {doc['profile'].get('code')!r} is not {code!r}",
            field="profile.code",
        )
    _parse(doc)
    await repo.save(session, code, version, doc, actor)
    return await _settle(session, "replaced", code, version, actor)


async def put_rule(session: AsyncSession, code: str, rule: Mapping[str, Any], actor: str) -> Change:
    """Add a rule to a profile, or replace its rule of the same code, as its next version."""
    row = await repo.get(session, code, lock=True)
    if row is None:
        raise NotFound(f"no profile {code!r}", field="code")
    _check_values(rule, "", root="rule")
    rule_code = rule.get("code")
    if not isinstance(rule_code, str):
        raise InvalidProfile("a rule needs its code (a string)", field="code")
    doc = copy.deepcopy(row.document)
    rows = doc.setdefault("rule", [])
    if not isinstance(rows, list):
        raise InvalidProfile(f"profile {code!r} has no list of rules", field="code")
    position = next(
        (i for i, r in enumerate(rows) if isinstance(r, dict) and r.get("code") == rule_code),
        None,
    )
    if position is None:
        rows.append(dict(rule))
        action, position = "rule_added", len(rows) - 1
    else:
        rows[position] = dict(rule)
        action = "rule_replaced"
    version = row.version + 1
    doc["version"] = version
    try:
        _parse(doc)
        await repo.save(session, code, version, doc, actor)
        change = await _settle(session, action, code, version, actor, rule_code=rule_code)
    except InvalidProfile as error:
        # the body is the rule itself: name its fields, not the document's
        raise InvalidProfile(error.detail, field=_rule_field(error.field, position)) from None
    return change


def _rule_field(field: str | None, position: int) -> str:
    prefix = f"rule[{position}]"
    if field == prefix:
        return "rule"
    if field is not None and field.startswith(prefix + "."):
        return field.removeprefix(prefix + ".")
    return "rule"


def check_storable(document: Mapping[str, Any], root: str = "document") -> str:
    """A document's profile code, once the document holds only what JSONB can store (drafts
    are kept before they are complete, so this is all that is checked then)."""
    _check_values(document, "", root=root)
    return _profile_code(document)


def _normalised(document: Mapping[str, Any], *, version_field_value: int) -> dict[str, Any]:
    """A copy of the document with its schema and version, checked for values JSONB cannot
    hold. A new profile's `version`, when given, must be 1."""
    _check_values(document, "", root="document")
    doc = copy.deepcopy(dict(document))
    doc.setdefault("schema", SCHEMA)
    given = doc.get("version")
    if given is not None and given != version_field_value:
        raise InvalidProfile(
            f"a new profile starts at version {version_field_value} (omit 'version')",
            field="version",
        )
    doc["version"] = version_field_value
    return doc


def _check_values(value: Any, where: str, *, root: str) -> None:
    """Refuse what PostgreSQL's JSONB cannot store (NUL characters, non-finite numbers)."""
    if isinstance(value, str):
        if "\x00" in value:
            raise InvalidProfile("text must not contain NUL characters", field=where or root)
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidProfile("numbers must be finite", field=where or root)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_values(key, where, root=root)
            _check_values(item, f"{where}.{key}" if where else str(key), root=root)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            _check_values(item, f"{where}[{i}]", root=root)


def _profile_code(doc: Mapping[str, Any]) -> str:
    head = doc.get("profile")
    code = head.get("code") if isinstance(head, dict) else None
    if not isinstance(code, str) or not PROFILE_CODE.match(code) or len(code) > MAX_CODE:
        raise InvalidProfile(
            "profile.code is required: lower-case letters, digits and hyphens "
            "(e.g. 'quang-nam-2025')",
            field="profile.code",
        )
    return code


def _parse(doc: Mapping[str, Any]) -> Profile:
    """The document model first (it names the field: a draft being published or a rule added
    reaches here without the request model), then the catalog's own parser."""
    try:
        ProfileDocument.model_validate(doc)
    except ValidationError as error:
        first = error.errors()[0]
        path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"])
        raise InvalidProfile(first["msg"], field=path.removeprefix(".") or _NAME) from None
    try:
        return parse_profile(from_json(doc), _NAME)
    except ValueError as error:
        raise InvalidProfile(str(error), field=_field(str(error))) from None


def _field(message: str) -> str:
    """The input a parse_profile message is about: 'rule[2].amount', 'profile.level'."""
    match = _PLACE.match(message)
    if match is None:
        return _NAME
    while (inner := _PLACE.match(match["rest"])) is not None:
        match = inner  # a rule's error repeats its place: "document: rule #1 (…): document: …"
    parts: list[str] = []
    if match["table"]:
        parts.append(match["table"][1:])
    if match["n"]:
        parts.append(f"rule[{int(match['n']) - 1}]")
        if match["sub"]:
            parts.append(match["sub"][1:])
    key = _KEY.match(match["rest"])
    if key:
        parts.append(key[1])
    return ".".join(parts) or _NAME


async def _settle(
    session: AsyncSession,
    action: str,
    code: str,
    version: int,
    actor: str,
    *,
    rule_code: str | None = None,
) -> Change:
    """Check the whole catalog as this transaction now sees it, then audit the change."""
    session.expire_all()  # reread every row: another writer may have committed meanwhile
    rows = await repo.documents(session)
    profiles = []
    for row in rows:
        try:
            profiles.append(parse_profile(from_json(row.document), _NAME))
        except ValueError as error:
            if row.code == code:
                raise InvalidProfile(str(error), field=_field(str(error))) from None
            raise  # a stored profile that no longer parses is a bug, not bad input
    changed = next(p for p in profiles if p.code == code)
    if changed.extends is not None and changed.extends not in {p.code for p in profiles}:
        raise InvalidProfile(
            f"profile {code!r} extends {changed.extends!r}, which does not exist",
            field="profile.extends",
        )
    try:
        catalog = Catalog(profiles)
    except ValueError as error:
        raise InvalidProfile(str(error), field=_NAME) from None
    _check_rules(catalog, changed)
    try:  # the reporting calendar resolves too (a duty the profile's rows name, its levels)
        reporting_catalog(ProfileDocument.model_validate(row.document) for row in rows)
    except (DomainError, ValidationError) as error:
        raise InvalidProfile(f"reporting: {error}", field="reporting") from None
    await audit.record(
        session,
        actor=actor,
        action="create" if action == "created" else "update",
        entity="profile",
        entity_id=code,
        detail={"change": action, "version": version} | ({"rule": rule_code} if rule_code else {}),
    )
    rule = catalog.rule(rule_code, code) if rule_code else None
    return Change(action, changed, version, catalog, await repo.revision(session), rule)


def _check_rules(catalog: Catalog, profile: Profile) -> None:
    """Codes that say where a rule belongs, and amounts the engine can count."""
    inherited = (
        {r.code for r in catalog.effective_rules(profile.extends)} if profile.extends else set()
    )
    for i, rule in enumerate(profile.rules):
        where = f"rule[{i}]"
        if len(rule.code) > MAX_CODE or not RULE_CODE.match(rule.code):
            raise InvalidProfile(
                f"rule code {rule.code!r}: lower-case letters, digits, dots and hyphens",
                field=f"{where}.code",
            )
        if not rule.code.startswith(f"{profile.code}.") and rule.code not in inherited:
            raise InvalidProfile(
                f"rule code {rule.code!r} must start with '{profile.code}.' (or be the code of "
                "an inherited rule it overrides)",
                field=f"{where}.code",
            )
        if rule.amount is not None and rule.amount > MAX_AMOUNT:
            raise InvalidProfile(
                f"amount {rule.amount} is beyond any legal period (at most {MAX_AMOUNT:,})",
                field=f"{where}.amount",
            )


async def history(session: AsyncSession, code: str) -> list[ProfileVersion]:
    """A profile's versions, oldest first."""
    return await repo.history(session, code)


async def commit(session: AsyncSession, after_commit: AfterCommit | None) -> None:
    """End the change's one transaction, then reload this replica's catalog (the others
    follow by NOTIFY)."""
    await session.commit()
    if after_commit is not None:
        await after_commit()


async def versions(session: AsyncSession, code: str) -> list[ProfileVersion]:
    """Every stored version of a profile, oldest first (who changed it, when)."""
    return await repo.history(session, code)
