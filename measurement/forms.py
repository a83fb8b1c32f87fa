from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models import Region

from .models import Attribute, Indicator, IndicatorReport, IndicatorValue
from .services import ReportInput
from .services.reports import MAX_TEXT, goal_field, value_field

Kind = Indicator.Kind
YES_NO_CHOICES = [("", _("Not answered")), ("yes", _("Yes")), ("no", _("No"))]


def _value_field(indicator: Indicator) -> forms.Field:
    common = {"label": str(indicator), "help_text": indicator.help_text, "required": False}
    low, high = indicator.bounds  # the indicator's own range, e.g. 0-7
    if indicator.kind == Kind.COUNT:
        return forms.IntegerField(min_value=low, max_value=high, **common)
    if indicator.kind == Kind.PERCENTAGE:
        return forms.DecimalField(
            min_value=low, max_value=high, max_digits=4, decimal_places=1, **common
        )
    if indicator.kind == Kind.YES_NO:
        return forms.ChoiceField(choices=YES_NO_CHOICES, widget=forms.RadioSelect, **common)
    if indicator.kind == Kind.RUBRIC:
        choices = [("", _("Not rated"))] + [
            (str(level), f"{level} — {text}") for level, text in indicator.rubric_levels
        ]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    return forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT, strip=True, **common
    )


def _goal_field(indicator: Indicator) -> forms.Field:
    low, high = indicator.bounds
    return forms.DecimalField(
        label=_("Goal for next year"),
        required=False,
        min_value=low,
        max_value=high,
        max_digits=12,
        decimal_places=1 if indicator.kind != Kind.RUBRIC else 0,
    )


def _initial(value: IndicatorValue | None):
    if value is None:
        return None
    if value.kind == Kind.YES_NO:
        return "yes" if value.bool_value else "no"
    if value.kind == Kind.RUBRIC:
        return str(value.rubric_value)
    return value.value


class IndicatorReportForm(forms.Form):
    """One field per active indicator (typed by its kind) and a goal per numeric one."""

    def __init__(
        self,
        *args,
        indicators: list[Indicator],
        attributes: list[Attribute],
        values: dict[int, IndicatorValue] | None = None,
        goals: dict[int, Decimal] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        values, goals = values or {}, goals or {}
        self.indicators = indicators
        for indicator in indicators:
            name = value_field(indicator)
            self.fields[name] = _value_field(indicator)
            self.initial.setdefault(name, _initial(values.get(indicator.pk)))
            if indicator.is_numeric:
                self.fields[goal_field(indicator)] = _goal_field(indicator)
                self.initial.setdefault(goal_field(indicator), goals.get(indicator.pk))
        self.sections = [
            (
                attribute,
                [
                    (
                        indicator,
                        self[value_field(indicator)],
                        self[goal_field(indicator)] if indicator.is_numeric else None,
                    )
                    for indicator in indicators
                    if indicator.attribute_id == attribute.pk
                ],
            )
            for attribute in attributes
        ]

    def report_input(self) -> ReportInput:
        data = self.cleaned_data
        return ReportInput(
            values={i.code: data.get(value_field(i)) for i in self.indicators},
            goals={i.code: data.get(goal_field(i)) for i in self.indicators if i.is_numeric},
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why reopen this report?"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class NetworkFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("number"),
        to_field_name="slug",
        required=False,
        empty_label=_("All regions"),
    )
    cohort = forms.TypedChoiceField(label=_("Cohort"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, years: list[int], cohorts: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Latest"))] + [(y, y) for y in reversed(years)]
        self.fields["cohort"].choices = [("", _("All cohorts"))] + [(c, c) for c in cohorts]


MISSING = "missing"


class StaffReportFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2015, max_value=2100)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Any status")),
            *IndicatorReport.Status.choices,
            (MISSING, _("Not started (active ecosystems)")),
        ],
    )
