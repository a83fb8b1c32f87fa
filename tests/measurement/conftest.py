from __future__ import annotations

import pytest
from django.utils import timezone

from measurement.models import Indicator


@pytest.fixture
def year():
    return timezone.localdate().year


@pytest.fixture
def indicators(db):
    return {i.code: i for i in Indicator.objects.filter(active=True)}
