from __future__ import annotations

import pytest

from tests.community.factories import ConsultationFactory


@pytest.fixture
def consultation(db):
    return ConsultationFactory()
