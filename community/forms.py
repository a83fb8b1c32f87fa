from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Announcement, Comment, Question, Survey


class CommentForm(forms.Form):
    section = forms.ModelChoiceField(
        label=_("Comment on"), queryset=None, required=False, empty_label=_("The whole document")
    )
    body = forms.CharField(
        label=_("Your comment"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = version.sections.all() if version else None


class FAQQuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Your question for the FAQ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CommentResponseForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in Comment.Outcome.choices if c[0] != Comment.Outcome.PENDING],
    )
    reply = forms.CharField(
        label=_("Reply"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FAQAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"), max_length=10_000, widget=forms.Textarea(attrs={"rows": 3})
    )
    publish = forms.BooleanField(label=_("Publish in the FAQ"), required=False, initial=True)


class FinalVersionForm(forms.Form):
    body = forms.CharField(
        label=_("Final text (Markdown, “## ” starts a section)"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 20}),
    )
    summary_of_changes = forms.CharField(
        label=_("Summary of changes"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 6})
    )


class AnnouncementForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (Markdown)"), max_length=20_000, widget=forms.Textarea(attrs={"rows": 10})
    )
    visibility = forms.ChoiceField(
        label=_("Who can read it"), choices=Announcement.Visibility.choices
    )
    publish = forms.BooleanField(label=_("Publish now"), required=False, initial=True)


SCALE_CHOICES = [(str(n), str(n)) for n in range(1, 6)]


class SurveyResponseForm(forms.Form):
    """One field per question, named q<pk>."""

    def __init__(self, *args, survey: Survey, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(survey.questions.prefetch_related("choices"))
        for question in self.questions:
            choices = [(str(c.pk), c.label) for c in question.choices.all()]
            common = {"label": question.text, "required": question.required}
            if question.kind == Question.Kind.SINGLE:
                field = forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
            elif question.kind == Question.Kind.MULTIPLE:
                field = forms.MultipleChoiceField(
                    choices=choices, widget=forms.CheckboxSelectMultiple, **common
                )
            elif question.kind == Question.Kind.SCALE:
                field = forms.ChoiceField(
                    choices=SCALE_CHOICES,
                    widget=forms.RadioSelect(attrs={"class": "scale"}),
                    help_text=_("1 = not at all, 5 = very much"),
                    **common,
                )
            else:
                field = forms.CharField(
                    max_length=5000, widget=forms.Textarea(attrs={"rows": 3}), **common
                )
            self.fields[f"q{question.pk}"] = field

    def answers(self) -> dict:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
