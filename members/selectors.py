"""Reads of the members app that carry logic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import get_objects_for_user

from .models import Ecosystem, EcosystemRole, Invitation, Invoice, Region

DIRECTORY_STATUSES = (
    Ecosystem.Status.ACTIVE,
    Ecosystem.Status.ONBOARDING,
    Ecosystem.Status.LAPSED,
)


def directory_ecosystems(*, q: str = "", region: Region | None = None) -> QuerySet[Ecosystem]:
    """Ecosystems listed in the public directory, searchable by name and place."""
    qs = Ecosystem.objects.filter(status__in=DIRECTORY_STATUSES).select_related("region")
    if region is not None:
        qs = qs.filter(region=region)
    q = q.strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(city__icontains=q)
            | Q(state_province__icontains=q)
            | Q(country__icontains=q)
        )
    return qs.order_by("name", "pk")


def regions_with_counts() -> QuerySet[Region]:
    return Region.objects.annotate(
        ecosystem_count=Count("ecosystems", filter=Q(ecosystems__status__in=DIRECTORY_STATUSES))
    ).order_by("number")


def ecosystems_for_user(user) -> QuerySet[Ecosystem]:
    """The ecosystems the user belongs to (object permission `view_ecosystem`)."""
    if not user.is_authenticated:
        return Ecosystem.objects.none()
    return get_objects_for_user(
        user,
        "members.view_ecosystem",
        klass=Ecosystem.objects.select_related("region"),
        accept_global_perms=False,
        with_superuser=False,
    ).order_by("name")


def ecosystem_people(ecosystem: Ecosystem) -> QuerySet[EcosystemRole]:
    return (
        EcosystemRole.objects.filter(ecosystem=ecosystem)
        .select_related("user")
        .order_by("role", "user__first_name", "user__email")
    )


def pending_invitations(ecosystem: Ecosystem) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        ecosystem=ecosystem, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


def lead_emails(ecosystem_ids) -> dict[int, list[str]]:
    """Emails of the leads of each ecosystem id, in one query (used by notifications)."""
    result: dict[int, list[str]] = {}
    rows = EcosystemRole.objects.filter(
        ecosystem_id__in=list(ecosystem_ids), role=EcosystemRole.Role.LEAD, user__is_active=True
    ).values_list("ecosystem_id", "user__email")
    for ecosystem_id, email in rows:
        result.setdefault(ecosystem_id, []).append(email)
    return result


# --- good standing ---------------------------------------------------------------------------
# One rule, used everywhere (voting, free convening seats, members-only resources):
# an ecosystem is in good standing on day D when its status is active or onboarding and
#   - its dues invoice for D's year is settled (paid, waived, or paid after a waiver), or
#   - that invoice is open and D is on or before the end of its grace period (its due
#     date plus the year's grace days, stored on the invoice as grace_ends_on), or
#   - it has no (non-void) dues invoice for D's year yet and last year's is settled
#     (the previous year carries over until the new invoice is issued).
# `ecosystem_standing` explains the rule for one ecosystem; `good_standing_q` applies the
# same rule in SQL for lists. A test checks that the two agree.

STANDING_STATUSES = (Ecosystem.Status.ACTIVE, Ecosystem.Status.ONBOARDING)
SETTLED = (Invoice.Status.PAID, Invoice.Status.WAIVED)


@dataclass(frozen=True)
class Standing:
    good: bool
    reason: str
    invoice: Invoice | None = None
    grace_ends_on: date | None = None


def _dues_invoices(ecosystem_ids, years) -> QuerySet[Invoice]:
    return (
        Invoice.objects.filter(
            ecosystem_id__in=ecosystem_ids,
            kind=Invoice.Kind.DUES,
            membership_year__year__in=years,
        )
        .exclude(status__in=(Invoice.Status.VOID, Invoice.Status.DRAFT))
        .select_related("membership_year")
    )


def standing_from_invoices(ecosystem: Ecosystem, invoices: list[Invoice], on: date) -> Standing:
    """The rule itself, on already-fetched dues invoices of `on.year` and the year before."""
    by_year = {i.membership_year.year: i for i in invoices}
    current, previous = by_year.get(on.year), by_year.get(on.year - 1)
    if ecosystem.status not in STANDING_STATUSES:
        return Standing(False, _("Membership is %s.") % ecosystem.get_status_display().lower())
    if current is not None:
        grace_ends = current.grace_ends_on
        if current.status in SETTLED:
            return Standing(True, _("Dues %s settled.") % on.year, current)
        if on <= grace_ends:
            return Standing(
                True,
                _("Dues %(year)s open: due %(due)s, grace period until %(grace)s.")
                % {"year": on.year, "due": current.due_date, "grace": grace_ends},
                current,
                grace_ends,
            )
        return Standing(
            False,
            _("Dues %(year)s unpaid since %(due)s.") % {"year": on.year, "due": current.due_date},
            current,
            grace_ends,
        )
    if previous is not None and previous.status in SETTLED:
        return Standing(True, _("Dues %s settled.") % (on.year - 1), previous)
    return Standing(False, _("No settled dues invoice on record."), previous)


def ecosystem_standing(ecosystem: Ecosystem, on: date | None = None) -> Standing:
    on = on or timezone.localdate()
    invoices = list(_dues_invoices([ecosystem.pk], [on.year, on.year - 1]))
    return standing_from_invoices(ecosystem, invoices, on)


def ecosystem_in_good_standing(ecosystem: Ecosystem, on: date | None = None) -> bool:
    return ecosystem_standing(ecosystem, on).good


def good_standing_q(on: date | None = None, prefix: str = "") -> Q:
    """A Q on Ecosystem (or on a model with an `ecosystem` relation, with
    prefix="ecosystem__") that holds exactly for ecosystems in good standing on `on`."""
    on = on or timezone.localdate()
    ref = OuterRef(f"{prefix}pk" if prefix else "pk")
    dues = Invoice.objects.filter(ecosystem=ref, kind=Invoice.Kind.DUES).exclude(
        status__in=(Invoice.Status.VOID, Invoice.Status.DRAFT)
    )
    current = dues.filter(membership_year__year=on.year)
    current_ok = current.filter(
        Q(status__in=SETTLED) | Q(status=Invoice.Status.OPEN, grace_ends_on__gte=on)
    )
    previous_ok = dues.filter(membership_year__year=on.year - 1, status__in=SETTLED)
    return Q(**{f"{prefix}status__in": STANDING_STATUSES}) & (
        Exists(current_ok) | (~Exists(current) & Exists(previous_ok))
    )


def ecosystems_in_good_standing(on: date | None = None) -> QuerySet[Ecosystem]:
    return Ecosystem.objects.filter(good_standing_q(on))


def standing_panel_context(*, ecosystem: Ecosystem, user) -> dict:
    standing = ecosystem_standing(ecosystem)
    return {"ecosystem": ecosystem, "standing": standing, "invoice": standing.invoice}
