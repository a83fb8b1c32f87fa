from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.permissions import ecosystem_view, holds_a_role
from slecop.cache import versioned, versions
from slecop.csv_export import csv_response
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import presenters, selectors, services
from .forms import (
    MISSING,
    IndicatorReportForm,
    NetworkFilterForm,
    ReopenForm,
    StaffReportFilterForm,
)
from .models import MAX_YEAR, MIN_YEAR, Attribute, IndicatorReport
from .services import IncompleteReport

REPORTS_PER_PAGE = 50
STAFF_PERM = "measurement.view_indicatorreport"


def indicator_list(request):
    """Public: the five attributes and their indicators, with the rubric texts."""
    return render(
        request,
        "measurement/indicator_list.html",
        {"attributes": selectors.attributes_with_indicators()},
    )


@ecosystem_view("view")
def dashboard(request, ecosystem):
    data = selectors.lead_dashboard(ecosystem)
    return render(
        request,
        "measurement/dashboard.html",
        {
            "ecosystem": ecosystem,
            "data": data,
            "charts": presenters.lead_charts(data),
            "year": selectors.reporting_year(),
            "can_act": request.ecosystem_access.can_act,
            "min_group": selectors.MIN_GROUP_SIZE,
        },
    )


@ecosystem_view("view")
def report(request, ecosystem, year: int):
    """The yearly report: a form for leads while it is not submitted, read-only otherwise."""
    current = selectors.reporting_year()
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    existing = selectors.report_for(ecosystem=ecosystem, year=year)
    if existing is None and not MIN_YEAR <= year <= current:
        raise Http404
    can_act = request.ecosystem_access.can_act
    if request.method == "POST" and not can_act:
        raise PermissionDenied(_("Only leads of this ecosystem can fill its report."))
    editable = can_act and (existing is None or existing.is_editable)
    if request.method == "POST" and not editable:
        messages.error(request, _("This report was submitted; ask TIES staff to reopen it."))
        return redirect(existing.get_absolute_url())
    values, goals = selectors.report_entries(existing)
    indicators = selectors.active_indicators()
    form = IndicatorReportForm(
        post_data(request),
        indicators=indicators,
        attributes=list(Attribute.objects.all()),
        values=values,
        goals=goals,
    )
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            saved = services.indicator_report_save(
                acting_user=request.user,
                ecosystem=ecosystem,
                year=year,
                data=form.report_input(),
                submit=submit,
            )
        except IncompleteReport as exc:  # every missing answer highlighted, all named above
            form.add_error(None, exc.message)
            for name in exc.fields:
                form.add_error(name, _("Answer this indicator to submit the report."))
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            if submit:
                messages.success(request, _("Thank you — the %d report is submitted.") % saved.year)
                return redirect("measurement:dashboard", ecosystem=ecosystem.slug)
            messages.success(request, _("Draft saved. You can come back and finish it later."))
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "measurement/report.html",
        {
            "ecosystem": ecosystem,
            "year": year,
            "report": existing,
            "form": form,
            "editable": editable,
            "values": values,
            "goals": goals,
            "sections": presenters.read_only_sections(form.sections, values, goals),
            "reopen_form": ReopenForm()
            if request.user.has_perm("measurement.reopen_indicatorreport")
            else None,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
@ecosystem_view("view")
def report_reopen(request, ecosystem, year: int):
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    existing = selectors.report_for(ecosystem=ecosystem, year=year)
    if existing is None:
        raise Http404
    form = ReopenForm(post_data(request))
    if not form.is_valid():
        messages.error(request, _("Say why the report is reopened."))
        return redirect(existing.get_absolute_url())
    try:
        services.indicator_report_reopen(
            acting_user=request.user, report=existing, reason=form.cleaned_data["reason"]
        )
    except DomainError as exc:
        if exc.http_status == 403:
            raise PermissionDenied(exc.message) from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The report is reopened; its leads can correct it."))
    return redirect(existing.get_absolute_url())


# what the network page shows comes from reports, ecosystems and indicator definitions
NETWORK = ("measurement", "directory", selectors.DEFINITIONS)
NETWORK_PANEL_SECONDS = 600


def _check_network_reader(user) -> None:
    """PermissionDenied unless `user` may read the network's aggregates. A role first:
    one query for the many leads, where the permission check takes two."""
    if not (holds_a_role(user) or user.has_perm(STAFF_PERM)):
        raise PermissionDenied(_("The network dashboard is for members of the network."))


def _network(request):
    """The filter form, the filters, the selected year, the dashboard's data and whether
    the query was invalid. What a warm page does not draw is read only when used: the
    data (unpickled only when its fragments are drawn again) and, without a query, the
    cohorts and the form (only for the form's fragment). The caller has checked the
    reader (`_check_network_reader`)."""
    years = selectors.submitted_years()
    filters = selectors.Filters()
    invalid = False
    if request.GET:
        form = NetworkFilterForm(request.GET, years=years, cohorts=selectors.cohorts())
        invalid = not form.is_valid()
        if not invalid:
            filters = selectors.Filters(**form.cleaned_data)
    else:
        form = SimpleLazyObject(
            lambda: NetworkFilterForm(None, years=years, cohorts=selectors.cohorts())
        )
    data = SimpleLazyObject(
        lambda: selectors.network_dashboard(filters, years=years, cohort_years=selectors.cohorts())
    )
    return form, filters, selectors.selected_year(filters, years), data, invalid


@login_required
def network(request):
    """Aggregates only (suppressed under 5 ecosystems), for members, stewards and staff."""
    _check_network_reader(request.user)
    # The filters, charts and tables are the same for every reader of a query: kept whole
    # under the page's version keys (with its status: a bad query depends only on the
    # query and the years and cohorts those keys cover).
    html, invalid = versioned(
        NETWORK,
        ("network", request.GET.urlencode()),
        lambda: _network_panel(request),
        timeout=NETWORK_PANEL_SECONDS,
    )
    return render(
        request,
        "measurement/network.html",
        {
            "panel": mark_safe(html),  # noqa: S308  # nosec B308, B703 - our template's output
            "query": request.GET.urlencode(),
            "min_group": selectors.MIN_GROUP_SIZE,
            # staff accounts only (TIES staff, office holders): no permission lookup for leads
            "is_staff_reader": request.user.is_staff and request.user.has_perm(STAFF_PERM),
        },
        status=400 if invalid else 200,
    )


def _network_panel(request) -> tuple[str, bool]:
    """(the network page's filters, charts and tables, whether the query was invalid)."""
    form, filters, year, data, invalid = _network(request)
    tokens = ":".join(versions(*NETWORK))
    html = render_to_string(
        "measurement/network_panel.html",
        {
            "form": form,
            "data": data,
            # Inside the panel, the filter form (its years and cohorts come from the data),
            # per query, and the charts and tables, per selection, are fragments too: a
            # new query that selects what another did draws no chart.
            "form_key": f"{tokens}:{request.GET.urlencode()}",
            "body_key": ":".join(
                str(part)
                for part in (
                    tokens,
                    year,
                    filters.region.pk if filters.region else "",
                    filters.cohort or "",
                )
            ),
            "charts": SimpleLazyObject(lambda: presenters.network_charts(data)),
            "min_group": selectors.MIN_GROUP_SIZE,
        },
        request,
    )
    return html, invalid


@login_required
def network_csv(request):
    _check_network_reader(request.user)
    _form, _filters, _year, data, invalid = _network(request)
    if invalid:
        return HttpResponse(_("Invalid filter."), status=400, content_type="text/plain")
    rows = presenters.csv_rows(data)
    stamp = timezone.localdate().isoformat()
    # the portal's CSV writer: UTF-8 BOM, and no cell a spreadsheet would run
    return csv_response(f"indicators-network-{stamp}.csv", rows[0], rows[1:])


@login_required
@permission_required(STAFF_PERM, raise_exception=True)
def staff_reports(request):
    """Staff and stewards: who reported (statuses, not values), to follow up."""
    form = StaffReportFilterForm(request.GET or None)
    year = status = None
    if form.is_bound and form.is_valid():
        year, status = form.cleaned_data["year"], form.cleaned_data["status"]
    missing = status == MISSING
    if missing:  # active ecosystems that have not started the year's report
        year = year or selectors.reporting_year()
        rows = selectors.ecosystems_without_report(year=year)
    else:
        rows = selectors.reports_for_staff(year=year, status=status or "")
    page = Paginator(rows, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "measurement/staff_reports.html",
        {
            "form": form,
            "page_obj": page,
            "querystring": query.urlencode(),
            "statuses": IndicatorReport.Status,
            "missing": missing,
            "year": year,
        },
    )
