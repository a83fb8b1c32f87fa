"""Onboarding checklist items the portal can tick by itself (issue 10).

Seed 000 "Ecosystem On-boarding" and seed 002 "a system of onboarding and coaching": a new
ecosystem works through a checklist (orientation attended, profile complete, partners
listed, first indicator report, dues settled or scholarship decided, first convening
registered). Each app registers the items it can observe, in its AppConfig.ready():

    from members.onboarding import OnboardingCheck, register_check

    register_check(OnboardingCheck(
        key="first_convening",
        label=_("First convening registered"),
        order=60,
        done_for=selectors.ecosystems_registered_for_a_convening,
    ))

`done_for(ecosystem_ids: set[int]) -> set[int]` answers, for a whole cohort at once and
in a constant number of queries, which of those ecosystems have done it. Items nobody
can observe are ticked by the ecosystem's coach (see the onboarding services).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class OnboardingCheck:
    key: str
    label: str
    done_for: Callable[[set[int]], set[int]]
    order: int = 100


_checks: dict[str, OnboardingCheck] = {}


def register_check(check: OnboardingCheck) -> None:
    """Register (or replace, by key) an automatic onboarding check."""
    _checks[check.key] = check


def registered_checks() -> list[OnboardingCheck]:
    return sorted(_checks.values(), key=lambda c: (c.order, c.key))


def automatic_progress(ecosystem_ids: Iterable[int]) -> dict[str, set[int]]:
    """For each registered check, the ecosystems among `ecosystem_ids` that have done it."""
    ids = set(ecosystem_ids)
    return {check.key: check.done_for(ids) for check in registered_checks()}
