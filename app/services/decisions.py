"""Use cases on publication decisions: record one with all its obligations, correct it (the
obligations follow, every moved due date on record), delete it while nothing is completed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Decision, DecisionProcedure, Obligation
from app.db.models.decisions import stored_decision_level
from app.db.repositories import audit, feed
from app.db.repositories import decisions as repo
from app.db.repositories import obligations as obligation_repo
from app.domain.deadlines import Level, Profile
from app.domain.errors import Conflict, DomainError, NotFound, OutsidePeriod
from app.domain.obligations import (
    OPEN,
    DecisionFacts,
    ObligationStatus,
    moves,
)
from app.services import procedures
from app.services.obligations import (
    FeedEvent,
    Reference,
    apply_moves,
    calendar_for_write,
    duty_rules,
    duty_values,
    facts_of,
    obligation_event,
    plan,
    recorded,
)

# The list's filter, as the repository applies it.
DecisionFilter = repo.DecisionFilter


class PreconditionFailed(procedures.PreconditionFailed):
    pass


@dataclass(frozen=True)
class NewDecision:
    number: str
    issuer: str
    level: Level
    profile: str
    kind: str
    signed_on: dt.date
    effective_on: dt.date
    procedures: Sequence[procedures.PublishedItem]
    shortened: bool = False
    ministry_list_signed_on: dt.date | None = None
    title: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class DecisionView:
    decision: Decision
    procedures: list[DecisionProcedure]
    obligations: list[Obligation]


def decision_event(kind: str, row: Decision, **extra: Any) -> FeedEvent:
    payload: dict[str, Any] = {
        "id": row.id,
        "number": row.number,
        "issuer": row.issuer,
        "profile": row.profile_code,
        "signed_on": row.signed_on.isoformat(),
        "effective_on": row.effective_on.isoformat(),
        "version": row.version,
    }
    return (f"decision.{kind}", "decision", str(row.id), payload | extra)


def _profile_checks(ref: Reference, data: NewDecision) -> int:
    """The profile exists and fits the issuer's level; returns its data version."""
    try:
        profile = ref.catalog.profile(data.profile)
    except NotFound:
        known = ", ".join(sorted(ref.catalog.profiles))
        raise DomainError(
            f"unknown profile {data.profile!r}; known profiles: {known}", field="profile"
        ) from None
    if profile.level is not Level.NATIONAL and data.level is not Level.PROVINCE:
        raise DomainError(
            f"profile {profile.code} is a local plan: it tracks provincial publication "
            f"decisions, not {data.level.value} ones (use the national profile)",
            field="level",
        )
    _period_check(ref, data.profile, data.level, data.signed_on)
    return ref.catalog.versions[data.profile]


def _covers(profile: Profile, day: dt.date) -> bool:
    starts, ends = profile.effective_from, profile.effective_to
    return (starts is None or starts <= day) and (ends is None or day <= ends)


def _period_check(ref: Reference, code: str, level: Level, signed_on: dt.date) -> None:
    """A local plan's rules apply to decisions signed in the plan's period. Outside it they
    would silently give way to the national duties alone, so the decision is refused with the
    period and the profiles that do cover the date (docs/legal-basis.md#profile-period)."""
    profile = ref.catalog.profile(code)
    if _covers(profile, signed_on):
        return
    fitting = sorted(
        p.code
        for p in ref.catalog.profiles.values()
        if _covers(p, signed_on) and (p.level is Level.NATIONAL or level is Level.PROVINCE)
    )
    starts = profile.effective_from.isoformat() if profile.effective_from else "the start"
    ends = profile.effective_to.isoformat() if profile.effective_to else "now"
    raise OutsidePeriod(
        f"profile {profile.code} covers decisions signed from {starts} to {ends}; this one was "
        f"signed on {signed_on.isoformat()}, when none of the profile's own rules apply. "
        f"Profiles covering {signed_on.isoformat()}: {', '.join(fitting) or 'none'}",
        field="signed_on",
    )


