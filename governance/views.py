from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import selectors, services
from .forms import PracticeGroupProposalForm, PracticeGroupSearchForm
from .models import Committee, Office, PracticeGroup, PracticeGroupMembership
from .services.practice_groups import community_ecosystems

PAST_TERMS_PER_PAGE = 25
PRACTICE_GROUPS_PER_PAGE = 24


def _querystring(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def leadership(request):
    """The Stewardship Team today, the regional chairs, the TIES Liaison, past terms."""
    team = selectors.leadership()
    past = Paginator(selectors.past_terms(team.on), PAST_TERMS_PER_PAGE)
    return render(
        request,
        "governance/leadership.html",
        {
            "leadership": team,
            "upcoming": selectors.upcoming_terms(team.on)[:20],
            "page_obj": past.get_page(request.GET.get("page")),
            "querystring": _querystring(request),
        },
    )


def office_detail(request, slug: str):
    office = get_object_or_404(Office.objects.select_related("region"), slug=slug)
    terms = list(selectors.office_terms(office))
    return render(
        request,
        "governance/office_detail.html",
        {
            "office": office,
            "terms": terms,
            "current": next((t for t in terms if t.is_current()), None),
            "committees": selectors.committees(active=True).filter(office=office),
        },
    )


def committee_list(request):
    return render(
        request,
        "governance/committee_list.html",
        {
            "active": selectors.committees(active=True),
            "past": selectors.committees(active=False)[:50],
        },
    )


def committee_detail(request, slug: str):
    committee = get_object_or_404(Committee.objects.select_related("office"), slug=slug)
    return render(
        request,
        "governance/committee_detail.html",
        {"committee": committee, "members": selectors.committee_members(committee)},
    )


def practice_group_list(request):
    form = PracticeGroupSearchForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    page = Paginator(selectors.practice_group_list(q=q), PRACTICE_GROUPS_PER_PAGE)
    return render(
        request,
        "governance/practice_group_list.html",
        {
            "form": form,
            "page_obj": page.get_page(request.GET.get("page")),
            "querystring": _querystring(request),
            "my_roles": selectors.practice_group_roles(request.user),
            "own_proposals": selectors.own_proposals(request.user),
            "closed": selectors.practice_group_list(status=PracticeGroup.Status.CLOSED)[:50],
        },
    )


@login_required
def practice_group_propose(request):
    ecosystems = community_ecosystems(request.user)
    if not ecosystems:
        return render(request, "governance/practice_group_propose.html", {"form": None}, status=403)
    form = PracticeGroupProposalForm(post_data(request), ecosystems=ecosystems)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.practice_group_propose(acting_user=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Thank you. The Stewardship team will review “%s”; until then only you "
                    "can see it."
                )
                % group.name,
            )
            return redirect(group.get_absolute_url())
    return render(
        request,
        "governance/practice_group_propose.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


def _visible_group(request, slug: str) -> PracticeGroup:
    return get_object_or_404(
        selectors.practice_groups_visible_to(request.user).select_related(
            "ecosystem", "proposed_by"
        ),
        slug=slug,
    )


def practice_group_detail(request, slug: str):
    group = _visible_group(request, slug)
    members = list(selectors.practice_group_members(group))
    mine = next((m for m in members if m.person_id == request.user.pk), None)
    return render(
        request,
        "governance/practice_group_detail.html",
        {
            "group": group,
            "chairs": [m for m in members if m.role == PracticeGroupMembership.Role.CHAIR],
            "members": [m for m in members if m.role == PracticeGroupMembership.Role.MEMBER],
            "membership": mine,
            "is_chair": bool(mine and mine.role == PracticeGroupMembership.Role.CHAIR),
        },
    )


def _group_action(request, group: PracticeGroup, action, success: str):
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(group.get_absolute_url())


def _self_service(service, success):
    """A POST-only view where the signed-in person acts on a visible group for
    themselves (join, leave) through `service`."""

    @require_POST
    @login_required
    def view(request, slug: str):
        group = _visible_group(request, slug)
        return _group_action(
            request,
            group,
            lambda: service(acting_user=request.user, group=group),
            success % group.name,
        )

    return view


practice_group_join = _self_service(
    services.practice_group_join, gettext_lazy("You are a member of %s.")
)
practice_group_leave = _self_service(services.practice_group_leave, gettext_lazy("You left %s."))


@require_POST
@login_required
def practice_group_make_chair(request, slug: str, pk: int):
    group = _visible_group(request, slug)
    membership = get_object_or_404(
        PracticeGroupMembership.objects.select_related("person"), pk=pk, group=group
    )
    return _group_action(
        request,
        group,
        lambda: services.practice_group_make_chair(
            acting_user=request.user, group=group, person=membership.person
        ),
        _("%s is now a co-chair.") % membership.person,
    )
