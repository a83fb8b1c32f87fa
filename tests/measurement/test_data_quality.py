"""Data quality (issue 28): each indicator's bounds and type are enforced; an incomplete
report names and highlights every missing answer; the network dashboard opens on a year
with enough reports and counts its ecosystems in proper English."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from measurement.models import Indicator, IndicatorReport
from measurement.services import indicator_report_save
from slecop.errors import DomainError
from tests.factories import EcosystemFactory, make_lead
from tests.measurement.factories import full_input, post_data, submitted_report

pytestmark = pytest.mark.django_db


def report_url(ecosystem, year):
    return reverse("measurement:report", kwargs={"ecosystem": ecosystem.slug, "year": year})


def test_an_indicator_defined_as_0_to_7_refuses_60_in_the_form(lead_client, ecosystem, year):
    sectors = Indicator.objects.get(code="partner-sectors")
    assert sectors.bounds == (0, 7)
    data = post_data(full_input(), submit=False)
    data["value_partner-sectors"] = "60"
    response = lead_client.post(report_url(ecosystem, year), data)
    assert response.status_code == 400
    assert "less than or equal to 7" in response.content.decode()
    assert not IndicatorReport.objects.exists()
    data["value_partner-sectors"] = "7"
    assert lead_client.post(report_url(ecosystem, year), data).status_code == 302


@pytest.mark.parametrize(("field", "raw"), [("values", "60"), ("values", "-1"), ("goals", "8")])
def test_an_indicator_defined_as_0_to_7_refuses_out_of_range_in_the_service(
    lead, ecosystem, year, field, raw
):
    data = full_input()
    getattr(data, field)["partner-sectors"] = raw
    with pytest.raises(DomainError) as refused:
        indicator_report_save(acting_user=lead, ecosystem=ecosystem, year=year, data=data)
    assert refused.value.field.endswith("partner-sectors")
    assert not IndicatorReport.objects.exists()


def test_an_indicator_range_set_by_staff_is_enforced(lead, ecosystem, year):
    Indicator.objects.filter(code="partners-equity-policies").update(min_value=10, max_value=50)
    data = full_input()
    data.values["partners-equity-policies"] = "60"  # a valid percentage, outside its range
    with pytest.raises(DomainError, match="from 10 to 50"):
        indicator_report_save(acting_user=lead, ecosystem=ecosystem, year=year, data=data)


def test_an_incomplete_report_lists_and_highlights_every_missing_answer(
    lead_client, ecosystem, year
):
    data = full_input()
    required = [i for i in Indicator.objects.filter(active=True) if i.kind != "text"]
    assert len(required) > 5
    for indicator in required:
        data.values[indicator.code] = ""
    response = lead_client.post(report_url(ecosystem, year), post_data(data, submit=True))
    assert response.status_code == 400
    html = response.content.decode()
    alert = re.search(r'<div class="form-errors" role="alert">(.*?)</div>', html, re.S).group(1)
    assert f"Missing ({len(required)})" in alert
    for indicator in required:
        assert escape(indicator.name) in alert, indicator.name
    assert html.count('class="indicator has-error"') == len(required)


def _reports(year: int, n: int):
    for _ in range(n):
        submitted_report(EcosystemFactory(), year, {"partner-organizations": 12})


def test_the_network_dashboard_opens_on_the_latest_year_with_enough_reports(client, year):
    _reports(year - 2, 6)
    _reports(year - 1, 1)
    client.force_login(make_lead(EcosystemFactory()))
    html = client.get(reverse("measurement:network")).content.decode()
    assert f"Showing {year - 2}: 6 ecosystems with a submitted report" in html
    html = client.get(reverse("measurement:network"), {"year": year - 1}).content.decode()
    assert f"Showing {year - 1}: 1 ecosystem with a submitted report" in html
    assert "1 ecosystems" not in html
