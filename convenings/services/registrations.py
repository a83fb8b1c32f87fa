"""Registering, cancelling, substituting and checking in attendees.

pretix's `_check_positions`: inside one transaction, lock what is made less available
(the convening row, then the ecosystem row), recount seats from the rows, then insert.
No stored counters; the constraints on Registration back every rule."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.billing.selectors import ecosystem_standing, good_standing_q
from members.billing.services import LineSpec, invoice_create, invoice_void
from members.models import Ecosystem, Invoice, InvoiceLine
from members.money import format_cents
from slecop.errors import Conflict, DomainError, NotAllowed
from slecop.locking import lock_one, lock_rows

from ..models import SEAT_STATUSES, Convening, Registration, Session
from .emails import registration_emails_after_change

PAID_SEAT_HOLD = timedelta(minutes=30)
ATTENDEE_FIELDS = ["attendee_name", "attendee_email", "attendee_role", "dietary_needs",
                   "accessibility_needs"]  # fmt: skip
Status = Registration.Status
SeatKind = Registration.SeatKind


@dataclass(frozen=True)
class Attendee:
    name: str
    email: str
    role: str = ""
    dietary_needs: str = ""
    accessibility_needs: str = ""

    def apply_to(self, registration: Registration) -> None:
        registration.attendee_name = self.name.strip()
        registration.attendee_email = self.email.strip().lower()
        registration.attendee_role = self.role.strip()
        registration.dietary_needs = self.dietary_needs.strip()
        registration.accessibility_needs = self.accessibility_needs.strip()


def _when(value: datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def _snapshot(registration: Registration) -> dict:
    return {
        "status": registration.status,
        "seat_kind": registration.seat_kind,
        "seat_no": registration.seat_no,
        "extra_no": registration.extra_no,
        "waitlist_position": registration.waitlist_position,
        "attendee_email": registration.attendee_email,
        "invoice": registration.invoice_id,
    }


def _audit(action: str, registration: Registration, *, acting_user, before=None) -> None:
    audit_log(
        actor=acting_user,
        action=action,
        obj=registration,
        ecosystem=registration.ecosystem,
        before=before,
        after=_snapshot(registration),
    )


def _validate_attendee(registration: Registration) -> None:
    try:
        registration.full_clean(
            exclude=["convening", "ecosystem", "status", "seat_kind", "registered_by"],
            validate_unique=False,
            validate_constraints=False,
        )
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise DomainError(messages[0], field=field) from exc


def _check_attendee_unique(registration: Registration) -> None:
    clash = (
        Registration.objects.filter(
            convening_id=registration.convening_id,
            attendee_email__iexact=registration.attendee_email,
            status__in=(*SEAT_STATUSES, Status.WAITLISTED),
        )
        .exclude(pk=registration.pk)
        .exists()
    )
    if clash:
        raise Conflict(
            _("%(email)s is already registered for this convening.")
            % {"email": registration.attendee_email},
            field="attendee_email",
        )


def _check_window(convening: Convening, now: datetime) -> None:
    if not convening.published:
        raise Conflict(_("This convening is not open for registration."), code="unpublished")
    if now < convening.registration_opens_at:
        raise Conflict(
            _("Registration for %(title)s opens on %(when)s.")
            % {"title": convening.title, "when": _when(convening.registration_opens_at)},
            code="not_open_yet",
        )
    if now >= convening.registration_closes_at:
        raise Conflict(
            _("Registration for %(title)s closed on %(when)s.")
            % {"title": convening.title, "when": _when(convening.registration_closes_at)},
            code="closed",
        )


def _check_region(convening: Convening, ecosystem: Ecosystem) -> None:
    if convening.kind == Convening.Kind.REGIONAL and ecosystem.region_id != convening.region_id:
        raise NotAllowed(
            _(
                "%(title)s is a regional convening for the %(region)s region; "
                "%(ecosystem)s is in the %(own)s region."
            )
            % {
                "title": convening.title,
                "region": convening.region,
                "ecosystem": ecosystem.name,
                "own": ecosystem.region,
            },
            code="other_region",
        )


def seats_taken(convening: Convening) -> int:
    return Registration.objects.filter(convening=convening, status__in=SEAT_STATUSES).count()


def _sessions(convening: Convening, session_ids: Iterable[int]) -> list[Session]:
    ids = set(session_ids)
    if not ids:
        return []
    sessions = list(
        Session.objects.filter(convening=convening, pk__in=ids).annotate(
            taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES))
        )
    )
    if len(sessions) != len(ids):
        raise DomainError(_("Choose sessions of this convening."), field="sessions")
    return sessions


def _refuse_full_sessions(sessions: list[Session]) -> None:
    full = [s.title for s in sessions if s.taken >= s.capacity]
    if full:
        raise Conflict(
            _("These sessions are full: %(titles)s. Choose others.") % {"titles": ", ".join(full)},
            field="sessions",
            code="session_full",
        )


def _included_seat_numbers(convening: Convening, ecosystem: Ecosystem) -> set[int]:
    return set(
        Registration.objects.filter(
            convening=convening, ecosystem=ecosystem, seat_no__isnull=False
        ).values_list("seat_no", flat=True)
    )


def _extra_seat_numbers(convening: Convening, ecosystem: Ecosystem) -> set[int]:
    return set(
        Registration.objects.filter(
            convening=convening, ecosystem=ecosystem, extra_no__isnull=False
        ).values_list("extra_no", flat=True)
    )


def unused_included_seats(convening: Convening, on) -> int:
    """The included seats not used yet (neither confirmed nor waitlisted) by the
    ecosystems in good standing on `on` that may attend (the region's, for a regional
    convening): what is kept for them while extra seats are being sold."""
    eligible = Ecosystem.objects.filter(good_standing_q(on))
    if convening.kind == Convening.Kind.REGIONAL:
        eligible = eligible.filter(region_id=convening.region_id)
    used = Registration.objects.filter(
        convening=convening,
        seat_kind=SeatKind.INCLUDED,
        status__in=(Status.CONFIRMED, Status.WAITLISTED),
        ecosystem__in=eligible,
    ).count()
    return max(0, eligible.count() * convening.included_seats - used)


def included_seats_kept(convening: Convening, now: datetime) -> bool:
    """Whether extra seats are still sold only from the seats nobody's included seat
    needs (until the staff-set date; without one, until registration closes)."""
    kept_until = convening.included_seats_kept_until
    return kept_until is None or now < kept_until


def _next_waitlist_position(convening: Convening) -> int:
    last = Registration.objects.filter(convening=convening).aggregate(m=Max("waitlist_position"))[
        "m"
    ]
    return (last or 0) + 1


@transaction.atomic
def registration_create(
    *,
    acting_user,
    convening: Convening,
    ecosystem: Ecosystem,
    attendee: Attendee,
    session_ids: Iterable[int] = (),
    accept_paid_seat: bool = False,
    now: datetime | None = None,
) -> Registration:
    """Register an attendee of `ecosystem`.

    An included seat (while the ecosystem has some left) needs good standing; it is
    confirmed while the convening has room, waitlisted in order otherwise. Beyond the
    included seats an extra seat is sold (if the convening sells them and has room), but
    only with `accept_paid_seat`: it is held for 30 minutes on a new invoice, confirmed
    when the invoice is paid. An ecosystem has at most the convening's extra seats per
    ecosystem (held and confirmed together), and until the staff-set date extras come
    only from the seats left after keeping the unused included seats of the ecosystems
    in good standing that may attend (so buying extras never pushes another ecosystem's
    included seat onto the waitlist). Refusals are DomainErrors with a message for the
    lead; code `paid_seat_offered` means "ask the lead, then call again accepting"."""
    now = now or timezone.now()
    convening = lock_one(Convening, convening.pk)
    ecosystem = lock_one(Ecosystem, ecosystem.pk)
    _check_window(convening, now)
    _check_region(convening, ecosystem)
    registration = Registration(convening=convening, ecosystem=ecosystem)
    attendee.apply_to(registration)
    _validate_attendee(registration)
    _check_attendee_unique(registration)
    sessions = _sessions(convening, session_ids)
    _refuse_full_sessions(sessions)

    used = _included_seat_numbers(convening, ecosystem)
    free_numbers = sorted(set(range(1, convening.included_seats + 1)) - used)
    taken = seats_taken(convening)
    room = taken < convening.capacity
    if free_numbers:
        standing = ecosystem_standing(ecosystem, timezone.localdate(now))
        if not standing.good:
            raise Conflict(
                _(
                    "%(ecosystem)s is not in good standing (%(reason)s) Included seats are a "
                    "benefit of membership in good standing: settle your dues to use them."
                )
                % {"ecosystem": ecosystem.name, "reason": standing.reason},
                code="not_in_good_standing",
            )
        registration.seat_kind = SeatKind.INCLUDED
        registration.seat_no = free_numbers[0]
        if room:
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
        else:
            registration.status = Status.WAITLISTED
            registration.waitlist_position = _next_waitlist_position(convening)
    else:
        extra_numbers = _extra_seat_numbers(convening, ecosystem)
        _check_paid_seat(
            convening,
            ecosystem,
            accept=accept_paid_seat,
            held=len(extra_numbers),
            free=convening.capacity - taken,
            now=now,
        )
        registration.extra_no = min(set(range(1, len(extra_numbers) + 2)) - extra_numbers)
        registration.seat_kind = SeatKind.PAID
        registration.status = Status.PENDING_PAYMENT
        registration.hold_expires_at = now + PAID_SEAT_HOLD
        registration.invoice = invoice_create(
            acting_user=acting_user,
            ecosystem=ecosystem,
            kind=Invoice.Kind.CONVENING,
            currency=convening.currency,
            due_date=timezone.localdate(registration.hold_expires_at),
            lines=[
                LineSpec(
                    InvoiceLine.Kind.CONVENING_SEAT,
                    f"Extra seat: {convening.title} — {registration.attendee_name}"[:255],
                    convening.extra_seat_cents,
                )
            ],
        )
    registration.registered_by = acting_user if getattr(acting_user, "pk", None) else None
    registration.save()
    registration.sessions.set(sessions)
    _audit("convening.registered", registration, acting_user=acting_user)
    registration_emails_after_change(registration)
    return registration


def _check_paid_seat(
    convening: Convening,
    ecosystem: Ecosystem,
    *,
    accept: bool,
    held: int,
    free: int,
    now: datetime,
):
    """Refuse an extra seat the ecosystem may not have now (the caller holds the
    convening and ecosystem locks, so the counts below stay true until it inserts)."""
    params = {
        "ecosystem": ecosystem.name,
        "n": convening.included_seats,
        "title": convening.title,
        "price": f"{format_cents(convening.extra_seat_cents)} {convening.currency}",
        "minutes": int(PAID_SEAT_HOLD.total_seconds() // 60),
    }
    if not convening.extra_seat_cents:
        raise Conflict(
            _(
                "%(ecosystem)s has used its %(n)s included seats for %(title)s, and this "
                "convening has no extra seats for sale. Cancel a registration to free a seat."
            )
            % params,
            code="no_extra_seats",
        )
    if held >= convening.extra_seats_per_ecosystem:
        raise Conflict(
            _(
                "%(ecosystem)s already has %(held)s extra seats for %(title)s, the most one "
                "ecosystem may have (held and confirmed together). Cancel one to choose "
                "another attendee."
            )
            % {**params, "held": held},
            code="extra_seat_cap",
        )
    if free <= 0:
        raise Conflict(
            _(
                "%(ecosystem)s has used its %(n)s included seats, and %(title)s is full: "
                "no extra seats are available."
            )
            % params,
            code="full",
        )
    if included_seats_kept(convening, now):
        kept = unused_included_seats(convening, timezone.localdate(now))
        if free <= kept:
            until = convening.included_seats_kept_until
            message = (
                _(
                    "Extra seats for %(title)s go on sale on %(when)s. Until then the seats "
                    "left are kept for the ecosystems that have not used their included "
                    "seats yet."
                )
                % {**params, "when": _when(until)}
                if until is not None
                else _(
                    "No extra seats are left for %(title)s: the seats left are kept for the "
                    "ecosystems that have not used their included seats yet."
                )
                % params
            )
            raise Conflict(message, code="extras_not_yet")
    if not accept:
        raise Conflict(
            _(
                "%(ecosystem)s has used its %(n)s included seats. An extra seat costs "
                "%(price)s; we hold it for %(minutes)s minutes while you pay."
            )
            % params,
            code="paid_seat_offered",
        )


def _lock_for_change(registration: Registration) -> Registration:
    """Lock in the app's order (invoice, convening, ecosystem, registration) and return
    the registration re-read under its lock."""
    invoice_id, convening_id, ecosystem_id = Registration.objects.values_list(
        "invoice_id", "convening_id", "ecosystem_id"
    ).get(pk=registration.pk)
    if invoice_id:
        lock_one(Invoice, invoice_id)
    lock_one(Convening, convening_id)
    lock_one(Ecosystem, ecosystem_id)
    lock_one(Registration, registration.pk)
    return Registration.objects.select_related("convening", "ecosystem", "invoice").get(
        pk=registration.pk
    )


def cancel_locked(registration: Registration, *, acting_user, reason: str, now=None) -> list:
    """Cancel a registration whose rows the caller locked (see _lock_for_change); release
    its seat to the waitlist. Returns the registrations promoted."""
    if registration.status == Status.CANCELLED:
        return []
    if registration.checked_in_at:
        raise Conflict(_("%(name)s has already checked in.") % {"name": registration.attendee_name})
    before = _snapshot(registration)
    freed = registration.status in SEAT_STATUSES
    invoice = registration.invoice
    if (
        registration.status == Status.PENDING_PAYMENT
        and invoice is not None
        and invoice.status == Invoice.Status.OPEN
        and not invoice.payments.exists()
    ):
        invoice_void(acting_user=acting_user, invoice=invoice, reason=f"seat {reason}")
    registration.status = Status.CANCELLED
    registration.seat_no = None
    registration.extra_no = None
    registration.waitlist_position = None
    registration.hold_expires_at = None
    registration.cancelled_at = now or timezone.now()
    registration.cancel_reason = reason
    registration.save(
        update_fields=[
            "status",
            "seat_no",
            "extra_no",
            "waitlist_position",
            "hold_expires_at",
            "cancelled_at",
            "cancel_reason",
        ]
    )
    _audit("convening.cancelled", registration, acting_user=acting_user, before=before)
    if not freed:
        return []
    return _promote(registration.convening, acting_user=acting_user)


def _promote(convening: Convening, *, acting_user) -> list[Registration]:
    """Confirm waitlisted registrations, first in line first, while there is room. The
    caller holds the convening lock."""
    room = convening.capacity - seats_taken(convening)
    if room <= 0:
        return []
    first = Registration.objects.filter(convening=convening, status=Status.WAITLISTED)
    locked = lock_rows(
        Registration.objects.filter(pk__in=first.order_by("waitlist_position")[:room])
    )
    promoted = list(
        Registration.objects.filter(pk__in=[r.pk for r in locked])
        .select_related("convening", "ecosystem")
        .order_by("waitlist_position")
    )
    full = _full_session_ids(convening)
    now = timezone.now()
    for registration in promoted:
        before = _snapshot(registration)
        registration.status = Status.CONFIRMED
        registration.waitlist_position = None
        registration.confirmed_at = now
        registration.save(update_fields=["status", "waitlist_position", "confirmed_at"])
        dropped = [s for s in registration.sessions.all() if s.pk in full]
        if dropped:  # filled up while they waited
            registration.sessions.remove(*dropped)
        _audit("convening.promoted", registration, acting_user=acting_user, before=before)
        registration_emails_after_change(registration, promoted=True)
        full = _full_session_ids(convening)
    return promoted


def _full_session_ids(convening: Convening) -> set[int]:
    return {
        s.pk
        for s in Session.objects.filter(convening=convening).annotate(
            taken=Count("registrations", filter=Q(registrations__status__in=SEAT_STATUSES))
        )
        if s.taken >= s.capacity
    }


@transaction.atomic
def registration_cancel(*, acting_user, registration: Registration) -> list[Registration]:
    """Cancel a registration (lead or staff). Its seat goes to the first waitlisted
    registration, who is emailed. A held paid seat's open invoice is voided; a paid seat
    that was paid is not refunded automatically (staff refund it in Stripe or the admin).
    Returns the promoted registrations."""
    registration = _lock_for_change(registration)
    if registration.status == Status.CANCELLED:
        return []
    if timezone.now() >= registration.convening.ends_at:
        raise Conflict(_("This convening is over."), code="over")
    return cancel_locked(registration, acting_user=acting_user, reason="cancelled")


@transaction.atomic
def convening_fill_from_waitlist(*, acting_user, convening: Convening) -> list[Registration]:
    """After staff raised the capacity: confirm waitlisted registrations while seats last."""
    convening = lock_one(Convening, convening.pk)
    return _promote(convening, acting_user=acting_user)


@transaction.atomic
def registration_substitute(
    *, acting_user, registration: Registration, attendee: Attendee, now: datetime | None = None
) -> Registration:
    """Name another attendee for a seat, before the convening's substitution deadline."""
    now = now or timezone.now()
    registration = _lock_for_change(registration)
    convening = registration.convening
    if not registration.is_active:
        raise Conflict(_("This registration is cancelled."), code="cancelled")
    if now >= convening.changes_close_at:
        raise Conflict(
            _("Substitutions for %(title)s closed on %(when)s.")
            % {"title": convening.title, "when": _when(convening.changes_close_at)},
            code="substitution_closed",
        )
    if registration.checked_in_at:
        raise Conflict(_("%(name)s has already checked in.") % {"name": registration.attendee_name})
    before = {f: getattr(registration, f) for f in ATTENDEE_FIELDS}
    attendee.apply_to(registration)
    _validate_attendee(registration)
    _check_attendee_unique(registration)
    registration.save(update_fields=ATTENDEE_FIELDS)
    audit_log(
        actor=acting_user,
        action="convening.substituted",
        obj=registration,
        ecosystem=registration.ecosystem,
        before=before,
        after={f: getattr(registration, f) for f in ATTENDEE_FIELDS},
    )
    registration_emails_after_change(registration)
    return registration


@transaction.atomic
def registration_check_in(
    *, acting_user, registration: Registration, undo: bool = False
) -> Registration:
    """Check an attendee in at the door (idempotent), or undo a mistaken check-in."""
    registration = lock_one(Registration, registration.pk)
    if registration.status != Status.CONFIRMED:
        raise Conflict(
            _("%(name)s's registration is %(status)s, not confirmed.")
            % {
                "name": registration.attendee_name,
                "status": registration.get_status_display().lower(),
            },
            code="not_confirmed",
        )
    if undo == (registration.checked_in_at is None):
        return registration
    registration.checked_in_at = None if undo else timezone.now()
    registration.checked_in_by = None if undo else acting_user
    registration.save(update_fields=["checked_in_at", "checked_in_by"])
    return registration
