"""Invoices: numbering, opening dues invoices, lines, and the one place that recomputes an
invoice's amounts and status (under a lock on the invoice row)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log, audit_log_bulk
from members.models import (
    Ecosystem,
    Invoice,
    InvoiceLine,
    InvoiceNumberSequence,
    MembershipYear,
    Payment,
)
from slecop.cache import bump
from slecop.errors import Conflict, DomainError
from slecop.locking import lock_one, lock_rows

AMOUNT_FIELDS = ["status", "total_cents", "paid_cents", "flagged"]


def invoice_snapshot(invoice: Invoice) -> dict:
    return {name: getattr(invoice, name) for name in AMOUNT_FIELDS}


@transaction.atomic
def membership_year_get_or_create(*, year: int) -> MembershipYear:
    """The membership year, created with the configured defaults if missing."""
    open_month, open_day = settings.DUES_INVOICES_OPEN
    due_month, due_day = settings.DUES_DUE
    try:
        with transaction.atomic():
            membership_year, _created = MembershipYear.objects.get_or_create(
                year=year,
                defaults={
                    "dues_cents": settings.DUES_DEFAULT_CENTS,
                    "currency": settings.DUES_CURRENCY,
                    "invoices_open_on": date(year - 1, open_month, open_day),
                    "due_date": date(year, due_month, due_day),
                    "grace_days": settings.DUES_GRACE_DAYS,
                },
            )
    except IntegrityError:  # created concurrently
        membership_year = MembershipYear.objects.get(year=year)
    return membership_year


def invoice_number_allocate(*, year: int) -> str:
    """Next number of `year`, e.g. SLE-2027-0042. Must run inside the transaction that
    creates the invoice: the sequence row stays locked until it commits, so numbers are
    consecutive and a rolled-back invoice gives its number back."""
    return invoice_numbers_allocate(year=year, count=1)[0]


def invoice_numbers_allocate(*, year: int, count: int) -> list[str]:
    """`count` consecutive numbers of `year` (see invoice_number_allocate)."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("invoice numbers are allocated inside a transaction")
    try:
        with transaction.atomic():
            InvoiceNumberSequence.objects.get_or_create(year=year)
    except IntegrityError:  # another transaction created the row first
        pass
    sequence = InvoiceNumberSequence.objects.select_for_update().get(year=year)
    first = sequence.last_number + 1
    sequence.last_number += count
    sequence.save(update_fields=["last_number"])
    prefix = settings.INVOICE_NUMBER_PREFIX
    return [f"{prefix}-{year}-{n:04d}" for n in range(first, first + count)]


def invoice_recalculate(invoice: Invoice) -> Invoice:
    """Recompute total, paid and status from the invoice's lines and applied payments.
    The caller holds the lock on the invoice row."""
    total = invoice.lines.aggregate(s=Sum("amount_cents"))["s"] or 0
    paid = (
        invoice.payments.filter(status=Payment.Status.APPLIED).aggregate(
            s=Sum(F("amount_cents") - F("refunded_cents"))
        )["s"]
        or 0
    )
    if total < 0:
        raise Conflict(_("Credits cannot exceed the invoice total."), code="negative_total")
    if paid > total:
        raise Conflict(
            _("This would leave the invoice overpaid. Record the excess as held for review."),
            code="overpaid",
        )
    invoice.total_cents = total
    invoice.paid_cents = paid
    if invoice.status not in (Invoice.Status.DRAFT, Invoice.Status.VOID):
        was_settled = invoice.is_settled
        if total == 0 and invoice.lines.filter(kind=InvoiceLine.Kind.WAIVER).exists():
            invoice.status = Invoice.Status.WAIVED
        elif paid == total:
            invoice.status = Invoice.Status.PAID if total > 0 else Invoice.Status.WAIVED
        else:
            invoice.status = Invoice.Status.OPEN
        if invoice.is_settled and not was_settled:
            invoice.settled_at = timezone.now()
        elif not invoice.is_settled:
            invoice.settled_at = None
    invoice.save(update_fields=["total_cents", "paid_cents", "status", "settled_at", "updated_at"])
    return invoice


@dataclass(frozen=True)
class LineSpec:
    kind: str
    description: str
    amount_cents: int


def dues_dates(membership_year: MembershipYear, issued_on: date) -> tuple[date, date]:
    """Due date and end of grace of a dues invoice issued on `issued_on`: the year's due
    date, but never fewer than DUES_MIN_DAYS_TO_PAY days after issue (an ecosystem that
    joins in June is not overdue the day it is invoiced)."""
    due = max(membership_year.due_date, issued_on + timedelta(days=settings.DUES_MIN_DAYS_TO_PAY))
    return due, due + timedelta(days=membership_year.grace_days)


