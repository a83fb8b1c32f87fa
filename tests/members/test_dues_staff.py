"""Staff: recording check/ACH/wire payments, reviewing scholarships, refunds and flags in
the admin; the dues dashboard; CSV exports."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members.billing.services import invoice_flag
from members.models import AuditEntry, Invoice, MembershipYear, Payment, ScholarshipApplication
from tests.counting import count_builds
from tests.factories import (
    EcosystemFactory,
    membership_year,
    open_dues_invoice,
    pay_invoice,
    region,
)
from tests.members.dues_helpers import (
    checkout_event,
    deliver,
    full_waiver_application,
    record_check,
    simulated_session,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def steward_client(client, steward_user):
    client.force_login(steward_user)
    return client


def record_url(invoice):
    return reverse("admin:members_invoice_record_payment", args=[invoice.pk])


def _record(client, invoice, **data):
    return client.post(
        record_url(invoice),
        {
            "method": "check",
            "amount": "1000",
            "reference": "CHK-1",
            "received_on": timezone.localdate().isoformat(),
            **data,
        },
    )


def test_staff_record_partial_check_then_wire(staff_client, staff_user, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    change = staff_client.get(reverse("admin:members_invoice_change", args=[invoice.pk]))
    assert change.status_code == 200 and "Record a payment" in change.content.decode()
    assert staff_client.get(record_url(invoice)).status_code == 200
    response = _record(staff_client, invoice, amount="1,000.00", note="first half")
    assert response.status_code == 302
    invoice.refresh_from_db()
    assert (invoice.status, invoice.paid_cents) == ("open", 100_000)
    payment = Payment.objects.get()
    assert payment.recorded_by == staff_user and payment.method == "check"
    assert payment.received_at.date() == timezone.localdate()
    _record(staff_client, invoice, method="wire", amount="2000", reference="WIRE-9")
    invoice.refresh_from_db()
    assert invoice.status == "paid"
    entries = AuditEntry.objects.filter(action="payment.recorded", actor=staff_user)
    assert entries.count() == 2


@pytest.mark.parametrize(
    "data, field",
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "10.001"}, "amount"),
        ({"amount": "1" * 30}, "amount"),
        ({"amount": ""}, "amount"),
        ({"method": "stripe"}, "method"),  # card payments come from Stripe only
        ({"method": "cash"}, "method"),
        ({"reference": "   "}, "reference"),
        ({"received_on": "2099-01-01"}, "received_on"),
        ({"received_on": "yesterday"}, "received_on"),
    ],
)
def test_bad_payment_input_is_a_form_error(staff_client, ecosystem, data, field):
    invoice = open_dues_invoice(ecosystem)
    response = _record(staff_client, invoice, **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Payment.objects.exists()


def test_duplicate_reference_and_overpayment(staff_client, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    _record(staff_client, invoice, amount="500", reference="CHK-5")
    again = _record(
        staff_client,
        invoice,
        amount="500",
        reference="CHK-5",
    )
    assert again.status_code == 302  # idempotent: nothing added, staff warned
    assert Payment.objects.count() == 1
    over = _record(staff_client, invoice, amount="5000", reference="CHK-6")
    assert over.status_code == 302
    held = Payment.objects.get(external_id="CHK-6")
    invoice.refresh_from_db()
    assert held.status == "held" and invoice.flagged and invoice.paid_cents == 50_000
    # a reference already used on another invoice is a form error, not a 500
    other = open_dues_invoice(EcosystemFactory())
    clash = _record(staff_client, other, amount="10", reference="CHK-5")
    assert clash.status_code == 400 and "already recorded" in clash.content.decode()


def test_leads_and_stewards_cannot_record_payments(client, lead, steward_user, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    client.force_login(lead)
    assert _record(client, invoice).status_code == 302  # not staff: to the admin login
    client.force_login(steward_user)
    assert _record(client, invoice).status_code == 403
    assert not Payment.objects.exists()


def _review(client, application, **data):
    return client.post(
        reverse("admin:members_scholarshipapplication_review", args=[application.pk]), data
    )


@pytest.fixture
def application(ecosystem):
    return full_waiver_application(ecosystem)


def test_steward_approves_part_of_a_scholarship(
    steward_client, steward_user, application, mailoutbox, django_capture_on_commit_callbacks
):
    page = steward_client.get(
        reverse("admin:members_scholarshipapplication_change", args=[application.pk])
    )
    assert "Review: approve or decline" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = _review(
            steward_client,
            application,
            decision="partial",
            approved_cents="1000",
            note="A third this year.",
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "partially_approved" and application.reviewer == steward_user
    invoice = application.invoice
    invoice.refresh_from_db()
    assert (invoice.total_cents, invoice.balance_cents) == (200_000, 200_000)
    assert "Partially approved" in mailoutbox[-1].subject
    again = _review(steward_client, application, decision="approve")
    assert again.status_code == 400 and "already" in again.content.decode()


def test_steward_approves_in_full_or_declines(steward_client, application, ecosystem):
    assert _review(steward_client, application, decision="approve").status_code == 302
    application.invoice.refresh_from_db()
    assert application.invoice.status == "waived"
    other = EcosystemFactory()
    declined = full_waiver_application(other)
    assert (
        _review(steward_client, declined, decision="decline", note="Budget is full.").status_code
        == 302
    )
    declined.refresh_from_db()
    assert declined.status == "declined" and declined.decision_note == "Budget is full."


@pytest.mark.parametrize(
    "data, field",
    [
        ({"decision": "partial", "approved_cents": "", "note": "n"}, "approved_cents"),
        ({"decision": "partial", "approved_cents": "-1", "note": "n"}, "approved_cents"),
        ({"decision": "partial", "approved_cents": "xyz", "note": "n"}, "approved_cents"),
        ({"decision": "partial", "approved_cents": "3000.01", "note": "n"}, "approved_cents"),
        ({"decision": "partial", "approved_cents": "100"}, "note"),
        ({"decision": "decline"}, "note"),
        ({"decision": "maybe"}, "decision"),
    ],
)
def test_bad_review_input_is_a_form_error(steward_client, application, data, field):
    response = _review(steward_client, application, **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    application.refresh_from_db()
    assert application.status == "submitted"


def test_ties_staff_cannot_decide_scholarships(staff_client, application):
    assert _review(staff_client, application, decision="approve").status_code == 403


def test_refund_and_flag_handling(staff_client, staff_user, ecosystem):
    invoice = open_dues_invoice(ecosystem)
    payment = pay_invoice(invoice, reference="CHK-1")
    url = reverse("admin:members_payment_refund", args=[payment.pk])
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"refunded_total": "abc", "reference": "R"}).status_code == 400
    assert staff_client.post(url, {"refunded_total": "500", "reference": "R-1"}).status_code == 302
    payment.refresh_from_db()
    invoice.refresh_from_db()
    assert payment.refunded_cents == 50_000 and invoice.balance_cents == 50_000
    lower = staff_client.post(url, {"refunded_total": "100", "reference": "R-2"})
    assert lower.status_code == 400 and "cannot be undone" in lower.content.decode()
    invoice_flag(acting_user=None, invoice=invoice, reason="dispute dp_1 opened")
    flag_url = reverse("admin:members_invoice_clear_flag", args=[invoice.pk])
    assert staff_client.post(flag_url, {"note": ""}).status_code == 400
    assert staff_client.post(flag_url, {"note": "Won the dispute"}).status_code == 302
    invoice.refresh_from_db()
    assert not invoice.flagged
    entry = AuditEntry.objects.get(action="invoice.flag_cleared")
    assert entry.actor == staff_user and entry.before["reason"] == "dispute dp_1 opened"


def test_admin_lists_filter_and_money_rows_are_read_only(staff_client, ecosystem, simulator):
    invoice = open_dues_invoice(ecosystem)
    session = simulated_session(invoice)
    deliver(staff_client, checkout_event(session))
    pages = {
        "admin:members_invoice_changelist": "?status__exact=paid&kind__exact=dues&flagged__exact=0"
        f"&ecosystem__region__id__exact={ecosystem.region_id}",
        "admin:members_payment_changelist": "?status__exact=applied&method__exact=simulator"
        "&refunded=no",
        "admin:members_scholarshipapplication_changelist": "?status__exact=submitted",
        "admin:members_stripeevent_changelist": "?type=checkout.session.completed",
        "admin:members_checkoutsession_changelist": "?status__exact=paid",
        "admin:members_membershipyear_changelist": "",
    }
    for name, query in pages.items():
        response = staff_client.get(reverse(name) + query)
        assert response.status_code == 200, name
    assert (
        invoice.number
        in staff_client.get(
            reverse("admin:members_invoice_changelist") + "?status__exact=paid"
        ).content.decode()
    )
    for column in range(1, 11):  # every column sorts, the money ones included
        changelist = reverse("admin:members_invoice_changelist") + f"?o=-{column}"
        assert staff_client.get(changelist).status_code == 200, column
    # nobody edits money rows directly
    change = reverse("admin:members_invoice_change", args=[invoice.pk])
    staff_client.post(change, {"total_cents": "1", "paid_cents": "1", "status": "open"})
    invoice.refresh_from_db()
    assert invoice.total_cents == 300_000 and invoice.status == "paid"
    event_id = invoice.checkouts.get().payment.pk
    assert (
        staff_client.post(
            reverse("admin:members_payment_delete", args=[event_id]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Payment.objects.count() == 1


def test_staff_edit_the_membership_year(staff_client, ecosystem):
    year = membership_year(2031)
    url = reverse("admin:members_membershipyear_change", args=[year.pk])
    data = {
        "year": "2031",
        "dues_cents": "3,250.00",  # typed in dollars (issue 28)
        "currency": "USD",
        "invoices_open_on": "2030-12-01",
        "due_date": "2031-02-28",
        "grace_days": "45",
    }
    assert staff_client.post(url, data).status_code == 302
    year.refresh_from_db()
    assert (year.dues_cents, year.grace_days) == (325_000, 45)
    invoice = open_dues_invoice(ecosystem, 2031)
    assert invoice.total_cents == 325_000


# --- dues dashboard --------------------------------------------------------------------------


def _network(size: int, payments_each: int = 1):
    """`size` ecosystems across regions: paid, waived, part-waived, open."""
    from members.billing.services import scholarship_decide

    regions = ["northeast", "south", "midwest", "west", "international-global"]
    steward = None
    for i in range(size):
        eco = EcosystemFactory(region=region(regions[i % 5]))
        invoice = open_dues_invoice(eco)
        kind = i % 4
        if kind in (1, 2):
            application = full_waiver_application(eco, invoice)
            scholarship_decide(
                acting_user=steward,
                application=application,
                approve=True,
                approved_cents=300_000 if kind == 1 else 100_000,
            )
        if kind in (0, 2):
            invoice.refresh_from_db()
            share = invoice.balance_cents // payments_each
            for n in range(payments_each):
                last = n == payments_each - 1
                record_check(
                    invoice, invoice.balance_cents - share * n if last else share, f"C-{eco.pk}-{n}"
                )


def test_dues_dashboard_sums_by_region(staff_client):
    _network(8)
    response = staff_client.get(reverse("members:dues_dashboard"))
    assert response.status_code == 200
    board = response.context["board"]
    total = board.total
    # 8 invoices of 3,000: 2 paid, 2 fully waived, 2 waived 1,000 and paid 2,000, 2 open
    assert total.invoices == 8 and total.invoiced == 8 * 300_000
    assert total.waived == 2 * 300_000 + 2 * 100_000
    assert total.paid == 2 * 300_000 + 2 * 200_000
    assert total.outstanding == 2 * 300_000
    assert total.invoiced - total.waived == total.paid + total.outstanding
    assert (total.n_paid, total.n_waived, total.n_open) == (4, 2, 2)
    assert sum(r.invoices for r in board.regions) == 8 and len(board.regions) == 5
    body = response.content.decode()
    assert "24,000.00" in body and "International/Global" in body
    assert board.by_year[0].label == str(timezone.localdate().year)


def test_dues_dashboard_year_choice_and_bad_input(staff_client, ecosystem):
    open_dues_invoice(ecosystem, 2025)
    membership_year(timezone.localdate().year)
    for query in ("?year=2025", "?year=abc", "?year=1900", "?year=" + "9" * 50):
        assert staff_client.get(reverse("members:dues_dashboard") + query).status_code == 200
    old = staff_client.get(reverse("members:dues_dashboard") + "?year=2025").context["board"]
    assert old.year == 2025 and old.total.invoices == 1


def test_a_new_membership_year_shows_in_the_cached_page(staff_client, ecosystem):
    this_year = timezone.localdate().year
    open_dues_invoice(ecosystem, this_year)
    page = reverse("members:dues_dashboard")
    assert f'<option value="{this_year + 1}"' not in staff_client.get(page).text
    membership_year(this_year + 1)
    html = staff_client.get(page).text
    assert f'<option value="{this_year + 1}"' in html
    assert f'<option value="{this_year}" selected>' in html


def test_a_warm_dues_dashboard_builds_no_form(staff_client, ecosystem, monkeypatch):
    from members.billing.views import staff

    built = count_builds(monkeypatch, staff, "DuesYearForm")
    open_dues_invoice(ecosystem)
    page = reverse("members:dues_dashboard")
    staff_client.get(page)
    assert len(built) == 1  # drawn once
    assert "Membership year" in staff_client.get(page).text and len(built) == 1


def test_a_warm_dues_dashboard_reads_no_years_and_follows_a_payment(
    staff_client, ecosystem, monkeypatch
):
    """Warm, the page's `{% cache %}` fragment is served: the years are not even read. A
    payment (the `dues` version key) redraws it on the next view."""
    from members.billing import selectors

    invoice = open_dues_invoice(ecosystem)
    page = reverse("members:dues_dashboard")
    first = staff_client.get(page, {"year": invoice.membership_year.year}).text
    years_read = []
    real = selectors.membership_years
    monkeypatch.setattr(selectors, "membership_years", lambda: years_read.append(1) or real())
    again = staff_client.get(page, {"year": invoice.membership_year.year}).text
    assert years_read == []
    assert again.partition("<main")[2] == first.partition("<main")[2]
    record_check(invoice, 100_000, "CHK-TRIPS")
    assert staff_client.get(page, {"year": invoice.membership_year.year}).text != again
    assert years_read == [1]


@pytest.mark.parametrize("size", [4, 40])
def test_dues_dashboard_query_count_is_constant(staff_client, size, django_assert_max_num_queries):
    _network(size, payments_each=max(1, size // 10))
    # session, user, permissions, years, sums by region (2), regions, sums by year
    # (2), and three counters — whatever the number of ecosystems and payments
    with django_assert_max_num_queries(13):
        response = staff_client.get(reverse("members:dues_dashboard"))
    assert response.status_code == 200


def test_dues_pages_are_staff_only(client, lead, member):
    urls = [
        reverse("members:dues_dashboard"),
        reverse("members:dues_invoices_csv"),
        reverse("members:dues_payments_csv"),
    ]
    for path in urls:
        assert client.get(path).status_code == 302  # anonymous: sign in
    for user in (lead, member):
        client.force_login(user)
        for path in urls:
            assert client.get(path).status_code == 403


# --- CSV ---------------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_csv_exports_are_streamed_and_safe_against_formula_injection(staff_client):
    eco = EcosystemFactory(name='=HYPERLINK("http://evil","click")')
    invoice = open_dues_invoice(eco)

    record_check(invoice, 100_000, "+1-555-CHECK", note="@SUM(A1:A9)")
    response = staff_client.get(reverse("members:dues_invoices_csv"))
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    header, row = _csv(response)
    assert header[:3] == ["number", "ecosystem", "region"]
    record = dict(zip(header, row, strict=True))
    assert record["ecosystem"] == '\'=HYPERLINK("http://evil","click")'
    assert (record["invoiced"], record["paid"], record["balance"]) == (
        "3000.00",
        "1000.00",
        "2000.00",
    )
    assert record["flagged"] == "no" and record["membership_year"] == str(
        invoice.membership_year.year
    )
    payments = _csv(staff_client.get(reverse("members:dues_payments_csv")))
    record = dict(zip(payments[0], payments[1], strict=True))
    assert record["reference"] == "'+1-555-CHECK" and record["note"] == "'@SUM(A1:A9)"
    assert record["amount"] == "1000.00" and record["net"] == "1000.00"


def test_csv_year_filter(staff_client, ecosystem):
    this_year = timezone.localdate().year
    open_dues_invoice(ecosystem, this_year - 1)
    current = open_dues_invoice(ecosystem, this_year)
    rows = _csv(staff_client.get(reverse("members:dues_invoices_csv") + f"?year={this_year}"))
    assert [r[0] for r in rows[1:]] == [current.number]
    all_rows = _csv(staff_client.get(reverse("members:dues_invoices_csv") + "?year=nonsense"))
    assert len(all_rows) == 3
    pay_invoice(current)
    Payment.objects.update(received_at=timezone.now() - timedelta(days=800))
    assert (
        len(_csv(staff_client.get(reverse("members:dues_payments_csv") + f"?year={this_year}")))
        == 1
    )


def test_group_permissions_for_the_money_side(staff_user, steward_user):
    assert staff_user.has_perm("members.add_payment")
    assert staff_user.has_perm("members.change_membershipyear")
    assert not staff_user.has_perm("members.change_scholarshipapplication")
    assert steward_user.has_perm("members.change_scholarshipapplication")
    assert steward_user.has_perm("members.view_invoice")
    assert not steward_user.has_perm("members.add_payment")
    assert MembershipYear.objects.count() == 0 and Invoice.objects.count() == 0
    assert ScholarshipApplication.objects.count() == 0
