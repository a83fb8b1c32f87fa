"""Registration rules: included seats, good standing, region, window, waitlist."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from convenings.models import Convening, Registration
from convenings.services import (
    registration_cancel,
    registration_check_in,
    registration_substitute,
)
from members.models import AuditEntry
from slecop.errors import Conflict, DomainError, NotAllowed
from tests.convenings.factories import ConveningFactory, SessionFactory, attendee, register
from tests.factories import EcosystemFactory, make_in_good_standing, make_lapsed, region

pytestmark = pytest.mark.django_db


def test_two_included_seats_then_refused_when_no_extras_are_sold(convening, member_ecosystem):
    first = register(convening, member_ecosystem)
    second = register(convening, member_ecosystem)
    assert [first.status, second.status] == ["confirmed", "confirmed"]
    assert [first.seat_no, second.seat_no] == [1, 2]
    with pytest.raises(Conflict) as exc:
        register(convening, member_ecosystem)
    assert exc.value.code == "no_extra_seats"
    assert "used its 2 included seats" in exc.value.message
    assert Registration.objects.count() == 2


def test_included_seats_per_convening_are_configurable(member_ecosystem):
    convening = ConveningFactory(included_seats=3)
    for _ in range(3):
        register(convening, member_ecosystem)
    with pytest.raises(Conflict):
        register(convening, member_ecosystem)


def test_lapsed_ecosystem_cannot_use_included_seats():
    ecosystem = EcosystemFactory()
    make_lapsed(ecosystem)
    convening = ConveningFactory()
    with pytest.raises(Conflict) as exc:
        register(convening, ecosystem)
    assert exc.value.code == "not_in_good_standing"
    assert "not in good standing" in exc.value.message
    assert "settle your dues" in exc.value.message
    assert not Registration.objects.exists()


def test_regional_convening_refuses_other_regions(member_ecosystem):
    convening = ConveningFactory(kind=Convening.Kind.REGIONAL, region=region("south"))
    with pytest.raises(NotAllowed) as exc:
        register(convening, member_ecosystem)
    assert "South" in exc.value.message and "Northeast" in exc.value.message
    southern = EcosystemFactory(region=region("south"))
    make_in_good_standing(southern)
    assert register(convening, southern).status == "confirmed"


@pytest.mark.parametrize(
    ("opens", "closes", "code"),
    [
        (timedelta(days=1), timedelta(days=5), "not_open_yet"),
        (-timedelta(days=5), -timedelta(seconds=1), "closed"),
    ],
)
def test_registration_outside_the_window_is_refused(member_ecosystem, opens, closes, code):
    now = timezone.now()
    convening = ConveningFactory(
        registration_opens_at=now + opens, registration_closes_at=now + closes
    )
    with pytest.raises(Conflict) as exc:
        register(convening, member_ecosystem)
    assert exc.value.code == code
    assert not Registration.objects.exists()


def test_unpublished_convening_refuses(member_ecosystem):
    with pytest.raises(Conflict):
        register(ConveningFactory(published=False), member_ecosystem)


def test_full_convening_waitlists_in_order_and_cancel_promotes_first(
    mailoutbox, django_capture_on_commit_callbacks
):
    convening = ConveningFactory(capacity=2)
    ecosystems = EcosystemFactory.create_batch(4)
    for e in ecosystems:
        make_in_good_standing(e)
    regs = [register(convening, e) for e in ecosystems]
    assert [r.status for r in regs] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [r.waitlist_position for r in regs[2:]] == [1, 2]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = registration_cancel(acting_user=None, registration=regs[0])
    assert [p.pk for p in promoted] == [regs[2].pk]
    regs[2].refresh_from_db()
    assert (regs[2].status, regs[2].waitlist_position) == ("confirmed", None)
    regs[3].refresh_from_db()
    assert regs[3].status == "waitlisted"
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert regs[2].attendee_email in message.to
    assert "A seat opened up" in message.subject
    assert message.attachments[0][0].endswith(".ics")
    assert "BEGIN:VEVENT" in message.attachments[0][1]
    assert AuditEntry.objects.filter(action="convening.promoted").count() == 1


def test_cancelling_a_waitlisted_registration_promotes_nobody(member_ecosystem):
    convening = ConveningFactory(capacity=1)
    register(convening, member_ecosystem)
    waiting = register(convening, member_ecosystem)
    assert waiting.status == "waitlisted"
    assert registration_cancel(acting_user=None, registration=waiting) == []
    assert registration_cancel(acting_user=None, registration=waiting) == []  # idempotent


def test_confirmation_email_has_an_ics_file(
    convening, member_ecosystem, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(
            convening, member_ecosystem, attendee=attendee("Ana Ruiz", "ana@example.org")
        )
    (message,) = mailoutbox
    assert message.to == ["ana@example.org"]
    assert convening.title in message.subject
    assert member_ecosystem.name in message.body
    html = message.alternatives[0][0]
    assert "Ana Ruiz" in html
    filename, ics, mimetype = message.attachments[0]
    assert filename == f"{convening.slug}.ics"
    assert mimetype == "text/calendar"
    assert f"SUMMARY:{convening.title}" in ics
    assert f"UID:convening-{convening.pk}-registration-{registration.pk}@slecop" in ics
    assert "DTSTART:" in ics and ics.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in ics.split("\r\n"))


def test_same_attendee_twice_is_refused(convening, member_ecosystem):
    register(convening, member_ecosystem, attendee=attendee(email="sam@example.org"))
    with pytest.raises(Conflict) as exc:
        register(convening, member_ecosystem, attendee=attendee(email="SAM@example.org"))
    assert exc.value.field == "attendee_email"


def test_bad_attendee_email_is_a_field_error(convening, member_ecosystem):
    with pytest.raises(DomainError) as exc:
        register(convening, member_ecosystem, attendee=attendee(email="not-an-email"))
    assert exc.value.field == "attendee_email"


def test_sessions_have_their_own_capacity(convening, member_ecosystem):
    session = SessionFactory(convening=convening, capacity=1, title="New ecosystem orientation")
    register(convening, member_ecosystem, session_ids=[session.pk])
    with pytest.raises(Conflict) as exc:
        register(convening, member_ecosystem, session_ids=[session.pk])
    assert exc.value.field == "sessions"
    other = SessionFactory()
    with pytest.raises(DomainError):
        register(convening, member_ecosystem, session_ids=[other.pk])


def test_substitute_before_deadline_only(convening, member_ecosystem):
    registration = register(convening, member_ecosystem)
    registration_substitute(
        acting_user=None, registration=registration, attendee=attendee("Bo Chen", "bo@example.org")
    )
    registration.refresh_from_db()
    assert (registration.attendee_name, registration.attendee_email) == (
        "Bo Chen",
        "bo@example.org",
    )
    assert registration.seat_no == 1
    Convening.objects.filter(pk=convening.pk).update(
        substitution_deadline=timezone.now() - timedelta(minutes=1)
    )
    with pytest.raises(Conflict) as exc:
        registration_substitute(acting_user=None, registration=registration, attendee=attendee())
    assert exc.value.code == "substitution_closed"


def test_check_in_is_idempotent_and_only_for_confirmed(convening, member_ecosystem):
    registration = register(convening, member_ecosystem)
    first = registration_check_in(acting_user=None, registration=registration)
    again = registration_check_in(acting_user=None, registration=registration)
    assert first.checked_in_at == again.checked_in_at is not None
    with pytest.raises(Conflict):
        registration_cancel(acting_user=None, registration=registration)
    undone = registration_check_in(acting_user=None, registration=registration, undo=True)
    assert undone.checked_in_at is None
    registration_cancel(acting_user=None, registration=registration)
    with pytest.raises(Conflict):
        registration_check_in(acting_user=None, registration=registration)


def test_database_refuses_a_third_included_seat(convening, member_ecosystem):
    register(convening, member_ecosystem)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            convening=convening,
            ecosystem=member_ecosystem,
            attendee_name="X",
            attendee_email="x@example.org",
            status="confirmed",
            seat_kind="included",
            seat_no=1,
        )


def test_onboarding_checks(convening, member_ecosystem):
    from members.onboarding import automatic_progress

    orientation = SessionFactory(convening=convening, is_orientation=True)
    registration = register(convening, member_ecosystem, session_ids=[orientation.pk])
    progress = automatic_progress([member_ecosystem.pk])
    assert progress["first_convening"] == {member_ecosystem.pk}
    assert progress["orientation_attended"] == set()
    registration_check_in(acting_user=None, registration=registration)
    assert automatic_progress([member_ecosystem.pk])["orientation_attended"] == {
        member_ecosystem.pk
    }
