from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from tests.members.conftest import simulator  # noqa: F401 — the payment simulator fixture
from tests.portal.walk import add_rows_the_demo_leaves_out, demo_people


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
    network = Network()
    add_rows_the_demo_leaves_out(network.lead, network.ecosystem, network.other_lead, links=True)
    add_rows_the_demo_leaves_out(network.other_lead, network.other, network.lead)
    return network
