"""Admin of the elections app: the Stewardship team runs elections here. Phase changes,
the slate and certification are actions that call services (which refuse illegal moves
and write the audit). Ballots have no admin page at all, so nobody can browse ballot
contents next to the voter records; who voted is listed without what."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import EcosystemRole, User
from slecop.admin_utils import ReadOnlyAdmin, ServiceFormMixin, ServicePage, run_each
from slecop.errors import DomainError
from slecop.web import add_error_to_form

from . import selectors, services, stewards
from .forms import schedule_form
from .models import Candidate, Caster, Contest, Election, Elector, Nomination, VoterRecord
from .services.phases import SCHEDULE_FIELDS


def count_link(election: Election) -> str:
    """A message linking to the stewards' count of `election`."""
    return format_html(
        '<a href="{}">{}</a>',
        reverse("admin:elections_election_count", args=[election.pk]),
        gettext("Review the stewards' count of %s") % election,
    )


# The phase actions: each leads to a confirmation page (ElectionAdmin.phase_view) that
# says what will happen; nothing changes until it is confirmed there (a POST).
PHASE_STEPS = {
    # URL segment: (service, target phase, permission, success message)
    "open-nominations": (
        services.election_open_nominations,
        Election.Phase.NOMINATIONS,
        "run",
        _("Nominations opened."),
    ),
    "open-voting": (
        services.election_open_voting,
        Election.Phase.VOTING,
        "run",
        _("Voting opened: the electorate is snapshotted."),
    ),
    "close": (
        services.election_close,
        Election.Phase.CLOSED,
        "run",
        _("Voting closed and counted."),
    ),
    "certify": (
        services.election_certify,
        Election.Phase.CERTIFIED,
        "certify",
        _("Certified: the results are published and the winners seated."),
    ),
}
STEP_TITLES = {
    "open-nominations": _("Open nominations"),
    "open-voting": _("Open voting (snapshots the electorate)"),
    "close": _("Close voting and count"),
    "certify": _("Certify results (seats the winners)"),
}


def _phase_action(step: str, label):
    service, _to, permission, _done = PHASE_STEPS[step]

    def action(modeladmin, request, queryset):
        elections = list(queryset[:2])
        if len(elections) != 1:
            modeladmin.message_user(
                request,
                gettext("Choose one election: each phase change has its own confirmation page."),
                messages.ERROR,
            )
            return None
        return redirect(reverse("admin:elections_election_phase", args=[elections[0].pk, step]))

    action.__name__ = service.__name__
    return admin.action(description=label, permissions=[permission])(action)


