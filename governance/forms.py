from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Ecosystem

from .models import PracticeGroup


class PracticeGroupProposalForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the group"),
        max_length=PracticeGroup._meta.get_field("name").max_length,
        help_text=_("For example “Computer science for all” or “Rural ecosystems”."),
    )
    topic = forms.CharField(
        label=_("Topic of practice"),
        max_length=PracticeGroup._meta.get_field("topic").max_length,
        help_text=_("One line: the shared problem of practice the group works on."),
    )
    description = forms.CharField(
        label=_("What the group will do"),
        required=False,
        max_length=PracticeGroup._meta.get_field("description").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How often you meet, who should join, what you hope to share."),
    )
    ecosystem = forms.ModelChoiceField(
        label=_("Proposed on behalf of"),
        queryset=Ecosystem.objects.none(),
        to_field_name="slug",
        empty_label=None,
    )

    def __init__(self, *args, ecosystems: list[Ecosystem], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ecosystem"].queryset = Ecosystem.objects.filter(
            pk__in=[e.pk for e in ecosystems]
        ).order_by("name")

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not any(ch.isalnum() for ch in name):
            raise forms.ValidationError(_("Use letters or numbers in the name."))
        return name

    def clean_topic(self):
        topic = " ".join(self.cleaned_data["topic"].split())
        if not topic:
            raise forms.ValidationError(_("Describe the topic in a few words."))
        return topic


class PracticeGroupSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
