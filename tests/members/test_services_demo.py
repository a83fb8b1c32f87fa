"""The demo data of issue 10: realistic, bulk and idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from members.models import (
    Ecosystem,
    Invoice,
    JoinApplication,
    Onboarding,
    OnboardingTick,
    ServiceRequest,
    ServiceRequestEvent,
)

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Onboarding,
            OnboardingTick,
            ServiceRequest,
            ServiceRequestEvent,
            JoinApplication,
            Invoice,
        )
    }


def test_demo_seeds_onboarding_services_and_applications_once(client, mailoutbox):
    out = StringIO()
    call_command("seed_demo", "--ecosystems", "40", stdout=out)
    first = counts()
    assert "services:" in out.getvalue()
    call_command("seed_demo", "--ecosystems", "40", stdout=StringIO())
    assert counts() == first
    onboarding = Ecosystem.objects.filter(status="onboarding")
    assert onboarding.exists()
    assert Onboarding.objects.filter(ecosystem__in=onboarding, coach__isnull=False).count() == (
        onboarding.count()
    )
    assert first["ServiceRequest"] >= 3 and first["JoinApplication"] == 4
    statuses = set(ServiceRequest.objects.values_list("status", flat=True))
    assert len(statuses) >= 2
    assert Invoice.objects.filter(kind="service").exists() or statuses <= {"requested", "declined"}
    assert not mailoutbox  # demo requests email nobody
    spam = JoinApplication.objects.get(lead_email="spam-bot@example.org")
    client.login(email="staff@example.org", password="slecop-demo-2026")
    from django.urls import reverse

    html = client.get(reverse("admin:members_joinapplication_change", args=[spam.pk])).content
    assert b"<script>alert" not in html and b"&lt;script&gt;" in html
