"""The yearly dues cycle, one service per step.

Every step is idempotent and catches up: it looks at what *should* have happened by the
given day and does what has not been recorded yet, so a day the scheduler missed is made
up on the next run and running a day twice (or on two workers at once) does nothing more.
Runs of one step are serialised with a PostgreSQL advisory lock.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _

from members.audit import audit_log_bulk
from members.billing.services.invoices import dues_invoices_open_bulk, membership_year_get_or_create
from members.billing.services.payments import ecosystem_reinstate_if_settled
from members.migration_utils import TIES_STAFF
from members.models import (
    AuditEntry,
    Ecosystem,
    Invoice,
    Payment,
    ScholarshipApplication,
)
from slecop.cache import bump
from slecop.locking import advisory_lock, lock_rows
from slecop.mail import absolute_url, build_email, send_built_emails

from .. import outbox
from ..models import SentReminder, StaffDigest
from .notify import lead_addresses

Step = SentReminder.Step
INVOICED_STATUSES = (Ecosystem.Status.ACTIVE, Ecosystem.Status.ONBOARDING)
# Reminders before the due date can be turned off; the invoice notice and overdue notices
# cannot ("dues reminders cannot be turned off while overdue").
OPTIONAL_STEPS = {Step.DUE_30, Step.DUE_7, Step.DUE_0}
MAX_OVERDUE_WEEKS = 12


class Progress:
    """What a long step reports as it goes (the management command draws a bar)."""

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass


@dataclass
class DayReport:
    day: date
    invoices_opened: dict[int, int] = field(default_factory=dict)
    reminders: Counter = field(default_factory=Counter)
    superseded: int = 0
    lapsed: list[str] = field(default_factory=list)
    reinstated: list[str] = field(default_factory=list)
    digest_sent: bool = False

    def lines(self) -> list[str]:
        lines = [f"{self.day.isoformat()}:"]
        for year, count in sorted(self.invoices_opened.items()):
            lines.append(f"  opened {count} dues invoice(s) for {year}")
        for step, count in sorted(self.reminders.items()):
            lines.append(f"  queued {count} '{step}' reminder email(s)")
        if self.superseded:
            lines.append(f"  recorded {self.superseded} missed reminder(s) as superseded")
        if self.lapsed:
            lines.append(f"  lapsed {len(self.lapsed)}: {', '.join(self.lapsed[:20])}")
        if self.reinstated:
            lines.append(f"  reinstated {len(self.reinstated)}: {', '.join(self.reinstated)}")
        if self.digest_sent:
            lines.append("  sent the weekly staff digest")
        if len(lines) == 1:
            lines.append("  nothing to do")
        return lines


# --- the schedule (pure) ---------------------------------------------------------------------


def reminder_schedule(*, issued_on: date, due_date: date, grace_ends_on: date) -> list:
    """The reminder steps of an invoice and the day each comes due: at issue, 30 and 7 days
    before the due date, on it, then weekly while overdue within the grace period. Steps
    that would fall before the invoice was issued do not apply."""
    steps = [(Step.OPENING, issued_on)]
    for step, day in (
        (Step.DUE_30, due_date - timedelta(days=30)),
        (Step.DUE_7, due_date - timedelta(days=7)),
        (Step.DUE_0, due_date),
    ):
        if day > issued_on:
            steps.append((step, day))
    for week in range(1, MAX_OVERDUE_WEEKS + 1):
        day = due_date + timedelta(weeks=week)
        if day > grace_ends_on:
            break
        steps.append((Step(f"overdue_{week}"), day))
    return steps


def steps_to_do(schedule: list, done: dict[str, date], on: date) -> tuple[object, list]:
    """Which step to send on `on` and which missed ones to record as superseded.

    Of the steps that have come due and were not done after the last done one, the
    latest is sent — a "30 days left" notice is never sent late — and the earlier ones are
    recorded as superseded so they are never sent afterwards."""
    last_done = max(done.values(), default=None)
    pending = [
        (step, day)
        for step, day in schedule
        if day <= on and step not in done and (last_done is None or day > last_done)
    ]
    if not pending:
        return None, []
    return pending[-1], pending[:-1]


# --- steps ----------------------------------------------------------------------------------


@transaction.atomic
def renewal_open_invoices(*, on: date, report: DayReport, progress: Progress) -> None:
    """Open the dues invoices of the coming year once its opening day has come (and, until
    the current year's due date, any of this year's still missing)."""
    advisory_lock("renewals:open-invoices")
    for year in (on.year, on.year + 1):
        membership_year = membership_year_get_or_create(year=year)
        if on < membership_year.invoices_open_on:
            continue
        if year == on.year and on > membership_year.due_date:
            continue  # late joiners are invoiced by onboarding or by staff
        ids = list(
            Ecosystem.objects.filter(status__in=INVOICED_STATUSES)
            .exclude(invoices__kind=Invoice.Kind.DUES, invoices__membership_year=membership_year)
            .values_list("pk", flat=True)
        )
        if not ids:
            continue
        progress.start(_("Opening %s invoices") % year, len(ids))
        opened = dues_invoices_open_bulk(
            acting_user=None, membership_year=membership_year, ecosystem_ids=ids, issued_on=on
        )
        progress.advance(len(ids))
        report.invoices_opened[year] = len(opened)


@transaction.atomic
def renewal_send_reminders(*, on: date, report: DayReport, progress: Progress) -> None:
    """Send each open dues invoice the reminder step that has come due, at most once."""
    advisory_lock("renewals:reminders")
    invoices = list(
        Invoice.objects.filter(
            kind=Invoice.Kind.DUES,
            status=Invoice.Status.OPEN,
            issued_on__lte=on,
            grace_ends_on__gte=on,
        )
        .exclude(ecosystem__status__in=(Ecosystem.Status.WITHDRAWN, Ecosystem.Status.PROSPECTIVE))
        .select_related("ecosystem", "membership_year")
        .order_by("pk")
    )
    done: dict[int, dict[str, date]] = defaultdict(dict)
    for invoice_id, step, day in SentReminder.objects.filter(
        invoice__in=[i.pk for i in invoices]
    ).values_list("invoice_id", "step", "step_date"):
        done[invoice_id][step] = day
    leads = lead_addresses({i.ecosystem_id for i in invoices}, preference="dues_reminders")
    all_leads = lead_addresses({i.ecosystem_id for i in invoices}, preference=None)
    progress.start(_("Dues reminders"), len(invoices))
    rows = []
    for invoice in invoices:
        schedule = reminder_schedule(
            issued_on=invoice.issued_on,
            due_date=invoice.due_date,
            grace_ends_on=invoice.grace_ends_on,
        )
        send, superseded = steps_to_do(schedule, done[invoice.pk], on)
        for step, day in superseded:
            rows.append(SentReminder(invoice=invoice, step=step, step_date=day, sent=False))
        if send:
            step, day = send
            source = leads if step in OPTIONAL_STEPS else all_leads
            recipients = source.get(invoice.ecosystem_id, [])
            rows.append(
                SentReminder(invoice=invoice, step=step, step_date=day, recipients=recipients)
            )
            if recipients:
                report.reminders[step] += 1
        report.superseded += len(superseded)
        progress.advance()
    created = SentReminder.objects.bulk_create(rows, batch_size=1000)  # unique per step
    outbox.enqueue("reminder", [r.pk for r in created if r.sent and r.recipients])


@transaction.atomic
def renewal_lapse(*, on: date, report: DayReport, progress: Progress) -> None:
    """After the grace period, an unpaid, unwaived ecosystem becomes lapsed (it loses good
    standing) and its leads are told how to reinstate it."""
    advisory_lock("renewals:lapse")
    overdue = Invoice.objects.filter(
        kind=Invoice.Kind.DUES,
        status=Invoice.Status.OPEN,
        membership_year__year=on.year,
        grace_ends_on__lt=on,
    )
    candidates = Ecosystem.objects.filter(
        status__in=INVOICED_STATUSES, pk__in=overdue.values("ecosystem_id")
    )
    ecosystems = [
        e for e in lock_rows(candidates) if e.status in INVOICED_STATUSES
    ]  # re-read under the lock
    if not ecosystems:
        return
    progress.start(_("Lapsing"), len(ecosystems))
    invoices = {
        i.ecosystem_id: i
        for i in overdue.filter(ecosystem__in=ecosystems).select_related("membership_year")
    }
    Ecosystem.objects.filter(pk__in=[e.pk for e in ecosystems]).update(
        status=Ecosystem.Status.LAPSED
    )
    bump("directory", "dues", "panels")  # QuerySet.update sends no post_save
    audit_log_bulk(
        actor=None,
        action="ecosystem.lapsed",
        entries=[
            (e, e.pk, {"status": Ecosystem.Status.LAPSED, "invoice": invoices[e.pk].number})
            for e in ecosystems
        ],
    )
    leads = lead_addresses([e.pk for e in ecosystems], preference=None)
    rows = []
    for ecosystem in ecosystems:
        rows.append(
            SentReminder(
                invoice=invoices[ecosystem.pk],
                step=Step.LAPSED,
                step_date=on,
                recipients=leads.get(ecosystem.pk, []),
            )
        )
        report.lapsed.append(ecosystem.name)
        progress.advance()
    already = set(
        SentReminder.objects.filter(
            step=Step.LAPSED, invoice__in=[r.invoice for r in rows]
        ).values_list("invoice_id", flat=True)
    )  # an invoice lapses once, even if its ecosystem is reinstated and lapses again
    created = SentReminder.objects.bulk_create([r for r in rows if r.invoice.pk not in already])
    outbox.enqueue("reminder", [r.pk for r in created if r.recipients])


def renewal_reinstate(*, on: date, report: DayReport) -> None:
    """Catch-up: a lapsed ecosystem whose dues became settled without a payment (a waiver
    approved later) is reinstated. Payments reinstate at once (payment_record)."""
    settled = Invoice.objects.filter(
        kind=Invoice.Kind.DUES,
        status__in=(Invoice.Status.PAID, Invoice.Status.WAIVED),
        membership_year__year=on.year,
    )
    for ecosystem in Ecosystem.objects.filter(
        status=Ecosystem.Status.LAPSED, pk__in=settled.values("ecosystem_id")
    ):
        if ecosystem_reinstate_if_settled(acting_user=None, ecosystem=ecosystem).status == (
            Ecosystem.Status.ACTIVE
        ):
            report.reinstated.append(ecosystem.name)


@transaction.atomic
def renewal_staff_digest(*, on: date, report: DayReport) -> None:
    """Monday's digest for TIES staff about the week before: payments received,
    scholarships pending, lapses. Once per week; sent later in the week if Monday's run
    was missed."""
    advisory_lock("renewals:digest")
    week_start = on - timedelta(days=on.weekday())
    if StaffDigest.objects.filter(week_start=week_start).exists():
        return
    period = (week_start - timedelta(days=7), week_start)
    payments = Payment.objects.filter(
        received_at__date__gte=period[0], received_at__date__lt=period[1]
    ).select_related("invoice__ecosystem")
    totals = payments.aggregate(count=Count("pk"), cents=Sum("amount_cents"))
    pending = ScholarshipApplication.objects.filter(
        status=ScholarshipApplication.Status.SUBMITTED
    ).select_related("ecosystem", "invoice")
    lapses = AuditEntry.objects.filter(
        action="ecosystem.lapsed",
        created_at__date__gte=period[0],
        created_at__date__lt=period[1],
    ).select_related("ecosystem")
    summary = {
        "payments": totals["count"],
        "payments_cents": totals["cents"] or 0,
        "scholarships_pending": pending.count(),
        "lapses": lapses.count(),
    }
    staff = Group.objects.filter(name=TIES_STAFF).values_list("user__email", flat=True)
    recipients = sorted({settings.STAFF_NOTIFICATION_EMAIL, *filter(None, staff)})
    message = build_email(
        to=recipients,
        template="renewals/email/staff_digest",
        context={
            "period_start": period[0],
            "period_end": period[1] - timedelta(days=1),
            "summary": summary,
            "payments": payments[:50],
            "pending": pending[:50],
            "lapses": lapses[:50],
            "dues_url": absolute_url("/admin/members/invoice/"),
        },
    )
    StaffDigest.objects.create(week_start=week_start, summary=summary)
    send_built_emails([message])
    report.digest_sent = True


def renewal_run_day(
    *, on: date, dry_run: bool = False, progress: Progress | None = None
) -> DayReport:
    """The whole daily cycle for `on`. With dry_run everything is computed and then rolled
    back: nothing is stored and no email leaves."""
    report = DayReport(day=on)
    progress = progress or Progress()
    with transaction.atomic():
        renewal_open_invoices(on=on, report=report, progress=progress)
        renewal_lapse(on=on, report=report, progress=progress)
        renewal_reinstate(on=on, report=report)
        renewal_send_reminders(on=on, report=report, progress=progress)
        renewal_staff_digest(on=on, report=report)
        if not dry_run:
            outbox.requeue_waiting()
        if dry_run:
            transaction.set_rollback(True)
    return report
