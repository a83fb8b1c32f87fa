"""Benchmark: the yearly renewal day for 10,000 ecosystems on PostgreSQL.

    .venv/bin/python bench/renewals.py                 # 10,000 ecosystems
    .venv/bin/python bench/renewals.py --ecosystems 2000 --keep

Creates a scratch database (slecop_bench_renewals on the local PostgreSQL), migrates,
seeds the demo network, then times the day next year's invoices open:

- the renewal run: every active ecosystem gets its invoice and its invoice notice is
  recorded in the outbox (what the daily beat task does; target ≤ 20 s);
- the delivery of those notices by the worker task (rendered, handed to Django's
  in-memory email backend), here in this one process — in production batches of 200 run
  in parallel on the Celery workers;

then the same day again (must do nothing) and the 30-days-before reminder day.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecosystems", type=int, default=10_000)
    parser.add_argument("--database", default="slecop_bench_renewals")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()

    pg = ["-h", "127.0.0.1", "-U", "postgres"]
    subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)
    subprocess.run(["createdb", *pg, args.database], check=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="slecop.settings.dev",
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{args.database}",
        EMAIL_URL="memorymail://",
        DJANGO_DEBUG="false",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core import mail
    from django.core.management import call_command

    from members.models import Invoice
    from renewals.models import SentReminder
    from renewals.outbox import deliver
    from renewals.services import renewal_run_day
    from slecop.celery import app

    app.conf.task_always_eager = False  # queue nothing: delivery is timed separately
    app.conf.broker_url = "memory://"

    try:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("seed_demo", "--ecosystems", str(args.ecosystems), "--quiet")
        print(f"seed_demo --ecosystems {args.ecosystems}: {time.perf_counter() - started:.1f} s")
        year = date.today().year + 1
        Invoice.objects.filter(membership_year__year=year).delete()  # start from none
        for label, day in (
            ("opening day (invoices + notices)", date(year - 1, 12, 1)),
            ("same day again (nothing to do)", date(year - 1, 12, 1)),
            ("30 days before due (reminders)", date(year, 1, 1)),
        ):
            mail.outbox = []
            started = time.perf_counter()
            report = renewal_run_day(on=day)
            elapsed = time.perf_counter() - started
            waiting = list(
                SentReminder.objects.filter(emailed_at__isnull=True)
                .exclude(recipients=[])
                .values_list("pk", flat=True)
            )
            started = time.perf_counter()
            for start in range(0, len(waiting), 200):
                deliver(kind="reminder", ids=waiting[start : start + 200])
            delivery = time.perf_counter() - started
            print(
                f"{label:34} run {elapsed:6.2f} s   delivery {delivery:6.2f} s   "
                f"opened={sum(report.invoices_opened.values())} emails={len(mail.outbox)}"
            )
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)


if __name__ == "__main__":
    main()
