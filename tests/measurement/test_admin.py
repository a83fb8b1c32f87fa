"""The measurement admin: pages open, indicators can be added, reopening uses the service."""

from __future__ import annotations

import pytest
from django.urls import reverse

from measurement.models import Indicator, IndicatorReport
from measurement.services import indicator_report_save
from members.models import AuditEntry
from tests.measurement.factories import full_input

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(ecosystem, lead, year):
    return indicator_report_save(
        acting_user=lead, ecosystem=ecosystem, year=year, data=full_input(), submit=True
    )


def test_admin_pages_open_for_ties_staff(client, staff_user, report):
    client.force_login(staff_user)
    indicator = Indicator.objects.get(code="partner-organizations")
    for model, obj in [
        ("attribute", indicator.attribute),
        ("indicator", indicator),
        ("indicatorreport", report),
    ]:
        url = reverse(f"admin:measurement_{model}_changelist")
        assert client.get(url).status_code == 200, model
        assert client.get(url + "?q=partner").status_code == 200, model
        assert (
            client.get(reverse(f"admin:measurement_{model}_change", args=[obj.pk])).status_code
            == 200
        )
    page = client.get(reverse("admin:measurement_indicator_change", args=[indicator.pk]))
    assert 'name="kind"' not in page.content.decode()  # reported values fix the type
    filtered = (
        reverse("admin:measurement_indicatorreport_changelist")
        + f"?status=submitted&year={report.year}"
    )
    assert client.get(filtered).status_code == 200


def test_staff_add_a_rubric_indicator_only_with_its_four_levels(client, staff_user):
    client.force_login(staff_user)
    url = reverse("admin:measurement_indicator_add")
    data = {
        "attribute": Indicator.objects.first().attribute_id,
        "name": "Youth voice in governance",
        "code": "youth-voice",
        "kind": "rubric",
        "help_text": "",
        "order": 500,
        "active": "on",
        "rubric_1": "None",
        "rubric_2": "",
        "rubric_3": "",
        "rubric_4": "",
    }
    assert client.post(url, data).status_code == 200  # form error
    assert not Indicator.objects.filter(code="youth-voice").exists()
    data.update(rubric_2="Consulted", rubric_3="Seated", rubric_4="Leading")
    assert client.post(url, data).status_code == 302
    assert Indicator.objects.get(code="youth-voice").kind == "rubric"


def test_reopen_action_goes_through_the_service(client, staff_user, report):
    client.force_login(staff_user)
    response = client.post(
        reverse("admin:measurement_indicatorreport_changelist"),
        {"action": "reopen", "_selected_action": [report.pk]},
    )
    assert response.status_code == 302
    assert IndicatorReport.objects.get().status == "reopened"
    assert AuditEntry.objects.filter(action="measurement.report_reopen", actor=staff_user).exists()
