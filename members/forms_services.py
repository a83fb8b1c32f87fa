"""Forms of add-on services, the join application and onboarding (issue 10)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import MoneyField
from .models import JoinApplication, User
from .selectors_services import coach_candidates, requestable_services


class ServiceRequestForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Service"), queryset=requestable_services(), to_field_name="slug"
    )
    need = forms.CharField(
        label=_("What do you need?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("The question, the partners involved and what a good result looks like."),
    )
    preferred_timing = forms.CharField(
        label=_("Preferred timing"),
        max_length=200,
        required=False,
        help_text=_("For example: before our spring board meeting (March)."),
    )


class JoinApplicationForm(forms.ModelForm):
    website = forms.URLField(
        label=_("Website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = JoinApplication
        fields = [
            "ecosystem_name",
            "region",
            "city",
            "state_province",
            "country",
            "website",
            "lead_first_name",
            "lead_last_name",
            "lead_email",
            "lead_organization",
            "partners",
            "why",
        ]
        widgets = {
            "partners": forms.Textarea(attrs={"rows": 5}),
            "why": forms.Textarea(attrs={"rows": 6}),
        }

    def validate_unique(self):
        """Duplicates are the service's to find (with a message that says which)."""


class AcceptRequestForm(forms.Form):
    fee_cents = MoneyField(
        label=_("Fee (USD)"),
        required=False,
        min_cents=0,
        help_text=_(
            "Leave empty for the catalog fee. Required for a service priced by quote; "
            "0 for no charge."
        ),
    )
    note = forms.CharField(
        label=_("Note to the ecosystem"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ScheduleRequestForm(forms.Form):
    scheduled_for = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note to the ecosystem"), max_length=5000, required=False)

    def clean_scheduled_for(self):
        day = self.cleaned_data["scheduled_for"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Choose today or a later date."))
        return day


class AssignRequestForm(forms.Form):
    staff_member = forms.ModelChoiceField(
        label=_("Staff member"),
        queryset=User.objects.filter(is_staff=True, is_active=True).order_by("email"),
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the ecosystem"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (sent to them)"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class JoinApproveForm(forms.Form):
    coach = forms.ModelChoiceField(
        label=_("Coach"),
        queryset=User.objects.none(),
        help_text=_("A member of the stewardship team or TIES staff."),
    )
    cohort_year = forms.IntegerField(
        label=_("Cohort year"), min_value=2015, max_value=2100, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coach"].queryset = coach_candidates()
        self.fields["cohort_year"].initial = timezone.localdate().year


class TickForm(forms.Form):
    key = forms.CharField(max_length=40)
    done = forms.BooleanField(required=False)
    note = forms.CharField(max_length=255, required=False)
