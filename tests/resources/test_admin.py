"""TIES staff manage the library in the admin: add with a file, replace the file (a new
version), bulk publish / unpublish / feature, filters and search, delete."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import AuditEntry
from resources import samples
from resources.models import Resource

from .factories import ResourceFactory, TopicFactory, add_file

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "title": "Family STEM Night Toolkit",
        "summary": "Plan a family STEM night.",
        "body": "## Steps\n\n1. Book a room",
        "kind": "toolkit",
        "attribute": "teaching",
        "audience": "families",
        "visibility": "members",
        "currency": "USD",
        "version_note": "",
        "versions-TOTAL_FORMS": "0",
        "versions-INITIAL_FORMS": "0",
        "versions-MIN_NUM_FORMS": "0",
        "versions-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def test_ties_staff_hold_the_library_permissions(staff_user, steward_user):
    assert staff_user.has_perms(
        ["resources.add_resource", "resources.change_resource", "resources.delete_resource"]
    )
    assert steward_user.has_perm("resources.view_resource")
    assert not steward_user.has_perm("resources.change_resource")
    assert (
        Permission.objects.filter(
            group__name="TIES staff", content_type__app_label="resources"
        ).count()
        == 12
    )


def test_staff_add_a_toolkit_with_a_file_through_the_admin(staff_client, staff_user, stored_files):
    topic = TopicFactory(name="Family engagement", slug="family-engagement")
    response = staff_client.post(
        reverse("admin:resources_resource_add"),
        _form(
            topics=[topic.pk],
            is_published="on",
            owner=staff_user.pk,
            upload=SimpleUploadedFile("family-night.pdf", samples.pdf_bytes("Family night")),
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get()
    assert resource.slug == "family-stem-night-toolkit"
    assert resource.is_published and resource.owner == staff_user
    assert list(resource.topics.all()) == [topic]
    assert resource.current_version.filename == "family-night.pdf"
    assert stored_files() == [resource.current_version.file.name]
    assert AuditEntry.objects.filter(action="resource.version_added").count() == 1


def test_uploading_in_the_change_form_adds_a_version(staff_client, staff_user):
    resource = ResourceFactory(title="Kit", visibility="public")
    first = add_file(resource)
    url = reverse("admin:resources_resource_change", args=[resource.pk])
    assert staff_client.get(url).status_code == 200
    response = staff_client.post(
        url,
        _form(
            title="Kit",
            is_published="on",
            visibility="public",
            upload=SimpleUploadedFile("kit-2.pdf", samples.pdf_bytes("Kit 2")),
            version_note="Second edition",
            **{"versions-TOTAL_FORMS": "1", "versions-INITIAL_FORMS": "1"},
            **{
                "versions-0-id": str(first.pk),
                "versions-0-resource": resource.pk,
            },
        ),
    )
    assert response.status_code == 302, [
        (f.formset.errors, f.formset.non_form_errors())
        for f in response.context["inline_admin_formsets"]
    ]
    resource.refresh_from_db()
    assert list(resource.versions.values_list("number", flat=True)) == [2, 1]
    assert resource.current_version.note == "Second edition"
    assert resource.slug.startswith("library-resource-")  # the address does not change


def test_publishing_an_empty_resource_is_refused_on_the_form(staff_client):
    response = staff_client.post(
        reverse("admin:resources_resource_add"), _form(body="", is_published="on")
    )
    assert response.status_code == 200
    assert "no file, link or description" in str(response.context["adminform"].form.errors)
    assert not Resource.objects.exists()


def test_grant_amounts_are_entered_in_dollars_and_stored_in_cents(staff_client):
    response = staff_client.post(
        reverse("admin:resources_resource_add"),
        _form(
            title="Innovation grants",
            kind="grant",
            funder="STEM Next",
            deadline="2031-03-01",
            amount_min_cents="25000",
            amount_max_cents="100000.50",
            external_url="https://funder.example.org",
        ),
    )
    assert response.status_code == 302
    grant = Resource.objects.get()
    assert (grant.amount_min_cents, grant.amount_max_cents) == (2_500_000, 10_000_050)


def test_bulk_actions_publish_unpublish_and_feature_through_the_services(staff_client):
    ready = [ResourceFactory(is_published=False, published_at=None) for _ in range(3)]
    empty = ResourceFactory(is_published=False, published_at=None, body="", title="Empty one")
    url = reverse("admin:resources_resource_changelist")
    ids = [str(r.pk) for r in [*ready, empty]]
    response = staff_client.post(url, {"action": "publish", "_selected_action": ids}, follow=True)
    messages = [str(m) for m in response.context["messages"]]
    assert "3 resources published." in messages
    assert any("Empty one" in m and "no file, link or description" in m for m in messages)
    assert Resource.objects.filter(is_published=True).count() == 3
    staff_client.post(url, {"action": "feature", "_selected_action": ids[:2]})
    assert Resource.objects.filter(is_featured=True).count() == 2
    staff_client.post(url, {"action": "unpublish", "_selected_action": ids})
    assert not Resource.objects.filter(is_published=True).exists()
    assert AuditEntry.objects.filter(action="resource.published").count() == 3


def test_changelist_filters_and_search(staff_client):
    ResourceFactory(title="Robotics grant", kind="grant", funder="NSF")
    ResourceFactory(title="Family kit", visibility="staff")
    url = reverse("admin:resources_resource_changelist")
    assert staff_client.get(url, {"q": "NSF"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"visibility__exact": "staff"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"kind__exact": "grant"}).context["cl"].result_count == 1


def test_delete_in_the_admin_goes_through_the_service(
    staff_client, stored_files, django_capture_on_commit_callbacks
):
    resource = ResourceFactory()
    add_file(resource)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("admin:resources_resource_delete", args=[resource.pk]), {"post": "yes"}
        )
    assert response.status_code == 302
    assert not Resource.objects.exists() and stored_files() == []
    assert AuditEntry.objects.filter(action="resource.deleted").exists()


def test_a_member_cannot_reach_the_admin(client, member):
    client.force_login(member)
    response = client.get(reverse("admin:resources_resource_changelist"))
    assert response.status_code in (302, 403)
