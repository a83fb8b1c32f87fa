from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Ecosystem, User

from .models import Contest, Election


def rank_field_name(contest: Contest, candidate) -> str:
    return f"rank_{contest.pk}_{candidate.pk}"


def choice_field_name(contest: Contest) -> str:
    return f"contest_{contest.pk}"


def candidate_label(candidate) -> str:
    """The candidate's name on the ballot, with their own ecosystem where known."""
    eco = candidate.ecosystem
    return f"{candidate.name} ({eco.name})" if eco is not None else candidate.name


class BallotForm(forms.Form):
    """One form for every contest an ecosystem votes in. Plurality: a radio button per
    candidate and "No vote in this contest", pre-selected (a contest has one seat:
    Contest.clean). Ranked choice: a "rank" select per candidate (1 = first choice),
    "not ranked" by default, keyboard-accessible without JavaScript; ranks must be 1, 2,
    3 … with no repeats and no gaps. So the form always submits every field of every
    contest, and `tampering` can refuse a post it did not make."""

    # Fields of the page the form does not own (the CSRF token; the review/cast step).
    OTHER_FIELDS = {"csrfmiddlewaretoken": None, "step": {"review", "cast", "edit"}}

    def __init__(self, *args, contests: list[Contest], **kwargs):
        super().__init__(*args, **kwargs)
        self.contests = contests
        for contest in contests:
            candidates = list(contest.candidates.all())
            if contest.is_ranked:
                ranks = [("", _("not ranked"))] + [
                    (str(i), str(i)) for i in range(1, len(candidates) + 1)
                ]
                for candidate in candidates:
                    self.fields[rank_field_name(contest, candidate)] = forms.TypedChoiceField(
                        label=candidate.name,
                        choices=ranks,
                        coerce=int,
                        empty_value=None,
                        required=False,
                    )
            else:
                self.fields[choice_field_name(contest)] = forms.TypedChoiceField(
                    label=str(contest.office),
                    choices=[(str(c.pk), candidate_label(c)) for c in candidates]
                    + [("", _("No vote in this contest"))],
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial="",
                    widget=forms.RadioSelect,
                )

    def tampering(self, data) -> str | None:
        """What is wrong with posted `data` (a QueryDict) that this form could not have
        sent — a field repeated, a contest's field missing, a field or value it did not
        offer — or None. Such a post is refused whole (the view answers 400): a repeated
        `contest_3=7&contest_3=8` would otherwise be read as its last value, and unknown
        fields as a blank ballot."""
        for name in data:
            if name not in self.fields and name not in self.OTHER_FIELDS:
                return _("it has a field the ballot does not have (%(name)s)") % {"name": name}
            if len(data.getlist(name)) > 1:
                return _("it gives %(name)s more than once") % {"name": name}
        for name, field in self.fields.items():
            if name not in data:
                return _("it lacks the field %(name)s") % {"name": name}
            if data[name] not in {str(value) for value, _label in field.choices}:
                return _("it has a value the ballot did not offer for %(name)s") % {"name": name}
        for name, values in self.OTHER_FIELDS.items():
            if values is not None and name in data and data[name] not in values:
                return _("it has a value the ballot did not offer for %(name)s") % {"name": name}
        return None

    def sections(self):
        """(contest, [(candidate, bound field)]) or (contest, bound field), for the template."""
        for contest in self.contests:
            if contest.is_ranked:
                yield (
                    contest,
                    [(c, self[rank_field_name(contest, c)]) for c in contest.candidates.all()],
                )
            else:
                yield contest, self[choice_field_name(contest)]

    def clean(self):
        data = super().clean()
        self.choices: dict[int, list[int]] = {}
        for contest in self.contests:
            if contest.is_ranked:
                ranked = {}
                for candidate in contest.candidates.all():
                    rank = data.get(rank_field_name(contest, candidate))
                    if rank is None:
                        continue
                    if rank in ranked:
                        self.add_error(
                            rank_field_name(contest, candidate),
                            _("%(office)s: two candidates have rank %(rank)s.")
                            % {"office": contest.office, "rank": rank},
                        )
                    ranked[rank] = candidate.pk
                if sorted(ranked) != list(range(1, len(ranked) + 1)):
                    self.add_error(
                        None,
                        _("%(office)s: number your choices 1, 2, 3 … without gaps.")
                        % {"office": contest.office},
                    )
                self.choices[contest.pk] = [ranked[r] for r in sorted(ranked)]
            else:
                value = data.get(choice_field_name(contest))
                self.choices[contest.pk] = [] if value is None else [value]
        return data

    def review(self):
        """[(contest, [candidate names in order])] for the review step."""
        rows = []
        for contest in self.contests:
            names = {c.pk: c.name for c in contest.candidates.all()}
            rows.append((contest, [names[pk] for pk in self.choices.get(contest.pk, [])]))
        return rows


class NominationForm(forms.Form):
    contest = forms.ModelChoiceField(
        queryset=Contest.objects.none(), label=_("Office"), empty_label=None
    )
    nominee_email = forms.EmailField(
        label=_("Nominee's email"),
        help_text=_(
            "The person must have an account on the portal. Use your own to nominate yourself."
        ),
    )
    nominee_ecosystem = forms.CharField(
        label=_("Nominee's ecosystem"),
        required=False,
        max_length=200,
        help_text=_(
            "The ecosystem the nominee runs from: one where they are a lead or a member, in "
            "good standing (for a regional chair, in that region). Its name; leave empty if "
            "they hold a role in one ecosystem only."
        ),
    )
    statement = forms.CharField(
        label=_("Candidate statement"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
        help_text=_("Shown to voters next to the candidate's name."),
    )

    def __init__(self, *args, contests, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contest"].queryset = contests

    def clean_nominee_email(self):
        email = self.cleaned_data["nominee_email"]
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody with this email has an account on the portal. Invite them first.")
            )
        self.cleaned_data["nominee"] = user
        return email

    def clean_nominee_ecosystem(self):
        name = self.cleaned_data["nominee_ecosystem"].strip()
        if not name:
            return None
        eco = (
            Ecosystem.objects.filter(name__iexact=name).first()
            or Ecosystem.objects.filter(slug__iexact=name).first()
        )
        if eco is None:
            raise forms.ValidationError(
                _("No ecosystem is called “%(name)s”. Give its name as in the directory.")
                % {"name": name}
            )
        return eco


class ReceiptCheckForm(forms.Form):
    code = forms.CharField(label=_("Receipt code"), max_length=20)


# The dates a phase change asks for on its confirmation page (issue 27: an action off
# schedule republishes the schedule): those still ahead once the election has moved.
SCHEDULE_AHEAD = {
    "open-nominations": ("nominations_close_on", "voting_opens_on", "voting_closes_on"),
    "open-voting": ("voting_closes_on",),
}


def schedule_form(step: str, election: Election, data=None) -> forms.Form | None:
    """The form of the dates still ahead after `step`, filled with the published ones;
    None for a step that asks none."""
    names = SCHEDULE_AHEAD.get(step)
    if not names:
        return None
    fields = {
        name: forms.DateField(
            label=Election._meta.get_field(name).verbose_name.capitalize(),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            help_text=_("America/New_York: opens at 00:00, closes at 23:59. Empty: no date."),
        )
        for name in names
    }
    form_class = type("ScheduleForm", (forms.Form,), fields)
    return form_class(data, initial={name: getattr(election, name) for name in names})
