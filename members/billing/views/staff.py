"""Staff pages outside the admin: the dues dashboard and the CSV exports."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache, wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from members.billing import selectors
from members.billing.forms import DuesYearForm
from members.money import format_cents
from slecop.cache import cache_key, version
from slecop.csv_export import csv_response

EXPORT_CHUNK = 2000


def staff_view(permission: str):
    """Staff with `permission` only: anonymous → sign in; everyone else → 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not (request.user.is_staff and request.user.has_perm(permission)):
                raise PermissionDenied(_("Staff only."))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _year(request, years: list[int]) -> int:
    if "year" in request.GET:
        form = DuesYearForm(request.GET, years=years)
        if form.is_valid():
            return form.cleaned_data["year"]
    today = timezone.localdate().year
    return today if today in years or not years else years[0]


@staff_view("members.view_invoice")
def dues_dashboard(request):
    # The page's HTML (figures and the year form: a GET form, no CSRF token) is a
    # `{% cache %}` fragment kept until a money row changes (the `dues` version key), the
    # day or the language does, or 10 minutes pass: the years, the board and the form are
    # only read or built (lazily) when it has to be drawn again. The year comes from the
    # query and the years, so the query keys it.
    board_key = cache_key(
        "dues-board", (request.GET.urlencode(), timezone.localdate(), version("dues"))
    )

    @cache
    def years_and_year() -> tuple[list[int], int]:
        years = selectors.membership_years()
        return years, _year(request, years)

    def board():
        years, year = years_and_year()
        return selectors.dues_dashboard(year=year, years=years)

    def form():
        years, year = years_and_year()
        return DuesYearForm(initial={"year": year}, years=years)

    return render(
        request,
        "members/staff/dues_dashboard.html",
        {
            "year": SimpleLazyObject(lambda: years_and_year()[1]),
            "board": SimpleLazyObject(board),
            "board_key": board_key,
            "form": SimpleLazyObject(form),
        },
    )


# --- CSV (slecop.csv_export: the portal's one writer) -------------------------------------


def _export_year(request) -> int | None:
    form = DuesYearForm(request.GET or None, years=list(range(2015, 2101)))
    return form.cleaned_data["year"] if form.is_bound and form.is_valid() else None


def _export_response(name: str, year: int | None, export: selectors.Export):
    money_at = [i for i, c in enumerate(export.columns) if c in export.money_columns]

    def rows() -> Iterator[list]:
        for row in export.rows.iterator(chunk_size=EXPORT_CHUNK):
            row = list(row)
            for i in money_at:
                row[i] = format_cents(row[i] or 0).replace(",", "")
            yield row

    return csv_response(f"{name}-{year or 'all'}.csv", export.columns, rows())


@staff_view("members.view_invoice")
def invoices_csv(request):
    year = _export_year(request)
    return _export_response("invoices", year, selectors.invoices_for_export(year))


@staff_view("members.view_payment")
def payments_csv(request):
    year = _export_year(request)
    return _export_response("payments", year, selectors.payments_for_export(year))
