"""Facts about this repository's own code, as opposed to Django's and third parties'."""

from __future__ import annotations

import sys
from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_app_labels() -> tuple[str, ...]:
    """The labels of the apps of this checkout, whatever lands later — also when the
    virtualenv lives inside it (`.venv/`, as `make` and CI do)."""
    return tuple(
        config.label
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(settings.BASE_DIR)
        and not Path(config.path).is_relative_to(sys.prefix)
    )
