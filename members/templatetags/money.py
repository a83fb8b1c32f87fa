from django import template

from members.money import format_cents, format_money

register = template.Library()


@register.filter
def cents(value) -> str:
    """Integer cents as a money amount: 300000 → "3,000.00" (no floats involved)."""
    try:
        return format_cents(int(value))
    except (TypeError, ValueError):
        return ""


@register.filter
def money(value, currency="USD") -> str:
    """Integer cents as an amount in running text, with its currency: "$1,000.00"."""
    try:
        return format_money(int(value), currency or "USD")
    except (TypeError, ValueError):
        return ""
