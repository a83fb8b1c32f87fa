"""A task sent through the real Redis broker runs in a real Celery worker process and its
effect lands in the database (runs in CI, where REDIS_URL and DATABASE_URL are set)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from members.models import Invoice
from renewals.tasks import run_renewals
from slecop.celery import app
from tests.factories import EcosystemFactory, make_lead

pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def _database_url(db: dict) -> str:
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"  # NAME is the test database


def test_task_through_redis_runs_in_a_worker_process(settings):
    ecosystem = EcosystemFactory()
    make_lead(ecosystem)
    queue = f"test-{uuid.uuid4().hex[:12]}"  # nobody else consumes this queue
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "slecop.settings.test",
        "DATABASE_URL": _database_url(settings.DATABASES["default"]),
        "REDIS_URL": settings.REDIS_URL,
    }
    worker = subprocess.Popen(
        [
            sys.executable, "-m", "celery", "-A", "slecop", "worker",
            "--pool", "solo", "--queues", queue, "--loglevel", "INFO",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        result = run_renewals.apply_async(args=["2026-12-01"], queue=queue)
        lines = result.get(timeout=90)
        assert "opened 1 dues invoice(s) for 2027" in "\n".join(lines)
        deadline = time.monotonic() + 10
        while not Invoice.objects.filter(ecosystem=ecosystem).exists():
            assert time.monotonic() < deadline, "the worker's change never reached the database"
            time.sleep(0.2)
        assert Invoice.objects.get(ecosystem=ecosystem).membership_year.year == 2027
    finally:
        app.conf.task_always_eager = eager
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "renewals.tasks.run_renewals" in output  # the worker, not this process, ran it
