from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from tests.portal.walk import demo_people


class Network:
    """seed_demo's network with the four people the portal-wide tests act as."""

    def __init__(self):
        self.lead, self.ecosystem, self.other_lead, self.other, self.staff = demo_people()

    def client(self, user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def network(db) -> Network:
    call_command("seed_demo", "--ecosystems", "10", "--quiet")
    return Network()


@pytest.fixture
def simulator(settings):
    """Payments through the local simulator (the embedded default), as tests/members."""
    from tests.members.dues_helpers import WEBHOOK_SECRET

    settings.STRIPE_SECRET_KEY = ""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.PAYMENTS_SIMULATOR = True
    return settings
