"""Add-on services (issue 10): the seeded catalog, a lead's requests, staff triage, emails
at each step, and an accepted fee invoiced and paid exactly once through the dues path."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.catalogue import services as addons
from members.models import (
    AuditEntry,
    Invoice,
    Payment,
    Service,
    ServiceRequest,
    ServiceRequestEvent,
)
from slecop.errors import Conflict, DomainError
from tests.factories import UserFactory, pay_invoice
from tests.members.dues_helpers import checkout_event, deliver, simulated_session
from tests.members.factories_services import (
    catalog,
    free_service,
    make_request,
    quote_service,
)

pytestmark = pytest.mark.django_db


def kinds(request: ServiceRequest) -> list[str]:
    return list(request.events.values_list("kind", flat=True))


# --- catalog ------------------------------------------------------------------------------


def test_catalog_is_seeded_with_the_seed_services():
    assert Service.objects.count() == 11
    assert set(Service.objects.values_list("category", flat=True)) == {
        "data",
        "design",
        "grants",
        "leadership",
        "technical",
        "future",
    }
    future = Service.objects.filter(availability="future")
    assert {s.slug for s in future} == {
        "microcertifications",
        "equity-training",
        "funders-meetings",
    }
    assert catalog("design-studio").fee_cents == 250_000
    assert catalog("lead-stem").pricing == "fixed"
    assert catalog("customized-data-analysis").pricing == "quote"
    assert free_service().fee_cents is None


def test_public_catalog_page_shows_prices_and_planned_services(client):
    response = client.get(reverse("members:catalogue"))
    assert response.status_code == 200
    html = response.content.decode()
    # the starting catalog's fees and "free" are labelled as examples (issue 28)
    for text in (
        "Design studio",
        "Example: 2,500.00 USD",
        "Priced by quote",
        "Example: free for members",
    ):
        assert text in html
    assert "Potential future initiatives" in html and "Microcertifications" in html
    assert "Request this service" not in html  # anonymous visitors


def test_catalog_links_a_lead_to_the_request_form(client, ecosystem, lead):
    client.force_login(lead)
    html = client.get(reverse("members:catalogue")).content.decode()
    url = reverse("members:catalogue_request_new", kwargs={"ecosystem": ecosystem.slug})
    assert f"{url}?service=design-studio" in html


# --- requesting -----------------------------------------------------------------------------


def new_url(ecosystem):
    return reverse("members:catalogue_request_new", kwargs={"ecosystem": ecosystem.slug})


def test_lead_requests_a_service_and_staff_and_leads_are_emailed(
    client, ecosystem, lead, mailoutbox, django_capture_on_commit_callbacks, settings
):
    client.force_login(lead)
    assert client.get(new_url(ecosystem) + "?service=design-studio").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            new_url(ecosystem),
            {"service": "design-studio", "need": "Summer design studio", "preferred_timing": "May"},
        )
    request = ServiceRequest.objects.get()
    assert response.status_code == 302 and response.url == request.get_absolute_url()
    assert (request.status, request.requested_by, request.fee_cents) == ("requested", lead, None)
    assert kinds(request) == ["requested"]
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [lead.email, settings.STAFF_NOTIFICATION_EMAIL]
    )
    staff_mail = next(m for m in mailoutbox if m.to == [settings.STAFF_NOTIFICATION_EMAIL])
    assert (
        ecosystem.name in staff_mail.subject and "/admin/members/servicerequest/" in staff_mail.body
    )
    assert staff_mail.alternatives  # HTML part too


def test_members_and_outsiders_cannot_request(client, ecosystem, member, other_lead):
    for user in (member, other_lead):
        client.force_login(user)
        response = client.post(new_url(ecosystem), {"service": "design-studio", "need": "x"})
        assert response.status_code == 403
    assert not ServiceRequest.objects.exists()


@pytest.mark.parametrize(
    "data, field",
    [
        ({"service": "microcertifications", "need": "x"}, "service"),  # planned only
        ({"service": "no-such-service", "need": "x"}, "service"),
        ({"service": "design-studio", "need": ""}, "need"),
        ({"service": "design-studio", "need": "x" * 5001}, "need"),
    ],
)
def test_bad_requests_are_form_errors(client, ecosystem, lead, data, field):
    client.force_login(lead)
    response = client.post(new_url(ecosystem), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not ServiceRequest.objects.exists()


def test_a_second_pending_request_for_the_same_service_is_refused(client, ecosystem, lead):
    make_request(ecosystem, lead)
    client.force_login(lead)
    response = client.post(new_url(ecosystem), {"service": "design-studio", "need": "again"})
    assert response.status_code == 400
    assert "waiting for review" in str(response.context["form"].errors["service"])
    assert ServiceRequest.objects.count() == 1


def test_service_not_yet_available_or_ecosystem_not_a_member_is_refused(ecosystem, lead):
    with pytest.raises(Conflict):
        make_request(ecosystem, lead, catalog("funders-meetings"))
    ecosystem.status = "withdrawn"
    ecosystem.save()
    with pytest.raises(Conflict) as exc:
        make_request(ecosystem, lead)
    assert exc.value.code == "not_member"


# --- triage ----------------------------------------------------------------------------------


def test_accepting_a_fixed_fee_opens_a_service_invoice(
    ecosystem, lead, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = make_request(ecosystem, lead)
    with django_capture_on_commit_callbacks(execute=True):
        addons.service_request_accept(acting_user=staff_user, request=request, note="See you soon")
    request.refresh_from_db()
    invoice = request.invoice
    assert (request.status, request.fee_cents) == ("accepted", 250_000)
    assert (invoice.kind, invoice.status, invoice.total_cents) == ("service", "open", 250_000)
    assert invoice.ecosystem == ecosystem and invoice.due_date > timezone.localdate()
    assert list(invoice.lines.values_list("kind", "amount_cents")) == [("service", 250_000)]
    assert kinds(request) == ["requested", "accepted"]
    entry = AuditEntry.objects.get(action="service_request.accepted")
    assert entry.after["fee_cents"] == 250_000 and entry.after["invoice"] == invoice.number
    mail = mailoutbox[-1]
    assert mail.to == [lead.email] and "Accepted" in mail.subject
    assert "2,500.00 USD" in mail.body and invoice.get_absolute_url() in mail.body


def test_a_quote_needs_a_fee_and_a_free_service_has_none(ecosystem, lead, staff_user):
    quoted = make_request(ecosystem, lead, quote_service())
    with pytest.raises(DomainError) as exc:
        addons.service_request_accept(acting_user=staff_user, request=quoted)
    assert exc.value.field == "fee_cents"
    addons.service_request_accept(acting_user=staff_user, request=quoted, fee_cents=80_000)
    quoted.refresh_from_db()
    assert quoted.invoice.total_cents == 80_000

    free = make_request(ecosystem, lead, free_service())
    with pytest.raises(DomainError):
        addons.service_request_accept(acting_user=staff_user, request=free, fee_cents=100)
    addons.service_request_accept(acting_user=staff_user, request=free)
    free.refresh_from_db()
    assert (free.status, free.fee_cents, free.invoice) == ("accepted", 0, None)


def test_schedule_assign_complete_each_emails_and_adds_history(
    ecosystem, lead, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = make_request(ecosystem, lead, free_service())
    day = timezone.localdate() + timedelta(days=20)
    colleague = UserFactory(is_staff=True, email="colleague@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        addons.service_request_accept(acting_user=staff_user, request=request)
        addons.service_request_assign(
            acting_user=staff_user, request=request, staff_member=colleague
        )
        addons.service_request_schedule(acting_user=staff_user, request=request, scheduled_for=day)
        addons.service_request_complete(acting_user=staff_user, request=request, note="Done!")
    request.refresh_from_db()
    assert (request.status, request.scheduled_for, request.assigned_to) == (
        "completed",
        day,
        colleague,
    )
    assert kinds(request) == ["requested", "accepted", "assigned", "scheduled", "completed"]
    subjects = [m.subject for m in mailoutbox]
    assert len(subjects) == 4  # one per step (the request was made before capturing)
    assigned = next(m for m in mailoutbox if "assigned" in m.subject)
    assert sorted(assigned.to) == sorted([lead.email, colleague.email])


def test_transitions_out_of_order_are_refused(ecosystem, lead, staff_user):
    request = make_request(ecosystem, lead)
    day = timezone.localdate()
    with pytest.raises(Conflict):
        addons.service_request_schedule(acting_user=staff_user, request=request, scheduled_for=day)
    with pytest.raises(Conflict):
        addons.service_request_complete(acting_user=staff_user, request=request)
    with pytest.raises(DomainError):  # not staff
        addons.service_request_assign(acting_user=staff_user, request=request, staff_member=lead)
    addons.service_request_accept(acting_user=staff_user, request=request)
    with pytest.raises(Conflict):
        addons.service_request_accept(acting_user=staff_user, request=request)
    with pytest.raises(Conflict):
        addons.service_request_withdraw(acting_user=lead, request=request)


def test_declining_voids_the_unpaid_invoice_but_a_paid_fee_must_be_refunded_first(
    ecosystem, lead, staff_user
):
    request = make_request(ecosystem, lead)
    addons.service_request_accept(acting_user=staff_user, request=request)
    request.refresh_from_db()
    with pytest.raises(DomainError):
        addons.service_request_decline(acting_user=staff_user, request=request, reason=" ")
    addons.service_request_decline(acting_user=staff_user, request=request, reason="No capacity")
    request.refresh_from_db()
    assert request.status == "declined" and request.invoice.status == "void"
    assert AuditEntry.objects.filter(action="service_request.declined").exists()

    paid = make_request(ecosystem, lead)
    addons.service_request_accept(acting_user=staff_user, request=paid)
    paid.refresh_from_db()
    pay_invoice(paid.invoice)
    with pytest.raises(Conflict):
        addons.service_request_decline(acting_user=staff_user, request=paid, reason="Too late")
    paid.refresh_from_db()
    assert paid.status == "accepted" and paid.invoice.status == "paid"


def test_lead_withdraws_a_pending_request(client, ecosystem, lead):
    request = make_request(ecosystem, lead)
    client.force_login(lead)
    url = reverse(
        "members:catalogue_request_withdraw", kwargs={"ecosystem": ecosystem.slug, "pk": request.pk}
    )
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    request.refresh_from_db()
    assert request.status == "withdrawn" and kinds(request)[-1] == "withdrawn"
    client.post(url)  # again: a message, no error page, nothing changes
    assert request.events.count() == 2


# --- paying the fee --------------------------------------------------------------------------


@pytest.mark.usefixtures("simulator")
def test_accepted_fee_paid_by_card_settles_once_and_is_noted_in_the_history(
    client, ecosystem, lead, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    request = make_request(ecosystem, lead)
    addons.service_request_accept(acting_user=staff_user, request=request)
    request.refresh_from_db()
    invoice = request.invoice
    session = simulated_session(invoice)
    payload = checkout_event(session)
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver(client, payload).status_code == 200
        assert deliver(client, payload).status_code == 200  # replayed delivery
        assert deliver(client, checkout_event(session)).status_code == 200  # new event id
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_cents) == ("paid", 250_000)
    assert Payment.objects.filter(invoice=invoice).count() == 1
    assert ServiceRequestEvent.objects.filter(request=request, kind="paid").count() == 1
    assert kinds(request) == ["requested", "accepted", "paid"]
    # the dues invoice is untouched: an unpaid service fee never costs good standing
    assert not Invoice.objects.filter(ecosystem=ecosystem, kind="dues").exists()


def test_lead_sees_status_fee_invoice_and_history(client, ecosystem, lead, staff_user, member):
    request = make_request(ecosystem, lead)
    addons.service_request_accept(acting_user=staff_user, request=request, note="<b>Welcome</b>")
    request.refresh_from_db()
    client.force_login(member)  # members see it too (read only)
    html = client.get(request.get_absolute_url()).content.decode()
    assert "Accepted" in html and request.invoice.number in html and "2,500.00" in html
    assert "&lt;b&gt;Welcome&lt;/b&gt;" in html and "Withdraw request" not in html
    dashboard = client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Design studio" in dashboard and "Fee to pay" in dashboard


def test_other_ecosystems_requests_are_404_not_leaked(client, ecosystem, lead, other_lead):
    request = make_request(ecosystem, lead)
    other = other_lead.ecosystem_roles.get().ecosystem
    client.force_login(other_lead)
    url = reverse(
        "members:catalogue_request_detail", kwargs={"ecosystem": other.slug, "pk": request.pk}
    )
    assert client.get(url).status_code == 404


def test_request_list_queries_do_not_grow_with_requests(
    client, ecosystem, lead, staff_user, django_assert_max_num_queries
):
    client.force_login(lead)
    url = reverse("members:catalogue_requests", kwargs={"ecosystem": ecosystem.slug})
    for service in Service.objects.filter(availability="active")[:3]:
        make_request(ecosystem, lead, service)
    with django_assert_max_num_queries(12) as few:
        assert client.get(url).status_code == 200
    for service in Service.objects.filter(availability="active")[3:]:
        request = make_request(ecosystem, lead, service)
        if service.pricing == "fixed":
            addons.service_request_accept(acting_user=staff_user, request=request)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
