"""The network dashboard and CSV: suppression on every output, constant queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.counting import count_builds
from tests.factories import EcosystemFactory, make_lead, region
from tests.measurement.factories import bulk_network, submitted_report

pytestmark = pytest.mark.django_db

SECRET = 7331  # a value only a small group reports; it must never leak


@pytest.fixture
def small_region():
    """Four western ecosystems, one reporting a distinctive count."""
    west = region("west")
    ecosystems = [EcosystemFactory(region=west) for _ in range(4)]
    for i, eco in enumerate(ecosystems):
        submitted_report(
            eco,
            2024,
            {
                "partner-organizations": SECRET if i == 0 else 10 + i,
                "partners-in-design": 4,
                "common-vision": 1,
                "communication-systems": 3,
                "partners-equity-policies": 73.3,
            },
        )
    return ecosystems


def _csv(response) -> list[dict]:
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_groups_under_five_are_suppressed_on_every_chart_table_and_csv(client, small_region):
    lead = make_lead(small_region[1])
    client.force_login(lead)
    page = client.get(reverse("measurement:network"), {"year": 2024})
    html = page.content.decode()
    assert page.status_code == 200
    assert str(SECRET) not in html and "7,331" not in html and "73.3" not in html
    assert "Suppressed: fewer than 5 ecosystems" in html
    assert "suppressed (fewer than 5 ecosystems)" in html  # reporting rate and heat map
    assert "n=4" not in html

    rows = _csv(client.get(reverse("measurement:network_csv"), {"year": 2024}))
    assert rows and all(r["suppressed"] == "yes" for r in rows)
    assert all(r["median"] == r["p25"] == r["mean"] == "" for r in rows)
    assert all(r["ecosystems"] == "<5" for r in rows)
    assert str(SECRET) not in str(rows)

    own = client.get(
        reverse("measurement:dashboard", kwargs={"ecosystem": small_region[1].slug})
    ).content.decode()
    assert str(SECRET) not in own and "7,331" not in own
    assert "suppressed (fewer than 5 ecosystems)" in own


def test_a_fifth_ecosystem_unlocks_the_aggregate(client, small_region):
    fifth = EcosystemFactory(region=region("west"))
    submitted_report(fifth, 2024, {"partner-organizations": 15})
    client.force_login(make_lead(fifth))
    rows = _csv(client.get(reverse("measurement:network_csv"), {"year": 2024, "region": "west"}))
    partners = next(r for r in rows if r["indicator_code"] == "partner-organizations")
    assert partners["ecosystems"] == "5" and partners["suppressed"] == "no"
    assert float(partners["median"]) == 13.0  # 11 12 13 15 7331
    design = next(r for r in rows if r["indicator_code"] == "partners-in-design")
    assert design["suppressed"] == "yes"  # only four rated it


def test_invalid_filters_are_a_400_not_a_500(client, small_region):
    client.force_login(make_lead(small_region[0]))
    assert client.get(reverse("measurement:network"), {"region": "atlantis"}).status_code == 400
    assert client.get(reverse("measurement:network_csv"), {"year": "x"}).status_code == 400


def _queries(client, url, params=None) -> int:
    """Queries of a cold view (the cache emptied first): what must not grow with the
    network."""
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_constant_queries_for_10_and_1000_ecosystems(client, steward_user):
    client.force_login(steward_user)
    network, csv_url = reverse("measurement:network"), reverse("measurement:network_csv")
    ecosystems = bulk_network(10)
    lead = make_lead(ecosystems[0])
    filtered = {"year": 2023, "region": "south", "cohort": 2020}
    small = (_queries(client, network), _queries(client, csv_url))
    small_filtered = _queries(client, network, filtered)
    client.force_login(lead)
    own_url = reverse("measurement:dashboard", kwargs={"ecosystem": ecosystems[0].slug})
    small_own = _queries(client, own_url)
    bulk_network(990)
    assert _queries(client, own_url) == small_own
    client.force_login(steward_user)
    assert (_queries(client, network), _queries(client, csv_url)) == small
    assert _queries(client, network, filtered) == small_filtered
    print(f"network dashboard: {small[0]} queries, csv {small[1]}, lead dashboard {small_own}")


def test_network_page_shows_charts_for_a_big_enough_network(client, steward_user):
    bulk_network(30)
    client.force_login(steward_user)
    html = client.get(reverse("measurement:network")).content.decode()
    assert html.count("<svg") > 10
    assert "Reports by ecosystem" in html
    assert 'role="img"' in html and "<desc>" in html


def test_the_cached_network_page_follows_a_new_report(client, small_region):
    """The charts are a fragment cached per selection: a fifth report (a save, which bumps
    the measurement version) must unlock the aggregate on the very next view."""
    client.force_login(make_lead(small_region[0]))
    url, params = reverse("measurement:network"), {"year": 2024, "region": "west"}

    def body():  # the charts and tables, after the filters (the page's CSRF token varies)
        return client.get(url, params).content.decode().partition("<p>Showing 2024")[2]

    before = body()
    with CaptureQueriesContext(connection) as warm:
        assert body() == before
    assert "Suppressed: fewer than 5 ecosystems" in before
    assert not any("measurement_indicatorvalue" in q["sql"] for q in warm.captured_queries)
    fifth = EcosystemFactory(region=region("west"))
    submitted_report(fifth, 2024, {"partner-organizations": 15, "partners-in-design": 4})
    after = body()
    assert after != before and "n=5" in after


def test_the_cached_filter_form_follows_new_years_and_each_query(client, small_region):
    client.force_login(make_lead(small_region[0]))
    url = reverse("measurement:network")
    assert '<option value="2025"' not in client.get(url).content.decode()
    submitted_report(small_region[0], 2025, {"partners-in-design": 3})
    assert '<option value="2025"' in client.get(url).content.decode()
    bad = client.get(url, {"region": "atlantis"})
    assert bad.status_code == 400 and "errorlist" in bad.content.decode()
    assert "errorlist" not in client.get(url, {"region": "west"}).content.decode()


def test_a_lead_s_repeat_view_reads_only_who_they_are(client, small_region):
    """Warm, a lead's network page costs the session's user and the lead's role: the
    regions, attributes and indicators are kept, and no permission lookup runs for the
    staff-only link."""
    client.force_login(make_lead(small_region[0]))
    url = reverse("measurement:network")
    client.get(url)
    with CaptureQueriesContext(connection) as warm:
        html = client.get(url).content.decode()
    assert len(warm) <= 2, [q["sql"][:60] for q in warm.captured_queries]
    assert "Reports by ecosystem" not in html


def test_retiring_or_renaming_a_definition_shows_on_the_next_view(client, small_region, staff_user):
    from django.contrib.admin.sites import site

    from measurement.models import Attribute, Indicator

    client.force_login(make_lead(small_region[0]))
    url = reverse("measurement:network")
    indicator = Indicator.objects.get(code="partners-in-design")
    assert indicator.name in client.get(url).content.decode()
    admin = site._registry[Indicator]
    request = type("Request", (), {"user": staff_user, "_messages": None})()
    admin.message_user = lambda *args, **kwargs: None
    admin.retire(request, Indicator.objects.filter(pk=indicator.pk))  # a bulk update
    assert indicator.name not in client.get(url).content.decode()
    attribute = Attribute.objects.first()
    attribute.name = "Cross-sector partnerships (renamed)"
    attribute.save()
    assert "Cross-sector partnerships (renamed)" in client.get(url).content.decode()


def test_a_warm_view_does_not_load_the_dashboard_data(client, small_region, monkeypatch):
    """The charts and tables come from their fragment: the cached aggregates are not even
    read (unpickling them cost several milliseconds a view)."""
    from measurement import selectors

    client.force_login(make_lead(small_region[0]))
    url = reverse("measurement:network")
    first = client.get(url, {"year": 2024}).content.decode()
    loads = []
    real = selectors.network_dashboard
    monkeypatch.setattr(
        selectors, "network_dashboard", lambda *a, **k: loads.append(1) or real(*a, **k)
    )
    again = client.get(url, {"year": 2024}).content.decode()
    assert loads == []
    assert again.partition("<p>Showing 2024")[2] == first.partition("<p>Showing 2024")[2]
    client.get(url, {"year": 2024, "region": "west"})  # another selection: read once
    assert loads == [1]


def test_a_warm_view_without_a_query_builds_no_form(client, small_region, monkeypatch):
    """Without a query the filter form comes from its fragment: neither the form nor the
    cohorts it lists are built."""
    from measurement import selectors, views

    client.force_login(make_lead(small_region[0]))
    url = reverse("measurement:network")
    first = client.get(url).content.decode()
    cohorts, real_cohorts = [], selectors.cohorts
    built = count_builds(monkeypatch, views, "NetworkFilterForm")
    monkeypatch.setattr(selectors, "cohorts", lambda: cohorts.append(1) or real_cohorts())
    again = client.get(url).content.decode()
    assert built == [] and cohorts == []
    assert again.partition('<form method="get"')[2] == first.partition('<form method="get"')[2]
    # a query is always read and checked
    assert client.get(url, {"region": "atlantis"}).status_code == 400
    assert built == [1] and cohorts == [1]


@pytest.mark.parametrize("query", [{}, {"year": 2024, "region": "west"}, {"region": "atlantis"}])
def test_a_warm_view_serves_the_same_page(client, small_region, query):
    """Warm, the page's filters, charts and tables come from the cache, the same as
    drawn. A bad query is still a 400."""
    client.force_login(make_lead(small_region[0]))
    url = reverse("measurement:network")
    first = client.get(url, query)
    again = client.get(url, query)
    assert again.status_code == first.status_code == (400 if "atlantis" in str(query) else 200)
    main = again.content.decode().partition('<form method="get"')[2]
    assert main == first.content.decode().partition('<form method="get"')[2]
