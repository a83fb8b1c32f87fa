from __future__ import annotations

import pytest

from tests.convenings.factories import ConveningFactory
from tests.factories import make_in_good_standing
from tests.members.conftest import fake_stripe, simulator  # noqa: F401 — shared fixtures


@pytest.fixture
def convening(db):
    return ConveningFactory()


@pytest.fixture
def member_ecosystem(ecosystem):
    """The `ecosystem` fixture, in good standing (this year's dues paid)."""
    make_in_good_standing(ecosystem)
    return ecosystem
