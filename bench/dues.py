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

import _common as bench


def main() -> None:
    cli = bench.parser(__doc__, database="slecop_bench_dues", sqlite=False)
    cli.add_argument("--deliveries", type=int, default=500)
    bench.run_with_scratch_database(cli.parse_args(), run, bench.DEV_ENVIRONMENT)


def run(args) -> None:
    bench.setup_counting_queries()
    bench.seed_demo_twice(args.ecosystems, f"seed_demo --ecosystems {args.ecosystems} (with dues)")
    _pages()
    _deliveries(args.deliveries)


def _pages() -> None:
    from members.models import Invoice, Payment

    staff, lead = bench.client_for("staff@example.org"), bench.client_for("lead@example.org")
    print(f"  ({Invoice.objects.count()} invoices, {Payment.objects.count()} payments)")
    bench.report("staff dues dashboard", lambda: staff.get("/staff/dues/"))
    bench.report("My ecosystem (lead)", lambda: lead.get("/my/boston-stem-ecosystem/"))
    for name in ("invoices", "payments"):
        rows = bench.report(
            f"CSV export: all {name} (streamed)",
            lambda name=name: bench.streamed_lines(staff.get(f"/staff/dues/{name}.csv")),
        )
        print(f"  {rows - 1} rows")


def _deliveries(count: int) -> None:
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from members.billing.payments.signing import signature_header, webhook_secret
    from members.billing.payments.simulator import event_json, session_object
    from members.models import CheckoutSession, Invoice, SimulatedCheckout

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

    bench.report(f"{len(payloads)} webhook deliveries (each pays one)", deliver_all)
    paid = Invoice.objects.filter(pk__in=[i.pk for i in invoices], status="paid").count()
    print(f"  {paid} of {len(invoices)} invoices paid")


if __name__ == "__main__":
    main()
