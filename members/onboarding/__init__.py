"""Joining the network and onboarding: applications, the checklist, coaches and cohorts.

Other apps register the checklist items they can observe with `register_check`
(see `members.onboarding.registry`)."""

from members.onboarding.registry import (
    ChecklistItem,
    OnboardingCheck,
    automatic_progress,
    checklist_items,
    register_check,
)

__all__ = [
    "ChecklistItem",
    "OnboardingCheck",
    "automatic_progress",
    "checklist_items",
    "register_check",
]
