"""Money in the admin in dollars, never raw cents.

`MoneyAdminMixin` goes on every ModelAdmin and inline that shows a `*_cents` integer
field: an editable one becomes a `MoneyField` (typed in dollars and cents, cleaned to
integer cents exactly, without floats; more than two decimals, a negative amount or text
refused with a message) labelled "… (USD)"; a read-only one shows "$3,000.00". List
columns use `money_column`.
"""

from __future__ import annotations

import re
from functools import cache

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import lazy
from django.utils.text import capfirst

from members.billing.forms import MoneyField
from members.money import format_money

CENTS_SUFFIX = "_cents"
_CENTS_WORDS = re.compile(r"\s*\(?\bcents\)?\s*$", re.IGNORECASE)


def is_cents_field(field) -> bool:
    return isinstance(field, models.IntegerField) and field.name.endswith(CENTS_SUFFIX)


def dollars_label(field) -> str:
    """ "requested cents" → "Requested (USD)"."""
    return f"{capfirst(_CENTS_WORDS.sub('', str(field.verbose_name)))} (USD)"


def money_or_dash(cents: int | None, currency: str = "USD") -> str:
    """300000 → "$3,000.00" (members.money.format_money); None → "—"."""
    return "—" if cents is None else format_money(cents, currency)


@cache
def cents_display(model, name: str):
    """A read-only admin field showing `model.name` (integer cents) as money; one callable
    per field, so the same object names it in fieldsets and in readonly_fields."""
    field = model._meta.get_field(name)

    @admin.display(description=lazy(dollars_label, str)(field))
    def display(obj):
        return money_or_dash(getattr(obj, name), getattr(obj, "currency", "USD"))

    display.__name__ = f"{name.removesuffix(CENTS_SUFFIX)}_amount"
    return display


class MoneyAdminMixin:
    """For ModelAdmin and InlineModelAdmin classes (see the module docstring)."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if is_cents_field(db_field):
            return MoneyField(
                label=dollars_label(db_field),
                required=not db_field.blank,
                min_cents=0,
                help_text=db_field.help_text,
                initial=db_field.default if isinstance(db_field.default, int) else None,
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def _cents_names(self, names, readonly, view_only):
        """`names` with each read-only cents field replaced by its money display."""
        out = []
        for name in names:
            if (
                isinstance(name, str)
                and (view_only or name in readonly)
                and is_cents_field(_field(self.model, name))
            ):
                name = cents_display(self.model, name)
            if name not in out:
                out.append(name)
        return out

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        names = self._cents_names(readonly, set(readonly), view_only=True)
        if self._view_only(request, obj):
            names += [
                cents_display(self.model, f.name)
                for f in self.model._meta.fields
                if is_cents_field(f) and cents_display(self.model, f.name) not in names
            ]
        return names

    def get_fields(self, request, obj=None):
        readonly = set(super().get_readonly_fields(request, obj))
        fields = super().get_fields(request, obj)
        return self._cents_names(fields, readonly, self._view_only(request, obj))

    def get_fieldsets(self, request, obj=None):
        readonly = set(super().get_readonly_fields(request, obj))
        view_only = self._view_only(request, obj)
        return [
            (name, {**options, "fields": self._cents_names(options["fields"], readonly, view_only)})
            for name, options in super().get_fieldsets(request, obj)
        ]

    def _view_only(self, request, obj) -> bool:
        """Whether the page shows the object without a form (Django's view-only page)."""
        if self.has_change_permission(request, obj):
            return False
        if isinstance(self, admin.options.InlineModelAdmin):
            return True  # rows of an inline without change permission are read-only
        return obj is not None or not self.has_add_permission(request)


def _field(model, name: str):
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a method or admin attribute of that name, not a model field
        return None


def money_column(field: str, description, *, ordering=None, dash_for_zero=False):
    """An admin list column showing integer cents as money."""

    @admin.display(description=description, ordering=ordering or field)
    def column(self, obj):
        value = getattr(obj, field)
        if dash_for_zero and not value:
            return "—"
        return money_or_dash(value, getattr(obj, "currency", "USD"))

    return column
