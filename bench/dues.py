"""Benchmark: dues and payments at 10,000 ecosystems on PostgreSQL.

    .venv/bin/python bench/dues.py                    # 10,000 ecosystems
    .venv/bin/python bench/dues.py --ecosystems 2000 --keep

Creates a scratch database (slecop_bench_dues on the local PostgreSQL), migrates, then
times:

- seed_demo with the dues demo data (two membership years of invoices, payments,
  waivers), and the same command again (must add nothing);
- the staff dues dashboard and "My ecosystem" (time and query count);
- the streamed CSV exports of all invoices and all payments;
- 500 signed webhook deliveries (checkout.session.completed, simulator sessions) through
  the real endpoint, each paying one invoice.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn):
    from django.db import connection, reset_queries

    reset_queries()
    started = time.perf_counter()
    result = fn()
    elapsed = time.perf_counter() - started
    print(f"{label:46} {elapsed:7.2f} s   {len(connection.queries):5d} queries")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ecosystems", type=int, default=10_000)
    parser.add_argument("--deliveries", type=int, default=500)
    parser.add_argument("--database", default="slecop_bench_dues")
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
        STRIPE_SECRET_KEY="",
        ALLOWED_HOSTS="testserver,localhost",
    )
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = True  # count queries (connection.queries)
    try:
        call_command("migrate", verbosity=0)
        seed = ["seed_demo", "--ecosystems", str(args.ecosystems), "--quiet"]
        timed(f"seed_demo --ecosystems {args.ecosystems} (with dues)", lambda: call_command(*seed))
        timed("seed_demo again (adds nothing)", lambda: call_command(*seed))
        _pages(Client, CaptureQueriesContext, connections)
        _deliveries(Client, args.deliveries)
    finally:
        connections.close_all()
        if not args.keep:
            subprocess.run(["dropdb", *pg, "--if-exists", args.database], check=True)


def _pages(Client, CaptureQueriesContext, connections) -> None:
    from members.models import Invoice, Payment, User

    staff, lead = Client(), Client()
    staff.force_login(User.objects.get(email="staff@example.org"))
    lead.force_login(User.objects.get(email="lead@example.org"))
    print(f"  ({Invoice.objects.count()} invoices, {Payment.objects.count()} payments)")
    timed("staff dues dashboard", lambda: staff.get("/staff/dues/"))
    timed("My ecosystem (lead)", lambda: lead.get("/my/boston-stem-ecosystem/"))
    for name in ("invoices", "payments"):
        rows = timed(
            f"CSV export: all {name} (streamed)",
            lambda name=name: sum(
                chunk.count(b"\n")
                for chunk in staff.get(f"/staff/dues/{name}.csv").streaming_content
            ),
        )
        print(f"  {rows - 1} rows")


def _deliveries(Client, count: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from members.models import CheckoutSession, Invoice, SimulatedCheckout
    from members.payments.signing import signature_header, webhook_secret
    from members.payments.simulator import event_json, session_object

    invoices = list(Invoice.objects.filter(status="open").select_related("ecosystem")[:count])
    payloads = []
    for invoice in invoices:
        session_id = f"cs_sim_bench_{invoice.pk}"
        simulated = SimulatedCheckout.objects.create(
            session_id=session_id,
            idempotency_key=session_id,
            amount_total=invoice.balance_cents,
            currency=invoice.currency,
            metadata={
                "invoice_id": str(invoice.pk),
                "invoice_number": invoice.number,
                "ecosystem": invoice.ecosystem.slug,
            },
            status="complete",
            payment_status="paid",
            payment_intent=f"pi_sim_bench_{invoice.pk}",
            success_url="/",
            cancel_url="/",
            expires_at=timezone.now() + timedelta(hours=1),
        )
        CheckoutSession.objects.create(
            invoice=invoice,
            provider="simulator",
            session_id=session_id,
            idempotency_key=session_id,
            amount_cents=invoice.balance_cents,
            currency=invoice.currency,
            url="/",
        )
        payloads.append(
            event_json(
                event_type="checkout.session.completed", data_object=session_object(simulated)
            )
        )
    client = Client()
    secret = webhook_secret()

    def deliver_all():
        for payload in payloads:
            response = client.post(
                "/payments/stripe/webhook/",
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=signature_header(payload, secret),
            )
            if response.status_code != 200:
                raise SystemExit(f"delivery refused: {response.content!r}")

    timed(f"{len(payloads)} webhook deliveries (each pays one)", deliver_all)
    paid = Invoice.objects.filter(pk__in=[i.pk for i in invoices], status="paid").count()
    print(f"  {paid} of {len(invoices)} invoices paid")


if __name__ == "__main__":
    main()
