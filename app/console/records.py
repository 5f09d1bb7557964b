"""A decision (its procedures and duties; completing a duty with a write key) and a dossier
(its clock drawn as a timeline)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response

from app.console import reference, timeline
from app.console.steps import dossier_steps
from app.console.web import AnyPage, ReadPage, form_text, today
from app.domain.errors import DomainError
from app.domain.keys import Scope
from app.services import board, decisions, dossiers, obligations
from app.services.office_time import ZONE, now_local

router = APIRouter(include_in_schema=False)
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


@router.get("/decisions/{decision_id}")
async def decision_page(page: ReadPage, decision_id: Id) -> Response:
    async with page.runtime.sessionmaker() as session:
        view = await decisions.get(session, decision_id)
    day = today()
    if page.request.query_params.get("done"):
        page.flash.append(("ok", page.t("done")))
    return page.render(
        "decision.html",
        d=view.decision,
        procedures=view.procedures,
        duties=[(o, board.status_of(o, day)) for o in view.obligations],
        today=day,
    )


@router.post("/obligations/{obligation_id}/complete")
async def complete(page: AnyPage, obligation_id: Id) -> Response:
    principal = page.need(Scope.WRITE)
    ref = reference.reference(page.runtime)
    try:
        completed_on = dt.date.fromisoformat(await form_text(page, "completed_on"))
    except ValueError:
        completed_on = None
    evidence = await form_text(page, "evidence") or None
    async with page.runtime.sessionmaker() as session:
        try:
            if completed_on is None:
                raise DomainError("completed_on must be a date (YYYY-MM-DD)", field="completed_on")
            view = await obligations.complete(
                session,
                ref,
                obligation_id,
                completed_on=completed_on,
                evidence=evidence,
                actor=principal.actor,
                today=today(),
            )
            await session.commit()
        except DomainError as error:
            await session.rollback()
            page.flash.append(("error", f"{page.t('error')}: {error.detail}"))
            return await decision_page(page, await _decision_of(page, obligation_id))
    return page.redirect(f"/decisions/{view.obligation.decision_id}?done=1")


async def _decision_of(page: AnyPage, obligation_id: int) -> int:
    async with page.runtime.sessionmaker() as session:
        return (await obligations.get(session, obligation_id)).obligation.decision_id


@router.get("/dossiers/{dossier_id}")
async def dossier_page(page: ReadPage, dossier_id: Id) -> Response:
    calendar = reference.calendar(page.runtime)
    now = now_local()
    async with page.runtime.sessionmaker() as session:
        view = await dossiers.get_dossier(session, calendar, dossier_id, as_of=None, now=now)
    state = view.state
    # Every instant on the picture in Vietnam's time, as the office reads it (events are
    # stored in UTC: drawn as they are, 09:00 received read 02:00).
    drawn = timeline.picture(
        [
            timeline.Event(
                e.kind,
                e.at.astimezone(ZONE),
                e.new_due_at.astimezone(ZONE) if e.new_due_at else None,
            )
            for e in view.events
        ],
        due_at=state.due_at.astimezone(ZONE) if state.due_at else None,
        statutory_due_at=(
            state.statutory_due_at.astimezone(ZONE) if state.statutory_due_at else None
        ),
        now=state.as_of.astimezone(ZONE),
    )
    return page.render(
        "dossier.html",
        d=view.dossier,
        events=view.events,
        state=state,
        picture=drawn,
        steps=dossier_steps(page.lang, state.trace) if page.lang == "vi" else None,
    )
