"""Forms of add-on services, the join application and onboarding (issue 10)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.billing.forms import MoneyField
from members.catalogue.selectors import requestable_services
from members.models import User


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
