"""The catalog of profiles and the resolver of the rules in force for a profile.

A profile extends another (the plans extend `national`): its rules override inherited ones with
the same code, or the one named by `replaces`; the rest are added.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping

from app.domain.deadlines import notes
from app.domain.deadlines.model import DECISION_ANCHORS, Bound, DutyTrigger, Scope, Shape
from app.domain.deadlines.rule import Profile, Rule
from app.domain.errors import NotFound


class Catalog:
    """All profiles, checked together: extensions, replacements and chains must resolve."""

    def __init__(self, profiles: Iterable[Profile]) -> None:
        self._profiles: dict[str, Profile] = {}
        for profile in profiles:
            if profile.code in self._profiles:
                raise ValueError(f"profile {profile.code} defined twice")
            self._profiles[profile.code] = profile
        self._resolved = {code: self._resolve(code) for code in self._profiles}
        for code, rules in self._resolved.items():
            _check_chains(code, rules)

    @property
    def profiles(self) -> Mapping[str, Profile]:
        return self._profiles

    @property
    def versions(self) -> Mapping[str, int]:
        """Each profile's data version, to record with what was computed from it."""
        return {code: profile.version for code, profile in self._profiles.items()}

    def profile(self, code: str) -> Profile:
        try:
            return self._profiles[code]
        except KeyError:
            raise NotFound(f"no profile {code!r}", field="profile") from None

    def lineage(self, code: str) -> tuple[Profile, ...]:
        """The profile and those it extends, the root (national) first."""
        chain = [self.profile(code)]
        while chain[-1].extends is not None:
            parent = self._profiles.get(chain[-1].extends)
            if parent is None:
                raise ValueError(f"profile {chain[-1].code} extends unknown {chain[-1].extends}")
            if parent in chain:
                raise ValueError(f"profiles extend each other in a cycle at {parent.code}")
            chain.append(parent)
        return tuple(reversed(chain))

    def effective_rules(self, profile: str, on: dt.date | None = None) -> tuple[Rule, ...]:
        """The rules of `profile` (inherited ones included), those in force `on` if given."""
        if on is None:
            self.profile(profile)
            return self._resolved[profile]
        return self._resolve(profile, on)

    def rule(self, code: str, profile: str | None = None, on: dt.date | None = None) -> Rule:
        """A rule as `profile` sees it; by default the profile its code is prefixed with
        ("quang-nam-2024.internal-process"), else `national`."""
        if profile is None:
            prefix = code.split(".", 1)[0]
            profile = prefix if prefix in self._profiles else "national"
        for rule in self.effective_rules(profile, on):
            if rule.code == code:
                return rule
        when = f" on {on.isoformat()}" if on else ""
        raise NotFound(f"no rule {code!r} in profile {profile!r}{when}", field="rule")

    def duty_rules(
        self,
        profile: str,
        trigger: DutyTrigger,
        *,
        scope: Scope | None = None,
        on: dt.date | None = None,
    ) -> tuple[Rule, ...]:
        """Rules that become tracked duties when a `trigger` record is created: those for any
        scope, and those for `scope` (e.g. a provincial publication decision)."""
        return tuple(
            rule
            for rule in self.effective_rules(profile, on)
            if rule.duty_on is trigger and rule.scope in (None, scope)
        )

    def _resolve(self, code: str, on: dt.date | None = None) -> tuple[Rule, ...]:
        rules: dict[str, Rule] = {}
        for profile in self.lineage(code):
            for rule in profile.rules:
                if on is not None and not rule.in_force(on):
                    continue
                if rule.replaces is not None:
                    if rule.replaces not in rules and on is None:
                        raise ValueError(f"rule {rule.code} replaces unknown {rule.replaces}")
                    rules.pop(rule.replaces, None)
                rules[rule.code] = rule
        reading = self._profiles[code].before_day
        return tuple(_read_before_day(rule, reading) for rule in rules.values())


def _read_before_day(rule: Rule, reading: Bound) -> Rule:
    """Apply the profile's reading of "trước ngày D" (docs/legal-basis.md#counting-before) to a
    named day.

    "trước tháng 02/2021" (before a month) is not a day and keeps its strict reading.
    """
    if rule.shape is not Shape.FIXED_DATE or rule.bound is not Bound.STRICT:
        return rule
    if reading is Bound.STRICT:
        return rule
    said = f"{rule.interpretation} " if rule.interpretation else ""
    return dataclasses.replace(
        rule, bound=Bound.INCLUSIVE, interpretation=said + notes.INCLUSIVE_BEFORE
    )


def _check_chains(profile: str, rules: tuple[Rule, ...]) -> None:
    """Chains point at a rule of the same profile, without cycles; a duty created by a
    publication decision counts from something the decision supplies."""
    by_code = {rule.code: rule for rule in rules}
    for rule in rules:
        seen = [rule.code]
        current = rule
        while current.chain_from is not None:
            target = by_code.get(current.chain_from)
            if target is None:
                raise ValueError(
                    f"{profile}: rule {current.code} follows unknown {current.chain_from}"
                )
            if target.code in seen:
                raise ValueError(
                    f"{profile}: rules chain in a cycle: {' → '.join([*seen, target.code])}"
                )
            seen.append(target.code)
            current = target
        if (
            rule.duty_on is DutyTrigger.PUBLICATION_DECISION
            and current.anchor not in DECISION_ANCHORS
        ):
            raise ValueError(
                f"{profile}: rule {rule.code} is a decision duty but counts from {current.anchor}"
            )
