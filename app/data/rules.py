"""Parse the shipped deadline-rule catalog (app/data/rules/*.toml, one file per profile).

Each file holds one profile and its rules. A rule's citation defaults to the profile's source
document and its effective dates to the profile's; unknown keys are refused so that a typo in the
data fails loudly at start-up instead of silently dropping a legal value.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Iterable, Mapping
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any, TypeVar

from pydantic import ValidationError

from app.data.profile_document import ProfileDocument
from app.domain.deadlines import (
    AnchorEvent,
    Bound,
    Catalog,
    Citation,
    Confidence,
    Direction,
    DutyTrigger,
    Frequency,
    Level,
    Period,
    Profile,
    Recurrence,
    Roll,
    Rule,
    Scope,
    Shape,
    SourcePlan,
    Unit,
)

SCHEMA = 1  # the layout of the files; bump it when the layout changes

E = TypeVar("E", bound=StrEnum)

_PROFILE_KEYS = {
    "code", "name_vi", "name_en", "issuer", "jurisdiction", "level", "year", "extends",
    "before_day", "effective_from", "effective_to", "source",
}  # fmt: skip
_SOURCE_KEYS = {"document", "title", "signed", "citation"}
_RULE_KEYS = {
    "code", "title_vi", "title_en", "shape", "citation", "confidence", "anchor", "chain_from",
    "amount", "unit", "direction", "roll", "bound", "fixed_date", "periods", "recurrence",
    "effective_from", "effective_to", "phrases_vi", "interpretation", "duty_on", "scope",
    "replaces",
}  # fmt: skip
_RECURRENCE_KEYS = {"frequency", "day", "last_month", "reporting_duty"}


class _Table:
    """Typed, checked access to one TOML table, naming the place of any error."""

    def __init__(self, data: Any, where: str, allowed: set[str]) -> None:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected a table")
        unknown = sorted(set(data) - allowed)
        if unknown:
            raise ValueError(f"{where}: unknown keys {unknown}")
        self.data: dict[str, Any] = data
        self.where = where

    def _get(self, key: str, kind: type | tuple[type, ...], required: bool) -> Any:
        value = self.data.get(key)
        if value is None:
            if required:
                raise ValueError(f"{self.where}: {key} is required")
            return None
        if (isinstance(value, bool) and kind is int) or not isinstance(value, kind):
            raise ValueError(f"{self.where}: {key} has the wrong type ({type(value).__name__})")
        return value

    def text(self, key: str) -> str:
        return str(self._get(key, str, True))

    def opt_text(self, key: str) -> str | None:
        value = self._get(key, str, False)
        return None if value is None else str(value)

    def opt_int(self, key: str) -> int | None:
        value = self._get(key, int, False)
        return None if value is None else int(value)

    def flag(self, key: str) -> bool:
        return bool(self._get(key, bool, False))

    def opt_date(self, key: str) -> dt.date | None:
        value = self._get(key, dt.date, False)
        if isinstance(value, dt.datetime):
            raise ValueError(f"{self.where}: {key} must be a date, not a date-time")
        return value if isinstance(value, dt.date) else None

    def texts(self, key: str) -> tuple[str, ...]:
        values = self._get(key, list, False) or []
        if not all(isinstance(v, str) for v in values):
            raise ValueError(f"{self.where}: {key} must be a list of strings")
        return tuple(values)

    def choice(self, key: str, enum: type[E], default: E | None = None) -> E | None:
        value = self.opt_text(key)
        if value is None:
            return default
        try:
            return enum(value)
        except ValueError:
            options = ", ".join(e.value for e in enum)
            raise ValueError(
                f"{self.where}: {key} = {value!r}, expected one of {options}"
            ) from None

    def table(self, key: str, allowed: set[str]) -> _Table | None:
        value = self.data.get(key)
        return None if value is None else _Table(value, f"{self.where}.{key}", allowed)


def _required(value: E | None, where: str, key: str) -> E:
    if value is None:
        raise ValueError(f"{where}: {key} is required")
    return value


def parse_profile(document: Mapping[str, Any], name: str) -> Profile:
    """One catalog file (already parsed TOML) into a Profile; `name` places errors."""
    # `reporting` is the profile's reporting calendar, read by app.data.reporting
    top = _Table(dict(document), name, {"schema", "version", "profile", "rule", "reporting"})
    if top.opt_int("schema") != SCHEMA:
        raise ValueError(f"{name}: schema must be {SCHEMA}")
    version = top.opt_int("version")
    if version is None or version < 1:
        raise ValueError(f"{name}: version must be a positive integer")
    head = top.table("profile", _PROFILE_KEYS)
    if head is None:
        raise ValueError(f"{name}: a [profile] table is required")
    source_table = head.table("source", _SOURCE_KEYS)
    source = None
    default_document = None
    if source_table is not None:
        source = SourcePlan(
            title=source_table.text("title"),
            document=source_table.opt_text("document"),
            signed=source_table.opt_date("signed"),
        )
        default_document = source_table.text("citation")
    defaults = (head.opt_date("effective_from"), head.opt_date("effective_to"))
    rows = document.get("rule", [])
    if not isinstance(rows, list):
        raise ValueError(f"{name}: rule must be an array of tables ([[rule]])")
    rules = tuple(
        _rule(row, f"{name}: rule #{i + 1}", default_document, defaults)
        for i, row in enumerate(rows)
    )
    return Profile(
        code=head.text("code"),
        name_vi=head.text("name_vi"),
        name_en=head.text("name_en"),
        issuer=head.text("issuer"),
        jurisdiction=head.text("jurisdiction"),
        level=_required(head.choice("level", Level), head.where, "level"),
        version=version,
        rules=rules,
        year=head.opt_int("year"),
        source=source,
        extends=head.opt_text("extends"),
        before_day=_required(
            head.choice("before_day", Bound, Bound.STRICT), head.where, "before_day"
        ),
        effective_from=defaults[0],
        effective_to=defaults[1],
    )


def _rule(
    data: Any,
    where: str,
    default_document: str | None,
    defaults: tuple[dt.date | None, dt.date | None],
) -> Rule:
    row = _Table(data, where, _RULE_KEYS)
    where = f"{where} ({row.opt_text('code')})"
    row.where = where
    cited = row.table("citation", {"document", "article"})
    document = (cited.opt_text("document") if cited else None) or default_document
    if document is None:
        raise ValueError(f"{where}: citation.document is required (the profile has no source)")
    recurrence_table = row.table("recurrence", _RECURRENCE_KEYS)
    recurrence = None
    if recurrence_table is not None:
        recurrence = Recurrence(
            frequency=_required(
                recurrence_table.choice("frequency", Frequency), where, "recurrence.frequency"
            ),
            day=recurrence_table.opt_int("day"),
            last_month=recurrence_table.flag("last_month"),
            reporting_duty=recurrence_table.opt_text("reporting_duty"),
        )
    try:
        return Rule(
            code=row.text("code"),
            title_vi=row.text("title_vi"),
            title_en=row.text("title_en"),
            shape=_required(row.choice("shape", Shape), where, "shape"),
            citation=Citation(
                document,
                cited.opt_text("article") if cited else None,
                _required(row.choice("confidence", Confidence), where, "confidence"),
            ),
            anchor=row.choice("anchor", AnchorEvent),
            chain_from=row.opt_text("chain_from"),
            amount=row.opt_int("amount"),
            unit=row.choice("unit", Unit),
            direction=_required(
                row.choice("direction", Direction, Direction.FORWARD), where, "direction"
            ),
            roll=row.choice("roll", Roll),
            bound=_required(row.choice("bound", Bound, Bound.INCLUSIVE), where, "bound"),
            fixed_date=row.opt_date("fixed_date"),
            periods=tuple(Period.parse(p) for p in row.texts("periods")),
            recurrence=recurrence,
            effective_from=row.opt_date("effective_from") or defaults[0],
            effective_to=row.opt_date("effective_to") or defaults[1],
            phrases_vi=row.texts("phrases_vi"),
            interpretation=row.opt_text("interpretation"),
            duty_on=row.choice("duty_on", DutyTrigger),
            scope=row.choice("scope", Scope),
            replaces=row.opt_text("replaces"),
        )
    except ValueError as error:
        # errors of the table already name their place; the Rule's own do not
        message = str(error)
        raise ValueError(message if message.startswith(where) else f"{where}: {message}") from None


def _files() -> Iterable[tuple[str, str]]:
    folder = resources.files("app.data").joinpath("rules")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".toml"):
            yield entry.name, entry.read_text(encoding="utf-8")


def profile_documents() -> list[tuple[str, dict[str, Any]]]:
    """Every shipped profile file as (file name, parsed TOML document): what the seed applies."""
    return [(name, tomllib.loads(text)) for name, text in _files()]


def shipped_documents() -> list[ProfileDocument]:
    """Every shipped profile file, validated by the document model (names the file on error)."""
    documents = []
    for name, document in profile_documents():
        try:
            documents.append(ProfileDocument.model_validate(document))
        except ValidationError as error:
            raise ValueError(f"{name}: {error}") from None
    return documents


def load_profiles() -> list[Profile]:
    """Every shipped profile, parsed and checked."""
    return [parse_profile(tomllib.loads(text), name) for name, text in _files()]


@cache
def load_catalog() -> Catalog:
    """The shipped catalog, parsed once per process (it is immutable)."""
    return Catalog(load_profiles())
