"""Thin views: parse input, call one service or selector, render."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from members.billing.selectors import ecosystem_standing
from members.billing.views.staff import staff_view
from members.dashboard import NETWORK, PANEL_CACHE_SECONDS, ecosystem_namespace
from members.permissions import ecosystem_view
from members.selectors import ecosystems_for_user
from slecop.cache import versioned
from slecop.csv_export import csv_response
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import selectors, services
from .forms import AttendeeForm, CheckInSearchForm, RegistrationForm
from .models import Convening, Registration

PER_PAGE = 20
CHECK_IN_PER_PAGE = 30
BADGES_PER_PAGE = 120


def convening_list(request):
    page = Paginator(selectors.public_convenings(), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "convenings/list.html",
        {"page_obj": page, "past": selectors.public_convenings(past=True)[:10]},
    )


def _convening_or_404(slug: str, *, staff: bool = False) -> Convening:
    try:
        return selectors.convening_detail(slug, staff=staff)
    except Convening.DoesNotExist as exc:
        raise Http404 from exc


def convening_detail(request, slug: str):
    convening = _convening_or_404(slug)
    ecosystems = []
    if request.user.is_authenticated:
        ecosystems = list(
            ecosystems_for_user(request.user).filter(selectors.ecosystems_welcome_q(convening))[:10]
        )
    return render(
        request,
        "convenings/detail.html",
        {
            "convening": convening,
            "seats_left": selectors.seats_left(convening),
            "my_ecosystems": ecosystems,
        },
    )


def _lead_page(ecosystem) -> str:
    return reverse("convenings:ecosystem_registrations", kwargs={"ecosystem": ecosystem.slug})


@ecosystem_view("view")
def ecosystem_registrations(request, ecosystem):
    # The convenings and registrations and the standing are the same for every viewer:
    # kept per ecosystem under its version key (its registrations and invoices), the
    # seats taken anywhere, the network-wide panel rows, and the day (at most 60 s: a
    # registration window opens or closes with no write). The forms render every time.
    rows, standing = versioned(
        (ecosystem_namespace(ecosystem.pk), selectors.SEATS, NETWORK),
        ("registrations", ecosystem.pk, timezone.localdate()),
        lambda: (selectors.ecosystem_convenings(ecosystem), ecosystem_standing(ecosystem)),
        timeout=PANEL_CACHE_SECONDS,
    )
    return render(
        request,
        "convenings/ecosystem_registrations.html",
        {
            "ecosystem": ecosystem,
            "rows": rows,
            "can_act": request.ecosystem_access.can_act,
            "standing": standing,
        },
    )


def _open_convening(ecosystem, slug: str) -> Convening:
    return get_object_or_404(
        Convening.objects.filter(published=True).filter(selectors.visible_to(ecosystem)),
        slug=slug,
    )


@ecosystem_view("act")
def register(request, ecosystem, slug: str):
    convening = _open_convening(ecosystem, slug)
    form = RegistrationForm(post_data(request), convening=convening)
    offer = None
    if form.is_valid():
        sessions = form.cleaned_data.get("sessions") or []
        try:
            registration = services.registration_create(
                acting_user=request.user,
                convening=convening,
                ecosystem=ecosystem,
                attendee=form.attendee(),
                session_ids=[s.pk for s in sessions],
                accept_paid_seat=form.cleaned_data["accept_paid_seat"],
            )
        except DomainError as exc:
            if exc.code == "paid_seat_offered":
                offer = exc.message
            else:
                add_error_to_form(form, exc)
        else:
            return _after_registration(request, ecosystem, registration)
    return render(
        request,
        "convenings/register.html",
        {"ecosystem": ecosystem, "convening": convening, "form": form, "offer": offer},
    )


def _after_registration(request, ecosystem, registration: Registration):
    name = registration.attendee_name
    if registration.status == Registration.Status.PENDING_PAYMENT:
        until = formats.time_format(timezone.localtime(registration.hold_expires_at))
        messages.success(
            request,
            _("An extra seat for %(name)s is held until %(until)s. Pay the invoice to confirm it.")
            % {"name": name, "until": until},
        )
        return redirect(registration.invoice.get_absolute_url())
    if registration.status == Registration.Status.WAITLISTED:
        messages.warning(
            request,
            _("The convening is full: %(name)s is on the waitlist, at position %(n)s.")
            % {"name": name, "n": registration.waitlist_position},
        )
    else:
        messages.success(
            request,
            _("%(name)s is registered; a confirmation email is on its way.") % {"name": name},
        )
    return redirect(_lead_page(ecosystem))


def _registration(ecosystem, pk: int) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("convening"), pk=pk, ecosystem=ecosystem
    )


@require_POST
@ecosystem_view("act")
def cancel(request, ecosystem, pk: int):
    registration = _registration(ecosystem, pk)
    try:
        services.registration_cancel(acting_user=request.user, registration=registration)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("The registration of %(name)s is cancelled; the seat is free again.")
            % {"name": registration.attendee_name},
        )
    return redirect(_lead_page(ecosystem))


@ecosystem_view("act")
def substitute(request, ecosystem, pk: int):
    registration = _registration(ecosystem, pk)
    form = AttendeeForm(post_data(request), prefix="new")
    if form.is_valid():
        try:
            services.registration_substitute(
                acting_user=request.user, registration=registration, attendee=form.attendee()
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now holds this seat.") % {"name": form.cleaned_data["attendee_name"]},
            )
            return redirect(_lead_page(ecosystem))
    return render(
        request,
        "convenings/substitute.html",
        {"ecosystem": ecosystem, "registration": registration, "form": form},
    )


# --- staff ---------------------------------------------------------------------------------


def _staff_convening(slug: str) -> Convening:
    return get_object_or_404(Convening.objects.select_related("region"), slug=slug)


@staff_view("convenings.view_registration")
def staff_list(request):
    page = Paginator(selectors.staff_convenings(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "convenings/staff/list.html", {"page_obj": page})


@staff_view("convenings.view_registration")
def staff_overview(request, slug: str):
    convening = _convening_or_404(slug, staff=True)
    return render(
        request,
        "convenings/staff/overview.html",
        {
            "convening": convening,
            "seats_left": selectors.seats_left(convening),
            "by_region": selectors.counts_by_region(convening),
            "by_session": selectors.counts_by_session(convening),
        },
    )


@staff_view("convenings.view_registration")
def check_in(request, slug: str):
    convening = _staff_convening(slug)
    form = CheckInSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = Paginator(selectors.check_in_search(convening, q), CHECK_IN_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "convenings/staff/check_in.html",
        {
            "convening": convening,
            "form": form,
            "q": q,
            "page_obj": page,
            "querystring": urlencode({"q": q}) if q else "",
        },
    )


@require_POST
@staff_view("convenings.change_registration")
def check_in_toggle(request, slug: str, pk: int):
    registration = get_object_or_404(Registration, pk=pk, convening__slug=slug)
    undo = request.POST.get("undo") == "1"
    try:
        services.registration_check_in(
            acting_user=request.user, registration=registration, undo=undo
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        text = _("%(name)s: check-in undone.") if undo else _("%(name)s checked in.")
        messages.success(request, text % {"name": registration.attendee_name})
    url = reverse("convenings:check_in", kwargs={"slug": slug})
    q = request.POST.get("q", "")[:100]
    return redirect(f"{url}?{urlencode({'q': q})}" if q else url)


@staff_view("convenings.view_registration")
def attendees_csv(request, slug: str):
    convening = _staff_convening(slug)
    header = [
        _("Name"),
        _("Email"),
        _("Role"),
        _("Ecosystem"),
        _("Region"),
        _("Status"),
        _("Seat"),
        _("Waitlist position"),
        _("Dietary needs"),
        _("Accessibility needs"),
        _("Checked in"),
        _("Registered"),
    ]
    rows = selectors.attendees_for_export(convening).iterator(chunk_size=2000)
    return csv_response(f"{convening.slug}-attendees.csv", header, rows)


@staff_view("convenings.view_registration")
def badges(request, slug: str):
    convening = _staff_convening(slug)
    page = Paginator(selectors.badges(convening), BADGES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "convenings/staff/badges.html", {"convening": convening, "page_obj": page}
    )
