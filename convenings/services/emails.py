"""Emails to attendees and leads. Sent after commit (slecop.mail), never for a rolled
back change."""

from __future__ import annotations

from django.urls import reverse

from members.selectors import lead_emails
from slecop.mail import absolute_url, send_templated_email

from ..ics import convening_ics
from ..models import Registration

TEMPLATES = {
    Registration.Status.CONFIRMED: "convenings/email/confirmed",
    Registration.Status.WAITLISTED: "convenings/email/waitlisted",
}


def _context(registration: Registration) -> dict:
    convening = registration.convening
    return {
        "registration": registration,
        "convening": convening,
        "ecosystem": registration.ecosystem,
        "sessions": list(registration.sessions.all()),
        "convening_url": absolute_url(convening.get_absolute_url()),
        "page_url": absolute_url(
            reverse(
                "convenings:ecosystem_registrations",
                kwargs={"ecosystem": registration.ecosystem.slug},
            )
        ),
    }


def ics_attachment(registration: Registration) -> tuple[str, str, str]:
    convening = registration.convening
    body = convening_ics(
        convening,
        uid=f"convening-{convening.pk}-registration-{registration.pk}@slecop",
        name=registration.attendee_name,
        email=registration.attendee_email,
    )
    return (f"{convening.slug}.ics", body, "text/calendar")


def registration_emails_after_change(registration: Registration, *, promoted: bool = False):
    """Tell the attendee where they stand: confirmed (with the .ics), or waitlisted.
    A promotion from the waitlist also tells the ecosystem's leads."""
    template = TEMPLATES.get(registration.status)
    if template is None:
        return
    if promoted:
        template = "convenings/email/promoted"
    to = [registration.attendee_email]
    if promoted:
        to += lead_emails([registration.ecosystem_id]).get(registration.ecosystem_id, [])
    attachments = (
        [ics_attachment(registration)]
        if registration.status == Registration.Status.CONFIRMED
        else []
    )
    send_templated_email(
        to=list(dict.fromkeys(to)),
        template=template,
        context=_context(registration),
        attachments=attachments,
    )


def hold_released_email(registration: Registration) -> None:
    """Tell the ecosystem's leads that an unpaid extra seat was released."""
    send_templated_email(
        to=lead_emails([registration.ecosystem_id]).get(registration.ecosystem_id, []),
        template="convenings/email/hold_released",
        context=_context(registration),
    )
