"""One item of each kind of work that waits for staff and stewards (issue 28)."""

from __future__ import annotations

from django.contrib.auth.models import Group

from elections.models import Nomination
from members.models import Invoice, ScholarshipApplication
from tests.elections.factories import ContestFactory
from tests.factories import EcosystemFactory, UserFactory, make_lead, open_dues_invoice
from tests.governance.factories import PracticeGroupFactory
from tests.members.factories_services import JoinApplicationFactory, make_request


def staff_and_steward(**kwargs):
    """A staff member who is also on the Stewardship team: every kind is theirs."""
    user = UserFactory(is_staff=True, **kwargs)
    user.groups.add(*Group.objects.filter(name__in=["TIES staff", "Stewardship team"]))
    return user


def one_of_each(n: int = 1) -> None:
    """`n` of each waiting kind: scholarship application, service request, join
    application, flagged invoice, nomination accepted by the nominee, practice group
    proposal."""
    for _ in range(n):
        ecosystem = EcosystemFactory(status="active")
        lead = make_lead(ecosystem)
        invoice = open_dues_invoice(ecosystem)
        ScholarshipApplication.objects.create(
            invoice=invoice,
            ecosystem=ecosystem,
            requested_cents=100000,
            narrative="A small budget this year.",
            submitted_by=lead,
        )
        make_request(ecosystem, lead)
        JoinApplicationFactory()
        Invoice.objects.filter(pk=invoice.pk).update(flagged=True, flag_reason="Mismatch")
        Nomination.objects.create(
            contest=ContestFactory(),
            nominee=lead,
            nominated_by=lead,
            ecosystem=ecosystem,
            nominee_ecosystem=ecosystem,
            statement="I will listen.",
            status=Nomination.Status.ACCEPTED,
        )
        PracticeGroupFactory(status="pending", ecosystem=ecosystem)
