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

from django.utils.translation import gettext_lazy as _


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


@dataclass(frozen=True)
class ChecklistItem:
    """One item of the onboarding checklist. `automatic` when an app registered a check
    with its key (the portal ticks it); otherwise the ecosystem's coach ticks it."""

    key: str
    label: str
    order: int
    automatic: bool


def _item_labels() -> list[tuple[str, str, int]]:
    # The full list of issue 10; apps that can observe an item register a check for it.
    return [
        ("orientation_attended", _("Orientation attended"), 10),
        ("profile_complete", _("Profile complete"), 20),
        ("partners_listed", _("Partners listed"), 30),
        ("first_indicator_report", _("First indicator report"), 40),
        ("dues_settled", _("Dues settled or scholarship decided"), 50),
        ("first_convening", _("First convening registered"), 60),
    ]


def checklist_items() -> list[ChecklistItem]:
    """The checklist: every item of the issue, plus any other registered check."""
    items = {
        key: ChecklistItem(key=key, label=label, order=order, automatic=key in _checks)
        for key, label, order in _item_labels()
    }
    for check in _checks.values():
        items[check.key] = ChecklistItem(
            key=check.key, label=check.label, order=check.order, automatic=True
        )
    return sorted(items.values(), key=lambda i: (i.order, i.key))
