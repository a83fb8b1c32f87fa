from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from slecop.web import BoundedIdsField

from .models import Registration, Session
from .services import Attendee


class AttendeeForm(forms.ModelForm):
    class Meta:
        model = Registration
        fields = [
            "attendee_name",
            "attendee_email",
            "attendee_role",
            "dietary_needs",
            "accessibility_needs",
        ]
        widgets = {
            "attendee_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "attendee_email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def attendee(self) -> Attendee:
        data = self.cleaned_data
        return Attendee(
            name=data["attendee_name"],
            email=data["attendee_email"],
            role=data["attendee_role"],
            dietary_needs=data["dietary_needs"],
            accessibility_needs=data["accessibility_needs"],
        )


class RegistrationForm(AttendeeForm):
    sessions = BoundedIdsField(
        queryset=Session.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Sessions"),
    )
    accept_paid_seat = forms.BooleanField(required=False, widget=forms.HiddenInput)

    class Meta(AttendeeForm.Meta):
        pass

    def __init__(self, *args, convening, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sessions"].queryset = Session.objects.filter(convening=convening)
        if not self.fields["sessions"].queryset.exists():
            del self.fields["sessions"]


class CheckInSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name, email or ecosystem"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autofocus": True}),
    )