def _create_invoice(
    *,
    ecosystem: Ecosystem,
    kind: str,
    lines: list[LineSpec],
    currency: str,
    due_date: date | None,
    membership_year: MembershipYear | None = None,
    issued_on: date | None = None,
) -> Invoice:
    issued_on = issued_on or timezone.localdate()
    grace_ends_on = None
    if membership_year is not None:
        due_date, grace_ends_on = dues_dates(membership_year, issued_on)
    invoice = Invoice(
        number=invoice_number_allocate(
            year=membership_year.year if membership_year else issued_on.year
        ),
        ecosystem=ecosystem,
        kind=kind,
        membership_year=membership_year,
        status=Invoice.Status.OPEN,
        currency=currency,
        issued_on=issued_on,
        due_date=due_date,
        grace_ends_on=grace_ends_on,
    )
    invoice.full_clean(validate_constraints=False)  # constraints are the database's job
    invoice.save()
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice, kind=s.kind, description=s.description, amount_cents=s.amount_cents
            )
            for s in lines
        ]
    )
    return invoice_recalculate(invoice)


@transaction.atomic
def dues_invoice_open(
    *, acting_user, ecosystem: Ecosystem, membership_year: MembershipYear, issued_on=None
) -> tuple[Invoice, bool]:
    """Open the dues invoice of `ecosystem` for `membership_year`. Idempotent: returns the
    existing invoice and False when there is one already."""
    lock_one(Ecosystem, ecosystem.pk)  # serialises concurrent openings for one ecosystem
    existing = Invoice.objects.filter(
        ecosystem=ecosystem, membership_year=membership_year, kind=Invoice.Kind.DUES
    ).first()
    if existing:
        return existing, False
    invoice = _create_invoice(
        ecosystem=ecosystem,
        kind=Invoice.Kind.DUES,
        membership_year=membership_year,
        currency=membership_year.currency,
        due_date=None,  # from the membership year, see dues_dates
        issued_on=issued_on,
        lines=[
            LineSpec(
                InvoiceLine.Kind.DUES,
                f"SLECoP membership dues {membership_year.year}",
                membership_year.dues_cents,
            )
        ],
    )
    audit_log(
        actor=acting_user,
        action="invoice.opened",
        obj=invoice,
        ecosystem=ecosystem,
        after=invoice_snapshot(invoice),
    )
    return invoice, True


@transaction.atomic
def invoice_create(
    *,
    acting_user,
    ecosystem: Ecosystem,
    kind: str,
    lines: list[LineSpec],
    due_date: date | None = None,
    currency: str = "USD",
) -> Invoice:
    """A separate invoice (convening seats, add-on services), paid like dues."""
    if kind == Invoice.Kind.DUES:
        raise ValueError("use dues_invoice_open for dues")
    if not lines:
        raise DomainError(_("An invoice needs at least one line."))
    invoice = _create_invoice(
        ecosystem=ecosystem, kind=kind, lines=lines, currency=currency, due_date=due_date
    )
    audit_log(
        actor=acting_user,
        action="invoice.created",
        obj=invoice,
        ecosystem=ecosystem,
        after={**invoice_snapshot(invoice), "kind": kind},
    )
    return invoice


@transaction.atomic
def invoice_add_line(*, acting_user, invoice: Invoice, line: LineSpec) -> InvoiceLine:
    """Add a charge (e.g. an accepted add-on service fee) to an open or settled invoice;
    a settled invoice reopens with the new balance."""
    invoice = lock_one(Invoice, invoice.pk)
    if invoice.status in (Invoice.Status.VOID, Invoice.Status.DRAFT):
        raise Conflict(
            _("Invoice %(number)s is %(status)s.")
            % {"number": invoice.number, "status": invoice.get_status_display().lower()}
        )
    before = invoice_snapshot(invoice)
    added = InvoiceLine(
        invoice=invoice,
        kind=line.kind,
        description=line.description,
        amount_cents=line.amount_cents,
    )
    added.full_clean(exclude=["invoice", "scholarship"], validate_constraints=False)
    added.save()
    invoice_recalculate(invoice)
    audit_log(
        actor=acting_user,
        action="invoice.line_added",
        obj=invoice,
        ecosystem=invoice.ecosystem,
        before=before,
        after={**invoice_snapshot(invoice), "line": line.description, "amount": line.amount_cents},
    )
    return added


@transaction.atomic
def invoice_void(*, acting_user, invoice: Invoice, reason: str) -> Invoice:
    invoice = lock_one(Invoice, invoice.pk)
    if invoice.status == Invoice.Status.VOID:
        return invoice
    if invoice.paid_cents or invoice.payments.exists():
        raise Conflict(_("An invoice with payments cannot be voided; refund them first."))
    before = invoice_snapshot(invoice)
    invoice.status = Invoice.Status.VOID
    invoice.save(update_fields=["status", "updated_at"])
    audit_log(
        actor=acting_user,
        action="invoice.voided",
        obj=invoice,
        ecosystem=invoice.ecosystem,
        before=before,
        after={**invoice_snapshot(invoice), "reason": reason},
    )
    return invoice


