from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from resources.rendering import render_markdown
from slecop.csv_export import csv_response
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import selectors, services
from .forms import (
    AnnouncementForm,
    CommentForm,
    CommentResponseForm,
    FAQAnswerForm,
    FAQQuestionForm,
    FinalVersionForm,
    SurveyResponseForm,
)
from .models import Comment, Consultation, FAQEntry, Section, Survey, TownHall
from .permissions import VIEW_RESULTS, can_publish_announcements, is_member, is_moderator

PER_PAGE = 20


# --- consultations ---------------------------------------------------------------------------
def consultation_list(request):
    page = Paginator(selectors.consultations_visible_to(request.user), PER_PAGE)
    return render(
        request,
        "community/consultation_list.html",
        {"page_obj": page.get_page(request.GET.get("page"))},
    )


def _consultation(request, slug: str) -> Consultation:
    return get_object_or_404(selectors.consultations_visible_to(request.user), slug=slug)


def _detail(request, consultation, *, comment_form=None, faq_form=None, status=200):
    versions = selectors.consultation_versions(consultation)
    wanted = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == wanted), versions[0])
    by_section, counts = selectors.latest_comments_by_section(request.user, consultation)
    sections = [
        {"section": s, "comments": by_section.get(s.pk, []), "count": counts.get(s.pk, 0)}
        for s in version.sections.all()
    ]
    faq = list(selectors.published_faq(consultation))
    moderator = is_moderator(request.user)
    member = is_member(request.user)
    open_now = consultation.is_open()
    return render(
        request,
        "community/consultation_detail.html",
        {
            "consultation": consultation,
            "version": version,
            "versions": versions,
            "is_latest": version is versions[0],
            "sections": sections,
            "whole_comments": by_section.get(None, []),
            "whole_count": counts.get(None, 0),
            "comment_count": sum(counts.values()),
            "faq": faq,
            "faq_updated": selectors.faq_last_updated(faq),
            "open_now": open_now,
            "is_member": member,
            "is_moderator": moderator,
            "comment_form": comment_form
            or (CommentForm(version=version) if open_now and version is versions[0] else None),
            "faq_form": faq_form or FAQQuestionForm(),
            "pending_faq": (
                list(consultation.faq.filter(status=FAQEntry.Status.SUBMITTED)) if moderator else []
            ),
            "response_form": CommentResponseForm() if moderator else None,
            "answer_form": FAQAnswerForm() if moderator else None,
        },
        status=status,
    )


def consultation_detail(request, slug: str):
    return _detail(request, _consultation(request, slug))


def comment_list(request, slug: str):
    """All the comments the visitor may see, on one section (?section=anchor), on the
    whole document (?section=whole) or everywhere, 50 a page."""
    consultation = _consultation(request, slug)
    comments = selectors.comments_visible_to(request.user, consultation).order_by(
        "created_at", "pk"
    )
    wanted = request.GET.get("section", "")
    section = None
    if wanted == "whole":
        comments = comments.filter(section__isnull=True)
    elif wanted:
        section = get_object_or_404(
            Section.objects.filter(version__consultation=consultation), pk=_int_or_404(wanted)
        )
        comments = comments.filter(section=section)
    page = Paginator(comments, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "community/comment_list.html",
        {
            "consultation": consultation,
            "section": section,
            "whole": wanted == "whole",
            "page_obj": page,
            "querystring": query.urlencode(),
            "response_form": CommentResponseForm() if is_moderator(request.user) else None,
        },
    )


def _int_or_404(value: str) -> int:
    if not value.isdigit():
        raise Http404
    return int(value)


