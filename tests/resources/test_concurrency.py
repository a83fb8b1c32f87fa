"""Concurrent writes on PostgreSQL: download counts are never lost and version numbers
never collide."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections

from resources import services
from resources.models import Resource, ResourceVersion
from tests.concurrency import run_concurrently

from .factories import ResourceFactory, add_file, pdf_upload

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 12


def test_concurrent_downloads_are_all_counted():
    resource = ResourceFactory()
    version = add_file(resource)

    def download(i):
        close_old_connections()
        services.resource_record_download(resource=resource, version=version)

    results = run_concurrently(download, N)
    assert all(r is None for r in results), results
    resource.refresh_from_db()
    version.refresh_from_db()
    assert resource.download_count == N and version.download_count == N


def test_the_race_is_real_without_an_atomic_update():
    """What the service avoids: read, add one, write back. With every reader done before
    any writer (as happens under load), all but one count are lost."""
    resource = ResourceFactory()
    all_read = threading.Barrier(N)

    def naive(i):
        row = Resource.objects.get(pk=resource.pk)
        all_read.wait(30)
        row.download_count += 1
        row.save(update_fields=["download_count"])

    run_concurrently(naive, N)
    resource.refresh_from_db()
    assert resource.download_count == 1


def test_concurrent_uploads_get_distinct_version_numbers(staff_user):
    resource = ResourceFactory()
    results = run_concurrently(
        lambda i: services.resource_add_version(
            acting_user=staff_user, resource=resource, upload=pdf_upload(f"v{i}.pdf")
        ),
        6,
    )
    assert all(isinstance(r, ResourceVersion) for r in results), results
    numbers = sorted(
        ResourceVersion.objects.filter(resource=resource).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3, 4, 5, 6]
    resource.refresh_from_db()
    assert resource.current_version.number == 6
