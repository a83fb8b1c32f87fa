"""The demo library: plausible, varied, idempotent and independent of the network's size."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from resources.demo import SPECS
from resources.models import Resource, ResourceVersion, Topic

pytestmark = pytest.mark.django_db


def _counts():
    return (Resource.objects.count(), ResourceVersion.objects.count(), Topic.objects.count())


def test_seed_demo_builds_the_library_once(stored_files):
    out = StringIO()
    call_command("seed_demo", "--ecosystems", "3", stdout=out)
    first = _counts()
    files = stored_files()
    call_command("seed_demo", "--ecosystems", "6", "--quiet")
    assert _counts() == first and stored_files() == files
    assert "library resources" in out.getvalue()

    assert first[0] == len(SPECS) >= 40
    kinds = Counter(Resource.objects.values_list("kind", flat=True))
    assert set(kinds) == set(Resource.Kind.values)
    assert set(Resource.objects.values_list("visibility", flat=True)) == set(
        Resource.Visibility.values
    )
    assert set(Resource.objects.values_list("attribute", flat=True)) == set(
        Resource.Attribute.values
    )
    assert Resource.objects.filter(is_published=False).exists()
    assert Resource.objects.filter(is_featured=True).exists()
    assert len(files) == first[1]  # one stored file per version
    assert not Resource.objects.filter(
        is_published=True, current_version__isnull=True, external_url=""
    ).exists()
    upcoming = Resource.objects.filter(kind="grant", deadline__gte=timezone.localdate())
    assert upcoming.count() >= 3


def test_public_demo_files_download_whole(stored_files):
    call_command("seed_demo", "--ecosystems", "2", "--quiet")
    client = Client()
    for resource in Resource.objects.filter(visibility="public", is_published=True).exclude(
        current_version=None
    ):
        response = client.get(resource.get_download_url())
        assert response.status_code == 200, resource
        body = b"".join(response.streaming_content)
        assert len(body) == resource.current_version.size_bytes