@require_POST
@login_required
def comment_create(request, slug: str):
    consultation = _consultation(request, slug)
    version = services.consultations.current_version(consultation)
    form = CommentForm(request.POST, version=version)
    if form.is_valid():
        try:
            comment = services.comment_create(
                acting_user=request.user, consultation=consultation, **form.cleaned_data
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
            return _detail(request, consultation, comment_form=form, status=exc.http_status)
        messages.success(request, _("Thank you, your comment is recorded."))
        anchor = comment.section.anchor if comment.section else "comments"
        return redirect(f"{consultation.get_absolute_url()}#{anchor}")
    return _detail(request, consultation, comment_form=form, status=400)


@require_POST
@login_required
def faq_ask(request, slug: str):
    consultation = _consultation(request, slug)
    form = FAQQuestionForm(request.POST)
    if form.is_valid():
        try:
            services.faq_ask(
                acting_user=request.user,
                consultation=consultation,
                question=form.cleaned_data["question"],
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
            return _detail(request, consultation, faq_form=form, status=exc.http_status)
        messages.success(
            request, _("Thank you, the Stewardship team will answer your question in the FAQ.")
        )
        return redirect(f"{consultation.get_absolute_url()}#faq")
    return _detail(request, consultation, faq_form=form, status=400)


def _moderator_post(request, form, action, success, back):
    """Run a moderator's action from a small form posted on the consultation page."""
    if not is_moderator(request.user):
        raise PermissionDenied(_("Only the Stewardship team and TIES staff can do this."))
    if not form.is_valid():
        messages.error(request, _("Please check the form: %s") % form.errors.as_text())
    else:
        try:
            action(form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
    return redirect(back)


@require_POST
@login_required
def comment_respond(request, slug: str, pk: int):
    consultation = _consultation(request, slug)
    comment = get_object_or_404(Comment, pk=pk, consultation=consultation)
    anchor = comment.section.anchor if comment.section else "comments"
    return _moderator_post(
        request,
        CommentResponseForm(request.POST),
        lambda data: services.comment_respond(acting_user=request.user, comment=comment, **data),
        _("Your response is recorded."),
        f"{consultation.get_absolute_url()}#{anchor}",
    )


@require_POST
@login_required
def faq_answer(request, slug: str, pk: int):
    consultation = _consultation(request, slug)
    entry = get_object_or_404(FAQEntry, pk=pk, consultation=consultation)
    return _moderator_post(
        request,
        FAQAnswerForm(request.POST),
        lambda data: services.faq_answer(acting_user=request.user, entry=entry, **data),
        _("The answer is saved."),
        f"{consultation.get_absolute_url()}#faq",
    )


@login_required
def consultation_finalize(request, slug: str):
    consultation = _consultation(request, slug)
    if not is_moderator(request.user):
        raise PermissionDenied(_("Only the Stewardship team and TIES staff can do this."))
    latest = services.consultations.current_version(consultation)
    form = FinalVersionForm(post_data(request), initial={"body": latest.body if latest else ""})
    if request.method == "POST" and form.is_valid():
        try:
            services.consultation_finalize(
                acting_user=request.user, consultation=consultation, **form.cleaned_data
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("The final version is published."))
            return redirect(consultation.get_absolute_url())
    return render(
        request,
        "community/consultation_finalize.html",
        {
            "consultation": consultation,
            "form": form,
            "summary": services.consultations.comment_summary(consultation),
        },
        status=400 if request.method == "POST" else 200,
    )


def faq(request):
    """The maintained FAQ: general questions and those of every published consultation,
    with the date each answer was last updated. Members may ask a general question."""
    entries = list(
        FAQEntry.objects.filter(status=FAQEntry.Status.PUBLISHED)
        .filter(Q(consultation__isnull=True) | Q(consultation__published=True))
        .select_related("consultation")
        .order_by("consultation__title", "order", "published_at", "pk")
    )
    groups: dict = {}
    for entry in entries:
        groups.setdefault(entry.consultation, []).append(entry)
    form = FAQQuestionForm(post_data(request))
    member = is_member(request.user)
    if request.method == "POST":
        if not member:
            raise PermissionDenied(
                _("Questions are open to leads and members of SLECoP ecosystems.")
            )
        if form.is_valid():
            try:
                services.faq_ask(
                    acting_user=request.user,
                    consultation=None,
                    question=form.cleaned_data["question"],
                )
            except DomainError as exc:
                add_error_to_form(form, exc)
            else:
                messages.success(
                    request, _("Thank you, the Stewardship team will answer your question.")
                )
                return redirect("community:faq")
    return render(
        request,
        "community/faq.html",
        {
            "groups": list(groups.items()),
            "updated": selectors.faq_last_updated(entries),
            "form": form if member else None,
        },
        status=400 if request.method == "POST" else 200,
    )


# --- announcements ---------------------------------------------------------------------------
def announcement_list(request):
    page = Paginator(selectors.announcements_visible_to(request.user), PER_PAGE)
    return render(
        request,
        "community/announcement_list.html",
        {
            "page_obj": page.get_page(request.GET.get("page")),
            "can_publish": can_publish_announcements(request.user),
        },
    )


def announcement_detail(request, pk: int):
    announcement = get_object_or_404(selectors.announcements_visible_to(request.user), pk=pk)
    return render(request, "community/announcement_detail.html", {"announcement": announcement})


@login_required
def announcement_create(request):
    if not can_publish_announcements(request.user):
        raise PermissionDenied(
            _("Only TIES staff and the Vice Chair for Communications publish announcements.")
        )
    form = AnnouncementForm(post_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            announcement = services.announcement_create(
                acting_user=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(request, _("The announcement is saved."))
            if announcement.published_at:
                return redirect(announcement.get_absolute_url())
            return redirect("community:announcement_list")
    return render(
        request,
        "community/announcement_form.html",
        {"form": form},
        status=400 if request.method == "POST" else 200,
    )


class AnnouncementFeed(Feed):
    """Public announcements only: a feed reader is never signed in."""

    title = gettext_lazy("SLECoP announcements")
    link = reverse_lazy("community:announcement_list")
    description = gettext_lazy("News from the STEM Learning Ecosystems Community of Practice")

    def items(self):
        return selectors.public_announcements()[:20]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_markdown(item.body)

    def item_pubdate(self, item):
        return item.published_at


def partner_list(request):
    return render(request, "community/partners.html", {"groups": selectors.partners()})


# --- town halls ------------------------------------------------------------------------------
def townhall_list(request):
    page = Paginator(selectors.past_town_halls(), PER_PAGE)
    return render(
        request,
        "community/townhall_list.html",
        {
            "upcoming": selectors.upcoming_town_halls()[:50],
            "page_obj": page.get_page(request.GET.get("page")),
        },
    )


def townhall_detail(request, slug: str):
    town_hall = get_object_or_404(TownHall.objects.select_related("region"), slug=slug)
    registrations = town_hall.registrations.select_related("person", "ecosystem")
    registered = (
        request.user.is_authenticated and registrations.filter(person=request.user).exists()
    )
    return render(
        request,
        "community/townhall_detail.html",
        {
            "town_hall": town_hall,
            "registered": registered,
            "registration_count": registrations.count(),
            "registrations": registrations[:500] if is_moderator(request.user) else None,
            "can_register": is_member(request.user),
            "surveys": list(town_hall.surveys.filter(published=True)) if registered else [],
        },
    )


def _townhall_action(service, success):
    @require_POST
    @login_required
    def view(request, slug: str):
        town_hall = get_object_or_404(TownHall, slug=slug)
        try:
            service(acting_user=request.user, town_hall=town_hall)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, success)
        return redirect(town_hall.get_absolute_url())

    return view


townhall_register = _townhall_action(
    services.townhall_register, gettext_lazy("You are registered; the link is on this page.")
)
townhall_unregister = _townhall_action(
    services.townhall_unregister, gettext_lazy("Your registration is cancelled.")
)


# --- surveys ---------------------------------------------------------------------------------
@login_required
def survey_list(request):
    return render(
        request,
        "community/survey_list.html",
        {
            "open_surveys": selectors.open_surveys_for(request.user)[:50],
            "results": (
                Survey.objects.filter(published=True).order_by("-opens_at")[:50]
                if request.user.has_perm(VIEW_RESULTS)
                else []
            ),
        },
    )


@login_required
def survey_detail(request, slug: str):
    survey = get_object_or_404(Survey.objects.filter(published=True), slug=slug)
    if selectors.has_responded(request.user, survey):
        return render(request, "community/survey_done.html", {"survey": survey})
    eligible, _region = services.surveys.survey_audience_region(request.user, survey)
    form = SurveyResponseForm(post_data(request), survey=survey)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.survey_respond(
                    acting_user=request.user, survey=survey, answers=form.answers()
                )
            except DomainError as exc:
                add_error_to_form(form, exc)
                status = exc.http_status
            else:
                messages.success(request, _("Thank you, your response is recorded."))
                return redirect(survey.get_absolute_url())
    return render(
        request,
        "community/survey_detail.html",
        {"survey": survey, "form": form, "eligible": eligible, "open_now": survey.is_open()},
        status=status,
    )


@permission_required(VIEW_RESULTS, raise_exception=True)
def survey_results(request, slug: str):
    survey = get_object_or_404(Survey, slug=slug)
    return render(
        request,
        "community/survey_results.html",
        {"results": selectors.survey_results(survey)},
    )


@permission_required(VIEW_RESULTS, raise_exception=True)
def survey_results_csv(request, slug: str):
    survey = get_object_or_404(Survey, slug=slug)
    rows = selectors.survey_csv_rows(survey)
    return csv_response(f"survey-{survey.slug}.csv", next(rows), rows)