class ContestInline(admin.TabularInline):
    model = Contest
    extra = 0
    fields = ["office", "method", "order"]
    autocomplete_fields = []

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or obj.phase == Election.Phase.DRAFT
        )

    has_add_permission = has_change_permission
    has_delete_permission = has_change_permission


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "phase",
        "nominations_open_on",
        "voting_opens_on",
        "voting_closes_on",
        "term_start",
    ]
    list_filter = ["phase"]
    search_fields = ["title", "description"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ContestInline]
    readonly_fields = [
        "phase",
        "nominations_opened_at",
        "voting_opened_at",
        "closed_at",
        "certified_at",
        "certified_by",
    ]
    actions = [
        _phase_action(step, format_lazy("{}…", title)) for step, title in STEP_TITLES.items()
    ]

    change_form_template = "admin/elections/election/change_form.html"

    def has_run_permission(self, request):
        return request.user.has_perm("elections.run_election")

    def get_urls(self):
        return [
            path(
                "<int:pk>/count/",
                self.admin_site.admin_view(self.count_view),
                name="elections_election_count",
            ),
            path(
                "<int:pk>/phase/<slug:step>/",
                self.admin_site.admin_view(self.phase_view),
                name="elections_election_phase",
            ),
            *super().get_urls(),
        ]

    def phase_view(self, request, pk: int, step: str):
        """The confirmation page of a phase change: what it will do (the electorate and
        its leads, the contests, the winners and their terms); a GET shows it, only a
        POST with "confirm" calls the service. Cancel goes back to the election."""
        if step not in PHASE_STEPS:
            raise Http404
        service, to, permission, done = PHASE_STEPS[step]
        if not getattr(self, f"has_{permission}_permission")(request):
            raise PermissionDenied
        election = get_object_or_404(Election, pk=pk)
        change_url = reverse("admin:elections_election_change", args=[election.pk])
        if services.phases.NEXT.get(election.phase) != to:
            self.message_user(
                request,
                gettext("%(election)s is %(phase)s: it cannot move to “%(to)s”.")
                % {
                    "election": election,
                    "phase": election.get_phase_display().lower(),
                    "to": Election.Phase(to).label,
                },
                messages.ERROR,
            )
            return redirect(change_url)
        error = None
        form = schedule_form(step, election, request.POST if request.method == "POST" else None)
        if request.method == "POST" and "confirm" in request.POST:
            if form is None or form.is_valid():
                kwargs = {"schedule": form.cleaned_data} if form is not None else {}
                try:
                    moved = service(acting_user=request.user, election=election, **kwargs)
                except DomainError as exc:
                    if form is not None and exc.field in form.fields:
                        add_error_to_form(form, exc)
                    error = exc.message
                else:
                    self.message_user(request, str(done), messages.SUCCESS)
                    for nomination in Nomination.objects.filter(
                        contest__election=election, status=Nomination.Status.EXCLUDED
                    ).select_related("nominee", "contest__office", "nominee_ecosystem"):
                        self.message_user(
                            request,
                            gettext(
                                "%(person)s is off the slate for %(office)s: %(eco)s was not in "
                                "good standing when voting opened."
                            )
                            % {
                                "person": nomination.nominee,
                                "office": nomination.contest.office,
                                "eco": nomination.nominee_ecosystem,
                            },
                            messages.WARNING,
                        )
                    if getattr(moved, "phase", to) == Election.Phase.CLOSED:
                        self.message_user(request, count_link(election))
                        return redirect(
                            reverse("admin:elections_election_count", args=[election.pk])
                        )
                    return redirect(change_url)
            else:
                error = gettext("Correct the dates below.")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": election,
            "title": gettext("Confirm: %(action)s — %(election)s")
            % {"action": STEP_TITLES[step], "election": election},
            "preview": stewards.phase_preview(election, to),
            "error": error,
            "form": form,
            "change_url": change_url,
            "count_url": reverse("admin:elections_election_count", args=[election.pk])
            if to == Election.Phase.CERTIFIED
            else "",
        }
        return TemplateResponse(
            request,
            "admin/elections/election/confirm_phase.html",
            context,
            status=400 if error else 200,
        )

    def count_view(self, request, pk: int):
        """The stewards' count between close and certification (and after): every
        contest in full, every instant-runoff round with its transfers, exhausted ballots
        and the tie-break applied. Stewards (who run elections) and superusers only."""
        if not self.has_run_permission(request):
            raise PermissionDenied
        election = get_object_or_404(Election, pk=pk)
        counted = election.phase in (Election.Phase.CLOSED, Election.Phase.CERTIFIED)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": election,
            "title": gettext("Stewards' count: %s") % election,
            "counted": counted,
            "contests": stewards.stewards_count(election) if counted else [],
            "min_ballots": selectors.MIN_BALLOTS_TO_PUBLISH,
            "certify_url": reverse("admin:elections_election_phase", args=[election.pk, "certify"])
            if election.phase == Election.Phase.CLOSED and self.has_certify_permission(request)
            else "",
        }
        return TemplateResponse(request, "admin/elections/election/count.html", context)

    def has_certify_permission(self, request):
        return request.user.has_perm("elections.certify_election")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.phase != Election.Phase.DRAFT:
            fields += ["slug", "term_start"]
        # the dates of what has happened are the days it happened (the phase services
        # set them): only the dates still ahead are edited by hand
        phase = obj.phase if obj is not None else Election.Phase.DRAFT
        passed = {
            Election.Phase.NOMINATIONS: ["nominations_open_on"],
            Election.Phase.VOTING: [
                "nominations_open_on",
                "nominations_close_on",
                "voting_opens_on",
            ],
        }.get(phase, [])
        if phase in (Election.Phase.CLOSED, Election.Phase.CERTIFIED):
            passed = list(SCHEDULE_FIELDS)
        return fields + passed

    def get_prepopulated_fields(self, request, obj=None):
        return self.prepopulated_fields if obj is None or obj.phase == "draft" else {}

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or obj.phase == Election.Phase.DRAFT
        )


