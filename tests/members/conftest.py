"""Fixtures for the dues and payments tests: payment settings, the fake Stripe server."""

from __future__ import annotations

import pytest

from tests.members.dues_helpers import WEBHOOK_SECRET
from tests.members.fake_stripe import API_KEY, FakeStripe


@pytest.fixture
def simulator(settings):
    """The embedded default: no Stripe key, the local simulator takes payments."""
    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PAYMENTS_SIMULATOR = True
    return settings


@pytest.fixture
def fake_stripe(settings):
    """Stripe mode against a local fake Stripe API (the real client code runs)."""
    server = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = API_KEY
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield server
    server.stop()


MEMBERS_CHECKS = {"dues_settled", "profile_complete", "partners_listed"}


@pytest.fixture
def members_checks_only(monkeypatch):
    """The onboarding checklist with only the members app's own automatic checks, so the
    onboarding tests do not depend on which other apps (convenings, measurement) register
    theirs; the items those apps observe are then coach-ticked here."""
    from members.onboarding import registry as onboarding

    monkeypatch.setattr(
        onboarding,
        "_checks",
        {key: check for key, check in onboarding._checks.items() if key in MEMBERS_CHECKS},
    )
