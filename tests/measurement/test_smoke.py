import pytest
from django.urls import reverse

from tests.measurement.factories import full_input, post_data

pytestmark = pytest.mark.django_db


def test_pages_render(lead_client, ecosystem, lead):
    year = 2026
    url = reverse("measurement:report", kwargs={"ecosystem": ecosystem.slug, "year": year})
    assert lead_client.get(url).status_code == 200
    r = lead_client.post(url, post_data(full_input(), submit=True))
    assert r.status_code == 302, r.content.decode()[:3000]
    r = lead_client.get(reverse("measurement:dashboard", kwargs={"ecosystem": ecosystem.slug}))
    assert r.status_code == 200
    assert b"<svg" in r.content
    r = lead_client.get(reverse("measurement:network"))
    assert r.status_code == 200
    r = lead_client.get(reverse("measurement:network_csv"))
    assert r.status_code == 200
    assert lead_client.get(reverse("measurement:indicator_list")).status_code == 200
    assert lead_client.get(url).status_code == 200
    assert lead_client.get(ecosystem.get_dashboard_url()).status_code == 200
