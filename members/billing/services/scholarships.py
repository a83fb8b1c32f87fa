"""Scholarship waivers: a lead applies, the Stewardship team decides; an approval reduces
the invoice through a waiver line, never by editing amounts."""

from __future__ import annotations

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.billing.payments.hooks import on_settled
from members.billing.selectors import SETTLED
from members.billing.services.invoices import invoice_recalculate, invoice_snapshot
from members.models import Invoice, InvoiceLine, ScholarshipApplication
from members.money import format_cents
from members.selectors import lead_emails
from slecop.errors import Conflict, DomainError
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

Status = ScholarshipApplication.Status


@transaction.atomic
def scholarship_apply(
    *,
    acting_user,
    invoice: Invoice,
    full_waiver: bool,
    requested_cents: int | None,
    narrative: str,
    budget_context: str = "",
) -> ScholarshipApplication:
    invoice = lock_one(Invoice, invoice.pk)
    if invoice.kind != Invoice.Kind.DUES:
        raise DomainError(_("Scholarships apply to membership dues only."))
    if invoice.status != Invoice.Status.OPEN or invoice.balance_cents <= 0:
        raise Conflict(
            _("Invoice %(number)s has nothing left to waive.") % {"number": invoice.number},
            code="settled",
        )
    if ScholarshipApplication.objects.filter(invoice=invoice, status=Status.SUBMITTED).exists():
        raise Conflict(
            _(
                "An application for this year is already being reviewed. You will hear back by "
                "email."
            ),
            code="pending",
        )
    requested = invoice.balance_cents if full_waiver else (requested_cents or 0)
    if requested <= 0:
        raise DomainError(_("Enter the amount you ask to be waived."), field="requested_amount")
    if requested > invoice.balance_cents:
        raise DomainError(
            _("You can ask for at most the balance, %(amount)s.")
            % {"amount": format_cents(invoice.balance_cents, invoice.currency)},
            field="requested_amount",
        )
    if not narrative.strip():
        raise DomainError(_("Tell the stewardship team why you apply."), field="narrative")
    application = ScholarshipApplication(
        invoice=invoice,
        ecosystem=invoice.ecosystem,
        full_waiver=full_waiver,
        requested_cents=requested,
        narrative=narrative.strip(),
        budget_context=budget_context.strip(),
        submitted_by=acting_user,
    )
    application.full_clean(exclude=["invoice", "ecosystem", "submitted_by"])
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise Conflict(_("An application for this year is already being reviewed.")) from exc
    audit_log(
        actor=acting_user,
        action="scholarship.submitted",
        obj=application,
        ecosystem=invoice.ecosystem,
        after={"requested_cents": requested, "full_waiver": full_waiver},
    )
    context = {
        "application": application,
        "ecosystem": invoice.ecosystem,
        "invoice": invoice,
        "invoice_url": absolute_url(invoice.get_absolute_url()),
    }
    send_templated_email(
        to=[acting_user.email] if getattr(acting_user, "email", "") else [],
        template="members/email/scholarship_received",
        context=context,
    )
    send_templated_email(
        to=[settings.STAFF_NOTIFICATION_EMAIL],
        template="members/email/scholarship_to_review",
        context={
            **context,
            "admin_url": absolute_url(
                f"/admin/members/scholarshipapplication/{application.pk}/change/"
            ),
        },
    )
    return application


@transaction.atomic
def scholarship_decide(
    *,
    acting_user,
    application: ScholarshipApplication,
    approve: bool,
    approved_cents: int | None = None,
    note: str = "",
) -> ScholarshipApplication:
    """Approve (all or part of the request) or decline. An approval adds a waiver line of
    minus the approved amount; it can never exceed the invoice's current balance."""
    invoice = lock_one(Invoice, application.invoice_id)  # invoice first, as payments do
    application = lock_one(ScholarshipApplication, application.pk)
    if application.status != Status.SUBMITTED:
        raise Conflict(
            _("This application was already %(status)s.")
            % {"status": application.get_status_display().lower()},
            code="decided",
        )
    before = {**invoice_snapshot(invoice), "application": application.status}
    if approve:
        amount = application.requested_cents if approved_cents is None else approved_cents
        if amount <= 0:
            raise DomainError(_("Approve a positive amount, or decline."), field="approved_cents")
        if amount > application.requested_cents:
            raise DomainError(
                _("The approved amount cannot exceed the amount requested."), field="approved_cents"
            )
        if amount > invoice.balance_cents:
            raise Conflict(
                _("The balance of %(number)s is now %(amount)s; approve at most that.")
                % {
                    "number": invoice.number,
                    "amount": format_cents(invoice.balance_cents, invoice.currency),
                },
                code="above_balance",
            )
        InvoiceLine.objects.create(
            invoice=invoice,
            kind=InvoiceLine.Kind.WAIVER,
            description=f"Scholarship waiver ({timezone.localdate():%Y-%m-%d})",
            amount_cents=-amount,
            scholarship=application,
        )
        invoice_recalculate(invoice)
        if invoice.is_settled and before["status"] not in SETTLED:
            on_settled.fire(invoice=invoice, payment=None, acting_user=acting_user)
        application.approved_cents = amount
        application.status = (
            Status.APPROVED if amount == application.requested_cents else Status.PARTIALLY_APPROVED
        )
    else:
        application.status = Status.DECLINED
    application.reviewer = acting_user
    application.decided_at = timezone.now()
    application.decision_note = note
    application.save()
    audit_log(
        actor=acting_user,
        action=f"scholarship.{application.status}",
        obj=application,
        ecosystem=invoice.ecosystem,
        before=before,
        after={
            **invoice_snapshot(invoice),
            "application": application.status,
            "approved_cents": application.approved_cents,
        },
    )
    send_templated_email(
        to=lead_emails([invoice.ecosystem_id]).get(invoice.ecosystem_id, []),
        template="members/email/scholarship_decided",
        context={
            "application": application,
            "ecosystem": invoice.ecosystem,
            "invoice": invoice,
            "invoice_url": absolute_url(invoice.get_absolute_url()),
        },
    )
    return application
