"""The reference data a console page reads: the calendar snapshot and the rule catalog in
force on this replica (503 while start-up waits for the database, as on the API)."""

from __future__ import annotations

from app.api.kit.deps import not_loaded
from app.domain.calendar import CalendarSnapshot
from app.domain.deadlines import Catalog
from app.runtime import Runtime
from app.services.obligations import Reference


def calendar(runtime: Runtime) -> CalendarSnapshot:
    snapshot = runtime.calendar.snapshot if runtime.calendar is not None else None
    if snapshot is None:
        raise not_loaded("The calendar is")
    return snapshot


def catalog(runtime: Runtime) -> Catalog:
    loaded = runtime.catalog.catalog if runtime.catalog is not None else None
    if loaded is None or runtime.catalog is None:
        raise not_loaded("The rule catalog is")
    return loaded


def reference(runtime: Runtime) -> Reference:
    """What the obligation use cases date with (the same as the API's ReferenceDep)."""
    assert runtime.catalog is not None
    return Reference(
        calendar=calendar(runtime),
        catalog=catalog(runtime),
        catalog_revision=runtime.catalog.revision,
        culture_day_compensatory=runtime.settings.culture_day_compensatory,
    )