def _date_checks(facts: DecisionFacts) -> None:
    # Also CHECK constraints in the database; here to name the field in the answer.
    if facts.effective_on < facts.signed_on:
        raise DomainError(
            f"effective_on {facts.effective_on.isoformat()} is before signed_on "
            f"{facts.signed_on.isoformat()}",
            field="effective_on",
        )
    listed = facts.ministry_list_signed_on
    if listed is not None and listed > facts.signed_on:
        raise DomainError(
            f"ministry_list_signed_on {listed.isoformat()} is after the decision was signed "
            f"({facts.signed_on.isoformat()}): the decision derives from the list",
            field="ministry_list_signed_on",
        )


async def create(
    session: AsyncSession, ref: Reference, data: NewDecision, *, actor: str
) -> DecisionView:
    """Store the decision, its procedures and every obligation its profile's rules create,
    in the caller's transaction; the events go last."""
    profile_version = _profile_checks(ref, data)
    facts = DecisionFacts(
        signed_on=data.signed_on,
        effective_on=data.effective_on,
        level=data.level,
        shortened=data.shortened,
        ministry_list_signed_on=data.ministry_list_signed_on,
    )
    _date_checks(facts)
    calendar = await calendar_for_write(session, ref)
    planned = plan(duty_rules(ref.catalog, data.profile, facts), calendar, facts)
    decision = await repo.insert_decision(
        session,
        {
            "number": data.number,
            "issuer": data.issuer,
            "level": stored_decision_level(data.level.value),
            "shortened": data.shortened,
            "profile_code": data.profile,
            "kind": data.kind,
            "title": data.title,
            "signed_on": data.signed_on,
            "effective_on": data.effective_on,
            "ministry_list_signed_on": data.ministry_list_signed_on,
            "note": data.note,
            "catalog_revision": ref.catalog_revision,
            "profile_version": profile_version,
            "created_by": actor,
            "updated_by": actor,
        },
    )
    if decision is None:
        raise Conflict(
            f"{data.issuer} already has a decision numbered {data.number}", field="number"
        )
    procedure_events = await procedures.apply_decision(session, decision, data.procedures, actor)
    published = await repo.add_procedures(
        session, decision.id, [(i.code, i.name, i.action) for i in data.procedures]
    )
    obligations = await obligation_repo.insert_many(
        session,
        [
            {
                "decision_id": decision.id,
                "profile_code": decision.profile_code,
                "rule_code": duty.rule,
                "chain_from": duty.chain_from,
                "title_vi": duty.title_vi,
                "title_en": duty.title_en,
                "status": ObligationStatus.PENDING.value,
                "catalog_revision": ref.catalog_revision,
                "profile_version": profile_version,
                **duty_values(duty),
            }
            for duty in planned
        ],
    )
    await feed.append(
        session,
        [
            decision_event("created", decision, obligations=[o.id for o in obligations]),
            *procedure_events,
            *(obligation_event("created", o, projected=o.projected) for o in obligations),
        ],
    )
    return DecisionView(decision, published, obligations)


async def get(session: AsyncSession, decision_id: int) -> DecisionView:
    decision = await repo.get(session, decision_id)
    if decision is None:
        raise NotFound(f"no decision {decision_id}", field="id")
    published = (await repo.procedures_of(session, [decision_id]))[decision_id]
    rows = (await obligation_repo.of_decisions(session, [decision_id]))[decision_id]
    return DecisionView(decision, published, rows)


def _check_version(decision: Decision, if_match: str | None) -> None:
    if if_match is None:
        return
    if not procedures.version_matches(if_match, decision.version):
        raise PreconditionFailed(
            f"decision {decision.id} is at version {decision.version}: the If-Match tag is stale",
            procedures.etag_of(decision.version),
        )


_DATES = ("signed_on", "effective_on", "ministry_list_signed_on")


