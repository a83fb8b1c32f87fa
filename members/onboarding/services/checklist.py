"""Onboarding of a new ecosystem: its coach, the items the coach ticks, and turning the
ecosystem active once every checklist item is done (issue 10)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.models import Ecosystem, Onboarding, OnboardingTick
from members.onboarding import checklist_items
from members.onboarding.selectors import can_coach, is_coach_eligible, onboarding_progress
from members.selectors import lead_emails
from slecop.errors import DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

BATCH = 500


def _check_coach(coach) -> None:
    if coach is not None and not is_coach_eligible(coach):
        raise DomainError(
            _("A coach must be a member of the stewardship team or TIES staff."), field="coach"
        )


@transaction.atomic
def onboarding_start(
    *, acting_user, ecosystem: Ecosystem, coach=None, cohort_year: int | None = None
) -> Onboarding:
    """Open the onboarding of `ecosystem` (idempotent) and put it in status onboarding."""
    _check_coach(coach)
    ecosystem = lock_one(Ecosystem, ecosystem.pk)
    year = cohort_year or ecosystem.cohort_year or timezone.localdate().year
    onboarding, created = Onboarding.objects.get_or_create(
        ecosystem=ecosystem, defaults={"cohort_year": year, "coach": coach}
    )
    if not created:
        return onboarding
    before = {"status": ecosystem.status, "cohort_year": ecosystem.cohort_year}
    ecosystem.status = Ecosystem.Status.ONBOARDING
    ecosystem.cohort_year = year
    ecosystem.save(update_fields=["status", "cohort_year", "updated_at"])
    audit_log(
        actor=acting_user,
        action="onboarding.started",
        obj=ecosystem,
        before=before,
        after={"status": ecosystem.status, "cohort_year": year, "coach": str(coach or "")},
    )
    return onboarding


@transaction.atomic
def onboarding_set_coach(*, acting_user, onboarding: Onboarding, coach) -> Onboarding:
    _check_coach(coach)
    onboarding = lock_one(Onboarding, onboarding.pk)
    before = str(onboarding.coach or "")
    onboarding.coach = coach
    onboarding.save(update_fields=["coach"])
    audit_log(
        actor=acting_user,
        action="onboarding.coach_set",
        obj=onboarding,
        ecosystem=onboarding.ecosystem,
        before={"coach": before},
        after={"coach": str(coach or "")},
    )
    return onboarding


@transaction.atomic
def onboarding_tick(
    *, acting_user, ecosystem: Ecosystem, key: str, done: bool, note: str = ""
) -> bool:
    """The coach ticks (or unticks) an item the portal cannot observe. Returns whether
    the ecosystem is now active (the last item done completes onboarding)."""
    onboarding = Onboarding.objects.filter(ecosystem=ecosystem).first()
    if not can_coach(acting_user, onboarding):
        raise NotAllowed(_("Only the ecosystem's coach or TIES staff can tick items."))
    item = next((i for i in checklist_items() if i.key == key), None)
    if item is None:
        raise DomainError(_("There is no such checklist item."), code="unknown_item")
    if item.automatic:
        raise DomainError(
            _("“%s” is ticked by the portal when it happens.") % item.label, code="automatic"
        )
    lock_one(Ecosystem, ecosystem.pk)  # one writer per ecosystem's checklist
    existing = OnboardingTick.objects.filter(ecosystem=ecosystem, key=key).first()
    if done and existing is None:
        OnboardingTick.objects.create(
            ecosystem=ecosystem, key=key, ticked_by=acting_user, note=note.strip()[:255]
        )
    elif not done and existing is not None:
        existing.delete()
    else:
        return False
    audit_log(
        actor=acting_user,
        action="onboarding.ticked" if done else "onboarding.unticked",
        obj=ecosystem,
        after={"item": key, "note": note.strip()[:255]},
    )
    return onboarding_activate_if_complete(acting_user=acting_user, ecosystem=ecosystem)


@transaction.atomic
def onboarding_activate_if_complete(*, acting_user, ecosystem: Ecosystem) -> bool:
    """Turn an onboarding ecosystem active when its whole checklist is done (audited,
    leads emailed). Idempotent; returns whether it turned active now."""
    ecosystem = lock_one(Ecosystem, ecosystem.pk)
    if ecosystem.status != Ecosystem.Status.ONBOARDING:
        return False
    if not onboarding_progress([ecosystem.pk])[ecosystem.pk].complete:
        return False
    ecosystem.status = Ecosystem.Status.ACTIVE
    ecosystem.save(update_fields=["status", "updated_at"])
    Onboarding.objects.filter(ecosystem=ecosystem, completed_at__isnull=True).update(
        completed_at=timezone.now()
    )
    audit_log(
        actor=acting_user,
        action="ecosystem.activated",
        obj=ecosystem,
        before={"status": Ecosystem.Status.ONBOARDING},
        after={"status": Ecosystem.Status.ACTIVE},
    )
    send_templated_email(
        to=lead_emails([ecosystem.pk]).get(ecosystem.pk, []),
        template="members/email/onboarding_complete",
        context={
            "ecosystem": ecosystem,
            "dashboard_url": absolute_url(ecosystem.get_dashboard_url()),
        },
    )
    return True


def onboardings_activate_completed(*, acting_user=None) -> int:
    """Catch-up for items other apps tick without telling us (a convening registration,
    an indicator report): activate every onboarding ecosystem whose checklist is done.
    Progress is read in bulk; each activation is its own transaction. Returns how many."""
    ids = list(
        Ecosystem.objects.filter(status=Ecosystem.Status.ONBOARDING)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    activated = 0
    for start in range(0, len(ids), BATCH):
        progress = onboarding_progress(ids[start : start + BATCH])
        for pk, state in sorted(progress.items()):
            if state.complete and onboarding_activate_if_complete(
                acting_user=acting_user, ecosystem=Ecosystem(pk=pk)
            ):
                activated += 1
    return activated


def ecosystem_settled_dues(*, invoice, payment=None, acting_user=None) -> None:
    """on_settled hook for dues: a settled first-year invoice may complete onboarding.
    Runs after the payment commits, so nothing here can roll a payment back (the hourly
    catch-up task retries whatever fails)."""
    ecosystem_id = invoice.ecosystem_id
    if Ecosystem.objects.filter(pk=ecosystem_id, status=Ecosystem.Status.ONBOARDING).exists():
        transaction.on_commit(
            lambda: onboarding_activate_if_complete(
                acting_user=acting_user, ecosystem=Ecosystem(pk=ecosystem_id)
            ),
            robust=True,
        )
