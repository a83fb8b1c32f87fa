"""Amounts typed in dollars become integer cents exactly, without floats; anything else
is a form error."""

from __future__ import annotations

import pytest
from django import forms
from hypothesis import given, settings
from hypothesis import strategies as st

from members.billing.forms import MAX_AMOUNT_CENTS, MoneyField
from members.money import format_cents


@settings(max_examples=300, deadline=None)
@given(cents=st.integers(min_value=1, max_value=MAX_AMOUNT_CENTS))
def test_every_amount_round_trips_exactly(cents):
    field = MoneyField()
    whole, fraction = divmod(cents, 100)
    for text in (
        format_cents(cents),  # 1,500.50
        format_cents(cents).replace(",", ""),  # 1500.50
        f"${whole}.{fraction:02d}",
        f" {whole}.{fraction:02d} ",
    ):
        assert field.clean(text) == cents, text
    if fraction % 10 == 0:
        assert field.clean(f"{whole}.{fraction // 10}") == cents
    if not fraction:
        assert field.clean(str(whole)) == cents


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=40))
def test_any_text_is_cents_or_a_form_error(text):
    field = MoneyField(required=False)
    try:
        value = field.clean(text)
    except forms.ValidationError:
        return
    assert value is None or (isinstance(value, int) and 1 <= value <= MAX_AMOUNT_CENTS)


@pytest.mark.parametrize(
    "text, code",
    [
        ("-5", "negative"),
        ("abc", "invalid"),
        ("3000.001", "precision"),
        ("1e5", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("1,50", "invalid"),
        ("1.2.3", "invalid"),
        ("0", "min"),
        ("0.00", "min"),
        ("10000000.01", "max"),
        ("9" * 400, "max"),
        ("٣٠٠٠", "invalid"),  # other digits than 0-9
    ],
)
def test_bad_amounts(text, code):
    with pytest.raises(forms.ValidationError) as excinfo:
        MoneyField().clean(text)
    assert excinfo.value.code == code
