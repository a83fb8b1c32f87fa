"""Library pages: detail, safe downloads, Markdown, navigation and the grants panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from resources import samples
from resources.models import Resource
from tests.factories import make_in_good_standing, make_lapsed

from .factories import ResourceFactory, add_file

pytestmark = pytest.mark.django_db


def test_downloads_are_attachments_with_safe_headers(client):
    resource = ResourceFactory()
    add_file(resource, ContentFile(samples.pdf_bytes("Kit"), name='Our "kit" é.pdf'))
    response = client.get(resource.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''Our%20_kit_%20%C3%A9.pdf" in disposition
    assert '"kit"' not in disposition and "\n" not in disposition


def test_csv_and_images_are_served_with_their_checked_type(client):
    resource = ResourceFactory()
    add_file(resource, ContentFile(samples.csv_bytes([["a", "b"]]), name="data.csv"))
    response = client.get(resource.get_download_url())
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"] == 'attachment; filename="data.csv"'


def test_a_missing_file_is_a_404_not_a_500(client, stored_files):
    resource = ResourceFactory()
    version = add_file(resource)
    version.file.storage.delete(version.file.name)
    assert client.get(resource.get_download_url()).status_code == 404


def test_library_files_are_not_under_the_public_media_folder(settings):
    from pathlib import Path

    from resources.storage import private_media_root

    private = Path(private_media_root()).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert media not in private.parents and private != media


def test_detail_renders_markdown_safely(client):
    resource = ResourceFactory(
        body=(
            "# Getting started\n\nRead **this** first. <script>alert('x')</script>\n\n"
            "[Apply](https://funder.example.org) [bad](javascript:alert(1)) "
            '<img src="x" onerror="alert(1)">'
        )
    )
    html = client.get(resource.get_absolute_url()).content.decode()
    assert "<h2" in html and "Getting started</h2>" in html
    assert "<strong>this</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html
    assert 'href="https://funder.example.org" rel="noopener noreferrer nofollow"' in html


def test_detail_shows_grant_facts_and_related_resources(client):
    deadline = timezone.localdate() + timedelta(days=10)
    grant = ResourceFactory(
        title="Innovation grants",
        kind=Resource.Kind.GRANT,
        funder="STEM Next Opportunity Fund",
        deadline=deadline,
        amount_min_cents=2_500_000,
        amount_max_cents=10_000_000,
        external_url="https://funder.example.org",
        attribute="partnerships",
    )
    ResourceFactory(title="Partnership playbook", attribute="partnerships")
    ResourceFactory(title="Hidden playbook", attribute="partnerships", visibility="members")
    html = client.get(grant.get_absolute_url()).content.decode()
    assert "STEM Next Opportunity Fund" in html
    assert "25,000.00 to 100,000.00 USD" in html
    assert "Partnership playbook" in html and "Hidden playbook" not in html


def test_nav_has_the_library_for_everyone(client):
    html = client.get("/").content.decode()
    assert f'href="{reverse("resources:library")}"' in html and ">Library<" in html


def test_detail_runs_a_constant_number_of_queries(client, django_assert_max_num_queries):
    resource = ResourceFactory()
    for _ in range(5):
        add_file(resource)
    # resource, topics, versions, related
    with django_assert_max_num_queries(4):
        assert client.get(resource.get_absolute_url()).status_code == 200


# --- the "Grants closing soon" panel --------------------------------------------------------


def _grant(title, days, **kwargs):
    return ResourceFactory(
        title=title,
        kind=Resource.Kind.GRANT,
        deadline=timezone.localdate() + timedelta(days=days) if days is not None else None,
        funder="A funder",
        **kwargs,
    )


def test_dashboard_lists_grants_closing_soon_that_the_lead_may_see(client, ecosystem, lead):
    make_in_good_standing(ecosystem)
    _grant("Closes in a week", 7, amount_max_cents=500_000)
    _grant("Closes today", 0)
    _grant("Members grant", 20, visibility="members")
    _grant("Staff grant", 5, visibility="staff")
    _grant("Closed last week", -7)
    _grant("Far away", 200)
    _grant("Rolling", None)
    _grant("Unpublished", 3, is_published=False, published_at=None)
    client.force_login(lead)
    response = client.get(ecosystem.get_dashboard_url())
    [panel] = [p for p in response.context["panels"] if p["panel"].key == "grants"]
    titles = [g.title for g in panel["context"]["grants"]]
    assert titles == ["Closes today", "Closes in a week", "Members grant"]
    html = response.content.decode()
    assert "Grants closing soon" in html and "up to 5,000.00 USD" in html


def test_a_lapsed_ecosystem_sees_only_public_grants(client, ecosystem, lead):
    make_lapsed(ecosystem)
    _grant("Public grant", 7)
    _grant("Members grant", 8, visibility="members")
    client.force_login(lead)
    response = client.get(ecosystem.get_dashboard_url())
    [panel] = [p for p in response.context["panels"] if p["panel"].key == "grants"]
    assert [g.title for g in panel["context"]["grants"]] == ["Public grant"]


@pytest.mark.parametrize("count", [2, 30])
def test_grants_panel_runs_a_constant_number_of_queries(
    count, ecosystem, lead, django_assert_max_num_queries
):
    from resources.selectors import grants_panel_context

    make_in_good_standing(ecosystem)
    for i in range(count):
        _grant(f"Grant {i}", i % 50)
    lead.refresh_from_db()
    with django_assert_max_num_queries(2):  # good standing, the grants
        context = grants_panel_context(ecosystem=ecosystem, user=lead)
    assert len(context["grants"]) == min(count, 5)