async def update(
    session: AsyncSession,
    ref: Reference,
    decision_id: int,
    changes: dict[str, Any],
    *,
    if_match: str | None,
    actor: str,
    today: dt.date,
) -> DecisionView:
    """Correct a decision. A corrected date re-dates its open obligations (each move on
    record, reason `decision_corrected`); completed ones keep theirs. A correction that would
    change which duties apply is refused: delete and record the decision again."""
    calendar = await calendar_for_write(session, ref)
    decision = await repo.get(session, decision_id, lock=True)
    if decision is None:
        raise NotFound(f"no decision {decision_id}", field="id")
    _check_version(decision, if_match)
    changed = {k: v for k, v in changes.items() if getattr(decision, k) != v}
    if not changed:
        return await get(session, decision_id)
    old_facts = facts_of(decision)
    facts = DecisionFacts(
        signed_on=changed.get("signed_on", decision.signed_on),
        effective_on=changed.get("effective_on", decision.effective_on),
        level=old_facts.level,
        shortened=old_facts.shortened,
        ministry_list_signed_on=changed.get(
            "ministry_list_signed_on", decision.ministry_list_signed_on
        ),
    )
    _date_checks(facts)
    if "signed_on" in changed:
        _period_check(ref, decision.profile_code, old_facts.level, facts.signed_on)
    issuer = changed.get("issuer", decision.issuer)
    number = changed.get("number", decision.number)
    if ("issuer" in changed or "number" in changed) and await repo.number_taken(
        session, issuer, number, other_than=decision.id
    ):
        raise Conflict(f"{issuer} already has a decision numbered {number}", field="number")
    diff = {k: [_json(getattr(decision, k)), _json(v)] for k, v in changed.items()}
    events: list[FeedEvent] = []
    rows = (await obligation_repo.of_decisions(session, [decision_id], lock=True))[decision_id]
    if any(k in changed for k in _DATES):
        rules = duty_rules(ref.catalog, decision.profile_code, facts)
        now_codes = {r.code for r in rules}
        on_record = {r.rule_code for r in rows}
        if now_codes != on_record:
            raise Conflict(
                "with these dates the profile's rules in force differ from the obligations on "
                f"record (now {sorted(now_codes)}, recorded {sorted(on_record)}): delete the "
                "decision and record it again",
                field="signed_on",
            )
        completed = {r.rule_code: r.completed_on for r in rows if r.completed_on is not None}
        planned = plan(rules, calendar, facts, completed)
        open_rows = [recorded(r) for r in rows if ObligationStatus(r.status) in OPEN]
        events += await apply_moves(
            session,
            moves(open_rows, planned),
            reason="decision_corrected",
            actor=actor,
            today=today,
            catalog_revision=ref.catalog_revision,
            profile_version=ref.catalog.versions.get(decision.profile_code),
        )
    updated = await repo.update_decision(session, decision_id, changed | {"updated_by": actor})
    if "effective_on" in changed:
        events += await procedures.move_abolition(session, updated, actor)
    await audit.record(
        session,
        actor=actor,
        action="update",
        entity="decision",
        entity_id=str(decision_id),
        detail={"changes": diff},
    )
    rescheduled = [int(e[2]) for e in events if e[0] == "obligation.rescheduled"]
    await feed.append(
        session,
        [decision_event("updated", updated, changes=diff, rescheduled=rescheduled), *events],
    )
    return await get(session, decision_id)


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


async def delete(
    session: AsyncSession, decision_id: int, *, if_match: str | None, actor: str
) -> None:
    """Delete a decision and its obligations while none is completed (409 otherwise)."""
    decision = await repo.get(session, decision_id, lock=True)
    if decision is None:
        raise NotFound(f"no decision {decision_id}", field="id")
    _check_version(decision, if_match)
    rows = (await obligation_repo.of_decisions(session, [decision_id], lock=True))[decision_id]
    done = [r for r in rows if r.status in ("done", "done_late")]
    if done:
        codes = ", ".join(r.rule_code for r in done)
        raise Conflict(
            f"decision {decision_id} has completed obligations ({codes}): it can no longer "
            "be deleted; correct it instead",
            field="id",
        )
    events = await procedures.move_abolition(session, decision, actor, undo=True)
    await repo.delete_decision(session, decision_id)
    await audit.record(
        session,
        actor=actor,
        action="delete",
        entity="decision",
        entity_id=str(decision_id),
        detail={"number": decision.number, "issuer": decision.issuer},
    )
    await feed.append(
        session,
        [decision_event("deleted", decision, obligations=[r.id for r in rows]), *events],
    )


async def page(
    session: AsyncSession,
    where: repo.DecisionFilter,
    after: tuple[dt.date, int] | None,
    limit: int,
) -> tuple[list[Decision], dict[int, dict[str, int]], bool]:
    rows = await repo.page(session, where, after, limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    assert where.as_of is not None
    counts = await repo.obligation_counts(session, [r.id for r in rows], where.as_of)
    return rows, counts, more
