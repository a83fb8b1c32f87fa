"""Forms of joining and onboarding."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import JoinApplication, User
from members.onboarding.selectors import coach_candidates


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
