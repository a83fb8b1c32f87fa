"""Reads of dues: good standing, invoices and payments for leads, the staff dashboard and
exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from members.billing.payments.providers import active_provider
from members.models import (
    CheckoutSession,
    Ecosystem,
    Invoice,
    InvoiceLine,
    MembershipYear,
    Payment,
    Region,
    ScholarshipApplication,
)
from slecop.cache import versioned

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


# --- dues and payments for leads ---------------------------------------------------------


def ecosystem_invoices(ecosystem: Ecosystem) -> QuerySet[Invoice]:
    """The invoices a lead sees (drafts are staff work in progress)."""
    return (
        Invoice.objects.filter(ecosystem=ecosystem)
        .exclude(status=Invoice.Status.DRAFT)
        .select_related("membership_year")
        .order_by("-issued_on", "-pk")
    )


def ecosystem_payments(ecosystem: Ecosystem) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(invoice__ecosystem=ecosystem)
        .select_related("invoice")
        .order_by("-received_at", "-pk")
    )


def _pending_scholarship(ref="pk"):
    return Exists(
        ScholarshipApplication.objects.filter(
            invoice=OuterRef(ref), status=ScholarshipApplication.Status.SUBMITTED
        )
    )


def unpaid_invoices(ecosystem: Ecosystem) -> QuerySet[Invoice]:
    """Open invoices of any kind (dues, convening seats, services), oldest due first, with
    whether a scholarship is pending or a bank payment is processing — in one query."""
    return (
        Invoice.objects.filter(ecosystem=ecosystem, status=Invoice.Status.OPEN)
        .select_related("membership_year")
        .annotate(
            pending_scholarship=_pending_scholarship(),
            payment_processing=Exists(
                CheckoutSession.objects.filter(
                    invoice=OuterRef("pk"), status=CheckoutSession.Status.PROCESSING
                )
            ),
        )
        .order_by(F("due_date").asc(nulls_last=True), "pk")
    )


def dues_panel_context(*, ecosystem: Ecosystem, user) -> dict:
    """ "My ecosystem" dues panel, in one query: the open invoices that matter now (this
    year's or next year's dues, seats, services); dues of earlier years that are still open
    are only counted (they no longer decide standing; staff settle or void them)."""

    this_year = timezone.localdate().year
    current, older = [], 0
    for invoice in unpaid_invoices(ecosystem)[:50]:
        if invoice.membership_year and invoice.membership_year.year < this_year:
            older += 1
        else:
            current.append(invoice)
    return {
        "ecosystem": ecosystem,
        "unpaid": current[:10],
        "older_unpaid": older,
        "provider": active_provider(),
    }


def ecosystems_dues_settled_or_decided(ecosystem_ids: set[int]) -> set[int]:
    """Onboarding item "dues settled or scholarship decided", for a cohort in two queries:
    a settled dues invoice, or a scholarship application the stewardship team decided."""
    ids = list(ecosystem_ids)
    settled = Invoice.objects.filter(
        ecosystem_id__in=ids, kind=Invoice.Kind.DUES, status__in=SETTLED
    ).values_list("ecosystem_id", flat=True)
    decided = (
        ScholarshipApplication.objects.filter(ecosystem_id__in=ids)
        .exclude(
            status__in=(
                ScholarshipApplication.Status.SUBMITTED,
                ScholarshipApplication.Status.WITHDRAWN,
            )
        )
        .values_list("ecosystem_id", flat=True)
    )
    return set(settled) | set(decided)


# --- dues for staff ----------------------------------------------------------------------


@dataclass
class DuesRow:
    label: str
    invoices: int = 0
    invoiced: int = 0
    waived: int = 0
    paid: int = 0
    outstanding: int = 0
    n_paid: int = 0
    n_waived: int = 0
    n_open: int = 0
    n_overdue: int = 0
    n_flagged: int = 0

    def add(self, other: DuesRow) -> None:
        for name in (
            "invoices",
            "invoiced",
            "waived",
            "paid",
            "outstanding",
            "n_paid",
            "n_waived",
            "n_open",
            "n_overdue",
            "n_flagged",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class DuesDashboard:
    year: int
    years: list[int]
    regions: list[DuesRow]
    total: DuesRow
    by_year: list[DuesRow]
    pending_scholarships: int
    held_payments: int
    flagged_invoices: int


def _counted_dues(year: int | None = None) -> QuerySet[Invoice]:
    qs = Invoice.objects.filter(kind=Invoice.Kind.DUES).exclude(
        status__in=(Invoice.Status.VOID, Invoice.Status.DRAFT)
    )
    return qs if year is None else qs.filter(membership_year__year=year)


def _invoice_sums(qs: QuerySet[Invoice], group: str, on: date):
    return qs.values(group).annotate(
        invoices=Count("pk"),
        paid=Sum("paid_cents"),
        outstanding=Sum(F("total_cents") - F("paid_cents"), filter=Q(status=Invoice.Status.OPEN)),
        n_paid=Count("pk", filter=Q(status=Invoice.Status.PAID)),
        n_waived=Count("pk", filter=Q(status=Invoice.Status.WAIVED)),
        n_open=Count("pk", filter=Q(status=Invoice.Status.OPEN)),
        n_overdue=Count("pk", filter=Q(status=Invoice.Status.OPEN, grace_ends_on__lt=on)),
        n_flagged=Count("pk", filter=Q(flagged=True)),
    )


def _line_sums(qs: QuerySet[Invoice], group: str):
    waiver = Q(kind=InvoiceLine.Kind.WAIVER)
    return (
        InvoiceLine.objects.filter(invoice__in=qs)
        .values(f"invoice__{group}")
        .annotate(
            invoiced=Sum("amount_cents", filter=~waiver), waived=Sum("amount_cents", filter=waiver)
        )
    )


def _rows(qs: QuerySet[Invoice], group: str, on: date) -> dict:
    rows: dict = {}
    for item in _invoice_sums(qs, group, on):
        rows[item[group]] = DuesRow(
            label="",
            **{k: v or 0 for k, v in item.items() if k != group},
        )
    for item in _line_sums(qs, group):
        row = rows.setdefault(item[f"invoice__{group}"], DuesRow(label=""))
        row.invoiced = item["invoiced"] or 0
        row.waived = -(item["waived"] or 0)
    return rows


def membership_years() -> list[int]:
    """The membership years, newest first (cached until a year, or any dues row, changes)."""
    return versioned(
        "dues",
        ("years",),
        lambda: list(MembershipYear.objects.order_by("-year").values_list("year", flat=True)),
    )


def dues_dashboard(*, year: int, years: list[int], on: date | None = None) -> DuesDashboard:
    """Per membership year: invoiced, waived, paid and outstanding dues, by region, plus
    the year-by-year summary — a fixed number of grouped queries, whatever the size of the
    network, cached until an invoice, a line, a payment, a scholarship application, an
    ecosystem or a region changes. Invoiced minus waived is the invoices' total;
    outstanding is the balance of the open ones."""
    on = on or timezone.localdate()
    return versioned(
        "dues", ("dashboard", year, tuple(years), on), lambda: _dues_dashboard(year, years, on)
    )


def _dues_dashboard(year: int, years: list[int], on: date) -> DuesDashboard:
    per_region = _rows(_counted_dues(year), "ecosystem__region_id", on)
    regions = []
    total = DuesRow(label=_("All regions"))
    for region in Region.objects.order_by("number"):
        row = per_region.get(region.pk, DuesRow(label=""))
        row.label = region.name
        regions.append(row)
        total.add(row)
    per_year = _rows(_counted_dues(), "membership_year__year", on)
    by_year = []
    for y in sorted(per_year, reverse=True):
        per_year[y].label = str(y)
        by_year.append(per_year[y])
    return DuesDashboard(
        year=year,
        years=years,
        regions=regions,
        total=total,
        by_year=by_year,
        pending_scholarships=ScholarshipApplication.objects.filter(
            status=ScholarshipApplication.Status.SUBMITTED
        ).count(),
        held_payments=Payment.objects.filter(status=Payment.Status.HELD).count(),
        flagged_invoices=Invoice.objects.filter(flagged=True).count(),
    )


@dataclass(frozen=True)
class Export:
    """Rows for a CSV export: column names, the queryset of value tuples in that order,
    and which columns hold cents."""

    columns: list[str]
    rows: QuerySet
    money_columns: frozenset[str]


def _export(qs: QuerySet, fields: list[tuple[str, str]], money: set[str]) -> Export:
    return Export(
        columns=[name for name, _ in fields],
        rows=qs.values_list(*(path for _, path in fields)),
        money_columns=frozenset(money),
    )


def invoices_for_export(year: int | None = None) -> Export:
    """Invoices for the CSV export: dues of `year` and other invoices issued in it."""
    qs = Invoice.objects.exclude(status=Invoice.Status.DRAFT)
    if year is not None:
        qs = qs.filter(
            Q(membership_year__year=year) | Q(membership_year__isnull=True, issued_on__year=year)
        )
    qs = (
        qs.annotate(
            waived_cents=-Coalesce(
                Sum("lines__amount_cents", filter=Q(lines__kind=InvoiceLine.Kind.WAIVER)),
                Value(0),
            )
        )
        .annotate(
            invoiced_cents=F("total_cents") + F("waived_cents"),
            balance_cents=F("total_cents") - F("paid_cents"),
        )
        .order_by("number")
    )
    fields = [
        ("number", "number"),
        ("ecosystem", "ecosystem__name"),
        ("region", "ecosystem__region__name"),
        ("kind", "kind"),
        ("membership_year", "membership_year__year"),
        ("status", "status"),
        ("issued_on", "issued_on"),
        ("due_date", "due_date"),
        ("grace_ends_on", "grace_ends_on"),
        ("currency", "currency"),
        ("invoiced", "invoiced_cents"),
        ("waived", "waived_cents"),
        ("total", "total_cents"),
        ("paid", "paid_cents"),
        ("balance", "balance_cents"),
        ("flagged", "flagged"),
        ("flag_reason", "flag_reason"),
        ("settled_at", "settled_at"),
    ]
    return _export(qs, fields, {"invoiced", "waived", "total", "paid", "balance"})


def payments_for_export(year: int | None = None) -> Export:
    qs = Payment.objects.all()
    if year is not None:
        qs = qs.filter(received_at__year=year)
    qs = qs.annotate(net_cents=F("amount_cents") - F("refunded_cents")).order_by(
        "received_at", "pk"
    )
    fields = [
        ("received_at", "received_at"),
        ("invoice", "invoice__number"),
        ("ecosystem", "invoice__ecosystem__name"),
        ("region", "invoice__ecosystem__region__name"),
        ("method", "method"),
        ("status", "status"),
        ("amount", "amount_cents"),
        ("refunded", "refunded_cents"),
        ("net", "net_cents"),
        ("currency", "currency"),
        ("reference", "external_id"),
        ("recorded_by", "recorded_by__email"),
        ("note", "note"),
    ]
    return _export(qs, fields, {"amount", "refunded", "net"})


# --- what membership costs (Join and home pages) ---------------------------------------------


@dataclass(frozen=True)
class DuesPrice:
    cents: int
    currency: str


def membership_dues_price(on: date | None = None) -> DuesPrice:
    """The yearly dues a new member is invoiced: this year's membership year's amount, or
    the configured default before staff have created the year (one query)."""
    year = (on or timezone.localdate()).year
    row = MembershipYear.objects.filter(year=year).values_list("dues_cents", "currency").first()
    if row is None:
        return DuesPrice(settings.DUES_DEFAULT_CENTS, settings.DUES_CURRENCY)
    return DuesPrice(*row)
