from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from slecop.web import BoundedIdsField

from .models import Resource, Topic
from .services import GRANT_FIELDS
from .validators import accept_attribute, allowed_types_text, validate_upload

SORT_CHOICES = [
    ("", _("Best match / newest")),
    ("title", _("Title")),
    ("deadline", _("Deadline")),
]


def _blank(label, choices):
    return [("", label), *choices]


class LibraryFilterForm(forms.Form):
    """The library's GET parameters. Invalid values are ignored (and shown as errors)."""

    q = forms.CharField(label=_("Search the library"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=_blank(_("All kinds"), Resource.Kind.choices)
    )
    attribute = forms.ChoiceField(
        label=_("Ecosystem attribute"),
        required=False,
        choices=_blank(_("All attributes"), Resource.Attribute.choices),
    )
    topic = forms.SlugField(label=_("Topic"), required=False, max_length=80)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def filters(self) -> dict:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {name: (data.get(name) or "").strip() for name in self.fields}


class MoneyField(forms.DecimalField):
    """An amount in dollars on the form, integer cents in the data (never a float)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0))
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, value):
        amount = super().clean(value)
        return None if amount is None else int(amount * 100)

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{Decimal(value) / 100:.2f}"
        return value


class ResourceFieldsMixin(forms.Form):
    """Fields shared by the admin form and the suggestion form."""

    external_url = forms.URLField(
        label=_("External link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text=_("A link to the resource elsewhere (a recording, a funder's page)."),
    )
    amount_min_cents = MoneyField(label=_("Smallest award (USD)"))
    amount_max_cents = MoneyField(label=_("Largest award (USD)"))

    def clean(self):
        data = super().clean()
        if data.get("kind") and data["kind"] != Resource.Kind.GRANT:
            data.update(GRANT_FIELDS)  # only grant opportunities carry these
        low, high = data.get("amount_min_cents"), data.get("amount_max_cents")
        if low is not None and high is not None and high < low:
            self.add_error("amount_max_cents", _("The largest award is below the smallest."))
        return data


class UploadFieldMixin(forms.Form):
    """A file field checked by resources.validators (content, size, name)."""

    def validated_upload(self, upload):
        if not upload:
            return None
        try:
            validate_upload(upload)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code=exc.code) from exc
        return upload


def upload_field(label, help_text=None) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        help_text=help_text or _("Accepted: %s.") % allowed_types_text(),
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
    )


class SuggestionForm(ResourceFieldsMixin, UploadFieldMixin, forms.ModelForm):
    file = upload_field(_("File"))
    topics = BoundedIdsField(
        label=_("Topics"),
        queryset=Topic.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Resource
        fields = [
            "title",
            "summary",
            "kind",
            "attribute",
            "audience",
            "topics",
            "external_url",
            "body",
            "deadline",
            "funder",
            "amount_min_cents",
            "amount_max_cents",
        ]
        labels = {"body": _("Description (optional)")}
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 6}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"deadline": _("Grant opportunities only.")}

    def clean_file(self):
        return self.validated_upload(self.cleaned_data.get("file"))

    def clean(self):
        data = super().clean()
        empty = not (
            data.get("file") or data.get("external_url") or (data.get("body") or "").strip()
        )
        if empty and not self.has_error("file"):
            self.add_error(None, _("Attach a file, give a link or describe the resource."))
        return data

    def _post_clean(self):
        # The service validates the model (and sets what members may not choose); don't
        # let ModelForm run model validation on a half-built instance here.
        pass

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if name != "topics"}