@transaction.atomic
def invoice_flag(*, acting_user, invoice: Invoice, reason: str) -> Invoice:
    """Mark an invoice for staff attention (amount mismatch, dispute…)."""
    return flag_locked_invoice(
        acting_user=acting_user, invoice=lock_one(Invoice, invoice.pk), reason=reason
    )


def flag_locked_invoice(*, acting_user, invoice: Invoice, reason: str) -> Invoice:
    """invoice_flag for a caller that already holds the invoice row lock."""
    return _set_flag(
        acting_user=acting_user,
        invoice=invoice,
        flagged=True,
        reason=reason,
        action="invoice.flagged",
        noted={"reason": reason},
    )


def _set_flag(
    *, acting_user, invoice: Invoice, flagged: bool, reason: str, action: str, noted: dict
) -> Invoice:
    """Flag or unflag a locked invoice, audited."""
    before = {**invoice_snapshot(invoice), "reason": invoice.flag_reason}
    invoice.flagged = flagged
    invoice.flag_reason = reason[:255]
    invoice.save(update_fields=["flagged", "flag_reason", "updated_at"])
    audit_log(
        actor=acting_user,
        action=action,
        obj=invoice,
        ecosystem=invoice.ecosystem,
        before=before,
        after={**invoice_snapshot(invoice), **noted},
    )
    return invoice


BULK_BATCH = 1000


@transaction.atomic
def dues_invoices_open_bulk(
    *,
    acting_user,
    membership_year: MembershipYear,
    ecosystem_ids: Iterable[int],
    issued_on: date | None = None,
) -> list[Invoice]:
    """dues_invoice_open for many ecosystems at once (yearly renewals, demo data): the same
    rows, numbers and audit entries, in a few queries per thousand ecosystems. Ecosystems
    that already have their invoice are skipped; returns the invoices it opened."""
    ids = sorted(set(ecosystem_ids))
    if not ids:
        return []
    for part in _chunks(ids):  # same lock order as dues_invoice_open: ecosystems, sequence
        lock_rows(Ecosystem.objects.filter(pk__in=part))
    existing: set[int] = set()
    for part in _chunks(ids):
        existing.update(
            Invoice.objects.filter(
                kind=Invoice.Kind.DUES, membership_year=membership_year, ecosystem_id__in=part
            ).values_list("ecosystem_id", flat=True)
        )
    todo = [pk for pk in ids if pk not in existing]
    if not todo:
        return []
    issued_on = issued_on or timezone.localdate()
    due_date, grace_ends_on = dues_dates(membership_year, issued_on)
    numbers = invoice_numbers_allocate(year=membership_year.year, count=len(todo))
    amount = membership_year.dues_cents
    invoices = Invoice.objects.bulk_create(
        [
            Invoice(
                number=number,
                ecosystem_id=pk,
                kind=Invoice.Kind.DUES,
                membership_year=membership_year,
                status=Invoice.Status.OPEN if amount else Invoice.Status.WAIVED,
                currency=membership_year.currency,
                total_cents=amount,
                issued_on=issued_on,
                due_date=due_date,
                grace_ends_on=grace_ends_on,
            )
            for pk, number in zip(todo, numbers, strict=True)
        ],
        batch_size=BULK_BATCH,
    )
    bump("dues", "panels")  # bulk_create sends no post_save
    description = f"SLECoP membership dues {membership_year.year}"
    InvoiceLine.objects.bulk_create(
        [
            InvoiceLine(
                invoice=invoice,
                kind=InvoiceLine.Kind.DUES,
                description=description,
                amount_cents=amount,
            )
            for invoice in invoices
        ],
        batch_size=BULK_BATCH,
    )
    audit_log_bulk(
        actor=acting_user,
        action="invoice.opened",
        entries=[
            (invoice, invoice.ecosystem_id, invoice_snapshot(invoice)) for invoice in invoices
        ],
    )
    return invoices


def _chunks(items: list, size: int = BULK_BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def invoice_clear_flag(*, acting_user, invoice: Invoice, note: str) -> Invoice:
    """Staff dealt with what flagged the invoice (refunded a mismatch, answered a dispute)."""
    invoice = lock_one(Invoice, invoice.pk)
    if not invoice.flagged:
        return invoice
    if not note.strip():
        raise DomainError(_("Say how the flag was resolved."), field="note")
    return _set_flag(
        acting_user=acting_user,
        invoice=invoice,
        flagged=False,
        reason="",
        action="invoice.flag_cleared",
        noted={"note": note.strip()},
    )
