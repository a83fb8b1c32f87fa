"""Pages: public list/detail, the lead's registrations page, registering (with the paid
seat offer), cancel, substitute; staff check-in, CSV, badges, counts; query counts."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from convenings.models import Convening, Registration
from tests.convenings.factories import ConveningFactory, SessionFactory, attendee, register
from tests.factories import EcosystemFactory, make_in_good_standing, make_lead, region

pytestmark = pytest.mark.django_db


def _lead_page(ecosystem):
    return reverse("convenings:ecosystem_registrations", kwargs={"ecosystem": ecosystem.slug})


def _register_url(ecosystem, convening):
    return reverse(
        "convenings:register", kwargs={"ecosystem": ecosystem.slug, "slug": convening.slug}
    )


def _form(name="Ana Ruiz", email="ana@example.org", **extra):
    return {
        "attendee_name": name,
        "attendee_email": email,
        "attendee_role": "Director",
        "dietary_needs": "",
        "accessibility_needs": "",
        **extra,
    }


def test_public_list_and_detail(client, convening):
    ConveningFactory(published=False, title="Secret draft")
    page = client.get(reverse("convenings:list"))
    assert convening.title in page.text and "Secret draft" not in page.text
    detail = client.get(convening.get_absolute_url())
    assert detail.status_code == 200 and "100 / 100" in detail.text
    assert client.get("/convenings/no-such-thing/").status_code == 404


def test_lead_registers_two_then_is_told_no_extra_seats(lead_client, member_ecosystem, convening):
    url = _register_url(member_ecosystem, convening)
    assert lead_client.get(url).status_code == 200
    response = lead_client.post(url, _form())
    assert response.status_code == 302 and response.url == _lead_page(member_ecosystem)
    lead_client.post(url, _form("Bo Chen", "bo@example.org"))
    third = lead_client.post(url, _form("Cy Diaz", "cy@example.org"))
    assert third.status_code == 200
    assert "no extra seats for sale" in third.text
    page = lead_client.get(_lead_page(member_ecosystem))
    assert "Included seats: 2 of 2 used, 0 left." in page.text


def test_paid_seat_is_offered_then_held_and_the_lead_sent_to_the_invoice(
    lead_client, member_ecosystem, simulator
):
    convening = ConveningFactory(extra_seat_cents=45_000)
    register(convening, member_ecosystem)
    register(convening, member_ecosystem)
    url = _register_url(member_ecosystem, convening)
    offered = lead_client.post(url, _form())
    assert offered.status_code == 200
    assert "An extra seat costs 450.00 USD" in offered.text
    assert 'name="accept_paid_seat" value="on"' in offered.text
    assert not Registration.objects.filter(attendee_email="ana@example.org").exists()
    held = lead_client.post(url, _form(accept_paid_seat="on"))
    registration = Registration.objects.get(attendee_email="ana@example.org")
    assert registration.status == "pending_payment"
    assert held.url == registration.invoice.get_absolute_url()


def test_register_form_errors_never_500(lead_client, member_ecosystem, convening):
    url = _register_url(member_ecosystem, convening)
    response = lead_client.post(url, _form(email="nope", sessions=["999999"]))
    assert response.status_code == 200
    assert not Registration.objects.exists()


def test_a_session_id_beyond_a_database_integer_is_a_form_error(
    lead_client, member_ecosystem, convening
):
    SessionFactory(convening=convening)  # the form has its sessions field
    url = _register_url(member_ecosystem, convening)
    response = lead_client.post(url, _form(sessions=[str(2**70)]))
    assert response.status_code == 200
    assert response.context["form"].has_error("sessions", "invalid_pk_value")
    assert not Registration.objects.exists()


def test_regional_convening_of_another_region_is_404_for_registering(lead_client, member_ecosystem):
    convening = ConveningFactory(kind=Convening.Kind.REGIONAL, region=region("west"))
    assert lead_client.get(_register_url(member_ecosystem, convening)).status_code == 404


def test_members_see_but_cannot_act(client, member_ecosystem, member, convening):
    registration = register(convening, member_ecosystem)
    client.force_login(member)
    assert client.get(_lead_page(member_ecosystem)).status_code == 200
    assert client.get(_register_url(member_ecosystem, convening)).status_code == 403
    cancel = reverse(
        "convenings:cancel", kwargs={"ecosystem": member_ecosystem.slug, "pk": registration.pk}
    )
    assert client.post(cancel).status_code == 403


def test_cancel_frees_the_seat(lead_client, member_ecosystem, convening):
    registration = register(convening, member_ecosystem)
    url = reverse(
        "convenings:cancel", kwargs={"ecosystem": member_ecosystem.slug, "pk": registration.pk}
    )
    assert lead_client.get(url).status_code == 405
    lead_client.post(url)
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    page = lead_client.get(_lead_page(member_ecosystem))
    assert "Included seats: 0 of 2 used, 2 left." in page.text


def test_cannot_cancel_another_ecosystems_registration(lead_client, member_ecosystem, convening):
    other = EcosystemFactory()
    make_in_good_standing(other)
    theirs = register(convening, other)
    url = reverse("convenings:cancel", kwargs={"ecosystem": member_ecosystem.slug, "pk": theirs.pk})
    assert lead_client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "confirmed"


def test_substitute(lead_client, member_ecosystem, convening):
    registration = register(convening, member_ecosystem)
    url = reverse(
        "convenings:substitute",
        kwargs={"ecosystem": member_ecosystem.slug, "pk": registration.pk},
    )
    assert lead_client.get(url).status_code == 200
    data = {f"new-{k}": v for k, v in _form("Dee Evans", "dee@example.org").items()}
    assert lead_client.post(url, data).status_code == 302
    registration.refresh_from_db()
    assert registration.attendee_name == "Dee Evans"


def _many_registrations(convening, n_ecosystems: int, lead_of=None):
    sessions = [SessionFactory(convening=convening, capacity=500) for _ in range(2)]
    for i in range(n_ecosystems):
        ecosystem = lead_of if (lead_of and i == 0) else None
        if ecosystem is None:
            ecosystem = EcosystemFactory()
            make_in_good_standing(ecosystem)
        for _ in range(2):
            register(convening, ecosystem, session_ids=[s.pk for s in sessions])


@pytest.mark.parametrize("n", [1, 6])
def test_lead_page_queries_are_constant(client, member_ecosystem, django_assert_max_num_queries, n):
    lead = make_lead(member_ecosystem)
    for _ in range(n):
        convening = ConveningFactory(included_seats=2)
        _many_registrations(convening, 1, lead_of=member_ecosystem)
    client.force_login(lead)
    with django_assert_max_num_queries(9):
        response = client.get(_lead_page(member_ecosystem))
    assert response.text.count("Confirmed") >= 2 * n


@pytest.mark.parametrize("n", [2, 12])
def test_check_in_search_queries_are_constant(
    client, staff_user, convening, django_assert_max_num_queries, n
):
    _many_registrations(convening, n)
    client.force_login(staff_user)
    url = reverse("convenings:check_in", kwargs={"slug": convening.slug})
    with django_assert_max_num_queries(8):
        response = client.get(url, {"q": "attendee"})
    assert response.status_code == 200
    assert response.text.count("Check in<span") == min(2 * n, 30)


def test_check_in_by_name_and_one_click(client, staff_user, convening, member_ecosystem):
    registration = register(convening, member_ecosystem, attendee=attendee("Zora Neale"))
    register(convening, member_ecosystem, attendee=attendee("Other Person"))
    client.force_login(staff_user)
    url = reverse("convenings:check_in", kwargs={"slug": convening.slug})
    page = client.get(url, {"q": "zora"})
    assert "Zora Neale" in page.text and "Other Person" not in page.text
    assert 'name="viewport"' in page.text  # phone-friendly base layout
    toggle = reverse(
        "convenings:check_in_toggle", kwargs={"slug": convening.slug, "pk": registration.pk}
    )
    response = client.post(toggle, {"q": "zora"})
    assert response.status_code == 302 and response.url.endswith("?q=zora")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    client.post(toggle, {"undo": "1"})
    registration.refresh_from_db()
    assert registration.checked_in_at is None


def test_staff_pages_need_permission(client, lead, convening):
    client.force_login(lead)
    for name in ("staff_overview", "check_in", "attendees_csv", "badges"):
        assert (
            client.get(reverse(f"convenings:{name}", kwargs={"slug": convening.slug})).status_code
            == 403
        )
    assert client.get(reverse("convenings:staff_list")).status_code == 403


def test_overview_counts_csv_and_badges(client, steward_user, convening, member_ecosystem):
    session = SessionFactory(convening=convening, title="New cohort reception")
    register(
        convening,
        member_ecosystem,
        attendee=attendee("=HYPERLINK(1)", "x@example.org"),
        session_ids=[session.pk],
    )
    client.force_login(steward_user)
    overview = client.get(reverse("convenings:staff_overview", kwargs={"slug": convening.slug}))
    assert "Northeast" in overview.text and "New cohort reception" in overview.text
    response = client.get(reverse("convenings:attendees_csv", kwargs={"slug": convening.slug}))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "Name" and rows[1][0] == "'=HYPERLINK(1)"
    assert rows[1][3] == member_ecosystem.name
    badges = client.get(reverse("convenings:badges", kwargs={"slug": convening.slug}))
    assert member_ecosystem.name in badges.text


def test_dashboard_panel(client, lead, member_ecosystem, convening, django_assert_max_num_queries):
    register(convening, member_ecosystem)
    client.force_login(lead)
    response = client.get(reverse("members:dashboard", kwargs={"ecosystem": member_ecosystem.slug}))
    assert convening.title in response.text
    assert "1 registration" in response.text


def test_lead_page_explains_when_included_seats_need_dues(client, ecosystem, convening):
    from tests.factories import make_lapsed

    make_lapsed(ecosystem)
    client.force_login(make_lead(ecosystem))
    page = client.get(_lead_page(ecosystem))
    assert "Included seats are a benefit of membership in good standing" in page.text
    refused = client.post(_register_url(ecosystem, convening), _form())
    assert refused.status_code == 200 and "settle your dues" in refused.text


def test_lead_page_counts_every_ecosystems_seats(lead_client, member_ecosystem):
    convening = ConveningFactory(capacity=10)
    other = EcosystemFactory()
    make_in_good_standing(other)
    register(convening, other)
    register(convening, other)
    register(convening, member_ecosystem)
    page = lead_client.get(_lead_page(member_ecosystem))
    assert "Included seats: 1 of 2 used, 1 left." in page.text
    assert "Seats left at the convening: 7." in page.text
