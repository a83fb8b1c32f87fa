"""Directory, "My ecosystem", profile, people and invitations."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.billing.selectors import membership_dues_price
from slecop.cache import cache_public_page, versioned
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from .. import selectors, services
from ..auth_backends import SIGN_IN_BACKEND
from ..dashboard import PANEL_CACHE_SECONDS, ecosystem_namespace, render_panels, viewer_role
from ..forms import (
    DirectorySearchForm,
    EcosystemProfileForm,
    InvitationForm,
    InvitationSignupForm,
    PartnerFormSet,
    RoleChangeForm,
)
from ..models import Ecosystem, EcosystemRole, Invitation, User
from ..permissions import can_view_ecosystem, ecosystem_view
from ..staff_home import is_staff_home_user


@cache_public_page("directory", "announcements")
def home(request):
    regions = selectors.region_counts()
    return render(
        request,
        "members/home.html",
        {
            "regions": regions,
            "ecosystem_total": sum(r.ecosystem_count for r in regions),
            "dues": membership_dues_price(),
        },
    )


def about(request):
    """The network's mission, history and design principles (public, static copy)."""
    return render(request, "members/about.html")


@cache_public_page("directory")
def directory(request):
    form = DirectorySearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.directory_page(
        q=filters.get("q", ""), region=filters.get("region"), page=request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "members/directory.html",
        {"form": form, "page_obj": page, "querystring": query.urlencode()},
    )


def ecosystem_detail(request, slug: str):
    obj = get_object_or_404(Ecosystem.objects.select_related("region"), slug=slug)
    if obj.status not in selectors.DIRECTORY_STATUSES and not can_view_ecosystem(request.user, obj):
        raise Http404
    return render(
        request,
        "members/ecosystem_detail.html",
        {
            "ecosystem": obj,
            "partners": obj.partners.all(),
            "can_view": can_view_ecosystem(request.user, obj),
        },
    )


@login_required
def my_ecosystem(request):
    ecosystems = list(selectors.ecosystems_for_user(request.user))
    if not ecosystems and is_staff_home_user(request.user):
        return redirect("members:staff_home")
    if len(ecosystems) == 1:
        return redirect(ecosystems[0].get_dashboard_url())
    return render(request, "members/my_ecosystems.html", {"ecosystems": ecosystems})


@ecosystem_view("view")
def dashboard(request, ecosystem: Ecosystem):
    access = request.ecosystem_access
    can_act = access.can_act
    panels = render_panels(
        ecosystem=ecosystem, user=request.user, can_act=can_act, role=viewer_role(access)
    )
    # the partners and pending invitations, kept under the ecosystem's version key
    lists = versioned(
        ecosystem_namespace(ecosystem.pk),
        ("dashboard-lists", ecosystem.pk),
        lambda: {
            "partners": list(ecosystem.partners.all()),
            "invitations": list(selectors.pending_invitations(ecosystem)),
        },
        timeout=PANEL_CACHE_SECONDS,  # an invitation expires with no write
    )
    return render(
        request,
        "members/dashboard.html",
        {
            "ecosystem": ecosystem,
            "can_act": can_act,
            "panels": panels,
            "partners": lists["partners"],
            "people": selectors.ecosystem_people(ecosystem),  # names change with no bump
            "invitations": lists["invitations"] if can_act else [],
            "role_form": RoleChangeForm(),
        },
    )


@ecosystem_view("act")
def profile_edit(request, ecosystem: Ecosystem):
    partners = [
        {"id": p.pk, "name": p.name, "sector": p.sector, "website": p.website}
        for p in ecosystem.partners.all()
    ]
    form = EcosystemProfileForm(post_data(request), instance=ecosystem)
    formset = PartnerFormSet(post_data(request), initial=partners, prefix="partners")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.ecosystem_update_profile(
                acting_user=request.user,
                ecosystem=ecosystem,
                fields=form.cleaned_data,
                partners=formset.partner_changes(),
            )
        except (DomainError, ValidationError) as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("The profile of %s was saved.") % ecosystem.name)
            return redirect(ecosystem.get_dashboard_url())
    if request.method == "POST":
        ecosystem.refresh_from_db()  # the form mutated the instance; show stored values
    return render(
        request,
        "members/profile_edit.html",
        {"ecosystem": ecosystem, "form": form, "formset": formset},
        status=400 if request.method == "POST" else 200,
    )


