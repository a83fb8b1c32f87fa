"""The lead's pages: the report form, its errors, read-only views and access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from measurement.models import IndicatorReport
from measurement.services import indicator_report_save
from tests.factories import EcosystemFactory, UserFactory
from tests.measurement.factories import full_input, post_data

pytestmark = pytest.mark.django_db


def report_url(ecosystem, year):
    return reverse("measurement:report", kwargs={"ecosystem": ecosystem.slug, "year": year})


def dashboard_url(ecosystem):
    return reverse("measurement:dashboard", kwargs={"ecosystem": ecosystem.slug})


def test_lead_saves_a_draft_then_submits_through_the_form(lead_client, ecosystem, year):
    url = report_url(ecosystem, year)
    page = lead_client.get(url)
    assert page.status_code == 200
    assert "Save draft" in page.content.decode()

    data = full_input()
    data.values["employer-partners"] = ""
    response = lead_client.post(url, post_data(data, submit=False))
    assert response.status_code == 302
    report = IndicatorReport.objects.get()
    assert report.status == "draft"
    assert lead_client.get(url).content.decode().count('value="30"') >= 1  # kept on reload

    response = lead_client.post(url, post_data(data, submit=True))  # one blank: refused
    assert response.status_code == 400
    assert "Fill in every indicator" in response.content.decode()
    assert IndicatorReport.objects.get().status == "draft"

    response = lead_client.post(url, post_data(full_input(), submit=True), follow=True)
    assert response.redirect_chain[-1][0] == dashboard_url(ecosystem)
    assert IndicatorReport.objects.get().status == "submitted"
    assert "<svg" in response.content.decode()

    # A submitted report shows read-only, and a post is refused without changing it.
    page = lead_client.get(url).content.decode()
    assert "Save draft" not in page and "Partner organisations" in page
    response = lead_client.post(url, post_data(full_input(1), submit=True))
    assert response.status_code == 302
    assert (
        IndicatorReport.objects.get()
        .values.get(indicator__code="partner-organizations")
        .count_value
        == 30
    )


@pytest.mark.parametrize(
    ("field", "raw", "error"),
    [
        ("value_partners-equity-policies", "130", "less than or equal to 100"),
        ("value_partner-organizations", "twelve", "Enter a whole number"),
        ("value_partners-in-design", "7", "Select a valid choice"),
        ("goal_partners-in-design", "7", "less than or equal to 4"),
        ("value_governance-model", "perhaps", "Select a valid choice"),
    ],
)
def test_invalid_values_are_form_errors_and_change_nothing(
    lead_client, ecosystem, lead, year, field, raw, error
):
    indicator_report_save(acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(2))
    data = post_data(full_input(), submit=True)
    data[field] = raw
    response = lead_client.post(report_url(ecosystem, year), data)
    assert response.status_code == 400
    assert error in response.content.decode()
    report = IndicatorReport.objects.get()
    assert report.status == "draft"
    assert report.values.get(indicator__code="partner-organizations").count_value == 20


def test_another_ecosystems_lead_cannot_read_or_write_a_report(
    client, ecosystem, lead, other_lead, year
):
    indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(4), submit=True
    )
    client.force_login(other_lead)
    for url in (report_url(ecosystem, year), dashboard_url(ecosystem)):
        response = client.get(url)
        assert response.status_code == 403
        assert "What we learned" not in response.content.decode()
    assert (
        client.post(report_url(ecosystem, year), post_data(full_input(1), submit=False)).status_code
        == 403
    )
    reopen = reverse(
        "measurement:report_reopen", kwargs={"ecosystem": ecosystem.slug, "year": year}
    )
    assert client.post(reopen, {"reason": "x"}).status_code == 403
    assert IndicatorReport.objects.get().status == "submitted"


def test_member_reads_but_cannot_fill(client, ecosystem, lead, member, year):
    indicator_report_save(acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(2))
    client.force_login(member)
    page = client.get(report_url(ecosystem, year))
    assert page.status_code == 200 and "Save draft" not in page.content.decode()
    assert client.get(dashboard_url(ecosystem)).status_code == 200
    assert (
        client.post(report_url(ecosystem, year), post_data(full_input(4), submit=True)).status_code
        == 403
    )
    assert IndicatorReport.objects.get().status == "draft"


def test_anonymous_goes_to_sign_in(client, ecosystem, year):
    for url in (
        report_url(ecosystem, year),
        dashboard_url(ecosystem),
        reverse("measurement:network"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_years_outside_the_range_are_404(lead_client, ecosystem, year):
    assert lead_client.get(report_url(ecosystem, year + 1)).status_code == 404
    assert lead_client.get(report_url(ecosystem, 1999)).status_code == 404
    assert lead_client.get(report_url(ecosystem, 10**12)).status_code == 404
    assert not IndicatorReport.objects.exists()


def test_staff_reopen_from_the_report_page(client, ecosystem, lead, staff_user, year):
    indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(), submit=True
    )
    client.force_login(staff_user)
    page = client.get(report_url(ecosystem, year)).content.decode()
    assert "Reopen the report" in page
    reopen = reverse(
        "measurement:report_reopen", kwargs={"ecosystem": ecosystem.slug, "year": year}
    )
    client.post(reopen, {"reason": ""})
    assert IndicatorReport.objects.get().status == "submitted"
    client.post(reopen, {"reason": "Learner counts double-counted"})
    assert IndicatorReport.objects.get().status == "reopened"


def test_staff_report_list_is_for_staff_and_stewards(client, ecosystem, lead, steward_user, year):
    indicator_report_save(acting_user=lead, ecosystem=ecosystem, year=year, data=full_input())
    url = reverse("measurement:staff_reports")
    client.force_login(lead)
    assert client.get(url).status_code == 403
    client.force_login(steward_user)
    page = client.get(url, {"year": year, "status": "draft"})
    assert page.status_code == 200 and ecosystem.name in page.content.decode()
    assert client.get(url, {"year": "abc"}).status_code == 200
    EcosystemFactory(name="Quiet Valley STEM")
    page = client.get(url, {"year": year, "status": "missing"}).content.decode()
    assert "Quiet Valley STEM" in page and ecosystem.name not in page


def test_people_outside_the_network_cannot_see_the_network_dashboard(client):
    client.force_login(UserFactory())
    assert client.get(reverse("measurement:network")).status_code == 403
    assert client.get(reverse("measurement:network_csv")).status_code == 403


def test_panel_and_public_definitions(lead_client, ecosystem, year):
    page = lead_client.get(ecosystem.get_dashboard_url()).content.decode()
    assert "Ecosystem indicators" in page and report_url(ecosystem, year) in page
    definitions = lead_client.get(reverse("measurement:indicator_list")).content.decode()
    assert "Workforce and career trajectories" in definitions
    assert "Pathways track regional economic development plans" in definitions
