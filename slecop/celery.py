"""Celery app. Broker and result backend come from REDIS_URL (settings); without it tasks
run eagerly in-process, which is the embedded default for `make run` and the tests."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "slecop.settings.dev")

app = Celery("slecop")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
