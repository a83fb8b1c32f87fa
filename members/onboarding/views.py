"""Joining SLECoP (public application) and onboarding progress for coaches and staff."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.billing.selectors import membership_dues_price
from members.models import Onboarding
from members.onboarding import selectors
from members.onboarding.forms import JoinApplicationForm, TickForm
from members.onboarding.services import checklist, joining
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data


def join(request):
    form = JoinApplicationForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            joining.join_application_submit(**form.cleaned_data)
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            return redirect("members:join_thanks")
    return render(
        request,
        "members/join/apply.html",
        {"form": form, "dues": membership_dues_price()},
        status=400 if request.method == "POST" else 200,
    )


def join_thanks(request):
    return render(request, "members/join/thanks.html")


@login_required
def cohort_progress(request):
    """A coach's ecosystems, or for staff any cohort year, with checklist progress."""
    all_cohorts = selectors.can_see_all_cohorts(request.user)
    coaches_some = Onboarding.objects.filter(coach=request.user).exists()
    if not (all_cohorts or coaches_some):
        raise PermissionDenied(_("This page is for coaches and staff."))
    years = selectors.cohort_years()
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    scope = request.GET.get("scope") or ("mine" if coaches_some else "all")
    mine_only = scope == "mine" or not all_cohorts
    if year is None and not mine_only and years:
        year = years[0]
    page = Paginator(
        selectors.cohort_onboardings(user=request.user, year=year, mine_only=mine_only), 50
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/onboarding/cohort.html",
        {
            "page_obj": page,
            "querystring": query.urlencode(),
            "rows": selectors.cohort_rows(list(page.object_list)),
            "years": years,
            "year": year,
            "mine_only": mine_only,
            "all_cohorts": all_cohorts,
        },
    )


def _coached(request, slug: str) -> Onboarding:
    onboarding_obj = get_object_or_404(
        Onboarding.objects.select_related("ecosystem", "ecosystem__region", "coach"),
        ecosystem__slug=slug,
    )
    if not (
        selectors.can_coach(request.user, onboarding_obj)
        or selectors.can_see_all_cohorts(request.user)
    ):
        raise PermissionDenied(_("Only the ecosystem's coach and staff can see this page."))
    return onboarding_obj


@login_required
def onboarding_detail(request, slug: str):
    onboarding_obj = _coached(request, slug)
    ecosystem = onboarding_obj.ecosystem
    return render(
        request,
        "members/onboarding/detail.html",
        {
            "onboarding": onboarding_obj,
            "ecosystem": ecosystem,
            "progress": selectors.onboarding_progress([ecosystem.pk])[ecosystem.pk],
            "can_tick": selectors.can_coach(request.user, onboarding_obj),
            "application": getattr(ecosystem, "join_application", None),
        },
    )


@require_POST
@login_required
def onboarding_tick(request, slug: str):
    onboarding_obj = _coached(request, slug)
    form = TickForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an item to tick."))
    else:
        try:
            activated = checklist.onboarding_tick(
                acting_user=request.user, ecosystem=onboarding_obj.ecosystem, **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Checklist updated."))
            if activated:
                messages.success(
                    request,
                    _("Onboarding complete: %s is now an active ecosystem.")
                    % onboarding_obj.ecosystem.name,
                )
    return redirect("members:onboarding_detail", slug=slug)