@ecosystem_view("act")
def invite(request, ecosystem: Ecosystem):
    form = InvitationForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                acting_user=request.user,
                ecosystem=ecosystem,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("Invitation sent to %s.") % invitation.email)
            return redirect(ecosystem.get_dashboard_url())
    return render(
        request,
        "members/invite.html",
        {"ecosystem": ecosystem, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _domain_action(request, ecosystem, action, success_message):
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success_message)
    return redirect(ecosystem.get_dashboard_url() + "#people")


@require_POST
@ecosystem_view("act")
def role_change(request, ecosystem: Ecosystem, pk: int):
    membership = get_object_or_404(
        EcosystemRole.objects.select_related("user"), pk=pk, ecosystem=ecosystem
    )
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose lead or member."))
        return redirect(ecosystem.get_dashboard_url() + "#people")
    return _domain_action(
        request,
        ecosystem,
        lambda: services.ecosystem_role_set(
            acting_user=request.user,
            ecosystem=ecosystem,
            user=membership.user,
            role=form.cleaned_data["role"],
        ),
        _("%s's role was updated.") % membership.user,
    )


@require_POST
@ecosystem_view("act")
def role_remove(request, ecosystem: Ecosystem, pk: int):
    membership = get_object_or_404(
        EcosystemRole.objects.select_related("user"), pk=pk, ecosystem=ecosystem
    )
    return _domain_action(
        request,
        ecosystem,
        lambda: services.ecosystem_role_remove(acting_user=request.user, membership=membership),
        _("%s was removed from the ecosystem.") % membership.user,
    )


@require_POST
@ecosystem_view("act")
def invitation_revoke(request, ecosystem: Ecosystem, pk: int):
    invitation = get_object_or_404(Invitation, pk=pk, ecosystem=ecosystem)
    return _domain_action(
        request,
        ecosystem,
        lambda: services.invitation_revoke(acting_user=request.user, invitation=invitation),
        _("The invitation to %s was withdrawn.") % invitation.email,
    )


def invitation_accept(request, token: str):
    invitation = get_object_or_404(
        Invitation.objects.select_related("ecosystem", "invited_by"), token=token
    )
    has_account = User.objects.filter(email__iexact=invitation.email).exists()
    signup_form = None
    error = None
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except DomainError as exc:
                error = exc
            else:
                messages.success(request, _("Welcome to %s.") % invitation.ecosystem.name)
                return redirect(invitation.ecosystem.get_dashboard_url())
    elif not has_account:
        signup_form = InvitationSignupForm(post_data(request), email=invitation.email)
        if request.method == "POST" and signup_form.is_valid():
            try:
                user = services.invitation_accept_with_new_account(
                    invitation=invitation,
                    first_name=signup_form.cleaned_data["first_name"],
                    last_name=signup_form.cleaned_data["last_name"],
                    password=signup_form.cleaned_data["password1"],
                )
            except DomainError as exc:
                add_error_to_form(signup_form, exc)
            else:
                login(request, user, backend=SIGN_IN_BACKEND)
                messages.success(request, _("Welcome to %s.") % invitation.ecosystem.name)
                return redirect(invitation.ecosystem.get_dashboard_url())
    status = 200
    if error is not None or (request.method == "POST" and signup_form is not None):
        status = error.http_status if error is not None else 400
    elif not invitation.is_pending:
        status = 410
    return render(
        request,
        "members/invitation_accept.html",
        {
            "invitation": invitation,
            "has_account": has_account,
            "signup_form": signup_form,
            "error": error,
            "login_url": f"{reverse('account_login')}?next={request.path}",
        },
        status=status,
    )
