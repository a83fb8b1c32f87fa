"""Small helpers for thin views: turning domain errors into form errors."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from .errors import DomainError


def post_data(request):
    """The POST data to bind a form to, or None for a GET. (`request.POST or None` would
    leave a form unbound, and silently valid-less, when an empty form is posted.)"""
    return request.POST if request.method == "POST" else None


def add_error_to_form(form: forms.BaseForm, exc: DomainError | ValidationError) -> None:
    """Show a service's refusal on the form: on the named field when the form has it,
    otherwise as a non-field error."""
    if isinstance(exc, DomainError):
        field = exc.field if exc.field in form.fields else None
        form.add_error(field, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class BoundedIdsField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that refuses ids a database integer cannot hold before
    querying: Django's `pk__in` lookup sends them to the database, which fails with a 500
    (found by the tests/portal form fuzz)."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            if not (isinstance(pk, str) and pk.isdigit() and int(pk) < 2**63):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