@admin.register(Nomination)
class NominationAdmin(admin.ModelAdmin):
    list_display = [
        "nominee",
        "contest",
        "status",
        "nominee_ecosystem",
        "ecosystem",
        "nominated_by",
        "created_at",
    ]
    list_filter = ["status", "contest__election", "contest__office"]
    search_fields = ["nominee__email", "nominee__first_name", "nominee__last_name", "statement"]
    list_select_related = [
        "nominee",
        "contest__election",
        "contest__office",
        "ecosystem",
        "nominee_ecosystem",
        "nominated_by",
    ]
    readonly_fields = [
        "contest",
        "nominee",
        "nominated_by",
        "ecosystem",
        "nominee_ecosystem",
        "statement",
        "status",
        "created_at",
        "responded_at",
        "reviewed_at",
        "reviewed_by",
    ]

    def has_add_permission(self, request):
        return False

    def _review(self, request, queryset, *, approve: bool, done):
        """Approving onto or leaving off the slate is final: the action first shows the
        nominations it will change (a confirmation page, as Django's delete action does);
        only its Confirm (a POST with `post=yes`) calls the service."""
        if request.POST.get("post") != "yes":
            nominations = queryset.select_related(
                "nominee", "contest__office", "contest__election", "ecosystem"
            )
            return TemplateResponse(
                request,
                "admin/elections/nomination/confirm_review.html",
                {
                    **self.admin_site.each_context(request),
                    "opts": self.model._meta,
                    "title": gettext("Confirm: put these nominations on the slate")
                    if approve
                    else gettext("Confirm: leave these nominations off the slate"),
                    "approve": approve,
                    "nominations": nominations,
                    "action": request.POST.get("action", ""),
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                },
            )
        run_each(
            self,
            request,
            queryset,
            lambda n: services.nomination_review(
                acting_user=request.user, nomination=n, approve=approve
            ),
            str(done),
        )
        return None

    @admin.action(description=_("Approve onto the slate…"), permissions=["change"])
    def approve(self, request, queryset):
        return self._review(request, queryset, approve=True, done=_("Approved"))

    @admin.action(description=_("Leave off the slate…"), permissions=["change"])
    def reject(self, request, queryset):
        return self._review(request, queryset, approve=False, done=_("Left off the slate"))

    actions = ["approve", "reject"]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "contest"]
    list_filter = ["contest__election", "contest__office"]
    search_fields = ["name", "person__email"]
    list_select_related = ["contest__election", "contest__office"]
    readonly_fields = ["contest", "person", "nomination"]
    fields = ["contest", "person", "nomination", "name", "statement"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        """The name and statement can be corrected until voting opens."""
        return super().has_change_permission(request, obj) and (
            obj is None or obj.contest.election.phase in ("draft", "nominations")
        )

    def has_delete_permission(self, request, obj=None):
        return False


def _lead_role(ecosystem_ref: str):
    return EcosystemRole.objects.filter(
        user=OuterRef("user"), ecosystem=OuterRef(ecosystem_ref), role=EcosystemRole.Role.LEAD
    )


def caster_form(elector: Elector) -> type[forms.Form]:
    """The form of the "Add who casts the ballot" page: one of the ecosystem's leads now."""

    class LeadChoiceField(forms.ModelChoiceField):
        def label_from_instance(self, obj):
            return f"{obj.get_full_name() or obj.email} <{obj.email}>"

    class CasterAddForm(forms.Form):
        user = LeadChoiceField(
            queryset=User.objects.filter(
                ecosystem_roles__ecosystem_id=elector.ecosystem_id,
                ecosystem_roles__role=EcosystemRole.Role.LEAD,
            ).order_by("email"),
            label=_("Lead who may cast the ballot"),
        )
        reason = forms.CharField(
            label=_("Reason"),
            widget=forms.Textarea(attrs={"rows": 4}),
            max_length=2000,
            help_text=_("Emailed to the ecosystem's leads and kept in the audit log."),
        )

    return CasterAddForm


@admin.register(Elector)
class ElectorAdmin(ServiceFormMixin, ReadOnlyAdmin):
    """The electorate snapshotted when voting opened, with who may cast each ballot (the
    leads then; a Stewardship-team member can add one when none of them is a lead now)."""

    list_display = ["ecosystem", "region", "election", "casters_list"]
    list_filter = ["election", "region"]
    search_fields = ["ecosystem__name"]
    list_select_related = ["ecosystem", "region", "election"]
    readonly_fields = ["election", "ecosystem", "region", "casters_list"]
    change_form_template = "admin/elections/elector/change_form.html"
    service_views = {"add_caster": "add-caster"}

    def get_queryset(self, request):
        casters = Caster.objects.select_related("user").annotate(
            is_lead=Exists(_lead_role("elector__ecosystem"))
        )
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("casters", queryset=casters.order_by("added_at", "pk")))
        )

    @admin.display(description=_("May cast the ballot"))
    def casters_list(self, obj):
        return format_html_join(
            ", ",
            "{}{}",
            (
                (
                    c.user,
                    "" if c.is_lead else gettext(" (no longer a lead)"),
                )
                for c in obj.casters.all()
            ),
        ) or gettext("nobody")

    def add_caster_view(self, request, pk: int):
        services.check_may_add_casters(request.user)  # TIES staff: a clear 403 page
        elector = get_object_or_404(
            self.get_queryset(request).select_related("ecosystem", "election"), pk=pk
        )

        def add(data):
            return services.caster_add(
                acting_user=request.user,
                elector=elector,
                user=data["user"],
                reason=data["reason"],
            )

        return self.service_page(
            request,
            elector,
            ServicePage(
                title=gettext("Add who casts the ballot of %s") % elector.ecosystem,
                form=caster_form(elector),
                call=add,
                success=gettext("Added. The ecosystem's leads were emailed."),
                intro=gettext(
                    "Who casts an ecosystem's ballot is fixed when voting opens: its leads "
                    "then, while they are still leads. Only when none of them is a lead any "
                    "more, name one of its current leads here and say why."
                ),
                facts=[
                    (gettext("Election"), str(elector.election)),
                    (gettext("Ecosystem"), str(elector.ecosystem)),
                    (gettext("May cast now"), str(self.casters_list(elector))),
                ],
            ),
        )


@admin.register(Caster)
class CasterAdmin(ReadOnlyAdmin):
    """Who may cast each ballot: the leads snapshotted when voting opened and the ones
    added by the Stewardship team (with who added them and why)."""

    list_display = ["user", "ecosystem", "election", "added_by", "added_at", "reason"]
    list_filter = ["elector__election", ("added_by", admin.EmptyFieldListFilter)]
    search_fields = ["user__email", "elector__ecosystem__name", "reason"]
    list_select_related = ["user", "elector__ecosystem", "elector__election", "added_by"]

    @admin.display(description=_("ecosystem"), ordering="elector__ecosystem__name")
    def ecosystem(self, obj):
        return obj.elector.ecosystem

    @admin.display(description=_("election"), ordering="elector__election")
    def election(self, obj):
        return obj.elector.election


@admin.register(VoterRecord)
class VoterRecordAdmin(ReadOnlyAdmin):
    """Who voted — never what (ballots are not in the admin)."""

    list_display = ["ecosystem", "region", "election", "cast_at"]
    list_filter = ["election", "region"]
    search_fields = ["ecosystem__name"]
    list_select_related = ["ecosystem", "region", "election"]
    date_hierarchy = None
