"""Forms of dues: money input, scholarships, recording payments, staff reviews."""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Payment
from members.money import format_cents

# --- money, dues and payments -------------------------------------------------------------

AMOUNT_RE = re.compile(r"^(?P<whole>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<cents>\d{1,2}))?$", re.ASCII)
TOO_PRECISE_RE = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{3,}$", re.ASCII)
MAX_AMOUNT_CENTS = 1_000_000_000  # 10,000,000.00: far above any dues, far below int32


class MoneyField(forms.Field):
    """An amount typed in dollars ("1500", "1,500.50", "$1500") cleaned to integer cents,
    without floats. Negative, non-numeric, over-precise or huge input is a form error."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Enter an amount in dollars, like 1500 or 1,500.50."),
        "negative": _("Enter a positive amount."),
        "precision": _("Amounts have at most two decimals (cents)."),
        "min": _("Enter an amount of at least %(min)s."),
        "max": _("The amount can be at most %(max)s."),
    }

    def __init__(self, *, min_cents: int = 1, max_cents: int = MAX_AMOUNT_CENTS, **kwargs):
        self.min_cents, self.max_cents = min_cents, max_cents
        super().__init__(**kwargs)

    def to_python(self, value):
        text = str(value or "").strip().replace(" ", "").removeprefix("$")
        if not text:
            return None
        if len(text) > 20:
            raise forms.ValidationError(
                self.error_messages["max"],
                code="max",
                params={"max": format_cents(self.max_cents)},
            )
        if text.startswith("-"):
            raise forms.ValidationError(self.error_messages["negative"], code="negative")
        if TOO_PRECISE_RE.match(text):
            raise forms.ValidationError(self.error_messages["precision"], code="precision")
        match = AMOUNT_RE.match(text)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        cents = int(match["whole"].replace(",", "")) * 100 + int(
            (match["cents"] or "0").ljust(2, "0")
        )
        if cents > self.max_cents:
            raise forms.ValidationError(
                self.error_messages["max"],
                code="max",
                params={"max": format_cents(self.max_cents)},
            )
        if cents < self.min_cents:
            raise forms.ValidationError(
                self.error_messages["min"],
                code="min",
                params={"min": format_cents(self.min_cents)},
            )
        return cents

    def prepare_value(self, value):
        return format_cents(value).replace(",", "") if isinstance(value, int) else value


class ScholarshipForm(forms.Form):
    """A lead applies to waive all or part of the year's dues."""

    FULL, PARTIAL = "full", "partial"

    extent = forms.ChoiceField(
        label=_("What do you ask for?"), widget=forms.RadioSelect, initial=FULL, choices=()
    )
    requested_amount = MoneyField(
        label=_("Amount to waive (USD)"),
        required=False,
        help_text=_("Only for a partial waiver, in dollars, e.g. 1500 or 1,500.50."),
    )
    narrative = forms.CharField(
        label=_("Why does your ecosystem need support this year?"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What changed, and how membership helps your work (up to 5,000 characters)."),
    )
    budget_context = forms.CharField(
        label=_("Budget context (optional)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Your annual budget, funders, and what you can contribute."),
    )

    def __init__(self, *args, invoice, **kwargs):
        super().__init__(*args, **kwargs)
        self.invoice = invoice
        balance = format_cents(invoice.balance_cents, invoice.currency)
        self.fields["extent"].choices = [
            (self.FULL, _("A full waiver of the balance (%s)") % balance),
            (self.PARTIAL, _("A partial waiver")),
        ]
        self.fields["requested_amount"].max_cents = invoice.balance_cents
        self.fields["requested_amount"].error_messages["max"] = _(
            "You can ask for at most the balance, %(max)s."
        )

    def clean(self):
        data = super().clean()
        missing = not data.get("requested_amount") and "requested_amount" not in self.errors
        if data.get("extent") == self.PARTIAL and missing:
            self.add_error("requested_amount", _("Enter the amount you ask to be waived."))
        return data

    @property
    def full_waiver(self) -> bool:
        return self.cleaned_data["extent"] == self.FULL


class RecordPaymentForm(forms.Form):
    """Staff record a check, ACH or wire payment (partial payments allowed)."""

    method = forms.ChoiceField(
        label=_("Method"),
        choices=[
            (m.value, m.label)
            for m in (Payment.Method.CHECK, Payment.Method.ACH, Payment.Method.WIRE)
        ],
    )
    amount = MoneyField(label=_("Amount received"))
    reference = forms.CharField(
        label=_("Reference"),
        max_length=255,
        help_text=_("Check number or bank reference; recording it twice is refused."),
    )
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if not reference:
            raise forms.ValidationError(_("Give the check number or bank reference."))
        return reference

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if day.year < 2015:
            raise forms.ValidationError(_("Enter the date the money was received."))
        return day


class ScholarshipReviewForm(forms.Form):
    APPROVE_FULL, APPROVE_PARTIAL, DECLINE = "approve", "partial", "decline"

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (APPROVE_FULL, _("Approve the amount requested")),
            (APPROVE_PARTIAL, _("Approve part of it")),
            (DECLINE, _("Decline")),
        ],
    )
    approved_cents = MoneyField(  # named as the service's field, so its errors land here
        label=_("Amount approved (USD)"), required=False, help_text=_("For a partial approval.")
    )
    note = forms.CharField(
        label=_("Note to the ecosystem"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Emailed to the ecosystem's leads. Required for a partial approval or a decline."
        ),
    )

    def clean(self):
        data = super().clean()
        decision = data.get("decision")
        missing = not data.get("approved_cents") and "approved_cents" not in self.errors
        if decision == self.APPROVE_PARTIAL and missing:
            self.add_error("approved_cents", _("Enter the amount approved."))
        if decision in (self.APPROVE_PARTIAL, self.DECLINE) and not data.get("note", "").strip():
            self.add_error("note", _("Explain the decision to the ecosystem."))
        return data


class RefundTotalForm(forms.Form):
    refunded_total = MoneyField(
        label=_("Total refunded on this payment"),
        min_cents=0,
        help_text=_("The cumulative amount refunded so far, as on the bank record."),
    )
    reference = forms.CharField(label=_("Refund reference"), max_length=255)


class ClearFlagForm(forms.Form):
    note = forms.CharField(
        label=_("How was it resolved?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )


class DuesYearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Membership year"), coerce=int, choices=())

    def __init__(self, *args, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(y, y) for y in years]
