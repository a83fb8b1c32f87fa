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

from datetime import date

from _common import DEV_ENVIRONMENT, parser, run_with_scratch_database, timed


def main() -> None:
    cli = parser(__doc__, database="slecop_bench_renewals", sqlite=False)
    run_with_scratch_database(cli.parse_args(), run, DEV_ENVIRONMENT)


def run(args) -> None:
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

    call_command("migrate", verbosity=0)
    _, seconds = timed(
        lambda: call_command("seed_demo", "--ecosystems", str(args.ecosystems), "--quiet")
    )
    print(f"seed_demo --ecosystems {args.ecosystems}: {seconds:.1f} s")
    year = date.today().year + 1
    Invoice.objects.filter(membership_year__year=year).delete()  # start from none
    for label, day in (
        ("opening day (invoices + notices)", date(year - 1, 12, 1)),
        ("same day again (nothing to do)", date(year - 1, 12, 1)),
        ("30 days before due (reminders)", date(year, 1, 1)),
    ):
        mail.outbox = []
        report, elapsed = timed(lambda day=day: renewal_run_day(on=day))
        waiting = list(
            SentReminder.objects.filter(emailed_at__isnull=True)
            .exclude(recipients=[])
            .values_list("pk", flat=True)
        )
        _, delivery = timed(
            lambda waiting=waiting: [
                deliver(kind="reminder", ids=waiting[start : start + 200])
                for start in range(0, len(waiting), 200)
            ]
        )
        print(
            f"{label:34} run {elapsed:6.2f} s   delivery {delivery:6.2f} s   "
            f"opened={sum(report.invoices_opened.values())} emails={len(mail.outbox)}"
        )


if __name__ == "__main__":
    main()
